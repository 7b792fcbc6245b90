"""The assistant: one object that loads the index and models once and answers questions.

``Assistant.ask`` returns the JSON contract of ``rongzhi ask --json``:
{question, answer, answerable, language, citations[{n, doc_id, title, locator, quote, score…}],
 mode, timings_ms, related, notice?, llm?}
"""
from __future__ import annotations

import time

from rongzhi.core.errors import IndexMissing
from rongzhi.ingest.manifest import MEASURES_DOC_ID, PLAN_DOC_ID
from rongzhi.core.settings import Settings, apply_offline_env

from . import compose as composer
from . import query as q
from .locate import doc_aliases, find_locators, mentioned_docs
from .filters import Filters
from .retrieve import Hit, Retriever
from .scope import is_follow_up, needs_measures, off_topic

# Relevance gate, tuned on evals/gold.jsonl. multilingual-e5 cosines are compressed (unrelated
# text still scores ~0.83), so a hit supports an answer when it was named by locator, is very
# close in meaning, or shares at least half the question's words and is close enough.
MIN_DENSE = 0.875
MIN_DENSE_EN = 0.86  # English questions against Chinese text score lower
MIN_DENSE_WITH_WORDS = 0.83
MIN_COVERAGE = 0.5
# A further source is cited only when it matches about as well as the best one.
SECONDARY_COVERAGE_GAP = 0.05
SECONDARY_DENSE_GAP = 0.02
RETRIEVE_K = 12  # candidates kept after fusion (several may be parts of one article)  # further sources must score at least this share of the best one

DECLINE_ZH = "抱歉，现有资料中没有找到能回答这个问题的内容。榕知只依据已收录的福州知识产权政策和国家知识产权法律文本作答。"
DECLINE_EN = ("Sorry, nothing in the loaded documents answers this question. RongZhi answers only from "
              "Fuzhou's IP policy documents and Chinese IP law texts it has loaded.")
MEASURES_MISSING = ("这个问题需要《福州市知识产权专项资金管理办法》（榕政办规〔2022〕7号）的条文，但该文件全文尚未加载，"
                    "榕知不会猜测其中的资助项目或金额。如您有该文件，可运行 `rongzhi corpus add 文件路径` 加载后再问。")
MEASURES_MISSING_EN = ("This needs the text of 《福州市知识产权专项资金管理办法》 (榕政办规〔2022〕7号), which is not loaded; "
                       "RongZhi will not guess its content. Add it with `rongzhi corpus add FILE`.")
NO_LEAD_UNITS = "方案未明确各项任务的牵头单位；以下为任务原文中提到的机构和主体。"


class Assistant:
    def __init__(self, settings: Settings | None = None, auto_ingest: bool = True, quiet: bool = False):
        self.settings = settings or Settings.from_env()
        apply_offline_env(self.settings)
        from rongzhi.index.store import IndexReader, current_generation

        if auto_ingest and current_generation(self.settings.data_dir) is None:
            from rongzhi.index.build import ingest

            ingest(self.settings, quiet=quiet)
        self.reader = IndexReader(self.settings)
        from rongzhi.index.embedders import make_embedder

        self.embedder = make_embedder(self.settings)
        if self.reader.meta.get("embedder") != self.embedder.name:
            raise IndexMissing(
                f"索引由嵌入模型 {self.reader.meta.get('embedder')} 建立，当前设置为 {self.embedder.name}：请运行 rongzhi ingest。",
                f"the index was built with {self.reader.meta.get('embedder')}, settings say "
                f"{self.embedder.name}: run `rongzhi ingest`")
        self.retriever = Retriever(self.reader, self.embedder)
        self.documents = self.reader.meta["documents"]
        self.aliases = doc_aliases(self.documents)
        self._llm = None

    # -- documents -------------------------------------------------------------------------
    def document(self, doc_id: str) -> dict | None:
        return next((d for d in self.documents if d["doc_id"] == doc_id), None)

    @property
    def measures_loaded(self) -> bool:
        doc = self.document(MEASURES_DOC_ID)
        return bool(doc and doc["status"] != "not loaded")

    # -- answering -------------------------------------------------------------------------
    def parse(self, question: str, max_chars: int | None = None) -> q.Query:
        return q.parse(question, max_chars or self.settings.max_question_chars, self.reader.lexical.tokenize)

    def ask(self, question: str, history: list[dict] | None = None, filters: Filters | None = None,
            use_llm: bool | None = None) -> dict:
        t0 = time.perf_counter()
        timings: dict[str, float] = {}
        query = self.parse(question)
        retrieval_query, default_doc = query, None
        if history:
            last = history[-1]
            default_doc = (last.get("citations") or [{}])[0].get("doc_id")
            if is_follow_up(query.norm, query.tokens):
                retrieval_query = self.parse(f"{last['question']} {query.text}", self.settings.max_question_chars * 2)
                retrieval_query.language = query.language
        named = mentioned_docs(retrieval_query.norm, self.aliases)
        refs = find_locators(retrieval_query.norm, self.aliases, default_doc=default_doc, docs=named)
        timings["understand"] = _ms(t0)

        t1 = time.perf_counter()
        follow_up = retrieval_query is not query
        hits = self.retriever.search(retrieval_query, k=RETRIEVE_K * (3 if follow_up else 1), filters=filters,
                                     refs=refs, named_docs=named)
        if follow_up:
            hits = self._rank_follow_up(hits, query, history[-1]["question"])
        timings["retrieve"] = _ms(t1)

        t2 = time.perf_counter()
        result = self._answer(query, retrieval_query, hits, refs, named)
        result["retrieved"] = composer.ranking(hits, self.settings.top_k)
        timings["compose"] = _ms(t2)
        if result["answerable"] and (use_llm if use_llm is not None else self.settings.llm_enabled):
            t3 = time.perf_counter()
            from .llm import answer_with_llm

            result = answer_with_llm(self.settings, query, result)
            timings["llm"] = _ms(t3)
        timings["total"] = _ms(t0)
        result["timings_ms"] = timings
        return result

    def _rank_follow_up(self, hits: list[Hit], query: q.Query, previous_question: str) -> list[Hit]:
        """A follow-up's own words (那台湾人呢 -> 台湾, 台湾同胞) decide first, then the previous
        question's words (专利代理师, 考试), then the fused score."""
        from .retrieve import coverage

        previous = self.parse(previous_question).tokens
        for hit in hits:
            hit.coverage = coverage(query.tokens + query.expansion, hit.chunk.norm, query.is_english)
        hits.sort(key=lambda h: (not h.direct, -round(h.coverage, 1),
                                 -round(coverage(previous, h.chunk.norm), 1), -h.score))
        return hits[:RETRIEVE_K]

    def _decline(self, base: dict, query: q.Query, text: str, related: list[dict], **extra) -> dict:
        return {**base, "answer": self._script(text, query), "answerable": False, "citations": [],
                "related": related, **extra}

    def _answer(self, query: q.Query, retrieval_query: q.Query, hits: list[Hit], refs, named) -> dict:
        base = {"question": query.text, "language": query.language, "mode": "extractive"}
        decline_text = DECLINE_EN if query.is_english else DECLINE_ZH
        if off_topic(query.text) and not refs:
            return self._decline(base, query, decline_text, [], notice="out_of_scope")
        wants_measures = MEASURES_DOC_ID in named or needs_measures(retrieval_query.norm)
        notice = None
        if wants_measures and not self.measures_loaded:
            notice = MEASURES_MISSING_EN if query.is_english else MEASURES_MISSING
            if PLAN_DOC_ID not in named:
                # Point to where loaded documents mention the measures (the plan's task 1).
                title = (self.document(MEASURES_DOC_ID) or {}).get("title", "")
                mentions = [Hit(c, score=1.0) for c in self.reader.chunks if title and title in c.norm] or hits
                return self._decline(base, query, notice, composer.related(mentions), notice="measures_not_loaded",
                                     needs_doc=MEASURES_DOC_ID)
        missing = [r for r in refs if not self.retriever.lookup(r)]
        good = self.relevant(hits, query.language)
        if not good:
            if missing:
                decline_text = self._missing_locator_text(missing, query) + "\n" + decline_text
            return self._decline(base, query, decline_text, composer.related(hits))
        answer, citations = composer.compose(query, good)
        if missing:
            answer = self._missing_locator_text(missing, query) + "\n" + answer
        if notice:  # the question is about what the plan says of the measures: answer, and say what is missing
            answer += "\n\n" + self._script(notice, query)
        cited = {(c["doc_id"], c["locator"]) for c in citations}
        others = [h for h in hits if (h.chunk.doc_id, h.chunk.locator) not in cited]
        result = {**base, "answer": answer, "answerable": True, "citations": citations,
                  "related": composer.related(others)}
        if notice:
            result.update(notice="measures_not_loaded", needs_doc=MEASURES_DOC_ID)
        return result

    def relevant(self, hits: list[Hit], language: str = q.ZH_HANS) -> list[Hit]:
        """Hits that can support an answer, best first (see the gate constants above)."""
        direct = [h for h in hits if h.direct]
        if direct:
            return direct
        min_dense = MIN_DENSE_EN if language == q.EN else MIN_DENSE
        good = [h for h in hits if h.dense >= min_dense
                or (h.coverage >= MIN_COVERAGE and h.dense >= MIN_DENSE_WITH_WORDS)]
        if not good:
            return []
        top = good[0]
        return [top] + [h for h in good[1:] if h.coverage >= top.coverage - SECONDARY_COVERAGE_GAP
                        and h.dense >= top.dense - SECONDARY_DENSE_GAP]

    def _missing_locator_text(self, missing, query) -> str:
        names = "、".join(f"《{(self.document(r.doc_id) or {}).get('title', r.doc_id)}》{r.locator}" for r in missing)
        return self._script(f"未找到{names}：该文件中没有这一条（或该文件未加载）。", query)

    @staticmethod
    def _script(text: str, query: q.Query) -> str:
        from rongzhi.core.normalize import to_traditional

        return to_traditional(text) if query.language == q.ZH_HANT else text


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)
