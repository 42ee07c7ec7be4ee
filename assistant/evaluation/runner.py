"""Index each set's corpus into a fresh temporary index and ask every question through the answer path."""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ..app import build_assistant
from ..config import Settings
from ..ingest.loaders import discover
from ..errors import AssistantError
from .grounding import grounding_summary
from ..retrieval.retrieve import RetrievalOptions
from .halves import half_runs, split_names
from .metrics import Scored, aggregate, by_type, score
from .questions import QuestionSet, load_registry, load_set
from .report import check_gate, write_outputs

log = logging.getLogger(__name__)
EVAL_ROOT = Path("eval")


def corpus_hash(folder: Path) -> str:
    files, _ = discover([folder])
    digest = hashlib.sha1()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def run_set(qset: QuestionSet, settings: Settings, mode: str, limit: int | None = None, embeddings: Any = None) -> dict[str, Any]:
    """The whole set's run; a set split into halves carries their runs under `halves`."""
    questions = list(qset.questions[:limit] if limit else qset.questions)
    with tempfile.TemporaryDirectory(prefix="assistant-eval-") as tmp:
        run_settings = settings.model_copy(update={"index_dir": Path(tmp) / "index", "chroma_url": None})
        with build_assistant(run_settings, embeddings=embeddings) as assistant:
            started = time.perf_counter()
            report = assistant.ingest([qset.corpus], progress=False)
            ingest_s = time.perf_counter() - started
            if report.errors:
                for error in report.errors:
                    log.warning("eval corpus: %s", error)
            results: list[Scored] = []
            for number, question in enumerate(questions, start=1):
                answer = assistant.answerer.ask(question.question, history=list(question.history), mode=mode)
                t0 = time.perf_counter()
                ranked = assistant.retriever.retrieve(answer.standalone_question or question.question, None, RetrievalOptions(k=10))
                retrieval_ms = (time.perf_counter() - t0) * 1000
                # one copy of a story stands for all its copies (retrieval keeps one: assistant/index/storygroups.py)
                stories = assistant.retriever.stories
                articles = list(dict.fromkeys(a for p in ranked for a in (p.chunk.article_id, *stories.duplicates(p.chunk.article_id))))
                scored = score(question, answer, articles)
                scored.retrieval_ms = retrieval_ms
                results.append(scored)
                if number % 25 == 0:
                    print(f"  {qset.name}: {number}/{len(questions)} questions", file=sys.stderr)
    whole = {
        "set": qset.name,
        "mode": mode,
        "questions_file": str(qset.path),
        "corpus": str(qset.corpus),
        "corpus_hash": corpus_hash(qset.corpus),
        "articles": report.articles,
        "chunks": report.chunks,
        "ingest_seconds": round(ingest_s, 1),
        "settings_fingerprint": settings.index_fingerprint(),
        "metrics": aggregate(results),
        "grounding": grounding_summary(r.answer for r in results),
        "by_type": by_type(results),
        "results": [_result_row(r) for r in results],
    }
    halves = half_runs(whole, results, _result_row)
    return {**whole, "halves": halves} if halves else whole


def _result_row(r: Scored) -> dict[str, Any]:
    return {
        "id": r.question.id,
        "type": r.question.type,
        "question": r.question.question,
        "standalone_question": r.answer.standalone_question,
        "answer": r.answer.text,
        "abstained": r.answer.abstained,
        "notice": r.answer.notice,  # why it refused, or what it held back: to read a miss without re-asking
        "expected_abstain": r.question.abstain,
        "correct": r.correct,
        "facts": [list(f) for f in r.question.facts],
        "facts_found": r.facts_found,
        "gold": list(r.question.article_ids),
        "retrieved": r.ranked_articles[:5],
        "cited": [c.passage.chunk.article_id for c in r.answer.citations],
        "unsupported_figures": r.unsupported_figures,
        "held_back": list(r.answer.held_back),
        "short_answer": r.answer.short_answer,
        "wrong_short_answer": r.wrong_short_answer,
        "timings_ms": r.answer.timings_ms,
    }


def run_cli(args: Any, settings: Settings) -> int:
    """`assistant eval`: run the sets, write JSON, Markdown and a chart, and apply the gate if asked."""
    mode = args.mode or settings.resolved_mode()
    if args.set_path:
        sets = [load_set(path, EVAL_ROOT / "sets", settings.corpus_dir) for path in args.set_path]
    else:
        sets = load_registry(EVAL_ROOT / "sets")
    from ..encoders.embeddings import make_embeddings

    embeddings = make_embeddings(settings)
    runs = []
    absent: set[str] = set()
    for qset in sets:
        if not qset.corpus.is_dir():
            if qset.optional:
                print(f"skipping set '{qset.name}': corpus folder {qset.corpus} is absent", file=sys.stderr)
                absent.add(qset.name)
                absent.update(split_names(qset))
                continue
            raise AssistantError(f"set '{qset.name}': corpus folder {qset.corpus} does not exist")
        print(f"evaluating '{qset.name}' ({len(qset.questions)} questions, mode {mode})", file=sys.stderr)
        run = run_set(qset, settings, mode, args.limit, embeddings)
        runs += [run, *run.pop("halves", [])]
    summary = write_outputs(runs, args.out, settings)
    print(summary)
    gated = list(runs)
    followup_set = EVAL_ROOT / "sets" / "followups.jsonl"
    if not args.set_path and followup_set.is_file():  # the follow-up rewriter: no index needed, milliseconds
        from .followups import run_followups

        followups = run_followups(followup_set, args.out)
        gated.append(followups)
        print("Follow-up rewriting: " + ", ".join(f"{k} {v}" for k, v in followups["metrics"].items()))
    if args.gate:
        failures = check_gate(gated, json.loads(Path(args.gate).read_text(encoding="utf-8")), frozenset(absent))
        for failure in failures:
            print(f"GATE FAILED: {failure}", file=sys.stderr)
        if failures:
            return 1
        print(f"gate passed ({args.gate})")
    return 0

