"""Which sentence of which award paragraph answers, in a daily list of awards.

A release's award paragraph opens with its lead (contractor, place, what was awarded); the sentences after it give
the award's amounts, dates, customers and funding without naming it again. The reader (extractive.py) picks the
best sentence; these functions move the answer to the sentence of the award the question means and show it with
that award's lead: the award a long question describes (`named_award`), the one its amount names (`award_meant`),
the sentence after a lead that gives the kind of value asked (`follow`), the amount a question asks for
(`stating`, `total_of`, `share_of`), and the two leads a sum or a difference of two awards takes (`two_awards`)."""

from __future__ import annotations

import re
from datetime import date

from langchain_core.embeddings import Embeddings

from .answerable import name_coverage, says, written_out
from ..encoders.embeddings import encode
from ..question.analysis import COUNT_WORDS, answer_type, has_type
from ..question.names import MONTH_TERMS, acronyms_of, countries_in, country_code, foreign_countries, key_names
from ..question.timeparse import months_named
from .compute import STATES_TOTAL
from .awards import AWARD_LEAD, CORPORATE, facets, opens_award, states
from .near_miss import beside, own_paragraph, paragraph_of, rounds_to, unmet_month
from .short_answer import AMOUNT
from ..text import figures, number_words, terms, tokens
from .candidates import Candidate
from .scoring import own_names

_SAME_WORD = 0.5  # cosine of two words' vectors from which one says the other ("finish" 0.59 "completion"; "hull" 0.37)
_SAID = 0.6  # the share of what a question asks that a named award's paragraph must say, in any words
_PART_OF = re.compile(r"\bshare\b|\bportion\b|\bpercent", re.I)  # a part of each award, not its value
_DESIGNATION = re.compile(r"\b[A-Z]{1,5}[- ]?\d{1,4}[A-Z]?\b(?<!\b(?:19|20)\d\d)")  # "LPD 28", "DDG 62", "F135", "E-767"
_NO_FUNDS = re.compile(r"\bno funds\b", re.I)


def named_award(question: str, candidates: list[Candidate], asked: list[str], embeddings: Embeddings) -> Candidate | None:
    """A long question that describes one award ("How many offers did the Air Force Research Laboratory in Rome,
    New York, receive before picking Draper Laboratory in October 2014 to build software that ...?") matches no
    single sentence of it closely, and its verbs are seldom the release's ("finish building" for "completion
    date"). The award meant is a retrieved award paragraph that opens with a contractor the question names, names
    everything else the question names, and is of the month the question dates it by (see `unmet_month`); of
    several such, the one holding the sentence closest to the question (another contractor's paragraph may hold a
    closer one: it is not the award described). When it is found, and it says most of what the question asks (in
    its own words: see `said_in_other_words`), its sentence closest to the question that gives the kind of value
    asked answers, shown with the lead. None otherwise."""
    names = [n for n in key_names(question) if not any(ch.isdigit() for t in n for ch in t) and not n <= MONTH_TERMS]
    if answer_type(question) is None or not names:
        return None
    acronyms = acronyms_of(question)
    paragraphs: dict[tuple[str, int], list[Candidate]] = {}
    for cand in candidates:
        text = cand.passage.chunk.text
        start = text.rfind("\n\n", 0, cand.start)
        paragraphs.setdefault((cand.passage.chunk.id, start), []).append(cand)
    found = []
    for group in paragraphs.values():
        lead = min(group, key=lambda c: c.start)
        match = AWARD_LEAD.match(lead.passage.chunk.text[lead.start : lead.end])
        if match is None:
            continue
        # the contractor as the lead writes it before its award ("United Technologies Corp., Pratt & Whitney
        # Military Engine, East Hartford, Connecticut, is being awarded")
        who = set(terms(match.group(0))) - CORPORATE
        paragraph = own_paragraph(lead.passage.chunk, lead.start, lead.end)
        named = any(n - CORPORATE and n - CORPORATE <= who for n in names)
        if named and name_coverage(names, acronyms, set(terms(paragraph)), paragraph) == 1.0 and not unmet_month(question, paragraph, lead.passage.chunk):
            found.append((lead, group))
    if not found:
        return None
    # of several such awards (the contractor's, of months the question does not tell apart), the one that holds the
    # sentence closest to the question
    closest = max(max(c.similarity for c in group) for _, group in found)
    found = [(lead, group) for lead, group in found if max(c.similarity for c in group) == closest]
    if len(found) != 1:
        return None
    lead, group = found[0]
    typed = [c for c in group if c.typed]
    if not typed or (asked and said_in_other_words(embeddings, asked, own_paragraph(lead.passage.chunk, lead.start, typed[-1].end)) < _SAID):
        return None
    answer = max(typed, key=lambda c: c.similarity)
    return answer if answer is lead else shown_with(answer, lead)


def two_awards(question: str, candidates: list[Candidate]) -> list[Candidate] | str | None:
    """A sum or a difference of two awards to one contractor ("Huntington Ingalls received two awards for LPD 28,
    in December 2015 and December 2016. What is their combined value?") takes each award's value from its own
    lead: the leads of retrieved award paragraphs that open with a contractor the question names and give an
    amount, one from each month (or year) the question names, the closest to the question first. None when the
    question asks for a particular amount of each (obligated, a customer's share), names no contractor, or two
    such leads are not found, for each month or year named; a refusal that says which when the contractor's
    award is found for one month the question names and not for the other (a near miss)."""
    if facets(question) or _PART_OF.search(question):
        return None
    names = [n - CORPORATE for n in key_names(question) if n - CORPORATE and not any(ch.isdigit() for t in n for ch in t) and not n <= MONTH_TERMS]
    leads = []
    for cand in candidates:
        match = AWARD_LEAD.match(cand.text)
        if match and has_type("money", cand.text) and any(n <= set(terms(match.group(0))) for n in names):
            leads.append(cand)
    # the question's other names ("LPD 28", "USS Fitzgerald") tell the contractor's awards apart: an award that
    # names none of them is not one of the two
    others = [n for n in names if not any(n <= set(terms(AWARD_LEAD.match(c.text).group(0))) for c in leads)]
    designations = {_plain(d) for d in _DESIGNATION.findall(question)}
    # "two UH-60M helicopters for the FBI" against "five UH-60M aircraft for Mexico": the count of a designated
    # item tells two awards for the same item apart
    counted = counted_items(question)
    def named(cand: Candidate) -> tuple[int, int, int]:
        paragraph = own_paragraph(cand.passage.chunk, cand.start, cand.end)
        said = set(terms(paragraph))
        return (sum(d in _plain(paragraph) for d in designations), len(counted & counted_items(paragraph)),
                sum(n <= said for n in others))
    # a designation the question names ("LPD 28") must be the award's, when it names one
    leads = [c for c in leads if named(c)[0] or not designations]
    leads.sort(key=lambda c: (named(c), c.similarity), reverse=True)
    months = months_named(question)
    years = {int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", question)}
    def when(cand: Candidate) -> tuple[int, int] | None:
        day = cand.passage.chunk.published
        return (day.year, day.month) if day else None
    if months:
        chosen = [next((c for c in leads if when(c) == m), None) for m in sorted(months)]
        if len(months) == 2 and chosen.count(None) == 1:
            year, month = sorted(months)[chosen.index(None)]
            who = AWARD_LEAD.match(next(c for c in chosen if c is not None).text).group("who")  # type: ignore[union-attr]
            return f"no award to {who} dated {date(year, month, 1):%B %Y} was found, only the other one"
        if len(months) == 1 and chosen[0] is not None:
            chosen = [c for c in leads if when(c) in months][:2]
    elif years:
        chosen = [next((c for c in leads if when(c) and when(c)[0] == y), None) for y in sorted(years)]
        if len(years) == 1 and chosen[0] is not None:
            chosen = [c for c in leads if when(c) and when(c)[0] in years][:2]
    else:
        chosen = leads[:2]
    if len(chosen) != 2 or None in chosen or chosen[0] is chosen[1]:
        return None
    return chosen  # type: ignore[return-value]


def said_in_other_words(embeddings: Embeddings, words: list[str], text: str) -> float:
    """The share of these words the text says, in the same form or in other words: a word counts when its
    vector comes close to that of one of the text's words ("building" to "construction", "finish" to
    "completion"), as a nearby subject ("hull" to "construction") does not."""
    import numpy as np

    plain = [w for w in words if not says([w], text)]
    if not plain:
        return 1.0
    own = sorted({t for t in tokens(text) if len(t) > 3 and t.isalpha()})
    if not own:
        return (len(words) - len(plain)) / len(words)
    vectors = encode(embeddings, plain + own)
    vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    close = (vectors[: len(plain)] @ vectors[len(plain) :].T).max(axis=1) >= _SAME_WORD
    return (len(words) - len(plain) + int(close.sum())) / len(words)


def follow(question: str, lead: Candidate, candidates: list[Candidate], asked: list[str]) -> Candidate | None:
    """The sentence after `lead` in its paragraph that gives the kind of value asked, when the lead's paragraph is
    the one the question means (see `extractive.ExtractiveAnswerer._lead_of`)."""
    text = lead.passage.chunk.text
    # "This contract involves foreign military sales (FMS) to Poland and Finland." refers back to the lead too
    after = [c for c in after_in_paragraph(lead, candidates) if c.typed]
    if not after:
        return None
    answer = max(after, key=lambda c: c.score)
    shown = text[lead.start : answer.end]
    if len(asked) >= 2 and not says(asked, shown):
        return None
    # The award the question means is the one whose paragraph says most of what the question says: a lead that
    # matched by its contractor while another paragraph of the passages says the rest ("hull repair" beside a
    # lead about rockets) is not it, and a tie leaves it open. Only paragraphs that give a value of the kind
    # asked compete: one that cannot answer does not make the question ambiguous.
    q_terms = {t for t in terms(question) if len(t) > 1 or not t.isalpha()}
    acronyms = acronyms_of(question)
    kind = answer_type(question)

    def said(paragraph: str) -> int:
        return len(q_terms & (set(terms(paragraph)) | (written_out(acronyms, paragraph) if acronyms else set())))

    paragraph = paragraph_of(text, lead.start, answer.end)
    own = said(paragraph)
    passages = {id(c.passage): c.passage for c in candidates}.values()
    others = [p for passage in passages for p in passage.chunk.text.split("\n\n") if p.strip() and p.strip() not in paragraph]
    if any(said(p) >= own and (kind is None or has_type(kind, p, question)) for p in others):
        return None
    return shown_with(answer, lead)


def stating(facet: str, best: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """The sentence of the best sentence's award paragraph that states this amount of the award ("... funds in
    the amount of $15,000,000 are being obligated at the time of award"), shown with the paragraph's lead; None
    when the paragraph states none."""
    paragraph = in_paragraph(best, candidates)
    stating = [c for c in paragraph if states(facet, c.text) and (has_type("money", c.text) or _NO_FUNDS.search(c.text))]
    if not stating:
        return None
    return with_lead(stating[0], paragraph)


def total_of(lead: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """An award paragraph opens with what was awarded now ("a modification not to exceed $139,533,290") and may
    state the contract's total after it ("This modification increases the total value of the contract from ...
    to ..."). For a question that asks for the total, that later sentence of the same paragraph answers, shown
    with the lead (as a sentence that refers back is). None when the paragraph states no total."""
    after = [c for c in after_in_paragraph(lead, candidates) if STATES_TOTAL.search(c.text) and has_type("money", c.text)]
    return shown_with(min(after, key=lambda c: c.start), lead) if after else None


def after_in_paragraph(lead: Candidate, candidates: list[Candidate]) -> list[Candidate]:
    """The sentences after `lead` in its own paragraph of the same passage: what an award's lead goes on to say."""
    text = lead.passage.chunk.text
    return [c for c in candidates if c.passage is lead.passage and c.start >= lead.end and "\n\n" not in text[lead.end : c.start]]


def in_paragraph(sentence: Candidate, candidates: list[Candidate]) -> list[Candidate]:
    """The sentences of the sentence's own paragraph in its passage, in order."""
    text = sentence.passage.chunk.text
    same = [c for c in candidates if c.passage is sentence.passage and "\n\n" not in text[min(c.start, sentence.start) : max(c.end, sentence.end)]]
    return sorted(same, key=lambda c: c.start)


_COUNTED_ITEM = re.compile(rf"\b(\d[\d,]*|{COUNT_WORDS})\s+([A-Z][A-Za-z]*-?\d+[A-Z]?)\b", re.I)


def counted_items(text: str) -> set[tuple[str, str]]:
    """Counts of designated items a text gives ("two UH-60M", "14 MV-22B"), as (count, designation) in plain form."""
    found = set()
    for number, designation in _COUNTED_ITEM.findall(text):
        value = figures(number) or number_words(number.lower())
        if value and designation[0].isupper():
            found.add((min(value), _plain(designation)))
    return found


def _plain(text: str) -> str:
    return re.sub(r"[\s-]", "", text).lower()


def share_of(question: str, best: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """A question that asks how much or how many for the one foreign customer it names ("How much is Kuwait paying
    for its share?") is answered by the sentence of the award's paragraph that gives a value beside that customer
    ("... combines purchases for the Navy ($12,976,014) and the government of Australia ($1,713,225)"), shown with
    the paragraph's lead. None when the question names no single customer or no sentence gives its own value."""
    kind = answer_type(question)
    asked = foreign_countries(question)
    if kind not in ("money", "count") or len(asked) != 1:
        return None
    def gives(cand: Candidate) -> bool:
        return any(country_code(c) in asked and beside(cand.text, c, kind) for c in countries_in(cand.text))
    if gives(best):
        return best
    paragraph = in_paragraph(best, candidates)
    giving = [c for c in paragraph if gives(c)]
    if not giving:
        return None
    return with_lead(giving[0], paragraph)


def award_meant(question: str, best: Candidate, candidates: list[Candidate], asked: list[str], embeddings: Embeddings) -> Candidate | None:
    """The award the question names by its amount ("the $375.8 million Hellfire II contract"), when the best
    sentence's paragraph is another's: the one retrieved award paragraph that holds that amount (to the figure, or
    rounded as the question writes it). Its sentence that best answers, shown with its lead, answers instead. None
    when the question gives no amount of a thousand or more, when the best sentence's own paragraph holds it, when
    no single award paragraph does, or when that paragraph gives no value of the kind asked or says too little of
    what the question asks (`said_in_other_words`, as for `named_award`). (The first contractor a question names was tried as such a key too: it answered
    a near miss on an untuned set, as the award conditions' refusal had not; eval/READER.md, session 19.)"""
    # only amounts of money with two significant digits or more name an award: "$375.8 million", not "$1 billion" (which
    # rounds from anything between $500 million and $1.5 billion), nor a count or a hull number
    amounts = {f for f in figures(" ".join(m.group(0) for m in re.finditer(AMOUNT, question))) if f.isdigit() and len(f.rstrip("0")) >= 2}
    if not amounts:
        return None
    def holds(paragraph: str) -> bool:
        given = figures(paragraph)
        return all(a in given or any(rounds_to(g, a) for g in given) for a in amounts)
    def close(paragraph: str) -> bool:  # "$18 million" for $18,589,750: cut short, not another award
        given = [int(g) for g in figures(paragraph) if g.isdigit()]
        unit = {a: 10 ** (len(a) - len(a.rstrip("0"))) for a in amounts}
        return holds(paragraph) or all(any(g // unit[a] * unit[a] == int(a) for g in given) for a in amounts)
    def text_of(cand: Candidate) -> str:
        return paragraph_of(cand.passage.chunk.text, cand.start, cand.end)
    if close(text_of(best)):
        return None
    paragraphs: dict[str, list[Candidate]] = {}
    for cand in candidates:
        text = text_of(cand)
        if opens_award(text) and holds(text):
            paragraphs.setdefault(" ".join(text.split()), []).append(cand)  # one award, in however many passages
    if len(paragraphs) != 1:
        return None
    group = next(iter(paragraphs.values()))
    paragraph = in_paragraph(group[0], candidates)
    answer = max(paragraph, key=lambda c: (c.typed, says(asked, c.text), c.score))
    if not answer.typed:  # it must give a value of the kind asked, and say what the question asks about
        return None
    if asked and said_in_other_words(embeddings, asked, paragraph_of(answer.passage.chunk.text, answer.start, answer.end)) < _SAID:
        return None
    return with_lead(answer, paragraph)


def with_lead(sentence: Candidate, paragraph: list[Candidate]) -> Candidate:
    """A sentence of an award paragraph (its candidates in order), shown with the paragraph's lead unless it is it."""
    return sentence if sentence is paragraph[0] else shown_with(sentence, paragraph[0])


def shown_with(sentence: Candidate, lead: Candidate) -> Candidate:
    """The sentence, shown (and judged) with the lead of its paragraph, as a sentence that refers back is."""
    sentence.previous, sentence.shown = (lead.start, lead.end), lead.passage.chunk.text[lead.start : sentence.end]
    sentence.terms = sentence.terms | lead.terms
    return sentence


# "two 2017 ... contracts", "each", "both", "the other one": a question about more than one award ("three coastal
# patrol boats" is one award's count)
_SEVERAL_AWARDS = re.compile(
    r"\b(?:each|both|either|the other|another)\b|\b(?:contracts|awards|modifications|orders|deals)\b", re.I
)


def asks_of_one_award(question: str, parts: list[str], published: date | None) -> bool:
    """Whether the parts of a question all ask about one award: the question speaks of one ("two contracts", "each"
    and "both" speak of more), and no part after the first names anything of its own but a month or year the award's
    release falls in ("..., and which Corps district signed the January 2015 deal?" of a January 2015 release). A part
    that names another contractor, item or date asks about another award."""
    if _SEVERAL_AWARDS.search(question):
        return False
    for part in parts[1:]:
        for name in own_names(part, parts):
            if name <= MONTH_TERMS:
                continue
            if all(t.isdigit() for t in name) and published and str(published.year) in name:
                continue
            return False
        if published and any(month != (published.year, published.month) for month in months_named(part)):
            return False
    return True
