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


# -- report s29: the web UI as a new user found it -------------------------------------------------
# These drive the page's own handlers (the functions gradio calls) on a private index of the plan and
# three laws; what only a browser shows is in tests/test_ui_report.py.
import shutil  # noqa: E402

import pytest  # noqa: E402

from .conftest import make_small_law_dir  # noqa: E402


@pytest.fixture(scope="module")
def ui_app(small_cache, tmp_path_factory):
    """(backend, app) over a private data dir; the tests below add documents to it in turn."""
    import os

    from rongzhi import ui
    from rongzhi.index.build import ingest

    root = tmp_path_factory.mktemp("ui-handlers")
    shutil.copytree(small_cache, root / "data" / "cache")
    if (small_cache.parent / "models").is_dir():
        shutil.copytree(small_cache.parent / "models", root / "data" / "models", copy_function=os.link)
    settings = Settings.from_env(data_dir=root / "data", law_dir=make_small_law_dir(root / "laws"))
    ingest(settings, quiet=True)
    backend = ui.Backend(settings)
    return backend, ui.build_app(backend)


def handler(app, name):
    """The function an event of the page calls, by its name in build_app."""
    return next(f.fn for f in app.fns.values() if f.name == name)


def component(app, test):
    return next(b for b in app.blocks.values() if test(b))


def last(generator):
    return list(generator)[-1]


def test_s29_an_added_document_type_is_searched_and_accepted(ui_app, tmp_path):
    """Report s29 #1: an upload was never searched in the 问答 tab (its type 用户添加 was not among the
    boxes drawn at start, and only ticked types were searched), and the API refused 地方规范性文件."""
    backend, app = ui_app
    ask, upload = handler(app, "ask"), handler(app, "upload")
    drawn = backend.kinds()
    assert "用户添加" not in drawn and "地方规范性文件" not in drawn
    doc = tmp_path / "界面测试通知.txt"
    doc.write_text("福州市知识产权界面测试通知\n第一条 界面测试通知的第一条规定鹦鹉服务站。\n第二条 测试条文二。\n", encoding="utf-8")
    status = upload(str(doc), "", "", False)[0]
    assert "已添加" in status and "2 块" in status
    # A page opened before the upload: its boxes are the old types, all ticked.
    messages, *_ = last(ask("福州市知识产权界面测试通知第一条", [], [], drawn, "自动", False, "", drawn))
    answer = messages[-1]["content"]
    assert "鹦鹉服务站" in answer and "没有勾选" not in answer and "rz-filtered" not in answer
    # The special-fund measures as a user adds them: type 地方规范性文件, which the API names.
    measures = tmp_path / "福州市知识产权专项资金管理办法.txt"
    measures.write_text("福州市知识产权专项资金管理办法\n第一条 为测试界面，专项资金用于界面测试补助。\n", encoding="utf-8")
    assert "已添加" in upload(str(measures), "", "", False)[0]
    boxes = component(app, lambda b: getattr(b, "elem_id", None) == "rz-kinds")
    assert boxes.preprocess(["地方规范性文件"]) == ["地方规范性文件"]  # was: not in the list of choices
    messages, *_ = last(ask("福州市知识产权专项资金管理办法第一条", [], [], ["地方规范性文件"], "自动", False, "", None))
    assert "界面测试补助" in messages[-1]["content"]
    # An API caller's list is taken as it is: with 法律 alone, the upload is not searched.
    messages, *_ = last(ask("福州市知识产权界面测试通知第一条", [], [], ["法律"], "自动", False, "", None))
    assert "鹦鹉服务站" not in messages[-1]["content"]
    # A type the index no longer has is said, not searched as if nothing were ticked.
    messages, _, _, box, hint = last(ask("专利代理", [], [], ["不存在的类型"], "自动", False, "", None))
    assert "不存在的类型" in hint and "没有文件" in hint and box == "专利代理"


def test_s29_duplicate_upload_names_the_pages_controls(ui_app, tmp_path):
    """Report s29 #5: a clash with an added document told web users to pass --replace / --title."""
    _, app = ui_app
    upload = handler(app, "upload")
    first, second = tmp_path / "a" / "重复测试通知.txt", tmp_path / "b" / "重复测试通知.txt"
    for path, text in ((first, "第一条 第一版。\n"), (second, "第一条 第二版，内容不同。\n")):
        path.parent.mkdir()
        path.write_text("福州市知识产权重复测试通知\n" + text, encoding="utf-8")
    assert "已添加" in upload(str(first), "", "", False)[0]
    status = upload(str(second), "", "", False)[0]
    assert "未添加" in status and "替换同名文档" in status and "标题" in status
    assert "--replace" not in status and "--title" not in status
    assert "已替换" in upload(str(second), "", "", True)[0]  # and the box it names does it


def test_s29_task_search_without_hits_says_so(ui_app):
    _, app = ui_app
    rows, note = handler(app, "tasks_rows")("火星基地")
    assert rows == [] and "没有找到包含“火星基地”的任务" in note and "22" in note
    rows, note = handler(app, "tasks_rows")("质押")
    assert any(r[0] == "任务7" for r in rows) and note == ""


def test_s29_task_tab_uses_the_plans_words_as_the_chat_quotes_them(ui_app):
    """Report s29 #4: the table said 「加强知识产权金融融合」, the chat 「加强智慧财产权金融融合」. Text taken
    from the plan keeps its words (in Simplified characters) in both; the search finds either wording."""
    backend, app = ui_app
    rows, _ = handler(app, "tasks_rows")("知识产权金融")  # the mainland wording still finds it
    task7 = next(r for r in rows if r[0] == "任务7")
    assert task7[2] == "加强智慧财产权金融融合"
    assert f"「{task7[2]}」" in backend.ask("方案任务7")["answer"]  # as the chat quotes it
    assert "智慧财产权运用" in task7[1]
    task19 = next(r for r in handler(app, "tasks_rows")("")[0] if r[0] == "任务19")
    assert "智慧财产权智库" in task19[3] and "知识产权智库" not in task19[3]  # the text's own name
    detail = handler(app, "show_task")(7)
    assert "### 任务7 加强智慧财产权金融融合" in detail and "“智慧财产权”即“知识产权”" in detail


def test_s29_llm_box_says_in_words_how_to_enable_it(ui_app):
    _, app = ui_app
    box = component(app, lambda b: "大模型改写" in str(getattr(b, "label", "")))
    assert "RONGZHI_" not in box.label and "RONGZHI_" not in (box.info or "")
    assert "大模型服务的地址" in box.info and "重新启动" in box.info


def test_s29_measures_need_no_company_type_and_find_insurance(ui_app):
    """Report s29 #6: 企业类型 preselected 高新技术企业 (a section in every result), 中小微企业 was not an
    option, and 知识产权保险 found nothing although task 7 says 鼓励保险机构开发新型智慧財產權保險產品."""
    _, app = ui_app
    company = component(app, lambda b: getattr(b, "label", None) == "企业类型")
    choices = [c[1] for c in company.choices]
    assert company.value not in ("高新技术企业",) and "中小微企业" in choices
    found = handler(app, "measures")(company.value, [], ["知识产权保险"], "")
    assert "任务7" in found and "高新技术企业" not in found and "没有直接对应" not in found
    assert "保险" in found
    found = handler(app, "measures")("中小微企业", [], [], "")
    assert "任务4" in found


def test_s35_measures_say_a_problem_inline_and_read_past_markup(ui_app):
    """Session 35's UI sweep (D-06): 「其他情况」 holding only emoji gave a bare English "Error" and a traceback in the server's
    output; 「**质押融资** <b>贯标</b>」 was rejected as having no words."""
    _, app = ui_app
    measures = handler(app, "measures")
    shown = measures("", [], [], "😀😀😀")
    assert 'class="rz-error' in shown and "没有可识别的文字" in shown and "only punctuation or emoji" in shown
    found = measures("", [], [], "**质押融资** <b>贯标</b>")
    assert "任务7" in found and "任务13" in found and "&lt;b&gt;" not in found and "<b>贯标" not in found


def test_s29_traditional_answers_point_to_the_upload_in_traditional():
    """Report s29 #2: 「如您有該文件，可在本页“语料”标签上传该文件加載後再問」."""
    from rongzhi import ui
    from rongzhi.core.normalize import count_script_chars

    answer = {"answer": "已收錄的文件中沒有相關規定。如您有該文件，可運行 `rongzhi corpus add 文件路徑` 加載後再問。",
              "answerable": False, "language": "zh-Hant", "related": []}
    shown = ui.answer_markdown(answer, "自动", 1)
    assert "上傳該文件後再問" in shown and "`" not in shown
    assert count_script_chars(shown)[2] == 0, shown  # no character only Simplified uses
    simplified = ui.answer_markdown({**answer, "answer": "如您有该文件，可运行 `rongzhi corpus add 文件路径` 加载后再问。",
                                     "language": "zh-Hans"}, "自动", 1)
    assert "可在本页“语料”标签上传该文件后再问。" in simplified


@pytest.mark.parametrize("zh, en", [
    ("这个文件不是《福州市知识产权专项资金管理办法》的正式文本：标题「X（测试）」。要作为普通文档添加，请用 --title 写出它自己的标题"
     "（如「X（测试）」），不要用 --doc-id fuzhou-ip-fund-measures。",
     "this file is not the official text of the listed X: the title 'X'. To add it as an ordinary document, pass --title "
     "with its own title and no --doc-id"),
    ("文件标题与《X》相同，但文中文号是「A」，不是清单中的 B。如确是该办法的这一文本，请加 --doc-id fuzhou-ip-fund-measures"
     "（文号按原文记为 A）；否则请用 --title 给出不同的标题。",
     "the title is that of the listed X, but the text's document number is A, not B; pass --doc-id fuzhou-ip-fund-measures "
     "if it is that document, or --title for another title"),
])
def test_s29_other_refused_uploads_name_the_pages_fields(zh, en):
    """ingest.corpus_add's other refusals name CLI flags too; the page says which of its fields to fill."""
    from rongzhi import ui

    shown_zh, shown_en = ui.upload_error_words(zh, en)
    assert "--" not in shown_zh and "--" not in shown_en
    assert "“标题（可选）”" in shown_zh and "“doc_id（可选）”" in shown_zh and "标题" in shown_en


def test_a_traditional_measures_list_names_its_sources_in_traditional():
    # Session 42's UI sweep (C11): the body was Traditional, each measure's heading 《福州市国家知识产权…》 Simplified.
    from rongzhi import ui

    result = {"language": "zh-Hant", "needs": [{"need": "榕台合作", "role": "want", "matches": [
        {"title": "福州市国家知识产权强市建设示范城市工作方案", "locator": "任务19", "reason": "與您想做的「榕台合作」有關",
         "quote_display": "加強榕台智慧財產權交流合作"}]}]}
    html = ui.measures_html(result)
    assert "《福州市國家知識產權強市建設示範城市工作方案》任務19" in html and "国家" not in html


def test_a_restated_turn_is_labelled_as_the_turn_it_restates():
    # Session 42's UI sweep (C12): after 「請用繁體回答」 the panel read 「第 4 問：那新版呢，是第几条？」 — the fourth turn's number
    # with the third turn's question, which looked off by one.
    from rongzhi import ui

    turns = [{"question": "商标法第四十条", "citations": []}, {"question": "那新版呢，是第几条？", "citations": []},
             {"question": "那新版呢，是第几条？", "citations": [], "display": "zh-Hant"}]
    html = ui.conversation_sources_html(turns)
    assert "第 3 問（重述第 2 問）：那新版呢" in html and "第 2 问：那新版呢" in html
