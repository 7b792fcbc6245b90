"""RongZhi web UI (gradio): chat with sources, persona tabs, evaluation, corpus page.

Run ``python ui.py`` or ``rongzhi ui`` (binds 127.0.0.1:7860 by default). The page works offline:
analytics are off, the theme uses local fonts, and models load once at start. This module only
lays out and renders; answers come from ``assistant.Assistant`` like everywhere else.
"""
from __future__ import annotations

import argparse
import html
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
.rz-source.rz-focus { border-color: #c2410c; box-shadow: 0 0 0 3px #fed7aa; }
.rz-turn { display: none; }
.rz-turn.rz-active { display: block; }
.rz-turn-head { color: #57606a; font-size: 0.85em; margin-bottom: 6px; }
.rz-reason { color: #57606a; font-size: 0.9em; }
.rz-pending { color: #57606a; font-style: italic; }
.rz-src-head { font-weight: 600; }
.rz-meta { color: #57606a; font-size: 0.85em; margin: 2px 0 6px; }
.rz-source blockquote { margin: 0; white-space: pre-wrap; font-size: 0.92em; }
.rz-source mark { background: #fde68a; }
.rz-declined { border-left: 4px solid #b45309; background: #fffbeb; padding: 8px 12px; border-radius: 6px; }
.rz-related { color: #57606a; }
"""

# Runs in the page (passed to launch(head=...)). Each answer's [n] links carry the answer's turn
# (data-turn); the sources panel holds every turn's sources and shows one turn at a time, so an
# old answer's link shows that answer's sources again. Only the clicked card gets the focus
# border. New answers are scrolled into view (the start of the answer, not the bottom).
HEAD_JS = """
<script>
(function () {
  function showTurn(turn, n) {
    const card = document.getElementById('rz-src-' + turn + '-' + n);
    const group = card && card.closest('.rz-turn');
    const panel = group && group.parentElement;  // the chat's panel, or the Taiwan tab's
    if (!panel) return;
    panel.querySelectorAll('.rz-turn').forEach(t => t.classList.toggle('rz-active', t === group));
    panel.querySelectorAll('.rz-focus').forEach(c => c.classList.remove('rz-focus'));
    if (card) {
      card.classList.add('rz-focus');
      card.scrollIntoView({block: 'nearest'});
      history.replaceState(null, '', '#rz-src-' + turn + '-' + n);
    }
  }
  document.addEventListener('click', function (ev) {
    const link = ev.target.closest && ev.target.closest('a.rz-cite');
    if (!link) return;
    ev.preventDefault();
    showTurn(link.dataset.turn, link.dataset.n);
  }, true);
  let seen = '';
  function scrollToNewest() {
    const chat = document.getElementById('rz-chat');
    if (!chat) return;
    const answers = chat.querySelectorAll('.rz-answer, .rz-pending');
    const last = answers[answers.length - 1];
    if (!last) return;
    const key = answers.length + ':' + last.className;  // a new message, or progress turned answer
    if (key === seen) return;
    seen = key;
    let box = last.parentElement;
    while (box && box !== chat.parentElement) {
      const style = getComputedStyle(box);
      if (/(auto|scroll)/.test(style.overflowY) && box.scrollHeight > box.clientHeight) break;
      box = box.parentElement;
    }
    if (box && box !== chat.parentElement) {
      const top = last.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop - 60;
      box.scrollTop = Math.max(0, top);
    }
  }
  new MutationObserver(() => setTimeout(scrollToNewest, 50)).observe(document.documentElement, {childList: true, subtree: true});
})();
</script>
"""
UI_UPLOAD_HINT = "可在本页“语料”标签上传该文件"


def ui_hints(text: str) -> str:
    """Answers written for the terminal tell users to run `rongzhi corpus add 文件`; in the web
    UI the same step is the 语料 tab's upload (and no backticks are shown)."""
    text = re.sub(r"可[运運]行\s*`rongzhi corpus add[^`]*`\s*", UI_UPLOAD_HINT, text)
    text = re.sub(r"可用\s*`?rongzhi corpus add[^`，。；]*`?\s*", UI_UPLOAD_HINT, text)
    text = re.sub(r"Add it with `rongzhi corpus add[^`]*`\.?", "Upload it on the 语料 (corpus) tab.", text)
    return text.replace("`", "")


class Backend:
    """One Assistant per process, replaced (atomically) when the corpus changes."""

    def __init__(self, settings: Settings):
        from rongzhi.assistant.service import Assistant

        from rongzhi.index.build import ensure_index

        self.settings = settings
        self._lock = threading.Lock()
        ensure_index(settings)
        self.assistant = Assistant(settings)

    def reload(self) -> None:
        from rongzhi.assistant.service import Assistant

        fresh = Assistant(self.settings)
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


def answer_markdown(result: dict, script: str = "自动", turn: int | str = 1) -> str:
    """The chat message: [n] become links to *this answer's* sources (turn ``turn``); declines
    look different."""
    from rongzhi.assistant.render import not_in_force

    text = html.escape(ui_hints(_convert(result["answer"], script)))
    text = re.sub(r"\[(\d+)\]", rf'<a href="#rz-src-{turn}-\1" class="rz-cite" data-turn="{turn}" data-n="\1">[\1]</a>',
                  text)
    if result.get("answerable"):
        return f'<div class="rz-answer" data-turn="{turn}">{text}</div>'
    related = "".join(f"<li>《{html.escape(r['title'])}》{html.escape(r['locator'])}"
                      f"{html.escape(_convert(not_in_force(r), script))}</li>" for r in result.get("related", []))
    label = "可能相關" if result.get("language") == "zh-Hant" or script == "繁體" else "可能相关"
    extra = f'<div class="rz-related">{label}：<ul>{related}</ul></div>' if related else ""
    return f'<div class="rz-answer rz-declined" data-turn="{turn}">⚠️ {text}{extra}</div>'


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


def _cards(result: dict, turn: int | str) -> str:
    cards = []
    for c in result["citations"]:
        meta = " · ".join(x for x in (c.get("kind"), c.get("version_date") and f"版本 {c['version_date']}",
                                      c.get("status_label"), c.get("section")) if x)
        cards.append(f'<div class="rz-source" id="rz-src-{turn}-{c["n"]}"><div class="rz-src-head">[{c["n"]}] '
                     f'《{html.escape(c["title"])}》{html.escape(c["locator"])}</div>'
                     f'<div class="rz-meta">{html.escape(meta)}</div>'
                     f'<blockquote>{_highlight(c.get("chunk_text") or c["quote"], c["quote"])}</blockquote></div>')
    return "".join(cards)


def sources_html(result: dict | None, turn: int | str = 1) -> str:
    """One answer's sources (the Taiwan tab's single answer)."""
    if not result or not result.get("citations"):
        return '<div class="rz-empty">（回答的出处会显示在这里）</div>'
    return f'<div class="rz-turn rz-active" data-turn="{turn}">{_cards(result, turn)}</div>'


def conversation_sources_html(history: list[dict]) -> str:
    """Every answer's sources, one group per turn (turn = position in the conversation, from 1);
    the latest is shown, and clicking [n] in an older answer shows that answer's group again."""
    groups = []
    for turn, result in enumerate(history, start=1):
        active = " rz-active" if turn == len(history) else ""
        body = _cards(result, turn) if result.get("citations") else '<div class="rz-empty">（这个回答没有引用出处）</div>'
        question = html.escape(result.get("question", "")[:60])
        groups.append(f'<div class="rz-turn{active}" data-turn="{turn}"><div class="rz-turn-head">第 {turn} 问：{question}</div>'
                      f'{body}</div>')
    return "".join(groups) or '<div class="rz-empty">（回答的出处会显示在这里）</div>'


def task_markdown(detail: dict) -> str:
    """One task, readable: heading, where it sits, its text one sentence per list item (the
    plan's own words), then the bodies it names and the note on lead units."""
    from rongzhi.assistant.render import split_sentences

    def md(text: str) -> str:
        return re.sub(r"([\\`*_\[\]#|<>])", r"\\\1", text)

    sentences = [x for x in split_sentences(detail["text_display"]) if x != detail.get("title_display")]
    bodies = "、".join(detail["bodies"]) or "（无）"
    return "\n".join([f"### {md(detail['locator'])} {md(detail['title'])}", "",
                      f"**所属部分：** {md(detail['section'])}  ", f"**出处：** 《{md(detail['doc_title'])}》{md(detail['locator'])}",
                      "", *(f"- {md(x)}" for x in sentences), "", f"**文中提到的机构/主体：** {md(bodies)}", "",
                      f"*{md(detail['lead_units_note'])}*",
                      *(["", f"**{md(detail['plan_status'])}**"] if detail.get("plan_status") else [])])


MEASURES_NOTICE_UI = ("资助标准和申报条件规定在《福州市知识产权专项资金管理办法》（榕政办规〔2022〕7号）中，该文件全文尚未加载；"
                      "上面只列出工作方案中的相关措施，不含资助金额。如有该办法的文件，" + UI_UPLOAD_HINT + "。")


def measures_html(result: dict) -> str:
    """Measures by need (wants first), each with its one-line reason and quote."""
    from rongzhi.core.normalize import to_traditional

    trad = result.get("language") == "zh-Hant"
    parts = []
    for need in result["needs"]:
        if need.get("context"):
            continue
        items = "".join(f"<li>《{html.escape(m['title'])}》{html.escape(m['locator'])}"
                        f"<div class=\"rz-reason\">{html.escape(m['reason'])}</div>“{html.escape(m['quote_display'])}”</li>"
                        for m in need["matches"]) or "<li>工作方案中没有直接对应的措施</li>"
        parts.append(f"<h4>{html.escape(need['need'])}</h4><ul>{items}</ul>")
    context = [n["need"] for n in result["needs"] if n.get("context")]
    if context:
        parts.append(f'<p class="rz-reason">已按您的情况排序：{html.escape("、".join(context))}</p>')
    if result.get("plan_status"):
        parts.append(f'<div class="rz-declined" id="rz-plan-status">{html.escape(result["plan_status"])}</div>')
    if result.get("notice_code") == "measures_not_loaded":
        notice = to_traditional(MEASURES_NOTICE_UI) if trad else MEASURES_NOTICE_UI
        parts.append(f'<div class="rz-declined" id="rz-measures-notice">{html.escape(notice)}</div>')
    return "".join(parts)


# -- the app ------------------------------------------------------------------------------------
def build_app(backend: Backend):
    import gradio as gr

    from rongzhi.assistant.personas import find_measures, plan_tasks, task_detail
    from rongzhi.assistant.filters import Filters
    from rongzhi.core.errors import RongZhiError

    def ask(message, messages, history, kinds, script, use_llm, as_of=""):
        """A generator: the question shows at once with a progress line, then the extractive
        answer; with the LLM ticked, that answer stays visible while the model's rewrite is
        checked, and is replaced by the rewrite once verified (or kept, with the reason)."""
        messages = list(messages or [])
        history = list(history or [])
        if not (message or "").strip():
            yield messages, history, conversation_sources_html(history), ""
            return
        assistant = backend.assistant
        all_kinds = backend.kinds()
        filters = Filters(kinds=tuple(kinds)) if kinds and set(kinds) != set(all_kinds) else None
        asked = messages + [{"role": "user", "content": message}]
        if (as_of or "").strip():  # issue #11: answer with the law in force on that day
            from dataclasses import replace as _replace

            from rongzhi.core.versions import check_date

            try:
                day = check_date(as_of, "日期")
            except RongZhiError as err:
                yield asked + [{"role": "assistant", "content": f"⚠️ {html.escape(err.zh)}"}], history, \
                    conversation_sources_html(history), message
                return
            filters = _replace(filters or Filters(), as_of=day)
        yield (asked + [{"role": "assistant", "content": '<div class="rz-pending">正在检索原文…</div>'}],
               history, conversation_sources_html(history), "")
        try:
            result = assistant.ask(message, history=history[-3:], filters=filters, use_llm=False)
            if use_llm and result.get("answerable"):
                pending = answer_markdown(result, script, len(history) + 1) + (
                    '<div class="rz-pending">大模型正在改写，改写后逐条核验引用和数字；未通过核验时保留上面的摘录式回答…</div>')
                yield (asked + [{"role": "assistant", "content": pending}], history,
                       conversation_sources_html(history + [result]), "")
                result = assistant.ask(message, history=history[-3:], filters=filters, use_llm=True)
        except RongZhiError as err:
            yield asked + [{"role": "assistant", "content": f"⚠️ {html.escape(err.zh)}"}], history, \
                conversation_sources_html(history), ""
            return
        history.append(result)
        content = answer_markdown(result, script, len(history))
        llm = result.get("llm") or {}
        if llm.get("fallback"):
            content += f'<div class="rz-related">大模型回答未通过核验，已保留摘录式回答：{html.escape(str(llm.get("reason")))}</div>'
        yield asked + [{"role": "assistant", "content": content}], history, conversation_sources_html(history), ""

    def ask_single(message, script="自动"):
        try:
            result = backend.assistant.ask(message)
        except RongZhiError as err:
            return f"⚠️ {html.escape(err.zh)}", sources_html(None)
        # Its own turn name, so its [n] links never point into the chat's sources panel.
        return answer_markdown(result, script, turn="tw"), sources_html(result, turn="tw")

    def tasks_rows(search=""):
        """Rows whose label cells or task text contain the search words (any script)."""
        from rongzhi.core.normalize import to_simplified

        wanted = to_simplified((search or "").strip())
        rows = []
        for t in plan_tasks(backend.assistant):
            row = [t["locator"], t["section"], t["title"], "、".join(t["bodies"]) or "—"]
            if not wanted or any(wanted in to_simplified(cell) for cell in row) or wanted in to_simplified(t["text"]):
                rows.append(row)
        return rows

    def show_task(n):
        try:
            detail = task_detail(backend.assistant, int(n))
        except (TypeError, ValueError):
            detail = None
        return task_markdown(detail) if detail else "工作方案只有 22 项重点任务（1–22）。"

    def measures(company, ip_held, plans, free_text):
        parts = [company or ""]
        if ip_held:
            parts.append("有" + "、".join(ip_held))
        if plans:
            parts.append("想做" + "、".join(plans))
        parts.append(free_text or "")
        description = "，".join(p for p in parts if p.strip())
        if not description:
            return "请先选择或填写企业情况。"
        return measures_html(find_measures(backend.assistant, description))

    def corpus_rows():
        """Documents users added come first, then the manifest's order. The status comes right
        after the title so it is never off-screen; the long doc_id is last."""
        from rongzhi.assistant.render import status_label

        docs = sorted(backend.assistant.documents, key=lambda d: not d.get("source", "").startswith("added:"))
        return [[d["title"], status_label(d) + (f"（{d['note']}）" if d.get("note") else ""), d["kind"],
                 d.get("chunks", 0), d.get("version_date", ""), d["doc_id"]] for d in docs]

    def upload(file, title, doc_id, replace):
        from rongzhi.ingest.corpus_add import add_document, corpus_change
        from rongzhi.index.build import ingest

        # Returns (status, documents table, file input); the input is cleared for the next file.
        if not file:
            return "请先选择文件。", corpus_rows(), None
        path = Path(file if isinstance(file, str) else file.name)
        if path.suffix.lower() not in UPLOAD_TYPES:
            return f"⚠️ 未添加：不支持的文件类型 {path.suffix}；支持：{' '.join(UPLOAD_TYPES)}", corpus_rows(), None
        try:
            with corpus_change(backend.settings):  # a failed re-index leaves nothing registered
                entry = add_document(backend.settings, path, doc_id=(doc_id or None), title=(title or None),
                                     replace=bool(replace))
                ingest(backend.settings, quiet=True, wait=True)
            backend.reload()
        except RongZhiError as err:
            return f"⚠️ 未添加：{html.escape(err.zh)}", corpus_rows(), None
        if entry.get("unchanged"):
            return f"《{entry['title']}》已添加过，内容相同，未作改动。", corpus_rows(), None
        chunks = next((d.get("chunks", 0) for d in backend.assistant.documents if d["doc_id"] == entry["doc_id"]), 0)
        replaced = "".join(f"已替换原有文档《{o['title']}》（{o['doc_id']}）。" for o in entry.get("replaced", []))
        return f"{replaced}已添加《{entry['title']}》（{entry['doc_id']}），{chunks} 块。", corpus_rows(), None

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
                        chatbot = gr.Chatbot(label="对话", height=480, elem_id="rz-chat", sanitize_html=False,
                                             autoscroll=False)  # HEAD_JS scrolls to the start of each new answer
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
                            as_of = gr.Textbox(label="按此日期有效的法律回答（YYYY-MM-DD，留空为今天）",
                                               placeholder="例如 2027-02-01", elem_id="rz-as-of")
                    with gr.Column(scale=2):
                        gr.Markdown("### 出处")
                        sources = gr.HTML(conversation_sources_html([]), elem_id="rz-sources")
                inputs = [box, chatbot, history, kinds, script, use_llm, as_of]
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
                search = gr.Textbox(label="搜索任务（标题、部分、机构或任务原文，如 台湾、质押）", elem_id="rz-task-search")
                table = gr.Dataframe(tasks_rows(), headers=["任务", "部分", "标题", "文中提到的机构"], wrap=True,
                                     interactive=False, elem_id="rz-tasks", column_widths=["9%", "24%", "22%", "45%"])
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
                docs = gr.Dataframe(corpus_rows(), headers=["标题", "状态", "类型", "块数", "版本日期", "doc_id"],
                                    wrap=True, interactive=False, elem_id="rz-docs",
                                    column_widths=["30%", "16%", "10%", "7%", "11%", "26%"])
                gr.Markdown(f"添加文件：{' '.join(UPLOAD_TYPES)}，UTF-8/GBK/Big5，"
                            f"不超过 {backend.settings.max_upload_bytes // (1024 * 1024)} MB。"
                            "专项资金管理办法会自动对应其清单条目。")
                upload_file = gr.File(file_types=UPLOAD_TYPES, label="文件", elem_id="rz-upload")
                with gr.Row():
                    up_title = gr.Textbox(label="标题（可选）")
                    up_id = gr.Textbox(label="doc_id（可选）")
                    up_replace = gr.Checkbox(value=False, label="替换同名文档（默认不替换，并提示）", elem_id="rz-replace")
                add = gr.Button("添加并重建索引", variant="primary", elem_id="rz-add")
                add_status = gr.Markdown(elem_id="rz-add-status")
                add.click(upload, [upload_file, up_title, up_id, up_replace], [add_status, docs, upload_file],
                          concurrency_limit=1)
            version_diff_tab(gr, backend)  # issue #11: 版本对照
    return app


def version_diff_html(diff: dict) -> str:
    """``rongzhi diff`` as HTML: a summary line, then one card per changed article; deleted words
    struck through, inserted words underlined."""
    from rongzhi.assistant.versions import CHANGE_ZH, removed_note

    a, b, c = diff["from"], diff["to"], diff["counts"]
    head = (f"<p><b>《{html.escape(diff['title'])}》</b> {a['version_date']} 版（{a['effective_date'] or a['version_date']} 起施行，"
            f"{diff['articles']['from']} 条）→ {b['version_date']} 版（{b['effective_date'] or b['version_date']} 起施行，"
            f"{diff['articles']['to']} 条）：修改 {c.get('changed', 0)}，仅条号变更 {c.get('renumbered', 0)}，"
            f"新增 {c.get('added', 0)}，删除 {c.get('removed', 0)}。</p>")
    cards = []
    for it in diff["changes"]:
        if it["change"] == "unchanged":
            continue
        where = (f"原{it['from']} → 新{it['to']}" if it["from"] and it["to"] and it["from"] != it["to"]
                 else it["to"] or it["from"]) + removed_note(it)
        if it["change"] == "changed":
            body = "".join(html.escape(s["text"]) if s["op"] == "equal" else
                           f'<del style="background:#fee2e2">{html.escape(s["text"])}</del>' if s["op"] == "delete" else
                           f'<ins style="background:#dcfce7">{html.escape(s["text"])}</ins>' for s in it["segments"])
        elif it["change"] == "renumbered":
            body = "（内容未变）"
        else:
            body = html.escape(it["new_text"] or it["old_text"])
        cards.append(f'<div class="rz-source rz-diff-{it["change"]}"><div class="rz-src-head">[{CHANGE_ZH[it["change"]]}] '
                     f'{html.escape(where)}</div><blockquote>{body}</blockquote></div>')
    return head + "".join(cards)


def version_diff_tab(gr, backend) -> None:
    """A tab comparing two versions of a law article by article (laws with several versions only)."""
    from rongzhi.assistant.versions import diff_documents
    from rongzhi.core.errors import RongZhiError

    counts: dict[str, int] = {}
    for d in backend.assistant.documents:
        if d.get("chunks"):
            counts[d["title"]] = counts.get(d["title"], 0) + 1
    titles = sorted(t for t, n in counts.items() if n > 1)

    def show(title):
        if not title:
            return ""
        try:
            return version_diff_html(diff_documents(backend.settings, title))
        except RongZhiError as err:
            return f"⚠️ {html.escape(err.zh)}"

    with gr.Tab("版本对照", id="versions"):
        gr.Markdown("同一部法律的两个版本逐条对照：新增、删除、条号变更和修改（<del>删去的文字</del>、<ins>新增的文字</ins>）。"
                    "条文按内容对应，不按条号。")
        law = gr.Dropdown(titles, value=titles[0] if titles else None, label="法律", elem_id="rz-diff-law")
        out = gr.HTML(elem_id="rz-diff")
        gr.Button("对照", elem_id="rz-diff-run").click(show, law, out)


def theme():
    import gradio as gr

    return gr.themes.Default(font=["PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", "system-ui", "sans-serif"],
                             font_mono=["ui-monospace", "monospace"])


def launch(settings: Settings) -> None:
    """Start the UI with these settings (``rongzhi ui`` passes the CLI's, so --data-dir,
    --corpus-dir, --embedder… all apply) and say where it listens."""
    import logging

    apply_offline_env(settings)
    import jieba

    jieba.setLogLevel(logging.WARNING)
    from rongzhi.index.store import current_generation

    if current_generation(settings.data_dir) is None:
        from rongzhi.index.embedders import first_build_time

        print(f"首次使用：正在建立索引（只需一次，{first_build_time(settings.embedder)}）……", flush=True)
    print("正在加载索引和模型……", flush=True)
    app = build_app(Backend(settings))
    auth = tuple(settings.ui_auth.split(":", 1)) if ":" in settings.ui_auth else None
    app.queue(default_concurrency_limit=4, max_size=64).launch(
        server_name=settings.ui_host, server_port=settings.ui_port, auth=auth, theme=theme(), css=CSS, head=HEAD_JS,
        footer_links=[], max_file_size=settings.max_upload_bytes, show_error=True, ssr_mode=False, quiet=True,
        prevent_thread_lock=True)
    print(listening_message(settings), flush=True)
    app.block_thread()


def listening_message(settings: Settings) -> str:
    url = f"http://{settings.ui_host}:{settings.ui_port}/"
    if settings.ui_host in ("127.0.0.1", "localhost", "::1"):
        where = f"只监听 {settings.ui_host}：只有本机可以访问（对外开放用 --host 0.0.0.0 并设置 --auth）"
    else:
        where = f"监听 {settings.ui_host}：其他机器也能访问" + ("，已启用基本认证" if settings.ui_auth else "，⚠️ 未设置 --auth")
    return f"榕知网页界面已启动：{url}\n{where}。按 Ctrl+C 退出。"


def main(argv: list[str] | None = None) -> None:
    """``python ui.py``: the same options as ``rongzhi ui``; unset ones come from RONGZHI_* (Settings)."""
    parser = argparse.ArgumentParser(description="榕知 RongZhi web UI")
    parser.add_argument("--host", help="listen address (RONGZHI_UI_HOST, default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (RONGZHI_UI_PORT, default 7860)")
    parser.add_argument("--auth", help="user:password basic auth (RONGZHI_UI_AUTH)")
    parser.add_argument("--data-dir")
    parser.add_argument("--law-dir")
    parser.add_argument("--treaty-dir")
    parser.add_argument("--corpus-dir")
    parser.add_argument("--embedder")
    args = parser.parse_args(argv)
    launch(Settings.from_env(data_dir=args.data_dir, law_dir=args.law_dir, treaty_dir=args.treaty_dir,
                             corpus_dir=args.corpus_dir, embedder=args.embedder, ui_host=args.host,
                             ui_port=args.port, ui_auth=args.auth))


if __name__ == "__main__":
    main()
