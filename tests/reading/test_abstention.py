"""Saying plainly that the articles do not hold the answer: a question about something the indexed corpus never
names is not answered from a neighbouring story. Through the real stack over the bundled corpus."""

from __future__ import annotations

from assistant.question.names import spelled_in_lower_case
from assistant.reading.extractive import _mostly_unknown


def test_a_name_the_corpus_never_mentions_is_not_answered(corpus_assistant):
    # The corpus covers the Space Force's launch contracts but never the GPS IIIF satellites.
    question = "How many GPS IIIF satellites has the Space Force ordered?"
    answer = corpus_assistant.answerer.ask(question, mode="extractive")
    assert answer.abstained, answer.text
    assert answer.notice == "The indexed articles never mention IIIF.", answer.notice  # said, not just done


def test_other_names_for_what_the_articles_say_still_answer(corpus_assistant):
    # "UK" where the article says "Britain"; "IDIQ" where it spells the contract type out in lower case.
    for question, fact in (
        ("Which Australian naval base will host US and UK submarines from 2027?", "HMAS Stirling"),
        ("What is the potential value of the Lane 1 IDIQ contract?", "5.6 billion"),
    ):
        answer = corpus_assistant.answerer.ask(question, mode="extractive")
        assert not answer.abstained and fact in answer.text, (question, answer.text)


def test_the_corpus_index_knows_which_terms_it_holds(corpus_assistant):
    keyword = corpus_assistant.retriever.keyword
    assert keyword.mentions("stirl") and keyword.mentions("kuiper")
    assert not keyword.mentions("iiif") and not keyword.mentions("bundestagswahl")


def test_long_acronyms_match_a_lower_case_spelling():
    assert spelled_in_lower_case("idiq", "The indefinite-delivery, indefinite-quantity contract is worth $5.6 billion.")
    assert not spelled_in_lower_case("idiq", "The delivery of the contract is indefinite.")
    assert not spelled_in_lower_case("uk", "under king")  # two letters match by chance: not tried


def test_one_unknown_name_among_many_known_ones_does_not_refuse(corpus_assistant):
    # A question that describes the award by its buyer, month and winners and adds a name of its own ("Thunderbolt",
    # which the corpus never uses) asks about what the articles do report; a question that names little else asks
    # about the unknown name, and is refused.
    described = (
        "In June 2024 the Space Force's Space Systems Command picked SpaceX, United Launch Alliance and Blue Origin for "
        "the Lane 1 pool of its Thunderbolt launch phase. What is the pool's combined potential value?"
    )
    answer = corpus_assistant.answerer.ask(described, mode="extractive")
    assert not answer.abstained and "$5.6 billion" in answer.text, answer.text
    assert answer.notice.startswith("The indexed articles never mention Thunderbolt: the answer is about"), answer.notice  # said beside it
    answer = corpus_assistant.answerer.ask("What is the potential value of the Thunderbolt Lane 1 pool?", mode="extractive")
    assert answer.abstained and answer.notice == "The indexed articles never mention Thunderbolt.", answer.notice


def test_months_years_and_figures_do_not_count_as_names_beside_an_unknown_one():
    # "Falconridge" is one of two names whether or not the question adds a month and a year
    assert _mostly_unknown("What did Northrop Grumman get for Falconridge?", ["Falconridge"])
    assert _mostly_unknown("What did Northrop Grumman get for Falconridge in October 2016?", ["Falconridge"])
    assert _mostly_unknown("What did Northrop Grumman get for Falconridge in Oct. 2016, worth $5 million?", ["Falconridge"])
    assert not _mostly_unknown("What did Northrop Grumman get from Naval Air Systems Command at Patuxent River, Maryland, for Falconridge?", ["Falconridge"])
