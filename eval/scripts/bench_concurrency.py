"""Concurrency: answers per second and latency with 1, 4 and 16 askers sharing one Assistant (in-process).

    python eval/scripts/bench_concurrency.py [--askers 1 4 16] [--questions N]

The bundled corpus is indexed once into a cached folder; every asker is a thread calling the same
`Assistant.answerer.ask` in extractive mode with questions from eval/sets/bundled.jsonl, as the UI's worker
threads do. Each level answers the same questions after one warm-up pass over them (model loaded,
keyword index loaded, the extractive answerer's sentence-vector cache filled, as in a running app).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

CACHE = Path(os.environ.get("ASSISTANT_BENCH_CACHE", Path.home() / ".cache" / "assistant-bench"))


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 1) if ordered else 0.0


def load_questions(limit: int) -> list[str]:
    lines = (ROOT / "eval" / "sets" / "bundled.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines if line.strip()]
    return (questions * (limit // max(len(questions), 1) + 1))[:limit]


def run(askers: list[int] | None = None, questions: int = 48) -> list[dict[str, Any]]:
    from assistant.app import build_assistant
    from assistant.config import Settings

    settings = Settings(index_dir=CACHE / "bundled-index", mode="extractive")
    assistant = build_assistant(settings)
    try:
        assistant.ingest([ROOT / "corpus"], progress=False)  # embeds nothing when the cached folder is current
        asked = load_questions(questions)
        for question in dict.fromkeys(asked):  # one pass first, so every level meets the same warm caches
            assistant.answerer.ask(question, mode="extractive")
        rows = []
        for level in askers or [1, 4, 16]:
            latencies: list[float] = []
            errors = 0
            lock = threading.Lock()

            def ask(question: str) -> None:
                nonlocal errors
                started = time.perf_counter()
                try:
                    assistant.answerer.ask(question, mode="extractive")
                except Exception:  # counted and reported: a failure under load is a finding, not a crash
                    with lock:
                        errors += 1
                    return
                with lock:
                    latencies.append((time.perf_counter() - started) * 1000)

            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=level) as pool:
                list(pool.map(ask, asked))
            wall = time.perf_counter() - started
            rows.append({
                "askers": level,
                "questions": len(asked),
                "errors": errors,
                "answers_per_s": round(len(latencies) / wall, 2),
                "p50_ms": _percentile(latencies, 0.5),
                "p95_ms": _percentile(latencies, 0.95),
                "wall_s": round(wall, 1),
            })
        return rows
    finally:
        assistant.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--askers", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--questions", type=int, default=48)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.askers, args.questions), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
