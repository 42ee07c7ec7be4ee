"""Queries at scale: retrieval and answer latency, serving RSS and disk per chunk at 10k/100k/... chunks.

    python eval/scripts/bench_scale.py [SIZE ...] [--server-max N] [--queries N] [--asks N]

Each size is built once (eval/scripts/scale_index.py, cached under ~/.cache/assistant-bench) and measured in a FRESH
serving process (so RSS is that of an app that loaded one index): hybrid retrieval with filters on (a date
range, a source, or both), then extractive `Assistant.ask`. With a size <= --server-max the same folder is also
served by `chroma run` and measured through ASSISTANT_CHROMA_URL (keyword index rebuilt from the server).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import synth  # noqa: E402

SEED = 7  # the seed eval/scripts/scale_index.py builds with

ASKS = [
    "How much is the {svc} contract with {con} for the {acr} worth?",
    "When will the first {prog} units be delivered?",
    "Who builds the {prog} for the {svc}?",
    "How many {acr} units did {nation} agree to buy?",
    "Why was the {acr} programme delayed?",
    "Where was the {prog} flight tested?",
]


def make_queries(n: int, articles: int, seed: int = 11) -> list[dict[str, Any]]:
    """Questions about real articles of the synthetic corpus, each with a filter: dates, source or both."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        made = synth.make_article(SEED, rng.randrange(articles))
        question = ASKS[i % len(ASKS)].format(**made.facts)
        kind = i % 3
        year = made.published.year
        filters: dict[str, Any] = {}
        if kind in (0, 2):
            filters.update(since=date(year, 1, 1).isoformat(), until=date(year, 12, 31).isoformat())
        if kind in (1, 2):
            filters["source"] = made.source
        out.append({"question": question, "filters": filters, "article_id": made.id})
    return out


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 1) if ordered else 0.0


def serve_measure(index_dir: str, chroma_url: str | None, queries: list[dict[str, Any]], asks: int) -> dict[str, Any]:
    """In a fresh process: load the app on an index, time filtered retrieval and extractive answers, RSS."""
    import psutil

    from assistant.app import build_assistant
    from assistant.retrieval.retrieve import RetrievalOptions
    from assistant.schema import Filters

    proc = psutil.Process()
    rss0 = proc.memory_info().rss
    started = time.perf_counter()
    import scale_index

    settings = scale_index.settings_for(Path(index_dir), chroma_url, mode="extractive")
    # The index holds torch-composed vectors (hence the torch fingerprint that opens it); the questions are
    # embedded by the product's default encoder, as a served app embeds them.
    from assistant.config import Settings
    from assistant.encoders.embeddings import make_embeddings

    assistant = build_assistant(settings, embeddings=make_embeddings(Settings()))
    if assistant.store.count() == 0:
        raise RuntimeError(f"no chunks in collection {assistant.store.name} at {assistant.store.location}: settings changed since the build?")
    assistant.embeddings.embed_query("warm up")
    t_kw = time.perf_counter()
    keyword = assistant.retriever.keyword  # loads (local) or rebuilds from the server (remote)
    keyword.search("warm up", 5)
    keyword_load_s = time.perf_counter() - t_kw
    load_s = time.perf_counter() - started
    rss_loaded = proc.memory_info().rss
    steps: dict[str, list[float]] = {"embed": [], "dense": [], "keyword": [], "retrieve": []}
    hits = 0
    for q in queries:
        filters = Filters(
            since=date.fromisoformat(q["filters"]["since"]) if "since" in q["filters"] else None,
            until=date.fromisoformat(q["filters"]["until"]) if "until" in q["filters"] else None,
            source=q["filters"].get("source"),
        )
        t0 = time.perf_counter()
        vec = assistant.embeddings.embed_query(q["question"])
        t1 = time.perf_counter()
        assistant.store.query(vec, 30, filters)
        t2 = time.perf_counter()
        keyword.search(q["question"], 30, filters)
        t3 = time.perf_counter()
        passages = assistant.retriever.retrieve(q["question"], filters, RetrievalOptions(k=6))
        t4 = time.perf_counter()
        hits += any(p.chunk.article_id == q["article_id"] for p in passages)
        for name, value in (("embed", t1 - t0), ("dense", t2 - t1), ("keyword", t3 - t2), ("retrieve", t4 - t3)):
            steps[name].append(value * 1000)
    answer_ms = []
    for q in queries[:asks]:
        t0 = time.perf_counter()
        assistant.answerer.ask(q["question"], mode="extractive")
        answer_ms.append((time.perf_counter() - t0) * 1000)
    rss_after = proc.memory_info().rss
    chunks = assistant.store.count()
    assistant.close()
    return {
        "chunks": chunks,
        "load_s": round(load_s, 1),
        "keyword_load_s": round(keyword_load_s, 1),
        "rss_start_mb": round(rss0 / 2**20),
        "rss_loaded_mb": round(rss_loaded / 2**20),
        "rss_after_mb": round(rss_after / 2**20),
        "queries": len(queries),
        "asks": len(answer_ms),
        "hit_at_6": round(hits / max(len(queries), 1), 2),
        **{f"{k}_p50_ms": _percentile(v, 0.5) for k, v in steps.items()},
        **{f"{k}_p95_ms": _percentile(v, 0.95) for k, v in steps.items()},
        "answer_p50_ms": _percentile(answer_ms, 0.5),
        "answer_p95_ms": _percentile(answer_ms, 0.95),
    }


def _child(index_dir: Path, chroma_url: str | None, queries: list[dict[str, Any]], asks: int) -> dict[str, Any]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
           "TOKENIZERS_PARALLELISM": "false"}
    spec = json.dumps({"index_dir": str(index_dir), "chroma_url": chroma_url, "queries": queries, "asks": asks})
    out = subprocess.run([sys.executable, __file__, "--child"], input=spec, capture_output=True, text=True, env=env, timeout=3600)
    if out.returncode != 0:
        raise RuntimeError(f"serving process failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _disk(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def with_chroma_server(index_dir: Path, fn: Any) -> tuple[Any, int]:
    """Serve `index_dir` with `chroma run` on a free loopback port, call fn(url); returns (result, server RSS)."""
    import psutil

    from assistant.answering.llm import free_port

    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or "chroma"
    port = free_port()
    proc = subprocess.Popen([chroma, "run", "--path", str(index_dir), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("chroma server exited")
                time.sleep(0.5)
        result = fn(url)
        rss = sum(p.memory_info().rss for p in [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)])
        return result, rss
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run(sizes: list[int], queries: int = 100, asks: int = 30, server_max: int = 100_000) -> list[dict[str, Any]]:
    import scale_index

    rows = []
    for size in sizes:
        built = scale_index.build(size)
        index = Path(built["index"])
        qs = make_queries(queries, built["articles"])
        keyword_bytes = _disk(index / "keyword") if (index / "keyword").exists() else 0
        total_bytes = _disk(index)
        local = _child(index, None, qs, asks)
        row = {"size": size, "store": "local folder", **local, "build": built,
               "disk_per_chunk_kb": round(total_bytes / built["chunks"] / 1024, 1),
               "keyword_disk_per_chunk_kb": round(keyword_bytes / built["chunks"] / 1024, 2)}
        rows.append(row)
        if size <= server_max:
            remote, server_rss = with_chroma_server(index, lambda url: _child(index, url, qs, asks))
            rows.append({"size": size, "store": "chroma server", **remote, "server_rss_mb": round(server_rss / 2**20),
                         "disk_per_chunk_kb": row["disk_per_chunk_kb"]})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000])
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--asks", type=int, default=30)
    parser.add_argument("--server-max", type=int, default=100_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        spec = json.loads(sys.stdin.read())
        print(json.dumps(serve_measure(spec["index_dir"], spec["chroma_url"], spec["queries"], spec["asks"])))
        return 0
    print(json.dumps(run(args.sizes, args.queries, args.asks, args.server_max), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
