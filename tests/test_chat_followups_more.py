"""Chat follow-ups that name a kind of right (session 31): a question of its own is not read with the previous one, a
plan-task look-up is followed by what the plan's tasks say about that right, and a confidently answered question is
followed like a look-up of the article that answered it (assistant/counterparts.py, Assistant._counterpart)."""
import pytest

from rongzhi.assistant import counterparts
from rongzhi.core.normalize import to_simplified

PLAN = "福州市国家知识产权强市建设示范城市工作方案"
TRADEMARK_LAW = "中华人民共和国商标法"


def _cited(result):
    return [(c["title"], c["locator"]) for c in result["citations"]]


def _chat(assistant, *questions):
    history = []
    for question in questions:
        history.append(assistant.ask(question, history=list(history)))
    return history


def test_what_a_follow_up_asks_is_compared_with_the_previous_question():
    # The kind of answer first (a duration against none), then the words (续展 is new; 归, 谁 are not); a short 「X呢」
    # with no question word asks the previous question of X.
    assert counterparts.asks_another_thing("那商标保护多久？", ["商标", "保护", "多久"], "那商标怎么注册？", ["商标", "注册"], [])
    assert not counterparts.asks_another_thing("那商标保护多久？", ["商标", "保护", "多久"], "发明专利保护多少年？",
                                               ["发明", "专利", "发明专利", "保护", "年"], [])
    assert counterparts.asks_another_thing("那商标怎么续展？", ["商标", "续展"], "那商标呢？", ["商标"], [])
    assert not counterparts.asks_another_thing("那外观设计专利呢？", ["外观设计", "专利"], "发明专利侵权一般判赔多少？",
                                               ["发明专利", "侵权", "判赔"], [])
    assert counterparts.asks_again("那著作权归谁？", ["著作权", "归", "谁"], "职务发明专利归谁？",
                                   ["职务", "发明", "职务发明", "专利", "归", "谁"], [])
    assert not counterparts.asks_again("那外观设计专利呢？", ["外观设计", "专利"], "发明专利侵权一般判赔多少？",
                                       ["发明专利", "侵权", "判赔"], [])


@pytest.mark.slow
@pytest.mark.parametrize("questions", [("那商标怎么注册？", "那商标保护多久？"),
                                       ("专利法第四十二条是怎么规定的？", "那商标怎么注册？", "那商标保护多久？")])
def test_a_follow_up_asking_another_thing_of_a_right_is_not_read_with_the_previous_question(assistant, questions):
    # 「那商标保护多久？」 after 「那商标怎么注册？」 was merged with it and answered with 商标法实施条例第十八条 (补正 within 30 days).
    follow = _chat(assistant, *questions)[-1]
    assert follow["answerable"] and ("中华人民共和国商标法实施条例", "第十八条") not in _cited(follow)
    assert _cited(follow)[0][0] == TRADEMARK_LAW and (TRADEMARK_LAW, "第三十九条") in _cited(follow), _cited(follow)
    assert "注册商标的有效期为十年" in follow["answer"]


@pytest.mark.slow
def test_geographical_indications_are_a_subject_of_their_own_after_another_right(assistant):
    # Session 41's sweep (GI): 「And geographical indications?」 after RCEP's well-known marks repeated 11.26, 11.19 and 11.27.
    english = _chat(assistant, "What does RCEP say about well-known trademarks?", "And geographical indications?")[-1]
    assert _cited(english)[0][1] == "第11.29条", _cited(english)
    chinese = _chat(assistant, "商标法对驰名商标怎么保护？", "那地理标志呢？")[-1]
    assert {("中华人民共和国商标法实施条例", "第四条"), (TRADEMARK_LAW, "第十六条")} & set(_cited(chinese)[:2]), _cited(chinese)
    assert "地理标志" in chinese["answer"]


@pytest.mark.slow
@pytest.mark.parametrize("questions,task", [
    (("我们是福州的高新技术企业，有几件发明专利，想做专利质押融资", "工作方案里哪项任务讲的是这个？"), "任务7"),
    (("我们想找人帮忙调解一个商标纠纷", "这个在方案哪项任务里？"), "任务10")])
def test_which_task_covers_this_is_asked_of_the_conversations_subject(assistant, questions, task):
    # Session 41's sweep (WT): 「工作方案里哪项任务讲的是这个？」 after a question on 专利质押融资 was searched alone in the plan
    # and led with 主要目标; 这个 is the previous question's subject (task 7 「加强知识产权金融融合」).
    which = _chat(assistant, *questions)[-1]
    assert _cited(which)[0][1] == task, _cited(which)


@pytest.mark.slow
def test_a_question_of_its_own_after_a_counterpart_is_not_the_look_up_again(assistant):
    # 「那商标怎么续展？」 after 专利法第四十二条 and its counterpart 商标法第三十九条 quoted 专利法第四十二条 again.
    lookup, trademark, renewal = _chat(assistant, "专利法第四十二条是怎么规定的？", "那商标呢？", "那商标怎么续展？")
    assert _cited(trademark)[:1] == [(TRADEMARK_LAW, "第三十九条")]
    assert _cited(renewal)[:1] == [(TRADEMARK_LAW, "第四十条")], _cited(renewal)
    assert ("中华人民共和国专利法", "第四十二条") not in _cited(renewal)


@pytest.mark.slow
def test_a_right_after_a_task_look_up_is_what_the_plan_s_tasks_say_about_it(assistant):
    # 「那商标呢？」 after 「任务19是什么？」 quoted task 19 again, which says nothing of trademarks.
    task, follow = _chat(assistant, "任务19是什么？", "那商标呢？")
    assert _cited(task) == [(PLAN, "任务19")]
    assert follow["answerable"] and follow["notice"] == "right_tasks" and follow["right"] == "商标" and not follow["in_task"]
    assert follow["answer"].startswith("方案重点任务第19项「推动榕台智慧财产权协同发展」没有写到商标。")
    assert _cited(follow) == [(PLAN, "任务1"), (PLAN, "任务8"), (PLAN, "任务17")]
    assert all("商標" in c["quote"] for c in follow["citations"])  # each quoted where it names trademarks
    assert follow["counterpart_of"]["locator"] == "任务19"
    # A task that names the right: its own sentences first, then the other tasks that do.
    own = _chat(assistant, "任务8是什么？", "那商标呢？")[-1]
    assert own["notice"] == "right_tasks" and own["in_task"]
    assert _cited(own) == [(PLAN, "任务8"), (PLAN, "任务1"), (PLAN, "任务17")]
    assert own["answer"].startswith("方案重点任务第8项中写到商标的是：") and "严厉打击侵犯专利、商标、著作权" in own["answer"]
    # In the asker's script and language
    trad = _chat(assistant, "任務19是什麼？", "那商標呢？")[-1]
    assert trad["language"] == "zh-Hant" and trad["answer"].startswith("方案重點任務第19項")
    english = _chat(assistant, "What is task 19?", "What about trademarks?")[-1]
    assert english["notice"] == "right_tasks" and english["answer"].startswith("Task 19 of the plan")


@pytest.mark.slow
@pytest.mark.parametrize("question,follow_up,previous,expected,says,counterpart", [
    ("发明专利保护多少年？", "那商标呢？", ("中华人民共和国专利法", "第四十二条"), (TRADEMARK_LAW, "第三十九条"), "注册商标的有效期为十年",
     True),
    ("發明專利保護多少年？", "那商標呢？", ("中华人民共和国专利法", "第四十二条"), (TRADEMARK_LAW, "第三十九条"), "註冊商標的有效期為十年",
     True),
    # the same question of another right (a duration after a duration) is that article's counterpart too
    ("发明专利保护多少年？", "那商标保护多久？", ("中华人民共和国专利法", "第四十二条"), (TRADEMARK_LAW, "第三十九条"),
     "注册商标的有效期为十年", True),
    # read with the question it follows, it is answered surely: that reading is taken first (``_counterpart``)
    ("职务发明专利归谁？", "那著作权归谁？", ("中华人民共和国专利法", "第六条"), ("中华人民共和国著作权法", "第十八条"), "职务作品",
     False),
    # 著作权's 诉讼时效 is in the copyright interpretation; 著作权法's nearest article to 专利法第七十四条 is the performers' term
    ("专利侵权的诉讼时效是多久？", "那著作权呢？", ("中华人民共和国专利法", "第七十四条"),
     ("最高人民法院关于审理著作权民事纠纷案件适用法律若干问题的解释", "第二十七条"), "三年", False),
])
def test_a_right_after_a_confident_answer_is_the_counterpart_of_its_first_article(assistant, question, follow_up, previous,
                                                                                   expected, says, counterpart):
    # 「那商标呢？」 after 「发明专利保护多少年？」 (专利法第四十二条) was a close call led by 商标法实施条例第四十六条.
    first, follow = _chat(assistant, question, follow_up)
    assert first["answerable"] and not first.get("close_call") and not first.get("hedged") and _cited(first)[0] == previous
    assert (follow.get("context") == "counterpart") is counterpart
    if counterpart:
        assert follow["counterpart_of"]["locator"] == previous[1]
    assert _cited(follow)[:1] == [expected] and says in follow["answer"] and not follow.get("close_call")


@pytest.mark.slow
def test_no_counterpart_after_a_confident_answer_is_said_or_the_question_answered_in_that_law(assistant):
    # Taiwan's texts have no rule of their own on 专利法第四十二条's term: said (it quoted 专利法第四十二条 again, hedged).
    taiwan = _chat(assistant, "发明专利保护多少年？", "那台湾人呢？")[-1]
    assert not taiwan["answerable"] and taiwan["notice"] == "no_counterpart" and not taiwan["citations"]
    assert "没有就上一回答所引《中华人民共和国专利法》第四十二条的事项对台湾同胞另作规定" in taiwan["answer"]
    # No counterpart of 专利法第七十四条 in 商标法, but the question read with the previous one is answered surely by the
    # trademark interpretation's 诉讼时效 article: that answer, not a decline.
    limitation = _chat(assistant, "专利侵权的诉讼时效是多久？", "那商标呢？")[-1]
    assert limitation["answerable"] and not limitation.get("notice") and "context" not in limitation
    assert "侵犯注册商标专用权的诉讼时效为三年" in limitation["answer"]


@pytest.mark.slow
def test_a_right_named_in_a_conversation_about_rcep_is_asked_of_rcep(assistant):
    """Session 33's sweep B (chat C4; rule R): "And about well-known marks?" after an RCEP question was sent to 商标法第十四条
    (the right's national law), and 「那驰名商标呢？」 read with the previous question cited 11.27 (bad faith) again. RCEP's
    article on well-known marks is 第11.26条, and the turn after it is still asked of RCEP."""
    english = _chat(assistant, "What does RCEP say about bad-faith trademarks?", "And about well-known marks?")[-1]
    assert _cited(english)[0][1] == "第11.26条", _cited(english)
    chinese = _chat(assistant, "RCEP对恶意商标怎么规定？", "那驰名商标呢？", "那专利呢？")
    assert _cited(chinese[1])[0][1] == "第11.26条", _cited(chinese[1])
    assert _cited(chinese[2])[0][1].startswith("第11."), _cited(chinese[2])  # patents in RCEP, not 专利法


@pytest.mark.slow
def test_a_follow_up_that_goes_on_in_time_is_read_with_the_previous_question(assistant):
    """Session 33's sweep B (chat C2; rule B): 「考過之後要怎樣才能執業？」 after a question on the patent-attorney exam was searched
    alone and declined, while listing 专利代理条例第十一条 (the conditions to practise) as 可能相关."""
    follow = _chat(assistant, "台灣人可以在福州考專利代理師嗎？", "考過之後要怎樣才能執業？")[-1]
    assert follow["answerable"] and ("专利代理条例", "第十一条") in _cited(follow), _cited(follow)
    # A topic of its own after 之后 is its own question, not the previous one's.
    history = _chat(assistant, "商标怎么注册？")
    assert "商标怎么注册" not in assistant.understand("离婚以后商标归谁？", history=history).retrieval_query.text
    assert "商标怎么注册" in assistant.understand("注册以后多久能用？", history=history).retrieval_query.text


@pytest.mark.slow
def test_the_old_and_new_versions_with_no_law_named_are_the_conversation_s_law(assistant):
    """Session 33's sweep B (chat C3; rule C2): 「新旧两版在惩罚性赔偿的写法上有啥不同？」 after a question on the new trademark law
    was searched alone (whose versions?) and hedged with the punitive-damages interpretation only. With the conversation's
    law it cites both versions' damages articles and shows the comparison."""
    answer = _chat(assistant, "新商标法什么时候施行？", "新旧两版在惩罚性赔偿的写法上有啥不同？")[-1]
    cited = [(c["doc_id"], c["locator"]) for c in answer["citations"]]
    assert ("商标法@2019-04-23", "第六十三条") in cited and ("商标法@2026-06-26", "第七十七条") in cited, cited
    assert "两版对照（2019-04-23 版第六十三条 → 2026-06-26 版第七十七条" in answer["answer"]
    # With no subject of its own after a look-up, it still asks about the article looked up (both versions of it).
    looked_up = _chat(assistant, "商标法第四十条是什么？", "两个版本有什么区别？")[-1]
    assert [(c["doc_id"], c["locator"]) for c in looked_up["citations"]][:2] == [
        ("商标法@2019-04-23", "第四十条"), ("商标法@2026-06-26", "第四十四条")], looked_up["citations"]


@pytest.mark.slow
def test_a_short_follow_up_with_one_word_of_its_own_asks_about_the_previous_subject(assistant):
    """Session 34's sweep D (chat C4; rule K): 「保护多久？」 after a question on chip layout-designs was searched alone and
    answered, sure, with 民法典第一百八十八条 (the three-year limitation period) instead of the layout-design term."""
    follow = _chat(assistant, "芯片布图设计要怎么获得保护？", "保护多久？")[-1]
    assert _cited(follow)[:1] == [("集成电路布图设计保护条例", "第十二条")], _cited(follow)
    assert "民法典" not in follow["answer"]
    # A right, a document or an everyday-law topic of its own is a question of its own.
    history = _chat(assistant, "芯片布图设计要怎么获得保护？")
    for own in ("商标保护多久？", "离婚怎么办？", "专利怎么申请？"):
        assert "芯片" not in assistant.understand(own, history=history).retrieval_query.text, own
    assert "芯片" in assistant.understand("罚多少？", history=history).retrieval_query.text


@pytest.mark.slow
def test_a_punishment_follow_up_after_a_sure_answer_is_the_article_punishing_it(assistant):
    """Session 34's sweep D (chat C3; rule K2): 「罚多少？」 after a sure answer citing 反不正当竞争法第十二条 (smears) was hedged and led
    by 第二十二条 (damages); the statute names the article that punishes 第十二条: 第二十八条."""
    history = _chat(assistant, "竞争对手在网上散布我们产品的虚假负面消息，这算不正当竞争吗？", "罚多少？", "怎么处罚？")
    assert _cited(history[0])[:1] == [("中华人民共和国反不正当竞争法", "第十二条")], _cited(history[0])
    for follow in history[1:]:
        assert _cited(follow)[:1] == [("中华人民共和国反不正当竞争法", "第二十八条")], _cited(follow)
        assert not follow.get("hedged") and not follow.get("close_call") and "十万元以上一百万元以下" in follow["answer"]


@pytest.mark.slow
def test_a_follow_up_is_reranked_by_its_subject_words_not_by_how_periods_are_written(assistant):
    """Session 34's sweep C (rule K3): 「那到期前多久要去续展？」 after the trademark term led with 商标法实施条例第十八条, which holds
    期限 and 日内 (the markers a how-long question adds), and left out 商标法第四十条, which holds 续展."""
    follow = _chat(assistant, "注册商标有效期是多久？", "那到期前多久要去续展？")[-1]
    assert _cited(follow)[:1] == [("中华人民共和国商标法", "第四十条")], _cited(follow)
    assert "十二个月" in follow["answer"]


@pytest.mark.slow
def test_when_the_new_version_takes_effect_is_asked_of_the_conversation_s_law(assistant):
    """Session 34's sweep D (chat C5; rule K4): 「那新版本什么时候开始施行？」 after two answers from 商标法 was hedged with 第二十五条;
    it asks the versions of the conversation's law: the status and 2026 第八十七条 (「自2027年1月1日起施行」)."""
    follow = _chat(assistant, "注册商标有效期是几年？", "新版本呢？", "那新版本什么时候开始施行？")[-1]
    assert follow.get("notice") == "which_version"
    assert "2026-06-26 版尚未施行，自 2027-01-01 起施行" in follow["answer"]
    assert _cited(follow) == [("中华人民共和国商标法", "第八十七条")]


@pytest.mark.slow
def test_when_the_new_version_takes_effect_is_asked_of_the_cited_law_that_has_versions(assistant):
    """Session 46's sweep H (VF): after answers led by 商标民事解释 (one version), 「那新版什么时候生效？」 was hedged with that
    interpretation's articles; 商标法, cited next, is the conversation's law with a new version."""
    follow = _chat(assistant, "商标侵权行政处罚怎么罚？", "新修订的版本呢？", "那新版什么时候生效？")[-1]
    assert follow.get("notice") == "which_version"
    assert _cited(follow) == [("中华人民共和国商标法", "第八十七条")]
    assert "自2027年1月1日起施行" in follow["answer"]


@pytest.mark.slow
def test_a_punishment_follow_up_naming_a_year_is_asked_of_that_version(assistant):
    """Session 34's sweep D (chat C3; rule K5): 「2019年的版本罚多少？」 after the smear's punishment (2025 第二十八条) was answered
    from the 2025 text; the 2019 text punishes its 第十一条 in 第二十三条 (十万元以上五十万元以下)."""
    history = _chat(assistant, "竞争对手在网上散布我们产品的虚假负面消息，这算不正当竞争吗？", "罚多少？", "2019年的版本罚多少？")
    old = history[-1]
    assert [(c["doc_id"], c["locator"]) for c in old["citations"]][:1] == [("反不正当竞争法@2019-04-23", "第二十三条")]
    assert "十万元以上五十万元以下" in old["answer"] and "已被修订" in old["answer"]


@pytest.mark.slow
def test_asking_for_the_text_in_english_after_a_turn_that_cited_nothing_is_about_the_text_last_quoted(assistant):
    """Session 35's sweep F (chat 3; rule A1): after 商标法第三十九条 and 「那台湾人呢？」 (no counterpart, nothing cited),
    「英文怎么说？」 was searched as a question of its own and quoted 专利法实施细则第八十三条 (drug patent terms)."""
    history = _chat(assistant, "发明专利保护多少年？", "那商标呢？", "那台湾人呢？", "英文怎么说？")
    assert history[2].get("notice") == "no_counterpart" and not history[2]["citations"]
    last = history[-1]
    assert _cited(last)[:1] == [(TRADEMARK_LAW, "第三十九条")], _cited(last)
    assert last["answer"].startswith("提示：榕知只收录了《中华人民共和国商标法》的中文文本，没有英文译本")


@pytest.mark.slow
def test_asking_for_a_chinese_text_of_the_treaty_says_only_its_english_text_is_loaded(assistant):
    """Session 35's sweep F (D11; rule A2): 「请给出RCEP第11.27条的官方中文原文」 got the English article with no word that
    no Chinese text is loaded; 「中文版呢？」 after it is a request for the same article's text."""
    asked = assistant.ask("请给出RCEP第11.27条的官方中文原文。")
    assert asked["citations"][0]["locator"] == "第11.27条"
    assert asked["answer"].startswith("提示：榕知只收录了《区域全面经济伙伴关系协定（RCEP）第十一章 知识产权》的英文文本，没有中文译本")
    assert "Bad Faith Trademarks" in asked["answer"]
    follow = _chat(assistant, "RCEP对恶意注册商标有什么规定？", "中文版呢？")[-1]
    assert follow["citations"][0]["locator"] == "第11.27条" and "没有中文译本" in follow["answer"]
    plain = assistant.ask("RCEP对恶意注册商标有什么规定？")  # not asked for a Chinese text: no such note
    assert "没有中文译本" not in plain["answer"]


@pytest.mark.slow
def test_asking_only_who_leads_a_task_answers_with_its_bodies_first(assistant):
    """Session 35's sweep F (B07, chats 1 and 5; rule A3): 「这项任务谁牵头？」 answered with the whole task text and, in its
    last line, that the plan names no lead unit. The bodies line now opens the answer and is its lead."""
    follow = _chat(assistant, "台湾同胞来福州考专利代理师有什么便利？", "这项任务谁牵头？")[-1]
    assert follow["citations"][0]["locator"] == "任务19"
    first = follow["answer"].split("\n")[0]
    assert first.startswith("任务19原文提到的机构和主体：") and "方案未明确各项任务的牵头单位" in first
    assert follow["lead"] == first
    # A question with a subject of its own keeps the sentence that answers it first.
    own = assistant.ask("企业运营类专利导航由谁牵头开展？")
    assert own["answer"].split("\n")[0].startswith("“") and "龙头企业牵头" in own["answer"].split("\n")[0]


@pytest.mark.slow
def test_how_much_money_after_a_support_policy_is_the_fund_s_question(assistant):
    """Session 35's sweep F (D1; rule A4): 「有多少钱？」 after 「专利质押融资有什么支持政策？」 (led by a national law) quoted 专利法
    第七十一条's 「三万元以上五百万元以下的赔偿」, which an owner can read as a subsidy; what a support policy pays is set by the
    fund measures, which are not loaded."""
    follow = _chat(assistant, "专利质押融资有什么支持政策？", "有多少钱？")[-1]
    assert follow.get("notice") == "measures_not_loaded" and "榕政办规〔2022〕7号" in follow["answer"]
    assert "三万元以上五百万元以下" not in follow["answer"]


@pytest.mark.slow
def test_a_short_question_on_criminal_liability_is_asked_of_the_act_the_conversation_described(assistant):
    """Session 35's sweep E (chat C3; rule C1): 「能不能报警追究刑事责任？」 after a director took the product drawings to a rival
    was declined as a criminal case outside IP; the conversation's act is a trade secret's, which IP law punishes. Asked alone,
    with no act described, it is still declined by topic."""
    follow = _chat(assistant, "我们的技术总监离职时拷走了全套产品图纸，跳槽去了竞争对手公司", "能不能报警追究刑事责任？")[-1]
    assert follow.get("notice") != "out_of_scope" and "刑事案件方面的问题" not in follow["answer"]
    assert follow["citations"] and "依法追究刑事责任" in follow["answer"]
    alone = assistant.ask("能不能报警追究刑事责任？")
    assert alone.get("notice") == "out_of_scope"


@pytest.mark.slow
def test_a_hypothetical_follow_up_is_ranked_by_its_subject_not_its_connective(assistant):
    """Session 35's sweep E (chat C4; rules G1, G2): 「如果是高校呢？」 after an employee's service invention and its licence
    income cited 专利法第二十八条 first, for its 「如果申请文件是邮寄的」; and no loaded text writes 高校."""
    history = _chat(assistant, "我在公司研发出一个新的卡扣结构，公司拿去申请了实用新型专利，发明人写的是我",
                    "公司要给我奖金吗？给多少？", "如果公司后来把专利许可给别的厂收钱呢？", "如果是高校呢？")
    cited = _cited(history[-1])
    assert ("中华人民共和国专利法", "第二十八条") not in cited
    assert ("中华人民共和国促进科技成果转化法", "第四十五条") in cited, cited


@pytest.mark.slow
def test_a_whole_question_after_an_rcep_answer_is_searched_as_it_stands(assistant):
    """Session 35's UI sweep (D-03; rule J1): 「发明专利保护多少年？」 after an RCEP answer was led by RCEP 第11.44条; the
    follow-up 「那驰名商标呢？」 is still asked of RCEP (rule R)."""
    history = _chat(assistant, "RCEP对恶意注册商标有什么规定？", "发明专利保护多少年？")
    assert _cited(history[-1])[:1] == [("中华人民共和国专利法", "第四十二条")], _cited(history[-1])


CUSTOMS = "中华人民共和国知识产权海关保护条例"


@pytest.mark.slow
def test_short_questions_declined_alone_are_read_with_the_conversation(assistant):
    # Session 36 (S1): after a customs question, 「需要提供担保吗？」 and 「货物会扣多久？」 were each searched alone and declined;
    # the third was then read with the short second one alone. Both belong to the customs regulation's procedure.
    _, bond, hold = _chat(assistant, "怎么让海关扣下假冒我们商标的出口货物？", "需要提供担保吗？", "货物会扣多久？")
    for turn in (bond, hold):
        assert turn["answerable"] and _cited(turn)[0][0] == CUSTOMS, _cited(turn)
    assert (CUSTOMS, "第十四条") in _cited(bond), _cited(bond)  # 「…应当向海关提供不超过货物等值的担保」


@pytest.mark.slow
def test_an_english_follow_up_with_they_is_read_with_the_conversation(assistant):
    # "How long do they hold the goods?" was answered outright with 商标法实施条例第十二条 (how periods are counted).
    _, _, hold = _chat(assistant, "How do I get Chinese customs to seize counterfeit goods of my brand?",
                       "Do we have to post a bond?", "How long do they hold the goods?")
    assert _cited(hold)[0][0] == CUSTOMS, _cited(hold)
    assert ("中华人民共和国商标法实施条例", "第十二条") not in _cited(hold)


def test_plural_pronouns_mark_a_short_english_follow_up():
    from rongzhi.assistant.scope import is_follow_up, is_short

    assert is_follow_up("How long do they hold the goods?", ["long", "hold", "goods"])
    assert not is_follow_up("Is it legal to copy software for my own use?", ["legal", "copy", "software", "use"])
    assert is_short("需要提供担保吗？") and is_short("Do we have to post a bond?")
    assert not is_short("我们公司的产品被海关扣了，需要提供担保吗？")


@pytest.mark.slow
def test_how_much_money_after_a_question_on_city_support_is_the_fund_s_question(assistant):
    # Session 36's sweep M: 「有钱吗？能补多少？」 after 「…想申请地理标志，福州有什么扶持？」 quoted 商标法第五十一条's fine.
    *_, money = _chat(assistant, "我们是做茶叶的小公司，想申请地理标志，福州有什么扶持？", "那牵头的是谁？", "有钱吗？能补多少？")
    assert money.get("notice") == "measures_not_loaded" and not money["citations"], _cited(money)
    assert "榕政办规〔2022〕7号" in money["answer"]


@pytest.mark.slow
def test_a_follow_up_is_read_against_every_source_the_last_answer_quoted(assistant):
    # Session 36's sweep O: after contenders led by 商标法实施条例第十八条, 「对方是恶意的，超过五年还能告吗？」 quoted 民法典; its words
    # (恶意, 五年) are in 商标法第四十五条, the third contender (「对恶意注册的，驰名商标所有人不受五年的时间限制」).
    *_, malicious = _chat(assistant, "我的品牌商标被别人抢注了怎么办？", "那要多久？", "对方是恶意的，超过五年还能告吗？")
    assert _cited(malicious)[0] == (TRADEMARK_LAW, "第四十五条"), _cited(malicious)


@pytest.mark.slow
def test_how_long_to_sue_after_a_copied_patent_is_the_limitation_period(assistant):
    # Session 36's sweep O: 「那要多久之内告？」 after 「我的实用新型专利被别人仿造了怎么办？」 was answered outright with the patent
    # term (专利法第四十二条, 「实用新型专利权的期限为十年」); 告 is suing, and 专利法第七十四条 sets the time to sue.
    # Now a close call: the trademark and copyright interpretations' own three-year periods stand beside it.
    _, sue = _chat(assistant, "我的实用新型专利被别人仿造了怎么办？", "那要多久之内告？")
    assert ("中华人民共和国专利法", "第七十四条") in _cited(sue)[:3], _cited(sue)
    assert ("中华人民共和国专利法", "第四十二条") not in _cited(sue)
    assert "诉讼时效为三年" in sue["answer"].split("来源：")[0]


@pytest.mark.slow
def test_how_long_in_the_old_law_is_the_previous_article_s_counterpart_in_that_version(assistant):
    # Session 36's sweep O: 「旧法是多久？」 after a question answered from the 2025 仲裁法 quoted unrelated articles and 商标法.
    first, old = _chat(assistant, "仲裁裁决下来不服，多久内可以申请撤销？", "旧法是多久？")
    assert first["citations"][0]["doc_id"] == "仲裁法@2025-09-12"
    assert old["citations"][0]["doc_id"] == "仲裁法@2017-09-01" and old["answerable"], _cited(old)


def test_how_many_years_is_a_period_word_not_a_subject():
    # Session 37's sweep S: 年 left over from 多少 made 「保护多少年？」 a question about 保护 and 年, so it was searched alone.
    from rongzhi.assistant import scope
    from rongzhi.assistant.query import parse

    for said in ("保护多少年？", "要保护几年？", "多长时间能下来？"):
        q = parse(said, 400)
        assert scope.asks_of_the_previous(q.said, q.tokens), (said, scope.own_words(q.said, q.tokens))


@pytest.mark.slow
def test_how_many_years_after_a_software_question_is_the_software_term(assistant):
    # Session 37's sweep S, C7: 「保护多少年？」 after copied source code was answered outright with 民法典第一百八十八条
    # (诉讼时效三年); the software's term is in 计算机软件保护条例第十四条 (「终生及其死亡后50年」).
    *_, term = _chat(assistant, "我是程序员，自己写的软件源代码被前合作方直接拷贝拿去商用了，这受法律保护吗？",
                     "需要先登记才有保护吗？", "保护多少年？")
    assert _cited(term)[0] == ("计算机软件保护条例", "第十四条"), _cited(term)
    assert "民法典" not in term["answer"].split("来源：")[0]


@pytest.mark.slow
def test_a_turn_read_with_its_subject_passes_the_subject_on(assistant):
    # Session 37's sweep S, C5: 「如果被扣了，我们怎么办？」 was read with the customs question before it, but 「要扣多久？」 after it
    # took 「如果被扣了…」 alone as its subject and was declined.
    *_, hold = _chat(assistant, "我们是福州的外贸公司，出口的货物会不会被海关以侵犯知识产权为由扣下？海关是怎么处理的？",
                     "如果被扣了，我们怎么办？", "要扣多久？")
    assert hold["answerable"] and hold["citations"], hold["answer"][:200]
    assert hold["citations"][0]["title"] == "中华人民共和国知识产权海关保护条例", _cited(hold)


def test_if_some_day_is_not_after_that():
    # Session 37's sweep R, CH2-4: 「如果以後…」 matched "X以后" with X = 如果 and was read as going on from a question on the
    # patent-attorney exam.
    from rongzhi.assistant.scope import continues_in_time

    assert not continues_in_time("如果以后自己投资开公司，可以用专利出资吗？")
    assert not continues_in_time("要是以后不做了呢？")
    assert continues_in_time("考过之后要怎样才能执业？") and continues_in_time("批下来以后多久能用？")


@pytest.mark.slow
def test_which_version_for_an_event_year_is_asked_of_the_conversation(assistant):
    # Session 37's sweep S, C4T3: 「2023年发生的按哪个版本？」 after a trade-secret question was declined (按 and 发生 counted as
    # words of its own). Read with the conversation, the trade-secret rules say which law applies: the one in force when
    # the act happened.
    *_, which = _chat(assistant, "我们公司一个销售离职时把客户名单带走了，现在去了竞争对手那里，这算侵犯商业秘密吗？",
                      "那要赔多少？", "2023年发生的按哪个版本？")
    assert which["answerable"] and which["citations"], which["answer"][:200]
    assert ("最高人民法院关于审理侵犯商业秘密民事案件适用法律若干问题的规定", "第二十八条") in _cited(which)[:3], _cited(which)


def test_a_follow_up_is_dated_by_the_day_an_earlier_turn_said():
    # Session 37's sweep S, C6T4: after 「裁决书是2025年5月收到的，按哪个版本？」 (answered from the 2017 仲裁法), 「找谁申请？」 was
    # answered from the 2025 text in force today. The matter's day still dates its law; "now" and a day of its own do not.
    from rongzhi.assistant.versions import dated_turn

    turns = [{"question": "能不能申请撤销仲裁裁决？", "as_of": "2026-12-06", "as_of_from": "today"},
             {"question": "裁决书是2025年5月收到的，按哪个版本？", "as_of": "2025-05-15", "as_of_from": "question",
              "as_of_said": "2025年5月"}]
    assert dated_turn(turns, "找谁申请？") is turns[1]
    assert dated_turn(turns, "现在呢？") is None
    assert dated_turn(turns, "2019年版呢？") is None
    assert dated_turn(turns[:1], "找谁申请？") is None


@pytest.mark.slow
def test_a_follow_up_after_a_dated_turn_is_answered_from_that_day_s_version(assistant):
    *_, who = _chat(assistant, "我们公司在仲裁中败诉了，能不能申请撤销仲裁裁决？", "需要多久内提出？",
                    "裁决书是2025年5月收到的，按哪个版本？", "找谁申请？")
    assert who["citations"] and all(c["doc_id"] != "仲裁法@2025-09-12" for c in who["citations"][:2]), _cited(who)
    assert who["citations"][0]["doc_id"] == "仲裁法@2017-09-01" and who["as_of_from"] == "question"


def test_when_a_period_starts_and_its_bound_ask_of_the_conversation():
    # Session 38's sweep T, C04 (K4): 「从哪天开始算？」 had 从, 开始, 算 as words of its own and was searched alone.
    from rongzhi.assistant.scope import asks_of_the_previous, own_words
    from rongzhi.index.lexical import tokenize

    assert asks_of_the_previous("从哪天开始算？", tokenize("从哪天开始算？"))
    assert own_words("最长呢？", tokenize("最长呢？")) == []
    assert own_words("诉讼时效从哪天开始算？", tokenize("诉讼时效从哪天开始算？"))  # a subject of its own stays


@pytest.mark.slow
def test_a_follow_up_asking_when_the_period_starts_stays_with_the_conversation(assistant):
    # Both turns were declined (the third searched alone, the fourth leaning on it); they are about the limitation period.
    *_, start, longest = _chat(assistant, "别人盗用我的摄影作品，我可以起诉吗？", "诉讼时效多久？", "从哪天开始算？", "最长呢？")
    for turn in (start, longest):
        assert turn["answerable"] and turn["citations"], turn["answer"][:200]
        assert turn["citations"][0]["title"] == "中华人民共和国民法典（总则编）", _cited(turn)
    assert ("中华人民共和国民法典（总则编）", "第一百八十八条") in _cited(longest)[:3], _cited(longest)


@pytest.mark.slow
def test_a_follow_up_asking_the_same_value_of_another_subject_is_led_by_that_subject_s_value(assistant):
    # Session 38's sweep T, C03 (L3): both follow-ups cited 专利法第四十二条 but opened with 「根据…第四十二条：」, never stating the
    # design patent's 十五年 or the utility model's 十年; the first question keeps the whole sentence.
    first, design, utility = _chat(assistant, "发明专利的保护期是多长？", "那外观设计呢？", "那实用新型呢？")
    assert first["answer"].splitlines()[0].startswith("“发明专利权的期限为二十年，实用新型专利权的期限为十年")
    assert design["answer"].splitlines()[0] == "“外观设计专利权的期限为十五年”[1]", design["answer"][:200]
    assert utility["answer"].splitlines()[0] == "“实用新型专利权的期限为十年”[1]", utility["answer"][:200]


@pytest.mark.slow
def test_a_one_word_follow_up_stays_in_the_conversation_s_documents(assistant):
    """K6 (session 39, sweep U's chat CB): 「要找哪个部门备案？」 after a customs question led with 商标法实施条例第八十四条 (a trademark
    agency filing with 商标局), on the authority row's 部门 — and 「需要什么材料？」 drifted on from there. Asked of the previous
    subject, such a follow-up is answered from the conversation's documents first: the customs rules' 第七条 (向海关总署申请备案；
    申请备案的，应当提交申请书…)."""
    customs = "中华人民共和国知识产权海关保护条例"
    turns = _chat(assistant, "我们公司做出口，担心有人用我们的商标做假货从福州港出口，海关能管吗？", "要找哪个部门备案？", "需要什么材料？")
    assert _cited(turns[0])[0][0] == customs
    assert _cited(turns[1])[0] == (customs, "第七条"), _cited(turns[1])
    assert _cited(turns[2])[0] == (customs, "第七条"), _cited(turns[2])


@pytest.mark.slow
def test_a_what_if_follow_up_is_answered_in_the_conversation_s_regulation(assistant):
    """Rule W (session 40, chat_dev dV03): after a takedown notice to a video site, 「如果上传的人说他没侵权呢？」 asks what
    the uploader may do: the network-dissemination regulation's counter-notice (第十六条), among the sources quoted, not
    the civil code's or the copyright law's general articles on infringement."""
    history = []
    for question in ("我们公司拍的宣传片被人上传到一个视频网站，播放量很高，我想让网站删掉，应该怎么做？", "通知书要写哪些内容？"):
        history.append(assistant.ask(question, history=history))
    answer = assistant.ask("如果上传的人说他没侵权呢？", history=history)
    cited = [(c["title"], c["locator"]) for c in answer["citations"]]
    assert ("信息网络传播权保护条例", "第十六条") in cited
    assert all(title == "信息网络传播权保护条例" for title, _ in cited)


@pytest.mark.slow
def test_a_short_follow_up_to_an_answered_turn_is_not_declined_for_its_few_words(assistant):
    """Rule D1 (session 40, chat_dev dc14.2): 「罚多少？」 after an answer on a look-alike shop name was declined — the
    answerability check, trained on questions asked alone, gave its few words P = 0.07 though the search put the fine
    (反不正当竞争法第二十三条) first. Now the closest sources are shown. A follow-up off the loaded texts' subjects is still
    declined, and so is the same short question opening a conversation."""
    first = assistant.ask("我开的奶茶店在本地小有名气，最近隔壁街新开一家，店名和招牌跟我的几呼一模一样，这合法吗？")
    assert first["answerable"]
    answer = assistant.ask("罚多少？", history=[first])
    assert answer["answerable"]
    assert answer["citations"][0]["title"] == "中华人民共和国反不正当竞争法"
    assert answer["citations"][0]["locator"] == "第二十三条"
    assert not assistant.ask("今天福州天气怎么样？", history=[first])["answerable"]
    assert not assistant.ask("罚多少？")["answerable"]


@pytest.mark.slow
def test_an_as_regards_follow_up_stays_in_the_plan_task_it_follows(assistant):
    """Rule FW (session 40, chat_dev dc02.2): 「保险方面呢？」 after the plan's finance task (task 7, which names 保险机构) is
    answered with that task, not with the SME law's article on 「…等方面」."""
    first = assistant.ask("我在市里负责金融服务这块，福州那个知识产权强市示范城市工作方案里，知识产权跟金融结合是怎么写的？")
    assert first["citations"][0]["locator"] == "任务7"
    answer = assistant.ask("保险方面呢？", history=[first])
    assert answer["citations"][0]["locator"] == "任务7"


@pytest.mark.slow
def test_a_follow_up_opening_with_inside_it_asks_the_task_just_quoted(assistant):
    # Session 42's sweep A (C2): 「里面提到哪些机构」 after task 12 was searched alone and answered with 仲裁法第八十九条 and
    # 民法典's legal persons; 里面 points into the task just quoted, so its bodies are listed.
    turns = _chat(assistant, "任务十二讲的是什么", "原文是什么", "里面提到哪些机构")
    assert turns[-1]["answer"].startswith("任务12原文提到的机构和主体：")
    assert _cited(turns[-1]) == [(PLAN, "任务12")]


def test_inside_points_back_only_at_the_opening_and_only_after_a_task():
    from rongzhi.assistant.scope import refers_back

    assert refers_back("里面提到哪些机构", "任务12") and refers_back("其中有哪些单位", "任务8")
    assert not refers_back("方案里面还有哪些关于台湾的措施", "任务12")  # names its own subject
    assert not refers_back("里面提到的合理开支包括什么", "第五十四条")  # after a law article: a question of its own


def test_chinas_law_asked_without_a_title_is_told():
    from rongzhi.assistant.scope import asks_chinas_law

    for question in ("那中国法律怎么规定？", "国内法呢？", "what does chinese law say about it?", "我国的规定呢"):
        assert asks_chinas_law(question), question
    for question in ("中国法律对域名抢注怎么规定？", "中国的商标法怎么规定的", "what does rcep say about domain names?"):
        assert not asks_chinas_law(question), question  # a subject of its own; a law named by title; no China


@pytest.mark.slow
@pytest.mark.parametrize("questions,expected", [
    (("What does RCEP say about domain names?", "What does Chinese law say about it?"), ("中华人民共和国反不正当竞争法", "第七条")),
    (("RCEP对驰名商标有什么规定？", "那中国法律怎么规定？"), (TRADEMARK_LAW, "第十三条"))])
def test_chinas_law_after_a_treaty_answer_is_answered_from_chinas_texts(assistant, questions, expected):
    # Session 42's sweep B (C3): "What does Chinese law say about it?" after RCEP 11.55 repeated 11.55 word for word.
    follow = _chat(assistant, *questions)[-1]
    assert not any("RCEP" in title for title, _ in _cited(follow)), _cited(follow)
    assert expected in _cited(follow)[:2], _cited(follow)


@pytest.mark.slow
def test_what_to_do_when_it_expires_is_not_the_term_again(assistant):
    # VQ' (session 42): 「那到期了怎么办？」 after 「商标注册的有效期多久？」 asks what to do (第四十条's renewal), not the term its merged
    # text carries; the first question is answered by 第三十九条.
    first, follow = _chat(assistant, "商标注册的有效期多久？", "那到期了怎么办？")
    assert _cited(first)[0] == (TRADEMARK_LAW, "第三十九条")
    assert _cited(follow)[0] == (TRADEMARK_LAW, "第四十条")


@pytest.mark.slow
def test_who_is_responsible_after_the_targets_says_the_plan_names_no_lead_unit(assistant):
    # Session 43's sweep (WH): after the targets and 「那专利导航呢？」, 「具体是哪个部门负责？」 re-quoted 主要目标 and said nothing of who.
    turns = _chat(assistant, "方案里地理标志商标的目标是多少", "那专利导航呢？", "具体是哪个部门负责？")
    last = turns[-1]
    assert last["citations"] and last["citations"][0]["title"] == PLAN
    # the bodies a cited task names, when one is cited, and in any case that the plan assigns no lead unit
    assert "方案未明确各项任务的牵头单位" in last["answer"].split("来源：")[0]


@pytest.mark.slow
def test_a_follow_up_naming_no_right_is_not_answered_from_another_right_s_texts(assistant):
    # Session 43's sweep (RK2): after a patent question, 「那我们自己能告他吗，赔多少」 quoted 商标法第六十条 (a trademark fine).
    turns = _chat(assistant, "展会上发现有人卖仿冒我们专利的产品，市里有什么机制", "那我们自己能告他吗，赔多少")
    titles = [c["title"] for c in turns[-1]["citations"]]
    assert titles and not any("商标" in t for t in titles), titles


@pytest.mark.slow
def test_another_kind_of_patent_is_asked_the_previous_amount_of_the_same_article(assistant):
    """Session 44's creator sweep (AM): after 「职务发明的发明人能拿多少奖金？」 (实施细则第九十三条), 「那实用新型呢？」 was answered with
    专利法第七十一条's damages: 「不少于4000元」 read as no amount. It is 第九十三条 again, led by the sentence on utility models."""
    first, utility = _chat(assistant, "职务发明的发明人能拿多少奖金？", "那实用新型呢？")
    assert _cited(first)[0] == ("中华人民共和国专利法实施细则", "第九十三条")
    assert _cited(utility)[0] == ("中华人民共和国专利法实施细则", "第九十三条")
    assert utility["lead"].startswith("一项实用新型专利或者外观设计专利的奖金最低不少于1500元")



@pytest.mark.slow
def test_a_service_invention_conversation_stays_with_the_patent_texts(assistant):
    """Session 44's creator sweep (PK): the third turn led with 著作权法第十八条 (works made for hire); 职务发明 names the patent
    kind, so a copyright-only text goes after the patent texts."""
    *_, contract = _chat(assistant, "职务发明的发明人能拿多少奖金？", "那实用新型呢？", "如果单位和我签了合同约定了奖励呢")
    assert contract["citations"] and "著作权" not in contract["citations"][0]["title"]
    assert contract["citations"][0]["title"].startswith("中华人民共和国专利法")
    assert counterparts.right_kinds("职务发明的奖励怎么算") == frozenset({"patent"})


@pytest.mark.slow
def test_a_taiwan_follow_up_is_not_answered_surely_by_investment_rules_on_another_matter(assistant):
    """Session 44's Taiwan sweep (TW): 「那台灣人呢？」 after a question on trademark agents was answered surely with the Taiwan
    investment rules' disputes and 「可以委托亲友作为其投资的代理人」, as if a relative could be a trademark agent. Those sources
    say nothing of trademarks: they are shown under the hedge line, not as the answer."""
    _, taiwan = _chat(assistant, "外國企業在大陸申請商標要委託代理機構嗎？", "那台灣人呢？")
    assert "台湾同胞投资保护" in taiwan["citations"][0]["title"]  # what the search finds for Taiwan
    assert taiwan["hedged"] and taiwan["answer"].startswith("以下是已收錄資料中與這個問題最相關的條文")


@pytest.mark.slow
def test_a_question_of_its_own_is_asked_of_the_conversation_s_kind_of_right(assistant):
    """Session 45's chat sweep (RK4): after three turns on licensing a university's invention patent, 「许可合同要备案吗？」 led
    with the trademark interpretation's unrecorded licences; the patent rules' 实施细则第十五条 answers."""
    *_, record = _chat(assistant, "我是福州一所大学的研究员，我们课题组的发明专利想许可给企业用，需要学校同意吗？",
                       "那许可收入我个人能分多少？", "如果学校一直不转化呢？", "许可合同要备案吗？")
    first = record["citations"][0]
    assert (first["title"], first["locator"]) == ("中华人民共和国专利法实施细则", "第十五条")
    # asked on its own, the same question names no right: nothing is moved, and the trademark interpretation still leads
    alone = assistant.ask("许可合同要备案吗？")
    assert alone["citations"][0]["title"] == "最高人民法院关于审理商标民事纠纷案件适用法律若干问题的解释"


@pytest.mark.slow
@pytest.mark.parametrize("follow_up, version", [("新修订的版本呢？", "2026-06-26"), ("修订后的版本怎么规定的", "2026-06-26"),
                                                ("旧的版本呢", "2019-04-23")])
def test_a_follow_up_naming_a_version_in_other_words_gets_that_version_s_article(assistant, follow_up, version):
    # Session 46's sweep H (VV): 「新修订的版本呢？」 after an answer from 商标法 was searched as a question of its own and
    # hedged with a court interpretation; it names the newer version as 「新版呢？」 does.
    first = "商标法第六十条怎么规定的" if version == "2026-06-26" else "2026年版商标法第七十四条讲什么？"
    answers = _chat(assistant, first, follow_up)
    lead = answers[1]["citations"][0]
    assert (lead["title"], lead["version_date"]) == (TRADEMARK_LAW, version)
    assert lead["locator"] == ("第七十四条" if version == "2026-06-26" else "第六十条")


@pytest.mark.slow
def test_a_follow_up_with_a_subject_of_its_own_is_not_answered_with_the_plan_s_term_again(assistant):
    # Session 48's sweep M (VK): after 「这个方案还在有效期内吗」, 「那能拿软著去质押贷款吗」 was answered, as sure, with the plan's
    # 施行与有效期 again: the merged text named 有效期. It asks about pledging a copyright; the plan's task on IP financing
    # (质押融资) is what the documents hold on it.
    term, pledge = _chat(assistant, "这个方案还在有效期内吗", "那能拿软著去质押贷款吗")
    assert term["citations"][0]["locator"] == "施行与有效期"
    assert all(c["locator"] != "施行与有效期" for c in pledge["citations"])
    assert "质押" in to_simplified(pledge["citations"][0]["chunk_text"])  # the plan's text is stored as supplied (Traditional)


@pytest.mark.slow
def test_a_follow_up_is_asked_of_the_implementing_text_of_the_conversation_s_law(assistant):
    # Session 48's sweep O (SI): after the inventor's reward (专利法第十五条), 「最少给多少」 was held to 专利法 and led with its
    # 第六十八条 (fines for passing off). The minimum is in the implementing rules: 实施细则第九十三条, 奖金最低不少于4000元.
    reward, least = _chat(assistant, "我在大学实验室时做的发明，学校拿去申请了专利，学校是不是应该给我奖励？", "最少给多少")
    assert (reward["citations"][0]["title"], reward["citations"][0]["locator"]) == ("中华人民共和国专利法", "第十五条")
    first = least["citations"][0]
    assert (first["title"], first["locator"]) == ("中华人民共和国专利法实施细则", "第九十三条")
    assert "4000元" in least["answer"]


@pytest.mark.slow
def test_paying_a_patent_fee_late_or_less_is_asked_in_everyday_words(assistant):
    # Session 48's sweep O (LR): 「晚交了会怎样」 after the annual fee led with 专利法第三十五条 (the examination request); the
    # statute writes late payment as 未缴纳…滞纳金 (实施细则第一百一十五条) and paying less as 减缴 (第一百一十七条).
    *_, late = _chat(assistant, "发明专利能保护多少年？", "年费从什么时候开始交", "晚交了会怎样")
    assert (late["citations"][0]["title"], late["citations"][0]["locator"]) == ("中华人民共和国专利法实施细则", "第一百一十五条")
    assert "滞纳金" in late["answer"]
    less = assistant.ask("申请专利的费用能不能少交点？")
    assert less["citations"][0]["locator"] == "第一百一十七条" and "减缴" in less["answer"]
