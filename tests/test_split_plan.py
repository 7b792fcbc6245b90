from pathlib import Path

from rongzhi.ingest.manifest import PLAN_DOC_ID
from rongzhi.core.settings import REPO_ROOT
from rongzhi.ingest.split_plan import split_plan

PLAN = REPO_ROOT / "corpus" / "plan.zh-Hant.txt"
DOC = {"doc_id": PLAN_DOC_ID, "title": "福州市国家知识产权强市建设示范城市工作方案", "kind": "地方工作方案"}
SECTIONS = {1: "一", 2: "一", 3: "一", 4: "二", 5: "二", 6: "二", 7: "二", 8: "三", 9: "三", 10: "三", 11: "三",
            12: "四", 13: "四", 14: "四", 15: "五", 16: "五", 17: "五", 18: "六", 19: "六", 20: "六", 21: "七", 22: "七"}


def chunks():
    text = PLAN.read_text(encoding="utf-8")
    return text, split_plan(text, DOC, str(PLAN))


def test_plan_is_byte_identical_to_the_supplied_seed():
    seed = REPO_ROOT.parent / "shared" / "seeds" / "plan.zh-Hant.txt"
    if seed.exists():
        assert PLAN.read_bytes() == seed.read_bytes()


def test_22_tasks_with_their_sections_and_titles():
    _, cs = chunks()
    tasks = {c.locator: c for c in cs if c.locator.startswith("任务")}
    assert sorted(tasks, key=lambda l: int(l[2:])) == [f"任务{n}" for n in range(1, 23)]
    for n, section in SECTIONS.items():
        chunk = tasks[f"任务{n}"]
        assert chunk.section_path[0].startswith(f"({section})"), (n, chunk.section_path)
        assert chunk.heading and chunk.text.startswith(chunk.heading)
    assert tasks["任务19"].heading == "推動榕台智慧財產權協同發展"
    assert "專利代理師考試" in tasks["任务19"].text
    assert "RCEP" in tasks["任务20"].text


def test_targets_and_validity_chunks():
    _, cs = chunks()
    targets = [c for c in cs if c.locator == "主要目标"]
    assert len(targets) == 2
    assert "到2025年6月" in targets[0].text and "至2025年末" in targets[1].text
    for figure in ("10件", "40萬件", "32件", "300家", "200項", "1000人", "100家"):
        assert figure in targets[1].text
    validity = [c for c in cs if c.locator == "施行与有效期"]
    assert len(validity) == 1 and "有效期至2025年6月30日" in validity[0].text


def test_offsets_point_at_original_text_and_boilerplate_is_dropped():
    text, cs = chunks()
    for c in cs:
        assert text[c.start:c.end] == c.text
        for junk in ("相關詞條", "熱門詞條", "聯絡我們", "基本介紹", "中文名"):
            assert junk not in c.text
    assert len({c.chunk_id for c in cs}) == len(cs)


def test_normalized_text_is_simplified_mainland_wording():
    _, cs = chunks()
    task1 = next(c for c in cs if c.locator == "任务1")
    assert "知识产权专项资金管理办法" in task1.norm
    assert "鼓励集成电路布图设计专有权申请" in task1.norm
