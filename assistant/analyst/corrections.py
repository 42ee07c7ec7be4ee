"""A published correction set against the announcement it corrects, as a `Conflict`.

DoD releases correct earlier ones ("CORRECTION: The contract announced on Nov. 1, 2017, for Capco LLC ... was
announced with an incorrect contract number. The correct contract number is W52P1J-18-D-0016."). The correction
is read by assistant/analyst/revisions.py; here it is paired with the original paragraph (same party or contract number,
published on the day the correction names) and each corrected value with the value first announced.
`related_reports` fetches the other half of a pair when retrieval brought only one.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Callable, Sequence

from .conflicts import _PARAGRAPH, Conflict, _about, _span, _value, asked_type
from ..question.names import key_names
from ..text import terms
from .revisions import Revision, find_revisions, typed_values
from ..schema import Passage


def correction_conflicts(passages: Sequence[Passage], names: list[set[str]], wanted: str | None = None) -> list[Conflict]:
    """A correction against the announcement it corrects, for the kind of value asked (any when unknown)."""
    conflicts = []
    for p in passages:
        for revision in find_revisions(p.chunk.text):
            if revision.kind != "correction" or not revision.corrected():
                continue
            original = _original(revision, p, passages)
            if original is None or not _about_subject(names, revision, original[1], wanted):
                continue
            conflicts += _correction_conflict(revision, p, *original, wanted)
    return conflicts


def related_reports(question: str, passages: Sequence[Passage], retriever: Any) -> list[Passage]:
    """Passages to add so a correction and the announcement it corrects are seen together: the original of a
    retrieved correction (searched on the day it names), and a later correction of a retrieved announcement
    about the question's subject (a keyword search for "correction" and the subject's names). Numbered after
    `passages`; empty when there is nothing to pair, so other questions are answered from the same passages."""
    from ..schema import Filters

    names = key_names(question)
    seen = {p.chunk.id for p in passages}
    added: list[Passage] = []

    def add(chunks: Sequence[Any], keep: Callable[[Any], bool]) -> None:
        for chunk in chunks:
            if chunk.id not in seen and keep(chunk):
                seen.add(chunk.id)
                added.append(Passage(chunk, len(passages) + len(added) + 1, 0.0))

    for query, day in originals_to_fetch(question, passages):
        ids = [i for i, _ in retriever.keyword.search(query, 2, Filters(since=day, until=day))]
        add(retriever.store.get_chunks(ids), lambda chunk: True)
    wanted = asked_type(question)
    if names and not any(_corrects(names, p, passages, wanted) for p in passages):
        words = " ".join(sorted(set().union(*names)))
        days = sorted({p.chunk.published for p in passages[:3] if p.chunk.published})
        if days:
            ids = [i for i, _ in retriever.keyword.search(f"correction {words}", 3, Filters(since=days[0]))]
            add(retriever.store.get_chunks(ids), lambda chunk: _corrects(names, Passage(chunk, 0, 0.0), passages, wanted))
    return added


def _corrects(names: list[set[str]], passage: Passage, passages: Sequence[Passage], wanted: str | None) -> bool:
    """The passage holds a published correction about the question's subject (see `_about_subject`)."""
    for revision in find_revisions(passage.chunk.text):
        if revision.kind != "correction" or not revision.text.lower().startswith("correction"):
            continue
        original = _original(revision, passage, passages)
        if _about_subject(names, revision, original[1] if original else "", wanted):
            return True
    return False


def _about_subject(names: list[set[str]], revision: Revision, original: str, wanted: str | None) -> bool:
    """A correction is about the question's subject when it names all of it; or when it and the paragraph it
    corrects do between them, it names part of it, and what it corrects is the value asked: "the contract announced
    on Nov. 1, 2017, for Capco LLC ... the correct contract number is W52P1J-18-D-0016" answers for the contract
    number of Capco's BSU-33 bomb fin award without naming the bomb fins, and for nothing else about that award (its
    customers, its completion date). A corrected count must be of the item asked ("14 MV-22B" is no count of
    CMV-22B). A corrected date is not taken this way: "when" may ask for the award's date or its completion."""
    if not names or _about(names, set(), revision.text, revision.text):
        return True
    if wanted is None or wanted == "date":
        return False
    kinds = [(kind, value) for kind, value in revision.corrected() if kind == wanted]
    if wanted == "count":
        item = lambda value: (terms(value.split(" ", 1)[-1].split()[0]) or [""])[0]  # "14 MV-22B aircraft": "mv-22b"
        kinds = [(k, v) for k, v in kinds if any(item(v) in n for n in names)]
    return bool(kinds) and _about(names, set(), f"{original} {revision.text}", revision.text)


def originals_to_fetch(question: str, passages: Sequence[Passage]) -> list[tuple[str, date]]:
    """(query, day) for each correction among the passages, about the question's subject, whose original
    announcement is not among them: the caller searches that day's releases so both can be compared."""
    names = key_names(question)
    wanted: list[tuple[str, date]] = []
    for p in passages:
        for revision in find_revisions(p.chunk.text):
            if not (revision.kind == "correction" and revision.original_date and revision.text.lower().startswith("correction")):
                continue  # only a published correction notice names an announcement to look up
            if names and not _about(names, set(), revision.text, revision.text):
                continue
            if _original(revision, p, passages) is None:
                party = " ".join(_party_keys(revision.text))
                wanted.append((" ".join([party, *revision.refers_to]).strip() or revision.text[:200], revision.original_date))
    return list(dict.fromkeys(wanted))


def _original(revision: Revision, correcting: Passage, passages: Sequence[Passage]) -> tuple[Passage, str] | None:
    """The passage, and its paragraph, that first announced what the correction corrects."""
    keys = _party_keys(revision.text)
    for p in passages:
        chunk = p.chunk
        if chunk.article_id == correcting.chunk.article_id:
            continue
        if revision.original_date and chunk.published and chunk.published != revision.original_date:
            continue
        for paragraph in _PARAGRAPH.split(chunk.text):
            if "correction" in paragraph.lower()[:20]:
                continue
            if any(k in paragraph for k in revision.refers_to) or (keys and all(k in paragraph for k in keys)):
                return p, paragraph
    return None


def _correction_conflict(revision: Revision, correcting: Passage, original: Passage, paragraph: str, wanted: str | None) -> list[Conflict]:
    right = revision.corrected()
    before = typed_values(paragraph)
    found = []
    for kind, value in right:
        if wanted is not None and kind != wanted:
            continue
        item = value.split(" ", 1)[1] if kind == "count" else ""
        olds = [v for k, v in before if k == kind and v != value and (kind != "count" or v.split(" ", 1)[1] == item)]
        if kind == "date":  # an announcement gives the award as made that day: its own date is the date it gave
            olds = [original.chunk.published.isoformat()] if original.chunk.published else []
        if not olds or olds[0] == value:
            continue
        party = " ".join(_party_keys(revision.text)) or original.chunk.title
        label = {"contract": "contract number", "date": "award date", "count": "number of items", "money": "amount"}[kind]
        found.append(Conflict(
            f"{party}: {label}",
            (
                _value(value, correcting, f"correction; supersedes the announcement of [{original.rank}]", _span(correcting.chunk.text, revision.text)),
                _value(olds[0], original, f"original announcement; corrected by [{correcting.rank}]", _span(original.chunk.text, paragraph)),
            ),
        ))
    return found


_PARTY = re.compile(r"(?:\bto|\bfor|\bthat)\s+(?:the\s+)?([A-Z][\w&.\-]*(?:\s+(?:[A-Z&][\w&.\-]*|of))*)")
_PARTY_START = re.compile(r"^\W*correction:\s+(?:the\s+)?([A-Z][\w&.\-]*(?:\s+[A-Z&][\w&.\-]*)*)", re.I)


def _party_keys(text: str) -> list[str]:
    """The company a correction is about ("Capco LLC"), from "to/for <Name>" or the sentence's subject."""
    for pattern in (_PARTY, _PARTY_START):
        match = pattern.search(text)
        if match:
            name = re.sub(r"\s+(?:Inc|LLC|Co|Corp|Ltd)\.?$", "", match.group(1).strip(" .,"))
            words = [w for w in name.split() if w not in {"The", "A", "An", "Contract", "Modification"}]
            if words and not words[0].startswith(("Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec")):
                return [" ".join(words[:2])]
    return []
