"""Broad questions ("What's going on with Golden Dome?", "Summarise SDA's Tranche 1 progress") answered with a short
dated digest: one key sentence from each relevant article, newest first, near-duplicates merged, each cited.

The sentences are the retrieved passages' timeline events (`timeline.py`): dated by the shared date parser (the date
a sentence states, else its article's), the same event in several articles or copies of one story (story groups)
merged into one line citing each. Each article gives one line, its newest event."""

from __future__ import annotations

import re
from typing import Callable

from ..schema import Citation, Passage
from ..text import terms
from .timeline import TimelineEvent, build_timeline

_BROAD = re.compile(
    r"^\s*(?:(?:so\s+)?what(?:'s|’s| is| has been)\s+(?:going on|happening|new|the latest)\s+(?:with|in|on|at|about)\s+"
    r"|summari[sz]e\s+|give\s+(?:me\s+)?an?\s+(?:overview|summary)\s+of\s+|(?:what are\s+)?the\s+latest\s+developments\s+(?:on|in|with)\s+"
    r"|latest\s+developments\s+(?:on|in|with)\s+|tell\s+me\s+about\s+)(?P<subject>.+?)\s*[?.!]*\s*$",
    re.I,
)
_SPECIFIC = re.compile(r"\b(?:including|and (?:who|what|when|where|how|which|why)|how (?:much|many)|price|cost)\b", re.I)
_MAX_ARTICLES = 6
_MIN_WORDS = 6  # a headline fragment is not a key sentence


def broad_subject(question: str) -> str:
    """The subject of a broad question ('Golden Dome'), or '' when the question asks for something specific."""
    match = _BROAD.match(question)
    if not match or _SPECIFIC.search(question):
        return ""
    subject = re.sub(r"^(?:the|a|an)\s+", "", match.group("subject").strip(), flags=re.I)
    return re.sub(r"\s+(?:progress|programme|program|news|story|effort)$", "", subject, flags=re.I) or subject


def build_digest(
    question: str, passages: list[Passage], group_of: Callable[[str], str] | None = None
) -> tuple[str, list[Citation]] | None:
    """The digest text with `[n]` markers and its citations, or None when the question is not broad or fewer than
    two articles speak of its subject (one sentence is what the usual answer gives)."""
    subject = broad_subject(question)
    if not subject:
        return None
    timeline = build_timeline(subject, [p.chunk for p in passages], group_of=group_of)
    wanted = set(terms(subject))
    lead: dict[str, tuple[int, int]] = {}  # article -> (offset, event index) of its first sentence naming the subject
    for i, event in enumerate(timeline.events):
        if len(event.text.split()) < _MIN_WORDS or not wanted <= set(terms(event.text)):
            continue  # a headline fragment, or a sentence that does not name the subject
        for source in event.sources:
            lead[source["article_id"]] = min(lead.get(source["article_id"], (source["start"], i)), (source["start"], i))
    lines: list[tuple[TimelineEvent, list[Citation]]] = []
    for i in sorted({i for _, i in lead.values()}, key=lambda i: timeline.events[i].date, reverse=True)[:_MAX_ARTICLES]:
        event = timeline.events[i]  # one line per event, citing each article whose lead sentence it is
        cited = [_citation(s, passages) for s in event.sources if lead[s["article_id"]][1] == i]
        lines.append((event, [c for c in cited if c is not None]))
    if len(lead) < 2:
        return None
    text, citations = [], []
    for event, cited in lines:
        markers = []
        for citation in cited:
            citations.append(Citation(len(citations) + 1, citation.passage, citation.highlights))
            markers.append(f"[{len(citations)}]")
        text.append(f"{event.date.isoformat()}: {event.text} {''.join(markers)}")
    return " ".join(text), citations


def _citation(source: dict, passages: list[Passage]) -> Citation | None:
    """The passage holding a source's sentence, with the sentence highlighted (offsets into the chunk)."""
    for passage in passages:
        chunk = passage.chunk
        if chunk.article_id == source["article_id"] and chunk.start <= source["start"] < chunk.start + len(chunk.text):
            return Citation(0, passage, ((source["start"] - chunk.start, source["end"] - chunk.start),))
    return None
