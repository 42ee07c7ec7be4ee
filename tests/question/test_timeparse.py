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


def test_a_part_that_names_one_month_of_a_year_gives_that_month():
    from assistant.question.timeparse import month_named

    assert month_named("Griffin award to Raytheon was larger: the May 2015 one") == (date(2015, 5, 1), date(2015, 5, 31))
    assert month_named("the modification of Dec. 14, 2015") == (date(2015, 12, 1), date(2015, 12, 31))
    assert month_named("the award in 2015") is None  # a year alone is not a month
    assert month_named("between May 2015 and June 2016") is None  # two months: not one report's
    assert month_named("what may 2 launches cost") is None


def test_a_month_shared_by_every_part_is_no_parts_own():
    from assistant.question.timeparse import own_month

    parts = ["Griffin award was larger: the November 2014 one", "Griffin award was larger: the May 2015 one"]
    assert own_month(parts[0], parts) == (date(2014, 11, 1), date(2014, 11, 30))
    shared = ["In the October 2024 approvals, which was worth more: the NASAMS", "In the October 2024 approvals, which was worth more: the radars"]
    assert own_month(shared[0], shared) is None


def test_a_date_its_clause_places_with_a_preposition_dates_the_event_not_the_reporting():
    # "before picking Draper in October 2014": the pick is the event asked about, reported in or after October 2014
    question = "How many offers did the laboratory receive before picking Draper in October 2014?"
    intent = parse_time(question, TODAY)
    assert intent.until is None and intent.window == (date(2014, 10, 1), date(2014, 10, 31))
    assert without_limits(question) == question
    # the date right after "before", or as the event's own adjective, still limits the reporting
    assert parse_time("What was ordered before October 2014?", TODAY).until == date(2014, 9, 30)
    assert parse_time("What was known before the March 2025 launch?", TODAY).until == date(2025, 2, 28)
    question = "How many proposals came in before awarding Purcell the March 2016 contract?"
    assert parse_time(question, TODAY).until is None
    # a noun or a name ending in -ing is no verb: the limit stays
    assert parse_time("What was delivered before spring 2016?", TODAY).until == date(2015, 12, 31)
    assert parse_time("What was known before the morning of March 3, 2016?", TODAY).until == date(2016, 3, 2)
    assert parse_time("What came before Boeing's March 2016 award?", TODAY).until == date(2016, 2, 29)
