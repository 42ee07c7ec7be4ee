"""A real OpenAI-compatible chat server on loopback that fails on purpose, one fault per mode.

This is the one fake in the failure tests, and deliberately so: a real endpoint cannot be made to answer
500, stall half-way or send broken JSON on demand. Everything else is real: HTTP over a loopback socket,
server-sent events with chunked transfer encoding, and the project's own `openai`/LangChain client.

Modes:
  healthy    streams a cited answer (the first sentence of passage 1, then "[1]") and finishes properly
  altered    the same answer with its first figure changed ("$175 billion" -> "$175.5 billion"), as small
             models do: a well-formed reply that the grounding check must flag
  mixed      three sentences of passage 1, each cited, the first with its figure changed as in `altered`: the
             bad sentence must be flagged while the good ones are still streaming. With `gate` set to a
             threading.Event, the stream pauses after the first word of the second sentence until the gate opens,
             so a test can look at the half-written answer without timing anything
  error500   answers HTTP 500 with an OpenAI-style error body
  badkey     answers HTTP 401 quoting the API key it was sent, as some endpoints do
  slow       sends nothing for `delay_s` seconds, then a healthy answer (longer than any sane timeout)
  malformed  answers 200 with server-sent events whose data is not valid JSON
  cut        streams a few tokens, then drops the connection in the middle of the chunked body
  truncated  streams a few tokens, then ends the body cleanly without a finish reason or [DONE]
  stall      streams a few tokens, then keeps the connection open without sending anything
  trickle    streams a token every `trickle_s` seconds without ever finishing
  ratelimited  answers the first `fail_first` requests HTTP 429 with the header `Retry-After: <retry_after>`
             (seconds, or an HTTP date), then answers as `healthy` does
  overloaded   the same with HTTP 503

`fail_first=N` makes the first N requests answer 500 in the other modes (to show a retry that succeeds).
Run it in a thread (`with MisbehavingLLM("cut") as llm: llm.base_url`) or as a process:
`python tests/misbehaving_llm.py --mode stall --port 8089`.
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MODES = (
    "healthy", "altered", "mixed", "error500", "badkey", "slow", "malformed", "cut", "truncated", "stall", "trickle",
    "ratelimited", "overloaded",
)
PACED = {"ratelimited": 429, "overloaded": 503}  # modes that answer with a Retry-After
PARTIAL = ["According ", "to ", "the ", "passages, ", "the ", "programme "]  # what a broken stream gets out first
_TOKEN = re.compile(r"\S+\s*")
_PASSAGE_1 = re.compile(r'<passage n="1"[^>]*>\s*(.*?)</passage>', re.S)


def cited_answer(messages: list[dict[str, Any]]) -> str:
    """The first sentence of passage 1, cited: a grounded answer whatever the question."""
    user = " ".join(str(m.get("content", "")) for m in messages if m.get("role") == "user")
    found = _PASSAGE_1.search(user)
    if not found:
        return "The indexed articles do not cover this question."
    first = re.split(r"(?<=[.!?])\s+", found.group(1).strip(), maxsplit=1)[0]
    return f"{' '.join(first.split())} [1]"  # one line, as a model writes it, whatever the passage's line breaks


def altered_answer(messages: list[dict[str, Any]]) -> str:
    """The cited answer with one figure given a spurious half: an amount if it has one ("$175" -> "$175.5")."""
    return _alter(cited_answer(messages))


def mixed_answer(messages: list[dict[str, Any]]) -> tuple[str, int]:
    """The altered first sentence of passage 1, then its next two sentences as they are, each cited; and the
    number of tokens up to the first word of the second sentence (where a gated stream pauses)."""
    user = " ".join(str(m.get("content", "")) for m in messages if m.get("role") == "user")
    found = _PASSAGE_1.search(user)
    if not found:
        return "The indexed articles do not cover this question.", 0
    sentences = [" ".join(s.split()) for s in re.split(r"(?<=[.!?])\s+", found.group(1).strip())]
    first = _alter(f"{sentences[0]} [1]")
    return " ".join([first, *(f"{s} [1]" for s in sentences[1:3])]), len(_TOKEN.findall(first)) + 1


def _alter(text: str) -> str:
    for pattern in (r"([$€£]\d+)(?![\d]|[.,]\d)", r"(?<![\d.,])(\d+)(?![\d]|[.,]\d)"):
        changed = re.sub(pattern, r"\1.5", text, count=1)
        if changed != text:
            return changed
    return text


def _chunk(content: str | None, finish: str | None = None) -> bytes:
    delta = {"content": content} if content is not None else {}
    body = {
        "id": "chatcmpl-misbehaving", "object": "chat.completion.chunk", "created": int(time.time()), "model": "misbehaving",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body)}\n\n".encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.path.rstrip("/").endswith("/models"):
            self._json(200, {"object": "list", "data": [{"id": "misbehaving", "object": "model"}]})
        else:
            self._json(404, {"error": {"message": "not found"}})

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        length = int(self.headers.get("Content-Length") or 0)
        request = json.loads(self.rfile.read(length) or b"{}")
        owner = self.server.owner
        with owner.lock:
            owner.requests += 1
            number = owner.requests
        mode = owner.mode
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._json(404, {"error": {"message": f"no route {self.path}"}})
            return
        try:
            if mode == "badkey":
                key = self.headers.get("Authorization", "").removeprefix("Bearer ")
                self._json(401, {"error": {"message": f"Incorrect API key provided: {key}", "type": "invalid_request_error"}})
            elif mode in PACED and number <= owner.fail_first:
                limited = PACED[mode] == 429
                message, kind = ("too many requests", "rate_limit_error") if limited else ("overloaded", "server_error")
                body = {"error": {"message": f"{message} (on purpose)", "type": kind}}
                self._json(PACED[mode], body, {"Retry-After": owner.retry_after})
            elif (number <= owner.fail_first and mode not in PACED) or mode == "error500":
                self._json(500, {"error": {"message": "the model crashed (on purpose)", "type": "server_error"}})
            elif mode == "slow":
                if not owner.stopping.wait(owner.delay_s):
                    self._stream(cited_answer(request.get("messages", [])))
            elif mode == "malformed":
                self._start_stream()
                self._send_chunk(b'data: {"id": "chatcmpl-x", "choices": [{"delta": {"content": "Kuiper\n\n')
                self._send_chunk(b"data: {this is not json}\n\n")
                self._end_stream()
            elif mode in ("cut", "truncated", "stall", "trickle"):
                self._broken_stream(mode)
            elif mode == "altered":
                self._stream(altered_answer(request.get("messages", [])))
            elif mode == "mixed":
                self._stream(*mixed_answer(request.get("messages", [])))
            else:
                self._stream(cited_answer(request.get("messages", [])))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout): that is the point of several modes

    # --- helpers -------------------------------------------------------------------------------

    def _json(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)
        self.close_connection = True

    def _start_stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def _send_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _end_stream(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _stream(self, text: str, pause_after: int = 0) -> None:
        owner = self.server.owner
        self._start_stream()
        self._send_chunk(_chunk(""))
        for n, token in enumerate(_TOKEN.findall(text), 1):
            self._send_chunk(_chunk(token))
            if n == pause_after and owner.gate is not None:
                owner.gate.wait(owner.delay_s)
        self._send_chunk(_chunk(None, "stop"))
        self._send_chunk(b"data: [DONE]\n\n")
        self._end_stream()

    def _broken_stream(self, mode: str) -> None:
        owner = self.server.owner
        self._start_stream()
        for token in PARTIAL:
            self._send_chunk(_chunk(token))
        if mode == "cut":
            self.connection.shutdown(socket.SHUT_RDWR)  # mid-body: no terminating chunk
        elif mode == "truncated":
            self._end_stream()  # a clean end of the body, but no finish reason and no [DONE]
        elif mode == "stall":
            owner.stopping.wait(owner.delay_s)
        else:
            deadline = time.monotonic() + owner.delay_s
            while time.monotonic() < deadline and not owner.stopping.wait(owner.trickle_s):
                self._send_chunk(_chunk("and "))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: "MisbehavingLLM"


class MisbehavingLLM:
    """The server in a background thread; a context manager. Change `mode` at any time."""

    def __init__(
        self, mode: str = "healthy", port: int = 0, delay_s: float = 30.0, trickle_s: float = 0.2, fail_first: int = 0,
        retry_after: str = "1",
    ):
        if mode not in MODES:
            raise ValueError(f"mode {mode!r} is not one of {', '.join(MODES)}")
        self.mode = mode
        self.delay_s = delay_s
        self.trickle_s = trickle_s
        self.fail_first = fail_first
        self.retry_after = retry_after  # the Retry-After header of `ratelimited` and `overloaded`
        self.requests = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.gate: threading.Event | None = None  # `mixed` pauses on it half-way (see the module docstring)
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.owner = self
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def set(self, mode: str, fail_first: int = 0, retry_after: str | None = None) -> None:
        """Switch the fault and reset the request count."""
        if mode not in MODES:
            raise ValueError(f"mode {mode!r} is not one of {', '.join(MODES)}")
        with self.lock:
            self.mode, self.fail_first, self.requests = mode, fail_first, 0
            self.retry_after = self.retry_after if retry_after is None else retry_after

    def start(self) -> "MisbehavingLLM":
        self._thread = threading.Thread(target=self._server.serve_forever, name="misbehaving-llm", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening (the port then refuses connections) and release any request held open."""
        self.stopping.set()
        if self.gate is not None:
            self.gate.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=10)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> "MisbehavingLLM":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=MODES, default="healthy")
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--delay", type=float, default=30.0, help="seconds of silence in 'slow' and 'stall'")
    parser.add_argument("--fail-first", type=int, default=0, help="requests that fail before the mode's answers")
    parser.add_argument("--retry-after", default="1", help="Retry-After of 'ratelimited' and 'overloaded'")
    args = parser.parse_args()
    server = MisbehavingLLM(
        args.mode, port=args.port, delay_s=args.delay, fail_first=args.fail_first, retry_after=args.retry_after
    )
    print(f"{args.mode} model endpoint on {server.base_url}", flush=True)
    try:
        server._server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stopping.set()
        server._server.server_close()


if __name__ == "__main__":
    main()
