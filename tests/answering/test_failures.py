"""Failing services: a model endpoint that misbehaves in each way it can, and a Chroma server that stops and restarts.

The model endpoint is tests/misbehaving_llm.py, a real HTTP server on loopback (the one fake here: a real
endpoint cannot be made to fail on demand). Chroma is a real `chroma run` server (stopped, restarted or frozen
with SIGSTOP), and a loopback socket that takes connections and never answers. Each case runs under a
hang guard (a thread joined with a limit, or a subprocess timeout): a fault must end, never hang.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from assistant.app import build_assistant
from assistant.config import Settings
from assistant.errors import StoreError
from assistant.answering.llm import RetryPolicy, free_port, make_chat_model, stream_reply
from assistant.ui.chat import ChatHandlers
from conftest import _wait_http, write_article
from guards import HANG_LIMIT_S, bounded
from misbehaving_llm import PARTIAL, MisbehavingLLM

KUIPER = (
    "Amazon's Project Kuiper has launched 78 satellites of a planned constellation of 3,000 in low Earth orbit. "
    "The Pentagon approached the company about joining the Golden Dome missile defence shield, officials said. "
    "Golden Dome is estimated to cost $175 billion. "
)
QUESTION = "How many satellites has Project Kuiper launched?"
PARTIAL_TEXT = "".join(PARTIAL).strip()
FAST = {"llm_timeout_s": 2.0, "llm_max_retries": 2, "llm_backoff_s": 0.05, "llm_deadline_s": 20.0, "llm_model": "misbehaving"}


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_article(folder, "kuiper.md", "Pentagon courts Kuiper for Golden Dome", KUIPER * 4)
    write_article(folder, "b21.md", "B-21 first flight", "The B-21 Raider bomber flew for the first time on November 10, 2023, from Palmdale. " * 12)
    return folder


@pytest.fixture(scope="module")
def llm():
    with MisbehavingLLM(delay_s=30.0, trickle_s=0.1) as server:
        yield server


@pytest.fixture(scope="module")
def llm_assistant(tmp_path_factory, embeddings, llm):
    root = tmp_path_factory.mktemp("failures")
    assistant = build_assistant(Settings(index_dir=root / "index", llm_base_url=llm.base_url, **FAST), embeddings=embeddings)
    assistant.ingest([write_corpus(root / "articles")], progress=False)
    yield assistant
    assistant.close()


def assert_labelled_fallback(answer: Any) -> None:
    """The extractive answer, cited, with a notice saying the model failed and this replaces it."""
    assert answer.mode == "extractive"
    assert "The language model failed" in answer.notice and "extractive answer instead" in answer.notice
    assert "78 satellites" in answer.text and answer.citations
    assert answer.citations[0].passage.chunk.article_id == "kuiper"
    assert PARTIAL_TEXT not in answer.text


def test_healthy_endpoint_streams_a_cited_llm_answer(llm_assistant, llm):
    llm.set("healthy")
    events = bounded(lambda: list(llm_assistant.answerer.stream(QUESTION, mode="llm")))
    answer = events[-1].answer
    assert answer.mode == "llm" and not answer.notice
    assert len([e for e in events if e.kind == "token"]) > 3, "the answer should arrive as a stream of tokens"
    assert "78 satellites" in answer.text and "[1]" in answer.text
    assert answer.citations[0].passage.chunk.article_id == "kuiper"
    assert llm.requests == 1


# fault, what the notice must say, requests the endpoint sees (retries), whether tokens had streamed first
FAULTS = [
    ("error500", "answered HTTP 500", 3, False),
    ("slow", "timed out", 3, False),
    ("malformed", "not valid JSON", 1, False),
    ("cut", "connection to the model endpoint", 1, True),
    ("truncated", "before it was complete", 1, True),
    ("stall", "timed out", 1, True),
]


@pytest.mark.parametrize("mode,says,requests,partial", FAULTS, ids=[f[0] for f in FAULTS])
def test_each_fault_ends_in_the_labelled_extractive_answer(llm_assistant, llm, mode, says, requests, partial):
    llm.set(mode)
    events = bounded(lambda: list(llm_assistant.answerer.stream(QUESTION, mode="llm")))
    answer = events[-1].answer
    assert_labelled_fallback(answer)
    assert says in answer.notice
    assert llm.base_url in answer.notice, "the notice names the endpoint that failed"
    assert llm.requests == requests, "transient faults are retried llm_max_retries times, the others not at all"
    if requests > 1:
        assert f"tried {requests} times" in answer.notice
    kinds = [e.kind for e in events]
    if partial:
        # Tokens reached the user before the break: they are withdrawn, then the fallback streams.
        streamed = "".join(e.text for e in events[: kinds.index("reset")] if e.kind == "token")
        assert streamed.strip() == PARTIAL_TEXT
        assert "discarded" in answer.notice
        after = "".join(e.text for e in events[kinds.index("reset") :] if e.kind == "token")
        assert after == answer.text
    else:
        assert "reset" not in kinds


def test_a_model_that_never_finishes_is_stopped_by_the_deadline(llm_assistant, llm, monkeypatch):
    llm.set("trickle")  # a token every 0.1s, forever: no read timeout ever fires
    monkeypatch.setattr(llm_assistant.answerer, "retry", RetryPolicy(max_retries=2, backoff_s=0.05, deadline_s=2.0))
    answer = bounded(lambda: llm_assistant.answerer.ask(QUESTION, mode="llm"))
    assert_labelled_fallback(answer)
    assert "still writing after 2s" in answer.notice and "discarded" in answer.notice


def test_a_stopped_endpoint_is_retried_then_falls_back(llm_assistant, monkeypatch):
    gone = MisbehavingLLM().start()
    gone.stop()  # the port now refuses connections
    model = make_chat_model(llm_assistant.settings, base_url=gone.base_url)
    monkeypatch.setattr(llm_assistant.answerer, "_chat_model", model)
    answer = bounded(lambda: llm_assistant.answerer.ask(QUESTION, mode="llm"))
    assert_labelled_fallback(answer)
    assert f"the model endpoint {gone.base_url} could not be reached (tried 3 times)" in answer.notice


def test_retries_back_off_exponentially_and_a_transient_fault_recovers(llm_assistant, llm):
    policy = RetryPolicy(max_retries=3, backoff_s=0.05)
    assert [policy.delay(n) for n in range(6)] == [0.05, 0.1, 0.2, 0.4, 0.8, 1.6]
    assert RetryPolicy(backoff_s=1.0, max_backoff_s=8.0).delay(10) == 8.0

    llm.set("healthy", fail_first=2)  # two 500s, then a good reply
    waits: list[float] = []
    model = make_chat_model(llm_assistant.settings)
    messages = llm_assistant.answerer._messages(QUESTION, llm_assistant.retriever.retrieve(QUESTION))
    text = bounded(lambda: "".join(stream_reply(model, messages, policy, sleep=waits.append)))
    assert waits == [0.05, 0.1] and llm.requests == 3
    assert "78 satellites" in text and "[1]" in text

    llm.set("healthy", fail_first=2)
    answer = bounded(lambda: llm_assistant.answerer.ask(QUESTION, mode="llm"))
    assert answer.mode == "llm" and "78 satellites" in answer.text and not answer.notice


def _ui_messages(assistant: Any, question: str) -> list[str]:
    """Drive the chat handler as Gradio would; the assistant message as shown after each update."""
    handlers = ChatHandlers(assistant)

    def run() -> list[str]:
        outputs = handlers.respond(question, [], [], "", "", None, "", "llm", 6)
        return [html.unescape(str(out[1][-1]["content"])) for out in outputs if isinstance(out[1], list)]

    return bounded(run)


def _ui_answer(assistant: Any, question: str) -> str:
    return _ui_messages(assistant, question)[-1]


@pytest.mark.parametrize("mode", ["error500", "cut"])
def test_ui_shows_the_fallback_with_its_label(llm_assistant, llm, mode):
    llm.set(mode)
    messages = _ui_messages(llm_assistant, QUESTION)
    shown = messages[-1]
    assert "The language model failed" in shown and "extractive answer instead" in shown
    assert "78 satellites" in shown
    assert PARTIAL_TEXT not in shown, "the partial model text must not stand as the answer"
    if mode == "cut":  # the partial text did stream, then was withdrawn with the reason, before the fallback
        last_partial = max(i for i, m in enumerate(messages) if PARTIAL_TEXT in m)
        withdrawn = messages[last_partial + 1]
        assert PARTIAL_TEXT not in withdrawn and "discarded" in withdrawn


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, **env}
    environment.pop("OPENAI_API_KEY", None)
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], capture_output=True, text=True, env=environment, timeout=HANG_LIMIT_S * 2)


def test_cli_prints_the_labelled_fallback(llm_assistant, llm):
    llm.set("cut")
    env = {f"ASSISTANT_{k.upper()}": str(v) for k, v in FAST.items()}
    env.update(ASSISTANT_INDEX_DIR=str(llm_assistant.settings.index_dir), ASSISTANT_LLM_BASE_URL=llm.base_url)
    result = run_cli("ask", QUESTION, "--json", **env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["mode"] == "extractive" and "78 satellites" in data["answer"] and PARTIAL_TEXT not in data["answer"]
    assert "connection to the model endpoint" in data["notice"] and "extractive answer instead" in data["notice"]

    llm.set("error500")
    result = run_cli("ask", QUESTION, **env)
    assert result.returncode == 0, result.stderr
    assert "Note: The language model failed: the model endpoint" in result.stdout
    assert "answered HTTP 500" in result.stdout and "78 satellites" in result.stdout


# --- Chroma server stopped and restarted under a running app --------------------------------------


class ChromaServer:
    """`chroma run` on a fixed port and folder, so it can be stopped and started again in the same place."""

    def __init__(self, path: Path):
        self.path, self.port = path, free_port()
        self.proc: subprocess.Popen | None = None
        self.chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
        assert self.chroma, "the 'chroma' command (from the chromadb package) is not installed"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.chroma, "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        _wait_http(f"{self.url}/api/v2/heartbeat", self.proc)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None


@pytest.fixture
def chroma(tmp_path):
    server = ChromaServer(tmp_path / "chroma-data")
    server.start()
    yield server
    server.stop()


@pytest.mark.server
def test_chroma_stopped_then_restarted_under_a_running_app(tmp_path, embeddings, chroma):
    settings = Settings(chroma_url=chroma.url, index_dir=tmp_path / "unused")
    with build_assistant(settings, embeddings=embeddings) as assistant:
        assistant.ingest([write_corpus(tmp_path / "articles")], progress=False)
        first = bounded(lambda: assistant.answerer.ask(QUESTION))
        assert "78 satellites" in first.text and first.citations

        chroma.stop()
        with pytest.raises(StoreError, match=f"Chroma server at {chroma.url} cannot be reached.*check that it is running"):
            bounded(lambda: assistant.answerer.ask(QUESTION))
        shown = html.unescape(_ui_answer(assistant, QUESTION))
        assert 'role="alert"' in shown and f"Chroma server at {chroma.url} cannot be reached" in shown
        result = run_cli("ask", QUESTION, ASSISTANT_CHROMA_URL=chroma.url, ASSISTANT_INDEX_DIR=str(tmp_path / "unused"))
        assert result.returncode == 1
        assert f"error: the Chroma server at {chroma.url} cannot be reached" in result.stderr
        assert "Traceback" not in result.stderr

        chroma.start()  # same port, same folder; the app is not restarted
        again = bounded(lambda: assistant.answerer.ask(QUESTION))
        assert "78 satellites" in again.text and again.citations[0].passage.chunk.article_id == "kuiper"
        shown = html.unescape(_ui_answer(assistant, QUESTION))
        assert "78 satellites" in shown and 'role="alert"' not in shown


class SilentServer:
    """A TCP server on loopback that accepts every connection and never sends a byte: a hung Chroma server."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.held: list[socket.socket] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._accept, name="silent-server", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                self.held.append(self.sock.accept()[0])
            except TimeoutError:
                continue

    def __enter__(self) -> "SilentServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.thread.join(timeout=10)
        for conn in [*self.held, self.sock]:
            conn.close()


def test_a_chroma_server_that_never_answers_ends_in_a_clear_error(tmp_path, embeddings):
    with SilentServer() as silent:
        settings = Settings(chroma_url=silent.url, chroma_timeout_s=1.0, index_dir=tmp_path / "unused")
        expected = f"the Chroma server at {silent.url} did not answer within 1s .*check that it is running"
        with pytest.raises(StoreError, match=expected):
            bounded(lambda: build_assistant(settings, embeddings=embeddings), limit=60)
        assert silent.held, "the connection was accepted: a hang, not a refusal"


@pytest.mark.server
def test_a_chroma_server_that_hangs_under_a_running_app_ends_in_a_clear_error(tmp_path, embeddings, chroma):
    settings = Settings(chroma_url=chroma.url, chroma_timeout_s=5.0, index_dir=tmp_path / "unused")
    with build_assistant(settings, embeddings=embeddings) as assistant:
        assistant.ingest([write_corpus(tmp_path / "articles")], progress=False)
        assert "78 satellites" in bounded(lambda: assistant.answerer.ask(QUESTION)).text
        os.kill(chroma.proc.pid, signal.SIGSTOP)  # frozen: its port still takes connections, nothing answers
        try:
            with pytest.raises(StoreError, match=f"the Chroma server at {chroma.url} did not answer within 5s"):
                bounded(lambda: assistant.answerer.ask(QUESTION), limit=60)
            shown = html.unescape(_ui_answer(assistant, QUESTION))
            assert 'role="alert"' in shown and f"Chroma server at {chroma.url} did not answer" in shown
        finally:
            os.kill(chroma.proc.pid, signal.SIGCONT)
        again = bounded(lambda: assistant.answerer.ask(QUESTION))
        assert "78 satellites" in again.text and again.citations[0].passage.chunk.article_id == "kuiper"


def test_an_endpoint_that_echoes_the_api_key_never_gets_it_shown_or_logged(tmp_path, embeddings, caplog):
    secret = "sk-test-Echoed0123456789abcdef"
    folder = tmp_path / "articles"
    folder.mkdir()
    write_article(folder, "a.md", "Army buys interceptors", "The Army bought 870 PAC-3 MSE interceptors for $4.5 billion on June 28.")
    with MisbehavingLLM("badkey") as llm:
        settings = Settings(index_dir=tmp_path / "index", llm_base_url=llm.base_url, llm_api_key=secret, llm_max_retries=0)
        with build_assistant(settings, embeddings=embeddings) as assistant, caplog.at_level("DEBUG"):
            assistant.ingest([folder], progress=False)
            answer = assistant.answerer.ask("How many interceptors did the Army buy?")
    assert answer.mode == "extractive" and "401" in answer.notice
    assert "[redacted]" in answer.notice
    assert secret not in answer.notice and secret[8:] not in caplog.text

