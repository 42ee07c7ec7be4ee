"""The asked value on its own, taken verbatim from the sentence that answers: "$4,191,533,822", "14 MV-22B",
"Dec. 15, 2020", "Kuwait, Iraq, Egypt, Morocco, and Saudi Arabia". None when the sentence gives no value of the
kind asked, or the question asks for something that is not a single value; the answer then leads with the
sentence alone. Nothing here is invented: every short answer is a span of the sentence."""

from __future__ import annotations

import re

from .answerable import predicate, share_said
from ..question.analysis import answer_type, counted_terms
from ..question.splitter import split_question
from ..text import terms

_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|March|Mar\.|April|Apr\.|May|June|July|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_SPANS = {
    "money": re.compile(r"(?:[$€£]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:million|billion|trillion))?|\d[\d,.]*\s?(?:million|billion|trillion) (?:dollars|euros|pounds))"),
    "percent": re.compile(r"\d[\d,.]*\s?(?:%|percent|per cent)"),
    "date": re.compile(rf"\b{_MONTH}\.?\s+\d{{1,2}},\s+(?:19|20)\d\d\b|\b{_MONTH}\.?\s+\d{{1,2}}\b|\b{_MONTH}\s+(?:19|20)\d\d\b|\b(?:19|20)\d\d\b"),
    "distance": re.compile(r"\d[\d,.]*\s?(?:km|kilomet\w+|miles?|nautical miles)"),
    "speed": re.compile(r"\bMach\s?\d[\d.]*|\d[\d,.]*\s?(?:km/h|mph|knots)"),
    "duration": re.compile(r"\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|twelve)[\s-]+(?:hours?|days?|weeks?|months?|years?)\b"),
}
_COUNT = re.compile(
    r"(?<![\w$€£.,-])(\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
    r"((?:\s+[\w/\-]+){1,3})",
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
_WHO = re.compile(r"\s*(?:and |so )?(?:who|whom|whose)\b", re.I)
_COMPANY_ASKED = re.compile(r"\b(?:which|what) (?:\w+ )?(?:company|companies|contractor|firm|manufacturer|builder|vendor|shipyard)\b|\bwho (?:won|received|got|builds|is building|makes)\b", re.I)


def short_answer(question: str, sentence: str) -> str | None:
    """The span of `sentence` that is the value `question` asks for, or None."""
    if _LIST_ASKED.search(question):
        names = _names(sentence)
        if names:
            return names
    if _COMPANY_ASKED.search(question):
        match = _LEADING_COMPANY.match(sentence.strip())
        return match.group("name").strip() if match else None
    kind = answer_type(question)
    if _WHO.match(question) and kind != "count":  # "who ..." asks for a person or body, never an amount or a date
        return None
    if kind == "count":
        return _count(question, sentence)
    pattern = _SPANS.get(kind or "")
    if pattern is None:
        return None
    return _nearest(question, sentence, [m.span() for m in pattern.finditer(sentence)])


def _names(sentence: str) -> str | None:
    breakdown = _BREAKDOWN.search(sentence)
    if breakdown:
        return breakdown.group(0)
    match = _NAME_LIST.search(sentence)
    if match:
        return match.group("list") or match.group("after")
    single = _SINGLE_NAME.search(sentence)
    if single and not re.search(r"\d", single.group("name")) and not single.group("name").isupper():
        return single.group("name")
    return None


def _count(question: str, sentence: str) -> str | None:
    """A number and the words after it that say what it counts ("231 Tomahawk Block IV All-Up-Round missiles")."""
    counted = counted_terms(question) or set(terms(question))
    found = []
    for match in _COUNT.finditer(sentence):
        if re.fullmatch(r"(?:19|20)\d\d", match.group(1)) or sentence[max(0, match.start() - 1) : match.start()] in "$€£":
            continue
        words = match.group(2).split()
        hits = [i for i, w in enumerate(words) if set(terms(w)) & counted]
        if hits:
            found.append((match.start(), f"{match.group(1)} {' '.join(words[: hits[-1] + 1])}"))
    if found:
        return found[0][1]
    return None


def _nearest(question: str, sentence: str, spans: list[tuple[int, int]]) -> str | None:
    """Of several values of the asked kind, the one whose neighbourhood shares most words with the question."""
    if not spans:
        return None
    asked = set(terms(question))
    said = predicate(question)  # what the question asks about its names ("launches", "begin")

    def closeness(span: tuple[int, int]) -> tuple[float, int, int]:
        window = sentence[max(0, span[0] - 45) : span[1] + 15]  # the words that lead up to the value say what it is
        return (share_said(said, window), len(asked & set(terms(window))), -span[0])

    start, end = max(spans, key=closeness)
    return sentence[start:end].strip().rstrip(",.")


def lead_with_value(question: str, first_sentence: str, rank: int, text: str) -> tuple[str, str | None]:
    """The extractive answer led by the asked value and its citation ("**$63,000,000** [2] — Nammo Talley ...
    [2]"), and the value; the text unchanged and None when there is no single value to lead with."""
    if split_question(question):
        return text, None  # several things asked: each sentence answers its own part
    value = short_answer(question, first_sentence)
    return (f"**{value}** [{rank}] — {text}", value) if value else (text, None)
