"""Standalone-question accuracy: labelled conversation turns, each follow-up rewritten and checked.

Each line of the set holds `history` (earlier questions), `question`, `kind` (followup, topic_change, ambiguous),
`split` (tune or heldout) and either `alone: true` (the question must be asked as it is) or `include` (phrases the
standalone question must name; a list inside is a set of alternatives) and `exclude` (phrases it must not hold).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from ..question.rewrite import rewrite_followup
from .questions import read_jsonl

KINDS = {"followup", "topic_change", "ambiguous"}
SPLITS = {"tune", "heldout"}
SET_NAME = "followups"


@dataclass(frozen=True)
class Turn:
    """One labelled turn of the follow-up set (the fields are described at the top of this module)."""

    id: str
    kind: str  # one of KINDS
    split: str  # one of SPLITS
    history: tuple[str, ...]  # earlier questions, oldest first
    question: str  # as the user typed it
    alone: bool  # already standalone: the rewrite must leave it as it is
    include: tuple[tuple[str, ...], ...]  # each: alternatives, one of which the standalone question names
    exclude: tuple[str, ...]  # phrases it must not hold


def load_turns(path: Path) -> list[Turn]:
    """The labelled turns; a bad line is named with its file, line and field."""
    return read_jsonl(path, _parse, what="follow-up set", item="follow-up turn", id_label="id")


def _parse(raw: dict[str, Any]) -> Turn:
    kind, split = str(raw["kind"]), str(raw["split"])
    if kind not in KINDS:
        raise ValueError(f"field 'kind' must be one of {sorted(KINDS)}, not {kind!r}")
    if split not in SPLITS:
        raise ValueError(f"field 'split' must be one of {sorted(SPLITS)}, not {split!r}")
    alone = bool(raw.get("alone", False))
    include = tuple(tuple(x) if isinstance(x, list) else (str(x),) for x in raw.get("include", []))
    if not alone and not include:
        raise ValueError("a turn needs 'alone': true or a non-empty 'include'")
    return Turn(str(raw["id"]), kind, split, tuple(raw.get("history", [])), str(raw["question"]), alone, include,
                tuple(str(x) for x in raw.get("exclude", [])))


def judge(turn: Turn, standalone: str) -> bool:
    """Whether the standalone question is what the label asks for."""
    if turn.alone:
        return " ".join(standalone.split()) == " ".join(turn.question.split())
    text = standalone.lower()
    return all(any(alt.lower() in text for alt in group) for group in turn.include) and not any(x.lower() in text for x in turn.exclude)


def score_turns(turns: Sequence[Turn], rewrite: Callable[[str, Sequence[str]], str] = rewrite_followup) -> dict[str, Any]:
    """Accuracy overall, per split and per kind, with each turn's standalone question."""
    rows = []
    for turn in turns:
        standalone = rewrite(turn.question, list(turn.history))
        rows.append({"id": turn.id, "kind": turn.kind, "split": turn.split, "question": turn.question,
                     "history": list(turn.history), "standalone_question": standalone, "correct": judge(turn, standalone)})

    def accuracy(selected: list[dict[str, Any]]) -> float | None:
        return round(sum(r["correct"] for r in selected) / len(selected), 3) if selected else None

    metrics: dict[str, Any] = {"questions": len(rows), "standalone_accuracy": accuracy(rows)}
    for split in sorted(SPLITS):
        metrics[f"standalone_accuracy_{split}"] = accuracy([r for r in rows if r["split"] == split])
    for kind in sorted(KINDS):
        metrics[f"standalone_accuracy_{kind}"] = accuracy([r for r in rows if r["kind"] == kind])
    return {"set": SET_NAME, "metrics": metrics, "results": rows}


def markdown(run: dict[str, Any]) -> str:
    m = run["metrics"]
    lines = ["# Follow-up rewriting", "", "| measure | value |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in m.items()]
    wrong = [r for r in run["results"] if not r["correct"]]
    lines += ["", f"## Misses ({len(wrong)})", ""]
    lines += [f"- `{r['id']}` ({r['kind']}, {r['split']}): {r['question']} -> {r['standalone_question']}" for r in wrong]
    return "\n".join(lines) + "\n"


def run_followups(path: Path, out: Path | None = None) -> dict[str, Any]:
    """Score the set and, given `out`, write followups.json and followups.md there."""
    run = score_turns(load_turns(path))
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "followups.json").write_text(json.dumps(run, indent=1, ensure_ascii=False), encoding="utf-8")
        (out / "followups.md").write_text(markdown(run), encoding="utf-8")
    return run
