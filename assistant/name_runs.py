"""Names of several words that a claim assembles from different names of its passage ("USS Carl Roosevelt" from
"USS Carl Vinson" and "USS Theodore Roosevelt"): every word is in the passage, so a word-by-word check passes, but
the passage never names that ship, person or company."""

from __future__ import annotations

import re
from typing import Sequence

from .evidence import PassageEvidence, _is_name
from .text import normalise

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9&]*(?:[-.][A-Za-z0-9&]+)*\.?|[^\sA-Za-z0-9]")


def _key(word: str) -> str:
    word = word.rstrip(".")
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            word = word[: -len(suffix)]
    return normalise(word)


def name_runs(text: str, common: frozenset[str] = frozenset(), sentence_starts: bool = True) -> list[list[str]]:
    """Runs of consecutive name words (capitalised words, acronyms, designations), punctuation ending a run."""
    runs: list[list[str]] = []
    current: list[str] = []
    first = True
    for match in _TOKEN.finditer(text):
        token = match.group()
        if not token[0].isalnum():
            if current:
                runs.append(current)
            current = []
            first = token in ".!?:\n" or first
            continue
        if _is_name(token.rstrip("."), first and sentence_starts, common):
            current.append(_key(token))
        else:
            if current:
                runs.append(current)
            current = []
        first = token.endswith(".") and len(token) > 3  # "said." ends a sentence; "U.S." does not
    if current:
        runs.append(current)
    return [r for r in runs if r]


def mixed_names(claim: str, cited: Sequence[PassageEvidence], common: frozenset[str]) -> tuple[str, ...]:
    """Names of two or more words whose words all occur in the cited passages, but never within one name there."""
    passage_runs = [set(run) for ev in cited for run in name_runs(ev.raw, sentence_starts=False)]
    known = set().union(*passage_runs) if passage_runs else set()
    out = []
    for run in name_runs(claim, common):
        if len(run) < 2 or not set(run) <= known:  # one word, or a word missing outright (reported as such)
            continue
        if any(set(run) <= names for names in passage_runs):
            continue
        if any(_phrase(" ".join(run), ev.norm) for ev in cited):
            continue
        out.append(" ".join(run))
    return tuple(out)


def _phrase(phrase: str, norm: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", norm) is not None
