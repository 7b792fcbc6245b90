"""The UI's law-version features in a real browser (issue #11): the as-of date setting in the chat
and the 版本对照 tab. Needs the full index (two versions of the trademark law)."""
import pytest

from .test_ui import CHROMIUM, ask, open_page, start_app

pytestmark = [pytest.mark.ui, pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed")]


@pytest.fixture
def full_page(full_settings, tmp_path):
    url, proc = start_app(full_settings, tmp_path)
    try:
        yield from open_page(url)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_as_of_setting_and_version_diff_tab(full_page):
    page = full_page
    page.click("text=筛选与显示")
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
    page.wait_for_function("document.querySelector('#rz-chat').innerText.includes('YYYY-MM-DD')", timeout=60000)

    page.click("button[role=tab]:has-text('版本对照')")
    page.click("#rz-diff-law input")
    page.click("[role=option]:has-text('中华人民共和国商标法')")
    page.click("#rz-diff-run")
    page.wait_for_selector("#rz-diff .rz-source", timeout=60000)
    text = page.inner_text("#rz-diff")
    assert "2019-04-23 版" in text and "2026-06-26 版" in text and "原第六十三条 → 新第七十七条" in text
    assert page.locator("#rz-diff del").count() > 10 and page.locator("#rz-diff ins").count() > 10
    assert page.external == []
