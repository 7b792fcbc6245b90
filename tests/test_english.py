"""English questions' references (assistant/english.py): no index needed.

Why: the locator reads Chinese references only; "What does Article 10 of the Copyright Law say?"
quoted 著作权法第六十二条 as the answer, and "Task 19 of the Fuzhou plan" the plan's publication note."""
import pytest

from rongzhi.assistant import english
from rongzhi.assistant.query import parse


def _tokenize(text):
    return text.split()


@pytest.mark.parametrize("question,references", [
    ("What does Article 10 of the Copyright Law say?", "著作权法第十条"),
    ("Patent Law Art. 42", "专利法第四十二条"),
    ("patent-law article 42?", "专利法第四十二条"),
    ("What is Task 19 of the Fuzhou plan?", "任务19"),
    # a longer name takes its words first: the implementing rules, not the Patent Law
    ("Under the Patent Law Implementing Rules, what does article 28 require?", "专利法实施细则第二十八条"),
    ("Articles 10 to 12 of the Anti-Unfair Competition Law", "反不正当竞争法第十条 反不正当竞争法第十一条 反不正当竞争法第十二条"),
    # each article goes with the law named nearest to it
    ("Compare Article 63 of the Trademark Law with Article 71 of the Patent Law",
     "商标法第六十三条 专利法第七十一条"),
    # which version: the locator's own prefixes
    ("What changed in the new Trademark Law?", "新商标法"),
    ("Is the new Chinese trademark law already in effect?", "新商标法"),
    ("Article 7 of the 2019 Anti-Unfair Competition Law", "2019年反不正当竞争法第七条"),
    ("Trademark Law (2026), article 87", "2026年商标法第八十七条"),
    # a follow-up about the law already in the conversation
    ("What about article 43?", "第四十三条"),
    # RCEP's own numbering is read by the locator as it is; no law named, nothing to add
    ("What does Article 11.5 of RCEP say?", ""),
    ("How do I register a trademark?", ""),
    ("What is the patent law article about?", "专利法"),
])
def test_english_references_are_written_as_the_chinese_the_locator_reads(question, references):
    assert english.references(question) == references


def test_the_references_reach_the_normalized_question():
    query = parse("What does Article 10 of the Copyright Law say?", tokenize=_tokenize)
    assert query.is_english and "著作权法第十条" in query.norm


@pytest.mark.parametrize("question,asked", [
    ("What changed in the new Trademark Law?", True),
    ("What are the differences between the 2019 and 2025 Anti-Unfair Competition Law?", True),
    ("What did the revision of the Arbitration Law change?", True),
    ("What's new in the trademark law?", True),
    ("What changed about punitive damages in the Trademark Law?", False),  # a topic: the search answers it
    ("What is the difference between the Trademark Law and the Copyright Law?", False),  # two laws
    ("How do I change my registered trademark?", False),  # no law named
])
def test_an_english_question_about_what_a_revision_changed(question, asked):
    assert english.asks_changes(question) is asked


@pytest.mark.parametrize("question,names,lookup", [
    ("What does Article 44 of the Labor Law say?", ["Labor Law"], True),
    ("Labour Contract Law Article 10", ["Labour Contract Law"], True),
    ("Under Article 3 of China's Labor Law, can my employer fire me?", ["Labor Law"], False),
    ("What does Article 900 of the Patent Law say?", [], True),  # a loaded law: the locator says the article is missing
    ("How long is a patent valid under Article 42 of the Patent Law?", [], False),
    ("What does Article 11.5 of RCEP say?", [], True),
])
def test_a_law_that_is_not_loaded_is_named_and_a_bare_lookup_is_told_apart(question, names, lookup):
    assert english.unknown_names(question) == names
    assert english.only_a_lookup(question) is lookup


def test_every_english_name_points_at_a_law_name_the_corpus_uses():
    from rongzhi.core.tables import read_table

    rows = read_table(english.LAW_NAMES, ("en", "zh", "source"))
    assert rows and all(r["source"] for r in rows)  # each row says where the name comes from
    assert len({english.normalize(r["en"]) for r in rows}) == len(rows)  # no name twice
    from .conftest import LAW_DIR

    if LAW_DIR.is_dir():
        titles = [r["title"] for r in read_table(LAW_DIR / "MANIFEST.tsv", ("title",))]
        assert [r["zh"] for r in rows if not any(r["zh"] in t for t in titles)] == []


def test_the_plan_s_targets_are_quoted_with_both_horizons(assistant):
    # Session 24's officer sweep: "What are the targets …?" quoted the 到2025年6月 goals and none of the 至2025年末
    # figures: the targets are split by horizon for retrieval, but they are one provision.
    result = assistant.ask("What are the targets of the Fuzhou IP plan for 2025?")
    first = result["citations"][0]
    assert first["locator"] == "主要目标"
    assert "到2025年6月" in result["answer"] and "达到10件" in result["answer"] and "40万件" in result["answer"]


@pytest.mark.parametrize("question,word", [("Which tasks mention universities?", "高校"),
                                           ("Which tasks of the plan mention research institutes?", "科研院所")])
def test_which_tasks_name_a_kind_of_body_asked_in_english(assistant, question, word):
    # Session 29's CLI sweep: "which tasks mention universities" got 科学技术进步法 articles as "related", because the
    # glossary had no Chinese for the word; the Chinese question lists the plan's tasks that write 高校.
    chinese = assistant.ask(f"哪些任务提到{word}？")
    result = assistant.ask(question)
    assert result["answer"].startswith("Tasks of the plan whose text names") and f"「{word}」" in result["answer"]
    assert [c["locator"] for c in result["citations"]] == [c["locator"] for c in chinese["citations"]]
    assert len(result["citations"]) >= 5


@pytest.mark.slow
def test_a_foreign_protection_term_is_declined_and_a_limitation_period_is_found(assistant):
    # Session 36's sweep P: "What is the patent term in Japan?" was answered outright from 专利法实施细则第五条, and "statute of
    # limitations" never reached 专利法第七十四条 (诉讼时效为三年).
    japan = assistant.ask("What is the patent term in Japan?")
    assert not japan["answerable"] and japan.get("notice") == "out_of_scope"
    limit = assistant.ask("What is the statute of limitations for patent infringement lawsuits in China?")
    assert ("中华人民共和国专利法", "第七十四条") in [(c["title"], c["locator"]) for c in limit["citations"][:3]], \
        limit["citations"]


@pytest.mark.slow
def test_expropriation_asked_in_english_finds_the_article_on_it(assistant):
    # Session 37's sweep R, T10: no glossary row read "expropriate", and 台湾同胞投资保护法第七条 led.
    result = assistant.ask("Can the government expropriate a Taiwanese investor's investment in Fuzhou?")
    assert (result["citations"][0]["title"], result["citations"][0]["locator"]) == ("中华人民共和国台湾同胞投资保护法", "第四条")


@pytest.mark.parametrize("question, elliptical", [
    ("What about a design patent?", True), ("And trademarks?", True), ("so how about utility models", True),
    ("And for Taiwan compatriots?", True), ("What about how long it lasts?", False),
    ("And how do I renew it?", False), ("And is it the same for trademarks?", False),
    ("What is a design patent?", False)])
def test_what_about_x_is_read_as_the_english_x_ne(question, elliptical):
    from rongzhi.assistant.scope import is_elliptical

    assert is_elliptical(question) is elliptical


@pytest.mark.slow
def test_an_english_what_about_follow_up_asks_the_previous_question_of_its_thing(assistant):
    # Known gap of session 46 (EE): "What about a design patent?" after a question on how long an invention patent lasts
    # was answered with 专利法第二条 (what a design is), not 第四十二条, which gives both terms.
    history = [assistant.ask("How long does an invention patent last?")]
    answer = assistant.ask("What about a design patent?", history=history)
    lead = answer["citations"][0]
    assert (lead["title"], lead["locator"]) == ("中华人民共和国专利法", "第四十二条")
    assert "十五年" in lead["chunk_text"]
