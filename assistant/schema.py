"""Plain immutable types that flow through the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Article:
    """One story, release or document as a loader read it; every chunk of it carries its metadata."""

    id: str  # the front matter's id, else the file name without extension; lower case, safe characters only
    title: str  # the headline
    text: str  # the body, without front matter; chunk offsets point into it
    path: str  # the file it was read from, as an absolute path
    published: date | None = None  # publication date, when the file gives one
    source: str = ""  # publisher or outlet
    url: str = ""  # where the original is published
    tags: tuple[str, ...] = ()  # the file's own keywords
    page_starts: tuple[int, ...] = ()  # paged documents (PDF): offset in `text` where each page begins, page 1 first


@dataclass(frozen=True)
class Chunk:
    """A span of an article's text: `text == article.text[start:end]`."""

    id: str
    article_id: str
    index: int
    text: str
    start: int
    end: int
    title: str
    path: str
    published: date | None = None
    source: str = ""
    url: str = ""
    tags: tuple[str, ...] = ()
    page: int | None = None  # page the chunk starts on, for paged documents (PDF)
    section: str = ""  # the heading the chunk falls under ("NAVY"), outside its text


@dataclass(frozen=True)
class Passage:
    """A chunk returned by retrieval, with its rank (1-based) and score."""

    chunk: Chunk
    rank: int
    score: float  # the retrieval score (fused and re-scored); 0 for a passage added after retrieval, 1 in set checks


@dataclass(frozen=True)
class Citation:
    """A passage the answer cites as `[n]`, with the supporting span inside the chunk text."""

    n: int
    passage: Passage
    highlights: tuple[tuple[int, int], ...] = ()
    corroborated_by: int = 0  # other sources (not copies of this story) among the passages that give its figures
    duplicates: tuple[str, ...] = ()  # article ids of copies of this story (assistant/index/storygroups.py)
    source_kind: str = ""  # official release, wire, trade press, think tank, other or unknown (assistant/index/source_kinds.py)
    also: tuple["Citation", ...] = ()  # other cited passages of the same article, shown on the same card


@dataclass(frozen=True)
class SentenceCheck:
    text: str
    citations: tuple[int, ...]
    supported: bool
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Filters:
    since: date | None = None
    until: date | None = None
    source: str | None = None
    tag: str | None = None
    sources: tuple[str, ...] = ()  # any of these sources (a source kind, assistant/index/source_kinds.py); empty = no limit


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    abstained: bool
    mode: str
    citations: tuple[Citation, ...] = ()
    passages: tuple[Passage, ...] = ()
    standalone_question: str = ""
    dropped_markers: tuple[str, ...] = ()
    notice: str = ""
    notice_details: str = ""  # the figures behind a notice (a refusal's score), shown on request
    sentences: tuple[SentenceCheck, ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)
    conflicts: tuple[Any, ...] = ()  # assistant.analyst.conflicts.Conflict: where the passages give different values
    short_answer: str | None = None  # the asked value alone, verbatim from the first cited sentence
    replaced: str | None = None  # the value a published correction replaced, when the short answer is the corrected one
    held_back: tuple[str, ...] = ()  # figures an extractive lead would have stated that its citations do not give
