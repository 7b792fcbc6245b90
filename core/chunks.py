"""The unit of retrieval and citation: one task, one target block, one article (or part of one)."""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

from .normalize import to_simplified


def iter_lines(text: str, offset: int = 0):
    """Yield (stripped line, start, end) for the non-blank lines of ``text``; offsets are
    ``offset`` + position in ``text``, so callers can point into a larger source."""
    pos = offset
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = pos + raw.index(stripped)
            yield stripped, start, start + len(stripped)
        pos += len(raw) + 1


@dataclass
class Chunk:
    doc_id: str
    title: str
    kind: str
    locator: str  # 任务19 / 主要目标 / 施行与有效期 / 第四十二条 — what a citation shows
    text: str  # the original text, exactly source[start:end]
    start: int
    end: int
    source_path: str
    version_date: str = ""  # the version's promulgation date
    effective_date: str = ""  # in force from ("" = version_date); see core/versions.py
    superseded_on: str = ""  # when the next version of the same title starts ("" = none)
    section_path: list[str] = field(default_factory=list)  # 编/章/节, or the plan's section
    heading: str = ""  # the task title (plan) — part of what is embedded
    part: int = 0  # 0 = whole; 1.. = the n-th piece of a long article
    ordinal: int = 0  # position in the document, for stable ordering
    norm: str = ""  # Simplified, mainland-wording text: for matching only
    # What UI and CLI show when ``text`` itself is not readable (a PDF extraction's page markers
    # and hard line breaks); "" = ``text``. Quotes are taken from ``display``.
    display_text: str = ""

    def __post_init__(self):
        if not self.norm:
            self.norm = to_simplified(self.text)

    @property
    def display(self) -> str:
        return self.display_text or self.text

    @property
    def chunk_id(self) -> str:
        return f"{self.doc_id}#{self.locator}" + (f"~{self.part}" if self.part else "")

    @property
    def embed_text(self) -> str:
        """What the dense embedder sees: where the text sits, then the text, all normalized."""
        head = " ".join([to_simplified(self.title), *map(to_simplified, self.section_path),
                         self.locator, to_simplified(self.heading)])
        return f"{head}\n{self.norm}".strip()

    @property
    def content_hash(self) -> str:
        """Key of the embedding cache: changes whenever the embedded text changes."""
        return hashlib.sha256(self.embed_text.encode("utf-8")).hexdigest()[:32]

    def to_record(self) -> dict:
        record = asdict(self)
        record["chunk_id"] = self.chunk_id
        record["content_hash"] = self.content_hash
        return record

    @classmethod
    def from_record(cls, record: dict) -> "Chunk":
        record = dict(record)
        record.pop("chunk_id", None)
        record.pop("content_hash", None)
        return cls(**record)
