"""Retrieval ablation: each stage switched on in turn, on every evaluation set; writes eval/ABLATION.md.

Run: .venv/bin/python eval/scripts/ablation.py [--set bundled] [--no-answers] [--out eval/ABLATION.md]
Each set's corpus is indexed once into a temporary folder; every configuration then shares those indexes.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from assistant.app import build_assistant  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.evaluation.metrics import aggregate, by_type, score  # noqa: E402
from assistant.evaluation.questions import QuestionSet, load_registry  # noqa: E402
from assistant.retrieval.retrieve import RetrievalConfig, RetrievalOptions, Retriever  # noqa: E402

log = logging.getLogger("ablation")

OFF = {"acronyms": False, "dates": False, "exact_weight": 0.0, "keyword_lead": 0.0}
CONFIGS: dict[str, dict[str, Any]] = {
    "dense": {**OFF, "mode": "dense"},
    "keyword (BM25)": {**OFF, "mode": "keyword"},
    "hybrid (RRF, BM25 weight 1, k=60)": {**OFF, "mode": "hybrid", "keyword_weight": 1.0, "rrf_k": 60},
    "hybrid (RRF, BM25 weight 2, k=30)": {**OFF, "mode": "hybrid"},
    "hybrid + acronyms": {**OFF, "mode": "hybrid", "acronyms": True},
    "hybrid + dates": {**OFF, "mode": "hybrid", "dates": True},
    "hybrid + exact-match boost": {**OFF, "mode": "hybrid", "exact_weight": 0.1},
    "hybrid + acronyms + dates": {"keyword_lead": 0.0},
    "hybrid + acronyms + dates + keyword lead (default)": {},
    "hybrid + acronyms + dates + exact": {"exact_weight": 0.1},
    "dense + acronyms + dates": {"mode": "dense"},
}
SWEEP = {
    "keyword_weight": [1.0, 1.5, 2.0, 3.0],
    "rrf_k": [30, 60],
    "recency_weight": [0.1, 0.2, 0.3, 0.5],
    "exact_weight": [0.0, 0.1],
    "keyword_lead": [0.0, 1.0, 1.25, 1.5, 2.0],
}
COLUMNS = ["recall@1", "recall@3", "recall@5", "recall@10", "mrr@10", "answer_accuracy"]


def _percentile(values: list[float], q: int) -> float:
    return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 1) if len(values) > 1 else values[0]


def run_config(assistant: Any, base: Retriever, qset: QuestionSet, changes: dict[str, Any], answers: bool) -> dict[str, Any]:
    retriever = base.with_config(**changes)
    assistant.answerer.retriever = retriever
    results, latencies = [], []
    for question in qset.questions:
        as_of = date.fromisoformat(question.as_of) if question.as_of else None
        if answers:
            answer = assistant.answerer.ask(question.question, history=list(question.history))
            standalone = answer.standalone_question or question.question
        else:
            from assistant.question.rewrite import rewrite_followup
            from assistant.schema import Answer

            standalone = rewrite_followup(question.question, list(question.history))
            answer = Answer(question=question.question, text="", abstained=True, mode="none", standalone_question=standalone)
        started = time.perf_counter()
        ranked = retriever.retrieve(standalone, None, RetrievalOptions(k=10), as_of=as_of)
        latencies.append((time.perf_counter() - started) * 1000)
        results.append(score(question, answer, list(dict.fromkeys(p.chunk.article_id for p in ranked))))
    metrics = aggregate(results)
    if not answers:
        metrics["answer_accuracy"] = None
    metrics["latency_p50"] = _percentile(latencies, 50)
    metrics["latency_p95"] = _percentile(latencies, 95)
    metrics["temporal_accuracy"] = by_type(results).get("temporal", {}).get("correct") if answers else None
    return metrics


class CachedEmbeddings:
    """Query vectors computed once per text, so a parameter sweep pays for the encoder only once."""

    def __init__(self, inner: Any):
        self.inner = inner
        self.cache: dict[str, list[float]] = {}

    def embed_query(self, text: str) -> list[float]:
        if text not in self.cache:
            self.cache[text] = self.inner.embed_query(text)
        return self.cache[text]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def sweep_configs(start: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every combination of the SWEEP values around `start` (retrieval metrics only)."""
    import itertools

    configs = {}
    for values in itertools.product(*SWEEP.values()):
        changes = dict(zip(SWEEP, values))
        configs[" ".join(f"{k}={v}" for k, v in changes.items())] = {**start, **changes}
    return configs


def run_set(
    qset: QuestionSet, embeddings: Any, configs: dict[str, dict[str, Any]], answers: bool, cache: bool = False, answers_for: list[str] | None = None
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="assistant-ablation-") as tmp:
        settings = Settings(index_dir=Path(tmp) / "index", chroma_url=None, mode="extractive")
        with build_assistant(settings, embeddings=embeddings) as assistant:
            report = assistant.ingest([qset.corpus], progress=False)
            print(f"{qset.name}: {report.summary()}", file=sys.stderr)
            base = assistant.retriever
            if cache:
                base = Retriever(base.store, CachedEmbeddings(base.embeddings), base.config)
            base.retrieve("warm-up question", None, RetrievalOptions(k=10))
            rows = {}
            for name, changes in configs.items():
                started = time.perf_counter()
                rows[name] = run_config(assistant, base, qset, changes, answers and (not answers_for or name in answers_for))
                print(f"  {name}: {json.dumps({k: rows[name].get(k) for k in COLUMNS + ['latency_p95']})} "
                      f"({time.perf_counter() - started:.0f}s)", file=sys.stderr)
    return {"set": qset.name, "questions": len(qset.questions), "chunks": report.chunks, "rows": rows}


def _fmt(value: Any) -> str:
    return "n/a" if value is None else (f"{value:.3f}" if isinstance(value, float) and value <= 1 else str(value))


def markdown(runs: list[dict[str, Any]]) -> str:
    lines = [
        "# Retrieval ablation",
        "",
        f"Generated {date.today().isoformat()} by `.venv/bin/python eval/scripts/ablation.py` (extractive answers, k=10 for ranking,",
        "recall and MRR counted on distinct articles; latency is `Retriever.retrieve` alone, warm, on this machine).",
        f"Default configuration: `{json.dumps({k: v for k, v in asdict(RetrievalConfig()).items() if k != 'as_of'})}`.",
    ]
    for run in runs:
        lines += [
            "",
            f"## {run['set']} ({run['questions']} questions, {run['chunks']} chunks)",
            "",
            "| configuration | R@1 | R@3 | R@5 | R@10 | MRR@10 | answer acc. | temporal acc. | p50 ms | p95 ms |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for name, m in run["rows"].items():
            cells = [_fmt(m.get(c)) for c in COLUMNS] + [_fmt(m.get("temporal_accuracy")), _fmt(m["latency_p50"]), _fmt(m["latency_p95"])]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", help="set name from eval/sets/sets.json (repeatable; default all)")
    parser.add_argument("--config", action="append", help="configuration name (repeatable; default all)")
    parser.add_argument("--sweep", action="store_true", help="vary one parameter at a time around the default")
    parser.add_argument("--no-answers", action="store_true", help="retrieval metrics only (much faster)")
    parser.add_argument("--answers-for", action="append", help="answer (slow) only with these configurations")
    parser.add_argument("--out", type=Path, default=ROOT / "eval" / "ABLATION.md")
    parser.add_argument("--json", type=Path, help="also write the raw numbers here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    from assistant.encoders.embeddings import make_embeddings

    embeddings = make_embeddings(Settings())
    configs = {n: c for n, c in CONFIGS.items() if not args.config or n in args.config}
    if args.sweep:
        configs = sweep_configs({k: v for k, v in asdict(RetrievalConfig()).items() if k != "as_of"})
    runs = []
    for qset in load_registry(ROOT / "eval" / "sets"):
        if (args.set and qset.name not in args.set) or not qset.corpus.is_dir():
            continue
        runs.append(run_set(qset, embeddings, configs, answers=not (args.no_answers or args.sweep), cache=args.sweep, answers_for=args.answers_for))
    args.out.write_text(markdown(runs), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(runs, indent=1), encoding="utf-8")
    print(markdown(runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
