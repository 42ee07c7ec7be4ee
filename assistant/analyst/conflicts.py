"""Where the retrieved passages disagree: different values of the same kind about the same thing.

Two sources of disagreement are read:

- **figures**: amounts of one kind (cost, unit cost, contract value, budget) about the question's subject,
  from at least two different stories, that are not the same value once rounding is allowed for and not
  set apart by what they are for (another fiscal year, contract number or number of items);
- **corrections**: a release that corrects an earlier one ("The correct contract number is ...") against
  the original announcement, when that announcement is among the passages (assistant/analyst/corrections.py).

Each conflict lists its values newest first, with the passage number, source and date, and a note on which
value supersedes which when an article says so (a correction, a revision, "up from", a baseline).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from ..grounding.claims import Claim, claims_in, compatible, kind_of, qualifiers, same_value
from ..question.names import designations, key_names, other_designation
from .revisions import REVISED, find_revisions
from ..schema import Passage
from ..text import terms

_ASKS_AMOUNT = re.compile(r"\b(?:how much|what (?:is|was|were) the (?:\w+ )?(?:value|amount|total|figure))\b", re.I)
_PARAGRAPH = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class ConflictValue:
    value: str
    n: int  # the passage number, as in the answer's [n]
    published: str
    source: str
    note: str = ""
    article_id: str = ""
    title: str = ""
    quote: str = ""


@dataclass(frozen=True)
class Conflict:
    about: str
    values: tuple[ConflictValue, ...]


@dataclass(frozen=True)
class _Stated:
    claim: Claim
    passage: Passage
    group: str
    old: bool  # the article itself marks this value as replaced
    fit: float = 0.0  # share of the question's words (besides its names) that the value's sentence says


_TYPE_CUES = (
    ("contract", re.compile(r"\bcontract number\b|\bnumber of the contract\b", re.I)),
    ("date", re.compile(r"\bwhen\b|\bwhat date\b|\bwhich day\b", re.I)),
    ("count", re.compile(r"\bhow many\b|\bnumber of\b", re.I)),
    ("money", re.compile(r"\bhow much\b|\bworth\b|\bvalue\b|\bamount\b|\bcost\b|\bprice\b", re.I)),
)


def asked_type(question: str) -> str | None:
    """What kind of value a question asks for: a contract number, a date, a count, an amount, or None."""
    for kind, cue in _TYPE_CUES:
        if cue.search(question):
            return kind
    return None


def find_conflicts(question: str, passages: Sequence[Passage], group_of: Callable[[str], str] | None = None) -> list[Conflict]:
    """The disagreements among `passages` that bear on `question` (empty when they agree)."""
    group_of = group_of or (lambda article_id: article_id)
    names = key_names(question)
    from .corrections import correction_conflicts  # corrections build on this module's types

    found = correction_conflicts(passages, names, asked_type(question))
    asked = kind_of(question)
    if asked is not None or _ASKS_AMOUNT.search(question):
        found += _figure_conflicts(question, passages, names, asked, group_of)
    return found


def conflict_dict(conflict: Conflict) -> dict[str, object]:
    return {
        "about": conflict.about,
        "values": [
            {"value": v.value, "n": v.n, "published": v.published, "source": v.source, "note": v.note,
             "article_id": v.article_id, "title": v.title, "quote": v.quote}
            for v in conflict.values
        ],
    }


def conflicts_note(conflicts: Sequence[Conflict]) -> str:
    """One plain paragraph for the language model and the terminal: the values, newest first."""
    lines = []
    for c in conflicts:
        values = "; ".join(f"{v.value} [{v.n}] ({v.source or 'unknown source'}, {v.published or 'undated'}{', ' + v.note if v.note else ''})" for v in c.values)
        lines.append(f"Reports differ on {c.about}: {values}.")
    return " ".join(lines)


# --- figures --------------------------------------------------------------------------------


def _figure_conflicts(question: str, passages: Sequence[Passage], names: list[set[str]], asked: str | None, group_of: Callable[[str], str]) -> list[Conflict]:
    stated: list[_Stated] = []
    name_terms = set().union(*names) if names else set()
    asked_terms = set(terms(question)) - name_terms
    asked_years = {q for q in qualifiers(question) if q.startswith("fy:")}
    series = designations(question)
    seen: set[tuple[str, int]] = set()
    for p in passages:
        chunk = p.chunk
        title_terms = set(terms(chunk.title))
        title_years = {q for q in qualifiers(chunk.title) if q.startswith("fy:")}
        replaced = [(r, c) for r in find_revisions(chunk.text) for c in r.old]
        for claim in claims_in(chunk.text):
            if (chunk.article_id, chunk.start + claim.start) in seen:
                continue  # the same sentence in an overlapping chunk
            seen.add((chunk.article_id, chunk.start + claim.start))
            if asked is not None and claim.kind != asked:
                continue
            sentence = chunk.text[claim.sentence[0] : claim.sentence[1]]
            if names and not _about(names, title_terms, _paragraph(chunk.text, claim.start), sentence):
                continue
            fit = _fit(asked_terms, sentence)
            if fit < 0.5 or other_designation(series, sentence):
                continue  # not an answer to the question, or about another member of the asked series
            # an amount without a fiscal year of its own is for the one its article's title names
            years = {q for q in claim.qualifiers if q.startswith("fy:")} or title_years
            if asked_years and years and not years & asked_years:
                continue  # an amount for another fiscal year than the one asked about
            if years and not claim.qualifiers & years:
                claim = replace(claim, qualifiers=claim.qualifiers | years)
            old = any(c.start == claim.start for _, c in replaced)
            stated.append(_Stated(claim, p, group_of(chunk.article_id), old, fit))
    conflicts = []
    for kind in dict.fromkeys(s.claim.kind for s in stated):
        same_kind = [s for s in stated if s.claim.kind == kind]
        for component in _components(same_kind):
            if _disagree(component):
                conflicts.append(Conflict(f"{_subject(question, names)}: {kind}", _values(component)))
    return conflicts


def _about(names: list[set[str]], title_terms: set[str], paragraph: str, sentence: str) -> bool:
    """The article's title names every one of the question's names; or the paragraph (with the title) does and
    the sentence itself names one of them."""
    if all(name <= title_terms for name in names):
        return True
    present = title_terms | set(terms(paragraph))
    said = set(terms(sentence))
    return all(name <= present for name in names) and any(name <= said for name in names)


def _fit(asked: set[str], sentence: str) -> float:
    """How much of what the question asks besides its names ("estimated cost", "budget request") the sentence says."""
    return len(asked & set(terms(sentence))) / len(asked) if asked else 1.0


def _components(stated: list[_Stated]) -> list[list[_Stated]]:
    """Groups of amounts that could all be about the same thing (linked by `compatible`)."""
    parent = list(range(len(stated)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(stated):
        for j in range(i + 1, len(stated)):
            if compatible(a.claim, stated[j].claim):
                parent[root(i)] = root(j)
    groups: dict[int, list[_Stated]] = {}
    for i, s in enumerate(stated):
        groups.setdefault(root(i), []).append(s)
    return list(groups.values())


def _disagree(component: list[_Stated]) -> bool:
    """Two stories answer differently: each story's own answer (its value in the sentence that fits the question
    best, not one it reports as replaced, the first such) differs from another's."""
    answers: dict[str, _Stated] = {}
    for s in sorted(component, key=lambda s: (-s.fit, s.old, s.passage.rank, s.claim.start)):
        answers.setdefault(s.group, s)
    picked = list(answers.values())
    return any(_rival(a.claim, b.claim) for i, a in enumerate(picked) for b in picked[i + 1 :])


_RIVAL_RATIO = 2.5  # figures further apart than this are a part and a whole (a share, a sub-budget), not rivals


def _rival(a: Claim, b: Claim) -> bool:
    low, high = sorted((a.amount, b.amount))
    return not same_value(a, b) and high <= _RIVAL_RATIO * low


def _values(component: list[_Stated]) -> tuple[ConflictValue, ...]:
    ordered = sorted(component, key=lambda s: (s.passage.chunk.published.toordinal() if s.passage.chunk.published else 0, not s.old, -s.passage.rank), reverse=True)
    kept: list[_Stated] = []
    for s in ordered:
        if not any(same_value(s.claim, k.claim) for k in kept):
            kept.append(s)
    newest = kept[0]
    # the newest value supersedes the others only when its sentence says it revises them ("a new estimate", "up from")
    revises = bool(REVISED.search(newest.passage.chunk.text[newest.claim.sentence[0] : newest.claim.sentence[1]]))
    out = []
    for s in kept:
        if s is newest:
            note = "latest reported" + ("; reported as a revision" if revises else "")
        elif s.old:
            note = "earlier figure; the article itself reports it as replaced"
        elif s.passage.chunk.published and newest.passage.chunk.published and s.passage.chunk.published < newest.passage.chunk.published:
            note = "earlier report" + (f"; superseded by [{newest.passage.rank}]" if revises else "")
        else:
            note = "reported at the same time"
        also = sorted({o.passage.chunk.source for o in component if same_value(o.claim, s.claim) and o.group != s.group and o.passage.chunk.source})
        if also:
            note += f"; also reported by {', '.join(also)}"
        out.append(_value(s.claim.value, s.passage, note, s.claim.sentence))
    return tuple(out)


# --- shared ---------------------------------------------------------------------------------


def _value(value: str, passage: Passage, note: str, span: tuple[int, int]) -> ConflictValue:
    chunk = passage.chunk
    return ConflictValue(
        value=value, n=passage.rank, published=chunk.published.isoformat() if chunk.published else "",
        source=chunk.source, note=note, article_id=chunk.article_id, title=chunk.title,
        quote=" ".join(chunk.text[span[0] : span[1]].split()),
    )


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.find(part[:60])
    return (start, start + len(part)) if start >= 0 else (0, min(len(text), 300))


def _paragraph(text: str, at: int) -> str:
    start = max((m.end() for m in _PARAGRAPH.finditer(text, 0, at)), default=0)
    end = _PARAGRAPH.search(text, at)
    return text[start : end.start() if end else len(text)]


def _subject(question: str, names: list[set[str]]) -> str:
    words = [w.strip("?,.") for w in question.split()]
    wanted = set().union(*names) if names else set()
    picked = [w for w in words if w and set(terms(w)) & wanted]
    return " ".join(dict.fromkeys(picked)) or "the question's subject"
