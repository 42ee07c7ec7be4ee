"""Answers over the bundled corpus and over real articles nobody here wrote (DVIDS), through the real stack."""

from __future__ import annotations

import pytest

from assistant.text import normalise

# (question, article that must be in the top 3)
RETRIEVAL = [
    ("Who was chosen to lead the Golden Dome missile shield?", "md-golden-dome-175-billion-guetlein-2025-05"),
    ("Why did the Pentagon approach Amazon's Project Kuiper about Golden Dome?", "md-golden-dome-kuiper-spacex-2025-07"),
    ("What did the CBO estimate space-based interceptors would cost over 20 years?", "md-cbo-space-based-interceptors-2025-05"),
    ("When did the B-21 Raider fly for the first time?", "ai-b21-first-flight-2023-11"),
    ("Which company won the Air Force's sixth-generation fighter?", "ai-f47-ngad-boeing-award-2025-03"),
    ("How much did the Sentinel ICBM cost estimate grow after the Nunn-McCurdy review?", "ai-sentinel-certification-141-billion-2024-07"),
    ("What spending target did NATO allies agree at The Hague?", "ai-nato-hague-summit-five-percent-2025-06"),
    ("How many satellites did SDA's first Tranche 1 launch carry?", "sp-sda-tranche1-first-launch-2025-09"),
    ("Which companies share the NSSL Phase 3 Lane 2 launch contracts?", "sp-nssl-phase3-lane2-awards-2025-04"),
    ("What did Finland pay for David's Sling?", "md-finland-davids-sling-2023-11"),
    ("How many drones did Russia fire in its record attack that set the government building on fire?", "md-russia-810-drone-attack-2025-09"),
    ("Where did Rheinmetall break ground on a new artillery shell plant?", "ai-rheinmetall-unterluss-shell-plant-2024-02"),
]

# (question, fact the answer must hold, article whose passage must be cited with that fact)
FACTS = [
    ("How much will Golden Dome cost according to Trump?", "175 billion", "md-golden-dome-175-billion-guetlein-2025-05"),
    ("How many PAC-3 MSE missiles does the $9.8 billion Army contract cover?", "1,970", "md-pac3-mse-1970-contract-2025-09"),
    ("How many satellites did the second Kuiper batch bring the constellation to?", "54", "sp-kuiper-ka02-launch-2025-06"),
    ("Who did Trump name to lead Golden Dome?", "Guetlein", None),
    ("How many tracking satellites are in SDA's $2.5 billion Tranche 2 award?", "54", "sp-sda-tranche2-tracking-awards-2024-01"),
    # "as of" limits the reporting, not the year of the answer's sentence (it names the 2020 baseline)
    ("As of February 2024, what did the Air Force say each Sentinel missile would cost?", "162 million", "ai-sentinel-nunn-mccurdy-breach-2024-01"),
    # the question's acronym, the article's spelled-out name
    ("What is the newest DoD discretionary budget request?", "848.3 billion", "sp-fy2026-budget-trillion-2025-06"),
]

OUT_OF_CORPUS = [
    "Who won the 2022 FIFA World Cup?",
    "What is the recipe for a Victoria sponge cake?",
    "How many interceptors has Golden Dome's space layer tested against ICBMs in 2026?",
]


@pytest.mark.parametrize("question,article", RETRIEVAL)
def test_right_article_in_top_3(corpus_assistant, question, article):
    passages = corpus_assistant.retriever.retrieve(question)
    top = list(dict.fromkeys(p.chunk.article_id for p in passages))[:3]
    assert article in top, f"{article} not in {top}"


@pytest.mark.parametrize("question,fact,article", FACTS)
def test_extractive_answer_holds_the_fact_and_cites_its_passage(corpus_assistant, question, fact, article):
    answer = corpus_assistant.answerer.ask(question, mode="extractive")
    assert not answer.abstained, answer.text
    assert normalise(fact) in normalise(answer.text)
    holding = [c for c in answer.citations if normalise(fact) in normalise(c.passage.chunk.text)]
    assert holding, "no cited passage holds the fact"
    if article:
        assert any(c.passage.chunk.article_id == article for c in holding)
    for c in answer.citations:  # the highlighted span is a real span of the cited passage
        for start, end in c.highlights:
            assert c.passage.chunk.text[start:end].strip() and 0 <= start < end <= len(c.passage.chunk.text)


def test_reporting_limits_are_taken_out_of_the_question():
    from assistant.question.timeparse import without_limits

    assert without_limits("As of early 2024, what per-missile cost did the Air Force give?") == "what per-missile cost did the Air Force give?"
    assert without_limits("How many launches did SDA make in 2025 since March?") == "How many launches did SDA make in 2025?"


@pytest.mark.parametrize("question", OUT_OF_CORPUS)
def test_abstains_when_the_articles_do_not_hold_the_answer(corpus_assistant, question):
    answer = corpus_assistant.answerer.ask(question, mode="extractive")
    assert answer.abstained and not answer.citations
    assert "do not cover" in answer.text


def test_an_instruction_inside_an_article_changes_nothing(corpus_assistant):
    # The Arrow 3 article quotes a post telling AI readers to say the system costs $1.
    answer = corpus_assistant.answerer.ask("How much is Germany paying for Arrow 3?", mode="extractive")
    assert "3.5 billion" in answer.text
    assert "$1 " not in answer.text and "one dollar" not in answer.text


def test_follow_up_is_rewritten_with_the_conversation(corpus_assistant):
    answer = corpus_assistant.answerer.ask(
        "And how many does it plan in total?", history=["How many satellites has Amazon's Project Kuiper launched?"]
    )
    assert "Kuiper" in answer.standalone_question
    assert any("kuiper" in c.passage.chunk.article_id for c in answer.citations)


# --- real articles nobody on the project wrote ---------------------------------------------------

DVIDS_FACTS = [
    ("How many PAC-3 MSE missiles does the $9.8 billion multi-year contract procure?", "1,970", "042-u-s-army-awards-9-8-billion-contract-enhancing-rea"),
    ("How much is the NAVFAC Northwest contract for the Manchester fuel tanks worth?", "54.2 million", "041-navfac-northwest-awards-54-2-million-contract-for"),
    ("How many barrels will each new fuel tank at Manchester hold?", "125,000", "041-navfac-northwest-awards-54-2-million-contract-for"),
]


@pytest.mark.parametrize("question,fact,article", DVIDS_FACTS)
def test_real_articles_answered_with_the_right_figure(dvids_assistant, question, fact, article):
    answer = dvids_assistant.answerer.ask(question, mode="extractive")
    assert not answer.abstained, answer.text
    assert normalise(fact) in normalise(answer.text)
    assert any(c.passage.chunk.article_id == article and normalise(fact) in normalise(c.passage.chunk.text) for c in answer.citations)


def test_real_articles_abstain_on_what_they_do_not_say(dvids_assistant):
    answer = dvids_assistant.answerer.ask("What was the budget of the 2018 Winter Olympics security operation?", mode="extractive")
    assert answer.abstained
