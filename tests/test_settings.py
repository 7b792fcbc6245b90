"""Every RONGZHI_* setting is checked when it is read: a bad value is one Chinese line and one English
line naming the variable, the value and what is accepted, with exit code 2 (JSON with --json) —
never a traceback, an 「内部错误」 or a nonsense limit (「上限 -5 字」) found later."""
import json
import os
import subprocess
from pathlib import Path
import sys
from dataclasses import fields

import pytest

from rongzhi.core.errors import RongZhiError, SettingsError
from rongzhi.core.versions import DateError
from rongzhi.core.settings import CHECKS, LAY_TABLES, SECRET_FIELDS, TYPO_MODES, Settings

# (variable, bad value, what the Chinese message must say is accepted, ... and the English one)
BAD = [
    ("RONGZHI_MAX_QUESTION_CHARS", "abc", "不小于 1 的整数", "whole number of at least 1"),
    ("RONGZHI_MAX_QUESTION_CHARS", "-5", "不小于 1 的整数", "whole number of at least 1"),
    ("RONGZHI_MAX_QUESTION_CHARS", "0", "不小于 1 的整数", "whole number of at least 1"),
    ("RONGZHI_EMBED_THREADS", "lots", "不小于 1 的整数", "whole number of at least 1"),
    ("RONGZHI_EMBED_BATCH", "2.5", "不小于 1 的整数", "whole number of at least 1"),
    ("RONGZHI_MAX_CHUNK_CHARS", "5", "不小于 20 的整数", "at least 20"),
    ("RONGZHI_MAX_UPLOAD_BYTES", "1k", "字节数", "bytes"),
    ("RONGZHI_TOP_K", "0", "不小于 1 的整数", "at least 1"),
    ("RONGZHI_RETRIEVE_K", "many", "不小于 1 的整数", "at least 1"),
    ("RONGZHI_CHROMA_PORT", "abc", "1 到 65535 之间的端口号", "port number from 1 to 65535"),
    ("RONGZHI_UI_PORT", "99999", "1 到 65535 之间的端口号", "port number from 1 to 65535"),
    ("RONGZHI_GATE_MIN_DENSE", "high", "-1 到 1 之间的数", "from -1 to 1"),
    ("RONGZHI_GATE_MIN_DENSE_EN", "85", "-1 到 1 之间的数", "from -1 to 1"),
    ("RONGZHI_GATE_MIN_DENSE_WITH_WORDS", "nan", "-1 到 1 之间的数", "from -1 to 1"),
    ("RONGZHI_GATE_MIN_COVERAGE", "1.5", "0 到 1 之间的数", "from 0 to 1"),
    ("RONGZHI_SECONDARY_COVERAGE_GAP", "-0.1", "0 到 1 之间的数", "from 0 to 1"),
    ("RONGZHI_SECONDARY_DENSE_GAP", "x", "0 到 1 之间的数", "from 0 to 1"),
    ("RONGZHI_CLOSE_RATIO", "-1", "不小于 0 的数", "at least 0"),
    ("RONGZHI_LLM_TIMEOUT_S", "0", "大于 0 的数", "above 0"),
    ("RONGZHI_LLM_TIMEOUT_S", "inf", "大于 0 的数", "above 0"),
    ("RONGZHI_FUSION", "banana", "learned、rrf、learned:文件路径", "learned, rrf, learned:FILE"),
    ("RONGZHI_FUSION", "learned:/no/such/ranker.json", "找不到文件", "no file at"),
    ("RONGZHI_ANSWERABILITY", "maybe", "learned、off、learned:文件路径", "learned, off, learned:FILE"),
    ("RONGZHI_RERANKER", "bm25", "off、ce、ce:路径", "off, ce, ce:PATH"),
    ("RONGZHI_TYPOS", "maybe", "fallback、on、off", "fallback, on, off"),
    ("RONGZHI_LAY_TABLES", "hand,slang", "hand、learned", "hand, learned"),
    ("RONGZHI_EMBEDDER", "bert", "onnx:ft（默认）、onnx", "onnx:ft (the default), onnx"),
    ("RONGZHI_CHROMA_SSL", "maybe", "true", "true"),
    ("RONGZHI_LLM_BASE_URL", "api.deepseek.com", "http:// 或 https://", "http:// or https://"),
    ("RONGZHI_AS_OF", "tomorrow", "YYYY-MM-DD", "YYYY-MM-DD"),
    ("RONGZHI_AS_OF", "2026-02-30", "YYYY-MM-DD", "YYYY-MM-DD"),
    # Credentials: checked, never repeated.
    ("RONGZHI_UI_AUTH", "admin-without-password", "用户名:密码", "user:password"),
    ("RONGZHI_CHROMA_HEADERS", "Bearer sk-secret", "JSON 对象", "JSON object"),
]


@pytest.mark.parametrize("name,value,accepted_zh,accepted_en", BAD)
def test_bad_values_are_named_with_what_is_accepted(monkeypatch, name, value, accepted_zh, accepted_en):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as info:
        Settings.from_env()
    err = info.value
    assert name in err.zh and name in err.en and err.exit_code == 2
    assert accepted_zh in err.zh and accepted_en in err.en
    secret = name.removeprefix("RONGZHI_").lower() in SECRET_FIELDS
    assert (value in err.zh and value in err.en) != secret  # the value is shown unless it is a credential
    assert "\n" not in err.zh and "\n" not in err.en


def test_every_setting_has_a_check():
    """A setting added later is checked too: every field is a path (any value) or has a check."""
    paths = {"corpus_dir", "law_dir", "treaty_dir", "data_dir"}
    assert set(CHECKS) | paths == {f.name for f in fields(Settings)}


def test_the_checked_values_are_the_ones_the_code_reads():
    from rongzhi.assistant import service, synonyms

    assert TYPO_MODES == service.TYPO_MODES and set(LAY_TABLES) == set(synonyms.TABLES)


@pytest.mark.parametrize("name,value,expected", [
    ("max_question_chars", " 50 ", 50), ("max_upload_bytes", "4_096", 4096), ("chroma_port", "8443", 8443),
    ("chroma_ssl", "TRUE", True), ("chroma_ssl", "0", False), ("gate_min_dense", "0.77", 0.77),
    ("close_ratio", "1.01", 1.01), ("llm_timeout_s", "2.5", 2.5), ("lay_tables", "hand, learned", "hand,learned"),
    ("fusion", "rrf", "rrf"), ("embedder", "onnx", "onnx"), ("as_of", "2026-11-25", "2026-11-25"),
    ("llm_base_url", "http://127.0.0.1:11434/v1", "http://127.0.0.1:11434/v1"), ("ui_auth", "me:p:ss", "me:p:ss"),
    ("chroma_headers", '{"Authorization": "Bearer x"}', '{"Authorization": "Bearer x"}'),
])
def test_good_values_are_read_typed(monkeypatch, name, value, expected):
    monkeypatch.setenv("RONGZHI_" + name.upper(), value)
    assert getattr(Settings.from_env(), name) == expected


def test_an_empty_variable_means_the_default(monkeypatch):
    for name in ("RONGZHI_MAX_QUESTION_CHARS", "RONGZHI_CHROMA_PORT", "RONGZHI_FUSION", "RONGZHI_LLM_BASE_URL"):
        monkeypatch.setenv(name, "  ")
    settings = Settings.from_env()
    assert (settings.max_question_chars, settings.chroma_port, settings.fusion, settings.llm_enabled) == (2000, 8000, "learned", False)


def test_overrides_are_checked_and_named_by_their_option(tmp_path):
    with pytest.raises(SettingsError, match=r"--embedder \(RONGZHI_EMBEDDER\)"):
        Settings.from_env(embedder="bert")
    with pytest.raises(SettingsError) as info:
        Settings(data_dir=tmp_path).with_(ui_port=99999)
    assert "--port (RONGZHI_UI_PORT)" in info.value.zh and "99999" in info.value.en
    with pytest.raises(DateError):  # a bad --as-of is still the DateError every other date raises
        Settings().with_(as_of="2026-13-01")
    assert Settings().with_(close_ratio=1.01, ui_port=8080).ui_port == 8080


def test_a_secret_is_never_repeated(monkeypatch):
    monkeypatch.setenv("RONGZHI_UI_AUTH", "sk-very-secret")
    with pytest.raises(RongZhiError) as info:
        Settings.from_env()
    assert "sk-very-secret" not in info.value.zh + info.value.en + str(info.value)


# -- what a user sees -------------------------------------------------------------------------------
def rongzhi(args: list[str], tmp_path, timeout: int = 60, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("RONGZHI_")}
    environment |= {"RONGZHI_DATA_DIR": str(tmp_path / "data"), **env}
    return subprocess.run([sys.executable, "-m", "rongzhi.cli", *args], capture_output=True, text=True, env=environment,
                          timeout=timeout)


@pytest.mark.parametrize("args,name,value,zh", [
    (["corpus", "status"], "RONGZHI_CHROMA_PORT", "abc", "RONGZHI_CHROMA_PORT 应为 1 到 65535 之间的端口号，而不是「abc」"),
    (["ask", "专利法第四十二条"], "RONGZHI_MAX_QUESTION_CHARS", "abc", "RONGZHI_MAX_QUESTION_CHARS 应为不小于 1 的整数"),
    (["ask", "专利法第四十二条"], "RONGZHI_MAX_QUESTION_CHARS", "-5", "而不是「-5」"),
    (["ask", "专利法第四十二条"], "RONGZHI_FUSION", "banana", "未知的排序设置 RONGZHI_FUSION：banana"),
    (["ask", "专利法第四十二条"], "RONGZHI_ANSWERABILITY", "maybe", "未知的可答性设置 RONGZHI_ANSWERABILITY：maybe"),
    (["ask", "专利法第四十二条"], "RONGZHI_EMBED_THREADS", "lots", "RONGZHI_EMBED_THREADS 应为不小于 1 的整数"),
    (["corpus", "add", "x.txt"], "RONGZHI_MAX_UPLOAD_BYTES", "1k", "RONGZHI_MAX_UPLOAD_BYTES 应为不小于 1 的整数"),
    (["ui"], "RONGZHI_UI_PORT", "99999", "RONGZHI_UI_PORT 应为 1 到 65535 之间的端口号，而不是「99999」"),
])
def test_the_cli_says_which_setting_is_wrong(tmp_path, args, name, value, zh):
    """Before: a traceback (abc), 「内部错误」 exit 3 (banana, maybe), 「问题过长（13 字，上限 -5 字）」, or the
    UI loading every model before an OverflowError (99999). Now one line each way, exit 2, at once."""
    proc = rongzhi(args, tmp_path, **{name: value})
    assert proc.returncode == 2, proc.stderr[-2000:]
    chinese, english = proc.stderr.splitlines()  # one line each
    assert chinese.startswith("错误：") and zh in chinese and english.startswith("Error: ") and name in english
    assert "Traceback" not in proc.stderr and "内部错误" not in proc.stderr and not proc.stdout
    proc = rongzhi([*args, "--json"] if args != ["ui"] else args, tmp_path, **{name: value})
    if args != ["ui"]:
        error = json.loads(proc.stdout)
        assert proc.returncode == 2 and zh in error["error"] and name in error["error_en"]


def test_a_bad_port_option_fails_before_the_ui_loads(tmp_path):
    proc = rongzhi(["ui", "--port", "99999"], tmp_path)
    assert proc.returncode == 2 and "--port (RONGZHI_UI_PORT) 应为 1 到 65535 之间的端口号" in proc.stderr
    assert "正在加载" not in proc.stdout and "Traceback" not in proc.stderr


def test_python_ui_py_reports_a_bad_setting_like_the_cli(tmp_path):
    """`python ui.py` reads the settings itself (not through the CLI): a bad one was a traceback."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("RONGZHI_")}
    environment |= {"RONGZHI_DATA_DIR": str(tmp_path / "data"), "RONGZHI_UI_PORT": "99999"}
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve().parent.parent / "ui.py")], capture_output=True,
                          text=True, env=environment, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "RONGZHI_UI_PORT 应为 1 到 65535 之间的端口号" in proc.stderr and "Error: RONGZHI_UI_PORT" in proc.stderr
