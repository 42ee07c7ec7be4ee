"""Candidate answer sentences: each retrieved sentence with its context, the article context of what was retrieved,
and the cited answer that chosen sentences compose."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..ingest.chunking import split_sentences
from ..ingest.sentences import sentence_views
from ..schema import Citation, Passage
from ..text import figures, normalise, terms


@dataclass
class Candidate:
    passage: Passage
    start: int
    end: int
    text: str
    terms: set[str] = field(default_factory=set)
    context: set[str] = field(default_factory=set)  # neighbouring sentences and the headline
    previous: tuple[int, int] | None = None
    shown: str = ""  # the sentence with the one it refers back to, as the answer shows it
    similarity: float = 0.0
    coverage: float = 0.0
    key_coverage: float = 1.0
    typed: bool = True
    kind_only: bool = False  # untyped only for lacking the kind of value asked, not for another year, budget or variant
    score: float = 0.0
    bonus: float = 0.0  # the part of `score` that ranks answers but does not count towards answering at all


class Mark(NamedTuple):
    """One sentence's score for one question: `plain` leaves out the bonuses that only rank answers."""

    score: float
    plain: float
    typed: bool
    key_coverage: float


@dataclass
class Extraction:
    sentences: list[Candidate]
    abstained: bool
    reason: str = ""


def candidates_of(passages: list[Passage]) -> list[Candidate]:
    """Every sentence of the passages (once, four words or more, not a capitalised heading), with its neighbours' terms and the sentence it refers back to."""
    seen: set[str] = set()
    out: list[Candidate] = []
    for passage in passages:
        text = passage.chunk.text
        spans = split_sentences(text)
        title_terms = set(terms(passage.chunk.title))
        index = {span: i for i, span in enumerate(spans)}
        for start, end, previous, shown in sentence_views(text, spans):
            sentence = text[start:end]
            key = normalise(sentence)
            if key in seen:
                continue
            seen.add(key)
            context = set(title_terms)
            i = index[(start, end)]
            for j in (i - 1, i + 1):
                if 0 <= j < len(spans):
                    context |= set(terms(text[spans[j][0] : spans[j][1]]))
            # "It is expected to receive 28 missions" is shown with the sentence it refers back to, and judged so
            out.append(Candidate(passage, start, end, sentence, set(terms(shown)), context, previous, shown))
    return out


def article_context(candidates: list[Candidate]) -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, Any], dict[str, str]]:
    """Terms, figures and date of everything retrieved from each article, its headline and date included."""
    texts: dict[str, dict[str, str]] = {}
    dates: dict[str, Any] = {}
    for cand in candidates:
        chunk = cand.passage.chunk
        parts = texts.setdefault(chunk.article_id, {"": chunk.title + " " + _date_words(chunk.published)})
        parts[chunk.id] = chunk.text
        dates[chunk.article_id] = chunk.published
    joined = {a: " ".join(p.values()) for a, p in texts.items()}
    term_map = {a: set(terms(text)) for a, text in joined.items()}
    figure_map = {a: figures(text) for a, text in joined.items()}
    return term_map, figure_map, dates, joined


def newest_close(ranked: list[Candidate], best: Candidate, margin: float = 0.1) -> Candidate:
    """For 'latest' questions: of the typed answers scoring close to the best, the one from the newest article."""
    close = [c for c in ranked if c.score >= best.score - margin and c.typed and c.key_coverage >= 0.5]
    dated = [c for c in close if c.passage.chunk.published]
    if not dated:
        return best
    return max(dated, key=lambda c: (c.passage.chunk.published, c.score))


def _date_words(day: object) -> str:
    return day.strftime("%B %d %Y").replace(" 0", " ") if hasattr(day, "strftime") else ""


def repeats(cand: Candidate, other: Candidate) -> bool:
    """The same sentence, perhaps from another passage or with a neighbour attached."""
    a, b = normalise(cand.text), normalise(other.text)
    return a in b or b in a


def overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))


def _within(span: tuple[int, int, int], other: tuple[int, int, int]) -> bool:
    """Is the passage span (rank, start, end) inside a longer one of the same passage?"""
    return span[0] == other[0] and other[1] <= span[1] and span[2] <= other[2] and span != other


def citations_for(chosen: list[Candidate]) -> tuple[str, list[Citation]]:
    """Compose the answer: each sentence (with the sentence it refers back to) and `[n]`, n = retrieval rank."""
    parts: list[str] = []
    spans: dict[int, list[tuple[int, int]]] = {}
    passages: dict[int, Passage] = {}
    shown = {id(c): (c.passage.rank, c.previous[0] if c.previous else c.start, c.end) for c in chosen}
    # a sentence that another one already shows, as the sentence it refers back to, is not repeated
    kept: list[Candidate] = []
    for i, c in enumerate(chosen):
        span = shown[id(c)]
        if not any(_within(span, shown[id(o)]) or (j < i and span == shown[id(o)]) for j, o in enumerate(chosen) if o is not c):
            kept.append(c)
    chosen = kept
    for cand in sorted(chosen, key=lambda c: (chosen.index(c) if c is chosen[0] else 1, c.passage.rank, c.start)):
        n, start, _ = shown[id(cand)]
        text = " ".join(cand.passage.chunk.text[start : cand.end].split())  # hard-wrapped lines read as one
        parts.append(f"{text} [{n}]")
        spans.setdefault(n, []).append((start, cand.end))
        passages[n] = cand.passage
    citations = [Citation(n, passages[n], tuple(sorted(set(spans[n])))) for n in sorted(spans)]
    return " ".join(parts), citations
