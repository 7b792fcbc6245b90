"""The rongzhi command as a user runs it (a real subprocess over the session's index)."""
import json
import os
import subprocess
import sys

import pytest


def run(settings, *args, input=None):
    env = {**os.environ, "RONGZHI_DATA_DIR": str(settings.data_dir), "RONGZHI_LAW_DIR": str(settings.law_dir)}
    return subprocess.run([sys.executable, "-m", "rongzhi.cli", *args], capture_output=True, text=True,
                          env=env, input=input, timeout=300)


def test_ask_json_contract(full_settings):
    proc = run(full_settings, "ask", "专利法第四十二条", "--json")
    assert proc.returncode == 0, proc.stderr
    lines = [l for l in proc.stdout.splitlines() if l.strip()]
    assert len(lines) == 1
    obj = json.loads(lines[0])
    for key in ("question", "answer", "answerable", "language", "citations", "mode", "timings_ms"):
        assert key in obj
    assert obj["mode"] == "extractive" and obj["language"] == "zh-Hans" and obj["answerable"] is True
    cite = obj["citations"][0]
    assert {"n", "doc_id", "title", "locator", "quote", "score"} <= set(cite)
    assert cite["title"] == "中华人民共和国专利法" and cite["locator"] == "第四十二条" and cite["n"] == 1


def test_ask_prints_answer_and_sources(full_settings):
    proc = run(full_settings, "ask", "方案任务19")
    assert proc.returncode == 0
    # The task's heading is quoted in the plan's own words (智慧財產權, in Simplified characters).
    assert "推动榕台智慧财产权协同发展" in proc.stdout and "来源：" in proc.stdout and "任务19" in proc.stdout


def test_batch(full_settings, tmp_path):
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"id": "a", "question": "商标法第63条"}\n{"id": "b", "question": "今天天气如何"}\n'
                     '{"id": "c", "question": ""}\nnot json\n{"id": "e", "question": 5}\n'
                     '{"id": "f", "question": "专利法第42条"}\n', encoding="utf-8")
    proc = run(full_settings, "ask", "--batch", str(batch), "--json")
    objs = [json.loads(l) for l in proc.stdout.splitlines() if l.strip()]
    # A line's own id is kept whenever the line could be read; an unreadable line is named by number.
    assert [o["id"] for o in objs] == ["a", "b", "c", 4, 5, "f"]
    assert objs[0]["citations"][0]["locator"] == "第六十三条"
    assert objs[1]["answerable"] is False
    assert "问题为空" in objs[2]["error"] and "error_en" in objs[2]
    assert "第 4 行格式错误" in objs[3]["error"] and "第 5 行格式错误" in objs[4]["error"]
    assert "not a string" in objs[4]["error_en"]
    assert objs[5]["citations"][0]["locator"] == "第四十二条"  # the lines after the bad ones are answered
    assert proc.returncode == 1  # some lines failed


def test_batch_of_plain_lines(full_settings, tmp_path):
    # A list of questions pasted into a .txt file, one per line: each is answered under its line
    # number (blank lines skipped), instead of every line being called badly formatted.
    batch = tmp_path / "q.txt"
    batch.write_text("专利法第42条\n\n今天天气如何\n商标法第63条\n", encoding="utf-8")
    proc = run(full_settings, "ask", "--batch", str(batch), "--json")
    objs = [json.loads(l) for l in proc.stdout.splitlines() if l.strip()]
    assert [o["id"] for o in objs] == [1, 3, 4]
    assert objs[0]["citations"][0]["locator"] == "第四十二条" and objs[2]["citations"][0]["locator"] == "第六十三条"
    assert objs[1]["answerable"] is False and not any("error" in o for o in objs)
    assert proc.returncode == 0


def test_a_failure_while_answering_is_not_blamed_on_the_line():
    # A stand-in assistant that fails (a real one cannot be made to hit a bug on purpose): the
    # line is reported as an internal error under its own id, not as a badly formatted line.
    from rongzhi.cli import _batch_line

    class Failing:
        def ask(self, question, **kwargs):
            raise AttributeError("'NoneType' object has no attribute 'part'")

    result = _batch_line(Failing(), '{"id": "q7", "question": "商标怎么续展"}', 7, None, False)
    assert result["id"] == "q7"
    assert "内部错误" in result["error"] and "格式错误" not in result["error"]
    assert "AttributeError" in result["error_en"]


def test_errors_are_clear_and_exit_2(full_settings):
    proc = run(full_settings, "ask", "   ")
    assert proc.returncode == 2 and "问题为空" in proc.stderr and "Error:" in proc.stderr
    proc = run(full_settings, "ask", "", "--json")
    assert proc.returncode == 2 and json.loads(proc.stdout)["error_en"] == "the question is empty"


def test_corpus_status_lists_every_document(full_settings):
    proc = run(full_settings, "corpus", "status", "--json")
    docs = json.loads(proc.stdout)["documents"]
    assert len(docs) == 42  # plan, measures, RCEP chapter, 39 law files
    measures = next(d for d in docs if d["doc_id"] == "fuzhou-ip-fund-measures")
    assert measures["status"] == "not_loaded" and measures["chunks"] == 0
    patent = next(d for d in docs if d["title"] == "中华人民共和国专利法")
    assert patent["chunks"] == 82 and patent["version_date"] == "2020-10-17"
    text = run(full_settings, "corpus", "status").stdout
    assert "未加载" in text and "中华人民共和国专利法" in text


def test_tasks_and_task(full_settings):
    proc = run(full_settings, "tasks")
    assert proc.returncode == 0 and proc.stdout.count("任务") >= 22
    detail = json.loads(run(full_settings, "task", "19", "--json").stdout)
    assert detail["title"] == "推动榕台知识产权协同发展"
    missing = run(full_settings, "task", "23")
    assert missing.returncode == 2 and "22 项" in missing.stderr
    # written as a user writes it: click's English-only "is not a valid integer" before (session 22)
    assert json.loads(run(full_settings, "task", "十九", "--json").stdout)["title"] == detail["title"]
    assert json.loads(run(full_settings, "task", "第十九项", "--json").stdout)["title"] == detail["title"]
    bad = run(full_settings, "task", "abc")
    assert bad.returncode == 2 and "任务编号应为数字" in bad.stderr and "must be a number" in bad.stderr


def test_chat_follow_up(full_settings):
    proc = run(full_settings, "chat", input="外国人能参加专利代理师考试吗？\n那台湾人呢？\nexit\n")
    assert proc.returncode == 0
    assert proc.stdout.count("来源：") >= 2 and "任务19" in proc.stdout


def test_chat_follow_up_that_names_its_own_task_and_a_prompt_in_the_askers_script(full_settings):
    # Session 22, a Taiwan user: 「那第二十項呢？」 after task 19 printed task 19 again, under a Simplified 问> prompt.
    proc = run(full_settings, "chat", input="第十九項任務是什麼？\n那第二十項呢？\nexit\n")
    assert proc.returncode == 0
    first, *after = proc.stdout.split("問> ")
    assert len(after) == 2  # the two prompts after a Traditional question are Traditional; the first is 问>
    assert "重點任務第19項" in first.split("问> ", 1)[1] and "重點任務第20項" in after[0].split("\n")[0]


def test_corpus_add_measures_then_answer(small_settings, tmp_path):
    """A user who has the special-fund measures adds them. The file here is a clearly fake
    test fixture written for this test, not the real measures."""
    fixture = tmp_path / "测试用办法.txt"
    fixture.write_bytes("福州市知识产权专项资金管理办法（测试夹具，非真实文本）\n第一条 测试条文：本办法用于测试。\n"
                        "第十四条 测试条文：测试用公共服务补助为一万元。\n".encode("gbk"))
    proc = run(small_settings, "corpus", "add", str(fixture), "--json", "--date", "2022-06-01")
    assert proc.returncode == 0, proc.stderr
    entry = json.loads(proc.stdout)
    assert entry["doc_id"] == "fuzhou-ip-fund-measures" and entry["chunks"] == 2
    assert entry["title"] == "福州市知识产权专项资金管理办法"
    answer = json.loads(run(small_settings, "ask", "专项资金管理办法第十四条", "--json").stdout)
    assert answer["answerable"] and answer["citations"][0]["locator"] == "第十四条"
    assert "测试用公共服务补助" in answer["citations"][0]["quote"]
    status = json.loads(run(small_settings, "corpus", "status", "--json").stdout)["documents"]
    assert next(d for d in status if d["doc_id"] == "fuzhou-ip-fund-measures")["status"] == "in_force"


def test_corpus_add_rejects_bad_files_and_keeps_the_index(small_settings, tmp_path):
    run(small_settings, "ingest", "--quiet")
    before = (small_settings.data_dir / "index" / "CURRENT").read_text()
    bad = tmp_path / "x.txt"
    bad.write_bytes(b"\x00\x01binary")
    proc = run(small_settings, "corpus", "add", str(bad))
    assert proc.returncode == 2 and "二进制" in proc.stderr
    assert (small_settings.data_dir / "index" / "CURRENT").read_text() == before
    proc = run(small_settings, "corpus", "add", str(tmp_path / "x.txt"), "--doc-id", "../../etc")
    assert proc.returncode == 2


@pytest.mark.parametrize("args", [["--help"], ["ask", "--help"], ["corpus", "add", "--help"], ["ingest", "--help"]])
def test_every_command_has_help(args):
    proc = subprocess.run([sys.executable, "-m", "rongzhi.cli", *args], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "Usage" in proc.stdout


def test_an_index_from_an_older_rongzhi_is_rebuilt_on_the_next_question(small_settings):
    """After an upgrade that changes the index format, the next question says what is happening,
    rebuilds from the embedding cache and answers — not an error asking for `ingest --rebuild`."""
    from rongzhi.index.build import ingest
    from rongzhi.index.store import FORMAT_VERSION, current_generation, read_meta

    ingest(small_settings, quiet=True)
    old_gen = current_generation(small_settings.data_dir)
    meta = read_meta(old_gen)
    (old_gen / "meta.json").write_text(json.dumps({**meta, "format": FORMAT_VERSION - 1}), encoding="utf-8")
    proc = run(small_settings, "ask", "方案任务19")
    assert proc.returncode == 0, proc.stderr
    assert f"格式 {FORMAT_VERSION - 1}" in proc.stderr and "首次使用" not in proc.stderr
    assert "任务19" in proc.stdout and "来源" in proc.stdout
    new_gen = current_generation(small_settings.data_dir)
    assert new_gen != old_gen and read_meta(new_gen)["format"] == FORMAT_VERSION
    again = run(small_settings, "ask", "方案任务19")
    assert again.returncode == 0 and "旧版" not in again.stderr  # rebuilt once, not on every question


def test_switching_embedder_names_both_settings_and_the_fix(small_settings):
    """A user who tries the base embedder over an index built with the default (fine-tuned) one is
    told which setting built the index, which one is asked for, and both ways out; nothing is
    rebuilt behind their back and the index still answers with the old setting."""
    assert run(small_settings, "ingest").returncode == 0
    proc = run(small_settings, "--embedder", "onnx", "ask", "专利权的期限是多久？")
    assert proc.returncode == 2
    assert "RONGZHI_EMBEDDER=onnx:ft）建立" in proc.stderr and "（onnx）" in proc.stderr
    assert "rongzhi ingest" in proc.stderr and "设回 onnx:ft" in proc.stderr
    assert "set RONGZHI_EMBEDDER back to onnx:ft" in proc.stderr
    again = run(small_settings, "ask", "方案任务19")
    assert again.returncode == 0 and "任务19" in again.stdout and "重建" not in again.stderr


def _questions(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def test_eval_on_your_own_questions(full_settings, tmp_path):
    """An evaluator brings a file in the splits' schema: it is checked against the index before any
    question runs, evaluated like a project split, and gated when asked."""
    right = {"id": "m1", "persona": "enterprise", "question": "发明专利保护多少年？", "answerable": True, "script": "zh-Hans",
             "gold": [{"title": "中华人民共和国专利法", "locator": "第四十二条"}], "must_include": ["二十年"]}
    away = {"id": "m2", "persona": "out_of_scope", "question": "福州明天会下雨吗？", "answerable": False, "script": "zh-Hans",
            "gold": [], "must_include": []}
    out = tmp_path / "out"
    proc = run(full_settings, "eval", "--questions", _questions(tmp_path / "mine.jsonl", [right, away]), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(l) for l in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {(r["split"], r["id"]) for r in rows if r["system"] == "rongzhi"} == {("mine", "m1"), ("mine", "m2")}
    assert "| mine | RongZhi" in (out / "report.md").read_text(encoding="utf-8")

    # A gold that is not the answer: the threshold is checked on the evaluator's file.
    wrong = {**right, "id": "m3", "gold": [{"title": "中华人民共和国专利法", "locator": "第一条"}], "must_include": []}
    proc = run(full_settings, "eval", "--questions", _questions(tmp_path / "gate.jsonl", [wrong]), "--min-hit1", "0.5",
               "--out", str(tmp_path / "gate"))
    assert proc.returncode == 1 and "gate: hit@1 0.0 < 0.5" in proc.stderr

    # Wrong files fail before anything runs, naming the row or line, in Chinese and English.
    bad = {**right, "id": "b1", "gold": [{"title": "中华人民共和国专利法", "locator": "第九百条"}]}
    proc = run(full_settings, "eval", "--questions", _questions(tmp_path / "bad.jsonl", [bad]), "--out", str(tmp_path / "bad"))
    assert proc.returncode == 2 and "b1: citation does not resolve" in proc.stderr and "2 处问题" in proc.stderr
    assert not (tmp_path / "bad").exists()
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps(right, ensure_ascii=False) + "\nnot json\n", encoding="utf-8")
    proc = run(full_settings, "eval", "--questions", str(broken))
    assert proc.returncode == 2 and "第 2 行不是合法的 JSON" in proc.stderr and "line 2" in proc.stderr
