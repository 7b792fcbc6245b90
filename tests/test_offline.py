"""Nothing reaches the network while ingesting or answering: a subprocess whose sockets refuse
every non-loopback address ingests a small corpus, answers, and uses llama-index's tokenizer
(tiktoken) and NLTK caches, which must load from the packages' bundled copies."""
import os
import subprocess
import sys
import textwrap


GUARD = textwrap.dedent('''
    import socket
    attempts = []
    _connect = socket.socket.connect
    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else str(address)
        if not (str(host).startswith("127.") or host in ("localhost", "::1") or self.family == socket.AF_UNIX):
            attempts.append(host)
            raise OSError("network disabled by test: " + str(host))
        return _connect(self, address)
    socket.socket.connect = guarded
    _create = socket.create_connection
    def guarded_create(address, *a, **k):
        if not str(address[0]).startswith("127.") and address[0] not in ("localhost", "::1"):
            attempts.append(address[0])
            raise OSError("network disabled by test")
        return _create(address, *a, **k)
    socket.create_connection = guarded_create
''')

BODY = textwrap.dedent('''
    from rongzhi.core.settings import Settings, apply_offline_env
    s = Settings.from_env()
    apply_offline_env(s)
    from rongzhi.index.build import ingest
    ingest(s, quiet=True)
    from rongzhi.assistant.service import Assistant
    a = Assistant(s)
    assert a.ask("方案任务19")["citations"][0]["locator"] == "任务19"
    assert a.ask("How long is copyright protected?")["language"] == "en"
    from llama_index.core.utils import get_tokenizer
    assert get_tokenizer()("知识产权")
    from llama_index.core.node_parser import SentenceSplitter
    assert SentenceSplitter(chunk_size=64, chunk_overlap=0).split_text("第一条 测试。" * 50)
    import nltk  # llama-index points NLTK at its bundled cache
    from llama_index.core.utils import globals_helper
    assert globals_helper.stopwords
    print("OFFLINE-OK", attempts)
''')


def test_ingest_and_answer_with_the_network_disabled(small_settings):
    env = {**os.environ, "RONGZHI_DATA_DIR": str(small_settings.data_dir), "RONGZHI_LAW_DIR": str(small_settings.law_dir)}
    env.pop("HF_HUB_OFFLINE", None)  # RongZhi must set it itself
    proc = subprocess.run([sys.executable, "-c", GUARD + BODY], capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "OFFLINE-OK []" in proc.stdout  # no connection was even attempted
