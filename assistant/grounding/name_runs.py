"""Names of several words that a claim assembles from different names of its passage ("USS Carl Roosevelt" from
"USS Carl Vinson" and "USS Theodore Roosevelt"): every word is in the passage, so a word-by-word check passes, but
the passage never names that ship, person or company."""

from __future__ import annotations

import re
from typing import Callable, Sequence

from .evidence import PassageEvidence, _is_name
from ..text import normalise

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
    """Names of two or more words, each word in the cited passages, that are a passage name with one word swapped
    for a word from elsewhere ("USS Carl Roosevelt" beside "USS Carl Vinson"; "Rear Adm. Theodore Wosje" beside
    "Rear Adm. Michael Wosje"). A name that only adds words to a passage name ("Long Range Reconnaissance UAS") or
    runs across punctuation there ("Defense Fuel Supply Point, Manchester") is not one."""
    passage_runs = [run for ev in cited for run in name_runs(ev.raw, sentence_starts=False)]
    known = {word for run in passage_runs for word in run}
    out = []
    for run in name_runs(claim, common):
        if len(run) < 2 or not set(run) <= known:  # one word, or a word missing outright (reported as such)
            continue
        if any(set(run) <= set(names) for names in passage_runs) or any(_phrase(" ".join(run), ev.norm) for ev in cited):
            continue
        # only proper names trade places: not an acronym ("UAS" for "Systems") nor a word the passages also write
        # in lower case
        def proper(word: str) -> bool:
            return word not in common and re.search(rf"\b{re.escape(word.upper())}\b", claim) is None

        if any(_swapped(run, names, proper) for names in passage_runs):
            out.append(" ".join(run))
    return tuple(out)


def _swapped(run: list[str], names: list[str], proper: Callable[[str], bool]) -> bool:
    """Same length, and the same words but one (at most a third of a longer name) in the same places, where the
    words that differ are proper names."""
    if len(run) != len(names) or run == names:
        return False
    pairs = [(a, b) for a, b in zip(run, names) if a != b]
    return len(pairs) <= max(1, len(run) // 3) and len(pairs) < len(run) and all(proper(a) and proper(b) for a, b in pairs)


def _phrase(phrase: str, norm: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", norm) is not None
