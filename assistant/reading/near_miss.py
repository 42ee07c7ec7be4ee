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

import calendar
import re
from datetime import date, timedelta

from .answerable import FISCAL_YEAR, KINDS, fiscal_years
from .compute import asked_operation
from .awards import AWARD_LEAD, CORPORATE
from ..ingest.chunking import heading
from ..schema import Chunk
from ..text import figures, number_compounds, terms
from ..question.analysis import CONTRACT_NUMBER, answer_type
from ..question.names import MONTH_NAMES, MONTH_TERMS, countries_in, country_code, demonym_country, foreign_countries, key_names
from ..question.timeparse import DEADLINE, months_named, without_limits

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# An award's sentence of where its work is done: the countries it names are places, not customers.
_WORKPLACE = re.compile(r"[^.]*\b(?:will be|is being|are being|to be) (?:performed|done|conducted)\b[^.]*(?:\.|$)", re.I)
# "for Japan", "to the government of India", "for the governments of Norway": who an award is for
_CUSTOMER = re.compile(r"\b(?:(?:for|to) (?:the )?(?:governments? of )?|governments? of )(?P<name>[A-Z][a-z]{2,}(?: [A-Z][a-z]{2,})?)\b(?!['’])")


def paragraph_of(text: str, start: int, end: int) -> str:
    """The paragraph of `text` (blank-line separated) that holds the span start..end."""
    first = text.rfind("\n\n", 0, start)
    last = text.find("\n\n", end)
    return text[0 if first < 0 else first : len(text) if last < 0 else last]


def own_paragraph(chunk: Chunk, start: int, end: int) -> str:
    """The paragraph of the chunk that holds start..end, under its article's headline and section: what an award of
    a release, or a section of a story, says of itself."""
    return f"{heading(chunk)}\n{paragraph_of(chunk.text, start, end)}"


def unmet_condition(
    question: str,
    chunk: Chunk,
    article_text: str,
    span: tuple[int, int] | None = None,
    award_list: bool = False,
    contractors: list[list[str]] | None = None,
) -> str:
    """Which condition of the question the best sentence (at `span` of the chunk text; the whole chunk when None)
    does not meet ('' when it meets them all). In a list of awards (`award_list`) the conditions hold for the
    sentence's own award paragraph: the countries and the contractor (one of `contractors`, the retrieved
    paragraphs' own) the question names must be that award's, and a single customer's share must be its own. These
    conditions apply only when `contractors` is given (Settings.award_conditions)."""
    asked = without_limits(question)  # "as of early 2024" limits the reporting, not what is asked
    passage = f"{heading(chunk)}\n{chunk.text}"
    paragraph = passage if span is None else own_paragraph(chunk, *span)
    years = set(_YEAR.findall(asked)) | fiscal_years(asked)
    given_years = set(_YEAR.findall(paragraph)) | fiscal_years(paragraph)
    given_years |= {str(chunk.published.year)} if chunk.published else set()
    # a sum or comparison of two awards told apart by their years ("an award in October 2014 and a modification in
    # February 2015: how much larger ...?") takes each from a paragraph of its own: one of the years must be this one's
    across = len(years) >= 2 and asked_operation(asked) in ("sum", "difference", "larger", "first")
    missing = (set() if years & given_years else years) if across else years - given_years
    if award_list and contractors is not None and not across:
        # an award is of its release's year, or of one its paragraph names: the fiscal year of the funds it obligates
        # ("Fiscal 2016 funds ... are being obligated" in a 2017 release) does not date it "in 2016"
        plain = set(_YEAR.findall(FISCAL_YEAR.sub(" ", asked)))
        dated = set(_YEAR.findall(FISCAL_YEAR.sub(" ", paragraph))) | ({str(chunk.published.year)} if chunk.published else set())
        missing |= plain - dated
    for year in sorted(missing):
        return f"the question asks about {year}, but the closest paragraph ({chunk.title}) does not give that year"
    own = {f for f in figures(asked) if not _YEAR.fullmatch(f) and not f.startswith("date:")}
    given = figures(article_text) | number_compounds(article_text)  # "three hundred helmets" gives the question's 300
    for value in sorted(v for v in own - given if not any(rounds_to(g, v) for g in given)):
        return f"the question gives the figure {value}, which the closest article ({chunk.title}) does not"
    for code in CONTRACT_NUMBER.findall(question):  # "FA8626-16-2140", "W58RGZ-14-C-0008"
        if code.lower() not in passage.lower():
            return f"the closest passage ({chunk.title}) does not name contract {code}"
    strict = contractors is not None  # the conditions of one award (see `unmet_condition`), asked for by the caller
    where = paragraph if award_list and strict else passage
    where_terms = set(terms(where))
    for match in _CUSTOMER.finditer(asked):
        name = match.group("name")
        if name.split()[0].lower() in MONTH_NAMES:
            continue  # "for the December 2014 job": a date, not a customer
        country = demonym_country(name)
        if not set(terms(name)) <= where_terms and not (country and _named(country, where)):
            # "for the Japanese AWACS" is met by an award for Japan
            return f"the closest {'award' if where is paragraph else 'passage'} ({chunk.title}) does not name {name}"
        if strict and award_list and countries_in(name) and not _named(name, _WORKPLACE.sub(" ", where)):
            # "Quebec, Canada (16 percent)" is where the work is done: the award is not bought for Canada
            return f"the closest award ({chunk.title}) names {name} only as a place of work, not as a customer"
    if not strict:
        return ""
    for country in countries_in(asked):
        if _named(country, where) is False:
            return f"the closest {'award' if award_list else 'passage'} ({chunk.title}) does not name {country}"
    if not award_list:
        return ""
    month = "" if asked_operation(asked) else unmet_month(asked, paragraph, chunk)
    if month:
        return month
    named = _contractor_names(asked, contractors)
    lead = AWARD_LEAD.search(paragraph)
    awardee = set(terms(lead.group("who"))) if lead else set()
    if named and all(any(_spelled_alike(t, w) for w in awardee) for t in named[0]):
        # the first contractor a question names is the one it asks about ("How much did Dutra Group receive ... under
        # the Corps of Engineers' award?"); one named after it is a partner, a supplier or an agency. When the first is
        # another's ("How much did Birch Marine receive to supply Aldine Radar spares?"), every one must be this award's
        named = named[:1]
    for name in named:
        if not all(any(_spelled_alike(t, w) for w in where_terms) for t in name):
            return f"the closest award ({chunk.title}) is not to {_as_written(asked, name)}"
    return _unshared(asked, paragraph, chunk.title)


_LATE_RELEASE = 10  # days after a month's end that a release may still announce its awards (weekends, a month's last day)


def unmet_month(question: str, paragraph: str, chunk: Chunk) -> str:
    """A month the question dates the award by ("in January 2016") that its release does not meet: a day's release
    announces that day's awards, so it is dated in that month (or within `_LATE_RELEASE` days after it), unless
    its paragraph names the month itself ("announced on Feb. 1, 2016"). Only for a question about one award: one
    that adds up or compares awards may date only one of them. '' when met, or when the release is undated."""
    if chunk.published is None:
        return ""
    months = months_named(DEADLINE.sub(" ", question))  # "by March 2016" is a deadline, not the award's month
    if len(months) != 1:
        return ""
    (year, month), = months
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1]) + timedelta(days=_LATE_RELEASE)
    if (year, month) in months_named(paragraph) or first <= chunk.published <= last:
        return ""
    return f"the question asks about {first:%B %Y}, but the closest award ({chunk.title}) is of another month"


_NOT_DISTINCTIVE = {"republic", "united", "south", "north", "new", "of", "the", "and", "kingdom", "states", "democratic", "people"}


def rounds_to(figure: str, rounded: str) -> bool:
    """Is the article's figure the question's, rounded as the question writes it ("$202 million" for
    $202,185,977)? Only for figures of a thousand or more: a count the question gives must be exact."""
    try:
        value, target = float(figure), float(rounded)
    except ValueError:
        return False
    if target < 1000 or target != int(target):
        return False
    digits = str(int(target))
    unit = 10 ** (len(digits) - len(digits.rstrip("0")))
    return unit > 1 and round(value / unit) * unit == target


def _named(country: str, text: str) -> bool | None:
    """Does a text name this country, however written ('UK' by 'United Kingdom'), or by a distinctive word of its
    name ('Saudi' for 'Saudi Arabia', as in 'Royal Saudi Land Forces')? None for the United States, which every
    award serves."""
    code = country_code(country)
    if code == "US":
        return None
    if any(country_code(other) == code for other in countries_in(text)):
        return True
    words = set(terms(country)) - _NOT_DISTINCTIVE
    return bool(words & set(terms(text))) if words else None


def _contractor_names(question: str, contractors: list[list[str]]) -> list[set[str]]:
    """The question's names that are (part of) a retrieved award's contractor, from its first distinctive word on:
    'AAI Corp.' of 'AAI Corp., Hunt Valley, Maryland, was awarded ...', 'Birch Marine' of 'Birch Marine Inc.', but not
    'Engineers' (of 'the Army Corps of Engineers') for 'Delta Engineers Inc.': a word inside another firm's name is
    no contractor's name."""
    found = []
    for name in key_names(question):
        plain = name - CORPORATE
        if not plain or any(ch.isdigit() for t in plain for ch in t) or plain <= MONTH_TERMS:
            continue
        for who in contractors:
            own = [t for t in who if t not in CORPORATE]
            if own and own[0] in plain and plain <= set(who):
                found.append(plain)
                break
    return found


def _as_written(question: str, name: set[str]) -> str:
    """A name as the question writes it ("Ridgeview Builders"), from the terms it was matched by."""
    words = [w.removesuffix("'s").removesuffix("’s") for w in re.findall(r"[\w&.'’-]+", question)]
    kept = [w for w in words if set(terms(w)) and set(terms(w)) <= name]
    return " ".join(dict.fromkeys(kept)) or " ".join(sorted(name))


def _spelled_alike(a: str, b: str) -> bool:
    """The same word, or one letter apart in a word of five or more ("Ernest & Young" for "Ernst & Young")."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


_BUYERS = re.compile(r"\bforeign military sales?\b|\bFMS\b|\bgovernments?\b|\bcustomers?\b|\bpartners?\b", re.I)


def _unshared(question: str, paragraph: str, title: str) -> str:
    """A question asking how much or how many for one customer of an award that serves several ("How much of the
    contract is Taiwan paying?" of a sale to ten countries) needs the paragraph to give that customer's own share: a
    value of the kind asked next to the customer's name, with no bracket between. '' when it does, when the award
    serves one customer only (the countries named with the customer, in its sentence about sales to governments),
    or when the question names several of them (it asks about the award as a whole)."""
    kind = answer_type(question)
    if kind not in ("money", "count"):
        return ""
    asked = foreign_countries(question)
    if len(asked) != 1:
        return ""
    for sentence in re.split(r"(?<=[.;])\s+", paragraph):
        if not _BUYERS.search(sentence):
            continue  # "at Joint Region Marianas, Guam": a place of work, not a customer
        listed = [c for c in countries_in(sentence) if country_code(c) != "US"]
        customers = {country_code(c) for c in listed}
        if len(customers) < 2 or not asked & customers:
            continue
        if not any(beside(paragraph, place, kind) for place in listed if country_code(place) in asked):
            country = next(c for c in listed if country_code(c) in asked)
            return f"the closest award ({title}) names {country} among {len(customers)} customers but gives no {KINDS[kind].split(' ', 1)[1]} for {country} alone"
    return ""


def beside(paragraph: str, country: str, kind: str, reach: int = 80) -> bool:
    """Is a value of this kind written next to the country: within `reach` characters of the same sentence, with no
    bracket between ("funds to Pakistan in the amount of $5,000,000", "110 for ... Qatar"), or in a bracket that
    follows it ("Pakistan ($5,000,000)")?"""
    value = _AMOUNT if kind == "money" else _COUNT
    for match in re.finditer(re.escape(country), paragraph):
        before = re.split(r"[()]|\.\s", paragraph[max(0, match.start() - reach) : match.start()])[-1]
        after = re.split(r"[()]|\.\s", re.sub(r"^\s*\(", " ", paragraph[match.end() : match.end() + reach]))[0]
        if value.search(before) or value.search(after):
            return True
    return False


_AMOUNT = re.compile(r"[$€£]\s?\d")
_COUNT = re.compile(r"(?<![$€£\w.,-])(?!(?:19|20)\d\d\b)\d[\d,]*(?![\w.,-]*\d)(?!\s?(?:million|billion|percent|%))")
