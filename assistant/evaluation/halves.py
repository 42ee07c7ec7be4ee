"""Dev and test halves of a set: the same scored answers regrouped by each question's `split` field.

A set split by article (eval/scripts/split_sets.py) is indexed and asked once; its halves are reported, and gated,
as sets of their own named `<set>-<split>`, so a figure tuned on the dev half sits beside the held-out one.
"""

from __future__ import annotations

from typing import Any, Callable

from .grounding import grounding_summary
from .metrics import Scored, aggregate, by_type
from .questions import QuestionSet


def split_names(qset: QuestionSet) -> list[str]:
    """`<set>-<split>` for every split the set's questions name, in sorted order."""
    splits = sorted({str(q.extra["split"]) for q in qset.questions if q.extra.get("split")})
    return [f"{qset.name}-{split}" for split in splits]


def half_runs(whole: dict[str, Any], results: list[Scored], row: Callable[[Scored], dict[str, Any]]) -> list[dict[str, Any]]:
    """One run per split, with the whole run's corpus fields and the split's own metrics."""
    runs = []
    for split in sorted({str(r.question.extra["split"]) for r in results if r.question.extra.get("split")}):
        group = [r for r in results if r.question.extra.get("split") == split]
        runs.append(
            {
                **whole,
                "set": f"{whole['set']}-{split}",
                "metrics": aggregate(group),
                "grounding": grounding_summary(r.answer for r in group),
                "by_type": by_type(group),
                "results": [row(r) for r in group],
            }
        )
    return runs
