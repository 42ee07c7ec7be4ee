"""A question that dates what it asks about by one month also gets the passages of the reports published that month:
a day's release lists many awards alike, and the words alone may rank another month's look-alikes first."""

from __future__ import annotations

from assistant.retrieval.retrieve import RetrievalOptions
from conftest import write_article

MONTHS = ["2016-01", "2016-02", "2016-04", "2016-05", "2016-06", "2016-07", "2016-08", "2016-09", "2016-10", "2016-11"]
OTHERS = [  # each release's other award, so that no two releases are copies of one story
    f"{company} was awarded a ${n + 3},{n}50,000 contract for {item}. Work will be done in {town} through {n + 2019}."
    for n, (company, item, town) in enumerate([
        ("Birch Marine", "hull repairs", "Norfolk, Virginia"), ("Cobalt Systems", "satellite ground software", "Denver, Colorado"),
        ("Delta Foods", "commissary produce", "Fort Worth, Texas"), ("Ember Labs", "battery chargers", "Dayton, Ohio"),
        ("Fjord Logistics", "fuel delivery in Norway", "Bergen, Norway"), ("Granite Works", "runway paving", "Tucson, Arizona"),
        ("Harbor Dredging", "channel dredging", "Mobile, Alabama"), ("Iris Optics", "night-vision lenses", "Orlando, Florida"),
        ("Juniper Medical", "field hospital tents", "Reno, Nevada"), ("Kestrel Aero", "trainer aircraft engines", "Wichita, Kansas"),
    ])
]
QUESTION = "What modification number did the March 2016 award to Acme Radio Corp. for Army radio spare parts carry?"


def test_the_month_a_question_names_brings_its_reports(make_assistant, tmp_path):
    corpus = tmp_path / "releases"
    corpus.mkdir()
    for n, month in enumerate(MONTHS):  # look-alikes that repeat the question's words
        write_article(
            corpus, f"r{n:02d}.md", f"Daily awards, release {n}", date=f"{month}-15",
            body=f"Acme Radio Corp., Tulsa, Oklahoma, was awarded a $1,{n}00,000 modification (P000{n + 10}) for Army "
            f"radio spare parts. Army Contracting Command is the contracting activity.\n\n{OTHERS[n]}",
        )
    write_article(  # the March award, in other words
        corpus, "march.md", "Daily awards, release 99", date="2016-03-15",
        body="Acme Radio Corp., Tulsa, Oklahoma, was awarded a $2,400,000 modification (P00007) to buy replacement "
        "components for handheld communications sets. Army Contracting Command is the contracting activity.",
    )
    assistant = make_assistant()
    assistant.ingest([corpus], progress=False)
    words_alone = assistant.retriever.retrieve(QUESTION, None)
    assert "march" not in [p.chunk.article_id for p in words_alone[:6]]  # else this test shows nothing
    passages = assistant.answerer._retrieve(QUESTION, None, 6)
    assert "march" in [p.chunk.article_id for p in passages]
    answer = assistant.answerer.ask(QUESTION, mode="extractive")  # never another month's award
    assert "P00007" in answer.text or (answer.abstained and "March 2016" in answer.notice), (answer.notice, answer.text)
    assert not any(f"P000{n + 10}" in answer.text for n in range(len(MONTHS)))



def test_each_month_a_question_names_brings_its_reports(make_assistant, tmp_path):
    # "the March 2016 award ... and the December 2016 one": two awards, each in the reports of its own month
    corpus = tmp_path / "releases"
    corpus.mkdir()
    for n, month in enumerate(MONTHS):
        write_article(
            corpus, f"r{n:02d}.md", f"Daily awards, release {n}", date=f"{month}-15",
            body=f"Acme Radio Corp., Tulsa, Oklahoma, was awarded a $1,{n}00,000 modification (P000{n + 10}) for Army "
            f"radio spare parts. Army Contracting Command is the contracting activity.\n\n{OTHERS[n]}",
        )
    for name, day, amount, number in (("march", "2016-03-15", "$2,400,000", "P00007"), ("december", "2016-12-15", "$3,100,000", "P00021")):
        write_article(
            corpus, f"{name}.md", f"Daily awards, {name}", date=day,
            body=f"Acme Radio Corp., Tulsa, Oklahoma, was awarded a {amount} modification ({number}) to buy replacement "
            "components for handheld communications sets. Army Contracting Command is the contracting activity.",
        )
    assistant = make_assistant()
    assistant.ingest([corpus], progress=False)
    asked = "What did the March 2016 and December 2016 awards to Acme Radio Corp. for Army radio spare parts come to together?"
    # one passage asked for: the words bring one report, each month named brings its own
    assert len({p.chunk.article_id for p in assistant.retriever.retrieve(asked, None, RetrievalOptions(k=1))}) == 1
    assert {"march", "december"} <= {p.chunk.article_id for p in assistant.answerer._retrieve(asked, None, 1)}
    answer = assistant.answerer.ask(asked, mode="extractive", k=1)
    assert not answer.abstained and answer.short_answer == "$5,500,000", (answer.notice, answer.text)

def test_a_deadline_is_not_the_month_a_question_dates_its_award_by():
    from datetime import date

    from assistant.question.timeparse import DEADLINE, month_named

    asked = "What did the October 2014 Army order, to be complete by March 2016, buy?"
    assert month_named(asked) is None  # two months named: neither would be searched
    assert month_named(DEADLINE.sub(" ", asked)) == (date(2014, 10, 1), date(2014, 10, 31))
    assert month_named(DEADLINE.sub(" ", "Which work must be finished through the end of June 2019?")) is None
