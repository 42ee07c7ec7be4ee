"""BM25 as compact numpy arrays: built from term ids in one vectorised pass, saved as .npy, loaded by mmap.

Scores follow bm25s's "lucene" variant (idf = ln(1 + (N - df + 0.5) / (df + 0.5)),
tf part = tf / (tf + k1 * (1 - b + b * len / avg_len))), precomputed per (term, chunk) and stored by term, so
a query adds up a few posting lists. Filter metadata (date, source, tags) sits beside it as arrays.

The arrays are built from the keyword index's records, which this module defines too: the text BM25 sees of a
chunk, the SQLite schema the records are kept in, ids in pages of a size SQLite takes, and the filters applied
to the arrays.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from ..ingest.chunking import heading
from ..schema import Chunk, Filters
from .records import date_int

log = logging.getLogger(__name__)

K1, B = 1.5, 0.75
_ARRAYS = ("data", "indices", "indptr", "rows", "published", "source", "tag_ptr", "tag_codes")


@dataclass
class Matrix:
    """Posting lists by term (indptr over term ids) plus one entry per chunk for the filters."""

    data: np.ndarray  # float32 BM25 weight of each (term, chunk) pair
    indices: np.ndarray  # int32 chunk position of each pair
    indptr: np.ndarray  # int64, len = vocabulary + 1
    rows: np.ndarray  # int64 record row of each chunk position (the SQLite rowid)
    published: np.ndarray  # int32 yyyymmdd, 0 = undated
    source: np.ndarray  # int32 code into `sources`
    tag_ptr: np.ndarray  # int64, a chunk's tag codes are tag_codes[tag_ptr[i]:tag_ptr[i+1]]
    tag_codes: np.ndarray  # int32 code into `tags`
    sources: list[str]
    tags: list[str]
    generation: str

    @property
    def size(self) -> int:
        return len(self.rows)

    def scores(self, term_ids: list[int]) -> np.ndarray:
        out = np.zeros(self.size, dtype=np.float32)
        vocab = len(self.indptr) - 1
        for term in term_ids:
            if 0 <= term < vocab:
                start, end = int(self.indptr[term]), int(self.indptr[term + 1])
                out[self.indices[start:end]] += self.data[start:end]  # a chunk appears once per term
        return out

    def mask(self, since: int | None, until: int | None, source: str | None, tag: str | None, sources: tuple[str, ...] = ()) -> np.ndarray | None:
        if not (since or until or source or tag or sources):
            return None
        keep = np.ones(self.size, dtype=bool)
        if since:
            keep &= self.published >= since
        if until:
            keep &= (self.published <= until) & (self.published > 0)
        if source:
            keep &= self.source == (self.sources.index(source) if source in self.sources else -1)
        if sources:
            keep &= np.isin(self.source, [self.sources.index(s) for s in sources if s in self.sources])
        if tag:
            code = self.tags.index(tag) if tag in self.tags else -1
            hits = np.flatnonzero(self.tag_codes == code)
            tagged = np.zeros(self.size, dtype=bool)
            tagged[np.searchsorted(self.tag_ptr, hits, side="right") - 1] = True
            keep &= tagged
        return keep

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name in _ARRAYS:
            np.save(folder / f"{name}.npy", getattr(self, name))
        # Written last: a folder without a matching generation is rebuilt, never half-read.
        meta = {"sources": self.sources, "tags": self.tags, "generation": self.generation}
        (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, generation: str) -> "Matrix | None":
        """The saved arrays (memory-mapped) if they were built from `generation` of the records."""
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            if meta.get("generation") != generation:
                return None
            arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in _ARRAYS}
        except (OSError, ValueError) as exc:
            log.info("keyword arrays in %s unusable (%s): rebuilding", folder, exc)
            return None
        return cls(**arrays, sources=meta["sources"], tags=meta["tags"], generation=generation)


def build_matrix(
    rows: np.ndarray,
    tokens: np.ndarray,
    lengths: np.ndarray,
    vocab_size: int,
    published: np.ndarray,
    sources: list[str],
    tags: list[list[str]],
    generation: str,
) -> Matrix:
    """BM25 weights for chunks given as concatenated term ids (`tokens`) and per-chunk `lengths`."""
    n = len(rows)
    doc_of = np.repeat(np.arange(n, dtype=np.int64), lengths)
    pairs, tf = np.unique(tokens.astype(np.int64) * max(n, 1) + doc_of, return_counts=True)
    term = pairs // max(n, 1)
    doc = (pairs % max(n, 1)).astype(np.int32)
    df = np.bincount(term, minlength=vocab_size)
    idf = np.log1p((n - df + 0.5) / (df + 0.5))
    avg = float(lengths.mean()) if n else 1.0
    norm = K1 * (1 - B + B * lengths / max(avg, 1e-9))
    data = (idf[term] * tf / (tf + norm[doc])).astype(np.float32)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(term, minlength=vocab_size))]).astype(np.int64)
    source_names = sorted(set(sources))
    source_code = {s: i for i, s in enumerate(source_names)}
    tag_names = sorted({t for ts in tags for t in ts})
    tag_code = {t: i for i, t in enumerate(tag_names)}
    return Matrix(
        data=data,
        indices=doc,
        indptr=indptr,
        rows=rows.astype(np.int64),
        published=published.astype(np.int32),
        source=np.array([source_code[s] for s in sources], dtype=np.int32),
        tag_ptr=np.concatenate([[0], np.cumsum([len(ts) for ts in tags])]).astype(np.int64),
        tag_codes=np.array([tag_code[t] for ts in tags for t in ts], dtype=np.int32),
        sources=source_names,
        tags=tag_names,
        generation=generation,
    )


# --- the records the arrays are built from ----------------------------------------------------------------

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
