"""Broad questions get a dated digest: one key sentence per relevant article, newest first, each cited."""

from __future__ import annotations

import re
from datetime import date

from assistant.digest import broad_subject


def test_a_broad_question_gets_one_dated_sentence_per_article_newest_first(corpus_assistant):
    answer = corpus_assistant.answerer.ask("What's going on with Golden Dome?", mode="extractive")
    articles = [c.passage.chunk.article_id for c in answer.citations]
    assert len(articles) >= 3 and len(set(articles)) == len(articles), articles
    days = [date.fromisoformat(d) for d in re.findall(r"(\d{4}-\d\d-\d\d): ", answer.text)]
    assert len(days) >= 3 and days == sorted(days, reverse=True), answer.text
    for citation in answer.citations:  # each sentence shown is highlighted in the passage it cites
        (start, end), = citation.highlights
        sentence = " ".join(citation.passage.chunk.text[start:end].split())
        assert sentence in answer.text and "Golden Dome" in sentence
    assert [int(n) for n in re.findall(r"\[(\d+)\]", answer.text)] == list(range(1, len(articles) + 1))


def test_a_question_asking_for_particulars_is_not_a_digest(corpus_assistant):
    question = "Summarise the Arrow 3 deal with Germany, including its price and who builds it."
    assert broad_subject(question) == ""
    answer = corpus_assistant.answerer.ask(question, mode="extractive")
    assert "3.5 billion" in answer.text and not re.match(r"\d{4}-\d\d-\d\d: ", answer.text)
    assert broad_subject("Summarise SDA's Tranche 1 progress") == "SDA's Tranche 1"
    assert broad_subject("Who is in charge of Golden Dome?") == ""
