"""llm mode: the model may rewrite a follow-up; its rewrite is used only when the resolver's check passes it."""

from __future__ import annotations

from assistant.config import Settings
from assistant.answering.llm import RetryPolicy, make_chat_model
from assistant.answering.prompts import load_prompts
from assistant.question.rewrite import rewrite_followup
from assistant.question.rewrite_llm import clean_reply, refusal, rewrite_with_model
from conftest import write_article

GOLDEN_DOME = ["What's going on with Golden Dome?", "And how much did it cost?"]
ARROW = ["How much does Arrow 3 cost Germany?"]
BODY = (
    "Golden Dome is the planned US missile defence shield. Space Force General Michael Guetlein is in charge of "
    "Golden Dome, the Pentagon said. The shield is estimated to cost $175 billion over three years. "
)


def check(candidate: str, question: str, history: list[str]) -> str:
    return refusal(candidate, question, history, rewrite_followup(question, history))


def test_the_check_passes_a_faithful_rewrite_and_names_what_is_wrong_with_the_others():
    assert check("Who is in charge of Golden Dome?", "Who is in charge of it?", GOLDEN_DOME) == ""
    # shapes SmolLM2 produced on the labelled set: an earlier question echoed, an answer, a list item
    assert "repeated an earlier question" in check("What's going on with Golden Dome?", "Who is in charge of it?", GOLDEN_DOME)
    assert "did not write a question" in check("The answer to the question about Golden Dome is:", "Who is in charge of it?", GOLDEN_DOME)
    assert "did not write a question" in check("1. Who is in charge of Golden Dome?", "Who is in charge of it?", GOLDEN_DOME)
    assert "Boeing" in check("Who is in charge of Boeing's Golden Dome?", "Who is in charge of it?", GOLDEN_DOME)
    assert "dropped" in check("How much did Golden Dome cost?", "Who is in charge of it?", GOLDEN_DOME)
    # a new topic glued to the old one is the fault the resolver exists to avoid
    assert "Arrow 3" in check("What happened to Arrow 3 this year?", "What happened this year?", ARROW)
    assert "lost the subject" in check("Who is in charge of the programme?", "Who is in charge of it?", GOLDEN_DOME)
    assert clean_reply('Rewritten question: "Who is in charge of Golden Dome?"\nExplanation: ...') == "Who is in charge of Golden Dome?"


def test_a_real_local_model_rewrite_is_used_or_falls_back_to_the_resolver(llm_server):
    settings = Settings(llm_base_url=llm_server.base_url, llm_model="smollm2-135m-instruct")
    model = make_chat_model(settings)
    # The product gives up on a rewrite after 20 s; this test is about the path, not the speed, and a loaded
    # 2-core machine can be slower than that (speed is measured by eval/ scripts, never asserted here).
    policy = RetryPolicy(max_retries=0, deadline_s=300)
    made = rewrite_with_model(model, load_prompts(), policy, "Who is in charge of it?", GOLDEN_DOME, deadline_s=300)
    assert made.resolver == "Who is in charge of Golden Dome?"
    assert made.model, f"the model wrote nothing: {made.refused}"
    if made.by == "model":
        assert made.text == made.model and not made.refused
    else:
        assert made.by == "resolver" and made.text == made.resolver and made.refused, made
    assert "Golden Dome" in made.text and "cost" not in made.text.lower()


def test_an_unreachable_model_leaves_the_resolvers_question():
    # Nothing listens on port 9 of loopback: a real connection failure.
    model = make_chat_model(Settings(llm_base_url="http://127.0.0.1:9/v1", llm_timeout_s=5))
    made = rewrite_with_model(model, load_prompts(), RetryPolicy(max_retries=0), "Who is in charge of it?", GOLDEN_DOME)
    assert made.by == "resolver" and made.text == "Who is in charge of Golden Dome?"
    assert "could not be reached" in made.refused


def test_the_llm_answer_is_asked_with_the_checked_standalone_question(make_assistant, tmp_path, llm_server):
    folder = tmp_path / "c"
    folder.mkdir()
    write_article(folder, "dome.md", "Guetlein to lead Golden Dome", BODY * 3)
    assistant = make_assistant(llm_base_url=llm_server.base_url, llm_model="smollm2-135m-instruct", llm_max_tokens=80, llm_rewrite=True)
    assistant.ingest([folder], progress=False)
    answer = assistant.answerer.ask("Who is in charge of it?", history=GOLDEN_DOME, mode="llm")
    assert "Golden Dome" in answer.standalone_question and "cost" not in answer.standalone_question.lower()
    alone = assistant.answerer.ask("What happened this year?", history=ARROW, mode="llm")
    assert alone.standalone_question == "What happened this year?"
