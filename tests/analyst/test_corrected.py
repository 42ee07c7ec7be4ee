"""Answers led by a published correction: the corrected value, cited to the correction, and what it replaced."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.app import build_assistant
from assistant.analyst.conflicts import find_conflicts
from assistant.config import Settings
from assistant.question.names import key_names
from assistant.analyst.corrected import corrections_in, lead_with_correction
from assistant.analyst.corrections import correction_conflicts, related_reports
from assistant.answering.render import answer_dict
from assistant.schema import Chunk, Passage

CONTRACTS = Path(__file__).resolve().parents[3] / "shared" / "data" / "dodcontracts"
RELEASES = (
    "165-contracts-for-june-29-2018.txt",  # Bell Boeing V-22 multiyear: 34 MV-22B announced
    "167-contracts-for-july-3-2018.txt",  # its correction: 14 MV-22B
    "041-contracts-for-july-23-2015.txt",  # Haight & Associates: "was actually awarded on July 22, 2015"
    "064-contracts-for-feb-2-2016.txt",  # IGOV: "The actual amount was $52,355,650."
    "141-contracts-for-nov-1-2017.txt",  # Capco BSU-33 bomb fins announced under W52P1J-17-D-0093
    "142-contracts-for-nov-2-2017.txt",  # its correction names Capco and the day, not the bomb fins
)


@pytest.fixture(scope="module")
def contracts(tmp_path_factory, embeddings):
    if not CONTRACTS.is_dir():
        pytest.skip(f"real-article folder {CONTRACTS} is absent (it ships only with the shared workspace)")
    folder = tmp_path_factory.mktemp("corrected")
    for name in (*RELEASES, "manifest.csv"):
        (folder / name).write_bytes((CONTRACTS / name).read_bytes())
    assistant = build_assistant(Settings(index_dir=tmp_path_factory.mktemp("idx")), embeddings=embeddings)
    assistant.ingest([folder], progress=False)
    yield assistant
    assistant.close()


def _card(answer, article_prefix: str):
    return next((c for c in answer.citations if c.passage.chunk.article_id.startswith(article_prefix)), None)


def test_the_corrected_value_leads_and_what_it_replaced_is_cited(contracts):
    answer = contracts.answerer.ask(
        "How many MV-22B aircraft will the Marine Corps receive under Bell Boeing's June 29, 2018 multiyear modification?",
        mode="extractive",
    )
    assert not answer.abstained, answer.notice
    assert answer.short_answer == "14 MV-22B aircraft"
    assert answer.replaced == "34 MV-22B aircraft"
    correction, original = _card(answer, "167"), _card(answer, "165")
    assert correction is not None and original is not None, [c.passage.chunk.article_id for c in answer.citations]
    assert answer.text.startswith(f"**14 MV-22B aircraft** [{correction.n}]")
    assert f"It replaces 34 MV-22B aircraft, as first announced [{original.n}]." in answer.text
    assert "14 MV-22B" in correction.passage.chunk.text and "34 MV-22B" in original.passage.chunk.text
    data = answer_dict(answer)
    assert (data["short_answer"], data["replaced"]) == ("14 MV-22B aircraft", "34 MV-22B aircraft")


@pytest.mark.parametrize(
    "question,value",
    [
        ("When was Haight & Associates' $47 million contract actually awarded?", "July 22, 2015"),
        ("What was the actual award amount of IGOV Technologies' January 2016 contract?", "$52,355,650"),
    ],
)
def test_a_correction_that_states_the_asked_value_gives_it_not_the_value_it_corrects(contracts, question, value):
    answer = contracts.answerer.ask(question, mode="extractive")
    assert not answer.abstained, answer.notice
    assert answer.short_answer == value
    assert answer.text.startswith(f"**{value}** [")
    # the sentence stating the value is shown and its passage cited, not the bold lead alone
    assert answer.text.count(value) >= 2, answer.text
    assert any(value in c.passage.chunk.text for c in answer.citations)


def test_the_language_model_is_told_which_passage_corrects_which(contracts):
    answerer = contracts.answerer
    question = "How many MV-22B aircraft will the Marine Corps receive under Bell Boeing's June 29, 2018 multiyear modification?"
    passages = answerer._retrieve(question, None, 6)
    passages += related_reports(question, passages, answerer.retriever)
    conflicts = find_conflicts(question, passages)
    fixes = corrections_in(conflicts, passages)
    assert fixes, conflicts
    user = answerer._messages(question, passages, conflicts)[1].content
    fix = fixes[0]
    assert f"Passage [{fix.correcting.rank}] corrects passage [{fix.original.rank}]" in user
    assert "14 MV-22B aircraft replaces 34 MV-22B aircraft" in user


def _passage(text: str, rank: int = 1) -> Passage:
    chunk = Chunk(f"a{rank}:0", f"a{rank}", 0, text, 0, len(text), "Contracts", "a.txt", published=date(2016, 2, 2), source="DoD")
    return Passage(chunk, rank, 1.0)


def test_a_sentence_that_is_no_correction_leads_with_nothing():
    text = "Acme Corp., Dayton, Ohio, has been awarded a $12,000,000 contract for widgets."
    passage = _passage(text)
    assert lead_with_correction("How much is Acme's widget contract worth?", text + " [1]", [], [], (passage, 0, len(text))) is None


def test_a_corrected_date_is_given_as_the_correction_writes_it():
    text = "CORRECTION: The contract awarded to Acme Corp. on June 3, 2016, was actually awarded on June 9, 2016."
    passage = _passage(text)
    led = lead_with_correction("When was Acme's contract actually awarded?", text + " [1]", [], [], (passage, 0, len(text)))
    assert led is not None
    assert led[2].value == "June 9, 2016" and led[0].startswith("**June 9, 2016** [1]")


def test_a_correction_naming_only_the_company_corrects_the_award_asked_about(contracts):
    answer = contracts.answerer.ask("What is the right contract number for the bomb fin assemblies Capco LLC supplies (BSU-33)?", mode="extractive")
    assert not answer.abstained, answer.notice
    assert answer.short_answer == "W52P1J-18-D-0016"
    assert "W52P1J-17-D-0093" in answer.text  # what it replaced, cited to the announcement
    assert {c.passage.chunk.article_id[:3] for c in answer.citations} >= {"141", "142"}


def test_a_correction_of_another_value_of_the_award_does_not_lead(contracts):
    answer = contracts.answerer.ask("Name the foreign buyers of the BSU-33 bomb fin assemblies from Capco LLC.", mode="extractive")
    assert not answer.abstained, answer.notice
    assert "W52P1J-18-D-0016" not in answer.text and "Malaysia" in answer.text


def _dated(text: str, rank: int, day: date) -> Passage:
    chunk = Chunk(f"a{rank}:0", f"a{rank}", 0, text, 0, len(text), "Contracts", "a.txt", published=day, source="DoD")
    return Passage(chunk, rank, 1.0)


@pytest.mark.parametrize("item,wanted,paired", [
    ("WG-12 widget", "contract", True),
    ("GB-40 gearbox", "contract", False),  # the corrected paragraph is about another item
    ("WG-12 widget", None, False),  # the question may ask for something else of the award: its customers, its place
    ("WG-12 widget", "date", False),
])
def test_a_correction_is_about_the_subject_its_corrected_paragraph_names(item, wanted, paired):
    announced = _dated("Acme Corp., Dayton, Ohio, has been awarded a $12,000,000 contract for WG-12 widget housings. "
                       "Army Contracting Command is the contracting activity (W52P1J-16-D-0001).", 1, date(2016, 2, 1))
    correction = _dated("CORRECTION: The contract announced on Feb. 1, 2016, for Acme Corp., Dayton, Ohio, for $12,000,000 was "
                        "announced with an incorrect contract number. The correct contract number is W52P1J-16-D-0002.", 2, date(2016, 2, 2))
    names = key_names(f"What is the correct contract number of Acme's {item} contract?")
    found = correction_conflicts([announced, correction], names, wanted)
    assert bool(found) is paired, found
    if paired:
        assert [v.value for v in found[0].values] == ["W52P1J-16-D-0002", "W52P1J-16-D-0001"]


@pytest.mark.parametrize("item,paired", [("MV-22B", True), ("CMV-22B", False), ("Osprey", False)])
def test_a_corrected_count_answers_only_for_the_item_it_counts(item, paired):
    announced = _dated("Bell Boeing Joint Project Office, Amarillo, Texas, is awarded a $4,191,533,822 modification for "
                       "the manufacture of 34 MV-22B aircraft and 39 CMV-22B aircraft (N00019-17-C-0015).", 1, date(2018, 6, 29))
    correction = _dated("CORRECTION: The modification awarded on June 29, 2018, to Bell Boeing Joint Project Office should "
                        "have stated 14 MV-22B aircraft.", 2, date(2018, 7, 3))
    names = key_names(f"How many {item} aircraft does the Bell Boeing multiyear modification buy?")
    found = correction_conflicts([announced, correction], names, "count")
    assert bool(found) is paired, found


def test_a_corrected_count_of_a_plain_word_item_is_matched_as_the_question_writes_it():
    announced = _dated("Lockheed Martin Corp., Orlando, Florida, was awarded a $90,000,000 contract for 1,000 Hellfire missiles "
                       "(W31P4Q-16-C-0001).", 1, date(2016, 3, 1))
    correction = _dated("CORRECTION: The contract awarded on March 1, 2016, to Lockheed Martin Corp. should have stated 2,000 "
                        "Hellfire missiles.", 2, date(2016, 3, 3))
    names = key_names("How many Hellfire missiles does the Lockheed Martin Orlando contract of W31P4Q-16-C-0001 buy?")
    assert correction_conflicts([announced, correction], names, "count")
