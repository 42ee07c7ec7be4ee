"""Evaluation outputs: a JSON file, a Markdown report with per-type tables, a PNG chart; and the gate."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..config import Settings

HEADLINE = [
    ("recall@1", "Recall@1"), ("recall@3", "Recall@3"), ("recall@5", "Recall@5"), ("recall@10", "Recall@10"),
    ("mrr@10", "MRR@10"), ("answer_accuracy", "Answer accuracy"), ("citation_support", "Citation support"),
    ("unsupported_numbers", "Unsupported numbers (total)"), ("answers_with_unsupported_numbers", "Answers with unsupported numbers"),
    ("figures_held_back", "Figures held back by the answer's own check"),
    ("short_answers", "Answers led by a value in bold"), ("wrong_short_answers", "Led by a value that is none of the expected facts"),
    ("abstention_precision", "Abstention precision"), ("abstention_recall", "Abstention recall"),
    ("false_abstentions", "False abstentions"),
    ("retrieval_ms_p50", "Retrieval ms p50"), ("retrieval_ms_p95", "Retrieval ms p95"),
    ("generation_ms_p50", "Generation ms p50"), ("generation_ms_p95", "Generation ms p95"),
    ("total_ms_p50", "Total ms p50"), ("total_ms_p95", "Total ms p95"),
]


def _fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.3f}" if value <= 1.0 else f"{value:.1f}"
    return str(value)


def markdown(runs: list[dict[str, Any]], settings: Settings) -> str:
    lines = [
        "# Evaluation report",
        "",
        f"Generated {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')} by `assistant eval`.",
        "",
        "| set | mode | questions | articles | chunks | corpus hash | settings fingerprint |",
        "|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        lines.append(
            f"| {run['set']} | {run['mode']} | {run['metrics']['questions']} | {run['articles']} | {run['chunks']} | "
            f"`{run['corpus_hash']}` | `{run['settings_fingerprint']}` |"
        )
    lines += ["", "## Headline metrics", "", "| metric | " + " | ".join(r["set"] for r in runs) + " |", "|---|" + "---|" * len(runs)]
    for key, label in HEADLINE:
        lines.append(f"| {label} | " + " | ".join(_fmt(r["metrics"].get(key)) for r in runs) + " |")
    lines += [
        "",
        "## Answer-time grounding check",
        "",
        "Every generated sentence is checked against its citations (see eval/grounding/REPORT.md for the",
        "checker's precision and recall on labelled sentences). Extractive answers quote passages, so they",
        "have nothing to check.",
        "",
        "| measure | " + " | ".join(r["set"] for r in runs) + " |",
        "|---|" + "---|" * len(runs),
    ]
    for key in sorted({k for r in runs for k in r.get("grounding", {})}):
        lines.append(f"| {key} | " + " | ".join(_fmt(r.get("grounding", {}).get(key)) for r in runs) + " |")
    for run in runs:
        lines += ["", f"## By question type: {run['set']}", "", "| type | n | correct | recall@5 | MRR@10 | abstained | unsupported numbers |", "|---|---|---|---|---|---|---|"]
        for qtype, row in run["by_type"].items():
            lines.append(
                f"| {qtype} | {row['n']} | {_fmt(row['correct'])} | {_fmt(row['recall@5'])} | {_fmt(row['mrr@10'])} | {row['abstained']} | {row['unsupported_numbers']} |"
            )
        wrong = [r for r in run["results"] if not r["correct"]]
        lines += ["", f"### Misses: {run['set']} ({len(wrong)})", ""]
        for row in wrong[:60]:
            verdict = "abstained" if row["abstained"] else ("should abstain" if row["expected_abstain"] else f"facts {row['facts_found']}/{len(row['facts'])}")
            lines.append(f"- `{row['id']}` ({row['type']}, {verdict}): {row['question']}")
        misled = [r for r in run["results"] if r.get("wrong_short_answer")]
        if misled:
            lines += ["", f"### Led by a value that is none of the expected facts: {run['set']} ({len(misled)})", ""]
            for row in misled[:60]:
                said = "right further down" if row["correct"] else "wrong"
                lines.append(f"- `{row['id']}` (**{row['short_answer']}**; answer {said}): {row['question']}")
    lines += ["", "![headline metrics](chart.png)", ""]
    return "\n".join(lines)


def chart(runs: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keys = ["recall@5", "mrr@10", "answer_accuracy", "citation_support", "abstention_precision", "abstention_recall"]
    fig, ax = plt.subplots(figsize=(9, 4))
    width = 0.8 / max(1, len(runs))
    for i, run in enumerate(runs):
        values = [run["metrics"].get(k) or 0.0 for k in keys]
        ax.bar([x + i * width for x in range(len(keys))], values, width, label=f"{run['set']} ({run['mode']})")
    ax.set_xticks([x + width * (len(runs) - 1) / 2 for x in range(len(keys))], keys, rotation=20)
    ax.set_ylim(0, 1.05)
    ax.set_title("Headline metrics")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_outputs(runs: list[dict[str, Any]], out: Path, settings: Settings) -> str:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(runs, indent=1, ensure_ascii=False), encoding="utf-8")
    report = markdown(runs, settings)
    (out / "report.md").write_text(report, encoding="utf-8")
    if runs:
        chart(runs, out / "chart.png")
    head = report.split("## By question type")[0]
    return head + f"\nFull report: {out / 'report.md'}"


def check_gate(
    runs: list[dict[str, Any]], thresholds: dict[str, dict[str, dict[str, float]]], absent: frozenset[str] = frozenset()
) -> list[str]:
    """Names every metric of every gated set that falls outside its committed bound.

    `absent` names optional sets whose corpus is not on this machine: they are skipped, not failed.
    """
    failures = []
    by_set = {r["set"]: r for r in runs}
    for set_name, bounds in thresholds.items():
        if set_name.startswith("_") or (set_name in absent and set_name not in by_set):
            continue
        run = by_set.get(set_name)
        if run is None:
            failures.append(f"set '{set_name}' was not evaluated")
            continue
        for metric, bound in bounds.items():
            value = run["metrics"].get(metric)
            if value is None:
                failures.append(f"{set_name}: {metric} was not measured")
            elif "min" in bound and value < bound["min"]:
                failures.append(f"{set_name}: {metric} = {value} is below the committed minimum {bound['min']}")
            elif "max" in bound and value > bound["max"]:
                failures.append(f"{set_name}: {metric} = {value} is above the committed maximum {bound['max']}")
    return failures
