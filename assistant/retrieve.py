"""Find the passages that answer a question: dense search with filters, then per-article diversity."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from langchain_core.embeddings import Embeddings

from .schema import Filters, Passage
from .store import Hit, Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetrievalOptions:
    k: int = 6
    per_article: int = 2
    candidates: int = 30


class Retriever:
    def __init__(self, store: Store, embeddings: Embeddings):
        self.store = store
        self.embeddings = embeddings

    def retrieve(self, question: str, filters: Filters | None = None, options: RetrievalOptions | None = None) -> list[Passage]:
        options = options or RetrievalOptions()
        vector = self.embeddings.embed_query(question)
        hits = self.store.query(vector, max(options.candidates, options.k), filters)
        return [Passage(h.chunk, rank, h.similarity) for rank, h in enumerate(diversify(hits, options), start=1)]


def diversify(hits: list[Hit], options: RetrievalOptions) -> list[Hit]:
    """Keep at most `per_article` chunks of any one article in the top k, best first."""
    chosen: list[Hit] = []
    per_article: dict[str, int] = {}
    for hit in hits:
        used = per_article.get(hit.chunk.article_id, 0)
        if used >= options.per_article:
            continue
        per_article[hit.chunk.article_id] = used + 1
        chosen.append(hit)
        if len(chosen) == options.k:
            break
    return chosen
