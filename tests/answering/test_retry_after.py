"""An endpoint that answers 429 or 503 with `Retry-After`: the retry waits what it asked, never past the deadline.

The endpoint is tests/misbehaving_llm.py on loopback (a real endpoint cannot be made to rate-limit on demand);
the client is the project's own `ChatOpenAI`. The retry's sleep is recorded instead of slept where the test is
about the wait chosen, so nothing here depends on the clock.
"""

from __future__ import annotations

import email.utils
import logging
import time

import pytest

from assistant.config import Settings
from assistant.errors import LLMError
from assistant.answering.llm import RetryPolicy, make_chat_model, parse_retry_after, stream_reply
from conftest import write_article
from guards import bounded
from misbehaving_llm import MisbehavingLLM, cited_answer

QUESTION = "How many satellites has Project Kuiper launched?"
MESSAGES = [{"role": "user", "content": QUESTION}]
POLICY = RetryPolicy(max_retries=2, backoff_s=0.05, deadline_s=20.0)


@pytest.fixture(scope="module")
def llm():
    with MisbehavingLLM() as server:
        yield server


def reply(llm: MisbehavingLLM, policy: RetryPolicy = POLICY) -> tuple[str, list[float]]:
    """One reply through `stream_reply`, and the waits the retry chose (recorded, not slept)."""
    waits: list[float] = []
    model = make_chat_model(Settings(llm_base_url=llm.base_url, llm_model="misbehaving", llm_timeout_s=5.0))
    text = bounded(lambda: "".join(stream_reply(model, MESSAGES, policy, sleep=waits.append)))
    return text, waits


def test_retry_after_is_read_as_seconds_or_an_http_date():
    now = time.time()
    assert parse_retry_after("7", now) == 7.0
    assert parse_retry_after(" 2.5 ", now) == 2.5
    in_two_minutes = email.utils.formatdate(int(now) + 120, usegmt=True)
    assert parse_retry_after(in_two_minutes, int(now)) == 120.0
    assert parse_retry_after(email.utils.formatdate(now - 60, usegmt=True), now) == 0.0, "a past date: retry now"
    for unreadable in ("", "soon", "-3", "nan"):
        assert parse_retry_after(unreadable, now) is None, unreadable


@pytest.mark.parametrize("mode,status", [("ratelimited", 429), ("overloaded", 503)])
def test_the_retry_waits_as_long_as_the_endpoint_asks(llm, mode, status, caplog):
    llm.set(mode, fail_first=2, retry_after="3")
    with caplog.at_level(logging.WARNING, logger="assistant.answering.llm"):
        text, waits = reply(llm)
    assert waits == [3.0, 3.0], "the server's Retry-After, not the policy's backoff of 0.05s and 0.1s"
    assert llm.requests == 3
    assert text == cited_answer(MESSAGES)
    warned = [r.getMessage() for r in caplog.records if f"HTTP {status}" in r.getMessage()]
    assert len(warned) == 2 and all("retrying in 3.00s as the endpoint asked (Retry-After)" in m for m in warned)


def test_a_retry_after_given_as_a_date_is_waited_until_that_date(llm):
    llm.set("ratelimited", fail_first=1, retry_after=email.utils.formatdate(time.time() + 10, usegmt=True))
    text, waits = reply(llm)
    assert len(waits) == 1 and 5.0 < waits[0] <= 10.0, f"waited {waits} for a date 10s ahead"
    assert llm.requests == 2 and text == cited_answer(MESSAGES)


def test_an_unreadable_retry_after_falls_back_to_the_backoff(llm):
    llm.set("ratelimited", fail_first=2, retry_after="whenever")
    text, waits = reply(llm)
    assert waits == [0.05, 0.1] and text == cited_answer(MESSAGES)


def test_a_retry_after_beyond_the_deadline_gives_up_at_once_and_says_why(llm):
    llm.set("ratelimited", fail_first=5, retry_after="600")
    with pytest.raises(LLMError) as failure:
        reply(llm)
    message = str(failure.value)
    assert "answered HTTP 429" in message and llm.base_url in message
    assert "asked to be retried after 600s (Retry-After), later than the 20s allowed for one answer" in message
    assert llm.requests == 1, "no retry was made: the wait asked for would cross the deadline"


def test_the_answer_names_the_wait_when_it_falls_back(llm, make_assistant, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    body = "Amazon's Project Kuiper has launched 78 satellites of a planned constellation of 3,000 in low Earth orbit. "
    write_article(folder, "kuiper.md", "Pentagon courts Kuiper for Golden Dome", body * 4)
    assistant = make_assistant(
        llm_base_url=llm.base_url, llm_model="misbehaving", llm_deadline_s=30.0, llm_backoff_s=0.05
    )
    assistant.ingest([folder], progress=False)

    llm.set("overloaded", fail_first=5, retry_after="3600")
    answer = bounded(lambda: assistant.answerer.ask(QUESTION, mode="llm"))
    assert answer.mode == "extractive" and "78 satellites" in answer.text
    assert "The language model failed" in answer.notice and "answered HTTP 503" in answer.notice
    assert "asked to be retried after 3600s (Retry-After), later than the 30s allowed" in answer.notice
    assert llm.requests == 1

    llm.set("overloaded", fail_first=1, retry_after="1")  # a real one-second wait, then the model answers
    answer = bounded(lambda: assistant.answerer.ask(QUESTION, mode="llm"))
    assert answer.mode == "llm" and not answer.notice and "78 satellites" in answer.text
    assert llm.requests == 2
