"""RCEP's IP chapter beside Chinese law: when it leads an answer, and how it is cited.

The chapter is English. An English question about Chinese law ("How long is an invention patent
protected?") shares many words with it and none with the Chinese statutes, so without a rule the
treaty would answer questions it does not govern: China's own law does. The treaty therefore
leads only when the question is about it (names RCEP, a treaty, 协定/缔约方, Article 11.N …, or
the treaty document); otherwise its units follow the other sources, where they can still be cited
beside them.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, List, Optional

from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.schema import NodeWithScore, QueryBundle
from pydantic import Field

from rongzhi.ingest.split_treaty import TREATY_KIND

from .bridge import TREATY_CUES
from .filters import Filters

EN_CUES = re.compile(r"\btreat(?:y|ies)\b|regional comprehensive economic partnership|\bfree trade agreement", re.I)


def is_treaty(chunk) -> bool:
    return chunk.kind == TREATY_KIND


def asks_about_treaty(norm: str, named_kinds: list[str] = ()) -> bool:
    """The question names the treaty or speaks of treaty obligations."""
    return TREATY_KIND in named_kinds or bool(TREATY_CUES.search(norm) or EN_CUES.search(norm))


def demote(items: list, chunk_of=lambda x: x.chunk) -> list:
    """Treaty units after the others, each group in its own order."""
    return [x for x in items if not is_treaty(chunk_of(x))] + [x for x in items if is_treaty(chunk_of(x))]


class TreatyScope(BaseNodePostprocessor):
    """A llama-index postprocessor: unless the question is about the treaty, the other sources
    are searched on their own and lead; treaty units found by the first search follow them (in
    the nodes and in the bundle's ranking that evals score). Searching again matters: for an
    English question the English treaty can fill every candidate slot."""

    retriever: Any = Field(default=None, exclude=True)
    k: int = 12

    @classmethod
    def class_name(cls) -> str:
        return "RongZhiTreatyScope"

    def _postprocess_nodes(self, nodes: List[NodeWithScore], query_bundle: Optional[QueryBundle] = None):
        bundle = query_bundle
        hits = [n.hit for n in nodes]
        if any(h.direct for h in hits) or not any(is_treaty(h.chunk) for h in hits):
            return nodes
        named_kinds = [h.chunk.kind for h in hits if h.chunk.doc_id in bundle.named]
        if asks_about_treaty(bundle.retrieval_query.norm, named_kinds):
            return nodes
        from .engine import to_node

        others = []
        kinds = self._other_kinds(bundle.filters)
        if self.retriever is not None and kinds:
            filters = replace(bundle.filters, kinds=kinds) if bundle.filters else Filters(kinds=kinds)
            others = self.retriever.search(bundle.retrieval_query, k=self.k, filters=filters, refs=bundle.refs,
                                           named_docs=bundle.named)
        ranked = demote(others + [h for h in hits if is_treaty(h.chunk)])
        bundle.ranked = ranked
        return [to_node(h) for h in ranked]

    def _other_kinds(self, filters) -> tuple[str, ...]:
        if self.retriever is None:
            return ()
        corpus = getattr(self.retriever, "corpus", None) or getattr(self.retriever, "reader", None)
        kinds = dict.fromkeys(c.kind for c in corpus.chunks if not is_treaty(c))
        return tuple(k for k in kinds if not (filters and filters.kinds) or k in filters.kinds)
