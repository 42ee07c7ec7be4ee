"""A small learned scorer for candidate answer sentences: logistic regression over signals the extractive reader
already computes (question-sentence similarity, term and name coverage, answer kind present, date agreement,
retrieval rank, position, paragraph match).

The weights are a reviewed file (`reader_weights.json`) written by `eval/scripts/train_reader.py` from the dev halves of
the question sets; nothing is trained at run time. Without the file the reader keeps its hand-set ordering."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from .answerable import predicate, share_said, values_of
from ..question.analysis import answer_type
from ..text import terms

WEIGHTS = Path(__file__).with_name("reader_weights.json")
FEATURES = (
    "similarity", "coverage", "key_coverage", "typed", "has_value", "asked_said", "year_agrees", "year_clashes",
    "inverse_rank", "top_article", "lead_sentence", "paragraph_coverage", "hand_score",
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def features(question: str, cand: Any, top_article: str) -> list[float]:
    """The feature vector of one scored candidate (an `extractive.Candidate` after scoring), in `FEATURES` order."""
    text = cand.shown or cand.text
    chunk = cand.passage.chunk
    kind = answer_type(question)
    asked_years = set(_YEAR.findall(question))
    own_years = set(_YEAR.findall(text)) | ({str(chunk.published.year)} if chunk.published else set())
    paragraph = _paragraph(chunk.text, cand.start, cand.end)
    q_terms = set(terms(question))
    return [
        cand.similarity,
        cand.coverage,
        cand.key_coverage,
        1.0 if cand.typed else 0.0,
        1.0 if values_of(kind, text) else 0.0,
        share_said(predicate(question), text),
        1.0 if asked_years and asked_years & own_years else 0.0,
        1.0 if asked_years and not asked_years & own_years else 0.0,
        1.0 / max(1, cand.passage.rank),
        1.0 if chunk.article_id == top_article else 0.0,
        1.0 if cand.start == 0 and chunk.index == 0 else 0.0,
        len(q_terms & set(terms(paragraph))) / max(1, len(q_terms)),
        cand.score,
    ]


def _paragraph(text: str, start: int, end: int) -> str:
    """The paragraph of the chunk text that holds the sentence (an award of a release, a section of a story)."""
    left = text.rfind("\n\n", 0, start)
    right = text.find("\n\n", end)
    return text[left + 2 if left >= 0 else 0 : right if right >= 0 else len(text)]


@dataclass(frozen=True)
class ReaderModel:
    names: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    means: tuple[float, ...]
    scales: tuple[float, ...]

    def probability(self, vector: Sequence[float]) -> float:
        z = self.bias + sum(w * (x - m) / s for w, x, m, s in zip(self.weights, vector, self.means, self.scales))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def load_model(path: Path = WEIGHTS) -> ReaderModel | None:
    """The committed weights, or None when the file is absent or was written for other features."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    if tuple(data.get("features", ())) != FEATURES:
        return None
    return ReaderModel(
        FEATURES, tuple(map(float, data["weights"])), float(data["bias"]), tuple(map(float, data["means"])),
        tuple(map(float, data["scales"])),
    )
