"""Direct locator lookup: 专利法第四十二条, 商标法第63条, 方案任务19, 第十九项任务, 主要目标.

Document names are matched against aliases derived from the titles in the index (longest first,
so 专利法实施细则 wins over 专利法), never from a hand list of laws.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rongzhi.ingest.manifest import MEASURES_DOC_ID, PLAN_DOC_ID
from rongzhi.core.numerals import CN_NUMERAL_CHARS, cn_to_int, int_to_cn

_NUM = rf"[{CN_NUMERAL_CHARS}]+|\d+"
_ARTICLE = re.compile(rf"第\s*({_NUM})\s*条")
_TASK = re.compile(rf"(?:任务\s*第?\s*({_NUM})\s*项?|第\s*({_NUM})\s*项(?:重点)?任务|重点任务\s*(?:第\s*)?({_NUM})\s*项?)")
_PLAN_HINT = re.compile(r"方案|工作方案|示范城市|强市")
_TARGETS = re.compile(r"主要目标|总体目标|目标是什么|目标有哪些|到2025年")
_VALIDITY = re.compile(r"有效期|施行|什么时候实施|何时实施|何时起|失效")
PLAN_ALIASES = ("福州市国家知识产权强市建设示范城市工作方案", "知识产权强市建设示范城市工作方案", "示范城市工作方案",
                "强市建设工作方案", "工作方案", "方案")
MEASURES_ALIASES = ("知识产权专项资金管理办法", "专项资金管理办法", "榕政办规〔2022〕7号", "榕政办规")


@dataclass(frozen=True)
class LocatorRef:
    doc_id: str
    locator: str


def doc_aliases(documents: list[dict]) -> list[tuple[str, str]]:
    """[(alias, doc_id)] sorted longest first. Aliases: full title, title without
    中华人民共和国 and without a trailing （…）."""
    pairs: dict[str, str] = {}
    for doc in documents:
        if doc.get("status") == "superseded":
            continue
        title = doc["title"]
        names = {title, title.replace("中华人民共和国", "")}
        names |= {re.sub(r"（[^）]*）$", "", n) for n in list(names)}
        for name in names:
            if len(name) >= 3:
                pairs.setdefault(name, doc["doc_id"])
    for alias in PLAN_ALIASES:
        pairs.setdefault(alias, PLAN_DOC_ID)
    for alias in MEASURES_ALIASES:
        pairs.setdefault(alias, MEASURES_DOC_ID)
    return sorted(pairs.items(), key=lambda p: -len(p[0]))


def mentioned_docs(norm: str, aliases: list[tuple[str, str]]) -> list[str]:
    """doc_ids named in the (normalized) question, in order of appearance, longest alias first."""
    found: list[tuple[int, str]] = []
    taken = [False] * len(norm)
    for alias, doc_id in aliases:
        for m in re.finditer(re.escape(alias), norm):
            if not any(taken[m.start():m.end()]):
                found.append((m.start(), doc_id))
                for i in range(m.start(), m.end()):
                    taken[i] = True
    return list(dict.fromkeys(doc_id for _, doc_id in sorted(found)))


def find_locators(norm: str, aliases: list[tuple[str, str]], default_doc: str | None = None,
                  docs: list[str] | None = None) -> list[LocatorRef]:
    """Locator references in a normalized question. An article needs a document named in the
    question (or ``default_doc`` from the conversation); a task always refers to the plan.
    ``docs``: the question's ``mentioned_docs``, when the caller already has them."""
    refs: list[LocatorRef] = []
    docs = mentioned_docs(norm, aliases) if docs is None else docs
    for m in _TASK.finditer(norm):
        number = next(g for g in m.groups() if g)
        try:
            n = cn_to_int(number)
        except ValueError:
            continue
        if 1 <= n <= 99:
            refs.append(LocatorRef(PLAN_DOC_ID, f"任务{n}"))
    law_docs = [d for d in docs if d != PLAN_DOC_ID] or ([default_doc] if default_doc else [])
    for m in _ARTICLE.finditer(norm):
        try:
            n = cn_to_int(m.group(1))
            locator = f"第{int_to_cn(n)}条"
        except ValueError:
            continue
        # The document named closest before the article reference.
        before = [d for d in law_docs if _last_pos(norm[:m.start()], d, aliases) >= 0]
        doc = max(before, key=lambda d: _last_pos(norm[:m.start()], d, aliases)) if before else (
            law_docs[0] if law_docs else None)
        if doc:
            refs.append(LocatorRef(doc, locator))
    if PLAN_DOC_ID in docs or not docs:
        if _TARGETS.search(norm) and (PLAN_DOC_ID in docs or "2025" in norm):
            refs.append(LocatorRef(PLAN_DOC_ID, "主要目标"))
        if _VALIDITY.search(norm) and PLAN_DOC_ID in docs:
            refs.append(LocatorRef(PLAN_DOC_ID, "施行与有效期"))
    return list(dict.fromkeys(refs))


def _last_pos(text: str, doc_id: str, aliases: list[tuple[str, str]]) -> int:
    return max((text.rfind(a) for a, d in aliases if d == doc_id), default=-1)
