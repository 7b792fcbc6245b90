"""Plain-text rendering of answers, tables and reports for the terminal (no logic here)."""
from __future__ import annotations

import re

from rongzhi.core.normalize import to_simplified_display, to_traditional
from rongzhi.core.versions import IN_FORCE

from .bodies import as_written
from .compose import display, is_traditional, terms_note_for
from .query import ZH_HANT


SHORT_QUOTE = 40  # characters of a source's quote shown under 来源 (the answer already quotes it)


def _script(text: str, trad: bool) -> str:
    """Labels and titles follow the asker's script; quotes never pass through here."""
    return to_traditional(text) if trad and text else text


_HAN = re.compile(r"[\u4e00-\u9fff]")


def short_quote(quote: str, limit: int = SHORT_QUOTE) -> str:
    """The start of a quote, enough to recognise the passage: the first line, cut at ``limit`` characters; an English
    one (RCEP) at twice that, after a whole word (「Each Party shall provide that its compet……」: session 35's sweep F)."""
    first = quote.strip().split("\n")[0]
    # English: no Han character (a curly apostrophe, 「Party’s」, is no ASCII: session 41's sweep saw 「maintain pr……」)
    english = not _HAN.search(first)
    if english:
        limit *= 2
    if len(first) <= limit and first == quote.strip():
        return first
    cut = first[:limit]
    if english and len(first) > limit and " " in cut:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip("，,、；;") + "……"


def answer_text(result: dict, full: bool = False) -> str:
    """The answer (quotes appear once, in its body) and a short 来源 list: title, locator,
    version and the start of each quote; ``full`` lists each quote whole."""
    lines = [result["answer"]]
    trad = result.get("language") == "zh-Hant"
    english = result.get("language") == "en"
    if result.get("citations"):
        lines.append("\nSources:" if english else _script("\n来源：", trad))
        for c in result["citations"]:
            date = _script(version_text(c, english), trad)
            lines.append(f"[{c['n']}] {_script('《' + c['title'] + '》' + c['locator'], trad)}{date}")
            # --full: the whole provision (the answer's body quotes only the sentences that answer); in the
            # script the body quotes it in (a Traditional question: 來源 in Traditional too)
            text = (c.get("chunk_text") or c["quote"]) if full else c["quote"]
            quote = display(text, result.get("language", ""), is_traditional(text))
            lines.append(f"    “{quote if full else short_quote(quote)}”")
    if result.get("related") and not result.get("answerable"):
        lines.append("\nPossibly related:" if english else _script("\n可能相关：", trad))
        for r in result["related"]:
            lines.append(f"- {_script('《' + r['title'] + '》' + r['locator'] + not_in_force(r), trad)}")
    llm = result.get("llm")
    if llm and llm.get("fallback") and llm.get("configured") is False:  # nothing was sent: say why, not "failed"
        lines.append(f"\n({llm.get('reason')}; the extractive answer is shown)" if english
                     else _script(f"\n（{llm.get('reason')}；以上是摘录式回答）", trad))
    elif llm and llm.get("fallback"):
        lines.append(f"\n(The model's answer failed verification; the extractive answer is shown: {llm.get('reason')})"
                     if english else _script(f"\n（大模型回答未通过核验，已改用摘录式回答：{llm.get('reason')}）", trad))
    return "\n".join(lines)


def not_in_force(entry: dict) -> str:
    """" · 已失效（…）" after a listed text that does not apply on the as-of date, else ""."""
    status = entry.get("status")
    return f" · {entry['status_label']}" if status and status != IN_FORCE and entry.get("status_label") else ""


def _truncate(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` terminal columns (CJK count 2), ending with … when cut."""
    if _width(text) <= width:
        return text
    out, used = "", 0
    for ch in text:
        w = _width(ch)
        if used + w > width - 1:
            break
        out, used = out + ch, used + w
    return out + "…"


STATUS_LABELS = {"in_force": "现行有效", "current": "现行有效", "superseded": "已被取代", "not_yet_in_force": "尚未施行",
                 "not_loaded": "未加载", "not loaded": "未加载"}


def version_text(c: dict, english: bool = False) -> str:
    """（2019-04-23 版 · 现行有效）after a citation — " (2019-04-23 version · in force)" for an
    English question: the version and its status on the as-of date."""
    if not c.get("version_date"):
        return ""
    label = c.get("status_label") or ""
    if english:
        return f" ({c['version_date']} version" + (f" · {label}" if label else "") + ")"
    return f"（{c['version_date']} 版" + (f" · {label}" if label else "") + "）"


def status_label(doc: dict) -> str:
    """A document's status in a few Chinese words (the code stays in --json)."""
    if str(doc.get("status_label", "")).startswith("尚未公布"):  # not yet published on the as-of date
        return "尚未公布"
    return STATUS_LABELS.get(doc.get("status", ""), doc.get("status_label") or doc.get("status", ""))


def status_table(documents: list[dict], columns: int = 100) -> str:
    """One row per document that fits ``columns`` (80–120) terminal columns: the title is cut
    to fit, the doc_id (for ``--doc``) and any note go on an indented second line."""
    columns = max(80, min(120, columns))
    fixed = [("类型", 12), ("块数", 4), ("版本日期", 10), ("状态", 8)]
    title_w = columns - sum(w for _, w in fixed) - 2 * len(fixed)
    rows = [("标题", *(name for name, _ in fixed))]
    rows += [(d["title"], d["kind"], str(d.get("chunks", 0)), d.get("version_date", ""), status_label(d))
             for d in documents]
    widths = [title_w] + [w for _, w in fixed]
    out = []
    for k, row in enumerate(rows):
        cells = [_truncate(str(c), widths[i]) for i, c in enumerate(row)]
        cells = [c.rjust(widths[i]) if i == 2 and k else c + " " * max(0, widths[i] - _width(c))
                 for i, c in enumerate(cells)]
        out.append("  ".join(cells).rstrip())
        if k == 0:
            out.append("-" * min(columns, sum(widths) + 2 * len(fixed)))
        else:
            d = documents[k - 1]
            dates = (f"  施行 {d['effective_date']}" if d.get("effective_date") else "") + (
                f"  {d['status_label']}" if d.get("status_label") and "（" in d["status_label"] else
                f"  {d['superseded_on']} 起由新版本取代" if d.get("superseded_on") else "")
            extra = d["doc_id"] + dates + (f"  （{d['note']}）" if d.get("note") else "")
            out.extend("    " + part for part in _wrap(extra, columns - 4))
    return "\n".join(out)


def _wrap(text: str, width: int) -> list[str]:
    lines, line, used = [], "", 0
    for ch in text:
        w = _width(ch)
        if used + w > width:
            lines.append(line)
            line, used = "", 0
        line, used = line + ch, used + w
    return lines + [line] if line else lines


def _plan_words(text: str, traditional: bool) -> str:
    """Text taken from the plan, in its own words (智慧财产权, 最佳化), in the reader's script: what the plan says is
    quoted, as in the web UI's table and in answers (session 34's sweep: the CLI showed titles in mainland wording)."""
    return text if traditional else to_simplified_display(text)


def _terms_note(texts: list[str]) -> str:
    """「注：…其中“智慧财产权”即“知识产权”…」 under plan text shown in Simplified, or ""."""
    return terms_note_for(texts, "zh-Hans")


def tasks_table(tasks: list[dict], traditional: bool = False) -> str:
    """The 22 tasks, titles, sections and bodies in the plan's own words; ``traditional`` in Traditional, with
    Traditional labels."""
    rows = [tuple(_script(h, traditional) for h in ("任务", "部分", "标题", "文中提到的机构"))]
    for t in tasks:
        section = _plan_words(t.get("section_original", t["section"]), traditional)
        title = _plan_words(t.get("title_original", t["title"]), traditional)
        # the bodies as the plan's text writes them (軟體園, not 軟件園; 智慧财产权, not 知识产权), like its titles
        bodies = as_written(t["bodies"], t["text"], ZH_HANT if traditional else "zh-Hans") if "text" in t else \
            [_script(b, traditional) for b in t["bodies"]]
        rows.append((_script(t["locator"], traditional), section.split(")")[0] + ")" if ")" in section else section,
                     title, "、".join(bodies) or "—"))
    note = "" if traditional else _terms_note([cell for row in rows[1:] for cell in row[1:]])
    return _table(rows) + (f"\n{note}" if note else "")


def task_text(detail: dict) -> str:
    """One task for the terminal: labels in the asker's script, the task's text (the source's
    own words) one sentence a line, then the named bodies and the note about lead units."""
    trad = detail.get("language") == "zh-Hant"
    sentences = [s for s in split_sentences(detail["text_display"]) if s != detail.get("title_display", "")]
    title = detail.get("title_display", detail["title"])
    section = _plan_words(detail.get("section_original", detail["section"]), trad)
    bodies = detail["bodies"] if trad or "text" not in detail else as_written(detail["bodies"], detail["text"], "zh-Hans")
    note = "" if trad else _terms_note([title, section, detail["text_display"], *bodies])
    return "\n".join([
        f"{_script(detail['locator'], trad)}  {title}",
        f"{_script('所属部分：', trad)}{section}",
        f"{_script('出处：', trad)}{_script('《' + detail['doc_title'] + '》' + detail['locator'], trad)}",
        "",
        *sentences,
        "",
        f"{_script('文中提到的机构/主体：', trad)}{'、'.join(bodies) or _script('（无）', trad)}",
        detail["lead_units_note"],
        *([note] if note else []),
        *([detail["plan_status"]] if detail.get("plan_status") else []),
    ])


def split_sentences(text: str) -> list[str]:
    """A task's text as lines: its own lines, long ones cut after each 。 (for reading only)."""
    out = []
    for line in text.split("\n"):
        out.extend(p for p in (x.strip() for x in re.split(r"(?<=[。；])", line)) if p)
    return out


def measures_text(result: dict) -> str:
    """Needs in the order the company gave them (wants first); each measure with its one-line
    reason and its quote; the measures-not-loaded note last."""
    trad = result.get("language") == "zh-Hant"
    t = _MEASURES_EN if result.get("language") == "en" else {k: _script(v, trad) for k, v in _MEASURES_ZH.items()}
    lines = []
    for need in result["needs"]:
        if need.get("context"):
            continue
        lines.append(f"■ {need['need']}")
        if not need["matches"]:
            lines.append(t["none"])
        for m in need["matches"]:
            seen = t["seen"] if m["already_listed"] else ""
            lines.append(f"  - {_script('《' + m['title'] + '》' + m['locator'], trad)}{seen}{t['colon']}{m['reason']}")
            lines.append(f"    “{m['quote_display']}”")
    context = [n["need"] for n in result["needs"] if n.get("context")]
    if context:
        lines.append(t["ordered"].format(context=t["join"].join(context)))
    if result.get("terms_note"):
        lines.append("\n" + result["terms_note"])
    if result.get("plan_status"):
        lines.append(t["note"] + result["plan_status"])
    if result.get("notice"):
        lines.append(t["note"] + result["notice"])
    return "\n".join(lines)


_MEASURES_ZH = {"none": "  （工作方案中没有直接对应的措施）", "seen": "（见上）", "colon": "：", "join": "、",
                "ordered": "\n（已按您的情况排序：{context}）", "note": "\n注意："}
_MEASURES_EN = {"none": "  (no measure in the plan matches this directly)", "seen": " (listed above)", "colon": ": ",
                "join": "; ", "ordered": "\n(Ordered by what you said about yourselves: {context})", "note": "\nNote: "}


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

