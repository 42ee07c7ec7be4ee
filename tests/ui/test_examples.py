"""Example questions drawn from the index (assistant/ui/examples.py): subjects from headlines, none from nothing."""

from __future__ import annotations

from assistant.ui.examples import ExampleQuestions, candidates, newest_articles, subject_of
from ui_support import write_articles


def test_subject_is_a_name_the_lead_spells_and_the_headline_holds():
    lead = "The Nimitz Carrier Strike Group (CSG) entered the U.S. 5th Fleet area of operations on July 24, officials said."
    assert subject_of("Nimitz Carrier Strike Group Enters 5th Fleet", lead) == "Nimitz Carrier Strike Group"
    # title case alone is not a name: the lead must spell it as one
    assert subject_of("Contracts For Sept. 4, 2014", "Raytheon Co., Tucson, Arizona, is awarded a contract.") == ""
    assert subject_of("", lead) == ""


def test_newest_articles_first_each_once_with_its_first_chunk():
    records = [
        ("a::2", "later text", {"article_id": "a", "title": "A", "published": "2024-01-01", "index": 2}),
        ("a::0", "lead of a", {"article_id": "a", "title": "A", "published": "2024-01-01", "index": 0}),
        ("b::0", "lead of b", {"article_id": "b", "title": "B", "published": "2025-01-01", "index": 0}),
        ("c::0", "undated", {"article_id": "c", "title": "C", "index": 0}),
    ]
    articles = newest_articles(records)
    assert [a["id"] for a in articles] == ["b", "a", "c"] and articles[1]["lead"] == "lead of a"
    assert len(newest_articles(records, most=1)) == 1


def test_candidates_use_each_subject_once():
    lead = "Amazon's Project Kuiper has put 78 satellites into orbit."
    articles = [{"id": "x", "title": "Project Kuiper launches", "lead": lead}, {"id": "y", "title": "Project Kuiper again", "lead": lead}]
    asked = candidates(articles)
    assert len(asked) == 1 and "Project Kuiper" in asked[0][0] and asked[0][1] == "x"


def test_examples_are_asked_for_real_and_none_from_an_empty_index(make_assistant, tmp_path):
    assistant = make_assistant()
    examples = ExampleQuestions(assistant)
    assert examples.current() == []
    assistant.ingest([write_articles(tmp_path / "articles")], progress=False)
    found = examples.current()  # follows the index: recomputed once it has changed
    assert 1 <= len(found) <= 4
    for question in found:
        answer = assistant.answerer.ask(question, mode="extractive")
        assert not answer.abstained and answer.citations
