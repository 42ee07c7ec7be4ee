"""Keyword index formats side by side on one built size: load time, RSS added, search latency.

    python eval/scripts/bench_keyword.py SIZE [OLD_KEYWORD_MODULE.py]

"new" is assistant/index/keyword.py (SQLite records + memory-mapped BM25 arrays). "old" is the JSON-of-token-lists
format it replaced, given as a copy of that module (e.g. `git show 6d26531:assistant/index/keyword.py`, with its
relative imports made absolute); its file is written from the same records. Each format is measured in a fresh
process so RSS deltas do not mix.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent  # eval/scripts: the other scripts import from here
EVAL = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(EVAL.parent))

QUERIES = ["Army contract interceptor production", "When will deliveries begin", "Halvorsen Aerospace radar",
           "flight test range kilometres", "budget request missile", "software problem delayed test"]


def _sqlite_path(index_dir: Path) -> Path:
    return next((index_dir / "keyword").glob("*.sqlite"))


def _disk(path: Path) -> int:
    """The format's files: the JSON file, or the SQLite file and its .bm25 folder of arrays."""
    arrays = path.with_suffix(".bm25")
    extra = sum(f.stat().st_size for f in arrays.rglob("*") if f.is_file()) if arrays.is_dir() else 0
    return path.stat().st_size + extra


def write_old_format(index_dir: Path, out: Path) -> None:
    """The same records in the old one-JSON-file format (format 1)."""
    import sqlite3

    import numpy as np

    db = sqlite3.connect(_sqlite_path(index_dir))
    vocab = {i: t for t, i in db.execute("SELECT term, id FROM vocab")}
    records = {}
    for cid, digest, article, day, source, tags, defs, blob in db.execute(
        "SELECT id, content_hash, article_id, published, source, tags, definitions, tokens FROM chunks"
    ):
        records[cid] = {"tokens": [vocab[int(t)] for t in np.frombuffer(blob, dtype=np.int32)], "article_id": article,
                        "published_int": day, "source": source, "tags": json.loads(tags), "content_hash": digest,
                        "definitions": json.loads(defs)}
    out.write_text(json.dumps({"format": 1, "records": records}, separators=(",", ":")), encoding="utf-8")


def measure(kind: str, path: Path, module: Path | None) -> dict[str, Any]:
    import psutil

    from assistant.schema import Filters

    proc = psutil.Process()
    if kind == "old":
        spec = importlib.util.spec_from_file_location("old_keyword", module)
        mod = importlib.util.module_from_spec(spec)
        sys.modules['old_keyword'] = mod
        spec.loader.exec_module(mod)  # type: ignore[union-attr]
        cls = mod.KeywordIndex
    else:
        from assistant.index.keyword import KeywordIndex as cls
    import bm25s  # noqa: F401  (imported by both; kept out of the delta)

    rss0 = proc.memory_info().rss
    t0 = time.perf_counter()
    index = cls(path)
    index.load()
    index.search("warm", 5)  # the old format builds its BM25 here
    load_s = time.perf_counter() - t0
    rss1 = proc.memory_info().rss
    times = []
    for round_ in range(5):
        for q in QUERIES:
            filters = Filters(source="Shipyard Gazette") if round_ % 2 else None
            t = time.perf_counter()
            index.search(q, 30, filters)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {"format": kind, "load_s": round(load_s, 2), "rss_added_mb": round((rss1 - rss0) / 2**20),
            "file_mb": round(_disk(path) / 2**20, 1),
            "search_p50_ms": round(times[len(times) // 2], 1), "search_p95_ms": round(times[int(0.95 * (len(times) - 1))], 1)}


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--child":
        print(json.dumps(measure(argv[1], Path(argv[2]), Path(argv[3]) if len(argv) > 3 else None)))
        return 0
    import scale_index

    built = scale_index.build(int(argv[0]))
    index_dir = Path(built["index"])
    rows = []
    runs = [("new", _sqlite_path(index_dir), None)]
    if len(argv) > 1:
        old = index_dir / "keyword-old" / "old.json"
        old.parent.mkdir(exist_ok=True)
        if not old.exists():
            write_old_format(index_dir, old)
        runs.append(("old", old, Path(argv[1])))
    for kind, path, module in runs:
        cmd = [sys.executable, __file__, "--child", kind, str(path)] + ([str(module)] if module else [])
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        rows.append({"chunks": built["chunks"], **json.loads(out.stdout.strip().splitlines()[-1])})
    print(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
