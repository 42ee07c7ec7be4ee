"""Broad questions get a dated digest: one key sentence per relevant article, newest first, each cited."""

from __future__ import annotations

import re
from datetime import date

from assistant.analyst.digest import broad_subject


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


def test_the_digest_merges_copies_of_one_story_and_dates_each_line_by_the_shared_parser(make_assistant, tmp_path):
    from conftest import write_article

    folder = tmp_path / "articles"
    folder.mkdir()
    order = ("The Navy ordered 24 Osprey survey drones for 61 million dollars on March 3, 2025, the service said. "
             "The drones will map harbours and approaches for mine countermeasure crews. "
             "Deliveries of the first Osprey survey drones are due within a year, according to the contract notice. ")
    write_article(folder, "order.md", "Navy orders Osprey survey drones", order * 3, date="2025-03-05")
    write_article(folder, "copy.md", "Navy orders Osprey survey drones", order * 3, date="2025-03-06", source="Other Wire")
    fleet = ("The first Osprey survey drones reached the fleet on June 2, 2025, at Naval Station Norfolk, officials said. "
             "Crews began training with the vehicles the same week. ")
    write_article(folder, "fleet.md", "Osprey drones join the fleet", fleet * 4, date="2025-06-10")
    assistant = make_assistant()
    assistant.ingest([folder], progress=False)
    answer = assistant.answerer.ask("What's going on with the Osprey survey drones?", mode="extractive")
    lines = re.findall(r"(\d{4}-\d\d-\d\d): (.+?)((?:\[\d+\])+)", answer.text)
    assert [day for day, _, _ in lines] == ["2025-06-02", "2025-03-03"], answer.text  # the dates the sentences state
    assert len(lines) == 2 and lines[1][2] in {"[2]", "[2][3]"}  # the copy makes no line of its own
    titles = {c.passage.chunk.article_id for c in answer.citations}
    assert len(titles) == len(answer.citations)
