"""Which sentence of an award paragraph a question asks about, learned from questions rather than written as cues.

A daily contract release writes every award in the same few kinds of sentence ("roles"): the lead (who was awarded
what, for how much), the customers of a foreign military sale, where the work is done, when it ends, the funds
obligated, how it was competed, the contracting activity, the value with options. Which role holds the answer
depends on what the question asks, and questions say it in many ways ("by when must ... wrap up", "how many offers
came in", "whose money"). Rather than one cue per phrasing, a small model (one logistic regression per role, over the
question's own lowercase words, its answer kind and its sentence embedding) gives the probability that the answer
sits in each role. It is trained by `eval/scripts/train_roles.py` on the team's read contract questions only; the
weights (`role_weights.json`) are reviewed like code. Without the file, nothing changes.

Recognising a sentence's role is structural (how releases write each kind of sentence), not learned."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from ..question.analysis import answer_type
from ..text import terms
from .award_answers import in_paragraph, with_lead
from .awards import AWARD_LIST, FIELDS, award_counts, opens_award
from .candidates import Candidate

WEIGHTS = Path(__file__).with_name("role_weights.json")
CONFIDENCE = 0.5  # the model must find its most likely role at least this likely to move off the best sentence
MARGIN = 0.2  # ... and this much likelier than any role the best sentence plays

# How a release writes each kind of sentence of an award. A sentence may hold several ("Work will be performed in
# Denver, Colorado, with an estimated completion date of Jan. 23, 2016" gives the place and the end).
ROLES: dict[str, re.Pattern[str]] = {
    "fms": re.compile(r"\bforeign military sales?\b|\bFMS\b|\bnon-U\.?S\.? |\bgovernments? of\b", re.I),
    # not a "period of performance", which is a span of time
    "place": re.compile(r"\bperformed\b|(?<!period of )\bperformance\b|\btake place\b", re.I),
    # "expected to be completed by", "estimated completion date"; not a lead's "to complete the ..." nor funds that
    # "expire at the end of the current fiscal year"
    "completion": re.compile(
        r"\bcompletion\b|\b(?:be|been|is|are|was|were) (?:\w+ )?complete(?:d)?\b|\b(?:expected|scheduled|due) to complete\b", re.I
    ),
    "funds": re.compile(r"\bobligat\w*|\bfunds\b|\bfunding\b", re.I),
    "competition": re.compile(
        r"\bcompetitiv\w*|\bbids?\b|\boffers?\b|\bsolicit\w*|\bsole[- ]source|\bproposals?\b|(?-i:\bFAR\b)|\bU\.S\.C\.", re.I
    ),
    "activity": re.compile(r"\bcontracting (?:activity|activities|agency|office|center)\b", re.I),
    "value": re.compile(
        r"\bcumulative\b|\bbrings? the total\b|\btotal (?:contract )?value\b|\bif (?:all )?options?\b"
        r"|\bincreas\w* (?:the )?(?:total|overall|contract|cumulative)",
        re.I,
    ),
}
KINDS = ("money", "count", "date", "country", "org", "place", "reference", "percent", "duration", "person", None)
_WORD = re.compile(r"[A-Za-z][\w'-]*")


def sentence_roles(sentence: str) -> set[str]:
    """The roles a sentence of an award paragraph plays: "lead" when it opens the award, "detail" when none fits."""
    found = {name for name, pattern in ROLES.items() if pattern.search(sentence)}
    if opens_award(sentence):
        found.add("lead")
    return found or {"detail"}


def asking_words(question: str) -> set[str]:
    """The question's words that say what it asks, not what it names: its lowercase words (and its first word)."""
    words = _WORD.findall(question)
    return set(terms(" ".join(w for i, w in enumerate(words) if i == 0 or w.islower())))


def question_features(question: str, vector: Sequence[float], vocabulary: Sequence[str]) -> list[float]:
    """The model's input: which vocabulary words the question uses, its answer kind, and its sentence embedding."""
    words = asking_words(question)
    kind = answer_type(question)
    return [1.0 if w in words else 0.0 for w in vocabulary] + [1.0 if kind == k else 0.0 for k in KINDS] + [float(x) for x in vector]


@dataclass(frozen=True)
class RoleModel:
    roles: tuple[str, ...]
    vocabulary: tuple[str, ...]
    weights: tuple[tuple[float, ...], ...]  # one row per role
    biases: tuple[float, ...]

    def asked(self, question: str, vector: Sequence[float]) -> dict[str, float]:
        """The probability that the answer to `question` (with its embedding `vector`) sits in each role ({} when the
        vector is not of the encoder the model was trained with)."""
        x = question_features(question, vector, self.vocabulary)
        if len(x) != len(self.weights[0]):
            return {}  # another encoder than the one it was trained with: no opinion
        out = {}
        for role, row, bias in zip(self.roles, self.weights, self.biases):
            z = bias + sum(w * v for w, v in zip(row, x))
            out[role] = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
        return out


def load_roles(path: Path = WEIGHTS, dimensions: int | None = None) -> RoleModel | None:
    """The committed role model, or None when its file is absent or was written for another input."""
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        vocabulary = tuple(map(str, data.get("vocabulary", ())))
        if tuple(data.get("kinds", ())) != tuple(str(k) for k in KINDS):
            return None
        width = len(vocabulary) + len(KINDS) + (dimensions if dimensions is not None else int(data.get("dimensions", 0)))
        weights = tuple(tuple(map(float, row)) for row in data.get("weights", ()))
        roles = tuple(map(str, data["roles"]))
        biases = tuple(map(float, data["biases"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):  # unreadable, not JSON, not this model's shape
        return None
    if not weights or len(roles) != len(weights) or len(biases) != len(weights) or any(len(row) != width for row in weights):
        return None
    return RoleModel(roles, vocabulary, weights, biases)


def role_sentence(model: RoleModel, question: str, vector: Sequence[float], best: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """The sentence of the best sentence's award that plays the role the question most likely asks about (its place,
    its end, its customers, its funds ...), shown with the award's lead; None when the best plays it already, the model
    is unsure, or the paragraph has no such sentence that gives the kind of value asked."""
    asked = model.asked(question, vector)
    if not asked:
        return None
    role, p = max(asked.items(), key=lambda kv: kv[1])
    own = sentence_roles(best.text)
    # the lead is where an answer is first looked for, and an untyped sentence ("detail") says nothing particular:
    # only a role the best sentence does not play, and clearly likelier than every role it does, moves the answer
    if p < CONFIDENCE or role in ("lead", "detail") or role in own or p < max(asked.get(r, 0.0) for r in own) + MARGIN:
        return None
    if role == "place" and FIELDS["performed"][2].search(question):
        return None  # "where is the company based?": its own town, which the lead gives, not where the work is done
    paragraph = in_paragraph(best, candidates)
    playing = [c for c in paragraph if role in sentence_roles(c.text)]
    if not playing or not all(c.typed for c in playing):
        # "No funds are being obligated at time of award": a sentence of the role that gives no value of the kind
        # asked says the award has none, and another sentence's amount (a first order's) is not it
        return None
    return with_lead(max(playing, key=lambda c: c.score), paragraph)


def lead_for_role(model: RoleModel, question: str, vector: Sequence[float], candidates: list[Candidate], floor: float) -> Candidate | None:
    """When no sentence comes close enough to answer: the best award lead of a list of awards that names what the
    question names and scores at least `floor`, and the sentence of its award that plays the role asked (a long
    question about where, when or how an award was competed shares few words with the short sentence that says it)."""
    lists = award_counts(c.passage.chunk for c in candidates)
    leads = [
        c for c in candidates
        if "lead" in sentence_roles(c.text) and c.key_coverage >= 0.5 and lists.get(c.passage.chunk.article_id, 0) >= AWARD_LIST
        and c.score - c.bonus >= floor
    ]
    if not leads:
        return None
    return role_sentence(model, question, vector, max(leads, key=lambda c: c.score - c.bonus), candidates)
