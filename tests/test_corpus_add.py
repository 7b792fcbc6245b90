"""`rongzhi corpus add` and `rongzhi ingest` as the new-user sweep (session 29) ran them: what is taken
for the special-fund measures, what --replace keeps, what a wrong directory does to the index, which
--kind values exist. Every file here is a test fixture written for the test, never the real measures.

Most tests call ``add_document`` / ``build_chunks`` on a private data directory (no index, no model:
fast); the ones that show what a user sees run the real command over the small corpus."""
import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rongzhi.core.errors import DocumentError, UnknownValue
from rongzhi.core.settings import Settings
from rongzhi.ingest.corpus_add import add_document
from rongzhi.ingest.manifest import MEASURES_DOC_ID, load_documents, load_registry
from rongzhi.ingest.pipeline import build_chunks

from .conftest import LAW_DIR

MEASURES_TITLE = "福州市知识产权专项资金管理办法"
MEASURES_NUMBER = "榕政办规〔2022〕7号"


def run(settings, *args, env_extra=None):
    env = {**os.environ, "RONGZHI_DATA_DIR": str(settings.data_dir), "RONGZHI_LAW_DIR": str(settings.law_dir),
           **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "rongzhi.cli", *args], capture_output=True, text=True, env=env,
                          timeout=600)


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def bare(tmp_path) -> Settings:
    """A private data directory: add_document only, no index."""
    return Settings.from_env(data_dir=tmp_path / "data")


def _status(settings) -> dict:
    proc = run(settings, "corpus", "status", "--json")
    assert proc.returncode == 0, proc.stderr
    return {d["doc_id"]: d for d in json.loads(proc.stdout)["documents"]}


# -- 1. what is taken for the special-fund measures ---------------------------------------------------
def test_a_test_copy_of_the_measures_keeps_its_title_and_is_not_the_measures(small_settings, tmp_path):
    """The sweep's fake3.txt was stored as fuzhou-ip-fund-measures with 榕政办规〔2022〕7号 and 「（测试样例）」
    dropped, and answers cited it as the real 2022 measures."""
    fake = _write(tmp_path, "fake3.txt", f"{MEASURES_TITLE}（测试样例）\n本文件不是真实的管理办法，仅用于测试。\n"
                                         "第一条 测试条文：样例补助为一万元。\n")
    proc = run(small_settings, "corpus", "add", str(fake), "--json", "--quiet")
    assert proc.returncode == 0, proc.stderr
    entry = json.loads(proc.stdout)
    assert entry["doc_id"] != MEASURES_DOC_ID and entry["title"] == f"{MEASURES_TITLE}（测试样例）"
    assert entry["doc_number"] == "" and entry["issuer"] == "" and entry["role"] == ""
    assert "recognized" not in entry and "未当作" in entry["notes"][0]["zh"] and "（测试样例）" in entry["notes"][0]["zh"]
    status = _status(small_settings)
    assert status[MEASURES_DOC_ID]["status"] == "not_loaded"  # the real measures are still missing
    assert status[entry["doc_id"]]["title"] == f"{MEASURES_TITLE}（测试样例）"
    answer = json.loads(run(small_settings, "ask", "专项资金管理办法第一条", "--json").stdout)
    assert "尚未加载" in answer["answer"] and not any(c["doc_id"] == MEASURES_DOC_ID for c in answer["citations"])
    human = run(small_settings, "corpus", "add", str(_write(tmp_path, "draft.txt", f"{MEASURES_TITLE}\n（征求意见稿）\n"
                                                                                   "第一条 草案条文。\n")), "--quiet")
    assert human.returncode == 0, human.stderr
    assert f"已添加《{MEASURES_TITLE}（征求意见稿）》" in human.stdout and "未当作" in human.stdout


@pytest.mark.parametrize("text, title", [
    ("专项资金管理办法\n第一条 条文。\n", "专项资金管理办法"),  # the bare words
    ("厦门市知识产权专项资金管理办法\n第一条 条文。\n", "厦门市知识产权专项资金管理办法"),  # another city's
    (f"{MEASURES_TITLE}实施细则\n第一条 条文。\n", f"{MEASURES_TITLE}实施细则"),  # a suffix
    (f"{MEASURES_TITLE}（草案）\n第一条 条文。\n", f"{MEASURES_TITLE}（草案）"),
    (f"{MEASURES_TITLE}模板\n第一条 条文。\n", f"{MEASURES_TITLE}模板"),
    (f"{MEASURES_TITLE}\n（修订稿）\n第一条 条文。\n", f"{MEASURES_TITLE}（修订稿）"),  # the qualifier on its own line
])
def test_only_the_measures_own_title_is_taken_for_them(bare, tmp_path, text, title):
    entry = add_document(bare, _write(tmp_path, "x.txt", text))
    assert entry["doc_id"] != MEASURES_DOC_ID and entry["doc_number"] == "" and entry["role"] == ""
    assert entry["title"] == title and "未当作" in entry["notes"][0]["zh"]
    assert not any(d.loaded for d in load_documents(bare) if d.doc_id == MEASURES_DOC_ID)


@pytest.mark.parametrize("text, options, says", [
    # the measures' own title, but its opening says it is a test file
    (f"{MEASURES_TITLE}\n本文件不是真实的管理办法，仅用于测试。\n第一条 条文。\n", {}, "不是真实"),
    # a test file given the measures' title or doc_id by hand
    (f"{MEASURES_TITLE}（测试样例）\n第一条 条文。\n", {"title": MEASURES_TITLE}, "（测试样例）"),
    (f"{MEASURES_TITLE}（测试样例）\n第一条 条文。\n", {"doc_id": MEASURES_DOC_ID}, "（测试样例）"),
    # the title, but another document number: another (a revised?) text
    (f"{MEASURES_TITLE}\n榕政办规〔2025〕3号\n第一条 条文。\n", {}, "榕政办规〔2025〕3号"),
])
def test_a_file_that_names_the_measures_but_is_not_them_is_refused(bare, tmp_path, text, options, says):
    with pytest.raises(DocumentError) as err:
        add_document(bare, _write(tmp_path, "x.txt", text), **options)
    assert says in err.value.zh and err.value.en
    assert load_registry(bare) == []  # nothing written


def test_the_measures_are_recognized_and_the_command_says_what_it_assumed(small_settings, tmp_path):
    """The file laid out as such measures are published (the issuing notice, then the number): it takes the
    measures' entry, and the output says which details came from the manifest, not from the file."""
    measures = _write(tmp_path, "办法.txt",
                      f"福州市人民政府办公厅关于印发{MEASURES_TITLE}的通知\n{MEASURES_NUMBER}\n"
                      "第一条 测试条文（测试夹具）：为规范资金管理，制定本办法。\n"
                      "第二条 测试条文：本办法自2022年7月1日起施行，有效期至2027年6月30日。\n")
    proc = run(small_settings, "corpus", "add", str(measures), "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert f"已添加《{MEASURES_TITLE}》（{MEASURES_DOC_ID}）" in proc.stdout
    assert f"已识别为清单中的《{MEASURES_TITLE}》" in proc.stdout and "取自语料清单" in proc.stdout
    assert "发布机关 福州市人民政府办公厅" in proc.stdout and f"文号 {MEASURES_NUMBER}" in proc.stdout
    assert "有效期至 2027-06-30（「有效期至2027年6月30日」）" in proc.stdout
    revised = _write(tmp_path, "办法2.txt", measures.read_text(encoding="utf-8").replace("规范资金管理", "规范专项资金管理"))
    again = run(small_settings, "corpus", "add", str(revised), "--replace", "--json", "--quiet")
    assert again.returncode == 0, again.stderr
    entry = json.loads(again.stdout)
    assert entry["doc_id"] == MEASURES_DOC_ID and entry["role"] == "measures" and entry["chunks"] == 2
    assert entry["doc_number"] == MEASURES_NUMBER and entry["expires_on"] == "2027-06-30"
    assert entry["recognized"]["from_manifest"]["issuer"] == "福州市人民政府办公厅"
    assert entry["notes"][0]["zh"].startswith("已识别为清单中的")
    assert entry["changes"] == [{"field": "text", "from": "办法.txt", "to": "办法2.txt"}]


def test_recognition_is_stated_in_json_too(bare, tmp_path):
    entry = add_document(bare, _write(tmp_path, "m.txt", f"{MEASURES_TITLE}\n第一条 测试条文（测试夹具）。\n"))
    assert entry["doc_id"] == MEASURES_DOC_ID and entry["title"] == MEASURES_TITLE
    assert entry["recognized"]["from_manifest"] == {"kind": "地方规范性文件", "issuer": "福州市人民政府办公厅",
                                                    "doc_number": MEASURES_NUMBER, "version_date": "2022"}
    assert "已识别" in entry["notes"][0]["zh"] and "recognized" in entry["notes"][0]["en"]
    stored = load_registry(bare)[0]
    assert "notes" not in stored and "recognized" not in stored  # what the run did is not stored


# -- 2. --replace takes the new file's details ---------------------------------------------------------
FAKE1 = "福州市测试资助办法（测试夹具）\n第一条 第一版测试条文。\n第二条 测试资助为一万元。\n"
FAKE2 = ("福州市测试资助办法（测试夹具）\n第一条 第二版测试条文。\n第二条 测试资助为两万元。\n"
         "第三条 本办法自2026年1月1日起施行，有效期至2027年12月31日。\n")


def test_replace_takes_the_new_file_s_details_and_says_what_changed(small_settings, tmp_path):
    """The sweep: after `corpus add fake2.txt --replace` the old file's dates and doc number stayed, and an
    answer said 「原文写明有效期至2027年12月31日，按 2026-12-05 已届满」 while the status said 有效期至 2026-03-31."""
    fake1, fake2 = _write(tmp_path, "fake1.txt", FAKE1), _write(tmp_path, "fake2.txt", FAKE2)
    first = run(small_settings, "corpus", "add", str(fake1), "--date", "2025-06-01", "--effective-date", "2025-07-01",
                "--expires-on", "2026-03-31", "--doc-number", "测试〔2025〕1号", "--json", "--quiet")
    assert first.returncode == 0, first.stderr
    doc_id = json.loads(first.stdout)["doc_id"]
    proc = run(small_settings, "corpus", "add", str(fake2), "--replace", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert "已替换原有文档" in proc.stdout
    changes = next(line for line in proc.stdout.splitlines() if line.startswith("变更："))
    for change in ("文号：测试〔2025〕1号 → （无）", "版本日期：2025-06-01 → （无）", "施行日期：2025-07-01 → 2026-01-01",
                   "有效期至：2026-03-31 → 2027-12-31", "正文：fake1.txt → fake2.txt"):
        assert change in changes
    doc = _status(small_settings)[doc_id]
    assert (doc["doc_number"], doc["version_date"], doc["effective_date"], doc["expires_on"]) == (
        "", "", "2026-01-01", "2027-12-31")
    answer = json.loads(run(small_settings, "ask", "测试资助办法第二条", "--doc", doc_id, "--json",
                            "--as-of", "2026-12-05").stdout)
    assert "两万元" in answer["citations"][0]["quote"]
    assert "已届满" not in answer["answer"] and answer["citations"][0]["status"] == "in_force"
    cleared = run(small_settings, "corpus", "add", str(fake2), "--replace", "--expires-on", "", "--quiet")
    assert cleared.returncode == 0, cleared.stderr
    assert "有效期至：2027-12-31 → （无）" in cleared.stdout
    assert _status(small_settings)[doc_id]["expires_on"] == ""


def test_an_option_that_contradicts_the_text_is_refused(bare, tmp_path):
    fake2 = _write(tmp_path, "fake2.txt", FAKE2)
    with pytest.raises(DocumentError) as err:
        add_document(bare, fake2, expires_on="2026-03-31")
    assert "有效期至2027年12月31日" in err.value.zh and "--expires-on" in err.value.en
    assert load_registry(bare) == []
    entry = add_document(bare, fake2, expires_on="2027-12-31", doc_number="测试〔2026〕2号", issuer="测试机关")
    assert (entry["expires_on"], entry["doc_number"], entry["issuer"]) == ("2027-12-31", "测试〔2026〕2号", "测试机关")


def test_replace_with_no_options_drops_the_old_options(bare, tmp_path):
    add_document(bare, _write(tmp_path, "a.txt", FAKE1), kind="地方规范性文件", doc_number="测试〔2025〕1号",
                 version_date="2025-06-01", expires_on="2026-03-31")
    entry = add_document(bare, _write(tmp_path, "b.txt", FAKE1.replace("一万元", "三万元")), replace=True)
    assert {k: entry[k] for k in ("kind", "doc_number", "version_date", "expires_on")} == {
        "kind": "用户添加", "doc_number": "", "version_date": "", "expires_on": ""}
    assert {c["field"] for c in entry["changes"]} == {"kind", "doc_number", "version_date", "expires_on", "text"}


def test_a_commencement_clause_older_than_the_version_is_not_its_effective_date(bare, tmp_path):
    """An amended text keeps its first commencement clause (商标法 2019: 「本法自1983年3月1日起施行」): read as
    the version's effective date, it would make the amendment in force decades early."""
    law = add_document(bare, _write(tmp_path, "law.txt", "某测试法（测试夹具）\n第一条 条文。\n第九条 本法自1983年3月1日起施行。\n"),
                       version_date="2019-04-23")
    assert law["effective_date"] == "" and "stated" not in law
    rule = add_document(bare, _write(tmp_path, "rule.txt", "某测试办法（测试夹具）\n第一条 条文。\n第九条 本办法自2010年1月1日起施行。\n"),
                        version_date="2020-05-01")
    assert rule["effective_date"] == "" and "最初的施行日期" in rule["notes"][-1]["zh"]


# -- 3. a wrong directory never replaces the index ------------------------------------------------------
def test_ingest_from_a_missing_law_dir_fails_and_keeps_the_index(small_settings, tmp_path):
    """The sweep: `RONGZHI_LAW_DIR=/nonexistent rongzhi ingest --quiet` exited 0 with an index of the plan
    alone, and `corpus status` then listed 专利法 with 0 chunks as 现行有效."""
    assert run(small_settings, "ingest", "--quiet").returncode == 0
    current = small_settings.data_dir / "index" / "CURRENT"
    before = current.read_text()
    chunks = {k: d["chunks"] for k, d in _status(small_settings).items()}
    empty = tmp_path / "empty-laws"
    empty.mkdir()
    for law_dir, says in ((tmp_path / "nonexistent", "法律文本目录不存在"), (empty, "法律文本目录中没有清单所列的任何文件")):
        proc = run(small_settings, "ingest", "--quiet", env_extra={"RONGZHI_LAW_DIR": str(law_dir)})
        assert proc.returncode == 2 and says in proc.stderr and "现有索引保持不变" in proc.stderr
        assert "Error: " in proc.stderr and "--law-dir" in proc.stderr
        as_json = run(small_settings, "ingest", "--json", env_extra={"RONGZHI_LAW_DIR": str(law_dir)})
        assert as_json.returncode == 2 and json.loads(as_json.stdout)["type"] == "DocumentError"
        assert current.read_text() == before
    assert {k: d["chunks"] for k, d in _status(small_settings).items()} == chunks  # nothing lost


def _copy_corpus(settings, tmp_path) -> Settings:
    corpus = tmp_path / "corpus"
    shutil.copytree(settings.corpus_dir, corpus)
    return settings.with_(corpus_dir=corpus)


@pytest.mark.parametrize("breakage, says", [
    ("law_dir_missing", "法律文本目录不存在"),
    ("law_dir_empty", "法律文本目录中没有清单所列的任何文件"),
    ("law_manifest_lists_an_absent_file", "列出的文件缺失：专利法(2020-10-17).md"),
    ("treaty_dir_empty", "条约文本目录中没有清单所列的任何文件"),
    ("corpus_dir_without_manifest", "语料目录中没有清单 manifest.tsv"),
    ("plan_missing", "缺少清单所列的文件：plan.zh-Hant.txt"),
    ("plan_not_a_plan", "没有从这些文件中切分出任何内容"),
])
def test_a_wrong_source_directory_is_an_error(tmp_path, breakage, says):
    laws = tmp_path / "laws"
    laws.mkdir()
    shutil.copy(LAW_DIR / "专利法(2020-10-17).md", laws)
    with open(laws / "MANIFEST.tsv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t")
        writer.writerow(["file", "title"])
        writer.writerow(["专利法(2020-10-17).md", "中华人民共和国专利法"])
    settings = _copy_corpus(Settings.from_env(data_dir=tmp_path / "data", law_dir=laws), tmp_path)
    if breakage == "law_dir_missing":
        settings = settings.with_(law_dir=tmp_path / "nonexistent")
    elif breakage == "law_dir_empty":
        (tmp_path / "empty").mkdir()
        settings = settings.with_(law_dir=tmp_path / "empty")
    elif breakage == "law_manifest_lists_an_absent_file":
        (laws / "专利法(2020-10-17).md").unlink()
    elif breakage == "treaty_dir_empty":
        (tmp_path / "treaties").mkdir()
        settings = settings.with_(treaty_dir=tmp_path / "treaties")
    elif breakage == "corpus_dir_without_manifest":
        (settings.corpus_dir / "manifest.tsv").unlink()
    elif breakage == "plan_missing":
        (settings.corpus_dir / "plan.zh-Hant.txt").unlink()
    elif breakage == "plan_not_a_plan":
        (settings.corpus_dir / "plan.zh-Hant.txt").write_text("这不是工作方案。\n只是一些文字。\n", encoding="utf-8")
    with pytest.raises(DocumentError) as err:
        build_chunks(settings)
    assert says in err.value.zh and err.value.en


def test_a_loaded_document_without_chunks_is_never_in_force(small_settings):
    """A text that is on disk but not in the index (the law directory grew after the last ingest, or the
    index was built from another one) answers nothing: `corpus status` says so instead of 现行有效."""
    assert run(small_settings, "ingest", "--quiet").returncode == 0
    shutil.copy(LAW_DIR / "专利法(2020-10-17).md", small_settings.law_dir)
    proc = run(small_settings, "corpus", "status", "--json")
    patent = next(d for d in json.loads(proc.stdout)["documents"] if d["title"] == "中华人民共和国专利法")
    assert patent["chunks"] == 0 and patent["status"] == "not_indexed" and "rongzhi ingest" in patent["note"]
    table = run(small_settings, "corpus", "status").stdout
    row = next(line for line in table.splitlines() if line.startswith("中华人民共和国专利法 "))
    assert "未入索引" in row and "现行有效" not in row


# -- 4. --kind ----------------------------------------------------------------------------------------
def test_an_unknown_kind_is_refused_with_the_kinds_there_are(small_settings, tmp_path):
    doc = _write(tmp_path, "story.txt", "测试小说（测试夹具）\n第一段。\n")
    proc = run(small_settings, "corpus", "add", str(doc), "--kind", "小说类")
    assert proc.returncode == 2 and "未知的类型 --kind 小说类" in proc.stderr
    for kind in ("地方规范性文件", "法律", "行政法规", "司法解释", "用户添加"):
        assert kind in proc.stderr
    assert "Error: unknown kind" in proc.stderr
    assert not (small_settings.data_dir / "added" / "registry.json").exists()


def test_a_known_kind_in_traditional_is_stored_as_listed(bare, tmp_path):
    entry = add_document(bare, _write(tmp_path, "a.txt", "測試辦法（測試夾具）\n第一條 條文。\n"), kind="地方規範性文件")
    assert entry["kind"] == "地方规范性文件"
    with pytest.raises(UnknownValue):
        add_document(bare, _write(tmp_path, "b.txt", "测试（测试夹具）\n第一条 条文。\n"), kind="小说类")
