"""Answers that follow the statute's own links: the article punishing the one found (assistant/penalties.py),
and the plan's task for Taiwan compatriots beside the law."""
import pytest

from rongzhi.assistant.penalties import referring_part, references
from rongzhi.core.chunks import Chunk


def _chunk(locator, text, part=1, doc="law@1"):
    return Chunk(doc_id=doc, title="法", kind="法律", locator=locator, text=text, start=0, end=len(text),
                 source_path="law.md", part=part)


def test_references_read_every_article_a_penalty_names_and_only_those():
    chunks = [
        _chunk("第十条", "经营者不得实施下列侵犯商业秘密的行为：……"),
        _chunk("第二十六条", "第二十六条 经营者以及其他自然人、法人和非法人组织违反本法第十条规定侵犯商业秘密的，"
                            "由监督检查部门责令停止违法行为，没收违法所得，处十万元以上一百万元以下的罚款。"),
        _chunk("第四十五条", "第四十五条 已经注册的商标，违反本法第十三条第二款和第三款、第十五条、第十六条第一款规定的，"
                            "自商标注册之日起五年内，在先权利人可以请求宣告该注册商标无效。"),
        _chunk("第九条", "第九条 参照本法第十条的规定。", doc="other@1"),  # no 违反: not a penalty reference
    ]
    refs = references(chunks)
    assert refs[("law@1", "第十条")] == [("law@1", "第二十六条")]
    assert refs[("law@1", "第十三条")] == refs[("law@1", "第十五条")] == refs[("law@1", "第十六条")] == [("law@1", "第四十五条")]
    assert ("other@1", "第十条") not in refs and ("law@1", "第二款") not in refs
    assert referring_part(chunks[1:2], "第十条") is chunks[1]
    assert referring_part(chunks[1:2], "第七条") is None


@pytest.mark.slow
def test_how_a_broken_rule_is_punished_is_answered_by_the_penalty_article(assistant):
    """The search finds the rule (第十二条, 编造、传播虚假信息); the statute's 第二十八条 punishes it by number."""
    result = assistant.ask("竞争对手编造虚假信息损害我们的商品声誉，怎么处罚？")
    cited = [(c["title"], c["locator"]) for c in result["citations"]]
    assert cited[0] == ("中华人民共和国反不正当竞争法", "第二十八条")
    assert ("中华人民共和国反不正当竞争法", "第十二条") in cited
    assert "罚款" in result["citations"][0]["quote"]
    assert result["retrieved"][0]["locator"] == "第二十八条"  # the ranking evals score says the same
    # A question that asks for no consequence keeps the rule first.
    rule = assistant.ask("竞争对手编造虚假信息损害我们的商品声誉，这算不正当竞争吗？")
    assert rule["citations"][0]["locator"] != "第二十八条"


@pytest.mark.slow
def test_a_taiwan_question_answered_by_law_also_cites_the_plan_task_for_taiwan_compatriots(assistant):
    """The UI sweep (session 23): only 专利代理条例第十条 was cited; the plan's task 19 says what Fuzhou offers."""
    result = assistant.ask("台湾居民可以参加专利代理师资格考试吗")
    cited = [(c["title"], c["locator"]) for c in result["citations"]]
    assert cited[:2] == [("专利代理条例", "第十条"), ("福州市国家知识产权强市建设示范城市工作方案", "任务19")]
    plain = assistant.ask("大学理工科毕业可以参加专利代理师资格考试吗")  # no Taiwan: the law alone
    assert "任务19" not in [c["locator"] for c in plain["citations"]]
