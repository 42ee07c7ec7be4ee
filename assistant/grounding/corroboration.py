"""How many distinct sources give a citation's figures, and which articles are copies of its story."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Callable, Sequence

from ..schema import Citation, Passage
from ..text import figures

_YEAR = re.compile(r"^(?:19|20)\d\d$")


def key_figures(text: str) -> set[str]:
    """The figures a sentence states, without years and calendar dates (which every report of an event shares)."""
    return {f for f in figures(text) if not f.startswith("date:") and not _YEAR.match(f)}


def corroborate(
    citations: Sequence[Citation],
    passages: Sequence[Passage],
    group_of: Callable[[str], str],
    duplicates_of: Callable[[str], list[str]],
    kind_of: Callable[[str], str] | None = None,
) -> tuple[Citation, ...]:
    """Each citation with `corroborated_by` (other sources, copies of its story not counted, whose passages give
    at least half of its figures) and `duplicates` (the copies of its story)."""
    out = []
    for c in citations:
        chunk = c.passage.chunk
        said = " ".join(chunk.text[s:e] for s, e in c.highlights) if c.highlights else chunk.text
        wanted = key_figures(said)
        others: set[str] = set()
        if wanted:
            need = math.ceil(len(wanted) / 2)
            for p in passages:
                other = p.chunk
                if group_of(other.article_id) == group_of(chunk.article_id) or not other.source or other.source == chunk.source:
                    continue
                if len(wanted & figures(other.text)) >= need:
                    others.add(other.source)
        kind = kind_of(chunk.source) if kind_of is not None else ""
        out.append(replace(c, corroborated_by=len(others), duplicates=tuple(duplicates_of(chunk.article_id)), source_kind=kind))
    return tuple(out)
