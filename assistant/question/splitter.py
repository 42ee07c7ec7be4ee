"""The separate things a question asks: "How many X ... and how many Y ...?" gives two parts.

Each pattern below recognises one shape of question and says what each of its parts asks; `split_question`
tries them in order (the first that matches wins) and falls back to splitting at "and what / and how ...".
"""

from __future__ import annotations

import re

_SPLIT = re.compile(
    r"(?:,\s*|;\s*|\s+)(?:and|but)\s+(?=(?:(?:at|in|on|for|by|from|with|to|of) )?(?:what|which|who|whom|how|when|where|why|did|does|do|is|was|were|has|have)\b|(?:its|their) \w+\W*$)"
    # a premise, then the question about it: "The order demanded X; what did CBO estimate ...?"
    r"|[;:]\s+(?=(?:(?:at|in|on|for|by|from|with|to|of) )?(?:what|which|who|whom|how|when|where)\b)",
    re.I,
)
_WHICH_FIRST = re.compile(
    r"^(?:which|what) (?:came|happened|was|occurred) (?:first|earlier|sooner)[,:]?\s+(?P<a>.+?),? or (?P<b>.+?)(?:,|\?|$)", re.I
)
# "... did SpaceX get compared with Blue Origin": the same question about the other name.
_VERSUS = re.compile(r"^(?P<left>.+?)\s+(?:compared (?:with|to)|versus|vs\.?|as against)\s+(?P<right>[^,]+)$", re.I)
# "Compare the FY2024 and FY2025 RDT&E requests": the same thing for each of two names.
_COMPARE = re.compile(r"^(?:compare|contrast)\s+(?:the\s+)?(?P<a>\S+)\s+(?:and|with|to)\s+(?:the\s+)?(?P<b>\S+)\s+(?P<rest>.+)$", re.I)
# "prime on both the B-21 and Sentinel: when was each contract won": one question for each.
# "Tranche 0 and Tranche 1", "Lot 15 and 16": two members of one series
_SERIES_PAIR = re.compile(r"\b(?P<w>[A-Z][a-z]+) (?P<a>\d+[A-Z]?) and (?:(?P=w) )?(?P<b>\d+[A-Z]?)\b(?![,.]?\d)")
# "The chancellor who broke ground at Rheinmetall's plant had earlier created a fund of what size?": first which
# chancellor that is, then the question about them.
_DESCRIBED = re.compile(
    r"^the (?P<noun>[a-z\-]+(?: [a-z\-]+){0,4}?) (?P<rel>who|whose|that) (?P<clause>.+?)"
    r"(?:[:;]\s*(?P<ask>.+)|\s(?P<main>(?:had|has|have|was|is|were|are|will|would|later|also|earlier|then)\b.+))$",
    re.I,
)
# "Which was larger: A or B", "Which job removes more material, A or B": the same thing asked of each
_WHICH_OR = re.compile(r"^which (?P<head>[^:,]+)[:,]\s*(?P<a>.+?),? or (?P<b>[^,]+?)(?P<tail>,.*)?$", re.I)
# "How does A compare in value with B": the value of each (an amount; "in size" is read as a whole)
_HOW_COMPARE = re.compile(
    r"^how (?:does|do|did|would) (?P<a>.+?) compare (?:in (?P<dim>\w+) )?(?:with|to|against) (?P<b>.+?)"
    r"(?: in (?P<dim2>[a-z]+))?$",
    re.I,
)
_BOTH = re.compile(r"\bboth (?:the )?(?P<a>[A-Z][\w\-]*(?: [A-Z][\w\-]*)?) and (?:the )?(?P<b>[A-Z][\w\-]*(?: [A-Z][\w\-]*)?)")
# "How much did X change between the January 2024 notice and the July 2024 certification": X at each.
_BETWEEN = re.compile(
    r"^(?P<head>.*\b(?:chang|differ|grow|grew|rise|rose|fell|fall|increas|decreas)\w*\b.*?)\s+between\s+(?P<a>.+?)\s+and\s+(?P<b>.+)$",
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


def split_question(question: str) -> list[str]:
    """The separate things a question asks: 'How many X ... and how many Y ...?' gives two parts."""
    norm = question.strip().rstrip("?.")
    questions = [q for q in re.split(r"\?\s+", norm) if q.strip()]
    if len(questions) > 1:  # several questions in one ("What did SDA launch ...? Who built them?")
        return [part for q in questions for part in (split_question(q) or [q.strip()])]
    described = _DESCRIBED.match(norm)
    if described and not re.search(r"[.?!]\s", norm):
        noun, clause = described.group("noun"), described.group("clause")
        which = f"Which {noun}'s {clause}" if described.group("rel").lower() == "whose" else f"Which {noun} {clause}"
        ask = described.group("ask") or f"they {described.group('main')}"  # "they": refers to the first part's answer
        return [which, *(split_question(ask) or [ask])]
    how = _HOW_COMPARE.match(norm)
    if how and (how.group("dim") or how.group("dim2")) in ("value", "cost", "price", "worth"):
        dim = how.group("dim") or how.group("dim2")
        return [f"{how.group('a')} {dim}", f"{how.group('b')} {dim}"]
    order = _WHICH_FIRST.match(norm)
    if order:  # "which came first, A or B": when was each
        return [f"When was {order.group('a')}", f"When was {order.group('b')}"]
    alternatives = _WHICH_OR.match(norm)
    if alternatives:
        head, tail = alternatives.group("head"), alternatives.group("tail") or ""
        return [f"{head}: {alternatives.group(n)}{tail}" for n in ("a", "b")]
    compare = _COMPARE.match(norm)
    if compare:
        rest = compare.group("rest")
        return [f"What was the {compare.group('a')} {rest}", f"What was the {compare.group('b')} {rest}"]
    both = _BOTH.search(norm)
    if both and re.search(r"\beach\b", norm):
        asked = re.split(r"[;:]\s*", norm)[-1]
        return [re.sub(r"\beach\b", f"the {both.group(n)}", asked, count=1) for n in ("a", "b")]
    between = _BETWEEN.match(norm)
    if between and _DATED.search(between.group("a")) and _DATED.search(between.group("b")):
        head = between.group("head")
        return [f"{head} at {between.group('a')}", f"{head} at {between.group('b')}"]
    versus = _VERSUS.match(norm)
    if versus:
        left, right = versus.group("left").rstrip(" ,"), versus.group("right").strip()
        names = _CAPITALISED.findall(left)[1:] if left[:1].isupper() else _CAPITALISED.findall(left)
        if not _CAPITALISED.search(right) and _LIMIT.search(left):
            # "... by end-2025, versus the pre-war rate": the same thing at another time
            return [left, f"{_LIMIT.sub('', left).rstrip(' ,')}, {right}"]
        if names:  # the last name the question gives is the one compared
            last = names[-1]
            at = left.rindex(last)
            return [left, left[:at] + right + left[at + len(last) :]]
    asking = re.split(r"(?<=[.!])\s+", norm)[-1]
    pair = _SERIES_PAIR.search(asking)
    if pair:  # "its Tranche 0 and Tranche 1 Transport Layer deals": each member of the series on its own
        word = pair.group("w")
        return [asking[: pair.start()] + f"{word} {pair.group(n)}" + asking[pair.end() :] for n in ("a", "b")]
    parts = [p.strip(" ,") for p in _SPLIT.split(norm) if p.strip(" ,")]
    if len(parts) == 1 and " or " in norm:
        left, right = norm.rsplit(" or ", 1)
        words = right.split()
        if 0 < len(words) <= 6 and len(left.split()) > len(words):
            parts = [left, " ".join(left.split()[: -len(words)] + words)]
    return parts if len(parts) > 1 else []
