"""Which chunks a search may return: kinds, documents, and versions.

Both retrievers apply the same filter: Chroma through ``chroma_where`` (pushed into the vector
search), BM25 and locator lookups through ``allows``."""
from __future__ import annotations

from dataclasses import dataclass

from rongzhi.core.chunks import Chunk


@dataclass
class Filters:
    kinds: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()
    include_superseded: bool = False

    def chroma_where(self) -> dict | None:
        clauses = []
        if self.kinds:
            clauses.append({"kind": {"$in": list(self.kinds)}})
        if self.doc_ids:
            clauses.append({"doc_id": {"$in": list(self.doc_ids)}})
        if not self.include_superseded:
            clauses.append({"status": {"$ne": "superseded"}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def allows(self, chunk: Chunk) -> bool:
        return ((not self.kinds or chunk.kind in self.kinds)
                and (not self.doc_ids or chunk.doc_id in self.doc_ids)
                and (self.include_superseded or chunk.status != "superseded"))
