"""Questions about time answered from the right report: the latest figure, the event's own date, the asked
member of a series. Through the real stack over the bundled corpus."""

from __future__ import annotations

import re

from assistant.question.analysis import answer_type, superseded
from assistant.question.names import designations, other_designation
from assistant.question.splitter import split_question
from assistant.text import normalise


def _first_sentence(text: str) -> str:
    return re.split(r"\[\d+\]", text, maxsplit=1)[0]


def test_latest_figure_comes_from_the_newest_report(corpus_assistant):
    # Three reports count production Kuiper satellites (27, 54, 78); "latest" wants the newest one first.
    answer = corpus_assistant.answerer.ask("What is the latest number of production Kuiper satellites Amazon has in orbit?", mode="extractive")
    lead = normalise(_first_sentence(answer.text))
    assert "78" in lead and "first 27" not in lead, answer.text


def test_which_came_first_gives_both_dates(corpus_assistant):
    answer = corpus_assistant.answerer.ask(
        "Which happened first, the Vulcan certification or the Lane 2 contract awards, and on what dates?", mode="extractive"
    )
    for day in ("March 26, 2025", "April 4, 2025"):
        assert normalise(day) in normalise(answer.text), answer.text


def test_a_question_about_tranche_1_is_not_answered_from_tranche_0(corpus_assistant):
    answer = corpus_assistant.answerer.ask("When did SDA originally say Tranche 1 launches would begin?", mode="extractive")
    lead = _first_sentence(answer.text)
    assert "September 2024" in lead and "Tranche 0" not in lead, answer.text


def test_a_deadline_is_asked_for_separately():
    parts = split_question("What is NATO's newest spending goal and its deadline?")
    assert len(parts) == 2 and answer_type(parts[1]) == "date"
    assert answer_type("What was the original target date for the launch?") == "date"


def test_series_members_and_superseded_values():
    asked = designations("How many satellites were on the first Tranche 1 launch?")
    assert asked == {"tranche": {"1"}}
    assert other_designation(asked, "The opening Tranche 0 launch slipped to April.")
    assert not other_designation(asked, "Tranche 1 follows Tranche 0, the demonstration set.")
    assert not other_designation(asked, "Amazon launched 27 satellites in 2025.")
    assert "record" in superseded("The attack surpassed the previous record of 728 drones.")
