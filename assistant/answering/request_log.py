"""One log line per answered request: sizes, mode and timings, never the question's or the answer's text."""

from __future__ import annotations

from ..schema import Answer


def request_line(question: str, answer: Answer) -> str:
    """'request: question 42 chars, mode extractive, answered, 2 cards, retrieval 35 ms, generation 120 ms, total 160 ms'."""
    outcome = "abstained" if answer.abstained else "answered"
    timings = ", ".join(f"{name} {value:.0f} ms" for name, value in answer.timings_ms.items())
    follow_up = ", follow-up rewritten" if answer.standalone_question and answer.standalone_question != answer.question else ""
    return (f"request: question {len(question)} chars, mode {answer.mode}, {outcome}, {len(answer.citations)} cards"
            f"{follow_up}" + (f", {timings}" if timings else ""))
