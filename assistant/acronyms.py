"""Acronyms learned from the corpus ("Space Development Agency (SDA)") and query expansion with them."""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Mapping

_MINOR = frozenset("of and the for to in on a an at by with de".split())
# "Long Form Words (ACR)" and "Long Form Words, or ACR," (DVIDS house style); ACR may hold digits and one space.
_PAREN = re.compile(r"\(\s*([A-Z][A-Za-z0-9/&-]*[A-Z0-9](?: [A-Z][A-Z0-9-]+)?)s?\s*\)")
_OR = re.compile(r",? or (?:the )?([A-Z][A-Za-z0-9/&-]*[A-Z0-9](?: [A-Z][A-Z0-9-]+)?)s?(?=[,.;:)]| [a-z])")
# Hyphenated words count once ("Air-launched") or part by part ("Long-Range"): both are tried.
_WORDS = (re.compile(r"[A-Za-z0-9][A-Za-z0-9'’]*"), re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*"))


def _letters(acronym: str) -> str:
    return "".join(ch for ch in acronym.lower() if ch.isalpha())


def _is_acronym(candidate: str) -> bool:
    upper = sum(1 for ch in candidate if ch.isupper())
    return 2 <= len(_letters(candidate)) <= 10 and upper >= 2 and upper >= len(_letters(candidate)) - 1


def _long_form(before: str, acronym: str) -> str | None:
    """The shortest run of words ending `before` whose initials spell the acronym's letters."""
    letters = _letters(acronym)
    for word_pattern in _WORDS:
        words = list(word_pattern.finditer(before))[-(len(letters) * 2 + 2):]
        for start in range(len(words) - 1, -1, -1):
            run = words[start:]
            initials = "".join(w.group()[0].lower() for w in run if w.group().lower() not in _MINOR and w.group()[0].isalpha())
            if initials == letters and run[0].group()[0].isupper():
                return before[run[0].start():].strip(" ,;:-")
            if len(initials) > len(letters):
                break
    return None


def find_definitions(text: str) -> list[tuple[str, str]]:
    """(acronym, long form) pairs defined in `text`."""
    found: list[tuple[str, str]] = []
    for pattern in (_PAREN, _OR):
        for match in pattern.finditer(text):
            acronym = match.group(1).strip()
            if not _is_acronym(acronym):
                continue
            long_form = _long_form(text[max(0, match.start() - 200) : match.start()], acronym)
            if long_form and len(long_form) > len(acronym) + 3:
                found.append((acronym, " ".join(long_form.split())))
    return found


def merge_definitions(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The most frequent long form for each acronym (ties: the first seen)."""
    counts: dict[str, Counter[str]] = {}
    for acronym, long_form in pairs:
        counts.setdefault(acronym, Counter())[long_form.lower()] += 1
    return {acronym: forms.most_common(1)[0][0] for acronym, forms in counts.items()}


def expand_query(question: str, glossary: Mapping[str, str]) -> str:
    """The question plus the other form of every acronym or long form it uses, so both spellings match."""
    lowered = " ".join(question.lower().replace("-", " ").split())
    additions: list[str] = []
    for acronym, long_form in glossary.items():
        if re.search(rf"(?<![A-Za-z0-9]){re.escape(acronym)}s?(?![A-Za-z0-9])", question):
            if long_form.replace("-", " ") not in lowered:
                additions.append(long_form)
        elif long_form.replace("-", " ") in lowered:
            additions.append(acronym)
    if not additions:
        return question
    return f"{question} ({'; '.join(dict.fromkeys(additions))})"
