"""Split RCEP's intellectual-property chapter (English, extracted from the signed PDF).

Structure: ``SECTION A`` … ``SECTION N`` (and ``SUBSECTION 1`` … inside Section J) are the
section path; each ``Article 11.N: Title`` is one unit (locator ``第11.N条``, the English title
kept as ``heading``); Annex 11A and 11B are units of their own (``附件11A`` / ``附件11B``). A long
article is cut at its numbered paragraphs (``1.``, ``2.`` …; an overlong paragraph before its
items ``(a)``, ``(b)`` …) into parts that keep the locator, like a law article's 款; the annexes
are cut before each party's table.

The file is kept exactly as extracted (see the treaty directory's README), so the extraction
artefacts are cleaned here, never in the file: ``=== PDF page N ===`` markers, printed page
numbers (``11-1``, ``11A-2``) on their own lines, hard line breaks inside sentences, and footnote
numbers glued to the word before them (``decisions17``). Footnote texts sit at the page bottoms,
often inside the next article; each is attached to the unit (or part) whose text calls it.

``Chunk.text`` stays exactly ``source[start:end]`` (citations point into the original file).
What is shown (``display_text``) is the cleaned text: paragraphs on their own lines, footnotes
appended as ``Footnote N: …``. What is matched and embedded (``norm``) is the same plus one line
of Chinese terms for the English terms the unit uses (``ingest/data/treaty_terms.tsv``): there is
no Chinese text of the chapter, and without them a Chinese question meets it only through the
dense model's weak cross-language matching.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields

from rongzhi.core.chunks import Chunk

from .treaty_terms import gloss

TREATY_KIND = "国际条约"
PAGE_MARKER = re.compile(r"^=== PDF page \d+ ===$")
PAGE_NUMBER = re.compile(r"^11[AB]?-\d+$")
SECTION = re.compile(r"^SECTION ([A-Z])$")
SUBSECTION = re.compile(r"^SUBSECTION (\d+)$")
ARTICLE = re.compile(r"^Article 11\.(\d+):\s*(.*)$")
ANNEX = re.compile(r"^ANNEX 11([AB])$")
FOOTNOTE_START = re.compile(r"^(\d{1,2}) (?=\S)")
PARAGRAPH = re.compile(r"^\d{1,2}\.\s+\S")  # 1. Each Party shall …
ITEM = re.compile(r"^\((?:[a-z]|[ivx]+)\)\s")  # (a) … / (iv) …
PARTY = re.compile(r"^(?:Cambodia|Lao PDR|Malaysia|Myanmar|Philippines|Thailand|Viet Nam|Brunei Darussalam|"
                   r"Indonesia|Singapore|Australia|China|Japan|Korea|New Zealand):$")
# Annex tables lose their columns in extraction: a cell that starts a provision or a period
# starts a new display line.
ANNEX_CELL = re.compile(r"^(?:Subparagraphs? |Paragraph \d|Article 11\.\d+ \(|Section [A-Z] \(|Provisions Transition|"
                        r"Related Provisions|(?:\d+|Three|Five|Ten) years)")
# A footnote number glued to what precedes it: a letter or closing punctuation, or ", " after
# another call (broadcasts.7, 8).
CALL = re.compile(r"(?<=[A-Za-z.,;:)”’\"])(?<!\d\.)(\d{1,2})(?![\dA-Za-z(])")
CALL_AFTER_CALL = re.compile(r"^, ?(\d{1,2})(?![\dA-Za-z(])")
# Cleaned English is much longer than Chinese for the same content: parts may be this many
# times the law parts' ``max_chars``.
ENGLISH_FACTOR = 3
_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with", "against",
                "under", "within", "without"}


@dataclass
class Line:
    text: str  # stripped line, footnote calls still in it
    start: int
    end: int
    blank_before: bool  # a blank line separates it from the previous body line
    calls: list[tuple[int, int, int]] = field(default_factory=list)  # (footnote n, start, end) in text


@dataclass
class Unit:
    locator: str
    heading: str
    section_path: list[str]
    head: list[Line]  # the heading lines (Article 11.N: … / ANNEX 11A + its title)
    body: list[Line] = field(default_factory=list)
    extra_calls: list[int] = field(default_factory=list)  # footnotes called from a section heading


def locator_for(number: int | str) -> str:
    return f"第11.{number}条"


def split_treaty(text: str, doc: dict, source_path: str, max_chars: int = 400) -> list[Chunk]:
    lines, footnotes = _scan(text)
    units = _units(lines)
    limit = max_chars * ENGLISH_FACTOR
    chunk_fields = {f.name for f in fields(Chunk)}
    common = {k: doc[k] for k in ("version_date", "effective_date", "superseded_on", "status")
              if k in chunk_fields and doc.get(k) is not None and k in doc}
    chunks: list[Chunk] = []
    for unit in units:
        groups = _pieces(unit, limit)
        for part_no, group in enumerate(groups, start=1):
            first = unit.head[0] if part_no == 1 else group[0]
            start, end = first.start, (group[-1] if group else unit.head[-1]).end
            called = [n for line in group for n, _, _ in line.calls]
            if part_no == 1:
                called = unit.extra_calls + [n for line in unit.head for n, _, _ in line.calls] + called
            shown = _display(group, unit.locator.startswith("附件"))
            notes = [f"Footnote {n}: {footnotes[n]}" for n in dict.fromkeys(called) if n in footnotes]
            shown = "\n".join([shown, *notes]).strip()
            chunks.append(Chunk(doc_id=doc["doc_id"], title=doc["title"], kind=doc["kind"], locator=unit.locator,
                                text=text[start:end], start=start, end=end, source_path=source_path,
                                section_path=list(unit.section_path), heading=unit.heading,
                                part=part_no if len(groups) > 1 else 0, ordinal=len(chunks), norm=shown,
                                display_text=shown, **common))
    # Matching only: the Chinese terms for the English ones a unit uses (ingest/data/treaty_terms.tsv).
    for chunk, terms in zip(chunks, gloss([(c.heading, c.display_text) for c in chunks])):
        if terms:
            chunk.norm = f"{chunk.display_text}\n{' '.join(terms)}"
    return chunks


# -- scanning: artefacts out, footnotes collected, calls located ------------------------------
def _scan(text: str) -> tuple[list[Line], dict[int, str]]:
    """Body lines (page markers, printed page numbers and footnote texts removed) and the
    footnote texts by number. Footnotes are numbered 1, 2, 3 … through the chapter, so a line is
    a footnote's first line only when it carries the next expected number; the footnote area
    runs to the page marker."""
    body: list[Line] = []
    footnotes: dict[int, list[str]] = {}
    next_note, in_notes, blank = 1, False, False
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        start = pos + (raw.index(stripped) if stripped else 0)
        pos += len(raw) + 1
        if PAGE_MARKER.match(stripped):
            in_notes, blank = False, False
            continue
        if not stripped:
            blank = True
            if in_notes:
                footnotes[next_note - 1].append("")
            continue
        if PAGE_NUMBER.match(stripped):
            blank = False  # the blank around a page break is not a paragraph break
            continue
        m = FOOTNOTE_START.match(stripped)
        if m and int(m.group(1)) == next_note and raw[:1].isspace():
            in_notes = True
            footnotes[next_note] = [stripped[m.end():]]
            next_note += 1
            continue
        if in_notes:
            footnotes[next_note - 1].append(stripped)
            continue
        body.append(Line(stripped, start, start + len(stripped), blank_before=blank))
        blank = False
    _locate_calls(body, max(footnotes, default=0))
    return body, {n: _join_blocks(parts) for n, parts in footnotes.items()}


def _locate_calls(body: list[Line], last: int) -> None:
    """Footnote calls in reading order: the first glued number equal to the next expected one."""
    expected = 1
    for line in body:
        pos = 0
        while expected <= last:
            m = CALL.search(line.text, pos)
            while m and int(m.group(1)) != expected:
                m = CALL.search(line.text, m.end())
            if not m:
                break
            line.calls.append((expected, m.start(1), m.end(1)))
            expected += 1
            pos = m.end()
            follow = CALL_AFTER_CALL.match(line.text[pos:])
            while follow and int(follow.group(1)) == expected:
                line.calls.append((expected, pos + follow.start(1), pos + follow.end(1)))
                expected += 1
                pos += follow.end()
                follow = CALL_AFTER_CALL.match(line.text[pos:])


def _clean_line(line: Line) -> str:
    """The line without its footnote calls (and the ", " between two calls)."""
    out, pos = [], 0
    for _, a, b in line.calls:
        if line.text[pos:a].strip() in (",", ""):
            out.append(line.text[pos:a].replace(",", "") if out else line.text[pos:a])
        else:
            out.append(line.text[pos:a])
        pos = b
    out.append(line.text[pos:])
    return "".join(out).strip()


def _join(parts: list[str]) -> str:
    """Hard line breaks -> spaces; a line ending in a hyphen joins the next without one."""
    out = ""
    for part in parts:
        if not out:
            out = part
        elif out.endswith("-"):
            out += part
        else:
            out += " " + part
    return re.sub(r"[ \t]{2,}", " ", out).strip()


def _join_blocks(parts: list[str]) -> str:
    """Footnote lines: blank lines separate paragraphs, joined with a space."""
    blocks, current = [], []
    for part in parts + [""]:
        if part:
            current.append(part)
        elif current:
            blocks.append(_join(current))
            current = []
    return " ".join(blocks)


# -- structure ---------------------------------------------------------------------------------
def _title_case(caps: str) -> str:
    words = caps.lower().split()
    return " ".join(w if i and w in _SMALL_WORDS else "-".join(p[:1].upper() + p[1:] for p in w.split("-"))
                    for i, w in enumerate(words))


def _heading_lines(lines: list[Line], i: int) -> int:
    """Index after the lines continuing a heading (up to the next blank line)."""
    j = i + 1
    while j < len(lines) and not lines[j].blank_before:
        j += 1
    return j


def _units(lines: list[Line]) -> list[Unit]:
    units: list[Unit] = []
    section: str | None = None
    subsection: str | None = None
    pending_calls: list[int] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if m := SECTION.match(line.text):
            j = _heading_lines(lines, i + 1) if i + 1 < len(lines) else i + 1
            title = _join([_clean_line(x) for x in lines[i + 1:j]])
            section, subsection = f"Section {m.group(1)}: {_title_case(title)}", None
            pending_calls = [n for x in lines[i + 1:j] for n, _, _ in x.calls]
            i = j
            continue
        if m := SUBSECTION.match(line.text):
            j = _heading_lines(lines, i + 1) if i + 1 < len(lines) else i + 1
            title = _join([_clean_line(x) for x in lines[i + 1:j]])
            subsection = f"Subsection {m.group(1)}: {_title_case(title)}"
            pending_calls += [n for x in lines[i + 1:j] for n, _, _ in x.calls]
            i = j
            continue
        if m := ARTICLE.match(line.text):
            j = _heading_lines(lines, i)
            head = lines[i:j]
            title = _join([_clean_line(Line(m.group(2), 0, 0, False, [(n, a - m.start(2), b - m.start(2))
                                                                      for n, a, b in line.calls]))]
                          + [_clean_line(x) for x in head[1:]])
            path = [p for p in (section, subsection) if p]
            units.append(Unit(locator_for(m.group(1)), title, path, head, extra_calls=pending_calls))
            pending_calls = []
            i = j
            continue
        if m := ANNEX.match(line.text):
            # ANNEX 11A, then (after a blank line) its title in capitals.
            j = _heading_lines(lines, i + 1) if i + 1 < len(lines) else i + 1
            title = _title_case(_join([x.text for x in lines[i + 1:j]]))
            units.append(Unit(f"附件11{m.group(1)}", title, [], lines[i:j]))
            section = subsection = None
            i = j
            continue
        if units:
            units[-1].body.append(line)
        i += 1  # the chapter's own heading (CHAPTER 11 / INTELLECTUAL PROPERTY) precedes any unit
    return units


# -- parts and display -------------------------------------------------------------------------
def _blocks(lines: list[Line], annex: bool) -> list[list[Line]]:
    """Top-level paragraphs: a numbered paragraph (1., 2. …) with its items and any unnumbered
    tail; in an annex, each party's table."""
    blocks: list[list[Line]] = []
    for line in lines:
        starts = PARTY.match(line.text) if annex else (PARAGRAPH.match(line.text) and line.blank_before)
        if starts or not blocks:
            blocks.append([line])
        else:
            blocks[-1].append(line)
    return blocks


def _length(lines: list[Line]) -> int:
    return sum(len(x.text) + 1 for x in lines)


def _pieces(unit: Unit, limit: int) -> list[list[Line]]:
    """Body lines grouped into parts of at most ~limit characters, cut only between
    paragraphs; a paragraph alone over the limit is cut before its items."""
    annex = unit.locator.startswith("附件")
    if _length(unit.body) <= limit:
        return [unit.body]
    units: list[list[Line]] = []
    for block in _blocks(unit.body, annex):
        if _length(block) <= limit or annex:
            units.append(block)
            continue
        current: list[Line] = []
        for line in block:
            if ITEM.match(line.text) and line.blank_before and current:
                units.append(current)
                current = []
            current.append(line)
        units.append(current)
    pieces: list[list[Line]] = []
    for block in units:
        if pieces and _length(pieces[-1]) + _length(block) <= limit:
            pieces[-1] = pieces[-1] + block
        else:
            pieces.append(list(block))
    return pieces


def _display(lines: list[Line], annex: bool = False) -> str:
    """Readable text: one line per paragraph or item (hard breaks joined), calls removed."""
    paragraphs: list[list[str]] = []
    for line in lines:
        new = line.blank_before or ITEM.match(line.text) or PARAGRAPH.match(line.text) or (
            annex and (PARTY.match(line.text) or ANNEX_CELL.match(line.text)))
        if new or not paragraphs:
            paragraphs.append([])
        paragraphs[-1].append(_clean_line(line))
    return "\n".join(_join(p) for p in paragraphs if p)


def count_articles(chunks: list[Chunk]) -> int:
    return len({c.locator for c in chunks if not c.locator.startswith("附件")})
