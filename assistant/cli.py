"""Command line: `assistant ingest | watch | stats | delete | ask | timeline | serve | eval`. A thin layer over the library."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, Sequence

from pydantic import ValidationError

from .errors import AssistantError

log = logging.getLogger("assistant")


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a YYYY-MM-DD date") from exc


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description="Question answering over defence news, with cited passages.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", help="index article files (.md, .txt, .html, .jsonl, .pdf, .docx), web pages and feeds")
    ingest.add_argument("paths", nargs="*", help="files, folders, page or RSS/Atom feed URLs (default: the bundled corpus/)")
    ingest.add_argument("--prune", action="store_true", help="remove articles whose files are gone")
    ingest.add_argument("--quiet", action="store_true", help="no progress bar")

    watch = sub.add_parser("watch", help="re-read feeds, pages and folders on a schedule, indexing what is new or changed")
    watch.add_argument("sources", nargs="+", help="feed or page URLs, files or folders")
    watch.add_argument("--every", default="30m", help="time between runs: 30m, 2h, 45s (default 30m)")
    watch.add_argument("--once", action="store_true", help="one run, then exit (for cron)")

    sub.add_parser("stats", help="what the index holds")

    delete = sub.add_parser("delete", help="remove articles from the index by id (Chroma and the keyword index together)")
    delete.add_argument("ids", nargs="+", help="article ids (as `ask --json` and the Corpus tab show them)")

    ask = sub.add_parser("ask", help="answer a question with numbered citations")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("--mode", choices=["extractive", "llm"])
    ask.add_argument("--llm", choices=["local"], help="use the local model (ASSISTANT_LOCAL_MODEL) through llama.cpp")
    ask.add_argument("--k", type=int, help="passages to retrieve")
    ask.add_argument("--since", type=_date)
    ask.add_argument("--until", type=_date)
    ask.add_argument("--source")
    ask.add_argument("--tag")
    ask.add_argument("--source-kind", choices=["official release", "wire", "trade press", "think tank", "other"],
                     help="only sources of this kind (assistant/data/source_kinds.yaml)")
    ask.add_argument("--history", action="append", default=[], help="an earlier question (repeatable)")

    tl = sub.add_parser("timeline", help="the dated events about a programme, company, system or contract")
    tl.add_argument("subject")
    tl.add_argument("--json", action="store_true", help="print one JSON object")
    tl.add_argument("--since", type=_date)
    tl.add_argument("--until", type=_date)
    tl.add_argument("--source")
    tl.add_argument("--format", choices=["text", "markdown", "csv"], default="text")

    serve = sub.add_parser("serve", help="serve the chat UI")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--llm", choices=["local"])

    ev = sub.add_parser("eval", help="run the evaluation set through the answer path")
    ev.add_argument("--set", dest="set_path", type=Path, action="append", help="JSONL question set (repeatable)")
    ev.add_argument("--mode", choices=["extractive", "llm"])
    ev.add_argument("--llm", choices=["local"])
    ev.add_argument("--out", type=Path, default=Path("eval/results"))
    ev.add_argument("--limit", type=int, help="only the first N questions of each set")
    ev.add_argument("--gate", type=Path, help="thresholds file: exit non-zero when a metric falls below")
    return parser


def _settings(overrides: dict[str, Any]) -> Any:
    from .config import Settings

    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in exc.errors())
        raise AssistantError(f"invalid settings (ASSISTANT_* environment variables): {problems}") from exc


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        return _run(args)
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> int:
    from .app import build_assistant

    overrides: dict[str, Any] = {}
    if getattr(args, "llm", None) == "local":
        overrides["llm_local"] = True
    if args.command == "serve":
        overrides.update(host=args.host, port=args.port)
    settings = _settings(overrides)

    if args.command == "eval":
        from .evaluation.runner import run_cli

        return run_cli(args, settings)

    if args.command == "watch":  # a bad --every is reported before any model is loaded
        from .web.watch import parse_every

        parse_every(args.every)
    with build_assistant(settings) as assistant:
        if args.command == "ingest":
            from .web.sources import ingest_sources

            paths = args.paths or [settings.corpus_dir]
            if not args.quiet:  # a bar on a terminal, else a progress line every few seconds
                logging.getLogger("assistant.ingest.indexer").setLevel(logging.INFO)
            run = ingest_sources(assistant, paths, prune=args.prune, progress=not args.quiet)
            report = run.report
            for error in report.errors:  # one line per bad file, even when its name holds a newline
                print(f"skipped {_one_line(error.path)}: {_one_line(error.reason)}", file=sys.stderr)
            print(run.summary())
            return 0 if report.articles or not report.errors else 1
        if args.command == "watch":
            from .web.watch import parse_every, watch

            return watch(assistant, args.sources, parse_every(args.every), args.once,
                         say=lambda line: print(_one_line(line), flush=True),
                         warn=lambda line: print(_one_line(line), file=sys.stderr, flush=True))
        if args.command == "stats":
            print(json.dumps(assistant.stats(), indent=2))
            return 0
        if args.command == "delete":
            return _delete(assistant, args.ids)
        if args.command == "ask":
            return _ask(assistant, args)
        if args.command == "timeline":
            return _timeline(assistant, args)
        if args.command == "serve":
            from .ui.page import serve

            print(f"Serving the chat UI on http://{settings.host}:{settings.port} (Ctrl+C to stop)", flush=True)
            serve(assistant)
            return 0
    return 2


def _one_line(text: str) -> str:
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def _ask(assistant: Any, args: argparse.Namespace) -> int:
    from .answering.render import answer_dict, answer_text
    from .schema import Filters

    filters = Filters(since=args.since, until=args.until, source=args.source, tag=args.tag)
    if args.source_kind:
        from .index.source_kinds import sources_of_kind

        filters = replace(filters, sources=sources_of_kind(args.source_kind, assistant.settings.source_kinds_path) or ("\0none",))
    mode = args.mode or ("llm" if args.llm else None)
    stream = assistant.answerer.stream(args.question, history=args.history, filters=filters, mode=mode, k=args.k)
    answer = None
    live = not args.json and mode == "llm" and sys.stderr.isatty()  # a person watching sees the model write
    for event in stream:
        if live and event.kind in ("token", "reset"):
            print(event.text if event.kind == "token" else "\n[withdrawn] ", end="", file=sys.stderr, flush=True)
        if event.answer is not None:
            answer = event.answer
    if live:
        print("\n", file=sys.stderr, flush=True)
    if answer is None:
        raise AssistantError("the answer stream ended without an answer")
    if args.json:
        print(json.dumps(answer_dict(answer), ensure_ascii=False))
    else:
        print(answer_text(answer))
    return 0


def _delete(assistant: Any, ids: Sequence[str]) -> int:
    from .index.deletion import NotIndexedError, delete_article

    missing = 0
    for article_id in ids:
        try:
            print(_one_line(delete_article(assistant, article_id).summary()), flush=True)
        except NotIndexedError as exc:
            missing += 1
            print(f"not deleted: {_one_line(str(exc))}", file=sys.stderr, flush=True)
    return 1 if missing else 0


def _timeline(assistant: Any, args: argparse.Namespace) -> int:
    from .analyst.timeline import timeline_csv, timeline_dict, timeline_markdown, timeline_text

    timeline = assistant.timeline(args.subject, since=args.since, until=args.until, source=args.source)
    if args.json:
        print(json.dumps(timeline_dict(timeline), ensure_ascii=False))
    else:
        render = {"markdown": timeline_markdown, "csv": timeline_csv}.get(args.format, timeline_text)
        print(_one_line_each(render(timeline)))
    return 0


def _one_line_each(text: str) -> str:
    return "\n".join(_one_line(line) for line in text.split("\n"))


if __name__ == "__main__":
    sys.exit(main())
