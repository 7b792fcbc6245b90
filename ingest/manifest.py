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


def load_documents(settings: Settings) -> list[Document]:
    """Every known document with its resolved path and effective status."""
    docs: dict[str, Document] = {}
    with open(settings.corpus_dir / "manifest.tsv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            doc = Document(**{k: (row.get(k) or "").strip() for k in MANIFEST_FIELDS + DATE_FIELDS + OPTIONAL_FIELDS})
            doc.path, doc.note = _resolve(doc.source, settings)
            docs[doc.doc_id] = doc
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
