"""Helpers for the three kinds of users who are not just asking one question.

- civil servants: the 22-task table and one task's section, title, text and named bodies;
- enterprises: from a short self-description, the plan's (and, once loaded, the measures')
  support measures that match, each quoted and cited;
- Taiwan professionals are served by ordinary questions: task 19, 专利代理条例 and the
  Taiwan-investment law are in the index, and their questions are tested in tests/.
"""
from __future__ import annotations

import re

from rongzhi.ingest.manifest import MEASURES_DOC_ID, PLAN_DOC_ID
from rongzhi.core.normalize import to_simplified_display, to_traditional

from .bodies import named_bodies
from .compose import citation, quote_for
from .filters import Filters
from .retrieve import Hit
from .service import NO_LEAD_UNITS, Assistant


def plan_tasks(assistant: Assistant) -> list[dict]:
    """One row per plan task: n, section, title, bodies named, locator, original text."""
    rows = []
    for chunk in assistant.reader.chunks:
        if chunk.doc_id != PLAN_DOC_ID or not chunk.locator.startswith("任务"):
            continue
        rows.append({"n": int(chunk.locator[2:]), "locator": chunk.locator,
                     "section": to_simplified_display(chunk.section_path[0]) if chunk.section_path else "",
                     "title": to_simplified_display(chunk.heading),
                     "bodies": named_bodies(to_simplified_display(chunk.text)),
                     "text": chunk.text, "doc_id": chunk.doc_id, "doc_title": chunk.title})
    return sorted(rows, key=lambda r: r["n"])


def task_detail(assistant: Assistant, n: int, traditional: bool = False) -> dict | None:
    row = next((r for r in plan_tasks(assistant) if r["n"] == n), None)
    if row is None:
        return None
    detail = {**row, "lead_units": None, "lead_units_note": NO_LEAD_UNITS,
              "text_display": row["text"] if traditional else to_simplified_display(row["text"])}
    if traditional:
        for key in ("section", "title", "lead_units_note"):
            detail[key] = to_traditional(detail[key])
        detail["bodies"] = [to_traditional(b) for b in detail["bodies"]]
    return detail


_NEED_SPLIT = re.compile(r"[，,、；;。/]|以及|并且|还想|想做|想要|打算|计划|需要|我们是|我们有|我们")


def needs_of(description: str) -> list[str]:
    """'高新技术企业，有发明专利，想做质押融资和贯标' -> ['高新技术企业', '发明专利', '质押融资', '贯标']."""
    parts = [p.strip() for p in _NEED_SPLIT.split(description)]
    needs = []
    for part in parts:
        part = re.sub(r"^(有|是|做|想|要|开展|申请|进行|拥有)+", "", part)
        part = re.sub(r"(的企业|企业呢|吗|呢)$", "", part)
        needs.extend(p for p in re.split(r"和|与|及", part) if len(p) >= 2)
    return list(dict.fromkeys(needs))


def find_measures(assistant: Assistant, description: str, per_need: int = 2) -> dict:
    """Support measures matching a company's self-description, grouped by need.

    Each need is searched in the plan (and the measures, when loaded); a task is listed only
    when its text contains the need's words, so every listed measure is quoted evidence."""
    query_all = assistant.parse(description)
    doc_ids = (PLAN_DOC_ID, MEASURES_DOC_ID) if assistant.measures_loaded else (PLAN_DOC_ID,)
    filters = Filters(doc_ids=doc_ids)
    results, seen = [], set()
    for need in needs_of(query_all.norm):
        need_query = assistant.parse(need)
        hits = [h for h in assistant.retriever.search(need_query, k=8, filters=filters)
                if h.coverage >= 0.99 or (need_query.tokens and h.coverage >= 0.5 and len(need) >= 4)]
        matches = []
        for hit in hits[:per_need]:
            quote = quote_for([hit], need_query, max_spans=1)
            cite = citation(0, [hit], quote)
            matches.append({**cite, "quote_display": to_simplified_display(quote.original),
                            "already_listed": hit.chunk.chunk_id in seen})
            seen.add(hit.chunk.chunk_id)
        results.append({"need": need, "matches": matches})
    notice = None if assistant.measures_loaded else (
        "资助标准和申报条件规定在《福州市知识产权专项资金管理办法》（榕政办规〔2022〕7号）中，该文件全文尚未加载；"
        "以下仅列出工作方案中的相关支持措施。可用 `rongzhi corpus add 文件` 加载该办法。")
    return {"description": description, "needs": results, "notice": notice}
