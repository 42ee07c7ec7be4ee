"""An answer led by a published correction: the corrected value, cited to the correction, and what it replaced,
cited to the announcement it corrects.

`assistant/analyst/corrections.py` pairs a correction ("CORRECTION: ... should have stated 14 MV-22B aircraft") with the
announcement it corrects and gives both as a `Conflict` whose first value is the correction's. When the answer
cites either of the two, or the question asks for the kind of value corrected, the extractive answer opens with
"**14 MV-22B aircraft** [c] — a published correction: "..." [c] It replaces 34 MV-22B aircraft, as first
announced [o]." and keeps its
sentences after it. The language model is told the same pairs (`correction_lines`, prompts/corrections_note.md).
Nothing is invented: both values and both sentences are spans of the cited passages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Sequence

from .revisions import _DATE, _first_date, find_revisions
from ..schema import Citation, Passage

_ISO = re.compile(r"\d{4}-\d\d-\d\d")

_CORRECTION_NOTE = "correction;"  # how corrections.py marks the value a correction states


@dataclass(frozen=True)
class Correction:
    """One corrected value: what the correction says and what the announcement it corrects said."""

    about: str
    value: str
    replaced: str
    correcting: Passage
    correcting_quote: str
    original: Passage
    original_quote: str


def corrections_in(conflicts: Sequence[object], passages: Sequence[Passage]) -> list[Correction]:
    """The conflicts that are a correction against its original announcement, with their passages."""
    by_rank = {p.rank: p for p in passages}
    found = []
    for conflict in conflicts:
        values = getattr(conflict, "values", ())
        if len(values) < 2 or not values[0].note.startswith(_CORRECTION_NOTE):
            continue
        new, old = values[0], values[1]
        if new.n not in by_rank or old.n not in by_rank:
            continue
        found.append(Correction(conflict.about, new.value, old.value, by_rank[new.n], new.quote, by_rank[old.n], old.quote))
    return found


def lead_with_correction(
    question: str, text: str, citations: Sequence[Citation], corrections: Sequence[Correction], first: tuple[Passage, int, int] | None = None
) -> tuple[str, tuple[Citation, ...], Correction] | None:
    """The answer opened by the corrected value, with the correction and (when found) the announcement it replaced
    cited; None when no correction bears on it. A correction bears on the answer when it is paired with its
    original announcement and the answer cites either (or it is the only pair), or when `first` (the answer's first
    sentence: passage, start, end) belongs to a correction that states a value of the kind asked."""
    cited = {c.passage.chunk.article_id for c in citations}
    bearing = [c for c in corrections if {c.correcting.chunk.article_id, c.original.chunk.article_id} & cited]
    pick = bearing or (list(corrections) if len(corrections) == 1 else [])
    fix = _written(pick[0]) if pick else None
    if fix is None and first is not None:
        fix = _own_correction(question, *first)
    if fix is None:
        return None
    c = fix.correcting.rank
    quote = fix.correcting_quote
    said = f" \"{quote}\" [{c}]" if quote and fix.value not in text else ""  # the sentence that states the value
    if fix.original is fix.correcting:
        told = ""
    elif fix.replaced:
        told = f" It replaces {fix.replaced}, as first announced [{fix.original.rank}]."
    else:
        told = f" It corrects the announcement [{fix.original.rank}]."
    lead = f"**{fix.value}** [{c}] — a published correction.{said}{told}"
    merged = _cite(list(citations), fix.correcting, quote)
    if fix.original is not fix.correcting:
        merged = _cite(merged, fix.original, fix.original_quote)
    return f"{lead} {text}".strip(), tuple(merged), fix


def _written(fix: Correction) -> Correction | None:
    value = _as_written(fix.value, fix.correcting_quote)
    return None if value is None else replace(fix, value=value, replaced=_as_written(fix.replaced, fix.original_quote) or "")


def _own_correction(question: str, passage: Passage, start: int, end: int) -> Correction | None:
    """The correction the sentence at [start, end) of `passage` belongs to, and the value of the asked kind it
    says is right ("The actual amount was $52,355,650"; "was actually awarded on July 22, 2015")."""
    from .conflicts import asked_type

    wanted = asked_type(question)
    for revision in find_revisions(passage.chunk.text):
        if revision.kind != "correction" or not (revision.start <= start < revision.end or start <= revision.start < end):
            continue
        values = [v for kind, v in revision.corrected() if wanted is None or kind == wanted]
        value = _as_written(values[0], revision.text) if values else None
        if value:
            return Correction("", value, "", passage, revision.text, passage, "")
    return None


def correction_lines(corrections: Sequence[Correction]) -> str:
    """One line per correction for the language model: which passage corrects which, and the two values."""
    return "\n".join(
        f"- Passage [{c.correcting.rank}] corrects passage [{c.original.rank}] ({c.about}): "
        f"{c.value} replaces {c.replaced}."
        for c in corrections
    )


def _as_written(value: str, quote: str) -> str | None:
    """The value as the quote writes it: a date read as 2015-07-22 is given back as "July 22, 2015"; None for a
    date the quote does not write (an announcement's date is its release's, not a phrase of its text)."""
    if not _ISO.fullmatch(value):
        return value
    for match in _DATE.finditer(quote):
        if _first_date(match.group(0)) == date.fromisoformat(value):
            return match.group(0)
    return None


def _cite(citations: list[Citation], passage: Passage, quote: str) -> list[Citation]:
    """The citations with `quote` of `passage` highlighted (a new citation numbered by its rank when not cited)."""
    text = passage.chunk.text
    start = text.find(quote[:60]) if quote else -1
    span = _span_in(text, quote, start)
    for i, citation in enumerate(citations):
        if citation.passage.chunk.id == passage.chunk.id:
            if span and span not in citation.highlights:
                citations[i] = replace(citation, highlights=tuple(sorted({*citation.highlights, span})))
            return citations
    return sorted([*citations, Citation(passage.rank, passage, (span,) if span else ())], key=lambda c: c.n)


def _span_in(text: str, quote: str, start: int) -> tuple[int, int] | None:
    """Where the quote (whitespace folded) sits in the chunk text, reading as far as its words go."""
    if start < 0:
        return None
    words = quote.split()
    end, at = start, start
    for word in words:
        found = text.find(word, at)
        if found < 0 or found - at > 20:
            break
        end = at = found + len(word)
    return (start, end)
