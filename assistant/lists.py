"""List items and the sentence that introduces them, in statutes and in the treaty alike.

Why a rule of its own: an item quoted without its introduction can say the opposite of the
article. 著作权法第五十条's items are when technical measures *may be circumvented*; quoted alone,
its 「（一）为学校课堂教学或者科学研究，提供少量已经发表的作品」 read as a free-use rule. So every
quote that takes a list item also takes the sentence introducing its list (``compose``,
``treaty``), from an earlier part of the article when the item opens a part.
"""
from __future__ import annotations

import re

from rongzhi.core.numerals import cn_to_int

# A list item: （一） (1) (a) (iv). Numbered paragraphs ("1.", "2.") are not items: they stand alone.
_ITEM = re.compile(r"\s*[（(](?:[一二三四五六七八九十]+|\d{1,2}|[a-z]{1,2}|[ivx]{1,5})[)）]")
_ITEM_CN = re.compile(r"\s*[（(]([一二三四五六七八九十]+)[)）]")


def is_list_item(piece: str) -> bool:
    return bool(_ITEM.match(piece))


def item_number(piece: str) -> int | None:
    """（五） -> 5: the number of a statute's list item, None for anything else."""
    m = _ITEM_CN.match(piece)
    return cn_to_int(m.group(1)) if m else None


# A proviso, in the form statutes write it: a condition closed by 「的，」, then what is *not* the thing the article
# defines or forbids (「…销售该产品的，不属于假冒专利行为」). 不属于 elsewhere is no proviso: a condition (「尚不构成犯罪的，…」),
# a definition (「新颖性，是指…不属于现有技术」) or a rule (「…应当证明…商业秘密不属于本法规定的商业秘密」); of the 28 sentences
# of the law files writing 不属于/不视为/不构成, the 7 in this form are the provisos (evals/DECISIONS.md, session 33, E).
_EXCEPTS = re.compile(r"的[，,][^。；，,]*?(?:不属于|不视为|不构成)")


def excepts(piece: str) -> bool:
    """Whether ``piece`` is a proviso. Next to a list of what *is* X (「下列行为属于…：（一）…」) a proviso alone reads as
    the answer to "is this X?" — the opposite of the items' answer (session 32's sweep, S18)."""
    return bool(_EXCEPTS.search(piece))


def introduces(piece: str) -> bool:
    return piece.rstrip().endswith(("：", ":"))


def introduction(spans: list[tuple[int, int]], i: int, text: str) -> list[int] | None:
    """The indices of the sentence that introduces span ``i``'s list; [] when span ``i`` is not a
    list item or nothing introduces it; None when only list items precede it in ``text`` (the
    introduction is in an earlier part of the article)."""
    if not is_list_item(text[spans[i][0]:spans[i][1]]):
        return []
    return introduced_before(spans, i, text)


def introduced_before(spans: list[tuple[int, int]], end: int, text: str) -> list[int] | None:
    """Walking back from span ``end`` over list items: the span indices of the paragraph (款)
    that introduces the list — the span ending in ：, and every sentence and clause of its line
    before it, since the list's subject and its conditions are often there (专利代理条例:
    「专利代理师有下列行为之一的，……；情节严重或者逾期未改正的，……：」) — [] if a span that
    introduces nothing comes first, None if the start of ``text`` does."""
    j = end - 1
    while j >= 0 and is_list_item(text[spans[j][0]:spans[j][1]]):
        j -= 1
    if j < 0:
        return None
    if not introduces(text[spans[j][0]:spans[j][1]]):
        return []
    first = j
    while first > 0 and "\n" not in text[spans[first - 1][1]:spans[first][0]] \
            and not is_list_item(text[spans[first - 1][0]:spans[first - 1][1]]):
        first -= 1
    return list(range(first, j + 1))


def line_before(spans: list[tuple[int, int]], i: int, text: str) -> list[int]:
    """The indices of the spans before span ``i`` on its line (back to the line break before it), nearest first."""
    out = []
    k = i - 1
    while k >= 0 and "\n" not in text[spans[k][1]:spans[k + 1][0]]:
        out.append(k)
        k -= 1
    return out


def with_item_heads(spans: list[tuple[int, int]], chosen: set, text: str) -> set:
    """``chosen`` plus, for a chosen span that continues a list item (on the item's line, after its first sentence), the
    line's spans back to the item's （N）. 计算机软件保护条例第十六条's 「这些备份复制品不得…提供给他人使用」 quoted
    without 「（二）为了防止复制品损坏而制作备份复制品。」 read as a bare prohibition, and 这些 pointed at nothing
    (session 33's sweep; evals/DECISIONS.md, H)."""
    out = set(chosen)
    for i, span in enumerate(spans):
        if span not in chosen or is_list_item(text[span[0]:span[1]]):
            continue
        before = line_before(spans, i, text)
        head = next((n for n, k in enumerate(before) if is_list_item(text[spans[k][0]:spans[k][1]])), None)
        if head is not None:
            out.update(spans[k] for k in before[:head + 1])
    return out


# Words by which a sentence points back at what its paragraph said before it: 「按照上述方法确定数额的一倍以上五倍以下」
# multiplies the damages the sentences before it set (著作权法第五十四条, 商标法第六十三条). 前款/前条 point at another
# paragraph or article, which a quote of this one does not carry; those are left to the reader.
_ANTECEDENT_WORDS = re.compile(r"上述|前述")


def with_antecedents(spans: list[tuple[int, int]], chosen: set, text: str) -> set:
    """``chosen`` plus, for a chosen span saying 上述 or 前述 after the start of its line, the line's spans before it: quoted
    alone, 「……对故意侵犯著作权…可以在按照上述方法确定数额的一倍以上五倍以下给予赔偿」 named a method it had cut (session
    41's sweep; evals/DECISIONS.md, session 42, AR). A line that opens with it points at an earlier paragraph or list,
    which one is not written, so it takes nothing."""
    out = set(chosen)
    for i, span in enumerate(spans):
        if span in chosen and _ANTECEDENT_WORDS.search(text[span[0]:span[1]]):
            out.update(spans[k] for k in line_before(spans, i, text))
    return out


def with_introductions(spans: list[tuple[int, int]], chosen: set, text: str) -> set:
    """``chosen`` plus the introduction of every list item in it (see :func:`introduction`)."""
    out = set(chosen)
    for i, span in enumerate(spans):
        if span in chosen:
            out.update(spans[k] for k in introduction(spans, i, text) or ())
    return out
