"""The web UI in a real browser: Debian's chromium driven by Playwright, against the app
started on a free loopback port over a private corpus (plan + three laws).

Tests that only read what the app serves share one app (``shared_ui`` in tests/conftest.py), each
in a browser of its own; a test that changes it (an upload) or needs other settings starts its own."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [pytest.mark.ui, pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed")]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(small_settings, tmp_path, extra_env=None, command=None):
    """The app on a free port; ``command``: how to start it instead of ``python ui.py`` (it gets --port N)."""
    from rongzhi.index.build import ingest

    ingest(small_settings, quiet=True)
    port = free_port()
    env = {**os.environ, "RONGZHI_DATA_DIR": str(small_settings.data_dir), "RONGZHI_LAW_DIR": str(small_settings.law_dir),
           **(extra_env or {})}
    log = open(tmp_path / "ui.log", "w")
    proc = subprocess.Popen([*(command or [sys.executable, str(Path(__file__).parent.parent / "ui.py")]), "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(120):
        try:
            urllib.request.urlopen(url, timeout=1)
            break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError((tmp_path / "ui.log").read_text())
            time.sleep(0.5)
    return url, proc


def stop_app(proc) -> None:
    proc.terminate()
    proc.wait(timeout=20)


@dataclass
class UiApp:
    """An app several tests share (``small_ui`` in tests/conftest.py, ``full_ui``)."""
    url: str
    log: Path  # what it printed (stdout and stderr)
    settings: object  # its Settings


def serving(settings) -> str | None:
    """Which index generation an app over ``settings`` answers from: an upload, or an ingest by
    another process, publishes a new one (the UI reopens on it, ``ui.Backend``)."""
    from rongzhi.index.store import current_generation

    gen = current_generation(settings.data_dir)
    return gen.name if gen else None


def shared_app(settings, root: Path):
    """A generator fixture's body: one app over ``settings`` (log in ``root``), stopped after its last test."""
    url, proc = start_app(settings, root)
    yield UiApp(url, root / "ui.log", settings)
    stop_app(proc)


@contextmanager
def index_unchanged(app: UiApp):
    """Around one test on a shared app: it must leave the index the app serves as it found it (a
    test that uploads or re-ingests must start its own app, or the next test would see its state)."""
    before = serving(app.settings)
    yield
    assert serving(app.settings) == before, "a test changed the shared UI's index: it must start its own app (start_app)"


@pytest.fixture
def page(shared_ui):
    """A new browser on the app the read-only tests share."""
    yield from open_page(shared_ui.url)


@pytest.fixture
def own_page(small_settings, tmp_path):
    """A browser on an app of the test's own, over ``small_settings``: for a test that changes what
    the app serves."""
    url, proc = start_app(small_settings, tmp_path)
    try:
        yield from open_page(url)
    finally:
        stop_app(proc)


def open_filters(page) -> None:
    """Open the 筛选与显示 accordion (its name also appears, hidden, in the no-types notice) and
    wait for its controls: gradio renders a closed accordion's content only when it is opened, so
    a test that counted the type boxes at once could find none (the CI failure at 62ff328)."""
    page.click("text=筛选与显示 >> visible=true")
    page.locator("#rz-kinds input[type=checkbox]").last.wait_for(state="visible", timeout=30000)


def open_page(app_url):
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.external = []
        page.on("request", lambda r: page.external.append(r.url)
                if not r.url.startswith(("http://127.0.0.1", "data:", "blob:", "ws://127.0.0.1")) else None)
        page.goto(app_url)
        page.wait_for_selector("#rz-question textarea", timeout=60000)
        yield page
        browser.close()


def ask(page, question):
    """Ask and wait for the answer itself (a progress line shows first)."""
    before = page.locator("#rz-chat .rz-answer").count()
    page.fill("#rz-question textarea", question)
    page.click("#rz-send")
    page.wait_for_function(f"document.querySelectorAll('#rz-chat .rz-answer').length > {before}", timeout=60000)
    page.wait_for_timeout(300)


def test_chat_answers_with_citations_and_sources(page, tmp_path):
    ask(page, "台湾同胞来福州参加专利代理师考试有什么便利？")
    page.wait_for_selector("#rz-sources .rz-source", timeout=60000)
    chat = page.inner_text("#rz-chat")
    assert "专利代理师考试" in chat and "[1]" in chat and "重点任务第19项" in chat
    sources = page.inner_text("#rz-sources")
    assert "《福州市国家知识产权强市建设示范城市工作方案》任务19" in sources and "2022-09" in sources
    assert page.locator("#rz-sources mark").count() >= 1
    page.click("#rz-chat a.rz-cite >> nth=0")
    assert page.evaluate("location.hash") == "#rz-src-1-1"  # answer 1, source 1
    page.screenshot(path=str(tmp_path / "chat.png"))
    # A Traditional question gets a Traditional answer.
    ask(page, "台灣同胞來福州參加專利代理師考試有什麼便利？")
    last = page.locator("#rz-chat .message").last.inner_text()
    assert "專利代理師考試" in last and "根據" in last
    # A question the corpus cannot answer looks different.
    ask(page, "今天福州天气怎么样？")
    assert page.locator("#rz-chat .rz-declined").count() >= 1
    assert page.external == []  # nothing fetched from outside the machine


def test_copy_buttons_copy_the_text_shown_not_its_markup(page):
    """Session 35's UI sweep (D-07): 「复制这条消息」 and 「复制整个对话」 put the chat's HTML on the clipboard
    (<div class="rz-answer" …><a class="rz-cite" …>); a user pasting into a document got markup."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    ask(page, "台湾同胞来福州参加专利代理师考试有什么便利？")
    shown = page.locator("#rz-chat .rz-answer").last.inner_text().strip()
    page.locator("#rz-chat button[aria-label='复制这条消息']").last.click()
    page.wait_for_timeout(600)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == shown and "<div" not in copied and "[1]" in copied
    page.locator("#rz-chat button[aria-label='复制整个对话']").click()
    page.wait_for_timeout(600)
    everything = page.evaluate("navigator.clipboard.readText()")
    assert everything.startswith("问题：台湾同胞来福州参加专利代理师考试有什么便利？\n\n回答：") and "<a " not in everything


def test_taiwan_tab_and_task_table(page):
    page.get_by_role("tab", name="台灣專業人士").click()
    page.fill("#rz-tw-question textarea", "台灣同胞來福州參加專利代理師考試有什麼便利？")
    page.click("#rz-tw-send")
    page.wait_for_selector("#rz-tw-sources .rz-source", timeout=60000)
    assert "專利代理師考試" in page.inner_text("#rz-tw-chat .rz-answer")
    page.click("#rz-tw-chat a.rz-cite >> nth=0")  # its own sources, not the chat's panel
    assert page.locator("#rz-tw-sources .rz-focus").count() == 1 and page.locator("#rz-sources .rz-focus").count() == 0
    page.get_by_role("tab", name="公务员").click()
    page.fill("#rz-task-search textarea", "仲裁")
    page.wait_for_timeout(1500)
    table = page.inner_text("#rz-tasks")
    # Bodies are named as the plan's text writes them (Taiwan wording, Simplified characters; report s29) …
    assert "任务10" in table and "福州智慧财产权仲裁中心" in table and "任务19" not in table
    page.fill("#rz-task-search textarea", "福州知识产权仲裁中心")  # … and found by the mainland name too
    page.wait_for_timeout(1500)
    assert "任务10" in page.inner_text("#rz-tasks")


def test_upload_a_document(own_page, tmp_path):
    page = own_page
    doc = tmp_path / "测试通知.txt"
    doc.write_bytes("福州市知识产权测试通知（测试夹具）\n第一条 本通知仅用于界面测试。\n第二条 测试条文二。\n".encode("gbk"))
    page.get_by_role("tab", name="语料").click()
    page.set_input_files("#rz-upload input[type=file]", str(doc))
    page.wait_for_timeout(1000)
    page.click("#rz-add")
    page.wait_for_function("document.querySelector('#rz-add-status').innerText.includes('已添加')", timeout=120000)
    assert "2 块" in page.inner_text("#rz-add-status")
    assert "福州市知识产权测试通知" in page.inner_text("#rz-docs")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02 binary")
    page.set_input_files("#rz-upload input[type=file]", str(bad))
    page.wait_for_timeout(1000)
    page.click("#rz-add")
    page.wait_for_function("document.querySelector('#rz-add-status').innerText.includes('未添加')", timeout=60000)
    page.screenshot(path=str(tmp_path / "corpus.png"))


def visible_sources(page):
    return page.inner_text("#rz-sources .rz-turn.rz-active")


def test_citation_links_stay_with_their_answer_and_chat_scrolls(page, shared_ui):
    """Issue #14: [1] in an earlier answer opened the latest answer's source."""
    assert "http://127.0.0.1:" in shared_ui.log.read_text()  # the URL is printed at start
    ask(page, "台湾同胞来福州参加专利代理师考试有什么便利？")
    ask(page, "台湾同胞投资者的投资会被征收吗？")
    assert "台湾同胞投资保护法" in visible_sources(page) and "任务19" not in visible_sources(page)
    # The new answer is scrolled into view inside the chat.
    in_view = page.evaluate("""() => { const c = document.getElementById('rz-chat').getBoundingClientRect();
        const a = [...document.querySelectorAll('#rz-chat .rz-answer')].pop().getBoundingClientRect();
        return a.top >= c.top - 1 && a.top < c.bottom; }""")
    assert in_view
    page.click("#rz-chat a.rz-cite[data-turn='1'] >> nth=0")
    page.wait_for_timeout(300)
    shown = visible_sources(page)
    assert "任务19" in shown and "台湾同胞投资保护法" not in shown
    assert page.locator("#rz-sources .rz-focus").count() == 1
    assert page.locator("#rz-sources .rz-focus").get_attribute("id") == "rz-src-1-1"
    page.click("#rz-chat a.rz-cite[data-turn='2'] >> nth=0")
    page.wait_for_timeout(300)
    assert "台湾同胞投资保护法" in visible_sources(page)
    assert page.locator("#rz-sources .rz-focus").get_attribute("id") == "rz-src-2-1"
    # A third answer starts without any focus border carried over.
    ask(page, "方案任务7")
    assert page.locator("#rz-sources .rz-focus").count() == 0 and "任务7" in visible_sources(page)


def test_task_search_detail_and_corpus_columns(page):
    page.get_by_role("tab", name="公务员").click()
    for word, task in (("台湾", "任务19"), ("质押", "任务7")):
        page.fill("#rz-task-search textarea", word)
        page.wait_for_timeout(1500)
        assert task in page.inner_text("#rz-tasks"), word
    page.get_by_role("button", name="查看任务").click()
    page.wait_for_timeout(800)
    assert page.locator(".prose li, li").filter(has_text="专利代理师考试").count() >= 1  # a list, not one paragraph
    # No cell of the bodies column is cut off.
    page.fill("#rz-task-search textarea", "")
    page.wait_for_timeout(1500)
    cut = page.evaluate("""() => [...document.querySelectorAll('#rz-tasks td')].filter(td =>
        td.innerText.trim() && td.scrollWidth > td.clientWidth + 2).map(td => td.innerText)""")
    assert cut == []
    bodies = page.locator("#rz-tasks th").filter(has_text="文中提到的机构").first.bounding_box()
    assert bodies and bodies["x"] + bodies["width"] <= page.viewport_size["width"]
    page.get_by_role("tab", name="语料").click()
    page.wait_for_timeout(1000)
    header = page.locator("#rz-docs th").filter(has_text="状态").first.bounding_box()
    assert header and header["x"] + header["width"] <= page.viewport_size["width"]
    assert "未加载" in page.inner_text("#rz-docs")


def test_measures_tab_points_to_the_upload(page):
    page.get_by_role("tab", name="企业").click()
    page.get_by_label("质押融资").check()
    page.click("#rz-find")
    page.wait_for_selector("#rz-measures-notice", timeout=60000)
    notice = page.inner_text("#rz-measures-notice")
    assert "语料" in notice and "`" not in notice and "rongzhi corpus add" not in notice
    assert "任务7" in page.inner_text("#rz-measures") and "质押融资" in page.inner_text("#rz-measures .rz-reason")
    # The plan's own term has ended (as of the tests' day, 2026-11-25): said beside the measures from it.
    assert "有效期至 2025-06-30" in page.inner_text("#rz-plan-status")
    # The chat's measures-not-loaded answer points to the same upload, without backticks.
    page.get_by_role("tab", name="问答").click()
    ask(page, "申请福州市知识产权专项资金补助需要什么条件？")
    answer = page.locator("#rz-chat .rz-answer").last.inner_text()
    assert "尚未加载" in answer and "语料" in answer and "`" not in answer


def test_progress_while_an_llm_answer_is_verified(small_settings, tmp_path):
    """With the LLM ticked, the extractive answer shows at once with a progress note while the
    model's rewrite is checked, then the verified rewrite replaces it."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class SlowLLM(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            time.sleep(4)  # long enough for the browser to see the progress note
            reply = "台湾同胞来福州参加专利代理师考试，方案要求提供细致服务和便利[1]。"
            data = json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": "m",
                               "choices": [{"index": 0, "finish_reason": "stop",
                                            "message": {"role": "assistant", "content": reply}}]},
                              ensure_ascii=False).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowLLM)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url, proc = start_app(small_settings, tmp_path, {"RONGZHI_LLM_BASE_URL": f"http://127.0.0.1:{server.server_address[1]}/v1",
                                                     "RONGZHI_LLM_MODEL": "slow"})
    try:
        for page in open_page(url):
            open_filters(page)
            page.get_by_label("使用大模型改写", exact=False).check()
            page.fill("#rz-question textarea", "台湾同胞来福州参加专利代理师考试有什么便利？")
            page.click("#rz-send")
            page.wait_for_selector("#rz-chat .rz-pending:has-text('核验')", timeout=60000)
            assert "专利代理师考试" in page.inner_text("#rz-chat .rz-answer")  # extractive answer already shown
            page.wait_for_function("!document.querySelector('#rz-chat .rz-pending')", timeout=60000)
            assert "方案要求提供细致服务和便利" in page.inner_text("#rz-chat")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        server.shutdown()
