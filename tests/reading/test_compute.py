"""Computed answers: differences, sums, durations and orders over cited values, the arithmetic shown and checked."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.reading.compute import asked_operation, check_arithmetic, compute, verified_figures
from assistant.grounding.checker import GroundingChecker
from assistant.schema import Chunk, Passage

LOCKHEED = "Lockheed Martin won $9.8 billion to build the Tranche 2 tracking satellites, the agency said."
SIERRA = "Sierra Space received $4.5 billion for its share of the Tranche 2 tracking satellites."
VULCAN = "The Space Force certified ULA's Vulcan rocket for national security missions on March 26, 2025."
LANE2 = "The Lane 2 launch contracts were awarded on April 4, 2025, to SpaceX, ULA and Blue Origin."


def passage(rank: int, text: str) -> Passage:
    chunk = Chunk(f"c{rank}", f"a{rank}", 0, text, 0, len(text), "Test article", f"a{rank}.md", date(2025, 5, 1))
    return Passage(chunk, rank, 1.0)


@pytest.mark.parametrize(
    "question,operation",
    [
        ("How much more did Lockheed Martin get than Sierra Space?", "difference"),
        ("What were the two awards worth combined?", "sum"),
        ("How many days passed between Vulcan's certification and the Lane 2 awards?", "duration"),
        ("Which came first, Vulcan's certification or the Lane 2 awards?", "first"),
        ("Which award was larger, Lockheed Martin's or Sierra Space's?", "larger"),
        ("How much is Lockheed Martin's award worth?", None),
        ("How many F-35s does the United States plan to buy in total?", None),
    ],
)
def test_the_question_names_the_computation(question, operation):
    assert asked_operation(question) == operation


def test_a_difference_shows_each_operand_cited_and_the_arithmetic():
    done = compute("How much more did Lockheed Martin get than Sierra Space?", [(LOCKHEED, 1), (SIERRA, 2)])
    assert done is not None
    assert done.short == "$5.3 billion"
    assert "$9.8 billion \u2212 $4.5 billion = $5.3 billion [1][2]" in done.text
    assert [a.right for a in check_arithmetic(done.text)] == [True]


def test_a_sum_and_a_duration_and_an_order():
    total = compute("What were the two awards worth combined?", [(LOCKHEED, 1), (SIERRA, 2)])
    assert total is not None and total.short == "$14.3 billion"
    gap = compute("How many days passed between Vulcan's certification and the Lane 2 awards?", [(VULCAN, 1), (LANE2, 2)])
    assert gap is not None and gap.short == "9 days"
    first = compute("Which came first, Vulcan's certification or the Lane 2 awards?", [(LANE2, 2), (VULCAN, 1)])
    assert first is not None and first.short == "March 26, 2025" and first.text.startswith("**March 26, 2025** [1] came first")


def test_one_value_or_a_stated_total_computes_nothing():
    assert compute("How much more did Lockheed Martin get than Sierra Space?", [(LOCKHEED, 1)]) is None
    stated = "The combined value of the awards is $13.7 billion, with SpaceX getting $5.9 billion."
    assert compute("What is the combined value of the awards?", [(stated, 1), (SIERRA, 2)]) is None


def test_wrong_arithmetic_is_found_and_right_arithmetic_verifies_its_result():
    wrong = check_arithmetic("$9.8 billion \u2212 $4.5 billion = $5.9 billion [1][2]")
    assert [a.right for a in wrong] == [False]
    assert verified_figures("$9.8 billion \u2212 $4.5 billion = $5.9 billion [1][2]") == set()
    assert verified_figures("$9.8 billion \u2212 $4.5 billion = $5.3 billion [1][2]") == {"5300000000"}
    assert [a.right for a in check_arithmetic("April 4, 2025 \u2212 March 26, 2025 = 10 days")] == [False]


@pytest.fixture(scope="module")
def checker(embeddings) -> GroundingChecker:
    return GroundingChecker(embeddings)


def test_the_grounding_check_counts_a_right_computation_and_flags_a_wrong_one(checker):
    passages = [passage(1, LOCKHEED), passage(2, SIERRA)]
    right, wrong = checker.check_answer(
        "Lockheed Martin got $5.3 billion more than Sierra Space for the tracking satellites: $9.8 billion \u2212 $4.5 billion = $5.3 billion [1][2]. "
        "Lockheed Martin got $5.9 billion more than Sierra Space for the tracking satellites: $9.8 billion \u2212 $4.5 billion = $5.9 billion [1][2].",
        passages,
    )
    assert right.supported, right.reasons
    assert not wrong.supported
    assert any(r.startswith("arithmetic wrong") for r in wrong.reasons), wrong.reasons


def test_an_extractive_answer_computes_over_two_articles_and_its_result_is_no_unsupported_number(make_assistant, tmp_path):
    from assistant.evaluation.metrics import score
    from assistant.evaluation.questions import Question
    from conftest import write_article

    folder = tmp_path / "articles"
    folder.mkdir()
    write_article(folder, "lm.md", "Lockheed Martin wins Tranche 2 tracking award", LOCKHEED + " Deliveries start in 2027.", date="2024-01-17")
    write_article(folder, "ss.md", "Sierra Space wins Tranche 2 tracking award", SIERRA + " The first launch is planned for 2027.", date="2024-01-18")
    assistant = make_assistant()
    assistant.ingest([folder], progress=False)
    question = "How much more did Lockheed Martin win than Sierra Space for Tranche 2 tracking satellites?"
    answer = assistant.answerer.ask(question, mode="extractive")
    assert not answer.abstained, answer.notice
    assert answer.short_answer == "$5.3 billion", answer.text
    assert len({c.passage.chunk.article_id for c in answer.citations}) == 2
    scored = score(Question("t", question, "comparison", ("lm", "ss"), (("$5.3 billion",),), False), answer, [])
    assert scored.correct and scored.unsupported_figures == [], (answer.text, scored.unsupported_figures)


def test_an_abbreviated_amount_is_read_whole_never_cut_before_its_scale():
    question = "Which was larger: the May 2022 Stinger order or the FY2023 TOW production contract?"
    done = compute(question, [("The FY2023 TOW contract executed for $322.5 million.", 1), ("The Army issued a $624.601M Stinger order.", 2)])
    assert done is not None and done.short == "$624.601M"
    assert [a.right for a in check_arithmetic(done.text)] == [True]


def test_no_arithmetic_across_currencies_or_between_a_part_and_its_whole():
    question = "Which cost more: Finland's David's Sling buy or Germany's Arrow 3 deal?"
    assert compute(question, [("Germany's Arrow 3 deal is worth $3.5 billion.", 1), ("Finland buys David's Sling for €316 million.", 2)]) is None
    whole = "The sales are worth about $2 billion, including NASAMS and radars worth $1.16 billion."
    assert compute("Which was worth more, the NASAMS or the radars?", [(whole, 1), ("The radars cost $1.16 billion.", 1)]) is None
