"""``rongzhi corpus add FILE``: bring a user's document into the corpus, then re-ingest.

The text is extracted (txt/md/docx/pdf/html; UTF-8, GBK or Big5) and stored as UTF-8 under
``DATA_DIR/added/`` with a name derived from the doc_id's hash, so no user-supplied name ever
becomes a path. A file is taken for the special-fund measures (and given their manifest entry's
document number and issuer) only when its title is theirs without a qualifier, and the entry
then says so (``recognized``); a test file, sample or draft keeps its own title.
"""
from __future__ import annotations

import hashlib
import re
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from rongzhi.core.errors import DocumentError
from rongzhi.core.roles import MEASURES, doc_with_role
from rongzhi.core.versions import DATE_WORDS, FULL_WIDTH_DIGITS, OWN_TERM, written_day

from .manifest import (STATUS_CURRENT, USER_KIND, known_kinds, load_documents, load_manifest, load_registry,
                       registry_path, save_registry)
from .readers import read_document
from rongzhi.core.settings import Settings

_DOC_ID_OK = re.compile(r"^(?!.*\.\.)[\w@\-][\w.@\-]{0,79}$")

# What a field is called in what ``corpus add`` prints (its changes, what it took from where).
FIELD_NAMES = {"title": ("标题", "title"), "kind": ("类型", "kind"), "issuer": ("发布机关", "issuer"),
               "doc_number": ("文号", "document number"), "version_date": ("版本日期", "version date"),
               "effective_date": ("施行日期", "effective date"), "expires_on": ("有效期至", "expires on"),
               "role": ("用途", "role")}
OPTIONS = {"kind": "--kind", "issuer": "--issuer", "doc_number": "--doc-number", "version_date": "--date",
           "effective_date": "--effective-date", "expires_on": "--expires-on", "title": "--title"}
DETAILS = ("title", "kind", "issuer", "doc_number", "version_date", "effective_date", "expires_on")
# Keys of the returned entry that describe this run only and are not stored in the registry.
TRANSIENT = ("unchanged", "replaced", "changes", "notes", "recognized", "stated")

# Words that make a text something other than the issued document: a test file, a sample, a draft,
# a template… A title carrying one is kept as written and is never taken for a listed document.
QUALIFIER_WORDS = ("测试", "样例", "样本", "示例", "范例", "范本", "模板", "草案", "草稿", "初稿", "征求意见", "意见稿",
                   "送审稿", "讨论稿", "修订稿", "修改稿", "审议稿", "演示", "虚构", "非真实", "不是真实", "并非真实",
                   "夹具", "test", "sample", "draft", "template", "demo", "example", "fake")
_STRUCTURE = re.compile(r"^(?:#+\s*)?第[一二三四五六七八九十百零〇两0-9０-９]+[条條章節节编編]")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（]\s*([0-9０-９]{4})\s*[〕\]］】)）]\s*([0-9０-９]+)\s*号")
# Not 本法/本条例: an amended law keeps its first commencement clause (商标法 2019: 「本法自1983年3月1日起施行」).
_COMMENCES = re.compile(r"本(?:办法|规定|细则|方案|决定|通知|意见|措施|规则|制度|指引|实施办法|暂行办法|试行办法)"
                        r"[^。；\n]{0,20}?自\s*" + DATE_WORDS + r"\s*起(?:施行|实施|执行|生效)")
_ONLY_A_DATE = re.compile(r"^[（(]?\s*" + DATE_WORDS + r"\s*[）)]?$")
_NOTICE = re.compile(r"^(.*?)关于印发《?(.+?)》?的通知$")


def _fold(title: str) -> str:
    """A title as compared: Simplified, mainland wording (智慧財產權 -> 知识产权), no spaces, 《》 or
    end punctuation."""
    from rongzhi.core.normalize import to_simplified

    return re.sub(r"[\s　《》〈〉]+", "", to_simplified(title or "")).rstrip("。.：:；;，,")


def _qualifiers(text: str) -> list[str]:
    folded = _fold(text).lower()
    return [w for w in QUALIFIER_WORDS
            if (re.search(rf"(?<![a-z]){w}(?![a-z])", folded) if w.isascii() else w in folded)]


def _heading(text: str, path: Path) -> tuple[str, list[str]]:
    """(title, preamble lines) of a text: the title is its first line of 4–80 characters that is not
    only a document number or a date; a next line that is only a parenthetical (「（征求意见稿）」) is
    part of the title as written. The preamble is what follows, up to the first article or chapter."""
    lines = [line.strip().lstrip("#").strip() for line in text.split("\n", 60)[:60]]
    lines = [line for line in lines if line]
    title, rest, skipped = "", lines, []
    for i, line in enumerate(lines[:12]):
        bare = line.strip("《》")
        if _DOC_NUMBER.fullmatch(bare) or _ONLY_A_DATE.match(bare):
            skipped.append(line)  # a document number or date above the title
            continue
        if _STRUCTURE.match(bare):
            break
        if 4 <= len(bare) <= 80:
            title, rest = bare, lines[i + 1:]
            break
    if not title:
        return path.stem[:80], []
    if rest and re.fullmatch(r"[（(][^（）()]{1,20}[）)]", rest[0]) and len(title) + len(rest[0]) <= 80:
        title, rest = title + rest[0], rest[1:]
    preamble = skipped
    for line in rest[:8]:
        if _STRUCTURE.match(line):
            break
        preamble.append(line)
    return title, preamble


def stated_metadata(text: str, preamble: list[str]) -> dict[str, tuple[str, str]]:
    """What the text states of itself: {field: (value, the words it says it in)} for its document
    number (a line of its own before the first article: a body cites other documents' numbers), the
    day it takes effect (「本办法自2022年7月1日起施行」) and the last day of its own term
    (「有效期至2027年12月31日」). A field stated twice with different values is left out."""
    found: dict[str, tuple[str, str]] = {}

    numbers = {}
    for line in preamble:  # a line that is only a number, as documents print their own (not one they cite)
        if _DOC_NUMBER.fullmatch(line.strip("《》 ")):
            words = re.sub(r"\s+", "", line.strip("《》 ")).translate(FULL_WIDTH_DIGITS)
            numbers[_doc_number_key(words)] = words
    if len(numbers) == 1:
        words = next(iter(numbers.values()))
        found["doc_number"] = (words, words)
    for field, pattern in (("effective_date", _COMMENCES), ("expires_on", OWN_TERM)):
        days = {}
        for m in pattern.finditer(text):
            if (value := written_day(m)) is not None:
                days.setdefault(value, re.sub(r"\s+", "", m.group(0)))
        if len(days) == 1:
            value, words = next(iter(days.items()))
            found[field] = (value, words)
    return found


def _doc_number_key(number: str) -> str:
    """榕政办规[2022]7号 and 榕政办规〔2022〕7号 are one number."""
    return re.sub(r"[〔\[［【(（]", "〔", re.sub(r"[〕\]］】)）]", "〕", re.sub(r"\s+", "", number))).translate(FULL_WIDTH_DIGITS)


def _note(zh: str, en: str) -> dict:
    return {"zh": zh, "en": en}


def _recognize(listed, given_title: str | None, heading: str, preamble: list[str],
               stated: dict, explicit: bool) -> tuple[bool, list[dict]]:
    """Is this file the listed document ``listed`` (the special-fund measures)? Only when its title
    is that document's title as it stands: a qualifier (（测试样例）, 征求意见稿, 草案, 模板…) keeps it
    an ordinary added document, and so does another title that merely contains the words (另一城市的
    管理办法, 「专项资金管理办法」 alone). Its own document number, when it states one, must be the
    listed one. Returns (recognized, notes); raises DocumentError when the file names the listed
    title but says it is a test, sample or draft (it must not be stored under the real title)."""
    target = _fold(listed.title)
    wrapped = _NOTICE.match(_fold(heading))  # 「…关于印发《X》的通知」 issues X
    if wrapped and wrapped.group(2) == target and wrapped.group(1) in ("", _fold(listed.issuer)):
        heading_is = "exact"
    elif _fold(heading) == target:
        heading_is = "exact"
    elif target in _fold(heading) or (wrapped and target in wrapped.group(2)):
        heading_is = "qualified"
    else:
        heading_is = "other"
    candidate = given_title if given_title is not None else heading
    says_listed = explicit or _fold(candidate) == target or (given_title is None and heading_is == "exact")
    # What makes the file something other than the issued text, in its own words.
    reasons, reasons_en, words = [], [], []
    for shown in dict.fromkeys(t for t in (heading, candidate) if t):
        folded = _fold(shown)
        inner = wrapped.group(2) if wrapped and shown == heading else folded
        if target in inner and inner != target:
            extra = inner.replace(target, "", 1)
            reasons.append(f"标题「{shown}」多出「{extra}」")
            reasons_en.append(f"the title {shown!r} adds {extra!r}")
        elif _qualifiers(shown) and (says_listed or target in folded):
            reasons.append(f"标题「{shown}」")
            reasons_en.append(f"the title {shown!r}")
        words += _qualifiers(shown)
    for line in preamble:
        if len(line) <= 60 and _qualifiers(line):
            reasons.append(f"开头写明「{line}」")
            reasons_en.append(f"its opening says {line!r}")
            words += _qualifiers(line)
    name = f"《{listed.title}》（{listed.doc_number or listed.doc_id}）"
    if says_listed and reasons:
        suggest = heading if _fold(heading) != target else f"{heading}（{words[0] if words else '测试'}）"
        raise DocumentError(
            f"这个文件不是{name}的正式文本：{'；'.join(reasons)}。榕知只把标题恰为该办法标题、不带限定语的文本当作该办法"
            f"（并配上清单中的文号和发布机关）。要作为普通文档添加，请用 --title 写出它自己的标题（如「{suggest}」）"
            f"{'，不要用 --doc-id ' + listed.doc_id if explicit else ''}。",
            f"this file is not the official text of the listed {listed.title} ({listed.doc_number}): "
            f"{'; '.join(reasons_en)}. To add it as an ordinary document, pass --title with its own title"
            f"{' and no --doc-id' if explicit else ''}")
    if not says_listed:
        notes = []
        if heading_is != "other" or "专项资金管理办法" in _fold(candidate or ""):
            why = "；".join(reasons) or f"标题「{candidate}」与该办法的标题不同"
            notes.append(_note(
                f"未当作{name}：{why}。已作为普通文档《{candidate}》添加，不配清单中的文号和发布机关。",
                f"not taken for the listed {listed.title}: "
                f"{'; '.join(reasons_en) or f'the title {candidate!r} is another title'}; added as an ordinary document"))
        return False, notes
    own = stated.get("doc_number")
    if own and listed.doc_number and _doc_number_key(own[0]) != _doc_number_key(listed.doc_number):
        if explicit:  # the user says it is that document: its own number, no listed details
            return True, [_note(f"文中文号「{own[0]}」与清单中的 {listed.doc_number} 不同：按原文记录文号，"
                                f"清单中的发布机关和版本日期不采用。",
                                f"the text's document number {own[0]} differs from the listed {listed.doc_number}: "
                                "the text's is recorded; the listed issuer and version date are not used")]
        raise DocumentError(
            f"文件标题与{name}相同，但文中文号是「{own[0]}」，不是清单中的 {listed.doc_number}：可能是另一份（如修订后的）文件。"
            f"如确是该办法的这一文本，请加 --doc-id {listed.doc_id}（文号按原文记为 {own[0]}）；"
            f"否则请用 --title 给出不同的标题。",
            f"the title is that of the listed {listed.title}, but the text's document number is {own[0]}, not "
            f"{listed.doc_number}; pass --doc-id {listed.doc_id} if it is that document, or --title for another title")
    return True, []


def add_document(settings: Settings, file: Path, doc_id: str | None = None, title: str | None = None,
                 kind: str | None = None, version_date: str | None = None, issuer: str | None = None,
                 doc_number: str | None = None, replace: bool = False, effective_date: str | None = None,
                 expires_on: str | None = None) -> dict:
    """Validate and store the document; return its registry entry (plus what this run did:
    ``replaced``, ``changes``, ``notes``, ``recognized``, ``stated``). Nothing is written when the
    file cannot be read or its details contradict themselves.

    The details are the file's own: an option given now (``""`` clears the field), else what the
    text states of itself (its document number, 「自…起施行」, 「有效期至…」), else — only for a file
    recognized as a listed document (the special-fund measures) — the manifest's, each of which the
    entry's ``recognized`` names. Nothing is carried over from a text this one replaces.

    A document already added under the same title or doc_id is never replaced silently: re-adding
    the same text changes nothing, a different text needs ``replace`` (``replaced`` then says what it
    replaced and ``changes`` what changed)."""
    file = Path(file)
    from rongzhi.core.versions import check_date, date_int

    options = {"kind": kind, "issuer": issuer, "doc_number": doc_number, "version_date": version_date,
               "effective_date": effective_date, "expires_on": expires_on}
    options = {k: (v.strip() if isinstance(v, str) else v) for k, v in options.items()}
    # Checked before anything is read or written: a bad date must not leave a half-added file.
    for field, partial in (("version_date", True), ("effective_date", False), ("expires_on", False)):
        if options[field]:
            options[field] = check_date(options[field], f"{OPTIONS[field]} 日期", partial=partial,
                                        what_en=OPTIONS[field])
    if options["kind"]:
        options["kind"] = _check_kind(settings, options["kind"])
    text = read_document(file, max_bytes=settings.max_upload_bytes)
    manifest = load_manifest(settings)
    known = {d.doc_id: d for d in load_documents(settings)}
    heading, preamble = _heading(text, file)
    stated = stated_metadata(text, preamble)
    title = title.strip() if title and title.strip() else None
    measures_row = doc_with_role([d.as_dict() for d in manifest.values()], MEASURES)
    listed = manifest.get(measures_row["doc_id"]) if measures_row else None
    notes: list[dict] = []
    recognized = False
    if listed is not None and (doc_id is None or doc_id == listed.doc_id):
        recognized, notes = _recognize(listed, title, heading, preamble, stated, explicit=doc_id == listed.doc_id)
        if recognized:
            doc_id = listed.doc_id  # fills the manifest's listed-but-missing measures entry
    doc_id = doc_id or "added-" + hashlib.sha1((title or heading).encode("utf-8")).hexdigest()[:10]
    if not _DOC_ID_OK.match(doc_id):
        raise DocumentError(f"doc_id 只能包含字母、数字、汉字和 . @ - _：{doc_id!r}",
                            f"doc_id may contain only letters, digits, CJK and . @ - _: {doc_id!r}")
    registry = load_registry(settings)
    base = known.get(doc_id)
    if base is not None and base.path and not any(e["doc_id"] == doc_id for e in registry):
        # A law, the plan or the treaty read from the corpus: a user's file must never take its place
        # (its articles would be quoted under the law's title). A new text of it is another version.
        raise DocumentError(
            f"doc_id {doc_id} 是已收录的《{base.title}》（{base.version_date} 版，来自语料目录），不能用 corpus add 替换。"
            f"要加载它的另一个版本，请用 --title \"{base.title}\" --date 版本日期（不给 --doc-id）。",
            f"doc_id {doc_id} is the loaded 《{base.title}》 ({base.version_date} version, from the corpus) and cannot be "
            f"replaced by corpus add; to load another version of it, pass --title \"{base.title}\" --date VERSION_DATE "
            "(no --doc-id)")
    row = manifest.get(doc_id)  # a listed document this text fills (the measures); never an earlier added text
    row_own = row is not None and not (stated.get("doc_number") and row.doc_number and
                                       _doc_number_key(stated["doc_number"][0]) != _doc_number_key(row.doc_number))
    details, origin = {}, {}
    for field in ("kind", "issuer", "doc_number", "version_date", "effective_date", "expires_on"):
        if options[field] is not None:
            details[field], origin[field] = options[field], "option"
        elif field in stated:
            details[field], origin[field] = stated[field][0], "text"
        elif row is not None and (row_own or field == "kind") and getattr(row, field):
            details[field], origin[field] = getattr(row, field), "manifest"
        else:
            details[field], origin[field] = (USER_KIND if field == "kind" else ""), "default"
    start = details["version_date"]
    if origin["effective_date"] == "text" and start and date_int(details["effective_date"]) < date_int(start):
        # An amended text keeps its original commencement clause (「本办法自2010年1月1日起施行」): not this version's.
        words = stated["effective_date"][1]
        details["effective_date"], origin["effective_date"] = "", "default"
        notes.append(_note(f"原文「{words}」早于版本日期 {start}，应是最初的施行日期，未作为这一版本的施行日期。",
                           f"the text's {words!r} is before the version date {start} (the original commencement): "
                           "not used as this version's effective date"))
    for field, (value, words) in stated.items():
        given = options[field]
        if not given or (_doc_number_key(given) == _doc_number_key(value) if field == "doc_number" else given == value):
            continue
        if field == "expires_on":
            # Answers quote the text's own term (「原文写明有效期至…」): a status from another date contradicts them.
            raise DocumentError(
                f"{OPTIONS[field]} {given} 与原文不一致：原文写明「{words}」（{value}）。回答会引用原文的这句话，两者不能不同："
                f"去掉 {OPTIONS[field]}（按原文记录），或检查文件是否选对。",
                f"{OPTIONS[field]} {given} contradicts the text, which says {words!r} ({value}); answers quote the text, "
                f"so drop {OPTIONS[field]} (the text's value is used) or check the file")
        notes.append(_note(f"原文写明「{words}」，{FIELD_NAMES[field][0]}按 {OPTIONS[field]} 记为 {given}。",
                           f"the text says {words!r}; {FIELD_NAMES[field][1]} recorded as {given} ({OPTIONS[field]})"))
    _check_date_order(details, origin, stated)
    entry = {"doc_id": doc_id, "title": (title or (row.title if recognized and row is not None else heading)).strip(),
             **details,
             "role": row.role if row is not None else "",  # an added measures text keeps the measures role
             "status": STATUS_CURRENT, "source": f"added:{file.name}",
             "file": hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:16] + ".txt"}
    entry = {k: entry[k] for k in ("doc_id", "title", "kind", "issuer", "doc_number", "version_date", "effective_date",
                                   "expires_on", "role", "status", "source", "file")}
    folder = settings.data_dir / "added"
    clash = [e for e in registry if e["doc_id"] == doc_id or e["title"] == entry["title"]]
    for old in clash:
        old_text = _read_added(folder / old["file"])
        if old["doc_id"] == doc_id and old_text == text and (not replace or _same_details(old, entry)):
            return {**old, "unchanged": True}  # the same file again: nothing to do
        if not replace:
            raise DocumentError(
                f"已添加过同名或同 doc_id 的文档《{old['title']}》（{old['doc_id']}，来自 {old['source'].removeprefix('added:')}），"
                f"内容不同。要用新文件替换它，请加 --replace（网页界面：勾选“替换同名文档”）；"
                f"要作为另一份文档添加，请用 --title 指定不同的标题。",
                f"a different document titled 《{old['title']}》 is already added as {old['doc_id']}; "
                f"pass --replace to replace it, or --title to add this file as another document")
    stored = dict(entry)
    if recognized and row is not None:
        taken = {f: details[f] for f in ("kind", "issuer", "doc_number", "version_date") if origin[f] == "manifest"}
        entry["recognized"] = {"doc_id": row.doc_id, "title": row.title, "from_manifest": taken}
        listed_words = "，".join(f"{FIELD_NAMES[f][0]} {v}" for f, v in taken.items() if f != "kind")
        notes.insert(0, _note(
            f"已识别为清单中的《{row.title}》（{row.doc_id}）：标题与该办法一致"
            + (f"，原文文号 {details['doc_number']} 与清单一致" if origin["doc_number"] == "text" else "")
            + (f"；{listed_words} 取自语料清单，不是从文件中读出的" if listed_words else "")
            + f"。如果这不是正式文本，请运行 rongzhi corpus remove {row.doc_id}。",
            f"recognized as the listed 《{row.title}》 ({row.doc_id}): the title matches"
            + (f"; {', '.join(f'{FIELD_NAMES[f][1]} {v}' for f, v in taken.items() if f != 'kind')} come from the "
               "corpus manifest, not from the file" if taken else "")
            + f". If this is not the official text, run `rongzhi corpus remove {row.doc_id}`."))
    if stated:
        entry["stated"] = {f: {"value": v, "words": w} for f, (v, w) in stated.items()}
        read = {f: vw for f, vw in stated.items() if origin[f] == "text"}
        if read:
            notes.append(_note("从原文读出：" + "；".join(f"{FIELD_NAMES[f][0]} {v}" + (f"（「{w}」）" if w != v else "")
                                                    for f, (v, w) in read.items()),
                               "read from the text: " + "; ".join(f"{FIELD_NAMES[f][1]} {v} ({w})"
                                                                  for f, (v, w) in read.items())))
        for f, (v, w) in stated.items():
            if origin[f] == "option" and not details[f]:
                notes.append(_note(f"原文写明「{w}」，按 {OPTIONS[f]} \"\" 未记录（{FIELD_NAMES[f][0]} 留空）。",
                                   f"the text says {w!r}; {FIELD_NAMES[f][1]} left blank as {OPTIONS[f]} \"\" asks"))
    if clash:
        entry["replaced"] = [{"doc_id": e["doc_id"], "title": e["title"], "source": e["source"]} for e in clash]
        old = next((e for e in clash if e["doc_id"] == doc_id), clash[0])
        entry["changes"] = [{"field": f, "from": old.get(f, ""), "to": entry[f]} for f in (*DETAILS, "role")
                            if old.get(f, "") != entry[f]]
        if _read_added(folder / old["file"]) != text:
            entry["changes"].append({"field": "text", "from": old["source"].removeprefix("added:"), "to": file.name})
    entry["notes"] = notes
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (stored["file"] + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(folder / stored["file"])
    gone = {e["doc_id"] for e in clash} | {doc_id}
    for old in clash:
        if old["file"] != stored["file"]:
            (folder / old["file"]).unlink(missing_ok=True)
    save_registry(settings, [{k: v for k, v in e.items() if k not in TRANSIENT}
                             for e in registry if e["doc_id"] not in gone] + [stored])
    return entry


def _check_kind(settings: Settings, kind: str) -> str:
    """``kind`` as the manifest spells it (a Traditional spelling is folded), or UnknownValue listing
    the kinds there are."""
    from rongzhi.core.errors import UnknownValue
    from rongzhi.core.normalize import to_simplified_display

    kinds = known_kinds(settings)
    folded = {to_simplified_display(k): k for k in kinds}
    match = folded.get(to_simplified_display(kind.strip()))
    if match is None:
        raise UnknownValue(f"未知的类型 --kind {kind}。可用的类型：{'、'.join(kinds)}（不确定时不给 --kind，即为“{USER_KIND}”）。",
                           f"unknown kind --kind {kind}; valid kinds: {', '.join(kinds)} (leave it out for {USER_KIND})")
    return match


def describe_changes(entry: dict) -> list[str]:
    """What ``corpus add --replace`` changed, one Chinese line per field (CLI and web UI)."""
    lines = []
    for change in entry.get("changes", []):
        if change["field"] == "text":
            lines.append(f"正文：{change['from']} → {change['to']}")
            continue
        name = FIELD_NAMES.get(change["field"], (change["field"],))[0]
        lines.append(f"{name}：{change['from'] or '（无）'} → {change['to'] or '（无）'}")
    return lines


def _same_details(old: dict, new: dict) -> bool:
    """The same text with the same title and dates: with --replace, a changed date (a mistyped
    --expires-on) is a change to make, not "nothing to do"."""
    return all(old.get(k, "") == new.get(k, "") for k in DETAILS)


def _check_date_order(details: dict, origin: dict, stated: dict) -> None:
    """A text takes effect on or after it is issued, and ends after it takes effect (the CLI sweep: an
    expiry typed as 2020-01-01 for a 2022 text was accepted and then called 「原文写明」). Each date
    is named as the user gave it: the option, or the text's own words."""
    from rongzhi.core.versions import date_int

    def named(field: str) -> tuple[str, str]:
        value = details[field]
        if origin[field] == "text":
            return f"原文「{stated[field][1]}」（{value}）", f"the text's {stated[field][1]} ({value})"
        return f"{OPTIONS[field]} {value}", f"{OPTIONS[field]} {value}"

    version_date, effective_date, expires_on = (details[f] for f in ("version_date", "effective_date", "expires_on"))
    issued = version_date if version_date and len(version_date) == 10 else None
    if issued and effective_date and date_int(effective_date) < date_int(issued):
        (zh, en), (vzh, ven) = named("effective_date"), named("version_date")
        raise DocumentError(f"{zh} 早于 {vzh}：文件不能在公布前施行。", f"{en} is before {ven}")
    start = effective_date or issued
    if start and expires_on and date_int(expires_on) < date_int(start):
        zh, en = named("expires_on")
        raise DocumentError(f"{zh} 早于施行日期 {start}：请检查日期。", f"{en} is before the start date {start}")


def _read_added(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


@contextmanager
def _stops_unwind():
    """While a corpus change is in flight, SIGTERM and SIGHUP (``kill``, a closed terminal, a
    service stop) raise SystemExit instead of ending the process on the spot, so that
    :func:`corpus_change` can undo the half-made change. Without it a stopped ``corpus add`` left
    its entry registered with 0 blocks (session 23's CLI sweep). Signal handlers can only be set
    from the main thread; the web UI's workers keep the process's own handling."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        sys.stderr.write("已中断：文档未添加或移除，语料保持原样。/ interrupted: the corpus is left as it was.\n")
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def corpus_change(settings: Settings):
    """Undo an add or remove when what follows it (the re-index) fails or is stopped: the
    registry and the added files are put back as they were, so a failed ``corpus add`` leaves
    nothing behind."""
    folder = settings.data_dir / "added"
    before_registry = registry_path(settings).read_bytes() if registry_path(settings).exists() else None
    before_files = {f.name: f.read_bytes() for f in folder.glob("*.txt")} if folder.is_dir() else {}
    try:
        with _stops_unwind():
            yield
    except BaseException:
        if before_registry is None:
            registry_path(settings).unlink(missing_ok=True)
        else:
            registry_path(settings).write_bytes(before_registry)
        if folder.is_dir():
            for f in folder.glob("*.txt"):
                if f.name not in before_files:
                    f.unlink(missing_ok=True)
        for name, data in before_files.items():
            if not (folder / name).exists() or (folder / name).read_bytes() != data:
                (folder / name).write_bytes(data)
        raise


def remove_document(settings: Settings, doc_id: str) -> bool:
    registry = load_registry(settings)
    kept = [e for e in registry if e["doc_id"] != doc_id]
    if len(kept) == len(registry):
        return False
    for entry in registry:
        if entry["doc_id"] == doc_id:
            (settings.data_dir / "added" / entry["file"]).unlink(missing_ok=True)
    save_registry(settings, kept)
    return True
