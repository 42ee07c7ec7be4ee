"""Cards numbered 1..n in the order the answer cites them, one per article; refusals in words, the score on request."""

from __future__ import annotations

import json
import re
from pathlib import Path

from assistant.cards import renumber, split_reason
from assistant.render import answer_dict, answer_text
from assistant.schema import Answer, Chunk, Citation, Passage
from assistant.ui_render import answer_html

ROOT = Path(__file__).resolve().parent.parent
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
