"""A year the question gives must be in the answer's own paragraph (or be the report's year), not in a
neighbouring award's paragraph of the same passage."""

from __future__ import annotations

from datetime import date

from assistant.reading.near_miss import paragraph_of, unmet_condition
from assistant.schema import Chunk

RELEASE = (
    "Kestrel Vehicles Inc., Duluth, Minnesota, is being awarded a $41,250,000 firm-fixed-price contract for light "
    "utility vehicles. Work is expected to be completed by March 2017.\n\n"
    "Harbor Marine LLC, Norfolk, Virginia, has been awarded a $9,800,000 contract for pier repairs. Work will be "
    "completed by December 2018."
)


def _chunk(published: date) -> Chunk:
    return Chunk(id="r::1", article_id="r", index=0, text=RELEASE, start=0, end=len(RELEASE),
                 title="Contracts for July 23, 2015", path="/r.txt", published=published)


def _span(sentence_start: str) -> tuple[int, int]:
    start = RELEASE.index(sentence_start)
    return start, RELEASE.index(".", start) + 1


def test_a_year_only_a_neighbouring_paragraph_gives_is_unmet():
    chunk = _chunk(date(2015, 7, 23))
    why = unmet_condition("What did Kestrel Vehicles receive in 2018 for light utility vehicles?", chunk, RELEASE, _span("Kestrel"))
    assert "2018" in why and "paragraph" in why, why
    # without the sentence's place the whole passage counts, and the neighbour's 2018 would have let it through
    assert unmet_condition("What did Kestrel Vehicles receive in 2018 for light utility vehicles?", chunk, RELEASE) == ""


def test_a_year_the_own_paragraph_or_the_report_gives_is_met():
    chunk = _chunk(date(2015, 7, 23))
    span = _span("Kestrel")
    assert unmet_condition("Which vehicles will Kestrel deliver by 2017?", chunk, RELEASE, span) == ""
    assert unmet_condition("What did Kestrel Vehicles receive in 2015?", chunk, RELEASE, span) == ""
    assert unmet_condition("What did Harbor Marine get for pier repairs due in 2018?", chunk, RELEASE, _span("Harbor")) == ""


def test_paragraph_of_stops_at_blank_lines():
    first = paragraph_of(RELEASE, *_span("Kestrel"))
    assert first.startswith("Kestrel") and "Harbor" not in first
    assert paragraph_of(RELEASE, *_span("Harbor")).strip().startswith("Harbor")


def test_a_question_naming_two_years_needs_one_of_them_in_each_paragraph():
    chunk = _chunk(date(2015, 7, 23))
    # "an award in 2015 and a modification in 2016": each award's paragraph gives one of the years
    question = "Kestrel Vehicles won a contract in 2015 and a modification in 2016. How much larger was the first?"
    assert unmet_condition(question, chunk, RELEASE, _span("Kestrel")) == ""
    # a second year that is not a second award's ("completed by 2017") leaves the first one to meet
    why = unmet_condition("What did Kestrel Vehicles receive in 2014 for vehicles due by 2017?", chunk, RELEASE, _span("Kestrel"))
    assert "2014" in why, why
    # neither year is this award's: it is still another award
    why = unmet_condition("Kestrel won awards in 2012 and 2013. How much larger was the first?", chunk, RELEASE, _span("Kestrel"))
    assert "2012" in why or "2013" in why, why


def test_a_figure_the_release_writes_in_words_is_the_questions_figure():
    text = "Falcon Optics Inc., Tempe, Arizona, was awarded a $13,185,756 modification for three hundred helmets, 190 for the Army."
    chunk = Chunk(id="f::1", article_id="f", index=0, text=text, start=0, end=len(text),
                  title="Contracts for Dec. 22, 2015", path="/f.txt", published=date(2015, 12, 22))
    span = (0, len(text))
    assert unmet_condition("Of the 300 helmets Falcon Optics is supplying, how many are for the Army?", chunk, text, span) == ""
    assert "400" in unmet_condition("Of the 400 helmets Falcon Optics is supplying, how many are for the Army?", chunk, text, span)
    # a single number word anywhere in the release ("four offers") does not meet the question's 4
    four = f"{text} Four offers were received."
    assert "4" in unmet_condition("What did Falcon Optics receive for 4 helmets?", chunk, four, (0, len(four)))
