"""Which documents RongZhi knows of, where their text is, and whether it is loaded.

Three sources, merged here and nowhere else:
- ``corpus/manifest.tsv`` (committed): the plan, the not-yet-available special-fund measures, the
  36 laws and RCEP's IP chapter with their metadata; ``source`` is ``corpus:FILE``, ``laws:FILE`` or
  ``treaties:FILE``; ``splitter`` names the structure-aware splitter (plan / law / treaty);
- the law and treaty directories (``Settings.law_dir``, ``Settings.treaty_dir``), read in place and
  never copied into the repo;
- documents users added with ``rongzhi corpus add`` (``DATA_DIR/added/registry.json``).

Documents sharing a title are versions of one text. Each has a version (promulgation) date and
an effective date (blank: the version date); ``superseded_on`` is the start of the next version,
computed here from all loaded versions. The status (in force / superseded / not yet in force) is
computed for an as-of date by ``core.versions`` (``Document.status`` holds it for
``Settings.as_of``; the ``status`` column of the manifest is ignored).
"""
from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from rongzhi.core.errors import DocumentError
from rongzhi.core.settings import Settings
from rongzhi.core.roles import LEGACY_DOC_IDS, MEASURES, PLAN
from rongzhi.core.versions import IN_FORCE, NOT_LOADED, NOT_YET_IN_FORCE, SUPERSEDED, date_int, describe, successions

STATUS_CURRENT = IN_FORCE
STATUS_SUPERSEDED = SUPERSEDED
STATUS_NOT_LOADED = NOT_LOADED
STATUS_NOT_YET_IN_FORCE = NOT_YET_IN_FORCE
DATE_FIELDS = ("effective_date", "repealed_on", "expires_on")  # read beside MANIFEST_FIELDS; blank when absent
# A document repealed by one RongZhi does not hold (so no loaded version supersedes it): from
# ``repealed_on`` it stops answering like any superseded version, and its label names ``replaced_by``.
OPTIONAL_FIELDS = ("replaced_by",)
MANIFEST_FIELDS = ("doc_id", "title", "kind", "issuer", "doc_number", "version_date", "status", "source", "splitter",
                   "role")
# What a document is *for* in answers (core/roles.py): the plan, the special-fund measures, or
# blank for every other document (laws, treaties, user additions).
ROLES = ("plan", "measures", "")
SPLITTERS = ("plan", "law", "treaty")
USER_KIND = "用户添加"  # the kind of an added document when none is given
# The shipped manifest's ids for the two roles. Code asks for a role (core/roles.py); these remain
# for manifests without the splitter column and for tests that name the shipped documents.
PLAN_DOC_ID = LEGACY_DOC_IDS[PLAN]
MEASURES_DOC_ID = LEGACY_DOC_IDS[MEASURES]


@dataclass
class Document:
    doc_id: str
    title: str
    kind: str
    issuer: str = ""
    doc_number: str = ""
    version_date: str = ""  # promulgation (or amendment) date of this version
    status: str = STATUS_CURRENT  # computed by load_documents for Settings.as_of
    effective_date: str = ""  # in force from; "" = from version_date
    superseded_on: str = ""  # start of the next version of the same title, or repealed_on; "" = none
    repealed_on: str = ""  # repealed without a loaded successor (manifest column); "" = not repealed
    replaced_by: str = ""  # what replaced it, as the label names it (《…》（2025-04-26 起施行）)
    expires_on: str = ""  # the last day of a term the document sets itself (manifest column); "" = none
    status_label: str = ""  # 现行有效 / 已被修订（…起由新版本取代）/ 尚未施行（…起施行）/ 未加载
    source: str = ""
    path: str = ""  # resolved file, "" when the text is not available
    note: str = ""  # why a listed document is not loaded
    splitter: str = ""  # plan | law | treaty; the manifest's column, else derived from doc_id
    role: str = ""  # plan | measures | "" (see ROLES)

    def __post_init__(self):
        # Rows without the column (older manifests, user-added documents) keep the old rule.
        if self.splitter not in SPLITTERS:
            self.splitter = "plan" if self.doc_id == PLAN_DOC_ID else "law"
        if self.role not in ROLES:
            self.role = ""

    @property
    def loaded(self) -> bool:
        return bool(self.path)

    def as_dict(self) -> dict:
        return asdict(self)


def registry_path(settings: Settings) -> Path:
    return settings.data_dir / "added" / "registry.json"


def load_registry(settings: Settings) -> list[dict]:
    path = registry_path(settings)
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8"))


def save_registry(settings: Settings, entries: list[dict]) -> None:
    path = registry_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)


def _resolve(source: str, settings: Settings) -> tuple[str, str]:
    """(path, note) for a manifest source string."""
    if not source:
        return "", "全文未获取，尚未加载 / full text not available"
    scheme, _, name = source.partition(":")
    dirs = {"corpus": settings.corpus_dir, "laws": settings.law_dir, "treaties": settings.treaty_dir}
    base = dirs.get(scheme)
    if base is None:
        return "", f"未知来源 {source}"
    path = base / name
    if path.is_file():
        return str(path), ""
    if scheme == "laws" and not settings.law_dir.is_dir():
        return "", f"法律文本目录不存在：{settings.law_dir}（用 --law-dir 或 RONGZHI_LAW_DIR 指定）"
    if scheme == "treaties" and not settings.treaty_dir.is_dir():
        return "", f"条约文本目录不存在：{settings.treaty_dir}（用 --treaty-dir 或 RONGZHI_TREATY_DIR 指定）"
    return "", f"文件缺失：{path}"


def _manifest_file(settings: Settings) -> Path:
    """``corpus/manifest.tsv``, or a clear error when the corpus directory is wrong (the sweep: a
    mistyped directory must say so, not surface as a raw "No such file")."""
    folder = settings.corpus_dir
    if not folder.is_dir():
        raise DocumentError(f"语料目录不存在：{folder}（用 --corpus-dir 或 RONGZHI_CORPUS_DIR 指定）",
                            f"corpus directory not found: {folder} (set --corpus-dir or RONGZHI_CORPUS_DIR)")
    path = folder / "manifest.tsv"
    if not path.is_file():
        raise DocumentError(f"语料目录中没有清单 manifest.tsv：{folder}（用 --corpus-dir 或 RONGZHI_CORPUS_DIR 指定正确的目录）",
                            f"no manifest.tsv in the corpus directory {folder} (set --corpus-dir or RONGZHI_CORPUS_DIR)")
    return path


def load_manifest(settings: Settings) -> dict[str, Document]:
    """The committed manifest's documents alone (no user additions), paths resolved."""
    docs: dict[str, Document] = {}
    with open(_manifest_file(settings), encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            doc = Document(**{k: (row.get(k) or "").strip() for k in MANIFEST_FIELDS + DATE_FIELDS + OPTIONAL_FIELDS})
            doc.path, doc.note = _resolve(doc.source, settings)
            docs[doc.doc_id] = doc
    return docs


def known_kinds(settings: Settings) -> list[str]:
    """The document kinds RongZhi knows: the manifest's (法律, 行政法规, 地方规范性文件 …) and
    用户添加. ``corpus add --kind`` must be one of them: a made-up kind (小说类) became a valid
    ``ask --kind`` filter (the new-user sweep)."""
    return list(dict.fromkeys([*(d.kind for d in load_manifest(settings).values() if d.kind), USER_KIND]))


def load_documents(settings: Settings) -> list[Document]:
    """Every known document with its resolved path and effective status."""
    docs = load_manifest(settings)
    for entry in load_registry(settings):
        doc = Document(**{k: entry.get(k, "") for k in MANIFEST_FIELDS + DATE_FIELDS})
        added = settings.data_dir / "added" / entry["file"]
        doc.path = str(added) if added.is_file() else ""
        doc.note = "" if doc.path else f"文件缺失：{added}"
        if not doc.role and doc.doc_id in docs:
            doc.role = docs[doc.doc_id].role  # registries written before the role column
        docs[doc.doc_id] = doc  # an added text replaces a "not loaded" manifest entry
    result = list(docs.values())
    mark_versions(result, settings.as_of_date)
    return result


# Where each manifest scheme reads from: (setting, what it is, its option, its environment variable).
_SOURCE_DIRS = {"corpus": ("corpus_dir", "语料目录", "corpus directory", "--corpus-dir", "RONGZHI_CORPUS_DIR"),
                "laws": ("law_dir", "法律文本目录", "law directory", "--law-dir", "RONGZHI_LAW_DIR"),
                "treaties": ("treaty_dir", "条约文本目录", "treaty directory", "--treaty-dir", "RONGZHI_TREATY_DIR")}
DIR_MANIFEST = "MANIFEST.tsv"  # a law (or treaty) directory's own list of its files, when it has one


def check_sources(settings: Settings, docs: list[Document]) -> None:
    """Refuse to index from a wrong place. The sweep: ``RONGZHI_LAW_DIR=/nonexistent rongzhi ingest``
    exited 0 after replacing the index with the plan alone, and every law then answered nothing.
    An error (exit 2, the index left as it was) when a directory the manifest reads from is missing,
    holds none of the files listed for it, or its own ``MANIFEST.tsv`` lists files that are not
    there (a partial copy). A directory may hold a subset of the corpus manifest's laws (its own
    ``MANIFEST.tsv`` says which): those not there are listed as 未加载."""
    problems: list[tuple[str, str]] = []
    for scheme, (attr, what, what_en, option, env) in _SOURCE_DIRS.items():
        listed = [d for d in docs if d.source.partition(":")[0] == scheme]
        if not listed:
            continue
        folder: Path = getattr(settings, attr)
        hint, hint_en = f"（用 {option} 或 {env} 指定）", f" (set {option} or {env})"
        if not folder.is_dir():
            problems.append((f"{what}不存在：{folder}{hint}", f"{what_en} not found: {folder}{hint_en}"))
            continue
        own = folder / DIR_MANIFEST
        if scheme != "corpus" and own.is_file():  # (the corpus directory's own list is manifest.tsv itself)
            with open(own, encoding="utf-8", newline="") as fh:
                names = [(row.get("file") or "").strip() for row in csv.DictReader(fh, delimiter="\t")]
            absent = [n for n in names if n and not (folder / n).is_file()]
            if absent:
                shown = "、".join(absent[:5]) + (f" 等 {len(absent)} 个" if len(absent) > 5 else "")
                problems.append((f"{what} {folder} 的 {DIR_MANIFEST} 列出的文件缺失：{shown}（目录不完整？）",
                                 f"{DIR_MANIFEST} of the {what_en} {folder} lists {len(absent)} missing file(s): "
                                 f"{', '.join(absent[:5])}"))
                continue
        if scheme == "corpus":
            absent = [d.source.partition(":")[2] for d in listed if not d.loaded]
            if absent:
                problems.append((f"{what} {folder} 缺少清单所列的文件：{'、'.join(absent)}",
                                 f"the {what_en} {folder} lacks the listed file(s): {', '.join(absent)}"))
        elif not any(d.loaded for d in listed):
            problems.append((f"{what}中没有清单所列的任何文件（目录为空或不是{what}）：{folder}{hint}",
                             f"the {what_en} holds none of the listed files (empty, or not the {what_en}): "
                             f"{folder}{hint_en}"))
    if problems:
        raise DocumentError("；".join(zh for zh, _ in problems) + "。没有建立新索引，现有索引保持不变。",
                            "; ".join(en for _, en in problems) + ". No index was built; the current index is unchanged.")


def mark_versions(docs: list[Document], as_of: str | None = None) -> None:
    """Set ``superseded_on`` from the loaded versions of each title (or the repeal, whichever comes
    first), then the status on ``as_of``."""
    by_title: dict[str, list[Document]] = {}
    for doc in docs:
        if doc.loaded:
            by_title.setdefault(doc.title, []).append(doc)
    for versions in by_title.values():
        ends = successions([d.as_dict() for d in versions])
        for doc in versions:
            doc.superseded_on = ends[doc.doc_id]
            if doc.repealed_on and (not doc.superseded_on or date_int(doc.repealed_on) < date_int(doc.superseded_on)):
                doc.superseded_on = doc.repealed_on
    for doc in docs:
        if not doc.loaded:
            doc.superseded_on = ""
        state = describe({**doc.as_dict(), "loaded": doc.loaded}, as_of)
        doc.status, doc.status_label = state["status"], state["status_label"]
