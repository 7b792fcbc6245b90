import re

import pytest

from rongzhi.core.numerals import cn_to_int
from rongzhi.ingest.split_law import INFO_END, split_law

from .conftest import LAW_DIR, law_manifest

KNOWN_COUNTS = {"专利法(2020-10-17).md": 82, "商标法(2019-04-23).md": 73, "著作权法(2020-11-11).md": 67,
                "反不正当竞争法(2019-04-23).md": 33, "电子商务法(2018-08-31).md": 89, "民法典总则编(2020-05-28).md": 204,
                "专利法实施细则(2023-12-11).md": 149, "专利代理条例(2018-11-06).md": 32,
                # Revised versions beside the old ones (issue #11); renumbered, so counts differ.
                "商标法(2026-06-26).md": 87, "反不正当竞争法(2025-06-27).md": 41, "仲裁法(2025-09-12).md": 96,
                "仲裁法(2017-09-01).md": 80}

pytestmark = pytest.mark.skipif(not LAW_DIR.is_dir(), reason="law directory not available")


def split(name, max_chars=400):
    text = (LAW_DIR / name).read_text(encoding="utf-8")
    return text, split_law(text, {"doc_id": name, "title": name, "kind": "法律"}, name, max_chars=max_chars)


def test_the_manifest_lists_all_39_law_files():
    rows = law_manifest()
    assert len(rows) == 39 and {r["file"] for r in rows} == {p.name for p in LAW_DIR.glob("*.md")}
    assert all("effective_date" in r for r in rows)


@pytest.mark.parametrize("row", law_manifest(), ids=lambda r: r["file"][:12])
def test_every_article_of_every_law_is_one_locator(row):
    text, chunks = split(row["file"])
    body = text.split(INFO_END, 1)[1]
    expected = re.findall(r"^第([一二三四五六七八九十百千零〇]+)条", body, flags=re.M)
    locators = list(dict.fromkeys(c.locator for c in chunks))
    assert len(locators) == len(expected) > 0
    assert [cn_to_int(l[1:-1]) for l in locators] == list(range(1, len(expected) + 1))
    for c in chunks:
        assert text[c.start:c.end] == c.text
        assert c.text.strip()
    if row["file"] in KNOWN_COUNTS:
        assert len(locators) == KNOWN_COUNTS[row["file"]]


def test_section_path_and_long_articles():
    _, chunks = split("专利法(2020-10-17).md")
    art42 = [c for c in chunks if c.locator == "第四十二条"]
    assert art42[0].section_path == ["第五章 专利权的期限、终止和无效"]
    assert art42[0].text.startswith("第四十二条 发明专利权的期限为二十年")
    _, civil = split("民法典总则编(2020-05-28).md")
    art27 = next(c for c in civil if c.locator == "第二十七条")
    assert art27.section_path == ["第二章 自然人", "第二节 监护"]
    text, trademark = split("商标法(2019-04-23).md")
    parts = [c for c in trademark if c.locator == "第六十三条"]
    assert len(parts) > 1 and [p.part for p in parts] == list(range(1, len(parts) + 1))
    assert all(len(p.text) <= 400 for p in parts)
    # The parts cover the whole article, in order, without overlap.
    assert parts[0].text.startswith("第六十三条")
    assert all(a.end <= b.start for a, b in zip(parts, parts[1:]))


SENTENCE = "申请人应当按照本办法的规定提交材料，并对材料的真实性负责。"  # 29 characters


def test_a_long_clause_without_items_is_cut_at_sentence_ends():
    # A user-added measure whose 第三条 is one 款 of 1,450 characters with no （一）（二）: it was one
    # chunk, so answers quoting it dragged the whole clause along and its embedding saw the first part only.
    text = f"第一条 本办法用于测试。\n第三条 {SENTENCE * 50}\n第四条 短条。\n"
    chunks = split_law(text, {"doc_id": "m", "title": "测试办法", "kind": "其他"}, "m.txt")
    parts = [c for c in chunks if c.locator == "第三条"]
    assert len(parts) == 4 and [p.part for p in parts] == [1, 2, 3, 4]
    assert all(len(p.text) <= 400 and p.text.endswith("。") for p in parts)  # whole sentences
    assert "".join(p.text for p in parts).replace("第三条 ", "") == SENTENCE * 50  # nothing lost
    assert [c.locator for c in chunks if c.part == 0] == ["第一条", "第四条"]


def test_a_pasted_page_on_one_line_becomes_many_paragraph_chunks():
    from rongzhi.ingest.splitters import split_paragraphs

    line = "".join(f"第{i}句说的是资助标准{i}元" + ("。" if i % 3 else "，") for i in range(1, 20001))
    chunks = split_paragraphs("标题\n" + line + "\n尾注。", {"doc_id": "p", "title": "页", "kind": "其他"}, "p.txt")
    assert len(line) > 300_000 and len(chunks) > 750
    assert [c.locator for c in chunks[:3]] == ["第1段", "第2段", "第3段"] and len({c.locator for c in chunks}) == len(chunks)
    assert max(len(c.text) for c in chunks[1:-1]) <= 400 and all(c.text.endswith("。") for c in chunks[1:-1])
    assert chunks[-1].text == "尾注。" and "第20000句说的是资助标准20000元" in chunks[-2].text
