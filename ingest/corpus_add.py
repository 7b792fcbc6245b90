"""``rongzhi corpus add FILE``: bring a user's document into the corpus, then re-ingest.

The text is extracted (txt/md/docx/pdf/html; UTF-8, GBK or Big5) and stored as UTF-8 under
``DATA_DIR/added/`` with a name derived from the doc_id's hash, so no user-supplied name ever
becomes a path. A file recognized as the special-fund measures takes their manifest entry.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from rongzhi.core.errors import DocumentError
from .manifest import MEASURES_DOC_ID, STATUS_CURRENT, load_documents, load_registry, save_registry
from .readers import read_document
from rongzhi.core.settings import Settings

_DOC_ID_OK = re.compile(r"^(?!.*\.\.)[\w@\-][\w.@\-]{0,79}$")


def _guess_title(text: str, path: Path) -> str:
    for line in text.split("\n"):
        line = line.strip().lstrip("#").strip().strip("《》")
        if 4 <= len(line) <= 80:
            return line
    return path.stem[:80]


def add_document(settings: Settings, file: Path, doc_id: str | None = None, title: str | None = None,
                 kind: str | None = None, version_date: str | None = None, issuer: str = "",
                 doc_number: str = "") -> dict:
    """Validate and store the document; return its registry entry. Nothing is written when the
    file cannot be read."""
    file = Path(file)
    text = read_document(file, max_bytes=settings.max_upload_bytes)
    known = {d.doc_id: d for d in load_documents(settings)}
    guessed = _guess_title(text, file)
    if doc_id is None and any(w in (title or guessed) for w in ("专项资金管理办法", "專項資金管理辦法")):
        doc_id = MEASURES_DOC_ID
    doc_id = doc_id or "added-" + hashlib.sha1((title or guessed).encode("utf-8")).hexdigest()[:10]
    if not _DOC_ID_OK.match(doc_id):
        raise DocumentError(f"doc_id 只能包含字母、数字、汉字和 . @ - _：{doc_id!r}",
                            f"doc_id may contain only letters, digits, CJK and . @ - _: {doc_id!r}")
    base = known.get(doc_id)
    entry = {"doc_id": doc_id, "title": (title or (base.title if base else guessed)).strip(),
             "kind": kind or (base.kind if base else "用户添加"),
             "issuer": issuer or (base.issuer if base else ""),
             "doc_number": doc_number or (base.doc_number if base else ""),
             "version_date": version_date or (base.version_date if base else ""),
             "status": STATUS_CURRENT, "source": f"added:{file.name}",
             "file": hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:16] + ".txt"}
    folder = settings.data_dir / "added"
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (entry["file"] + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(folder / entry["file"])
    registry = [e for e in load_registry(settings) if e["doc_id"] != doc_id] + [entry]
    save_registry(settings, registry)
    return entry


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
