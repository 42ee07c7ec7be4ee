"""Find the passages that answer a question: dense + BM25 fused, date- and acronym-aware, diverse per article."""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Callable, Literal

from langchain_core.embeddings import Embeddings

from .acronyms import expand_query
from .paragraphs import whole_paragraphs
from ..config import Settings
from ..index.keyword import KeywordIndex, keyword_index_for
from ..index.records import where_clause
from ..schema import Chunk, Filters, Passage
from ..index.store import Hit, Store
from ..index.storygroups import StoryGroups, load_story_groups
from ..text import normalise, tokens
from ..question.timeparse import TimeIntent, merge_filters, parse_time

log = logging.getLogger(__name__)

Mode = Literal["dense", "keyword", "hybrid"]


@dataclass(frozen=True)
class RetrievalOptions:
    k: int = 6
    per_article: int = 2
    candidates: int = 30


@dataclass(frozen=True)
class RetrievalConfig:
    """Which stages run; the defaults are the configuration the ablation (eval/ABLATION.md) measured best."""

    mode: Mode = "hybrid"
    rrf_k: int = 30
    keyword_weight: float = 2.0
    keyword_lead: float = 1.25
    acronyms: bool = True
    dates: bool = True
    recency_weight: float = 0.3
    window_weight: float = 0.1
    exact_weight: float = 0.0
    whole_paragraphs: int = 0
    as_of: date | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> "RetrievalConfig":
        """Each stage from its `retrieval_<field>` setting, and the as-of date."""
        stages = {f.name: getattr(settings, f"retrieval_{f.name}") for f in fields(cls) if f.name != "as_of"}
        return cls(**stages, as_of=settings.as_of)


class Retriever:
    def __init__(
        self,
        store: Store,
        embeddings: Embeddings,
        config: RetrievalConfig | None = None,
        keyword: KeywordIndex | None = None,
    ):
        self.store = store
        self.embeddings = embeddings
        self.config = config or RetrievalConfig.from_settings(store.settings)
        self._keyword = keyword

    @property
    def keyword(self) -> KeywordIndex:
        if self._keyword is None:
            self._keyword = keyword_index_for(self.store)
        return self._keyword

    @property
    def stories(self) -> StoryGroups:
        """Which articles are copies of one story (found at ingest)."""
        return load_story_groups(self.store)

    def with_config(self, **changes: object) -> "Retriever":
        """The same indexes with other stages switched on or off (for the ablation)."""
        return Retriever(self.store, self.embeddings, replace(self.config, **changes), self._keyword)

    def retrieve(
        self,
        question: str,
        filters: Filters | None = None,
        options: RetrievalOptions | None = None,
        as_of: date | None = None,
    ) -> list[Passage]:
        options = options or RetrievalOptions()
        config = self.config
        intent = parse_time(question, as_of or config.as_of or date.today()) if config.dates else TimeIntent()
        filters = merge_filters(filters, intent)
        query = question
        if config.mode != "dense" or config.acronyms:
            self.keyword.maybe_reconcile(self.store)
        if config.acronyms:
            query = expand_query(question, self.keyword.glossary)
        depth = max(options.candidates, options.k)
        lists: list[list[str]] = []
        weights: list[float] = []
        chunks: dict[str, Chunk] = {}
        found: list[tuple[str, float]] = []
        if config.mode in ("dense", "hybrid"):
            ids, fetched = self._dense(self.embeddings.embed_query(query), depth, filters)
            chunks.update((c.id, c) for c in fetched)
            lists.append(ids)
            weights.append(1.0)
        if config.mode in ("keyword", "hybrid"):
            found = self.keyword.search(query, depth, filters)
            lists.append([i for i, _ in found])
            weights.append(config.keyword_weight)
        missing = [i for i in dict.fromkeys(i for ids in lists for i in ids) if i not in chunks]
        chunks.update((c.id, c) for c in self.store.get_chunks(missing))  # one round trip for both lists
        ranked = [[chunks[i] for i in ids if i in chunks] for ids in lists]
        lead = decisive_lead([(chunks[i], score) for i, score in found if i in chunks], config.keyword_lead)
        scored = fuse(ranked, weights, config.rrf_k)
        scored = rescore(scored, question, intent, config)
        if lead is not None:
            scored.sort(key=lambda cs: cs[0].id == lead, reverse=True)  # stable: the rest keep their order
        hits = diversify([Hit(c, s) for c, s in scored], options, self.stories.group_of)
        return [Passage(h.chunk, rank, h.similarity) for rank, h in enumerate(hits, start=1)]

    def widened(self, passages: list[Passage]) -> list[Passage]:
        """The passages with each chunk widened to the paragraphs it cuts (`whole_paragraphs`), unless that is off."""
        if not self.config.whole_paragraphs:
            return passages
        return whole_paragraphs(passages, self.store.neighbours, self.config.whole_paragraphs)

    def rest_of_article(self, passage: Passage, seen: set[str], near: int = 2, most: int = 40) -> list[Chunk]:
        """The chunks of the passage's article within `near` of it that are not in `seen`, in the article's order
        (of a very long document, only its first `most` chunks are looked at)."""
        ids = [i for i in self.keyword.article_chunk_ids(passage.chunk.article_id) if i not in seen][:most]
        chunks = self.store.get_chunks(ids) if ids else []
        return sorted((c for c in chunks if abs(c.index - passage.chunk.index) <= near), key=lambda c: c.index)

    def _dense(self, vector: list[float], depth: int, filters: Filters) -> tuple[list[str], list[Chunk]]:
        """Ids of the nearest chunks that pass the filters, nearest first, and whichever of those chunks the
        search already fetched. A filtered search in Chroma reads every candidate's metadata (0.2 ms a record
        at 100k chunks, eval/PERFORMANCE.md), so the nearest ids are judged on the keyword index's in-memory
        arrays first; exact whenever `depth` of them pass, else the store filters."""
        if where_clause(filters) is not None:
            share = self.keyword.share_passing(filters)
            if share == 0.0:
                return [], []  # nothing indexed passes
            # As many neighbours as should hold `depth` passing ones (with a margin), then four times that.
            first = max(300, int(1.5 * depth / share)) if share else 300
            for wide in (first, max(4 * first, 2400)):
                if wide > _WIDEST:
                    break  # a filter this selective is cheaper for the store itself
                ids = self.store.query_ids(vector, wide)
                verdict = self.keyword.passing(ids, filters)
                if verdict is None:
                    break
                kept = [i for i, ok in zip(ids, verdict) if ok][:depth]
                if len(kept) == depth or len(ids) < wide:
                    return kept, []
        hits = self.store.query(vector, depth, filters)
        return [h.chunk.id for h in hits], [h.chunk for h in hits]


_WIDEST = 20_000  # nearest ids worth fetching to filter in memory


def fuse(ranked: list[list[Chunk]], weights: list[float], rrf_k: int) -> list[tuple[Chunk, float]]:
    """Reciprocal rank fusion, scaled so the best chunk scores 1."""
    scores: dict[str, float] = {}
    chunks: dict[str, Chunk] = {}
    for weight, chunk_list in zip(weights, ranked):
        for rank, chunk in enumerate(chunk_list, start=1):
            chunks[chunk.id] = chunk
            scores[chunk.id] = scores.get(chunk.id, 0.0) + weight / (rrf_k + rank)
    top = max(scores.values(), default=1.0)
    return sorted(((chunks[i], s / top) for i, s in scores.items()), key=lambda cs: cs[1], reverse=True)


def decisive_lead(found: list[tuple[Chunk, float]], ratio: float) -> str | None:
    """The id of the keyword search's top chunk when its BM25 score is at least `ratio` times the best score of
    any other article's chunk (a rare name or number only one article holds). Rank fusion keeps only ranks, so
    without this a chunk far ahead on words can fall behind chunks the dense search merely ranks high. None when
    off or when nothing matched; when no other article matched any word, the top chunk leads."""
    if not ratio or not found:
        return None
    top, top_score = found[0]
    runner_up = next((score for chunk, score in found[1:] if chunk.article_id != top.article_id), None)
    return top.id if runner_up is None or top_score >= ratio * runner_up else None


_DESIGNATION = re.compile(r"^(?=.*\d)[a-z0-9][a-z0-9./-]*$")


def key_terms(question: str) -> set[str]:
    """Designations, acronyms and numbers in the question ("pac-3", "mse", "15", "fy2026")."""
    caps = {t.lower() for t in re.findall(r"\b[A-Z][A-Z0-9-]{1,}\b", question)}
    return {t for t in tokens(question) if _DESIGNATION.match(t) or t in caps}


@lru_cache(maxsize=8192)
def _token_set(text: str) -> frozenset[str]:
    return frozenset(tokens(normalise(text)))


def rescore(scored: list[tuple[Chunk, float]], question: str, intent: TimeIntent, config: RetrievalConfig) -> list[tuple[Chunk, float]]:
    """Boosts on the fused score: exact designations, the asked-about period, and the newest reporting."""
    if not scored:
        return scored
    keys = key_terms(question) if config.exact_weight else set()
    recency = _recency(scored) if intent.prefer_recent else {}
    out = []
    for chunk, score in scored:
        if keys:
            present = _token_set(f"{chunk.title} {chunk.text}")
            score += config.exact_weight * len(keys & present) / len(keys)
        if intent.window and chunk.published and intent.window[0] <= chunk.published <= intent.window[1]:
            score += config.window_weight
        score += config.recency_weight * recency.get(chunk.id, 0.0)
        out.append((chunk, score))
    return sorted(out, key=lambda cs: cs[1], reverse=True)


def _recency(scored: list[tuple[Chunk, float]], gate: float = 0.5) -> dict[str, float]:
    """Newest = 1, oldest = 0, by date rank among the chunks that are relevant at all (fused score >= gate)."""
    dates = sorted({c.published for c, s in scored if c.published and s >= gate})
    if len(dates) < 2:
        return {}
    position = {d: i / (len(dates) - 1) for i, d in enumerate(dates)}
    return {c.id: position[c.published] for c, s in scored if c.published in position and s >= gate}


def diversify(hits: list[Hit], options: RetrievalOptions, group_of: Callable[[str], str] | None = None) -> list[Hit]:
    """Keep at most `per_article` chunks of any one article in the top k, best first; of the copies of one story
    (`group_of`), only the first article seen is kept."""
    chosen: list[Hit] = []
    per_article: dict[str, int] = {}
    story: dict[str, str] = {}  # story group -> the article that stands for it
    for hit in hits:
        used = per_article.get(hit.chunk.article_id, 0)
        if used >= options.per_article:
            continue
        if group_of is not None:
            group = group_of(hit.chunk.article_id)
            if story.setdefault(group, hit.chunk.article_id) != hit.chunk.article_id:
                continue
        per_article[hit.chunk.article_id] = used + 1
        chosen.append(hit)
        if len(chosen) == options.k:
            break
    return chosen
