"""The answering pipeline, at the seams llama-index users know:

    AskBundle (a QueryBundle that carries what understanding found)
      -> HybridRetriever            (BaseRetriever: locator hits, dense + BM25 candidates, fusion)
      -> CrossEncoderRerank         (BaseNodePostprocessor: opt-in, rerank.py; the first candidates reordered)
      -> FollowUpReranker           (BaseNodePostprocessor: a follow-up's own words decide first)
      -> OtherRightsLast            (BaseNodePostprocessor: sources on another kind of right than the one asked go last)
      -> AnswerabilityCheck         (BaseNodePostprocessor: can the loaded documents answer at all? answer, hedge, decline)
      -> BoundAnswerFirst           (BaseNodePostprocessor: a value asked of a thing, from a source stating it of that thing;
                                     a term's meaning, from the source defining it)
      -> RelevanceGate              (BaseNodePostprocessor: only sources that support an answer)
      -> ExtractiveSynthesizer      (BaseSynthesizer: quoted, cited answer; or a decline)
    wired as a ``RetrieverQueryEngine``.

Any llama-index postprocessor (a cross-encoder reranker, say) can be appended to the
postprocessor list, and another synthesizer (an LLM one) can replace the extractive one; our own
logic that llama-index has no component for (locator lookup, named-document scope, version
filters) lives inside the retriever. Every node is a :class:`HitNode`, a ``NodeWithScore`` that keeps
the candidate's evidence (:class:`candidates.Hit`) for the stages after it.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable, List, Optional

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.response.schema import Response
from llama_index.core.indices.prompt_helper import ChatPromptHelper, PromptHelper
from llama_index.core.llms.mock import MockLLM
from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.query_engine import RetrieverQueryEngine
from llama_index.core.response_synthesizers import BaseSynthesizer
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode
from pydantic import Field, PrivateAttr

from rongzhi.core.settings import Settings
from rongzhi.ingest.split_plan import LOC_RELEASE

from .answer_types import (CRIME, asked_definition_of, asked_markers, asked_types, asked_value_of, defines,
                           expansion_terms, markers_for, states_value_of, unasked_qualifier)
from .candidates import Hit, coverage
from .compose import group_hits
from .counterparts import right_kinds, right_named
from .filters import Filters
from .query import Query
from .retrieve import Retriever
from .scope import (asked_after, asks_issuance, asks_of_the_previous, asks_when_issued, is_bare_term, is_elliptical,
                    is_short, own_words)
from .subjects import off_subject
from .treaty import TreatyCompanion, TreatyScope, is_treaty, treaty_words


@dataclass
class AskBundle(QueryBundle):
    """One question on its way through the pipeline."""

    query: Optional[Query] = None  # as asked: script, tokens
    retrieval_query: Optional[Query] = None  # what is searched (a follow-up joined to the previous question)
    filters: Optional[Filters] = None
    refs: list = field(default_factory=list)  # LocatorRef named in the question
    named: list = field(default_factory=list)  # doc_ids named in the question
    unknown_laws: list = field(default_factory=list)  # names cited with an article that match no loaded document
    years_not_loaded: list = field(default_factory=list)  # (doc_id, year): a version named by year that is not loaded
    exclude: list = field(default_factory=list)  # (doc_id, locator) already cited: 「还有别的条文吗」 asks for others
    example_asked: bool = False  # 「举个例子」: no examples are loaded; said before the provision is quoted again
    previous_tokens: list = field(default_factory=list)  # a follow-up's previous question, tokenized
    previous_docs: list = field(default_factory=list)  # a follow-up's previous answer's documents, in citation order
    previous_cited: Optional[tuple] = None  # a follow-up's subject turn's first citation: (doc_id, locator)
    # a follow-up's subject documents: those the previous answer and the subject turn cite first (K6')
    subject_docs: list = field(default_factory=list)
    # the question is asked in a conversation whose last turn was answered from the loaded texts (rule D1)
    after_an_answer: bool = False
    # the kinds of right the conversation's subject turn names, for a question searched on its own (RK4)
    conversation_kinds: frozenset = frozenset()
    ranked: list = field(default_factory=list)  # every fused candidate (Hit), set by the retriever
    query_vector: Any = None  # the retrieval query's embedding, set by the retriever (later searches reuse it)
    # Set by AnswerabilityCheck: its inputs, P(answerable) and "answer" | "hedge" | "decline".
    answerability_features: list = field(default_factory=list)
    answerability: Optional[float] = None
    outcome: str = "answer"
    # The second look at a question the check would answer (answerability.py "on_topic"): inputs, P.
    on_topic_features: list = field(default_factory=list)
    on_topic: Optional[float] = None
    # Set by BoundAnswerFirst: the first source was put there for stating the asked value of the asked thing, which the one
    # ranked above it did not, or it defines the term asked; their scores being close says nothing about which answers (no
    # close call).
    bound_first: bool = False


class HitNode(NodeWithScore):
    """A NodeWithScore that keeps the candidate's evidence for later stages."""

    hit: Any = Field(default=None, exclude=True)


def to_node(hit: Hit) -> HitNode:
    c = hit.chunk
    node = TextNode(id_=c.chunk_id, text=c.text,
                    metadata={"doc_id": c.doc_id, "title": c.title, "locator": c.locator, "kind": c.kind,
                              "version_date": c.version_date})
    return HitNode(node=node, score=hit.score, hit=hit)


def reordered(bundle: AskBundle, nodes: List[NodeWithScore], later: Callable[[Hit], bool]) -> List[NodeWithScore]:
    """``nodes`` and the bundle's full ranking in a stable order where the hits ``later`` is False for come first (each
    group keeps its order): how a postprocessor moves candidates without re-scoring them."""
    if bundle.ranked:
        bundle.ranked = sorted(bundle.ranked, key=later)
    return sorted(nodes, key=lambda n: later(n.hit))


def moved_last(bundle: AskBundle, nodes: List[NodeWithScore], later: Callable[[Hit], bool]) -> List[NodeWithScore]:
    """The hits ``later`` is True for go after the others (``reordered``); nothing moves when every candidate, or none,
    is such: a ranking of only those is still the best there is."""
    moved = [later(n.hit) for n in nodes]
    if all(moved) or not any(moved):
        return nodes
    return reordered(bundle, nodes, later)


def first_writing(bundle: AskBundle, nodes: List[NodeWithScore], writes: Callable[[Hit], bool]) -> List[NodeWithScore]:
    """When the first candidate does not write what the question asks for (``writes``) and one of the next two does,
    that one (every part of its article) goes first, the rest in their order: a move within the close contenders, never
    a promotion from far down."""
    if writes(nodes[0].hit):
        return nodes
    key = next(((n.hit.chunk.doc_id, n.hit.chunk.locator) for n in nodes[1:3] if writes(n.hit)), None)
    if key is None:
        return nodes
    return reordered(bundle, nodes, lambda hit: (hit.chunk.doc_id, hit.chunk.locator) != key)


def hits_of(nodes: List[NodeWithScore]) -> list[Hit]:
    return [n.hit for n in nodes if isinstance(n, HitNode)]


class HybridRetriever(BaseRetriever):
    def __init__(self, retriever: Retriever, k: int):
        super().__init__()
        self.retriever = retriever
        self.k = k

    def _retrieve(self, query_bundle: QueryBundle) -> List[NodeWithScore]:
        bundle = _ask(query_bundle)
        k = self.k * (3 if bundle.previous_tokens else 1)  # a follow-up re-ranks a wider pool
        bundle.query_vector = self.retriever.embedder.embed_query(bundle.retrieval_query.search_text)
        hits = self.retriever.search(bundle.retrieval_query, k=k, filters=bundle.filters, refs=bundle.refs,
                                     named_docs=bundle.named, query_vector=bundle.query_vector)
        bundle.ranked = hits
        return [to_node(h) for h in hits]


class CrossEncoderRerank(BaseNodePostprocessor):
    """The fused ranking's first candidates reordered by the cross-encoder (``rerank.py``) when it
    is on. Here, once per ask, and not inside ``Retriever.search``: the treaty stages and the
    repeal check search again, and reranking each of those made an ask ten times slower than the
    ranker alone (session 16: 1.75 rankings per ask)."""

    reranker: Any = Field(default=None, exclude=True)

    @classmethod
    def class_name(cls) -> str:
        return "RongZhiCrossEncoderRerank"

    def _postprocess_nodes(self, nodes: List[NodeWithScore], query_bundle: Optional[QueryBundle] = None):
        bundle = _ask(query_bundle)
        if self.reranker is None or len(nodes) < 2:
            return nodes
        bundle.ranked = self.reranker.rerank(hits_of(nodes), bundle.retrieval_query.text)
        return [to_node(h) for h in bundle.ranked]


class FollowUpReranker(BaseNodePostprocessor):
    """When an elliptical follow-up asks the previous question's kind of answer (判赔多少, 保护多久) of
    another subject, a source written that way decides first: 「那外观设计专利呢？」 after 「发明专利侵权一般判赔多少？」 asks the same amount of
    another patent, and 专利法第七十一条, which sets it for every patent without naming 外观设计, is the
    answer, not 第六十六条, which names 外观设计 and no amount. Then the follow-up's own words
    (那台湾人呢 -> 台湾, 台湾同胞), then whether the source is in a document the previous answer cited
    (the conversation's topic: 「那要交担保吗？」 after a customs answer is the customs regulation's
    security, not a court's), then the previous question's words (专利代理师, 考试), then the fused score."""

    keep: int = 12

    @classmethod
    def class_name(cls) -> str:
        return "RongZhiFollowUpReranker"

    def _postprocess_nodes(self, nodes: List[NodeWithScore], query_bundle: Optional[QueryBundle] = None):
        bundle = _ask(query_bundle)
        if not bundle.previous_tokens:
            return nodes
        query = bundle.query
        # Words of two characters or more: a single character (交 of 「那要交担保吗」, 递交 of a court's rules)
        # says little on its own and must not outweigh the conversation's topic. With two words or more of its own, not
        # the statute markers of the kind of answer asked (期限, 日内, 之日起 for 多久), which every article on a period holds:
        # 「那到期前多久要去续展？」 is about 到期 and 续展 (session 34, K3), and whether a source is written that way is a key of
        # its own after them. A follow-up with at most one word of its own (``asks_of_the_previous``: 「它能保护多久？」) keeps
        # them: its one word is as often generic (保护 is in the layout-design rules' term, not in 专利法第四十二条).
        few = asks_of_the_previous(query.said, query.tokens)
        markers = "" if few else expansion_terms(query.norm)
        # its frame words (如果, 申请, 哪些) are not words of its own: 「如果是高校呢？」 ranked 专利法第二十八条 first on
        # 「如果申请文件是邮寄的」 (session 35's sweep E, G1); one made of nothing else (「那中国呢？」) keeps them
        words = own_words(query.said, query.tokens) or query.tokens
        own = [t for t in words + query.expansion if len(t) >= 2 and t not in markers]
        for node in nodes:
            node.hit.coverage = coverage(own, node.hit.chunk.norm, bundle.retrieval_query.is_english)
        topic = set(bundle.previous_docs)
        # An elliptical follow-up asks what the previous question asked (hit.answer_type is read off the merged
        # question); one that asks its own question (「那要交担保吗？交多少？」) is not held to the previous kind.
        typed = is_elliptical(query.norm) and bool(asked_markers(bundle.retrieval_query.norm))
        kinds = [] if few else asked_markers(query.norm)
        # One word of its own, at most, asks that of the previous subject (rule K): the documents the conversation's answers
        # cite first go first, then coverage, whose answer-type words (部门 机关 管辖) are in many another text (session 39,
        # K6: 「要找哪个部门备案？」 after a customs question led with 商标法实施条例第八十四条 on 部门 and 备案). Not every
        # document the last answer cited (K6'): a weak third contender from the civil code made 「赔偿一般能拿到多少？」 in a
        # patent conversation lead with 民法典第一百九十一条.
        subject = set(bundle.subject_docs)
        nodes = sorted(nodes, key=lambda n: (not n.hit.direct, typed and not n.hit.answer_type,
                                             few and n.hit.chunk.doc_id not in subject,
                                             -round(n.hit.coverage, 1),
                                             bool(kinds) and not any(m.search(n.hit.chunk.norm) for m in kinds),
                                             n.hit.chunk.doc_id not in topic,
                                             -round(coverage(bundle.previous_tokens, n.hit.chunk.norm), 1),
                                             -n.hit.score))
        bundle.ranked = [n.hit for n in nodes]
        return nodes[:self.keep]


class ReleaseLineFilter(BaseNodePostprocessor):
    """A document's release line (the plan's 「2022年9月,《…工作方案》印发。」, locator 发布信息) is its title and the month it
    was issued: it matches every question that names the document and answers only one asking when or by whom it was issued
    (``scope.asks_issuance``). Dropped for any other question, before the answerability check and the gate read the
    candidates: 「福州市建設智慧財產權強市的方案，針對台灣有哪些措施？」 was answered with it outright (session 35's sweep H,
    R1). A question naming it by locator keeps it. One asking when the document was issued (``scope.asks_when_issued``)
    is answered by it first: 「这个方案什么时候发布的？」 had been led by 「本方案自印发之日起施行」, which says no date (RL)."""

    @classmethod
    def class_name(cls) -> str:
        return "RongZhiReleaseLineFilter"

    def _postprocess_nodes(self, nodes: List[NodeWithScore], query_bundle: Optional[QueryBundle] = None):
        bundle = _ask(query_bundle)
        if asks_when_issued(bundle.query.norm):
            # asked when it was issued, the line stating the month goes first (RL)
            return reordered(bundle, nodes, lambda hit: hit.chunk.locator != LOC_RELEASE)
        if asks_issuance(bundle.query.norm):
            return nodes
        def kept(hit: Hit) -> bool:
            return hit.direct or hit.chunk.locator != LOC_RELEASE

        if bundle.ranked:
            bundle.ranked = [h for h in bundle.ranked if kept(h)]
        return [n for n in nodes if kept(n.hit)]


class OtherRightsLast(BaseNodePostprocessor):
    """A question naming a kind of right (专利, 商标, 著作权, …: ``counterparts.right_kinds``) is not answered by a document
    about other kinds only: 「专利侵权多久内必须起诉」 was a close call led by the trademark interpretation's limitation period
    (「侵犯注册商标专用权的诉讼时效为三年」) while 专利法第七十四条 says it of patents, and 「专利证书不小心弄丢了」 led with a lost
    trademark certificate. Such candidates go after the others, each group in its order; a document with no kind in its
    title (a law on all IP, the plan, RCEP) is never moved, nor a candidate named by locator or in a document the
    question names (evals/DECISIONS.md, session 43, RK). Nothing moves when every candidate is on another kind. A
    follow-up is asked of the kinds its merged question names (RK2': 「那我们自己能告他吗，赔多少」 after a patent question
    is about patents; 「那商标保护多久？」 after one names both, and its counterpart is found as before). A question searched on
    its own that names none is asked of the kinds its conversation's subject turn names (RK4, session 45)."""

    @classmethod
    def class_name(cls) -> str:
        return "RongZhiOtherRightsLast"

    def _postprocess_nodes(self, nodes: List[NodeWithScore], query_bundle: Optional[QueryBundle] = None):
        bundle = _ask(query_bundle)
        # the kinds the question names as searched: a follow-up's read with the previous question (RK2'); a question of
        # its own naming none, in a conversation, the conversation's (RK4: 「许可合同要备案吗？」 after a patent licence)
        asked = right_kinds(bundle.retrieval_query.norm) or bundle.conversation_kinds
        if not asked:
            return nodes

        def other(hit: Hit) -> bool:
            kinds = right_kinds(hit.chunk.title)
            return bool(kinds) and not kinds & asked and not hit.direct and hit.chunk.doc_id not in bundle.named

        return moved_last(bundle, nodes, other)


class NarrowSubjectsLast(BaseNodePostprocessor):
    """A text on a narrow subject (the software regulations, the layout-design texts, the plant-variety regulations:
    ``subjects``) answers only a question naming that subject: asked without it (「著作权保护期是多久？…我的照片」), its
    candidates go after the others, each group in its order. Not a candidate named by locator or in a document the
    question names; nothing moves when every candidate is such. A follow-up is read with its conversation. Session 45's
    sweeps, NL (evals/DECISIONS.md)."""

    @classmethod
    def class_name(cls) -> str:
        return "RongZhiNarrowSubjectsLast"

    def _postprocess_nodes(self, nodes: List[NodeWithScore], query_bundle: Optional[QueryBundle] = None):
        bundle = _ask(query_bundle)
        return moved_last(bundle, nodes, lambda hit: off_subject(hit, bundle))


class FirstWritingPostprocessor(BaseNodePostprocessor):
    """The shape of the postprocessors that move, among the first three candidates, the first one that writes what the
    question asks for to the top (``first_writing``): each says, from the question, what a candidate must write
    (``wanted``), or None when the question does not ask it. Never when a candidate is named by locator, nor with fewer
    than two candidates."""

    @classmethod
    def class_name(cls) -> str:
        return f"RongZhi{cls.__name__}"  # RongZhiNextStepFirst, …: each subclass's own name

    def wanted(self, bundle: AskBundle, nodes: List[NodeWithScore]) -> Callable[[Hit], bool] | None:
        raise NotImplementedError

    def _postprocess_nodes(self, nodes: List[NodeWithScore], query_bundle: Optional[QueryBundle] = None):
        bundle = _ask(query_bundle)
        if len(nodes) < 2 or any(n.hit.direct for n in nodes):
            return nodes
        writes = self.wanted(bundle, nodes)
        return nodes if writes is None else first_writing(bundle, nodes, writes)


class NextStepFirst(FirstWritingPostprocessor):
    """A question asking what follows an event (「专利代理师考试通过以后要怎么执业？」, ``scope.asked_after``) is answered by a
    source on what it asks (执业: 专利代理条例第十一条), not by one on the event alone (第十条, the exam): when the first
    candidate writes none of the asked words and one of the next two writes one, that one goes first (stable otherwise).
    Not for a follow-up, whose "after that" is the conversation's (``scope.continues_in_time``). Session 44's Taiwan
    sweep, NS (evals/DECISIONS.md)."""

    def wanted(self, bundle: AskBundle, nodes: List[NodeWithScore]) -> Callable[[Hit], bool] | None:
        asked = [] if bundle.previous_tokens else asked_after(bundle.query.norm, bundle.query.tokens)
        return (lambda hit: any(w in hit.chunk.norm for w in asked)) if asked else None


class CriminalLiabilityFirst(FirstWritingPostprocessor):
    """Asked whether an act is a crime (the ``crime`` row of ``data/answer_types.tsv``: 坐牢, 判刑, 刑事责任…), the answer
    is the sentence on criminal liability (「构成犯罪的，依法追究刑事责任」): when the first candidate writes none of the
    row's statute markers and one of the next two does, that one goes first (stable otherwise). 「侵犯著作权情节严重会坐牢吗」
    was answered with 著作权法第五十四条's civil punitive damages (情节严重…一倍以上五倍以下) before 第五十三条. Not when a
    candidate is named by locator. Session 45's sweeps, CR (evals/DECISIONS.md)."""

    def wanted(self, bundle: AskBundle, nodes: List[NodeWithScore]) -> Callable[[Hit], bool] | None:
        if CRIME not in asked_types(bundle.query.norm):
            return None
        markers = markers_for([CRIME])
        return lambda hit: any(m.search(hit.chunk.norm) for m in markers)


# A question asking what it can claim (赔, 索赔, 补偿, damages) and not what fine is imposed (罚): CompensationFirst.
_ASKS_COMPENSATION = re.compile(r"赔|补偿|damages|compensat", re.I)  # over the normalized (Simplified) question
_ASKS_FINE = re.compile(r"(?<!惩)罚|\bfines?\b|(?<!punitive )penalt", re.I)  # 惩罚性赔偿 is damages
_FINE = re.compile(r"罚款")
_COMPENSATION = re.compile(r"赔")


class CompensationFirst(FirstWritingPostprocessor):
    """Asked what one can claim (「能要求惩罚性赔偿吗？」「那我可以要求他们赔多少钱？」), a fine paid to the state is not the
    answer: when the first candidate writes 罚款 and no 赔 while one of the next two writes 赔 (赔偿, 连带赔偿), that one goes
    first (stable otherwise). 著作权法实施条例第三十六条 (a fine) led 「別人盜用我的攝影作品…能要求懲罰性賠償嗎？」. Not when the
    question also asks about a fine, nor when a candidate is named by locator. Session 45's sweeps, CP
    (evals/DECISIONS.md)."""

    def wanted(self, bundle: AskBundle, nodes: List[NodeWithScore]) -> Callable[[Hit], bool] | None:
        asked = bundle.query.norm
        if not _ASKS_COMPENSATION.search(asked) or _ASKS_FINE.search(asked):
            return None
        if not _FINE.search(nodes[0].hit.chunk.norm):
            return None  # only a fine gives way
        return lambda hit: bool(_COMPENSATION.search(hit.chunk.norm))


# A question on what an administrative body does or imposes (行政处罚, 市场监管局查处…) and not on a court or a suit:
# AdministrativeBeforeCourtTexts. Over the normalized (Simplified) question.
_ASKS_ADMINISTRATION = re.compile(r"行政处罚|行政执法|行政机关|行政部门|行政管理部门|市场监管|市场监督|工商|执法部门|查处")
_ASKS_COURT = re.compile(r"法院|起诉|诉讼|官司|判|(?<![公广警报预])告|仲裁|司法")
COURT_TEXT_KIND = "司法解释"  # the manifest's kind of the Supreme People's Court's interpretations


class AdministrativeBeforeCourtTexts(FirstWritingPostprocessor):
    """Asked what an administrative body imposes or does (「商标侵权行政处罚怎么罚？」), a court's interpretation is not the
    answer: it says how courts try cases, and the laws and regulations say what the administration does. When the first
    candidate is a judicial interpretation and one of the next two is not, that one goes first (stable otherwise).
    商标民事解释第二十一条 (the court's civil sanctions, which mention 行政处罚 only to yield to it) led that question as a
    sure answer over 商标法第六十条. Not when the question names a court or a suit, nor when a candidate is named by locator.
    Session 46's sweep H, AP (evals/DECISIONS.md)."""

    def wanted(self, bundle: AskBundle, nodes: List[NodeWithScore]) -> Callable[[Hit], bool] | None:
        asked = bundle.query.norm
        if not _ASKS_ADMINISTRATION.search(asked) or _ASKS_COURT.search(asked):
            return None
        return lambda hit: hit.chunk.kind != COURT_TEXT_KIND


# A question calling an act 不正当竞争 (「…算不算不正当竞争」) asks it of the law named after it; over the normalized question.
_NAMES_UNFAIR_COMPETITION = re.compile(r"不正当竞争(?!法)")
UNFAIR_COMPETITION_LAW = "中华人民共和国反不正当竞争法"


class UnfairCompetitionLawFirst(FirstWritingPostprocessor):
    """Asked whether an act is 不正当竞争, the anti-unfair-competition law says what is: when the first candidate is not
    that law's and one of the next two is, that one goes first (stable otherwise). 「隔壁新开了一家店，店名跟我们的字号就差
    一个字，算不算不正当竞争」 was answered surely with 商标法第五十八条 (another's *registered trademark* used as a trade name,
    which itself sends the case to that law) over its 第七条 (混淆: 擅自使用他人有一定影响的…字号). Not when a candidate is
    named by locator. Session 46's sweep F, UC (evals/DECISIONS.md)."""

    def wanted(self, bundle: AskBundle, nodes: List[NodeWithScore]) -> Callable[[Hit], bool] | None:
        if not _NAMES_UNFAIR_COMPETITION.search(bundle.query.norm):
            return None
        return lambda hit: hit.chunk.title == UNFAIR_COMPETITION_LAW


# TH: an RCEP article's heading ("Protection of Geographical Indications", kept by ingest as ``Chunk.heading``); these
# words say how a heading is framed, not what it is about.
_HEADING_FRAME = frozenset({"protection", "system", "of", "the", "and", "for", "a", "an"})  # TH' (dev d434): system too
HEADING_WORDS = 2  # TH'': the fewest words a heading that moves must name (Geographical Indications)


def _english_words(text: str) -> set[str]:
    """Lower-cased English words without a plural s (indications -> indication; footnote digits dropped)."""
    return {w[:-1] if w.endswith("s") and len(w) > 3 else w for w in re.findall(r"[a-z]+", text.lower())}


class TreatyHeadingFirst(FirstWritingPostprocessor):
    """Asked about RCEP, the article whose heading names just what is asked answers before one whose heading names more:
    「RCEP里地理标志是怎么保护的」 (after a story of selling tea to Japan) was answered surely with 第11.25条 "Protection of
    Trademarks that Predate Geographical Indications", 第11.29条 "Protection of Geographical Indications" third. When the
    first candidate is a treaty article whose heading has a word the question (as ``treaty.treaty_words`` reads it for
    treaty text: with its bridge terms and Parties' names) does not, and one of the next two is a treaty article whose
    heading names two words or more and none the question does not, that one goes first. Session 47's sweep K, TH (TH',
    TH'')."""

    def wanted(self, bundle: AskBundle, nodes: List[NodeWithScore]) -> Callable[[Hit], bool] | None:
        if not is_treaty(nodes[0].hit.chunk):
            return None
        asked = _english_words(treaty_words(bundle.retrieval_query.norm))

        def headed_by_the_asked(hit: Hit) -> bool:
            heading = hit.chunk.heading if is_treaty(hit.chunk) else ""
            words = _english_words(heading or "") - _HEADING_FRAME
            # TH'': two words at least — a one-word heading (Obligations, Trademarks, Fees) names a whole field, and a
            # question using that word in passing ("…implement the IP obligations?") is not asking for it
            return len(words) >= HEADING_WORDS and words <= asked
        return headed_by_the_asked


# PD': a multiple asked (「最高几倍」「能翻几倍」) and how a statute writes one (「一倍以上五倍以下」)
_ASKS_MULTIPLE = re.compile(r"[几多少]+倍")
_MULTIPLE = re.compile(r"[一二三四五六七八九十两\d]+倍")
NAMED_LAW_DEPTH = 5  # PD': articles read for the named right's own law, two past VALUE_DEPTH (the law was fourth)
VALUE_DEPTH = 3  # articles read for the asked value or term: the first and the next two (the most a close call cites)


def article_of(group: list[Hit], parts: Callable[[Any], list] | None) -> list:
    """Every part of a group's article (``parts``: Chunk -> its article's parts), or the parts retrieved without it."""
    return parts(group[0].chunk) if parts else [h.chunk for h in group]


def defining(bundle: AskBundle, hits: list[Hit], parts: Callable[[Any], list] | None) -> list[Hit] | None:
    """The group of the first of the first ``VALUE_DEPTH`` articles (not the treaty's) that defines the term the asker's
    question asks the meaning of (``answer_types.asked_definition_of``: 「啥叫反向工程」), in any of its parts; None when it
    asks none or none defines it. Statutes define a term in one form (「前款所称的反向工程，是指…」), so such an article
    answers whatever else the candidates share with the question (evals/DECISIONS.md, session 39, DF)."""
    term = asked_definition_of(bundle.query.norm)
    if term is None:
        return None
    for group in group_hits(hits)[:VALUE_DEPTH]:
        if is_treaty(group[0].chunk):
            continue
        if any(defines(term, c.norm) for c in article_of(group, parts)):
            return group
    return None


class BoundAnswerFirst(BaseNodePostprocessor):
    """A question bound to one kind of statement is answered first by a source making it:

    - a value asked of a thing (「方案计划开展多少项专利导航项目？」: a count of 专利导航项目; answer_types.asked_value_of)
      by a source that states that value of that thing. When no statement of any part of the best article writes the thing
      with a value of the asked kind (in the asked unit: 多少年 is answered in 年) and one of the next two articles does, that
      one goes first: task 5, which describes the navigation projects, had been the answer over the targets' 「开展专利导航
      项目200项以上」 (session 37's sweep R). Binding value and thing in one statement is what session 37's A1'' lacked: it
      promoted 实施细则第九十三条's inventor award (「一项发明专利的奖金最低不少于4000元」) for an annual fee because both
      write 发明专利. A value of another thing does not answer either (V2'): the layout-design rules' 「布图设计专有权的保护期为
      10年」 does not state the term of 外观设计.
    - the meaning of a term (「什么叫人民调解？」) by the article defining it (``defining``, DF), first or not.

    After the answerability check (its features read the search's own order) and before the gate (which measures the others
    against the first). Not with the cross-encoder on: it reads the question and the text together, and its order is the
    one shown. A question naming a provision, and a treaty article first (English, its values written as RCEP writes them),
    keep their order."""

    parts: Any = Field(default=None, exclude=True)  # Chunk -> every part of its article, or None: the parts retrieved
    reranker: Any = Field(default=None, exclude=True)

    @classmethod
    def class_name(cls) -> str:
        return "RongZhiBoundAnswerFirst"

    def _postprocess_nodes(self, nodes: List[NodeWithScore], query_bundle: Optional[QueryBundle] = None):
        bundle = _ask(query_bundle)
        hits = hits_of(nodes)
        if self.reranker is not None or len(hits) < 2 or any(h.direct for h in hits) or is_treaty(hits[0].chunk):
            return nodes
        promoted = self._value_bound(bundle, hits) or defining(bundle, hits, self.parts)
        if promoted is None:
            return nodes
        keys = {(h.chunk.doc_id, h.chunk.locator) for h in promoted}
        bundle.bound_first = True
        # the promoted article's parts first, then the rest in their order
        return reordered(bundle, nodes, lambda hit: (hit.chunk.doc_id, hit.chunk.locator) not in keys)

    def _value_bound(self, bundle: AskBundle, hits: list[Hit]) -> list[Hit] | None:
        """The group of the article stating the asked value of the asked thing, when the first article states none."""
        asked = asked_value_of(bundle.retrieval_query.norm, bundle.retrieval_query.tokens)
        if asked is None:
            return None
        thing, values = asked
        grouped = group_hits(hits)
        groups = grouped[:VALUE_DEPTH]

        def article(group) -> list:
            return article_of(group, self.parts)

        first = article(groups[0])
        if any(states_value_of(thing, values, c.norm) for c in first):
            # It states the value of the thing, but maybe of the thing otherwise qualified (「每次续展注册的有效期为十年」 for
            # 「商标有效期多久」): one of the next two stating it directly of the thing as asked goes first (VQ). Not for a
            # follow-up whose own words ask no value (「那到期了怎么办？」 after 「有效期多久」: VQ').
            if bundle.previous_tokens and asked_value_of(bundle.query.norm, bundle.query.tokens) is None:
                return None
            question = bundle.retrieval_query.norm

            def unasked(chunks: list) -> float:
                found = [unasked_qualifier(thing, values, c.norm, question) for c in chunks]
                return min((n for n in found if n is not None), default=math.inf)

            own = unasked(first)
            return next((g for g in groups[1:] if not is_treaty(g[0].chunk) and unasked(article(g)) < own), None)
        bound = next((g for g in groups[1:] if not is_treaty(g[0].chunk)
                      and any(states_value_of(thing, values, h.chunk.norm) for h in g)), None)
        return bound or self._named_law_states(bundle, grouped[:NAMED_LAW_DEPTH])

    def _named_law_states(self, bundle: AskBundle, groups: list[list[Hit]]) -> list[Hit] | None:
        """PD': the group of the named right's own law stating a multiple, when a multiple is asked and a text on all
        rights leads and states none. 「商标侵权惩罚性赔偿最高几倍？」 was led by the punitive-damages interpretation's 第六条
        (how the multiple is chosen, no multiple), with 商标法第六十三条's 「一倍以上五倍以下」 fourth: the statutes write
        确定赔偿数额, not the asked 惩罚性赔偿, so the value cannot be bound to the thing, and the right named is what says
        whose law states it."""
        right = right_named(bundle.retrieval_query.norm)
        if right is None or not _ASKS_MULTIPLE.search(bundle.retrieval_query.norm) \
                or right_named(groups[0][0].chunk.title) is not None:
            return None

        def states_multiple(group) -> bool:
            return any(_MULTIPLE.search(c.norm) for c in article_of(group, self.parts))

        if states_multiple(groups[0]):
            return None
        return next((g for g in groups[1:] if g[0].chunk.title.endswith(right[1]) and states_multiple(g)), None)


class AnswerabilityCheck(BaseNodePostprocessor):
    """Can the loaded documents answer this question at all (assistant/answerability.py)? Declines
    what they cannot (nothing passes), and marks a doubtful question "hedge" for the synthesizer.
    A question that names a provision by locator is always looked up."""

    check: Any = Field(default=None, exclude=True)
    parts: Any = Field(default=None, exclude=True)  # Chunk -> every part of its article, or None: the parts retrieved

    @classmethod
    def class_name(cls) -> str:
        return "RongZhiAnswerabilityCheck"

    def _postprocess_nodes(self, nodes: List[NodeWithScore], query_bundle: Optional[QueryBundle] = None):
        bundle = _ask(query_bundle)
        hits = hits_of(nodes)
        if self.check is None or not hits or any(h.direct for h in hits):
            return nodes
        tokens = bundle.retrieval_query.tokens
        bundle.answerability_features = self.check.features(tokens, hits)
        bundle.on_topic_features = self.check.on_topic_features(bundle.retrieval_query.norm, tokens, hits,
                                                                bundle.answerability_features)
        bundle.answerability = self.check.probability_of(bundle.answerability_features)
        if bundle.answerability is None:
            return nodes
        bundle.outcome = self.check.outcome(bundle.answerability)
        if defining(bundle, hits, self.parts) is not None:
            # Asked what a term means, and one of the first articles defines it (DF): answered, without the second look, as
            # a term found word for word is shown below (J2). 「啥叫反向工程」 was declined with 商业秘密规定第十四条 first (P = 0.09).
            bundle.outcome = "answer"
            return nodes
        if bundle.outcome == "decline" and bundle.after_an_answer and is_short(bundle.query.said):
            # A short follow-up to an answered turn (「罚多少？」 after an answer on a look-alike shop name, 「報考需要什麼學歷？」
            # after one on the patent-attorney exam) is about a matter the loaded texts were just found to cover; the check,
            # trained on questions asked alone, reads its few words as a question about nothing (P = 0.07): the closest
            # sources are shown under the "may not answer" line instead of declining (rule D1, session 40).
            bundle.outcome = "hedge"
        if bundle.outcome == "decline" and is_bare_term(bundle.query.said) \
                and bundle.query.said.strip() in hits[0].chunk.norm:
            # A term looked up (「质押融资」), not a question the check was trained on: where the best source writes it
            # word for word, that source is shown as 相关条文 under the "may not answer" line, not declined (session 35, J2).
            bundle.outcome = "hedge"
        if bundle.outcome == "answer":
            bundle.on_topic = self.check.second_look(bundle.on_topic_features)
            if self.check.doubts(bundle.on_topic):
                bundle.outcome = "hedge"
        return [] if bundle.outcome == "decline" else nodes


class RelevanceGate(BaseNodePostprocessor):
    """Only sources that can support an answer pass, best first; none means "decline" (unless the
    answerability check let the question through: then a hedge).

    multilingual-e5 cosines are compressed (unrelated text still scores ~0.83), so a source passes
    when it was named by locator, is very close in meaning, or shares enough of the question's
    words and is close enough. Further sources pass only when they match about as well as the
    best one. Thresholds are settings, calibrated on the dev split."""

    settings: Any = Field(exclude=True)

    @classmethod
    def class_name(cls) -> str:
        return "RongZhiRelevanceGate"

    def _postprocess_nodes(self, nodes: List[NodeWithScore], query_bundle: Optional[QueryBundle] = None):
        bundle = _ask(query_bundle)
        s = self.settings
        direct = [n for n in nodes if n.hit.direct]
        if direct:
            return direct
        # The language of the text searched: a question asked again in another script (「用中文再说一遍」) is
        # still searched in its own.
        min_dense = s.gate_min_dense_en if bundle.retrieval_query.is_english else s.gate_min_dense
        good = [n for n in nodes if n.hit.dense >= min_dense
                or (n.hit.coverage >= s.gate_min_coverage and n.hit.dense >= s.gate_min_dense_with_words)]
        if not good and nodes and bundle.answerability is not None:
            # The learned check (trained on lay questions and real questions about other law) let
            # this question through; the gate's fixed cosine bars are the weaker judge of *whether*
            # to answer and turned away right answers to story-like questions (dev: 3 of 3 gate
            # declines). They still decide *what* is quoted: nothing passed, so the closest sources
            # are shown as contenders under the hedge line, never as the answer.
            bundle.outcome = "hedge"
            return nodes[:1]
        if not good:
            return []
        top = good[0].hit
        return [good[0]] + [n for n in good[1:] if n.hit.coverage >= top.coverage - s.secondary_coverage_gap
                            and n.hit.dense >= top.dense - s.secondary_dense_gap]


class ExtractiveSynthesizer(BaseSynthesizer):
    """Composes the answer from quotes (``compose.py``), or declines. ``answer_fn(bundle, hits)``
    returns the answer dict; the service supplies it because declines and notes need the
    document list. Overrides ``synthesize`` because extraction needs the nodes, not their text."""

    def __init__(self, answer_fn: Callable[[AskBundle, list[Hit]], dict]):
        # No LLM: every word of the answer is quoted, so no prompt is ever packed. Handing the base
        # class prompt helpers with a character tokenizer keeps it from loading tiktoken's
        # vocabulary (~0.27 s of every cold `rongzhi ask`) for a budget nothing reads.
        super().__init__(llm=MockLLM(), prompt_helper=PromptHelper(tokenizer=list),
                         chat_prompt_helper=ChatPromptHelper(tokenizer=list))
        self._answer_fn = answer_fn

    def synthesize(self, query, nodes: List[NodeWithScore], additional_source_nodes=None, **kwargs) -> Response:
        answer = self._answer_fn(_ask(query), hits_of(nodes))
        return Response(response=answer["answer"], source_nodes=list(nodes), metadata={"answer": answer})

    async def asynthesize(self, query, nodes, additional_source_nodes=None, **kwargs) -> Response:
        return self.synthesize(query, nodes, additional_source_nodes, **kwargs)

    def get_response(self, query_str, text_chunks, **kwargs):  # pragma: no cover - synthesize is overridden
        raise NotImplementedError("ExtractiveSynthesizer composes from nodes; call synthesize()")

    async def aget_response(self, query_str, text_chunks, **kwargs):  # pragma: no cover
        raise NotImplementedError("ExtractiveSynthesizer composes from nodes; call synthesize()")

    def _get_prompts(self) -> dict:
        return {}

    def _update_prompts(self, prompts) -> None:
        pass


def build_engine(retriever: Retriever, settings: Settings, answer_fn, answerability=None,
                 treaty_scope: TreatyScope | None = None,
                 article_parts: Callable[[Any], list] | None = None) -> RetrieverQueryEngine:
    """``answerability``: an :class:`AnswerabilityModel` over this index, or None (gate alone);
    ``treaty_scope``: the caller's TreatyScope, when it also uses one (its annex table is read once);
    ``article_parts``: every part of a chunk's article (``Assistant._article_parts``), or None (the parts retrieved)."""
    # The gate's cosine bars belong to the embedder (Settings.for_embedder; fills only unset ones).
    settings = settings.for_embedder(getattr(getattr(retriever, "embedder", None), "family", ""))
    return RetrieverQueryEngine(
        retriever=HybridRetriever(retriever, k=settings.retrieve_k),
        response_synthesizer=ExtractiveSynthesizer(answer_fn),
        # TreatyScope (issue #13 hook): RCEP's English chapter leads only questions about it.
        node_postprocessors=[CrossEncoderRerank(reranker=getattr(retriever, "reranker", None)),
                             treaty_scope or TreatyScope(retriever=retriever, k=settings.retrieve_k),
                             FollowUpReranker(keep=settings.retrieve_k), OtherRightsLast(), NarrowSubjectsLast(),
                             NextStepFirst(), CriminalLiabilityFirst(), CompensationFirst(),
                             AdministrativeBeforeCourtTexts(), UnfairCompetitionLawFirst(), TreatyHeadingFirst(),
                             ReleaseLineFilter(),
                             AnswerabilityCheck(check=answerability, parts=article_parts),
                             BoundAnswerFirst(parts=article_parts, reranker=getattr(retriever, "reranker", None)),
                             RelevanceGate(settings=settings),
                             TreatyCompanion(retriever=retriever, settings=settings, k=settings.retrieve_k)])


def _ask(bundle) -> AskBundle:
    if not isinstance(bundle, AskBundle):
        raise TypeError("RongZhi's pipeline stages need an AskBundle (see Assistant.understand)")
    return bundle
