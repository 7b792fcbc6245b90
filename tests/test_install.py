"""A non-editable install works: one ``rongzhi`` package (no generic top-level names), the corpus,
eval data and word tables inside it, and the installed command answers a question."""
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
                    str(REPO)], check=True, capture_output=True, timeout=300)
    return next(out.glob("rongzhi-*.whl"))


def test_wheel_holds_one_namespace_and_its_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith((".dist-info", ".data"))}
    assert tops == {"rongzhi"}
    for needed in ("rongzhi/cli.py", "rongzhi/ui.py", "rongzhi/corpus/plan.zh-Hant.txt", "rongzhi/corpus/manifest.tsv",
                   "rongzhi/evals/gold.jsonl", "rongzhi/evals/test.jsonl", "rongzhi/assistant/data/ranker.json",
                   "rongzhi/assistant/data/answerability.json", "rongzhi/assistant/data/background_df.tsv",
                   "rongzhi/assistant/data/lay_terms.tsv", "rongzhi/ingest/data/treaty_terms.tsv"):
        assert needed in names, needed
    assert not any("/tests/" in n or n.startswith("tests/") for n in names)


@pytest.mark.slow
def test_non_editable_install_answers_a_question(wheel, full_settings, tmp_path):
    """A fresh venv, ``pip install`` of the wheel (dependencies from the package index), and the
    installed ``rongzhi`` answering from the test index, run outside the checkout."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)], capture_output=True, text=True,
                         timeout=1200)
    if pip.returncode != 0 and "Could not find a version" in pip.stderr + pip.stdout:
        pytest.skip("package index unreachable: " + pip.stderr[-300:])
    assert pip.returncode == 0, pip.stderr[-2000:]
    proc = subprocess.run([str(venv / "bin" / "rongzhi"), "--data-dir", str(full_settings.data_dir), "--law-dir",
                           str(full_settings.law_dir), "--treaty-dir", str(full_settings.treaty_dir), "ask",
                           "专利法第四十二条", "--json"], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout)
    assert result["citations"][0]["locator"] == "第四十二条"
    assert str(venv) in subprocess.run([str(venv / "bin" / "python"), "-c", "import rongzhi.cli; print(rongzhi.cli.__file__)"],
                                       capture_output=True, text=True, cwd=tmp_path).stdout
