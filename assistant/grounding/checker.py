"""Check each answer sentence against the passages it cites: figures, names and content; fix wrong citations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from langchain_core.embeddings import Embeddings

from ..ingest.chunking import split_sentences
from ..encoders.embeddings import encode
from .evidence import (
    Glossary, PassageEvidence, acronym_terms, build_evidence, claim_figures, common_words, evidence_of, missing_names, unit_numbers,
)
from .name_runs import mixed_names
from ..schema import Passage, SentenceCheck
from ..reading.compute import check_arithmetic
from ..text import figures, normalise, terms

_MARKER = re.compile(r"\[(\d+)\]")
_WORDLIKE = re.compile(r"[^\W_]")
_FOREIGN_WORD = re.compile(r"\b[^\W\d_a-zA-Z]{2,}\b")
_DANGLING = re.compile(r"\b(?:on|in|at|of|by|for|to|from|with|was|were|is|are|the|a|an|and)\s*[.!?]?\s*$", re.I)
_LIST_ITEM = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*•])\s+")
_LEADING_MARKERS = re.compile(r"^\s*((?:\[\d+\]\s*)+)")
_NO_ANSWER = re.compile(
    r"\b(?:do(?:es)?|did) not (?:cover|contain|mention|say|state|give|provide|specify|include)\b|\bno information\b|\bnot (?:covered|mentioned|specified|stated)\b"
)


@dataclass(frozen=True)
class Thresholds:
    """Content-support thresholds, tuned on the tune split of eval/grounding/labelled.jsonl."""

    similarity_alone: float = 0.75  # a passage sentence this close supports the claim by itself
    similarity: float = 0.3  # ... or this close, when enough of the claim's content words are cited
    overlap: float = 0.8
    min_overlap: float = 0.0  # below this share of content words, nothing rescues the claim
    local_margin: float = 0.1  # figures and names must sit in passage sentences this close to the best match
    correction: float = 0.6  # a replacement citation needs at least this similarity


@dataclass(frozen=True)
class Features:
    """What the checks found for one claim against one set of passages."""

    missing_figures: tuple[str, ...]
    missing_names: tuple[str, ...]
    out_of_context: tuple[str, ...]  # in the passage, but only in sentences about something else
    similarity: float
    overlap: float
    content_terms: int
    wrong_arithmetic: tuple[str, ...] = ()  # "A − B = C" whose C is not A − B (assistant/reading/compute.py)


@dataclass(frozen=True)
class Sentence:
    text: str  # as written, markers included
    claim: str  # markers removed
    cited: tuple[int, ...]


def split_answer(text: str) -> list[Sentence]:
    """Answer sentences with their `[n]` markers; markers written after the full stop stay with their sentence."""
    pieces = [text[s:e] for s, e in split_sentences(text)]
    merged: list[str] = []
    for piece in pieces:
        lead = _LEADING_MARKERS.match(piece)
        if lead and merged:
            merged[-1] = merged[-1].rstrip() + " " + lead.group(1).strip()
            piece = piece[lead.end():]
        if piece.strip():
            merged.append(piece.strip())
    return [make_sentence(p) for p in merged]


def make_sentence(text: str) -> Sentence:
    cited = tuple(dict.fromkeys(int(n) for n in _MARKER.findall(text)))
    claim = re.sub(r"\s+([.,;:!?])", r"\1", _MARKER.sub(" ", _LIST_ITEM.sub("", text)))
    return Sentence(text=text, claim=" ".join(claim.split()), cited=cited)


def states_fact(claim: str, names: Sequence[str] = ()) -> bool:
    """Does a sentence assert something checkable (rather than 'the passages do not say')?"""
    if _NO_ANSWER.search(normalise(claim)):
        return False
    return bool(claim_figures(claim) or names or len(content_words(claim)) >= 4)


def content_words(text: str) -> set[str]:
    """Content terms, plus words in other scripts (which `terms` does not see): a Cyrillic sentence is not empty."""
    return set(terms(text)) | {w.lower() for w in _FOREIGN_WORD.findall(text)}


class GroundingChecker:
    """Checks sentences against cited passages with the packaged embedding model; no LLM involved."""

    def __init__(
        self, embeddings: Embeddings, thresholds: Thresholds | None = None, glossary: Callable[[], Mapping[str, str]] | None = None
    ):
        """`glossary` returns the corpus's acronym table (acronym -> long form) as it is when an answer is checked."""
        self.embeddings = embeddings
        self.thresholds = thresholds or Thresholds()
        self.glossary = glossary
        self._glossary: tuple[Mapping[str, str], Glossary] | None = None

    def check_answer(
        self, text: str, passages: Sequence[Passage], question: str = "", context: "Context | None" = None
    ) -> list[SentenceCheck]:
        return self.check_sentences(split_answer(text), passages, question, context)

    def check_sentences(
        self, sentences: Sequence[Sentence], passages: Sequence[Passage], question: str = "", context: "Context | None" = None
    ) -> list[SentenceCheck]:
        """Check sentences; pass the `context` of these passages to reuse its vectors (a streamed answer's live checks)."""
        if not sentences:
            return []
        context = context or self.context(passages)
        claims = encode(self.embeddings, [s.claim for s in sentences])
        return [self.check_one(s, claims[i], context, question) for i, s in enumerate(sentences)]

    def context(self, passages: Sequence[Passage], glossary: Mapping[str, str] | None = None) -> "Context":
        """Evidence and sentence vectors of the passages, with the corpus glossary (or the `glossary` given)."""
        evidence = build_evidence(passages)
        texts = [sent for ev in evidence.values() for sent in ev.sentences]
        vectors = encode(self.embeddings, texts) if texts else None
        return Context(evidence, texts, vectors, common_words(evidence.values()), self._table(glossary))

    def _table(self, given: Mapping[str, str] | None) -> Glossary | None:
        table = given if given is not None else (self.glossary() if self.glossary else None)
        if not table:
            return None
        cached = self._glossary  # shared by concurrent answers: read once
        if cached is None or cached[0] is not table:  # the index's table is rebuilt only after a change
            cached = self._glossary = (table, Glossary(table))
        return cached[1]

    def features(self, claim: str, vector: Any, context: "Context", ranks: Sequence[int], question: str = "", margin: float | None = None) -> Features:
        """Findings for a claim against passages, memoised per context so tuning can replay decisions cheaply."""
        margin = self.thresholds.local_margin if margin is None else margin
        key = (claim, tuple(ranks), question, margin)
        if key not in context.cache:
            context.cache[key] = self._features(claim, vector, context, ranks, question, margin)
        return context.cache[key]

    def _features(self, claim: str, vector: Any, context: "Context", ranks: Sequence[int], question: str, margin: float) -> Features:
        cited = [context.evidence[n] for n in ranks if n in context.evidence]
        arithmetic = check_arithmetic(claim)  # a computed figure is supported when its operands are and it is right
        computed = {a.result for a in arithmetic if a.right}
        missing_figs = tuple(f for f in claim_figures(claim, question) if f[0] not in computed and not any(f[0] in ev.figures for ev in cited))
        missing_units = tuple(u for u in unit_numbers(claim) if not any(u in ev.numbers for ev in cited))
        names = missing_names(claim, cited, context.common, context.glossary)
        names += mixed_names(claim, cited, context.common)  # "USS Carl Roosevelt" from two ships' names
        claim_terms = {t for t in content_words(claim) if not t.replace(".", "").isdigit()}
        cited_terms = set().union(*(ev.terms for ev in cited)) if cited else set()
        prefixes = {t[:6] for t in cited_terms if len(t) >= 6}  # announcement / announced, selected / selection
        shared = {t for t in claim_terms if t in cited_terms or (len(t) >= 6 and t[:6] in prefixes)}
        shared |= claim_terms & acronym_terms(claim, cited, context.glossary)
        overlap = len(shared) / len(claim_terms) if claim_terms else 1.0
        similarity = context.similarity(vector, ranks)
        surfaces = tuple(f[1] for f in missing_figs) + missing_units
        # figures the question names ("Tower 22") set the subject; the others must sit where the claim is made
        asked = figures(question)
        present = [f for f in claim_figures(claim, question) if f not in missing_figs and f[0] not in asked and f[0] not in computed]
        out_of_context: tuple[str, ...] = ()
        if present or len(names) < len(_capitalised(claim)):
            figures_near = context.local(vector, ranks, margin, subject=False)
            names_near = context.local(vector, ranks, margin, subject=True)
            out_of_context = tuple(f[1] for f in present if not any(f[0] in ev.figures for ev in figures_near))
            out_of_context += tuple(x for x in missing_names(claim, names_near, context.common, context.glossary) if x not in names)
        wrong = tuple(a.expression for a in arithmetic if not a.right)
        return Features(surfaces, names, out_of_context, similarity, overlap, len(claim_terms), wrong)

    def supported(self, f: Features) -> bool:
        t = self.thresholds
        if f.missing_figures or f.missing_names or f.wrong_arithmetic or (f.out_of_context and t.local_margin < 1.0):
            return False
        if f.content_terms and f.overlap < t.min_overlap:
            return False
        return f.similarity >= t.similarity_alone or (f.similarity >= t.similarity and f.overlap >= t.overlap)

    def reasons(self, f: Features, ranks: Sequence[int]) -> tuple[str, ...]:
        where = "".join(f"[{n}]" for n in ranks)
        out = [f"arithmetic wrong: {x}" for x in f.wrong_arithmetic]
        out += [f"figure {x} not in {where}" for x in f.missing_figures]
        out += [f"name {x} not in {where}" for x in f.missing_names]
        if self.thresholds.local_margin < 1.0:
            out += [f"{x} is in {where} but not where it says this" for x in f.out_of_context]
        if not out and not self.supported(f):
            out.append(f"content not supported by {where} (similarity {f.similarity:.2f}, shared words {f.overlap:.0%})")
        return tuple(out)

    def check_one(self, sentence: Sentence, vector: Any, context: "Context", question: str) -> SentenceCheck:
        cited = tuple(n for n in sentence.cited if n in context.evidence)
        if sentence.cited and not _WORDLIKE.search(sentence.claim):  # "[1] [2][3]": markers standing for an answer
            return SentenceCheck(sentence.text, cited, False, ("citation markers without any words",))
        if not cited:
            names = missing_names(sentence.claim, [], context.common, context.glossary)
            if not states_fact(sentence.claim, names or _capitalised(sentence.claim)):
                return SentenceCheck(sentence.text, (), True)
            return SentenceCheck(sentence.text, (), False, ("states a fact without a citation",))
        if _DANGLING.search(sentence.claim):
            return SentenceCheck(sentence.text, cited, False, ("incomplete sentence: a citation marker stands in for the answer",))
        found = self.features(sentence.claim, vector, context, cited, question)
        if self.supported(found) or not states_fact(sentence.claim):
            return SentenceCheck(sentence.text, cited, True)
        better = self._better_citation(sentence.claim, vector, context, cited, question)
        if better is not None:
            text = _replace_markers(sentence.text, better)
            note = f"citation corrected: {''.join(f'[{n}]' for n in cited)} -> [{better}]"
            return SentenceCheck(text, (better,), True, (note,))
        return SentenceCheck(sentence.text, cited, False, self.reasons(found, cited))

    def _better_citation(self, claim: str, vector: Any, context: "Context", cited: tuple[int, ...], question: str) -> int | None:
        best: tuple[float, int] | None = None
        for n in context.evidence:
            if n in cited:
                continue
            # a replacement must hold every figure and name close to the passage sentence it matches best
            f = self.features(claim, vector, context, (n,), question, margin=0.0)
            if self.supported(f) and f.similarity >= self.thresholds.correction and (best is None or f.similarity > best[0]):
                best = (f.similarity, n)
        return best[1] if best else None


@dataclass
class Context:
    """Every retrieved passage's evidence and sentence vectors, computed once per answer."""

    evidence: dict[int, PassageEvidence]
    texts: list[str]
    vectors: Any
    common: frozenset[str]  # lower-case words of the passages: a capitalised one opening a sentence is no name
    glossary: Glossary | None = None  # the corpus's acronym table
    cache: dict[Any, Features] = field(default_factory=dict)

    def local(self, vector: Any, ranks: Sequence[int], margin: float, subject: bool) -> list[PassageEvidence]:
        """Evidence from the cited passages' sentences closest to the claim (and their neighbours); with `subject`,
        also the title and the chunk's first sentence, which name what later sentences call "it" or "the contract"."""
        out = []
        for n in ranks:
            ev = self.evidence.get(n)
            if ev is None or not ev.sentences or self.vectors is None:
                continue
            sims = self.vectors[ev.offset : ev.offset + len(ev.sentences)] @ vector
            keep = {j + d for j, sim in enumerate(sims) if sim >= sims.max() - margin for d in (-1, 0, 1)}
            window = " ".join(ev.sentences[j] for j in sorted(keep | ({0} if subject else set())) if 0 <= j < len(ev.sentences))
            out.append(evidence_of(f"{ev.title}\n{window}" if subject else window, n))
        return out

    def similarity(self, vector: Any, ranks: Sequence[int]) -> float:
        if self.vectors is None:
            return 0.0
        best = 0.0
        for n in ranks:
            ev = self.evidence.get(n)
            if ev is None or not ev.sentences:
                continue
            block = self.vectors[ev.offset : ev.offset + len(ev.sentences)]
            best = max(best, float((block @ vector).max()))
        return best


def _capitalised(claim: str) -> list[str]:
    return re.findall(r"(?<!^)(?<![.!?]\s)\b[A-Z][a-zA-Z]+", claim)


def _replace_markers(text: str, n: int) -> str:
    stripped = _MARKER.sub("", text).rstrip()
    stripped = re.sub(r"\s+([.,;:!?])", r"\1", stripped)
    if stripped and stripped[-1] in ".!?":
        return f"{stripped[:-1]} [{n}]{stripped[-1]}"
    return f"{stripped} [{n}]"


@dataclass(frozen=True)
class Grounded:
    """An answer text after checking: flagged sentences kept (flag) or removed (strict), citations corrected."""

    text: str
    sentences: tuple[SentenceCheck, ...]
    removed: int
    corrected: int

    @property
    def flagged(self) -> int:
        return sum(1 for s in self.sentences if not s.supported)

    @property
    def any_supported(self) -> bool:
        return any(s.supported for s in self.sentences)


def apply_checks(checks: Sequence[SentenceCheck], strict: bool) -> Grounded:
    """Rebuild the answer from checked sentences; strict drops the unsupported ones and records why."""
    kept: list[str] = []
    out: list[SentenceCheck] = []
    removed = 0
    for check in checks:
        if strict and not check.supported:
            removed += 1
            out.append(SentenceCheck(check.text, check.citations, False, (*check.reasons, "removed (strict)")))
            continue
        kept.append(check.text)
        out.append(check)
    corrected = sum(1 for s in out if any(r.startswith("citation corrected") for r in s.reasons))
    return Grounded(" ".join(kept), tuple(out), removed, corrected)
