"""Lists of awards: the daily contract releases, where every paragraph is one award.

Such a paragraph opens with its contractor, town and state and what was awarded ("Lockheed Martin Missiles and Fire
Control, Orlando, Florida, has been awarded ..."); the sentences after that lead give the award's amounts, place,
dates, customers and funding without naming it again. An article with three or more such paragraphs among its
retrieved text is a list of awards: a sentence there answers only for its own paragraph's award.

This module finds those paragraphs and their contractors, and tells which of an award's amounts a question asks
for (`facet`): the face value a lead gives, the amount obligated at award, the value if every option is exercised,
or the guaranteed minimum, which the releases state in sentences of their own."""

from __future__ import annotations

import re
from typing import Iterable

from ..schema import Chunk
from ..text import terms

AWARD_LEAD = re.compile(
    # "Assurance Technology Corp.,* Carlisle, Massachusetts": the asterisk marks a small business
    r"^(?P<who>[A-Z][^,*\n]{1,100})\*?,\*? [A-Z][^\n]{0,400}?\b(?:has been|have been|was|were|is being|are being|is|are) awarded\b", re.M
)
CORPORATE = {"corp", "co", "inc", "llc", "ltd", "company", "corporation", "incorporated", "lp", "llp", "jv", "the"}  # not a name
AWARD_LIST = 3  # award paragraphs in an article's retrieved text that make it a list of awards

# The amounts of one award that a question may ask for, each with how a question asks for it and how a release
# states it: "How much was obligated / committed / put on contract up front?" is answered by "Fiscal 2015 ... funds
# in the amount of $15,000,000 are being obligated at the time of award", not by the award's face value.
FACETS: dict[str, tuple[re.Pattern[str], re.Pattern[str], str]] = {
    "obligated": (
        re.compile(r"\bobligat\w*|\bup front\b|\bcommit(?:s|ted)?\b|\bunobligated\b", re.I),
        re.compile(r"\bobligat\w*", re.I),
        "an amount obligated",
    ),
    "options": (
        re.compile(
            r"\b(?:exercises?|exercised) (?:all|every)\b|\b(?:all|every) (?:of )?(?:its |the |their )?options?\b|\bif (?:all )?(?:the )?options\b"
            r"|\bif (?:its |the |their |that |this )?(?:\w+ )?options? (?:is|are|were|was|gets?|get) (?:all )?exercised\b",
            re.I,
        ),
        re.compile(
            r"\bif exercised\b|\bcumulative\b|\b(?:including|with)\b[^.]{0,80}\boptions?\b"
            r"|\boptions?\b[^.]{0,60}\bwould (?:bring|increase|raise)\b",
            re.I,
        ),
        "a value with every option exercised",
    ),
    "minimum": (
        re.compile(r"\b(?:guaranteed )?minimum\b|\bguaranteed\b", re.I),
        re.compile(r"\bminimum\b|\bguarantee\w*", re.I),
        "a guaranteed minimum",
    ),
}


# What else of one award a question may ask for, and the sentence of the award paragraph that states it: "Where will
# the work be done?" is answered by "Work will be performed in Kyiv, Ukraine ...", not by the contractor's own town in
# the lead; "Which office handled the award?" by "... is the contracting activity".
FIELDS: dict[str, tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]] = {
    "performed": (
        re.compile(r"(?:^|[.?!]\s+)\W*(?:where|in (?:which|what) (?:places?|locations?|cities|states?|countries))\b|\b(?:which|what) (?:places?|locations?|cities|sites?)\b", re.I),
        re.compile(r"\bperformed\b|\bperformance\b", re.I),
        re.compile(r"\b(?:based|headquartered|headquarters|located|home)\b", re.I),  # the contractor's own town: the lead's
    ),
    "contracting": (
        re.compile(r"\bcontracting (?:activity|office|command|agency|squadron|division|center|organi[sz]ation)\b|\b(?:which|what) (?:[\w-]+ ){0,2}(?:office|command|organi[sz]ation|agency|activity|squadron|center) (?:awarded|handled|issued|managed|is|was)\b", re.I),
        re.compile(r"\bcontracting (?:activity|activities|agency|office)\b", re.I),
        re.compile(r"(?!)"),
    ),
    # "whose money is paying for it?": the funds a release says are obligated or will be ("Fiscal 2018 Federal
    # Emergency Management Agency funds in the amount of ...")
    "funding": (
        re.compile(r"\bwhose (?:money|funds|funding)\b|\b(?:what|which) (?:kind of |type of )?(?:money|funds|funding)\b|\bfunded (?:by|with|from)\b|\bfunding (?:source|comes?)\b", re.I),
        re.compile(r"\b(?:fiscal|FY) ?\d{2,4}\b[^.;]{0,120}\b(?:funds|funding)\b", re.I),  # an appropriation, not "no funds"
        re.compile(r"\bhow much\b|\bamount\b", re.I),  # an amount of funds is an award's amount (FACETS)
    ),
    # "On what date was it actually awarded?": a release lists some awards days after they were signed and says so,
    # "(Awarded Dec. 27, 2018)" or "the contract was awarded on May 13, 2016"; not the date the work ends, nor the
    # day of the release that announced it
    "awarded": (
        re.compile(r"\b(?:when|(?:what|which) (?:date|day))\b[^?]{0,200}?\b(?:awarded|signed)\b", re.I),
        re.compile(r"\b[Aa]warded (?:on )?(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4})"),
        re.compile(r"\b(?:when|(?:what|which) (?:date|day))\b[^?]*\b(?:complet\w*|finish\w*|ends?|expires?|deliver\w*)\b", re.I),
    ),
}


def fields(question: str) -> list[str]:
    """Which of an award's particular details (other than its amounts) the question asks for."""
    return [name for name, (asked, _, unless) in FIELDS.items() if asked.search(question) and not unless.search(question)]


def states_field(field: str, sentence: str) -> bool:
    """Does the sentence state this detail of an award?"""
    return FIELDS[field][1].search(sentence) is not None


def award_counts(chunks: Iterable[Chunk]) -> dict[str, int]:
    """Award paragraphs in each article's retrieved text (each chunk counted once)."""
    counts: dict[str, int] = {}
    for chunk in {c.id: c for c in chunks}.values():
        counts[chunk.article_id] = counts.get(chunk.article_id, 0) + len(AWARD_LEAD.findall(chunk.text))
    return counts


def awardees(chunks: Iterable[Chunk]) -> list[list[str]]:
    """The contractors that open award paragraphs of these chunks, each as its terms in order."""
    found = {m.group("who") for c in {c.id: c for c in chunks}.values() for m in AWARD_LEAD.finditer(c.text)}
    return [terms(who) for who in sorted(found) if terms(who)]


def opens_award(paragraph: str) -> bool:
    """Does the paragraph open as an award does ("AAI Corp., Hunt Valley, Maryland, was awarded ...")?"""
    return AWARD_LEAD.match(paragraph.strip()) is not None


def facets(question: str) -> list[str]:
    """Which of an award's particular amounts the question asks for ([] for its value as announced)."""
    return [name for name, (asked, _, _) in FACETS.items() if asked.search(question)]


def states(facet: str, sentence: str) -> bool:
    """Does the sentence state this amount of an award?"""
    return FACETS[facet][1].search(sentence) is not None
