"""Measure the grounding checker on the labelled sentences: tune thresholds on one half, report on the other.

Run from the repository root:  .venv/bin/python eval/grounding/measure.py [--no-tune]
Writes eval/grounding/REPORT.md and eval/grounding/results.json.
"""

from __future__ import annotations

import argparse
import json
import logging
from dataclasses import asdict
from pathlib import Path
from typing import Any

from assistant.encoders.embeddings import LocalEmbeddings
from assistant.grounding.checker import GroundingChecker
from assistant.evaluation.grounding import load_labelled, prepare, score, tune

HERE = Path(__file__).resolve().parent


def table(results: dict[str, dict[str, Any]]) -> list[str]:
    keys = [("sentences", "sentences"), ("unsupported", "unsupported (labelled)"), ("supported", "supported (labelled)"),
            ("precision", "precision at catching unsupported"), ("recall", "recall on unsupported"),
            ("recall_numbers_dates", "recall on changed numbers and dates"), ("false_flag_rate", "false-flag rate on supported"),
            ("false_corrections", "supported sentences whose citation was changed")]
    lines = ["| metric | " + " | ".join(results) + " |", "|---|" + "---|" * len(results)]
    for key, label in keys:
        lines.append(f"| {label} | " + " | ".join(_fmt(r[key]) for r in results.values()) + " |")
    kinds = sorted({k for r in results.values() for k in r["by_kind"]})
    for kind in kinds:
        lines.append(f"| recall: {kind} | " + " | ".join(f"{_fmt(r['by_kind'].get(kind))} (n={r['count_by_kind'].get(kind, 0)})" for r in results.values()) + " |")
    return lines


def _fmt(value: Any) -> str:
    return "n/a" if value is None else (f"{value:.3f}" if isinstance(value, float) else str(value))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--labelled", type=Path, default=HERE / "labelled.jsonl")
    parser.add_argument("--no-tune", action="store_true", help="score with the checker's default thresholds")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    checker = GroundingChecker(LocalEmbeddings())
    prepared = prepare(load_labelled(args.labelled), checker)
    thresholds = checker.thresholds if args.no_tune else tune(prepared, checker)
    tuned = GroundingChecker(checker.embeddings, thresholds)
    results = {split: score(prepared, tuned, split) for split in ("tune", "test")}
    results["all"] = score(prepared, tuned)
    lines = [
        "# Grounding checker: measured on the labelled sentences",
        "",
        f"Labelled set: `{args.labelled.name}` ({results['all']['sentences']} sentences; "
        f"origins: {', '.join(sorted({r.row['origin'] for r in prepared}))}). "
        "Thresholds were chosen on the **tune** split only (best recall with false flags <= 4%); "
        "the **test** split is the honest number.",
        "",
        f"Thresholds: `{json.dumps(asdict(thresholds))}`",
        "",
        *table(results),
        "",
        "A wrong-citation sentence counts as caught when it is flagged or its citation is corrected to the right passage; "
        "any other unsupported sentence counts as caught only when flagged.",
        "",
        "## Errors on the test split",
        "",
    ]
    for err in results["test"]["errors"]:
        lines.append(f"- {err['outcome']} ({err['label']}, {err['kind']}): {err['text']}  — {'; '.join(err['reasons']) or 'no reason given'}")
    (HERE / "REPORT.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (HERE / "results.json").write_text(json.dumps({"thresholds": asdict(thresholds), **results}, indent=1), encoding="utf-8")
    print("\n".join(lines[:30]))


if __name__ == "__main__":
    main()
