"""A language model's streamed reply as events: tokens, live checks of each sentence as it completes, and the
final answer; its `[n]` markers kept or dropped, and the passage sentence each citation highlights."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Sequence

from ..ingest.chunking import split_sentences
from ..grounding.checker import Context, GroundingChecker, split_answer
from ..schema import Answer, Citation, Passage, SentenceCheck
from ..text import terms

_MARKER = re.compile(r"\[(\s*\d+\s*(?:[,;]\s*\d+\s*)*)\]")

_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Event:
    """A step of a streamed answer: `status` text, a `token` of the answer, a `check`, the final `answer`, or `reset`.

    `check` carries the live check of one sentence of the LLM answer, sent as soon as the sentence is complete
    (the next one has begun, or the stream ended); its text is the sentence. The final answer's own checks
    (`Answer.sentences`) are authoritative and replace the live ones. `reset` withdraws every token (and check)
    streamed so far (a model reply that broke off half-way); its text says why, and the tokens that follow are
    the replacement answer.
    """

    kind: str
    text: str = ""
    answer: Answer | None = None
    check: SentenceCheck | None = None


class LiveChecks:
    """Checks each sentence of a streaming answer alone against the passages it cites, once it is complete."""

    def __init__(self, checker: GroundingChecker, passages: Sequence[Passage], question: str):
        self.checker, self.passages, self.question = checker, passages, question
        self.raw = ""
        self.done = 0
        self.ms = 0.0  # time spent checking, out of the generation time
        self._context: Context | None = None

    @property
    def context(self) -> Context:
        """The passages' evidence and vectors, built at the first complete sentence and reused by the final check."""
        if self._context is None:
            self._context = self.checker.context(self.passages)
        return self._context

    def feed(self, token: str, final: bool = False) -> list[Event]:
        """Events for the sentences this token completes; `final` at the end of the stream completes the last one."""
        self.raw += token
        if not final and not _LETTER.search(token):
            return []  # a sentence is complete only once text follows it: nothing new without a letter
        text, _, _ = parse_markers(self.raw, len(self.passages))
        sentences = split_answer(text)
        if not final and sentences:
            # the last sentence is still being written; while what follows the previous one has no letter yet
            # (" [1", " ["), its citation markers may still be arriving, so that one waits too
            sentences = sentences[:-1] if _LETTER.search(_MARKER.sub("", sentences[-1].text)) else sentences[:-2]
        events = []
        started = time.perf_counter()
        for sentence in sentences[self.done :]:
            check = self.checker.check_sentences([sentence], self.passages, self.question, self.context)[0]
            events.append(Event("check", sentence.text, check=check))
        self.done = max(self.done, len(sentences))
        self.ms += ms_since(started) if events else 0.0
        return events


def parse_markers(text: str, n_passages: int) -> tuple[str, set[int], list[str]]:
    """Keep `[n]` markers for passages 1..n_passages; drop (and report) any other."""
    cited: set[int] = set()
    dropped: list[str] = []

    def fix(match: re.Match[str]) -> str:
        numbers = [int(x) for x in re.split(r"[,;]", match.group(1)) if x.strip()]
        good = [n for n in numbers if 1 <= n <= n_passages]
        dropped.extend(f"[{n}]" for n in numbers if not 1 <= n <= n_passages)
        cited.update(good)
        return "".join(f"[{n}]" for n in good)

    cleaned = _MARKER.sub(fix, text)
    cleaned = re.sub(r"[ \t]+([.,;:])", r"\1", re.sub(r"[ \t]{2,}", " ", cleaned)).strip()
    return cleaned, cited, dropped


def llm_citation(n: int, passage: Passage, answer_text: str) -> Citation:
    """Highlight the passage sentence that shares most terms with the answer sentences citing it."""
    claims = [s for s in re.split(r"(?<=[.!?])\s+", answer_text) if f"[{n}]" in s]
    claim_terms = set(terms(" ".join(claims)))
    text = passage.chunk.text
    best, best_overlap = None, 0
    for start, end in split_sentences(text):
        overlap = len(claim_terms & set(terms(text[start:end])))
        if overlap > best_overlap:
            best, best_overlap = (start, end), overlap
    return Citation(n, passage, (best,) if best else ())


def passage_attr(value: str) -> str:
    return value.replace('"', "'").replace("<", "(").replace(">", ")")


def ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
