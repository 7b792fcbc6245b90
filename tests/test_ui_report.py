"""The defects a new user found in the web UI (test report s23), checked the way they were found:
in Debian's chromium driven by Playwright, against the app on a private corpus (plan + three laws).
Each test names the report item it covers and asserts what the user sees.

Tests that only read what the app serves share one app (``shared_ui`` in tests/conftest.py), each
in a browser of its own; those that upload, rebuild the index or start the app with other settings
start their own (``app_page``, ``own_page``)."""
import pytest

from .test_ui import ARGS, CHROMIUM, open_filters, open_page, start_app, stop_app

pytestmark = [pytest.mark.ui, pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed")]
PAYLOAD = "<img src=x onerror=\"document.title='XSS'\"><b>粗体</b><script>document.title='XSS2'</script> $$x^2$$ 台湾同胞投资保护法第四条"


def app_page(small_settings, tmp_path, extra_env=None):
    """A browser on an app of the test's own."""
    url, proc = start_app(small_settings, tmp_path, extra_env)
    try:
        yield from open_page(url)
    finally:
        stop_app(proc)


@pytest.fixture
def page(shared_ui):
    """A new browser on the app the read-only tests share."""
    yield from open_page(shared_ui.url)


@pytest.fixture
def own_page(small_settings, tmp_path):
    """A browser on an app of the test's own, over ``small_settings`` (which the test changes)."""
    yield from app_page(small_settings, tmp_path)


def ask(page, question, chat="rz", submit="click"):
    """Ask in a chat (``rz`` = 问答, ``rz-tw`` = 台灣專業人士) and wait for its answer or error."""
    done = f"#{chat}-chat .rz-answer, #{chat}-chat .rz-error"
    before = page.locator(done).count()
    page.fill(f"#{chat}-question textarea", question)
    if submit == "enter":
        page.press(f"#{chat}-question textarea", "Enter")
    else:
        page.click(f"#{chat}-send")
    page.wait_for_function(f"document.querySelectorAll({done!r}).length > {before}", timeout=60000)
    page.wait_for_timeout(300)


def last_answer(page, chat="rz"):
    return page.locator(f"#{chat}-chat .message").last.inner_text()


def submit_rejected(page, question, said, chat="rz"):
    """Submit a question the page refuses; wait for the hint under the box to say ``said``."""
    page.fill(f"#{chat}-question textarea", question)
    page.click(f"#{chat}-send")
    page.wait_for_function(f"document.querySelector('#{chat}-hint').innerText.includes({said!r})", timeout=30000)
    return page.inner_text(f"#{chat}-hint")


def test_d2_html_in_a_question_is_shown_as_text_and_never_runs(page):
    ask(page, PAYLOAD)
    assert page.title() == "榕知 RongZhi"  # neither the onerror handler nor the script ran
    bubble = page.locator("#rz-chat .rz-question")
    assert bubble.inner_text() == PAYLOAD  # exactly as typed: tags, ** and $$ are text
    assert bubble.locator("img, b, script, .katex").count() == 0
    assert PAYLOAD[:40] in page.inner_text("#rz-sources .rz-turn-head")
    assert "第四条" in last_answer(page)  # and the question itself is answered


def test_d1_clear_forgets_the_conversation(page):
    ask(page, "台湾同胞投资保护法第四条")
    ask(page, "那第五条呢？")
    assert "台湾同胞投资保护法》第五条" in last_answer(page)  # a follow-up, before clearing
    page.click("#rz-chat button[aria-label=清空对话]")
    page.wait_for_function("!document.querySelector('#rz-sources .rz-turn')", timeout=10000)
    assert "回答的出处会显示在这里" in page.inner_text("#rz-sources")
    ask(page, "那第五条呢？")
    assert "台湾同胞投资保护法" not in last_answer(page)  # not read against the cleared conversation
    assert "第 1 问：那第五条呢" in page.inner_text("#rz-sources")  # numbering starts again
    assert "台湾同胞投资保护法" not in page.inner_text("#rz-sources")


def test_d13_a_rejected_question_is_explained_and_stays_in_the_box(page):
    too_long = "商标注册" * 600
    hint = submit_rejected(page, too_long, "问题过长")
    assert "问题过长（2400 字，上限 2000 字）" in hint and "too long" in hint
    assert page.input_value("#rz-question textarea") == too_long  # nothing lost
    assert page.locator("#rz-chat .message").count() == 0  # no 2400-character bubble either
    hint = submit_rejected(page, "   ", "问题为空")
    assert "问题为空" in hint and "empty" in hint
    # The hint goes once a question is asked.
    ask(page, "方案任务19")
    assert "⚠️" not in page.inner_text("#rz-hint")
    # The Taiwan tab says the same, in Traditional.
    page.get_by_role("tab", name="台灣專業人士").click()
    hint = submit_rejected(page, "", "問題為空", chat="rz-tw")
    assert "問題為空" in hint and "问题为空" not in hint


def test_d7_d6_taiwan_tab_remembers_the_conversation_and_shows_traditional(page):
    page.get_by_role("tab", name="台灣專業人士").click()
    ask(page, "台灣同胞投資保護法第四條", chat="rz-tw", submit="enter")  # Enter submits
    ask(page, "那第五條呢？", chat="rz-tw", submit="enter")
    answer = last_answer(page, "rz-tw")
    assert "第五條" in answer and "投資保護法" in answer  # read as a follow-up
    sources = page.inner_text("#rz-tw-sources .rz-turn.rz-active")
    assert "第 2 問" in sources and "第五條" in sources and "現行有效" in sources
    assert not any(ch in sources for ch in "条问现资护"), sources  # labels and quote all Traditional
    # Its [n] links open its own panel, not the chat's.
    page.click("#rz-tw-chat a.rz-cite[data-turn='tw1'] >> nth=0")
    assert page.locator("#rz-tw-sources .rz-focus").get_attribute("id") == "rz-src-tw1-1"
    assert page.locator("#rz-sources .rz-focus").count() == 0


def test_d6_a_traditional_question_gets_traditional_sources(page):
    ask(page, "台灣同胞投資者的投資會被徵收嗎？")
    card = page.inner_text("#rz-sources .rz-turn.rz-active")
    assert "第 1 問" in card and "第四條" in card and "現行有效" in card and "國家對台灣同胞投資者" in card
    ask(page, "台湾同胞投资者的投资会被征收吗？")  # a Simplified question keeps Simplified sources
    card = page.inner_text("#rz-sources .rz-turn.rz-active")
    assert "第 2 问" in card and "第四条" in card and "现行有效" in card


def test_d9_task_number_errors_are_chinese_and_replace_the_old_task(page):
    page.get_by_role("tab", name="公务员").click()
    detail = "#rz-task-detail"
    for value, said in (("23", "没有任务23"), ("0", "没有任务0"), ("2.5", "应为整数"), ("", "请输入任务编号")):
        page.fill("#rz-task-number input", "7")
        page.click("#rz-show-task")
        page.wait_for_function(f"document.querySelector('{detail}').innerText.includes('任务7')", timeout=30000)
        page.fill("#rz-task-number input", value)
        page.click("#rz-show-task")
        page.wait_for_function(f"document.querySelector('{detail}').innerText.includes({said!r})", timeout=30000)
        text = page.inner_text(detail)
        assert "1–22" in text and "任务7" not in text, value  # the old task is gone, the range is said
        assert page.locator(".toast-body").count() == 0, value  # no English toast
    assert "There is no task" not in page.inner_text(detail) and "Enter a task number" in page.inner_text(detail)


def test_d17_type_filters_are_explained(page):
    open_filters(page)
    labels = page.locator("#rz-kinds label")
    boxes = page.locator("#rz-kinds input[type=checkbox]")
    notice = page.locator("#rz-no-kinds")
    assert notice.is_hidden()  # every type ticked: nothing to explain
    for i in range(boxes.count()):
        boxes.nth(i).uncheck()  # untick every type (uncheck() waits until it took)
    # Said at once, before asking, by the page's own state (CSS): no server round trip or order of
    # change events can leave it out.
    notice.wait_for(state="visible", timeout=10000)
    assert "没有勾选任何文件类型" in notice.inner_text()
    hint = submit_rejected(page, "台湾同胞投资保护法第四条", "没有勾选任何文件类型")
    assert "没有勾选任何文件类型" in hint and page.input_value("#rz-question textarea") == "台湾同胞投资保护法第四条"
    assert page.locator("#rz-hint").is_visible() and notice.is_hidden()  # said once, not twice
    assert page.locator("#rz-chat .message").count() == 0  # not answered as if nothing were filtered
    for i in range(labels.count()):
        if labels.nth(i).inner_text().strip() != "法律":
            boxes.nth(i).check()  # every type but 法律
    assert page.locator("#rz-hint").is_hidden() and notice.is_hidden()  # the refusal no longer applies
    ask(page, "台湾同胞投资保护法第四条")
    note = page.inner_text("#rz-chat .rz-filtered")
    assert "《中华人民共和国台湾同胞投资保护法》属于“法律”" in note and "勾选“法律”" in note


def test_d16_upload_problems_are_said_in_chinese(small_settings, tmp_path):
    for page in app_page(small_settings, tmp_path, {"RONGZHI_MAX_UPLOAD_BYTES": "4096"}):
        page.get_by_role("tab", name="语料").click()
        zone = page.inner_text("#rz-upload")
        assert "将文件拖放到此处" in zone and "点击选择文件" in zone  # in an English browser too
        bad = tmp_path / "bad.csv"
        bad.write_text("a,b\n", encoding="utf-8")
        page.set_input_files("#rz-upload input[type=file]", str(bad))
        page.wait_for_selector("#rz-upload-problem:not([hidden])", timeout=10000)
        assert "不支持的文件类型 .csv" in page.inner_text("#rz-upload-problem")
        big = tmp_path / "big.txt"
        big.write_text("第一条 测试。\n" * 1000, encoding="utf-8")
        page.set_input_files("#rz-upload input[type=file]", str(big))
        page.wait_for_function("document.querySelector('#rz-upload-problem').innerText.includes('big.txt')",
                               timeout=10000)
        assert "未添加“big.txt”：文件 19.5 KB，超过 4 KB 上限" in page.inner_text("#rz-upload-problem")
        page.wait_for_timeout(500)
        assert page.locator(".toast-body").count() == 0  # gradio's English toasts never appear
        page.click("#rz-add")  # nothing was taken: the server says so in Chinese too
        page.wait_for_function("document.querySelector('#rz-add-status').innerText.includes('请先选择文件')",
                               timeout=30000)


def test_d2_an_uploaded_title_is_shown_as_text(small_settings, tmp_path):
    title = "<img src=x onerror=\"document.title='XSS'\">测试通知 **粗体**"
    doc = tmp_path / "测试通知.txt"
    doc.write_text("福州市知识产权测试通知（测试夹具）\n第一条 本通知仅用于界面测试。\n", encoding="utf-8")
    for page in app_page(small_settings, tmp_path):
        page.get_by_role("tab", name="语料").click()
        page.set_input_files("#rz-upload input[type=file]", str(doc))
        page.wait_for_timeout(1000)
        page.fill("#rz-up-title textarea", title)
        page.click("#rz-add")
        page.wait_for_function("document.querySelector('#rz-add-status').innerText.includes('已添加')", timeout=120000)
        assert title in page.inner_text("#rz-add-status")
        assert page.locator("#rz-add-status img, #rz-add-status strong, #rz-docs img").count() == 0
        assert title in page.inner_text("#rz-docs")
        assert page.title() == "榕知 RongZhi"


def test_d18_a_running_ui_answers_from_an_index_rebuilt_by_another_process(own_page, small_settings):
    """The UI answers from the new generation, without a restart (before: it kept the old one, or
    failed with "unable to open database file" once that was deleted)."""
    from rongzhi.index.build import ingest

    page = own_page

    ask(page, "台湾同胞投资保护法第四条")
    law = small_settings.law_dir / "台湾同胞投资保护法(2019-12-28).md"
    law.write_text(law.read_text(encoding="utf-8") + "\n第十六条 台湾同胞投资者可以设立界面测试服务站。\n", encoding="utf-8")
    ingest(small_settings, quiet=True)  # as `rongzhi ingest` in another terminal would
    ask(page, "台湾同胞投资保护法第十六条")
    answer = last_answer(page)
    assert "界面测试服务站" in answer and "⚠️" not in answer
    assert page.locator("#rz-chat .rz-pending").count() == 0


def test_d11_each_cited_article_starts_on_its_own_line(page):
    # no conversation, no law named: hedged, several articles side by side (「那第五条呢？」 was the question until session 42,
    # which now asks which law is meant: BA)
    ask(page, "第五条和第六条分别讲什么")
    lines = last_answer(page).split("\n")
    assert sum(line.startswith("相关条文") for line in lines) >= 2, lines  # not one wall of text


def test_d10_corpus_numbers_and_dates_stay_whole_on_a_phone(shared_ui):
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        page = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
        page.goto(shared_ui.url)
        page.wait_for_selector("#rz-question textarea", timeout=60000)
        page.click(".overflow-menu button")  # on a phone the 语料 tab is behind ⋯
        page.locator("button", has_text="语料").last.click()
        page.wait_for_function("(document.querySelector('#rz-docs') || {innerText: ''}).innerText"
                               ".includes('fuzhou-ip-plan-2022')", timeout=30000)
        page.wait_for_timeout(1000)
        broken = page.evaluate("""() => [...document.querySelectorAll(
            '#rz-docs [role=gridcell][data-col="3"] span, #rz-docs [role=gridcell][data-col="4"] span')]
            .filter(span => {
                const lines = document.createRange();
                lines.selectNodeContents(span);
                return span.innerText.trim() && lines.getClientRects().length > 1;  // more than one line
            }).map(span => span.innerText)""")
        assert broken == []  # 块数 and 版本日期 whole, not "2/6" or "20/22/-09"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the table scrolls, not the page
        browser.close()


def test_d12_a_measure_listed_twice_is_quoted_once(page):
    page.get_by_role("tab", name="企业").click()
    page.get_by_label("质押融资").check()
    page.fill("#rz-measures-free textarea", "我们想做专利质押融资")
    page.click("#rz-find")
    page.wait_for_selector("#rz-measures li", timeout=60000)
    found = page.inner_text("#rz-measures")
    assert found.count("任务7") >= 2, found  # under both needs …
    assert found.count("持续探索智慧财产权质押融资服务模式") == 1, found  # … but quoted once
    assert "（见上）" in found


# -- report s29: a new user in a real browser ---------------------------------------------------------
def upload(page, path, title=""):
    page.get_by_role("tab", name="语料").click()
    page.set_input_files("#rz-upload input[type=file]", str(path))
    page.wait_for_timeout(1000)
    if title:
        page.fill("#rz-up-title textarea", title)
    before = page.inner_text("#rz-add-status")
    page.click("#rz-add")
    page.wait_for_function(f"document.querySelector('#rz-add-status').innerText !== {before!r} && "
                           "/已添加|未添加/.test(document.querySelector('#rz-add-status').innerText)", timeout=120000)
    return page.inner_text("#rz-add-status")


def kind_boxes(page) -> dict[str, bool]:
    """The 文件类型 boxes shown: {type: ticked}."""
    return dict(page.evaluate("""() => [...document.querySelectorAll('#rz-kinds label')].map(l =>
        [l.innerText.trim(), !!(l.querySelector('input') || {}).checked])"""))


def test_s29_uploads_are_searched_and_the_type_filter_follows_the_index(small_settings, tmp_path):
    """#1: after an upload (「已添加…2 块」) its 第一条 was answered with 「属于“用户添加”，当前“文件类型”筛选没有
    勾选」, and no such box existed, even after a reload; a type another process's ingest brought in
    (地方规范性文件, the special-fund measures) never appeared either. Now the boxes follow the index,
    new types ticked, and both chats answer from the upload."""
    from rongzhi.index.build import ingest
    from rongzhi.ingest.corpus_add import add_document

    notice = tmp_path / "界面测试通知.txt"
    notice.write_text("福州市知识产权界面测试通知\n第一条 界面测试通知的第一条规定鹦鹉服务站。\n第二条 测试条文二。\n",
                      encoding="utf-8")
    for page in app_page(small_settings, tmp_path):
        open_filters(page)
        assert "用户添加" not in kind_boxes(page)
        assert "2 块" in upload(page, notice)
        page.get_by_role("tab", name="问答").click()
        page.wait_for_function("[...document.querySelectorAll('#rz-kinds label')].some(l => "
                               "l.innerText.includes('用户添加') && l.querySelector('input').checked)", timeout=30000)
        ask(page, "福州市知识产权界面测试通知第一条")
        answer = last_answer(page)
        assert "鹦鹉服务站" in answer and "筛选没有勾选" not in answer
        page.get_by_role("tab", name="台灣專業人士").click()  # the Traditional tab answers from it too
        ask(page, "福州市知識產權界面測試通知第一條", chat="rz-tw")
        assert "鸚鵡服務站" in last_answer(page, "rz-tw")
        # Another process adds the special-fund measures (as `rongzhi corpus add` in a terminal would).
        measures = tmp_path / "福州市知识产权专项资金管理办法.txt"
        measures.write_text("福州市知识产权专项资金管理办法\n第一条 专项资金用于界面测试补助。\n", encoding="utf-8")
        add_document(small_settings, measures)
        ingest(small_settings, quiet=True)
        page.get_by_role("tab", name="问答").click()
        page.wait_for_function("[...document.querySelectorAll('#rz-kinds label')].some(l => "
                               "l.innerText.includes('地方规范性文件') && l.querySelector('input').checked)", timeout=30000)
        boxes = kind_boxes(page)
        assert boxes["用户添加"] and boxes["法律"]  # nothing unticked by the refresh
        ask(page, "福州市知识产权专项资金管理办法第一条")
        assert "界面测试补助" in last_answer(page)
        # A box the user unticks stays unticked, and that type is then left out.
        page.locator("#rz-kinds label", has_text="用户添加").locator("input").uncheck()
        page.wait_for_timeout(6000)  # past a refresh
        assert kind_boxes(page)["用户添加"] is False
        ask(page, "福州市知识产权界面测试通知第一条")
        assert "属于“用户添加”" in page.inner_text("#rz-chat .rz-filtered")


def test_s29_traditional_is_traditional_throughout(page):
    """#2: Simplified in Traditional text: 「…可在本页“语料”标签上传该文件加載後再問」 in the Taiwan tab,
    「出处」 over 「第 3 問」 in 繁體 mode, English button tooltips, answers on screen not converted when
    switching to 繁體; #5: raw HTML in the messages' screen-reader labels, bullets on the border."""
    ask(page, "台湾同胞投资保护法第四条")
    assert "第四条" in last_answer(page)
    open_filters(page)
    page.get_by_label("繁體").check()  # the answer already shown turns Traditional, and its sources
    page.wait_for_function("document.querySelector('#rz-sources').innerText.includes('出處')", timeout=30000)
    assert "第四條" in last_answer(page) and "台灣同胞投資保護法" in last_answer(page)
    sources = page.inner_text("#rz-sources .rz-turn.rz-active")
    assert sources.startswith("出處") and "第 1 問" in sources and "出处" not in sources
    assert page.inner_text("#rz-chat .rz-question") == "台湾同胞投资保护法第四条"  # the question as typed
    page.get_by_label("自动").check()  # back to each answer's own script
    page.wait_for_function("document.querySelector('#rz-sources').innerText.includes('出处')", timeout=30000)
    assert "第四条" in last_answer(page) and "第 1 问" in page.inner_text("#rz-sources")
    # The chat's buttons and screen-reader labels, in the page's words.
    ask(page, "我是开公司的，福州对企业有什么补贴或者资助吗？")
    page.wait_for_timeout(500)
    labels = page.evaluate("""() => [...document.querySelectorAll('#rz-chat button')].map(b =>
        [b.getAttribute('aria-label'), b.getAttribute('title')])""")
    assert {a for a, _ in labels} <= {"清空对话", "复制整个对话", "复制这条消息"} and all(a == t for a, t in labels), labels
    spoken = page.evaluate("() => [...document.querySelectorAll('#rz-chat [aria-label]')].map(e => e.getAttribute('aria-label'))")
    assert not any("<" in s or "'s message" in s for s in spoken), spoken
    assert any(s.startswith("回答：⚠️") for s in spoken) and any(s.startswith("问题：我是开公司的") for s in spoken)
    # 可能相关: each bullet inside the orange border, not on it.
    gap = page.evaluate("""() => { const box = [...document.querySelectorAll('#rz-chat .rz-declined')].pop();
        const li = box.querySelector('li');
        return li.getBoundingClientRect().left - box.getBoundingClientRect().left
               - parseFloat(getComputedStyle(box).borderLeftWidth); }""")
    assert gap >= 24, gap  # the marker (about 1em, outside the item) clears the border
    # The Taiwan tab: the upload hint in Traditional, and its buttons' words.
    page.get_by_role("tab", name="台灣專業人士").click()
    ask(page, "申請福州市知識產權專項資金補助需要什麼條件？", chat="rz-tw")
    answer = last_answer(page, "rz-tw")
    assert "上傳該文件後再問" in answer and "上传" not in answer and "语料" not in answer and "`" not in answer
    page.wait_for_timeout(500)
    labels = page.evaluate("() => [...document.querySelectorAll('#rz-tw-chat button')].map(b => b.getAttribute('title'))")
    assert set(labels) <= {"清除對話", "複製整個對話", "複製這則訊息"}, labels
    assert page.locator("#rz-tw-chat button[aria-label=清除對話]").count() == 1


FAKE_EVAL = """
import json, os, sys
from pathlib import Path
from rongzhi.evals import harness

REPORT = json.loads(os.environ["RZ_FAKE_REPORT"])


def run(assistant, fast=False, out_dir=None, **kwargs):  # the tab's figures without running the gold sets
    harness.chart(REPORT, Path(out_dir) / "chart.png")  # the picture run() writes beside its report
    return REPORT


harness.run = run
from rongzhi import ui

ui.main(sys.argv[1:])
"""


def fake_report() -> dict:
    import json

    splits = {}
    for i, split in enumerate(("dev", "test", "test2", "test3", "test4", "test5", "test6", "test7", "test8")):
        overall = {"n": 80 + i, "hit@1": 0.6 + i / 100, "hit@5": 0.9, "mrr": 0.7, "ndcg@5": 0.75, "citation_hit": 0.8,
                   "citation_precision": 0.5, "fact_coverage": 0.7, "lead_facts": 0.6, "decline_precision": 0.9,
                   "decline_recall": None if i == 2 else 0.6, "wrong_asserted": 0.1, "script_accuracy": 1.0,
                   "latency_p50_ms": 40.0, "latency_p95_ms": 90.0}
        splits[split] = {"questions": 80 + i,
                         "systems": {"rongzhi": {"label": "RongZhi hybrid", "summary": {"overall": overall}}}}
    return json.loads(json.dumps({"splits": splits, "questions": 800, "seconds": 1.0}))


def test_s29_the_evaluation_chart_is_readable_on_desktop_and_phone(small_settings, tmp_path):
    """#3: the chart was one 7920×495 image squeezed into 1214×76 px, under the 「指标」 label."""
    import json
    import sys

    playwright = pytest.importorskip("playwright.sync_api")
    url, proc = start_app(small_settings, tmp_path, {"RZ_FAKE_REPORT": json.dumps(fake_report())},
                          command=[sys.executable, "-c", FAKE_EVAL])
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
            for width, height, mobile in ((1400, 1000, False), (390, 844, True)):
                page = browser.new_context(viewport={"width": width, "height": height}, is_mobile=mobile).new_page()
                page.goto(url)
                page.wait_for_selector("#rz-question textarea", timeout=60000)
                if mobile:
                    page.click(".overflow-menu button")  # on a phone the tab is behind ⋯
                    page.locator("button", has_text="评估").last.click()
                else:
                    page.get_by_role("tab", name="评估").click()
                page.click("#rz-eval")
                page.wait_for_selector("#rz-eval-chart .rz-chart-split", timeout=60000)
                panels = page.locator("#rz-eval-chart .rz-chart-split")
                assert panels.count() == 9
                found = page.evaluate("""() => {
                    const panels = [...document.querySelectorAll('#rz-eval-chart .rz-chart-split')];
                    const texts = [...document.querySelectorAll('#rz-eval-chart .rz-chart-label, #rz-eval-chart .rz-chart-value, #rz-eval-chart figcaption')];
                    const covered = panels.map(p => p.querySelector('figcaption')).filter(c => {
                        c.scrollIntoView({block: 'center'});
                        const r = c.getBoundingClientRect();
                        const at = document.elementFromPoint(r.left + 4, r.top + r.height / 2);
                        return !(at && c.contains(at));
                    }).length;
                    return {widths: panels.map(p => p.getBoundingClientRect().width),
                            heights: panels.map(p => p.getBoundingClientRect().height),
                            smallest: Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize))),
                            clipped: texts.filter(t => t.scrollWidth > t.clientWidth + 1).map(t => t.innerText),
                            covered, page: document.documentElement.scrollWidth};
                }""")
                assert min(found["widths"]) >= (300 if mobile else 280), found
                assert min(found["heights"]) >= 150, found  # a readable panel, not a 76 px strip
                assert found["smallest"] >= 12 and found["clipped"] == [] and found["covered"] == 0, found
                assert found["page"] <= width, found  # nothing wider than the screen
                chart = page.inner_text("#rz-eval-chart")
                assert "首位命中 hit@1" in chart and "0.620" in chart and "test2（82 题）" in chart and "—" in chart
                page.screenshot(path=str(tmp_path / f"eval-{width}.png"), full_page=True)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
