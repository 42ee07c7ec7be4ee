"""Stated values in sentences: money amounts with the kind of measure they are and what sets them apart.

A `Claim` is one amount in one sentence ("a new cost estimate of $140.9 billion" -> cost, 140.9e9 USD).
The conflict finder, the corroboration count and the revision reader all compare claims, so the rules
for "the same kind of value" and "the same value" live here once.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from ..ingest.chunking import split_sentences

_SCALE = {"trillion": 1e12, "tn": 1e12, "billion": 1e9, "bn": 1e9, "million": 1e6, "mn": 1e6, "m": 1e6, "thousand": 1e3}
_CURRENCY = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "nt$": "TWD", "a$": "AUD"}
_WORD_CURRENCY = {"dollars": "USD", "euros": "EUR", "euro": "EUR", "pounds": "GBP", "yen": "JPY", "won": "KRW"}
_MONEY = re.compile(
    r"(?P<cur>US\$|NT\$|A\$|[$€£¥])\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s?(?P<scale>trillion|billion|million|thousand|bn|tn|mn|m)\b)?"
    r"|(?P<num2>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s(?P<scale2>trillion|billion|million)\s(?P<word>dollars|euros?|pounds|yen|won)\b",
    re.IGNORECASE,
)
# Cues for the kind of measure, nearest to the amount wins; unit cost before cost, so "unit cost" is not "cost".
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("unit cost", re.compile(r"\b(?:unit cost|per (?:missile|unit|aircraft|jet|plane|ship|satellite|round|interceptor|system|copy)|apiece|each)\b", re.I)),
    ("cost", re.compile(r"\b(?:cost\w*|estimat\w*|price\w*|price tag|overrun)\b", re.I)),
    ("contract value", re.compile(r"\b(?:contract\w*|award\w*|deal|order\w*|modification|task order|worth)\b", re.I)),
    ("budget", re.compile(r"\b(?:budget\w*|request\w*|spend\w*|appropriat\w*|fund\w*|outlays?|allocat\w*|loans?|plan)\b", re.I)),
)
_NEAR_YEAR = 40  # characters between an amount and the fiscal year it is for
_FISCAL = re.compile(r"\b(?:FY|fiscal(?: year)?\s?)\s?'?((?:19|20)?\d\d)\b", re.I)
_CONTRACT_NO = re.compile(r"\b[A-Z0-9]{6}-\d{2}-[A-Z]-[A-Z0-9]{4}\b")
_COUNT = re.compile(r"\b(\d[\d,]*)\s+(?:(?:[A-Z][\w-]*|new|more|additional)\s+){0,3}(missiles?|interceptors?|aircraft|jets?|satellites?|ships?|launchers?|rounds?|shells?|vehicles?|drones?|radars?|batteries)\b")


@dataclass(frozen=True)
class Claim:
    """One amount stated in one sentence of a text; offsets are into that text."""

    value: str  # as written: "$140.9 billion"
    amount: float  # in the currency's units
    currency: str
    kind: str  # unit cost, cost, contract value, budget, amount
    digits: int  # significant digits as written, for rounding-aware comparison
    start: int  # the amount's span
    end: int
    sentence: tuple[int, int]
    qualifiers: frozenset[str] = frozenset()  # fiscal years, contract numbers, item counts: what the amount is for


def claims_in(text: str, kinds: set[str] | None = None) -> list[Claim]:
    """Every money amount in `text`, sentence by sentence, with its kind (optionally only `kinds`).

    Answering reads the same passages again for revisions and conflicts, so the claims of recent texts are kept
    (claims are frozen; each call gets a list of its own)."""
    return [claim for claim in _claims(text) if kinds is None or claim.kind in kinds]


@functools.lru_cache(maxsize=4096)
def _claims(text: str) -> tuple[Claim, ...]:
    found: list[Claim] = []
    for s_start, s_end in split_sentences(text):
        sentence = text[s_start:s_end]
        quals = qualifiers(sentence)
        years = [(m.start(), f"fy:{_year(m.group(1))}") for m in _FISCAL.finditer(sentence)]
        for match in _MONEY.finditer(sentence):
            # of several fiscal years in one sentence, an amount is for the one written nearest to it
            own = quals - {y for _, y in years}
            near = [y for y in years if abs(y[0] - match.start()) <= _NEAR_YEAR]
            if near:
                own |= {min(near, key=lambda y: abs(y[0] - match.start()))[1]}
            claim = _claim(match, sentence, s_start, (s_start, s_end), frozenset(own))
            if claim is not None:
                found.append(claim)
    return tuple(found)


def qualifiers(sentence: str) -> frozenset[str]:
    """What an amount is for, when the sentence says: fiscal years, contract numbers and counts of items."""
    quals = {f"fy:{_year(m.group(1))}" for m in _FISCAL.finditer(sentence)}
    quals |= {f"contract:{m.group(0)}" for m in _CONTRACT_NO.finditer(sentence)}
    quals |= {f"count:{_singular(m.group(2).lower())}:{m.group(1).replace(',', '')}" for m in _COUNT.finditer(sentence)}
    return frozenset(quals)


def kind_of(text: str) -> str | None:
    """The kind of value a question or phrase asks about ("estimated cost" -> cost), or None."""
    for kind, pattern in _KINDS:
        if pattern.search(text):
            return kind
    return None


def same_value(a: Claim, b: Claim) -> bool:
    """Equal once the more precise figure is rounded as the other was written: $141 billion == $140.9 billion."""
    if a.currency != b.currency:
        return False
    digits = min(a.digits, b.digits)
    return _round(a.amount, digits) == _round(b.amount, digits)


def compatible(a: Claim, b: Claim) -> bool:
    """Could the two amounts be about the same thing? Not when they are for different fiscal years,
    contract numbers or numbers of the same item."""
    if a.kind != b.kind or a.currency != b.currency:
        return False
    for prefix in ("fy:", "contract:"):
        mine = {q for q in a.qualifiers if q.startswith(prefix)}
        theirs = {q for q in b.qualifiers if q.startswith(prefix)}
        if mine and theirs and not mine & theirs:
            return False
    counts_a = {q.rsplit(":", 1)[0]: q for q in a.qualifiers if q.startswith("count:")}
    counts_b = {q.rsplit(":", 1)[0]: q for q in b.qualifiers if q.startswith("count:")}
    return all(counts_b[item] == q for item, q in counts_a.items() if item in counts_b)


def _claim(match: re.Match[str], sentence: str, offset: int, span: tuple[int, int], quals: frozenset[str]) -> Claim | None:
    raw = match.group("num") or match.group("num2")
    try:
        number = float(raw.replace(",", ""))
    except ValueError:
        return None
    scale = (match.group("scale") or match.group("scale2") or "").lower()
    if match.group("cur"):
        currency = _CURRENCY.get(match.group("cur").lower(), "USD")
    else:
        currency = _WORD_CURRENCY.get(match.group("word").lower(), "?")
    amount = number * _SCALE.get(scale, 1.0)
    if amount <= 0:
        return None
    digits = len(raw.replace(",", "").replace(".", "").lstrip("0").rstrip("0" if "." not in raw else "")) or 1
    kind = _nearest_kind(sentence, match.start(), match.end())
    value = sentence[match.start() : match.end()].strip()
    return Claim(value, amount, currency, kind, digits, offset + match.start(), offset + match.end(), span, quals)


def _nearest_kind(sentence: str, start: int, end: int) -> str:
    """The kind whose cue is closest to the amount (a cue right after it, "$162 million per missile", counts too)."""
    best, best_gap = "amount", 10**9
    for kind, pattern in _KINDS:
        for cue in pattern.finditer(sentence):
            gap = start - cue.end() if cue.end() <= start else cue.start() - end
            if gap < 0:
                gap = 0
            if kind == "unit cost" and gap <= 40:
                return kind  # "about $214 million per missile": the unit wins over a cost cue further off
            if gap < best_gap:
                best, best_gap = kind, gap
    return best if best_gap <= 80 else "amount"


def _round(amount: float, digits: int) -> float:
    if amount == 0:
        return 0.0
    magnitude = math.floor(math.log10(abs(amount)))
    return round(amount, -magnitude + digits - 1)


def _year(text: str) -> str:
    return text if len(text) == 4 else f"20{text}"


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word
