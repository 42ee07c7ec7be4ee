"""Shared fixtures: the real packaged embedding model, real Chroma folders, real servers on loopback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from assistant.app import Assistant, build_assistant  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.encoders.embeddings import LocalEmbeddings, make_embeddings  # noqa: E402
from assistant.answering.llm import LocalLLMServer, free_port  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DVIDS = ROOT.parent / "shared" / "data" / "dvids"


@pytest.fixture(scope="session")
def embeddings() -> LocalEmbeddings:
    """One load of the packaged all-MiniLM-L6-v2 for the whole run, through the backend the app ships with."""
    return make_embeddings(Settings())


@pytest.fixture
def make_assistant(tmp_path, embeddings):
    """Build an assistant over a fresh Chroma folder; closes what it built."""
    built: list[Assistant] = []

    def make(**overrides) -> Assistant:
        overrides.setdefault("index_dir", tmp_path / "index")
        assistant = build_assistant(Settings(**overrides), embeddings=embeddings)
        built.append(assistant)
        return assistant

    yield make
    for assistant in built:
        assistant.close()


@pytest.fixture(scope="session")
def corpus_assistant(tmp_path_factory, embeddings) -> Assistant:
    """The bundled corpus indexed once into a temporary folder."""
    index = tmp_path_factory.mktemp("corpus-index")
    assistant = build_assistant(Settings(index_dir=index), embeddings=embeddings)
    report = assistant.ingest([CORPUS], progress=False)
    assert report.articles >= 12, report.summary()
    yield assistant
    assistant.close()


@pytest.fixture(scope="session")
def dvids_assistant(tmp_path_factory, embeddings) -> Assistant:
    if not DVIDS.is_dir():
        pytest.skip(f"real-article folder {DVIDS} is absent (it ships only with the shared workspace)")
    index = tmp_path_factory.mktemp("dvids-index")
    assistant = build_assistant(Settings(index_dir=index), embeddings=embeddings)
    assistant.ingest([DVIDS], progress=False)
    yield assistant
    assistant.close()


@pytest.fixture(scope="session")
def llm_server():
    """The bundled SmolLM2 served by a real `llama_cpp.server` on loopback."""
    with LocalLLMServer() as server:
        yield server


def _wait_http(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout}s")


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A real `chroma run` server on a free loopback port; yields its URL."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    assert chroma, "the 'chroma' command (from the chromadb package) is not installed"
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    """One Debian chromium per test module, driven by Playwright (the browser tests' only way in)."""
    from ui_support import CHROMIUM, CHROMIUM_ARGS

    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def write_article(folder: Path, name: str, title: str, body: str, date: str = "2025-06-10", source: str = "Test Wire", **extra) -> Path:
    """Write a bundled-format markdown article; returns its path."""
    lines = ["---", f"id: {extra.pop('id', Path(name).stem)}", f'title: "{title}"', f"date: {date}", f"source: {source}"]
    for key, value in extra.items():
        lines.append(f"{key}: {value}")
    lines += ["---", body.strip(), ""]
    path = folder / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def load_reliability(name: str):
    """A script under eval/reliability/ as a module (they import their sibling modules by name)."""
    import importlib.util

    folder = ROOT / "eval" / "reliability"
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    spec = importlib.util.spec_from_file_location(name, folder / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

