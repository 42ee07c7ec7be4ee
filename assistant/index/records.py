"""How a chunk is stored as a Chroma record (metadata, filters), shared by the store and the keyword index."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..schema import Chunk, Filters


def chunk_metadata(chunk: Chunk, content_hash: str, indexed_at: str = "") -> dict[str, Any]:
    meta: dict[str, Any] = {
        "article_id": chunk.article_id,
        "index": chunk.index,
        "start": chunk.start,
        "end": chunk.end,
        "title": chunk.title,
        "path": chunk.path,
        "published": chunk.published.isoformat() if chunk.published else "",
        "published_int": date_int(chunk.published) if chunk.published else 0,
        "source": chunk.source,
        "url": chunk.url,
        "content_hash": content_hash,
        "indexed_at": indexed_at,
    }
    if chunk.tags:
        meta["tags"] = list(chunk.tags)
    if chunk.page is not None:
        meta["page"] = chunk.page
    if chunk.section:
        meta["section"] = chunk.section
    return meta


def chunk_from_record(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    published = meta.get("published") or ""
    return Chunk(
        id=chunk_id,
        article_id=str(meta.get("article_id", "")),
        index=int(meta.get("index", 0)),
        text=text or "",
        start=int(meta.get("start", 0)),
        end=int(meta.get("end", 0)),
        title=str(meta.get("title", "")),
        path=str(meta.get("path", "")),
        published=date.fromisoformat(published) if published else None,
        source=str(meta.get("source", "")),
        url=str(meta.get("url", "")),
        tags=tuple(meta.get("tags") or ()),
        page=int(meta["page"]) if meta.get("page") is not None else None,
        section=str(meta.get("section", "")),
    )


def date_int(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def where_clause(filters: Filters | None) -> dict[str, Any] | None:
    """Translate filters into a Chroma `where` (pushed down to the index, not applied afterwards)."""
    if filters is None:
        return None
    parts: list[dict[str, Any]] = []
    if filters.since:
        parts.append({"published_int": {"$gte": date_int(filters.since)}})
    if filters.until:
        parts.append({"published_int": {"$lte": date_int(filters.until)}})
    if filters.since or filters.until:
        parts.append({"published_int": {"$gt": 0}})
    if filters.source:
        parts.append({"source": filters.source})
    if filters.tag:
        parts.append({"tags": {"$contains": filters.tag.lower()}})
    if filters.sources:
        parts.append({"source": {"$in": list(filters.sources)}})
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"$and": parts}


def passes_filters(meta: dict[str, Any], filters: Filters) -> bool:
    """Whether a record's metadata passes the filters, with the same meaning as `where_clause`."""
    day = int(meta.get("published_int") or 0)
    since = date_int(filters.since) if filters.since else None
    until = date_int(filters.until) if filters.until else None
    if (since or until) and (day <= 0 or (since and day < since) or (until and day > until)):
        return False
    if filters.source and meta.get("source") != filters.source:
        return False
    if filters.sources and meta.get("source") not in filters.sources:
        return False
    return not (filters.tag and filters.tag.lower() not in (meta.get("tags") or []))
