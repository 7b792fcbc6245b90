"""Cross-fitting: train the ranker and the answerability check on features an embedder computed
for questions it was *not* fine-tuned on.

Why: the default ``onnx:ft`` embedder is fine-tuned on the dev split and STARD-dev fold 0
(``evals/finetune_embedder.py``), the same questions the ranker and the answerability check learn
from. On those questions its cosines are higher and its dense rank better than on a question a
user brings, so models trained on them would trust the dense features too much. Two more
embedders are fine-tuned, each on one half of the questions (``finetune_embedder.cross_fit_half``);
a question of half h gets its features from the embedder trained on the other half. The shipped
embedder (trained on both halves) then meets models that learned what its features look like on
unseen questions. This is the standard stacking recipe; the test split and STARD fold 1 stay unread.

    --cross-fit "onnx:DELTA0@DATA_DIR0,onnx:DELTA1@DATA_DIR1"

names, for half 0 and half 1, the embedder trained on that half and a data directory whose index
was built with it (``RONGZHI_EMBEDDER=onnx:DELTA0 RONGZHI_DATA_DIR=DATA_DIR0 rongzhi ingest``).
"""
from __future__ import annotations

from pathlib import Path


def parse(spec: str) -> list[tuple[str, Path]]:
    """``"EMB0@DIR0,EMB1@DIR1"`` -> [(embedder, data dir)] for half 0 and half 1."""
    parts = [p.strip() for p in spec.split(",") if p.strip()]
    if len(parts) != 2 or any("@" not in p for p in parts):
        raise ValueError(f"--cross-fit needs two EMBEDDER@DATA_DIR entries (half 0, half 1), got {spec!r}")
    return [(p.rsplit("@", 1)[0], Path(p.rsplit("@", 1)[1]).expanduser()) for p in parts]


def shipped_models(settings, family: str) -> dict[str, str]:
    """The ranker and answerability files the shipped embedder ``family`` uses, pinned by path.

    Why: "learned" means "the model trained for my embedder family", and a half embedder's family
    (``rongzhi-ft4-half0``) has none, so it fell back to the *base* embedder's ranker, whose weights
    expect base cosines. The check and the close-call ratio then learned from a ranking the shipped
    embedder never produces (until 2026-12-03 every cross-fitted file was trained that way)."""
    from rongzhi.assistant import answerability, fusion

    pinned = {}
    if settings.fusion == "learned":
        pinned["fusion"] = f"learned:{fusion.model_path(family)}"
    if settings.answerability == "learned" and answerability.model_path(family).is_file():
        pinned["answerability"] = f"learned:{answerability.model_path(family)}"
    return pinned


class CrossFitAssistants:
    """``for_question(id)`` -> the assistant whose embedder never saw that question.

    Without a spec, every question gets the one default assistant (plain training, as before
    the embedder was fine-tuned)."""

    def __init__(self, settings, spec: str | None = None, **overrides):
        from rongzhi.assistant.service import Assistant
        from rongzhi.core.settings import BASE_EMBEDDER_FAMILY, embedder_calibration

        self.default = Assistant(settings.with_(**overrides) if overrides else settings)
        self.by_half = None
        if spec:
            # The half embedders stand in for the shipped one, so they answer with its gate bars
            # (their own family has no calibration row) and its trained models.
            calibrated = embedder_calibration()[BASE_EMBEDDER_FAMILY]  # the settings the table fills
            bars = {name: getattr(self.default.settings, name) for name in calibrated}
            models = shipped_models(self.default.settings, self.default.embedder.family)
            self.by_half = [Assistant(settings.with_(embedder=emb, data_dir=folder,
                                                     **{**bars, **models, **overrides}))
                            for emb, folder in parse(spec)]

    def for_question(self, question_id: str):
        if self.by_half is None:
            return self.default
        from rongzhi.evals.finetune_embedder import cross_fit_half

        return self.by_half[1 - cross_fit_half(question_id)]

    def all(self) -> list:
        return self.by_half or [self.default]

    def describe(self) -> dict:
        if self.by_half is None:
            return {"cross_fit": None}
        return {"cross_fit": [a.embedder.name for a in self.by_half],
                "cross_fit_rule": "a question of half h (finetune_embedder.cross_fit_half) gets its features "
                                  "from the embedder fine-tuned on half 1-h"}
