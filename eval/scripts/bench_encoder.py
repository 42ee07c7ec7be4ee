"""Encoder benchmark: torch vs ONNX backends on the same real chunks, in one run; writes eval/perf/encoder.json.

Run: .venv/bin/python eval/scripts/bench_encoder.py [--quick] [--rounds N] [--backends torch,onnx,onnx-int8]

Measured side by side (the rounds interleave the backends, so load from other processes hits them alike):
  - bare encoder throughput (chunks/s) over every chunk of the bundled corpus and ../shared/data/dvids,
    as `assistant.ingest.indexer.embedding_text` gives them to the encoder, and the speed-up over torch;
  - mean / min cosine of each backend's vectors to torch's;
  - retrieval quality per evaluation set (recall@1/3/5/10, MRR@10; hybrid as configured, and dense only),
    each backend's index built by `assistant.ingest.indexer.ingest` into a fresh temporary Chroma folder;
  - pipeline overhead: that ingest's throughput (chunks embedded / wall seconds) divided by the bare
    encoder's throughput on the same chunks, measured just before it.
`run(quick=True)` keeps it short (fewer chunks, one round, bundled set only) for development.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
for _key in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
    os.environ.setdefault(_key, "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from assistant.app import build_assistant  # noqa: E402
from assistant.ingest.chunking import chunk_article  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.ingest.loaders import load_paths  # noqa: E402
from assistant.encoders.embeddings import LocalEmbeddings  # noqa: E402
from assistant.evaluation.metrics import KS, score  # noqa: E402
from assistant.evaluation.questions import QuestionSet, load_registry  # noqa: E402
from assistant.ingest.indexer import embedding_text  # noqa: E402
from assistant.retrieval.retrieve import RetrievalOptions  # noqa: E402
from assistant.question.rewrite import rewrite_followup  # noqa: E402
from assistant.schema import Answer  # noqa: E402

log = logging.getLogger("bench_encoder")
BACKENDS = ("torch", "onnx", "onnx-int8")
OUT = ROOT / "eval" / "perf" / "encoder.json"
TOLERANCE = 0.01  # recall@5 and MRR@10 may move at most this much from torch for a backend to be eligible


def chunk_texts(folders: list[Path], settings: Settings) -> list[str]:
    """What ingest sends to the encoder for every chunk of the articles in `folders`."""
    loaded = load_paths(folders, max_bytes=int(settings.max_file_mb * 1_000_000))
    return [
        embedding_text(chunk)
        for article in loaded.articles
        for chunk in chunk_article(article, settings.chunk_min_words, settings.chunk_max_words, settings.chunk_overlap_sentences)
    ]


def _rate(encoder: LocalEmbeddings, texts: list[str]) -> tuple[float, Any]:
    started = time.perf_counter()
    vectors = encoder.encode(texts)
    return len(texts) / (time.perf_counter() - started), vectors


def _timed(encoder: LocalEmbeddings, texts: list[str]) -> tuple[float, float, Any]:
    """Chunks per wall second and per CPU second of this process (all its threads)."""
    wall, cpu = time.perf_counter(), time.process_time()
    vectors = encoder.encode(texts)
    return len(texts) / (time.perf_counter() - wall), len(texts) / max(time.process_time() - cpu, 1e-9), vectors


def measure_speed(encoders: dict[str, LocalEmbeddings], texts: list[str], rounds: int) -> dict[str, Any]:
    """Interleaved rounds over the same texts; median and best chunks/s, cosine to torch's vectors."""
    rates: dict[str, list[float]] = {name: [] for name in encoders}
    cpu_rates: dict[str, list[float]] = {name: [] for name in encoders}
    vectors: dict[str, Any] = {}
    for _ in range(rounds):
        for name, encoder in encoders.items():
            rate, cpu_rate, vectors[name] = _timed(encoder, texts)
            rates[name].append(rate)
            cpu_rates[name].append(cpu_rate)
    base = statistics.median(rates["torch"])
    cpu_base = statistics.median(cpu_rates["torch"])
    table: dict[str, Any] = {}
    for name, values in rates.items():
        cosine = (vectors[name] * vectors["torch"]).sum(axis=1)
        table[name] = {
            "chunks_per_s": round(statistics.median(values), 2),
            "chunks_per_s_best": round(max(values), 2),
            "rounds": [round(v, 2) for v in values],
            "speedup": round(statistics.median(values) / base, 2),
            "chunks_per_cpu_s": round(statistics.median(cpu_rates[name]), 2),
            "cpu_speedup": round(statistics.median(cpu_rates[name]) / cpu_base, 2),
            "cosine_mean": round(float(cosine.mean()), 5),
            "cosine_min": round(float(cosine.min()), 5),
        }
    return table


def _retrieval_metrics(assistant: Any, qset: QuestionSet) -> dict[str, dict[str, float | None]]:
    out: dict[str, dict[str, float | None]] = {}
    for label, retriever in (("hybrid", assistant.retriever), ("dense", assistant.retriever.with_config(mode="dense"))):
        results = []
        for question in qset.questions:
            standalone = rewrite_followup(question.question, list(question.history))
            as_of = date.fromisoformat(question.as_of) if question.as_of else None
            ranked = retriever.retrieve(standalone, None, RetrievalOptions(k=10), as_of=as_of)
            answer = Answer(question=question.question, text="", abstained=True, mode="none", standalone_question=standalone)
            results.append(score(question, answer, list(dict.fromkeys(p.chunk.article_id for p in ranked))))
        gold = [r for r in results if r.question.article_ids and not r.question.abstain]
        row: dict[str, float | None] = {f"recall@{k}": round(statistics.fmean(r.recall_at(k) for r in gold), 4) for k in KS}
        row["mrr@10"] = round(statistics.fmean((1 / r.first_gold_rank) if r.first_gold_rank else 0.0 for r in gold), 4)
        row["questions"] = len(gold)
        out[label] = row
    return out


def measure_sets(encoders: dict[str, LocalEmbeddings], sets: list[QuestionSet], settings: Settings) -> dict[str, Any]:
    """Per set and backend: bare encode rate, ingest into a fresh Chroma folder, retrieval metrics."""
    table: dict[str, Any] = {}
    for qset in sets:
        texts = chunk_texts([qset.corpus], settings)
        for name, encoder in encoders.items():
            bare_rate, _ = _rate(encoder, texts)
            with tempfile.TemporaryDirectory(prefix="bench-encoder-") as tmp:
                update = {"index_dir": Path(tmp) / "index", "chroma_url": None, "embedding_backend": name}
                run_settings = settings.model_copy(update=update)
                with build_assistant(run_settings, embeddings=encoder) as assistant:
                    started = time.perf_counter()
                    report = assistant.ingest([qset.corpus], progress=False)
                    ingest_s = time.perf_counter() - started
                    metrics = _retrieval_metrics(assistant, qset)
            table.setdefault(qset.name, {})[name] = {
                "chunks": len(texts),
                "embedded": report.embedded,
                "bare_chunks_per_s": round(bare_rate, 2),
                "ingest_chunks_per_s": round(report.embedded / ingest_s, 2),
                "ingest_seconds": round(ingest_s, 2),
                "pipeline_ratio": round(report.embedded / ingest_s / bare_rate, 3),
                **metrics,
            }
    return table


def pipeline_ratio(rows: list[dict[str, Any]]) -> float:
    """Ingest throughput over all sets divided by the bare encoder's throughput on the same chunks."""
    ingest_rate = sum(r["embedded"] for r in rows) / sum(r["ingest_seconds"] for r in rows)
    bare_rate = sum(r["chunks"] for r in rows) / sum(r["chunks"] / r["bare_chunks_per_s"] for r in rows)
    return round(ingest_rate / bare_rate, 3)


def decide(speed: dict[str, Any], quality: dict[str, Any]) -> dict[str, Any]:
    """The fastest backend whose hybrid recall@5 and MRR@10 stay within TOLERANCE of torch on every set."""
    eligible, reasons = [], {}
    for name in speed:
        worst = max(
            abs(quality[s][name]["hybrid"][m] - quality[s]["torch"]["hybrid"][m]) for s in quality for m in ("recall@5", "mrr@10")
        )
        reasons[name] = round(worst, 4)
        if worst <= TOLERANCE:
            eligible.append(name)
    best = max(eligible, key=lambda n: speed[n]["chunks_per_s"])
    return {"default": best, "max_metric_change": reasons, "tolerance": TOLERANCE, "eligible": eligible}


def run(quick: bool = False, rounds: int | None = None, backends: tuple[str, ...] = BACKENDS) -> dict[str, Any]:
    """Every figure of the benchmark as a dict (eval/scripts/bench.py imports this)."""
    settings = Settings()
    load_before = round(os.getloadavg()[0], 2)
    sets = [s for s in load_registry(ROOT / "eval" / "sets") if s.corpus.is_dir()]
    if quick:
        sets = sets[:1]
    texts = chunk_texts([s.corpus for s in sets], settings)[: 64 if quick else None]
    rounds = rounds or (1 if quick else 3)
    encoders: dict[str, LocalEmbeddings] = {}
    load_seconds: dict[str, float] = {}
    for name in ("torch", *[b for b in backends if b != "torch"]):
        started = time.perf_counter()
        encoders[name] = LocalEmbeddings(
            settings.embedding_batch_size, name, settings.embedding_cache_dir, settings.embedding_threads
        )
        encoders[name].encode(texts[:4])  # loads (and on first use converts) the model
        load_seconds[name] = round(time.perf_counter() - started, 2)
    speed = measure_speed(encoders, texts, rounds)
    quality = measure_sets(encoders, sets, settings)
    pipeline = {name: pipeline_ratio([rows[name] for rows in quality.values()]) for name in encoders}
    return {
        "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": ".venv/bin/python eval/scripts/bench_encoder.py" + (" --quick" if quick else ""),
        "quick": quick,
        "machine": {"cores": len(os.sched_getaffinity(0)), "load_average_1m": [load_before, round(os.getloadavg()[0], 2)]},
        "chunks": len(texts),
        "rounds": rounds,
        "batch_size": settings.embedding_batch_size,
        "load_seconds": load_seconds,
        "speed": speed,
        "quality": quality,
        "pipeline_ratio": pipeline,
        "decision": decide(speed, quality),
    }


def format_table(result: dict[str, Any]) -> str:
    lines = [f"{result['chunks']} chunks, {result['rounds']} interleaved rounds, batch {result['batch_size']}", ""]
    lines.append(
        f"{'backend':<10} {'chunks/s':>9} {'best':>7} {'speed-up':>8} {'/cpu-s':>7} {'cpu x':>6} {'cos mean':>9} {'cos min':>8} {'pipeline':>8}"
    )
    for name, row in result["speed"].items():
        lines.append(
            f"{name:<10} {row['chunks_per_s']:>9.2f} {row['chunks_per_s_best']:>7.2f} {row['speedup']:>7.2f}x "
            f"{row['chunks_per_cpu_s']:>7.2f} {row['cpu_speedup']:>5.2f}x "
            f"{row['cosine_mean']:>9.5f} {row['cosine_min']:>8.5f} {result['pipeline_ratio'][name]:>8.3f}"
        )
    lines += ["", f"{'set':<8} {'backend':<10} {'mode':<7} " + " ".join(f"{m:>9}" for m in ('R@1', 'R@3', 'R@5', 'R@10', 'MRR@10'))]
    for set_name, rows in result["quality"].items():
        for name, row in rows.items():
            for mode in ("hybrid", "dense"):
                m = row[mode]
                values = [m["recall@1"], m["recall@3"], m["recall@5"], m["recall@10"], m["mrr@10"]]
                lines.append(f"{set_name:<8} {name:<10} {mode:<7} " + " ".join(f"{v:>9.4f}" for v in values))
    decision = result["decision"]
    lines += ["", f"default backend: {decision['default']} (largest recall@5 / MRR@10 change vs torch: {decision['max_metric_change']})"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="64 chunks, one round, bundled set only")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    result = run(args.quick, args.rounds, tuple(args.backends.split(",")))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(format_table(result))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
