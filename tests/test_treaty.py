"""RCEP chapter 11 in the corpus: manifest and status, the term bridge, and cross-language answers.

The questions below were written from the treaty text before any retrieval result was seen."""
import csv
import json
import os
import re
import subprocess
import sys

import pytest

from rongzhi.assistant.bridge import bridge_terms
from rongzhi.assistant.locate import LocatorRef, doc_aliases, find_locators, mentioned_docs
from rongzhi.core.normalize import to_simplified
from rongzhi.core.settings import Settings
from rongzhi.ingest.manifest import Document, load_documents
from rongzhi.ingest.split_treaty import split_treaty
from rongzhi.ingest.treaty_terms import TERMS_PATH, en_pattern, fold, load_terms

TREATY_ID = "rcep-ch11-ip@2020-11-15"
TREATY_TITLE = "区域全面经济伙伴关系协定（RCEP）第十一章 知识产权"
TREATY_FILE = Settings.from_env().treaty_dir / "RCEP-ch11-intellectual-property.en.txt"
needs_treaty = pytest.mark.skipif(not TREATY_FILE.is_file(), reason="treaty directory not available")


# -- manifest ---------------------------------------------------------------------------------
@needs_treaty
def test_manifest_lists_the_treaty_read_in_place():
    doc = next(d for d in load_documents(Settings.from_env()) if d.doc_id == TREATY_ID)
    assert doc.title == TREATY_TITLE and doc.kind == "国际条约" and doc.splitter == "treaty"
    assert doc.version_date == "2020-11-15" and "RCEP" in doc.issuer
    assert doc.source == "treaties:RCEP-ch11-intellectual-property.en.txt"
    assert doc.path == str(TREATY_FILE) and doc.loaded  # read in place, not copied into the repo
    with open(Settings.from_env().corpus_dir / "manifest.tsv", encoding="utf-8") as fh:
        row = next(r for r in csv.DictReader(fh, delimiter="\t") if r["doc_id"] == TREATY_ID)
    if "effective_date" in row:
        assert row["effective_date"] == "2022-01-01"  # in force for China


def test_splitter_column_with_the_old_rule_as_fallback(monkeypatch, tmp_path):
    assert Document("fuzhou-ip-plan-2022", "t", "k").splitter == "plan"
    assert Document("x@2020", "t", "k").splitter == "law"
    assert Document("x@2020", "t", "k", splitter="treaty").splitter == "treaty"
    monkeypatch.setenv("RONGZHI_TREATY_DIR", str(tmp_path))
    assert Settings.from_env().treaty_dir == tmp_path.resolve()
    doc = next(d for d in load_documents(Settings.from_env(data_dir=tmp_path / "d")) if d.doc_id == TREATY_ID)
    assert not doc.loaded and "文件缺失" in doc.note


# -- the term bridge ----------------------------------------------------------------------------
@needs_treaty
def test_every_english_term_occurs_in_the_chapter_where_its_source_says():
    chunks = split_treaty(TREATY_FILE.read_text(encoding="utf-8"), {"doc_id": "r", "title": TREATY_TITLE,
                                                                    "kind": "国际条约"}, str(TREATY_FILE))
    whole = fold(" ".join(c.heading + "\n" + c.display for c in chunks))
    by_article: dict[str, str] = {}
    for c in chunks:  # all parts of an article
        by_article[c.locator] = by_article.get(c.locator, fold(c.heading)) + " " + fold(c.display)
    terms = load_terms()
    assert len(terms) >= 60
    for t in terms:
        assert t.zh and t.en and t.source and t.reason, t
        assert en_pattern(t.en).search(whole), t.en
        cited = [f"第{n}条" for n in re.findall(r"Article (11\.\d+)", t.source)]
        if cited:  # at least one cited article really uses the term
            assert any(en_pattern(t.en).search(by_article.get(loc, "")) for loc in cited), (t.en, t.source)
    header = TERMS_PATH.read_text(encoding="utf-8").split("\n")
    assert next(line for line in header if not line.startswith("#")) == "zh\ten\tsource\treason"


def test_bridge_adds_english_only_for_questions_about_the_treaty():
    assert "domain name" in bridge_terms(to_simplified("RCEP对域名争议有什么规定？")) or \
        "domain name dispute" in bridge_terms(to_simplified("RCEP对域名争议有什么规定？"))
    assert {"collective marks", "certification marks"} <= set(bridge_terms(to_simplified(
        "區域全面經濟夥伴關係協定對集體商標和證明商標有什麼規定？")))
    assert "grace period" in bridge_terms(to_simplified("RCEP關於專利優惠期的規定是什麼？"))  # Taiwan wording
    assert bridge_terms(to_simplified("认定驰名商标应当考虑哪些因素？")) == []  # Chinese law: no English
    assert bridge_terms(to_simplified("方案提到在什么协定框架下探索知识产权合作新机制？")) == []  # the plan
    assert "植物新品种" in bridge_terms("How must RCEP parties protect new varieties of plants?")
    assert "域名" in bridge_terms("What does RCEP require for domain name disputes?")


def test_rcep_names_the_treaty_and_its_numbering_locates_directly():
    docs = [{"doc_id": TREATY_ID, "title": TREATY_TITLE, "version_date": "2020-11-15"},
            {"doc_id": "tm", "title": "中华人民共和国商标法", "version_date": "2019-04-23"}]
    aliases = doc_aliases(docs)
    for q in ("RCEP对域名有什么规定", "rcep domain names", "区域全面经济伙伴关系协定的过渡期"):
        assert mentioned_docs(to_simplified(q), aliases) == [TREATY_ID]
    assert find_locators("RCEP第11.55条", aliases) == [LocatorRef(TREATY_ID, "第11.55条")]
    assert find_locators("What does RCEP Article 11.20 say", aliases) == [LocatorRef(TREATY_ID, "第11.20条")]
    assert find_locators("RCEP附件11A", aliases) == [LocatorRef(TREATY_ID, "附件11A")]
    refs = find_locators("商标法第十三条和RCEP第11.26条", aliases)
    assert refs == [LocatorRef("tm", "第十三条"), LocatorRef(TREATY_ID, "第11.26条")]


# -- on the full index --------------------------------------------------------------------------
RCEP_QUESTIONS = [
    ("RCEP对域名争议解决有什么要求？", "第11.55条"),
    ("RCEP是否要求缔约方保护集体商标和证明商标？", "第11.20条"),
    ("区域全面经济伙伴关系协定对地理标志的保护有什么规定？", "第11.29条"),
    ("RCEP关于规避有效技术措施有什么规定？", "第11.14条"),
    ("RCEP要求如何保护植物新品种？", "第11.48条"),
    ("RCEP对驰名商标的保护有哪些要求？", "第11.26条"),
    ("RCEP关于专利宽限期怎么说？", "第11.42条"),
    ("RCEP对恶意注册商标有什么规定？", "第11.27条"),
    ("RCEP对遗传资源、传统知识和民间文艺的保护有什么规定？", "第11.53条"),
    ("RCEP关于专利申请18个月公布的规定是什么？", "第11.44条"),
    ("RCEP对依权利人申请暂停放行涉嫌盗版或假冒商标货物有什么规定？", "第11.65条"),
    ("RCEP如何保护权利管理电子信息？", "第11.15条"),
    ("RCEP对工业设计的保护有什么要求？", "第11.49条"),
    ("RCEP给予广播组织哪些专有权？", "第11.12条"),
    ("RCEP是否允许声音注册为商标？", "第11.19条"),
    ("RCEP對網域名稱爭議有什麼規定？", "第11.55条"),
    ("區域全面經濟夥伴關係協定對集體商標和證明商標有什麼規定？", "第11.20条"),
    ("RCEP對植物新品種的保護有什麼要求？", "第11.48条"),
    ("RCEP關於專利優惠期的規定是什麼？", "第11.42条"),
    ("RCEP對馳名商標如何保護？", "第11.26条"),
    ("What does RCEP require for domain name disputes?", "第11.55条"),
    ("Does RCEP require protection of collective marks and certification marks?", "第11.20条"),
    ("What does RCEP say about patent grace periods?", "第11.42条"),
    ("RCEP rules on circumvention of technological measures", "第11.14条"),
    ("How must RCEP parties protect new varieties of plants?", "第11.48条"),
]


@pytest.mark.slow
@needs_treaty
@pytest.mark.parametrize("question", [
    "Under RCEP, does China have to give our Japanese parent the same IP protection as Chinese companies get?",
    "Does RCEP oblige Viet Nam to give our patents the same protection as Vietnamese firms get?",
    "RCEP要求中国给日本企业和中国企业一样的知识产权保护吗？",  # NZ (lay_terms.tsv): the same in Chinese
])
def test_asking_for_the_same_protection_as_a_country_s_own_firms_is_national_treatment(assistant, question):
    """Session 48's counsel sweep (N, Q17): put in everyday words, national treatment was a sure Article 11.5 (give
    effect to the chapter), and 11.7 was not cited at all (en_glossary.tsv: "same protection as" -> 国民待遇, which
    the bridge gives as "national treatment")."""
    first = assistant.ask(question)["citations"][0]
    assert (first["doc_id"], first["locator"]) == (TREATY_ID, "第11.7条"), first


@pytest.mark.slow
@needs_treaty
@pytest.mark.parametrize("question,locator", RCEP_QUESTIONS, ids=[q[:24] for q, _ in RCEP_QUESTIONS])
def test_rcep_questions_in_any_script_cite_the_right_article(assistant, question, locator):
    result = assistant.ask(question)
    assert result["answerable"]
    treaty = [c for c in result["citations"] if c["doc_id"] == TREATY_ID]
    assert locator in [c["locator"] for c in treaty], [(c["title"], c["locator"]) for c in result["citations"]]
    for c in treaty:  # quotes are the cleaned original English, offsets into the original file
        assert "=== PDF page" not in c["quote"] and not re.search(r"[a-z]\d{1,2}\b", c["quote"].replace("ccTLD", ""))
        assert re.search(r"[A-Za-z]{4}", c["quote"]) and not re.search(r"[\u4e00-\u9fff]", c["quote"])


@pytest.mark.slow
@needs_treaty
def test_answer_names_treaty_and_article_in_the_askers_script_beside_domestic_law(full_settings):
    # The lead line's wording is what is tested here; close calls (相关条文) are tested in test_assistant.py.
    from rongzhi.assistant.service import Assistant

    assistant = Assistant(full_settings.with_(close_ratio=1.01))
    zh = assistant.ask("RCEP对域名争议解决有什么要求？")
    assert zh["answer"].startswith("根据RCEP第十一章第11.55条「Domain Names」：\n“In connection with its system for "
                                   "the management of its country code top-level domain (ccTLD) domain names")
    assert "(b) appropriate remedies, at least in cases in which a person registers or holds, with a bad faith " \
           "intent to profit, a domain name that is identical or confusingly similar to a trademark." in zh["answer"]
    domestic = [c for c in zh["citations"] if c["doc_id"] != TREATY_ID]
    assert domestic and "域名" in domestic[0]["quote"]  # the Chinese rule on the same right, side by side
    source = open(zh["citations"][0]["source_path"], encoding="utf-8").read()
    first = zh["citations"][0]
    assert source[first["start"]:first["end"]].startswith("Article 11.55: Domain Names")
    hant = assistant.ask("RCEP對馳名商標如何保護？")
    assert "根據RCEP第十一章第11.2" in hant["answer"] and "「Protection of Well-Known Trademarks」" in hant["answer"]
    assert any(c["title"] == "中华人民共和国商标法" for c in hant["citations"])
    en = assistant.ask("What does RCEP say about patent grace periods?")
    assert en["answer"].startswith("According to RCEP Chapter 11, Article 11.42 「Grace Period for Patents」:")
    direct = assistant.ask("RCEP第11.6条")
    assert direct["citations"][0]["locator"] == "第11.6条" and direct["citations"][0]["quote"] == (
        "Each Party shall be free to establish its own regime for exhaustion of intellectual property rights.")


@pytest.mark.slow
@needs_treaty
@pytest.mark.parametrize("question,title", [
    ("认定驰名商标应当考虑哪些因素？", "中华人民共和国商标法"),
    ("发明专利权的期限是多久？", "中华人民共和国专利法"),
    ("知识产权海关保护备案需要提交什么？", "中华人民共和国知识产权海关保护条例"),
    ("How long is an invention patent protected in China?", "中华人民共和国专利法"),
    ("Can a sound be registered as a trademark in China?", "中华人民共和国商标法实施条例"),
])
def test_chinese_law_questions_do_not_drown_in_the_treaty(assistant, question, title):
    result = assistant.ask(question)
    assert result["citations"] and result["citations"][0]["title"] == title
    assert result["retrieved"][0]["doc_id"] != TREATY_ID


@pytest.mark.slow
@needs_treaty
def test_a_plant_variety_question_is_not_drowned_in_the_treaty(assistant):
    """RCEP Article 11.48 also speaks of plant varieties, but the question is about the national
    regulations. Their 2014 text was replaced on 2025-06-01 by a revision that is not loaded, so the
    answer is the repeal notice, with the regulations' own article (not the treaty) listed first."""
    result = assistant.ask("植物新品种权的保护期限是多少年？")
    assert not result["answerable"] and result["notice"] == "repealed"
    first = result["related"][0]
    assert (first["title"], first["locator"]) == ("中华人民共和国植物新品种保护条例", "第三十四条")
    assert first["status_label"].startswith("已失效（2025-06-01")


@pytest.mark.slow
@needs_treaty
def test_plan_task_20_stays_reachable(assistant):
    for question in ("方案提到在什么协定框架下探索知识产权合作新机制？", "福州如何探索RCEP框架下知识产权合作新机制？"):
        result = assistant.ask(question)
        assert result["citations"][0]["locator"] == "任务20", question


@pytest.mark.slow
@needs_treaty
def test_corpus_status_lists_the_treaty(full_settings):
    env = {**os.environ, "RONGZHI_DATA_DIR": str(full_settings.data_dir), "RONGZHI_LAW_DIR": str(full_settings.law_dir),
           "RONGZHI_TREATY_DIR": str(full_settings.treaty_dir)}
    proc = subprocess.run([sys.executable, "-m", "rongzhi.cli", "corpus", "status", "--json"], capture_output=True,
                          text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    doc = next(d for d in json.loads(proc.stdout)["documents"] if d["doc_id"] == TREATY_ID)
    assert doc["kind"] == "国际条约" and doc["chunks"] >= 85 and doc["status"] not in ("not loaded", "not_loaded")
    text = subprocess.run([sys.executable, "-m", "rongzhi.cli", "corpus", "status"], capture_output=True, text=True,
                          env=env, timeout=300).stdout
    assert "RCEP" in text


@pytest.mark.slow
@needs_treaty
def test_a_companion_rule_carries_the_right_s_own_words(assistant):
    """The domestic rule cited beside a treaty article must be on the same right. 「专利」 glosses few
    units (ingest glosses a widespread word only where a heading uses it) but the chapter uses it
    everywhere: paired on it, the grace-period article got 专利法第四十二条 (the patent term) beside it."""
    result = assistant.ask("RCEP成员国对专利宽限期怎么规定")
    assert result["citations"][0]["locator"] == "第11.42条"
    assert ("中华人民共和国专利法", "第四十二条") not in [(c["title"], c["locator"]) for c in result["citations"]]
    domain = assistant.ask("RCEP对域名争议解决有什么要求？")  # a specific right still gets its rule
    assert any("域名" in c["quote"] for c in domain["citations"] if c["doc_id"] != TREATY_ID)


# -- the Party-specific annexes and the chapter's silence on a value (session 23) ---------------
def _treaty_chunks():
    return split_treaty(TREATY_FILE.read_text(encoding="utf-8"), {"doc_id": "r", "title": TREATY_TITLE,
                                                                 "kind": "国际条约"}, str(TREATY_FILE))


@needs_treaty
def test_the_annexes_answer_only_questions_about_their_parties_or_subject():
    from rongzhi.assistant.treaty import annex_keys, applies, treaty_words

    chunks = _treaty_chunks()
    keys = annex_keys(chunks)
    assert {"cambodia", "viet nam", "lao pdr", "transition period"} <= keys["附件11A"]
    assert {"cambodia", "technical assistance"} <= keys["附件11B"]
    assert "for the purposes of this annex" not in keys["附件11A"]  # a Party's line, not any line ending in ':'
    annex = next(c for c in chunks if c.locator == "附件11A")
    article = next(c for c in chunks if c.locator == "第11.22条")
    for question in ("RCEP给越南保护声音商标留了几年过渡期？", "RCEP給寮國多長的過渡期？",
                     "How long can Cambodia delay protecting sound marks under RCEP?"):
        assert applies(annex, keys, treaty_words(to_simplified(question))), question
    generic = treaty_words("RCEP对注册商标的保护期限有什么规定？")
    assert not applies(annex, keys, generic)
    assert applies(article, keys, generic)  # an article always may answer


@needs_treaty
def test_the_chapter_is_silent_on_a_period_no_unit_states():
    from rongzhi.assistant.retrieve import Hit
    from rongzhi.assistant.treaty import annex_keys, silent_on

    chunks = _treaty_chunks()
    keys = annex_keys(chunks)
    unit: dict = {}
    for c in chunks:  # the first part of each unit
        unit.setdefault(c.locator, Hit(c))
    # The trademark articles write no term of protection; the transition annex's years are not one.
    ranked = [unit["附件11A"], unit["第11.22条"], unit["第11.19条"], unit["第11.23条"]]
    assert silent_on("RCEP对注册商标的保护期限有什么规定？", ranked, keys) == "duration"
    assert silent_on("RCEP对侵权赔偿多少钱有规定吗", [unit["第11.60条"]], keys) == "amount"
    # It does state these: publication after 18 months; Viet Nam's transition years.
    assert silent_on("RCEP要求专利申请多久公开？", [unit["第11.44条"]], keys) is None
    assert silent_on("RCEP给越南保护声音商标留了几年过渡期？", ranked, keys) is None
    # Questions that ask for no figure, or are about the plan, are not the rule's.
    assert silent_on("RCEP对商标注册有什么要求？", ranked, keys) is None
    assert silent_on("What does RCEP say about damages?", [unit["第11.60条"]], keys, english=True) is None
    assert silent_on("方案里RCEP的任务要在多久内完成？", ranked, keys) is None


@pytest.mark.slow
@needs_treaty
def test_a_period_rcep_does_not_set_is_said_and_chinese_law_quoted(assistant):
    """Before: the transition annex (other Parties' delays) and 商标法实施条例 were quoted as a close call."""
    result = assistant.ask("RCEP对注册商标的保护期限有什么规定？")
    assert result["answer"].startswith("RCEP第十一章没有写明这一期限。")
    assert result["notice"] == "treaty_silent"
    assert result["citations"][0]["title"] == "中华人民共和国商标法"
    assert "十年" in result["citations"][0]["quote"]
    assert all(c["doc_id"] != TREATY_ID for c in result["citations"])
    hant = assistant.ask("RCEP對註冊商標的保護期限有什麼規定？")
    assert hant["answer"].startswith("RCEP第十一章沒有寫明這一期限。")
    english = assistant.ask("How long does RCEP protect copyright?")
    assert english["answer"].startswith("RCEP Chapter 11 states no such period.")
    assert english["citations"][0]["title"] == "中华人民共和国著作权法"


@pytest.mark.slow
@needs_treaty
@pytest.mark.parametrize("question", ["在RCEP成员国提交的专利申请，多长时间以后会被公开？", "RCEP規定專利申請多久要公布？",
                                      "Under RCEP, how long after filing is a patent application published?"])
def test_a_value_asked_of_rcep_is_on_the_answer_s_first_line(assistant, question):
    """TV (session 39): an answer led by Article 11.44 opened with its header only, 18 months deep in the English quote."""
    result = assistant.ask(question)
    assert result["citations"][0]["locator"] == "第11.44条"
    first = result["answer"].split("\n")[0]
    assert first.startswith("“Each Party shall publish any patent application") and "18 months" in first, first


def test_a_stated_value_is_a_sentence_not_a_cell_of_an_annex():
    from rongzhi.assistant.answer_types import asked_values_en
    from rongzhi.assistant.treaty import stated_value
    values = asked_values_en("几年过渡期？")
    assert stated_value("Viet Nam:\nProvisions Transition Periods\nThree years\nFive years", values) is None
    quoted = "1. Each Party shall provide for a period of five years for this purpose. 2. Nothing in this Article applies."
    assert stated_value(quoted, values) == "Each Party shall provide for a period of five years for this purpose."
    assert stated_value("Each Party shall provide for a period of five years.", values) is None  # the whole quote


@pytest.mark.slow
@needs_treaty
def test_the_transition_annex_answers_a_party_s_question_not_others(assistant):
    vietnam = assistant.ask("RCEP给越南保护声音商标留了几年过渡期？")
    assert vietnam["citations"][0]["locator"] == "附件11A"
    assert "Viet Nam" in vietnam["citations"][0]["quote"]
    patents = assistant.ask("RCEP规定专利保护期是多少年？")
    assert "附件11A" not in [c["locator"] for c in patents["citations"]]
    # Session 43's sweep: "Vietnam", as most people spell it, found no annex part ("Viet Nam" is the annex's).
    english = assistant.ask("Does Vietnam get any transition period under the RCEP IP chapter?")
    quote = english["citations"][0]["quote"]
    assert english["citations"][0]["locator"] == "附件11A" and "Viet Nam" in quote and "Cambodia" not in quote


@pytest.mark.parametrize("question,membership", [
    ("RCEP有哪些缔约方", True), ("台湾是RCEP成员吗", True), ("RCEP成员国有哪些？", True), ("中国加入RCEP了吗", True),
    ("Which countries are parties to RCEP?", True), ("Is Taiwan a member of RCEP?", True),
    # what the Parties must do, or which have a transition period, is the chapter's own subject
    ("RCEP缔约方对驰名商标有什么义务", False), ("RCEP里哪些缔约方有过渡期", False), ("日本在RCEP里有没有过渡期", False),
    ("Is a party required to protect well-known marks under RCEP?", False), ("福州怎么参与RCEP框架下的知识产权合作", False),
    # a bare trailing "which countries?" asks which countries the sentence before it is about (session 31's sweep)
    ("Under RCEP can a country give extra time to implement the IP obligations? Which countries?", False),
    ("RCEP缔约方对驰名商标有什么义务？有哪些国家？", False), ("Is Japan a member of RCEP? Which countries?", True),
])
def test_a_question_about_who_is_a_party_is_told_the_chapter_lists_none(question, membership):
    from rongzhi.assistant import query as q
    from rongzhi.assistant.treaty import asks_membership

    assert asks_membership(q.parse(question, 500, list).norm) is membership


def test_membership_questions_are_declined_with_what_the_chapter_lacks(assistant):
    # Session 24's officer sweep: 「RCEP有哪些缔约方」 was answered 「根据RCEP第十一章第11.76条」 (The Parties recognise …)
    # and 「台湾是RCEP成员吗」 got no word that the loaded chapter cannot say.
    for question, words in (("RCEP有哪些缔约方", "没有列出协定的缔约方"), ("台灣是RCEP成員嗎？", "沒有列出協定的締約方"),
                            ("Is Taiwan a member of RCEP?", "does not list the Agreement's Parties")):
        result = assistant.ask(question)
        assert result["notice"] == "treaty_membership" and not result["citations"] and words in result["answer"]
    duty = assistant.ask("RCEP缔约方对驰名商标有什么义务")
    assert duty["citations"] and duty.get("notice") != "treaty_membership"
    delay = assistant.ask("Under RCEP can a country give extra time to implement the IP obligations? Which countries?")
    assert delay.get("notice") != "treaty_membership" and delay["citations"][0]["locator"] == "第11.79条"  # "… in accordance with Annex 11A"


@pytest.mark.slow
@pytest.mark.parametrize("question,locator", [
    ("我们打算把茉莉花茶卖到日本去，RCEP里地理标志是怎么保护的", "第11.29条"),
])
def test_the_treaty_article_headed_by_just_what_is_asked_leads(assistant, question, locator):
    # Session 47's sweep K (TH): answered surely with 第11.25条 "Protection of Trademarks that Predate Geographical
    # Indications"; the article headed "Protection of Geographical Indications" was third.
    result = assistant.ask(question)
    assert result["citations"][0]["locator"] == locator, [c["locator"] for c in result["citations"]]
    assert result["citations"][0]["locator"] != "第11.25条"


@pytest.mark.slow
def test_a_treaty_heading_is_read_without_its_framing_words(assistant):
    # The headings as ingest keeps them (split_treaty: Chunk.heading), footnote calls and plural s dropped.
    from rongzhi.assistant.engine import _HEADING_FRAME, HEADING_WORDS, _english_words

    headings = {c.locator: c.heading for c in assistant.reader.chunks if c.locator.startswith("第11.")}
    assert _english_words("Bad Faith Trademarks21") == {"bad", "faith", "trademark"}
    assert _english_words(headings["第11.27条"]) == {"bad", "faith", "trademark"}
    heading = headings["第11.29条"]
    assert _english_words(heading) - _HEADING_FRAME == {"geographical", "indication"}
    # TH'': one word left ("Obligations") names a whole field; the membership test's "…implement the IP obligations?"
    heading = headings["第11.5条"]
    assert len(_english_words(heading) - _HEADING_FRAME) < HEADING_WORDS
    heading = headings["第11.21条"]
    assert _english_words(heading) - _HEADING_FRAME == {"trademark", "classification"}  # TH' (dev d434)
