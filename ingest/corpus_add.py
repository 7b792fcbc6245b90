"""``rongzhi corpus add FILE``: bring a user's document into the corpus, then re-ingest.

The text is extracted (txt/md/docx/pdf/html; UTF-8, GBK or Big5) and stored as UTF-8 under
``DATA_DIR/added/`` with a name derived from the doc_id's hash, so no user-supplied name ever
becomes a path. A file recognized as the special-fund measures takes their manifest entry.
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

from .manifest import STATUS_CURRENT, load_documents, load_registry, registry_path, save_registry
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
                 doc_number: str = "", replace: bool = False, effective_date: str | None = None,
                 expires_on: str | None = None) -> dict:
    """Validate and store the document; return its registry entry. Nothing is written when the
    file cannot be read. A document already added under the same title or doc_id is never
    replaced silently: re-adding the same text changes nothing, a different text needs
    ``replace`` (the entry then says what it replaced)."""
    file = Path(file)
    from rongzhi.core.versions import check_date

    # Checked before anything is read or written: a bad date must not leave a half-added file.
    version_date = check_date(version_date, "--date 日期", partial=True, what_en="--date") if version_date else version_date
    effective_date = (check_date(effective_date, "--effective-date 日期", what_en="--effective-date")
                      if effective_date else effective_date)
    expires_on = check_date(expires_on, "--expires-on 日期", what_en="--expires-on") if expires_on else expires_on
    _check_date_order(version_date, effective_date, expires_on)
    text = read_document(file, max_bytes=settings.max_upload_bytes)
    known = {d.doc_id: d for d in load_documents(settings)}
    guessed = _guess_title(text, file)
    measures = doc_with_role([d.as_dict() for d in known.values()], MEASURES)
    if doc_id is None and measures and any(w in (title or guessed) for w in ("专项资金管理办法", "專項資金管理辦法")):
        doc_id = measures["doc_id"]  # fills the manifest's listed-but-missing measures entry
    doc_id = doc_id or "added-" + hashlib.sha1((title or guessed).encode("utf-8")).hexdigest()[:10]
    if not _DOC_ID_OK.match(doc_id):
        raise DocumentError(f"doc_id 只能包含字母、数字、汉字和 . @ - _：{doc_id!r}",
                            f"doc_id may contain only letters, digits, CJK and . @ - _: {doc_id!r}")
    base = known.get(doc_id)
    registry = load_registry(settings)
    if base is not None and base.path and not any(e["doc_id"] == doc_id for e in registry):
        # A law, the plan or the treaty read from the corpus: a user's file must never take its place
        # (its articles would be quoted under the law's title). A new text of it is another version.
        raise DocumentError(
            f"doc_id {doc_id} 是已收录的《{base.title}》（{base.version_date} 版，来自语料目录），不能用 corpus add 替换。"
            f"要加载它的另一个版本，请用 --title \"{base.title}\" --date 版本日期（不给 --doc-id）。",
            f"doc_id {doc_id} is the loaded 《{base.title}》 ({base.version_date} version, from the corpus) and cannot be "
            f"replaced by corpus add; to load another version of it, pass --title \"{base.title}\" --date VERSION_DATE "
            "(no --doc-id)")
    entry = {"doc_id": doc_id, "title": (title or (base.title if base else guessed)).strip(),
             "kind": kind or (base.kind if base else "用户添加"),
             "issuer": issuer or (base.issuer if base else ""),
             "doc_number": doc_number or (base.doc_number if base else ""),
             "version_date": version_date or (base.version_date if base else ""),
             "effective_date": effective_date or (base.effective_date if base else ""),
             "expires_on": expires_on or (base.expires_on if base else ""),  # a term the text sets itself
             "role": base.role if base else "",  # an added measures text keeps the measures role
             "status": STATUS_CURRENT, "source": f"added:{file.name}",
             "file": hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:16] + ".txt"}
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
    if clash:
        entry["replaced"] = [{"doc_id": e["doc_id"], "title": e["title"], "source": e["source"]} for e in clash]
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (entry["file"] + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(folder / entry["file"])
    gone = {e["doc_id"] for e in clash} | {doc_id}
    for old in clash:
        if old["file"] != entry["file"]:
            (folder / old["file"]).unlink(missing_ok=True)
    save_registry(settings, [e for e in registry if e["doc_id"] not in gone] + [entry])
    return entry


DETAILS = ("title", "kind", "issuer", "doc_number", "version_date", "effective_date", "expires_on")


def _same_details(old: dict, new: dict) -> bool:
    """The same text with the same title and dates: with --replace, a changed date (a mistyped
    --expires-on) is a change to make, not "nothing to do"."""
    return all(old.get(k, "") == new.get(k, "") for k in DETAILS)


def _check_date_order(version_date: str | None, effective_date: str | None, expires_on: str | None) -> None:
    """A text takes effect on or after it is issued, and ends after it takes effect (the CLI sweep: an
    expiry typed as 2020-01-01 for a 2022 text was accepted and then called 「原文写明」)."""
    from rongzhi.core.versions import date_int

    issued = version_date if version_date and len(version_date) == 10 else None
    if issued and effective_date and date_int(effective_date) < date_int(issued):
        raise DocumentError(f"--effective-date {effective_date} 早于 --date {issued}：文件不能在公布前施行。",
                            f"--effective-date {effective_date} is before --date {issued}")
    start = effective_date or issued
    if start and expires_on and date_int(expires_on) < date_int(start):
        raise DocumentError(f"--expires-on {expires_on} 早于施行日期 {start}：请检查日期。",
                            f"--expires-on {expires_on} is before the start date {start}")


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
