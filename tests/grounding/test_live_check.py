"""Sentence-by-sentence grounding while the LLM streams: a bad sentence is flagged before the answer is finished.

The model is the loopback server of tests/misbehaving_llm.py in its `mixed` mode (three cited sentences of passage 1,
the first with a changed figure): a real OpenAI-compatible stream over a socket, read by the project's own client.
The checker, the Chroma index and the embedding model are the real ones.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.grounding.checker import split_answer
from misbehaving_llm import MisbehavingLLM

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
QUESTION = "How much did Trump say Golden Dome would cost?"


@pytest.fixture(scope="module")
def mixed_llm():
    with MisbehavingLLM("mixed") as llm:
        yield llm


@pytest.fixture
def llm_assistant(make_assistant, mixed_llm):
    assistant = make_assistant(
        llm_base_url=mixed_llm.base_url, llm_model="misbehaving", llm_api_key="sk-test-not-a-real-key", grounding="flag"
    )
    assistant.ingest([CORPUS / "md-golden-dome-175-billion-guetlein-2025-05.md"], progress=False)
    return assistant


def test_a_changed_figure_is_flagged_while_the_answer_is_still_streaming(llm_assistant):
    events = list(llm_assistant.answerer.stream(QUESTION, mode="llm"))
    kinds = [e.kind for e in events]
    answer = events[-1].answer
    assert kinds[-1] == "answer" and answer.mode == "llm"
    final = answer.sentences
    assert len(final) == 3 and [s.supported for s in final].count(False) >= 1

    checks = [i for i, e in enumerate(events) if e.kind == "check"]
    assert len(checks) == len(final), "one live check per sentence"
    first = events[checks[0]]
    assert not first.check.supported
    assert "figure $175.5 billion not in [1]" in first.check.reasons
    assert first.check.reasons == final[0].reasons  # the final check agrees, and replaces the live mark

    # it arrived while the model was still writing: the later sentences' tokens come after it
    streamed_before = "".join(e.text for e in events[: checks[0]] if e.kind == "token")
    streamed_after = "".join(e.text for e in events[checks[0] :] if e.kind == "token")
    second = split_answer(answer.text)[1].claim
    assert "175.5" in streamed_before and second not in streamed_before
    assert second.split()[-1].rstrip(".") in streamed_after  # the next sentence was finished after the flag
    assert checks[0] < kinds.index("answer")
    # every live check comes once its sentence is complete, never before the first token of the next one
    for n, i in enumerate(checks[:-1]):
        text_so_far = "".join(e.text for e in events[:i] if e.kind == "token")
        assert len(split_answer(text_so_far)) >= n + 2, text_so_far


def test_no_live_checks_when_grounding_is_off(make_assistant, mixed_llm):
    assistant = make_assistant(
        llm_base_url=mixed_llm.base_url, llm_model="misbehaving", llm_api_key="sk-test-not-a-real-key", grounding="off"
    )
    assistant.ingest([CORPUS / "md-golden-dome-175-billion-guetlein-2025-05.md"], progress=False)
    events = list(assistant.answerer.stream(QUESTION, mode="llm"))
    assert "175.5" in events[-1].answer.text and not [e for e in events if e.kind == "check"]


def test_the_chat_marks_the_flagged_sentence_with_its_reason_before_the_answer_is_complete(llm_assistant):
    from assistant.ui.chat import ChatHandlers

    views = [out[1][-1]["content"] for out in ChatHandlers(llm_assistant).respond(QUESTION, [], [], "", "", None, "", "llm", 6)
             if isinstance(out[1], list)]
    streaming = [v for v in views if 'class="answer streaming"' in v]
    marked = [v for v in streaming if 'class="flagged live"' in v]
    assert marked, "no streamed view marked the sentence"
    first = marked[0]
    assert "figure $175.5 billion not in [1]" in first and 'class="flags live"' in first
    assert streaming.index(first) < len(streaming) - 1  # more of the answer streamed in after the mark
    assert 'class="flagged live"' not in views[-1] and 'class="flagged"' in views[-1]  # the final check replaces it


def test_live_marks_escape_the_model_text_and_keep_reasons_inside_their_attribute():
    from assistant.schema import SentenceCheck
    from assistant.ui.render import streaming_html
    from test_ui import tags_of

    text = 'Kuiper has 9,999 <b>satellites</b> in orbit [1]. It "will" launch'
    reason = 'figure 9,999 not in [1] "quoted" <b>'
    flagged = SentenceCheck('Kuiper has 9,999 <b>satellites</b> in orbit [1].', (1,), False, (reason,))
    tags = tags_of(streaming_html(text, checks=[flagged]))
    spans = [attrs for tag, attrs in tags if tag == "span" and attrs.get("class") == "flagged live"]
    assert len(spans) == 1 and spans[0]["title"] == reason
    assert not [tag for tag, _ in tags if tag in ("b", "script")]
