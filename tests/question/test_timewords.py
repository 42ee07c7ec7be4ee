"""'This year' read against today and the newest article, and said so when that changes the result."""

from __future__ import annotations

from datetime import date

from assistant.question.timeparse import parse_time
from assistant.question.timewords import read_time_words
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


def test_recent_reaches_back_from_the_newest_article_when_today_is_past_the_corpus(make_assistant, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    write_article(folder, "osprey.md", "Navy orders Osprey survey drones", BODY, date="2025-03-04")
    heron = "The Navy ordered 10 Heron-class survey drones for 30 million dollars, the service said on May 2, 2024. " * 6
    write_article(folder, "heron.md", "Navy orders Heron survey drones", heron, date="2024-05-03")
    assistant = make_assistant(as_of=date(2026, 6, 1))
    assistant.ingest([folder], progress=False)
    answer = assistant.answerer.ask("Which survey drones did the Navy order recently?", mode="extractive")
    assert not answer.abstained and "Osprey" in answer.text and "Heron" not in answer.text, (answer.text, answer.notice)
    assert {c.passage.chunk.title for c in answer.citations} == {"Navy orders Osprey survey drones"}
    assert 'Read "recently" against the newest indexed article (2025-03-04), not today (2026-06-01)' in answer.notice


def test_recent_words_name_a_period_and_most_recent_does_not():
    newest = lambda: date(2025, 9, 4)  # noqa: E731
    as_of, note = read_time_words("What did the Army test in recent weeks?", date(2026, 12, 1), newest)
    assert as_of == date(2025, 9, 4) and '"in recent weeks"' in note
    assert read_time_words("What did the Army test recently?", date(2025, 10, 1), newest) == (date(2025, 10, 1), "")
    assert read_time_words("What is the most recent Army test?", date(2026, 12, 1), newest) == (date(2026, 12, 1), "")
    assert parse_time("What did the Army test in recent months?", date(2026, 6, 1)).since == date(2025, 11, 30)
    assert parse_time("What is the most recent Army test?", date(2026, 6, 1)).since is None
