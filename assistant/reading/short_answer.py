"""The asked value on its own, taken verbatim from the sentence that answers: "$4,191,533,822", "14 MV-22B",
"Dec. 15, 2020", "Kuwait, Iraq, Egypt, Morocco, and Saudi Arabia". None when the sentence gives no value of the
kind asked, or the question asks for something that is not a single value; the answer then leads with the
sentence alone. Nothing here is invented: every short answer is a span of the sentence."""

from __future__ import annotations

import re
from typing import Sequence

from .answerable import fiscal_years, predicate
from .awards import FIELDS, fields
from ..question.analysis import answer_type, counted_terms, references
from ..question.names import MONTH_NAMES, MONTH_TERMS, countries_in, country_code, foreign_countries
from ..question.splitter import split_question
from ..text import figures, number_words, terms

_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|March|Mar\.|April|Apr\.|May|June|July|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
# An amount with its currency as written ("A$268 billion" is not "$268 billion"); "between X and Y" is one answer
AMOUNT = (
    r"(?:(?:\b(?:[A-Z]{1,2}|US|NT))?[$€£]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:million|billion|trillion))?"
    r"|\b\d[\d,.]*\s?(?:million|billion|trillion) (?:dollars|euros|pounds))"
)
# A value changed from one amount to another, and a question asking for the earlier one
_TO = re.compile(r"\s+to\s+(?:about |roughly |nearly |approximately )?")
_FROM = re.compile(r"\s+from\s+(?:about |roughly |nearly |approximately )?")
_FROM_END = re.compile(r"\bfrom\s+(?:about |roughly |nearly |approximately )?$")
_TO_END = re.compile(r"\bto\s+(?:about |roughly |nearly |approximately )?$")
_EARLIER = re.compile(r"\b(?:before|previous(?:ly)?|original(?:ly)?|initial(?:ly)?|earlier|prior|from what|old)\b", re.I)
_BREAK = re.compile(r"[,;]| and | while | but ")
_CLAUSE = 40  # what a clause break adds to the distance between a word and a value (about a clause's length)
_MONTH_TERMS = MONTH_TERMS | {m[:3] for m in MONTH_NAMES} | {"sept"}  # and as releases shorten them
_SPANS = {
    "money": re.compile(rf"\bbetween {AMOUNT} and {AMOUNT}|{AMOUNT}"),
    "percent": re.compile(r"\d[\d,.]*\s?(?:%|percent|per cent)"),
    "date": re.compile(rf"\b{_MONTH}\.?\s+\d{{1,2}},\s+(?:19|20)\d\d\b|\b{_MONTH}\.?\s+\d{{1,2}}\b|\b{_MONTH}\s+(?:19|20)\d\d\b|\b(?:19|20)\d\d\b"),
    "distance": re.compile(r"\d[\d,.]*\s?(?:km|kilomet\w+|miles?|nautical miles)"),
    "speed": re.compile(r"\bMach\s?\d[\d.]*|\d[\d,.]*\s?(?:km/h|mph|knots)"),
    "duration": re.compile(r"\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|twelve)[\s-]+(?:hours?|days?|weeks?|months?|years?)\b"),
}
_COUNT = re.compile(
    r"(?<![\w$€£.,-])(?P<qualifier>(?:(?:more|fewer|less) than|at least|up to|about|nearly|almost|roughly|some|over|approximately) )?"
    r"(?P<number>\d[\d,]*(?<!,)|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
    r"(?P<words>(?:\s+[\w/\-]+){1,3})",
    re.I,
)
# A list of names in parentheses or after "to": "(Kuwait, Iraq, Egypt, Morocco, and Saudi Arabia)", "(Canada, Holland)"
_NAME_LIST = re.compile(
    r"\((?P<list>[A-Z][\w.\-]*(?: [A-Z][\w.\-]*)*(?:,? (?:and )?[A-Z][\w.\-]*(?: [A-Z][\w.\-]*)*)+)\)"
    r"|\bto (?P<after>[A-Z][\w.\-]*(?: [A-Z][\w.\-]*)* and [A-Z][\w.\-]*(?: [A-Z][\w.\-]*)*)"
)
# A breakdown: "Navy (160), Air Force (429)", "California (90 percent), Arizona (6 percent), and Nevada (1 percent)"
_SHARE = r"[A-Z][\w.\-]*(?: [A-Z][\w.\-]*)* \(\$?\d[\d,.]*(?:%| percent)?\)"
_BREAKDOWN = re.compile(rf"{_SHARE}(?:,? (?:and )?{_SHARE})+")
_SINGLE_NAME = re.compile(r"\((?P<name>[A-Z][\w.\-]*(?: [A-Z][\w.\-]*){0,2})\)")
_LIST_ASKED = re.compile(r"\b(?:which|what) (?:\w+ )?(?:countries|nations|customers|governments|buyers|partners|allies|companies|firms|contractors|services|states|locations|agencies)\b|\bwhich (?:country|nation|customer|government)\b|\bwho (?:is|are) (?:the )?(?:\w+ )?(?:customers?|buyers?)\b", re.I)
_LEADING_COMPANY = re.compile(r"^(?P<name>[A-Z][^,]{2,80}?),")
# "... awarded a production contract to SURVICE Engineering for ...": the company a story's lead names as the winner
_AWARDED_TO = re.compile(
    r"\bawarded\b[^.;]{0,80}?\b(?:contract|order|agreement|deal|task order)s? to (?P<name>[A-Z][\w&.'-]*(?: (?:[A-Z][\w&.'-]*|of|and|&))*)"
)
# A dateline or a date is not a company: "REDSTONE ARSENAL, AL –", "On March 14, 2025, ..."
_NOT_A_COMPANY = re.compile(rf"^(?:[A-Z][A-Z .'-]+|(?:On|In|By|As of|During|After|Before) .*|{_MONTH}\.? .*|\d.*)$")
# What the question sets aside: "excluding incentives and options", "other than the Navy"
_EXCLUDED = re.compile(r"\b(?:excluding|except(?: for)?|not (?:including|counting)|other than|apart from|besides|without)\s+([^,;?.]+)", re.I)
_WHO = re.compile(r"\s*(?:and |so )?(?:who|whom|whose)\b", re.I)
_COMPANY_ASKED = re.compile(r"\b(?:which|what) (?:\w+ )?(?:company|companies|contractor|firm|manufacturer|builder|vendor|shipyard)\b|\bwho (?:won|received|got|builds|is building|makes)\b", re.I)


def short_answer(question: str, sentence: str) -> str | None:
    """The span of `sentence` that is the value `question` asks for, or None."""
    kind = answer_type(question)
    if kind == "country":  # the names as the sentence lists them, when they are countries; never a guess at one
        names = _names(sentence)
        return names if names and countries_in(names) else None
    if _LIST_ASKED.search(question):
        names = _names(sentence)
        if names:
            return names
    if _COMPANY_ASKED.search(question):
        return _company(question, sentence)
    if _WHO.match(question) and kind != "count":  # "who ..." asks for a person or body, never an amount or a date
        return None
    if kind == "count":
        return _count(question, sentence)
    if kind == "reference":  # the one contract (or modification) number the sentence gives, never a guess among several
        found = set(references(sentence, question))
        return found.pop() if len(found) == 1 else None
    if kind == "date" and "awarded" in fields(question):
        # "... dismissed the protest on March 4, 2016, and the contract was awarded on May 13, 2016": the day it was
        # signed, not another date the sentence gives
        signed = FIELDS["awarded"][1].search(sentence)
        if signed:
            return signed.group("date")
    pattern = _SPANS.get(kind or "")
    if pattern is None:
        return None
    spans = [m.span() for m in pattern.finditer(sentence)]
    own = _bracketed_for(question, sentence, spans) if kind in ("money", "percent") else None
    if own is not None:  # "... and Kuwait ($3,536,000; 20 percent)", "Ottobrunn, Germany (41.2 percent)": the one named
        return sentence[spans[own][0] : spans[own][1]].strip().rstrip(",.")
    return _nearest(question, sentence, spans)


# what stands between a customer's or place's name and its own value: "Kuwait ($3,536,000; 20 percent)" gives Kuwait's
# amount and, after it, its share
_BRACKET_OPENS = re.compile(r"\s*\(\s*(?:\$\d[\d,.]*(?: (?:million|billion))?\s*;\s*)?")


def _bracketed_for(question: str, sentence: str, spans: list[tuple[int, int]]) -> int | None:
    """The value in the bracket right after the one foreign customer or country the question names ("Australia
    ($2,704,000; 20 percent)", "Ottobrunn, Germany (41.2 percent)"), when there is one such value; None otherwise."""
    asked = foreign_countries(question)
    if len(asked) != 1:
        return None
    found = set()
    for country in countries_in(sentence):
        if country_code(country) not in asked:
            continue
        for match in re.finditer(re.escape(country), sentence):
            found |= {i for i, (a, _) in enumerate(spans) if _BRACKET_OPENS.fullmatch(sentence[match.end() : a])}
    return found.pop() if len(found) == 1 else None


def _names(sentence: str) -> str | None:
    breakdown = _BREAKDOWN.search(sentence)
    if breakdown:
        return breakdown.group(0)
    match = _NAME_LIST.search(sentence)
    if match:
        names = match.group("list") or match.group("after")
        # the sentence's full stop is not part of the last name ("to Poland and Finland."); "U.K." keeps its own
        return names[:-1] if names.endswith(".") and names.rsplit(" ", 1)[-1].count(".") == 1 else names
    single = _SINGLE_NAME.search(sentence)
    if single and not re.search(r"\d", single.group("name")) and not single.group("name").isupper():
        return single.group("name")
    return None


def _company(question: str, sentence: str) -> str | None:
    """The company an award sentence names as its winner: the one it opens with ("General Dynamics Land Systems,
    Sterling Heights, Michigan, was awarded ..."), or the one a contract is awarded to. Never a dateline, a date or
    a name the question itself gives."""
    asked = set(terms(question))
    found = [m.group("name").strip() for m in (_LEADING_COMPANY.match(sentence.strip()), _AWARDED_TO.search(sentence)) if m]
    for name in found:
        name = re.sub(r"(?:,? (?:Inc|LLC|Co|Corp)\.?)$", "", name).strip()
        if _NOT_A_COMPANY.match(name) or set(terms(name)) <= asked:
            continue
        return name
    return None


def _count(question: str, sentence: str) -> str | None:
    """A number and the words after it that say what it counts ("231 Tomahawk Block IV All-Up-Round missiles"),
    with the qualifier before it ("more than 90"). Of several, the one that says most of what is counted; None when
    two different numbers say it equally (which is meant is not for this picker to guess)."""
    # a count the question states itself, of the same thing ("Of the 300 helmets, how many ...?"), is its premise,
    # not its answer; the same figure said of something else ("over 3 years" for "3 ships") is not
    stated = _counts_stated(question)
    found = [f for f in _counted(question, sentence) if not _stated(f[1], f[3]) or not any(
        value == _stated(f[1], f[3]) and said & set(terms(f[3])) for value, said in stated)]
    if not found:
        return None
    most = max(said for said, _, _, _ in found)
    best = [(span, text) for said, _, span, text in found if said == most]
    if len(best) == 1:
        return best[0][1]
    chosen = _owner(question, sentence, [span for span, _ in best])  # "passed with 513 votes ... a majority of 489 votes"
    return None if chosen is None else best[chosen][1]


def _counted(question: str, sentence: str) -> list[tuple[int, str, tuple[int, int], str]]:
    """Each number of the sentence that counts what the question counts: how much of it the words after the number
    say, the number, its span, and the number with its qualifier and those words."""
    counted = counted_terms(question) or set(terms(question))
    found: list[tuple[int, str, tuple[int, int], str]] = []
    for match in _matches(_COUNT, sentence):
        number = match.group("number")
        before = sentence[: match.start()]
        if re.fullmatch(r"(?:19|20)\d\d", number) or before[-1:] in ("$", "€", "£"):
            continue
        if re.search(r"\b[A-Z][\w-]*\s$", before) and not match.group("qualifier"):
            continue  # part of a name: "Tranche 1", "Block 4", "Lane 2"
        words = match.group("words").split()
        hits = [i for i, w in enumerate(words) if set(terms(w)) & counted]
        if hits:
            said = len(set(terms(" ".join(words[: hits[-1] + 1]))) & counted)
            qualifier = match.group("qualifier") or ""
            found.append((said, number, (match.start(), match.end()), f"{qualifier}{number} {' '.join(words[: hits[-1] + 1])}"))
    return found


def _counts_stated(question: str) -> list[tuple[set[str], set[str]]]:
    """The counts a question states, each as its figure and the terms of the words after it ("300 Apache helmets")."""
    found = []
    for match in _matches(_COUNT, question):
        words = set(terms(match.group("words"))) - {"hundred", "thousand"}
        found.append((_stated(match.group("number"), match.group(0)), words))
    return found


def _stated(number: str, text: str) -> set[str]:
    """The figure a count states, in canonical form: "300" for "300 helmets" and for "three hundred helmets"."""
    after = text[text.find(number) + len(number) :].split()[:1]
    phrase = f"{number} {after[0]}" if after and after[0].lower() in ("hundred", "thousand") else number
    words = number_words(phrase)
    return figures(phrase) or ({max(words, key=float)} if words else set())


_CONFIRMS = re.compile(r"^(?:is|was|are|were|did|does|do|has|have|had|can|could|will|would)\b|\b(?:correct|right|true|accurate)\s*\?", re.I)


def only_given(question: str, sentence: str) -> str | None:
    """The figure the question states itself when it is the only value of the kind asked that the sentence gives
    ("How many of the 2,060 missiles go to Qatar?" of a sentence whose only count is the 2,060): the sentence then
    restates the premise and does not answer. None otherwise, and for names and dates."""
    kind = answer_type(question)
    if _CONFIRMS.search(question):
        return None  # "Was it $95 million?": the sentence that repeats the figure confirms it
    if kind == "count":
        values = [text for _, _, _, text in _counted(question, sentence)]
    elif kind in _SPANS and kind != "date":
        values = [sentence[a:b] for a, b in (m.span() for m in _SPANS[kind].finditer(sentence))]
    else:
        return None
    given = figures(question)
    found = [figures(v) for v in values]
    if values and all(f and f <= given for f in found):
        return values[0].strip()
    return None


def _matches(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """Every match, overlapping ones included: "Tranche 1 comprises 126 Transport Layer satellites" holds a match at
    "1" and another at "126"."""
    found, pos = [], 0
    while (match := pattern.search(text, pos)) is not None:
        found.append(match)
        pos = match.start("number") + 1
    return found


def _nearest(question: str, sentence: str, spans: list[tuple[int, int]], skip_given: bool = True) -> str | None:
    """Of several values of the asked kind, the one the question's words are said about (see `_owner`); None when
    no one value is, or when it is a value the question states itself: in bold that would read as confirming the
    question's premise (a computation, which compares the question's figure with another, keeps it)."""
    if not spans:
        return None
    chosen = _owner(question, sentence, spans)
    if chosen is None:
        return None
    if not _EARLIER.search(question):
        chosen = _changed_to(sentence, spans, chosen)
    start, end = spans[chosen]
    found = figures(sentence[start:end])
    if skip_given and found and found <= figures(question):
        return None
    return sentence[start:end].strip().rstrip(",.")


def _changed_to(sentence: str, spans: list[tuple[int, int]], chosen: int) -> int:
    """A value changed "from $X to $Y" (or "to $Y from $X") is its new value, $Y, unless the question asks for the
    earlier one: "the modification increases the total value of the contract from $2.1 billion to $2.3 billion"."""
    for i, j in ((chosen, chosen + 1), (chosen - 1, chosen)):
        if i < 0 or j >= len(spans):
            continue
        between = sentence[spans[i][1] : spans[j][0]]
        before = sentence[: spans[i][0]]
        if _TO.fullmatch(between) and _FROM_END.search(before):
            return j  # from $X to $Y
        if _FROM.fullmatch(between) and _TO_END.search(before):
            return i  # to $Y from $X
    return chosen


def _owner(question: str, sentence: str, spans: list[tuple[int, int]]) -> int | None:
    """Which of the values at `spans` the question asks for. Each word of the sentence that the question uses goes to
    the value nearest it (a word the question sets aside, "excluding incentives", counts against its value). What the
    question asks about its names ("launches ... begin", "base value") weighs first, its names ("Iron Beam", "Japan")
    break a tie; a value ahead on neither gives None: a sentence that names four amounts is not led by a guess."""
    if len(spans) == 1:
        return 0
    unwanted = {t for clause in _EXCLUDED.findall(question) for t in terms(clause)}
    said_of = set(_stems_of(predicate(question))) - unwanted
    asked = (set(terms(question)) | said_of) - unwanted
    # a year or month scopes the report the question is about ("the June 2018 award"), not one value of a sentence
    # that names several ("fiscal 2018 ... funding in the amount of $1,113,956,972"); a fiscal year names a budget
    budgets = fiscal_years(question)
    asked = {t for t in asked if (not re.fullmatch(r"(?:19|20)\d\d", t) or t in budgets) and t not in _MONTH_TERMS}
    owned = [[0, 0] for _ in spans]
    for word in re.finditer(r"[\w][\w'&-]*", sentence):
        if any(a <= word.start() < b for a, b in spans):
            continue
        said = set(terms(word.group(0)))
        if not said & (asked | unwanted):
            continue
        gaps = [_gap(sentence, word.start(), word.end(), a, b) for a, b in spans]
        nearest = min(range(len(spans)), key=lambda i: gaps[i])
        sign = 1 if said & asked else -1
        owned[nearest][0] += sign if said & (said_of | unwanted) else 0
        owned[nearest][1] += sign
    ranked = sorted(range(len(spans)), key=lambda i: owned[i], reverse=True)
    return None if owned[ranked[0]] == owned[ranked[1]] else ranked[0]


def _gap(sentence: str, start: int, end: int, a: int, b: int) -> int:
    """How far a word (start..end) is from a value (a..b): the characters between them, and a clause's length more
    when a comma, semicolon or "and" separates them ("$3 billion for Arrow interceptors and $700 million for ...":
    "interceptors" is said of the $3 billion)."""
    between = sentence[b:start] if b <= start else sentence[end:a]
    return len(between) + (_CLAUSE if _BREAK.search(between) else 0)


def _stems_of(words: list[str]) -> list[str]:
    return [t for w in words for t in terms(w)]


def lead_with_value(question: str, first_sentence: str, rank: int, text: str, others: Sequence[str] = ()) -> tuple[str, str | None]:
    """The extractive answer led by the asked value and its citation ("**$63,000,000** [2] — Nammo Talley ...
    [2]"), and the value; the text unchanged and None when there is no single value to lead with: several things
    asked, no value of the kind in the first sentence, or another sentence of the answer (`others`) that would give
    a different one (the answer then shows the candidates side by side, and the analyst sees both)."""
    if split_question(question):
        return text, None  # several things asked: each sentence answers its own part
    value = short_answer(question, first_sentence)
    if value is None:
        return text, None
    mine = figures(value) or {value.lower()}
    for other in others:
        theirs = short_answer(question, other)
        if theirs is not None and (figures(theirs) or {theirs.lower()}) != mine:
            return text, None
    return f"**{value}** [{rank}] — {text}", value
