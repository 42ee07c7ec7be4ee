"""Near misses: the best sentence answers a neighbouring question, not the one asked.

A question that names a year, a quantity, a customer or a contract number puts a condition on its answer
("How many MV-22B is the government of India getting?", "What did Airbus get for 40 UH-72A?"). The passage
the best sentence comes from must meet it: the year is the year of the report or is named in the sentence, and
the figures, names and numbers the question gives are in that passage (its text, headline, date and section).
When one is not, the answer is a refusal that says which, instead of the nearest award's figure."""

from __future__ import annotations

import re

from .chunking import heading
from .question import MONTH_NAMES, key_names
from .schema import Chunk
from .text import figures, terms
from .timeparse import without_limits

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def unmet_condition(question: str, sentence: str, chunk: Chunk) -> str:
    """Which condition of the question the sentence's passage does not meet ('' when it meets them all)."""
    asked = without_limits(question)  # "as of early 2024" limits the reporting, not what is asked
    where = f"{heading(chunk)}\n{chunk.text}"
    passage_terms = set(terms(where))
    reported = {str(chunk.published.year)} if chunk.published else set()
    named_years = set(_YEAR.findall(sentence)) | set(_YEAR.findall(chunk.title))
    for year in dict.fromkeys(_YEAR.findall(asked)):
        if year not in reported | named_years:
            return f"the question asks about {year}, but the closest passage ({chunk.title}) does not give that year"
    given = figures(where)
    for value in sorted(_figures(asked) - given):
        return f"the question gives the figure {value}, which the closest passage ({chunk.title}) does not"
    for name in key_names(asked):
        if not (name <= passage_terms or name <= MONTH_NAMES or any(_YEAR.fullmatch(t) for t in name)):
            return f"the closest passage ({chunk.title}) does not mention {' '.join(sorted(name))}"
    return ""


def _figures(question: str) -> set[str]:
    """The question's own figures, less years (checked as years) and dates."""
    return {f for f in figures(question) if not _YEAR.fullmatch(f) and not f.startswith("date:")}
