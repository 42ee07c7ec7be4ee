"""Offline evaluation: question sets in, figures, reports and the CI gate's verdict out.

Enters: the question sets registered in eval/sets (JSONL, checked field by field), the follow-up set, the labelled
grounding sentences, and a wired `Assistant`. Leaves: per-question answers and metrics (results.json), report.md
and chart.png, per-half figures of split sets, and the gate against eval/thresholds.json.

questions (loading sets), set_checks, metrics, runner (`assistant eval`), halves (dev/test halves), followups
(standalone-question accuracy), grounding (scoring the grounding checker), report (Markdown and chart).
"""
