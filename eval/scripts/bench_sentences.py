"""Sentence vectors stored at indexing against encoded while answering, side by side; writes eval/perf/sentences.json.

Run: .venv/bin/python eval/scripts/bench_sentences.py [--rounds N] [--contracts] [--limit N]

The extractive reader compares the question with every sentence of the retrieved passages. With
`index_sentences` on, indexing encodes those sentences once (assistant/ingest/sentences.py) and an answer
reads them from the index; off, an answer encodes the sentences of each passage it has not seen before.
Each round builds both variants into fresh temporary Chroma folders, one after the other, with one loaded
encoder, and measures:
  - ingest seconds (what indexing pays);
  - answer latency over the set's questions as `make eval` asks them (one pass, the reader's in-process
    cache warming as it goes), and cold (that cache emptied before every question: a question about
    passages nobody has asked about yet, which is what an analyst's question usually is);
  - whether both variants give the same answers (they should: the vectors are the same).
It also times the int8 encoder on the same sentences with and without its side-by-side one-thread runs
(assistant/encoders/onnx.py), interleaved, and checks the vectors are identical.
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
for _key in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
    os.environ.setdefault(_key, "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402

from assistant.app import build_assistant  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.encoders.embeddings import make_embeddings  # noqa: E402
from assistant.evaluation.questions import load_registry  # noqa: E402
from assistant.ingest.chunking import chunk_article  # noqa: E402
from assistant.ingest.loaders import load_paths  # noqa: E402
from assistant.ingest.sentences import sentence_views  # noqa: E402

OUT = ROOT / "eval" / "perf" / "sentences.json"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1) if ordered else 0.0


def one_variant(settings: Settings, embeddings: Any, corpus: Path, questions: list[Any], stored: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-sentences-") as tmp:
        run = settings.model_copy(update={"index_dir": Path(tmp) / "index", "chroma_url": None, "index_sentences": stored})
        with build_assistant(run, embeddings=embeddings) as assistant:
            started = time.perf_counter()
            report = assistant.ingest([corpus], progress=False)
            ingest_s = time.perf_counter() - started
            passes: dict[str, dict[str, list[float]]] = {}
            answers: list[str] = []
            for label in ("one pass", "cold"):
                totals, generation = [], []
                for q in questions:
                    if label == "cold":
                        assistant.answerer.extractive._cache.clear()
                    answer = assistant.answerer.ask(q.question, history=list(q.history), mode="extractive")
                    totals.append(answer.timings_ms.get("total", 0.0))
                    generation.append(answer.timings_ms.get("generation", 0.0))
                    if label == "cold":
                        answers.append(answer.text)
                passes[label] = {"total": totals, "generation": generation}
    return {"chunks": report.chunks, "ingest_s": ingest_s, "passes": passes, "answers": answers}


def encoder_sides(embeddings: Any, texts: list[str], rounds: int) -> dict[str, Any]:
    """The int8 encoder on `texts`, its one-thread runs side by side (as shipped) and one run at a time on all cores."""
    encoder = embeddings.onnx_encoder
    encoder.encode(["warm-up"])
    pool = encoder._pool
    if pool is None:
        return {"skipped": "the encoder runs no side-by-side runs here (one core, or not the int8 backend)"}
    seconds: dict[str, list[float]] = {"side by side": [], "one at a time": []}
    vectors: dict[str, Any] = {}
    for _ in range(rounds):
        for label in seconds:
            encoder._pool = pool if label == "side by side" else None
            started = time.perf_counter()
            vectors[label] = encoder.encode(texts)
            seconds[label].append(time.perf_counter() - started)
    encoder._pool = pool
    best = {k: min(v) for k, v in seconds.items()}
    return {
        "texts": len(texts),
        "texts_per_s": {k: round(len(texts) / v, 1) for k, v in best.items()},
        "speedup": round(best["one at a time"] / best["side by side"], 2),
        "identical_vectors": bool(np.array_equal(vectors["side by side"], vectors["one at a time"])),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--contracts", action="store_true", help="also the dodcontracts corpus (its dev half)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N questions of each set")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    settings = Settings()
    embeddings = make_embeddings(settings)
    registry = {s.name: s for s in load_registry(ROOT / "eval" / "sets")}
    names = ["bundled"] + (["dodcontracts"] if args.contracts and registry["dodcontracts"].corpus.is_dir() else [])
    results: dict[str, Any] = {}
    for name in names:
        qset = registry[name]
        questions = [q for q in qset.questions if q.extra.get("split", "dev") == "dev"]  # the dev half where split
        questions = questions[: args.limit] if args.limit else questions
        runs: dict[str, list[dict[str, Any]]] = {"encoded while answering": [], "stored at indexing": []}
        for _ in range(args.rounds):
            for label in runs:  # interleaved: whatever else the machine runs hits both alike
                runs[label].append(one_variant(settings, embeddings, qset.corpus, questions, label == "stored at indexing"))
        same = sum(a == b for a, b in zip(runs["encoded while answering"][0]["answers"], runs["stored at indexing"][0]["answers"]))
        summary: dict[str, Any] = {"questions": len(questions), "same_answers": same, "variants": {}}
        for label, rs in runs.items():
            row: dict[str, Any] = {"chunks": rs[0]["chunks"], "ingest_s": round(min(r["ingest_s"] for r in rs), 1)}
            for pass_ in ("one pass", "cold"):
                # per question, the best of the rounds: the least disturbed measurement of each
                totals = [min(vals) for vals in zip(*(r["passes"][pass_]["total"] for r in rs))]
                gen = [min(vals) for vals in zip(*(r["passes"][pass_]["generation"] for r in rs))]
                row[pass_] = {"total_p50": pct(totals, 0.5), "total_p95": pct(totals, 0.95), "reader_p50": pct(gen, 0.5), "reader_p95": pct(gen, 0.95)}
            summary["variants"][label] = row
        enc, sto = summary["variants"]["encoded while answering"], summary["variants"]["stored at indexing"]
        summary["ratios"] = {
            "ingest_s stored / encoded": round(sto["ingest_s"] / enc["ingest_s"], 2),
            "cold total_p95 encoded / stored": round(enc["cold"]["total_p95"] / sto["cold"]["total_p95"], 2),
            "one pass total_p95 encoded / stored": round(enc["one pass"]["total_p95"] / sto["one pass"]["total_p95"], 2),
        }
        results[name] = summary
        if name == "bundled":
            loaded = load_paths([qset.corpus], max_bytes=int(settings.max_file_mb * 1_000_000))
            texts = [v.shown for a in loaded.articles for c in chunk_article(a) for v in sentence_views(c.text)]
            results["encoder"] = encoder_sides(embeddings, texts[:600], args.rounds)

    out = {"measured": datetime.now(timezone.utc).isoformat(timespec="seconds"), "cpu_count": os.cpu_count(), "rounds": args.rounds, "results": results}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
