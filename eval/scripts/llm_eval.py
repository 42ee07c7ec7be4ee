"""`make eval-llm MODEL=...`: one local model in llm mode beside the extractive default, on the same questions.

Writes eval/baseline-llm/<model>/results.json and report.md: accuracy, citation support, refusal precision and
recall, sentences flagged (and replaced), unflagged sentences with absent figures, first-token and whole-answer
latency, and the prompt tokens the model read (selected sentences with neighbours) against whole passages.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from assistant.app import build_assistant  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.encoders.embeddings import make_embeddings  # noqa: E402
from assistant.evaluation.metrics import aggregate, score  # noqa: E402
from assistant.evaluation.questions import load_registry  # noqa: E402
from assistant.evaluation.grounding import grounding_summary  # noqa: E402
from assistant.answering.reader_writer import excerpt_messages, excerpts_for  # noqa: E402

ONLY_UNANSWERABLE = False
PARTIAL: Path | None = None  # --partial: each llm answer appended as it comes, for reading a run still going
ROWS = [
    ("answer_accuracy", "Answer accuracy (answerable)"),
    ("citation_support", "Citation support"),
    ("abstention_precision", "Refusal precision"),
    ("abstention_recall", "Refusal recall"),
    ("unsupported_numbers", "Figures in no cited passage"),
    ("sentences_flagged", "Model sentences flagged by the check"),
    ("sentences_replaced", "... of them replaced by the reader's sentence"),
    ("unflagged_sentences_with_absent_figures", "Unflagged sentences with absent figures"),
    ("model_failed", "Answers where the model failed (deadline): extractive fallback"),
    ("first_token_ms_p50", "First token p50 (ms)"),
    ("total_ms_p50", "Whole answer p50 (ms)"),
    ("total_ms_p95", "Whole answer p95 (ms)"),
    ("prompt_tokens_p50", "Prompt tokens p50 (excerpts)"),
    ("passage_prompt_tokens_p50", "Prompt tokens p50 if whole passages were sent"),
]


def _p50(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


class TokenCounter:
    """Counts prompt tokens with the served model's own tokenizer (vocabulary only, no weights)."""

    def __init__(self, path: Path):
        from llama_cpp import Llama

        self.llama = Llama(str(path), vocab_only=True, verbose=False)

    def __call__(self, messages: list[Any]) -> int:
        text = "".join(f"<|im_start|>{m.type}\n{m.content}<|im_end|>\n" for m in messages) + "<|im_start|>assistant\n"
        return len(self.llama.tokenize(text.encode(), add_bos=False, special=True))


class CheckRecorder:
    """Keeps the grounding check's verdicts on the model's own sentences, before any is replaced, with the text of
    the passages each cites: the material for labelling the check by hand (eval/scripts/label_check.py)."""

    def __init__(self, grounding: Any):
        self.made: list[Any] = []
        self._check = grounding.check_answer
        grounding.check_answer = self

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        made = self._check(*args, **kwargs)
        self.made.extend(made)
        return made

    def take(self, passages: list[Any]) -> tuple[list[dict[str, Any]], dict[int, dict[str, str]]]:
        made, self.made = self.made, []
        cited = {n for check in made for n in check.citations}
        texts = {p.rank: {"article_id": p.chunk.article_id, "title": p.chunk.title, "text": p.chunk.text,
                          "published": p.chunk.published.isoformat() if p.chunk.published else None}
                 for p in passages if p.rank in cited}
        return [{"text": c.text, "citations": list(c.citations), "supported": c.supported, "reasons": list(c.reasons)}
                for c in made], texts


def run_set(qset: Any, settings: Settings, embeddings: Any, limit: int | None, count: TokenCounter,
            split: str | None = None, answerable: int | None = None) -> dict[str, Any]:
    pool = [q for q in qset.questions if split is None or q.extra.get("split") == split]
    questions = pool[:limit] if limit else pool
    if answerable is not None:  # every unanswerable question (refusal recall) and the first N answerable ones
        kept = {q.id for q in [q for q in pool if not q.abstain][:answerable]}
        questions = [q for q in questions if q.abstain or q.id in kept]
    if ONLY_UNANSWERABLE:  # refusal recall alone: the reader declines these without asking the model
        questions = [q for q in pool if q.abstain][: limit or None]
    name = f"{qset.name} {split}" if split else qset.name
    out: dict[str, Any] = {"set": name, "questions": len(questions), "of": len(pool),
                           "answerable_limit": answerable}
    with tempfile.TemporaryDirectory(prefix="assistant-eval-llm-") as tmp:
        run_settings = settings.model_copy(update={"index_dir": Path(tmp) / "index", "chroma_url": None})
        with build_assistant(run_settings, embeddings=embeddings) as assistant:
            assistant.ingest([qset.corpus], progress=False)
            recorder = CheckRecorder(assistant.answerer.grounding) if assistant.answerer.grounding else None
            for mode in ("extractive", "llm"):
                scored, rows = [], []
                for number, q in enumerate(questions, start=1):
                    if recorder is not None:
                        recorder.made.clear()
                    started = time.perf_counter()
                    answer = assistant.answerer.ask(q.question, history=list(q.history), mode=mode)
                    wall = (time.perf_counter() - started) * 1000
                    result = score(q, answer, [])
                    scored.append(result)
                    row = {"id": q.id, "question": q.question, "answer": answer.text, "abstained": answer.abstained,
                           "expected_abstain": q.abstain, "correct": result.correct, "wall_ms": round(wall, 1),
                           "unsupported_figures": result.unsupported_figures, "timings_ms": answer.timings_ms,
                           "notice": answer.notice}
                    if mode == "llm":
                        row["sentences"] = [{"text": s.text, "supported": s.supported, "reasons": list(s.reasons)} for s in answer.sentences]
                        if recorder is not None:
                            row["model_sentences"], row["cited_passages"] = recorder.take(list(answer.passages))
                        standalone = answer.standalone_question or q.question
                        passages = list(answer.passages)
                        row["passage_prompt_tokens"] = count(assistant.answerer._messages(standalone, passages)) if passages else 0
                        extraction = assistant.answerer.extractive.extract(standalone, passages) if passages else None
                        if extraction is not None and not extraction.abstained:
                            row["prompt_tokens"] = count(excerpt_messages(assistant.answerer, standalone, excerpts_for(extraction.sentences)))
                        if PARTIAL is not None:
                            with PARTIAL.open("a", encoding="utf-8") as handle:
                                handle.write(json.dumps({"set": name, **row}, default=str) + "\n")
                        print(f"  {name} llm {number}/{len(questions)}: {wall / 1000:.1f}s correct={result.correct}", file=sys.stderr, flush=True)
                    rows.append(row)
                metrics = aggregate(scored)
                for key in ("recall@1", "recall@3", "recall@5", "recall@10", "mrr@10"):
                    metrics.pop(key, None)
                if mode == "llm":
                    checks = [s for r in scored for s in r.answer.sentences]
                    flagged = [s for s in checks if not s.supported or any("replaced" in x or "removed" in x for x in s.reasons)]
                    metrics.update(grounding_summary(r.answer for r in scored))
                    metrics["sentences_flagged"] = f"{len(flagged)}/{len(checks)}"
                    metrics["sentences_replaced"] = sum(1 for s in checks if any("replaced" in x for x in s.reasons))
                    metrics["first_token_ms_p50"] = _p50([r["timings_ms"]["first_token"] for r in rows if "first_token" in r["timings_ms"]])
                    metrics["prompt_tokens_p50"] = _p50([r["prompt_tokens"] for r in rows if "prompt_tokens" in r])
                    metrics["passage_prompt_tokens_p50"] = _p50([r["passage_prompt_tokens"] for r in rows if r.get("passage_prompt_tokens")])
                out[mode] = {"metrics": metrics, "results": rows}
    return out


def conditions(settings: Settings) -> str:
    from assistant.models.local import thread_counts, thread_origin

    threads = thread_counts(settings)
    return (f"{threads[0]} generation / {threads[1]} prompt thread(s) ({thread_origin(settings)}), max {settings.llm_max_tokens} tokens, "
            f"deadline {settings.llm_deadline_s:g}s, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the start")


def report(model: str, runs: list[dict[str, Any]], limit: int | None, note: str = "") -> str:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"# `{model}` in llm mode beside the extractive default", "",
             f"Generated {when} by `make eval-llm MODEL={model}{f' LIMIT={limit}' if limit else ''}`; "
             f"{'the first ' + str(limit) + ' questions of each set' if limit else 'every question'}. "
             "Same retrieval, same questions; llm mode uses the reader-first path (reader_writer.py) with strict "
             "grounding.", ""] + ([f"Conditions: {note}", ""] if note else [])
    for r in runs:  # counted from the rows, so reports of older results.json files have it too
        r["llm"]["metrics"]["model_failed"] = sum(1 for row in r["llm"]["results"] if _failed(row))
    header = "| metric | " + " | ".join(f"{r['set']} extractive | {r['set']} {model}" for r in runs) + " |"
    lines += [header, "|---|" + "---|---|" * len(runs)]
    for key, label in ROWS:
        cells = []
        for r in runs:
            cells += [_cell(r["extractive"]["metrics"].get(key)), _cell(r["llm"]["metrics"].get(key))]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "Questions per set: " + ", ".join(_asked(r) for r in runs) + ".", ""]
    for r in runs:
        lines += [f"## {r['set']}: llm answers", "", "| id | correct | first token s | whole s | prompt tokens | answer |", "|---|---|---|---|---|---|"]
        for row in r["llm"]["results"]:
            t = row["timings_ms"]
            text = row["answer"].replace("|", "\\|").replace("\n", " ")[:220]
            first = f"{t['first_token'] / 1000:.1f}" if "first_token" in t else "—"
            lines.append(f"| {row['id']} | {'yes' if row['correct'] else 'no'} | {first} | {t.get('total', 0) / 1000:.1f} | "
                         f"{row.get('prompt_tokens', '—')} / {row.get('passage_prompt_tokens', '—')} | {text} |")
        lines.append("")
    return "\n".join(lines)


def _failed(row: dict[str, Any]) -> bool:
    return str(row.get("notice") or "").startswith("The language model failed")


def _asked(run: dict[str, Any]) -> str:
    if run.get("answerable_limit") is not None:
        return (f"{run['set']} {run['questions']} of {run['of']} (every unanswerable one and the first "
                f"{run['answerable_limit']} answerable ones)")
    return f"{run['set']} {run['questions']}" + (f" of {run['of']}" if run.get("of", run["questions"]) != run["questions"] else "")


def _cell(value: Any) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3f}" if isinstance(value, float) and value < 10 else str(value)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, choices=["smollm2", "qwen2.5-0.5b", "qwen2.5-1.5b"])
    parser.add_argument("--limit", type=int, help="only the first N questions of each set")
    parser.add_argument("--set", dest="sets", action="append", help="set names from eval/sets/sets.json (default: all)")
    parser.add_argument("--split", choices=["dev", "test"], help="only the questions of this half (sets that have halves)")
    parser.add_argument("--answerable-limit", type=int,
                        help="every unanswerable question and only the first N answerable ones (a subset that keeps refusal recall whole)")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--unanswerable", action="store_true", help="only the questions the set marks unanswerable")
    parser.add_argument("--partial", type=Path, help="append each llm answer to this JSONL file as soon as it is made")
    parser.add_argument("--report-only", action="store_true", help="rewrite report.md from results.json")
    args = parser.parse_args()
    global ONLY_UNANSWERABLE, PARTIAL
    ONLY_UNANSWERABLE = args.unanswerable
    PARTIAL = args.partial
    out = args.out or ROOT / "eval" / "baseline-llm" / args.model
    if args.report_only:
        saved = json.loads((out / "results.json").read_text(encoding="utf-8"))
        (out / "report.md").write_text(report(args.model, saved["runs"], saved["limit"], saved.get("conditions", "")), encoding="utf-8")
        return 0
    settings = Settings(llm_local=True, local_model=args.model, mode="llm")
    from assistant.models.local import resolve_local_model

    count = TokenCounter(resolve_local_model(settings).path)
    embeddings = make_embeddings(settings)
    note = conditions(settings)
    runs = []
    for qset in load_registry(ROOT / "eval" / "sets"):
        if args.sets and qset.name not in args.sets:
            continue
        if not qset.corpus.is_dir():
            print(f"skipping set '{qset.name}': corpus folder {qset.corpus} is absent", file=sys.stderr)
            continue
        if args.split and not any(q.extra.get("split") for q in qset.questions):
            print(f"skipping set '{qset.name}': it has no dev/test halves", file=sys.stderr)
            continue
        runs.append(run_set(qset, settings, embeddings, args.limit, count, args.split, args.answerable_limit))
    out.mkdir(parents=True, exist_ok=True)
    if args.sets and (out / "results.json").is_file():  # a run of some sets keeps the other sets' figures
        earlier = json.loads((out / "results.json").read_text(encoding="utf-8"))
        if earlier.get("limit") == args.limit:
            done = {r["set"] for r in runs}
            runs = [r for r in earlier["runs"] if r["set"] not in done] + runs
    saved = {"model": args.model, "limit": args.limit, "conditions": note, "runs": runs}
    (out / "results.json").write_text(json.dumps(saved, indent=1, default=str), encoding="utf-8")
    (out / "report.md").write_text(report(args.model, runs, args.limit, note), encoding="utf-8")
    print(report(args.model, runs, args.limit, note).split("\n\n## ")[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
