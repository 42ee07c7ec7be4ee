"""Follow-ups become one standalone question: references resolved, a new topic asked alone, the set scored and gated."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.errors import AssistantError
from assistant.evaluation.followups import judge, load_turns, score_turns
from assistant.evaluation.report import check_gate
from assistant.question.rewrite import rewrite_followup

ROOT = Path(__file__).resolve().parents[2]
FOLLOWUPS = ROOT / "eval" / "sets" / "followups.jsonl"
GOLDEN_DOME = ["What's going on with Golden Dome?", "And how much did it cost?"]


def ask_cli(index: Path, question: str, *history: str) -> dict:
    env = {**os.environ, "ASSISTANT_INDEX_DIR": str(index)}
    env.pop("OPENAI_API_KEY", None)
    args = [sys.executable, "-m", "assistant.cli", "ask", "--json", question]
    for earlier in history:
        args += ["--history", earlier]
    result = subprocess.run(args, capture_output=True, text=True, env=env, timeout=240)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_pronoun_is_resolved_to_the_subject_of_the_conversation_on_the_command_line(corpus_assistant):
    data = ask_cli(corpus_assistant.settings.index_dir, "Who is in charge of it?", *GOLDEN_DOME)
    assert "Golden Dome" in data["standalone_question"] and "cost" not in data["standalone_question"].lower()
    assert "Guetlein" in data["answer"], data["answer"]
    assert not data["abstained"]


def test_the_follow_up_answer_is_not_the_previous_answer_again(corpus_assistant):
    cost = corpus_assistant.answerer.ask(GOLDEN_DOME[1], history=GOLDEN_DOME[:1], mode="extractive")
    lead = corpus_assistant.answerer.ask("Who is in charge of it?", history=GOLDEN_DOME, mode="extractive")
    assert cost.text != lead.text
    assert "Guetlein" in lead.text and "Guetlein" not in cost.standalone_question


def test_a_new_topic_is_asked_alone(corpus_assistant):
    answer = corpus_assistant.answerer.ask("What happened this year?", history=["How much does Arrow 3 cost Germany?"], mode="extractive")
    assert answer.standalone_question == "What happened this year?"
    assert "arrow" not in " ".join(c.passage.chunk.article_id for c in answer.citations)


def test_references_take_what_they_stand_for():
    # a thing asked for, an actor asked for, an ellipsis, a narrowing fragment, a name of the same shape swapped
    assert rewrite_followup("Who built them?", ["What did the Space Development Agency launch on September 10, 2025?"]) == (
        "Who built what the Space Development Agency launched on September 10, 2025?"
    )
    assert "the person who is leading the Golden Dome programme" in rewrite_followup(
        "What job was he holding when he got picked?", ["Who is leading the Golden Dome programme?"]
    )
    assert rewrite_followup("And for David's Sling?", ["What did Israel request for Iron Dome in the 2024 supplemental?"]) == (
        "What did Israel request for David's Sling in the 2024 supplemental?"
    )
    assert rewrite_followup("Over how many years?", ["What did the CBO estimate for space-based interceptors?"]).endswith(
        "space-based interceptors, over how many years?"
    )
    assert rewrite_followup("What about Finland?", ["How much is Germany paying for Arrow 3?"]) == "How much is Finland paying for Arrow 3?"


def test_the_latest_subject_wins_and_a_first_question_stands_alone():
    history = ["How much does Arrow 3 cost Germany?", "What's going on with Golden Dome?"]
    assert rewrite_followup("Who is in charge of it?", history) == "Who is in charge of Golden Dome?"
    assert rewrite_followup("Who built them?", []) == "Who built them?"
    assert rewrite_followup("What happened this month?", ["How many drones did Russia launch in July 2025?"]) == "What happened this month?"


def test_the_labelled_set_is_scored_by_halves_and_meets_its_gate():
    turns = load_turns(FOLLOWUPS)
    assert len(turns) >= 60 and {t.kind for t in turns} == {"followup", "topic_change", "ambiguous"}
    run = score_turns(turns)
    gate = {"followups": json.loads((ROOT / "eval" / "thresholds.json").read_text())["followups"]}
    assert check_gate([run], gate) == [], run["metrics"]
    # the old rewriter, which glued every follow-up to the question before it, fails the same gate
    glued = score_turns(turns, rewrite=lambda q, h: f"{h[-1].rstrip('?')}? {q}" if h else q)
    assert check_gate([glued], gate) != []


def test_judge_reads_alternatives_and_exclusions(tmp_path):
    path = tmp_path / "turns.jsonl"
    path.write_text(
        json.dumps({"id": "a", "kind": "followup", "split": "tune", "history": ["x"], "question": "q", "include": [["SDA", "Space Development Agency"]], "exclude": ["cost"]}) + "\n"
        + json.dumps({"id": "b", "kind": "topic_change", "split": "heldout", "history": ["x"], "question": "What now?", "alone": True}) + "\n",
        encoding="utf-8",
    )
    first, second = load_turns(path)
    assert judge(first, "Who built the Space Development Agency satellites?") and not judge(first, "Who built them?")
    assert not judge(first, "What did SDA's launch cost?")
    assert judge(second, "What  now?") and not judge(second, "What now about Arrow 3?")


def test_a_bad_turn_is_named_by_file_line_and_field(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "kind": "followup", "split": "tune", "question": "q", "include": ["x"]}\n'
                    '{"id": "b", "kind": "sideways", "split": "tune", "question": "q", "alone": true}\n', encoding="utf-8")
    with pytest.raises(AssistantError, match=r"bad\.jsonl:2: .*'kind'"):
        load_turns(path)
