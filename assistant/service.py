"""The assistant: loads the index and models once and answers questions, in one order:

    understand (validate, script, tokens, named documents and locators)
      -> scope (off-topic questions are declined before any search)
      -> retrieve and fuse -> follow-up rerank -> relevance gate -> compose   (engine.py)
      -> optional LLM rewrite, verified against the quotes (llm.py)

``Assistant.ask`` returns the JSON contract of ``rongzhi ask --json`` (see ``compose.answer_dict``):
{question, answer, answerable, language, citations[{n, doc_id, title, locator, quote, score…}],
 mode, timings_ms, retrieved, related, notice?, needs_doc?, llm?}

The assistant never builds an index: callers that may run first (the CLI, the UI) call
``rongzhi.index.build.ensure_index`` before constructing it.
"""
from __future__ import annotations

import re
import time
from dataclasses import replace

from rongzhi.core.chunks import Chunk
from rongzhi.core.errors import IndexMissing, UnknownValue
from rongzhi.core.normalize import count_script_chars, original_wording, to_simplified
from rongzhi.core.numerals import int_to_cn
from rongzhi.core.settings import TYPO_MODES, Settings, apply_offline_env
from rongzhi.core.versions import SUPERSEDED, date_int, describe
from rongzhi.ingest.split_plan import LOC_TARGETS
from rongzhi.ingest.split_treaty import TREATY_KIND

from . import code_books
from . import compose as composer
from . import counterparts
from . import english
from . import implements
from . import injection
from . import outline
from . import versions
from . import query as q
from . import unloaded_laws
from .answer_types import answer_type_match, asked_types, asked_values, markers_for
from .bodies import (ASKS_WHO, BODY_TASKS, as_the_plan_names, asked_body, bodies_note, body_named, is_office,
                     tasks_naming)
from .filters import Filters
from .penalties import LAW_ARTICLE, referring_part, references
from .treaty import (MEMBERSHIP_EN, MEMBERSHIP_ZH, TreatyScope, applies, asks_membership, asks_treaty_itself, is_treaty,
                     silent_on, treaty_units, treaty_words)
from .locate import (WORD_FOUND_PARTS, LocatorRef, asks_its_text, back_references, bare_articles, citations_of,
                     doc_aliases, find_locators, following_item, mentioned_docs, names_an_item, only_a_lookup,
                     relative_item, title_names, unknown_law_names, without_citations_of, without_names)
from .retrieve import Hit, Retriever
from .subjects import off_subject
from rongzhi.core.roles import MEASURES, PLAN, doc_with_role
from .scope import (asked_part, asks_a_consequence, asks_a_law_about_it, asks_about_a_crime, asks_chinas_law,
                    asks_chinese_text, asks_crime_threshold, asks_document_identity, asks_english_text, asks_example,
                    asks_more, asks_of_the_previous, asks_overview, asks_previous_text, compares_versions,
                    continues_in_time, is_elliptical, is_follow_up, is_short, names_ip, needs_measures, off_topic,
                    own_words, points_back, refers_back, restate_script, subjectless, topics_named)

DECLINE_ZH = "抱歉，现有资料中没有找到能回答这个问题的内容。榕知只依据已收录的福州知识产权政策和国家知识产权法律文本作答。"
DECLINE_EN = ("Sorry, nothing in the loaded documents answers this question. RongZhi answers only from "
              "Fuzhou's IP policy documents and Chinese IP law texts it has loaded.")
OUT_OF_SCOPE_ZH = ("这是{topic}方面的问题，不在榕知收录的范围内：榕知只依据已收录的福州知识产权政策和国家知识产权法律文本作答。"
                   "如果您的问题涉及专利、商标、著作权或商业秘密，请把这一点写进问题里再问。")
OUT_OF_SCOPE_EN = ("This is a question about {topic}, which RongZhi does not cover: it answers only from Fuzhou's IP policy and "
                   "the Chinese IP law texts it has loaded. If your question involves a patent, trademark, copyright or trade "
                   "secret, say so in the question and ask again.")
# The same, for a question that already names its IP subject (「申请一件发明专利，申请费要交多少钱？」): asking the user to say so
# would send them round in a circle (session 38's sweep T, D01, D03, D06).
OUT_OF_SCOPE_IP_ZH = ("这是{topic}方面的问题：虽然与知识产权有关，但已收录的福州知识产权政策和国家知识产权法律文本中没有{topic}的具体规定，"
                      "榕知无法作答，也不会猜测。")
OUT_OF_SCOPE_IP_EN = ("This is a question about {topic}. It concerns IP, but the Fuzhou IP policy and Chinese IP law texts RongZhi has "
                      "loaded do not set the specifics of {topic}, so RongZhi cannot answer it and will not guess.")
MEASURES_MISSING = ("已收录的文件中没有回答这个问题的具体规定。福州市知识产权专项资金的资助项目、条件和金额由《福州市知识产权专项资金管理办法》"
                    "（榕政办规〔2022〕7号）规定，但该文件全文尚未加载，榕知无法确认其中是否有相关规定，也不会猜测。"
                    "如您有该文件，可运行 `rongzhi corpus add 文件路径` 加载后再问。")
MEASURES_MISSING_EN = ("The loaded documents have no specific rule that answers this. The items, conditions and amounts of Fuzhou's "
                       "IP special fund are set by 《福州市知识产权专项资金管理办法》 (榕政办规〔2022〕7号), which is not loaded, so "
                       "RongZhi cannot tell whether it covers this and will not guess. Add it with `rongzhi corpus add FILE`.")
# A question whose best source is a repealed document (manifest ``repealed_on``): what answers it now
# is the document that replaced it, which is not loaded. Quoting the repealed text as the answer, or a
# neighbour instead, would be an outdated or wrong citation.
# How alike (character-bigram Dice, ``versions.similarity``) a sentence of a text in force must be to the repealed
# text's sentence stating the asked value for the law in force to have taken that rule over: 「侵犯专利权的诉讼时效为三年，
# 自…知道或者应当知道侵权行为以及侵权人之日起计算」 against the 2015 rules' 「…为二年…」 is 0.8; on dev, another law's
# article on another right (商标 interpretation's 诉讼时效 for a patent question) is 0.59 (session 29, DECISIONS).
RESTATED = 0.7
# A text applying a law's article: 「依照专利法第六十三条的规定」「参照《商标法》第六十三条」 (the law's name, without 中华人民共和国).
_APPLIES_LAW = re.compile(r"(?:依照|参照|按照)《?(?:中华人民共和国)?([\u4e00-\u9fff]{1,20}?法)》?第[一二三四五六七八九十百零]+条")
# A quotation of at least ten characters (「…所称的“发明或者实用新型专利权的保护范围以其权利要求的内容为准…”」).
_QUOTED = re.compile(r"“([^”]{10,})”")
# A document's overview (DO): its size, its parts, and its first article (a law's purpose).
OVERVIEW = {"zh": "《{title}》共{count}条。", "zh-parts": "分为{n}{unit}：{parts}。", "zh-first": "其{locator}写明："}
_ARTICLE = re.compile(r"第[^条]{1,12}条")  # an article, of a law (第四十二条) or of the treaty (第11.1条)
_CHAPTER = re.compile(r"第[一二三四五六七八九十]+章")
MAX_TOPIC_TASKS_SINGULAR = 3  # tasks writing a topic asked of 「哪一项任务」 that are all listed (WT2)
REPEALED = ("这个问题原由《{title}》规定，但该文件已于 {day} 失效，由{replaced_by}取代；新文件全文尚未加载，"
            "榕知不依据已失效的条文作答，也不猜测新规定。失效前的条文列在“可能相关”中，仅供查对历史。")
REPEALED_EN = ("The provision that answered this, in 《{title}》, ceased to be in force on {day}, replaced by {replaced_by}, "
               "which is not loaded: RongZhi does not answer from text no longer in force or guess the new rule. The old "
               "article is listed as possibly related, for reference only.")
# A follow-up asking an amount or a period of the provision the previous answer cited, which states none.
VALUE_NOT_STATED = ("上一回答所引的{names}没有写明所问的数额或期限，榕知不把它当作答案重复引用，也不猜测。"
                    "如要查具体的费用、金额或期限，请把要问的事项写完整再问，榕知会在全部已收录的文件中查找。")
VALUE_NOT_STATED_EN = ("{names}, cited in the previous answer, states no such amount or period; RongZhi does not quote it again as "
                       "the answer or guess one. Ask about the fee, amount or period in full and all loaded texts are searched.")
# A follow-up after a look-up that names another law or kind of right (「那商标呢？」) or Taiwan (「那台湾人呢？」), when those
# texts have no counterpart of the article (counterparts.py): said, rather than quoting the article again or an unrelated one.
NO_COUNTERPART = ("《{law}》中没有找到与上一回答所引《{title}》{locator}相应的规定，榕知不拿无关条文充数。"
                  "如要查《{law}》的其他内容，请把要问的事项写完整再问。")
NO_COUNTERPART_EN = ("RongZhi found nothing in 《{law}》 that corresponds to 《{title}》{locator}, cited in the previous answer, "
                     "and quotes nothing unrelated instead. To ask about something else in it, ask the whole question.")
NO_TAIWAN_RULE = ("已收录的文件中涉及台湾的内容（{texts}）没有就上一回答所引《{title}》{locator}的事项对台湾同胞另作规定，"
                  "榕知不把该条重复引用为答案，也不拿无关条文充数。")
NO_TAIWAN_RULE_EN = ("The loaded texts about Taiwan ({texts}) have no rule of their own for Taiwan compatriots on what "
                     "《{title}》{locator}, cited in the previous answer, provides; RongZhi does not quote that article again "
                     "as the answer, or anything unrelated.")
# A kind of right named after a look-up of a plan task (「那商标呢？」 after 「任务19是什么？」): what the plan's tasks write about
# it (``_right_in_tasks``), never the task again as if it answered.
RIGHT_IN_TASKS = {
    "zh-own": "方案重点任务第{n}项中写到{right}的是：",
    "zh-also": "方案中写到{right}的还有以下 {count} 项任务：",
    "zh-not": "方案重点任务第{n}项「{title}」没有写到{right}。方案中写到{right}的是以下 {count} 项任务：",
    "zh-none": "方案重点任务第{n}项「{title}」和方案的其他重点任务都没有写到{right}，榕知不把该任务重复引用为答案。",
    "en-own": "Task {n} of the plan says this about {right}:",
    "en-also": "{count} other task(s) of the plan also mention {right}:",
    "en-not": "Task {n} of the plan (「{title}」) does not mention {right}. The plan's tasks that do ({count}):",
    "en-none": ("Neither task {n} of the plan (「{title}」) nor any other of its tasks mentions {right}; RongZhi does not "
                "quote that task again as the answer."),
}
TOPIC_TASKS = "方案中写到「{topic}」的重点任务有 {count} 项："
CRIME_THRESHOLD = ("提示：构成犯罪的数额、数量标准由《中华人民共和国刑法》和最高人民法院、最高人民检察院的司法解释规定，榕知未收录《刑法》；"
                   "{repealed}以下引用的已收录条文没有写这些标准。")
CRIME_REPEALED = "已收录的《{title}》已于 {day} 失效，由{by}取代（未收录）；"
CRIME_THRESHOLD_EN = ("Note: the amounts and quantities that make an act a crime are set by the Criminal Law of the "
                      "PRC and by interpretations of the Supreme People's Court and the Supreme People's "
                      "Procuratorate; RongZhi has not loaded the Criminal Law; {repealed}the loaded provisions quoted "
                      "below do not state these thresholds.")
CRIME_REPEALED_EN = "the loaded 《{title}》 ceased to apply on {day} and was replaced by {by} (not loaded); "
# Before a decline of a question about whether an act is a crime (CN, session 43's sweep: 「卖假名牌包会坐牢吗」).
CRIME_DECLINED = ("提示：是否构成犯罪、如何定罪量刑由《中华人民共和国刑法》和最高人民法院、最高人民检察院的司法解释规定，"
                  "榕知未收录《刑法》；{repealed}")
_CRIMINAL = re.compile(r"刑事|刑法")  # a criminal text: its title says so (侵犯知识产权刑事案件…的解释)
MORE_ZH = "除上一回答已引用的条文外，榕知找到的还有："
MORE_EN = "Besides the provisions the previous answer cited, RongZhi found:"
EXAMPLE_ZH = "提示：榕知只引用已收录的法律和政策原文，没有收录案例或示例，也不自行编写；以下是上一回答所引的条文。"
EXAMPLE_EN = ("Note: RongZhi quotes the loaded texts only; it holds no cases or examples and does not make them up. "
              "The provision the previous answer cited is quoted below.")
# China named in a follow-up (the jurisdiction of every loaded law; frame_words.tsv's row 中国|我国|国内|大陆|内地).
_CHINA = re.compile(r"中国|我国|国内|大陆|内地|\bchina\b", re.I)
# A follow-up pointing at "this task" (这项任务, 该任务): the previous answer's first task, whatever it cited first.
_THIS_TASK = re.compile(r"[这该此那][项个一条]?任务|\b(?:this|that|the) task\b", re.I)
# A homophone typo read as a term (typos.py): said, so that a wrong reading is seen and can be asked again.
TYPO_NOTE = "提示：问题中的{pairs}，如不是这个意思，请改正后再问。"
NO_ENGLISH_TEXT = "提示：榕知只收录了《{title}》的中文文本，没有英文译本，以下引用的是中文原文（榕知不自行翻译法律条文）。"
HOW_TO_LOAD = "如您有该文件，可运行 `rongzhi corpus add 文件路径` 加载后再问。"
HOW_TO_LOAD_EN = "If you have the document, load it with `rongzhi corpus add PATH` and ask again."
NO_CHINESE_TEXT = "提示：榕知只收录了《{title}》的英文文本，没有中文译本，以下引用的是英文原文（榕知不自行翻译条约条文）。"
NO_CHINESE_TEXT_EN = ("Note: only the English text of 《{title}》 is loaded; there is no Chinese translation in RongZhi, "
                      "so the English text is quoted (RongZhi does not translate treaty texts).")
NO_ENGLISH_TEXT_EN = ("Note: only the Chinese text of 《{title}》 is loaded; there is no English translation in RongZhi's "
                      "corpus, so the Chinese original is quoted (RongZhi does not translate statutes itself).")
MEASURES_NOTE = ("注：福州市知识产权专项资金的资助项目和金额由《福州市知识产权专项资金管理办法》（榕政办规〔2022〕7号）规定，"
                 "该文件全文尚未加载，榕知无法确认其中是否有这方面的资助；以上只是已收录文件中的相关内容。"
                 "如您有该文件，可运行 `rongzhi corpus add 文件路径` 加载。")
MEASURES_NOTE_EN = ("Note: the items and amounts of Fuzhou's IP special fund are set by 《福州市知识产权专项资金管理办法》 "
                    "(榕政办规〔2022〕7号), which is not loaded, so RongZhi cannot tell whether it covers this; the above is "
                    "what the loaded documents say. Add it with `rongzhi corpus add FILE`.")
TARGETS_NOTE = ("注：方案「主要目标」写的是计划在其期限内达到的目标，不是实际完成情况；榕知没有收录福州的统计数据或对方案完成情况的评估，"
                "实际数字请以主管部门发布的统计为准。")
TARGETS_NOTE_EN = ("Note: the plan's 主要目标 are what it set out to reach by its dates, not what was reached; RongZhi holds no "
                   "statistics or evaluation of results, so check the figures the competent authorities publish.")
OUTLINE_ALL = "{title}的重点任务共 {count} 项，分 {sections} 个部分（标题按方案原文）："
OUTLINE_SECTION = "{title}重点任务的第{n}部分共 {count} 项（标题按方案原文）："
OUTLINE_NO_SECTION = "方案的重点任务只分 {sections} 个部分，没有第{n}部分。"
WHICH_DOCUMENT = "请说明是哪部法律或文件的这一条（例如“专利法第二十条”），或在对话中先问到该文件。"
# What only the special-fund measures (and the yearly calls under them) can say about the fund:
# how much, who qualifies, what to submit, and when to apply.
FUND_SPECIFICS = ("amount", "eligibility", "submission", "duration")
TREATY_NAME = "RCEP"  # how a question names the treaty (bridge.TREATY_NAMES): a follow-up asked of it is searched after it
MAX_CONTENDERS = 3  # sources shown side by side when the ranker cannot tell them apart
# A question about Taiwan (normalized to Simplified) and how the plan names Taiwan compatriots' matters.
TAIWAN = re.compile(r"台湾|台胞|台资|台商|台企|两岸|榕台|涉台")  # 涉台: Taiwan-related, as officials write it (TW3)
TAIWAN_EN = re.compile(r"\btaiwan", re.I)
_ANY_IP = re.compile(r"知识产权|工业产权")  # IP as a whole, which is about every right (_taiwan_as_foreign)
TAIWAN_IN_PLAN = re.compile(r"台湾|两岸|榕台|涉台")
# The city as the place a question asks about (the plan is Fuzhou's): 福州, 榕城, 市里 / 本市 / 我市.
_CITY_WORDS = r"福州|榕城|市里|本市|我市"
_CITY = re.compile(_CITY_WORDS + r"|fuzhou", re.I)
# ... asked what it offers or does (「市里有没有整治…的措施」「福州有什么支持」), not merely where the asker is (「我们是福州的厂家」: CT').
_CITY_DOES = re.compile(r"(?:" + _CITY_WORDS + r"|市政府)[^，,。；;？?！!]{0,16}?(?:措施|机制|政策|支持|扶持|举措|办法|做法|服务|"
                        r"帮助|平台|整治|行动)|\bwhat (?:does|do|can) fuzhou\b|\bfuzhou(?:'s)? (?:support|polic|measure|help)",
                        re.I)
# An article about foreigners or filing abroad: never *the* answer for Taiwan compatriots (rule T, session 25).
FOREIGNERS = re.compile(r"外国人|外国企业|外国其他组织|外国申请人|向外国申请")
PENALTY_TYPES = ("consequence", "amount")  # answered by the article punishing a rule (penalties.py)
PUNISHMENT = re.compile(r"罚|处分|坐牢|判刑|刑事责任|penalt|\bfined?\b|punish", re.I)  # asks about a punishment
# RCEP's chapter sets no term of protection and no damages figure (treaty.silent_on).
SILENT = {"duration": "RCEP第十一章没有写明这一期限。", "amount": "RCEP第十一章没有写明这一数额。"}
SILENT_EN = {"duration": "RCEP Chapter 11 states no such period.", "amount": "RCEP Chapter 11 states no such amount."}


class Assistant:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings.from_env()
        if self.settings.typos not in TYPO_MODES:  # said before the index is read
            raise UnknownValue(f"未知的 RONGZHI_TYPOS：{self.settings.typos}（可用：{'、'.join(TYPO_MODES)}）",
                               f"unknown RONGZHI_TYPOS {self.settings.typos!r} ({', '.join(TYPO_MODES)})")
        apply_offline_env(self.settings)
        from rongzhi.index.embedders import make_embedder
        from rongzhi.index.store import IndexReader

        self.reader = IndexReader(self.settings)
        self.embedder = make_embedder(self.settings)
        self.settings = self.settings.for_embedder(self.embedder.family)  # the gate's cosine bars
        if self.reader.meta.get("embedder") != self.embedder.name:
            # Name both settings: switching between embedders (onnx:ft, the default, and the base onnx) is the
            # usual way here, and the fix is either a rebuild or the old setting back.
            built = self.reader.meta.get("embedder_spec") or "?"
            raise IndexMissing(
                f"索引由嵌入模型 {self.reader.meta.get('embedder')}（RONGZHI_EMBEDDER={built}）建立，当前设置为 "
                f"{self.embedder.name}（{self.settings.embedder}）：请运行 rongzhi ingest 重建索引，"
                f"或把 RONGZHI_EMBEDDER 设回 {built}。",
                f"the index was built with {self.reader.meta.get('embedder')} (RONGZHI_EMBEDDER={built}), settings say "
                f"{self.embedder.name} ({self.settings.embedder}): run `rongzhi ingest` to rebuild it, or set "
                f"RONGZHI_EMBEDDER back to {built}")
        self.retriever = Retriever(self.reader, self.embedder, self.settings.fusion)
        from .rerank import make_reranker

        self.retriever.reranker = make_reranker(self.settings, self.embedder.family, self.retriever.fusion.name)
        self.documents = self.reader.meta["documents"]
        self.aliases = doc_aliases(self.documents)
        self.measures_doc = doc_with_role(self.documents, MEASURES)
        self.repealed_docs = {d["doc_id"] for d in self.documents if d.get("repealed_on") and d.get("path")}
        # Code asks for a role, not a doc_id (core/roles.py): a new edition of the plan takes over.
        plan_doc = doc_with_role(self.documents, PLAN)
        self.plan_doc_id = plan_doc["doc_id"] if plan_doc else None
        self._references = None  # penalties.references, read on the first consequence question
        self._tasks = self._task_texts = None  # the plan's tasks, read on the first question about a body
        self._corrector = None  # the homophone-typo reader, built on the first question that needs it
        self.measures_doc_id = self.measures_doc["doc_id"] if self.measures_doc else None
        from . import answerability
        from .engine import build_engine

        self.answerability = answerability.load(self.reader.lexical, self.settings.answerability, self.embedder.family)
        # One TreatyScope for the pipeline and for the answers that search outside the treaty (_treaty_silence).
        self.treaty_scope = TreatyScope(retriever=self.retriever, k=self.settings.retrieve_k)
        self.engine = build_engine(self.retriever, self.settings, self._answer, self.answerability, self.treaty_scope,
                                   article_parts=self._article_parts)

    # -- documents -------------------------------------------------------------------------
    def document(self, doc_id: str) -> dict | None:
        return next((d for d in self.documents if d["doc_id"] == doc_id), None)

    @property
    def measures_loaded(self) -> bool:
        return bool(self.measures_doc and self.measures_doc.get("chunks", 0) > 0)

    # -- understanding -----------------------------------------------------------------------
    def parse(self, question: str, max_chars: int | None = None, read_typos: bool = False) -> q.Query:
        """``read_typos``: read homophone typos as terms (always when the ``typos`` setting is "on")."""
        read_typos = read_typos or self.settings.typos == "on"
        return q.parse(question, max_chars or self.settings.max_question_chars, self.reader.lexical.tokenize,
                       self.settings.lay_table_names, self._typo_corrector().correct if read_typos else None)

    def _typo_corrector(self):
        """The homophone-typo corrector for this index (built once; typos.py says why and how)."""
        if self._corrector is None:
            from .answerability import corpus_frequencies
            from .synonyms import lay_words
            from .typos import HomophoneCorrector, domain_terms, lay_targets, read_general

            lexical = self.reader.lexical
            freq, total = lexical.word_frequencies()
            # the answerability check has read the BM25 postings' document frequencies already
            own = self.answerability.own if self.answerability is not None else corpus_frequencies(lexical)
            terms = domain_terms(own.counts, len(self.reader.chunks), freq, total)
            path = str(lexical.general_words_path)
            lay = lay_targets(lay_words(self.settings.lay_table_names))
            self._corrector = HomophoneCorrector({**dict.fromkeys(lay, 0), **terms}, self.reader.bigram.vocabulary(),
                                                 lambda: read_general(path), (freq, total))
        return self._corrector

    def understand(self, question: str, history: list[dict] | None = None, filters: Filters | None = None,
                   with_previous: bool = False, read_typos: bool = False):
        """The question as a pipeline bundle: what is searched, in which documents, by which locators.
        ``with_previous``: search it together with the previous question even if it does not read as a
        follow-up (``_in_conversation``). ``read_typos``: with homophone typos read as terms (``_typos_read``)."""
        from functools import partial

        from .engine import AskBundle

        parse = partial(self.parse, read_typos=read_typos)
        query = parse(question)
        if history and query.language in (q.ZH_HANS, q.ZH_HANT) and not any(count_script_chars(query.text)[1:]) \
                and history[-1].get("language") in (q.ZH_HANS, q.ZH_HANT):
            # 「那香港人呢？」 has no character only one script writes: in a Traditional conversation it is
            # answered in Traditional (it was answered in Simplified, the default for such text).
            query.language = history[-1]["language"]
        retrieval_query, default_doc, previous_tokens, previous_docs, previous_cited = query, None, [], [], None
        subject_docs = []  # the documents the previous answer and the subject turn cite first (K6')
        if (part := asked_part(query.text)) is not None:  # a long story: its question is what is searched
            retrieval_query = parse(part)
            retrieval_query.language = query.language
        since = len(history or [])  # the turns since the question whose subject this one is about
        # issue #11: as-of date (the day the question says something happened, else --as-of, else today); law
        # names -> versions that day
        filters, aliases = versions.scope(self, filters, query.norm)
        pointed = {}  # the turn whose first citation a follow-up points back at (「原文是什么」「2019年版呢？」)
        # read as a follow-up; as going on in time from the previous subject (rule B); as asking which task covers it (WT)
        follow = in_time = task_of_it = chinas_law = False
        if history:
            last = history[-1]
            subject_turn = self._subject_turn(history)
            # After a turn with no subject of its own (「现在适用哪个版本？」, answered by commencement articles) the provision
            # pointed at is still the subject turn's, not that turn's answer (the subject turn is the last one otherwise).
            pointed = history[subject_turn]
            default_doc = (pointed.get("citations") or [{}])[0].get("doc_id")
            law_asked = asks_a_law_about_it(query.norm, aliases)
            # 「中国法律怎么规定？」 after an answer from the treaty: its subject in China's own texts (CL), searched like a law named
            chinas_law = not law_asked and asks_chinas_law(query.norm) and self._led_by_treaty(history[subject_turn])
            law_asked = law_asked or chinas_law
            if not with_previous and (name := self._another_right_asked(query, history, subject_turn, aliases)
                                      or self._versions_compared(query, history, aliases)) is not None:
                # 「那商标保护多久？」「那商标怎么注册？」 after 专利法第四十二条: a question of its own about another kind of right;
                # 「那商标保护多久？」 after 「那商标怎么注册？」: a kind of right with a question of its own (``_another_right_asked``).
                # Merged with the look-up it named 专利法第四十二条 again and was answered with it; it is searched as it
                # stands, in the law on that right (named, so the ranker's named feature carries it) — or in RCEP, in a
                # conversation about it (rule R), or in the law whose two versions it compares (``_versions_compared``, C2).
                retrieval_query = replace(parse(f"{name} {query.text}", self.settings.max_question_chars * 2),
                                          language=query.language)
                default_doc = None
            elif with_previous or (follow := self._leans_on(query, history[subject_turn], aliases)) or law_asked or (
                    in_time := continues_in_time(query.norm)  # 「考过之后…」 (rule B), unless it names a topic of its own
                    and not topics_named(query.text) - topics_named(history[subject_turn].get("question", ""))) or (
                    task_of_it := outline.asks_which_task(query.norm) and points_back(query.norm)):  # 「哪项任务讲的是这个？」 (WT)
                since = subject_turn
                if not filters.as_of_said and (dated := versions.dated_turn(history[subject_turn:], query.norm)) is not None:
                    # the matter's day, said earlier in the conversation, still dates its law (``versions.dated_turn``)
                    filters, aliases = versions.scope(self, replace(filters, as_of=dated["as_of"],
                                                                    as_of_said=dated.get("as_of_said") or dated["as_of"]))
                subject = self._subject_text(history, since)
                asked = query.text
                if law_asked:  # 「中国的商标法怎么规定的」: the previous subject with that law's name, no other document's
                    subject, asked = self._in_the_law_named(subject, query.norm, aliases)
                if chinas_law:  # and none but China's texts: the treaty is what was just answered
                    kinds = dict.fromkeys(d.get("kind", "") for d in self.documents)
                    filters = replace(filters, kinds=tuple(k for k in kinds if k and k != TREATY_KIND))
                retrieval_query = parse(f"{subject} {asked}", self.settings.max_question_chars * 2)
                retrieval_query.language = query.language
                # A question rewritten whole is searched as it stands, not re-ranked as a follow-up: one naming a law, and
                # one that only goes on in time (「考过之后要怎样才能执业」's own words are 执业 and frame words)
                # So is 「哪项任务讲的是这个？」: its own words are frame words only, which the re-ranking would fall back to (WT).
                if not law_asked and not (in_time and not follow and not with_previous) and not task_of_it:
                    previous_tokens = parse(subject).tokens
                    previous_docs = list(dict.fromkeys(c["doc_id"] for c in last.get("citations") or [] if c.get("doc_id")))
                    subject_docs = self._with_its_implementing_texts(
                        [d for turn in (last, pointed) if (d := (turn.get("citations") or [{}])[0].get("doc_id"))])
                    first = (pointed.get("citations") or [{}])[0]
                    if first.get("doc_id") and pointed.get("answerable") and not pointed.get("hedged") \
                            and not pointed.get("close_call"):  # a sure answer: what the follow-up may lean on
                        previous_cited = (first["doc_id"], first["locator"])
        named = mentioned_docs(retrieval_query.norm, aliases)
        if self.plan_doc_id and not filters.doc_ids \
                and outline.asks_which_task(query.norm):  # its own words: not a merged previous question
            # 「哪项任务涉及商业秘密？」: only the plan is made of tasks, so only the plan can answer (rule T2)
            named = list(dict.fromkeys([*named, self.plan_doc_id]))
            filters = replace(filters, doc_ids=(self.plan_doc_id,))
        filters = filters.with_versions(named)  # issue #11: a version named in the question may answer
        if default_doc is None and len(filters.doc_ids) == 1:
            # `--doc 专利法` names the one document a bare 「第四十二条」 is of (it was searched and hedged with 第八十二条: BA')
            default_doc = filters.doc_ids[0]
        refs = find_locators(retrieval_query.norm, aliases, default_doc=default_doc, docs=named,
                             plan_doc=self.plan_doc_id)
        if named and not refs and not retrieval_query.is_english:
            # The names say where to search (``named``), not what the answer says: searched without them (rule D).
            # Laws only: the plan's and the treaty's names carry the words their text is written in (方案, RCEP), and dropping
            # them lost plan and RCEP questions on dev.
            laws = [d for d in named if d != self.plan_doc_id and (self.document(d) or {}).get("kind") != TREATY_KIND]
            rest = without_names(retrieval_query.norm, aliases, laws) if laws else retrieval_query.norm
            if len(re.findall(r"[\u4e00-\u9fff]", rest)) >= 2:
                language = retrieval_query.language
                retrieval_query = replace(parse(rest, self.settings.max_question_chars * 2), language=language)
        # What the question itself names (not the merged text): read once, for the follow-up readings below (only a
        # conversation has any).
        own_refs, own_docs = (find_locators(query.norm, aliases, plan_doc=self.plan_doc_id),
                              mentioned_docs(query.norm, aliases)) if history else ([], [])
        if previous_tokens:
            # A follow-up that names its own provision asks for that one (「那第二十项呢？」 after task 19
            # repeated task 19: the merged question names both, the earlier first).
            own = find_locators(query.norm, aliases, default_doc=default_doc, plan_doc=self.plan_doc_id) or \
                following_item(query.norm, (pointed.get("citations") or [{}])[0], self.plan_doc_id)
            other = [d for d in own_docs if d != self.plan_doc_id]
            if not own and other:
                # 「那2026年商标法呢？」 after 商标法第四十条: the same article of the version it names now, not the previous
                # one's again (and a task of the plan is not carried over to a law). Another law named after a looked-up
                # article (「那商标法呢？」 after 著作权法第十条) asks that law's counterpart of it: ``_counterpart``, before this.
                own = list(dict.fromkeys(LocatorRef(other[0], r.locator) for r in refs
                                         if r.doc_id not in other and LAW_ARTICLE.match(r.locator)))
                refs = own if own else [r for r in refs if r.doc_id in other]
            refs = own or refs
            if not own and own_words(query.said, query.tokens):
                # 「那能拿软著去质押贷款吗」 after 「这个方案还在有效期内吗」: the merged text found 施行与有效期 by its
                # words and the plan's term was stated again as the answer (session 48's sweep M, VK); the follow-up
                # asks of its own.
                refs = [r for r in refs if r.locator not in WORD_FOUND_PARTS]
        first = (pointed.get("citations") or [{}])[0]
        if history and not pointed.get("citations") and asks_previous_text(query.said):
            # 「英文怎么说？」 after 「那台湾人呢？」 (no counterpart: nothing cited) asks for the text last quoted (session 35)
            first = next((turn["citations"][0] for turn in reversed(history) if turn.get("citations")), first)
        if _THIS_TASK.search(query.norm):  # 「这项任务属于哪个部分？」 after an answer led by an RCEP article: its first task
            first = next((c for c in pointed.get("citations") or [] if c.get("doc_id") == self.plan_doc_id
                          and str(c.get("locator", "")).startswith("任务")), first)
        example = bool(history) and asks_example(query.said)
        # the last answer's first provision; after a turn that cited none (「有多少钱？」 declined), the subject turn's
        last_first = ((history[-1].get("citations") or pointed.get("citations") or [{}])[0]) if history else {}
        stepped = [] if not history or own_refs or own_docs else (
            relative_item(query.norm, last_first, self.plan_doc_id)
            or following_item(query.norm, last_first, self.plan_doc_id))
        if stepped:
            # 「下一项呢？」 after task 8: task 9; 「第19项谁负责？」 after the plan's outline: task 19 (the last answer's provisions).
            refs = stepped
        elif first.get("doc_id") and first.get("locator") \
                and (refers_back(query.norm, first["locator"]) or asks_previous_text(query.said) or example
                     # a follow-up with no subject of its own after a part of the plan (「具体是哪个部门负责？」 after a
                     # task, 「有多少钱？」 after the targets) is about that part
                     or (first["doc_id"] == self.plan_doc_id and subjectless(query.said) and not asks_more(query.said))) \
                and not own_refs and not own_docs:
            # 「这项任务提到哪些机构？」「原文是什么」 after task 19: the provision the previous answer cited first.
            refs = [LocatorRef(first["doc_id"], first["locator"])]
        elif first.get("doc_id") and first.get("locator") and not own_refs and not own_docs \
                and (found := self._version_counterpart(query.norm, pointed, first, aliases)) is not None:
            # 「2019年版是第几条？」 after 商标法第四十条: that provision in the version named.
            first, other = found
            refs, filters = [LocatorRef(*other)], filters.with_versions([other[0]])
        refs, filters = self._in_the_version_that_has_it(refs, filters)
        missing_years = versions.years_not_loaded(query.norm, aliases, self.documents)
        if not missing_years and first.get("doc_id") and not own_docs \
                and (year := versions.follow_up_year(query.norm)) \
                and versions.version_of_year(versions.title_versions(self.documents, first["doc_id"]), year) is None:
            # 「2019年版呢？」 after 专利法第十一条: only the 2020 text is loaded; its article is quoted, with that said.
            missing_years = [(first["doc_id"], year)]
            if not own_refs:
                refs = [LocatorRef(first["doc_id"], first["locator"])]
        unknown = unknown_law_names(retrieval_query.norm, aliases)
        rest = without_citations_of(retrieval_query.norm, unknown) if unknown else ""
        if rest.strip():  # search for the rest of the question, not for 「第四十四条」 of another law
            language = retrieval_query.language
            retrieval_query = parse(rest, self.settings.max_question_chars * 2)
            retrieval_query.language = language
        if query.is_english:  # "Article 44 of the Labor Law": a name the locator above cannot read
            unknown += [n for n in english.unknown_names(query.text) if n not in unknown]
        # a question searched on its own in a conversation: the kinds of right the conversation is about (RK4)
        kinds = frozenset()
        if history and not previous_tokens:
            about = self._subject_text(history, subject_turn)
            kinds = counterparts.right_kinds(to_simplified(about).lower())
        return AskBundle(query_str=query.text, query=query, retrieval_query=retrieval_query,
                         filters=filters, refs=refs, named=named, previous_tokens=previous_tokens,
                         previous_docs=previous_docs, previous_cited=previous_cited, subject_docs=subject_docs,
                         after_an_answer=bool(history) and bool(history[-1].get("answerable")),
                         conversation_kinds=kinds,
                         unknown_laws=unknown, years_not_loaded=missing_years, example_asked=example,
                         # 「还有别的条文吗」: the previous question again, without what its answer already cited
                         exclude=[(c["doc_id"], c["locator"]) for turn in (history or [])[since:]
                                  for c in turn.get("citations") or [] if c.get("doc_id")]
                         if history and asks_more(query.said) else [])

    def _counterpart(self, bundle, history: list[dict] | None) -> tuple | None:
        """(bundle, answer) for a follow-up after a look-up that names another law or kind of right (「那商标呢？」
        「那商标法呢？」) or Taiwan (「那台湾人呢？」): the looked-up article's subject searched in those texts, answered
        with their counterpart of it, or declined when they have none (counterparts.py); None for any other question.
        Read with the previous question, such a follow-up named that article only, and it was quoted again."""
        query = bundle.query
        if not history:
            return None
        filters, aliases = versions.scope(self, bundle.filters)
        turn = self._subject_turn(history)
        if not (is_follow_up(query.said, query.tokens) or asks_a_law_about_it(query.norm, aliases)) \
                or find_locators(query.norm, aliases, plan_doc=self.plan_doc_id):
            return None  # not a follow-up, or one naming its own provision (「那第四十三条呢？」)
        named = mentioned_docs(query.norm, aliases)
        if not counterparts.asks_the_same(query.said, aliases) and not (
                # 「那商标保护多久？」 after 「发明专利保护多少年？」: what was asked, of another kind of right
                counterparts.right_named(query.norm) and not named
                and self._compared_with(query, history, turn, aliases, counterparts.asks_again)):
            return None  # a question of its own (「那商标怎么注册？」)
        source = looked_up = self._looked_up(history[turn], aliases)
        if source is None:
            source = self._answered_with(history[turn])
        if source is None or not (parts := self.retriever.lookup(source)):
            return None
        title = (self.document(source.doc_id) or {}).get("title", "")
        if source.doc_id == self.plan_doc_id and source.locator.startswith("任务") and not TAIWAN.search(query.norm) \
                and (words := counterparts.right_in_chinese(query.norm)) is not None:
            # 「那商标呢？」 after 「任务19是什么？」: what the plan's tasks say about that right, not task 19 again
            return bundle, self._right_in_tasks(bundle, source, words)
        other = next((d for d in named if d != self.plan_doc_id and (self.document(d) or {}).get("title") != title), None)
        if named and other is None:
            return None  # the plan, or another version of the same law (「那2019年版呢？」): read as before
        taiwan = other is None and bool(TAIWAN.search(query.norm) or TAIWAN_EN.search(query.text))
        right = counterparts.right_named(query.norm) if other is None and not taiwan else None
        if right:
            other = dict(aliases).get(right[1])
        if other is not None:
            if (self.document(other) or {}).get("title") == title or source.doc_id == self.plan_doc_id \
                    or not LAW_ARTICLE.match(source.locator):
                return None  # the same law again (「那专利呢？」 after 专利法第四十二条), or no article of a law to compare
            within = [(c.doc_id, c.locator) for c in self.reader.chunks if c.doc_id == other and filters.allows(c)]
        elif taiwan:
            # Taiwan's texts: the documents about it (台湾同胞投资保护法 and its rules), elsewhere the provisions naming it
            about_taiwan = {d["doc_id"] for d in self.documents if TAIWAN.search(to_simplified(d["title"]))}
            within = [(c.doc_id, c.locator) for c in self.reader.chunks if filters.allows(c) and (
                c.doc_id in about_taiwan or TAIWAN_IN_PLAN.search(c.norm))]
            if (source.doc_id, source.locator) in within:
                return None  # the provision is about Taiwan itself (任务19): asked again, it is the answer
        else:
            return None  # no other text named
        if looked_up is None:
            # After a question (not a look-up), the question itself read with the follow-up is tried first: the right's
            # rule may sit outside its law (copyright's 诉讼时效 is in the copyright interpretation, 第二十七条; 专利法第七十四条's
            # nearest in 著作权法 is the performers' term, 第四十一条). Taken when it answers surely and not with the same
            # article again; else the article's counterpart (「发明专利保护多少年？」 then 「那商标呢？」 read together is a
            # close call led by 商标法实施条例第四十六条; the counterpart is 商标法第三十九条).
            merged = self.engine.synthesize(bundle, self.engine.retrieve(bundle)).metadata["answer"]
            lead = (merged.get("citations") or [{}])[0]
            if _sureness(merged) == 3 and not merged.get("notice") \
                    and (lead.get("doc_id"), lead.get("locator")) != (source.doc_id, source.locator):
                return bundle, merged
        # searched: the article's subject, with the right named (商标: 注册商标 in the trademark law's articles); what else
        # the follow-up says is frame words (asks_the_same), which only pulled the search off the subject (期限 -> 续展)
        about = counterparts.subject(parts[0].text)
        searched = replace(self.parse(f"{about} {right[0] if right else ''}".strip(), self.settings.max_question_chars * 2),
                           language=query.language)
        allowed = set(within)
        hits = [h for h in self.retriever.search(searched, k=self.settings.retrieve_k,
                                                 filters=replace(filters, doc_ids=tuple(dict.fromkeys(d for d, _ in within))))
                if (h.chunk.doc_id, h.chunk.locator) in allowed]
        found = None
        if hits:
            # The search back, from the match's sentence closest to the subject, within the article's own document
            ref = LocatorRef(hits[0].chunk.doc_id, hits[0].chunk.locator)
            sentence = counterparts.closest_sentence("\n".join(c.text for c in self.retriever.lookup(ref)), about)
            home = replace(filters, doc_ids=(source.doc_id,)).with_versions([source.doc_id])
            back = self.retriever.search(self.parse(sentence, self.settings.max_question_chars * 2), k=1, filters=home)
            found = ref if back and (back[0].chunk.doc_id, back[0].chunk.locator) == (source.doc_id, source.locator) else None
        of = {"doc_id": source.doc_id, "locator": source.locator, "title": title}
        if found is not None:
            answered = replace(bundle, refs=[found], named=[found.doc_id], retrieval_query=searched, filters=filters,
                               previous_tokens=[], previous_docs=[], exclude=[], ranked=[])
            answer = self.engine.synthesize(answered, self.engine.retrieve(answered)).metadata["answer"]
            return answered, {**answer, "context": "counterpart", "counterpart_of": of}
        declined = replace(bundle, refs=[], ranked=hits, filters=filters)
        english = query.is_english
        if other:
            law = (self.document(other) or {}).get("title", "")
            text = (NO_COUNTERPART_EN if english else NO_COUNTERPART).format(law=law, title=title, locator=source.locator)
        else:
            text = (NO_TAIWAN_RULE_EN if english else NO_TAIWAN_RULE).format(
                texts=self._provisions_named(within, english), title=title, locator=source.locator)
        return declined, self._decline(declined, [], text=text, notice="no_counterpart", counterpart_of=of)

    def _another_right_asked(self, query, history: list[dict], i: int, aliases) -> str | None:
        """The name of the law on the kind of right a follow-up asks a question of its own about (「那商标怎么注册？」 ->
        商标法), or the treaty's (``TREATY_NAME``) in a conversation about RCEP, when it names no provision or document
        and either turn ``i`` (the turn it follows up on) looked up an
        article of another law, or it is a follow-up (``is_follow_up``) that asks another thing than the question it
        would be read with (``counterparts.asks_another_thing``: 「那商标保护多久？」 after 「那商标怎么注册？」, whatever right
        that named, or after any question not asking a duration); else None.
        「那商标呢？」 asks nothing of its own, and 「那商标保护多久？」 after 「发明专利保护多少年？」 asks what was asked:
        ``_counterpart`` answers them."""
        right = counterparts.right_named(query.norm)
        if right is None or mentioned_docs(query.norm, aliases) or find_locators(query.norm, aliases, plan_doc=self.plan_doc_id):
            return None
        if asks_treaty_itself(self.parse(self._subject_text(history, i)).norm):
            # "And about well-known marks?" after "What does RCEP say about bad-faith trademarks?": the treaty covers every
            # right, so the conversation stays in it; its own words, not the previous subject's (rule R, session 33). A whole
            # question (「发明专利保护多少年？」 after an RCEP answer) is searched as it stands (session 35's UI sweep, J1).
            return TREATY_NAME if is_follow_up(query.said, query.tokens) else None
        if counterparts.asks_the_same(query.said, aliases):
            return None
        law = dict(aliases).get(right[1])
        if law is None:
            return None
        looked_up = self._looked_up(history[i], aliases)
        if looked_up is not None and looked_up.doc_id not in (law, self.plan_doc_id):
            return right[1]
        if not is_follow_up(query.said, query.tokens):
            return None  # a whole question (「离婚的时候专利收益怎么分？」) is searched as it stands, as it would be alone
        return right[1] if self._compared_with(query, history, i, aliases, counterparts.asks_another_thing) else None

    def _versions_compared(self, query, history: list[dict], aliases) -> str | None:
        """The name (title without 中华人民共和国) of the law whose two versions a question compares without naming it
        (「新旧两版在惩罚性赔偿的写法上有啥不同？」): the latest law the conversation cited that is loaded in more than one
        version. Its own words are searched with it: read with the previous question's, they searched that question again
        (rule C2). So is a question asking what the revision changed, of no law named (「2026年修正后有什么变化？」): the
        conversation's law's changes. None when the question names a document, has no subject of its own (「两个版本有什么
        区别？」 alone after 商标法第四十条 asks about that article: a follow-up) or the conversation cited no such law."""
        if mentioned_docs(query.norm, aliases):
            return None
        # 「2026年修正后有什么变化？」 after a question on 商标法 asks what that law's revision changed (session 41's sweep): read
        # alone it named no law and quoted another law's commencement article (仲裁法第九十六条, 2026年3月1日).
        # After a look-up (「商标法第四十条是怎么规定的？」) it asks about that article: a follow-up, as below.
        whole_law = versions.asks_changes(query.norm, []) and self._looked_up(history[-1], aliases) is None
        if not whole_law and (not compares_versions(query.norm) or subjectless(query.said)):
            return None
        bk = versions.book(self)
        for turn in reversed(history):
            for c in turn.get("citations") or []:
                if c.get("doc_id") and len(bk.versions(c["doc_id"])) > 1:
                    return c["title"].removeprefix("中华人民共和国")
        return None

    def _compared_with(self, query, history: list[dict], i: int, aliases, compare) -> bool:
        """``compare`` (``counterparts.asks_another_thing`` or ``counterparts.asks_again``) of the follow-up with turn
        ``i``'s question, read with the subject it followed up on (``_subject_text``)."""
        previous = self.parse(self._subject_text(history, i), self.settings.max_question_chars * 4)
        return compare(query.said, query.tokens, previous.said, previous.tokens, aliases)

    def _answered_with(self, turn: dict) -> LocatorRef | None:
        """The law article a turn that searched a question was answered with, when it was answered surely (not
        hedged, not a close call, no notice): its first citation. 「发明专利保护多少年？」 answered with 专利法第四十二条 is
        followed by 「那商标呢？」 as a look-up of that article would be (商标法第三十九条, not a close call among the
        trademark law's term-like articles). None for any other turn."""
        cited = (turn.get("citations") or [{}])[0]
        if not turn.get("answerable") or turn.get("hedged") or turn.get("close_call") or turn.get("notice") \
                or not cited.get("doc_id") or cited.get("doc_id") == self.plan_doc_id \
                or not LAW_ARTICLE.match(str(cited.get("locator", ""))):
            return None
        return LocatorRef(cited["doc_id"], cited["locator"])

    def _right_in_tasks(self, bundle, source: LocatorRef, words: re.Pattern) -> dict:
        """What the plan says about the kind of right a follow-up names (``words``: how the plan would write it) after a
        look-up of task ``source``: that task's sentences naming it when it names it, then the other tasks that do; when
        it does not, that it does not, and the tasks that do; when none does, that (declined). 「那商标呢？」 after
        「任务19是什么？」 quoted task 19 again as if it answered (task 19 says nothing of trademarks; tasks 1, 8 and 17 do)."""
        query = bundle.query
        key = "en" if query.is_english else "zh"
        parts = self._task_parts()
        asked = int(source.locator[2:])
        found = {n: sorted(set(words.findall(text)), key=lambda w: -text.count(w))
                 for n, text in self._task_texts_simplified() if words.search(text)}
        right = (counterparts.right_named(query.norm) or (words.pattern.split("|")[0],))[0]  # as the asker said it
        title = composer.display(parts[asked][0].text.split("\n", 1)[0].strip(), query.language,
                                 composer.is_traditional(parts[asked][0].text))
        of = {"doc_id": source.doc_id, "locator": source.locator,
              "title": (self.document(source.doc_id) or {}).get("title", "")}
        extra: dict = {"notice": "right_tasks", "right": right, "in_task": asked in found, "counterpart_of": of}
        if not found:
            text = RIGHT_IN_TASKS[key + "-none"].format(n=asked, title=title, right=right)
            return self._decline(bundle, [], text=text, **extra)
        lines, citations, hits = [], [], []
        others = [n for n in sorted(found) if n != asked]
        if asked in found:
            lines.append(self._script(RIGHT_IN_TASKS[key + "-own"].format(n=asked, right=right), query))
            lines.append(self._cite_task_title(parts[asked][0], query, citations, hits, naming=(found[asked][0],),
                                               parts=parts[asked]))
            if others:
                lines.append(self._script(RIGHT_IN_TASKS[key + "-also"].format(right=right, count=len(others)), query))
        else:
            lines.append(self._script(RIGHT_IN_TASKS[key + "-not"].format(n=asked, title=title, right=right,
                                                                          count=len(others)), query))
        for n in others:
            lines.append(self._cite_task_title(parts[n][0], query, citations, hits, naming=(found[n][0],),
                                               parts=parts[n]))
        answer = _with_notes_after("\n".join(lines), [composer.terms_note(query, citations)], extra)
        return composer.answer_dict(query, answer, citations, hits, len(hits), **extra)

    def _looked_up(self, turn: dict, aliases) -> LocatorRef | None:
        """The provision a turn looked up: its first citation when its question names it (「专利法第四十二条是怎么规定的？」,
        「那第四十三条呢？」 after an article of that law), or what a counterpart answer (``_counterpart``) found, else what
        it searched from; None for a turn that searched a question."""
        cited = (turn.get("citations") or [{}])[0]
        if turn.get("counterpart_of"):
            # the tasks naming a right (``_right_in_tasks``) were found from the task looked up: it stays the subject
            c = cited if cited.get("doc_id") and turn.get("notice") != "right_tasks" else turn["counterpart_of"]
            return LocatorRef(c["doc_id"], c["locator"])
        if not cited.get("doc_id") or not cited.get("locator"):
            return None
        ref = LocatorRef(cited["doc_id"], cited["locator"])
        # read as a question is read (an English one's "Patent Law Art. 42" too)
        named = find_locators(self.parse(turn["question"]).norm, aliases, default_doc=ref.doc_id,
                              plan_doc=self.plan_doc_id) if turn.get("question") else []
        return ref if ref in named else None

    def _provisions_named(self, provisions: list[tuple[str, str]], english: bool = False) -> str:
        """《title》 for each document of ``provisions`` ((doc_id, locator), in document order), with the locators when only
        some of its provisions are among them: 《…台湾同胞投资保护法》、《…外商投资法实施条例》第二十二条、第四十八条."""
        by_doc: dict[str, list[str]] = {}
        for doc_id, locator in provisions:
            by_doc.setdefault(doc_id, [])
            if locator not in by_doc[doc_id]:
                by_doc[doc_id].append(locator)
        names = []
        for doc_id, locators in by_doc.items():
            every = {c.locator for c in self.reader.chunks if c.doc_id == doc_id}
            shown = "" if set(locators) == every else ("、" if not english else ", ").join(locators)
            names.append(f"《{(self.document(doc_id) or {}).get('title', doc_id)}》{shown}")
        return ("、" if not english else "; ").join(names)

    def _which_version_again(self, bundle, history: list[dict] | None, filters) -> dict | None:
        """The versions' dates and status again, for a year follow-up (「那2019年版呢？」) with no subject of its own right
        after an answer on which version of a law it named applies (「商标法现在适用哪个版本？」): the 2019 text's counterpart of
        the 2026 commencement article (「本法自1983年3月1日起施行」) says nothing of when the 2019 version applied."""
        if not history or history[-1].get("notice") != "which_version" or not subjectless(bundle.query.said) \
                or not versions.follow_up_year(bundle.query.norm) or subjectless(self.parse(history[-1]["question"]).said):
            return None  # after 「现在适用哪个版本？」 that followed a subject: that subject's provision in the 2019 text (session 27)
        previous = self.understand(history[-1]["question"], history[:-1], filters)
        previous.query = replace(previous.query, language=bundle.query.language)
        return versions.which_version_answer(self, previous)

    def _version_counterpart(self, norm: str, pointed: dict, first: dict, aliases) -> tuple[dict, tuple] | None:
        """(the citation, its counterpart) for a version follow-up (「2026年版呢？」): the first citation of the turn pointed at,
        else the first of its other citations that has such a counterpart (an answer led by an interpretation, 商标法第六十三条
        second: the 2026 商标法's article, not a search for 「2026」)."""
        cited = pointed.get("citations") or []
        asked = find_locators(to_simplified(pointed.get("question", "")), aliases, plan_doc=self.plan_doc_id)
        shown = tuple((c["doc_id"], c["locator"]) for c in cited if c.get("doc_id"))
        for c in [first, *(c for c in cited if c is not first)]:
            if not (c.get("doc_id") and c.get("locator")):
                continue
            other = versions.version_follow_up(versions.book(self), norm, c["doc_id"], c["locator"],
                                               by_number=any(r.locator == c["locator"] for r in asked), shown=shown)
            if other:
                return c, other
        return None

    def _subject_text(self, history: list[dict], i: int, depth: int = 0) -> str:
        """Turn ``i``'s question, with the subject it followed up on when it was itself an elliptical follow-up
        (「证券化呢？」 after 「保险呢？」 after a question on 质押融资: 「保险呢？」 alone lost the conversation's subject and the
        answer was declined). Three turns back at most. A follow-up that asked about another kind of right on its own
        (``_another_right_asked``) is its own subject."""
        question = history[i]["question"]
        if depth >= 3 or i == 0:
            return question
        parsed = self.parse(question)
        before = self._subject_turn(history[:i])
        # A turn ``understand`` read with its subject (``_leans_on``: 「如果被扣了，我们怎么办？」 after a customs question, which
        # taken alone as the subject of 「要扣多久？」 lost the customs; session 37's sweep S), or one ``_in_conversation`` did.
        if history[i].get("context") == "previous_question" or self._leans_on(parsed, history[before], self.aliases):
            if (other := self._another_right_asked(parsed, history, before, self.aliases)) is not None:
                # 「那商标怎么注册？」 after a patent-law look-up was a question of its own (``understand``); in a conversation
                # about RCEP it was asked of RCEP, and the turns after it still are (rule R)
                return f"{other} {question}" if other == TREATY_NAME else question
            return f"{self._subject_text(history, before, depth + 1)} {question}"
        return question

    def _subject_turn(self, history: list[dict]) -> int:
        """The index of the turn whose question a follow-up is about: the last one that had a subject of its own
        (「原文是什么」 then 「有多少钱？」 after 专利质押融资 asks about 质押融资, not about 原文; 「那RCEP怎么规定的？」 after
        「有多少钱？」 asks about the subject before it, not about money)."""
        return next((i for i in range(len(history) - 1, -1, -1)
                     if history[i].get("question") and history[i].get("notice") != "locator_not_found"  # 任务50: no subject
                     and (not subjectless(said := self.parse(history[i]["question"]).said) or names_an_item(said))),
                    len(history) - 1)

    def _led_by_treaty(self, turn: dict) -> bool:
        """The turn's answer cites the treaty first (RCEP's chapter)."""
        first = (turn.get("citations") or [{}])[0].get("doc_id")
        return bool(first) and (self.document(first) or {}).get("kind") == TREATY_KIND

    def _in_the_law_named(self, subject: str, norm: str, aliases: list[tuple[str, str]]) -> tuple[str, str]:
        """(the previous subject without the names of other documents, the names of the law the follow-up names).
        「中国的反不正当竞争法怎么规定的」 after a question on the plan's trade-secret tasks was searched with the plan's words and
        the follow-up's own (中国 matched 「坚持中国共产党的领导」, 第三条); as 「关于商业秘密保护… 反不正当竞争法」 it finds 第十条.
        Not a filter on that law: a search limited to one document misses what the corpus-wide candidates did not hold."""
        titles = {(self.document(d) or {}).get("title") for d in mentioned_docs(norm, aliases)}
        docs = {d["doc_id"] for d in self.documents if d["title"] in titles}
        plain = to_simplified(subject)
        for alias, doc_id in aliases:  # longest first
            if doc_id not in docs and alias in plain:
                plain = plain.replace(alias, " ")
        return plain, " ".join(a for a, d in aliases if d in docs and a in norm)

    def _in_the_version_that_has_it(self, refs: list[LocatorRef], filters: Filters) -> tuple[list, Filters]:
        """A law article number the version in force lacks, read in the newest loaded version that has it:
        「商标法第七十七条」 before 2027 is the 2026 text's (the 2019 text has 73 articles), not "not found"; the
        version note says which version it is and its number in the one in force. Rule N, evals/DECISIONS.md."""
        moved, refs = [], list(refs)
        for n, ref in enumerate(refs):
            if not LAW_ARTICLE.match(ref.locator) or self.retriever.lookup(ref):
                continue
            bk = versions.book(self)  # built only when a number is missing: not on every question's path
            holders = [d["doc_id"] for d in bk.versions(ref.doc_id)
                       if d["doc_id"] != ref.doc_id and ref.locator in bk.articles.get(d["doc_id"], {})]
            if holders:
                refs[n] = LocatorRef(holders[-1], ref.locator)  # versions() is oldest first
                moved.append(holders[-1])
        return (list(dict.fromkeys(refs)), filters.with_versions(moved)) if moved else (refs, filters)

    def candidates(self, question: str) -> list[Hit]:
        """Every candidate with its features, unranked: what the learned ranker is trained on."""
        bundle = self.understand(question)
        return self.retriever.candidates(bundle.retrieval_query, bundle.filters, bundle.refs, bundle.named)

    # -- answering -------------------------------------------------------------------------
    def ask(self, question: str, history: list[dict] | None = None, filters: Filters | None = None,
            use_llm: bool | None = None) -> dict:
        t0 = time.perf_counter()
        timings: dict[str, float] = {}
        # Hook (issue #14, assistant/injection.py): injected instructions are dropped from the
        # question; an input that is only an injection is declined here.
        question, screened = injection.guard(question)
        script = restate_script(question) if history and history[-1].get("question") else None
        if script:  # 「用中文再说一遍」: the previous question again, with the conversation before it, in that script
            question, history = history[-1]["question"], history[:-1]
        bundle = self.understand(question, history, filters)
        if script:  # said in that script; the search still reads the question in its own (retrieval_query)
            bundle.query = replace(bundle.query, language=script)
        timings["understand"] = _ms(t0)
        if screened is not None and screened.decline:  # only an injection: nothing to search for
            query = bundle.query
            text = injection.DECLINE_EN if query.is_english else injection.DECLINE_ZH
            result = self._decline(bundle, [], text=text, notice="prompt_injection",
                                   injection={"reasons": screened.reasons, "removed": screened.removed})
        elif (topic := off_topic(bundle.retrieval_query.text if history and (subjectless(bundle.query.said)
                                                                              or asks_a_consequence(bundle.query.said))
                                 and not _CHINA.search(bundle.query.said) else bundle.query.text)) and not bundle.refs:
            # Declined before any search. A follow-up with no subject of its own (「有多少钱？」 after 专利质押融资) is
            # judged with the question it follows: alone it read as a question about fees. One that asks the same of
            # China (「那中国呢？」 after 美国专利法的保护期) asks what every loaded law is about: not judged with the foreign one.
            ip = names_ip(bundle.retrieval_query.text)
            text = (OUT_OF_SCOPE_IP_EN if ip else OUT_OF_SCOPE_EN).format(topic=topic.topic) if bundle.query.is_english else \
                self._script((OUT_OF_SCOPE_IP_ZH if ip else OUT_OF_SCOPE_ZH).format(topic=topic.topic_zh), bundle.query)
            result = self._decline(bundle, [], text=text, notice="out_of_scope", topic=topic.topic)
        elif (counterpart := self._counterpart(bundle, history)) is not None:
            # 「那商标呢？」「那台湾人呢？」 after a look-up: that article's subject in the texts named, not the article again
            bundle, result = counterpart
        elif not bundle.refs and asks_membership(bundle.query.norm):  # who is a Party: chapter 11 lists none
            text = MEMBERSHIP_EN if bundle.query.is_english else MEMBERSHIP_ZH
            result = self._decline(bundle, [], text=self._script(text, bundle.query), notice="treaty_membership")
        elif self.plan_doc_id and not bundle.refs and (asked := outline.asks_outline(bundle.query.norm))[0] \
                and (asked[1] is not None or not outline.names_a_topic(bundle.query.norm, self._task_texts_simplified())):
            # The plan's structure: no one task's text answers it. 「茉莉花茶在方案里出现在哪几项任务」 asks where a topic is: searched.
            result = self._outline_answer(bundle, asked[1])
        elif (overview := self._overview_asked(bundle)) is not None:
            result = self._overview_answer(bundle, overview)  # 「商标法主要讲什么？」: its parts and its first article
        elif self.plan_doc_id and not bundle.refs and (body := self._asked_body(bundle, history)) is not None \
                and ((naming := self._tasks_naming(body)) or is_office(body)):
            # Every task that names it, not the one closest in words; an office the plan never names is said to be
            # absent. Any other name the plan's text does not contain (区县政府 as 县(市)区) is searched as usual:
            # "the plan does not mention it" would be a wrong answer where it does in other words.
            result = self._body_tasks_answer(bundle, body, naming)
        elif (topic := self._topic_asked_of_tasks(bundle)) is not None:
            result = self._topic_tasks_answer(bundle, topic)  # 「方案里哪些任务提到商标？」: every task that writes it
        elif (changes := versions.changes_answer(self, bundle, versions.scope(self, bundle.filters)[1])) is not None:
            result = changes  # what a revision changed: the comparison of the two texts, not one article
        elif (which := versions.which_version_answer(self, bundle)) is not None:
            result = which  # which version applies: the versions' dates and commencement articles
        elif (which := self._which_version_again(bundle, history, filters)) is not None:
            result = which  # 「那2019年版呢？」 after 「商标法现在适用哪个版本？」: that version's dates and status, not its commencement article
        else:
            t1 = time.perf_counter()
            nodes = self.engine.retrieve(bundle)
            timings["retrieve"] = _ms(t1)
            t2 = time.perf_counter()
            result = self.engine.synthesize(bundle, nodes).metadata["answer"]
            timings["compose"] = _ms(t2)
            if (merged := self._in_conversation(bundle, result, history, filters)) is not None:
                bundle, result = merged
            elif (read := self._typos_read(bundle, result, history, filters)) is not None:
                bundle, result = read
        computed = result.get("notice") in ("version_changes", "which_version")  # counts and quotes already labelled by version
        if result["answerable"] and not computed and (use_llm if use_llm is not None else self.settings.llm_enabled):
            t3 = time.perf_counter()
            from .llm import answer_with_llm

            result = answer_with_llm(self.settings, bundle.query, result)
            if result.get("hedged") and result["mode"] == "llm":  # the rewrite must not sound surer than the check
                result["answer"] = composer.header_for(bundle.query, composer.HEDGE_HEADER) + "\n" + result["answer"]
            if result["mode"] == "llm" and result.get("notes_after"):  # e.g. the measures are not loaded
                result["answer"] += "\n\n" + "\n\n".join(result["notes_after"])
            timings["llm"] = _ms(t3)
        if not computed:
            result = versions.annotate(self, result, bundle.filters, bundle.refs)  # issue #11: version status, notes
        timings["total"] = _ms(t0)
        result["timings_ms"] = timings
        return result

    def _in_force_first(self, filters: Filters | None, hits: list[Hit]) -> list[Hit]:
        """``hits`` with, among their first ``compose.MAX_SOURCES`` articles (the ones an answer cites), a replaced
        version's article after its counterpart in force when that counterpart is among them too; nothing enters or
        leaves them.

        Why (IF'): ``--include-superseded`` lets replaced texts answer too, but the text in force is what a user acts
        on: 「侵犯商业秘密情节严重的，市场监管部门罚多少？」 cited 反不正当竞争法 (2019) 第二十一条 first, its old minimum fine the first
        figure read, and the 2025 第二十六条 in force second (session 49's pharma sweep, cmd5). Only among the cited few:
        moving a counterpart up from further down (IF) pushed 仲裁法 2017 第五十九条 and 2025 第七十二条 out of an answer. A
        version the question or ``--doc`` chose (``filters.versions``) counts as in force and keeps its place."""
        if filters is None or not filters.include_superseded:
            return hits
        strict, book = replace(filters, include_superseded=False), versions.book(self)
        chunks = {(h.chunk.doc_id, h.chunk.locator): h.chunk for h in reversed(hits)}  # each article's first hit
        order = list(dict.fromkeys((h.chunk.doc_id, h.chunk.locator) for h in hits))[:composer.MAX_SOURCES]
        for key in list(order):
            old = chunks[key]
            if strict.in_force(old) or not book.versions(old.doc_id):
                continue
            found = next((k for k in order[order.index(key) + 1:] if k[0] != old.doc_id
                          and chunks[k].title == old.title and strict.in_force(chunks[k])
                          and (book.counterpart(old.doc_id, old.locator, k[0]) or ("",))[0] == k[1]), None)
            if found is not None:
                order.remove(found)
                order.insert(order.index(key), found)
        rank = {key: i for i, key in enumerate(order)}
        return sorted(hits, key=lambda h: rank.get((h.chunk.doc_id, h.chunk.locator), len(order)))  # stable

    def _answer(self, bundle, good: list[Hit]) -> dict:
        """The synthesizer's answer: quotes from the sources that passed the gate, or a decline.
        Notes (missing locators, the measures not loaded) follow the answer, never replace it."""
        query = bundle.query
        hits = bundle.ranked = self._in_force_first(bundle.filters, bundle.ranked)
        good = self._in_force_first(bundle.filters, good)
        more = None
        if bundle.exclude:  # 「还有别的条文吗」: what the previous answer cited is not offered again
            excluded = set(bundle.exclude)
            fresh = [h for h in hits if (h.chunk.doc_id, h.chunk.locator) not in excluded]
            more = [h for h in good if (h.chunk.doc_id, h.chunk.locator) not in excluded]
            hits = bundle.ranked = fresh
            good = more or fresh[:MAX_CONTENDERS]  # the next ones, always hedged below: secondary by what was asked
        missing = [r for r in bundle.refs if not self.retriever.lookup(r)]
        stated = None
        wants_measures = (self.measures_doc is not None and not self.measures_loaded
                          and (self.measures_doc["doc_id"] in bundle.named
                               or needs_measures(bundle.retrieval_query.norm)
                               or self._amount_of_a_task(bundle)))
        notes = [self._missing_locator_text(missing, query)] if missing else []
        if bundle.unknown_laws:
            notes.append(self._unknown_law_text(bundle.unknown_laws, query))
        if more is not None and good:
            notes.append(MORE_EN if query.is_english else self._script(MORE_ZH, query))
        if bundle.example_asked:
            notes.append(EXAMPLE_EN if query.is_english else self._script(EXAMPLE_ZH, query))
        for doc_id, year in bundle.years_not_loaded:  # 「2013年版商标法」: said before the loaded text is quoted
            text = versions.year_not_loaded_text(self.documents, doc_id, year, english=query.is_english)
            notes.append(text if query.is_english else self._script(text, query))
        loaded_titles = [d["title"] for d in self.documents if d.get("chunks")]
        books = code_books.named_unloaded(bundle.query.norm, loaded_titles)
        if books:  # 民法典合同编…: that book is not loaded; what is quoted may not be its rule (rule B)
            text = code_books.unloaded_book_text(books, english=query.is_english)
            notes.append(text if query.is_english else self._script(text, query))
        laws = unloaded_laws.named(bundle.query.norm, loaded_titles, bundle.unknown_laws)
        if laws:  # 反垄断法…: that law is not loaded; what is quoted may not be its rule (session 42's sweep A)
            text = unloaded_laws.note(laws, english=query.is_english)
            notes.append(text if query.is_english else self._script(text, query))
        # A bare 第五条 only when nothing names a document: no name in the question, no --doc, not English (which names the
        # law after the number: "Article 900 of the Patent Law"), no conversation to read it in (BA)
        bare = not (bundle.named or bundle.filters.doc_ids or query.is_english)
        unresolved = [] if bundle.refs else (back_references(bundle.retrieval_query.norm)
                                             or (bare_articles(bundle.retrieval_query.norm) if bare else []))
        if unresolved and self._only_a_lookup(bundle, unresolved):
            # 本法第二十条 with no document in the conversation: which law is meant is a question
            # for the user, not for the search (it would pick 第二十条 of any law).
            return self._decline(bundle, [], notes=notes, notice="which_document",
                                 text=self._script(WHICH_DOCUMENT, query))
        if (bundle.unknown_laws or (missing and len(missing) == len(bundle.refs))) and (
                self._only_a_lookup(bundle, bundle.unknown_laws) or asks_its_text(bundle.query.norm)):
            # Only the text of a missing article was asked for, or what it says about something
            # (「劳动法第四十四条关于加班费是怎么规定的」): anything else would be a guess (the same
            # article number in another law, a neighbour in the same one, an unrelated article).
            if any((self.document(r.doc_id) or {}).get("chunks", 0) == 0 for r in missing):
                # a provision of a text not loaded: how to load it (session 35's sweep F: the measures' 第八条 said nothing)
                notes.append(HOW_TO_LOAD_EN if query.is_english else self._script(HOW_TO_LOAD, query))
            return self._decline(bundle, self._citing(bundle), notes=notes, notice="locator_not_found")
        if (unstated := self._value_not_stated(bundle)) is not None:
            # 「有多少钱？」 after 商标法第四十条: the provision pointed at states no amount; re-quoting it would read as the answer.
            return self._decline(bundle, [], notes=notes, notice="value_not_stated", text=unstated)
        if wants_measures and good and ((bundle.outcome == "hedge" and not self._states_fund_specifics(query, good[0]))
                                        or not self._answers_fund_specifics(query, good[0])):
            # Amounts, eligibility, filings and dates are the measures' to set; and when the check
            # doubts the loaded documents answer a question about the fund, the measures, not a
            # neighbouring article, are what is missing. Say so, do not guess or quote the neighbour. (Every source that is
            # neither the plan nor about money paid out counted as such a neighbour in rule N3: it declined answerable
            # questions that mention a subsidy in passing, 「国家财政资助的科研项目…能申请专利吗」; not kept, DECISIONS.)
            good = []
        if wants_measures and (stated := self._measures_named(bundle)) is not None:
            # 「…管理办法是哪一号文件？」: the plan's task 1 names the measures with their number; that is the answer,
            # the measures' absence a note after it (issue #10 §3; evals/DECISIONS.md, session 32, F).
            good, bundle.outcome = [stated], "answer"
        elif wants_measures and self.measures_doc["doc_id"] in bundle.named and good \
                and good[0].chunk.doc_id != self.plan_doc_id:
            # 「《福州市知识产权专项资金管理办法》对商标注册的补助标准是什么？」 asks what that document provides: no national law
            # states it (商标法实施条例第九十七条's fees had been quoted as if it did: session 36's sweep), only the plan
            # says what the fund is for. The measures, not a neighbouring article, are what is missing.
            good = []
        # A question about the fund's money is the measures' (below), not a repealed text's that happened to rank first:
        # 「我们公司想申请知识产权补贴，能拿多少钱？」 was declined as a matter for the criminal interpretation (三) (session 35's
        # UI sweep, I2)
        repealed = [] if wants_measures else self._repealed_first(bundle)
        if repealed:
            # The repealed text would have answered first: a text in force ranked below it is a
            # neighbour, not the answer (g189: the fine rule of (三) -> the customs regulations).
            # Say what happened; list the old article and the nearest texts in force.
            doc = self.document(repealed[0].chunk.doc_id)
            text = (REPEALED_EN if query.is_english else REPEALED).format(
                title=doc["title"], day=doc["repealed_on"], replaced_by=doc.get("replaced_by") or "新文件")
            related = self._repealed_related(repealed, hits, doc)
            return self._decline(bundle, related, notes=notes,
                                 text=self._script(text, query), notice="repealed", needs_doc=doc["doc_id"])
        if not good:
            if wants_measures:
                # 可能相关 within the user's filters (--kind 法律 listed the plan's task 1: session 29's CLI sweep)
                related = [h for h in self._measures_related(hits) if bundle.filters is None or bundle.filters.allows(h.chunk)]
                return self._decline(bundle, related, notes=notes,
                                     text=MEASURES_MISSING_EN if query.is_english else MEASURES_MISSING,
                                     notice="measures_not_loaded", needs_doc=self.measures_doc["doc_id"])
            if bundle.outcome == "decline":  # issue #10: the loaded documents do not cover it
                if not query.is_english and asks_about_a_crime(bundle.retrieval_query.norm):
                    said = CRIME_DECLINED.format(repealed=self._criminal_repealed(bundle)).rstrip("；") + "。"
                    notes = [*notes, self._script(said, query)]
                return self._decline(bundle, hits, notes=notes, notice="not_covered",
                                     answerability=round(bundle.answerability, 3))
            return self._decline(bundle, hits, notes=notes)
        keys, norm = self.treaty_scope.annex_keys(), bundle.retrieval_query.norm
        silent = silent_on(norm, hits, keys, english=bundle.query.is_english)
        if silent is None and asks_treaty_itself(norm) and not treaty_units(norm, hits, keys):
            # Asked of RCEP, but China's law filled the candidates: the treaty is read on its own before its silence is judged.
            silent = silent_on(norm, self.treaty_scope.search_treaty(bundle), keys, english=bundle.query.is_english)
        if silent is not None:
            return self._treaty_silence(bundle, silent, hits, notes)
        hedge = bundle.outcome == "hedge" or self._taiwan_as_foreign(bundle, good) or bool(books) or more is not None
        close = hedge or (not stated and not bundle.bound_first and self._close_call(hits))
        if close:  # cite the contenders side by side, not only those the gate's gaps let through
            good = self._contenders(hits, good)
        broken = self._punished_before(bundle)
        if (penalty := self._penalty_for(bundle, good, broken)) is not None:
            # 怎么处罚 / 罚多少 after the rule that was broken: the article punishing it answers.
            key = (penalty.chunk.doc_id, penalty.chunk.locator)
            good = [penalty, *(h for h in good if (h.chunk.doc_id, h.chunk.locator) != key)]
            hits = [penalty, *hits]
            if broken is not None:
                # Asked of the rule the previous answer stated surely, the statute itself names the article that punishes
                # it (「违反本法第十二条规定…的，…处…罚款」): that is the answer, not a contender.
                good, close, hedge = [penalty], False, False
        extra_source = 0
        if not close and (companion := self._plan_for_taiwan(bundle, good, hits) or self._plan_for_city(bundle, good, hits)
                          or self._law_it_implements(bundle, good, hits)):
            if companion.chunk.doc_id == self.plan_doc_id and _CITY_DOES.search(query.norm):
                # Asked only what the city does or offers, the city's task answers and the law is the background (CD:
                # 「福州有什么配套支持？」 after questions on customs recordal led with the recordal's term).
                good = [companion, *good]
            else:
                good = [good[0], companion, *good[1:]]
        elif close and _CITY_DOES.search(query.norm) and (city := self._plan_for_city(bundle, good, hits)) is not None:
            # Asked what the city does, a close call or hedge cites the city's task too, after its contenders, as one
            # more source (CT').
            shown = composer.group_hits(good)[:composer.MAX_SOURCES]
            good, extra_source = [h for g in shown for h in g] + [city], 1
        # An elliptical follow-up asking the previous kind of value of another subject (「那外观设计呢？」 after 「发明专利保护多少年？」)
        # is quoted and led by that kind of value (the merged question's), named by its own words (L3).
        of_another = bool(bundle.previous_tokens) and is_elliptical(query.norm) and not asked_values(query.norm) \
            and bool(asked_values(bundle.retrieval_query.norm))
        said = replace(query, norm=bundle.retrieval_query.norm) if of_another else query
        answer, citations, lead_text = composer.compose(said, good, max_sources=composer.MAX_SOURCES + extra_source,
                                                        close=close, hedge=hedge, siblings=self._article_parts,
                                                        subject_asked=of_another)
        if threshold := self._crime_threshold_note(bundle, good):
            notes.append(threshold if query.is_english else self._script(threshold, query))
        title = (self.document(good[0].chunk.doc_id) or {}).get("title", "")
        if asks_english_text(query.norm) and not _in_english(good[0].chunk.text):
            # 「这条的英文是什么」: no English text of a Chinese law is loaded; the Chinese text is what there is.
            notes.append(NO_ENGLISH_TEXT_EN.format(title=title) if query.is_english
                         else self._script(NO_ENGLISH_TEXT.format(title=title), query))
        elif asks_chinese_text(query.norm) and _in_english(good[0].chunk.text):
            # 「RCEP第11.27条的官方中文原文」: only the chapter's English text is loaded; that is what is quoted.
            notes.append(NO_CHINESE_TEXT_EN.format(title=title) if query.is_english
                         else self._script(NO_CHINESE_TEXT.format(title=title), query))
        if (status := versions.version_status_line(self, bundle, good[0].chunk.doc_id)) is not None:
            # 「那现在商标侵权赔偿按哪个版本？」: which version applies, then the subject from it (rule V)
            notes.insert(0, status if query.is_english else self._script(status, query))
        lead = good[0].chunk if good else None
        who = lead is not None and lead.locator.startswith("任务") and bool(ASKS_WHO.search(query.norm))
        who_first = who and any((r.doc_id, r.locator) == (lead.doc_id, lead.locator) for r in bundle.refs)
        if who_first:
            # 「这项任务谁牵头？」「任务15由哪些部门负责？」 ask nothing of the task pointed at but who: the bodies its text names,
            # and that the plan assigns no lead unit, answer that first; the task's text is the source after it (session 35).
            lead_text = bodies_note(int(lead.locator[2:]), lead.text, query.language)
            notes.insert(0, lead_text)
        if notes:
            answer = "\n".join(notes) + "\n" + answer
        extra = {"close_call": close, "lead": lead_text}
        if bundle.answerability is not None:
            extra |= {"answerability": round(bundle.answerability, 3), "hedged": hedge}
        if bundle.on_topic is not None:
            extra["on_topic"] = round(bundle.on_topic, 3)
        # Lines after the quotes, kept apart as well (``notes_after``) so that an LLM rewrite of the
        # answer keeps them: what the quotes' wording means, who a task names, what is not loaded.
        after = [composer.terms_note(query, citations)]
        if who and not who_first:
            after.append(bodies_note(int(lead.locator[2:]), lead.text, query.language))
        elif not who and lead is not None and lead.doc_id == self.plan_doc_id and ASKS_WHO.search(query.norm):
            # Asked who is responsible and answered from the plan's targets (a follow-up after a task): the first task
            # cited says whom it names, else the plan names no lead unit (WH, session 43's sweep).
            task = next((h.chunk for h in good
                         if h.chunk.doc_id == self.plan_doc_id and h.chunk.locator.startswith("任务")), None)
            after.append(bodies_note(int(task.locator[2:]), task.text, query.language) if task is not None
                         else self._lead_units_unnamed(query))
        if any(c["doc_id"] == self.plan_doc_id and c["locator"] == LOC_TARGETS for c in citations) \
                and outline.asks_outcome(query.norm):  # the targets are not the results (rule U)
            after.append(TARGETS_NOTE_EN if query.is_english else self._script(TARGETS_NOTE, query))
        if wants_measures:
            after.append(self._script(MEASURES_NOTE_EN if query.is_english else MEASURES_NOTE, query))
            extra |= {"notice": "measures_not_loaded", "needs_doc": self.measures_doc["doc_id"]}
        after.append(self._typo_note(bundle, extra))
        answer = _with_notes_after(answer, after, extra)
        cited = {(c["doc_id"], c["locator"]) for c in citations}
        return composer.answer_dict(query, answer, citations, hits, self.settings.top_k,
                                    related=[h for h in hits if (h.chunk.doc_id, h.chunk.locator) not in cited],
                                    **extra)

    def _treaty_silence(self, bundle, kind: str, hits: list[Hit], notes: list[str]) -> dict:
        """RCEP's chapter states no period (or amount) on what is asked: say so first, then quote
        China's law where a text in force among the three best outside the treaty states such a
        value (商标法 on how long a registration lasts); the treaty units the search found are listed
        as related, not quoted as if they answered. Without such a text nothing is presented as the
        answer."""
        query = bundle.query
        line = SILENT_EN[kind] if query.is_english else self._script(SILENT[kind], query)
        values = asked_values(bundle.retrieval_query.norm)
        floor = self.settings.gate_min_dense_with_words
        others = self.treaty_scope.search_others(bundle)
        # Of the three best that state such a value, the one whose value sentences share most of the
        # question's words: 商标法第四十条's 「注册商标有效期满……每次续展注册的有效期为十年」, not the
        # international registrations' 「6个月的宽展期」 ranked above it.
        tokens = bundle.retrieval_query.tokens
        stating = [(composer.value_sentence_match(g[0].chunk, values, tokens), -i, g)
                   for i, g in enumerate(composer.group_hits(others)[:3]) if g[0].dense >= floor]
        stating = [x for x in stating if x[0] is not None]
        domestic = max(stating, key=lambda x: x[:2])[2] if stating else None
        words = treaty_words(bundle.retrieval_query.norm)
        units = [g[0] for g in composer.group_hits(hits) if is_treaty(g[0].chunk)
                 and applies(g[0].chunk, self.treaty_scope.annex_keys(), words)][:MAX_CONTENDERS]
        if domestic is None:
            return self._decline(bundle, units, notes=notes, text=line, notice="treaty_silent")
        answer, citations, _ = composer.compose(query, domestic, siblings=self._article_parts)
        lead = line + (" Related Chinese law:" if query.is_english else self._script("中国法律的相关规定：", query))
        return composer.answer_dict(query, "\n".join([*notes, lead, answer]), citations, [*domestic, *hits],
                                    self.settings.top_k, related=units, notice="treaty_silent")

    @staticmethod
    def _taiwan_as_foreign(bundle, good: list[Hit]) -> bool:
        """A question about Taiwan compatriots whose first source is an article on foreigners (商标法第十七条
        「外国人或者外国企业在中国申请商标注册的…」) or on filing abroad: the loaded texts have no such rule for
        Taiwan applicants, and presenting it as *the* answer is a wrong and sensitive citation; so is a text on Taiwan
        investment that says nothing of the right asked about (TW). The sources are still shown, under the "may not
        cover" line (evals/DECISIONS.md, session 25, T; session 44, TW)."""
        query = bundle.query
        if not good or is_treaty(good[0].chunk) or not (TAIWAN.search(query.norm) or TAIWAN_EN.search(query.text)):
            return False
        text = to_simplified(good[0].chunk.text)
        if FOREIGNERS.search(text):
            return True
        # A text on Taiwan investment that writes nothing of the right asked about (商标) nor of IP as a whole: 「外国企业在
        # 大陆申请商标要委托代理机构吗？」 then 「那台湾人呢？」 was answered surely with 台湾同胞投资保护法实施细则's investment
        # disputes and 「可以委托亲友作为其投资的代理人」 (session 44's Taiwan sweep, TW).
        words = counterparts.right_in_chinese(bundle.retrieval_query.norm)
        if words is None and _ANY_IP.search(bundle.retrieval_query.norm):
            # asked about IP as a whole (「台商…公司的智慧財產權有受到保障嗎？」: TW2, session 45's Taiwan sweep)
            words = _ANY_IP
        return words is not None and bool(TAIWAN.search(to_simplified(good[0].chunk.title))) \
            and not words.search(text) and not _ANY_IP.search(text)

    def _punished_before(self, bundle) -> Chunk | None:
        """For a follow-up asking only a punishment (「罚多少？」「怎么处罚？」: ``asks_of_the_previous``), the law article the
        conversation's subject turn cited first in a sure answer (its first part); else None."""
        cited = bundle.previous_cited
        if cited is None or not LAW_ARTICLE.match(cited[1]) or not PUNISHMENT.search(bundle.query.norm) \
                or not asks_of_the_previous(bundle.query.said, bundle.query.tokens):
            return None
        # 「2019年的版本罚多少？」: the same rule in the version of that year (反法 2025 第十二条 -> 2019 第十一条), if loaded
        if (year := versions.version_year(bundle.query.norm)) is not None:
            book = versions.book(self)
            other = next((d for d in book.versions(cited[0]) if d.get("version_date", "").startswith(year)), None)
            match = book.counterpart(cited[0], cited[1], other["doc_id"]) if other and other["doc_id"] != cited[0] else None
            cited = (other["doc_id"], match[0]) if match else cited
        parts = self._article_parts(LocatorRef(*cited))
        return parts[0] if parts else None

    def _penalty_for(self, bundle, good: list[Hit], broken: Chunk | None = None) -> Hit | None:
        """For a question asking for a consequence or an amount whose first source is a law article
        stating neither: the article of the same document that says 「违反本法第N条……」 of it and does
        state it (反不正当竞争法第二十六条 for 第十条), as a hit; else None. ``broken``: the rule a follow-up asks the
        punishment of (``_punished_before``), instead of the first source."""
        wanted = [t for t in asked_types(bundle.retrieval_query.norm) if t in PENALTY_TYPES]
        if not PUNISHMENT.search(bundle.retrieval_query.norm):
            wanted = []  # 怎么处理 may be 驳回 (商标法第四条), 赔多少 damages: not what a penalty article states
        if not wanted or not good:
            return None
        # A follow-up asking only that (「罚多少？」, ``asks_of_the_previous``) asks it of the article the conversation's
        # subject turn cited first: 反不正当竞争法(2025)第十二条 on smears -> 第二十八条, where the merged search found the
        # damages article 第二十二条 (session 34's sweep, K2).
        lead = broken
        if lead is None:
            if good[0].direct or not LAW_ARTICLE.match(good[0].chunk.locator):
                return None
            lead = good[0].chunk
        markers = markers_for(["consequence"]) if "consequence" in wanted else []
        values = asked_values(bundle.retrieval_query.norm)
        states = lambda text: (any(m.search(text) for m in markers)  # noqa: E731
                               or any(v.search(text) for v in values))
        if any(states(c.norm) for c in self._article_parts(lead)):
            # It states the punishment itself: the question's own first source stands; a follow-up's is that article again
            # (「怎么处罚？」 after 「罚多少？」 was answered with 第二十八条).
            return Hit(lead, score=good[0].score) if broken is not None else None
        if self._references is None:
            self._references = references(self.reader.chunks)
        for doc_id, locator in self._references.get((lead.doc_id, lead.locator), []):
            part = referring_part(self.retriever.lookup(LocatorRef(doc_id, locator)), lead.locator)
            if part is not None and states(part.norm):
                return Hit(part, score=good[0].score, dense=good[0].dense, coverage=good[0].coverage)
        if values and (part := self._amount_referred(bundle, lead, values)) is not None:
            return Hit(part, score=good[0].score, dense=good[0].dense, coverage=good[0].coverage)
        return None

    def _amount_referred(self, bundle, lead: Chunk, values: list) -> Chunk | None:
        """The first part stating a value of the asked kind in an article of another loaded document that ``lead``'s
        article names (「罚款数额可以参照商标法第六十条第二款的有关规定确定」 -> 商标法第六十条), in the text's order; None when
        there is none. A reference is trusted only when the referenced version is no newer than the referring text, as
        ``implements`` trusts an implementing text's (XR, session 43's sweep)."""
        _, aliases = versions.scope(self, bundle.filters)
        text = " ".join(c.norm for c in self._article_parts(lead))
        for ref in find_locators(text, aliases):
            newer = date_int(self.document(ref.doc_id)["version_date"]) > date_int(lead.version_date)
            if ref.doc_id == lead.doc_id or newer:
                continue
            part = next((c for c in self._article_parts(ref) if any(v.search(c.norm) for v in values)), None)
            if part is not None:
                return part
        return None

    def _plan_for_taiwan(self, bundle, good: list[Hit], hits: list[Hit]) -> Hit | None:
        """For a question naming Taiwan answered by national law: the plan's task on the same thing for
        Taiwan compatriots, among the five best (任务19's 专利代理师考试 beside 专利代理条例第十条), to be
        cited second; else None. The law says what the rule is; the plan says what Fuzhou offers."""
        query = bundle.retrieval_query
        if (not self.plan_doc_id or not good or not (TAIWAN.search(query.norm) or TAIWAN_EN.search(query.text))
                or any(h.chunk.doc_id == self.plan_doc_id for h in good)):
            return None
        words = [t for t in query.tokens + query.expansion if len(t) >= 3]
        return next((g[0] for g in composer.group_hits(hits)[:5] if g[0].chunk.doc_id == self.plan_doc_id
                     and TAIWAN_IN_PLAN.search(g[0].chunk.norm) and any(w in g[0].chunk.norm for w in words)), None)

    def _plan_for_city(self, bundle, good: list[Hit], hits: list[Hit]) -> Hit | None:
        """For a question about Fuzhou (福州, 市里) answered by national law: the plan's task on the topic the question names
        (``outline.names_a_topic``: written by at most half of the tasks), among the five best, to be cited second; else
        None. 「福州有没有帮企业做知识产权质押贷款的政策？」 quoted 促进科技成果转化法第三十五条 alone while task 7 (质押融资) ranked
        second (session 29's UI sweep). Like ``_plan_for_taiwan``: the law says what the rule is, the plan what Fuzhou does."""
        query = bundle.retrieval_query
        if not self.plan_doc_id or not good or not _CITY.search(query.norm) \
                or any(h.chunk.doc_id == self.plan_doc_id for h in good):
            return None
        topic = outline.names_a_topic(query.norm, self._task_texts_simplified())
        if topic is None:
            return None

        def on_it(hit: Hit) -> bool:
            return hit.chunk.doc_id == self.plan_doc_id and hit.chunk.locator.startswith("任务") \
                and topic in to_simplified(hit.chunk.text)

        found = next((g[0] for g in composer.group_hits(hits)[:5] if on_it(g[0])), None)
        if found is None and bundle.filters is not None and _CITY_DOES.search(bundle.query.norm):
            # Asked what the city does, and no task among the five best holds it: the plan alone is searched (CT:
            # 「…市里有什么机制」 on 展会 had no plan task).
            plan_only = replace(bundle.filters, doc_ids=(self.plan_doc_id,))
            found = next((h for h in self.retriever.search(query, k=self.settings.retrieve_k, filters=plan_only,
                                                           query_vector=bundle.query_vector) if on_it(h)), None)
        return found

    def _law_it_implements(self, bundle, good: list[Hit], hits: list[Hit]) -> Hit | None:
        """When the lead is an article of an implementing text (专利法实施细则), the article of its parent law (专利法) to be
        cited second, the rule beside its detail; else None (``implements.py``). Within the filters, and not already cited.
        - The parent article the lead names (「专利法第六条所称…」), while the parent's version in force is no newer than the
          implementing text (an older text names an older numbering). 「员工执行公司任务搞出来的发明，专利归谁？」 quoted
          细则第十三条 (what counts as such an invention) alone; who owns it is 专利法第六条 (evals/DECISIONS.md, session 32, P).
        - Else the search's next source, when it is an article of the parent law: the ranker cannot tell by the question's
          words which level it asks. 「实用新型专利保护期多久，从哪天开始算？」 quoted 细则第五条 (counting periods) alone, and
          专利法第四十二条 ranked next (session 41, TL)."""
        lead = good[0].chunk if good else None
        parent = implements.parent_title(lead.title) if lead is not None else None
        if parent is None or bundle.filters is None:
            return None
        _, aliases = versions.scope(self, bundle.filters)
        parent_doc = self.document(dict(aliases).get(parent, ""))
        if not parent_doc:
            return None
        cited = {(h.chunk.doc_id, h.chunk.locator) for h in good}
        if date_int(parent_doc.get("version_date", "")) <= date_int(lead.version_date):
            ranked = {h.chunk.chunk_id: h for h in hits}
            text = "".join(c.text for c in self._article_parts(lead))
            for locator in implements.parent_articles(text, parent):
                if (parent_doc["doc_id"], locator) in cited:
                    continue
                parts = [c for c in self._article_parts(LocatorRef(parent_doc["doc_id"], locator)) if bundle.filters.allows(c)]
                if parts:  # the ranked hit (with its evidence) when the search found the article, else its first part
                    return next((ranked[c.chunk_id] for c in parts if c.chunk_id in ranked), Hit(parts[0]))
        tops = [g[0] for g in composer.group_hits(hits)[:2]]
        if len(tops) < 2 or tops[0].direct or (tops[0].chunk.doc_id, tops[0].chunk.locator) != (lead.doc_id, lead.locator):
            return None
        following = tops[1].chunk
        return tops[1] if following.doc_id == parent_doc["doc_id"] and (following.doc_id, following.locator) not in cited \
            else None

    def _crime_threshold_note(self, bundle, good: list[Hit]) -> str:
        """A line before the quotes when the question asks what amount or quantity makes an act a crime and no cited
        source is a loaded criminal text in force: where such thresholds are set, that the Criminal Law is not loaded,
        and (from the manifest) which loaded criminal interpretation has ceased to apply and what replaced it. "" otherwise
        (「卖盗版光盘多少张构成犯罪？」 was answered with 著作权法第五十三条 alone; evals/DECISIONS.md, session 32, T)."""
        if not asks_crime_threshold(bundle.retrieval_query.norm) or any(_CRIMINAL.search(h.chunk.title) for h in good):
            return ""
        if bundle.query.is_english:  # in English, as the rest of the answer (session 48's sweep N, CE)
            return CRIME_THRESHOLD_EN.format(repealed=self._criminal_repealed(bundle, english=True))
        return CRIME_THRESHOLD.format(repealed=self._criminal_repealed(bundle))

    def _criminal_repealed(self, bundle, english: bool = False) -> str:
        """Which loaded criminal interpretation has ceased to apply on the day asked about, and what replaced it (from
        the manifest), as one clause per text (``english``: in English); "" when none has."""
        as_of = bundle.filters.as_of if bundle.filters is not None else None
        gone = [d for d in self.documents if d["doc_id"] in self.repealed_docs and _CRIMINAL.search(d["title"])
                and describe(d, as_of)["status"] == SUPERSEDED]
        clause, newer = (CRIME_REPEALED_EN, "a newer text") if english else (CRIME_REPEALED, "新文件")
        return "".join(clause.format(title=d["title"], day=d["repealed_on"], by=d.get("replaced_by") or newer)
                       for d in gone)

    def _article_parts(self, chunk: Chunk | LocatorRef) -> list[Chunk]:
        """Every part of a long article, in order (the composer quotes a list's introduction
        from an earlier part than the one retrieved)."""
        return sorted(self.retriever.lookup(LocatorRef(chunk.doc_id, chunk.locator)), key=lambda c: c.part)

    def _with_its_implementing_texts(self, doc_ids: list[str]) -> list[str]:
        """``doc_ids`` and every loaded version of the texts implementing them or implemented by them (专利法 <->
        专利法实施细则): a law and its implementing text are one subject, article by article (``implements.py``). 「最少给多少」
        after an answer led by 专利法第十五条 (the inventor's reward) asks the detail's 第九十三条 (a minimum of 4000元), not
        the 专利法 article stating most amounts (第六十八条's fines; session 48's sweep O, SI)."""
        titles = {to_simplified(doc["title"]) for d in doc_ids if (doc := self.document(d))}
        related = titles | {p for t in titles if (p := implements.parent_title(t))}
        return list(dict.fromkeys([*doc_ids, *(d["doc_id"] for d in self.documents
                                               if (t := to_simplified(d["title"])) in related
                                               or implements.parent_title(t) in related)]))

    @staticmethod
    def _leans_on(query: q.Query, subject_turn: dict, aliases) -> bool:
        """The question is read with the conversation's subject turn: a follow-up by its form (``scope.is_follow_up``), a
        short question asking something of that subject (``_asks_of_the_conversation``), or one asking what may follow the
        act it described (``_asks_a_consequence_of_it``). ``understand`` merges such a question with its subject, and
        ``_subject_text`` passes that subject on to the turn after it."""
        return (is_follow_up(query.said, query.tokens) or Assistant._asks_of_the_conversation(query, subject_turn, aliases)
                or Assistant._asks_a_consequence_of_it(query, aliases))

    @staticmethod
    def _asks_of_the_conversation(query: q.Query, subject_turn: dict, aliases) -> bool:
        """A short question asking something of at most one word of its own (``scope.asks_of_the_previous``: 「保护多久？」)
        that names no document, no kind of right and no everyday-law topic the subject turn did not: it asks that of the
        conversation's subject (rule K, session 34)."""
        return (asks_of_the_previous(query.said, query.tokens) and Assistant._names_no_document_or_right(query, aliases)
                and not topics_named(query.text) - topics_named(subject_turn.get("question", "")))

    @staticmethod
    def _asks_a_consequence_of_it(query: q.Query, aliases) -> bool:
        """A short question on what may follow an act (``scope.asks_a_consequence``: 「能不能报警追究刑事责任？」) that names no
        document and no kind of right: it asks that of the act the conversation described (session 35's sweep E)."""
        return asks_a_consequence(query.said) and Assistant._names_no_document_or_right(query, aliases)

    @staticmethod
    def _names_no_document_or_right(query: q.Query, aliases) -> bool:
        """The question names no loaded document and no kind of right: nothing of its own a follow-up reading would lose."""
        return not mentioned_docs(query.norm, aliases) and counterparts.right_named(query.norm) is None

    def _repealed_related(self, repealed: list[Hit], hits: list[Hit], doc: dict) -> list[Hit]:
        """可能相关 beside the repealed notice: the old article first, then the nearest texts in force on the same kind of
        right as the repealed text or on intellectual property as a whole in China (专利法第七十四条 beside the 2015
        patent-dispute rules' 诉讼时效), then the old text's next articles. Texts in force on other rights are not listed
        after a text that names its right: a plant-variety question has no answer in 专利法实施细则 or 著作权法 (session
        33's sweep), and the notice says old articles are listed. Nor is the treaty, not China's rule on the question
        (``TreatyScope`` ranks it after China's texts for a question not about it). A repealed text naming no single right
        (the criminal interpretation on 知识产权) keeps every neighbour. One entry per article: when the question names
        the old text it is also the top hit."""
        right = counterparts.right_named(to_simplified(doc["title"]))
        if right is not None:
            def about_it(hit: Hit) -> bool:  # the same right, or China's rules on IP as a whole (行为保全, 海关保护)
                title = to_simplified(self.document(hit.chunk.doc_id)["title"])
                return counterparts.right_named(title) == right or ("知识产权" in title and not is_treaty(hit.chunk))
            hits = [h for h in hits if about_it(h)] + repealed[1:]
        return [g[0] for g in composer.group_hits([repealed[0], *hits])][:MAX_CONTENDERS]

    def _repealed_first(self, bundle) -> list[Hit]:
        """When the first source had replaced texts been allowed to answer belongs to a repealed document (its successor
        is another text, not loaded): that document's hits in that ranking, best first; else none. One more ranking,
        with the question's vector reused, only while such a document is loaded."""
        if not self.repealed_docs or bundle.filters is None or bundle.filters.include_superseded or bundle.refs:
            return []
        wider = replace(bundle.filters, include_superseded=True)
        ranked = self.retriever.search(bundle.retrieval_query, k=self.settings.retrieve_k, filters=wider,
                                       named_docs=bundle.named, query_vector=bundle.query_vector)
        if not ranked or ranked[0].chunk.doc_id not in self.repealed_docs:
            return []
        if describe(self.document(ranked[0].chunk.doc_id), bundle.filters.as_of)["status"] != SUPERSEDED:
            return []
        if off_subject(ranked[0], bundle):
            # a text on a subject the question does not name did not govern it (NL: 「卖假货最严重会不会坐牢」 is no
            # plant-variety question); the texts in force answer as usual
            return []
        # The three best texts in force below it: what may answer instead of the notice.
        in_force = [h for h in ranked[1:] if bundle.filters.in_force(h.chunk)][:3]
        # A text in force that the ranker cannot tell from the old one (the close-call ratio) answers
        # instead: 专利法第七十四条 on the limitation period, not the old rules' 二年.
        ratio = self.settings.close_ratio
        if in_force and ratio is not None and ranked[0].score > 0 and in_force[0].score / ranked[0].score >= ratio:
            return []
        if self._restated_in_force(ranked[0], in_force) or self._defers_to_in_force(ranked[0], in_force):
            return []
        values = asked_values(bundle.retrieval_query.norm)
        if self._states_the_value_instead(bundle, ranked[0], in_force, values):
            return []
        if values and not any(v.search(ranked[0].chunk.norm) for v in values):
            # Asked for an amount or a period, the old text states none: it is not what answers (B11's
            # 外地 matched the old rules' jurisdiction article), so the texts in force answer as usual.
            return []
        if not self._holds_own_words(bundle.retrieval_query, ranked[0]):
            return []
        old = ranked[0].chunk.doc_id
        # An article of the old text the question names (「…解释（三）第九条是怎么规定的？」) is listed first: the ranking led with
        # 第十二条 (session 41's sweep).
        named = [c for r in find_locators(bundle.retrieval_query.norm, doc_aliases([self.document(old)]), default_doc=old)
                 if r.doc_id == old for c in self._article_parts(r)]
        named_ids = {c.chunk_id for c in named}
        return [Hit(c) for c in named] + [h for h in ranked if h.chunk.doc_id == old and h.chunk.chunk_id not in named_ids]

    def _lead_units_unnamed(self, query: q.Query) -> str:
        """「方案未明确各项任务的牵头单位。」 in the asker's language and script."""
        return BODY_TASKS["en-none-note"] if query.is_english else self._script(BODY_TASKS["zh-none-note"], query)

    def _holds_own_words(self, query: q.Query, old_top: Hit) -> bool:
        """The repealed top article (every part of it) holds one of the question's own words (two characters or more,
        no frame word): the notice says the question *was governed* by it, which an article reached only through the
        lay-term expansion and the answer-type markers is not — 「卖假货会不会坐牢」 led with the old plant-variety regulation's
        假冒授权品种 on 假冒 and 刑事责任 (evals/DECISIONS.md, session 43, RN)."""
        words = [t for t in own_words(query.norm, query.tokens) if len(t) >= 2]
        if not words:  # 「罚多少？」: nothing of its own to hold (RN')
            return True
        # the old text's title counts: 「侵犯知识产权刑事案件的解释（三）第九条是怎么规定的？」 names the text, not its first article (RN')
        title = to_simplified(self.document(old_top.chunk.doc_id)["title"])
        text = " ".join([title, *(c.norm for c in self._article_parts(old_top.chunk))])
        return any(t in text for t in words)

    def _defers_to_in_force(self, old_top: Hit, in_force: list[Hit]) -> bool:
        """The repealed top article only applies a law's article (「假冒他人专利的，人民法院可以依照专利法第六十三条的规定确定其民事
        责任」) and a text of that law is among the three best in force: the rule is that law's, which answers; the notice
        would say a question the patent law answers (「假冒专利会受到什么行政处罚？」 -> 专利法第六十八条) was governed by the repealed
        rules (evals/DECISIONS.md, session 44, RD). The article number is not compared: the law may have been renumbered
        since."""
        applied = {m.group(1) for c in self._article_parts(old_top.chunk) for m in _APPLIES_LAW.finditer(c.norm)}
        return any(applied & title_names(self.document(h.chunk.doc_id)["title"]) for h in in_force)

    def _restated_in_force(self, old_top: Hit, in_force: list[Hit]) -> bool:
        """A text in force on the same kind of right as the repealed top text, among the three best in force (``in_force``),
        restates one of the repealed article's sentences (``RESTATED``): the law in force says what the old interpretation said,
        so it answers and the repeal notice would be false (专利法第七十四条's 「侵犯专利权的诉讼时效为三年…」 for the 2015
        rules' 「…为二年…」, asked 「现在起诉还来得及不？」 with no value word; evals/DECISIONS.md, session 41, RS). A
        repealed text naming no single right (the criminal interpretation) keeps its notice."""
        right = counterparts.right_named(to_simplified(self.document(old_top.chunk.doc_id)["title"]))
        if right is None:
            return False
        old = _sentences(old_top.chunk.norm)
        # What the repealed article quotes of a law (「专利法第五十九条第一款所称的“…”」): found word for word in a text in
        # force, that text still states it (RQ: 「我的发明专利保护范围是按什么确定的？」 was declined as a matter for the
        # repealed 2015 rules' 第十七条, which quotes what 专利法第六十四条 says).
        quoted = [m.rstrip("，。；") for m in _QUOTED.findall(old_top.chunk.norm)]
        return any(counterparts.right_named(to_simplified(self.document(h.chunk.doc_id)["title"])) == right
                   and (any(versions.similarity(a, b) >= RESTATED for a in old for b in _sentences(h.chunk.norm))
                        or any(m in h.chunk.norm for m in quoted))
                   for h in in_force)

    @staticmethod
    def _states_the_value_instead(bundle, old_top: Hit, in_force: list[Hit], values: list) -> bool:
        """A text in force, among the three best in force (``in_force``), that states the asked-for value (a period, an
        amount) on the same subject (专利法第七十四条 「诉讼时效为三年」 for 「诉讼时效几年」, where the repealed 2015
        rules say 二年): it holds every question word the repealed top text holds, or it *restates* the
        repealed sentence that states the value (``RESTATED``). A question asking for no value (``values``:
        ``asked_values``) keeps the notice."""
        if not values:
            return False
        old = old_top.chunk.norm
        shared = [t for t in set(bundle.retrieval_query.tokens) if len(t) >= 2 and t in old]
        stating = lambda norm: [s for s in _sentences(norm) if any(v.search(s) for v in values)]  # noqa: E731
        old_values = stating(old)
        return any(any(v.search(h.chunk.norm) for v in values)
                   and (all(t in h.chunk.norm for t in shared)
                        or any(versions.similarity(a, b) >= RESTATED for a in old_values for b in stating(h.chunk.norm)))
                   for h in in_force)

    def _value_not_stated(self, bundle) -> str | None:
        """What to say when a follow-up with no provision of its own (「有多少钱？」「要多久？」) asks for an amount or a period
        and the law provisions it points back at state none (商标法第四十条 on renewal names no fee): the decline's text,
        else None. The plan's tasks are left to ``_amount_of_a_task`` (the fund's measures are what sets the plan's money)."""
        if not bundle.refs or not bundle.previous_tokens or any(r.doc_id == self.plan_doc_id for r in bundle.refs):
            return None
        if find_locators(bundle.query.norm, self.aliases, plan_doc=self.plan_doc_id):
            return None  # the question names its provision: its own look-up
        values = asked_values(bundle.query.norm)
        if not values:
            return None
        texts = [to_simplified(c.text) for r in bundle.refs for c in self.retriever.lookup(r)]
        if not texts or any(v.search(t) for v in values for t in texts):
            return None
        names = "、".join(f"《{(self.document(r.doc_id) or {}).get('title', r.doc_id)}》{r.locator}" for r in bundle.refs)
        if bundle.query.is_english:
            return VALUE_NOT_STATED_EN.format(names=names)
        return self._script(VALUE_NOT_STATED.format(names=names), bundle.query)

    def _amount_of_a_task(self, bundle) -> bool:
        """The question asks an amount of a part of the plan it points at (「有多少钱？」 after 专利质押融资, read as task 7; after
        the targets) and that part states none: what the city pays is not in the plan, and the part is not that answer."""
        refs = bundle.refs
        if not refs or any(r.doc_id != self.plan_doc_id for r in refs):
            return False
        if "amount" not in asked_types(bundle.query.norm):
            return False
        values = asked_values(bundle.query.norm)
        texts = [to_simplified(c.text) for r in refs for c in self.retriever.lookup(r)]
        return not any(v.search(t) for v in values for t in texts)

    @staticmethod
    def _answers_fund_specifics(query: q.Query, best: Hit) -> bool:
        """A question about the fund's amounts, eligibility, filings or dates is answered by a
        loaded document only if that document is written the way such an answer is (…万元,
        应当具备…条件, 应当提交…) and
        is itself about money paid out (补助, 资助, 奖励…): the damages in 专利法第七十一条 are
        also written in 万元 but say nothing about a subsidy. What the plan says the fund
        prioritises answers a question that asks for neither."""
        wanted = [t for t in asked_types(query.norm) if t in FUND_SPECIFICS]
        return not wanted or Assistant._states_fund_specifics(query, best, wanted)

    @staticmethod
    def _states_fund_specifics(query: q.Query, best: Hit, wanted: list[str] | None = None) -> bool:
        """``best`` is about money paid out and written the way the asked specifics are: their markers (万元, 应当具备…条件),
        or the asked value itself (「一次性资助三万三千三百元」 has no 万元: an amount written out in full, as a user-added
        measures text may write it; session 29's CLI sweep was told the measures were missing while its added text answered)."""
        wanted = [t for t in asked_types(query.norm) if t in FUND_SPECIFICS] if wanted is None else wanted
        norm = best.chunk.norm
        written = answer_type_match(markers_for(wanted), norm) > 0 or any(v.search(norm) for v in asked_values(query.norm))
        return bool(wanted) and written and needs_measures(norm)

    def _close_call(self, ranked: list[Hit]) -> bool:
        """The learned ranker's probabilities for the two best sources (distinct articles) are too
        close to tell which one answers; locator hits are never a close call."""
        if self.retriever.fusion.name != "learned" or any(h.direct for h in ranked):
            return False
        tops = [g[0] for g in composer.group_hits(ranked)[:2]]
        return len(tops) == 2 and tops[1].score >= self.settings.close_ratio * tops[0].score

    def _contenders(self, ranked: list[Hit], good: list[Hit]) -> list[Hit]:
        """The best few distinct sources that are at least plausibly on topic (the gate's weakest
        bar), in ranked order, with the gated ones."""
        floor = self.settings.gate_min_dense_with_words
        top = [g for g in composer.group_hits(ranked)[:MAX_CONTENDERS] if g[0].dense >= floor]
        keys = {(h.chunk.doc_id, h.chunk.locator) for g in top for h in g}
        return [h for g in top for h in g] + [h for h in good if (h.chunk.doc_id, h.chunk.locator) not in keys]

    def _outline_answer(self, bundle, wanted: int | None) -> dict:
        """The plan's sections and tasks (or section ``wanted``'s), each task cited by its title line."""
        query = bundle.query
        parts = outline.sections(self.reader.chunks, self.plan_doc_id)
        title = f"《{self.document(self.plan_doc_id)['title']}》"
        total = sum(len(tasks) for _, tasks in parts)
        if wanted is not None and 1 <= wanted <= len(parts):
            shown = [parts[wanted - 1]]
            head = OUTLINE_SECTION.format(title=title, n=int_to_cn(wanted), count=len(shown[0][1]))
        else:
            shown = parts
            head = OUTLINE_ALL.format(title=title, count=total, sections=len(parts))
            if wanted is not None:
                head = OUTLINE_NO_SECTION.format(n=int_to_cn(wanted), sections=len(parts)) + head
        lines, citations, hits = [self._script(head, query)], [], []
        for heading, tasks in shown:
            items = []
            for chunk in tasks:
                items.append(self._cite_task_title(chunk, query, citations, hits))
            label = composer.display(heading, query.language, composer.is_traditional(heading))
            lines.append(f"{label}：" + "、".join(items))
        extra: dict = {"notice": "plan_outline"}
        answer = _with_notes_after("\n".join(lines), [composer.terms_note(query, citations)], extra)
        return composer.answer_dict(query, answer, citations, hits, len(hits), **extra)

    def _overview_asked(self, bundle) -> str | None:
        """The doc_id of the one law or treaty a Chinese question names by its own words (not the plan: its outline
        answers) when it asks what that document says as a whole (``scope.asks_overview``); else None."""
        query = bundle.query
        if bundle.refs or query.is_english or bundle.filters is None or not asks_overview(query.norm, named=False):
            return None  # (no overview words at all: most questions stop here, before the aliases are read)
        _, aliases = versions.scope(self, bundle.filters)
        named = [d for d in mentioned_docs(query.norm, aliases) if d != self.plan_doc_id]
        if len(named) != 1 or (bundle.filters.doc_ids and named[0] not in bundle.filters.doc_ids):
            return None
        doc = named[0]
        if not asks_overview(without_names(query.norm, aliases, [doc])):
            return None
        # a text split by paragraphs (a user-added file with no articles) has no overview of articles: searched as usual
        return doc if any(c.doc_id == doc and _ARTICLE.fullmatch(c.locator) for c in self.reader.chunks) else None

    def _overview_answer(self, bundle, doc_id: str) -> dict:
        """What a document says as a whole: how many articles it has, its parts (章, or the treaty's sections) with the
        articles each holds, and its first article quoted (a law's purpose: 「为了…，制定本法」). No one article found by
        searching says that (DO, evals/DECISIONS.md, session 46)."""
        query = bundle.query
        chunks = sorted((c for c in self.reader.chunks if c.doc_id == doc_id and _ARTICLE.fullmatch(c.locator)),
                        key=lambda c: c.ordinal)
        articles = list(dict.fromkeys(c.locator for c in chunks))
        doc = self.document(doc_id)
        parts: dict[str, list[str]] = {}
        for c in chunks:
            locators = parts.setdefault(c.section_path[0] if c.section_path else "", [])
            if c.locator not in locators:  # an article in several parts is one article
                locators.append(c.locator)
        first = self._article_parts(LocatorRef(doc_id, articles[0]))
        hits = [Hit(c, score=1.0) for c in first]
        quote = composer.Quote([(c, [(0, len(c.display))]) for c in first])
        citations = [composer.citation(1, hits, quote, article=first)]
        source_traditional = composer.is_traditional(first[0].text)
        said = composer.display(quote.original, query.language, source_traditional)
        head = OVERVIEW["zh"].format(title=doc["title"], count=int_to_cn(len(articles)))
        if "" not in parts and len(parts) > 1:  # every article in a part: each part with its first and last article
            ranges = [f"{name}（{locs[0]}{'' if len(locs) == 1 else '至' + locs[-1]}）" for name, locs in parts.items()]
            unit = "章" if all(_CHAPTER.match(name) for name in parts) else "个部分"
            head += OVERVIEW["zh-parts"].format(n=int_to_cn(len(parts)), unit=unit, parts="；".join(ranges))
        text = self._script(head + OVERVIEW["zh-first"].format(locator=articles[0]), query) + f"\n“{said}”[1]"
        extra: dict = {"notice": "document_overview"}
        answer = _with_notes_after(text, [composer.terms_note(query, citations)], extra)
        return composer.answer_dict(query, answer, citations, hits, len(hits), **extra)

    def _asked_again(self, bundle, history: list[dict] | None, filters, **reading) -> tuple:
        """(bundle, answer) of the question understood again another way (``reading``: ``understand``'s
        ``with_previous`` or ``read_typos``), said in the language it was asked in (``restate_script``)."""
        again = self.understand(bundle.query.text, history, filters, **reading)
        again.query = replace(again.query, language=bundle.query.language)
        return again, self.engine.synthesize(again, self.engine.retrieve(again)).metadata["answer"]

    def _typos_read(self, bundle, result: dict, history: list[dict] | None, filters) -> tuple | None:
        """(bundle, answer) with the question's homophone typos read as terms, when it was declined or answered
        unsurely as typed and, read so, is answered surely; else None. Why only then: read always (setting "on"),
        the reading turned everyday words into terms often enough to cost more answers than it won on the frozen
        splits (rule H, evals/DECISIONS.md); a question answered surely as typed needs no second reading."""
        if self.settings.typos != "fallback":
            return None
        # A law's name mistyped (「专力法第六十五条」) named no loaded law: read so, it names 专利法 (session 41's sweep).
        misnamed = result.get("notice") == "locator_not_found" and bool(bundle.unknown_laws)
        if result.get("notice") not in (None, "not_covered") and not misnamed:
            return None
        if result["answerable"] and not result.get("hedged") and not result.get("close_call"):
            return None
        if not self._typo_corrector().corrections(bundle.retrieval_query.norm):
            return None
        read, answer = self._asked_again(bundle, history, filters, read_typos=True)
        if answer.get("notice") is not None or _sureness(answer) <= _sureness(result):
            return None
        return read, answer

    def _in_conversation(self, bundle, result: dict, history: list[dict] | None, filters) -> tuple | None:
        """(bundle, answer) asked with the previous question, when a question of its own in a conversation
        got an unsure answer outside the conversation's document but, read with the previous question,
        is answered from that document. 「复审结果还不服，多久内可以去法院起诉？」 after questions about a
        rejected trademark quoted 民法典 and 专利法 periods; with the context, 商标法第三十四条. Only a
        question sharing a word with a source the previous answer quoted (or a short one: ``scope.is_short``), naming no
        document or provision, using no everyday-law topic's words the previous question did not
        (``scope.topics_named``), and answered unsurely alone; kept when read so it is answered from a document the
        previous answer quoted, or is the fund's question (the measures' notice); else None (a change of subject is
        answered on its own)."""
        if not history or bundle.retrieval_query.text != bundle.query.text or bundle.named or bundle.refs:
            return None
        if result["answerable"] and not result.get("hedged") and not result.get("close_call"):
            return None
        if result.get("notice") not in (None, "not_covered"):
            return None  # out of scope, a repeal, the measures: said for the question itself
        if topics_named(bundle.query.text) - topics_named(history[-1].get("question", "")):
            return None  # a subject of its own (离婚 after 职务发明): read with the previous question, it was lost
        cited = [c for c in history[-1].get("citations") or [] if c.get("doc_id")]
        previous = (cited or [{}])[0]
        # Every source the previous answer quoted, not only its first: a close call's third contender may be what the
        # follow-up's words are in (「对方是恶意的，超过五年还能告吗？」 after contenders led by 实施条例第十八条: 商标法第四十五条
        # writes 恶意 and 五年; session 36's sweep O).
        source = " ".join(to_simplified(c.get("chunk_text", "")) for c in cited)
        if not previous.get("doc_id") or not (is_short(bundle.query.said)
                                              or any(len(t) >= 2 and t in source for t in bundle.query.tokens)):
            return None
        mine = (result.get("citations") or result.get("related") or [{}])[0]
        if mine.get("doc_id") == previous["doc_id"]:
            return None
        merged, answer = self._asked_again(bundle, history, filters, with_previous=True)
        first = (answer.get("citations") or [{}])[0]
        if answer.get("notice") == "measures_not_loaded" and not merged.refs:
            # Read with the conversation, it asks what the city's fund pays (「有钱吗？能补多少？」 after 「福州有什么扶持？」):
            # that the measures are not loaded is the answer, not an article searched with its words alone.
            answer["context"] = "previous_question"
            return merged, answer
        if first.get("doc_id") == self.plan_doc_id and _CITY_DOES.search(bundle.query.norm):
            # Asked what the city does, the city's task leads and the conversation's document follows it (CD).
            second = (answer.get("citations") or [])[1:2]
            first = second[0] if second else {}
        if not answer["answerable"] or first.get("doc_id") not in {c["doc_id"] for c in cited} or merged.refs:
            # merged.refs: the previous question named a provision (「商标法第三条」), so read together they only look it up
            # again: 「著作权保护多少年」 after it was answered with 商标法第三条 (session 29's UI sweep).
            return None
        answer["context"] = "previous_question"
        return merged, answer

    def _asked_body(self, bundle, history: list[dict] | None) -> str | None:
        """The body whose tasks are asked for; in a follow-up to such a question (「那市商务局呢？」 after
        「哪些任务是市科技局负责的」) the body the follow-up names."""
        query = bundle.query
        body = asked_body(query.norm)
        last = history[-1] if history else {}
        if body is None and last and is_follow_up(query.norm, query.tokens) and (
                last.get("notice") in ("body_tasks", "body_not_in_plan")
                or asked_body(to_simplified(last.get("question", ""))) is not None):
            body = body_named(query.norm)
        return None if body is None else as_the_plan_names(body, self._task_texts_simplified())

    def _cite_task_title(self, chunk, query, citations: list[dict], hits: list[Hit], naming: tuple[str, ...] = (),
                         parts: list | None = None) -> str:
        """A plan task cited by its title line (appended to ``citations`` / ``hits``): 任务N「title」[n];
        with ``naming``, also the sentences of the task's ``parts`` (its chunks, the first being ``chunk``)
        that name it (「海关在方案里承担什么任务」 showed task 8's title alone, not 「強化海關智慧財產權保護…」),
        quoted after the title and in the citation. ``naming`` lists the forms it is written in: a body's as the text writes
        it too (中国(福建)知识产权保护中心 for a question's 中国（福建）知识产权保护中心: only the title was shown, session 41's sweep)."""
        name = chunk.text.split("\n", 1)[0].strip()
        said_parts = []
        for part in (parts or [chunk]) if naming else ():
            body = [(a, b) for a, b in composer.body_spans(part) if part is not chunk or a >= len(name)]
            chosen = {(a, b) for a, b in body if any(n in to_simplified(part.text[a:b]) for n in naming)}
            if chosen:
                said_parts.append((part, composer.merge_spans(sorted(composer.whole_sentences(body, chosen, part.text)),
                                                              part.text)))
        quote_parts = [(chunk, [(0, len(name))])]
        for part, spans in said_parts:
            if part is chunk:
                quote_parts[0] = (chunk, quote_parts[0][1] + spans)
            else:
                quote_parts.append((part, spans))
        hit = Hit(chunk, score=1.0)
        citations.append(composer.citation(len(citations) + 1, [hit], composer.Quote(quote_parts)))
        hits.append(hit)
        source_traditional = composer.is_traditional(chunk.text)
        shown = composer.display(name, query.language, source_traditional)
        label = "Task " if query.is_english else self._script("任务", query)
        said = composer.display(composer.Quote(said_parts).original, query.language, source_traditional) if said_parts else ""
        return f"{label}{chunk.locator[2:]}「{shown}」[{len(citations)}]" + (f"：“{said}”" if said else "")

    def _body_tasks_answer(self, bundle, body: str, found: list[tuple[int, list[str]]]) -> dict:
        """Which of the plan's tasks name ``body`` (``found``: ``_tasks_naming``), each cited by its
        title line with the full names the text uses, and that the plan assigns no lead unit. A body
        the plan never names is said to be absent (a search would quote the task closest in words as
        if it were the answer), with the search's tasks listed as 可能相关."""
        query = bundle.query
        english = query.is_english
        parts = self._task_parts()
        key = "en" if english else "zh"
        if not found:
            self.engine.retrieve(bundle)
            related = [g[0] for g in composer.group_hits(bundle.ranked) if g[0].chunk.doc_id == self.plan_doc_id]
            text = BODY_TASKS[key + "-none"].format(body=body) + BODY_TASKS[key + "-none-note"]
            return self._decline(bundle, related, text=text, notice="body_not_in_plan", body=body)
        lines, citations, hits = [self._script(BODY_TASKS[key].format(body=body, count=len(found)), query)], [], []
        for n, written in found:
            text = "".join(c.text for c in parts[n])
            # The plan's own words (智慧財產權法院), shown like its quotes, not the normalized 知识产权法院.
            names = [composer.display(original_wording(name, text) or name, query.language, composer.is_traditional(text))
                     for name in written]
            full = "" if names == [body] else (f" (in the text: {', '.join(names)})" if english  # the plan's full name
                                               else f"（{self._script('原文', query)}：{'、'.join(names)}）")
            lines.append(self._cite_task_title(parts[n][0], query, citations, hits, naming=(body, *written), parts=parts[n])
                         + full)
        extra: dict = {"notice": "body_tasks", "body": body}
        after = [composer.terms_note(query, citations), self._script(BODY_TASKS[key + "-note"], query)]
        answer = _with_notes_after("\n".join(lines), after, extra)
        return composer.answer_dict(query, answer, citations, hits, len(hits), **extra)

    def _topic_asked_of_tasks(self, bundle) -> str | None:
        """The topic of a Chinese question asking which of the plan's tasks write it (``outline.asks_which_tasks``,
        ``outline.names_a_topic``), read on the question's own words (in the singular too when at most
        MAX_TOPIC_TASKS_SINGULAR tasks write it: WT2); None otherwise, or when a locator is named or the user's
        document filter leaves the plan out (evals/DECISIONS.md, session 32, L; session 46, WT2)."""
        query = bundle.query
        if not self.plan_doc_id or bundle.refs or query.is_english or not outline.asks_which_task(query.norm):
            return None
        if bundle.filters is not None and bundle.filters.doc_ids and self.plan_doc_id not in bundle.filters.doc_ids:
            return None
        topic = outline.names_a_topic(query.norm, self._task_texts_simplified())
        if topic is None or outline.asks_which_tasks(query.norm):
            return topic
        if points_back(query.norm):
            return None  # 「这个是方案里哪一项任务讲的？」 asks of the conversation's subject (WT), not of a word of its own
        # Asked in the singular (「…在方案的哪一项任务里？」) of a topic two or three tasks write, every one of them answers: a
        # search gave task 9 alone for 技术调查官, which task 8 writes too (WT2, session 46's sweep H). A topic more tasks
        # write is searched, as before, for the one closest to the question.
        writing = outline.tasks_writing(topic, self._task_texts_simplified())
        return topic if len(writing) <= MAX_TOPIC_TASKS_SINGULAR else None

    def _topic_tasks_answer(self, bundle, topic: str) -> dict:
        """Every task of the plan whose text writes ``topic``, in task order, each cited by its title line and the
        sentences that write it — like ``_body_tasks_answer`` for a body. ``names_a_topic`` found it in at least one."""
        query = bundle.query
        parts = self._task_parts()
        found = outline.tasks_writing(topic, self._task_texts_simplified())
        lines, citations, hits = [self._script(TOPIC_TASKS.format(topic=topic, count=len(found)), query)], [], []
        for n in found:
            lines.append(self._cite_task_title(parts[n][0], query, citations, hits, naming=(topic,), parts=parts[n]))
        extra: dict = {"notice": "topic_tasks", "topic": topic}
        answer = _with_notes_after("\n".join(lines), [composer.terms_note(query, citations)], extra)
        return composer.answer_dict(query, answer, citations, hits, len(hits), **extra)

    def _task_parts(self) -> dict[int, list]:
        """{task number: its chunks} of the plan (the index does not change under an Assistant)."""
        if self._tasks is None:
            self._tasks = {}
            for c in outline.task_chunks(self.reader.chunks, self.plan_doc_id):
                self._tasks.setdefault(int(c.locator[2:]), []).append(c)
        return self._tasks

    def _task_texts_simplified(self) -> list[tuple[int, str]]:
        """(number, Simplified text) of each of the plan's tasks, read once."""
        if self._task_texts is None:
            self._task_texts = [(n, "".join(to_simplified(c.text) for c in cs))
                                for n, cs in sorted(self._task_parts().items())]
        return self._task_texts

    def _tasks_naming(self, body: str) -> list[tuple[int, list[str]]]:
        """``bodies.tasks_naming`` over the plan's tasks."""
        return tasks_naming(body, self._task_texts_simplified())

    def _decline(self, bundle, related: list[Hit], notes: list[str] = (), text: str | None = None, **extra) -> dict:
        query = bundle.query
        text = text or (DECLINE_EN if query.is_english else DECLINE_ZH)
        answer = "\n".join([*notes, self._script(text, query)])
        if typo := self._typo_note(bundle, extra):
            answer += "\n\n" + typo
        return composer.answer_dict(query, answer, [], bundle.ranked, self.settings.top_k, related=related,
                                    answerable=False, **extra)

    def _typo_note(self, bundle, extra: dict) -> str:
        """The note on the typos read as terms (empty when none); ``extra["corrections"]`` lists them."""
        found = {(c.typo, c.word): None for query in (bundle.query, bundle.retrieval_query) for c in query.corrections}
        if not found:
            return ""
        extra["corrections"] = [{"typo": typo, "read_as": word} for typo, word in found]
        pairs = "、".join(f"“{typo}”已按“{word}”理解" for typo, word in found)
        return self._script(TYPO_NOTE.format(pairs=pairs), bundle.query)

    def _measures_related(self, hits: list[Hit]) -> list[Hit]:
        """可能相关 when the measures are missing: where the plan names them, then the plan's tasks
        the search found (a Taiwan engineer asking about 补贴 gets 任务19, which promises support for
        Taiwan talent). Only the plan's: it is the loaded text that says what the fund prioritises;
        a law's article found beside it (damages in 万元) would read as a subsidy rule."""
        mentions = self._measures_mentions()
        if not mentions:
            return hits
        keys = {(h.chunk.doc_id, h.chunk.locator) for h in mentions}
        tasks = [g[0] for g in composer.group_hits(hits) if g[0].chunk.doc_id == self.plan_doc_id
                 and (g[0].chunk.doc_id, g[0].chunk.locator) not in keys]
        return mentions + tasks

    def _measures_named(self, bundle) -> Hit | None:
        """Where a loaded text names the (unloaded) measures, when the question asks only what they are called or
        numbered (``scope.asks_document_identity``, on the question's own words): the plan's task 1 writes
        「贯彻落实《福州市智慧财产权专项资金管理办法》(榕政办规〔2022〕7号)」. None otherwise."""
        if not asks_document_identity(bundle.query.norm):
            return None
        return next((h for h in self._measures_mentions() if bundle.filters is None or bundle.filters.allows(h.chunk)), None)

    def _measures_mentions(self) -> list[Hit]:
        """Where loaded documents name the measures (the plan's task 1)."""
        title = self.measures_doc.get("title", "")
        return [Hit(c, score=1.0) for c in self.reader.chunks if title and title in c.norm]

    def _only_a_lookup(self, bundle, names: list[str]) -> bool:
        if bundle.query.is_english:
            return english.only_a_lookup(bundle.query.text)
        return only_a_lookup(bundle.query.norm, self.aliases, names)

    def _missing_locator_text(self, missing, query) -> str:
        """Why each named provision was not found: the document is loaded and has no such provision
        (方案任务23), or its text is not loaded (专项资金管理办法第十四条) - said apart, since the second
        may exist and the first does not."""
        join = ", " if query.is_english else "、"
        lines = []
        for is_loaded in (True, False):
            refs = [r for r in missing if ((self.document(r.doc_id) or {}).get("chunks", 0) > 0) == is_loaded]
            if not refs:
                continue
            if is_loaded:  # 民法典第一千一百八十五条: in a book of the Code that is not loaded (rule B)
                for r in list(refs):
                    title = self.document(r.doc_id)["title"]
                    if (book := code_books.other_book_of(title, r.locator)) is not None:
                        text = code_books.missing_article_text(book, title, r.locator, english=query.is_english)
                        lines.append(text if query.is_english else self._script(text, query))
                        refs.remove(r)
                if not refs:
                    continue
            names = join.join(f"《{(self.document(r.doc_id) or {}).get('title', r.doc_id)}》{r.locator}" for r in refs)
            tasks = self._task_count() if any(r.doc_id == self.plan_doc_id and r.locator.startswith("任务")
                                              for r in refs) else 0
            if query.is_english:
                lines.append(f"{names} not found: " + ("the document has no such provision." if is_loaded else
                                                       "the document's text is not loaded, so it cannot be looked up.")
                             + (f" The plan has {tasks} key tasks (1-{tasks})." if tasks else ""))
            else:  # a task number out of range says the range, as `rongzhi task` does
                lines.append(self._script(f"未找到{names}：" + ("该文件中没有这一条。" if is_loaded else
                                                                 "该文件全文尚未加载，无法查阅。")
                                          + (f"方案共有 {tasks} 项重点任务（任务1–{tasks}）。" if tasks else ""), query))
        return "\n".join(lines)

    def _task_count(self) -> int:
        """How many key tasks the loaded plan has (任务1…任务N)."""
        return len({c.locator for c in self.reader.chunks
                    if c.doc_id == self.plan_doc_id and re.fullmatch(r"任务\d+", c.locator)})

    def _citing(self, bundle) -> list[Hit]:
        """Loaded articles that cite the missing one word for word (a judicial interpretation of
        刑法第二百一十九条), listed as possibly related under the decline."""
        cited = citations_of(bundle.query.norm, bundle.unknown_laws)
        return [Hit(c) for c in self.reader.chunks if any(x in c.norm for x in cited)][:MAX_CONTENDERS]

    def _unknown_law_text(self, names: list[str], query) -> str:
        if query.is_english:
            return (f"RongZhi has not loaded {', '.join(names)} (or the name is not one it knows), so it cannot quote "
                    "its articles; `rongzhi corpus status` lists the loaded documents.")
        cited = "、".join(f"《{n}》" for n in names)
        return self._script(f"榕知未收录{cited}（或名称有误），无法给出其中的条文；已收录的文件可用 rongzhi corpus status 查看。", query)

    @staticmethod
    def _script(text: str, query: q.Query) -> str:
        from rongzhi.core.normalize import to_traditional

        return to_traditional(text) if query.language == q.ZH_HANT else text


def _sentences(norm: str) -> list[str]:
    """A (normalized) text's sentences, as the composer splits them."""
    return [norm[a:b] for a, b in composer.sentence_spans(norm)]


def _in_english(text: str) -> bool:
    """Mostly Latin letters: a text loaded in English (RCEP's chapter), not a Chinese law."""
    latin = sum(ch.isascii() and ch.isalpha() for ch in text)
    cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
    return latin > 2 * cjk


def _sureness(answer: dict) -> int:
    """0 declined, 1 hedged (可能没有直接回答), 2 several close sources (相关条文), 3 answered."""
    if not answer["answerable"]:
        return 0
    return 1 if answer.get("hedged") else 2 if answer.get("close_call") else 3


def _with_notes_after(answer: str, notes: list[str], extra: dict) -> str:
    """``answer`` with the non-empty ``notes`` after its quotes; they are also kept in
    ``extra["notes_after"]``, so that an LLM rewrite of the answer keeps them."""
    notes = [note for note in notes if note]
    if not notes:
        return answer
    extra["notes_after"] = notes
    return answer + "\n\n" + "\n\n".join(notes)


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)
