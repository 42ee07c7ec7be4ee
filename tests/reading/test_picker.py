"""How the extractive answer picks its sentences: one for each thing a question asks (from another article when
it has to), only a sentence that gives the kind of value asked about what was asked, and a plain refusal with its
reason otherwise. Through the real stack over the bundled corpus, plus the question analysis on its own."""

from __future__ import annotations

import pytest

from assistant.question.analysis import answer_type, has_type
from assistant.question.names import person_names, key_names
from assistant.question.splitter import split_question
from assistant.text import terms


def ask(assistant, question: str):
    return assistant.answerer.ask(question, mode="extractive")


def test_a_part_that_refers_back_is_answered_from_the_article_it_needs(corpus_assistant):
    # The maker is named in the Kinzhal story; the size of its September 2025 contract is in another article.
    answer = ask(corpus_assistant, "Which company makes the Patriot's PAC-3 interceptors, and how many missiles does its September 2025 Army contract cover?")
    assert not answer.abstained, answer.notice
    assert "Lockheed Martin" in answer.text and "1,970" in answer.text, answer.text
    assert {c.passage.chunk.article_id for c in answer.citations} >= {"md-pac3-mse-1970-contract-2025-09"}


def test_each_part_of_a_question_retrieves_its_own_passages(corpus_assistant):
    # The first part is about the Kuiper prototype launch; the second needs the Lane 2 awards story, which the
    # whole question alone does not retrieve. Its passages come after the question's own six, numbered on.
    question = "Which company's Atlas V carried the Kuiper prototypes, and how many Lane 2 missions is that company expected to get?"
    answer = ask(corpus_assistant, question)
    ranks = {p.chunk.article_id: p.rank for p in answer.passages}
    assert ranks.get("sp-nssl-phase3-lane2-awards-2025-04", 0) > 6, ranks
    assert [p.rank for p in answer.passages] == list(range(1, len(answer.passages) + 1))


def test_each_side_of_a_comparison_gets_its_own_sentence(corpus_assistant):
    answer = ask(corpus_assistant, "In the October 2024 Taiwan approvals, which was worth more, the radars or the NASAMS?")
    assert "1.16 billion" in answer.text and "828 million" in answer.text, answer.text


def test_a_value_reported_as_not_disclosed_is_not_guessed(corpus_assistant):
    answer = ask(corpus_assistant, "What are the Increment 1 CCA contracts with Anduril and General Atomics worth?")
    assert answer.abstained, answer.text
    assert "not been made public" in answer.notice and "not disclosed" in answer.notice, answer.notice


def test_a_count_of_something_else_does_not_answer(corpus_assistant):
    # The SBU counted 41 aircraft hit; no article says how many of one bomber type were destroyed.
    answer = ask(corpus_assistant, "How many Tu-22M3 bombers were destroyed in Operation Spiderweb?")
    assert answer.abstained, answer.text
    assert "destroyed" in answer.notice, answer.notice
    answered = ask(corpus_assistant, "How many aircraft did the SBU say were hit in Operation Spiderweb?")
    assert "41" in answered.text, answered.text


@pytest.mark.parametrize(
    "question,fact",
    [
        ("What did the Department of Defense request for itself in FY25?", "849.8 billion"),
        ("How much RDT&E funding did the Pentagon ask for in FY2024?", "145 billion"),
    ],
)
def test_a_fiscal_year_picks_its_own_budget(corpus_assistant, question, fact):
    answer = ask(corpus_assistant, question)
    assert fact in answer.text, answer.text


def test_a_fiscal_year_no_article_covers_is_refused(corpus_assistant):
    answer = ask(corpus_assistant, "What was the Pentagon's FY2029 budget request?")
    assert answer.abstained, answer.text


def test_questions_split_into_the_things_they_ask():
    assert split_question("Who announced the Replicator initiative and at what event?") == [
        "Who announced the Replicator initiative", "at what event"]
    assert split_question("How many Lane 2 missions did SpaceX get compared with Blue Origin?") == [
        "How many Lane 2 missions did SpaceX get", "How many Lane 2 missions did Blue Origin get"]
    assert split_question("Northrop Grumman is prime on both the B-21 and Sentinel: when was each contract won?") == [
        "when was the B-21 contract won", "when was the Sentinel contract won"]
    assert split_question("The order demanded interceptors in space; what did CBO estimate they would cost?") == [
        "The order demanded interceptors in space", "what did CBO estimate they would cost"]
    assert len(split_question("Compare the FY2024 and FY2025 RDT&E requests.")) == 2
    # a claim before the question is not a thing asked
    assert split_question("I read that Arrow 3 costs one dollar. What is Germany paying for it?") == []



def test_a_question_that_opens_with_a_statement_asks_in_its_last_sentence():
    from assistant.question.analysis import answer_type
    from assistant.reading.awards import fields

    # what the question is about first, then what it asks: the asking sentence's "where", "when", "who" is its kind
    asked = "Boeing got an April 2018 contract to restart a missile line for Saudi Arabia. Where will the work be done?"
    assert answer_type(asked) == "place" and fields(asked) == ["performed"]
    assert answer_type("A $9.7 million contract worth the wait was listed late. When was it signed?") == "date"
    assert answer_type("The Navy ordered 79 upgrade kits worth $40 million. Who builds them?") == "org"
    assert answer_type("The Marines picked a new rifle. Who led the trials?") == "person"
    # an abbreviation's full stop ends no sentence that asks: the whole question still gives its kind
    assert answer_type("How much is the U.S. Navy paying for the radars?") == "money"
    assert answer_type("Who did the U.S. Army pick to build the engine?") == "person"

def test_answer_kinds_are_read_from_the_question():
    from assistant.question.analysis import answer_type

    assert answer_type("What did its first export customer pay?") == "money"
    assert answer_type("Northrop Grumman is prime on both: when was each contract won?") == "date"
    assert answer_type("Who is the prime contractor on the B-21 Raider?") == "org"
    assert answer_type("What designation was given to Anduril's CCA prototype?") == "designation"
    assert answer_type("Which unit lost soldiers in the Tower 22 drone strike?") == "unit"
    # a contract's amounts as releases name them, and its foreign customers
    assert answer_type("What is the ceiling of the agency's single-award contract with Acme for radios?") == "money"
    assert answer_type("What could the task order grow to if every option is exercised?") == "money"
    assert answer_type("What are the guaranteed minimum and the maximum ceiling of the services contract?") == "money"
    assert answer_type("Which foreign military sales customers are listed for the support contract?") == "country"
    assert answer_type("What is the maximum range of the interceptor?") == "distance"  # not an amount
    # ... and only when they are what is asked (counter-examples a review built)
    assert answer_type("Which company was awarded the $274.8 million ceiling modification from the Missile Defense Agency?") == "org"
    assert answer_type("When will the EFRCE order ceiling be reached?") == "date"
    assert answer_type("Which company won the contract that could grow to $950 million?") == "org"
    assert answer_type("What is the service ceiling of the MQ-4C Triton?") is None
    assert answer_type("What is the minimum amount of time before the option lapses?") is None
    assert answer_type("Which company will make the F135 spare parts for foreign military sales customers?") == "org"
    assert answer_type("Where will the work be performed for foreign military sales customers?") == "place"


def test_a_person_is_a_name_not_a_month_or_an_office():
    assert person_names("Trump named Space Force General Michael Guetlein to lead it.") == ["Guetlein"]
    assert person_names("NRO Director Chris Scolese said the mission was a success.") == ["Scolese"]
    assert "Trump" in person_names("President Donald Trump said on May 20, 2025 that it would cost $175 billion by January 2029.")
    # the only person in it is the one the question names: no answer to "who"
    assert not has_type("person", "President Donald Trump said on May 20, 2025 it would be ready by January 2029.",
                        "Who did Trump pick to run Golden Dome?")


def test_a_town_with_its_state_and_a_name_ending_in_an_acronym_or_a_company_suffix_are_not_people():
    # a contract release's contracting activity and a joint program office answer no "who signed" question
    assert person_names("The Naval Air Systems Command, Patuxent River, Maryland, is the contracting activity.") == []
    assert person_names("Bell Boeing JPO, Amarillo, Texas, is awarded $4,191,533,822 for modification P00008.") == []
    assert not has_type("person", "Sikorsky Aircraft Corp., Grand Prairie, Texas, was awarded $9,000,000.", "Who signed it?")
    assert person_names("Col. Jane Smith, commander of the wing, said the tests went well.") == ["Smith"]


def test_a_regnal_number_or_a_generation_is_not_the_name():
    # the all-caps rule for "Bell Boeing JPO" must not drop a king, and the name is the word before the numeral
    assert person_names("King Charles III opened the new carrier's hangar.") == ["Charles"]
    assert person_names("Vice Adm. John Smith Jr. took command on Friday.") == ["Smith"]


def test_who_the_foreign_customer_is_asks_for_a_country():
    assert answer_type("Who is the foreign customer for the MK12-3 polyurethane plugs Frontier makes?") == "country"
    assert answer_type("Who were the foreign military sales customers of the April order?") == "country"
    assert answer_type("Who is the contractor for the plugs?") == "org"


def test_a_year_before_a_comma_is_not_a_count():
    text = "The first Arrow system entered service in 2000, and Arrow 3 itself has been operational since 2017."
    assert not has_type("count", text)
    assert has_type("count", "The Army ordered 1,970 missiles, and more may follow.")


def test_the_numbers_of_a_cited_law_are_not_a_count():
    # a contract release's "not competitively procured" sentence answers no "how many" question
    for cited in ("This contract was not competitively procured in accordance with 10 U.S. Code 2304(c)(4), international agreement.",
                  "The award was made under 10 U.S.C. 2304(c)(1) & (4).", "It was justified under FAR 6.302-1(a)(2)(iii).",
                  "Section 806 of Public Law 115-91 allows it."):
        assert not has_type("count", cited, "How many round packs did the Navy order?"), cited
    assert has_type("count", "The Navy ordered 12 round packs under 10 U.S. Code 2304(c)(1).")
    assert has_type("count", "So far 12 satellites have launched.")


def test_how_many_bids_an_award_drew_counts_only_for_a_question_about_the_competition():
    lead = "Belleville Shoe Co., Belleville, Illinois, has been awarded a maximum $29,871,013 contract for sage boots."
    drew = lead + " This was a competitive acquisition with two responses received."
    assert not has_type("count", drew, "How many pairs of boots will Belleville Shoe deliver?")
    assert has_type("count", drew, "How many responses did the boot solicitation draw?")
    assert has_type("count", "Bids were solicited via the Internet with three received.", "How many companies competed?")
    assert not has_type("count", "Bids were solicited via the Internet with three received.", "How many hangars will it build?")
    covers = "Three proposals were received for this task order, which covers 40 trucks."
    assert has_type("count", covers, "How many trucks does the order cover?")


def test_a_length_of_time_counts_only_for_a_question_about_time():
    periods = "This is a one-year base contract with four one-year option periods."
    assert not has_type("count", periods, "How many pairs of boots will Belleville Shoe deliver?")
    assert has_type("count", periods, "How many option periods does the boot contract have?")
    assert has_type("count", "The Army will field 24 helicopters over 3 years.", "How many helicopters will the Army field?")


def test_one_is_a_count_only_of_what_the_question_counts():
    sentence = "This contract was competitively procured via the internet, with one offer received."
    assert has_type("count", sentence, "How many offers did the laboratory receive?")
    assert not has_type("count", sentence, "How many vendors are in the pool?")
    assert not has_type("count", "One of the offers came late.", "How many offers were received?")


def test_by_how_much_or_in_what_proportions_is_part_of_what_is_asked_before_it():
    assert split_question("RAND won two contracts. Which was bigger, and by how much?") == []
    assert len(split_question("How many drones were shot down, and how many aircraft were lost?")) == 2
    # a list with its shares is one thing asked: "in what proportions" cannot be asked on its own
    assert split_question("Which countries are buying the torpedo parts, and in what proportions?") == []
    assert split_question("Which allies take part in the missile buy, and with what shares?") == []
    assert len(split_question("Which countries are buying the torpedo parts, and what is the contract worth?")) == 2


def test_a_name_of_several_words_counts_only_when_all_are_there():
    assert set(terms("Stoke Space")) in key_names("How much did Stoke Space raise?")
    assert set(terms("RDTE")) in key_names("How much RDT&E funding was requested?")


def test_a_follow_up_is_asked_of_what_the_question_before_it_asked_for(corpus_assistant):
    # "them" is what the earlier question's answer names: the satellites SDA launched, built by York
    answer = corpus_assistant.answerer.ask(
        "Who built them?",
        history=["What did the Space Development Agency launch on September 10, 2025?"],
        mode="extractive",
    )
    assert answer.standalone_question == "Who built what the Space Development Agency launched on September 10, 2025?"
    assert "York Space Systems" in answer.text, answer.text


def test_the_rest_of_the_best_article_is_read(corpus_assistant):
    # the unit-cost target sits in the B-21 story's second chunk, which the question alone does not retrieve
    answer = ask(corpus_assistant, "What is the B-21's target average procurement unit cost in 2010 dollars?")
    assert "550 million" in answer.text, answer.text
    assert len({p.chunk.article_id for p in answer.passages}) < len(answer.passages)


def test_a_schedule_is_not_answered_by_a_contract_date(corpus_assistant):
    # the OPIR story dates the contract award, not a launch
    answer = ask(corpus_assistant, "When is the first Next-Gen OPIR geosynchronous satellite scheduled to launch?")
    assert answer.abstained, answer.text


def test_word_forms_and_new_kinds():
    from assistant.question.analysis import answer_type
    from assistant.text import terms

    assert terms("fired firing") == terms("fire fire") and terms("built won") == terms("build win")
    assert terms("planned") == terms("plan")
    # "September 28, 2023" is a date and "Arrow 3" a name: neither is a count
    assert not has_type("count", "Germany signed on September 28, 2023 to buy the Arrow 3 system for $3.5 billion.")
    assert answer_type("What is the B-21 Raider's unrefuelled combat range?") == "distance"
    assert answer_type("How long was the boat deployed in total?") == "duration"
    assert has_type("duration", "It returned from a 15-month deployment.")
    assert not has_type("duration", "It returned in 2021.")
    assert split_question("What did SDA launch? Who built them?") == ["What did SDA launch", "Who built them"]
    assert split_question("How did the cost change between the January 2024 notice and the July 2024 review?") == [
        "How did the cost change at the January 2024 notice", "How did the cost change at the July 2024 review"]


def test_a_second_article_reporting_the_same_figure_is_cited_too(corpus_assistant):
    answer = ask(corpus_assistant, "How much will Golden Dome cost according to Trump?")
    holding = {c.passage.chunk.article_id for c in answer.citations if "175 billion" in c.passage.chunk.text}
    assert len(holding) >= 2, answer.text


def test_a_written_out_acronym_counts_as_said(corpus_assistant):
    # the budget story writes "research, development, test and evaluation", never "RDT&E"
    answer = ask(corpus_assistant, "Compare the FY2024 and FY2025 RDT&E requests.")
    assert "145 billion" in answer.text and "143.2 billion" in answer.text, answer.text


def test_the_previous_record_is_not_the_latest(corpus_assistant):
    answer = ask(corpus_assistant, "What is the most recent record for drones fired by Russia in a single night?")
    first = answer.text.split("[")[0]
    assert "810" in first and "previous record" not in first, answer.text


def test_a_comparison_with_an_earlier_time_asks_twice():
    question = "How many 155mm shells per month does the US Army want to produce by end-2025, versus the pre-war rate?"
    assert split_question(question) == [
        "How many 155mm shells per month does the US Army want to produce by end-2025",
        "How many 155mm shells per month does the US Army want to produce, the pre-war rate",
    ]


def test_a_sibling_of_the_asked_name_gives_no_value(corpus_assistant):
    from assistant.question.names import other_sibling, sibling_heads

    asked = sibling_heads("How much was SpaceX paid for its Tranche 0 Tracking Layer satellites?")
    assert other_sibling(asked, "SDA ordered 20 Tranche 0 Transport Layer satellites in August 2020.")
    assert not other_sibling(asked, "The Tranche 0 Tracking Layer satellites were ordered from SpaceX and L3Harris.")
    assert not other_sibling(sibling_heads("What does the US Army want?"), "The Army has set a goal.")
    # the only amounts are for the Transport Layer, which the question does not ask about
    answer = ask(corpus_assistant, "How much was SpaceX paid for its Tranche 0 Tracking Layer satellites?")
    assert answer.abstained, answer.text


def test_shares_and_series_numbers_are_not_counts():
    shares = "In Phase 2, ULA was slated for about 60 percent of missions and SpaceX for about 40 percent."
    assert not has_type("count", shares)
    assert has_type("count", "It is expected to receive 28 missions, about 60 percent of the total.")


def test_units_and_designations_are_their_own_kinds(corpus_assistant):
    question = "What designation was given to Anduril's CCA prototype?"
    assert has_type("designation", "Anduril Industries' aircraft becomes the YFQ-44A.", question)
    assert not has_type("designation", "The Air Force has given designations to the two CCA prototypes.", question)
    assert has_type("unit", "They were assigned to the 718th Engineer Company.", "Which unit lost soldiers?")
    assert not has_type("unit", "A drone launched by militants killed three American soldiers.", "Which unit?")
    answer = ask(corpus_assistant, "Which unit lost soldiers in the Tower 22 drone strike?")
    assert "718th Engineer Company" in answer.text, answer.text


def test_as_of_a_date_prefers_the_reporting_of_then(corpus_assistant):
    # the 2024 story gives the forecast of that time; the 2025 story, what came later
    answer = ask(corpus_assistant, "As of early 2024, when was Rocket Lab's Neutron expected to fly for the first "
                 "time, and what was the target by August 2025?")
    assert "first flight in 2025" in answer.text, answer.text


def test_a_described_subject_is_found_first(corpus_assistant):
    assert split_question("The chancellor who broke ground at Rheinmetall's shell plant had earlier created a "
                          "Bundeswehr fund of what size?") == [
        "Which chancellor broke ground at Rheinmetall's shell plant", "they had earlier created a Bundeswehr fund of what size"]
    assert split_question("The company whose rocket carried the Kuiper prototypes: how many missions will it fly?") == [
        "Which company's rocket carried the Kuiper prototypes", "how many missions will it fly"]
    # the fund is in another article, which names Scholz but not the plant
    answer = ask(corpus_assistant, "The chancellor who broke ground at Rheinmetall's shell plant had earlier created a "
                 "Bundeswehr fund of what size?")
    assert "Scholz" in answer.text and "€100 billion" in answer.text, answer.text


def test_each_member_of_a_series_and_the_subject_of_a_statement(corpus_assistant):
    question = ("York Space Systems' satellites opened both SDA's Tranche 0 and Tranche 1 launch campaigns. "
                "What were its Tranche 0 and Tranche 1 Transport Layer deals worth?")
    assert split_question(question) == ["What were its Tranche 0 Transport Layer deals worth",
                                        "What were its Tranche 1 Transport Layer deals worth"]
    answer = ask(corpus_assistant, question)
    assert "$94 million" in answer.text and "$382 million" in answer.text, answer.text


def test_light_verbs_are_not_what_a_question_asks(corpus_assistant):
    from assistant.reading.answerable import predicate

    assert predicate("How much money did the April 2024 supplemental set aside for Iron Beam?") == ["supplemental"]
    assert predicate("How much is the newcomer among them getting?") == ["newcomer"]
    # the law "includes ... $1.2 billion for the Iron Beam": it never says "set aside"
    answer = ask(corpus_assistant, "How much money did the April 2024 supplemental set aside for Iron Beam?")
    assert "$1.2 billion for the Iron Beam" in answer.text, answer.text


def test_did_not_say_is_withheld(corpus_assistant):
    from assistant.reading.answerable import withheld_clause

    sentence = "The agency, which operates spy satellites, did not say how many spacecraft were on board."
    assert withheld_clause("How many satellites were aboard the launch?", sentence)
    assert not withheld_clause("How much did the launch cost?", sentence)  # it withholds a count, not an amount
    answer = ask(corpus_assistant, "How many satellites were aboard the NROL-146 launch?")
    assert answer.abstained and "did not say how many spacecraft" in answer.notice, answer.text


def test_a_finding_is_answered_only_by_a_sentence_that_reports_one(corpus_assistant):
    from assistant.question.analysis import answer_type

    assert answer_type("What conclusion did the review reach?") == "finding"
    assert has_type("finding", "The review concluded that the partnership should go ahead.")
    assert not has_type("finding", "The Pentagon has begun a review of the partnership.")
    # the AUKUS story reports that a review began, not what it found
    answer = ask(corpus_assistant, "What conclusion did the Pentagon's 2025 AUKUS review reach?")
    assert answer.abstained and "finding" in answer.notice, answer.text


def test_a_leading_time_limit_is_not_what_a_question_is_about(dvids_assistant):
    answer = ask(dvids_assistant, "Before the March 2026 common hypersonic missile launch from Cape Canaveral, on what "
                 "date had the Reagan Test Site supported a test of the Army-Navy glide body?")
    assert "March 19" in answer.text, answer.text


def test_a_name_written_by_its_initials_counts_as_said(dvids_assistant):
    from assistant.reading.answerable import abbreviated, initials

    named = initials("Where is the Reagan Test Site?")
    assert abbreviated(named, "RTS provides test support.") == {"reagan", "test", "sit"}
    # the story's sentence on where the site is calls it "RTS"
    answer = ask(dvids_assistant, "Where is the Reagan Test Site that supported the Army-Navy hypersonic glide body "
                 "shot located?")
    assert "Kwajalein Atoll" in answer.text, answer.text


def test_how_a_compares_in_value_with_b_asks_for_each(dvids_assistant):
    assert split_question("How does the 2026 contract action compare in value with the multi-year contract "
                          "definitized in 2025?") == [
        "the 2026 contract action value", "the multi-year contract definitized in 2025 value"]
    assert split_question("How does Germany's fund compare in size with the 2022 fund?") == []  # read as a whole
    answer = ask(dvids_assistant, "How does the 2026 PAC-3 MSE undefinitized contract action compare in value with the "
                 "multi-year contract definitized in 2025?")
    assert "4.7 billion" in answer.text and "9.8 billion" in answer.text, answer.text


def test_which_of_two_asks_the_same_of_each(dvids_assistant):
    assert split_question("Which was larger: the Stinger order or the TOW contract?") == [
        "was larger: the Stinger order", "was larger: the TOW contract"]
    answer = ask(dvids_assistant, "Which 2020 dredging job removes more material, the Detroit River or the Saginaw "
                 "River contract?")
    assert "232,000" in answer.text and "184,800" in answer.text, answer.text
