"""The web UI's handlers without a browser: what a failure while answering shows (report s23, D18),
and the backend reopening an index another process rebuilt."""
from rongzhi.core.errors import IndexMissing
from rongzhi.core.settings import Settings


class FailingBackend:
    """Answers nothing: raises what a deleted index generation raised under the s23 tester."""

    settings = Settings.from_env()

    def __init__(self, error: Exception):
        self.error = error

    def kinds(self):
        return ["法律"]

    def ask(self, question, **kwargs):
        raise self.error


def run_turn(backend, question, script="自动"):
    from rongzhi import ui

    return list(ui.chat_turn(backend, question, [], [], None, script))


def test_a_failure_while_answering_is_said_and_the_question_kept():
    steps = run_turn(FailingBackend(RuntimeError("unable to open database file")), "专利法第四十二条")
    messages, history, _, box, _ = steps[-1]
    shown = messages[-1]["content"]
    assert "处理这个问题时出错" in shown and "Something went wrong" in shown and "RuntimeError" in shown
    assert "rz-pending" not in shown and "unable to open" not in shown  # no spinner left, no internals
    assert box == "专利法第四十二条" and history == []  # ask again with one key press
    assert steps[0][3] == "" and "正在检索原文" in steps[0][0][-1]["content"]  # progress was shown first


def test_a_rongzhi_error_while_answering_says_what_to_do_in_the_tabs_script():
    error = IndexMissing("索引已损坏或版本不符：请运行 rongzhi ingest --rebuild 重建。", "the index is corrupt")
    messages = run_turn(FailingBackend(error), "台灣同胞來福州參加專利代理師考試有什麼便利？")[-1][0]
    assert "索引已損壞" in messages[-1]["content"] and "the index is corrupt" in messages[-1]["content"]


def test_the_backend_reopens_an_index_rebuilt_by_another_process(small_settings):
    from rongzhi import ui
    from rongzhi.index.build import ingest

    ingest(small_settings, quiet=True)
    backend = ui.Backend(small_settings)
    before = backend.assistant
    old_generation = before.reader.generation
    ingest(small_settings, quiet=True, rebuild=True)  # another process publishes a new generation
    assert backend.assistant is not before and backend.assistant.reader.generation != old_generation
    assert backend.assistant is backend.assistant  # reopened once, not on every use
    assert backend.ask("方案任务19")["answerable"]
