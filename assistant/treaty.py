"""RCEP's IP chapter beside Chinese law: when it leads an answer, and how it is cited.

The chapter is English. An English question about Chinese law ("How long is an invention patent
protected?") shares many words with it and none with the Chinese statutes, so without a rule the
treaty would answer questions it does not govern: China's own law does. The treaty therefore
leads only when the question is about it (names RCEP, a treaty, 协定/缔约方, Article 11.N …, or
the treaty document); otherwise its units follow the other sources, where they can still be cited
beside them.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any, List, Optional

from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.schema import NodeWithScore, QueryBundle
from pydantic import Field, PrivateAttr

from rongzhi.core.tables import read_table
from rongzhi.ingest.split_treaty import TREATY_KIND
from rongzhi.ingest.treaty_terms import GLOSS_MAX_UNITS, en_pattern, fold, load_terms, term_spread

from .answer_types import asked_values_en
from .bridge import PLAN_CUES, TREATY_CUES, TREATY_NAMES, bridge_terms
from .filters import Filters
from .lists import with_introductions

EN_CUES = re.compile(r"\btreat(?:y|ies)\b|regional comprehensive economic partnership|\bfree trade agreement", re.I)


def corpus_of(retriever):
    """The chunk table a retriever searches (the index reader, or a test's corpus)."""
    return getattr(retriever, "corpus", None) or getattr(retriever, "reader", None)


def is_treaty(chunk) -> bool:
    return chunk.kind == TREATY_KIND


def asks_about_treaty(norm: str, named_kinds: list[str] = ()) -> bool:
    """The question names the treaty or speaks of treaty obligations."""
    return TREATY_KIND in named_kinds or bool(TREATY_CUES.search(norm) or EN_CUES.search(norm))


def demote(items: list, chunk_of=lambda x: x.chunk) -> list:
    """Treaty units after the others, each group in its own order."""
    return [x for x in items if not is_treaty(chunk_of(x))] + [x for x in items if is_treaty(chunk_of(x))]


# A Party's line in an annex ("Cambodia:", "Lao PDR:", "Viet Nam:"): one to three capitalised words.
PARTY_LINE = re.compile(r"^((?:[A-Z][A-Za-z]*)(?: [A-Z][A-Za-z]*){0,2}):\s*$", re.M)


def _parties_listed(chunk) -> set[str]:
    """The Parties an annex unit lists (its lines 'Cambodia:'), folded."""
    return {fold(m.group(1)) for m in PARTY_LINE.finditer(chunk.display)}


def annex_keys(chunks) -> dict[str, frozenset[str]]:
    """For each annex (附件11A, 附件11B): the English words that make a question one it answers.
    The annexes are Party-specific (transition periods, technical-assistance requests of named
    Parties), so they answer a question that names one of the Parties they list or the subject
    their heading names (a term of ``treaty_terms.tsv``); read from the treaty's own text."""
    keys: dict[str, set[str]] = {}
    for chunk in chunks:
        if is_treaty(chunk) and chunk.locator.startswith("附件"):
            words = keys.setdefault(chunk.locator, set())
            words.update(_parties_listed(chunk))
            words.update(fold(t.en) for t in load_terms() if en_pattern(t.en).search(fold(chunk.heading or "")))
    return {locator: frozenset(words) for locator, words in keys.items()}


PARTIES = Path(__file__).with_name("data") / "rcep_parties.tsv"


@lru_cache(maxsize=1)
def _parties() -> tuple[tuple[str, str, re.Pattern | None], ...]:
    return tuple((r["zh"], fold(r["en"]), re.compile(r["also"]) if r.get("also") else None)
                 for r in read_table(PARTIES, ("zh", "en", "reason")))


def _names_party(zh: str, also: re.Pattern | None, norm: str) -> bool:
    """The question names the Party in Chinese, or in another English spelling than the annex's (Vietnam, Laos)."""
    return zh in norm or (also is not None and bool(also.search(fold(norm))))


def treaty_words(norm: str) -> str:
    """The question's words for matching English treaty text: itself, folded, with the English
    terms the bridge gives its Chinese words (过渡期 -> transition period) and the English names of
    the Parties it names (越南, Vietnam -> viet nam, ``data/rcep_parties.tsv``)."""
    named = (en for zh, en, also in _parties() if _names_party(zh, also, norm))
    return " ".join([fold(norm), *bridge_terms(norm), *named])


def applies(chunk, keys: dict[str, frozenset[str]], words: str) -> bool:
    """A treaty unit may answer the question: any article; an annex only a question about one of
    its Parties or its subject."""
    annex = keys.get(chunk.locator)
    return annex is None or any(en_pattern(k).search(words) for k in annex)


def parties_named(chunks, norm: str) -> list:
    """The parts of an annex that list a Party the question names (越南 -> the part opening
    "Viet Nam:"): what a question about that Party's transition period should quote, whichever part
    the search found. Empty when the question names none of them."""
    named = {en for zh, en, also in _parties() if _names_party(zh, also, norm) or en_pattern(en).search(fold(norm))}
    return [c for c in chunks if c.locator.startswith("附件") and named & _parties_listed(c)]


def annexes_last(items: list, keys: dict[str, frozenset[str]], words: str, chunk_of=lambda x: x.chunk) -> list:
    """Annex units the question is not about after everything else, each group in its own order."""
    off = [x for x in items if is_treaty(chunk_of(x)) and not applies(chunk_of(x), keys, words)]
    return [x for x in items if x not in off] + off if off else items


def asks_treaty_itself(norm: str) -> bool:
    """A question about the treaty's own text: it names RCEP, or speaks of 协定/缔约方 …, and not
    the Fuzhou plan (whose task 20 is about RCEP: 「方案里RCEP的任务要在多久内完成」 is the plan's)."""
    return bool(TREATY_NAMES.search(norm) or EN_CUES.search(norm) or TREATY_CUES.search(norm)) \
        and not PLAN_CUES.search(norm)


# Who belongs to the Agreement (「RCEP有哪些缔约方」, 「台湾是RCEP成员吗」, "Which countries are parties to RCEP?"): only
# chapter 11 is loaded, and it lists no Parties (annexes 11A/11B name the few with a transition period or technical
# assistance). Retrieval quoted 第11.76条 「The Parties recognise …」 as *the* answer. A question about what the
# Parties must do (「RCEP缔约方对驰名商标有什么义务」) or which of them have a transition period is not this.
ASKS_MEMBERSHIP = re.compile(
    r"(有哪些|有哪几个|包括哪些|都有谁|有谁|是哪些|有几个)(国家|缔约方|成员国?)?[？?。]?$|"
    r"(缔约方|成员国?|成员)(有哪些|有哪几个|包括哪些|都有谁|是哪些|有几个)|"
    r"是(不是)?(rcep|区域全面经济伙伴关系协定)?的?(成员国?|缔约方)|(加入|签署)了?(rcep|区域全面经济伙伴关系协定)?(吗|没有|了吗)|"
    r"\bwhich (countries|states|economies|nations)\b|\bwho (are|is) (the )?(members?|parties|signator)|"
    r"\bis (?!(?:a|an|the|each|every|any)\b)\w+(?: \w+)? (an? )?(member|party|signatory) (of|to)\b|\bmembers? of rcep\b|\bhow many (members|parties|countries)\b",
    re.I)
MEMBERSHIP_ZH = ("RCEP第十一章（知识产权）没有列出协定的缔约方；榕知只收录了这一章，不能回答哪些国家或地区是缔约方、"
                 "某地是否已加入。请查阅协定全文。")
MEMBERSHIP_EN = ("Chapter 11 (Intellectual Property) of RCEP does not list the Agreement's Parties, and it is the only "
                 "chapter RongZhi holds, so it cannot say which countries or regions are Parties or whether one has "
                 "joined. See the full Agreement.")


# A bare "Which countries?" / 「有哪些国家？」 after a question of its own asks which countries *that* question is
# about (session 31's sweep: "Under RCEP can a country give extra time to implement the IP obligations? Which
# countries?" was told the chapter lists no Parties, while Annex 11A names the Parties with a transition period).
_BARE_WHICH = re.compile(r"[？?。.!！]\s*(?:which (?:countries|states|economies|nations|parties|ones)|"
                         r"(?:是|有)?哪些(?:国家|缔约方|成员国?)?|哪几个(?:国家)?)(?:[？?。.]|\s*$)", re.I)


def asks_membership(norm: str) -> bool:
    """A question about the treaty that asks who its members are or whether someone is one. A bare
    trailing "which countries?" is read with the sentence before it."""
    norm = norm.strip()
    bare = _BARE_WHICH.search(norm)
    if bare and bare.start() > 0:
        norm = norm[:bare.start() + 1]
    return asks_treaty_itself(norm) and bool(ASKS_MEMBERSHIP.search(norm))


# In English the answer-type cues include words that name a thing ("damages", "fine", "when does")
# without asking for its figure; "What does RCEP say about damages?" is answered by Article 11.60.
ASKS_A_NUMBER_EN = re.compile(r"\bhow (long|much|many)\b|\bamount\b|\b(term|period|duration) of\b|"
                              r"\b(copyright|protection|patent|trademark|registration|renewal) (term|period)\b|"
                              r"\b(years|months|days)\b", re.I)


def silent_on(norm: str, hits: list, keys: dict[str, frozenset[str]], english: bool = False,
              depth: int = 3) -> str | None:
    """The kind of value (``duration``, ``amount``) a question about the treaty asks for when none
    of the ``depth`` best treaty units that may answer it writes one (a number with years/months/
    days; a currency or per cent); else None. RCEP's chapter sets no term of protection and no
    damages figure: quoting its nearest article as if it did would be a wrong answer."""
    wanted = asked_values_en(norm)
    if english and not ASKS_A_NUMBER_EN.search(norm):
        wanted = {}
    if not wanted or not asks_treaty_itself(norm):
        return None
    units = treaty_units(norm, hits, keys)[:depth]
    if not units:
        return None
    for kind, pattern in wanted.items():
        if not any(pattern.search(c.display) for c in units):
            return kind
    return None


def treaty_units(norm: str, hits: list, keys: dict[str, frozenset[str]]) -> list:
    """The treaty units among ``hits`` that may answer the question (a Party's annex only for that Party), in order,
    one per locator."""
    words = treaty_words(norm)
    units, seen = [], set()
    for hit in hits:
        chunk = hit.chunk
        if is_treaty(chunk) and applies(chunk, keys, words) and chunk.locator not in seen:
            seen.add(chunk.locator)
            units.append(chunk)
    return units


class TreatyScope(BaseNodePostprocessor):
    """A llama-index postprocessor: unless the question is about the treaty, the other sources
    are searched on their own and lead; treaty units found by the first search follow them (in
    the nodes and in the bundle's ranking that evals score). Searching again matters: for an
    English question the English treaty can fill every candidate slot."""

    retriever: Any = Field(default=None, exclude=True)
    k: int = 12
    _annex_keys: Any = PrivateAttr(default=None)

    @classmethod
    def class_name(cls) -> str:
        return "RongZhiTreatyScope"

    def _postprocess_nodes(self, nodes: List[NodeWithScore], query_bundle: Optional[QueryBundle] = None):
        bundle = query_bundle
        hits = [n.hit for n in nodes]
        if any(h.direct for h in hits) or not any(is_treaty(h.chunk) for h in hits):
            return nodes
        named_kinds = [h.chunk.kind for h in hits if h.chunk.doc_id in bundle.named]
        from .engine import to_node

        if asks_about_treaty(bundle.retrieval_query.norm, named_kinds):
            keys, words = self.annex_keys(), treaty_words(bundle.retrieval_query.norm)
            ranked = annexes_last(bundle.ranked, keys, words)
            if ranked is bundle.ranked:
                return nodes
            bundle.ranked = ranked
            return annexes_last(nodes, keys, words, chunk_of=lambda n: n.hit.chunk)
        ranked = demote(self.search_others(bundle) + [h for h in hits if is_treaty(h.chunk)])
        bundle.ranked = ranked
        return [to_node(h) for h in ranked]

    def search_others(self, bundle) -> list:
        """The question searched again over every kind but the treaty (under the asker's filters)."""
        return self._search_kinds(bundle, self._other_kinds(bundle.filters))

    def search_treaty(self, bundle) -> list:
        """The question searched again over the treaty alone (under the asker's filters): a question about RCEP
        whose first candidates are all China's law (「RCEP第十一章对版权保护期有什么规定」: 著作权法 fills them)."""
        allowed = not (bundle.filters and bundle.filters.kinds) or TREATY_KIND in bundle.filters.kinds
        return self._search_kinds(bundle, (TREATY_KIND,) if allowed else ())

    def _search_kinds(self, bundle, kinds: tuple[str, ...]) -> list:
        """The bundle's question searched over these kinds only (none: nothing searched)."""
        if self.retriever is None or not kinds:
            return []
        filters = replace(bundle.filters, kinds=kinds) if bundle.filters else Filters(kinds=kinds)
        return self.retriever.search(bundle.retrieval_query, k=self.k, filters=filters, refs=bundle.refs,
                                     named_docs=bundle.named)

    def annex_keys(self) -> dict[str, frozenset[str]]:
        if self._annex_keys is None:
            self._annex_keys = annex_keys(corpus_of(self.retriever).chunks) if self.retriever is not None else {}
        return self._annex_keys

    def _other_kinds(self, filters) -> tuple[str, ...]:
        if self.retriever is None:
            return ()
        kinds = dict.fromkeys(c.kind for c in corpus_of(self.retriever).chunks if not is_treaty(c))
        return tuple(k for k in kinds if not (filters and filters.kinds) or k in filters.kinds)


# -- answers ------------------------------------------------------------------------------------
WHOLE_BODY = 1500  # characters of English; a shorter unit is quoted whole
LIST_ITEMS = 8


def short_name(chunk) -> str:
    """RCEP第十一章 from 区域全面经济伙伴关系协定（RCEP）第十一章 知识产权; else the bracketed title."""
    m = re.search(r"[（(]([A-Za-z]{2,})[)）]\s*(第[一二三四五六七八九十]+章)?", chunk.title)
    return f"{m.group(1)}{m.group(2) or ''}" if m else f"《{chunk.title}》"


def _english_where(chunk) -> str:
    m = re.search(r"[（(]([A-Za-z]{2,})[)）]\s*第([一二三四五六七八九十]+)章", chunk.title)
    chapter = f"{m.group(1)} Chapter 11" if m and m.group(2) == "十一" else (m.group(1) if m else chunk.title)
    if chunk.locator.startswith("附件"):
        return f"{chapter}, Annex {chunk.locator[2:]}"
    return f"{chapter}, Article {chunk.locator[1:-1]}"


def treaty_lead(chunk, language: str, n: int, close: bool = False) -> str:
    """根据RCEP第十一章第11.55条「Domain Names」： — the treaty and the unit in the asker's script,
    the English heading as the treaty has it."""
    from rongzhi.core.normalize import to_traditional

    heading = f"「{chunk.heading}」" if chunk.heading else ""
    if language == "en":
        verb = "Related:" if close else "According to" if n == 1 else "See also"
        return f"{verb} {_english_where(chunk)} {heading}:"
    connective = "相关条文" if close else "根据" if n == 1 else "另见"
    lead = f"{connective}{short_name(chunk)}{chunk.locator}"
    return f"{to_traditional(lead) if language == 'zh-Hant' else lead}{heading}："


SENTENCE_WORDS = 6  # fewer words are a cell of an annex's table (「Three years」), which says nothing without its row
# A sentence of the treaty's English: up to ". " or "; " (not the dot of "11.44"), or a quote's "……".
_EN_SENTENCE = re.compile(r"(?<=[.;])\s+(?=[A-Z(\d])|……|\n+")


def stated_value(quoted: str, values: dict) -> str | None:
    """The first sentence of a quote of the treaty that states a value of an asked kind (``values``: answer_types.
    asked_values_en, "18 months"), when the quote says more than that sentence: the answer's first line, where an answer
    led by the treaty had only its header (session 39, TV; sweep T's S21: 18 months deep in Article 11.44)."""
    sentences = [s.strip() for s in _EN_SENTENCE.split(quoted) if s and s.strip()]
    if len(sentences) < 2:
        return None
    return next((s for s in sentences if len(s.split()) >= SENTENCE_WORDS and any(v.search(s) for v in values.values())),
                None)


def _lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def treaty_lines(chunk) -> list[tuple[int, int]]:
    """The quotable lines of a treaty unit's ``display`` (footnotes are left to the source panel)."""
    text = chunk.display
    return [(a, b) for a, b in _lines(text) if not text[a:b].startswith("Footnote ")]


def treaty_spans(chunk, terms: list[str], max_spans: int, whole: bool = False) -> list[tuple[int, int]]:
    """Spans of ``chunk.display`` to quote: the whole body when short or asked for by number, else
    the paragraphs and items that share most of the question's words (English terms come from the
    bridge); a paragraph introducing a list brings its items, an item its introduction."""
    text = chunk.display
    body = treaty_lines(chunk)
    if not body:
        return [(0, len(text))]
    if whole or body[-1][1] - body[0][0] <= WHOLE_BODY:
        return [(body[0][0], body[-1][1])]
    words = {t.lower() for t in terms if len(t) >= 2}
    scored = sorted(((sum(len(w) for w in words if w in text[a:b].lower()), -i, (a, b))
                     for i, (a, b) in enumerate(body)), reverse=True)[:max_spans]
    chosen = {span for score, _, span in scored if score > 0} or set(body[:max_spans])
    for i, (a, b) in enumerate(body):
        if (a, b) in chosen and text[a:b].rstrip().endswith(":"):
            chosen.update(body[i + 1:i + 1 + LIST_ITEMS])
    merged: list[tuple[int, int]] = []
    for a, b in sorted(with_introductions(body, chosen, text)):
        if merged and not text[merged[-1][1]:a].strip():
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def _gloss(chunk) -> set[str]:
    """The Chinese terms ingest added to a treaty unit's matching text (its last line)."""
    return set(chunk.norm[len(chunk.display):].split()) if chunk.norm.startswith(chunk.display) else set()


class TreatyCompanion(BaseNodePostprocessor):
    """After the gate: an answer led by a treaty unit also cites the domestic rule on the same right
    (a Chinese law article, or the plan's RCEP task), so the user sees the commitment and the
    domestic rule side by side. The companion must share a term with both the question and the
    treaty unit (ingest/data/treaty_terms.tsv) and be close in meaning; else nothing is added."""

    retriever: Any = Field(default=None, exclude=True)
    settings: Any = Field(default=None, exclude=True)
    k: int = 12
    _generic: Any = PrivateAttr(default=None)
    _widespread: Any = PrivateAttr(default=None)

    @classmethod
    def class_name(cls) -> str:
        return "RongZhiTreatyCompanion"

    def _generic_terms(self) -> set[str]:
        """Chinese terms glossing more than GLOSS_MAX_UNITS treaty units."""
        if self._generic is None:
            corpus = corpus_of(self.retriever)
            counts: dict[str, int] = {}
            for chunk in corpus.chunks:
                if is_treaty(chunk):
                    for term in _gloss(chunk):
                        counts[term] = counts.get(term, 0) + 1
            self._generic = {t for t, n in counts.items() if n > GLOSS_MAX_UNITS}
        return self._generic

    def _specific(self, shared: set[str]) -> set[str]:
        """The shared terms whose English few treaty units use (宽限期, not 专利): when the question
        names such a right, its domestic rule must carry that right's words. Ingest glosses a
        widespread word only where a heading uses it, so 专利 is not generic by gloss count; the
        chapter's text says it is (it pairs 宽限期 with 专利法第四十二条's 期限 otherwise)."""
        if self._widespread is None:
            corpus = corpus_of(self.retriever)
            spread = term_spread([(c.heading, c.display) for c in corpus.chunks if is_treaty(c)])
            self._widespread = {t.zh for t in load_terms() if spread.get(t.en, 0) > GLOSS_MAX_UNITS}
        return {t for t in shared if t not in self._widespread}

    def _postprocess_nodes(self, nodes: List[NodeWithScore], query_bundle: Optional[QueryBundle] = None):
        if not nodes or self.retriever is None or not is_treaty(nodes[0].hit.chunk):
            return nodes
        from .bridge import bridge_terms
        from .engine import to_node

        bundle = query_bundle
        top = nodes[0].hit.chunk
        gloss = _gloss(top)
        asked = set(bridge_terms(bundle.retrieval_query.norm)) | {t for t in gloss if t in bundle.retrieval_query.norm}
        # The right the question is about, in every Chinese wording the table has for it (优惠期 ->
        # 宽限期, 不丧失新颖性); words that gloss many units (商标, 专利) say too little to pair rules.
        generic = self._generic_terms()
        shared = {t for t in gloss & asked if t not in generic}
        shared = self._specific(shared) or shared
        siblings = {z.zh for z in load_terms() if z.en in {y.en for y in load_terms() if y.zh in shared}}
        domestic = [n.hit.chunk for n in nodes if not is_treaty(n.hit.chunk)]
        if domestic and (not siblings or any(t in c.norm for c in domestic for t in siblings)):
            # A domestic source on the same right is cited already. One that only shares words (宽限期
            # asked, 专利法第四十二条's 期限 found) does not stop the search for the rule on that right.
            return nodes
        query = bundle.retrieval_query
        lexical = getattr(getattr(self.retriever, "corpus", None), "lexical", None)
        if siblings and lexical is not None:
            extra = [t for t in lexical.tokenize(" ".join(sorted(siblings))) if t not in query.expansion]
            query = replace(query, expansion=list(query.expansion) + extra)
        kinds = TreatyScope(retriever=self.retriever)._other_kinds(bundle.filters)
        if not kinds:
            return nodes
        filters = replace(bundle.filters, kinds=kinds) if bundle.filters else Filters(kinds=kinds)
        treaty_docs = {n.hit.chunk.doc_id for n in nodes}
        found = self.retriever.search(query, k=self.k, filters=filters, refs=[],
                                      named_docs=[d for d in bundle.named if d not in treaty_docs])
        shared = siblings
        min_dense = self.settings.gate_min_dense_with_words
        close = [h for h in found[:5] if h.dense >= min_dense]
        # The same right first; the plan's RCEP task (任务20) only for a question on no particular right.
        pick = next((h for h in close if any(t in h.chunk.norm for t in shared)), None)
        if pick is None and not shared:
            pick = next((h for h in close if "rcep" in h.chunk.norm.lower()), None)
        if pick is not None:
            first = [n for n in nodes if (n.hit.chunk.doc_id, n.hit.chunk.locator) == (top.doc_id, top.locator)]
            return first + [to_node(pick)] + [n for n in nodes if n not in first]
        return nodes
