"""Extractive answers: the retrieved sentences that best answer the question, each cited. No LLM."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from langchain_core.embeddings import Embeddings

from .chunking import split_sentences
from .embeddings import encode
from .schema import Citation, Passage
from .text import normalise, terms, tokens

# What kind of value a question asks for, and the pattern a sentence needs to hold one.
_TYPE_CUES: list[tuple[str, re.Pattern[str]]] = [
    ("percent", re.compile(r"\b(what|which) (percentage|percent|share|proportion)\b|\bhow much of\b|\bby how much\b.*\b(grow|rise|increase|fall)")),
    ("money", re.compile(r"\bhow much\b|\bcost\b|\bworth\b|\bvalue[d]?\b|\bprice\b|\bbudget\b|\bspend|\bfunding\b|\bdollars?\b|\bcontract (?:value|size)\b")),
    ("count", re.compile(r"\bhow many\b|\bnumber of\b|\bquantity\b")),
    ("date", re.compile(r"^\s*when\b|\bwhat (date|day|month|year)\b|\bwhich (date|day|month|year)\b|\bin what year\b|\bon what date\b")),
    ("distance", re.compile(r"\bhow far\b|\brange\b")),
    ("speed", re.compile(r"\bhow fast\b|\bspeed\b|\bmach\b")),
]
_TYPE_EVIDENCE = {
    "percent": re.compile(r"\d\s?(%|percent|per cent)"),
    "money": re.compile(r"[$€£]\s?\d|\d\s?(billion|million|trillion|bn)\b.*?\b(dollars|euros|pounds)?|\b\d+(\.\d+)?\s?(billion|million|trillion)"),
    "count": re.compile(r"\b\d|\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|hundred|thousand)\b"),
    "date": re.compile(r"\b(19|20)\d\d\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"),
    "distance": re.compile(r"\d\s?(km|kilomet|mile|nautical|nm\b)"),
    "speed": re.compile(r"\bmach\s?\d|\d\s?(km/h|mph|knots)"),
}
_FOCUS = re.compile(
    r"\b(?:what|which)\s+(?:is|was|are|were|will be)\s+(?:the\s+)?(?:[a-z]+\s+)?(?P<focus>[a-z]+)\s+(?:of|for|on|in|at|to|per)\b"
)
_GENERIC_FOCUS = {"name", "status", "role", "purpose", "goal", "plan", "aim", "point", "story", "news", "deal", "result", "reason", "difference", "latest", "main", "key"}


def answer_type(question: str) -> str | None:
    q = normalise(question)
    for name, pattern in _TYPE_CUES:
        if pattern.search(q):
            return name
    return None


def key_terms(question: str) -> set[str]:
    """Names, designations and figures in the question: an answer must be about them."""
    keys: set[str] = set()
    words = re.findall(r"[A-Za-z0-9][A-Za-z0-9'.\-/]*", question)
    for i, word in enumerate(words):
        clean = word.strip(".'").replace("'s", "")
        if not clean:
            continue
        is_name = clean[0].isupper() and (i > 0 or clean.isupper() or any(ch.isupper() for ch in clean[1:]))
        if is_name or any(ch.isdigit() for ch in clean):
            keys.update(terms(clean))
    return keys


@dataclass
class Candidate:
    passage: Passage
    start: int
    end: int
    text: str
    terms: set[str] = field(default_factory=set)
    similarity: float = 0.0
    coverage: float = 0.0
    key_coverage: float = 1.0
    score: float = 0.0


@dataclass
class Extraction:
    sentences: list[Candidate]
    abstained: bool
    reason: str = ""


class ExtractiveAnswerer:
    """Scores every retrieved sentence against the question and keeps the best, non-redundant ones."""

    def __init__(self, embeddings: Embeddings, max_sentences: int = 3, min_score: float = 0.45):
        self.embeddings = embeddings
        self.max_sentences = max_sentences
        self.min_score = min_score

    def extract(self, question: str, passages: list[Passage]) -> Extraction:
        candidates = self._candidates(passages)
        if not candidates:
            return Extraction([], True, "no passages")
        wanted = answer_type(question)
        q_terms = set(terms(question))
        keys = key_terms(question) & q_terms if q_terms else set()
        focus = _focus_term(question)
        vectors = encode(self.embeddings, [question] + [c.text for c in candidates])
        sims = vectors[1:] @ vectors[0]
        for cand, sim in zip(candidates, sims):
            context = cand.terms | set(terms(cand.passage.chunk.title))
            cand.similarity = float(sim)
            cand.coverage = _coverage(q_terms, cand.terms, context)
            cand.key_coverage = len(keys & context) / len(keys) if keys else 1.0
            typed = wanted is None or bool(_TYPE_EVIDENCE[wanted].search(normalise(cand.text)))
            focused = focus is None or focus in context or focus in cand.passage.chunk.text.lower()
            cand.score = 0.55 * cand.similarity + 0.45 * cand.coverage
            if not typed:
                cand.score -= 0.2
            if not focused:
                cand.score -= 0.15
            cand.score -= 0.15 * (1.0 - cand.key_coverage)
        ranked = sorted(candidates, key=lambda c: c.score, reverse=True)
        best = ranked[0]
        if best.score < self.min_score:
            return Extraction([], True, f"best sentence scores {best.score:.2f} < {self.min_score}")
        if best.key_coverage < 0.5:
            return Extraction([], True, "the passages do not mention what the question names")
        if wanted and not _TYPE_EVIDENCE[wanted].search(normalise(best.text)):
            return Extraction([], True, f"no passage gives a {wanted}")
        chosen = [best]
        covered = set(best.terms)
        for cand in ranked[1:]:
            if len(chosen) >= self.max_sentences:
                break
            if cand.score < max(self.min_score, best.score - 0.12):
                break
            new_terms = (q_terms & cand.terms) - covered
            redundant = any(_overlap(cand.terms, c.terms) > 0.6 for c in chosen)
            if redundant or (not new_terms and cand.score < best.score - 0.05):
                continue
            chosen.append(cand)
            covered |= cand.terms
        return Extraction(chosen, False)

    def _candidates(self, passages: list[Passage]) -> list[Candidate]:
        seen: set[str] = set()
        out: list[Candidate] = []
        for passage in passages:
            text = passage.chunk.text
            for start, end in split_sentences(text):
                sentence = text[start:end]
                key = normalise(sentence)
                if key in seen or len(tokens(sentence)) < 4:
                    continue
                seen.add(key)
                out.append(Candidate(passage, start, end, sentence, set(terms(sentence))))
        return out


def _focus_term(question: str) -> str | None:
    match = _FOCUS.search(normalise(question))
    if not match:
        return None
    word = match.group("focus")
    if word in _GENERIC_FOCUS or len(word) < 4:
        return None
    return terms(word)[0] if terms(word) else None


def _coverage(q_terms: set[str], sentence_terms: set[str], context_terms: set[str]) -> float:
    if not q_terms:
        return 0.0
    hit = sum(1.0 if t in sentence_terms else 0.5 if t in context_terms else 0.0 for t in q_terms)
    return hit / len(q_terms)


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))


def citations_for(chosen: list[Candidate]) -> tuple[str, list[Citation]]:
    """Compose the answer text with `[n]` after each sentence, n being the passage's retrieval rank."""
    parts: list[str] = []
    spans: dict[int, list[tuple[int, int]]] = {}
    passages: dict[int, Passage] = {}
    for cand in chosen:
        n = cand.passage.rank
        parts.append(f"{cand.text.strip()} [{n}]")
        spans.setdefault(n, []).append((cand.start, cand.end))
        passages[n] = cand.passage
    citations = [Citation(n, passages[n], tuple(sorted(spans[n]))) for n in sorted(spans)]
    return " ".join(parts), citations

