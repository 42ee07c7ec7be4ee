"""`assistant watch --once` killed with SIGKILL while it fetches a feed's pages, then run again: the index equals
a clean ingest of the same articles. Real subprocesses, a real loopback server, real Chroma folders.

The server itself kills the watch process when it is asked for the k-th page, so where the kill lands does
not depend on the machine's speed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from conftest import ROOT, load_reliability
from web_support import WebServer, html_page, rss, start

PAGES = 8


def _body(n: int) -> str:
    return (f"Contract notice {n}: the Defense Logistics Agency awarded {n * 7} million dollars for spare parts to "
            f"supplier number {n}, with work expected to be completed by {2026 + n % 3}. ") * 6


def _watch(url: str, index, web_dir) -> subprocess.Popen:
    env = {**os.environ, "ASSISTANT_INDEX_DIR": str(index), "ASSISTANT_WEB_DIR": str(web_dir), "ASSISTANT_FETCH_DELAY_S": "0",
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    return subprocess.Popen([sys.executable, "-m", "assistant.cli", "watch", url, "--once"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
@pytest.mark.parametrize("kill_at", [3, PAGES])
def test_watch_killed_mid_fetch_then_rerun_matches_a_clean_ingest(tmp_path, kill_at):
    kill_trials = load_reliability("kill_trials")
    state = WebServer()
    victim: list[subprocess.Popen] = []
    served = {"pages": 0}

    def page(n: int):
        def serve():
            served["pages"] += 1
            if served["pages"] == kill_at and victim:
                victim[0].send_signal(signal.SIGKILL)
            return 200, {"Content-Type": "text/html"}, html_page(f"Spare parts contract number {n}", _body(n), f"2025-07-{n + 1:02d}")
        return serve

    for n in range(1, PAGES + 1):
        state.routes[f"/c/{n}.html"] = page(n)
    httpd, _ = start(state)
    try:
        items = [(f"guid-{n}", state.url(f"/c/{n}.html"), f"Spare parts contract number {n}", f"2025-07-{n + 1:02d}")
                 for n in range(1, PAGES + 1)]
        state.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss("Contracts", items))
        feed, web_dir = state.url("/feed.xml"), tmp_path / "web"
        proc = _watch(feed, tmp_path / "index", web_dir)
        victim.append(proc)
        proc.communicate(timeout=600)
        assert proc.returncode == -signal.SIGKILL
        victim.clear()
        again = _watch(feed, tmp_path / "index", web_dir)
        out, err = again.communicate(timeout=600)
        assert again.returncode == 0, err
        assert f"{PAGES} articles indexed, 0 failed" in out, out
        clean = _watch(feed, tmp_path / "clean-index", web_dir)  # the same kept articles into an empty index
        out, err = clean.communicate(timeout=600)
        assert clean.returncode == 0 and "nothing changed" not in out, (out, err)
    finally:
        httpd.shutdown()
        httpd.server_close()
    ref = kill_trials.inspect(tmp_path / "clean-index")
    got = kill_trials.inspect(tmp_path / "index")
    assert ref["count"] >= PAGES
    assert kill_trials.compare(ref, got) == []
