"""Word tables are data: tab-separated files with a header row and a reason/source column, '#'
comment lines allowed. One loader for all of them, so every table reads (and fails) alike."""
from __future__ import annotations

import csv
from pathlib import Path


def read_table(path: Path, required: tuple[str, ...]) -> list[dict]:
    """Rows of a TSV table as dicts; raises ValueError naming the file when a column is missing."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader((line for line in fh if line.strip() and not line.startswith("#")),
                                   delimiter="\t"))
    if rows and not set(required) <= set(rows[0]):
        raise ValueError(f"{path}: needs columns {required}, has {tuple(rows[0])}")
    return [{k: (v or "").strip() for k, v in row.items()} for row in rows]
