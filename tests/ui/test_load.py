"""A short load run against the served app: concurrent chat clients while uploads index into the same index.
(The full run, 20 clients for 60 s, is eval/reliability/load.py; its figures go to eval/reliability/results/load.json.)"""

from __future__ import annotations

import importlib.util
import sys

import httpx
import pytest

from assistant.app import build_assistant
from assistant.config import Settings
from ui_support import KUIPER_QUESTION, ROOT, ServerProcess, write_articles

pytestmark = pytest.mark.slow

_spec = importlib.util.spec_from_file_location("reliability_load", ROOT / "eval" / "reliability" / "load.py")
load = sys.modules.setdefault("reliability_load", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(load)

QUESTIONS = [KUIPER_QUESTION, "How many PAC-3 MSE interceptors did the Army order?", "What did Finland buy for high-altitude air defence?",
             "How much is the David's Sling purchase worth?", "What is the range of the Kuiper satellites' lasers?"]


def test_concurrent_questions_during_uploads_all_succeed(tmp_path, embeddings):
    with build_assistant(Settings(index_dir=tmp_path / "index"), embeddings=embeddings) as assistant:
        assert assistant.ingest([write_articles(tmp_path / "articles")], progress=False).articles == 3
    server = ServerProcess(tmp_path / "server.log", index_dir=tmp_path / "index", upload_dir=tmp_path / "uploads",
                           feedback_path=tmp_path / "fb.jsonl").wait()
    try:
        figures = load.run_load(server.url, QUESTIONS, clients=4, seconds=10, upload_every_s=1.0)
        assert figures["errors"] == 0, figures["error_samples"]
        assert figures["upload_errors"] == 0, figures["upload_error_samples"]
        assert figures["requests"] >= 4 and figures["uploads"] >= 1
        assert figures["answered"] >= 1 and figures["answered"] + figures["abstained"] == figures["requests"]
        with httpx.Client(timeout=120) as client:  # what was uploaded under load is answerable afterwards
            out = load.gradio_call(client, server.url, "ask", load.ask_args("How many Loadtest-0 surveillance drones did the Navy order?"))
        assert load.answer_kind(out) == "answered" and "100" in load.shown_html(out)
        assert sorted(p.name for p in (tmp_path / "uploads").iterdir())[0] == "load-extra-0.md"
    finally:
        server.close()
