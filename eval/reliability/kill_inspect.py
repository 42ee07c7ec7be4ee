"""Read an index folder in a process of its own and print what it holds as one JSON object.

    .venv/bin/python eval/reliability/kill_inspect.py INDEX [--questions FILE]

Used by the kill trials, so that the trial driver never holds a Chroma folder open while an ingest
subprocess writes to it. Reports: SQLite integrity, the chunks (id -> content hash, article, text
digest), whether each stored vector finds itself through the HNSW index, the keyword index as persisted
on disk (before anything reconciles it), and the chunk ids retrieved for each question.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sqlite3
import sys
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
for key, value in {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "TOKENIZERS_PARALLELISM": "false"}.items():
    os.environ.setdefault(key, value)


def read_connection(path: Path) -> sqlite3.Connection:
    """A connection that only reads, opened as every real opener opens the file: a kill mid-transaction leaves a
    hot journal, which SQLite rolls back on the first read, and a `mode=ro` connection cannot ("attempt to write
    a readonly database"), so it would report a fault the next ingest never meets."""
    conn = sqlite3.connect(path)
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the first read recovers an interrupted write
    conn.execute("PRAGMA query_only = ON")
    return conn


def sqlite_integrity(index: Path) -> str:
    path = index / "chroma.sqlite3"
    if not path.exists():
        return "no database yet"
    with read_connection(path) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def persisted_keyword(store: Any) -> dict[str, str] | None:
    """Chunk id -> content hash in the keyword index as the last run left it on disk, before anything
    reconciles it (None when there is no file, or its format is not one this script knows)."""
    from assistant.index.keyword import keyword_index_path

    path = keyword_index_path(store)
    if path is None or not path.exists():
        return None
    if path.suffix == ".sqlite":
        with read_connection(path) as conn:
            return dict(conn.execute("SELECT id, content_hash FROM chunks"))
    if path.suffix == ".json":
        records = json.loads(path.read_text(encoding="utf-8")).get("records", {})
        return {i: r.get("content_hash", "") for i, r in records.items()}
    return None


def inspect(index: Path, questions: list[str]) -> dict[str, Any]:
    from assistant.config import Settings
    from assistant.encoders.embeddings import make_embeddings
    from assistant.index.store import Store

    out: dict[str, Any] = {"integrity": sqlite_integrity(index)}
    settings = Settings(index_dir=index)
    embeddings = make_embeddings(settings)  # the encoder the ingest used (the settings choose the backend)
    store = Store(settings, embeddings)
    page = store.collection.get(include=["metadatas", "documents", "embeddings"])
    out["count"] = store.count()
    out["chunks"] = {
        i: [str(m.get("content_hash")), str(m.get("article_id")), hashlib.sha1((d or "").encode()).hexdigest()[:12]]
        for i, d, m in zip(page["ids"], page["documents"], page["metadatas"])
    }
    out["listed"] = len(page["ids"])
    found_self = 0
    vectors = page["embeddings"] if page["embeddings"] is not None else []
    for chunk_id, vector in zip(page["ids"], vectors):
        hit = store.collection.query(query_embeddings=[list(map(float, vector))], n_results=1, include=[])
        found_self += hit["ids"][0][:1] == [chunk_id]
    out["self_query_ok"] = found_self
    out["keyword_persisted"] = persisted_keyword(store)
    if questions:
        from assistant.retrieval.retrieve import Retriever

        retriever = Retriever(store, embeddings)
        out["retrieved"] = [[p.chunk.id for p in retriever.retrieve(q, as_of=date(2026, 1, 1))] for q in questions]
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("index", type=Path)
    parser.add_argument("--questions", type=Path)
    args = parser.parse_args()
    questions = json.loads(args.questions.read_text(encoding="utf-8")) if args.questions else []
    print(json.dumps(inspect(args.index, questions)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
