"""Which chunks a search may return: kinds, documents, and versions.

Both retrievers apply the same filter: Chroma through ``chroma_where`` (pushed into the vector
search), BM25 and locator lookups through ``allows``.

Versions: by default only texts in force on ``as_of`` (default today) may answer — a version
that has not started yet or has been replaced is left out. ``versions`` lists doc_ids the
question (or ``--doc``) chose explicitly ("2019年商标法"): those pass whatever their dates.
``include_superseded`` also lets replaced versions in (never not-yet-in-force ones)."""
from __future__ import annotations

from dataclasses import dataclass

from rongzhi.core.chunks import Chunk
from rongzhi.core.versions import FOREVER, date_int, start_date, today


@dataclass
class Filters:
    kinds: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()
    include_superseded: bool = False
    as_of: str = ""  # YYYY-MM-DD; "" = today
    versions: tuple[str, ...] = ()  # doc_ids chosen explicitly: exempt from the date rule
    as_of_said: str = ""  # the date as the question says it (「2024年3月」) when the as-of date comes from the question

    @property
    def day(self) -> int:
        """The as-of date as YYYYMMDD (how the vector store keeps dates)."""
        return date_int(self.as_of or today())

    def with_versions(self, doc_ids) -> "Filters":
        """These filters plus explicitly chosen versions (a copy)."""
        from dataclasses import replace

        extra = tuple(d for d in doc_ids if d not in self.versions)
        return replace(self, versions=self.versions + extra) if extra else self

    def _date_clause(self) -> dict:
        clauses = [{"in_force_from": {"$lte": self.day}}]
        if not self.include_superseded:
            clauses.append({"in_force_until": {"$gt": self.day}})
        clause = clauses[0] if len(clauses) == 1 else {"$and": clauses}
        if self.versions:
            clause = {"$or": [clause, {"doc_id": {"$in": list(self.versions)}}]}
        return clause

    def chroma_where(self) -> dict | None:
        clauses = []
        if self.kinds:
            clauses.append({"kind": {"$in": list(self.kinds)}})
        if self.doc_ids:
            clauses.append({"doc_id": {"$in": list(self.doc_ids)}})
        clauses.append(self._date_clause())
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def in_force(self, chunk: Chunk) -> bool:
        """Whether the chunk's version may answer on ``as_of`` (or was chosen explicitly)."""
        if chunk.doc_id in self.versions:
            return True
        day = self.day
        if date_int(start_date(chunk.version_date, chunk.effective_date)) > day:
            return False
        return self.include_superseded or date_int(chunk.superseded_on, FOREVER) > day

    def allows(self, chunk: Chunk) -> bool:
        return ((not self.kinds or chunk.kind in self.kinds)
                and (not self.doc_ids or chunk.doc_id in self.doc_ids)
                and self.in_force(chunk))
