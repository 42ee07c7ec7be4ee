"""Checks on a question set against its corpus: the facts are where the questions say, the halves share no article."""

from __future__ import annotations

from pathlib import Path

from ..ingest.loaders import load_paths
from .metrics import fact_in
from .questions import Question


def article_texts(corpus: Path) -> dict[str, str]:
    """Headline and text of every article in `corpus`, loaded as ingest loads them, by article id."""
    return {a.id: f"{a.title}\n{a.text}" for a in load_paths([corpus]).articles}


def missing_facts(questions: list[Question], texts: dict[str, str]) -> list[str]:
    """One line per expected fact that the articles a question names do not contain."""
    found: list[str] = []
    for q in questions:
        unknown = [a for a in q.article_ids if a not in texts]
        if unknown:
            found.append(f"{q.id}: unknown article(s) {unknown}")
            continue
        gold = " ".join(texts[a] for a in q.article_ids)
        found += [f"{q.id}: fact {list(f)} is not in {list(q.article_ids)}" for f in q.facts if not fact_in(f, gold)]
    return found


def shared_articles(questions: list[Question]) -> set[str]:
    """Articles named by questions of more than one split (empty for a set split by article)."""
    seen: dict[str, set[str]] = {}
    for q in questions:
        for article in q.article_ids:
            seen.setdefault(article, set()).add(str(q.extra.get("split")))
    return {a for a, splits in seen.items() if len(splits) > 1}
