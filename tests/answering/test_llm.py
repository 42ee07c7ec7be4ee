"""The `llm` mode against a real llama.cpp server on loopback serving the bundled SmolLM2."""

from __future__ import annotations

from assistant.answering.model_reply import parse_markers
from assistant.config import Settings
from conftest import write_article

KUIPER = (
    "Amazon's Project Kuiper has launched 78 satellites of a planned constellation of 3,000 in low Earth orbit. "
    "The Pentagon approached the company about joining the Golden Dome missile defence shield, officials said. "
    "Golden Dome is estimated to cost $175 billion. SpaceX has deployed more than 9,000 Starlink satellites. "
)


def test_parse_markers_keeps_given_passages_and_drops_others():
    text, cited, dropped = parse_markers("Kuiper launched 78 satellites [1]. It costs $175 billion [2, 7]. Odd [0].", 3)
    assert cited == {1, 2}
    assert dropped == ["[7]", "[0]"]
    assert text == "Kuiper launched 78 satellites [1]. It costs $175 billion [2]. Odd."


def test_llm_answer_streams_and_cites_only_given_passages(make_assistant, tmp_path, llm_server):
    folder = tmp_path / "c"
    folder.mkdir()
    write_article(folder, "kuiper.md", "Pentagon courts Kuiper for Golden Dome", KUIPER * 3)
    write_article(folder, "b21.md", "B-21 first flight", "The B-21 Raider bomber flew for the first time on November 10, 2023, from Palmdale. " * 12)
    assistant = make_assistant(llm_base_url=llm_server.base_url, llm_model="smollm2-135m-instruct", llm_max_tokens=120)
    assistant.ingest([folder], progress=False)
    assert assistant.settings.resolved_mode() == "llm"

    events = list(assistant.answerer.stream("How many satellites has Project Kuiper launched?", k=2))
    tokens = [e for e in events if e.kind == "token"]
    answer = events[-1].answer
    assert answer is not None and answer.mode == "llm"
    assert len(tokens) > 3, "the answer should arrive as a stream of tokens"
    assert "".join(t.text for t in tokens).strip()
    # Whatever the small model wrote, every kept marker points at a passage that was given to it.
    given = {p.rank for p in answer.passages}
    assert {c.n for c in answer.citations} <= given
    for marker in answer.dropped_markers:
        assert marker not in answer.text
    assert answer.timings_ms["generation"] > 0


def test_llm_failure_falls_back_to_extractive(make_assistant, tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    write_article(folder, "kuiper.md", "Pentagon courts Kuiper for Golden Dome", KUIPER * 3)
    # Nothing listens on port 9 of loopback: a real connection failure, not a fake.
    assistant = make_assistant(llm_base_url="http://127.0.0.1:9/v1", llm_max_retries=0, llm_timeout_s=5)
    assistant.ingest([folder], progress=False)
    answer = assistant.answerer.ask("How much is Golden Dome estimated to cost?")
    assert answer.mode == "extractive"
    assert "could not be reached" in answer.notice
    assert "175 billion" in answer.text and answer.citations


def test_local_flag_builds_the_bundled_model(tmp_path, embeddings):
    from assistant.app import build_assistant

    with build_assistant(Settings(index_dir=tmp_path / "i", llm_local=True), embeddings=embeddings) as assistant:
        folder = tmp_path / "c"
        folder.mkdir()
        write_article(folder, "kuiper.md", "Pentagon courts Kuiper for Golden Dome", KUIPER * 3)
        assistant.ingest([folder], progress=False)
        answer = assistant.answerer.ask("What does Golden Dome cost?", k=1)
        assert answer.mode == "llm" and answer.text


def test_local_model_server_ends_when_its_app_is_killed(tmp_path):
    """A SIGKILLed app must not leave the llama.cpp server running (it would hold memory and a port)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    script = (
        "from assistant.answering.llm import LocalLLMServer\n"
        "import sys, time\n"
        "s = LocalLLMServer().start()\n"
        "print(s.process.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    app = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    child = int(app.stdout.readline())
    os.kill(app.pid, signal.SIGKILL)
    app.wait(timeout=10)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return
        # a zombie (already exited, not yet reaped by init) also counts as ended
        with open(f"/proc/{child}/stat") as stat:
            if stat.read().split()[2] == "Z":
                return
        time.sleep(0.3)
    os.kill(child, signal.SIGKILL)
    raise AssertionError("the model server outlived the app that started it")
