"""Failing services, N times each: a model endpoint that misbehaves, a Chroma server that stops and restarts.

    .venv/bin/python eval/reliability/services.py --runs 3

Every LLM fault must end in the extractive answer labelled as a fallback (with any partial model text
withdrawn); a stopped Chroma server must give a clear error; a restarted one must answer again without
restarting the app. Each run is bounded by a hang guard. Writes eval/reliability/results/services.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

for _name, _value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"), ("ANONYMIZED_TELEMETRY", "False"),
                      ("GRADIO_ANALYTICS_ENABLED", "False"), ("TOKENIZERS_PARALLELISM", "false")):
    os.environ.setdefault(_name, _value)

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from assistant.app import build_assistant  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.encoders.embeddings import LocalEmbeddings  # noqa: E402
from assistant.errors import StoreError  # noqa: E402
from misbehaving_llm import PARTIAL, MisbehavingLLM  # noqa: E402
from test_failures import QUESTION, ChromaServer, write_corpus  # noqa: E402

OUT = ROOT / "eval" / "reliability" / "results" / "services.json"
HANG_LIMIT_S = 120.0
LLM = {"llm_timeout_s": 2.0, "llm_max_retries": 2, "llm_backoff_s": 0.25, "llm_deadline_s": 10.0, "llm_model": "misbehaving"}
# fault label -> server mode ("stopped" = nothing listening), and what must be true of the answer
LLM_FAULTS = {
    "LLM endpoint stopped (connection refused)": "stopped",
    "LLM answers HTTP 500": "error500",
    "LLM answers slower than the timeout": "slow",
    "LLM returns malformed JSON": "malformed",
    "LLM stream cut half-way (connection dropped)": "cut",
    "LLM stream ends without finishing": "truncated",
    "LLM stream stalls half-way": "stall",
    "LLM stream never finishes (deadline)": "trickle",
    "LLM answers 500 twice, then well (retry recovers)": "flaky",
}


def bounded(fn: Callable[[], Any]) -> tuple[Any, float]:
    """(result or exception, seconds); a run still going after HANG_LIMIT_S counts as a hang."""
    outcome: dict[str, Any] = {}
    started = time.perf_counter()
    worker = threading.Thread(target=lambda: outcome.update(value=_catch(fn)), daemon=True)
    worker.start()
    worker.join(HANG_LIMIT_S)
    seconds = time.perf_counter() - started
    return (outcome["value"] if "value" in outcome else TimeoutError(f"hung for {HANG_LIMIT_S:g}s")), seconds


def _catch(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except Exception as exc:  # recorded as the run's outcome
        return exc


def judge_llm(mode: str, answer: Any) -> tuple[bool, str]:
    if isinstance(answer, Exception):
        return False, f"{type(answer).__name__}: {answer}"
    if mode == "flaky":
        return answer.mode == "llm" and bool(answer.citations) and not answer.notice, f"{answer.mode} answer after retries"
    ok = (answer.mode == "extractive" and "The language model failed" in answer.notice
          and "extractive answer instead" in answer.notice and bool(answer.citations)
          and "".join(PARTIAL).strip() not in answer.text)
    return ok, f"extractive fallback: {answer.notice}"


def run_llm(assistants: dict[str, Any], server: MisbehavingLLM, gone_url: str, runs: int) -> list[dict[str, Any]]:
    """`assistants`: one app on the misbehaving server ("live"), one on a port where nothing listens ("stopped")."""
    rows = []
    for label, mode in LLM_FAULTS.items():
        ok, worst, outcome = 0, 0.0, ""
        assistant = assistants["stopped" if mode == "stopped" else "live"]
        for _ in range(runs):
            if mode == "flaky":
                server.set("healthy", fail_first=2)
            elif mode != "stopped":
                server.set(mode)
            answer, seconds = bounded(lambda: assistant.answerer.ask(QUESTION, mode="llm"))
            good, outcome = judge_llm(mode, answer)
            ok += good
            worst = max(worst, seconds)
        rows.append({"fault": label, "tried": runs, "ok": ok, "outcome": outcome.replace(server.base_url, "URL").replace(gone_url, "URL"),
                     "worst_s": round(worst, 2)})
        print(f"{label}: {ok}/{runs}, worst {worst:.2f}s", file=sys.stderr)
    return rows


def run_chroma(embeddings: Any, root: Path, runs: int) -> list[dict[str, Any]]:
    chroma = ChromaServer(root / "chroma-data")
    chroma.start()
    stopped = {"ok": 0, "worst": 0.0, "outcome": ""}
    restarted = {"ok": 0, "worst": 0.0, "outcome": ""}
    try:
        with build_assistant(Settings(chroma_url=chroma.url, index_dir=root / "unused"), embeddings=embeddings) as assistant:
            assistant.ingest([write_corpus(root / "chroma-articles")], progress=False)
            assistant.answerer.ask(QUESTION)
            for _ in range(runs):
                chroma.stop()
                error, seconds = bounded(lambda: assistant.answerer.ask(QUESTION))
                good = isinstance(error, StoreError) and "cannot be reached" in str(error)
                stopped["ok"] += good
                stopped["worst"] = max(stopped["worst"], seconds)
                stopped["outcome"] = f"{type(error).__name__}: {error}".replace(chroma.url, "URL")
                chroma.start()
                answer, seconds = bounded(lambda: assistant.answerer.ask(QUESTION))
                good = not isinstance(answer, Exception) and "78 satellites" in answer.text and bool(answer.citations)
                restarted["ok"] += good
                restarted["worst"] = max(restarted["worst"], seconds)
                restarted["outcome"] = "answered with citations, same app" if good else f"{answer!r}"
    finally:
        chroma.stop()
    return [
        {"fault": "Chroma server stopped during a session", "tried": runs, "ok": stopped["ok"], "outcome": stopped["outcome"],
         "worst_s": round(stopped["worst"], 2)},
        {"fault": "Chroma server restarted (same port and folder)", "tried": runs, "ok": restarted["ok"],
         "outcome": restarted["outcome"], "worst_s": round(restarted["worst"], 2)},
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="times each fault is tried")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    embeddings = LocalEmbeddings()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        gone = MisbehavingLLM().start()
        gone.stop()  # a port that refuses connections
        with MisbehavingLLM(delay_s=30.0, trickle_s=0.1) as server:
            live = build_assistant(Settings(index_dir=root / "index", llm_base_url=server.base_url, **LLM), embeddings=embeddings)
            live.ingest([write_corpus(root / "articles")], progress=False)
            stopped = build_assistant(Settings(index_dir=root / "index", llm_base_url=gone.base_url, **LLM), embeddings=embeddings)
            for app in (live, stopped):  # loads the models and indexes first: the figures time the faults only
                app.answerer.ask(QUESTION, mode="extractive")
            import langchain_openai  # noqa: F401 - its first import takes seconds, which no fault should be charged
            rows = run_llm({"live": live, "stopped": stopped}, server, gone.base_url, args.runs)
            live.close()
            stopped.close()
        rows += run_chroma(embeddings, root, args.runs)
    figures = {f"worst_s: {row['fault']}": row.pop("worst_s") for row in rows}
    result = {
        "section": "Failing services (LLM endpoint, Chroma server)",
        "command": f".venv/bin/python eval/reliability/services.py --runs {args.runs}",
        "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "rows": rows,
        "figures": figures,
        "notes": [
            "LLM faults come from tests/misbehaving_llm.py, a real OpenAI-compatible server on loopback; Chroma is a real `chroma run`.",
            f"LLM settings: timeout {LLM['llm_timeout_s']}s (connect and between chunks), {LLM['llm_max_retries']} retries "
            f"with backoff {LLM['llm_backoff_s']}s doubling, deadline {LLM['llm_deadline_s']}s per answer.",
            "ok = the labelled extractive fallback with no partial model text (LLM), a 'cannot be reached' error (Chroma "
            "stopped), or a cited answer from the same app after the restart (Chroma restarted).",
            "Retried: connection refused, timeouts, HTTP 5xx/408/429, before any token; not retried: malformed replies and "
            "breaks after tokens were shown (those are withdrawn and replaced by the fallback).",
            f"Worst-case seconds include retrieval and the extractive answer; a run over {HANG_LIMIT_S:g}s counts as a hang.",
        ],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0 if all(row["ok"] == row["tried"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
