"""RongZhi web UI (gradio): chat with sources, persona tabs, evaluation, corpus page.

Run ``python ui.py`` or ``rongzhi ui`` (binds 127.0.0.1:7860 by default). The page works offline:
analytics are off, the theme uses local fonts, and models load once at start. This module only
lays out and renders; answers come from ``assistant.Assistant`` like everywhere else.

Everything shown in the page is built here as HTML from escaped text: the chat renders neither
Markdown nor unsanitized markup of its own (``render_markdown=False``), so a question, a file
name or a corpus text is always shown as typed and never runs as markup (report D2).
"""
from __future__ import annotations

import argparse
import html
import json
import logging
import re
import sys
import tempfile
import threading
from pathlib import Path

from rongzhi.core.settings import Settings, apply_offline_env

KIND_ORDER = ("地方工作方案", "地方规范性文件", "法律", "行政法规", "司法解释", "部门规章", "用户添加")
SCRIPTS = ("自动", "简体", "繁體")
# The first choice is "none": a dropdown without it preselected 高新技术企业 and added its measures to every
# result. 中小微企业 is the plan's own word for the companies task 4 supports.
NO_COMPANY_TYPE = "（未选择）"
COMPANY_TYPES = (NO_COMPANY_TYPE, "高新技术企业", "科技型中小企业", "中小微企业", "专精特新企业", "国有企业", "高校或科研院所",
                 "外资或台资企业", "其他企业")
IP_HELD = ("发明专利", "实用新型", "外观设计", "注册商标", "地理标志", "软件著作权", "集成电路布图设计", "植物新品种", "商业秘密")
PLANS = ("质押融资", "贯标", "专利导航", "海外维权", "专利转化", "开放许可", "标准制定", "知识产权保险", "证券化", "侵权维权")
EXAMPLES_ZH = ("专利法第四十二条是怎么规定的？", "方案任务19", "福州怎样支持知识产权质押融资？", "商标侵权的赔偿数额怎么确定？")
EXAMPLES_TW = ("台灣同胞來福州參加專利代理師考試有什麼便利？", "台灣高端智慧財產權人才來福州工作，方案怎麼說？",
               "台灣同胞投資者的投資會被徵收嗎？", "榕台智慧財產權智庫要做什麼？")
UPLOAD_TYPES = [".txt", ".md", ".docx", ".pdf", ".html", ".htm"]
# Upload problems, worded once: the page checks a chosen file before gradio does (HEAD_JS; gradio's
# own checks only toast in English) and the server checks again with the same words.
UPLOAD_BAD_TYPE = ("⚠️ 未添加“{name}”：不支持的文件类型 {suffix}；支持 {types}。"
                   " / Not added: {suffix} files are not supported (use {types}).")
UPLOAD_TOO_BIG = ("⚠️ 未添加“{name}”：文件 {size}，超过 {limit} 上限。"
                  " / Not added: the file is {size}, over the {limit} limit.")
NO_SUFFIX = "（无扩展名）"
# gradio's own words in the upload box follow the browser's language; an English browser would get
# "Drop File Here – or – Click to Upload" in a Chinese page, so the English texts are replaced.
UPLOAD_I18N_EN = {"upload_text.drop_file": "将文件拖放到此处 / Drop file here",
                  "upload_text.click_to_upload": "点击选择文件 / Click to choose", "common.or": "或 / or"}
# The chat's buttons likewise (gradio said "Clear", "Copy message" in an English browser, 清除 in a Chinese one).
CHAT_I18N = {"chatbot.clear": "清空对话", "chatbot.copy_message": "复制这条消息", "chatbot.copied_message": "已复制这条消息"}
# Every language gradio 6.31 ships words for (its frontend's lang/*.json): the page's words do not depend on
# the browser's language, so the page can name them (README, the Taiwan tab's relabelling in HEAD_JS).
GRADIO_LOCALES = ("ar", "ca", "ckb", "de", "en", "es", "et", "eu", "fa", "fi", "fr", "he", "hi", "id", "ja", "ko", "lt",
                  "nb", "nl", "pl", "pt", "pt-BR", "ro", "ru", "sv", "ta", "th", "tr", "uk", "ur", "uz", "zh-CN", "zh-TW")
# Button words no translation reaches (gradio writes "Copy conversation" in English), and gradio's English
# defaults should a translation be missing: what each chat shows instead (HEAD_JS relabel()).
CHAT_BUTTONS = {"Copy conversation": "复制整个对话", "Copied conversation": "已复制整个对话", "Clear": "清空对话",
                "Copy message": "复制这条消息", "Copied message": "已复制这条消息"}
CHAT_BUTTONS_TW = {"清空对话": "清除對話", "复制这条消息": "複製這則訊息", "已复制这条消息": "已複製這則訊息",
                   "复制整个对话": "複製整個對話", "已复制整个对话": "已複製整個對話"}
NO_KINDS = ("没有勾选任何文件类型，无法检索。请在“筛选与显示”中至少勾选一种。",
            "No document type is ticked, so nothing can be searched: tick at least one under 筛选与显示.")
KINDS_GONE = ("勾选的文件类型（{kinds}）在当前索引中没有文件，无法检索。请在“筛选与显示”中勾选其他类型。",
              "No document of the ticked type(s) ({kinds}) is in the index, so nothing can be searched: tick another "
              "type under 筛选与显示.")
# The 文件类型 boxes follow the index generation that is current: after an upload at once, and within this
# many seconds after another process (rongzhi ingest, corpus add) published a new one.
KIND_REFRESH_SECONDS = 5
FILTERED_OUT = ("注意：问题提到的{titles}属于“{kinds}”，当前“文件类型”筛选没有勾选，因此没有检索。"
                "要依据它回答，请在“筛选与显示”中勾选“{kinds}”。")
FILTERED_OUT_EN = "Note: the question names {titles} ({kinds}), which the 文件类型 filter leaves out, so it was not searched."
FAILED = ("处理这个问题时出错，没能给出回答（{kind}）。请再问一次；如果一直出错，请重启网页界面（rongzhi ui）。",
          "Something went wrong while answering ({kind}). Ask again; if it keeps failing, restart the web UI (rongzhi ui).")
TASK_EMPTY = ("请输入任务编号（1–{count} 的整数）。", "Enter a task number (a whole number from 1 to {count}).")
TASK_NOT_WHOLE = ("任务编号应为整数：{value} 不是。请输入 1–{count}。", "A task number is a whole number, not {value}: enter 1–{count}.")
TASK_OUT_OF_RANGE = ("没有任务{value}：工作方案共 {count} 项重点任务，请输入 1–{count}。",
                     "There is no task {value}: the plan has {count} key tasks; enter 1–{count}.")
TASK_NO_HITS = ("没有找到包含“{search}”的任务。可以换个说法（如 质押、台湾、仲裁），或清空搜索框查看全部 {count} 项任务。",
                "No task mentions “{search}”: try other words, or clear the box to see all {count} tasks.")
# What the web page can do about an upload that clashes with one already added: the CLI's own message
# (ingest.corpus_add) names its flags, which a web user has no way to pass.
UPLOAD_CLASH_ZH = "要用新文件替换它，请勾选“替换同名文档”后再添加；要作为另一份文档添加，请在“标题（可选）”中填写不同的标题。"
UPLOAD_CLASH_EN = ("tick 替换同名文档 (replace) and add again to replace it, or enter another title under 标题 "
                   "to add this file as another document")
LLM_LABEL = "使用大模型改写（回答会先核验）"
LLM_INFO_READY = "已接入大模型：先显示摘录式回答，改写后逐条核验引用和数字，未通过核验时保留摘录式回答。"
LLM_INFO_OFF = ("暂不可用：尚未接入大模型服务。需要由运行榕知的人填写大模型服务的地址和模型名称"
                "（见说明文档“可选：用大模型改写回答”），再重新启动网页界面。")
# The evaluation tab's chart: the harness's headline figures, per split (evals.harness.chart draws the same
# ones into one wide PNG, unreadable once a page scales nine panels into its width).
CHART_METRICS = ("hit@1", "hit@5", "mrr", "citation_hit", "fact_coverage", "decline_precision", "decline_recall")
LOG = logging.getLogger("rongzhi.ui")

CSS = """
.rz-source { border: 1px solid #d0d7de; border-radius: 8px; padding: 8px 12px; margin-bottom: 10px; }
.rz-source.rz-focus { border-color: #c2410c; box-shadow: 0 0 0 3px #fed7aa; }
.rz-turn { display: none; }
.rz-turn.rz-active { display: block; }
.rz-turn-head { color: #57606a; font-size: 0.85em; margin-bottom: 6px; overflow-wrap: anywhere; }
.rz-reason { color: #57606a; font-size: 0.9em; }
.rz-pending { color: #57606a; font-style: italic; }
.rz-src-head { font-weight: 600; overflow-wrap: anywhere; }
.rz-meta { color: #57606a; font-size: 0.85em; margin: 2px 0 6px; }
.rz-source blockquote { margin: 0; white-space: pre-wrap; font-size: 0.92em; }
.rz-source mark { background: #fde68a; }
.rz-question, .rz-answer { white-space: pre-wrap; overflow-wrap: anywhere; }
.rz-answer ul, .rz-answer .rz-note { white-space: normal; }
/* The 可能相关 list sits inside the decline's orange border: its bullets are indented past it, not on it. */
.rz-answer ul { margin: 4px 0 0; padding-left: 1.6em; }
.rz-answer li { list-style: disc outside; margin-left: 0; }
.rz-src-title { font-weight: 600; font-size: 1.15em; margin: 0 0 8px; }
.rz-declined { border-left: 4px solid #b45309; background: #fffbeb; padding: 8px 12px; border-radius: 6px; }
.rz-note { border-left: 4px solid #b45309; background: #fffbeb; padding: 6px 10px; border-radius: 6px; margin-bottom: 8px; }
.rz-error { border-left: 4px solid #b91c1c; background: #fef2f2; padding: 6px 10px; border-radius: 6px; white-space: normal; }
.rz-en { color: #57606a; font-size: 0.9em; }
.rz-related { color: #57606a; }
#rz-hint:not(:has(.rz-error)), #rz-tw-hint:not(:has(.rz-error)) { display: none; }
/* Every document type unticked (D17): said under the question box at once, by the page's own state
   rather than by a change event, whose results can land out of order under quick clicks. The notice
   yields to a refusal already in the hint, and a refusal for no types goes once a type is ticked. */
#rz-no-kinds { display: none; }
body:has(#rz-kinds input[type=checkbox]):not(:has(#rz-kinds input:checked)):not(:has(#rz-hint .rz-error)) #rz-no-kinds {
  display: block; }
body:has(#rz-kinds input:checked) #rz-hint:has(.rz-no-kinds-refusal) { display: none; }
#rz-eval-table { overflow-x: auto; }
#rz-eval-table td, #rz-eval-table th { white-space: nowrap; }  /* numbers never split (D10) */
/* A task's number and a version date never split either (session 42's UI sweep: 「任务1」 over three lines on a phone,
   「2025-06-」 / 「30）」 in the corpus table's status). */
#rz-tasks td:first-child .cell-wrap, #rz-docs td:nth-child(5) .cell-wrap { white-space: nowrap; }
/* The evaluation chart: one panel per split, as many side by side as fit (one on a phone); bars are HTML
   with their numbers as text, so they read at any width (the harness's PNG, 7920 px wide, did not). */
.rz-chart-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 300px), 1fr)); gap: 12px; }
.rz-chart-split { border: 1px solid #d0d7de; border-radius: 8px; padding: 8px 12px; margin: 0; min-width: 0; }
.rz-chart-split figcaption { font-weight: 600; margin-bottom: 6px; }
.rz-chart-row { display: grid; grid-template-columns: 7.5em 1fr 3.2em; align-items: center; gap: 6px;
  font-size: 13px; line-height: 1.3; margin: 3px 0; }
.rz-chart-label { color: #333; }
.rz-chart-track { background: #eef2f6; border-radius: 3px; height: 12px; position: relative; }
.rz-chart-bar { background: #1f77b4; border-radius: 3px; height: 100%; }
.rz-chart-bar.rz-sys-1 { background: #ff7f0e; } .rz-chart-bar.rz-sys-2 { background: #2ca02c; }
.rz-chart-value { font-variant-numeric: tabular-nums; text-align: right; white-space: nowrap; }
.rz-chart-legend { font-size: 13px; margin-bottom: 8px; color: #57606a; }
.rz-chart-key { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -1px;
  margin: 0 4px 0 10px; background: #1f77b4; }
.rz-chart-key.rz-sys-1 { background: #ff7f0e; } .rz-chart-key.rz-sys-2 { background: #2ca02c; }
"""

# Runs in the page (passed to launch(head=...)). Each answer's [n] links carry the answer's turn
# (data-turn); a sources panel holds every turn's sources and shows one turn at a time, so an
# old answer's link shows that answer's sources again. Only the clicked card gets the focus
# border. New answers are scrolled into view (the start of the answer, not the bottom).
# A file chosen for upload is checked here first (window.RZ_UPLOAD, see head_html): gradio's own
# checks of type and size only show English toasts, so a file that fails is stopped before them
# and the reason is shown in Chinese and English under the upload box.
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
  const seen = {};
  function scrollToNewest(id) {
    const chat = document.getElementById(id);
    if (!chat) return;
    const answers = chat.querySelectorAll('.rz-answer, .rz-pending, .rz-error');
    const last = answers[answers.length - 1];
    if (!last) return;
    const key = answers.length + ':' + last.className;  // a new message, or progress turned answer
    if (key === seen[id]) return;
    seen[id] = key;
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
  // gradio's own words in a chat (report s29): its buttons' tooltips follow the browser's language, and
  // some are English whatever it is ("Copy conversation"); a message's screen-reader label is
  // "bot's message: " and the message's HTML. Each chat gets them in its own script instead
  // (window.RZ_CHAT_LABELS, see head_html): the Taiwan tab's in Traditional.
  function relabel() {
    const all = window.RZ_CHAT_LABELS || {};
    for (const [id, labels] of Object.entries(all)) {
      const chat = document.getElementById(id);
      if (!chat) continue;
      chat.querySelectorAll('button').forEach(b => {
        const mine = labels.buttons[b.getAttribute('aria-label') || ''] || labels.buttons[b.getAttribute('title') || ''];
        if (!mine) return;
        b.setAttribute('aria-label', mine);
        b.setAttribute('title', mine);
      });
      chat.querySelectorAll('[aria-label]').forEach(m => {
        const role = /^(\w+)'s message: /.exec(m.getAttribute('aria-label'));
        if (!role) return;
        const text = m.innerText.replace(/\s+/g, ' ').trim();  // what is shown, never the markup
        m.setAttribute('aria-label', (role[1] === 'user' ? labels.question : labels.answer) + text);
      });
    }
  }
  // gradio's copy buttons copy a message's content, which here is the HTML this module built: the clipboard gets the
  // text the user sees instead, each message after its label when the whole conversation is copied (session 35's UI
  // sweep, D-07: a user pasting into a document got <div class="rz-answer" ...>). Written after gradio's own copy.
  const MESSAGES = '.rz-question, .rz-answer, .rz-error';
  function copiedText(button, chat) {
    const own = button.closest('.message-buttons');
    if (own) {  // one message's button: the message before it
      let row = own.previousElementSibling;
      while (row && !row.querySelector(MESSAGES)) row = row.previousElementSibling;
      return row ? row.querySelector(MESSAGES).innerText.trim() : null;
    }
    if (!/复制|複製|copy/i.test(button.getAttribute('aria-label') || '')) return null;  // clear, not copy
    const labels = (window.RZ_CHAT_LABELS || {})[chat.id] || {question: '', answer: ''};
    return Array.from(chat.querySelectorAll(MESSAGES))
      .map(m => (m.classList.contains('rz-question') ? labels.question : labels.answer) + m.innerText.trim())
      .join('\\n\\n');
  }
  document.addEventListener('click', function (ev) {
    const button = ev.target.closest && ev.target.closest('button');
    const chat = button && button.closest('#rz-chat, #rz-tw-chat');
    const text = chat && copiedText(button, chat);
    if (text && navigator.clipboard) setTimeout(() => navigator.clipboard.writeText(text).catch(() => {}), 150);
  }, true);
  new MutationObserver(() => setTimeout(() => { ['rz-chat', 'rz-tw-chat'].forEach(scrollToNewest); relabel(); }, 50))
    .observe(document.documentElement, {childList: true, subtree: true, attributes: true,
                                         attributeFilter: ['aria-label', 'title']});

  function fill(template, values) {
    return template.replace(/\\{(\\w+)\\}/g, (m, k) => (k in values ? values[k] : m));
  }
  function sizeText(bytes) {  // as ui.size_text
    const [n, unit] = bytes >= 1048576 ? [bytes / 1048576, 'MB'] : [bytes / 1024, 'KB'];
    return n.toFixed(1).replace(/\\.0$/, '') + ' ' + unit;
  }
  function uploadProblem(files) {
    const rules = window.RZ_UPLOAD;
    for (const file of Array.from(files || [])) {
      const dot = file.name.lastIndexOf('.');
      const suffix = dot > 0 ? file.name.slice(dot).toLowerCase() : '';
      const common = {name: file.name, types: rules.types.join(' '), limit: rules.limit};
      if (!rules.types.includes(suffix)) return fill(rules.bad_type, {...common, suffix: suffix || rules.no_suffix});
      if (file.size > rules.max_bytes) {
        return fill(rules.too_big, {...common, size: sizeText(file.size)});
      }
    }
    return '';
  }
  function showUploadProblem(zone, text) {
    let note = document.getElementById('rz-upload-problem');
    if (!note) {
      note = document.createElement('div');
      note.id = 'rz-upload-problem';
      note.className = 'rz-error';
      zone.after(note);
    }
    note.textContent = text;  // text, never markup: it holds the file's name
    note.hidden = !text;
  }
  function checkUpload(ev, files) {
    const zone = ev.target.closest && ev.target.closest('#rz-upload');
    if (!zone || !window.RZ_UPLOAD) return;
    const problem = uploadProblem(files);
    showUploadProblem(zone, problem);
    if (!problem) return;
    ev.preventDefault();
    ev.stopImmediatePropagation();  // gradio never sees the file
    if (ev.target.type === 'file') ev.target.value = '';
    else ev.target.dispatchEvent(new DragEvent('dragleave', {bubbles: true}));  // end gradio's drag highlight
  }
  window.addEventListener('change', ev => {
    if (ev.target instanceof HTMLInputElement && ev.target.type === 'file') checkUpload(ev, ev.target.files);
  }, true);
  window.addEventListener('drop', ev => checkUpload(ev, ev.dataTransfer && ev.dataTransfer.files), true);
})();
</script>
"""
UI_UPLOAD_HINT = "可在本页“语料”标签上传该文件"


def head_html(settings: Settings) -> str:
    """HEAD_JS with the upload rules it checks (the server checks the same ones) and each chat's labels."""
    rules = {"types": UPLOAD_TYPES, "max_bytes": settings.max_upload_bytes, "limit": size_text(settings.max_upload_bytes),
             "bad_type": UPLOAD_BAD_TYPE, "too_big": UPLOAD_TOO_BIG, "no_suffix": NO_SUFFIX}
    tw = {**{k: CHAT_BUTTONS_TW[v] for k, v in CHAT_BUTTONS.items()}, **CHAT_BUTTONS_TW}
    labels = {"rz-chat": {"buttons": CHAT_BUTTONS, "question": "问题：", "answer": "回答："},
              "rz-tw-chat": {"buttons": tw, "question": "問題：", "answer": "回答："}}

    def data(value) -> str:
        return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")
    return (f"<script>window.RZ_UPLOAD = {data(rules)};\nwindow.RZ_CHAT_LABELS = {data(labels)};</script>\n"
            f"{HEAD_JS}")


def page_i18n(gr):
    """The page's own words for gradio's upload box and chat buttons, whatever the browser's language."""
    return gr.I18n(**{locale: {**UPLOAD_I18N_EN, **CHAT_I18N} for locale in GRADIO_LOCALES})


def size_text(size: int) -> str:
    """A file size for messages: 20 MB, 66.3 MB, 19.5 KB (HEAD_JS's sizeText says it alike)."""
    number, unit = (size / (1024 * 1024), "MB") if size >= 1024 * 1024 else (size / 1024, "KB")
    return f"{number:.1f}".removesuffix(".0") + " " + unit


def ui_hints(text: str, language: str = "zh-Hans") -> str:
    """Answers written for the terminal tell users to run `rongzhi corpus add 文件`; in the web
    UI the same step is the 语料 tab's upload (and no backticks are shown). The hint is worded in
    the answer's script: 「如您有該文件，可運行 …」 read 「…可在本页“语料”标签上传该文件加載後再問」 (report s29)."""
    from rongzhi.assistant.query import ZH_HANT

    def hint(m: re.Match) -> str:  # 「…加载后再问」 becomes 「上传该文件后再问」: the upload is the loading
        return in_script(UI_UPLOAD_HINT + ("后再问" if m.group("then") else ""),
                         ZH_HANT if language == ZH_HANT else "zh-Hans")

    then = r"\s*(?:加[载載])?(?P<then>[后後]再[问問])?"
    text = re.sub(r"可[运運]行\s*`rongzhi corpus add[^`]*`" + then, hint, text)
    text = re.sub(r"可用\s*`?rongzhi corpus add[^`，。；]*?`?" + then + r"(?=[，。；]|$)", hint, text)
    text = re.sub(r"Add it with `rongzhi corpus add[^`]*`\.?", "Upload it on the 语料 (corpus) tab.", text)
    return text.replace("`", "")


class Backend:
    """One Assistant per process, for the index generation that is current on disk.

    Another process may rebuild the index while the UI runs (``rongzhi ingest``, ``corpus add``).
    The generation the UI opened stays readable while it holds it (``index.store.hold``), but it
    is the old corpus, and under the s23 tester it failed outright (report D18). So every use
    checks the generation the store calls current (``index.store.current_generation``, the
    pointer the Assistant opened) and reopens the Assistant when another one was published; the
    old one is released with the old Assistant and removed by the next ingest."""

    def __init__(self, settings: Settings):
        from rongzhi.index.build import ensure_index

        self.settings = settings
        self._lock = threading.Lock()
        ensure_index(settings)
        self._assistant = self._open()

    def _open(self):
        from rongzhi.assistant.service import Assistant

        return Assistant(self.settings)

    def _stale(self, assistant) -> bool:
        from rongzhi.index.store import current_generation

        current = current_generation(self.settings.data_dir)
        return current is not None and current.name != assistant.reader.generation.name

    @property
    def assistant(self):
        """The Assistant for the current index generation (reopened once, under the lock, when
        another process has published a new one)."""
        assistant = self._assistant
        if not self._stale(assistant):
            return assistant
        with self._lock:
            if self._stale(self._assistant):  # not already reopened by another request
                self._assistant = self._open()
            return self._assistant

    def reload(self) -> None:
        """Reopen after this process changed the corpus (the upload)."""
        fresh = self._open()
        with self._lock:
            self._assistant = fresh

    def ask(self, question: str, **kwargs) -> dict:
        """``Assistant.ask``; when the index was replaced while answering, once more on the new one."""
        from rongzhi.core.errors import RongZhiError

        assistant = self.assistant
        try:
            return assistant.ask(question, **kwargs)
        except RongZhiError:
            raise
        except Exception:
            if self.assistant is assistant:  # same index: a real failure, reported to the user
                raise
            return self.assistant.ask(question, **kwargs)

    def kinds(self) -> list[str]:
        present = {d["kind"] for d in self.assistant.documents if d.get("chunks")}
        return [k for k in KIND_ORDER if k in present] + sorted(present - set(KIND_ORDER))


# -- text shown in the page ---------------------------------------------------------------------
def md_escape(text: str) -> str:
    """Text for a gr.Markdown output, shown as typed: Markdown and HTML characters escaped."""
    return re.sub(r"([\\`*_\[\]#|<>()!~])", r"\\\1", str(text))


def display_language(script: str, language: str) -> str:
    """The script one turn is shown in: the user's 显示文字 choice, else the question's own."""
    from rongzhi.assistant.query import ZH_HANS, ZH_HANT

    return {"繁體": ZH_HANT, "简体": ZH_HANS}.get(script, language)


def question_language(script: str, question: str) -> str:
    """``display_language`` before any answer: the script the question is written in."""
    from rongzhi.assistant.query import detect_language

    return display_language(script, detect_language(question or "") if (question or "").strip() else "zh-Hans")


def in_script(text: str, language: str) -> str:
    """Text (a label or a quote) in the turn's script, converted the way the answer's own quotes
    are (``compose.display``), so the sources panel reads like the answer beside it."""
    from rongzhi.assistant.compose import display, is_traditional

    return display(text, language, is_traditional(text)) if text else text


def error_html(zh: str, en: str, language: str = "zh-Hans", kind: str = "") -> str:
    """A problem the user must see: the Chinese line (Traditional for a Traditional turn), then
    the English one. ``kind`` is an extra CSS class the page's rules key on (see CSS)."""
    return (f'<div class="rz-error{" " + kind if kind else ""}">⚠️ {html.escape(in_script(zh, language))}'
            f'<div class="rz-en">{html.escape(en)}</div></div>')


def error_markdown(zh: str, en: str) -> str:
    """``error_html`` for a gr.Markdown output."""
    return f"⚠️ {md_escape(zh)}  \n*{md_escape(en)}*"


def failure_text(exc: Exception) -> tuple[str, str]:
    """(zh, en) for an exception from answering: RongZhi's own errors say what to do; anything
    else is reported as an internal error (logged with its traceback for whoever runs the UI)."""
    from rongzhi.core.errors import RongZhiError

    if isinstance(exc, RongZhiError):
        return exc.zh, exc.en
    LOG.error("answering failed", exc_info=exc)
    return FAILED[0].format(kind=type(exc).__name__), FAILED[1].format(kind=type(exc).__name__)


# -- rendering ----------------------------------------------------------------------------------
def _convert(text: str, script: str) -> str:
    from rongzhi.core.normalize import to_simplified_display, to_traditional

    if script == "简体":
        return to_simplified_display(text)
    if script == "繁體":
        return to_traditional(text)
    return text


def question_html(question: str) -> str:
    """The user's bubble: the question exactly as typed, as text (never markup)."""
    return f'<div class="rz-question">{html.escape(question)}</div>'


def answer_markdown(result: dict, script: str = "自动", turn: int | str = 1) -> str:
    """The chat message: [n] become links to *this answer's* sources (turn ``turn``); declines
    look different. Line breaks are kept (CSS), so each cited article starts on its own line."""
    from rongzhi.assistant.render import not_in_force

    language = display_language(script, result.get("language", ""))
    text = html.escape(ui_hints(_convert(result["answer"], script), language))
    text = re.sub(r"\[(\d+)\]", rf'<a href="#rz-src-{turn}-\1" class="rz-cite" data-turn="{turn}" data-n="\1">[\1]</a>',
                  text)
    if result.get("answerable"):
        return f'<div class="rz-answer" data-turn="{turn}">{text}</div>'
    related = "".join(f"<li>{html.escape(in_script('《' + r['title'] + '》' + r['locator'] + not_in_force(r), language))}"
                      f"</li>" for r in result.get("related", []))
    extra = f'<div class="rz-related">{in_script("可能相关", language)}：<ul>{related}</ul></div>' if related else ""
    return f'<div class="rz-answer rz-declined" data-turn="{turn}">⚠️ {text}{extra}</div>'


def _highlight(chunk_text: str, quote: str, show=lambda s: s) -> str:
    """The source text with the quoted sentences marked; ``show`` converts each piece for display
    (the marks are found in the source's own script)."""
    marks = []
    for piece in (p.strip() for p in quote.split("……")):
        start = chunk_text.find(piece) if piece else -1
        if start >= 0:
            marks.append((start, start + len(piece)))
    out, pos = [], 0
    for a, b in sorted(marks):
        if a < pos:
            continue
        out += [html.escape(show(chunk_text[pos:a])), "<mark>", html.escape(show(chunk_text[a:b])), "</mark>"]
        pos = b
    out.append(html.escape(show(chunk_text[pos:])))
    return "".join(out)


def _cards(result: dict, turn: int | str, language: str) -> str:
    """One card per citation; labels and quotes in the turn's script (report D6)."""
    def show(text: str) -> str:
        return in_script(text, language)

    cards = []
    for c in result["citations"]:
        meta = " · ".join(show(x) for x in (c.get("kind"), c.get("version_date") and f"版本 {c['version_date']}",
                                            c.get("status_label"), c.get("section")) if x)  # each in its own script
        cards.append(f'<div class="rz-source" id="rz-src-{turn}-{c["n"]}"><div class="rz-src-head">[{c["n"]}] '
                     f'{html.escape(show("《" + c["title"] + "》" + c["locator"]))}</div>'
                     f'<div class="rz-meta">{html.escape(meta)}</div>'
                     f'<blockquote>{_highlight(c.get("chunk_text") or c["quote"], c["quote"], show)}</blockquote></div>')
    return "".join(cards)


def sources_title(language: str) -> str:
    """The panel's heading, in the script of the turn under it (a fixed 「出处」 stood above 「第 3 問」)."""
    return f'<div class="rz-src-title" role="heading" aria-level="3">{in_script("出处", language)}</div>'


def sources_placeholder(language: str = "zh-Hans") -> str:
    return f'{sources_title(language)}<div class="rz-empty">{in_script("（回答的出处会显示在这里）", language)}</div>'


def conversation_sources_html(history: list[dict], prefix: str = "", language: str = "zh-Hans") -> str:
    """Every answer's sources, one group per turn (turn = position in the conversation, from 1,
    after ``prefix`` so two chats in one page never share an id); the latest is shown, and
    clicking [n] in an older answer shows that answer's group again. Each turn is shown in the
    script its answer was shown in (``display`` of the result); ``language`` is the empty panel's."""
    groups = []
    for turn, result in enumerate(history, start=1):
        shown = result.get("display") or result.get("language", "zh-Hans")
        active = " rz-active" if turn == len(history) else ""
        body = (_cards(result, f"{prefix}{turn}", shown) if result.get("citations")
                else f'<div class="rz-empty">{in_script("（这个回答没有引用出处）", shown)}</div>')
        # 「請用繁體回答」 answers the previous question again: its label says so (session 42's UI sweep read 「第 4 問：」 with the
        # third turn's question as an off-by-one)
        again = turn > 1 and result.get("question") and result.get("question") == history[turn - 2].get("question")
        head = in_script(f"第 {turn} 问（重述第 {turn - 1} 问）：" if again else f"第 {turn} 问：", shown) \
            + result.get("question", "")[:60]
        groups.append(f'<div class="rz-turn{active}" data-turn="{prefix}{turn}">{sources_title(shown)}'
                      f'<div class="rz-turn-head">{html.escape(head)}</div>{body}</div>')
    return "".join(groups) or sources_placeholder(language)


# -- the 公务员 tab -------------------------------------------------------------------------------
# Which words the tab uses (report s29: its table said 「加强知识产权金融融合」 where the task detail and the
# chat quote the same task as 「加强智慧财产权金融融合」). The rule is the chat's: the plan is supplied in
# Traditional with Taiwan wording, and whatever is taken from it -- a task's title and its section, its
# sentences, and the names of the bodies its text mentions (the column says 文中提到的机构, so they are the
# text's own) -- is shown in the plan's own words, only converted to Simplified characters (智慧财产权,
# 最佳化, 软体园), as a quote must be. RongZhi's own labels around them (column heads, 任务7, 所属部分, the
# notes) use mainland terms (知识产权). A note under the table says which Taiwan term is which mainland one,
# and the search finds a task by either.
def plan_text(text: str, language: str = "zh-Hans") -> str:
    """Text from the plan in the reader's script, in the plan's own words."""
    from rongzhi.assistant.query import ZH_HANT
    from rongzhi.core.normalize import to_simplified_display

    return text if language == ZH_HANT else to_simplified_display(text)


def task_bodies(task: dict, language: str = "zh-Hans") -> list[str]:
    """The bodies a task's text names, as the text writes them (``plan_tasks`` finds them in the
    normalized text, whose 知识产权运营中心 the plan writes 智慧財產權運營中心)."""
    from rongzhi.core.normalize import original_wording, to_simplified

    return list(dict.fromkeys(plan_text(original_wording(to_simplified(b), task["text"]) or b, language)
                              for b in task["bodies"]))


def plan_terms_note(texts: list[str]) -> str:
    """「注：…“智慧财产权”即“知识产权”…」 for the Taiwan terms of ``texts`` (Simplified), or ""."""
    from rongzhi.core.normalize import taiwan_terms_in

    pairs = dict(taiwan_terms_in("\n".join(texts)))
    if not pairs:
        return ""
    return ("注：方案原文为繁体（台湾用语），任务标题、所属部分、原文和机构名称都照录原文用词，只转为简体字，其中"
            + "，".join(f"“{tw}”即“{cn}”" for tw, cn in pairs.items()) + "；搜索时两种说法都能找到。")


def task_rows(tasks: list[dict], search: str = "") -> list[list[str]]:
    """The table's rows whose cells or task text contain the search words (either script, either
    wording: both sides are compared normalized)."""
    from rongzhi.core.normalize import to_simplified

    wanted = to_simplified((search or "").strip())
    rows = []
    for t in tasks:
        row = [t["locator"], plan_text(t["section_original"]), plan_text(t["title_original"]),
               "、".join(task_bodies(t)) or "—"]
        if not wanted or any(wanted in to_simplified(cell) for cell in row) or wanted in to_simplified(t["text"]):
            rows.append(row)
    return rows


def task_search_note(search: str, rows: list, count: int) -> str:
    """Said under the search box when nothing matches (the table was just empty)."""
    if rows or not (search or "").strip():
        return ""
    return error_markdown(*(m.format(search=search.strip(), count=count) for m in TASK_NO_HITS))


def task_markdown(detail: dict) -> str:
    """One task, readable: heading, where it sits, its text one sentence per list item (the
    plan's own words, as are its title, section and the bodies named), then the note on lead units."""
    from rongzhi.assistant.query import ZH_HANT
    from rongzhi.assistant.render import split_sentences

    md = md_escape
    language = detail.get("language", "zh-Hans")
    title = plan_text(detail["title_original"], language)
    sentences = [x for x in split_sentences(detail["text_display"]) if x not in (detail.get("title_display"), title)]
    bodies = "、".join(task_bodies(detail, language)) or "（无）"
    note = plan_terms_note([detail["text_display"], plan_text(detail["section_original"])]) if language != ZH_HANT else ""
    return "\n".join([f"### {md(detail['locator'])} {md(title)}", "",
                      f"**所属部分：** {md(plan_text(detail['section_original'], language))}  ",
                      f"**出处：** 《{md(detail['doc_title'])}》{md(detail['locator'])}",
                      "", *(f"- {md(x)}" for x in sentences), "", f"**文中提到的机构/主体：** {md(bodies)}", "",
                      f"*{md(detail['lead_units_note'])}*",
                      *(["", md(note)] if note else []),
                      *(["", f"**{md(detail['plan_status'])}**"] if detail.get("plan_status") else [])])


# -- the 评估 tab ---------------------------------------------------------------------------------
def eval_chart_html(report: dict) -> str:
    """The harness's headline figures as HTML bars: one panel per split, each metric a row with its
    Chinese name, its bar and its number as text. The harness's chart.png puts every split side by
    side in one 7920×495 image, which the page squeezed to a strip 76 px high (report s29)."""
    from rongzhi.evals.harness import COLUMNS_ZH

    splits = report.get("splits", {})
    systems = list(dict.fromkeys(e["label"] for block in splits.values() for e in block["systems"].values()))
    legend = ('<div class="rz-chart-legend">' + "".join(
        f'<span class="rz-chart-key rz-sys-{i}"></span>{html.escape(label)}' for i, label in enumerate(systems))
        + "（0–1，越长越好；“—”为此划分无法计算）</div>")
    panels = []
    for split, block in splits.items():
        rows = []
        for metric in CHART_METRICS:
            for entry in block["systems"].values():
                value = entry["summary"]["overall"].get(metric)
                k = systems.index(entry["label"])
                bar = (f'<div class="rz-chart-bar rz-sys-{k}" style="width:{max(0.0, min(1.0, value)) * 100:.1f}%"></div>'
                       if value is not None else "")
                name = COLUMNS_ZH.get(metric, metric) + (f"（{entry['label']}）" if len(systems) > 1 else "")
                rows.append(f'<div class="rz-chart-row"><span class="rz-chart-label">{html.escape(name)}</span>'
                            f'<div class="rz-chart-track">{bar}</div>'
                            f'<span class="rz-chart-value">{"—" if value is None else f"{value:.3f}"}</span></div>')
        panels.append(f'<figure class="rz-chart-split"><figcaption>{html.escape(split)}（{block.get("questions", "?")} 题）'
                      f'</figcaption>{"".join(rows)}</figure>')
    return f'<div class="rz-src-title">指标图</div>{legend}<div class="rz-chart-grid">{"".join(panels)}</div>'


def task_number(value, count: int) -> int:
    """The 任务编号 field as a task number, or a QuestionError saying in Chinese and English what
    to enter (gradio's own range check only toasts in English and left the old task showing)."""
    from rongzhi.assistant.query import QuestionError

    def fail(message: tuple[str, str], shown=value) -> QuestionError:
        return QuestionError(*(m.format(value=shown, count=count) for m in message))

    if value is None or str(value).strip() == "":
        raise fail(TASK_EMPTY)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise fail(TASK_NOT_WHOLE) from None
    if not number.is_integer():
        raise fail(TASK_NOT_WHOLE, f"{number:g}")
    if not 1 <= number <= count:
        raise fail(TASK_OUT_OF_RANGE, f"{number:.0f}")
    return int(number)


MEASURES_NOTICE_UI = ("资助标准和申报条件规定在《福州市知识产权专项资金管理办法》（榕政办规〔2022〕7号）中，该文件全文尚未加载；"
                      "上面只列出工作方案中的相关措施，不含资助金额。如有该办法的文件，" + UI_UPLOAD_HINT + "。")


def _measure_item(m: dict, language: str) -> str:
    """One measure; one already listed under an earlier need is named, not quoted again."""
    # in the asker's script, as the reason and the quote are (session 42's UI sweep: Traditional body, Simplified heading)
    head = in_script(f"《{html.escape(m['title'])}》{html.escape(m['locator'])}", language)
    if m.get("already_listed"):
        return f"<li>{head}{in_script('（见上）', language)}<div class=\"rz-reason\">{html.escape(m['reason'])}</div></li>"
    return (f"<li>{head}<div class=\"rz-reason\">{html.escape(m['reason'])}</div>"
            f"“{html.escape(m['quote_display'])}”</li>")


def measures_html(result: dict) -> str:
    """Measures by need (wants first), each with its one-line reason and quote."""
    language = result.get("language", "zh-Hans")
    parts = []
    for need in result["needs"]:
        if need.get("context"):
            continue
        items = "".join(_measure_item(m, language) for m in need["matches"]) or \
            f"<li>{in_script('工作方案中没有直接对应的措施', language)}</li>"
        parts.append(f"<h4>{html.escape(need['need'])}</h4><ul>{items}</ul>")
    context = [n["need"] for n in result["needs"] if n.get("context")]
    if context:
        parts.append(f'<p class="rz-reason">{in_script("已按您的情况排序", language)}：{html.escape("、".join(context))}</p>')
    if result.get("terms_note"):
        parts.append(f'<p class="rz-reason" id="rz-terms-note">{html.escape(result["terms_note"])}</p>')
    if result.get("plan_status"):
        parts.append(f'<div class="rz-declined" id="rz-plan-status">{html.escape(result["plan_status"])}</div>')
    if result.get("notice_code") == "measures_not_loaded":
        parts.append(f'<div class="rz-declined" id="rz-measures-notice">'
                     f'{html.escape(in_script(MEASURES_NOTICE_UI, language))}</div>')
    return "".join(parts)


# -- one chat turn (the 问答 tab and the 台灣專業人士 tab) ------------------------------------------
def searched_kinds(backend: Backend, ticked: list[str] | None, offered: list[str] | None = None) -> list[str] | None:
    """The document types a question is searched in; None when that is every type in the index.

    ``ticked``: the 文件类型 boxes ticked (None: the tab has no type filter, as the Taiwan tab).
    ``offered``: the types the page drew as boxes (``fresh`` in build_app). A type the index gained since
    (an upload, another process's ingest) was never unticked, so it is searched: an upload was
    left out of every page opened before it (report s29). None: the caller was shown no boxes (an
    API client), so its list is taken as it is."""
    if ticked is None:
        return None
    current = backend.kinds()
    kinds = [k for k in current if k in ticked or (offered is not None and k not in offered)]
    return None if set(kinds) == set(current) else kinds


def input_problem(backend: Backend, message: str, kinds: list[str] | None, as_of: str,
                  offered: list[str] | None = None) -> tuple[str, str] | None:
    """(zh, en) when the question cannot be asked as given: empty, too long, no words (the
    assistant's own check, ``query.validate``), every document type unticked (or only types the
    index no longer has), or a bad date."""
    from rongzhi.assistant.query import validate
    from rongzhi.core.errors import RongZhiError
    from rongzhi.core.versions import check_date

    try:
        validate(message, backend.settings.max_question_chars)
        if (as_of or "").strip():  # issue #11: answer with the law in force on that day
            check_date(as_of, "日期")
    except RongZhiError as err:
        return err.zh, err.en
    if kinds is not None and not kinds:
        return NO_KINDS
    if kinds and searched_kinds(backend, kinds, offered) == []:
        return tuple(m.format(kinds="、".join(kinds)) for m in KINDS_GONE)
    return None


def chat_filters(backend: Backend, kinds: list[str] | None, as_of: str, offered: list[str] | None = None):
    """Filters for the document types searched (``searched_kinds``) and the as-of date; None when
    nothing narrows."""
    from dataclasses import replace

    from rongzhi.assistant.filters import Filters

    searched = searched_kinds(backend, kinds, offered)
    filters = Filters(kinds=tuple(searched)) if searched else None
    if (as_of or "").strip():
        filters = replace(filters or Filters(), as_of=as_of.strip())
    return filters


def filtered_out(backend: Backend, question: str, searched: list[str] | None) -> dict | None:
    """When the question names a document of a type not searched: its titles and types, said above
    the answer (``filtered_out_html``): the search never saw it, and the answer would otherwise
    look like the corpus's best (report D17). Which documents a question names is the
    assistant's own reading (``Assistant.understand``)."""
    from rongzhi.core.errors import RongZhiError

    if not searched:
        return None
    assistant = backend.assistant
    try:
        named = assistant.understand(question).named
    except RongZhiError:
        return None
    left_out = [d for d in (assistant.document(doc_id) for doc_id in named) if d and d["kind"] not in searched]
    if not left_out:
        return None
    return {"titles": "".join(dict.fromkeys(f"《{d['title']}》" for d in left_out)),
            "kinds": "、".join(dict.fromkeys(d["kind"] for d in left_out))}


def filtered_out_html(note: dict | None, language: str) -> str:
    if not note:
        return ""
    zh = in_script(FILTERED_OUT.format(**note), language)
    return (f'<div class="rz-note rz-filtered">{html.escape(zh)}'
            f'<div class="rz-en">{html.escape(FILTERED_OUT_EN.format(**note))}</div></div>')


def pending_html(text: str, language: str) -> str:
    return f'<div class="rz-pending">{html.escape(in_script(text, language))}</div>'


def turn_html(result: dict, script: str, turn: str) -> str:
    """One answer as the chat shows it: the filter note, the answer, the LLM's fallback reason."""
    return (filtered_out_html(result.get("filtered_out"), result["display"]) + answer_markdown(result, script, turn)
            + llm_fallback_note(result))


def chat_turn(backend: Backend, message: str, messages: list, history: list, kinds: list[str] | None = None,
              script: str = "自动", use_llm: bool = False, as_of: str = "", prefix: str = "",
              offered: list[str] | None = None):
    """One question in a chat, as a generator of (messages, history, sources, question box, hint).

    The question shows at once with a progress line, then the extractive answer; with the LLM
    ticked, that answer stays visible while the model's rewrite is checked, and is replaced by the
    rewrite once verified (or kept, with the reason). A question that cannot be asked as given is
    explained under the box and stays in it (report D13); a failure while answering replaces the
    progress line with a message and puts the question back in the box to retry (report D18).
    ``kinds`` None: no type filter (the Taiwan tab); ``offered``: the types the page shows as boxes
    (``searched_kinds``); ``prefix`` keeps the tab's source ids apart."""
    messages, history = list(messages or []), list(history or [])
    language = question_language(script, message)

    def sources() -> str:
        return conversation_sources_html(history, prefix, language)

    problem = input_problem(backend, message, kinds, as_of, offered)
    if problem:
        yield messages, history, sources(), message, error_html(*problem, language,
                                                                  "rz-no-kinds-refusal" if problem == NO_KINDS else "")
        return
    asked = messages + [{"role": "user", "content": question_html(message)}]
    yield asked + [{"role": "assistant", "content": pending_html("正在检索原文…", language)}], history, sources(), "", ""
    turn = f"{prefix}{len(history) + 1}"

    def answer(llm: bool) -> dict:  # with the script its turn is shown in (conversation_sources_html)
        result = backend.ask(message, history=history[-3:], filters=filters, use_llm=llm)
        return {**result, "display": display_language(script, result.get("language", "")), "filtered_out": note}

    try:
        filters = chat_filters(backend, kinds, as_of, offered)
        note = filtered_out(backend, message, searched_kinds(backend, kinds, offered))
        result = answer(False)
        if use_llm and result.get("answerable"):
            pending = answer_markdown(result, script, turn) + pending_html(
                "大模型正在改写，改写后逐条核验引用和数字；未通过核验时保留上面的摘录式回答…", language)
            yield (asked + [{"role": "assistant", "content": pending}], history,
                   conversation_sources_html(history + [result], prefix, language), "", "")
            result = answer(True)
        content = turn_html(result, script, turn)
    except Exception as exc:  # noqa: BLE001 -- whatever failed, the user gets a message, never a spinner
        yield asked + [{"role": "assistant", "content": error_html(*failure_text(exc), language)}], history, \
            sources(), message, ""
        return
    history.append(result)
    yield asked + [{"role": "assistant", "content": content}], history, sources(), "", ""


def message_text(message: dict) -> str:
    """A chat message's HTML: gradio hands messages back with their content as a list of parts."""
    content = message.get("content")
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return content if isinstance(content, str) else ""


def rescript_chat(messages: list, history: list, script: str, prefix: str = ""):
    """显示文字 changed: the answers already in the chat, and their sources, are shown again in the
    chosen script (simplified / traditional, or each in its question's own script for 自动), from
    what each turn returned, so nothing is converted twice (report s29: only new answers changed,
    and the panel read 「出处」 over 「第 3 問」). Questions stay as typed; an error message stays
    as it was said. Returns (messages, history, sources)."""
    history = [{**r, "display": display_language(script, r.get("language", ""))} for r in history or []]
    turns = {f"{prefix}{i}": r for i, r in enumerate(history, start=1)}
    shown = []
    for message in messages or []:
        found = re.search(r'class="rz-answer[^"]*" data-turn="([^"]+)"', message_text(message)) \
            if message.get("role") == "assistant" else None
        if found and found.group(1) in turns:
            message = {"role": "assistant", "content": turn_html(turns[found.group(1)], script, found.group(1))}
        shown.append(message)
    return shown, history, conversation_sources_html(history, prefix, display_language(script, "zh-Hans"))


def llm_fallback_note(result: dict) -> str:
    """Why the model's rewrite was not used, under the extractive answer kept instead."""
    llm = result.get("llm") or {}
    if not llm.get("fallback"):
        return ""
    return (f'<div class="rz-related">{in_script("大模型回答未通过核验，已保留摘录式回答", result["display"])}：'
            f'{html.escape(str(llm.get("reason")))}</div>')


def clear_chat(language: str = "zh-Hans"):
    """The chat's clear (trash) button: forget the conversation too, not only its bubbles, so the
    next question is not read as a follow-up and numbering starts again (report D1)."""
    return [], sources_placeholder(language), ""


def document_status(doc: dict, as_of: str) -> str:
    """A document's status as the answers word it for the same day (``core.versions.describe``,
    dated: 已被修订（2025-10-15 起由新版本取代）), not the index's short code (report D15)."""
    from rongzhi.core.versions import NOT_LOADED, describe

    return describe({**doc, "loaded": doc.get("status") != NOT_LOADED}, as_of)["status_label"]


# ``ingest.corpus_add`` words what to do about a refused file in the CLI's flags, which a web user cannot
# pass; the page names its own controls instead. Specific sentences first, then any flag left by name
# (outside a command line the message tells to run: the page has no field for a version date).
UPLOAD_WORDS_ZH = ((r"要用新文件替换它，请加 --replace[^；]*；要作为另一份文档添加，请用 --title 指定不同的标题。", UPLOAD_CLASH_ZH),
                   (r"要加载它的另一个版本，请用 --title (\"[^\"]*\") --date 版本日期（不给 --doc-id）",
                    r"网页上不能填写版本日期：要加载它的另一个版本，请在命令行运行 rongzhi corpus add 文件 --title \1 --date 版本日期"),
                   (r"请加 --replace(?:（网页界面：[^）]*）)?", "请勾选“替换同名文档”"),
                   (r"请用 --title\s*", "请在“标题（可选）”中"),
                   (r"请加 --doc-id (\S+?)(?=[（，；。]|$)", r"请在“doc_id（可选）”中填写 \1"),
                   (r"不要用 --doc-id \S+?(?=[（，；。]|$)", "“doc_id（可选）”留空"),
                   (r"--replace", "“替换同名文档”"), (r"--title", "“标题（可选）”"), (r"--doc-id", "“doc_id（可选）”"))
UPLOAD_WORDS_EN = ((r"pass --replace to replace it, or --title to add this file as another document", UPLOAD_CLASH_EN),
                   (r"to load another version of it, pass --title (\"[^\"]*\") --date VERSION_DATE \(no --doc-id\)",
                    r"the web page cannot set a version date: to load another version of it, run "
                    r"rongzhi corpus add FILE --title \1 --date VERSION_DATE"),
                   (r"pass --title with its own title", "enter its own title under 标题"),
                   (r"pass --doc-id (\S+) if it is that document, or --title for another title",
                    r"enter \1 under doc_id if it is that document, or another title under 标题"),
                   (r" and no --doc-id", " and leave doc_id empty"), (r"\(no --doc-id\)", "(doc_id empty)"),
                   (r"pass --replace", "tick 替换同名文档"), (r"--replace", "替换同名文档 (replace)"),
                   (r"--title", "标题 (title)"), (r"--doc-id", "doc_id"))
_COMMAND = re.compile(r"(rongzhi corpus add [^。；;]*)")


def upload_error_words(zh: str, en: str) -> tuple[str, str]:
    """A refused upload's message with the page's controls (the 替换同名文档 box, the 标题 and doc_id
    fields) where ``ingest.corpus_add`` names the CLI's flags (report s29: 「请加 --replace… 用 --title」)."""
    def reword(text: str, table) -> str:
        for pattern, words in table:
            text = "".join(part if _COMMAND.fullmatch(part) else re.sub(pattern, words, part)
                           for part in _COMMAND.split(text))
        return text
    return reword(zh, UPLOAD_WORDS_ZH), reword(en, UPLOAD_WORDS_EN)


def upload_problem(path: Path, max_bytes: int) -> str | None:
    """Why a chosen file cannot be added (type, size), in the words the page's own check uses."""
    common = {"name": path.name, "types": " ".join(UPLOAD_TYPES), "limit": size_text(max_bytes)}
    suffix = path.suffix.lower()
    if suffix not in UPLOAD_TYPES:
        return UPLOAD_BAD_TYPE.format(**common, suffix=suffix or NO_SUFFIX)
    size = path.stat().st_size
    if size > max_bytes:
        return UPLOAD_TOO_BIG.format(**common, size=size_text(size))
    return None


# -- the app ------------------------------------------------------------------------------------
def chat_widgets(gr, ids: str, label: str, placeholder: str, send_label: str):
    """A chat box, the question box and its button, and the hint line under them. The chat shows
    only HTML this module built from escaped text: no Markdown, no LaTeX (``$$`` in a question
    stays text). Enter and the button both ask."""
    chatbot = gr.Chatbot(label=label, height=480, elem_id=f"{ids}-chat", sanitize_html=False, render_markdown=False,
                         latex_delimiters=[], autoscroll=False,  # HEAD_JS scrolls to the start of each new answer
                         buttons=["copy", "copy_all"])  # no "share" (to Hugging Face, unlabelled) in an offline tool
    with gr.Row():
        box = gr.Textbox(placeholder=placeholder, show_label=False, scale=5, elem_id=f"{ids}-question")
        send = gr.Button(send_label, variant="primary", scale=1, elem_id=f"{ids}-send")
    hint = gr.HTML(elem_id=f"{ids}-hint")
    return chatbot, box, send, hint


def wire_chat(chatbot, box, send, hint, history, sources, handler, options=(), empty_language="zh-Hans") -> None:
    """Enter and the button ask; the chat's clear button forgets the conversation (report D1)."""
    inputs = [box, chatbot, history, *options]
    outputs = [chatbot, history, sources, box, hint]
    send.click(handler, inputs, outputs, concurrency_limit=4)
    box.submit(handler, inputs, outputs, concurrency_limit=4)
    chatbot.clear(lambda: clear_chat(empty_language), None, [history, sources, hint])


def build_app(backend: Backend):
    import gradio as gr

    from rongzhi.assistant.personas import find_measures, plan_tasks, task_detail
    from rongzhi.assistant.query import ZH_HANT
    from rongzhi.core.errors import RongZhiError

    def ask(message, messages, history, kinds, script, use_llm, as_of="", offered=None):
        yield from chat_turn(backend, message, messages, history, list(kinds or []), script, use_llm, as_of,
                             offered=offered)

    def ask_taiwan(message, messages, history):
        yield from chat_turn(backend, message, messages, history, None, "繁體", prefix="tw")

    def tasks_rows(search=""):
        """(table rows matching the search, what to say when none does)."""
        tasks = plan_tasks(backend.assistant)
        rows = task_rows(tasks, search)
        return rows, task_search_note(search, rows, len(tasks))

    def fresh(ticked, offered, law, laws_shown):
        """The 文件类型 boxes and the 版本对照 list for the index generation current now: on opening
        the page, after an upload, and every KIND_REFRESH_SECONDS for another process's ingest
        (report s29: the boxes were those of the start, so an upload's type never showed). A type
        new since the boxes were drawn is ticked; the user's unticked ones stay unticked. Nothing is
        sent when nothing changed."""
        current, titles = backend.kinds(), diff_titles(backend)
        shown = list(offered) if offered is not None else drawn_kinds  # None: the page as first drawn
        if shown == current:
            boxes = (gr.skip(), gr.skip() if offered is not None else current)
        else:
            boxes = (gr.update(choices=current, value=[k for k in current if k in (ticked or []) or k not in shown]),
                     current)
        if (list(laws_shown) if laws_shown is not None else drawn_laws) == titles:
            laws = (gr.skip(), gr.skip() if laws_shown is not None else titles)
        else:
            laws = (gr.update(choices=titles, value=law if law in titles else (titles[0] if titles else None)), titles)
        return *boxes, *laws

    def show_task(n):
        """The task, or what to enter instead (never the previous task under an error badge)."""
        assistant = backend.assistant
        try:
            detail = task_detail(assistant, task_number(n, len(plan_tasks(assistant))))
        except RongZhiError as err:
            return error_markdown(err.zh, err.en)
        return task_markdown(detail)

    def measures(company, ip_held, plans, free_text):
        parts = [company if company and company != NO_COMPANY_TYPE else ""]
        if ip_held:
            parts.append("有" + "、".join(ip_held))
        if plans:
            parts.append("想做" + "、".join(plans))
        parts.append(free_text or "")
        description = "，".join(p for p in parts if p.strip())
        if not description:
            return "请先选择或填写企业情况。"
        try:
            return measures_html(find_measures(backend.assistant, description))
        except Exception as exc:  # noqa: BLE001 -- a bare "Error" and a traceback were all a user got (session 35's sweep G)
            return error_html(*failure_text(exc))

    def corpus_rows():
        """Documents users added come first, then the manifest's order. The status comes right
        after the title so it is never off-screen; the long doc_id is last."""
        from rongzhi.core.versions import as_of_date

        as_of = as_of_date(backend.settings.as_of)
        docs = sorted(backend.assistant.documents, key=lambda d: not d.get("source", "").startswith("added:"))
        return [[d["title"], document_status(d, as_of) + (f"（{d['note']}）" if d.get("note") else ""), d["kind"],
                 d.get("chunks", 0), d.get("version_date", ""), d["doc_id"]] for d in docs]

    def upload(file, title, doc_id, replace):
        from rongzhi.ingest.corpus_add import add_document, corpus_change
        from rongzhi.index.build import ingest

        # Returns (status, documents table, file input); the input is cleared for the next file.
        # Every name echoed here (file, title, doc_id) is the user's: escaped for the Markdown.
        if not file:
            return error_markdown("请先选择文件。", "Choose a file first."), corpus_rows(), None
        path = Path(file if isinstance(file, str) else file.name)
        problem = upload_problem(path, backend.settings.max_upload_bytes)
        if problem:
            return md_escape(problem), corpus_rows(), None
        try:
            with corpus_change(backend.settings):  # a failed re-index leaves nothing registered
                entry = add_document(backend.settings, path, doc_id=(doc_id or None), title=(title or None),
                                     replace=bool(replace))
                ingest(backend.settings, quiet=True, wait=True)
            backend.reload()
        except RongZhiError as err:
            zh, en = upload_error_words(err.zh, err.en)
            return error_markdown(f"未添加：{zh}", f"Not added: {en}"), corpus_rows(), None
        if entry.get("unchanged"):
            return md_escape(f"《{entry['title']}》已添加过，内容相同，未作改动。"), corpus_rows(), None
        chunks = next((d.get("chunks", 0) for d in backend.assistant.documents if d["doc_id"] == entry["doc_id"]), 0)
        replaced = "".join(f"已替换原有文档《{o['title']}》（{o['doc_id']}）。" for o in entry.get("replaced", []))
        return md_escape(f"{replaced}已添加《{entry['title']}》（{entry['doc_id']}），{chunks} 块。"), corpus_rows(), None

    def run_eval():
        from rongzhi.evals.harness import run as run_harness
        from rongzhi.evals.harness import COLUMNS_ZH, summary_table

        out = Path(tempfile.mkdtemp(prefix="rongzhi-eval-"))
        report = run_harness(backend.assistant, fast=True, out_dir=out)
        return (summary_table(report, COLUMNS_ZH) + f"\n\n{report['questions']} 题，用时 {report['seconds']} 秒。",
                eval_chart_html(report))

    llm_ready = backend.settings.llm_enabled
    with gr.Blocks(title="榕知 RongZhi") as app:
        gr.Markdown("# 榕知 RongZhi\n福州知识产权政策与法律问答：每个回答都逐字引用原文并注明出处；资料中没有的内容不作答。")
        with gr.Tabs():
            with gr.Tab("问答", id="chat"):
                history = gr.State([])
                with gr.Row():
                    with gr.Column(scale=3):
                        chatbot, box, send, hint = chat_widgets(gr, "rz", "对话", "输入问题，例如：专利法第四十二条", "提问")
                        gr.HTML(error_html(*NO_KINDS), elem_id="rz-no-kinds")  # shown by CSS alone
                        gr.Examples(list(EXAMPLES_ZH), inputs=box, label="示例")
                        with gr.Accordion("筛选与显示", open=False):
                            drawn_kinds = backend.kinds()
                            kinds = gr.CheckboxGroup(drawn_kinds, value=drawn_kinds, label="文件类型", elem_id="rz-kinds")
                            # Any type name reaches the handler, which searches the types the index has now
                            # (searched_kinds): gradio's own check against the boxes drawn at start refused
                            # 「地方规范性文件」 once a user had added the special-fund measures (report s29). A page
                            # whose boxes ``fresh`` redrew is checked against those, which are the index's.
                            # (Not a subclass: gradio writes a .pyi stub beside the module of one.)
                            kinds.preprocess = lambda payload: [str(v) for v in payload or []]
                            kinds.api_info = lambda: {"items": {"type": "string"}, "type": "array"}
                            offered = gr.State(None)  # the types drawn as boxes in this page (fresh)
                            script = gr.Radio(list(SCRIPTS), value="自动", label="显示文字", elem_id="rz-script")
                            use_llm = gr.Checkbox(value=False, interactive=llm_ready, label=LLM_LABEL, elem_id="rz-llm",
                                                  info=LLM_INFO_READY if llm_ready else LLM_INFO_OFF)
                            as_of = gr.Textbox(label="按此日期有效的法律回答（YYYY-MM-DD，留空为今天）",
                                               placeholder="例如 2027-02-01", elem_id="rz-as-of")
                    with gr.Column(scale=2):
                        sources = gr.HTML(conversation_sources_html([]), elem_id="rz-sources")  # with its heading
                wire_chat(chatbot, box, send, hint, history, sources, ask, (kinds, script, use_llm, as_of, offered))
                script.change(rescript_chat, [chatbot, history, script], [chatbot, history, sources])
            with gr.Tab("企业", id="enterprise"):
                gr.Markdown("按企业情况查找工作方案中的支持措施（资助金额见专项资金管理办法，未加载时会说明）。")
                with gr.Row():
                    company = gr.Dropdown(list(COMPANY_TYPES), value=NO_COMPANY_TYPE, label="企业类型", elem_id="rz-company")
                    ip_held = gr.CheckboxGroup(list(IP_HELD), label="已有知识产权")
                plans = gr.CheckboxGroup(list(PLANS), label="打算做什么")
                free = gr.Textbox(label="其他情况（可选）", elem_id="rz-measures-free")
                find = gr.Button("查找适用措施", variant="primary", elem_id="rz-find")
                found = gr.HTML(elem_id="rz-measures")
                find.click(measures, [company, ip_held, plans, free], found)
            with gr.Tab("公务员", id="civil"):
                all_tasks = plan_tasks(backend.assistant)
                gr.Markdown("22 项重点任务：所属部分、标题、文中提到的机构。方案未写明各任务的牵头单位。  \n"
                            + md_escape(plan_terms_note(["\n".join(row) for row in task_rows(all_tasks)])))
                search = gr.Textbox(label="搜索任务（标题、部分、机构或任务原文，如 台湾、质押）", elem_id="rz-task-search")
                search_note = gr.Markdown(elem_id="rz-task-search-note")
                table = gr.Dataframe(task_rows(all_tasks), headers=["任务", "部分", "标题", "文中提到的机构"], wrap=True,
                                     interactive=False, elem_id="rz-tasks", column_widths=["64px", "24%", "22%", "45%"])
                search.change(tasks_rows, search, [table, search_note])
                with gr.Row():
                    # No minimum/maximum/precision: gradio's own checks toast in English and round 2.5
                    # to 2; show_task checks the number and says what to enter.
                    number = gr.Number(value=19, step=1, label="任务编号", elem_id="rz-task-number")
                    show = gr.Button("查看任务", elem_id="rz-show-task")
                detail = gr.Markdown(show_task(19), elem_id="rz-task-detail")
                show.click(show_task, number, detail)
                number.submit(show_task, number, detail)
            with gr.Tab("台灣專業人士", id="taiwan"):
                gr.Markdown("專利代理師考試、來榕工作與人才支持、台胞投資保障：請直接提問，可以接著追問（例如「那智財人才呢？」），"
                            "按 Enter 或「提問」送出；回答和出處都以繁體顯示。清除對話（垃圾桶圖示）後重新開始。")
                tw_history = gr.State([])
                with gr.Row():
                    with gr.Column(scale=3):
                        tw_chat, tw_box, tw_send, tw_hint = chat_widgets(gr, "rz-tw", "對話", "輸入問題，例如：專利代理師考試",
                                                                         "提問")
                        gr.Examples(list(EXAMPLES_TW), inputs=tw_box, label="範例")
                    with gr.Column(scale=2):
                        tw_sources = gr.HTML(sources_placeholder(ZH_HANT), elem_id="rz-tw-sources")  # with its heading
                wire_chat(tw_chat, tw_box, tw_send, tw_hint, tw_history, tw_sources, ask_taiwan, empty_language=ZH_HANT)
            with gr.Tab("评估", id="eval"):
                gr.Markdown("在金标准集的快速子集上评测当前索引（约 1 分钟）。")
                run = gr.Button("运行快速评测", elem_id="rz-eval")
                eval_table = gr.Markdown(elem_id="rz-eval-table")
                eval_chart = gr.HTML(elem_id="rz-eval-chart")  # eval_chart_html: readable at any width
                run.click(run_eval, None, [eval_table, eval_chart], concurrency_limit=1)
            with gr.Tab("语料", id="corpus"):
                docs = gr.Dataframe(corpus_rows(), headers=["标题", "状态", "类型", "块数", "版本日期", "doc_id"],
                                    wrap=True, interactive=False, elem_id="rz-docs",
                                    # Fixed widths: on a phone the table scrolls sideways instead of
                                    # squeezing a number or a date into one character per line (D10).
                                    column_widths=["320px", "330px", "120px", "64px", "110px", "300px"])
                gr.Markdown(f"添加文件：{' '.join(UPLOAD_TYPES)}，UTF-8/GBK/Big5，"
                            f"不超过 {size_text(backend.settings.max_upload_bytes)}。"
                            "专项资金管理办法会自动对应其清单条目。")
                upload_file = gr.File(file_types=UPLOAD_TYPES, label="文件", elem_id="rz-upload")
                with gr.Row():
                    up_title = gr.Textbox(label="标题（可选）", elem_id="rz-up-title")
                    up_id = gr.Textbox(label="doc_id（可选）", elem_id="rz-up-id")
                    up_replace = gr.Checkbox(value=False, label="替换同名文档（默认不替换，并提示）", elem_id="rz-replace")
                add = gr.Button("添加并重建索引", variant="primary", elem_id="rz-add")
                add_status = gr.Markdown(elem_id="rz-add-status")
                added = add.click(upload, [upload_file, up_title, up_id, up_replace], [add_status, docs, upload_file],
                                  concurrency_limit=1)
            law, laws_shown, drawn_laws = version_diff_tab(gr, backend)  # issue #11: 版本对照
        app.load(corpus_rows, None, docs)  # statuses as of the day the page is opened, after any rebuild
        current = [kinds, offered, law, laws_shown]
        app.load(fresh, current, current, show_progress="hidden")
        added.then(fresh, current, current, show_progress="hidden")
        gr.Timer(KIND_REFRESH_SECONDS).tick(fresh, current, current, show_progress="hidden")
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


def diff_titles(backend: Backend) -> list[str]:
    """The laws the index holds in several versions (the 版本对照 list)."""
    counts: dict[str, int] = {}
    for d in backend.assistant.documents:
        if d.get("chunks"):
            counts[d["title"]] = counts.get(d["title"], 0) + 1
    return sorted(t for t, n in counts.items() if n > 1)


def version_diff_tab(gr, backend):
    """A tab comparing two versions of a law article by article (laws with several versions only).
    Returns the law list, the state of the titles it shows (refreshed by build_app's ``fresh``) and
    the titles it was drawn with."""
    from rongzhi.assistant.versions import diff_documents
    from rongzhi.core.errors import RongZhiError

    titles = diff_titles(backend)

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
    return law, gr.State(None), titles


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
    import gradio as gr

    # max_file_size stays as the server's hard limit; the page checks first, in Chinese (head_html).
    app.queue(default_concurrency_limit=4, max_size=64).launch(
        server_name=settings.ui_host, server_port=settings.ui_port, auth=auth, theme=theme(), css=CSS,
        head=head_html(settings), i18n=page_i18n(gr), footer_links=[],
        max_file_size=settings.max_upload_bytes, show_error=True, ssr_mode=False, quiet=True, prevent_thread_lock=True)
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
    from rongzhi.core.errors import RongZhiError

    try:
        settings = Settings.from_env(data_dir=args.data_dir, law_dir=args.law_dir, treaty_dir=args.treaty_dir,
                                     corpus_dir=args.corpus_dir, embedder=args.embedder, ui_host=args.host,
                                     ui_port=args.port, ui_auth=args.auth)
    except RongZhiError as err:  # a bad RONGZHI_* setting: the same two lines and exit code as `rongzhi ui`
        print(err.as_text(), file=sys.stderr)
        raise SystemExit(err.exit_code) from None
    launch(settings)


if __name__ == "__main__":
    main()
