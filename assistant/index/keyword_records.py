"""The keyword index's records: the text BM25 sees of a chunk, the SQLite schema the records are kept in, ids in
pages of a size SQLite takes, the BM25 arrays built from the records' term ids, and the filters applied to them."""

from __future__ import annotations

import json
import sqlite3
from typing import Iterator

import numpy as np

from ..ingest.chunking import heading
from ..schema import Chunk, Filters
from .keyword_matrix import Matrix, build_matrix
from .records import date_int


FORMAT = "3"
_PARAMS = 500  # ids per SQL statement

SCHEMA = """
CREATE TABLE IF NOT EXISTS chunks (row INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, content_hash TEXT NOT NULL,
    article_id TEXT, published INTEGER, source TEXT, tags TEXT, definitions TEXT, tokens BLOB);
CREATE TABLE IF NOT EXISTS vocab (term TEXT PRIMARY KEY, id INTEGER UNIQUE NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE INDEX IF NOT EXISTS chunks_by_article ON chunks (article_id);
"""


def pages(items: list[str]) -> Iterator[list[str]]:
    """`items` in pages of at most `_PARAMS` (one SQL statement each)."""
    for start in range(0, len(items), _PARAMS):
        yield items[start : start + _PARAMS]


def matrix_from_records(db: sqlite3.Connection, generation: str, vocab_size: int) -> Matrix:
    """The BM25 arrays of every record, in row order."""
    rows, lengths, blobs, published, sources, tags = [], [], [], [], [], []
    for row, blob, day, source, tag_json in db.execute("SELECT row, tokens, published, source, tags FROM chunks ORDER BY row"):
        rows.append(row)
        lengths.append(len(blob) // 4)
        blobs.append(blob)
        published.append(day)
        sources.append(source or "")
        tags.append(json.loads(tag_json or "[]"))
    tokens = np.frombuffer(b"".join(blobs), dtype=np.int32)
    return build_matrix(
        np.array(rows), tokens, np.array(lengths, dtype=np.int64), vocab_size, np.array(published), sources, tags, generation
    )


def keyword_text(chunk: Chunk) -> str:
    """What BM25 sees: the headline, date, section and the passage, as the encoder does."""
    return f"{heading(chunk)}\n{chunk.text}"


def filter_mask(matrix: Matrix, filters: Filters) -> np.ndarray | None:
    """Which chunks of the arrays pass the filters (None: all do)."""
    return matrix.mask(
        date_int(filters.since) if filters.since else None, date_int(filters.until) if filters.until else None,
        filters.source, filters.tag.lower() if filters.tag else None, filters.sources,
    )
