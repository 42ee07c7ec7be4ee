"""One vocabulary of limit words: what the date parser reads as a limit, the leading-clause rule strips too."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.question.timeparse import parse_time, without_leading_limit, without_limits

TODAY = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("opening", "side"),
    [("As of", "until"), ("As at", "until"), ("Until", "until"), ("At the start of", "until"), ("Prior to", "until"),
     ("Before", "until"), ("Since", "since"), ("After", "since"), ("From", "since")],
)
def test_every_limit_word_is_a_limit_and_opens_a_leading_clause(opening, side):
    question = f"{opening} March 2025, how many drones had the Navy ordered?"
    intent = parse_time(question, TODAY)
    assert getattr(intent, side) is not None, (opening, intent)
    assert without_leading_limit(question) == "how many drones had the Navy ordered?"
    assert without_limits(question) == "how many drones had the Navy ordered?"


def test_a_leading_premise_without_a_date_is_stripped_and_is_no_limit():
    question = "Since the award was about $2 billion, what was the option worth?"
    assert without_leading_limit(question) == "what was the option worth?"
    assert parse_time(question, TODAY).until is None and parse_time(question, TODAY).since is None
    assert without_limits(question) == question  # no time expression to remove


def test_words_that_are_not_limits_are_left_alone():
    question = "Which company won the award in March 2025, and for how much?"
    assert without_leading_limit(question) == question
    assert parse_time(question, TODAY).until is None
