"""A chunk's sentences as the reader weighs them, and their vectors, encoded once at index time.

The extractive reader compares the question with every sentence of the retrieved passages. Encoding those sentences
while the analyst waits was most of an answer's time (a new passage costs two encoder runs per sentence); encoded
here, with the chunk, an answer encodes only the question. A vector is stored under a digest of the exact text pair
it was made from, so a passage whose text differs from the stored chunk simply finds nothing and is encoded then.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, NamedTuple

from langchain_core.embeddings import Embeddings

from ..encoders.embeddings import encode
from ..schema import Chunk
from ..text import tokens
from .chunking import split_sentences

# A sentence opening with one of these leans on the one before ("It is expected to receive 28 missions"): it is
# judged and shown with that sentence.
_ANAPHOR = re.compile(r"^(?:it|its|this|that|these|those|they|their|the (?:option|contract|award|deal|order|system|missile|program|programme|company|agency|service|ship|vessel|aircraft|launch|test|estimate|project))\b", re.I)


class SentenceView(NamedTuple):
    start: int
    end: int
    previous: tuple[int, int] | None  # the sentence it refers back to, when it opens with a pronoun
    shown: str  # the sentence, with the one it refers back to


def sentence_views(text: str, spans: list[tuple[int, int]] | None = None) -> list[SentenceView]:
    """Every sentence of four words or more that is not a capitalised heading, with the sentence it refers back to
    (`spans`: the text's sentences, when already split)."""
    spans = split_sentences(text) if spans is None else spans
    out: list[SentenceView] = []
    for i, (start, end) in enumerate(spans):
        sentence = text[start:end]
        if len(tokens(sentence)) < 4 or not any(ch.islower() for ch in sentence):
            continue  # a section's heading ("DEFENSE FINANCE AND ACCOUNTING SERVICE") says nothing of its own
        previous = spans[i - 1] if i > 0 and _ANAPHOR.match(sentence) else None
        shown = text[previous[0] : end] if previous else sentence
        out.append(SentenceView(start, end, previous, shown))
    return out


def sentence_key(title: str, shown: str) -> str:
    """The stored vector's id: a digest of both texts it is made from."""
    return hashlib.sha1(f"{title}\x1f{shown}".encode("utf-8")).hexdigest()


def sentence_vectors(embeddings: Embeddings, pairs: list[tuple[str, str]]) -> Any:
    """One vector per (headline, sentence): the mean of the sentence's own vector and that of the sentence under its
    headline, so a sentence that leaves its subject to the headline ("Its main payload was NTS-3") still matches a
    question naming it."""
    texts = [shown for _, shown in pairs]
    vectors = encode(embeddings, texts + [f"{title}. {shown}" for title, shown in pairs])
    return (vectors[: len(pairs)] + vectors[len(pairs) :]) / 2


def chunk_sentences(embeddings: Embeddings, chunks: list[Chunk]) -> tuple[list[str], Any, list[str]]:
    """Keys, vectors and owning chunk ids of every sentence of these chunks, each distinct text pair once."""
    pairs: dict[str, tuple[str, str, str]] = {}
    for chunk in chunks:
        for view in sentence_views(chunk.text):
            pairs.setdefault(sentence_key(chunk.title, view.shown), (chunk.title, view.shown, chunk.id))
    keys = list(pairs)
    if not keys:
        return [], [], []
    vectors = sentence_vectors(embeddings, [(title, shown) for title, shown, _ in pairs.values()])
    return keys, vectors, [owner for _, _, owner in pairs.values()]
