"""Near misses: the best sentence answers a neighbouring question, not the one asked.

A question that names a year, a quantity, a customer or a contract number puts a condition on its answer
("How many MV-22B is the government of India getting?", "What did Airbus get for 40 UH-72A?", "... under
contract FA8626-16-2140?"). The best sentence must meet it: the year is the year of the report or is named in
the best sentence's own paragraph (fiscal years too), not in a neighbouring paragraph of the same passage (a day's
release holds dozens of awards, each with its own dates); a figure the question gives is in the article's
retrieved text; a customer ("for Japan", "the government of India") and a contract number are in the passage
itself (its text, headline, date and section: a story names its customer anywhere in it). When one is not, the
answer is a refusal that says which."""

from __future__ import annotations

import re

from .answerable import fiscal_years
from ..ingest.chunking import heading
from ..schema import Chunk
from ..text import figures, terms
from ..question.timeparse import without_limits

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# "for Japan", "to the government of India", "for the governments of Norway": who an award is for
_CUSTOMER = re.compile(r"\b(?:(?:for|to) (?:the )?(?:governments? of )?|governments? of )(?P<name>[A-Z][a-z]{2,}(?: [A-Z][a-z]{2,})?)\b")
# contract and order numbers: "FA8626-16-2140", "W58RGZ-14-C-0008", "HT0011-16-C-0027"
_CONTRACT = re.compile(r"\b[A-Z][A-Z0-9]{3,}-\d{2}-[A-Z0-9]{1,5}(?:-[A-Z0-9]{1,5})?\b")


def paragraph_of(text: str, start: int, end: int) -> str:
    """The paragraph of `text` (blank-line separated) that holds the span start..end."""
    first = text.rfind("\n\n", 0, start)
    last = text.find("\n\n", end)
    return text[0 if first < 0 else first : len(text) if last < 0 else last]


def own_paragraph(chunk: Chunk, start: int, end: int) -> str:
    """The paragraph of the chunk that holds start..end, under its article's headline and section: what an award of
    a release, or a section of a story, says of itself."""
    return f"{heading(chunk)}\n{paragraph_of(chunk.text, start, end)}"


def unmet_condition(question: str, chunk: Chunk, article_text: str, span: tuple[int, int] | None = None) -> str:
    """Which condition of the question the best sentence (at `span` of the chunk text; the whole chunk when None)
    does not meet ('' when it meets them all)."""
    asked = without_limits(question)  # "as of early 2024" limits the reporting, not what is asked
    passage = f"{heading(chunk)}\n{chunk.text}"
    paragraph = passage if span is None else own_paragraph(chunk, *span)
    years = set(_YEAR.findall(asked)) | fiscal_years(asked)
    given_years = set(_YEAR.findall(paragraph)) | fiscal_years(paragraph)
    given_years |= {str(chunk.published.year)} if chunk.published else set()
    for year in sorted(years - given_years):
        return f"the question asks about {year}, but the closest paragraph ({chunk.title}) does not give that year"
    own = {f for f in figures(asked) if not _YEAR.fullmatch(f) and not f.startswith("date:")}
    for value in sorted(own - figures(article_text)):
        return f"the question gives the figure {value}, which the closest article ({chunk.title}) does not"
    for code in _CONTRACT.findall(question):
        if code.lower() not in passage.lower():
            return f"the closest passage ({chunk.title}) does not name contract {code}"
    passage_terms = set(terms(passage))
    for match in _CUSTOMER.finditer(asked):
        name = match.group("name")
        if not set(terms(name)) <= passage_terms:
            return f"the closest passage ({chunk.title}) does not name {name}"
    return ""
