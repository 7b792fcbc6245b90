"""Split the Fuzhou plan by its real structure: targets, 22 tasks in 7 sections, the validity clause.

The supplied file is a web page copy: everything before 主要目標 except the release note, and the
trailing 相關詞條/熱門詞條/聯絡我們 links, is boilerplate and is not indexed. Offsets always point
into the unmodified file, so every quote is the original text.
"""
from __future__ import annotations

import re

from rongzhi.core.chunks import Chunk, iter_lines
from rongzhi.core.numerals import CN_NUMERAL_CHARS, cn_to_int

BOILERPLATE_LINES = ("基本介紹", "中文名", "頒布時間", "發布時間,內容解讀", "相關詞條", "熱門詞條", "聯絡我們",
                     "基本介绍", "相关词条", "热门词条", "联系我们")
_SECTION = re.compile(rf"^[（(]([{CN_NUMERAL_CHARS}]+)[)）]\s*(.+)$")
_TASK_NO = re.compile(r"^(\d{1,2})$")
_TARGETS = re.compile(r"^主要[目][標标]$")
_TASKS_HEAD = re.compile(r"^重[點点]任[務务]$")
_HORIZON = re.compile(r"^(到|至)\d{4}年(\d{1,2}月|末|底)?$")
_VALIDITY = re.compile(r"^(本方案自印[發发]之日起施行|有效期至.+)$")
_RELEASE = re.compile(r"^\d{4}年\d{1,2}月,《.+》印[發发]。$")

LOC_TARGETS = "主要目标"
LOC_VALIDITY = "施行与有效期"
LOC_RELEASE = "发布信息"


def split_plan(text: str, doc: dict, source_path: str) -> list[Chunk]:
    """``doc`` holds doc_id, title, kind, version_date, status from the corpus manifest."""
    lines = list(iter_lines(text))
    chunks: list[Chunk] = []

    def add(locator, start, end, section=None, heading="", part=0):
        chunks.append(Chunk(doc_id=doc["doc_id"], title=doc["title"], kind=doc["kind"], locator=locator,
                            text=text[start:end], start=start, end=end, source_path=source_path,
                            version_date=doc.get("version_date", ""), effective_date=doc.get("effective_date", ""),
                            superseded_on=doc.get("superseded_on", ""),
                            section_path=[section] if section else [], heading=heading, part=part,
                            ordinal=len(chunks)))

    i, n = 0, len(lines)
    section = None
    while i < n:
        line, start, end = lines[i]
        if _RELEASE.match(line):
            add(LOC_RELEASE, start, end)
        elif _TARGETS.match(line):
            j = i + 1
            while j < n and not _TASKS_HEAD.match(lines[j][0]):
                j += 1
            # One part per time horizon (到2025年6月 goal, 至2025年末 figures), same locator.
            starts = [k for k in range(i + 1, j) if _HORIZON.match(lines[k][0])] or [i + 1]
            starts[0] = i  # the first part carries the 主要目標 heading
            for part, (a, b) in enumerate(zip(starts, starts[1:] + [j]), start=1):
                add(LOC_TARGETS, lines[a][1], lines[b - 1][2], part=part if len(starts) > 1 else 0)
            i = j
            continue
        elif (m := _SECTION.match(line)) and section_ok(m):
            section = line
        elif _TASK_NO.match(line) and i + 2 < n and section:
            number = int(line)
            title_line = lines[i + 1]
            body_end = lines[i + 2][2]
            # The quote starts at the task title; the bare number line is layout, not text.
            add(f"任务{number}", title_line[1], body_end, section=section, heading=title_line[0])
            i += 3
            continue
        elif _VALIDITY.match(line):
            j = i
            while j + 1 < n and _VALIDITY.match(lines[j + 1][0]):
                j += 1
            add(LOC_VALIDITY, start, lines[j][2])
            i = j + 1
            continue
        i += 1
    return chunks


def section_ok(match: re.Match) -> bool:
    try:
        return 1 <= cn_to_int(match.group(1)) <= 20
    except ValueError:
        return False
