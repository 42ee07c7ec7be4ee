"""Broad questions ("What's going on with Golden Dome?", "Summarise SDA's Tranche 1 progress") answered with a short
dated digest: one key sentence from each relevant article, newest first, near-duplicates merged, each cited.

Kept apart from the extractive picker so the timeline code of the analyst issue can share it later: `key_sentences`
is the part a timeline needs (one dated, cited sentence per article about a subject)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .chunking import split_sentences
from .schema import Citation, Passage
from .text import terms

_BROAD = re.compile(
    r"^\s*(?:(?:so\s+)?what(?:'s|’s| is| has been)\s+(?:going on|happening|new|the latest)\s+(?:with|in|on|at|about)\s+"
    r"|summari[sz]e\s+|give\s+(?:me\s+)?an?\s+(?:overview|summary)\s+of\s+|(?:what are\s+)?the\s+latest\s+developments\s+(?:on|in|with)\s+"
    r"|latest\s+developments\s+(?:on|in|with)\s+|tell\s+me\s+about\s+)(?P<subject>.+?)\s*[?.!]*\s*$",
    re.I,
)
_SPECIFIC = re.compile(r"\b(?:including|and (?:who|what|when|where|how|which|why)|how (?:much|many)|price|cost)\b", re.I)
_MAX_ARTICLES = 6
_DUPLICATE = 0.6


@dataclass(frozen=True)
class KeySentence:
    passage: Passage
    start: int
    end: int
    published: date | None

    @property
    def text(self) -> str:
        return " ".join(self.passage.chunk.text[self.start : self.end].split())


def broad_subject(question: str) -> str:
    """The subject of a broad question ('Golden Dome'), or '' when the question asks for something specific."""
    match = _BROAD.match(question)
    if not match or _SPECIFIC.search(question):
        return ""
    subject = re.sub(r"^(?:the|a|an)\s+", "", match.group("subject").strip(), flags=re.I)
    return re.sub(r"\s+(?:progress|programme|program|news|story|effort)$", "", subject, flags=re.I) or subject


def key_sentences(subject: str, passages: list[Passage]) -> list[KeySentence]:
    """The first sentence naming the subject in each article's earliest retrieved chunk, newest article first."""
    wanted = set(terms(subject))
    if not wanted:
        return []
    best: dict[str, KeySentence] = {}
    for passage in sorted(passages, key=lambda p: (p.chunk.article_id, p.chunk.index)):
        if passage.chunk.article_id in best:
            continue
        text = passage.chunk.text
        for start, end in split_sentences(text):
            if wanted <= set(terms(text[start:end])) and len(text[start:end].split()) >= 6:
                best[passage.chunk.article_id] = KeySentence(passage, start, end, passage.chunk.published)
                break
    return sorted(best.values(), key=lambda s: (s.published or date.min, -s.passage.rank), reverse=True)


def build_digest(question: str, passages: list[Passage]) -> tuple[str, list[Citation]] | None:
    """The digest text with `[n]` markers and its citations, or None when the question is not broad or fewer than
    two articles speak of its subject (one sentence is what the usual answer gives)."""
    subject = broad_subject(question)
    found = key_sentences(subject, passages) if subject else []
    if len(found) < 2:
        return None
    kept: list[list[KeySentence]] = []
    for sentence in found[:_MAX_ARTICLES]:
        mine = set(terms(sentence.text))
        twin = next((group for group in kept if _jaccard(mine, set(terms(group[0].text))) > _DUPLICATE), None)
        if twin is not None:
            twin.append(sentence)  # the same news in another outlet: one sentence, both cited
        else:
            kept.append([sentence])
    lines, citations = [], []
    for group in kept:
        markers = []
        for sentence in group:
            n = len(citations) + 1
            citations.append(Citation(n, sentence.passage, ((sentence.start, sentence.end),)))
            markers.append(f"[{n}]")
        when = group[0].published.isoformat() if group[0].published else "Undated"
        lines.append(f"{when}: {group[0].text} {''.join(markers)}")
    return " ".join(lines), citations


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
