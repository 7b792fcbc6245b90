"""Document roles: what a document is *for* in answers, read from the manifest's ``role`` column.

- ``plan``: the Fuzhou work plan — its tasks and targets (task lookup, the civil-servant and
  enterprise helpers);
- ``measures``: the special-fund measures — when it is not loaded, questions about subsidy
  amounts get a note (or a decline) instead of a guess.
Code asks for a role, never for a doc_id, so a new edition of the plan or the measures added with
``corpus add`` takes over without code changes.
"""
from __future__ import annotations

PLAN = "plan"
MEASURES = "measures"
# Indexes built before the role column existed name their documents only by doc_id.
LEGACY_DOC_IDS = {PLAN: "fuzhou-ip-plan-2022", MEASURES: "fuzhou-ip-fund-measures"}


def doc_with_role(documents: list[dict], role: str) -> dict | None:
    """The loaded document with ``role`` (the newest version first), else the listed one."""
    matching = [d for d in documents if d.get("role") == role]
    if not matching:
        matching = [d for d in documents if d.get("doc_id") == LEGACY_DOC_IDS.get(role)]
    matching.sort(key=lambda d: (bool(d.get("path")), d.get("version_date", "")), reverse=True)
    return matching[0] if matching else None
