"""The UI's law-version features in a real browser (issue #11): the as-of date setting in the chat
and the 版本对照 tab. Needs the full index (two versions of the trademark law)."""
import pytest

from .test_ui import CHROMIUM, ask, index_unchanged, open_filters, open_page, shared_app

pytestmark = [pytest.mark.ui, pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed")]


@pytest.fixture(scope="module")
def full_ui(full_settings, tmp_path_factory):
    """One app over the full index for this module's tests: both only read what it serves (the
    as-of date is a field of the page, per browser session)."""
    root = tmp_path_factory.mktemp("full-ui")
    yield from shared_app(full_settings, root)


@pytest.fixture
def full_page(full_ui):
    """A new browser on it, for a test that leaves what it serves as it found it (checked after)."""
    with index_unchanged(full_ui):
        yield from open_page(full_ui.url)


def test_as_of_setting_and_version_diff_tab(full_page):
    page = full_page
    open_filters(page)
    page.fill("#rz-as-of textarea", "2027-02-01")
    ask(page, "商标侵权赔偿怎么算")
    last = page.locator("#rz-chat .message").last.inner_text()
    assert "2026-06-26 版" in last and "第七十七条" in last
    assert "现行有效" in page.inner_text("#rz-sources")
    page.fill("#rz-as-of textarea", "2026-11-25")
    ask(page, "商标侵权赔偿怎么算")
    last = page.locator("#rz-chat .message").last.inner_text()
    assert "2019-04-23 版" in last and "版本提示" in last and "2027-01-01" in last
    assert "尚未施行" in page.inner_text("#rz-sources")  # the cited successor article is labelled
    page.fill("#rz-as-of textarea", "2027-13-01")
    page.fill("#rz-question textarea", "商标法第一条")
    page.click("#rz-send")
    # A bad date is explained under the question box, which keeps the question (report s23, D13).
    # 2027-13-01 is written right but is no day: said so (session 42), not called a format error.
    page.wait_for_function("document.querySelector('#rz-hint').innerText.includes('日期不存在')", timeout=60000)
    assert page.input_value("#rz-question textarea") == "商标法第一条"

    page.click("button[role=tab]:has-text('版本对照')")
    page.click("#rz-diff-law input")
    page.click("[role=option]:has-text('中华人民共和国商标法')")
    page.click("#rz-diff-run")
    page.wait_for_selector("#rz-diff .rz-source", timeout=60000)
    text = page.inner_text("#rz-diff")
    assert "2019-04-23 版" in text and "2026-06-26 版" in text and "原第六十三条 → 新第七十七条" in text
    assert page.locator("#rz-diff del").count() > 10 and page.locator("#rz-diff ins").count() > 10
    assert page.external == []


def test_corpus_tab_words_a_status_as_the_answers_do(full_page):
    """Report s23, D15: the 语料 tab said 已被取代 / 尚未施行 without dates while answers gave the
    dated status of the same document; both now come from the same description."""
    page = full_page
    ask(page, "2019年反不正当竞争法第九条")
    amended = "已被修订（2025-10-15 起由新版本取代）"
    assert amended in page.inner_text("#rz-sources")
    page.click("button[role=tab]:has-text('语料')")
    page.wait_for_timeout(1000)
    rows = table_rows(page, "#rz-docs")

    def status_of(title: str, version: str) -> str:
        return next(r[1] for r in rows if r[0] == title and r[4] == version)

    assert amended in status_of("中华人民共和国反不正当竞争法", "2019-04-23")
    assert "尚未施行（2027-01-01 起施行）" in status_of("中华人民共和国商标法", "2026-06-26")
    assert "已失效（2025-06-01 起由《中华人民共和国植物新品种保护条例》（2025 年修订" in \
        status_of("中华人民共和国植物新品种保护条例", "2014-07-29")
    assert not any(r[1] == "已被取代" for r in rows)


def table_rows(page, table: str) -> list[list[str]]:
    """Every row of a gradio Dataframe, scrolled through: it only renders the rows in view."""
    rows: dict[int, list[str]] = {}
    viewport = page.locator(f"{table} .virtual-table-viewport")
    for _ in range(200):
        for row, cells in page.evaluate(f"""() => {{
                const rows = {{}};
                document.querySelectorAll('{table} [role=gridcell][data-row]').forEach(c => {{
                    (rows[c.dataset.row] = rows[c.dataset.row] || [])[+c.dataset.col] = c.innerText.trim(); }});
                return Object.entries(rows); }}"""):
            rows[int(row)] = cells
        at_end = viewport.evaluate("v => v.scrollTop + v.clientHeight >= v.scrollHeight - 2")
        if at_end:
            break
        viewport.evaluate("v => { v.scrollTop += v.clientHeight / 2; }")
        page.wait_for_timeout(150)
    return [rows[k] for k in sorted(rows)]
