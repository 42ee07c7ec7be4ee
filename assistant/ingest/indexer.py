"""Index article files: load, chunk, embed what is new, replace what changed, prune what is gone.

Two passes over the files keep memory bounded whatever the corpus size: the first reads and chunks
every file but keeps only chunk ids and hashes (so the number of chunks to embed is known up front
for the progress bar and ETA); the second re-reads only the files with new or changed chunks and
streams them through the encoder in batches. Crash safety: chunks are added before stale ones are
deleted, so a run killed at any point leaves extra chunks (removed by the next run), never a gap;
a re-run embeds only the chunk ids that are missing, and the keyword index is brought in step with
Chroma by content hash when it is opened.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

from langchain_core.embeddings import Embeddings

from .chunking import chunk_article
from ..config import Settings
from .loaders import discover, iter_loads
from ..encoders.embeddings import encode
from ..errors import ArticleError
from .pipeline import Batch, Progress, Writer, embed_and_store, embedding_text  # noqa: F401 - embedding_text re-exported
from ..index.keyword import keyword_index_for
from ..index.storygroups import load_story_groups, refresh_story_groups
from ..schema import Article, Chunk
from ..index.store import Store

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    """What one indexing run did, counted as it goes; `summary()` is the line the CLI and the corpus tab show."""

    files: int = 0  # files found, readable or not
    articles: int = 0  # articles read from them
    chunks: int = 0  # chunks those articles make
    embedded: int = 0  # new chunks encoded and stored
    updated: int = 0  # chunks whose text is unchanged and metadata rewritten
    unchanged: int = 0  # chunks already stored as they are
    deleted: int = 0  # stored chunks no longer made by their article (edited, renamed, or its file gone)
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


@dataclass
class _Plan:
    """What the first pass found, without any article text."""

    keep: set[str] = field(default_factory=set)
    article_ids: set[str] = field(default_factory=set)
    article_paths: set[str] = field(default_factory=set)
    work: dict[Path, set[str]] = field(default_factory=dict)  # files with new or changed chunks -> their accepted ids
    to_embed: int = 0
    to_update: int = 0


def _metadata_hash(chunk: Chunk) -> str:
    fields = [chunk.title, str(chunk.published or ""), chunk.source, chunk.url, list(chunk.tags), chunk.path, chunk.index, chunk.end]
    if chunk.page is not None:  # only paged documents: the hashes of every other chunk stay as they were
        fields.append(chunk.page)
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
    max_bytes = int(settings.max_file_mb * 1_000_000)
    files, problems = discover(paths)
    report = IngestReport(files=len(files) + len(problems), errors=list(problems))
    keyword = keyword_index_for(store)  # opened first: it reconciles with whatever an interrupted run left
    existing: dict[str, tuple[str, str, str]] = {
        chunk_id: (str(meta.get("article_id")), str(meta.get("path")), str(meta.get("content_hash", "")))
        for chunk_id, _, meta in store.iter_records()
    }

    plan = _plan(files, existing, settings, max_bytes, report)
    for error in report.errors:
        log.debug("skipped %s", error)
    if plan.to_embed:
        encode(embeddings, ["warm-up"])  # load the model now, so the rate and ETA measure encoding alone
    log.info("%d files read: %d chunks to embed, %d to update", report.files, plan.to_embed, plan.to_update)

    now = datetime.now(timezone.utc).isoformat(timespec="seconds")

    def store_batch(chunks: list[Chunk], vectors: Any, hashes: list[str]) -> None:
        store.upsert(chunks, vectors, hashes, now)  # Chroma first: the keyword index follows it
        keyword.upsert(chunks, hashes)

    meter = Progress(plan.to_embed, progress)
    writer = Writer(depth=2)
    try:
        batches = _batches(plan, existing, settings, max_bytes, settings.embedding_batch_size * 4, writer, keyword, store, now, report)
        sentences = store.put_sentences if settings.index_sentences else None
        report.embedded = embed_and_store(batches, embeddings, store_batch, meter, writer, sentences)
    finally:
        meter.close()
        writer.close()

    stale = _stale(existing, plan, prune)
    # Deleting after adding: an interrupted run leaves extra chunks that the next run removes, never a gap.
    store.delete(sorted(stale))
    keyword.delete(sorted(stale))
    report.deleted = len(stale)
    if report.embedded or report.updated or stale:
        keyword.save()
    if report.embedded or report.updated or stale or not load_story_groups(store).signatures:
        refresh_story_groups(store)  # copies of one story, found again over what the store now holds
    report.seconds = time.perf_counter() - started
    return report


def _chunks(article: Article, settings: Settings) -> list[Chunk]:
    return chunk_article(
        article, settings.chunk_min_words, settings.chunk_max_words, settings.chunk_overlap_sentences, settings.chunk_paragraphs
    )


def _plan(files: list[Path], existing: dict[str, tuple[str, str, str]], settings: Settings, max_bytes: int, report: IngestReport) -> _Plan:
    plan = _Plan()
    for loaded in iter_loads(files, max_bytes):
        report.errors.extend(loaded.errors)
        dirty = False
        for article in loaded.articles:
            report.articles += 1
            plan.article_ids.add(article.id)
            plan.article_paths.add(article.path)
            for chunk in _chunks(article, settings):
                report.chunks += 1
                plan.keep.add(chunk.id)
                known = existing.get(chunk.id)
                if known is None:
                    plan.to_embed += 1
                elif known[2] != _metadata_hash(chunk):
                    plan.to_update += 1
                else:
                    report.unchanged += 1
                    continue
                dirty = True
        if dirty:
            plan.work[loaded.path] = {a.id for a in loaded.articles}
    return plan


def _batches(
    plan: _Plan, existing: dict[str, tuple[str, str, str]], settings: Settings, max_bytes: int, size: int,
    writer: Writer, keyword: Any, store: Store, now: str, report: IngestReport,
) -> Iterator[Batch]:
    """Second pass: re-read only the files with work, yield chunks to embed, send metadata updates to the writer."""
    pending: Batch = []
    queued: set[str] = set()  # the same chunk id twice (identical articles) is embedded once
    for loaded in iter_loads(list(plan.work), max_bytes):
        accepted = plan.work[loaded.path]
        updates: Batch = []
        for article in loaded.articles:
            if article.id not in accepted:
                continue  # a duplicate id that the first pass gave to an unchanged file
            for chunk in _chunks(article, settings):
                digest = _metadata_hash(chunk)
                known = existing.get(chunk.id)
                if known is None:
                    if chunk.id not in queued:
                        queued.add(chunk.id)
                        pending.append((chunk, digest))
                elif known[2] != digest:
                    updates.append((chunk, digest))
        if updates:
            report.updated += len(updates)
            chunks, hashes = [c for c, _ in updates], [h for _, h in updates]
            writer.submit(lambda c=chunks, h=hashes: (store.update_metadata(c, h, now), keyword.upsert(c, h)))
        while len(pending) >= size:
            yield pending[:size]
            pending = pending[size:]
    if pending:
        yield pending


def _stale(existing: dict[str, tuple[str, str, str]], plan: _Plan, prune: bool) -> set[str]:
    ids_by_article: dict[str, set[str]] = defaultdict(set)
    ids_by_path: dict[str, set[str]] = defaultdict(set)
    for chunk_id, (article_id, path, _) in existing.items():
        ids_by_article[article_id].add(chunk_id)
        ids_by_path[path].add(chunk_id)
    stale: set[str] = set()
    for article_id in plan.article_ids:
        stale |= ids_by_article.get(article_id, set()) - plan.keep
    for path in plan.article_paths:
        stale |= ids_by_path.get(path, set()) - plan.keep  # an article renamed inside the same file
    if prune:
        for path, ids in ids_by_path.items():
            if not Path(path).exists():
                stale |= ids
    return stale
