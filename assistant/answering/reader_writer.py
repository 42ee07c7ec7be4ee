"""Reader and writer together: the extractive reader decides whether to answer and selects the evidence; the model
only phrases the answer from it; every sentence is checked, and one the evidence does not support is replaced by the
reader's own sentence for that claim, labelled as a quotation.

Small models never decline, so the decision to answer is not theirs. They also read slowly on a laptop CPU, so they
read the selected sentences with their neighbours and each article's headline and date, not whole passages.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from ..ingest.chunking import split_sentences
from ..reading.candidates import Candidate, citations_for
from ..grounding.checker import apply_checks
from ..schema import Answer, Citation, Passage, SentenceCheck
from ..text import as_sentence
from ..text import terms
from .model_reply import Event, llm_citation, ms_since, parse_markers, passage_attr

if TYPE_CHECKING:
    from .answer import Answerer

_NEIGHBOURS = 1  # sentences read on each side of a selected one
_MARKER = re.compile(r"\[\d+\]")


@dataclass(frozen=True)
class Excerpt:
    """What the model reads of one passage: the selected sentences with their neighbours, in article order."""

    passage: Passage
    spans: tuple[tuple[int, int], ...]  # character spans in the chunk text

    @property
    def text(self) -> str:
        chunk = self.passage.chunk.text
        return " … ".join(" ".join(chunk[s:e].split()) for s, e in self.spans)


def excerpts_for(chosen: Sequence[Candidate], neighbours: int = _NEIGHBOURS) -> list[Excerpt]:
    """Each selected sentence with `neighbours` sentences either side, merged per passage, ordered by rank."""
    windows: dict[int, tuple[Passage, set[int]]] = {}
    for cand in chosen:
        spans = split_sentences(cand.passage.chunk.text)
        starts = [i for i, (s, e) in enumerate(spans) if s <= cand.start < e or (cand.previous and s <= cand.previous[0] < e)]
        if not starts:
            continue
        _, keep = windows.setdefault(cand.passage.rank, (cand.passage, set()))
        for i in range(min(starts) - neighbours, max(starts) + neighbours + 1):
            if 0 <= i < len(spans):
                keep.add(i)
    out = []
    for rank in sorted(windows):
        passage, keep = windows[rank]
        spans = split_sentences(passage.chunk.text)
        merged: list[tuple[int, int]] = []
        for i in sorted(keep):
            s, e = spans[i]
            if merged and i - 1 in keep:
                merged[-1] = (merged[-1][0], e)
            else:
                merged.append((s, e))
        out.append(Excerpt(passage, tuple(merged)))
    return out


def excerpt_messages(answerer: "Answerer", question: str, excerpts: Sequence[Excerpt]) -> list[Any]:
    """System prompt first and identical for every question, so llama.cpp keeps its KV cache between questions."""
    from langchain_core.messages import HumanMessage, SystemMessage

    prompts = answerer.prompts
    blocks = "\n\n".join(
        prompts["passage"].render(
            n=ex.passage.rank,
            title=passage_attr(ex.passage.chunk.title),
            source=passage_attr(ex.passage.chunk.source),
            published=ex.passage.chunk.published.isoformat() if ex.passage.chunk.published else "unknown",
            text=ex.text.replace("</passage>", "</ passage>"),
        )
        for ex in excerpts
    )
    system = prompts["reader_system"].render(max_sentences=answerer.max_sentences)
    return [SystemMessage(system), HumanMessage(prompts["reader_user"].render(excerpts=blocks, question=question))]


def _replacement(check: SentenceCheck, chosen: Sequence[Candidate], used: set[int]) -> Candidate | None:
    """The reader's sentence for the claim a flagged sentence makes: same passage first, then most shared words."""
    claim = set(terms(_MARKER.sub(" ", check.text)))

    def rank(i: int) -> tuple[int, int]:
        cand = chosen[i]
        return (cand.passage.rank in check.citations, len(claim & cand.terms))

    free = [i for i in range(len(chosen)) if i not in used]
    if not free:
        return None
    best = max(free, key=rank)
    used.add(best)
    return chosen[best]


def ground_with_reader(
    checks: Sequence[SentenceCheck], chosen: Sequence[Candidate], strict: bool
) -> tuple[list[SentenceCheck], list[Candidate], int]:
    """Checks after replacement: a flagged sentence becomes the reader's sentence for its claim (strict) or stays
    flagged (flag); returns the checks, the candidates quoted, and how many sentences were replaced."""
    if not strict:
        return list(apply_checks(checks, strict=False).sentences), [], 0
    out: list[SentenceCheck] = []
    quoted: list[Candidate] = []
    used: set[int] = set()
    replaced = 0
    for check in checks:
        if check.supported:
            out.append(check)
            continue
        cand = _replacement(check, chosen, used)
        replaced += 1
        if cand is None:  # every reader sentence is already in the answer: the flagged one is dropped
            out.append(SentenceCheck(check.text, check.citations, False, (*check.reasons, "removed (strict)")))
            continue
        text, _ = citations_for([cand])
        note = f"replaced by the article's own sentence (quoted): the model wrote \"{_MARKER.sub('', check.text).strip()}\""
        out.append(SentenceCheck(_quoted(text), (cand.passage.rank,), True, (*check.reasons, note)))
        quoted.append(cand)
    return out, quoted, replaced


def _quoted(text: str) -> str:
    """`sentence [n]` as `“sentence” [n]`: a replaced sentence reads as the article's words, not the model's."""
    body, _, marker = text.rpartition(" [")
    # quotation marks already in the sentence become single ones inside the outer pair, never a doubled “
    body = re.sub(r'(^|[\s(\[])"', r"\1‘", body).replace('"', "’").replace("“", "‘").replace("”", "’")
    return f"“{body}” [{marker}" if body else text


def answer_stream(
    answerer: "Answerer", base: Answer, question: str, passages: list[Passage], timings: dict[str, float]
) -> Iterator["Event"]:
    """The llm-mode answer with the reader deciding, the model phrasing, and the check replacing what it cannot back."""
    from .answer import ABSTAIN_TEXT

    started = time.perf_counter()
    extraction = answerer.extractive.extract(question, passages) if passages else None
    if extraction is None or extraction.abstained:
        timings["generation"] = ms_since(started)
        reason = extraction.reason if extraction else "no passage was retrieved"
        yield Event("token", ABSTAIN_TEXT)
        return replace(base, text=ABSTAIN_TEXT, abstained=True, notice=as_sentence(reason))
    chosen = extraction.sentences
    excerpts = excerpts_for(chosen)
    messages = excerpt_messages(answerer, question, excerpts)
    strict = answerer.grounding_mode == "strict"
    raw, live = yield from answerer._stream_checked(messages, passages, question, timings, started)
    text, cited, dropped = parse_markers(raw, len(passages))
    notes = [f"Dropped citation markers for passages that were not given: {', '.join(dropped)}."] if dropped else []
    if extraction.reason:  # the reader's caveat on its answer (a name no indexed article mentions)
        notes.insert(0, as_sentence(extraction.reason))
    if answerer.grounding is None:
        checks: list[SentenceCheck] = []
        quoted: list[Candidate] = []
        replaced = 0
        if not text:
            text = citations_for(chosen)[0]
    else:
        t0 = time.perf_counter()
        made = answerer.grounding.check_answer(text, passages, question, live.context if live else None)
        if not made:  # the model wrote nothing: the reader's sentences stand, each a checked quotation
            made = [SentenceCheck("", (), False, ("the model wrote no sentence",))]
        checks, quoted, replaced = ground_with_reader(made, chosen, strict)
        timings["grounding"] = ms_since(t0)
        text = " ".join(c.text for c in checks if c.supported or not strict)
        if replaced:
            notes.append(f"{replaced} sentence(s) of the model's answer were not supported by the passages; the "
                         "article's own sentence for that claim is quoted instead.")
        flagged = sum(1 for c in checks if not c.supported and not strict)
        if flagged:
            notes.append(f"{flagged} sentence(s) are not supported by the passages they cite and are marked.")
        text, cited, _ = parse_markers(text, len(passages))
    if not text.strip():
        text, _ = citations_for(chosen)
        text, cited, _ = parse_markers(text, len(passages))
        notes.append("The model's answer held no supported sentence; this is the reader's answer.")
    by_rank = {p.rank: p for p in passages}
    citations = [llm_citation(n, by_rank[n], text) for n in sorted(cited)]
    citations = _highlight_quotes(citations, quoted)
    return replace(
        base, text=text, abstained=False, citations=tuple(citations), dropped_markers=tuple(dropped),
        notice=" ".join(notes), sentences=tuple(checks),
    )


def _highlight_quotes(citations: list[Citation], quoted: Sequence[Candidate]) -> list[Citation]:
    """A quoted sentence is highlighted exactly where it stands in its passage."""
    extra: dict[int, set[tuple[int, int]]] = {}
    for cand in quoted:
        extra.setdefault(cand.passage.rank, set()).add((cand.previous[0] if cand.previous else cand.start, cand.end))
    return [replace(c, highlights=tuple(sorted(set(c.highlights) | extra.get(c.n, set())))) for c in citations]


def excerpt_chars(excerpts: Sequence[Excerpt]) -> int:
    return sum(len(ex.text) for ex in excerpts)
