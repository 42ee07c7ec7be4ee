"""Index article files: load, chunk, embed what is new, replace what changed, prune what is gone."""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from langchain_core.embeddings import Embeddings

from .chunking import chunk_article
from .config import Settings
from .corpus import load_paths
from .embeddings import encode
from .errors import ArticleError
from .schema import Chunk
from .keyword import keyword_index_for
from .store import Store

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    files: int = 0
    articles: int = 0
    chunks: int = 0
    embedded: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    seconds: float = 0.0
    errors: list[ArticleError] = field(default_factory=list)

    def summary(self) -> str:
        if self.embedded == 0 and self.updated == 0 and self.deleted == 0:
            change = "nothing changed: 0 chunks embedded"
        else:
            change = f"{self.embedded} chunks embedded, {self.updated} updated, {self.deleted} removed"
        rate = f" ({self.embedded / self.seconds:.1f} chunks/s)" if self.embedded and self.seconds else ""
        return (
            f"{self.files} files: {self.articles} articles indexed, {len(self.errors)} failed; "
            f"{self.chunks} chunks ({self.unchanged} unchanged); {change}{rate}; {self.seconds:.1f}s"
        )


def embedding_text(chunk: Chunk) -> str:
    """What the encoder sees: the headline gives a passage its subject."""
    return f"{chunk.title}\n{chunk.text}"


def _metadata_hash(chunk: Chunk) -> str:
    fields = [chunk.title, str(chunk.published or ""), chunk.source, chunk.url, list(chunk.tags), chunk.path, chunk.index, chunk.end]
    return hashlib.sha1(json.dumps(fields).encode()).hexdigest()[:16]


def ingest(
    paths: Iterable[Path],
    store: Store,
    embeddings: Embeddings,
    settings: Settings,
    prune: bool = False,
    progress: bool = True,
) -> IngestReport:
    started = time.perf_counter()
    loaded = load_paths(paths, max_bytes=int(settings.max_file_mb * 1_000_000))
    report = IngestReport(files=loaded.files_seen, articles=len(loaded.articles), errors=list(loaded.errors))
    for error in loaded.errors:
        log.warning("skipped %s", error)

    keyword = keyword_index_for(store)
    existing: dict[str, dict] = {chunk_id: meta for chunk_id, _, meta in store.iter_records()}
    ids_by_article: dict[str, set[str]] = defaultdict(set)
    ids_by_path: dict[str, set[str]] = defaultdict(set)
    for chunk_id, meta in existing.items():
        ids_by_article[str(meta.get("article_id"))].add(chunk_id)
        ids_by_path[str(meta.get("path"))].add(chunk_id)

    to_embed: list[tuple[Chunk, str]] = []
    to_update: list[tuple[Chunk, str]] = []
    keep: set[str] = set()
    for article in loaded.articles:
        for chunk in chunk_article(article, settings.chunk_min_words, settings.chunk_max_words, settings.chunk_overlap_sentences):
            report.chunks += 1
            keep.add(chunk.id)
            digest = _metadata_hash(chunk)
            if chunk.id not in existing:
                to_embed.append((chunk, digest))
            elif existing[chunk.id].get("content_hash") != digest:
                to_update.append((chunk, digest))
            else:
                report.unchanged += 1

    stale: set[str] = set()
    for article in loaded.articles:
        stale |= ids_by_article.get(article.id, set()) - keep
        stale |= ids_by_path.get(article.path, set()) - keep  # an article renamed inside the same file
    if prune:
        for path, ids in ids_by_path.items():
            if not Path(path).exists():
                stale |= ids

    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    report.embedded = _embed_and_store(to_embed, store, embeddings, settings.embedding_batch_size, now, progress)
    store.update_metadata([c for c, _ in to_update], [h for _, h in to_update], now)
    report.updated = len(to_update)
    # Deleting after adding: an interrupted run leaves extra chunks that the next run removes, never a gap.
    store.delete(sorted(stale))
    report.deleted = len(stale)
    # Same chunk ids, same changes: the keyword index stays in step with the dense one.
    keyword.upsert([c for c, _ in to_embed + to_update], [h for _, h in to_embed + to_update])
    keyword.delete(sorted(stale))
    if to_embed or to_update or stale:
        keyword.save()
    report.seconds = time.perf_counter() - started
    return report


def _embed_and_store(
    items: list[tuple[Chunk, str]], store: Store, embeddings: Embeddings, batch: int, now: str, progress: bool
) -> int:
    if not items:
        return 0
    from tqdm import tqdm

    bar = tqdm(total=len(items), unit="chunk", desc="embedding", file=sys.stderr, disable=not progress, mininterval=1.0)
    done = 0
    step = max(batch * 4, 64)
    try:
        for start in range(0, len(items), step):
            part = items[start : start + step]
            vectors = encode(embeddings, [embedding_text(c) for c, _ in part])
            store.upsert([c for c, _ in part], vectors, [h for _, h in part], now)
            done += len(part)
            bar.update(len(part))
    finally:
        bar.close()
    return done

