"""The award-role model: which sentence of an award paragraph a question asks about, learned from the team's read
contract questions (eval/scripts/train_roles.py) rather than written as one cue per phrasing."""

from __future__ import annotations

import json

import pytest

from assistant.reading.award_roles import WEIGHTS, load_roles, sentence_roles


@pytest.mark.parametrize(
    "sentence, role",
    [
        ("Harbor Dynamics LLC, Norfolk, Virginia, was awarded a $12,345,678 cost-plus-fixed-fee contract for hull repair.", "lead"),
        ("Work will be performed in Norfolk, Virginia, with an estimated completion date of March 31, 2028.", "place"),
        ("Work will be performed in Norfolk, Virginia, with an estimated completion date of March 31, 2028.", "completion"),
        ("Work is scheduled to be complete by December 2020.", "completion"),
        ("Fiscal 2026 operation and maintenance (Navy) funds in the amount of $2,100,000 are being obligated at the time of award.", "funds"),
        ("This contract was competitively procured via the Federal Business Opportunities website, with four offers received.", "competition"),
        ("Naval Sea Systems Command, Washington, D.C., is the contracting activity (N00024-26-C-4410).", "activity"),
        ("This contract involves foreign military sales to Norway and Chile.", "fms"),
        ("The task order also contains one planned modification, which if exercised, would increase cumulative task order value to $15,325,000.", "value"),
        ("Areas affected by repair shall be in compliance with anti-terrorism requirements.", "detail"),
    ],
)
def test_a_release_sentence_is_known_by_how_releases_write_it(sentence, role):
    assert role in sentence_roles(sentence)


@pytest.mark.parametrize(
    "sentence, role",
    [
        # funds that "expire at the end of the current fiscal year" say nothing of when the work ends
        ("Fiscal 2014 operations and maintenance (Navy) funding in the amount of $10,470,296 will be obligated at time of award and will expire at the end of the current fiscal year.", "completion"),
        # a lead "to complete" an upgrade gives no end date
        ("Apex Marine Inc., Mobile, Alabama, is being awarded $4,100,000 for services to complete the upgrade of a dry dock.", "completion"),
        ("Task order period of performance is Sept. 1, 2018, to Aug. 31, 2019.", "place"),  # a span of time
        ("Apex Marine Inc., Mobile, Alabama, is being awarded $4,100,000 for radar repair in the Far East.", "competition"),
    ],
)
def test_a_sentence_does_not_play_a_role_it_only_shares_a_word_with(sentence, role):
    assert role not in sentence_roles(sentence)


def test_a_lead_is_only_a_sentence_that_opens_an_award():
    assert "lead" not in sentence_roles("U.S. Army Corps of Engineers, Seattle, Washington, is the contracting activity for the work awarded.")


def test_the_committed_weights_load_and_say_which_sets_they_came_from():
    model = load_roles(dimensions=384)
    assert model is not None
    record = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    # read sets only: the holdout, refusals, outside sets and the test half never train it
    assert set(record["trained_on"]) == {"tuning", "validation", "dev"}
    assert set(model.roles) >= {"lead", "place", "completion", "funds", "competition", "fms"}


def test_weights_written_for_another_encoder_are_not_used(tmp_path):
    record = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    path = tmp_path / "roles.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    assert load_roles(path, dimensions=384) is not None
    assert load_roles(path, dimensions=768) is None  # rows no longer fit the input
    assert load_roles(tmp_path / "missing.json") is None
    record["kinds"] = ["money"]
    path.write_text(json.dumps(record), encoding="utf-8")
    assert load_roles(path) is None


def test_a_vector_of_another_encoder_gets_no_opinion():
    model = load_roles()
    assert model is not None
    assert model.asked("Where will the work be performed?", [0.1] * 768) == {}
    assert set(model.asked("Where will the work be performed?", [0.0] * 384)) == set(model.roles)


RELEASE = """
Harbor Dynamics LLC, Norfolk, Virginia, was awarded a $12,345,678 cost-plus-fixed-fee contract for hull repair of three coastal patrol boats. Work will be performed in Norfolk, Virginia, with an estimated completion date of March 31, 2028. Fiscal 2026 operation and maintenance (Navy) funds in the amount of $2,100,000 are being obligated at the time of award. This contract was competitively procured via the Federal Business Opportunities website, with four offers received. Naval Sea Systems Command, Washington, D.C., is the contracting activity (N00024-26-C-4410).

Granite Ordnance Corp., Mesa, Arizona, was awarded a $41,000,000 modification (P00007) to contract W31P4Q-24-C-0012 for production of 2,400 practice rockets. Work will be performed in Mesa, Arizona, with an estimated completion date of June 30, 2029. This contract was a sole-source acquisition, with one offer received. Army Contracting Command, Redstone Arsenal, Alabama, is the contracting activity.

Cobalt Textiles LLC,* Anniston, Alabama, was awarded a $36,750,000 firm-fixed-price contract for flame resistant combat uniforms. No funds are being obligated at time of award. Fiscal 2026 defense working capital funds in the amount of $12,825,698 will be obligated on the first delivery order. Work will be performed in Anniston, Alabama, with an estimated completion date of Dec. 31, 2029. Defense Logistics Agency Troop Support, Philadelphia, Pennsylvania, is the contracting activity.

Northwind Systems Inc., Tacoma, Washington, was awarded a $18,400,000 firm-fixed-price contract for sustainment of 12 radio relay vans. Work will be performed in Tacoma, Washington, with an estimated completion date of Nov. 30, 2027. Bids were solicited via the Internet, with two received. Army Contracting Command, Aberdeen Proving Ground, Maryland, is the contracting activity (W15P7T-26-D-0101).
"""


def _release(make_assistant, tmp_path, award_roles: bool):
    from conftest import write_article

    folder = tmp_path / f"articles-{award_roles}"
    folder.mkdir()
    write_article(folder, "contracts.md", "Contracts For June 10, 2026", RELEASE, date="2026-06-10", source="Department of Defense")
    assistant = make_assistant(award_roles=award_roles, index_dir=tmp_path / f"index-{award_roles}")
    assistant.ingest([folder], progress=False)
    return assistant


def test_money_put_on_an_award_when_it_was_made_is_the_amount_its_funds_sentence_gives(make_assistant, tmp_path):
    # no cue of the amounts an award states on their own ("obligated", "up front", "committed") is in the question:
    # the role model says the question asks about the award's funds, not its face value
    question = "How much money was put on the Harbor Dynamics hull repair contract at the time of award?"
    answer = _release(make_assistant, tmp_path, award_roles=True).answerer.ask(question, mode="extractive")
    assert not answer.abstained, answer.notice
    assert answer.short_answer == "$2,100,000", answer.text
    assert "Harbor Dynamics" in answer.text


def test_an_award_that_obligates_no_funds_at_award_is_not_given_a_first_orders_amount(make_assistant, tmp_path):
    # the role model says the question asks about the funds; the award's own funds sentence gives no amount, and the
    # first delivery order's amount is not money put on the contract when it was awarded
    question = "How much money was put on the Cobalt Textiles combat uniform contract at the time of award?"
    answer = _release(make_assistant, tmp_path, award_roles=True).answerer.ask(question, mode="extractive")
    assert answer.short_answer != "$12,825,698", answer.text


@pytest.mark.parametrize("text", ["[1, 2]", "{}", '{"kinds": 3}', "\udcff", ""])
def test_a_malformed_weights_file_is_not_used(tmp_path, text):
    path = tmp_path / "roles.json"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    assert load_roles(path) is None


def test_weights_whose_roles_and_rows_disagree_are_not_used(tmp_path):
    record = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    record["biases"] = record["biases"][:2]
    path = tmp_path / "roles.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    assert load_roles(path) is None
