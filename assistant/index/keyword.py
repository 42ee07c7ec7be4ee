"""The BM25 keyword index beside the dense one: same chunk ids, same filters, persisted or rebuilt from Chroma.

Records (term ids, filter fields, content hash, acronym definitions) live in SQLite, so an upsert or delete
writes only what changed and nothing is held per chunk in Python objects; the BM25 weights are compact numpy
arrays (keyword_matrix.py, which also defines the records they are built from) rebuilt after a change and
memory-mapped when loaded. The one-JSON-file format it replaces added 195 MB of RSS and 8.3 s of start-up per 10k chunks, growing linearly
(eval/scripts/bench_keyword.py); this one adds a few MB and loads in milliseconds.
"""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
import threading
import time
import uuid
import weakref
from pathlib import Path
from typing import Sequence

import numpy as np

from ..retrieval.acronyms import find_definitions, merge_definitions
from ..errors import StoreError
from .keyword_matrix import FORMAT, SCHEMA, Matrix, filter_mask, keyword_text, matrix_from_records, pages
from ..schema import Chunk, Filters
from .records import date_int
from .store import Store
from ..text import terms

log = logging.getLogger(__name__)

_RECHECK_S = 5.0  # how often a search checks that another process has not changed the dense index
_GENERATION_RECHECK_S = 1.0  # how often a search reads the records' generation (one SQLite row) for another writer


class KeywordIndex:
    """BM25 over chunk terms, with the metadata needed to apply the same filters as the dense index."""

    def __init__(self, path: Path | None):
        self.path = path
        self._lock = threading.RLock()
        self._db: sqlite3.Connection | None = None
        self._vocab: dict[str, int] = {}
        self._matrix: Matrix | None = None
        self._glossary: dict[str, str] | None = None
        self._checked = 0.0
        self._generation_checked = 0.0
        self._known_generation: str | None = None  # the generation this process last wrote or read

    # --- storage ------------------------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            target = ":memory:"
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                target = str(self.path)
            self._db = sqlite3.connect(target, check_same_thread=False)  # every use holds self._lock
            self._db.executescript(SCHEMA)
            if self._db.execute("SELECT value FROM meta WHERE key='format'").fetchone() is None:
                self._db.execute("INSERT INTO meta VALUES ('format', ?), ('generation', ?)", (FORMAT, uuid.uuid4().hex))
                self._db.commit()
            self._vocab = dict(self._db.execute("SELECT term, id FROM vocab"))
        return self._db

    def _arrays_dir(self) -> Path | None:
        return None if self.path is None else self.path.with_suffix(".bm25")

    def _generation(self) -> str:
        return self._conn().execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0]

    def _changed(self, db: sqlite3.Connection) -> None:
        generation = uuid.uuid4().hex
        db.execute("UPDATE meta SET value=? WHERE key='generation'", (generation,))
        db.commit()
        self._known_generation = generation
        self._matrix = None
        self._glossary = None

    def __len__(self) -> int:
        with self._lock:
            return self._conn().execute("SELECT count(*) FROM chunks").fetchone()[0]

    def chunk_ids(self) -> set[str]:
        with self._lock:
            return {row[0] for row in self._conn().execute("SELECT id FROM chunks")}

    def article_chunk_ids(self, article_id: str) -> list[str]:
        """Ids of every indexed chunk of one article."""
        with self._lock:
            return [row[0] for row in self._conn().execute("SELECT id FROM chunks WHERE article_id = ?", (article_id,))]

    def _term_ids(self, db: sqlite3.Connection, words: list[str]) -> bytes:
        new = [w for w in dict.fromkeys(words) if w not in self._vocab]
        for word in new:
            self._vocab[word] = len(self._vocab)
        if new:
            db.executemany("INSERT INTO vocab VALUES (?, ?)", [(w, self._vocab[w]) for w in new])
        return np.array([self._vocab[w] for w in words], dtype=np.int32).tobytes()

    # --- keeping in step ----------------------------------------------------------------------

    def upsert(self, chunks: Sequence[Chunk], hashes: Sequence[str]) -> None:
        if not chunks:
            return
        with self._lock:
            db = self._conn()
            rows = [
                (
                    chunk.id, digest, chunk.article_id, date_int(chunk.published) if chunk.published else 0, chunk.source,
                    json.dumps([t.lower() for t in chunk.tags]), json.dumps(find_definitions(chunk.text)),
                    self._term_ids(db, terms(keyword_text(chunk))),
                )
                for chunk, digest in zip(chunks, hashes)
            ]
            try:
                db.executemany(
                    "INSERT INTO chunks (id, content_hash, article_id, published, source, tags, definitions, tokens) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET content_hash=excluded.content_hash, "
                    "article_id=excluded.article_id, published=excluded.published, source=excluded.source, "
                    "tags=excluded.tags, definitions=excluded.definitions, tokens=excluded.tokens",
                    rows,
                )
                self._changed(db)
            except sqlite3.Error as exc:
                db.rollback()  # and forget term ids that were never committed
                self._vocab = dict(db.execute("SELECT term, id FROM vocab"))
                raise StoreError(f"cannot update the keyword index {self.path or '(in memory)'}: {exc}") from exc

    def delete(self, ids: Sequence[str]) -> None:
        with self._lock:
            db = self._conn()
            removed = 0
            for part in pages(list(ids)):
                removed += db.execute(f"DELETE FROM chunks WHERE id IN ({','.join('?' * len(part))})", part).rowcount
            if removed:
                self._changed(db)

    def reconcile(self, store: Store) -> int:
        """Bring the index in step with the dense store (missing, changed, extra chunks); returns changes."""
        stored = {chunk_id: str(meta.get("content_hash", "")) for chunk_id, _, meta in store.iter_records()}
        with self._lock:
            mine = dict(self._conn().execute("SELECT id, content_hash FROM chunks"))
            extra = [i for i in mine if i not in stored]
            stale = [i for i, h in stored.items() if mine.get(i) != h]
            self.delete(extra)
            for start in range(0, len(stale), 1000):
                ids = stale[start : start + 1000]
                self.upsert(store.get_chunks(ids), [stored[i] for i in ids if i in stored])
            self._checked = time.monotonic()
            if extra or stale:
                log.info("keyword index: %d chunks added or changed, %d removed", len(stale), len(extra))
                self.save()
            return len(extra) + len(stale)

    def maybe_reconcile(self, store: Store) -> None:
        """Cheap checks, at most every second or few: another process may have ingested or deleted.

        In a local folder another process (a command-line ingest) writes the same records file: a new generation
        there means this process's BM25 arrays, vocabulary and acronym table are stale, and so is Chroma's
        in-process copy of the vectors, which is opened again. Against a server, the count tells."""
        now = time.monotonic()
        if self.path is not None and now - self._generation_checked >= _GENERATION_RECHECK_S:
            self._generation_checked = now
            if self.refresh_if_changed():
                store.reopen()
        if time.monotonic() - self._checked < _RECHECK_S:
            return
        self._checked = time.monotonic()
        if store.count() != len(self):
            self.reconcile(store)

    def refresh_if_changed(self) -> bool:
        """Drop what was read from the records if another process has changed them since; True if it had."""
        with self._lock:
            generation = self._generation()
            if self._known_generation is None:
                self._known_generation = generation
            if generation == self._known_generation:
                return False
            log.info("keyword index: changed by another process; reloading it")
            self._known_generation = generation
            self._vocab = dict(self._conn().execute("SELECT term, id FROM vocab"))
            folder = self._arrays_dir()
            self._matrix = Matrix.load(folder, generation) if folder else None
            self._glossary = None
            return True

    # --- persistence --------------------------------------------------------------------------

    def save(self) -> None:
        """Records are committed as they change; this builds and writes the BM25 arrays for the next load."""
        if self.path is None:
            return
        with self._lock:
            try:
                self._conn().commit()
                self._current()
            except (OSError, sqlite3.Error) as exc:
                raise StoreError(f"cannot write the keyword index {self.path}: {exc}") from exc

    def load(self) -> None:
        """Open the saved index; an unreadable one is set aside and rebuilt from the dense index."""
        if self.path is None or not self.path.exists():
            return
        with self._lock:
            try:
                db = self._conn()
                if db.execute("SELECT value FROM meta WHERE key='format'").fetchone()[0] != FORMAT:
                    raise sqlite3.DatabaseError("unknown format")
                folder = self._arrays_dir()
                self._known_generation = self._generation()
                self._matrix = Matrix.load(folder, self._known_generation) if folder else None
            except sqlite3.Error as exc:
                log.warning("keyword index %s is unreadable (%s): rebuilding it from the dense index", self.path, exc)
                self.close()
                self.path.unlink(missing_ok=True)
                self._vocab, self._matrix = {}, None

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    # --- search -------------------------------------------------------------------------------

    def _current(self) -> Matrix | None:
        """The BM25 arrays for the records as they are now (built after a change, saved when persistent)."""
        with self._lock:
            if self._matrix is None:
                db = self._conn()
                if db.execute("SELECT count(*) FROM chunks").fetchone()[0] == 0:
                    return None
                started = time.perf_counter()
                self._matrix = matrix_from_records(db, self._generation(), len(self._vocab))
                folder = self._arrays_dir()
                if folder is not None:
                    shutil.rmtree(folder, ignore_errors=True)
                    self._matrix.save(folder)
                log.info("keyword index: %d chunks weighted in %.1fs", self._matrix.size, time.perf_counter() - started)
            return self._matrix

    def passing(self, ids: Sequence[str], filters: Filters) -> list[bool] | None:
        """Whether each chunk passes the filters, read from the in-memory arrays (no store round trip);
        None when any chunk is not (yet) in this index, so the caller asks the store instead."""
        with self._lock:
            matrix = self._current()
            if matrix is None:
                return None
            rows: dict[str, int] = {}
            for page in pages(list(ids)):
                marks = ",".join("?" * len(page))
                rows.update(self._conn().execute(f"SELECT id, row FROM chunks WHERE id IN ({marks})", page))
        if len(rows) < len(set(ids)):
            return None
        keep = filter_mask(matrix, filters)
        wanted = np.array([rows[i] for i in ids], dtype=np.int64)
        positions = np.searchsorted(matrix.rows, wanted)
        if len(positions) and (positions.max() >= matrix.size or not np.array_equal(matrix.rows[positions], wanted)):
            return None
        return [True] * len(ids) if keep is None else [bool(keep[p]) for p in positions]

    def share_passing(self, filters: Filters) -> float | None:
        """The share of indexed chunks that pass the filters (None: unknown, e.g. an empty index)."""
        with self._lock:
            matrix = self._current()
        if matrix is None or matrix.size == 0:
            return None
        keep = filter_mask(matrix, filters)
        return 1.0 if keep is None else float(keep.mean())

    def newest_published(self) -> int:
        """The latest publication date indexed, as yyyymmdd (0 when nothing dated is indexed)."""
        with self._lock:
            matrix = self._current()
        return int(matrix.published.max()) if matrix is not None and matrix.size else 0

    def mentions(self, term: str) -> bool:
        """Whether any indexed chunk holds `term` (a term as `text.terms` makes it)."""
        with self._lock:
            matrix = self._current()
            term_id = self._vocab.get(term)
        if matrix is None or term_id is None or not 0 <= term_id < len(matrix.indptr) - 1:
            return False
        return bool(matrix.indptr[term_id + 1] > matrix.indptr[term_id])

    @property
    def glossary(self) -> dict[str, str]:
        """Acronym -> long form, learned from the definitions in the indexed chunks."""
        with self._lock:
            if self._glossary is None:
                pairs = self._conn().execute("SELECT definitions FROM chunks WHERE definitions != '[]'")
                self._glossary = merge_definitions(tuple(p) for (raw,) in pairs for p in json.loads(raw))
            return self._glossary

    def search(self, query: str, k: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) of the best `k` chunks that pass the filters, best first."""
        with self._lock:
            matrix = self._current()
            term_ids = [self._vocab[t] for t in dict.fromkeys(terms(query)) if t in self._vocab]
        if matrix is None or not term_ids or k <= 0:
            return []
        scores = matrix.scores(term_ids)
        keep = filter_mask(matrix, filters or Filters())
        if keep is not None:
            scores[~keep] = 0.0
        top = np.argpartition(-scores, k - 1)[:k] if len(scores) > k else np.arange(len(scores))
        top = top[np.argsort(-scores[top], kind="stable")]
        top = [int(i) for i in top if scores[i] > 0]
        if not top:
            return []
        rows = [int(matrix.rows[i]) for i in top]
        with self._lock:
            ids = dict(self._conn().execute(f"SELECT row, id FROM chunks WHERE row IN ({','.join('?' * len(rows))})", rows))
        return [(ids[r], float(scores[i])) for r, i in zip(rows, top) if r in ids]


_OPEN: "weakref.WeakKeyDictionary[Store, KeywordIndex]" = weakref.WeakKeyDictionary()
_OPEN_LOCK = threading.Lock()


def keyword_index_path(store: Store) -> Path | None:
    """Next to the Chroma folder in local mode; a remote store's index is rebuilt from the server instead."""
    if store.settings.chroma_url:
        return None
    return Path(store.settings.index_dir) / "keyword" / f"{store.name}.sqlite"


def keyword_index_for(store: Store) -> KeywordIndex:
    """The one keyword index of a store (shared by ingest and retrieval), loaded and brought in step once."""
    with _OPEN_LOCK:
        index = _OPEN.get(store)
        if index is None:
            index = KeywordIndex(keyword_index_path(store))
            index.load()
            index.reconcile(store)
            _OPEN[store] = index
        return index
