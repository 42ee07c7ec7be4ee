"""Question sets: JSONL files checked field by field, and the corpus each one is asked over."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TypeVar

from ..errors import AssistantError

T = TypeVar("T")

TYPES = {"factoid", "numeric", "temporal", "comparison", "multihop", "unanswerable", "multiturn", "adversarial"}


@dataclass(frozen=True)
class Question:
    """One line of a question set: what is asked, where the answer is, and what a right answer must say."""

    id: str
    question: str
    type: str  # one of TYPES
    article_ids: tuple[str, ...]  # the articles that hold the answer (retrieval is scored against them)
    facts: tuple[tuple[str, ...], ...]  # each fact: acceptable alternatives
    abstain: bool  # the articles do not hold the answer: the right reply is a refusal
    history: tuple[str, ...] = ()  # earlier questions of the conversation, oldest first
    as_of: str | None = None  # ISO date the question is asked on ("latest" is judged against it)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)  # any other field of the line ("split")


@dataclass(frozen=True)
class QuestionSet:
    """A named set from `eval/sets/sets.json`: its questions and the corpus folder they are asked over."""

    name: str
    path: Path  # the JSONL file
    corpus: Path
    questions: tuple[Question, ...]
    optional: bool = False  # its corpus lives outside the repository (../shared/data) and may be absent


def load_questions(path: Path) -> list[Question]:
    return read_jsonl(path, _parse, what="question set", item="question", id_label="question id")


def read_jsonl(path: Path, parse: Callable[[dict[str, Any]], T], what: str, item: str, id_label: str) -> list[T]:
    """One `parse`d record per non-empty line, each with a unique `id`; a bad line is named with its file and line."""
    records: list[T] = []
    seen: set[str] = set()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise AssistantError(f"{what} {path} cannot be read: {exc}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            raw = json.loads(line)
            record = parse(raw)
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise AssistantError(f"{where}: bad {item} ({exc})") from exc
        if record.id in seen:  # type: ignore[attr-defined]
            raise AssistantError(f"{where}: duplicate {id_label} {record.id!r}")  # type: ignore[attr-defined]
        seen.add(record.id)  # type: ignore[attr-defined]
        records.append(record)
    return records


def _parse(raw: dict[str, Any]) -> Question:
    qtype = str(raw["type"])
    if qtype not in TYPES:
        raise ValueError(f"field 'type' must be one of {sorted(TYPES)}, not {qtype!r}")
    facts = tuple(tuple(f) if isinstance(f, list) else (str(f),) for f in raw.get("facts", []))
    abstain = bool(raw.get("abstain", False))
    if not abstain and not facts:
        raise ValueError("an answerable question needs 'facts'")
    known = {"id", "question", "type", "article_ids", "facts", "abstain", "history", "as_of"}
    return Question(
        id=str(raw["id"]),
        question=str(raw["question"]),
        type=qtype,
        article_ids=tuple(raw.get("article_ids", [])),
        facts=facts,
        abstain=abstain,
        history=tuple(raw.get("history", [])),
        as_of=raw.get("as_of"),
        extra={k: v for k, v in raw.items() if k not in known},
    )


def registry_entries(root: Path) -> list[tuple[str, Path, Path, bool]]:
    """(name, questions file, corpus folder, optional) for each set named in `eval/sets/sets.json`."""
    registry = root / "sets.json"
    try:
        entries = json.loads(registry.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise AssistantError(f"{registry} cannot be read: {exc}") from exc
    return [
        (name, (root / e["questions"]).resolve(), (root / e["corpus"]).resolve(), bool(e.get("optional")))
        for name, e in entries.items()
    ]


def load_set(path: Path, root: Path, default_corpus: Path) -> QuestionSet:
    """A set file with the corpus the registry names for it (else `default_corpus`)."""
    for name, questions, corpus, optional in registry_entries(root):
        if questions == path.resolve():
            return QuestionSet(name, questions, corpus, tuple(load_questions(questions)), optional)
    return QuestionSet(path.stem, path.resolve(), default_corpus.resolve(), tuple(load_questions(path)))


def load_registry(root: Path) -> list[QuestionSet]:
    """Every registered set with its questions loaded."""
    return [
        QuestionSet(name, questions, corpus, tuple(load_questions(questions)), optional)
        for name, questions, corpus, optional in registry_entries(root)
    ]
