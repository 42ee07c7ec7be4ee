"""`assistant watch`: re-read feeds, pages and folders on a schedule, indexing only what is new or changed.

Each run is one ingest (see `web_sources.ingest_sources`), so a run killed part-way leaves the index as
an interrupted ingest does: consistent, and completed by the next run. Each run ends in one line, which
is also kept in `<web_dir>/last-watch.json` for the served UI to show.
"""

from __future__ import annotations

import json
import logging
import re
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from ..config import Settings
from ..errors import AssistantError
from .sources import SourcesRun, write_atomic, ingest_sources

if TYPE_CHECKING:
    from ..app import Assistant

log = logging.getLogger(__name__)

LAST_RUN_NAME = "last-watch.json"
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_every(text: str) -> float:
    """'30m', '2h', '45s', '1d' or plain seconds -> seconds (at least 1)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", str(text).lower())
    if not match:
        raise AssistantError(f"--every {text!r}: use a number with s, m, h or d, e.g. 30m")
    seconds = float(match.group(1)) * _UNITS[match.group(2) or "s"]
    if seconds < 1:
        raise AssistantError(f"--every {text!r}: at least one second")
    return seconds


def run_line(run: SourcesRun, started: datetime) -> str:
    return f"{started.isoformat(timespec='seconds')} watch: {run.web.summary()}; {run.report.summary()}"


def run_once(assistant: "Assistant", sources: Sequence[str], progress: bool = False) -> tuple[SourcesRun, str]:
    """One pass over the sources; returns the run and its line, which is also saved for the UI."""
    started = datetime.now(timezone.utc)
    run = ingest_sources(assistant, sources, progress=progress)
    line = run_line(run, started)
    record = {"at": started.isoformat(timespec="seconds"), "line": line, "sources": list(sources),
              "embedded": run.report.embedded, "failed": len(run.report.errors)}
    write_atomic(Path(assistant.settings.web_dir) / LAST_RUN_NAME, json.dumps(record, ensure_ascii=False))
    return run, line


def watch(
    assistant: "Assistant", sources: Sequence[str], every_s: float, once: bool,
    say: Callable[[str], None], warn: Callable[[str], None], sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Run now, then every `every_s` seconds (until interrupted) unless `once`; failures are one line each.

    A run that fails as a whole (the store unreachable, the web folder unwritable) is one line too, and the
    next run is still made: a watcher outlives a passing outage."""
    while True:
        try:
            run, line = run_once(assistant, sources)
        except AssistantError as exc:
            warn(f"{datetime.now(timezone.utc).isoformat(timespec='seconds')} watch run failed: {exc}")
            if once:
                return 1
            sleep(every_s)
            continue
        for error in run.report.errors:
            warn(f"skipped {error.path}: {error.reason}")
        say(line)
        if once:
            return 0 if run.report.articles or not run.report.errors else 1
        sleep(every_s)


def last_run(settings: Settings) -> dict[str, Any] | None:
    """The last watch run's record, or None when there has been none."""
    try:
        data = json.loads((Path(settings.web_dir) / LAST_RUN_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
