"""Contract releases write one award a paragraph: a lead that names the contractor and what it buys, then sentences
that give the award's completion date, place and funding without naming it again; and a system's name is often
written out as a comma-separated list whose initials make its acronym. Neither may turn an answer in hand into a
refusal. Over a small release written here, through the real stack."""

from __future__ import annotations

import pytest

from conftest import write_article

RELEASE = """
Northwind Systems Inc., Tacoma, Washington, was awarded a $18,400,000 firm-fixed-price foreign military sales (Norway, Chile) contract for sustainment of the Export Variant of the Compact, Rugged, Anti-Jam, Networked, Expeditionary-Radio. One bid was solicited with one received with an estimated completion date of Nov. 30, 2027. Funding and work location will be determined with each order. Army Contracting Command, Aberdeen Proving Ground, Maryland, is the contracting activity (W15P7T-26-D-0101).

Harbor Dynamics LLC, Norfolk, Virginia, was awarded a $12,345,678 cost-plus-fixed-fee contract for hull repair of three coastal patrol boats. Work will be performed in Norfolk, Virginia, with an estimated completion date of March 31, 2028. Fiscal 2026 operation and maintenance (Navy) funds in the amount of $2,100,000 are being obligated at the time of award. Naval Sea Systems Command, Washington, D.C., is the contracting activity (N00024-26-C-4410).

Granite Ordnance Corp., Mesa, Arizona, was awarded a $41,000,000 modification (P00007) to contract W31P4Q-24-C-0012 for production of practice rockets. Work will be performed in Mesa, Arizona, with an estimated completion date of June 30, 2029. Army Contracting Command, Redstone Arsenal, Alabama, is the contracting activity.
"""


@pytest.fixture
def releases(make_assistant, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    write_article(folder, "contracts.md", "Contracts For June 10, 2026", RELEASE, date="2026-06-10", source="Department of Defense")
    assistant = make_assistant()
    assistant.ingest([folder], progress=False)
    return assistant


def ask(assistant, question: str):
    return assistant.answerer.ask(question, mode="extractive")


def test_an_acronym_written_out_as_a_list_of_words_is_mentioned(releases):
    # "CRANE" is never written; "Compact, Rugged, Anti-Jam, Networked, Expeditionary-Radio" is (a hyphenated word
    # gives one initial, the words are separated by commas)
    answer = ask(releases, "For which countries does Northwind sustain the Export Variant of CRANE?")
    assert not answer.abstained, answer.notice
    assert "Norway" in answer.text and "Chile" in answer.text


def test_the_sentence_after_an_awards_lead_gives_its_completion_date(releases):
    answer = ask(releases, "When is Harbor Dynamics' hull repair contract expected to be completed?")
    assert not answer.abstained, answer.notice
    assert answer.short_answer == "March 31, 2028", answer.text
    assert "Harbor Dynamics" in answer.text  # shown with the lead that says which award the date is of


def test_both_together(releases):
    answer = ask(releases, "When is Northwind's CRANE Export Variant sustainment contract expected to be completed?")
    assert not answer.abstained, answer.notice
    assert answer.short_answer == "Nov. 30, 2027", answer.text


def test_a_short_acronym_is_not_read_into_a_list_of_places(releases):
    from assistant.grounding.evidence import spelled_out

    # three letters or fewer match a list of capitalised words too often by chance
    assert not spelled_out("nvw", "Work will be performed in Norfolk, Virginia, Washington, with an estimated completion date")
    assert spelled_out("crane", RELEASE)


@pytest.mark.parametrize(
    "question",
    [
        # the lead named is about rockets; the hull repair is another award of the same release
        "When is Granite Ordnance's hull repair contract expected to be completed?",
        "When is Harbor Dynamics' radar upgrade contract expected to be completed?",
        "When is Harbor Dynamics' 2024 hull repair contract expected to be completed?",
        "When is the Northwind CRANE contract for Brazil expected to be completed?",
    ],
)
def test_a_lead_about_another_award_does_not_lend_its_date(releases, question):
    answer = ask(releases, question)
    assert answer.abstained, answer.text
