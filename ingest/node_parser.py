"""The structure-aware splitters behind llama-index's ``NodeParser`` seam.

``StructureNodeParser`` turns a llama-index ``Document`` (a file's decoded text, with RongZhi's
document record in its metadata) into one ``TextNode`` per plan task/target, law article (or part
of a long one) or treaty unit — the splitter named by the manifest's ``splitter`` column. Run in an
``IngestionPipeline``, so anyone who knows llama-index can add a transformation after it (or swap
it); the embedding cache stays ours (``index/build.py``, keyed by content hash), because it must
survive across generations of the index, which llama-index's in-run cache does not.

Each node carries the full chunk record (``CHUNK_KEY``, excluded from embedding and LLM text), so
the chunk — with its exact source offsets — comes back unchanged.
"""
from __future__ import annotations

from typing import Any, List, Sequence

from llama_index.core.node_parser import NodeParser
from llama_index.core.schema import BaseNode, Document, TextNode

from rongzhi.core.chunks import Chunk

from .splitters import split_document

DOC_KEY = "rongzhi_document"
CHUNK_KEY = "rongzhi_chunk"


def to_document(text: str, record: dict) -> Document:
    return Document(id_=record["doc_id"], text=text, metadata={DOC_KEY: record},
                    excluded_embed_metadata_keys=[DOC_KEY], excluded_llm_metadata_keys=[DOC_KEY])


def to_chunk(node: BaseNode) -> Chunk:
    return Chunk.from_record(node.metadata[CHUNK_KEY])


class StructureNodeParser(NodeParser):
    """One node per structural unit (task, article, treaty article), never a fixed-size window:
    a citation must name a unit a reader can look up."""

    max_chars: int = 400

    @classmethod
    def class_name(cls) -> str:
        return "RongZhiStructureNodeParser"

    def _parse_nodes(self, nodes: Sequence[BaseNode], show_progress: bool = False, **kwargs: Any) -> List[BaseNode]:
        out: List[BaseNode] = []
        for doc in nodes:
            record = doc.metadata[DOC_KEY]
            for chunk in split_document(doc.get_content(), record, record["path"], max_chars=self.max_chars):
                out.append(TextNode(id_=chunk.chunk_id, text=chunk.text, metadata={CHUNK_KEY: chunk.to_record()},
                                    excluded_embed_metadata_keys=[CHUNK_KEY], excluded_llm_metadata_keys=[CHUNK_KEY],
                                    start_char_idx=chunk.start, end_char_idx=chunk.end))
        return out
