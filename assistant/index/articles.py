"""The indexed articles as a reader sees them: one row per article, and an article's whole text.

Everything here is read from the index (the store's records), never from the corpus folder: the list is what
retrieval can cite, it follows another process's ingest or delete once the store is read afresh, and an
article kept only as a web page, an upload or one record of a `.jsonl` file reads the same as any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from ..schema import Chunk

SORTS = {
    "newest": "Newest first",
    "oldest": "Oldest first",
    "title": "Title (A–Z)",
    "source": "Source (A–Z)",
    "chunks": "Most passages",
}


@dataclass(frozen=True)
class ArticleRow:
    article_id: str
    title: str
    published: str  # YYYY-MM-DD, or "" when undated
    source: str
    chunks: int
    url: str = ""
    path: str = ""


@dataclass(frozen=True)
class ArticleText:
    """An article rebuilt from its stored chunks: `text` keeps the article's own character offsets."""

    row: ArticleRow
    text: str
    chunks: tuple[Chunk, ...]


def list_articles(records: Iterable[tuple[str, str, dict[str, Any]]]) -> list[ArticleRow]:
    """One row per article from the store's (id, document, metadata) records; metadata of its first chunk."""
    first: dict[str, dict[str, Any]] = {}
    counts: dict[str, int] = {}
    for _, _, meta in records:
        article_id = str(meta.get("article_id") or "")
        if not article_id:
            continue
        counts[article_id] = counts.get(article_id, 0) + 1
        if article_id not in first or int(meta.get("index", 0) or 0) < int(first[article_id].get("index", 0) or 0):
            first[article_id] = meta
    return [
        ArticleRow(
            article_id=article_id,
            title=str(meta.get("title") or ""),
            published=str(meta.get("published") or ""),
            source=str(meta.get("source") or ""),
            chunks=counts[article_id],
            url=str(meta.get("url") or ""),
            path=str(meta.get("path") or ""),
        )
        for article_id, meta in first.items()
    ]


def search_articles(rows: Sequence[ArticleRow], query: str) -> list[ArticleRow]:
    """Rows whose title, source or id hold every word of `query` (case-insensitive)."""
    words = (query or "").lower().split()
    if not words:
        return list(rows)
    return [r for r in rows if all(w in f"{r.title}\n{r.source}\n{r.article_id}".lower() for w in words)]


def sort_articles(rows: Sequence[ArticleRow], by: str = "newest") -> list[ArticleRow]:
    """Rows in the order named by one of `SORTS`; undated articles last whichever way dates run."""
    if by == "oldest":
        return sorted(rows, key=lambda r: (not r.published, r.published, r.title.lower()))
    if by == "title":
        return sorted(rows, key=lambda r: (r.title.lower(), r.article_id))
    if by == "source":
        return sorted(rows, key=lambda r: (not r.source, r.source.lower(), r.published, r.title.lower()))
    if by == "chunks":
        return sorted(rows, key=lambda r: (-r.chunks, r.title.lower()))
    dated = sorted((r for r in rows if r.published), key=lambda r: (r.published, r.title.lower()), reverse=True)
    return dated + sorted((r for r in rows if not r.published), key=lambda r: r.title.lower())


def rebuild_text(chunks: Sequence[Chunk]) -> str:
    """The article's text from its chunks in order, each at its own offsets (chunks overlap by a sentence).

    The few characters between two chunks (paragraph breaks) are not stored: a break of one character reads as a
    space, a longer one as a paragraph break, padded so every later offset is still the article's."""
    out: list[str] = []
    pos = 0
    for chunk in sorted(chunks, key=lambda c: (c.start, c.index)):
        if chunk.end <= pos:
            continue
        if chunk.start > pos:
            gap = chunk.start - pos
            out.append(" " * gap if gap == 1 or not out else "\n\n" + " " * (gap - 2))
            pos = chunk.start
        out.append(chunk.text[pos - chunk.start :])
        pos = chunk.end
    return "".join(out)


def article_text(store: Any, article_id: str) -> ArticleText | None:
    """The article as stored, or None when the index no longer holds it."""
    ids = store.chunk_ids_with("article_id", article_id)
    chunks = store.get_chunks(ids)
    if not chunks:
        return None
    chunks = sorted(chunks, key=lambda c: c.index)
    rows = list_articles((c.id, "", _meta(c)) for c in chunks)
    return ArticleText(rows[0], rebuild_text(chunks), tuple(chunks))


def _meta(chunk: Chunk) -> dict[str, Any]:
    return {
        "article_id": chunk.article_id, "index": chunk.index, "title": chunk.title, "source": chunk.source, "url": chunk.url,
        "published": chunk.published.isoformat() if chunk.published else "", "path": chunk.path,
    }

