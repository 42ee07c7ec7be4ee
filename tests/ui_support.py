"""Helpers shared by the UI tests: a small real article set, and `assistant serve` as a subprocess."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

DONE = "#chat .answer.answered, #chat .answer.abstained, #chat .answer.error"  # an answer has finished

KUIPER_QUESTION = "How many satellites has Amazon's Project Kuiper put into orbit?"

ARTICLES = {
    "kuiper-golden-dome.md": (
        "Pentagon approaches Amazon's Project Kuiper for Golden Dome",
        "2025-06-10",
        "Harbor Line Defense Weekly",
        "https://example.com/kuiper-golden-dome",
        "[space, golden-dome]",
        """The Pentagon has approached Amazon's Project Kuiper about a role in the $175 billion Golden Dome missile
defence shield, officials said, as the administration looks beyond SpaceX for satellite suppliers.

Amazon's Project Kuiper is a newcomer to military work. It has put 78 satellites into orbit so far, out of a
planned constellation of roughly 3,000 satellites in low Earth orbit. Officials see the venture as a promising
entrant for the satellite layers of Golden Dome, which would track missile launches almost continuously.

SpaceX has launched more than 9,000 Starlink satellites and remains well placed to win launch work. The
government has also opened talks with Stoke Space and Rocket Lab, and every individual launch will be put up
for bid as the programme matures. Space Force General Michael Guetlein leads the effort.""",
    ),
    "pac3-multiyear.md": (
        "Army signs multiyear PAC-3 MSE interceptor deal",
        "2024-06-28",
        "Capitol Procurement Daily",
        "https://example.com/pac3",
        "[missile-defence, contracts]",
        """The U.S. Army awarded Lockheed Martin a multiyear contract for 870 PAC-3 MSE interceptors worth $4.5
billion, the service said on June 28. The Patriot Advanced Capability-3 Missile Segment Enhancement interceptor
defends against tactical ballistic missiles, cruise missiles and aircraft.

Lockheed Martin plans to raise annual production at its Camden, Arkansas plant to 650 interceptors by 2027.
The multiyear deal lets the company buy long-lead parts in bulk, which the Army expects to save about 10 percent
compared with annual contracts. Deliveries under the contract run through 2029, the Army added.""",
    ),
    "finland-davids-sling.md": (
        "Finland picks David's Sling for high-altitude air defence",
        "2023-11-09",
        "Atlas Security Review",
        "",
        "[air-defence, europe]",
        """Finland selected Israel's David's Sling system to provide high-altitude air and missile defence, the
Finnish Ministry of Defence announced on November 9. The purchase is worth about 317 million euros and
includes launchers, interceptors and a radar built by Rafael and Raytheon.

The system can intercept aircraft, cruise missiles and short-range ballistic missiles at ranges of up to 300
kilometres. Finland expects the first units to enter service in 2026, the ministry said, after a competition
that also considered the Norwegian NASAMS system as an extension of its existing network.""",
    ),
}


def write_articles(folder: Path, articles: dict[str, tuple[str, str, str, str, str, str]] = ARTICLES) -> Path:
    """Write bundled-format markdown articles; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (title, day, source, url, tags, body) in articles.items():
        front = ["---", f"id: {Path(name).stem}", f'title: "{title}"', f"date: {day}", f"source: {source}"]
        if url:
            front.append(f"url: {url}")
        front += [f"tags: {tags}", "---", body.strip(), ""]
        (folder / name).write_text("\n".join(front), encoding="utf-8")
    return folder


def free_loopback_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(**settings: object) -> dict[str, str]:
    env = dict(os.environ)
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False", ANONYMIZED_TELEMETRY="False",
               TOKENIZERS_PARALLELISM="false")
    env.update({f"ASSISTANT_{key.upper()}": str(value) for key, value in settings.items()})
    return env


class ServerProcess:
    """`python -m assistant.cli serve` on a free loopback port, stopped (by its own pid) on close."""

    def __init__(self, log_path: Path, **settings: object):
        self.port = free_loopback_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "-v", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=ROOT, env=server_env(**settings), stdout=self._log, stderr=subprocess.STDOUT,
        )

    def wait(self, timeout: float = 90.0) -> "ServerProcess":
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "gradio_api/info", timeout=2):
                    return self
            except OSError as exc:
                if getattr(exc, "code", None) == 401:  # up, behind a login
                    return self
                time.sleep(0.4)
        self.close()
        raise RuntimeError(f"{self.url} did not answer within {timeout}s:\n{self.log_path.read_text()[-3000:]}")

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


def build_index(root: Path, embeddings: Any, *sources: Path, articles: int | None = None) -> Path:
    """`sources` indexed into `root`/index: every one read, and `articles` articles when given."""
    from assistant.app import build_assistant
    from assistant.config import Settings

    index = root / "index"
    with build_assistant(Settings(index_dir=index), embeddings=embeddings) as assistant:
        report = assistant.ingest(list(sources), progress=False)
        assert report.articles and not report.errors, report.summary()
        assert articles is None or report.articles == articles, report.summary()
    return index


@contextmanager
def served_index(root: Path, sources: Iterable[Path], embeddings: Any, articles: int | None = None,
                 **settings: object) -> Iterator[ServerProcess]:
    """`sources` indexed into `root`/index, then served by `assistant serve` until the block ends."""
    index = build_index(root, embeddings, *sources, articles=articles)
    proc = ServerProcess(root / "server.log", index_dir=index, upload_dir=root / "uploads", **settings)
    try:
        yield proc.wait()
    finally:
        proc.close()
