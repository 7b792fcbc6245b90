"""RongZhi web UI (gradio): chat with sources, persona tabs, evaluation, corpus page.

Run ``python ui.py`` or ``rongzhi ui`` (binds 127.0.0.1:7860 by default). The page works offline:
analytics are off, the theme uses local fonts, and models load once at start. This module only
lays out and renders; answers come from ``assistant.Assistant`` like everywhere else.
"""
from __future__ import annotations

import argparse
import html
import os
import re
import tempfile
import threading
from pathlib import Path

from rongzhi.core.settings import Settings, apply_offline_env

KIND_ORDER = ("地方工作方案", "地方规范性文件", "法律", "行政法规", "司法解释", "部门规章", "用户添加")
SCRIPTS = ("自动", "简体", "繁體")
COMPANY_TYPES = ("高新技术企业", "科技型中小企业", "专精特新企业", "国有企业", "高校或科研院所", "外资或台资企业", "其他企业")
IP_HELD = ("发明专利", "实用新型", "外观设计", "注册商标", "地理标志", "软件著作权", "集成电路布图设计", "植物新品种", "商业秘密")
PLANS = ("质押融资", "贯标", "专利导航", "海外维权", "专利转化", "开放许可", "标准制定", "知识产权保险", "证券化", "侵权维权")
EXAMPLES_ZH = ("专利法第四十二条是怎么规定的？", "方案任务19", "福州怎样支持知识产权质押融资？", "商标侵权的赔偿数额怎么确定？")
EXAMPLES_TW = ("台灣同胞來福州參加專利代理師考試有什麼便利？", "台灣高端智慧財產權人才來福州工作，方案怎麼說？",
               "台灣同胞投資者的投資會被徵收嗎？", "榕台智慧財產權智庫要做什麼？")
UPLOAD_TYPES = [".txt", ".md", ".docx", ".pdf", ".html", ".htm"]
CSS = """
.rz-source { border: 1px solid #d0d7de; border-radius: 8px; padding: 8px 12px; margin-bottom: 10px; }
.rz-source:target, .rz-source.rz-focus { border-color: #c2410c; box-shadow: 0 0 0 3px #fed7aa; }
.rz-src-head { font-weight: 600; }
.rz-meta { color: #57606a; font-size: 0.85em; margin: 2px 0 6px; }
.rz-source blockquote { margin: 0; white-space: pre-wrap; font-size: 0.92em; }
.rz-source mark { background: #fde68a; }
.rz-declined { border-left: 4px solid #b45309; background: #fffbeb; padding: 8px 12px; border-radius: 6px; }
.rz-related { color: #57606a; }
"""


class Backend:
    """One Assistant per process, replaced (atomically) when the corpus changes."""

    def __init__(self, settings: Settings):
        from rongzhi.assistant.service import Assistant

        self.settings = settings
        self._lock = threading.Lock()
        self.assistant = Assistant(settings)

    def reload(self) -> None:
        from rongzhi.assistant.service import Assistant

        fresh = Assistant(self.settings, auto_ingest=False)
        with self._lock:
            self.assistant = fresh

    def kinds(self) -> list[str]:
        present = {d["kind"] for d in self.assistant.documents if d.get("chunks")}
        return [k for k in KIND_ORDER if k in present] + sorted(present - set(KIND_ORDER))


# -- rendering ----------------------------------------------------------------------------------
def _convert(text: str, script: str) -> str:
    from rongzhi.core.normalize import to_simplified_display, to_traditional

    if script == "简体":
        return to_simplified_display(text)
    if script == "繁體":
        return to_traditional(text)
    return text


def answer_markdown(result: dict, script: str = "自动") -> str:
    """The chat message: [n] become links to the sources panel; declines look different."""
    text = html.escape(_convert(result["answer"], script))
    text = re.sub(r"\[(\d+)\]", r'<a href="#rz-src-\1" class="rz-cite">[\1]</a>', text)
    if result.get("answerable"):
        return text
    related = "".join(f"<li>《{html.escape(r['title'])}》{html.escape(r['locator'])}</li>"
                      for r in result.get("related", []))
    label = "可能相關" if result.get("language") == "zh-Hant" or script == "繁體" else "可能相关"
    extra = f'<div class="rz-related">{label}：<ul>{related}</ul></div>' if related else ""
    return f'<div class="rz-declined">⚠️ {text}{extra}</div>'


def _highlight(chunk_text: str, quote: str) -> str:
    """The source text with the quoted sentences marked."""
    marks = []
    for piece in (p.strip() for p in quote.split("……")):
        start = chunk_text.find(piece) if piece else -1
        if start >= 0:
            marks.append((start, start + len(piece)))
    out, pos = [], 0
    for a, b in sorted(marks):
        if a < pos:
            continue
        out += [html.escape(chunk_text[pos:a]), "<mark>", html.escape(chunk_text[a:b]), "</mark>"]
        pos = b
    out.append(html.escape(chunk_text[pos:]))
    return "".join(out)


def sources_html(result: dict | None) -> str:
    if not result or not result.get("citations"):
        return '<div class="rz-empty">（回答的出处会显示在这里）</div>'
    cards = []
    for c in result["citations"]:
        meta = " · ".join(x for x in (c.get("kind"), c.get("version_date") and f"版本 {c['version_date']}",
                                      c.get("section")) if x)
        cards.append(f'<div class="rz-source" id="rz-src-{c["n"]}"><div class="rz-src-head">[{c["n"]}] '
                     f'《{html.escape(c["title"])}》{html.escape(c["locator"])}</div>'
                     f'<div class="rz-meta">{html.escape(meta)}</div>'
                     f'<blockquote>{_highlight(c.get("chunk_text") or c["quote"], c["quote"])}</blockquote></div>')
    return "".join(cards)


def measures_html(result: dict) -> str:
    parts = []
    for need in result["needs"]:
        items = "".join(f"<li>《{html.escape(m['title'])}》{html.escape(m['locator'])}：“{html.escape(m['quote_display'])}”</li>"
                        for m in need["matches"]) or "<li>工作方案中没有直接对应的措施</li>"
        parts.append(f"<h4>{html.escape(need['need'])}</h4><ul>{items}</ul>")
    if result.get("notice"):
        parts.append(f'<div class="rz-declined">{html.escape(result["notice"])}</div>')
    return "".join(parts)


# -- the app ------------------------------------------------------------------------------------
def build_app(backend: Backend):
    import gradio as gr

    from rongzhi.assistant.personas import find_measures, plan_tasks, task_detail
    from rongzhi.assistant.render import task_text
    from rongzhi.assistant.filters import Filters
    from rongzhi.core.errors import RongZhiError

    def ask(message, messages, history, kinds, script, use_llm):
        messages = list(messages or [])
        history = list(history or [])
        if not (message or "").strip():
            return messages, history, sources_html(None), ""
        assistant = backend.assistant
        all_kinds = backend.kinds()
        filters = Filters(kinds=tuple(kinds)) if kinds and set(kinds) != set(all_kinds) else None
        try:
            result = assistant.ask(message, history=history[-3:], filters=filters, use_llm=bool(use_llm))
        except RongZhiError as err:
            messages += [{"role": "user", "content": message}, {"role": "assistant", "content": f"⚠️ {err.zh}"}]
            return messages, history, sources_html(None), ""
        history.append(result)
        messages += [{"role": "user", "content": message},
                     {"role": "assistant", "content": answer_markdown(result, script)}]
        return messages, history, sources_html(result), ""

    def ask_single(message, script="自动"):
        try:
            result = backend.assistant.ask(message)
        except RongZhiError as err:
            return f"⚠️ {err.zh}", sources_html(None)
        return answer_markdown(result, script), sources_html(result)

    def tasks_rows(search=""):
        rows = [[t["locator"], t["section"], t["title"], "、".join(t["bodies"]) or "—"] for t in plan_tasks(backend.assistant)]
        search = (search or "").strip()
        return [r for r in rows if not search or any(search in cell for cell in r)]

    def show_task(n):
        try:
            detail = task_detail(backend.assistant, int(n))
        except (TypeError, ValueError):
            detail = None
        return task_text(detail) if detail else "工作方案只有 22 项重点任务（1–22）。"

    def measures(company, ip_held, plans, free_text):
        parts = [company or "", *(ip_held or []), *(plans or []), free_text or ""]
        description = "，".join(p for p in parts if p.strip())
        if not description:
            return "请先选择或填写企业情况。"
        return measures_html(find_measures(backend.assistant, description))

    def corpus_rows():
        """Documents users added come first, then the manifest's order."""
        docs = sorted(backend.assistant.documents, key=lambda d: not d.get("source", "").startswith("added:"))
        return [[d["doc_id"], d["title"], d["kind"], d.get("chunks", 0), d.get("version_date", ""),
                 d["status"] + (f"（{d['note']}）" if d.get("note") else "")] for d in docs]

    def upload(file, title, doc_id):
        from rongzhi.ingest.corpus_add import add_document
        from rongzhi.index.build import ingest

        # Returns (status, documents table, file input); the input is cleared for the next file.
        if not file:
            return "请先选择文件。", corpus_rows(), None
        path = Path(file if isinstance(file, str) else file.name)
        if path.suffix.lower() not in UPLOAD_TYPES:
            return f"⚠️ 未添加：不支持的文件类型 {path.suffix}；支持：{' '.join(UPLOAD_TYPES)}", corpus_rows(), None
        try:
            entry = add_document(backend.settings, path, doc_id=(doc_id or None), title=(title or None))
            ingest(backend.settings, quiet=True, wait=True)
            backend.reload()
        except RongZhiError as err:
            return f"⚠️ 未添加：{err.zh}", corpus_rows(), None
        chunks = next((d.get("chunks", 0) for d in backend.assistant.documents if d["doc_id"] == entry["doc_id"]), 0)
        return f"已添加《{entry['title']}》（{entry['doc_id']}），{chunks} 块。", corpus_rows(), None

    def run_eval():
        from rongzhi.evals.harness import run as run_harness
        from rongzhi.evals.harness import summary_table

        out = Path(tempfile.mkdtemp(prefix="rongzhi-eval-"))
        report = run_harness(backend.assistant, fast=True, out_dir=out)
        return summary_table(report) + f"\n\n{report['questions']} 题，用时 {report['seconds']} 秒。", str(out / "chart.png")

    llm_ready = backend.settings.llm_enabled
    with gr.Blocks(title="榕知 RongZhi") as app:
        gr.Markdown("# 榕知 RongZhi\n福州知识产权政策与法律问答：每个回答都逐字引用原文并注明出处；资料中没有的内容不作答。")
        history = gr.State([])
        with gr.Tabs():
            with gr.Tab("问答", id="chat"):
                with gr.Row():
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(label="对话", height=480, elem_id="rz-chat", sanitize_html=False)
                        with gr.Row():
                            box = gr.Textbox(placeholder="输入问题，例如：专利法第四十二条", show_label=False, scale=5,
                                             elem_id="rz-question")
                            send = gr.Button("提问", variant="primary", scale=1, elem_id="rz-send")
                        gr.Examples(list(EXAMPLES_ZH), inputs=box, label="示例")
                        with gr.Accordion("筛选与显示", open=False):
                            kinds = gr.CheckboxGroup(backend.kinds(), value=backend.kinds(), label="文件类型")
                            script = gr.Radio(list(SCRIPTS), value="自动", label="显示文字")
                            use_llm = gr.Checkbox(value=False, interactive=llm_ready,
                                                  label="使用大模型改写（已配置 RONGZHI_LLM_BASE_URL 时可用，回答会先核验）")
                    with gr.Column(scale=2):
                        gr.Markdown("### 出处")
                        sources = gr.HTML(sources_html(None), elem_id="rz-sources")
                inputs = [box, chatbot, history, kinds, script, use_llm]
                outputs = [chatbot, history, sources, box]
                send.click(ask, inputs, outputs, concurrency_limit=4)
                box.submit(ask, inputs, outputs, concurrency_limit=4)
            with gr.Tab("企业", id="enterprise"):
                gr.Markdown("按企业情况查找工作方案中的支持措施（资助金额见专项资金管理办法，未加载时会说明）。")
                with gr.Row():
                    company = gr.Dropdown(list(COMPANY_TYPES), label="企业类型")
                    ip_held = gr.CheckboxGroup(list(IP_HELD), label="已有知识产权")
                plans = gr.CheckboxGroup(list(PLANS), label="打算做什么")
                free = gr.Textbox(label="其他情况（可选）")
                find = gr.Button("查找适用措施", variant="primary", elem_id="rz-find")
                found = gr.HTML(elem_id="rz-measures")
                find.click(measures, [company, ip_held, plans, free], found)
            with gr.Tab("公务员", id="civil"):
                gr.Markdown("22 项重点任务：所属部分、标题、文中提到的机构。方案未写明各任务的牵头单位。")
                search = gr.Textbox(label="搜索任务（标题、部分或机构）", elem_id="rz-task-search")
                table = gr.Dataframe(tasks_rows(), headers=["任务", "部分", "标题", "文中提到的机构"], wrap=True,
                                     interactive=False, elem_id="rz-tasks")
                search.change(tasks_rows, search, table)
                with gr.Row():
                    number = gr.Number(value=19, precision=0, minimum=1, maximum=22, label="任务编号")
                    show = gr.Button("查看任务")
                detail = gr.Markdown(show_task(19))
                show.click(show_task, number, detail)
            with gr.Tab("台灣專業人士", id="taiwan"):
                gr.Markdown("專利代理師考試、來榕工作與人才支持、台胞投資保障：請直接提問，回答以繁體顯示並附原文出處。")
                tw_box = gr.Textbox(label="問題", elem_id="rz-tw-question")
                tw_send = gr.Button("提問", variant="primary", elem_id="rz-tw-send")
                gr.Examples(list(EXAMPLES_TW), inputs=tw_box, label="範例")
                tw_answer = gr.HTML(elem_id="rz-tw-answer")
                tw_sources = gr.HTML(elem_id="rz-tw-sources")
                tw_send.click(lambda m: ask_single(m, "繁體"), tw_box, [tw_answer, tw_sources])
            with gr.Tab("评估", id="eval"):
                gr.Markdown("在金标准集的快速子集上评测当前索引（约 1 分钟）。")
                run = gr.Button("运行快速评测", elem_id="rz-eval")
                eval_table = gr.Markdown()
                eval_chart = gr.Image(label="指标", type="filepath")
                run.click(run_eval, None, [eval_table, eval_chart], concurrency_limit=1)
            with gr.Tab("语料", id="corpus"):
                docs = gr.Dataframe(corpus_rows(), headers=["doc_id", "标题", "类型", "块数", "版本日期", "状态"],
                                    wrap=True, interactive=False, elem_id="rz-docs")
                gr.Markdown(f"添加文件：{' '.join(UPLOAD_TYPES)}，UTF-8/GBK/Big5，"
                            f"不超过 {backend.settings.max_upload_bytes // (1024 * 1024)} MB。"
                            "专项资金管理办法会自动对应其清单条目。")
                upload_file = gr.File(file_types=UPLOAD_TYPES, label="文件", elem_id="rz-upload")
                with gr.Row():
                    up_title = gr.Textbox(label="标题（可选）")
                    up_id = gr.Textbox(label="doc_id（可选）")
                add = gr.Button("添加并重建索引", variant="primary", elem_id="rz-add")
                add_status = gr.Markdown(elem_id="rz-add-status")
                add.click(upload, [upload_file, up_title, up_id], [add_status, docs, upload_file], concurrency_limit=1)
    return app


def theme():
    import gradio as gr

    return gr.themes.Default(font=["PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", "system-ui", "sans-serif"],
                             font_mono=["ui-monospace", "monospace"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="榕知 RongZhi web UI")
    parser.add_argument("--host", default=os.environ.get("RONGZHI_UI_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("RONGZHI_UI_PORT", "7860")))
    parser.add_argument("--auth", default=os.environ.get("RONGZHI_UI_AUTH", ""), help="user:password (basic auth)")
    parser.add_argument("--data-dir")
    parser.add_argument("--law-dir")
    parser.add_argument("--treaty-dir")
    args = parser.parse_args(argv)
    settings = Settings.from_env(data_dir=args.data_dir, law_dir=args.law_dir, treaty_dir=args.treaty_dir)
    apply_offline_env(settings)
    app = build_app(Backend(settings))
    auth = tuple(args.auth.split(":", 1)) if ":" in args.auth else None
    app.queue(default_concurrency_limit=4, max_size=64).launch(
        server_name=args.host, server_port=args.port, auth=auth, theme=theme(), css=CSS, footer_links=[],
        max_file_size=settings.max_upload_bytes, show_error=True, ssr_mode=False, quiet=True)


if __name__ == "__main__":
    main()
