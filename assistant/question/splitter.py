"""The separate things a question asks: "How many X ... and how many Y ...?" gives two parts.

`SHAPES` is a table: each row is one shape of question, the pattern that recognises it, and what each of its parts
asks. `split_question` tries the rows in order (the first row whose parts come out wins) and falls back to
splitting at "and what / and how ..." and at a short "or" alternative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

# "The chancellor who broke ground at Rheinmetall's plant had earlier created a fund of what size?"
_DESCRIBED = re.compile(
    r"^the (?P<noun>[a-z\-]+(?: [a-z\-]+){0,4}?) (?P<rel>who|whose|that) (?P<clause>.+?)"
    r"(?:[:;]\s*(?P<ask>.+)|\s(?P<main>(?:had|has|have|was|is|were|are|will|would|later|also|earlier|then)\b.+))$",
    re.I,
)
# "How does A compare in value with B"
_HOW_COMPARE = re.compile(
    r"^how (?:does|do|did|would) (?P<a>.+?) compare (?:in (?P<dim>\w+) )?(?:with|to|against) (?P<b>.+?)"
    r"(?: in (?P<dim2>[a-z]+))?$",
    re.I,
)
# "Which came first, A or B"
_WHICH_FIRST = re.compile(
    r"^(?:which|what) (?:came|happened|was|occurred) (?:first|earlier|sooner)[,:]?\s+(?P<a>.+?),? or (?P<b>.+?)(?:,|\?|$)", re.I
)
# "Which was larger: A or B", "Which job removes more material, A or B"
_WHICH_OR = re.compile(r"^which (?P<head>[^:,]+)[:,]\s*(?P<a>.+?),? or (?P<b>[^,]+?)(?P<tail>,.*)?$", re.I)
# "Compare the FY2024 and FY2025 RDT&E requests"
_COMPARE = re.compile(r"^(?:compare|contrast)\s+(?:the\s+)?(?P<a>\S+)\s+(?:and|with|to)\s+(?:the\s+)?(?P<b>\S+)\s+(?P<rest>.+)$", re.I)
# "prime on both the B-21 and Sentinel: when was each contract won"
_BOTH = re.compile(r"\bboth (?:the )?(?P<a>[A-Z][\w\-]*(?: [A-Z][\w\-]*)?) and (?:the )?(?P<b>[A-Z][\w\-]*(?: [A-Z][\w\-]*)?)")
# "How much did X change between the January 2024 notice and the July 2024 certification"
_BETWEEN = re.compile(
    r"^(?P<head>.*\b(?:chang|differ|grow|grew|rise|rose|fell|fall|increas|decreas)\w*\b.*?)\s+between\s+(?P<a>.+?)\s+and\s+(?P<b>.+)$",
    re.I,
)
# "... did SpaceX get compared with Blue Origin"
_VERSUS = re.compile(r"^(?P<left>.+?)\s+(?:compared (?:with|to)|versus|vs\.?|as against)\s+(?P<right>[^,]+)$", re.I)
# "Tranche 0 and Tranche 1", "Lot 15 and 16": two members of one series
_SERIES_PAIR = re.compile(r"\b(?P<w>[A-Z][a-z]+) (?P<a>\d+[A-Z]?) and (?:(?P=w) )?(?P<b>\d+[A-Z]?)\b(?![,.]?\d)")
# the fallback: "..., and how many ...", "...; what did CBO estimate ...?" (a premise, then the question about it)
_SPLIT = re.compile(
    # "Which was bigger, and by how much?" asks one comparison, "Which countries, and in what proportions?" one list
    # with its shares: "by how much" and "in what proportions" cannot be asked on their own
    r"(?:,\s*|;\s*|\s+)(?:and|but)\s+(?!by how (?:much|many|far)\b|(?:with|in|at) what (?:shares?|proportions?|percent\w*|split)\b)(?=(?:(?:at|in|on|for|by|from|with|to|of) )?(?:what|which|who|whom|whose|how|when|where|why|did|does|do|is|was|were|has|have)\b|(?:its|their) \w+\W*$)"
    r"|[;:]\s+(?=(?:(?:at|in|on|for|by|from|with|to|of) )?(?:what|which|who|whom|how|when|where)\b)",
    re.I,
)
# "by end-2025", "in fiscal 2024": when a question asks about
_LIMIT = re.compile(
    r",?\s+(?:by|in|before|after|until|for|as of)\s+(?:the\s+)?(?:(?:end|start|early|mid|late)[- ](?:of\s+)?)?"
    r"(?:fiscal\s+|fy\s?)?(?:19|20)\d\d\b",
    re.I,
)
_DATED = re.compile(r"\b(?:19|20)\d\d\b|\b[A-Z]")  # a year or a name: two things, not a span of numbers
_CAPITALISED = re.compile(r"\b[A-Z][\w\-]*(?:\s+[A-Z0-9][\w\-]*)*")
_VALUE_WORDS = ("value", "cost", "price", "worth")


@dataclass(frozen=True)
class Shape:
    """One shape of question: the pattern that recognises it and the parts it asks (None: not this shape after all)."""

    asks: str  # what each part asks, for a reader of this table
    pattern: re.Pattern[str]
    parts: Callable[[re.Match[str], str], list[str] | None]
    anywhere: bool = False  # `search` the question instead of `match`ing it from its start
    last_sentence: bool = False  # look only at the question's last sentence (what comes before is a premise)


def _described(m: re.Match[str], norm: str) -> list[str] | None:
    if re.search(r"[.?!]\s", norm):
        return None
    noun, clause = m.group("noun"), m.group("clause")
    which = f"Which {noun}'s {clause}" if m.group("rel").lower() == "whose" else f"Which {noun} {clause}"
    ask = m.group("ask") or f"they {m.group('main')}"  # "they": refers to the first part's answer
    return [which, *(split_question(ask) or [ask])]


def _how_compare(m: re.Match[str], norm: str) -> list[str] | None:
    dim = m.group("dim") or m.group("dim2")
    return [f"{m.group('a')} {dim}", f"{m.group('b')} {dim}"] if dim in _VALUE_WORDS else None


def _both(m: re.Match[str], norm: str) -> list[str] | None:
    if not re.search(r"\beach\b", norm):
        return None
    asked = re.split(r"[;:]\s*", norm)[-1]
    return [re.sub(r"\beach\b", f"the {m.group(n)}", asked, count=1) for n in ("a", "b")]


def _between(m: re.Match[str], norm: str) -> list[str] | None:
    if not (_DATED.search(m.group("a")) and _DATED.search(m.group("b"))):
        return None
    return [f"{m.group('head')} at {m.group('a')}", f"{m.group('head')} at {m.group('b')}"]


def _versus(m: re.Match[str], norm: str) -> list[str] | None:
    left, right = m.group("left").rstrip(" ,"), m.group("right").strip()
    names = _CAPITALISED.findall(left)[1:] if left[:1].isupper() else _CAPITALISED.findall(left)
    if not _CAPITALISED.search(right) and _LIMIT.search(left):
        # "... by end-2025, versus the pre-war rate": the same thing at another time
        return [left, f"{_LIMIT.sub('', left).rstrip(' ,')}, {right}"]
    if names:  # the last name the question gives is the one compared
        last = names[-1]
        at = left.rindex(last)
        return [left, left[:at] + right + left[at + len(last) :]]
    return None


def _series_pair(m: re.Match[str], asking: str) -> list[str] | None:
    word = m.group("w")
    return [asking[: m.start()] + f"{word} {m.group(n)}" + asking[m.end() :] for n in ("a", "b")]


SHAPES: tuple[Shape, ...] = (
    Shape("first which person or thing the description names, then the question about them", _DESCRIBED, _described),
    Shape("the value (cost, price, worth) of each of the two", _HOW_COMPARE, _how_compare),
    Shape("when each of the two happened", _WHICH_FIRST, lambda m, _: [f"When was {m.group(n)}" for n in ("a", "b")]),
    Shape(
        "the same thing asked of each alternative", _WHICH_OR,
        lambda m, _: [f"{m.group('head')}: {m.group(n)}{m.group('tail') or ''}" for n in ("a", "b")],
    ),
    Shape(
        "the same thing for each of the two names", _COMPARE,
        lambda m, _: [f"What was the {m.group(n)} {m.group('rest')}" for n in ("a", "b")],
    ),
    Shape("the question asked of each of the two ('each')", _BOTH, _both, anywhere=True),
    Shape("the changing thing at each of two dated points", _BETWEEN, _between),
    Shape("the same question about the other name, or at the other time", _VERSUS, _versus),
    Shape("each member of the series on its own", _SERIES_PAIR, _series_pair, anywhere=True, last_sentence=True),
)


def split_question(question: str) -> list[str]:
    """The separate things a question asks: 'How many X ... and how many Y ...?' gives two parts."""
    norm = question.strip().rstrip("?.")
    questions = [q for q in re.split(r"\?\s+", norm) if q.strip()]
    if len(questions) > 1:  # several questions in one ("What did SDA launch ...? Who built them?")
        return [part for q in questions for part in (split_question(q) or [q.strip()])]
    for shape in SHAPES:
        text = re.split(r"(?<=[.!])\s+", norm)[-1] if shape.last_sentence else norm
        match = shape.pattern.search(text) if shape.anywhere else shape.pattern.match(text)
        parts = shape.parts(match, text) if match else None
        if parts is not None:
            return parts
    parts = [p.strip(" ,") for p in _SPLIT.split(norm) if p.strip(" ,")]
    if len(parts) == 1 and " or " in norm:
        left, right = norm.rsplit(" or ", 1)
        words = right.split()
        if 0 < len(words) <= 6 and len(left.split()) > len(words):
            parts = [left, " ".join(left.split()[: -len(words)] + words)]
    return parts if len(parts) > 1 else []
