"""The BM25 keyword index beside the dense one: same chunk ids, same filters, persisted or rebuilt from Chroma."""

from __future__ import annotations

import json
import logging
import threading
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .acronyms import find_definitions, merge_definitions
from .errors import StoreError
from .schema import Chunk, Filters
from .store import Store, date_int
from .text import terms

log = logging.getLogger(__name__)

FORMAT = 1
_RECHECK_S = 5.0  # how often a search checks that another process has not changed the dense index


@dataclass
class KeywordRecord:
    tokens: list[str]
    article_id: str
    published_int: int
    source: str
    tags: list[str]
    content_hash: str
    definitions: list[list[str]]


def keyword_text(chunk: Chunk) -> str:
    """What BM25 sees: the headline and the passage, as the encoder does."""
    return f"{chunk.title}\n{chunk.text}"


def make_record(chunk: Chunk, content_hash: str) -> KeywordRecord:
    return KeywordRecord(
        tokens=terms(keyword_text(chunk)),
        article_id=chunk.article_id,
        published_int=date_int(chunk.published) if chunk.published else 0,
        source=chunk.source,
        tags=[t.lower() for t in chunk.tags],
        content_hash=content_hash,
        definitions=[list(pair) for pair in find_definitions(chunk.text)],
    )


class KeywordIndex:
    """BM25 over chunk terms, with the metadata needed to apply the same filters as the dense index."""

    def __init__(self, path: Path | None):
        self.path = path
        self.records: dict[str, KeywordRecord] = {}
        self.glossary: dict[str, str] = {}
        self._lock = threading.RLock()
        self._bm25: Any = None
        self._ids: list[str] = []
        self._checked = 0.0

    # --- keeping in step ----------------------------------------------------------------------

    def upsert(self, chunks: Sequence[Chunk], hashes: Sequence[str]) -> None:
        with self._lock:
            for chunk, digest in zip(chunks, hashes):
                self.records[chunk.id] = make_record(chunk, digest)
            self._changed(bool(chunks))

    def delete(self, ids: Sequence[str]) -> None:
        with self._lock:
            removed = [self.records.pop(i) for i in ids if i in self.records]
            self._changed(bool(removed))

    def _changed(self, changed: bool) -> None:
        if changed:
            self._bm25 = None
            self.glossary = merge_definitions(tuple(p) for r in self.records.values() for p in r.definitions)

    def reconcile(self, store: Store) -> int:
        """Bring the index in step with the dense store (missing, changed, extra chunks); returns changes."""
        with self._lock:
            stored = {chunk_id: str(meta.get("content_hash", "")) for chunk_id, _, meta in store.iter_records()}
            extra = [i for i in self.records if i not in stored]
            stale = [i for i, h in stored.items() if i not in self.records or self.records[i].content_hash != h]
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
        """Cheap count check, at most every few seconds: another process may have ingested."""
        if time.monotonic() - self._checked < _RECHECK_S:
            return
        self._checked = time.monotonic()
        if store.count() != len(self.records):
            self.reconcile(store)

    # --- persistence --------------------------------------------------------------------------

    def save(self) -> None:
        if self.path is None:
            return
        with self._lock:
            payload = {"format": FORMAT, "records": {i: r.__dict__ for i, r in self.records.items()}}
            tmp = self.path.with_suffix(".tmp")
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                tmp.write_text(json.dumps(payload, separators=(",", ":")), encoding="utf-8")
                tmp.replace(self.path)
            except OSError as exc:
                raise StoreError(f"cannot write the keyword index {self.path}: {exc}") from exc

    def load(self) -> None:
        if self.path is None or not self.path.exists():
            return
        try:
            payload = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            log.warning("keyword index %s is unreadable (%s): rebuilding it from the dense index", self.path, exc)
            return
        if payload.get("format") != FORMAT:
            return
        with self._lock:
            self.records = {i: KeywordRecord(**r) for i, r in payload["records"].items()}
            self._changed(True)

    # --- search -------------------------------------------------------------------------------

    def _index(self) -> Any:
        with self._lock:
            if self._bm25 is None:
                import bm25s

                logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets itself to DEBUG on import

                self._ids = list(self.records)
                self._bm25 = bm25s.BM25()
                if self._ids:
                    self._bm25.index([self.records[i].tokens or [""] for i in self._ids], show_progress=False)
                self._meta = (
                    np.array([self.records[i].published_int for i in self._ids], dtype=np.int64),
                    [self.records[i].source for i in self._ids],
                    [self.records[i].tags for i in self._ids],
                )
            return self._bm25

    def _mask(self, filters: Filters | None) -> np.ndarray | None:
        if filters is None or not (filters.since or filters.until or filters.source or filters.tag):
            return None
        published, sources, tags = self._meta
        mask = np.ones(len(self._ids), dtype=bool)
        if filters.since:
            mask &= published >= date_int(filters.since)
        if filters.until:
            mask &= (published <= date_int(filters.until)) & (published > 0)
        if filters.source:
            mask &= np.array([s == filters.source for s in sources], dtype=bool)
        if filters.tag:
            mask &= np.array([filters.tag.lower() in t for t in tags], dtype=bool)
        return mask.astype(np.float32)

    def search(self, query: str, k: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) of the best `k` chunks that pass the filters, best first."""
        with self._lock:
            bm25 = self._index()
            query_terms = [t for t in dict.fromkeys(terms(query)) if t in bm25.vocab_dict]
            if not self._ids or not query_terms:
                return []
            scores = bm25.get_scores(query_terms, weight_mask=self._mask(filters))
            ids = self._ids
        top = np.argsort(-scores, kind="stable")[:k]
        return [(ids[i], float(scores[i])) for i in top if scores[i] > 0]


_OPEN: "weakref.WeakKeyDictionary[Store, KeywordIndex]" = weakref.WeakKeyDictionary()
_OPEN_LOCK = threading.Lock()


def keyword_index_path(store: Store) -> Path | None:
    """Next to the Chroma folder in local mode; a remote store's index is rebuilt from the server instead."""
    if store.settings.chroma_url:
        return None
    return Path(store.settings.index_dir) / "keyword" / f"{store.name}.json"


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

