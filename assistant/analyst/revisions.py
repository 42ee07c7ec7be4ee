"""Corrections and revisions stated in text, and which value supersedes which.

`find_revisions(text)` reads sentences such as "CORRECTION: ... should have stated 14 MV-22B aircraft",
"had an inaccurate award amount. The actual amount was $52,355,650", "was actually awarded on July 22",
"a new cost estimate of $140.9 billion, 81% above the programme's 2020 baseline of $77.7 billion" or
"up from $X" and returns `Revision`s: the new value, the value it replaces when the text names it, and
what the revision is about (contract numbers, the date of the original announcement). A reader that
answers with a figure calls `superseding(claims, revisions)` to prefer the corrected value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..ingest.chunking import split_sentences
from ..grounding.claims import Claim, claims_in, same_value
from ..question.timeparse import _MONTHS

CORRECTION = re.compile(r"^\W*correction\b|\b(?:was|were|is) (?:incorrect|inaccurate|erroneous|wrong)\b|\b(?:an?|the) (?:incorrect|inaccurate|erroneous|wrong) (?:\w+ ){0,2}(?:date|amount|number|value|figure|name|location)\b|\bshould have (?:stated|read|said|been)\b|\bcorrect(?:ed)? (?:amount|date|statement|contract number|value|figure) (?:is|was)\b", re.I)
_ACTUAL = re.compile(r"\b(?:was actually|actual(?:ly)?|correct (?:\w+ ){1,4}?(?:is|was))\b", re.I)
REVISED = re.compile(r"\b(?:revis\w+|updated estimate|new (?:cost )?estimate|raised|lowered|increased|rose|grew|climb\w*|jump\w*|now (?:estimated|put|expected))\b", re.I)
# Phrases that name the value being replaced: "up from $77.7 billion", "the previous estimate of $95.8 billion".
_OLD_BEFORE = re.compile(r"\b(?:up|down|increase\w*|rise|rising) from\s*$|\b(?:previous|prior|earlier|original|initial|old)\s+(?:\w+\s+){0,3}(?:of|was|at)?\s*$|\bbaseline\s+(?:of|was|at)?\s*$|\bfrom about\s*$|\bfrom\s*$", re.I)
_CONTINUES = re.compile(_ACTUAL.pattern + r"|\bshould have (?:stated|read|said|been)\b|\b(?:all )?other (?:contract )?information\b", re.I)
_STARTS = re.compile(r"\W*correction\b", re.I)
# What a correction says is right: the value after "the correct contract number is", "should have stated", ...
_RIGHT = re.compile(r"\b(?:correct (?:\w+ ){1,4}?(?:is|was)|actual(?:ly)? (?:\w+ ){0,3}(?:is|was|on)|should have (?:stated|read|said)(?: that)?|actually awarded (?:on )?)", re.I)
_DATE = re.compile(r"\b(?P<month>Jan|Feb|March|Mar|April|Apr|May|June|Jun|July|Jul|Aug|Sept|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(?P<day>\d{1,2}),\s+(?P<year>(?:19|20)\d\d)")
_CONTRACT_NO = re.compile(r"\b[A-Z0-9]{6}-\d{2}-[A-Z]-[A-Z0-9]{4}\b")


@dataclass(frozen=True)
class Revision:
    """A sentence that corrects or revises an earlier value. Offsets are into the text given."""

    kind: str  # "correction" (an outlet corrects its own release) or "revision" (a figure has changed)
    start: int
    end: int
    text: str
    new: tuple[Claim, ...] = ()  # the amounts that now stand
    old: tuple[Claim, ...] = ()  # the amounts the sentence says are replaced
    refers_to: tuple[str, ...] = ()  # contract numbers the correction is about
    original_date: date | None = None  # when the corrected announcement was first made, if stated

    def corrected(self) -> list[tuple[str, str]]:
        """What the correction says is right, as (type, value): ("contract", "W52P1J-18-D-0016"),
        ("date", "2015-07-22"), ("count", "14 MV-22B aircraft") or ("money", "$52,355,650")."""
        cue = _RIGHT.search(self.text)
        return typed_values(self.text[cue.end() :]) if cue else []


def find_revisions(text: str) -> list[Revision]:
    """Every correction or revision in `text`, in reading order. A correction's later sentences
    ("The actual amount was $52,355,650.") belong to it."""
    found: list[Revision] = []
    spans = split_sentences(text)
    claims = claims_in(text)
    i = 0
    while i < len(spans):
        start, end = spans[i]
        sentence = text[start:end]
        if CORRECTION.search(sentence):
            # a correction runs on while its next sentences say what is actual or accurate
            while i + 1 < len(spans) and _CONTINUES.search(text[spans[i + 1][0] : spans[i + 1][1]]) and not _STARTS.match(text[spans[i + 1][0] :]):
                i += 1
                end = spans[i][1]
            found.append(_revision("correction", text, start, end, claims))
        elif REVISED.search(sentence) and any(c.sentence == (start, end) for c in claims):
            revision = _revision("revision", text, start, end, claims)
            if revision.old:  # a figure that changed, and the sentence names what it changed from
                found.append(revision)
        i += 1
    return found


def is_correction(sentence: str) -> bool:
    return bool(CORRECTION.search(sentence))


def superseding(claims: list[Claim], revisions: list[Revision]) -> list[Claim]:
    """The claims with every value a revision names as replaced taken out: what a reader should answer with."""
    replaced = [old for r in revisions for old in r.old]
    return [c for c in claims if not any(c.start == o.start and c.end == o.end for o in replaced)]


def old_values(text: str) -> list[Claim]:
    """Amounts the text itself marks as replaced ("up from $X", "the previous estimate of $X", "baseline of $X")."""
    return [c for r in find_revisions(text) for c in r.old]


def _revision(kind: str, text: str, start: int, end: int, claims: list[Claim]) -> Revision:
    inside = [c for c in claims if start <= c.start < end]
    old = tuple(c for c in inside if _OLD_BEFORE.search(text[max(start, c.start - 60) : c.start]))
    if kind == "correction":
        # "had an inaccurate award amount. The actual amount was $X": the amount after the cue is the new one
        cue = _ACTUAL.search(text, start, end)
        new = tuple(c for c in inside if c not in old and (cue is None or c.start >= cue.start()))
    else:
        new = tuple(c for c in inside if c not in old and not any(same_value(c, o) for o in old))
    block = text[start:end]
    return Revision(
        kind=kind, start=start, end=end, text=" ".join(block.split()), new=new, old=old,
        refers_to=tuple(dict.fromkeys(_CONTRACT_NO.findall(block))), original_date=_first_date(block),
    )


def _first_date(text: str) -> date | None:
    for match in _DATE.finditer(text):
        name = match.group("month").lower()
        month = _MONTHS.get(name[:4] if name.startswith("sept") else name[:3])
        try:
            return date(int(match.group("year")), month or 0, int(match.group("day")))
        except ValueError:
            continue
    return None


_COUNTED = re.compile(r"\b(\d[\d,]*)\s+((?:[A-Z][\w-]*\s+)?(?:aircraft|missiles?|vehicles?|ships?|satellites?|helicopters?|units?|systems?|launchers?))\b")


def typed_values(text: str) -> list[tuple[str, str]]:
    """The contract numbers, full dates, counted items and amounts in `text`, first come first."""
    found: list[tuple[int, str, str]] = []
    found += [(m.start(), "contract", m.group(0)) for m in _CONTRACT_NO.finditer(text)]
    found += [(m.start(), "date", d.isoformat()) for m in _DATE.finditer(text) if (d := _first_date(m.group(0)))]
    found += [(m.start(), "count", f"{m.group(1)} {m.group(2)}") for m in _COUNTED.finditer(text)]
    found += [(c.start, "money", c.value) for c in claims_in(text)]
    return [(kind, value) for _, kind, value in sorted(found)]
