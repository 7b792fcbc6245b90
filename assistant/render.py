"""Plain-text rendering of answers, tables and reports for the terminal (no logic here)."""
from __future__ import annotations

from rongzhi.core.normalize import to_traditional


def answer_text(result: dict) -> str:
    lines = [result["answer"]]
    trad = result.get("language") == "zh-Hant"
    if result.get("citations"):
        lines.append("\n來源：" if trad else "\n来源：")
        for c in result["citations"]:
            date = f"（{c['version_date']}）" if c.get("version_date") else ""
            lines.append(f"[{c['n']}] 《{c['title']}》{c['locator']}{date}")
            lines.append(f"    “{c['quote']}”")
    if result.get("related") and not result.get("answerable"):
        lines.append("\n可能相關：" if trad else "\n可能相关：")
        for r in result["related"]:
            lines.append(f"- 《{r['title']}》{r['locator']}")
    llm = result.get("llm")
    if llm and llm.get("fallback"):
        lines.append(f"\n（LLM 回答未通过核验，已改用摘录式回答：{llm.get('reason')}）")
    return "\n".join(lines)


def status_table(documents: list[dict]) -> str:
    rows = [("doc_id", "标题", "类型", "块数", "版本日期", "状态")]
    for d in documents:
        rows.append((d["doc_id"], d["title"], d["kind"], str(d.get("chunks", 0)), d.get("version_date", ""),
                     d["status"] + (f"（{d['note']}）" if d.get("note") else "")))
    return _table(rows)


def tasks_table(tasks: list[dict], traditional: bool = False) -> str:
    rows = [("任务", "部分", "标题", "文中提到的机构")]
    for t in tasks:
        rows.append((t["locator"], t["section"].split(")")[0] + ")" if ")" in t["section"] else t["section"],
                     t["title"], "、".join(t["bodies"]) or "—"))
    text = _table(rows)
    return to_traditional(text) if traditional else text


def task_text(detail: dict) -> str:
    return "\n".join([
        f"{detail['locator']}  {detail['title']}",
        f"所属部分：{detail['section']}",
        f"出处：《{detail['doc_title']}》{detail['locator']}",
        "",
        detail["text_display"],
        "",
        f"文中提到的机构/主体：{'、'.join(detail['bodies']) or '（无）'}",
        detail["lead_units_note"],
    ])


def measures_text(result: dict) -> str:
    lines = []
    for need in result["needs"]:
        lines.append(f"■ {need['need']}")
        if not need["matches"]:
            lines.append("  （工作方案中没有直接对应的措施）")
        for m in need["matches"]:
            lines.append(f"  - 《{m['title']}》{m['locator']}{'（见上）' if m['already_listed'] else ''}：“{m['quote_display']}”")
    if result.get("notice"):
        lines.append("\n注意：" + result["notice"])
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _table(rows: list[tuple]) -> str:
    widths = [max(_width(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    widths = [min(w, 60) for w in widths]
    out = []
    for k, row in enumerate(rows):
        cells = [str(c) + " " * max(0, widths[i] - _width(str(c))) for i, c in enumerate(row)]
        out.append("  ".join(cells).rstrip())
        if k == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)

