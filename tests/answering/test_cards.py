"""Cards numbered 1..n in the order the answer cites them, one per article; refusals in words, the score on request."""

from __future__ import annotations

import json
import re
from pathlib import Path

from assistant.answering.cards import renumber, split_reason
from assistant.answering.render import answer_dict, answer_text
from assistant.schema import Answer, Chunk, Citation, Passage
from assistant.ui.render import answer_html

ROOT = Path(__file__).resolve().parents[2]
MARKER = re.compile(r"\[(\d+)\]")


def passage(article: str, index: int, rank: int) -> Passage:
    text = f"Sentence {index} of {article} says something."
    return Passage(Chunk(f"{article}::{index}", article, index, text, 0, len(text), article.title(), f"{article}.md"), rank, 0.5)


def first_appearances(text: str) -> list[int]:
    return list(dict.fromkeys(int(n) for n in MARKER.findall(text)))


def test_markers_follow_citing_order_and_an_article_takes_one_card():
    a1, b, a2 = passage("alpha", 0, 1), passage("beta", 0, 4), passage("alpha", 1, 6)
    answer = Answer("q", "Beta says so. [4] Alpha says more. [1] Alpha again. [6]", False, "extractive",
                    citations=(Citation(1, a1, ((0, 5),)), Citation(4, b, ((0, 5),)), Citation(6, a2, ((0, 30),))), passages=(a1, b, a2))
    cards = renumber(answer)
    assert cards.text == "Beta says so. [1] Alpha says more. [2] Alpha again. [2]"
    assert [c.n for c in cards.citations] == [1, 2]
    beta, alpha = cards.citations
    assert beta.passage.chunk.article_id == "beta" and alpha.passage.chunk.id == "alpha::0"
    assert [a.passage.chunk.id for a in alpha.also] == ["alpha::1"] and alpha.also[0].highlights == ((0, 30),)
    data = answer_dict(cards)
    assert [c["n"] for c in data["citations"]] == [1, 2] and data["citations"][1]["also"][0]["chunk_id"] == "alpha::1"
    html = answer_html(cards, "t1")
    assert html.count('class="card"') == 2 and 'class="passage also"' in html
    assert "Sentence 1 of alpha" in answer_text(cards)


def test_real_answers_number_their_cards_one_to_n(corpus_assistant):
    questions = [json.loads(line)["question"] for line in (ROOT / "eval" / "sets" / "bundled.jsonl").read_text().splitlines()[:40]]
    several = 0
    for question in questions:
        answer = corpus_assistant.answerer.ask(question, mode="extractive")
        if answer.abstained:
            continue
        numbers = first_appearances(answer.text)
        assert numbers == list(range(1, len(numbers) + 1)), (question, answer.text)
        assert [c.n for c in answer.citations] == numbers, question
        articles = [c.passage.chunk.article_id for c in answer.citations]
        assert len(articles) == len(set(articles)), (question, articles)
        several += len(numbers) > 1
    assert several >= 3  # the invariant was exercised on answers citing more than one article


def test_a_refusal_says_why_in_words_and_keeps_the_score_behind_a_toggle(corpus_assistant):
    answer = corpus_assistant.answerer.ask("What is the range of the Golden Dome space-based interceptors?", mode="extractive")
    assert answer.abstained
    assert answer.notice == "No sentence in the articles answers this closely enough."
    assert re.fullmatch(r"The best sentence scored 0\.\d\d; an answer needs 0\.\d+\.", answer.notice_details)
    html = answer_html(answer, "t2")
    assert '<details class="notice-details"><summary>Details</summary>' in html and "closest" in html
    text = answer_text(answer)
    assert "Note: No sentence in the articles answers this closely enough." in text and "Details: The best sentence scored" in text
    assert "Closest passages found" in text


def test_other_reasons_stay_whole():
    assert split_reason("The indexed articles never mention GPS IIIF.") == ("The indexed articles never mention GPS IIIF.", "")


def test_a_flagged_sentence_keeps_its_marking_after_renumbering():
    from assistant.schema import SentenceCheck

    a, b = passage("alpha", 0, 3), passage("beta", 0, 5)
    text = "Beta says so. [5] Alpha says more. [3]"
    answer = Answer("q", text, False, "llm", citations=(Citation(3, a, ((0, 5),)), Citation(5, b, ((0, 5),))), passages=(a, b),
                    sentences=(SentenceCheck("Beta says so. [5]", (5,), True), SentenceCheck("Alpha says more. [3]", (3,), False, ("no support",))))
    cards = renumber(answer)
    assert cards.text == "Beta says so. [1] Alpha says more. [2]"
    assert [(s.text, s.citations) for s in cards.sentences] == [("Beta says so. [1]", (1,)), ("Alpha says more. [2]", (2,))]
    html = answer_html(cards, "t1")
    assert re.search(r'class="flagged"[^>]*>Alpha says more\.', html), html  # the page still finds and marks it


def test_llm_answers_from_a_real_local_model_number_their_cards_one_to_n(make_assistant, tmp_path, llm_server):
    folder = tmp_path / "c"
    folder.mkdir()
    from conftest import write_article

    write_article(folder, "kuiper.md", "Pentagon courts Kuiper", "Amazon's Project Kuiper has launched 78 satellites of a planned 3,000. " * 30)
    write_article(folder, "starlink.md", "Starlink keeps growing", "SpaceX has deployed more than 9,000 Starlink satellites in orbit. " * 8)
    write_article(folder, "oneweb.md", "OneWeb fleet", "OneWeb operates about 650 satellites for broadband, Eutelsat said. " * 8)
    for reader in ("on",):  # the reader-first path (quoted replacements): SmolLM2 on whole passages is unsupported and slow
        assistant = make_assistant(index_dir=tmp_path / f"index-{reader}", llm_base_url=llm_server.base_url,
                                   llm_model="smollm2-135m-instruct", llm_max_tokens=60, llm_reader=reader, grounding="strict",
                                   llm_timeout_s=240, llm_deadline_s=400)  # a laptop CPU shared with other work
        assistant.ingest([folder], progress=False)
        events = list(assistant.answerer.stream("How many satellites have Kuiper, Starlink and OneWeb launched?", mode="llm", k=6))
        answer = events[-1].answer
        assert answer is not None and answer.mode == "llm" and not answer.abstained, (answer.notice, answer.text)
        numbers = first_appearances(answer.text)
        assert numbers == list(range(1, len(numbers) + 1)), answer.text
        assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
        assert set(numbers) <= {c.n for c in answer.citations}
        articles = [c.passage.chunk.article_id for c in answer.citations]
        assert len(articles) == len(set(articles)), articles  # one card per article
        for check in answer.sentences:  # each checked sentence is found in the text as it is shown
            assert not check.text or check.text.strip() in answer.text or not check.supported, (check, answer.text)
