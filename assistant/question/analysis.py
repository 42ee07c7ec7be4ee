"""What a question asks for: the kind of value (an amount, a count, a date, a name ...) and whether a sentence gives
one, what a "how many" counts, its focus word, its months and its cues of recency, plans and superseded values.

Pure text analysis of the question (and of a candidate sentence against it); its names are in `names.py`, its
separate parts in `splitter.py`; `reading/scoring.py` scores sentences with these, and nothing here knows about
passages or the index."""

from __future__ import annotations

import re

from ..text import normalise, stem, terms
from .names import CODE, NAME, NOT_NAMES, countries_in, is_designation, person_names

# What kind of value a question asks for (first match wins).
_TYPE_CUES: list[tuple[str, re.Pattern[str]]] = [
    # A contract's or a modification's number: "what is the contract number", "what modification number"
    ("reference", re.compile(r"\b(?:contract|modification|solicitation)\s+(?:numbers?\b|no\.)")),
    ("percent", re.compile(r"\b(what|which) (percentage|percent|share|proportion)\b|\bby (what|how much) percent")),
    ("count", re.compile(r"\bhow many\b|\bwhat (?:is the |was the )?number of\b|\bquantity\b|\b(?:vote|head) ?count\b|\btally\b")),
    ("money", re.compile(
        r"\bhow much\b|\bcost\b|\bworth\b|\bvalued?\b|\bprice\b|\bbudget\b|\bspend|\bfunding\b|\bdollars?\b"
        r"|\b(?:pay|pays|paid|paying)\b|(?<!\bin )\b(?:charge|charges|charged)\b(?! with\b)|\bhow (?:big|large)\b.*\b(?:contract|deal|order|award|sale|package)"
        # a contract's amounts as releases name them, when they are what is asked: "what is the ceiling of ...", "what are
        # the guaranteed minimum and ...", "what could the task order grow to" (not "which company won the contract that
        # could grow to ...", nor an aircraft's "service ceiling", nor "the minimum amount of time")
        r"|\bwhat (?:is|was|are|were) the (?:(?:contract|contract's|total|overall|guaranteed) )?(?:ceiling|maximum (?:value|amount)"
        r"|minimum(?! (?:amount of|number|range|age|time|altitude|speed|order)\b))"
        r"|\b(?:what|how much) (?:could|would|might|can|will) (?:\S+ ){1,25}?grow to\b"
    )),
    ("date", re.compile(r"(?:^|[,;:]\s*)when\b|\bwhat (dates?|days?|months?|years?)\b|\bwhich (date|day|month|year)\b|\bin what (year|month)\b|\bon what date\b|\bdeadline\b|\bby when\b|\bwhat (?:is|was|were) the (?:[a-z]+ ){0,2}dates?\b")),
    # A military unit: "which unit", "what squadron" is answered by "the 718th Engineer Company"
    ("unit", re.compile(
        r"\b(?:which|what) (?:[a-z\-]+ )?(?:unit|units|squadron|battalion|brigade|regiment|wing|division)\b"
    )),
    # A country: "which two countries are buying", "for which country" is answered by a country's name
    # "which foreign military sales customers ..." asks for countries too (not "which company ... for foreign customers")
    ("country", re.compile(
        r"\b(?:which|what) (?:[a-z\-]+ )?(?:country|countries|nations?)\b"
        r"|\b(?:which|what|who (?:are|were|is|was) the) foreign (?:military sales )?(?:customers?|buyers?|purchasers?)\b"
    )),
    ("org", re.compile(
        r"\bwhich (?:[a-z\-]+ )?(?:company|companies|contractor|contractors|firm|firms|manufacturer|builder|vendor|vendors"
        r"|shipyard|agency)\b"
        r"|\bwho (?:builds|built|makes|made|won|received|got)\b|\bwho (?:is|was|are|were) the (?:[a-z]+ )?(?:contractor|builder|maker|manufacturer|supplier|vendor)\b"
    )),
    ("person", re.compile(r"(?:^|[,;:]\s*)who\b|\bwhich (?:official|general|officer|admiral|minister|secretary|person|commander)\b")),
    ("place", re.compile(r"^\s*where\b|,\s*where (?:had|has|have|did|was|were|is|are|will)\b|\b(?:at|from) which (?:base|site|range|port|city|island)\b")),
    ("distance", re.compile(
        r"\bhow far\b|\bwhat(?:'s| is| was)? (?:the )?(?:maximum |max |)range\b|\brange of\b|\bwhat(?:'s| is| was)\b.*\brange\W*$"
    )),
    ("speed", re.compile(r"\bhow fast\b|\bwhat speed\b|\btop speed\b")),
    ("duration", re.compile(r"\bhow long\b(?!-)|\bfor how many (?:days|weeks|months|years)\b")),
    # What a review or inquiry concluded: answered only by a sentence that reports a finding
    ("finding", re.compile(r"\b(?:what|which) (?:[a-z\-]+ )?(?:conclusions?|findings?|verdict|recommendations?)\b")),
    # A designation is a code: "YFQ-44A", "LGM-35A"
    ("designation", re.compile(r"\b(?:what|which) (?:[a-z\-]+ )?designations?\b|\bdesignated (?:as )?what\b")),
    # A named thing: "what aircraft", "what event" is answered by a name the question lacks.
    ("name", re.compile(
        r"\b(?:what|which) (?:[a-z\-]+ )?(?:aircraft|payload|event|conference|rocket|launcher|missile|system|"
        r"satellite|fighter|bomber|drone|weapon|interceptor|operation|programme|program|initiative|province|base|site)\b"
    )),
]
_UNIT = re.compile(
    r"\b(?:\d+(?:st|nd|rd|th)\s+)?(?:[A-Z][\w\-]*\s+){0,4}(?:Company|Battalion|Regiment|Brigade|Squadron|Wing|Division|Group"
    r"|Fleet|Corps|Battery|Detachment|Task Force|Test Force|Flight)\b"
)
_FINDING = re.compile(
    r"\b(?:conclud(?:ed|es)|conclusions?|found that|findings?|determined|recommend(?:ed|s|ations?)|verdict|ruled"
    r"|judged)\b",
    re.I,
)
_MONEY = re.compile(r"[$€£]\s?\d|\d\s?(?:billion|million|trillion|bn)\b|\b\d[\d.]*\s?(?:dollars|euros|pounds|yen)\b")
_PERCENT = re.compile(r"\d\s?(%|percent|per cent)")
_GDP = re.compile(r"\bgdp\b|gross domestic product")
_DATE = re.compile(
    r"\b(19|20)\d\d\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
)
_DISTANCE = re.compile(r"\d\s?(km|kilomet|mile|nautical|nm\b)")
_SPEED = re.compile(r"\bmach\s?\d|\d\s?(km/h|mph|knots)")
_NUMBER_TOKEN = re.compile(r"(?<![\w$€£.,-])(\d[\d,]*(?:\.\d+)?)(?![\w%]|,\d|\.\d)")
COUNT_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
    "eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen|dozens|hundreds|thousands"
)
_DURATION = re.compile(
    rf"\b(?:\d[\d.]*|an?|{COUNT_WORDS}|several|a few)[\s-]+(?:hours?|days?|weeks?|months?|years?|decades?)\b"
)
_COUNT_WORDS = re.compile(rf"\b(?!one\b)({COUNT_WORDS})\b")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_FOCUS = re.compile(
    r"\b(?:what|which|who)\s+(?:is|was|are|were|will be)\s+(?:the\s+)?(?:[a-z]+\s+)?(?P<focus>[a-z]+)\s+(?:of|for|on|in|at|to|per)\b"
)
_GENERIC_FOCUS = {"name", "status", "role", "purpose", "goal", "plan", "aim", "point", "story", "news", "deal", "result", "reason", "difference", "latest", "main", "key", "total", "size", "value", "cost", "number", "amount", "date"}

_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


def answer_type(question: str) -> str | None:
    """The kind of value asked for. A question that opens with what it is about ("Boeing got an April 2018 contract
    for Saudi Arabia. Where will the work be done?") asks in its last sentence: that sentence's cue comes first."""
    q = normalise(question)
    sentences = _SENTENCE_END.split(q)
    for text in ([sentences[-1]] if len(sentences) > 1 else []) + [q]:
        for name, pattern in _TYPE_CUES:
            if pattern.search(text):
                return name
    return None


# Contract numbers ("W58RGZ-06-C-0194", "SPE8E5-15-D-0018", "HTC711-11-D-R021") and modification numbers ("P00852",
# "PZ0001", "PH0001"), as releases write them (an all-digit modification number, "(0012)", is not told from a count)
CONTRACT_NUMBER = re.compile(r"\b[A-Z][A-Z0-9]{3,}-\d{2}-[A-Z0-9]{1,5}(?:-[A-Z0-9]{1,5})?\b")
_MODIFICATION_NUMBER = re.compile(r"(?<!-)\bP[A-Z]?\d{4,5}\b(?!-)")


def references(text: str, question: str) -> list[str]:
    """The contract numbers a text gives, or its modification numbers when the question asks for a modification's
    (those the question gives itself left out)."""
    pattern = _MODIFICATION_NUMBER if re.search(r"\bmodification\s+(?:numbers?\b|no\.)", question, re.I) else CONTRACT_NUMBER
    return [m.group(0) for m in pattern.finditer(text) if m.group(0) not in question]


def has_type(kind: str, text: str, question: str = "") -> bool:
    """Does `text` hold a value of the kind the question asks for (a name: one the question lacks)?"""
    if kind == "reference":
        return bool(references(text, question))
    if kind == "unit":
        known = set(terms(question))
        return any(not set(terms(u)) <= known for u in _UNIT.findall(text))
    if kind == "finding":
        return bool(_FINDING.search(text))
    if kind == "designation":
        return any(not set(terms(d)) <= set(terms(question)) for d in CODE.findall(text))
    if kind == "country":  # one the question does not name itself
        return any(not set(terms(c)) <= set(terms(question)) for c in countries_in(text))
    if kind in ("person", "org", "place", "name"):
        known = set(terms(question))
        if kind == "person":
            return any(not set(terms(surname)) & known for surname in person_names(text))
        for name in NAME.findall(text):
            words = [w for w in name.split() if w.lower() not in NOT_NAMES]
            name_terms = set(terms(" ".join(words)))
            if name_terms and not name_terms & known:
                return True
        return kind == "name" and any(not set(terms(d)) <= known for d in CODE.findall(text))
    norm = normalise(text)
    if kind == "money":  # defence spending is as often a share of GDP as an amount
        return bool(_MONEY.search(norm) or (_PERCENT.search(norm) and _GDP.search(norm)))
    if kind == "percent":
        return bool(_PERCENT.search(norm))
    if kind == "date":
        return bool(_DATE.search(norm))
    if kind == "distance":
        return bool(_DISTANCE.search(norm))
    if kind == "duration":
        return bool(_DURATION.search(norm))
    if kind == "speed":
        return bool(_SPEED.search(norm))
    if question and not _ASKS_BIDS.search(question):
        text = without_bids(text)
    if question and not _ASKS_PERIODS.search(question):  # "four one-year option periods" counts no boots
        text = _PERIODS.sub(" ", text)
    return _has_count(text) or _one_counted(text, question)


# "Bids were solicited via the Internet with three received", "with two offers received", "Four proposals were received
# for this task order": how many competed for an award, a count that answers only a question about the competition.
_BIDS = re.compile(r"\b(?:bids?|offers?|proposals?|responses?|quotes?|quotations?)\b", re.I)
_BIDS_SAID = re.compile(r"\b(?:received|solicited)\b", re.I)
_RECEIVED = re.compile(r"\bwith \S+ received\b", re.I)
_ASKS_BIDS = re.compile(r"\b(?:bid\w*|offers?|offered|proposals?|respon\w*|quot\w*|solicit\w*|compet\w*|submit\w*)\b", re.I)


# A length of time said as a count of periods: "four one-year option periods", "three option years", "over 3 years".
_PERIODS = re.compile(
    rf"\b(?:\d[\d,]*|{COUNT_WORDS}|one)(?:[- ](?:year|month|week|day))?\s+(?:(?:\w+-)?(?:year|month|week|day)s?\s+)?(?:option\s+)?"
    r"(?:periods?|years?|months?|weeks?|days?|hours?)\b",
    re.I,
)
_ASKS_PERIODS = re.compile(r"\b(?:periods?|years?|months?|weeks?|days?|hours?|options?|long)\b", re.I)


def without_bids(text: str) -> str:
    """The text without its clauses that say how many bids, offers or proposals an award drew."""
    clauses = re.split(r"(?<=[,;])\s+", text)
    return " ".join(c for c in clauses if not ((_BIDS.search(c) and _BIDS_SAID.search(c)) or _RECEIVED.search(c)))


def _one_counted(text: str, question: str) -> bool:
    """"One" is a count only of what the question counts ("with one offer received" for "how many offers"): said
    otherwise it is most often a pronoun or an article ("one of the", "one day")."""
    counted = counted_terms(question) if question else set()
    return bool(counted) and any(set(terms(m.group(1))) & counted for m in re.finditer(r"\bone\s+([a-z][a-z-]*)", text.lower()))


def codes_in(text: str) -> list[str]:
    """Designations a text gives: 'YFQ-44A', 'PAC-3', 'KC46'."""
    return CODE.findall(text)


# A law or regulation cited by its numbers: "10 U.S. Code 2304(c)(1)", "10 U.S.C. 2304", "FAR 6.302-1(a)(2)",
# "Section 806", "Public Law 115-91", "Title 10": none of its numbers counts anything.
CITATION = re.compile(
    r"\b\d+\s*U\.?\s?S\.?\s?C(?:ode|\.)?\s*(?:\d[\w.\-]*(?:\s?(?:&\s?|and\s)?\(\w{1,4}\))*)?"
    r"|\b(?:FAR|DFARS|Section|Public Law|Title)\s+\d[\w.\-]*(?:\s?(?:&\s?|and\s)?\(\w{1,4}\))*"
)


def _has_count(text: str) -> bool:
    """A quantity: a number that is not a year, a day of a month, an amount of money, a designation or part of a
    citation of a law."""
    text = CITATION.sub(" ", text)
    norm = text.lower()  # keep thousands separators: "1,970 missiles" is a count, "1970" a year
    for match in _NUMBER_TOKEN.finditer(norm):
        value = match.group(1).rstrip(",")  # "in 2000, and ..." is a year, not the count "2000,"
        before = norm[max(0, match.start() - 12) : match.start()]
        if is_designation(text, value):
            continue
        after = norm[match.end() : match.end() + 12]
        if re.fullmatch(r"(19|20)\d\d", value):
            continue
        if any(before.rstrip(" .").endswith(m) or re.search(rf"{m}[a-z]*\.?\s*$", before) for m in _MONTHS):
            continue
        if re.match(r"\s?(billion|million|trillion|bn|percent|%)", after) and "$" in norm[max(0, match.start() - 2) : match.start()]:
            continue
        if re.match(r"\s?(?:percent|per cent|%)", after):
            continue  # a share, not a count
        if re.match(r"\s?(?:a\.m|p\.m|am\b|pm\b|:\d)", after):
            continue  # a time of day: "4 a.m."
        return True
    return bool(_COUNT_WORDS.search(norm))


def counted_terms(question: str) -> set[str]:
    """What a 'how many' question counts: the words between 'how many' and its verb."""
    match = re.search(r"\bhow many\s+((?:[a-z0-9\-]+\s+){0,3}?)(?:did|does|do|has|have|had|were|was|will|is|are|can|could|would|in|on|at|for|from|per)\b", normalise(question))
    return set(terms(match.group(1))) if match else set()


RECENT = re.compile(r"\b(latest|most recent|newest|current(?:ly)?|now|as of today|so far|to date)\b")


YEAR = re.compile(r"\b(?:19|20)\d\d\b")
DAY = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b", re.I)
PLANNED = re.compile(r"\b(?:plan|planned|expect|expected|original|originally|intend|intended|schedul\w*|target|due|would|forecast|projected)\b")
_SUPERSEDED = re.compile(r"\b(?:previous|prior|former|earlier|old|original|initial)\s+([a-z][a-z\-]+)")


def superseded(text: str) -> set[str]:
    """Terms the sentence marks as superseded: 'the previous record' gives {'record'}."""
    return {stem(m.group(1)) for m in _SUPERSEDED.finditer(normalise(text))}


def months(text: str) -> set[str]:
    """Month names used as dates ('April 2024', 'Oct. 1'); 'may' only when a number follows."""
    found = set()
    for match in re.finditer(r"\b(january|february|march|april|june|july|august|september|october|november|december|jan\.|feb\.|aug\.|sept?\.|oct\.|nov\.|dec\.|may(?=\s+\d))", text.lower()):
        found.add(match.group(1)[:3])
    return found


def focus_term(question: str) -> str | None:
    match = _FOCUS.search(normalise(question))
    if not match:
        return None
    word = match.group("focus")
    if word in _GENERIC_FOCUS or len(word) < 4:
        return None
    return stem(word)

