"""The conditions a question puts on one award of a list: its customers and the share each pays, its contractor,
a figure the question itself gives, and which of the award's amounts is asked."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.reading.answerable import withheld_clause
from assistant.reading.awards import awardees, facets, opens_award, states
from assistant.reading.near_miss import unmet_condition
from assistant.reading.short_answer import only_given
from assistant.schema import Chunk
from assistant.text import terms

RELEASE = (
    "Aldine Radar Co., Tempe, Arizona, has been awarded a $60,000,000 firm-fixed-price foreign military sales (Norway, "
    "Chile and Peru) contract for radar spares. Work will be performed in the United Arab Emirates.\n\n"
    "Birch Marine Inc., Mobile, Alabama, was awarded a $9,000,000 contract for the governments of Japan and Spain. "
    "The contract combines purchases for Japan ($5,000,000) and Spain ($4,000,000).\n\n"
    "Cobalt Vehicles LLC, Warren, Michigan, was awarded a $25,935,000 foreign military sales (Iraq) contract for 600 "
    "pickup trucks. Work will be performed in United Arab Emirates."
)


def _chunk() -> Chunk:
    return Chunk(id="r::1", article_id="r", index=0, text=RELEASE, start=0, end=len(RELEASE),
                 title="Contracts for July 23, 2015", path="/r.txt", published=date(2015, 7, 23))


def _unmet(question: str, lead: str) -> str:
    start = RELEASE.index(lead)
    chunk = _chunk()
    return unmet_condition(question, chunk, RELEASE, (start, RELEASE.index(".", start) + 1), True, awardees([chunk]))


def test_one_customer_of_several_needs_its_own_share():
    assert "Chile" in _unmet("How much of Aldine Radar's spares contract is Chile paying?", "Aldine")
    assert _unmet("How much is Japan paying under Birch Marine's contract?", "Birch") == ""  # "Japan ($5,000,000)"
    # the question names the award's customers together: it asks for the whole award
    assert _unmet("What is Aldine Radar's spares contract for Norway, Chile and Peru worth?", "Aldine") == ""
    # one customer; the place of work is not a second one
    assert _unmet("How much is Iraq paying Cobalt Vehicles for pickup trucks?", "Cobalt") == ""


def test_a_country_the_award_does_not_name_is_unmet_however_written():
    assert "Kuwait" in _unmet("How much is Kuwait paying Cobalt Vehicles for pickup trucks?", "Cobalt")
    assert _unmet("How much is the UAE work on Cobalt Vehicles' pickup trucks worth?", "Cobalt") == ""  # "United Arab Emirates"


def test_another_awards_contractor_is_unmet():
    assert "is not to Birch Marine" in _unmet("How much did Birch Marine receive for radar spares?", "Aldine")
    assert _unmet("How much did Aldine Radar receive for radar spares?", "Aldine") == ""


def test_a_word_inside_another_firms_name_is_no_contractors_name():
    # "Marine" is a word of "Birch Marine Inc.", not its name: "the Marine Corps program" names no contractor
    assert _unmet("How much did Aldine Radar receive for radar spares under the Marine program?", "Aldine") == ""
    # a contractor named from its first word on is one: named first, it is the one asked about, and another named
    # after it is a partner or a supplier; named after another's, it does not make that award this one
    assert "is not to Birch Marine" in _unmet("How much did Birch Marine receive to supply Aldine Radar spares?", "Aldine")
    assert _unmet("How much did Aldine Radar receive for radar spares it buys from Birch Marine?", "Aldine") == ""


def test_the_figure_the_question_gives_is_no_answer():
    sentence = "It exercises an option for 2,060 Hellfire II tactical missiles for six countries."
    assert only_given("How many of the 2,060 Hellfire II missiles are going to Qatar?", sentence) == "2,060 Hellfire II"
    assert only_given("How many Hellfire II missiles are in the option?", sentence) is None
    assert only_given("Were 2,060 Hellfire II missiles bought?", sentence) is None  # it confirms the question
    assert only_given("How much of the $9,000,000 is Japan paying?", "Birch Marine was awarded $9,000,000.") == "$9,000,000"


@pytest.mark.parametrize(
    ("question", "facet"),
    [
        ("How much was obligated at the time of award?", ["obligated"]),
        ("How much did the Army put on contract up front?", ["obligated"]),
        ("What could it be worth if all options are exercised?", ["options"]),
        ("What would it be worth if its single option is exercised?", ["options"]),
        ("What would the deal be worth if the two options were exercised?", ["options"]),
        ("What is the guaranteed minimum?", ["minimum"]),
        ("How much is the contract worth?", []),
    ],
)
def test_which_amount_of_an_award_is_asked(question, facet):
    assert facets(question) == facet


def test_which_sentence_states_an_amount():
    assert states("obligated", "Fiscal 2015 funds in the amount of $15,000,000 are being obligated at the time of award.")
    assert states("options", "The total contract, including all options, is currently estimated at $71,821,520.")
    assert states("options", "This contract includes options which, if exercised, would bring the cumulative value to $9.")
    assert not states("obligated", "Aldine Radar Co. has been awarded a $60,000,000 contract.")
    assert opens_award(RELEASE.split("\n\n")[1]) and not opens_award("The contract combines purchases.")


def test_a_rounded_figure_in_the_question_is_the_articles_figure():
    chunk = _chunk()
    start = RELEASE.index("Cobalt")
    span = (start, RELEASE.index(".", start) + 1)
    # "$25.9 million" is how a reader rounds $25,935,000; a count the question gives must be exact
    assert unmet_condition("What did Cobalt Vehicles get in its $25.9 million contract?", chunk, RELEASE, span) == ""
    assert "601" in unmet_condition("What did Cobalt Vehicles get for its 601 pickup trucks?", chunk, RELEASE, span)


def test_a_month_is_not_a_customer_and_a_place_of_work_is_not_a_buyer():
    assert _unmet("How many pickup trucks did Cobalt Vehicles sell for the July 2015 order for Iraq?", "Cobalt") == ""
    # the United Arab Emirates is where the work is done: Iraq is the one buyer
    assert _unmet("How much is Iraq paying Cobalt Vehicles for the pickup trucks?", "Cobalt") == ""


def _one_award(release: str, title: str, day: date):
    """The conditions of a one-award release, under award conditions: question -> what it does not meet."""
    chunk = Chunk(id="o::1", article_id="o", index=0, text=release, start=0, end=len(release), title=title,
                  path="/o.txt", published=day)
    return lambda question: unmet_condition(question, chunk, release, (0, len(release)), True, awardees([chunk]))


def test_a_country_named_only_where_the_work_is_done_is_no_customer():
    unmet = _one_award(
        "Delta Optics LLC, Austin, Texas, was awarded a $10,000,000 contract for sensors for the Navy and the governments "
        "of Norway and Spain. Work will be performed in Austin, Texas (80 percent); and Quebec, Canada (20 percent), and is "
        "expected to be completed in April 2017.", "Contracts for Feb. 5, 2015", date(2015, 2, 5))
    assert "only as a place of work" in unmet("What share of Delta Optics' sensor contract is for Canada?")
    assert unmet("What share of Delta Optics' sensor contract is for Norway?") == ""
    assert unmet("How much of Delta Optics' sensor work is done in Canada?") == ""


def test_the_fiscal_year_of_an_awards_funds_does_not_date_the_award():
    unmet = _one_award(
        "Armor Flares Co., Coachella, California, has been awarded an $18,000,000 modification (P00010) to contract "
        "W52P1J-15-C-0005 for 400,000 M206 flares. Fiscal 2016 procurement funds in the amount of $18,000,000 were "
        "obligated at the time of the award.", "Contracts for Aug. 4, 2017", date(2017, 8, 4))
    assert "2016" in unmet("How many M206 flares did Armor Flares agree in 2016 to supply?")
    assert unmet("How many M206 flares did Armor Flares agree in 2017 to supply?") == ""
    assert unmet("How much fiscal 2016 money was obligated for Armor Flares' M206 flares?") == ""


def test_a_contractor_misspelled_by_the_release_is_still_its_own():
    release = "Ernest & Young LLP, Washington, D.C., has been awarded a maximum $17,509,393 labor-hour contract for audits."
    chunk = Chunk(id="e::1", article_id="e", index=0, text=release, start=0, end=len(release),
                  title="Contracts for May 13, 2016", path="/e.txt", published=date(2016, 5, 13))
    other = [set(terms("Ernst & Young LLP"))]
    assert unmet_condition("What type of contract did Ernst & Young get?", chunk, release, (0, len(release)), True, other) == ""


def test_a_release_saying_no_date_is_given_withholds_it():
    sentence = "No completion date or additional information is provided on Naval Nuclear Propulsion program contracts."
    assert withheld_clause("When is Bechtel expected to finish the naval nuclear propulsion contract?", sentence)
    assert not withheld_clause("How much is the naval nuclear propulsion contract worth?", sentence)


def test_a_peoples_adjective_is_met_by_its_countrys_name():
    # "for the Chilean radars" of an award for Chile: the same customer
    assert _unmet("What is Aldine Radar's contract for the Chilean radar spares worth?", "Aldine") == ""
    assert "Kuwaiti" in _unmet("What is Aldine Radar's contract for the Kuwaiti radar spares worth?", "Aldine")
    # the adjective is of the country whose name it shares the longest beginning with: "Peruvian" of Peru, and
    # "Austrian" of Austria, not of an award for Australia
    assert _unmet("What is Aldine Radar's contract for the Peruvian radar spares worth?", "Aldine") == ""
    assert "Austrian" in _unmet("What is Aldine Radar's contract for the Austrian radar spares worth?", "Aldine")



def test_a_month_the_question_dates_the_award_by_is_its_releases():
    question = "How many pickup trucks did Cobalt Vehicles sell in {} for Iraq?"
    assert _unmet(question.format("July 2015"), "Cobalt") == ""
    assert "June 2015" in _unmet(question.format("June 2015"), "Cobalt")
    early = Chunk(**{**_chunk().__dict__, "published": date(2015, 7, 3)})  # ten days after a month's end: its awards
    start = RELEASE.index("Cobalt")
    assert unmet_condition(question.format("June 2015"), early, RELEASE, (start, RELEASE.index(".", start) + 1), True, awardees([early])) == ""
    assert "December 2015" in _unmet(question.format("December 2015"), "Cobalt")
    assert "May 2015" in _unmet(question.format("May 2015"), "Cobalt")
    # a deadline is not the award's month
    assert _unmet("How many pickup trucks had Cobalt Vehicles sold for Iraq by December 2015?", "Cobalt") == ""
    # a question about two awards may date only one of them; two months are two awards' dates
    assert _unmet("What is the combined value of Cobalt Vehicles' December 2015 truck award and its later option?", "Cobalt") == ""
    assert _unmet("How many trucks did Cobalt Vehicles sell in May 2015 or in December 2015 for Iraq?", "Cobalt") == ""
    # a paragraph that names the month itself ("announced on Dec. 3, 2015") meets it
    chunk = _chunk()
    text = RELEASE.replace("for 600 pickup trucks.", "for 600 pickup trucks, first announced Dec. 3, 2015.")
    start = text.index("Cobalt")
    chunk = Chunk(**{**chunk.__dict__, "text": text, "end": len(text)})
    assert unmet_condition(question.format("December 2015"), chunk, text, (start, text.index("Work", start)), True, awardees([chunk])) == ""
