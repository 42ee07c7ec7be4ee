"""Citation cards as a reader meets them: numbered 1..n in the order the answer cites them, one card per article.

An answer composed from passages keeps their retrieval ranks as markers ("[2]", "[1][4][6]"), and two chunks of
one article make two cards. `renumber` gives each cited article the next number at its first marker, folds the
other cited passages of that article into its card (`Citation.also`), and rewrites the markers, the sentence
checks and the passages' order to match. A refusal's reason is split into words and the score behind them.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..schema import Answer, Citation

_MARKER = re.compile(r"\[(\d+)\]")
_SCORE = re.compile(r"\s*\((?P<score>\d+\.\d+); an answer needs (?P<needs>\d+(?:\.\d+)?)\)")


def renumber(answer: Answer) -> Answer:
    """The answer with cards numbered in citing order, one per article; unchanged when nothing is cited."""
    if not answer.citations:
        return answer
    by_n = {c.n: c for c in answer.citations}
    article_number: dict[str, int] = {}
    new_n: dict[int, int] = {}
    for match in _MARKER.finditer(answer.text):
        old = int(match.group(1))
        citation = by_n.get(old)
        if citation is None or old in new_n:
            continue
        article = citation.passage.chunk.article_id
        new_n[old] = article_number.setdefault(article, len(article_number) + 1)
    for citation in sorted(answer.citations, key=lambda c: c.n):  # cited without a marker in the text (rare)
        if citation.n not in new_n:
            new_n[citation.n] = article_number.setdefault(citation.passage.chunk.article_id, len(article_number) + 1)
    if all(old == new for old, new in new_n.items()) and len(set(new_n.values())) == len(new_n):
        return answer
    cards: dict[int, list[Citation]] = {}
    for old in sorted(new_n, key=lambda o: (new_n[o], _first_marker(answer.text, o))):
        cards.setdefault(new_n[old], []).append(by_n[old])
    citations = tuple(
        replace(group[0], n=n, also=tuple(replace(c, n=n) for c in group[1:])) for n, group in sorted(cards.items())
    )
    def renamed(text: str) -> str:
        return _dedupe(_MARKER.sub(lambda m: f"[{new_n.get(int(m.group(1)), int(m.group(1)))}]", text))

    # a checked sentence keeps its text as it stands in the answer, so the page can still find and mark it
    sentences = tuple(
        replace(s, text=renamed(s.text), citations=tuple(dict.fromkeys(new_n.get(n, n) for n in s.citations)))
        for s in answer.sentences
    )
    text = renamed(answer.text)
    return replace(answer, text=text, citations=citations, sentences=sentences)


def _first_marker(text: str, n: int) -> int:
    found = text.find(f"[{n}]")
    return found if found >= 0 else len(text)


def _dedupe(text: str) -> str:
    """'[1][1]' -> '[1]', and '[1] ... [1]' at the end of two sentences stays as it is."""
    return re.sub(r"(\[\d+\])(?:\s*\1)+", r"\1", text)


def split_reason(notice: str) -> tuple[str, str]:
    """('No sentence in the articles answers this closely enough.', 'best match scored 0.43; an answer needs 0.45')
    for a score-based refusal; (notice, '') for any other notice."""
    match = _SCORE.search(notice)
    if not match:
        return notice, ""
    words = (notice[: match.start()] + notice[match.end() :]).strip()
    if words.lower().startswith("no sentence matches the question closely enough"):
        words = "No sentence in the articles answers this closely enough."
    details = f"The best sentence scored {match.group('score')}; an answer needs {match.group('needs')}."
    return words, details


def cite_conflicts(answer: Answer) -> Answer:
    """Each value under "Reports differ" points at a card that holds its passage: the card of its article when the
    answer cites that article, else a card of its own after the answer's cards. Before this, a value's [n] (and a
    note's "superseded by [n]") was a retrieval rank, which after `renumber` names another card or none."""
    if not answer.conflicts or answer.abstained:
        return answer
    by_rank = {p.rank: p for p in answer.passages}
    cards = {c.n: c for c in answer.citations}
    card_of = {c.passage.chunk.article_id: c.n for c in answer.citations}
    number: dict[int, int] = {}  # retrieval rank -> card number
    for value in (v for conflict in answer.conflicts for v in conflict.values):
        passage = by_rank.get(value.n)
        if passage is None or value.n in number:
            continue
        chunk = passage.chunk
        start = chunk.text.find(value.quote) if value.quote else -1
        spans = ((start, start + len(value.quote)),) if start >= 0 else ()
        n = card_of.get(chunk.article_id)
        if n is None:
            n = max(cards, default=0) + 1
            cards[n] = Citation(n=n, passage=passage, highlights=spans)
            card_of[chunk.article_id] = n
        else:
            card = cards[n]
            if chunk.id not in {card.passage.chunk.id, *(a.passage.chunk.id for a in card.also)}:
                cards[n] = replace(card, also=(*card.also, Citation(n=n, passage=passage, highlights=spans)))
        number[value.n] = n

    def renamed(text: str) -> str:
        return _MARKER.sub(lambda m: f"[{number.get(int(m.group(1)), int(m.group(1)))}]", text)

    conflicts = tuple(
        replace(conflict, values=tuple(replace(v, n=number.get(v.n, v.n), note=renamed(v.note)) for v in conflict.values))
        for conflict in answer.conflicts
    )
    return replace(answer, citations=tuple(cards[n] for n in sorted(cards)), conflicts=conflicts)
