"""The evaluation counts answers led by a bold value that is none of the expected facts: what an analyst reads first
is wrong even when the right figure follows further down (such an answer still counts as correct)."""

from __future__ import annotations

from assistant.evaluation.metrics import aggregate, score
from assistant.evaluation.questions import Question
from assistant.schema import Answer

QUESTION = Question("t-1", "How many drones were shot down?", "numeric", ("a",), (("430",),), False)


def answer(text: str, short: str | None, abstained: bool = False) -> Answer:
    return Answer(QUESTION.question, text, abstained, "extractive", short_answer=short)


def test_a_lead_value_that_is_not_the_fact_is_counted_even_when_the_answer_is_correct():
    wrong = score(QUESTION, answer("**500 drones** [1] — 500 drones were launched. [1] 430 were downed. [1]", "500 drones"), [])
    right = score(QUESTION, answer("**430 drones** [1] — 430 drones were downed. [1]", "430 drones"), [])
    unled = score(QUESTION, answer("500 drones were launched. [1] 430 were downed. [1]", None), [])
    assert wrong.correct and wrong.wrong_short_answer
    assert right.correct and not right.wrong_short_answer
    assert unled.correct and not unled.wrong_short_answer
    metrics = aggregate([wrong, right, unled])
    assert metrics["short_answers"] == 2 and metrics["wrong_short_answers"] == 1


def test_a_sum_led_by_its_result_is_right_when_the_result_is_the_sets_computed_value():
    summed = Question("t-2", "What is the combined value of the two awards?", "multihop", ("a", "b"), (("$200,000,000",), ("$1,463,276,000",)), False, extra={"computed": "$1,663,276,000"})
    text = "**{0}** in all: $200,000,000 + $1,463,276,000 = {0} [1][2]."
    right = score(summed, Answer(summed.question, text.format("$1,663,276,000"), False, "extractive", short_answer="$1,663,276,000"), [])
    wrong = score(summed, Answer(summed.question, text.format("$1,698,122,586"), False, "extractive", short_answer="$1,698,122,586"), [])
    assert right.correct and not right.wrong_short_answer
    assert wrong.wrong_short_answer
