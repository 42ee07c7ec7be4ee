"""Per-question scores and their aggregates: retrieval, accuracy, citation support, figures, abstention."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..schema import Answer
from ..grounding.held import unheld_figures
from ..text import figures, normalise
from .questions import Question

KS = (1, 3, 5, 10)


def fact_in(fact: tuple[str, ...], text: str) -> bool:
    """A fact (a tuple of acceptable spellings, `re:` for a pattern) occurs in `text` after normalisation."""
    norm = normalise(text)
    for option in fact:
        if option.startswith("re:"):
            if re.search(option[3:], norm, re.I):
                return True
        elif normalise(option) in norm:
            return True
    return False


@dataclass
class Scored:
    question: Question
    answer: Answer
    ranked_articles: list[str]
    facts_found: int = 0
    facts_supported: int = 0
    unsupported_figures: list[str] = field(default_factory=list)
    correct: bool = False
    # The answer leads with a value in bold that is none of the expected facts: what an analyst reads first is
    # wrong, even when the right figure is further down (and the answer counts as correct)
    wrong_short_answer: bool = False
    retrieval_ms: float = 0.0

    @property
    def first_gold_rank(self) -> int | None:
        gold = set(self.question.article_ids)
        for rank, article in enumerate(self.ranked_articles[:10], start=1):
            if article in gold:
                return rank
        return None

    def recall_at(self, k: int) -> float:
        gold = set(self.question.article_ids)
        return len(gold & set(self.ranked_articles[:k])) / len(gold) if gold else 0.0


def score(question: Question, answer: Answer, ranked_articles: list[str]) -> Scored:
    result = Scored(question, answer, ranked_articles)
    cited_text = " ".join(part.passage.chunk.text for c in answer.citations for part in (c, *c.also))
    if not answer.abstained:
        for fact in question.facts:
            if fact_in(fact, answer.text):
                result.facts_found += 1
                if fact_in(fact, cited_text):
                    result.facts_supported += 1
        # a computed figure ("$9.8 billion − $4.5 billion = $5.3 billion") counts when its arithmetic is right
        result.unsupported_figures = sorted(unheld_figures(answer.text, [cited_text]))
    short = answer.short_answer
    # a sum or difference leads with its result: right when it is the set's worked-out `computed` value
    computed = str(question.extra.get("computed") or "")
    result.wrong_short_answer = bool(
        short and not answer.abstained and question.facts and not any(fact_in(fact, short) for fact in question.facts)
        and not (computed and figures(short) and figures(short) <= figures(computed))
    )
    result.correct = (answer.abstained == question.abstain) and (
        question.abstain or result.facts_found == len(question.facts)
    )
    return result


def _mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return round(sum(values) / len(values), 4) if values else None


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1], 1)


def aggregate(results: list[Scored]) -> dict[str, Any]:
    answerable = [r for r in results if not r.question.abstain]
    with_gold = [r for r in answerable if r.question.article_ids]
    metrics: dict[str, Any] = {"questions": len(results), "answerable": len(answerable)}
    for k in KS:
        metrics[f"recall@{k}"] = _mean(r.recall_at(k) for r in with_gold)
    metrics["mrr@10"] = _mean((1.0 / r.first_gold_rank) if r.first_gold_rank else 0.0 for r in with_gold)
    metrics["answer_accuracy"] = _mean(1.0 if r.correct else 0.0 for r in answerable)
    found = sum(r.facts_found for r in answerable)
    metrics["citation_support"] = round(sum(r.facts_supported for r in answerable) / found, 4) if found else None
    metrics["unsupported_numbers"] = sum(len(r.unsupported_figures) for r in results)
    metrics["answers_with_unsupported_numbers"] = sum(1 for r in results if r.unsupported_figures)
    # the answer's own check kept these from being stated: each is a defect upstream, counted even though no answer shows it
    metrics["figures_held_back"] = sum(len(r.answer.held_back) for r in results)
    metrics["wrong_short_answers"] = sum(1 for r in results if r.wrong_short_answer)
    metrics["short_answers"] = sum(1 for r in results if r.answer.short_answer and not r.answer.abstained)
    predicted = [r for r in results if r.answer.abstained]
    gold_abstain = [r for r in results if r.question.abstain]
    true_pos = sum(1 for r in predicted if r.question.abstain)
    metrics["abstention_precision"] = round(true_pos / len(predicted), 4) if predicted else None
    metrics["abstention_recall"] = round(true_pos / len(gold_abstain), 4) if gold_abstain else None
    metrics["false_abstentions"] = sum(1 for r in answerable if r.answer.abstained)
    for stage in ("retrieval", "generation", "total"):
        times = [r.answer.timings_ms.get(stage, 0.0) for r in results if stage in r.answer.timings_ms]
        metrics[f"{stage}_ms_p50"] = _percentile(times, 50)
        metrics[f"{stage}_ms_p95"] = _percentile(times, 95)
    return metrics


def by_type(results: list[Scored]) -> dict[str, dict[str, Any]]:
    table: dict[str, dict[str, Any]] = {}
    for qtype in sorted({r.question.type for r in results}):
        group = [r for r in results if r.question.type == qtype]
        answerable = [r for r in group if not r.question.abstain]
        with_gold = [r for r in answerable if r.question.article_ids]
        table[qtype] = {
            "n": len(group),
            "correct": _mean(1.0 if r.correct else 0.0 for r in group),
            "recall@5": _mean(r.recall_at(5) for r in with_gold),
            "mrr@10": _mean((1.0 / r.first_gold_rank) if r.first_gold_rank else 0.0 for r in with_gold),
            "abstained": sum(1 for r in group if r.answer.abstained),
            "unsupported_numbers": sum(len(r.unsupported_figures) for r in group),
        }
    return table
