"""Scoring candidate sentences against a question (or one part of it): similarity and coverage, less the
penalties for another year, month, figure, sibling or series than the one asked."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from .answerable import (
    CODE,
    abbreviated,
    fiscal_years,
    initialled,
    initials,
    name_coverage,
    predicate,
    share_said,
    written_out,
)
from ..question.analysis import (
    DAY,
    PLANNED,
    RECENT,
    answer_type,
    counted_terms,
    focus_term,
    has_type,
    months,
    superseded,
)
from ..question.names import (
    MONTH_TERMS,
    acronyms_of,
    designations,
    key_names,
    key_terms,
    other_designation,
    other_sibling,
    sibling_heads,
)
from ..text import figures, normalise, terms
from ..question.timeparse import parse_time, without_leading_limit, without_limits
from .candidates import Candidate, Mark
from .awards import AWARD_LIST, award_counts, opens_award
from .near_miss import own_paragraph, paragraph_of, unmet_month

# What a sentence of an award's paragraph loses, in ranking only, when its release is of another month than the one the
# question dates the award by and its paragraph does not name that month (near_miss.unmet_month): a day's release
# announces that day's awards, and the contractor's award of another month is a look-alike of the one asked.
OTHER_MONTH = 0.1

SCHEDULED = re.compile(
    r"\b(?:will|would|expect\w*|schedul\w*|plan\w*|project\w*|estimat\w*|due|target\w*|aim\w*|slated|set to|intend\w*|forecast\w*"
    r"|on track|goal|deadline|(?:push|hop|want|seek|strive|aim)\w* to)\b",
    re.I,
)

ASKS_DAY = re.compile(r"\b(?:what|which) (?:exact )?(?:date|day)\b", re.I)  # not "what dates", "what month"
UNTYPED = 0.2  # what a sentence loses for not giving the kind of value asked
# What a sentence of a list of awards loses, in ranking only, for each share of the question's names that its
# article gives and its own paragraph (with the headline) does not: a day's release holds dozens of awards, and the
# completion date of the next award is not the one asked. (A news story names its subject once, at the top: its
# paragraphs are not scored so.)
OTHER_PARAGRAPH = 0.1


def score_sentences(
    part: str,
    question: str,
    part_vector: Any,
    candidates: list[Candidate],
    cand_vectors: Any,
    context: tuple[dict[str, set[str]], dict[str, set[str]], dict[str, Any], dict[str, str]],
    keep: bool = False,
    bridge: list[set[str]] = (),  # type: ignore[assignment]
) -> list[Mark]:
    """Score every sentence for `part` of `question` (the whole question, or one thing it asks)."""
    article_terms, article_figures, article_dates, article_texts = context
    wanted = answer_type(part) or (answer_type(question) if part == question else None)
    q_terms = {t for t in terms(part) if len(t) > 1 or not t.isalpha()}  # not the "e" of "RDT&E"
    # Each part is judged by its own names, figures and dates: "in April 2024 or in October 2024" asks two
    # things, and the premise of "The order demanded X; what did CBO estimate ...?" is about another article.
    # A part that names nothing ("and at what cost?") is about what the rest of the question names.
    named = part if _names_something(part) else question
    keys = key_names(without_leading_limit(named))  # "Before the March 2026 launch ..., on what date": not about it
    acronyms = acronyms_of(named)
    shortened = initials(part)  # "Reagan Test Site", which a sentence may write "RTS"
    q_figures = {f for f in figures(part) if not f.startswith("pct:")}
    codes = {t for t in terms(named) if CODE.fullmatch(t)}
    fiscal = fiscal_years(part)  # "PAC-3", "NROL-146": the most specific names
    subject = without_limits(part)  # "as of early 2024" limits the reporting, not the answer's year
    until = parse_time(part, date.today()).until if subject != part else None
    q_years = {f for f in figures(subject) if re.fullmatch(r"(19|20)\d\d", f)}
    counted = counted_terms(part) if wanted == "count" else set()
    focus = focus_term(part)
    recency = RECENT.search(normalise(question)) is not None
    q_months = months(subject)
    newest = max((d for d in article_dates.values() if d), default=None)
    asked_series = designations(part) or designations(question)
    siblings = sibling_heads(named)
    day_asked = wanted == "date" and ASKS_DAY.search(part) is not None
    planned = PLANNED.search(normalise(part)) is not None  # a plan or forecast, not the event a lead reports
    sims = cand_vectors @ part_vector
    asked = predicate(part)
    marks = []
    paragraph_cover: dict[tuple[str, str], float] = {}
    other_month: dict[tuple[str, int], bool] = {}
    award_lists = award_counts(c.passage.chunk for c in candidates)  # award paragraphs of each article's retrieved text
    for cand, sim in zip(candidates, sims):
        article = cand.passage.chunk.article_id
        bonus = 0.0
        typed = wanted is None or has_type(wanted, cand.text, question)
        if typed and wanted == "date" and planned and not SCHEDULED.search(cand.shown or cand.text):
            typed = False  # "when is it scheduled to launch": the sentence must give a plan's date, not a contract's
        if typed and day_asked and not DAY.search(cand.text):
            typed = False  # "on what date": a day, not a month or a year ("since 2020")
        spelled = written_out(acronyms, cand.shown or cand.text) if acronyms else set()
        spelled |= abbreviated(shortened, cand.shown or cand.text)
        coverage = _coverage(q_terms, cand.terms | spelled, cand.context, article_terms[article])
        key_coverage = name_coverage(keys, acronyms, article_terms[article], article_texts[article])
        score = 0.5 * float(sim) + 0.5 * coverage
        kind_only = not typed
        if not typed:
            score -= UNTYPED
        elif counted and counted <= cand.terms:
            score += 0.08
        if focus and focus not in cand.terms | cand.context:
            score -= 0.15
        if any(not initialled(c.split("-")[0], article_texts[article]) for c in codes - article_terms[article]):
            score -= 0.3  # the question names a designation this article never mentions: it is about another thing
        if fiscal - article_figures[article]:
            score -= 0.3  # "FY2027" where the article never names 2027: about another budget
        named_fiscal = fiscal_years(cand.text)
        if fiscal and named_fiscal and not fiscal & (named_fiscal | fiscal_years(cand.passage.chunk.title)):
            score -= 0.4  # a sentence about the fiscal 2025 request does not answer for fiscal 2024
            typed = kind_only = False
        missing = q_figures - article_figures[article]
        if missing:  # the question names a figure this article never mentions
            score -= 0.3 if any(not re.fullmatch(r"(19|20)\d\d", f) for f in missing) else 0.1
        sentence_years = {f for f in figures(cand.text) if re.fullmatch(r"(19|20)\d\d", f)}
        # "81% above the 2020 baseline" in a story from the year asked is still about that year
        published = {str(article_dates[article].year)} if article_dates[article] else set()
        if q_years and sentence_years and not q_years & (sentence_years | published):
            score -= 0.4  # about another year than the one asked: not an answer
            typed = kind_only = False
        sentence_months = months(cand.text)
        if q_months and sentence_months and not q_months & sentence_months:
            score -= 0.25  # about another month than the one asked
        if until and article_dates[article] and article_dates[article] > until:
            score -= 0.15  # "as of early 2024": a report from 2025 tells what came later
        if recency and newest and article_dates[article] == newest:
            score += 0.08
        stale = recency and bool(superseded(cand.text) & q_terms)
        if stale:
            score -= 0.2  # "the previous record" is not the latest one
        if wanted == "date" and not planned and DAY.search(cand.text):
            # An event's day-precise date answers "when" best, and a news story's lead is where it dates its
            # event. Both only rank answers: they must not lift a question over the abstention threshold.
            bonus = 0.15 if cand.passage.chunk.index == 0 and cand.start == 0 else 0.05
        if bridge and any(name <= cand.terms for name in bridge):
            score += 0.15  # names the thing this part is about (or the previous part's answer, when it refers to it)
        if kind_only and other_sibling(siblings, cand.shown or cand.text):
            kind_only = False  # a lead about the "Transport Layer" lends no sentence of its value to the "Tracking Layer"
        if (typed and other_sibling(siblings, cand.shown or cand.text)) or other_designation(asked_series, cand.text):
            # another member of the family asked about: "Transport Layer" for the "Tracking Layer", "Tranche 0" for
            # "Tranche 1": not its value
            score -= 0.2
            typed = kind_only = False
        score -= 0.15 * (1.0 - key_coverage)
        if keys and key_coverage > 0 and award_lists.get(article, 0) >= AWARD_LIST:
            own = own_paragraph(cand.passage.chunk, cand.start, cand.end)
            key = (cand.passage.chunk.id, own)
            if key not in paragraph_cover:
                paragraph_cover[key] = name_coverage(keys, acronyms, set(terms(own)), own)
            bonus -= OTHER_PARAGRAPH * max(0.0, key_coverage - paragraph_cover[key])
        where = (cand.passage.chunk.id, cand.passage.chunk.text.rfind("\n\n", 0, cand.start))
        if where not in other_month:
            paragraph = paragraph_of(cand.passage.chunk.text, cand.start, cand.end)
            other_month[where] = opens_award(paragraph) and bool(unmet_month(part, paragraph, cand.passage.chunk))
        if other_month[where]:
            bonus -= OTHER_MONTH
        if asked and not stale:  # of sentences about the same names, the one that says what is asked ("paid")
            bonus += 0.1 * share_said(asked, cand.shown or cand.text)
        marks.append(Mark(score + bonus, score, typed, key_coverage))
        if keep:
            cand.similarity, cand.coverage, cand.key_coverage, cand.typed, cand.score = float(sim), coverage, key_coverage, typed, score + bonus
            cand.bonus = bonus
            cand.kind_only = kind_only
    return marks


def _coverage(q_terms: set[str], sentence: set[str], context: set[str], chunk: set[str]) -> float:
    if not q_terms:
        return 0.0
    hit = sum(1.0 if t in sentence else 0.5 if t in context else 0.25 if t in chunk else 0.0 for t in q_terms)
    return hit / len(q_terms)


def own_names(part: str, parts: list[str]) -> list[set[str]]:
    """The names that this part of a question gives and the other parts do not."""
    others = set().union(*(set(terms(p)) for p in parts if p != part))
    return [name for name in key_names(part) if not name & others]


def _names_something(part: str) -> bool:
    """Does this part of a question name what it asks about? A date alone ("the target by August 2025") does not."""
    return any(t not in MONTH_TERMS and not re.fullmatch(r"(19|20)\d\d", t) for t in key_terms(part) & set(terms(part)))
