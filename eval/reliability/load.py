"""Load: `assistant serve` on loopback over the bundled corpus, N concurrent chat clients asking questions from
eval/sets/bundled.jsonl in a loop (each reading the whole streamed answer through the Gradio queue API the UI
uses), while articles are uploaded into the same index through the UI's upload API.

    .venv/bin/python eval/reliability/load.py                      # 20 clients, 60 s -> results/load.json
    .venv/bin/python eval/reliability/load.py --clients 4 --seconds 10 --out /tmp/load.json

Every request goes to 127.0.0.1 only; the loops stop by themselves after --seconds (in-flight answers finish).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ROOT / "eval" / "sets" / "bundled.jsonl"
RESULTS = Path(__file__).resolve().parent / "results"
REQUEST_TIMEOUT_S = 300.0
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from ui_support import ServerProcess, server_env  # noqa: E402  (the one way this project starts a served app)


class CallError(RuntimeError):
    """One Gradio API call that did not complete."""


def gradio_call(client: httpx.Client, base: str, api: str, data: list[Any]) -> list[Any]:
    """POST /gradio_api/call/<api>, then read its event stream to the end; returns the final output values."""
    response = client.post(f"{base}gradio_api/call/{api}", json={"data": data})
    if response.status_code != 200:
        raise CallError(f"{api}: HTTP {response.status_code} {response.text[:200]}")
    event_id = response.json()["event_id"]
    event, last = "", None
    with client.stream("GET", f"{base}gradio_api/call/{api}/{event_id}") as stream:
        if stream.status_code != 200:
            raise CallError(f"{api}: stream HTTP {stream.status_code}")
        for line in stream.iter_lines():
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:"):
                payload = line[5:].strip()
                if event == "error":
                    raise CallError(f"{api}: error event {payload[:300]}")
                if event == "complete":
                    return json.loads(payload)
                last = payload
    raise CallError(f"{api}: stream ended without a result (last event {event!r}, {str(last)[:100]})")


def upload_file(client: httpx.Client, base: str, name: str, content: bytes) -> str:
    """Send one file through the UI's upload route and index it with the `upload` API; returns the table HTML."""
    response = client.post(f"{base}gradio_api/upload", files=[("files", (name, content, "text/markdown"))])
    if response.status_code != 200:
        raise CallError(f"upload route: HTTP {response.status_code} {response.text[:200]}")
    stored = response.json()[0]
    out = gradio_call(client, base, "upload", [[{"path": stored, "orig_name": name, "meta": {"_type": "gradio.FileData"}}]])
    return str(out[0])


def ask_args(question: str, mode: str = "extractive", k: int = 6) -> list[Any]:
    """Inputs of the `ask` API: question, chat, turns, since, until, source, tag, mode, k, source kind."""
    return [question, [], [], "", "", None, "", mode, k, ""]


def shown_html(outputs: list[Any]) -> str:
    """The HTML of the last chat message of an `ask` call (Gradio 6 sends content as a list of text parts)."""
    content = outputs[1][-1]["content"]
    if isinstance(content, list):
        return "".join(str(part.get("text", "")) if isinstance(part, dict) else str(part) for part in content)
    return str(content)


def answer_kind(outputs: list[Any]) -> str:
    """'answered', 'abstained' or 'error' from the final chat message of an `ask` call."""
    html = shown_html(outputs)
    for kind in ("answered", "abstained", "error"):
        if f'class="answer {kind}' in html:
            return kind
    return "unknown"


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    uploads: int = 0
    upload_errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def extra_article(i: int) -> tuple[str, bytes]:
    body = (f"The Navy ordered {100 + i} Loadtest-{i} surveillance drones for {20 + i} million dollars on March {1 + i % 28}, "
            f"the service said. Deliveries of the Loadtest-{i} drones start in 2026 and run for {2 + i % 5} years. ") * 4
    text = (f"---\nid: load-extra-{i}\ntitle: \"Navy orders Loadtest-{i} drones\"\ndate: 2025-03-{1 + i % 28:02d}\n"
            f"source: Load Test Wire\ntags: [load]\n---\n{body}\n")
    return f"load-extra-{i}.md", text.encode()


def run_load(base: str, questions: list[str], clients: int, seconds: float, upload_every_s: float = 3.0) -> dict[str, Any]:
    """Chat clients and one uploader until `seconds` pass; returns the figures."""
    tally = Tally()
    stop_at = time.monotonic() + seconds

    def chat_client(index: int) -> None:
        with httpx.Client(timeout=REQUEST_TIMEOUT_S) as client:
            i = index
            while time.monotonic() < stop_at:
                question = questions[i % len(questions)]
                i += clients
                started = time.monotonic()
                try:
                    kind = answer_kind(gradio_call(client, base, "ask", ask_args(question)))
                    problem = "" if kind in ("answered", "abstained") else f"answer shown as {kind}"
                except (CallError, httpx.HTTPError, KeyError, IndexError, ValueError) as exc:
                    kind, problem = "failed", f"{type(exc).__name__}: {exc}"
                elapsed = time.monotonic() - started
                with tally.lock:
                    tally.latencies.append(elapsed)
                    tally.kinds[kind] = tally.kinds.get(kind, 0) + 1
                    if problem:
                        tally.errors.append(f"{question[:60]}: {problem}"[:300])

    def uploader() -> None:
        with httpx.Client(timeout=REQUEST_TIMEOUT_S) as client:
            i = 0
            while time.monotonic() < stop_at:
                name, content = extra_article(i)
                i += 1
                try:
                    table = upload_file(client, base, name, content)
                    ok = 'class="ok"' in table
                except (CallError, httpx.HTTPError, KeyError, IndexError, ValueError) as exc:
                    ok, table = False, f"{type(exc).__name__}: {exc}"
                with tally.lock:
                    tally.uploads += 1
                    if not ok:
                        tally.upload_errors.append(f"{name}: {table[:300]}")
                time.sleep(upload_every_s)

    started = time.monotonic()
    threads = [threading.Thread(target=chat_client, args=(n,)) for n in range(clients)]
    threads.append(threading.Thread(target=uploader))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    lat = sorted(tally.latencies)
    pct = (lambda q: round(lat[min(len(lat) - 1, int(q * len(lat)))], 2)) if lat else (lambda q: None)
    return {
        "clients": clients, "seconds": seconds, "wall_s": round(wall, 1),
        "requests": len(lat), "errors": len(tally.errors), "answered": tally.kinds.get("answered", 0),
        "abstained": tally.kinds.get("abstained", 0), "p50_s": pct(0.5), "p95_s": pct(0.95),
        "max_s": round(lat[-1], 2) if lat else None, "mean_s": round(statistics.mean(lat), 2) if lat else None,
        "throughput_per_min": round(len(lat) / wall * 60, 1) if wall else 0.0,
        "uploads": tally.uploads, "upload_errors": len(tally.upload_errors),
        "error_samples": tally.errors[:5], "upload_error_samples": tally.upload_errors[:5],
    }


def load_questions(path: Path = QUESTIONS) -> list[str]:
    return [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def build_index(index: Path) -> None:
    """The bundled corpus indexed into `index` (in this process, then released before the server starts)."""
    from assistant.app import build_assistant
    from assistant.config import Settings

    with build_assistant(Settings(index_dir=index)) as assistant:
        report = assistant.ingest([ROOT / "corpus"], progress=False)
        if not report.articles:
            raise SystemExit(f"indexing the bundled corpus failed: {report.summary()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--out", type=Path, default=RESULTS / "load.json")
    args = parser.parse_args(argv)
    for key, value in dict(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False",
                           ANONYMIZED_TELEMETRY="False", TOKENIZERS_PARALLELISM="false").items():
        os.environ.setdefault(key, value)
    with tempfile.TemporaryDirectory(prefix="assistant-load-") as tmp:
        root = Path(tmp)
        build_index(root / "index")
        server = ServerProcess(
            root / "server.log", index_dir=root / "index", upload_dir=root / "uploads", feedback_path=root / "fb.jsonl"
        ).wait(timeout=120)
        try:
            with httpx.Client(timeout=REQUEST_TIMEOUT_S) as client:  # first answer loads models: not part of the load
                gradio_call(client, server.url, "ask", ask_args(load_questions()[0]))
            figures = run_load(server.url, load_questions(), args.clients, args.seconds)
        finally:
            server.close()
        concurrency = server_env().get("ASSISTANT_CONCURRENCY_LIMIT", "4 (default)")
        from assistant.config import Settings

        backend = getattr(Settings(), "embedding_backend", "torch")
    ok = figures["errors"] == 0 and figures["upload_errors"] == 0
    result = {
        "section": "Load",
        "command": f".venv/bin/python eval/reliability/load.py --clients {args.clients} --seconds {args.seconds:g}",
        "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "rows": [
            {"fault": f"{args.clients} concurrent chat clients for {args.seconds:g} s (extractive, bundled corpus)",
             "tried": figures["requests"], "ok": figures["requests"] - figures["errors"],
             "outcome": f"p50 {figures['p50_s']} s, p95 {figures['p95_s']} s, {figures['errors']} errors"},
            {"fault": "uploads indexed into the same index during the load", "tried": figures["uploads"],
             "ok": figures["uploads"] - figures["upload_errors"], "outcome": f"{figures['upload_errors']} failed"},
        ],
        "figures": figures,
        "notes": [f"Server: assistant serve on 127.0.0.1, concurrency limit {concurrency}; queued requests wait, so latency "
                  "includes queueing behind the other clients.",
                  f"Embedding backend (from the environment or default): {backend}.",
                  "One warm-up question is answered before the clock starts (the first answer loads the models).",
                  "Latency is from the POST that queues the question to the last streamed event (the whole answer).",
                  "The machine has 2 CPU cores shared with other work; figures are for this machine at that time."],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in figures.items() if not k.endswith("samples")}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
