"""Computed answers: a difference, a sum, a duration or an order worked out from values the cited sentences give.

"How much more ...", "what is the combined ...", "how many days between ...", "which came first ..." and "which was
larger, X or Y" are answered by the arithmetic over one value of the asked kind from each cited sentence, shown with
its operands and their citations: "$9.8 billion − $4.5 billion = $5.3 billion [1][2]". Every operand is a span of a
cited sentence; the result is the only figure no passage states, and `check_arithmetic` (used by the grounding check
and the evaluation) recomputes it: a computation counts as supported when its operands are cited and it is right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Sequence

from ..analyst.revisions import _first_date
from .short_answer import _nearest
from ..text import figures

_DIFFERENCE = re.compile(r"\bhow (?:much|many) (?:more|less|fewer|larger|bigger|higher|lower|smaller|greater)\b|\bdifference (?:between|in)\b|\bby how much\b", re.I)
_SUM = re.compile(r"\b(?:combined|together|altogether|sum of|add(?:ed)? up)\b|\b(?:both|the two)\b.*\btotal\b|\btotal of (?:both|the two|all)\b", re.I)
_DURATION = re.compile(r"\bhow (?:many|much) (?:days|weeks|months|years|time)\b.*\b(?:between|after|before|from|since|passed|elapsed|later|earlier)\b|\bhow long (?:after|before|between)\b", re.I)
_FIRST = re.compile(r"\b(?:which|what) (?:\w+ )?(?:came|happened|was|were|occurred|took place) (?:first|earlier|sooner)\b|\bwhich came first\b", re.I)
_LARGER = re.compile(r"\bwhich\b.*\b(?:larger|bigger|greater|higher|more|smaller|less|lower)\b.*\bor\b|\bwhich\b.*\bor\b.*\b(?:larger|bigger|greater|higher|more)\b", re.I)
STATES_TOTAL = re.compile(r"\b(?:combined|total|together|altogether|cumulative)\b", re.I)
_MONEY = re.compile(r"[$€£]\s?(?P<num>\d[\d,]*(?:\.\d+)?)(?:\s?(?P<scale>million|billion|trillion)|(?P<short>M|B|bn|mn)\b)?(?![\w.,]\w)")
_SCALE = {"million": 1e6, "billion": 1e9, "trillion": 1e12, "M": 1e6, "mn": 1e6, "B": 1e9, "bn": 1e9}
_FULL_DATE = re.compile(r"\b(?:Jan|Feb|March|Mar|April|Apr|May|June|Jun|July|Jul|Aug|Sept|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},\s+(?:19|20)\d\d\b")
_MINUS = "\u2212"
# "A − B = C" or "A + B (+ ...) = C" as written by `compute`, with optional citation markers after each value
_VALUE = r"(?:[$€£]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:million|billion|trillion)|(?:M|B|bn|mn)\b)?|(?:Jan|Feb|March|Mar|April|Apr|May|June|Jun|July|Jul|Aug|Sept|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},\s+(?:19|20)\d\d|\d[\d,]*(?:\.\d+)?)"
_MARKS = r"(?:\s*\[\d+\])*"
_EXPRESSION = re.compile(rf"(?P<a>{_VALUE}){_MARKS}\s*(?P<op>[{_MINUS}+])\s*(?P<rest>{_VALUE}{_MARKS}(?:\s*[+]\s*{_VALUE}{_MARKS})*)\s*=\s*(?P<c>{_VALUE})(?P<days>\s+days?)?")


@dataclass(frozen=True)
class Operand:
    value: str  # as the sentence writes it
    rank: int  # the passage it is cited from
    sentence: str


@dataclass(frozen=True)
class Computed:
    kind: str  # "difference", "sum", "duration", "first", "larger"
    text: str  # the line the answer leads with
    short: str  # the result alone
    operands: tuple[Operand, ...]


@dataclass(frozen=True)
class Arithmetic:
    expression: str
    result: str  # canonical figure of the stated result (text.figures)
    right: bool


def asked_operation(question: str) -> str | None:
    """Which computation the question asks for, or None."""
    if _DURATION.search(question):
        return "duration"
    if _FIRST.search(question):
        return "first"
    if _DIFFERENCE.search(question):
        return "difference"
    if _SUM.search(question):
        return "sum"
    if _LARGER.search(question):
        return "larger"
    return None


def compute(question: str, sentences: Sequence[tuple[str, int]]) -> Computed | None:
    """The computed answer from the cited sentences ((text, passage rank), in answer order); None when the question
    asks for no computation or the sentences do not give two values of the kind it needs."""
    operation = asked_operation(question)
    if operation is None:
        return None
    dated = operation in ("duration", "first")
    operands: list[Operand] = []
    for text, rank in sentences:
        value = _date_in(question, text) if dated else _amount_in(question, text)
        if value and not any(o.value == value for o in operands):
            operands.append(Operand(value, rank, text))
    if len(operands) < 2:
        return None
    if operation == "sum" and STATES_TOTAL.search(sentences[0][0]):
        return None  # the article states the total itself: the reader quotes it
    if dated:
        return _dates(operation, operands[:2])
    return _amounts(operation, operands if operation == "sum" else operands[:2])


def check_arithmetic(text: str) -> list[Arithmetic]:
    """Every "A − B = C" / "A + B = C" in `text` (amounts, counts, or dates giving days), recomputed."""
    found = []
    for match in _EXPRESSION.finditer(text):
        values = [match.group("a")] + re.findall(_VALUE, re.sub(r"\[\d+\]", " ", match.group("rest")))
        stated = match.group("c")
        if match.group("days"):
            days = [_parse_date(v) for v in values[:2]]
            right = None not in days and len(values) == 2 and match.group("op") == _MINUS and (days[0] - days[1]).days == _number(stated)
            found.append(Arithmetic(match.group(0), next(iter(figures(stated)), stated), bool(right)))
            continue
        numbers = [_number(v) for v in values]
        result = _number(stated)
        right = False
        if None not in numbers and result is not None:
            total = numbers[0] - sum(numbers[1:]) if match.group("op") == _MINUS else sum(numbers)
            right = abs(total - result) <= 0.005 * max(abs(result), 1.0) + _rounding(stated)
        found.append(Arithmetic(match.group(0), next(iter(figures(stated)), stated), right))
    return found


def verified_figures(text: str) -> set[str]:
    """Canonical figures that are the right result of a computation written in `text` (their operands are checked
    as any other figure)."""
    return {a.result for a in check_arithmetic(text) if a.right}


# --- helpers ---------------------------------------------------------------------------------------------------


def _amount_in(question: str, sentence: str) -> str | None:
    """The amount of the sentence nearest the question's words, whole ("$624.601M", never "$624.601")."""
    return _nearest(question, sentence, [m.span() for m in _MONEY.finditer(sentence)], skip_given=False)


def _date_in(question: str, sentence: str) -> str | None:
    spans = [m.span() for m in _FULL_DATE.finditer(sentence)]
    return _nearest(question, sentence, spans, skip_given=False)


def _amounts(operation: str, operands: list[Operand]) -> Computed | None:
    values = [_number(o.value) for o in operands]
    if None in values or len({o.value.strip()[0] for o in operands}) > 1:
        return None  # an amount not read, or two currencies: no arithmetic across them
    if operation == "larger" and len({o.rank for o in operands}) < 2:
        return None  # two amounts of one passage are too often a part and its whole ("about $2 billion, including ...")
    marks = "".join(f"[{r}]" for r in dict.fromkeys(o.rank for o in operands))
    if operation == "sum":
        total = sum(values)  # type: ignore[arg-type]
        result = _format_like(total, [o.value for o in operands])
        line = f"{' + '.join(o.value for o in operands)} = {result} {marks}."
        return Computed("sum", f"**{result}** in all: {line}", result, tuple(operands))
    big, small = sorted(zip(values, operands), key=lambda x: x[0], reverse=True)  # type: ignore[arg-type]
    result = _format_like(big[0] - small[0], [o.value for o in operands])
    line = f"{big[1].value} {_MINUS} {small[1].value} = {result} {marks}."
    if operation == "larger":
        text = f"**{big[1].value}** [{big[1].rank}] is the larger, against {small[1].value} [{small[1].rank}]: {line}"
        return Computed("larger", text, big[1].value, (big[1], small[1]))
    return Computed("difference", f"**{result}** more: {line}", result, (big[1], small[1]))


def _dates(operation: str, operands: list[Operand]) -> Computed | None:
    days = [_parse_date(o.value) for o in operands]
    if None in days:
        return None
    (late_day, late), (early_day, early) = sorted(zip(days, operands), key=lambda x: x[0], reverse=True)  # type: ignore[arg-type]
    gap = (late_day - early_day).days
    line = f"{late.value} {_MINUS} {early.value} = {gap} days [{late.rank}][{early.rank}]."
    if operation == "first":
        text = f"**{early.value}** [{early.rank}] came first, before {late.value} [{late.rank}]: {line}"
        return Computed("first", text, early.value, (early, late))
    return Computed("duration", f"**{gap} days**: {line}", f"{gap} days", (late, early))


def _parse_date(value: str) -> date | None:
    return _first_date(value)


def _number(value: str) -> float | None:
    money = _MONEY.fullmatch(value.strip())
    if money:
        return float(money.group("num").replace(",", "")) * _SCALE.get(money.group("scale") or money.group("short") or "", 1.0)
    plain = re.fullmatch(r"\d[\d,]*(?:\.\d+)?", value.strip())
    return float(plain.group(0).replace(",", "")) if plain else None


def _rounding(value: str) -> float:
    """Half a unit of the last written digit: "$5.3 billion" stands for anything from 5.25 to 5.35 billion."""
    money = _MONEY.fullmatch(value.strip())
    if not money or not money.group("scale"):
        return 0.5
    decimals = len(money.group("num").split(".")[1]) if "." in money.group("num") else 0
    return 0.5 * 10 ** -decimals * _SCALE[money.group("scale")]


def _format_like(amount: float, examples: list[str]) -> str:
    """The result written as its operands are: "$5.3 billion" for scaled ones, "$344,395" for exact ones."""
    currency = next((v.strip()[0] for v in examples if v.strip()[0] in "$€£"), "$")
    scaled = [m for v in examples if (m := _MONEY.fullmatch(v.strip())) and m.group("scale")]
    if scaled and len(scaled) == len(examples):
        scale = max((m.group("scale") for m in scaled), key=lambda s: _SCALE[s])
        decimals = max(len(m.group("num").split(".")[1]) if "." in m.group("num") else 0 for m in scaled)
        return f"{currency}{amount / _SCALE[scale]:,.{max(decimals, 1)}f} {scale}"
    return f"{currency}{amount:,.0f}"
