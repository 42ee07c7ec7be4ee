"""Security of the login and of secrets: the optional login blocks every API route, and the API key and password
reach no log, page or message, even from an endpoint that echoes the key in its error."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from assistant.app import build_assistant
from assistant.config import Settings
from security_support import load
from ui_support import KUIPER_QUESTION, ROOT, ServerProcess, free_loopback_port, server_env, write_articles


@pytest.fixture(scope="module")
def served_index(tmp_path_factory, embeddings) -> Path:
    """A real index of the small article set, for the servers and commands the login test starts."""
    root = tmp_path_factory.mktemp("login")
    with build_assistant(Settings(index_dir=root / "index"), embeddings=embeddings) as assistant:
        report = assistant.ingest([write_articles(root / "articles")], progress=False)
        assert report.articles and not report.errors, report.summary()
    return root / "index"


@pytest.mark.slow
def test_login_blocks_the_api_and_secrets_never_reach_logs_or_messages(served_index, tmp_path):
    key, password = f"sk-test-SECRET-{uuid.uuid4().hex}", f"pw-SECRET-{uuid.uuid4().hex}"
    dead_llm = f"http://127.0.0.1:{free_loopback_port()}/v1"  # nothing listens there
    index = served_index
    secrets = dict(llm_api_key=key, auth_password=password, llm_base_url=dead_llm, llm_max_retries=1, llm_backoff_s=0.1, llm_timeout_s=5)
    proc = ServerProcess(tmp_path / "server.log", index_dir=index, upload_dir=tmp_path / "uploads", feedback_path=tmp_path / "fb.jsonl",
                         auth_user="analyst", **secrets).wait()
    try:
        base = proc.url
        with httpx.Client(timeout=60) as anonymous:
            refused = {
                "config": anonymous.get(base + "config").status_code,
                "info": anonymous.get(base + "gradio_api/info").status_code,
                "call": anonymous.post(base + "gradio_api/call/ask", json={"data": load.ask_args(KUIPER_QUESTION)}).status_code,
                "queue": anonymous.post(base + "gradio_api/queue/join", json={"data": load.ask_args(KUIPER_QUESTION), "fn_index": 0,
                                                                                "session_hash": "x"}).status_code,
                "upload": anonymous.post(base + "gradio_api/upload", files=[("files", ("a.md", b"x", "text/markdown"))]).status_code,
                "file": anonymous.get(base + f"gradio_api/file={ROOT / 'README.md'}").status_code,
            }
            assert all(code in (401, 403) for code in refused.values()), refused
            bad = anonymous.post(base + "login", data={"username": "analyst", "password": password + "x"})
            assert bad.status_code in (400, 401) and password not in bad.text
        with httpx.Client(timeout=120) as user:
            assert user.post(base + "login", data={"username": "analyst", "password": password}).status_code == 200
            out = load.gradio_call(user, base, "ask", load.ask_args(KUIPER_QUESTION, mode="extractive"))
            assert load.answer_kind(out) == "answered" and "78" in load.shown_html(out)
            out = load.gradio_call(user, base, "ask", load.ask_args(KUIPER_QUESTION, mode="llm"))
            shown = load.shown_html(out)
            assert "language model failed" in shown and "78" in shown  # fell back to the extractive answer, said so
            assert key not in shown and password not in shown
    finally:
        proc.close()
    texts = {"serve log": proc.log_path.read_text(encoding="utf-8", errors="replace")}
    assert "language model failed" in texts["serve log"] or "could not be reached" in texts["serve log"]

    env = server_env(index_dir=index, **secrets)
    cli = [sys.executable, "-m", "assistant.cli", "-v"]
    runs = {
        "ask --json": cli + ["ask", "--mode", "llm", "--json", KUIPER_QUESTION],
        "serve without user": cli + ["serve", "--port", str(free_loopback_port())],
    }
    for label, argv in runs.items():
        done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        texts[label] = done.stdout + done.stderr
        if label.startswith("ask"):
            assert done.returncode == 0 and "78" in done.stdout, texts[label][-2000:]
        else:
            assert done.returncode == 1 and "ASSISTANT_AUTH_USER" in done.stderr, texts[label][-2000:]
    bad_settings = dict(env, ASSISTANT_LLM_TIMEOUT_S="-1", ASSISTANT_PORT="not-a-port")
    done = subprocess.run(cli + ["ask", KUIPER_QUESTION], cwd=ROOT, env=bad_settings, capture_output=True, text=True, timeout=120)
    texts["bad settings"] = done.stdout + done.stderr
    assert done.returncode != 0 and "invalid settings" in done.stderr
    for label, text in texts.items():
        assert key not in text and key[len("sk-test-"):] not in text, f"the API key appears in {label}"
        assert password not in text, f"the login password appears in {label}"


def test_an_endpoint_echoing_the_api_key_does_not_put_it_on_the_page(make_assistant, tmp_path):
    """A fake endpoint is used because the failure (a proxy that echoes the Authorization header in its 401 error,
    as some OpenAI-compatible gateways do) cannot be produced with the real servers here."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from assistant.ui.chat import ChatHandlers

    class Echo(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            key = self.headers.get("Authorization", "").split()[-1]
            body = json.dumps({"error": {"message": f"Incorrect API key provided: {key}", "type": "invalid_request_error"}}).encode()
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    key = f"sk-test-SECRET-{uuid.uuid4().hex}"
    server = HTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assistant = make_assistant(**{"ASSISTANT_LLM_API_KEY": key}, llm_base_url=f"http://127.0.0.1:{server.server_address[1]}/v1",
                                   llm_max_retries=0, feedback_path=tmp_path / "fb.jsonl")
        assistant.ingest([write_articles(tmp_path / "articles")], progress=False)
        outputs = list(ChatHandlers(assistant).respond(KUIPER_QUESTION, [], [], "", "", None, "", "llm", 6))
    finally:
        server.shutdown()
        server.server_close()
    html, markdown = outputs[-1][1][-1]["content"], outputs[-1][3]
    assert "HTTP 401" in html and "[redacted]" in html and "78" in html  # the failure is explained, the fallback answers
    assert key not in html and key not in markdown
