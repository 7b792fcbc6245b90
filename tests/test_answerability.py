"""The answerability check on the real index (issue #10): questions about law RongZhi does not hold
are declined or hedged, never answered with a wrong article presented as *the* answer; questions
it does hold are answered as before."""
import pytest

from rongzhi.assistant import answerability
from rongzhi.assistant.compose import HEDGE_HEADER
from rongzhi.assistant.service import Assistant

pytestmark = pytest.mark.slow

# Everyday questions about company, tort, administrative and property law: the corpus is IP law and Fuzhou's plan.
# (Family, labour, lending and traffic questions are declined by topic before any search: see the last test.)
OUTSIDE = ["公司股东想退股，能要回出资吗？", "被邻居家的狗咬了，主人要赔偿吗？", "工厂排污被环保局罚款，能申请行政复议吗？",
           "小区业主委员会怎么成立？"]
# The check's earlier questions, now in topics of data/off_topic.tsv (evals/DECISIONS.md, session 25, O).
BY_TOPIC = [("离婚后孩子抚养费怎么算？", "婚姻家庭和继承"), ("公司不续签劳动合同，要给我经济补偿吗？", "劳动用工"),
            ("借钱给朋友没打借条，还能要回来吗？", "借贷和债务"), ("交通事故对方全责，我能要求赔偿哪些损失？", "交通事故和交通违法")]


def shown_as_the_answer(result) -> bool:
    return result["answerable"] and not result.get("hedged") and not result.get("close_call")


@pytest.mark.parametrize("question", OUTSIDE)
def test_questions_outside_the_corpus_are_not_answered_with_an_ip_article(assistant, question):
    result = assistant.ask(question)
    assert not shown_as_the_answer(result), result["answer"]
    assert result["answerability"] < assistant.answerability.hedge
    if result["answerable"]:  # hedged: the closest provisions under a warning, as 相关条文
        assert result["answer"].startswith(HEDGE_HEADER["zh"]) and "相关条文" in result["answer"]
    else:
        assert result["citations"] == [] and result["notice"] == "not_covered"


def test_the_check_is_what_turns_them_away(full_settings, assistant):
    """Without the check, the shareholder question is answered with an article of the loaded texts
    presented as the answer."""
    unchecked = Assistant(full_settings.with_(answerability="off"))
    result = unchecked.ask(OUTSIDE[0])
    assert shown_as_the_answer(result) and "answerability" not in result


def test_a_question_the_corpus_answers_plainly_is_answered(assistant):
    result = assistant.ask("发明专利的保护期是多少年？")
    assert shown_as_the_answer(result) and result["answerability"] >= assistant.answerability.hedge
    assert (result["citations"][0]["title"], result["citations"][0]["locator"]) == ("中华人民共和国专利法", "第四十二条")


@pytest.mark.parametrize("question,title,locator", [
    # A known regression from session 13 to 24 (第三十二条 ranked 4th); quoted again since 抢注 reads as 抢先注册
    # (lay_terms, rule Q of session 25).
    ("商标被别人抢注了怎么办？", "中华人民共和国商标法", "第三十二条"),
    ("别人抄袭我的文章，要赔多少钱？", "中华人民共和国著作权法", "第五十四条"),
])
def test_doubtful_questions_the_corpus_answers_still_show_the_article(assistant, question, title, locator):
    """Everyday wording far from the statute's may be hedged (a known cost of the check), but the
    article that answers is still quoted, never declined."""
    result = assistant.ask(question)
    assert result["answerable"]
    assert (title, locator) in [(c["title"], c["locator"]) for c in result["citations"]]


def test_an_on_topic_question_no_text_answers_is_hedged_not_answered(full_settings, assistant, tmp_path, monkeypatch):
    """The loaded texts say when patent annual fees are paid (专利法实施细则) but not what they cost.
    The check alone presented a fee provision as the answer; the second look at on-topic questions
    (answerability.py ``on_topic``) shows the closest provisions as 相关条文 under the warning line.
    (A dev question, d503. Until session 13 this test asked 「专利权质押贷款利率是多少？」; the
    fine-tuned default's first check already hedges that one on its own.) Since session 25 the topic
    table declines fee amounts before any search (rule C); the second look is tested here with that
    earlier stage set aside, as it still decides every on-topic question no row catches."""
    import json

    from rongzhi.assistant import service

    question = "发明专利第6年的年费多少钱啊，财务要做预算"
    assert service.off_topic(question).topic_zh == "费用和价格"  # what users get: declined by topic
    monkeypatch.setattr(service, "off_topic", lambda text: None)
    result = assistant.ask(question)
    assert result["answerable"] and result["hedged"] and result["answer"].startswith(HEDGE_HEADER["zh"])
    assert result["answerability"] >= assistant.answerability.hedge  # the first check would have answered
    assert result["on_topic"] < assistant.answerability.on_topic["hedge_below"]
    assert "相关条文" in result["answer"] and any("年费" in c["quote"] for c in result["citations"])
    shipped = json.loads(answerability.model_path(assistant.embedder.family).read_text(encoding="utf-8"))
    first_only = tmp_path / "check-only.json"
    first_only.write_text(json.dumps({k: v for k, v in shipped.items() if k != "on_topic"}), encoding="utf-8")
    unchecked = Assistant(full_settings.with_(answerability=f"learned:{first_only}"))
    assert shown_as_the_answer(unchecked.ask(question))


@pytest.mark.parametrize("question,topic", BY_TOPIC)
def test_everyday_law_outside_ip_is_declined_and_named(assistant, question, topic):
    """Declined before any search, saying what field the question is in and how to ask an IP question."""
    result = assistant.ask(question)
    assert not result["answerable"] and result["citations"] == [] and result["notice"] == "out_of_scope"
    assert result["answer"].startswith(f"这是{topic}方面的问题，不在榕知收录的范围内") and "商业秘密" in result["answer"]



def test_taiwan_compatriots_are_not_answered_with_the_article_on_foreigners(assistant):
    """商标法第十七条 is about 外国人或者外国企业; the loaded texts have no trademark rule for Taiwan applicants, so it is
    shown only under the "may not cover" line for them (rule T), while a foreign company still gets it as the answer."""
    taiwan = assistant.ask("台湾企业在大陆申请商标要注意什么？")
    assert taiwan["answerable"] and taiwan["hedged"] and taiwan["answer"].startswith(HEDGE_HEADER["zh"])
    foreign = assistant.ask("外国企业在中国申请商标要注意什么？")
    assert shown_as_the_answer(foreign) and foreign["citations"][0]["locator"] == "第十七条"


@pytest.mark.parametrize("question,title,locator,defined", [
    # DF (session 39): declined (P 0.08-0.10) with this article first, though it defines the very term
    ("啥叫反向工程", "最高人民法院关于审理侵犯商业秘密民事案件适用法律若干问题的规定", "第十四条", "反向工程，是指"),
    # a close call with the defining article first
    ("什么叫人民调解？", "中华人民共和国人民调解法", "第二条", "人民调解，是指"),
])
def test_asked_what_a_term_means_the_article_defining_it_answers(assistant, question, title, locator, defined):
    result = assistant.ask(question)
    assert shown_as_the_answer(result), result["answer"][:200]
    assert (result["citations"][0]["title"], result["citations"][0]["locator"]) == (title, locator)
    assert defined in "\n".join(result["answer"].split("\n")[:2])  # led by the definition, or the article quoted whole


@pytest.mark.slow
def test_whether_a_limitation_period_is_interrupted_is_not_answered_with_its_length(assistant):
    # Session 47's sweep J (BV): answered surely with 民法典第一百八十八条 (三年); 第一百九十五条 (中断) is the answer.
    result = assistant.ask("发律师函催告侵权方赔偿，诉讼时效会中断吗？")
    cited = [c["locator"] for c in result["citations"]]
    assert cited[0] != "第一百八十八条" and "第一百九十五条" in cited[:2]
