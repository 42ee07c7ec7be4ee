"""`make bench`: encoder, scale and concurrency benchmarks in one run -> eval/PERFORMANCE.md + eval/perf/.

    python eval/scripts/bench.py [--sizes 10000,100000] [--server-max 100000] [--quick]

Sizes also come from ASSISTANT_BENCH_SIZES (comma-separated chunk counts); --quick runs small versions of
everything (for development). Raw figures go to eval/perf/results.json, the chart to eval/perf/latency.png.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent  # eval/scripts: the other scripts import from here
EVAL = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(EVAL.parent))

import bench_concurrency  # noqa: E402
import bench_scale  # noqa: E402

log = logging.getLogger(__name__)

TARGETS = {100_000: 100.0, 1_000_000: 300.0}  # retrieval p95 targets (ms) from the issue


NOTES = [
    "Keyword index: SQLite records + memory-mapped BM25 arrays (assistant/index/keyword.py, keyword_matrix.py). The "
    "one-JSON-file format it replaced added 195 MB of RSS and 8.3 s of start-up at 10k chunks, linear in size "
    "(`python eval/scripts/bench_keyword.py 10000 OLD_MODULE`); the new one adds a few MB and loads in 0.03 s.",
    "Dense search with filters: Chroma's `where` on the date range took 0.8-1.0 s at 100k chunks (unfiltered: "
    "5 ms). Store.query now takes the filtered top k from an unfiltered top 300, then 2,400, when enough pass "
    "(exact, since a better passing chunk would be in that list) and lets Chroma filter only when too few do. "
    "The retriever sizes its first look from the share of chunks that pass the filter (known from the keyword "
    "index's arrays), so a selective filter needs one Chroma query, not two; and nothing counts the collection "
    "per query any more (Chroma's count took 17 ms at 100k chunks). "
    "Chroma fetching metadata was what remained (2,400 results: 26 ms with distances only, 511 ms with metadata, "
    "at 100k), so the retriever now asks Chroma for ids only and judges them on the keyword index's in-memory "
    "filter arrays (Retriever._dense, tested equal to Chroma's own filter); Store.query is the fallback. The "
    "'dense p50' column times Store.query, that fallback, not the product's path; the retrieval columns are the "
    "product's path.",
    "Chroma server rows: the same folder served by `chroma run`; the app's keyword index is rebuilt from the "
    "server at start (the 'keyword index load' column) - once per replica.",
    "1M chunks was not attempted: Chroma took 1,006 s for 100k inserts here (99 chunks/s under a load "
    "average near 10; 289 chunks/s at 10k), so 1M would need 1-3 hours of insert alone on 2 shared cores.",
    "Answer latency is cold: each question is new, so the extractive answerer encodes its passages' sentences; "
    "the concurrency table, after a warm-up pass, shows the warm figure.",
]


def machine() -> dict[str, Any]:
    import psutil

    return {
        "cores": len(os.sched_getaffinity(0)),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "cpu": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "load_1m_at_start": round(os.getloadavg()[0], 2),
    }


def encoder_figures(quick: bool) -> dict[str, Any] | None:
    try:
        import bench_encoder
    except ImportError:
        return None
    return bench_encoder.run(quick)


def scale_table(rows: list[dict[str, Any]]) -> list[str]:
    out = [
        "| chunks | store | retrieval p50 / p95 ms | of which: embed p50, dense p50, keyword p50 ms | answer p50 / p95 ms "
        "| RSS loaded / after MB | keyword index load s | disk KB/chunk | hit@6 |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        target = TARGETS.get(r["size"])
        flag = f" (target < {target:.0f})" if target else ""
        server = f" (+ server {r['server_rss_mb']} MB)" if "server_rss_mb" in r else ""
        out.append(
            f"| {r['chunks']:,} | {r['store']} | {r['retrieve_p50_ms']} / {r['retrieve_p95_ms']}{flag} "
            f"| {r['embed_p50_ms']}, {r['dense_p50_ms']}, {r['keyword_p50_ms']} | {r['answer_p50_ms']} / {r['answer_p95_ms']} "
            f"| {r['rss_loaded_mb']} / {r['rss_after_mb']}{server} | {r['keyword_load_s']} | {r['disk_per_chunk_kb']} | {r['hit_at_6']} |"
        )
    return out


def build_table(rows: list[dict[str, Any]]) -> list[str]:
    out = ["| chunks | articles | generate s | vectors s | Chroma insert s (chunks/s) | keyword upsert + save s |",
           "|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        if r["store"] != "local folder":
            continue
        b = r["build"]
        out.append(f"| {b['chunks']:,} | {b['articles']:,} | {b['generate_s']} | {b['vectors_s']} | {b['chroma_insert_s']} "
                   f"({b['chroma_insert_per_s']}) | {round(b['keyword_upsert_s'] + b['keyword_save_s'], 1)} |")
    return out


def concurrency_table(rows: list[dict[str, Any]]) -> list[str]:
    out = ["| askers | questions | answers/s | p50 ms | p95 ms | errors |", "|---:|---:|---:|---:|---:|---:|"]
    out += [f"| {r['askers']} | {r['questions']} | {r['answers_per_s']} | {r['p50_ms']} | {r['p95_ms']} | {r['errors']} |" for r in rows]
    return out


def chart(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.2))
    for store, marker in (("local folder", "o"), ("chroma server", "s")):
        pts = sorted((r["chunks"], r["retrieve_p50_ms"], r["retrieve_p95_ms"]) for r in rows if r["store"] == store)
        if pts:
            xs = [p[0] for p in pts]
            ax.plot(xs, [p[2] for p in pts], marker=marker, label=f"retrieval p95, {store}")
            ax.plot(xs, [p[1] for p in pts], marker=marker, linestyle="--", label=f"retrieval p50, {store}")
    for size, target in TARGETS.items():
        ax.scatter([size], [target], marker="_", s=400, color="red")
        ax.annotate(f"target {target:.0f} ms", (size, target), textcoords="offset points", xytext=(6, 4), fontsize=8, color="red")
    ax.set_xscale("log")
    ax.set_xlabel("chunks in the index")
    ax.set_ylabel("ms (hybrid retrieval, filters on)")
    ax.set_title("Retrieval latency against corpus size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def render(result: dict[str, Any]) -> str:
    m = result["machine"]
    lines = [
        "# Performance",
        "",
        f"Generated {result['generated']} by `{result['command']}`, all sections in this one run.",
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['ram_gb']} GB RAM, Python {m['python']}; load average "
        f"{m['load_1m_at_start']} at the start and {result['load_1m_at_end']} at the end (the machine is shared, so "
        "absolute times are upper bounds). CPU only.",
        "",
    ]
    if result.get("encoder"):
        import bench_encoder

        lines += ["## Encoder", "", "```", bench_encoder.format_table(result["encoder"]), "```", ""]
    lines += [
        "## Queries at scale",
        "",
        "Synthetic defence-news articles (eval/scripts/synth.py, seed 7, 250-900 words, 2023-2026, 12 outlets) chunked by the "
        "product's chunker and stored with `assistant.index.store.Store` and the product's keyword index. **Vectors of the "
        "indexed chunks are composed, not encoded**: each sentence template and each name is embedded once with "
        "all-MiniLM-L6-v2 and a chunk's vector is the normalised sum of its title's and sentences' vectors "
        "(eval/scripts/scale_index.py), because encoding 100k chunks here takes over an hour. Query vectors come from the "
        "product's default encoder (onnx-int8; its vectors are within cosine 0.99 of torch's), and the measured path is the product's `Retriever.retrieve` / `Answerer.ask`.",
        "",
        f"Each row is a fresh serving process: {result['settings']['queries']} hybrid retrievals with filters on "
        "(a calendar year, a source, or both, in turn), then "
        f"{result['settings']['asks']} extractive answers. RSS is the serving process's (embedding model included); "
        "the server row adds the `chroma run` process. hit@6 = the article a question was written from is in the top 6.",
        "",
        *scale_table(result["scale"]),
        "",
        "Build (once, cached under ~/.cache/assistant-bench):",
        "",
        *build_table(result["scale"]),
        "",
        "![retrieval latency against corpus size](perf/latency.png)",
        "",
        "## Concurrency",
        "",
        "Threads sharing one `Assistant` in-process, extractive mode, bundled corpus, questions from "
        "eval/sets/bundled.jsonl, after one warm-up pass over them.",
        "",
        *concurrency_table(result["concurrency"]),
        "",
    ]
    lines += ["## Notes", ""] + [f"- {n}" for n in result.get("notes", [])]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=os.environ.get("ASSISTANT_BENCH_SIZES", "10000,100000"))
    parser.add_argument("--server-max", type=int, default=int(os.environ.get("ASSISTANT_BENCH_SERVER_MAX", "100000")))
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--asks", type=int, default=30)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-encoder", action="store_true")
    parser.add_argument("--out", type=Path, default=EVAL / "PERFORMANCE.md")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    queries, asks = (20, 5) if args.quick else (args.queries, args.asks)
    result: dict[str, Any] = {
        "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": "python eval/scripts/bench.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": machine(),
        "settings": {"sizes": sizes, "queries": queries, "asks": asks, "server_max": args.server_max},
    }
    result["encoder"] = None if args.no_encoder else encoder_figures(args.quick)
    result["scale"] = bench_scale.run(sizes, queries, asks, args.server_max)
    result["concurrency"] = bench_concurrency.run([1, 4, 16], 16 if args.quick else 48)
    result["load_1m_at_end"] = round(os.getloadavg()[0], 2)
    result["notes"] = NOTES
    (EVAL / "perf").mkdir(exist_ok=True)
    (EVAL / "perf" / "results.json").write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    chart(result["scale"], EVAL / "perf" / "latency.png")
    args.out.write_text(render(result), encoding="utf-8")
    print(f"wrote {args.out} and {EVAL / 'perf'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
