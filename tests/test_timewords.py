"""'This year' read against today and the newest article, and said so when that changes the result."""

from __future__ import annotations

from datetime import date

from assistant.timewords import read_time_words
from conftest import write_article

BODY = "The Navy ordered 24 Osprey-class survey drones for 61 million dollars, the service said on March 3, 2025. " * 6


def test_this_year_after_the_newest_article_is_read_against_it_and_said(make_assistant, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    write_article(folder, "osprey.md", "Navy orders Osprey survey drones", BODY, date="2025-03-04")
    write_article(folder, "older.md", "Army tests a radar", "The Army tested a new radar at White Sands, officials said. " * 12, date="2024-02-01")
    assistant = make_assistant(as_of=date(2026, 6, 1))
    assistant.ingest([folder], progress=False)
    answer = assistant.answerer.ask("How many survey drones did the Navy order this year?", mode="extractive")
    assert not answer.abstained and "24" in answer.text, (answer.text, answer.notice)
    assert 'Read "this year" against the newest indexed article (2025-03-04), not today (2026-06-01)' in answer.notice
    plain = assistant.answerer.ask("How many survey drones did the Navy order?", mode="extractive")
    assert "newest indexed article" not in plain.notice  # no time words, nothing said


def test_the_clock_reading_stands_when_the_period_holds_articles():
    newest = lambda: date(2025, 9, 4)  # noqa: E731
    assert read_time_words("What happened this year?", date(2025, 12, 1), newest) == (date(2025, 12, 1), "")
    assert read_time_words("What happened last year?", date(2026, 12, 1), newest) == (date(2026, 12, 1), "")
    as_of, note = read_time_words("What happened this month?", date(2026, 12, 1), newest)
    assert as_of == date(2025, 9, 4) and '"this month"' in note
    assert read_time_words("What is the latest on Golden Dome?", date(2026, 12, 1), lambda: None) == (date(2026, 12, 1), "")
