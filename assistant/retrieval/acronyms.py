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
    """The question plus the other form of every acronym or long form it uses, so both spellings match.

    Looks up the question's own spans in the glossary (and in its reverse), so the cost follows the
    question's length, not the glossary's: a large corpus defines thousands of acronyms."""
    lowered = " ".join(question.lower().replace("-", " ").split())
    additions: list[str] = []
    spans = _acronym_spans(question)
    for acronym in spans:
        long_form = glossary.get(acronym)
        if long_form and long_form.replace("-", " ") not in lowered:
            additions.append(long_form)
    by_long_form = _reverse(glossary)
    words = [re.sub(r"['’]s$", "", w) for w in lowered.split()]
    for i in range(len(words)):
        for j in range(i + 1, min(len(words), i + _LONGEST) + 1):
            phrase = " ".join(words[i:j])
            for form in (phrase, phrase[:-1] if phrase.endswith("s") else None):
                acronym = by_long_form.get(form) if form else None
                if acronym and acronym not in spans:
                    additions.append(acronym)
    if not additions:
        return question
    return f"{question} ({'; '.join(dict.fromkeys(additions))})"


_LONGEST = 12  # words in the longest long form looked for
_REVERSED: list[tuple[Mapping[str, str], dict[str, str]]] = []


def _reverse(glossary: Mapping[str, str]) -> dict[str, str]:
    """Long form (lower case, hyphens as spaces) -> acronym; built once per glossary object."""
    if _REVERSED and _REVERSED[0][0] is glossary:
        return _REVERSED[0][1]
    reverse: dict[str, str] = {}
    for acronym, long_form in glossary.items():
        reverse.setdefault(" ".join(long_form.lower().replace("-", " ").split()), acronym)
    _REVERSED[:] = [(glossary, reverse)]
    return reverse


def _acronym_spans(question: str) -> list[str]:
    """Every span of the question between word boundaries, at most two words and 30 characters long, also
    without a plural 's': the candidates an acronym such as 'SDA', 'PAC-3' or 'SDAs' can match."""
    starts = [i for i in range(len(question)) if question[i].isalnum() and (i == 0 or not question[i - 1].isalnum())]
    ends = [j for j in range(1, len(question) + 1) if question[j - 1].isalnum() and (j == len(question) or not question[j].isalnum())]
    spans: list[str] = []
    for i in starts:
        for j in ends:
            if j <= i:
                continue
            if j - i > 30 or question.count(" ", i, j) > 1:
                break
            span = question[i:j]
            spans.append(span)
            if span.endswith("s") and len(span) > 2:
                spans.append(span[:-1])
    return spans
