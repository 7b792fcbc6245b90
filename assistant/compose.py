"""The extractive composer: a readable answer made only of quoted source text.

Apart from short connective phrases (根据…：, 另见…：), every character of the answer is a quote
from a source, and every quote carries its [n] marker. Long chunks contribute their best
sentences (or clauses), not the whole text. The answer is shown in the asker's script; the
citation list always keeps the original text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, NamedTuple

from rongzhi.core.chunks import Chunk, iter_lines
from rongzhi.core.normalize import (count_script_chars, taiwan_terms_in, to_simplified, to_simplified_display,
                                    to_traditional)
from rongzhi.core.numerals import without_article_number
from rongzhi.ingest.split_plan import LOC_TARGETS

from .answer_types import (answer_type_match, asked_definition_of, asked_markers, asked_maximum, asked_values,
                           asked_values_en, defines, magnitudes)
from .lists import (excepts, introduced_before, introduces, introduction, is_list_item, item_number, line_before,
                    with_antecedents, with_introductions, with_item_heads)
from .locate import subunits_named
from .query import EN, ZH_HANT, Query
from .retrieve import Hit
from .treaty import is_treaty, parties_named, stated_value, treaty_lead, treaty_lines, treaty_spans

_SENTENCE = re.compile(r"[^。；！？!?;\n]+[。；！？!?;]?")
_CLAUSE = re.compile(r"[^，,：:]+[，,：:]?")
LONG_SENTENCE = 90  # characters; longer sentences are scored clause by clause, and quoted whole (whole_sentences)
_WORDS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")  # text worth marking as left out (not a stray bracket or quote mark)
WHOLE_CHUNK = 200  # characters; a shorter chunk is quoted whole
LIST_ITEMS = 8  # items quoted after a span that introduces a list
ANSWER_TYPE_BONUS = 4  # worth one matched two-character word pair: breaks ties, never outweighs the topic


@dataclass
class Quote:
    """What one citation quotes: chosen spans of one or more parts of the same article/task."""

    parts: list[tuple[Chunk, list[tuple[int, int]]]]  # (chunk, spans inside chunk.display)
    more_after: bool = False  # the article goes on in a part after the last one quoted

    @property
    def original(self) -> str:
        """Quoted spans in order; "……" marks text left out, a newline joins adjacent parts. Text left out
        after the last span is marked too: 著作权法第五十二条 quoted to its item (八) closed the quotation as if
        the article ended there (items 九 to 十一 are in its next part)."""
        out, prev_end, piece = "", None, ""  # prev_end: (chunk end offset in source, span reached chunk end)
        for chunk, spans in self.parts:
            for a, b in spans:
                piece = chunk.display[a:b].strip()
                if prev_end is None:
                    out = ("……" if _left_out_before(chunk, a) else "") + piece
                elif a == 0 and prev_end[1] and chunk.start - prev_end[0] <= 4:  # a line break, or a treaty's " \n \n"
                    out += "\n" + piece
                else:
                    out += "……" + piece
                prev_end = (chunk.end, not _WORDS.search(chunk.display[b:]))
        titled = bool(self.parts) and piece == self.parts[-1][0].heading.strip()  # a task cited by its title: a label
        if out and prev_end is not None and (not prev_end[1] or self.more_after) and not out.endswith("……") and not titled:
            out += "……"
        return out

    @property
    def chunk(self) -> Chunk:
        return self.parts[0][0]


def _left_out_before(chunk: Chunk, a: int) -> bool:
    """Whether the article (or task) has text before offset ``a`` of ``chunk`` that a quote starting there leaves out:
    an earlier part of a long article, or words before ``a`` other than the article's number and the chunk's heading
    (labels the citation line shows). 专利法第六条 quoted from its second sentence read as if the article began there
    (session 32's sweep: its defining first sentence was dropped without a mark)."""
    if chunk.part > 1:
        return True
    head = without_article_number(chunk.display[:a])
    heading = chunk.heading.strip()
    if heading:
        head = head.replace(heading, "", 1)
    return bool(_WORDS.search(head))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences, and clauses of very long sentences, as (start, end) inside ``text``."""
    spans = []
    for m in _SENTENCE.finditer(text):
        a, b = m.start(), m.end()
        piece = text[a:b]
        if not piece.strip():
            continue
        if len(piece) <= LONG_SENTENCE:
            spans.append((a, b))
            continue
        for c in _CLAUSE.finditer(piece):
            if c.group(0).strip():
                spans.append((a + c.start(), a + c.end()))
    return spans


def whole_sentences(spans: list[tuple[int, int]], chosen: set, text: str) -> set:
    """``chosen`` with every clause of a long sentence that one of its clauses was chosen from.

    Why: long sentences are scored clause by clause, but a clause alone can drop what limits it.
    专利法第四十二条's 「且自实质审查请求之日起满三年后授予发明专利权的，」 quoted without 「自发明专利
    申请日起满四年，」 and 「国务院专利行政部门应专利权人的请求，」 states a different rule."""
    out = set(chosen)
    for a, b in chosen:
        sentence = _sentence_around(text, a, b)
        if sentence is not None:
            out.update(span for span in spans if sentence[0] <= span[0] and span[1] <= sentence[1])
    return out


_DEFINES = re.compile(r"是指|系指")
# A clause after 「；」 that cannot stand without the one before it: the other option (也可以…, 或者…) or a proviso (但…).
_GOES_ON = re.compile(r"\s*(?:也|亦|但|或者|并且|而)")


def _sentence_around(text: str, a: int, b: int) -> tuple[int, int] | None:
    """The whole sentence of ``text`` that holds the span (a, b) (a clause of a long one), if any. A definition
    (是指) ending in 「；」 runs on to the next 「。」 of its line: 专利法第二十二条's 「新颖性，是指…不属于现有技术；」 goes
    on 「也没有任何单位或者个人就同样的发明…提出过申请…」, which is half of what 新颖性 means. Any other sentence ending in
    「；」 runs on while the next one opens as its other option or its proviso (``_GOES_ON``): 仲裁法第八十二条's 「…当事人书面
    约定仲裁的，可以选择由仲裁机构进行；」 alone reads as "only an institution", the opposite of the 「也可以选择…由…人员组成仲裁庭…」
    that follows (session 48's sweep N, SC)."""
    found = next(((m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.start() <= a and b <= m.end()), None)
    if found is None or not text[found[0]:found[1]].rstrip().endswith(("；", ";")):
        return found
    defining = bool(_DEFINES.search(text[found[0]:found[1]]))
    end = found[1]
    for m in _SENTENCE.finditer(text, end):
        if m.start() != end or not m.group().strip():
            break  # a line break or the text's end: the definition stops with its line
        if not defining and not _GOES_ON.match(m.group()):
            break
        end = m.end()
        if not m.group().rstrip().endswith(("；", ";")):
            break
    return found[0], end


def _score(tokens: list[str], sentence_norm: str) -> float:
    sentence_norm = sentence_norm.lower()
    return sum(len(t) for t in set(tokens) if len(t) >= 2 and t in sentence_norm)


def body_spans(chunk: Chunk) -> list[tuple[int, int]]:
    """All quotable spans of a chunk; a task's title is named in the lead, not quoted twice."""
    spans = sentence_spans(chunk.text)
    if chunk.heading and spans and chunk.text[spans[0][0]:spans[0][1]].strip() == chunk.heading:
        spans = spans[1:]
    return spans or [(0, len(chunk.text))]


def pick_spans(chunk: Chunk, query: Query, max_spans: int) -> list[tuple[int, int]]:
    """The chunk's spans that best match the question (its expansion terms count too); the
    whole body when it is short. A chosen span that introduces a list (ends with ：) brings
    the list's items with it, since the answer is usually in them."""
    spans = body_spans(chunk)
    if sum(b - a for a, b in spans) <= WHOLE_CHUNK or len(spans) <= max_spans:
        return merge_spans(spans, chunk.text)
    norms = [to_simplified(chunk.text[a:b]) for a, b in spans]
    scored = _ranked(spans, norms, query)
    best = scored[:max_spans]
    # The sentences that state the asked-for value (五百万元以下, 二十年): the answer itself, which a
    # longer sentence sharing more of the question's words would otherwise push out of the quote
    # (商标法第六十三条 lost 「…判决给予五百万元以下的赔偿」 to 「……」).
    values = asked_values(query.norm)
    stating = [span for _, neg_i, span in scored if values and any(v.search(norms[-neg_i]) for v in values)][:max_spans]
    if best[0][0] == 0 and not stating:  # nothing matches: the opening, in whole sentences (a clause of a
        chosen = set(spans[:max_spans])   # long one ended the quote at a comma: session 24's story sweep)
    else:
        chosen = {span for score, _, span in best if score > 0} | set(stating)
    chosen = whole_sentences(spans, chosen, chunk.text)
    for i, (a, b) in enumerate(spans):
        if (a, b) in chosen and introduces(chunk.text[a:b]):
            chosen.update(spans[i + 1:i + 1 + LIST_ITEMS])
    chosen = with_antecedents(spans, chosen, chunk.text)
    chosen = with_introductions(spans, with_item_heads(spans, chosen, chunk.text), chunk.text)
    return merge_spans(sorted(distinguish_repeats(spans, chosen, chunk.text)), chunk.text)


def distinguish_repeats(spans: list[tuple[int, int]], chosen: set, text: str) -> set:
    """``chosen`` plus, for a chosen span that repeats the words of an earlier chosen one, the spans before it on its
    line: 著作权法第二十三条 says 「本法第十条第一款第五项至第十七项规定的权利的保护期为五十年…」 of legal persons' works and
    again of audiovisual works; quoted without 「视听作品，其发表权…」 the second read as a duplicate of the first
    (session 29's CLI sweep)."""
    out = set(chosen)
    seen: set[str] = set()
    for i, (a, b) in enumerate(spans):
        if (a, b) not in chosen:
            continue
        words = text[a:b].strip()
        if words in seen:  # the line's earlier spans: back to the line break before it
            out.update(spans[k] for k in line_before(spans, i, text))
        seen.add(words)
    return out


def _ranked(spans: list[tuple[int, int]], norms: list[str], query: Query) -> list[tuple[float, int, tuple[int, int]]]:
    """(score, -index, span), best first: the question's and its expansion's words by length, plus a
    bonus for a sentence written the way the asked-for answer is written (期限为…, 应当提交…, 处…罚款),
    which carries the answer more often than one that merely repeats the question's words."""
    terms = query.tokens + query.expansion
    markers = asked_markers(query.norm)
    return sorted(((_score(terms, norm) + ANSWER_TYPE_BONUS * answer_type_match(markers, norm), -i, span)
                   for i, (span, norm) in enumerate(zip(spans, norms))), reverse=True)


class Lead(NamedTuple):
    """The sentence that answers, shown on the answer's first line: ``span`` of ``chunk``, and for a list item (one stating
    the asked value, LI, or the one item a story is about, LI2), ``intro``: the span of the paragraph introducing its list,
    shown before the item — an item alone can say the opposite of its article: 「抽奖式的有奖销售，最高奖的金额超过五万元」 is
    what 反不正当竞争法第十一条 forbids."""

    chunk: Chunk
    span: tuple[int, int]
    intro: tuple[int, int] | None = None

    def shown(self, language: str) -> str:
        text = self.chunk.display
        said = without_article_number(text[slice(*self.span)])
        if self.intro is not None:
            between = text[self.intro[1]:self.span[0]]
            said = without_article_number(text[slice(*self.intro)]) + ("……" if _WORDS.search(between) else "") + said.strip()
        return display(said, language, is_traditional(self.chunk.text))


def lead_sentence(quote: Quote, query: Query, subject_asked: bool = False) -> Lead | None:
    """The quoted sentence that answers the question, shown on the answer's first line (issue #10
    §3: 「申请发明或者实用新型专利的，应当提交请求书…等文件。」 before the article it opens).

    Chosen among the sentences the quote already holds, so the lead never says more than the quote:
    of those stating an asked-for value (二十年, 五百万元以下) the best by ``pick_spans``'s score, else the best.
    A question asking what a term means is led by the sentence defining it (DF). None when nothing in the quote matches
    the question, when the best sentence introduces a list or is a list item (the answer is in the items; an item alone
    can say the opposite of its article) — unless the item states the asked value (LI) or is the one item of its list the
    question is about (LI2, ``_item_named``), and its list is introduced in the same part: then the lead shows the
    introduction first (evals/DECISIONS.md, session 39) — when
    it is a proviso beside that list's items (``lists.excepts``), or when it is all the quote says (the
    lead would only repeat it). Rule: evals/DECISIONS.md, session 25. ``subject_asked``: the question asks the value of
    one subject among those the sentence gives values for (an elliptical follow-up: ``_clause_named``)."""
    units, norms, stating = _units_stating(quote, query)
    if len(units) < 2:
        return None
    ranked = _ranked([u for _, u in units], norms, query)
    score, neg_i, _ = ranked[0]
    if (term := asked_definition_of(query.norm)) is not None \
            and (i := next((k for k, norm in enumerate(norms) if defines(term, norm)), None)) is not None:
        # Asked what a term means: the sentence defining it, even one going on to a list (「本法所称外商投资，是指…，包括
        # 下列情形：」 says what it is before the list does; evals/DECISIONS.md, session 39, DF).
        chunk, (a, b) = units[i]
        return Lead(chunk, _sentence_around(chunk.text, a, b) or (a, b))
    if stating:
        # Of several sentences stating a value, one whose condition the question states (「情节严重的，处一百万元以上…」 for
        # a question about serious cases, not the article's first tier 「…的，处十万元以上一百万元以下」), else the first.
        asked = [i for i in stating if (c := _condition(norms[i])) and c in query.norm]
        if subject_asked and not asked and len(stating) > 1 \
                and (k := _the_one_named([norms[j] for j in stating], query)) is not None:
            # An elliptical follow-up's subject, when the values stand in sentences of their own: 「那实用新型呢？」 after
            # 「职务发明的发明人能拿多少奖金？」 is 「一项实用新型专利…的奖金最低不少于1500元」, not the first 「一项发明专利的…4000元」 (AM).
            asked = [stating[k]]
        i = (asked or stating)[0]
        bounded = None if asked else _largest_stated(stating, norms, query)
        if bounded is not None:
            i = bounded
        elif not asked and (listed := _listed_value(units, norms, stating, i, query)) is not None:
            return listed
    elif score > 0:
        i = _best_whole_sentence(units, query)
    else:
        return None
    chunk, (a, b) = units[i]
    sentence = _sentence_around(chunk.text, a, b) or (a, b)
    text = chunk.text[sentence[0]:sentence[1]].strip()
    quoted = [(c, span) for c, spans in quote.parts for span in spans]
    everything = len(quoted) == 1 and quoted[0][0] is chunk and chunk.text[slice(*quoted[0][1])].strip() in text
    if everything:
        return None
    if is_list_item(text) or introduces(text):
        if not stating:
            return _item_named(chunk, sentence, quoted, query)
        intro = _item_introduction(chunk, sentence) if is_list_item(text) else None
        return None if intro is None else Lead(chunk, sentence, intro)
    if excepts(text) and any((c.doc_id, c.locator) == (chunk.doc_id, chunk.locator) and is_list_item(c.text[slice(*u)])
                            for c, u in units):
        return None  # a proviso beside the list it excepts from: the items answer (evals/DECISIONS.md, session 33, E)
    if stating and subject_asked and (named := _clause_named(chunk, sentence, query)) is not None:
        return Lead(chunk, named)
    return Lead(chunk, sentence)


# A question asking for a list itself (「哪些行为属于侵犯注册商标专用权？」): one item of it, led alone, would read as the whole answer.
_ASKS_LIST = re.compile(r"哪些|哪几|几种|有什么(?:情形|情况|方式|行为|条件)|\bwhich\b|\bwhat are\b", re.I)


def _item_named(chunk: Chunk, sentence: tuple[int, int], quoted: list, query: Query) -> Lead | None:
    """For a question asking no value whose best sentence is a list's introduction or one of its items: the introduction
    and the one item the question is about, when the quote holds it. The item is the one whose text (up to the next item or
    its line's end) writes more of the asker's own words than every other item of the list (``_the_one_named`` over the
    question's tokens that the introduction does not write: the expansion's statute words, 不视为 侵犯, and the list's subject,
    专利代理 in 「专利代理机构…应当具备下列条件：」, are shared by the whole list). None when the question asks
    for the list itself (evals/DECISIONS.md, session 39, LI2: 「…拆开来做实验研究原理，不拿去卖，这算侵权吗」 and 专利法第七十五条's
    「（四）专为科学研究和实验而使用有关专利的」)."""
    if _ASKS_LIST.search(query.norm):
        return None
    spans = body_spans(chunk)
    if is_list_item(chunk.text[slice(*sentence)]):
        intro = _item_introduction(chunk, sentence, spans)
    else:
        first = next((s for s in spans if s[0] >= sentence[1] and is_list_item(chunk.text[slice(*s)])), None)
        intro = _item_introduction(chunk, first, spans) if first is not None else None
        if intro is not None and not (intro[0] <= sentence[0] and sentence[1] <= intro[1]):
            intro = None
    if intro is None:
        return None
    heads = [s for s in spans if s[0] >= intro[1] and is_list_item(chunk.text[slice(*s)])
             and _item_introduction(chunk, s, spans) == intro]
    ends = [min(_line_end(chunk.text, a), nxt) for (a, _), nxt in zip(heads, [h[0] for h in heads[1:]] + [len(chunk.text)])]
    context = to_simplified(chunk.text[slice(*intro)])  # the list's subject: it names no one item (LI2', dev d534)
    own = [t for t in query.tokens if t not in context]
    k = _the_one_named([to_simplified(chunk.text[a:end]) for (a, _), end in zip(heads, ends)], query, own) \
        if len(heads) >= 2 else None
    if k is None:
        return None
    item = _sentence_around(chunk.text, *heads[k]) or heads[k]
    if not any(c is chunk and a <= item[0] and item[1] <= b for c, (a, b) in quoted):
        return None
    return Lead(chunk, _without_trailing_marks(chunk.text, *item, marks="；;，, \n"), intro)


def _line_end(text: str, a: int) -> int:
    end = text.find("\n", a)
    return len(text) if end < 0 else end


def _item_introduction(chunk: Chunk, item: tuple[int, int], spans: list[tuple[int, int]] | None = None
                        ) -> tuple[int, int] | None:
    """The span of the paragraph introducing the list that the item sentence ``item`` belongs to (``lists.introduction``),
    None when it is in an earlier part of the article or nothing introduces it. ``spans``: the chunk's ``body_spans``,
    when the caller has them already (``_item_named`` asks this of every item of a list)."""
    spans = body_spans(chunk) if spans is None else spans
    k = next((j for j, (a, _) in enumerate(spans) if a >= item[0]), None)
    found = introduction(spans, k, chunk.text) if k is not None else None
    return (spans[found[0]][0], spans[found[-1]][1]) if found else None


def _clause_named(chunk: Chunk, sentence: tuple[int, int], query: Query) -> tuple[int, int] | None:
    """The clause of a sentence that states a value for each of several subjects (专利法第四十二条: 「发明专利权的期限为二十年，
    实用新型专利权的期限为十年，外观设计专利权的期限为十五年」) that names the subject asked about (「那外观设计呢？」 -> the third),
    as ``_listed_value`` picks a target from the plan's list; None when fewer than two clauses state a value or no one clause
    writes more of the question's words than every other (evals/DECISIONS.md, session 38, L3). Only for a follow-up that
    names its subject: a first question keeps the whole sentence, whose shared tail (「均自申请日起计算」) answers too."""
    values = asked_values(query.norm)
    a, b = sentence
    clauses = [(a + m.start(), a + m.end()) for m in _CLAUSE.finditer(chunk.text[a:b])]
    stating = [(s, e) for s, e in clauses if any(v.search(to_simplified(chunk.text[s:e])) for v in values)]
    if len(stating) < 2:
        return None
    k = _the_one_named([to_simplified(chunk.text[s:e]) for s, e in stating], query)
    return None if k is None else _without_trailing_marks(chunk.text, *stating[k], marks=",，、;；。：: \n")


def _best_whole_sentence(units: list, query: Query) -> int:
    """The index of the first unit of the sentence that best matches the question, each sentence scored whole (as
    ``_ranked`` scores a unit). The lead shows a whole sentence (``_sentence_around``), so sentences are what compete:
    scored by its clauses, a long sentence lost to a short one sharing fewer words (商业秘密规定第二条's 「该员工离职后，能够
    证明客户自愿选择…」 clause by clause lost to 「…主张该特定客户属于商业秘密的，人民法院不予支持」 for a salesman who left with
    the customer list, which read as "customer lists are not protected"; session 37's sweep S, C4T1)."""
    sentences = [_sentence_around(chunk.text, a, b) or (a, b) for chunk, (a, b) in units]
    norms = [to_simplified(chunk.text[a:b]) for (chunk, _), (a, b) in zip(units, sentences)]
    ranked = _ranked(sentences, norms, query)
    return -ranked[0][1]


def _largest_stated(stating: list[int], norms: list[str], query: Query) -> int | None:
    """Of the units stating an asked-for value, the one stating the largest sum, multiple or period when the question asks a
    maximum (``answer_types.asked_maximum``: 「最高能罚多少」「最高是几倍」); None when it asks none or no unit writes a
    comparable value. A tie keeps the first (evals/DECISIONS.md, session 38, B1 and B1')."""
    kind = asked_maximum(query.norm)
    stated = [(max(m), -i) for i in stating if (m := magnitudes(norms[i], kind))] if kind else []
    return -max(stated)[1] if stated else None


def _units_stating(quote: Quote, query: Query) -> tuple[list, list[str], list[int]]:
    """(units, their Simplified text, the indexes of those stating an asked-for value): a unit is (chunk, span) for every
    sentence (or clause of a long one) the quote holds."""
    units = []
    for chunk, spans in quote.parts:
        units += [(chunk, u) for u in body_spans(chunk) if any(a <= u[0] and u[1] <= b for a, b in spans)]
    norms = [to_simplified(chunk.text[a:b]) for chunk, (a, b) in units]
    values = asked_values(query.norm)
    return units, norms, [i for i, norm in enumerate(norms) if values and any(v.search(norm) for v in values)]


def listed_lead(quote: Quote, query: Query) -> Lead | None:
    """The lead of a source looked up by name (「方案的主要目标里，知识产权专员要培养多少人？」 names 主要目标): only a clause
    naming the asked value in a list of values (``_listed_value``); the rest of a looked-up text is recited, not led."""
    units, norms, stating = _units_stating(quote, query)
    return _listed_value(units, norms, stating, stating[0], query) if stating else None


LISTED_MIN_SHARED = 4  # characters of the question's words a clause must write to be the one it names (two words, or one term)


def _listed_value(units, norms, stating, i, query):
    """(chunk, clause) when the sentence holding unit ``i`` lists several values in clauses (the plan's targets:
    「每万人口高价值发明专利拥有量达到10件,注册商标总量达到40万件,…」): the clause the question names, not the whole list, which
    buried the asked number in a paragraph (session 36's officer sweep: 「知识产权专员到2025年底要培养多少人？」). None
    when the sentence states one value, or no one clause writes more of the question's words than every other."""
    chunk, (a, b) = units[i]
    sentence = _sentence_around(chunk.text, a, b) or (a, b)
    same = [j for j in stating if units[j][0] is chunk and sentence[0] <= units[j][1][0] and units[j][1][1] <= sentence[1]]
    if len(same) < 2:
        return None
    k = _the_one_named([norms[j] for j in same], query)
    return None if k is None else Lead(chunk, _without_trailing_marks(chunk.text, *units[same[k]][1]))


def _the_one_named(clauses_norm: list[str], query: Query, terms: list[str] | None = None) -> int | None:
    """The index of the one clause that writes more of the question's words (with its expansion) than every other, and
    at least ``LISTED_MIN_SHARED`` characters of them; None when none does: a word the question shares with several (企业)
    names none of them (dev d239). ``terms``: the words to count, by default the question's with its expansion."""
    terms = query.tokens + query.expansion if terms is None else terms
    scores = sorted(((_score(terms, norm), -k) for k, norm in enumerate(clauses_norm)), reverse=True)
    if scores[0][0] < LISTED_MIN_SHARED or scores[0][0] == scores[1][0]:
        return None
    return -scores[0][1]


def _without_trailing_marks(text: str, start: int, end: int, marks: str = ",，、;；。 \n") -> tuple[int, int]:
    """(start, end) with the punctuation that closes a clause left out: the lead quotes the clause, not its comma."""
    while end > start and text[end - 1] in marks:
        end -= 1
    return start, end


_CONDITION = re.compile(r"^[对凡]?([^，,。；;的]{4,12})的[，,]")


def _condition(sentence_norm: str) -> str | None:
    """The condition a statute's sentence opens with (「情节严重的，处…」 -> 情节严重), if short."""
    m = _CONDITION.match(sentence_norm.strip())
    return m.group(1) if m else None


def value_sentence_match(chunk: Chunk, values: list, tokens: list[str]) -> float | None:
    """How much of the question (its words, by length) the chunk's sentences stating an asked-for
    value carry; None when no sentence states one."""
    stating = _stating(chunk, body_spans(chunk), values)
    return max(_score(tokens, to_simplified(chunk.text[a:b])) for a, b in stating) if stating else None


def merge_spans(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Join spans separated only by whitespace (sentences, 款 on their own lines) into one quote."""
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and not text[merged[-1][1]:a].strip():
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def is_traditional(text: str) -> bool:
    _, only_trad, only_simp = count_script_chars(text[:400])
    return only_trad > only_simp


def display(text: str, language: str, source_traditional: bool) -> str:
    """Show text in the asker's script (zh-Hant) or in Simplified (zh-Hans and en)."""
    if language == ZH_HANT:
        return text if source_traditional else to_traditional(text)
    return to_simplified_display(text) if source_traditional else text


def describe(chunk: Chunk, language: str = "zh-Hans") -> str:
    """Where a chunk sits, for the answer's lead: 重点任务第19项「…」, 第四十二条, 「主要目标」."""
    heading = display(chunk.heading, language, is_traditional(chunk.heading)) if chunk.heading else ""
    if chunk.locator.startswith("任务"):
        n = chunk.locator[2:]
        # The part a task belongs to is named with it: civil servants file tasks by part (第15项任务
        # 属于哪个部分 was answered with the task's text alone).
        part = chunk.section_path[-1] if chunk.section_path else ""
        part = display(part, language, is_traditional(part)) if part else ""
        if language == EN:
            return f"Task {n} 「{heading}」" + (f" (in part 「{part}」)" if part else "")
        label, where = "重点任务第{n}项", "（属于「{part}」）" if part else ""
        if language == ZH_HANT:
            label, where = to_traditional(label), to_traditional(where)
        return label.format(n=n) + f"「{heading}」" + where.format(part=part)
    if chunk.locator.startswith("第"):
        return to_traditional(chunk.locator) if language == ZH_HANT else chunk.locator
    return f"「{to_traditional(chunk.locator) if language == ZH_HANT else chunk.locator}」"


def group_hits(hits: list[Hit]) -> list[list[Hit]]:
    """Hits grouped by (document, locator): the parts of one long article make one citation."""
    groups: dict[tuple[str, str], list[Hit]] = {}
    for hit in hits:
        groups.setdefault((hit.chunk.doc_id, hit.chunk.locator), []).append(hit)
    return [sorted(g, key=lambda h: h.chunk.part) for g in groups.values()]


def quote_for(group: list[Hit], query: Query, max_spans: int,
              siblings: Callable[[Chunk], list[Chunk]] | None = None) -> Quote:
    """A locator named in the question is quoted in full (or the 款/项 it names); otherwise its best
    sentences. ``siblings(chunk)``: every part of the chunk's article (the retriever's lookup), so that a
    part that opens with list items is quoted after the sentence introducing them."""
    if is_treaty(group[0].chunk):  # English: whole paragraphs of the cleaned text
        terms = query.tokens + query.expansion
        if siblings is not None and (named := parties_named(siblings(group[0].chunk), query.norm)):
            parts = [(c, treaty_spans(c, terms, max_spans, whole=True)) for c in named]  # the Party's whole list
        else:
            parts = [(h.chunk, treaty_spans(h.chunk, terms, max_spans, whole=h.direct)) for h in group]
    elif any(h.direct for h in group):
        parts = (_subunit_parts([h.chunk for h in group], *subunits_named(query.norm, group[0].chunk.locator))
                 or [_whole(h.chunk) for h in group])
    else:
        if siblings is not None and group[0].chunk.locator == LOC_TARGETS and group[0].chunk.part:
            # The plan's targets are split by time horizon for retrieval (到2025年6月 goals, 至2025年末 figures) but
            # are one provision: a question about the targets gets both (an English question found only the goals).
            parts = [_whole(c) for c in siblings(group[0].chunk)]  # short: whole
        else:
            parts = [(h.chunk, pick_spans(h.chunk, query, max_spans)) for h in group]
        if siblings is not None and (values := asked_values(query.norm)):
            parts = _value_across_parts(parts, siblings(group[0].chunk), values)
    if group[0].chunk.part and siblings is not None:
        parts = _introduced_across_parts(parts, siblings(group[0].chunk))
        parts = _items_continued_across_parts(parts, siblings(group[0].chunk))
    last = max((chunk for chunk, spans in parts if spans), key=lambda c: c.part, default=None)
    more = bool(last is not None and last.part and siblings is not None
                and any(c.part > last.part for c in siblings(last)))
    return Quote(parts, more_after=more)


def _whole(chunk: Chunk) -> tuple[Chunk, list[tuple[int, int]]]:
    """A chunk quoted whole: every quotable span of it."""
    return chunk, merge_spans(body_spans(chunk), chunk.text)


def _stating(chunk: Chunk, spans: list[tuple[int, int]], values: list) -> list[tuple[int, int]]:
    return [(a, b) for a, b in spans if any(v.search(to_simplified(chunk.text[a:b])) for v in values)]


def _value_across_parts(parts: list[tuple[Chunk, list[tuple[int, int]]]], article: list[Chunk],
                        values: list) -> list[tuple[Chunk, list[tuple[int, int]]]]:
    """``parts`` with the first sentence stating an asked-for value from another part of the same
    article, when no quoted sentence states one: an article too long for one chunk is split, and the
    part retrieved (著作权法第五十四条's first paragraph) may not be the one holding the value
    (「五百元以上五百万元以下」, in its second)."""
    if any(_stating(chunk, spans, values) for chunk, spans in parts):
        return parts
    have = {chunk.part for chunk, _ in parts}
    for other in sorted(article, key=lambda c: c.part):
        units = body_spans(other)
        found = _stating(other, units, values) if other.part not in have else []
        if found:
            spans = merge_spans(sorted(whole_sentences(units, {found[0]}, other.text)), other.text)
            return sorted([*parts, (other, spans)], key=lambda p: p[0].part)
    return parts


def _subunit_parts(chunks: list[Chunk], paragraph: int | None, item: int | None) -> list | None:
    """The lines of the 款 (paragraph) and/or 项 (item) a question names in an article it names
    (「著作权法第十条第五项」), an item with the line that introduces it; None when it names
    neither or the article has no such unit (then the whole article is quoted). A 款 is a line
    that is not a list item, with the items that follow it; an item counts within its 款."""
    if paragraph is None and item is None:
        return None
    lines = []  # (chunk, start, end, 款 number, item number or None)
    number = 0
    for chunk in sorted(chunks, key=lambda c: c.part):
        for text, start, end in iter_lines(chunk.text):
            if not is_list_item(text):
                number += 1
            lines.append((chunk, start, end, number, item_number(text)))
    if item is not None:
        owner = paragraph or next((n for *_, n, i in lines if i is not None), None)
        wanted = [line for line in lines if line[3] == owner and line[4] == item]
        if not wanted:
            return None
        wanted = [next(line for line in lines if line[3] == owner), *wanted]  # the 款 that introduces the list
    else:
        wanted = [line for line in lines if line[3] == paragraph]
        if not wanted:
            return None
    parts = []
    for chunk in sorted({id(line[0]): line[0] for line in wanted}.values(), key=lambda c: c.part):
        spans = [(a, b) for c, a, b, *_ in wanted if c is chunk]
        parts.append((chunk, merge_spans(spans, chunk.text)))
    return parts


def _spans_of(chunk: Chunk) -> tuple[list[tuple[int, int]], str]:
    """A chunk's quotable units and the text they index (treaty units: lines of ``display``)."""
    if is_treaty(chunk):
        return treaty_lines(chunk), chunk.display
    return body_spans(chunk), chunk.text


def _introduced_across_parts(parts: list[tuple[Chunk, list[tuple[int, int]]]],
                             article: list[Chunk]) -> list[tuple[Chunk, list[tuple[int, int]]]]:
    """``parts`` with the introduction of a list whose items open a later part (an article too
    long for one chunk is split between its items) added from the earlier part that holds it."""
    chosen = {c.part: (c, list(spans)) for c, spans in parts}
    by_part = {c.part: c for c in article} | {c.part: c for c, _ in parts}
    for part in sorted(chosen):
        chunk, spans = chosen[part]
        units, text = _spans_of(chunk)
        first = next((i for i, (a, _) in enumerate(units) if spans and a == spans[0][0]), None)
        if first is None or introduction(units, first, text) is not None:
            continue  # not a list item, or introduced inside its own part
        for earlier in sorted((p for p in by_part if p < part), reverse=True):
            units, text = _spans_of(by_part[earlier])
            found = introduced_before(units, len(units), text)
            if found is None:
                continue  # this whole part is list items: the introduction is further back
            if found:
                previous = chosen.get(earlier, (by_part[earlier], []))[1]
                chosen[earlier] = (by_part[earlier], merge_spans(sorted({*previous, *(units[k] for k in found)}), text))
            break
    return [chosen[p] for p in sorted(chosen)]


def _items_continued_across_parts(parts: list[tuple[Chunk, list[tuple[int, int]]]],
                                  article: list[Chunk]) -> list[tuple[Chunk, list[tuple[int, int]]]]:
    """``parts`` with the items a quoted list goes on with at the start of the next part (an article too long for one
    chunk is split between its items), up to ``LIST_ITEMS`` items in all: RCEP 第11.9条 quoted its list of treaties to (e)
    and dropped (f) WPPT and (g) the Marrakesh Treaty, which opened the next part (session 35's sweep F)."""
    chosen = {c.part: (c, list(spans)) for c, spans in parts}
    by_part = {c.part: c for c in article} | {c.part: c for c, _ in parts}
    for part in sorted(chosen):
        chunk, spans = chosen[part]
        units, text = _spans_of(chunk)
        following = by_part.get(part + 1)
        if not spans or not units or following is None or spans[-1][1] < units[-1][1] \
                or not (is_list_item(text[slice(*units[-1])]) or introduces(text[slice(*units[-1])])):
            continue  # the quote stops before the part's end, or the part does not end in a list
        quoted = 0  # the list's items the quote holds already, counted back from the part's end
        for a, b in reversed(units):
            if not is_list_item(text[a:b]) or not any(x <= a and b <= y for x, y in spans):
                break
            quoted += 1
        next_units, next_text = _spans_of(following)
        items = []
        for a, b in next_units:
            if not is_list_item(next_text[a:b]):
                break
            items.append((a, b))
        items = items[:max(0, LIST_ITEMS - quoted)]
        if items:
            previous = chosen.get(part + 1, (following, []))[1]
            chosen[part + 1] = (following, merge_spans(sorted({*previous, *items}), next_text))
    return [chosen[p] for p in sorted(chosen)]


def citation(n: int, group: list[Hit], quote: Quote, article: list[Chunk] = ()) -> dict:
    """A source's entry. ``chunk_text`` is the provision the quote is read in (`--full`, the web UI's panel, an LLM's
    context): the whole article when its parts are given (``article``: an article too long for one chunk is split,
    and `--full` printed only the parts retrieved, without 商标法第六十三条's last paragraphs: session 34's sweep),
    else every part the quote takes from (a list's introduction may come from a part that was not retrieved)."""
    c = group[0].chunk
    by_part = ({chunk.part: chunk for chunk in article} | {h.chunk.part: h.chunk for h in group}
               | {chunk.part: chunk for chunk, _ in quote.parts})
    chunks = [by_part[part] for part in sorted(by_part)]
    return {"n": n, "doc_id": c.doc_id, "title": c.title, "locator": c.locator, "quote": quote.original,
            "score": round(max(float(h.score) for h in group), 4), "kind": c.kind,
            "version_date": c.version_date, "section": " / ".join(c.section_path), "heading": c.heading,
            "chunk_text": "\n\n".join(chunk.display.strip("\n") for chunk in chunks), "source_path": c.source_path,
            "start": min(chunk.start for chunk in chunks), "end": max(chunk.end for chunk in chunks)}


# The two headers say how sure the answer is without reading as a refusal. Blind sweeps in sessions 32, 43 and 44 found
# the earlier wording (「已收录的资料可能没有直接回答这个问题的规定」, 「榕知无法确定哪一条最贴切」) read as "no answer"
# while the first source was right more often than not (README 已知不足 第二十三轮: 191 of 339 hedged answerable frozen questions);
# the judgement is unchanged, only the wording leads with the provisions (evals/DECISIONS.md, session 44, WD).
CLOSE_HEADER = {"zh": "这个问题涉及几条相近的规定，按相关程度排列，请对照原文确认哪一条适用：",
                EN: "Several provisions bear on this question, most relevant first; please check which one applies:"}


HEDGE_HEADER = {"zh": "以下是已收录资料中与这个问题最相关的条文（按相关程度排列）；榕知不能确定它们直接回答了这个问题，请核对原文：",
                EN: "The provisions in the loaded documents closest to this question, most relevant first; RongZhi is "
                    "not sure they answer it directly, so please check the text:"}


def header_for(query: Query, headers: dict) -> str:
    """A header line in the asker's language and script."""
    if query.language == EN:
        return headers[EN]
    return to_traditional(headers["zh"]) if query.language == ZH_HANT else headers["zh"]


MAX_SOURCES = 3  # sources quoted in one answer


def compose(query: Query, hits: list[Hit], max_sources: int = MAX_SOURCES, close: bool = False,
            hedge: bool = False, siblings: Callable[[Chunk], list[Chunk]] | None = None,
            subject_asked: bool = False) -> tuple[str, list[dict], str]:
    """(answer text, citations, lead) for hits that passed the relevance gate. ``lead``: the sentence
    that answers (``lead_sentence``) as shown on the first line, "" when there is none. ``close``: the ranker
    could not separate the top sources, so they are shown side by side as 相关条文 instead of
    one of them being presented as *the* answer. ``hedge``: the answerability check doubts that
    the loaded documents cover the question at all (shown as 相关条文 under that warning).
    ``siblings``: see :func:`quote_for`; ``subject_asked``: see :func:`lead_sentence`."""
    lines, cites, lead_text = [], [], ""
    lang = query.language
    close = close or hedge
    if close:
        lines.append(header_for(query, HEDGE_HEADER if hedge else CLOSE_HEADER))
    groups = group_hits(hits)
    if groups and is_treaty(groups[0][0].chunk) and any(not is_treaty(g[0].chunk) for g in groups):
        max_sources += 1  # the domestic rule beside a treaty article (treaty.TreatyCompanion) takes no treaty slot
    for n, group in enumerate(groups[:max_sources], start=1):
        quote = quote_for(group, query, max_spans=4 if n == 1 else 2, siblings=siblings)
        chunk = quote.chunk
        shown = quote.original if is_treaty(chunk) else display(quote.original, lang, is_traditional(chunk.text))
        title = f"《{chunk.title}》"
        where = describe(chunk, lang)
        if lang == EN:
            lead = (f"Related: {title} {where}:" if close else
                    f"According to {title} {where}:" if n == 1 else f"See also {title} {where}:")
        else:
            connective = "相关条文" if close else "根据" if n == 1 else "另见"
            if lang == ZH_HANT:
                connective, title = to_traditional(connective), to_traditional(title)
            lead = f"{connective}{title}{where}："
        if is_treaty(chunk):  # 根据RCEP第十一章第11.55条「Domain Names」：
            lead = treaty_lead(chunk, lang, n, close)
            if n == 1 and not close and (stated := stated_value(shown, asked_values_en(query.norm))) is not None:
                lead_text = stated  # the sentence stating the asked value, in English as the treaty has it (TV)
                lines.append(f"“{lead_text}”[{n}]")
        elif n == 1 and not close and (found := listed_lead(quote, query) if any(h.direct for h in group)
                                       else lead_sentence(quote, query, subject_asked)) is not None:
            lead_text = found.shown(lang)
            lines.append(f"“{lead_text}”[{n}]")
        lines.append(f"{lead}\n“{shown}”[{n}]")
        cites.append(citation(n, group, quote, siblings(chunk) if siblings is not None else ()))
    return "\n".join(lines), cites, lead_text


_CJK = re.compile(r"[\u4e00-\u9fff]")
UNTRANSLATED_NOTE_EN = "Note: the quotes are the Chinese texts as loaded; RongZhi does not translate them"
# An English answer quoting both RCEP (English) and Chinese law: only the Chinese quotes are untranslated (session 36's
# sweep P: an answer led by RCEP's English text said "the quotes are the Chinese texts").
UNTRANSLATED_SOME_NOTE_EN = "Note: the quotes from Chinese texts are as loaded; RongZhi does not translate them"
SIMPLIFIED_SOURCE_NOTE = "註：所引法律條文原文為簡體字，此處只轉為繁體字顯示，用詞未改。"
# A Chinese answer quoting an English-only text (RCEP's chapter): said, as the English reader is told of Chinese quotes.
ENGLISH_SOURCE_NOTE = "注：英文引文是收录的英文原文（该文本只收录了英文版），榕知不作翻译。"
TERMS_NOTE = {"zh": "注：方案原文为繁体（台湾用语），引用时逐字保留原文用词、只转为简体字，其中{pairs}。",
              EN: "Note: the plan is quoted in its own (Taiwan-usage) wording, shown in Simplified characters; {pairs}."}


def terms_note(query: Query, citations: list[dict]) -> str:
    """A line under an answer that quotes Taiwan-usage text (the plan as supplied) in Simplified:
    quotes keep the source's words (智慧财产权), so the reader is told the mainland term
    (知识产权) — e.g. 「贯彻落实《福州市智慧财产权专项资金管理办法》」 names the measures whose
    official title is 《福州市知识产权专项资金管理办法》. For a zh-Hant reader, whose usage the plan's is, the
    line says instead that a law quoted in Traditional characters was written in Simplified ones (session 35's sweep F:
    the Simplified reader is told the plan's script, the Traditional one was not told the laws')."""
    chinese = [c for c in citations if _CJK.search(c.get("quote") or "")]  # (an English quote may end with ……)
    english = len(chinese) < len([c for c in citations if c.get("quote")])
    if query.language == ZH_HANT:
        simplified = any(not is_traditional(c.get("chunk_text") or c["quote"]) for c in chinese)
        return "\n".join(n for n in (SIMPLIFIED_SOURCE_NOTE if simplified else "",
                                      to_traditional(ENGLISH_SOURCE_NOTE) if english else "") if n)
    pairs = {}
    for c in citations:
        if is_traditional(c.get("chunk_text") or c["quote"]):
            pairs.update(taiwan_terms_in(to_simplified_display(c["quote"])))
    terms = terms_sentence(pairs, query.language)
    if query.language == EN and chinese:
        # An English reader is told the quotes are the Chinese texts, untranslated (session 35's sweep H: no English
        # answer said so).
        note = UNTRANSLATED_SOME_NOTE_EN if english else UNTRANSLATED_NOTE_EN
        return f"{note}; {terms.removeprefix('Note: ')}" if terms else f"{note}."
    if query.language != EN and english:
        return "\n".join(n for n in (terms, ENGLISH_SOURCE_NOTE) if n)
    return terms


def terms_note_for(texts: list[str], language: str) -> str:
    """The note naming the mainland term for each Taiwan term the (Simplified-shown) plan ``texts`` write, or "":
    under a task or a list of measures, as ``terms_note`` is under an answer."""
    return terms_sentence(dict(taiwan_terms_in("\n".join(texts))), language)


def terms_sentence(pairs: dict[str, str], language: str) -> str:
    """The note naming the mainland term for each Taiwan term in ``pairs`` (「…其中“智慧财产权”即“知识产权”。」), or ""."""
    if not pairs:
        return ""
    if language == EN:
        return TERMS_NOTE[EN].format(pairs=", ".join(f"{tw} = {cn}" for tw, cn in pairs.items()))
    return TERMS_NOTE["zh"].format(pairs="，".join(f"“{tw}”即“{cn}”" for tw, cn in pairs.items()))


def related(hits: list[Hit], limit: int = 3) -> list[dict]:
    """Closest sources of a declined question, shown as 可能相关 (never as an answer)."""
    return [{"doc_id": h.chunk.doc_id, "title": h.chunk.title, "locator": h.chunk.locator,
             "score": round(float(h.score), 4), "quote": h.chunk.display[:120]} for h in hits[:limit]]


def ranking(hits: list[Hit], k: int) -> list[dict]:
    """The retrieval ranking, one row per (document, locator): what evals score as hit@k/MRR."""
    return [{"doc_id": g[0].chunk.doc_id, "title": g[0].chunk.title, "locator": g[0].chunk.locator,
             "score": round(max(float(h.score) for h in g), 4)} for g in group_hits(hits)[:k]]


def answer_dict(query: Query, answer: str, citations: list[dict], ranked: list[Hit], top_k: int,
                related: list[Hit] = (), answerable: bool = True, mode: str = "extractive", **extra) -> dict:
    """The answer contract (``rongzhi ask --json``), built here and nowhere else: the service, the
    eval baselines, the CLI, the UI and the JSON output all read this shape.

    ``ranked`` is the retrieval ranking evals score (``retrieved``); ``related`` are further
    sources shown as 相关条文 / 可能相关; ``extra`` carries notices (``notice``, ``needs_doc``)."""
    # ``lead`` is always there ("" when the answer has no first line quoting a source: a decline), as README's JSON section
    # says; a script reading it must not need to test for the key (session 42's evaluator sweep).
    return {"question": query.text, "language": query.language, "mode": mode, "answer": answer,
            "answerable": answerable, "citations": citations if answerable else [], "lead": "",
            "related": globals()["related"](list(related)), "retrieved": ranking(ranked, top_k), **extra}
