"""The question sets hold what they claim: every expected fact is in the articles a question names, a set
split into dev and test halves shares no article between them, and each half is scored on its own questions."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.evaluation.halves import half_runs, split_names
from assistant.evaluation.metrics import score
from assistant.evaluation.questions import Question, load_registry
from assistant.evaluation.set_checks import article_texts, missing_facts, shared_articles
from assistant.schema import Answer

ROOT = Path(__file__).resolve().parents[2]
SETS = {s.name: s for s in load_registry(ROOT / "eval" / "sets")}


@pytest.mark.parametrize("name", sorted(SETS))
def test_every_expected_fact_is_in_the_articles_the_question_names(name):
    qset = SETS[name]
    if not qset.corpus.is_dir():
        pytest.skip(f"corpus folder {qset.corpus} is absent")
    assert missing_facts(list(qset.questions), article_texts(qset.corpus)) == []


@pytest.mark.parametrize("name", ["dvids", "dodcontracts"])
def test_a_split_set_has_both_halves_and_no_article_in_both(name):
    qset = SETS[name]
    assert split_names(qset) == [f"{name}-dev", f"{name}-test"]
    assert shared_articles(list(qset.questions)) == set()


def test_the_contract_set_has_the_kinds_of_question_it_must_measure():
    questions = SETS["dodcontracts"].questions
    notes = [str(q.extra.get("note", "")) for q in questions]
    assert len(questions) >= 80
    assert sum(n.startswith("near miss") for n in notes) >= 10
    assert sum(n.startswith("correction") for n in notes) >= 8
    assert sum(len(q.article_ids) > 1 or q.type in {"comparison", "multihop"} for q in questions) >= 8


def test_each_half_is_scored_on_its_own_questions():
    def question(qid: str, split: str, abstain: bool) -> Question:
        facts = () if abstain else (("$1,000",),)
        return Question(qid, "q?", "unanswerable" if abstain else "numeric", ("a",), facts, abstain, extra={"split": split})

    right = Answer("q?", "It was $1,000 [1].", False, "extractive")
    refused = Answer("q?", "", True, "extractive")
    results = [score(question("d1", "dev", False), right, ["a"]), score(question("t1", "test", False), refused, ["a"]), score(question("t2", "test", True), refused, [])]
    whole = {"set": "s", "corpus": "c"}
    halves = {run["set"]: run for run in half_runs(whole, results, lambda r: {"id": r.question.id})}
    assert sorted(halves) == ["s-dev", "s-test"]
    assert halves["s-dev"]["metrics"]["answer_accuracy"] == 1.0
    assert halves["s-test"]["metrics"]["answer_accuracy"] == 0.0
    assert halves["s-test"]["metrics"]["abstention_recall"] == 1.0
    assert [r["id"] for r in halves["s-test"]["results"]] == ["t1", "t2"]
