"""Score the grounding checker: on the labelled sentence set (precision, recall, false flags) and on eval answers."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from ..retrieval.acronyms import find_definitions, merge_definitions
from ..encoders.embeddings import encode
from ..grounding.evidence import month_first, passage_text
from ..grounding.checker import Context, GroundingChecker, Sentence, Thresholds, make_sentence
from ..schema import Answer, Chunk, Passage, SentenceCheck
from ..text import figures, number_words

CORRECTED = "citation corrected"


@dataclass
class Labelled:
    """One labelled answer, prepared once: its passages' context and its sentences' vectors."""

    row: dict[str, Any]
    context: Context
    sentences: list[Sentence]
    vectors: Any


def load_labelled(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def passages_of(row: dict[str, Any]) -> list[Passage]:
    out = []
    for p in row["passages"]:
        published = date.fromisoformat(p["published"]) if p.get("published") else None
        chunk = Chunk(p["chunk_id"], p["article_id"], 0, p["text"], 0, len(p["text"]), p["title"], "", published)
        out.append(Passage(chunk, p["n"], 1.0))
    return out


def labelled_glossary(rows: Iterable[dict[str, Any]]) -> dict[str, str]:
    """The acronym table ingest would learn from the labelled rows' passages (chunks of the corpus), learned the same way."""
    texts = {p["chunk_id"]: p["text"] for row in rows for p in row["passages"]}
    return merge_definitions(pair for text in texts.values() for pair in find_definitions(text))


def prepare(rows: Iterable[dict[str, Any]], checker: GroundingChecker, glossary: Mapping[str, str] | None = None) -> list[Labelled]:
    """Contexts and claim vectors for the labelled rows; without a `glossary` (or one from the checker), the
    acronym table is learned from the rows' own passages, as the app's comes from the indexed chunks."""
    rows = list(rows)
    if glossary is None and checker.glossary is None:
        glossary = labelled_glossary(rows)
    prepared = []
    for row in rows:
        sentences = [make_sentence(s["text"]) for s in row["sentences"]]
        vectors = encode(checker.embeddings, [s.claim for s in sentences])
        prepared.append(Labelled(row, checker.context(passages_of(row), glossary), sentences, vectors))
    return prepared


def outcome(label: dict[str, Any], check: SentenceCheck) -> str:
    """'caught', 'missed', 'false_flag', 'false_correction' or 'ok' for one labelled sentence."""
    corrected = any(r.startswith(CORRECTED) for r in check.reasons)
    if label["label"] == "unsupported":
        if not check.supported:
            return "caught"
        right = label.get("correct_citation")
        if corrected and set(right if isinstance(right, list) else [right]) & set(check.citations):
            return "caught"  # a wrong citation, put right
        return "missed"
    if not check.supported:
        return "false_flag"
    return "false_correction" if corrected else "ok"


def score(prepared: Sequence[Labelled], checker: GroundingChecker, split: str | None = None) -> dict[str, Any]:
    """Precision and recall at catching unsupported sentences, false-flag rate on supported ones, per kind."""
    rows: list[tuple[dict[str, Any], SentenceCheck, str, str]] = []
    for item in prepared:
        if split and item.row["split"] != split:
            continue
        question = item.row.get("question", "")
        for label, sentence, vector in zip(item.row["sentences"], item.sentences, item.vectors):
            check = checker.check_one(sentence, vector, item.context, question)
            rows.append((label, check, outcome(label, check), item.row["origin"]))
    unsupported = [r for r in rows if r[0]["label"] == "unsupported"]
    supported = [r for r in rows if r[0]["label"] == "supported"]
    caught = sum(1 for r in unsupported if r[2] == "caught")
    false_flags = sum(1 for r in supported if r[2] == "false_flag")
    raised = caught + false_flags + sum(1 for r in supported if r[2] == "false_correction")
    kinds = sorted({r[0]["kind"] for r in unsupported})
    return {
        "sentences": len(rows),
        "unsupported": len(unsupported),
        "supported": len(supported),
        "precision": _ratio(caught, raised),
        "recall": _ratio(caught, len(unsupported)),
        "recall_numbers_dates": _ratio(
            sum(1 for r in unsupported if r[0]["kind"] in ("number", "date") and r[2] == "caught"),
            sum(1 for r in unsupported if r[0]["kind"] in ("number", "date")),
        ),
        "false_flag_rate": _ratio(false_flags, len(supported)),
        "false_corrections": sum(1 for r in supported if r[2] == "false_correction"),
        "by_kind": {k: _ratio(sum(1 for r in unsupported if r[0]["kind"] == k and r[2] == "caught"), sum(1 for r in unsupported if r[0]["kind"] == k)) for k in kinds},
        "count_by_kind": {k: sum(1 for r in unsupported if r[0]["kind"] == k) for k in kinds},
        "by_origin": {o: _ratio(sum(1 for r in rows if r[3] == o and r[2] in ("caught", "ok")), sum(1 for r in rows if r[3] == o)) for o in sorted({r[3] for r in rows})},
        "errors": [
            {"text": r[1].text, "label": r[0]["label"], "kind": r[0]["kind"], "outcome": r[2], "reasons": list(r[1].reasons)}
            for r in rows
            if r[2] in ("missed", "false_flag", "false_correction")
        ],
    }


def tune(prepared: Sequence[Labelled], checker: GroundingChecker, max_false_flags: float = 0.04) -> Thresholds:
    """The thresholds with the best recall on the tune split whose false-flag rate stays under `max_false_flags`."""
    best: tuple[float, float, Thresholds] | None = None
    grid = itertools.product(
        (0.65, 0.75, 0.85), (0.3, 0.4, 0.5), (0.5, 0.65, 0.8), (0.0, 0.3), (0.1, 0.2, 1.0), (0.6, 0.7)
    )
    for alone, sim, overlap, floor, margin, correction in grid:
        candidate = Thresholds(alone, sim, overlap, floor, margin, correction)
        result = score(prepared, GroundingChecker(checker.embeddings, candidate), "tune")
        if result["false_flag_rate"] is None or result["false_flag_rate"] > max_false_flags:
            continue
        key = (result["recall"] or 0.0, -(result["false_flag_rate"] or 0.0))
        if best is None or key > best[:2]:
            best = (*key, candidate)
    return best[2] if best else checker.thresholds


def grounding_summary(answers: Iterable[Answer]) -> dict[str, Any]:
    """For the evaluation report: share of LLM sentences supported, corrected and removed, and unflagged bad figures."""
    answers = list(answers)
    checks = [s for a in answers for s in a.sentences]
    n = len(checks)
    return {
        "unflagged_sentences_with_absent_figures": sum(_absent_figures(a) for a in answers),
        "checked_sentences": n,
        "sentences_supported": _ratio(sum(1 for s in checks if s.supported), n),
        "sentences_corrected": _ratio(sum(1 for s in checks if any(r.startswith(CORRECTED) for r in s.reasons)), n),
        "sentences_removed": _ratio(sum(1 for s in checks if any("removed" in r for r in s.reasons)), n),
        "sentences_flagged": _ratio(sum(1 for s in checks if not s.supported), n),
    }


def _absent_figures(answer: Answer) -> int:
    """Sentences shown as supported that hold a figure none of their cited passages (title and text) contains."""
    cards = _cards(answer)
    count = 0
    for s in answer.sentences:
        if not s.supported or any("removed" in r for r in s.reasons):
            continue
        cited = " ".join(passage_text(p) for n in s.citations for p in cards.get(n, ()))
        if figures(make_sentence(s.text).claim) - figures(month_first(cited)) - number_words(cited):
            count += 1
    return count


def _cards(answer: Answer) -> dict[int, tuple[Passage, ...]]:
    """What each marker [n] of the answer points at. Once cards are renumbered (answering/cards.py) a marker is a
    card, holding its article's cited passages, and no longer a retrieval rank; before that, each citation's n is
    its passage's rank."""
    if answer.citations:
        return {c.n: (c.passage, *(a.passage for a in c.also)) for c in answer.citations}
    return {p.rank: (p,) for p in answer.passages}


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None



