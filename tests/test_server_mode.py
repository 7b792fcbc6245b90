"""Chroma server mode against a real ``chroma run`` server on a free 127.0.0.1 port: the same
ingest and ask code paths, data surviving a server restart, stale collections removed — only this
DATA_DIR's, and only once no running process reads them."""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from rongzhi.assistant.service import Assistant
from rongzhi.index.store import current_generation
from rongzhi.index.build import ingest

CHROMA = Path(sys.executable).parent / "chroma"
pytestmark = pytest.mark.skipif(not CHROMA.exists(), reason="chroma CLI not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(path: Path, port: int, log: Path) -> subprocess.Popen:
    proc = subprocess.Popen([str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=open(log, "a"), stderr=subprocess.STDOUT)
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
            return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(log.read_text())
            time.sleep(0.25)
    proc.kill()
    raise RuntimeError("chroma server did not start: " + log.read_text())


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_ingest_and_ask_through_a_chroma_server(small_settings, tmp_path):
    port = free_port()
    server_dir, log = tmp_path / "chroma-server", tmp_path / "chroma.log"
    settings = small_settings.with_(chroma_host="127.0.0.1", chroma_port=port)
    proc = start_server(server_dir, port, log)
    try:
        report = ingest(settings, quiet=True)
        gen = current_generation(settings.data_dir)
        assert report.chunks > 50 and not (gen / "chroma").exists()  # vectors live on the server
        assert (gen / "bm25" / "jieba_dict.txt").exists()  # the lexical index stays on this host
        answer = Assistant(settings).ask("台湾同胞来福州参加专利代理师考试有什么便利？")
        assert answer["citations"][0]["locator"] == "任务19"

        stop(proc)
        proc = start_server(server_dir, port, log)
        again = Assistant(settings).ask("台湾同胞投资者的投资会被征收吗")
        assert again["answerable"] and any(c["locator"] == "第四条" for c in again["citations"])
    finally:
        stop(proc)
        shutil.rmtree(server_dir, ignore_errors=True)


def collections(port: int) -> list[str]:
    import chromadb

    return sorted(c if isinstance(c, str) else c.name for c in chromadb.HttpClient(host="127.0.0.1", port=port).list_collections())


# A running UI in another process: it loads the index, says so, and answers one question when told.
READER = """
import json, sys
from rongzhi.assistant.service import Assistant
from rongzhi.core.settings import Settings
assistant = Assistant(Settings.from_env())
assistant.ask("台湾同胞投资者的投资会被征收吗")
print("ready", flush=True)
sys.stdin.readline()
answer = assistant.ask("台湾同胞投资者的投资会被征收吗")
print(json.dumps([c["locator"] for c in answer["citations"]]), flush=True)
"""


def test_an_ingest_deletes_only_its_own_collections_that_nobody_reads(small_settings, tmp_path):
    port = free_port()
    server_dir = tmp_path / "chroma-server"
    settings = small_settings.with_(chroma_host="127.0.0.1", chroma_port=port)
    # A second deployment on the same server (say, staging beside production), its own DATA_DIR.
    other = settings.with_(data_dir=tmp_path / "data-staging")
    shutil.copytree(settings.data_dir / "cache", other.data_dir / "cache")
    if (settings.data_dir / "models").is_dir():
        shutil.copytree(settings.data_dir / "models", other.data_dir / "models", copy_function=os.link)
    proc = start_server(server_dir, port, tmp_path / "chroma.log")
    reader = None
    try:
        ingest(settings, quiet=True)
        ingest(other, quiet=True)
        first, staging = ("rongzhi_" + current_generation(s.data_dir).name for s in (settings, other))
        assert collections(port) == sorted([first, staging])  # staging's ingest left production's alone

        env = {**os.environ, "RONGZHI_DATA_DIR": str(settings.data_dir), "RONGZHI_LAW_DIR": str(settings.law_dir),
               "RONGZHI_CHROMA_HOST": "127.0.0.1", "RONGZHI_CHROMA_PORT": str(port)}
        reader = subprocess.Popen([sys.executable, "-c", READER], env=env, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        assert reader.stdout.readline().strip() == "ready"
        law = settings.law_dir / "台湾同胞投资保护法(2019-12-28).md"
        law.write_text(law.read_text(encoding="utf-8") + "\n第十五条 测试新增条文。\n", encoding="utf-8")
        ingest(settings, quiet=True)  # publishes a second generation while the reader holds the first
        second = "rongzhi_" + current_generation(settings.data_dir).name
        assert collections(port) == sorted([first, second, staging])
        out, _ = reader.communicate("go\n", timeout=120)
        assert "第四条" in json.loads(out)  # the running reader still answered from its generation

        ingest(settings, quiet=True)  # nothing changed, but the reader has gone: its collection goes
        assert collections(port) == sorted([second, staging])
    finally:
        if reader is not None and reader.poll() is None:
            reader.kill()
        stop(proc)
        shutil.rmtree(server_dir, ignore_errors=True)


def test_server_settings_from_environment(monkeypatch):
    from rongzhi.core.settings import Settings

    monkeypatch.setenv("RONGZHI_CHROMA_HOST", "chroma.internal")
    monkeypatch.setenv("RONGZHI_CHROMA_PORT", "8443")
    monkeypatch.setenv("RONGZHI_CHROMA_SSL", "true")
    monkeypatch.setenv("RONGZHI_CHROMA_HEADERS", '{"Authorization": "Bearer x"}')
    s = Settings.from_env()
    assert (s.chroma_host, s.chroma_port, s.chroma_ssl) == ("chroma.internal", 8443, True)
    assert "Bearer" not in repr(s)  # auth headers never appear in logs
