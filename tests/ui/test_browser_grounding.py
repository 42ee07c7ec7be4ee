"""The grounding check as a reader sees it: a model answer with a changed figure, in a real browser.

The local SmolLM2 errs at random, so the deterministic case comes from the loopback server that changes one
figure on purpose ("$175 billion" -> "$175.5 billion"); the app, the checker and the browser are the real ones.
"""

from __future__ import annotations

import threading

import pytest

from misbehaving_llm import MisbehavingLLM
from test_browser import Session
from ui_support import DONE, ServerProcess, build_index, write_articles

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUESTION = "What role might Amazon's Project Kuiper play in Golden Dome?"


@pytest.fixture(scope="module")
def altered_llm():
    with MisbehavingLLM("altered") as llm:
        yield llm


@pytest.fixture(scope="module")
def index(tmp_path_factory, embeddings):
    root = tmp_path_factory.mktemp("grounding-ui")
    return build_index(root, embeddings, write_articles(root / "articles"))


def _serve(tmp_path, index, llm: MisbehavingLLM, grounding: str) -> ServerProcess:
    return ServerProcess(
        tmp_path / "server.log", index_dir=index, upload_dir=tmp_path / "uploads", feedback_path=tmp_path / "feedback.jsonl",
        llm_base_url=llm.base_url, llm_model="misbehaving", llm_api_key="sk-test-not-a-real-key", grounding=grounding,
    ).wait()


def test_a_changed_figure_is_marked_in_the_answer_with_its_reason(browser, tmp_path, index, altered_llm):
    server = _serve(tmp_path, index, altered_llm, "flag")
    tab = Session(browser, server.url)
    try:
        answer = tab.ask(QUESTION)
        marked = answer.locator(".answer-text .flagged")
        assert marked.count() == 1 and marked.first.is_visible()
        assert "175.5 billion" in marked.first.inner_text()
        assert "175.5" in (marked.first.get_attribute("title") or "")
        reasons = answer.locator(".flags").inner_text()
        assert "175.5" in reasons and "[1]" in reasons, reasons
        assert tab.dialogs == [] and tab.remote_requests() == []
    finally:
        tab.close()
        server.close()


def test_strict_mode_removes_the_sentence_and_shows_what_was_removed(browser, tmp_path, index, altered_llm):
    server = _serve(tmp_path, index, altered_llm, "strict")
    tab = Session(browser, server.url)
    try:
        answer = tab.ask(QUESTION)
        text = answer.locator(".answer-text").inner_text()
        assert "175.5" not in text  # the unsupported sentence is gone from the answer itself
        assert "175 billion" in text  # and the extractive answer stands in its place, cited
        assert answer.locator("a.cite").count() >= 1
        removed = answer.locator(".flags").inner_text()
        assert "175.5" in removed and "removed" in removed, removed
        assert "extractive answer instead" in answer.inner_text()
    finally:
        tab.close()
        server.close()


def test_a_changed_figure_is_marked_live_while_the_model_is_still_writing(browser, tmp_path, index):
    """The model pauses after the first word of its second sentence (a gate, not a timer): the first sentence is
    already marked, with its reason, in the half-written answer; the final check then takes over."""
    with MisbehavingLLM("mixed") as llm:
        llm.gate = threading.Event()
        server = _serve(tmp_path, index, llm, "flag")
        tab = Session(browser, server.url)
        try:
            box = tab.page.locator("#question").locator("textarea, input").first
            box.fill(QUESTION)
            box.press("Enter")
            live = tab.page.locator("#chat .answer.streaming .answer-text .flagged.live")
            live.first.wait_for(state="visible", timeout=60_000)
            assert "175.5 billion" in live.first.inner_text()
            assert "175.5" in (live.first.get_attribute("title") or "")
            assert "175.5" in tab.page.locator("#chat .answer.streaming .flags.live").inner_text()
            assert tab.page.locator(DONE).count() == 0  # the answer is still being written
            llm.gate.set()
            tab.page.wait_for_function(f"document.querySelectorAll({DONE!r}).length > 0", timeout=60_000)
            answer = tab.page.locator("#chat .answer").last
            assert answer.locator(".flagged.live").count() == 0 and answer.locator(".answer-text .flagged").count() == 1
            assert "175.5" in answer.locator(".flags").inner_text()
            assert tab.dialogs == [] and tab.remote_requests() == []
        finally:
            tab.close()
            server.close()
