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
    return indexed(make_assistant, tmp_path, ("contracts.md", "Contracts For June 10, 2026", RELEASE, "2026-06-10"))


def indexed(make_assistant, tmp_path, *releases: tuple[str, str, str, str], **settings):
    """An assistant over releases written here: each (file name, headline, text, ISO date)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, title, text, day in releases:
        write_article(folder, name, title, text, date=day, source="Department of Defense")
    assistant = make_assistant(**settings)
    assistant.ingest([folder], progress=False)
    return assistant


def conditioned(make_assistant, tmp_path, release: tuple[str, str, str, str], award_conditions: bool):
    """An assistant over one release with award conditions set as asked, in a folder of its own beside the default
    fixture's (a test may use both)."""
    own = tmp_path / ("strict" if award_conditions else "lenient")
    own.mkdir()
    return indexed(make_assistant, own, release, award_conditions=award_conditions, index_dir=own / "index")


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


TOTALS = """
Meridian Freight Services Inc., Dayton, Ohio, has been awarded a modification not to exceed $48,250,000 for the extension of the theater cargo coordination contract (HTC711-22-D-0044), which arranges freight moves between depots. This is an indefinite-delivery, requirements contract. Work will be performed throughout the continental U.S. and is expected to be completed by Sept. 30, 2027. This modification increases the total value of the contract from $910,400,000 to $958,650,000. U.S. Transportation Command, Scott Air Force Base, Illinois, is the contracting activity.

Copperline Avionics Corp., Wichita, Kansas, has been awarded a $7,800,000 firm-fixed-price contract for cockpit display repairs on trainer aircraft. Work will be performed in Wichita, Kansas, and is expected to be completed by Dec. 31, 2026. Air Force Life Cycle Management Center, Tinker Air Force Base, Oklahoma, is the contracting activity.
"""


@pytest.fixture
def totals(make_assistant, tmp_path):
    return indexed(make_assistant, tmp_path, ("totals.md", "Contracts For Oct. 2, 2026", TOTALS, "2026-10-02"))


def test_the_total_asked_is_the_one_the_awards_paragraph_states_after_its_lead(totals):
    answer = ask(totals, "What is the total value of Meridian Freight's theater cargo coordination contract after the extension?")
    assert not answer.abstained, answer.notice
    assert answer.short_answer == "$958,650,000", answer.text  # the new total, not the modification nor the old total
    assert "Meridian Freight" in answer.text  # shown with the lead that says which award the total is of
    # what this award adds is still its lead's amount
    answer = ask(totals, "How much is Meridian Freight's modification for the theater cargo coordination contract worth?")
    assert "$48,250,000" in answer.text.split(" [")[0], answer.text


# The same contractor's awards for the same missile on two days; only one names its customers, in a sentence that
# refers back to its lead ("This contract involves ...").
DAY_ONE = """
Keystone Missile Works, Huntsville, Alabama, has been awarded a $22,100,000 fixed-price modification (P00004) to previously awarded contract FA8682-26-C-0031 for the Long-Range Glide Munition program. Contractor will provide labor, material and logistical support for the munition's lot 3 tooling. Work will be performed at Huntsville, Alabama, and is expected to be complete by March 31, 2028. Air Force Life Cycle Management Center, Eglin Air Force Base, Florida, is the contracting activity.
"""
DAY_TWO = """
Keystone Missile Works, Huntsville, Alabama, has been awarded a $287,500,000 fixed-price incentive modification (P00003) to previously awarded contract FA8682-26-C-0031 for the Long-Range Glide Munition program. Contractor will provide production, integration and sustainment. Work will be performed at Troy, Alabama, and is expected to be complete by June 30, 2029. This contract involves foreign military sales to Denmark and Portugal. Air Force Life Cycle Management Center, Eglin Air Force Base, Florida, is the contracting activity.
"""


@pytest.fixture
def two_days(make_assistant, tmp_path):
    return indexed(
        make_assistant, tmp_path,
        ("day1.md", "Contracts For Nov. 4, 2026", DAY_ONE, "2026-11-04"),
        ("day2.md", "Contracts For Nov. 3, 2026", DAY_TWO, "2026-11-03"),
    )


def test_of_two_close_leads_the_one_whose_paragraph_names_the_customers_answers(two_days):
    answer = ask(two_days, "Which two countries are buying through Keystone's Long-Range Glide Munition modification in November 2026?")
    assert not answer.abstained, answer.notice
    assert answer.short_answer == "Denmark and Portugal", answer.text
    assert "$287,500,000" in answer.text  # shown with its own lead, not the other day's
    # a country the releases never name is still refused, not answered with these
    assert ask(two_days, "Which countries are buying Keystone's lot 3 tooling for Brazil?").abstained


# A release whose items share their wording: two say "Work locations and funding will be determined with each
# order, with an estimated completion date of ..."; the sentence itself names no award, its paragraph does.
SHARED_WORDING = """
Tullahoma Apparel Corp., Tullahoma, Tennessee (W911QY-26-D-0177); Tracer Labs, Pasadena, Texas (W911QY-26-D-0178); and Keel Sensors Inc., Monroe, Washington (W911QY-26-D-0175), have been awarded a $900,000,000 firm-fixed-price multiple-award contract for bomb fin test equipment and chemical detection kits. Work locations and funding will be determined with each order, with an estimated completion date of Oct. 3, 2031. U.S. Army Contracting Command, Aberdeen Proving Ground, Maryland, is the contracting activity.

Zenco LLC, Grand Junction, Colorado, has been awarded a $34,262,050 firm-fixed-price foreign military sales (Chile and Peru) contract for BSU-99 tail kits. Bids were solicited via the Internet with three received. Work locations and funding will be determined with each order, with an estimated completion date of Oct. 31, 2026. U.S. Army Contracting Command, Rock Island Arsenal, Illinois, is the contracting activity (W52P1J-26-D-0093).

Harbor Dynamics LLC, Norfolk, Virginia, was awarded a $12,345,678 cost-plus-fixed-fee contract for hull repair of three coastal patrol boats. Work will be performed in Norfolk, Virginia, with an estimated completion date of March 31, 2028. Naval Sea Systems Command, Washington, D.C., is the contracting activity (N00024-26-C-4410).
"""


@pytest.fixture
def shared_wording(make_assistant, tmp_path):
    return indexed(make_assistant, tmp_path, ("shared.md", "Contracts For Nov. 1, 2026", SHARED_WORDING, "2026-11-01"))


def test_a_sentence_of_a_list_of_awards_answers_for_its_own_paragraphs_award(shared_wording):
    answer = ask(shared_wording, "What is the estimated completion date of Zenco's BSU-99 bomb fin tail kit contract?")
    assert not answer.abstained, answer.notice
    assert answer.short_answer == "Oct. 31, 2026" and "2031" not in answer.text, answer.text


def test_the_amount_obligated_is_the_one_its_own_sentence_states(releases):
    answer = ask(releases, "How much money did the Navy put on contract up front for Harbor Dynamics' hull repair work?")
    assert not answer.abstained, answer.notice
    assert answer.short_answer == "$2,100,000", answer.text  # not the award's face value, $12,345,678
    assert "Harbor Dynamics" in answer.text  # shown with the lead that says which award it is of


@pytest.fixture
def strict(make_assistant, tmp_path):
    """The same release, with the conditions of one award checked (Settings.award_conditions)."""
    return conditioned(make_assistant, tmp_path, ("contracts.md", "Contracts For June 10, 2026", RELEASE, "2026-06-10"), True)


@pytest.fixture
def lenient(make_assistant, tmp_path):
    """The same release, with the conditions of one award not checked (award_conditions=False)."""
    return conditioned(make_assistant, tmp_path, ("contracts.md", "Contracts For June 10, 2026", RELEASE, "2026-06-10"), False)


def test_an_award_that_states_no_obligation_is_a_refusal_that_says_so(strict, lenient):
    # without award conditions the award's face value is quoted, as it was before they were on by default
    assert not ask(lenient, "How much was obligated at the time of award on Granite Ordnance's practice rocket modification?").abstained
    answer = ask(strict, "How much was obligated at the time of award on Granite Ordnance's practice rocket modification?")
    assert answer.abstained, answer.text
    assert "obligated" in answer.notice, answer.notice


@pytest.mark.parametrize(
    "question",
    [
        # the award serves Norway and Chile without saying what either pays
        "How much of Northwind's Export Variant sustainment contract is Chile paying for?",
        # the practice rockets went to no other contractor than Granite Ordnance
        "How much did Northwind Systems receive for production of practice rockets?",
        # the only count of boats is the one the question gives
        "How many of the three coastal patrol boats in Harbor Dynamics' hull repair contract are for Japan?",
    ],
)
def test_a_condition_the_award_paragraph_does_not_meet_is_a_refusal(strict, question):
    answer = ask(strict, question)
    assert answer.abstained, answer.text


LONG = """
Ridgeview Builders LLC, Montgomery, Alabama, was awarded a $127,000,000 firm-fixed-price contract for the construction of the Sandia Range Training Complex, Albuquerque, New Mexico. Bids were solicited via the Internet with four received. Work will be performed in Albuquerque, New Mexico, with an estimated completion date of Nov. 6, 2028. U.S. Army Corps of Engineers, Albuquerque, New Mexico, is the contracting activity.

Copperline Avionics Corp., Wichita, Kansas, has been awarded a $7,800,000 firm-fixed-price contract for cockpit display repairs on trainer aircraft. Work will be performed in Wichita, Kansas, and is expected to be completed by Dec. 31, 2026. Air Force Life Cycle Management Center, Tinker Air Force Base, Oklahoma, is the contracting activity.

Harbor Dynamics LLC, Norfolk, Virginia, was awarded a $12,345,678 cost-plus-fixed-fee contract for hull repair of three coastal patrol boats. Work will be performed in Norfolk, Virginia, with an estimated completion date of March 31, 2028. Naval Sea Systems Command, Washington, D.C., is the contracting activity.
"""


@pytest.fixture
def long_question(make_assistant, tmp_path):
    return indexed(make_assistant, tmp_path, ("long.md", "Contracts For April 20, 2026", LONG, "2026-04-20"))


def test_a_long_question_naming_the_contractor_is_answered_from_its_award(long_question):
    # the question's words are not the release's ("finish building" for "construction ... completion date")
    answer = ask(long_question, "When is Ridgeview Builders expected to finish building the Sandia Range Training Complex in Albuquerque that the Corps of Engineers hired it for in April 2026?")
    assert not answer.abstained, answer.notice
    assert answer.short_answer == "Nov. 6, 2028", answer.text


@pytest.mark.parametrize("month", ["April", "June", "July"])
def test_a_month_is_no_name_whatever_its_stem(month):
    # "June" is "jun" once stemmed, as key_names gives it: still a month, not a name a part of a question asks about
    from assistant.reading.scoring import _names_something

    assert not _names_something(f"the target by {month} 2025")
    assert _names_something(f"the target Ridgeview Builders set by {month} 2025")


@pytest.fixture
def long_strict(make_assistant, tmp_path):
    return conditioned(make_assistant, tmp_path, ("long.md", "Contracts For April 20, 2026", LONG, "2026-04-20"), True)


@pytest.fixture
def long_lenient(make_assistant, tmp_path):
    return conditioned(make_assistant, tmp_path, ("long.md", "Contracts For April 20, 2026", LONG, "2026-04-20"), False)


def test_what_the_question_asks_of_a_contractor_from_another_award_is_refused_under_award_conditions(long_lenient, long_strict):
    question = "When is Ridgeview Builders' hull repair contract for three coastal patrol boats expected to be completed?"
    # without award conditions the closest award answers, though another contractor holds it
    assert ask(long_lenient, question).short_answer == "March 31, 2028"
    answer = ask(long_strict, question)
    assert answer.abstained, answer.text
    assert "Ridgeview" in answer.notice, answer.notice


SHARES = """
Tidewater Sensors Inc.,* Annapolis, Maryland, is being awarded a $9,600,000 firm-fixed-price contract for sonobuoy receivers for the Navy and the governments of Denmark and Peru. Work will be performed in Annapolis, Maryland (70 percent); and Aarhus, Denmark (30 percent), and is expected to be completed in May 2028. This contract combines purchases for the Navy ($6,000,000; 62.5 percent); and the governments of Denmark ($2,400,000; 25 percent) and Peru ($1,200,000; 12.5 percent) under the Foreign Military Sales program. Naval Air Systems Command, Patuxent River, Maryland, is the contracting activity.

Summit Rotorcraft Co., Wichita, Kansas, is being awarded a $15,250,000 firm-fixed-price contract for tail rotor gearboxes. Work will be performed in Wichita, Kansas, and is expected to be completed in June 2027. Defense Logistics Agency Aviation, Richmond, Virginia, is the contracting activity.

Keystone Cable LLC, Erie, Pennsylvania, is being awarded a $3,300,000 firm-fixed-price contract for shipboard fiber cable assemblies. Work will be performed in Erie, Pennsylvania, and is expected to be completed in December 2026. Naval Supply Systems Command Weapon Systems Support, Mechanicsburg, Pennsylvania, is the contracting activity.
"""


@pytest.fixture
def shares(make_assistant, tmp_path):
    return indexed(make_assistant, tmp_path, ("shares.md", "Contracts For May 5, 2026", SHARES, "2026-05-05"))


def test_one_customers_share_is_the_amount_beside_it_not_the_awards_value(shares):
    # the lead names Denmark too, with the award's whole value: the amount asked is the one in Denmark's bracket
    answer = ask(shares, "How much is Denmark paying for the Tidewater Sensors sonobuoy receivers?")
    assert not answer.abstained, answer.notice
    assert answer.short_answer == "$2,400,000", answer.text
    assert "Tidewater Sensors" in answer.text  # shown with the lead that says which award it is


def test_where_the_work_is_done_is_the_place_of_performance_not_the_contractors_town(shares):
    # Tidewater's lead names Annapolis alone; the work is done in Denmark too
    answer = ask(shares, "Where will the work on Tidewater Sensors' sonobuoy receiver contract be performed?")
    assert not answer.abstained, answer.notice
    assert "Aarhus, Denmark" in answer.text, answer.text
    # asked where the contractor is based, the lead answers
    assert "Aarhus" not in ask(shares, "Where is Tidewater Sensors based?").text


def test_the_contracting_activity_is_the_awards_own(shares):
    answer = ask(shares, "Which command is the contracting activity for Summit Rotorcraft's tail rotor gearbox contract?")
    assert not answer.abstained, answer.notice
    assert "Defense Logistics Agency Aviation" in answer.text, answer.text
    assert "Naval Air Systems Command" not in answer.text and "Mechanicsburg" not in answer.text


FIRST_AWARD = """
Bayline Shipbuilding Inc., Mobile, Alabama, is being awarded a $150,000,000 undefinitized contract action for long-lead-time material for the landing ship LSM 12. Work will be performed in Mobile, Alabama, and is expected to be completed by March 2029. Naval Sea Systems Command, Washington, D.C., is the contracting activity.

Bayline Shipbuilding Inc., Mobile, Alabama, is being awarded a $27,500,000 cost-plus-fixed-fee contract for life cycle engineering of the landing ship LSM 9 class. Work will be performed in Mobile, Alabama, and is expected to be completed by May 2028. Naval Sea Systems Command, Washington, D.C., is the contracting activity.
"""

SECOND_AWARD = """
Bayline Shipbuilding Inc., Mobile, Alabama, is being awarded a $910,400,000 modification to a previously awarded contract for detail design and construction of the landing ship LSM 12. Work will be performed in Mobile, Alabama, and is expected to be completed by June 2031. Naval Sea Systems Command, Washington, D.C., is the contracting activity.

Bayline Shipbuilding Inc., Mobile, Alabama, is being awarded a $64,000,000 modification to a previously awarded contract for post-delivery repairs of the landing ships LSM 9 and LSM 10. Work will be performed in Mobile, Alabama, and is expected to be completed by June 2027. Naval Sea Systems Command, Washington, D.C., is the contracting activity.
"""


@pytest.fixture
def two_awards(make_assistant, tmp_path):
    return indexed(
        make_assistant, tmp_path,
        ("first.md", "Contracts For Jan. 12, 2026", FIRST_AWARD, "2026-01-12"),
        ("second.md", "Contracts For Sept. 3, 2026", SECOND_AWARD, "2026-09-03"),
    )


def test_the_sum_of_two_awards_takes_each_from_its_own_lead(two_awards):
    # the January release also holds the contractor's LSM 9 award: the designation the question names tells them apart
    answer = ask(two_awards, "Bayline Shipbuilding received two awards for the landing ship LSM 12, one in January 2026 and one in September 2026. What is their combined value?")
    assert not answer.abstained, answer.notice
    assert answer.short_answer == "$1,060,400,000", answer.text
    assert "$150,000,000 + $910,400,000" in answer.text or "$910,400,000 + $150,000,000" in answer.text
    assert "$27,500,000" not in answer.text


def test_no_award_in_one_of_the_months_named_is_a_refusal_that_says_so(two_awards):
    answer = ask(two_awards, "Bayline Shipbuilding received two awards for the landing ship LSM 12, one in January 2026 and one in March 2026. What is their combined value?")
    assert answer.abstained, answer.text
    assert "March 2026" in answer.notice and "Bayline Shipbuilding" in answer.notice, answer.notice


def test_the_count_of_a_designated_item_tells_two_awards_for_it_apart():
    from assistant.reading.award_answers import counted_items as _counted_items

    question = "Sikorsky got an option for two UH-60M helicopters in October 2014 and another for 14 MV-22B in 2015."
    assert _counted_items(question) == {("2", "uh60m"), ("14", "mv22b")}
    assert _counted_items("an option for five UH-60M aircraft") == {("5", "uh60m")}
    assert _counted_items("an option for two UH-60M aircraft") & _counted_items(question)


TWINS = """
Lockheed Martin Corp., Orlando, Florida, was awarded a $631,757,949 fixed-price-incentive foreign military sales (Netherlands and Japan) contract to procure Hellfire II missiles in containers for foreign buyers. Work will be performed in Orlando, Florida, with an estimated completion date of Sept. 30, 2028. Army Contracting Command, Redstone Arsenal, Alabama, is the contracting activity.

Lockheed Martin Corp., Orlando, Florida, was awarded a $375,804,316 undefinitized firm-fixed-price foreign military sales contract (Egypt, Pakistan, Tunisia) for Hellfire II missiles. Work will be performed in Orlando, Florida, with an estimated completion date of Sept. 30, 2027. Army Contracting Command, Redstone Arsenal, Alabama, is the contracting activity.
"""


@pytest.mark.parametrize("meant", [True, False])
def test_the_amount_a_question_gives_names_the_award(make_assistant, tmp_path, monkeypatch, meant):
    from assistant.reading import extractive

    if not meant:  # the same release without the rule: the test must be able to fail
        monkeypatch.setattr(extractive, "award_meant", lambda *args: None)
    releases = indexed(make_assistant, tmp_path, ("twins.md", "Contracts For June 10, 2026", TWINS, "2026-06-10"), award_conditions=True)
    hellfire = ask(releases, "Which countries are the foreign buyers of Lockheed Martin's $375.8 million Hellfire II missiles contract?")
    right = "Egypt" in hellfire.text and "Netherlands" not in hellfire.text
    assert right == meant, (hellfire.text, hellfire.notice)




def _release_candidates(text: str):
    from datetime import date

    from assistant.reading.candidates import candidates_of
    from assistant.schema import Chunk, Passage

    chunk = Chunk(id="r::1", article_id="r", index=0, text=text, start=0, end=len(text), title="Contracts For May 3, 2016",
                  path="/r.txt", published=date(2016, 5, 3))
    return candidates_of([Passage(chunk, 1, 1.0)])


def test_only_a_dollar_amount_of_two_significant_digits_moves_the_answer_and_not_from_an_amount_written_short(embeddings):
    from assistant.reading.answerable import predicate
    from assistant.reading.award_answers import award_meant as meant

    def _award_meant(question, best, candidates):
        return meant(question, best, candidates, predicate(question), embeddings)

    text = ("Purcell Construction Corp., Watertown, New York, is being awarded an $18,589,750 contract for quarters. "
            "Work is expected to be completed by March 2018.\n\n"
            "Alder Works Inc., Bath, Maine, was awarded a $17,600,000 contract for 1,200 hours of hull work. "
            "Work is expected to be completed by June 2019.\n\n"
            "Birch Marine Inc., Mobile, Alabama, was awarded a $612,000,000 contract for boats. "
            "Work is expected to be completed by May 2020.")
    candidates = _release_candidates(text)
    for cand in candidates:  # a "when" question: the sentences that give a date are the typed ones
        cand.typed = "completed by" in cand.text
    purcell = candidates[1]
    # "$18 million" is Purcell's $18,589,750 written short: the answer stays in its paragraph
    assert _award_meant("When will Purcell's $18 million quarters contract be complete?", purcell, candidates) is None
    # "$1 billion" rounds from too much to name one award; a count or a hull number is no amount
    assert _award_meant("When will the $1 billion boats contract be complete?", purcell, candidates) is None
    assert _award_meant("When will the 1,200 hours of work be complete?", purcell, candidates) is None
    # "$17.6 million" is Alder Works' award alone: its paragraph answers
    moved = _award_meant("When will the $17.6 million hull contract be complete?", purcell, candidates)
    assert moved is not None and "June 2019" in moved.text and moved.shown.startswith("Alder Works")
    # a paragraph that gives no value of the kind asked is not moved to, and none of its sentences is touched
    fresh = _release_candidates(text)
    for cand in fresh:
        cand.typed = False
    before = [(cand.shown, cand.previous, cand.terms) for cand in fresh]
    assert _award_meant("When will the $17.6 million hull contract be complete?", fresh[1], fresh) is None
    assert [(cand.shown, cand.previous, cand.terms) for cand in fresh] == before


@pytest.mark.parametrize(
    "question,said,unsaid",
    [
        # the second part asks who signed: the award's own contracting activity, not the neighbour award's
        ("Which company is repairing the hulls of three coastal patrol boats, and which command is the contracting activity for the June 2026 deal?",
         ["Harbor Dynamics", "Naval Sea Systems Command"], ["Army Contracting Command"]),
        # where, and whose funds: each from the award's own sentence
        ("Where will Harbor Dynamics repair the hulls of three coastal patrol boats, and whose money is paying for it?",
         ["Work will be performed in Norfolk, Virginia", "operation and maintenance (Navy) funds"], ["Tacoma", "Mesa"]),
    ],
)
def test_the_parts_of_a_question_about_one_award_are_answered_from_its_paragraph(strict, question, said, unsaid):
    answer = ask(strict, question)
    assert not answer.abstained, answer.notice
    for words in said:
        assert words in answer.text, answer.text
    for words in unsaid:
        assert words not in answer.text, answer.text


@pytest.mark.parametrize(
    "question",
    [
        "How many coastal patrol boats is Harbor Dynamics repairing for Norway, and where will the work be done?",
        "Which company is repairing the hulls of coastal patrol boats for Chile, and which command is the contracting activity?",
    ],
)
def test_the_parts_of_a_question_about_one_award_are_held_to_its_conditions(strict, question):
    # Norway and Chile are the neighbour award's customers, not the hull repair's: asked in two parts, the near miss is
    # refused as it is when asked in one (the parts once skipped the award's conditions)
    answer = ask(strict, question)
    assert answer.abstained, answer.text
    assert "does not name" in answer.notice, answer.notice


def test_a_question_about_two_awards_is_not_read_as_one():
    from assistant.reading.award_answers import asks_of_one_award

    parts = ["what is the logistics support one worth", "how many aircraft does the procurement one cover"]
    assert not asks_of_one_award("MD Helicopters holds two Afghanistan contracts: " + " and ".join(parts) + "?", parts, None)
    parts = ["Which company is repairing the hulls of three coastal patrol boats", "which command is the contracting activity"]
    assert asks_of_one_award(", and ".join(parts) + "?", parts, None)


def test_the_funding_an_award_names_is_an_appropriation_not_no_funds():
    from assistant.reading.awards import fields, states_field

    assert fields("Which company makes the uniforms, and whose funds pay for them?") == ["funding"]
    assert not fields("How much in fiscal 2016 funds was obligated at award?")  # an amount: the award's facets
    assert not states_field("funding", "No funds are being obligated at the time of award.")
    assert states_field("funding", "Fiscal 2014 operations and maintenance (Marine Corps and Navy) contract funds in the amount of $1,000 are being obligated.")


# The same contractor's awards in two releases of one month (the month a question names brings both releases), and
# another award of the same day that scores close: each is a neighbour of the award asked about.
GLIDE_DAY = """
Keystone Missile Works, Orlando, Florida, has been awarded a $302,222,015 fixed-price incentive firm target modification (P00003) to previously awarded contract FA8682-26-C-0005 for the Long-Range Glide Munition (LRGM) program. Work will be performed at Troy, Alabama, and is expected to be complete by June 30, 2029. Air Force Life Cycle Management Center, Eglin Air Force Base, Florida, is the contracting activity.

Harbor Dynamics LLC, Norfolk, Virginia, was awarded a $12,345,678 cost-plus-fixed-fee contract for hull repair of three coastal patrol boats. Work will be performed in Norfolk, Virginia, with an estimated completion date of March 31, 2028. Naval Sea Systems Command, Washington, D.C., is the contracting activity (N00024-26-C-4410).

Granite Ordnance Corp., Mesa, Arizona, was awarded a $41,000,000 modification (P00007) to contract W31P4Q-24-C-0012 for production of practice rockets. Work will be performed in Mesa, Arizona, with an estimated completion date of June 30, 2029. Army Contracting Command, Redstone Arsenal, Alabama, is the contracting activity.
"""
INTERCEPTOR_DAY = """
Keystone Missile Works, Grand Prairie, Texas, has been awarded a $1,094,983,588 fixed-price incentive firm target modification (P00028) to previously awarded contract FA8682-24-C-0034 for the Advanced Interceptor production program. Work will be performed in Grand Prairie, Texas, with an estimated completion date of Dec. 31, 2029. Army Contracting Command, Redstone Arsenal, Alabama, is the contracting activity.

Tracer Labs, Pasadena, Texas, was awarded a $9,870,000 firm-fixed-price contract for chemical detection kits. Work will be performed in Pasadena, Texas, with an estimated completion date of Oct. 3, 2028. Army Contracting Command, Aberdeen Proving Ground, Maryland, is the contracting activity.

Zenco LLC, Grand Junction, Colorado, has been awarded a $34,262,050 firm-fixed-price contract for BSU-99 tail kits. Bids were solicited via the Internet with three received. Army Contracting Command, Rock Island Arsenal, Illinois, is the contracting activity.
"""


def test_another_releases_award_does_not_join_the_answer_for_an_award(make_assistant, tmp_path):
    assistant = indexed(
        make_assistant, tmp_path,
        ("glide.md", "Contracts For Nov. 3, 2026", GLIDE_DAY, "2026-11-03"),
        ("interceptor.md", "Contracts For Nov. 16, 2026", INTERCEPTOR_DAY, "2026-11-16"),
    )
    answer = ask(assistant, "What was the value of the LRGM production modification awarded to Keystone Missile Works in November 2026?")
    assert not answer.abstained and answer.short_answer == "$302,222,015", answer.text
    # neither the same day's other award nor the other day's award of the same contractor joins it
    assert "$41,000,000" not in answer.text and "$1,094,983,588" not in answer.text, answer.text


DESCRIBED_APRIL = """
Mesa Verde Constructors Inc., Tucson, Arizona, was awarded a $52,000,000 firm-fixed-price contract for the design and construction of a live-fire training range with target lifters and a control tower at Fort Huachuca, Arizona. Bids were solicited via the Internet with eleven received. Work will be performed in Fort Huachuca, Arizona, with an estimated completion date of Oct. 1, 2028. U.S. Army Corps of Engineers, Los Angeles, California, is the contracting activity.

Ridgeview Builders LLC, Montgomery, Alabama, was awarded a $127,000,000 firm-fixed-price contract for the construction of the Sandia Range Complex, Albuquerque, New Mexico. Bids were solicited via the Internet with four received. Work will be performed in Albuquerque, New Mexico, with an estimated completion date of Nov. 6, 2028. U.S. Army Corps of Engineers, Albuquerque, New Mexico, is the contracting activity.
"""

DESCRIBED_SEPTEMBER = """
Ridgeview Builders LLC, Montgomery, Alabama, was awarded a $31,500,000 firm-fixed-price contract for the construction of a live-fire training range with target lifters and a control tower at the Sandia Range Complex, Albuquerque, New Mexico. Bids were solicited via the Internet with two received. Work will be performed in Albuquerque, New Mexico, with an estimated completion date of May 2, 2028. U.S. Army Corps of Engineers, Albuquerque, New Mexico, is the contracting activity.
"""

DESCRIBED = "How many bids were received for the construction contract for the Sandia Range Complex in Albuquerque, a live-fire training range with target lifters and a control tower, that Ridgeview Builders was awarded in April 2026?"


@pytest.fixture
def described(make_assistant, tmp_path):
    return indexed(
        make_assistant, tmp_path,
        ("april.md", "Contracts For April 20, 2026", DESCRIBED_APRIL, "2026-04-20"),
        ("september.md", "Contracts For Sept. 14, 2026", DESCRIBED_SEPTEMBER, "2026-09-14"),
    )


def test_the_award_a_question_describes_is_the_named_contractors_of_the_month_named(described):
    # Ridgeview has two awards for the same complex, and another contractor's award is described in the same words
    from assistant.reading.award_answers import named_award

    passages = described.answerer._retrieve(DESCRIBED, None, 6)
    candidates = described.answerer.extractive.scored(DESCRIBED, passages)
    september = next(c for c in candidates if "$31,500,000" in c.text)
    # however close the September award's lead comes to the question, it is not of the month the question names
    september.similarity = max(c.similarity for c in candidates) + 0.05
    found = named_award(DESCRIBED, candidates, [], described.answerer.extractive.embeddings)
    assert found is not None and found.text == "Bids were solicited via the Internet with four received.", found
    assert found.shown.startswith("Ridgeview Builders LLC, Montgomery, Alabama, was awarded a $127,000,000")



def test_an_award_of_another_month_ranks_below_the_award_of_the_month_named(described):
    # the September award says the question's words a little more closely; the April one is the award it dates
    question = "What is Ridgeview Builders' April 2026 contract for the construction of a training range at the Sandia Range Complex worth?"
    answer = ask(described, question)
    assert not answer.abstained and answer.short_answer == "$127,000,000", answer.text
    assert "$31,500,000" not in answer.text, answer.text


PORT_VISIT = """
GUAM – The Ronald Reagan Carrier Strike Group finished June with a port visit to Guam, where Sailors toured the island, marking the strike group's first port visit since 2020.

The strike group's destroyers arrived in Apra Harbor on June 21 for a maintenance period.
"""


def test_on_what_date_asks_for_a_day_not_a_year(make_assistant, tmp_path):
    assistant = indexed(make_assistant, tmp_path, ("visit.md", "Reagan strike group visits Guam", PORT_VISIT, "2026-07-02"))
    # "since 2020" dates another visit, and "June" is no day
    refused = ask(assistant, "On what date did the Ronald Reagan strike group's carrier arrive in Guam for its port visit?")
    assert refused.abstained or "2020" not in (refused.short_answer or ""), refused.text
    answer = ask(assistant, "On what date did the Ronald Reagan strike group's destroyers arrive in Apra Harbor?")
    assert not answer.abstained and answer.short_answer == "June 21", answer.text


LATE_LISTING = """
Cobalt Rotorcraft Services LLC, Dothan, Alabama, has been awarded a $52,300,000 firm-fixed-price contract for rotary wing flight line maintenance. Work will be performed at Fort Novosel, Alabama, and is expected to be complete by Sept. 30, 2031. This award is the result of a competitive acquisition and four offers were received. Army Contracting Command, Fort Novosel, Alabama, is the contracting activity (W9124G-27-C-0004). (Awarded Dec. 29, 2026)

Tidewater Marine Coatings Inc., Chesapeake, Virginia, was awarded a $7,850,000 firm-fixed-price contract for hull preservation of two landing craft. Work will be performed in Chesapeake, Virginia, with an estimated completion date of May 31, 2028. Naval Sea Systems Command, Washington, D.C., is the contracting activity (N00024-27-C-2201).

Prairie Avionics Corp., Wichita, Kansas, was awarded a $15,200,000 modification (P00003) to contract FA8106-25-C-0007 for cockpit display repairs. Work will be performed in Wichita, Kansas, and is expected to be complete by Jan. 31, 2029. Air Force Sustainment Center, Tinker Air Force Base, Oklahoma, is the contracting activity.
"""

PROTESTED = """
Lakeshore Fuel Systems Inc., Erie, Pennsylvania, was awarded a $4,480,000 firm-fixed-price contract for fuel bladder repairs. Work will be performed in Erie, Pennsylvania, with an estimated completion date of Aug. 31, 2028. Defense Logistics Agency Aviation, Richmond, Virginia, is the contracting activity (SPE4A1-27-C-0042).

Harbor Crane Works LLC, Mobile, Alabama, was awarded a $6,120,000 firm-fixed-price contract for pier crane overhauls. Work will be performed in Mobile, Alabama, with an estimated completion date of Oct. 31, 2028. Naval Facilities Engineering Systems Command Southeast, Jacksonville, Florida, is the contracting activity (N69450-27-C-0118).

Keystone Textiles Corp., Allentown, Pennsylvania, was awarded a $2,950,000 firm-fixed-price contract for cold weather parkas. Work will be performed in Allentown, Pennsylvania, with an estimated completion date of Dec. 31, 2027. Defense Logistics Agency Troop Support, Philadelphia, Pennsylvania, is the contracting activity (SPE1C1-27-C-0007).

CORRECTION: A contract announced on Nov. 2, 2026, to Summit Range Services LLC, Huntsville, Alabama (W9124G-27-C-0001), for gunnery range support at Fort Novosel, Alabama, was not awarded that day due to a pre-award protest by Ridgeline Training Inc. The Government Accountability Office issued its decision on Dec. 11, 2026, that dismissed the protest, and the contract was awarded on Dec. 22, 2026.
"""


def test_the_date_an_award_was_signed_is_not_the_date_its_work_ends(make_assistant, tmp_path):
    # a release lists an award days after it was signed and says when: "(Awarded Dec. 29, 2026)"
    assistant = indexed(
        make_assistant, tmp_path, ("contracts.md", "Contracts For Jan. 5, 2027", LATE_LISTING, "2027-01-05"),
        ("later.md", "Contracts For Jan. 8, 2027", PROTESTED, "2027-01-08"),
    )
    signed = ask(assistant, "On what date was Cobalt Rotorcraft's flight line maintenance contract at Fort Novosel actually awarded?")
    assert not signed.abstained and signed.short_answer == "Dec. 29, 2026", signed.text
    ends = ask(assistant, "When is the flight line maintenance work awarded to Cobalt Rotorcraft expected to be complete?")
    assert not ends.abstained and ends.short_answer == "Sept. 30, 2031", ends.text
    # a statement first, then the question; of the sentence's dates, the one the award was signed on
    late = ask(assistant, "Summit Range Services' gunnery range contract was announced on Nov. 2, 2026, but held up by a protest. When was it actually awarded?")
    assert not late.abstained and late.short_answer == "Dec. 22, 2026", late.text
