"""Answers that follow the statute's own links: the article punishing the one found (assistant/penalties.py),
the parent law's article an implementing article details (assistant/implements.py), and the plan's task for
Taiwan compatriots beside the law."""
import pytest

from rongzhi.assistant.implements import parent_articles, parent_title
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
def test_an_amount_another_law_s_article_is_referred_to_for_is_answered_by_that_article(assistant):
    """Session 43's sweep (XR): 商标民事解释第二十一条 states no amount; 「罚款数额可以参照商标法第六十条第二款的有关规定确定」. Asked
    how much, 商标法第六十条 (违法经营额五倍以下 / 二十五万元以下) answers first, the interpretation beside it."""
    result = assistant.ask("法院审商标侵权案子时能对侵权人罚款吗，罚多少？")
    cited = [(c["title"], c["locator"]) for c in result["citations"]]
    assert cited[0] == ("中华人民共和国商标法", "第六十条")
    assert ("最高人民法院关于审理商标民事纠纷案件适用法律若干问题的解释", "第二十一条") in cited
    assert "二十五万元以下的罚款" in result["answer"].split("来源：")[0]


@pytest.mark.slow
def test_a_taiwan_question_answered_by_law_also_cites_the_plan_task_for_taiwan_compatriots(assistant):
    """The UI sweep (session 23): only 专利代理条例第十条 was cited; the plan's task 19 says what Fuzhou offers."""
    result = assistant.ask("台湾居民可以参加专利代理师资格考试吗")
    cited = [(c["title"], c["locator"]) for c in result["citations"]]
    assert cited[:2] == [("专利代理条例", "第十条"), ("福州市国家知识产权强市建设示范城市工作方案", "任务19")]
    plain = assistant.ask("大学理工科毕业可以参加专利代理师资格考试吗")  # no Taiwan: the law alone
    assert "任务19" not in [c["locator"] for c in plain["citations"]]


def test_an_implementing_article_names_its_parents_articles_and_only_those():
    assert parent_title("中华人民共和国专利法实施细则") == "中华人民共和国专利法"
    assert parent_title("中华人民共和国商标法实施条例") == "中华人民共和国商标法"
    assert parent_title("中华人民共和国专利法") is None and parent_title("专利代理条例") is None
    parent = "中华人民共和国专利法"
    assert parent_articles("第十三条 专利法第六条所称执行本单位的任务……专利法第六条所称本单位", parent) == ["第六条"]
    assert parent_articles("依照专利法第二十二条第三款、第二十三条的规定，本细则第三十条另有规定", parent) == \
        ["第二十二条", "第二十三条"]
    assert parent_articles("依照《中华人民共和国专利法》第四十二条第三款的规定", parent) == ["第四十二条"]
    # Another text's articles, the implementing text's own, and the implementing text named in full are not the parent's.
    assert parent_articles("依照本细则第十条、民法典第一百二十三条和专利法实施细则第五条", parent) == []


@pytest.mark.slow
def test_an_implementing_article_that_leads_is_cited_with_the_article_of_its_law(assistant):
    """细则第十三条 says what an invention made on the job is (「专利法第六条所称…」); who owns it is 专利法第六条."""
    result = assistant.ask("员工执行公司任务搞出来的发明，专利归谁？")
    cited = [(c["title"], c["locator"], c["version_date"]) for c in result["citations"]]
    assert cited[0][:2] == ("中华人民共和国专利法实施细则", "第十三条")
    assert cited[1] == ("中华人民共和国专利法", "第六条", "2020-10-17")
    assert "申请专利的权利属于该单位" in result["answer"]
    # An implementing text older than its law's text in force names the older numbering: no such companion
    # (著作权法实施条例 of 2013 names the 2010 copyright law's articles; the loaded law is the 2020 text).
    result = assistant.ask("著作权法实施条例第十八条是怎么规定的？")
    assert [(c["title"], c["locator"]) for c in result["citations"]] == [("中华人民共和国著作权法实施条例", "第十八条")]


@pytest.mark.slow
def test_the_law_article_ranked_after_an_implementing_article_is_cited_beside_it(assistant):
    """Session 41 (TL): 「实用新型专利保护期多久」 led with 细则第五条 (how periods are counted) and quoted it alone; the term
    itself is 专利法第四十二条, which the search ranked next. The rule and its detail are cited together."""
    result = assistant.ask("实用新型专利保护期多久，从哪天开始算？")
    cited = [(c["title"], c["locator"]) for c in result["citations"]]
    assert cited[0][0] == "中华人民共和国专利法实施细则"
    assert ("中华人民共和国专利法", "第四十二条") in cited[:2]
    assert "实用新型专利权的期限为十年" in result["answer"]
    # A look-up of an implementing article is its text alone.
    result = assistant.ask("专利法实施细则第五条是怎么规定的？")
    assert [(c["title"], c["locator"]) for c in result["citations"]] == [("中华人民共和国专利法实施细则", "第五条")]
