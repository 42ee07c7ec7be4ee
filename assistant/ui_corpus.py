"""Corpus tab and feedback for the chat UI: uploads with per-file progress, index statistics, feedback JSONL."""

from __future__ import annotations

import json
import logging
import shutil
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from .corpus import SUFFIXES
from .errors import AssistantError
from .ui_render import esc

if TYPE_CHECKING:
    from .app import Assistant

log = logging.getLogger(__name__)

STATS_TTL_S = 30.0


@dataclass
class FileRow:
    name: str
    status: str = "queued"
    detail: str = ""
    ok: bool | None = None


def rows_html(rows: Sequence[FileRow]) -> str:
    if not rows:
        return '<p class="hint">No files chosen.</p>'
    body = "".join(
        f'<tr class="{"ok" if r.ok else "failed" if r.ok is False else "pending"}"><td>{esc(r.name)}</td>'
        f"<td>{esc(r.status)}</td><td>{esc(r.detail)}</td></tr>"
        for r in rows
    )
    return f'<table class="uploads"><thead><tr><th>File</th><th>Status</th><th>Details</th></tr></thead><tbody>{body}</tbody></table>'


def stats_html(stats: dict[str, Any]) -> str:
    sources = stats.get("sources") or {}
    source_list = ", ".join(f"{esc(name)} ({count})" for name, count in sources.items()) or "none"
    span = f"{esc(stats.get('earliest') or '—')} to {esc(stats.get('latest') or '—')}"
    items = [
        ("Articles", esc(stats.get("articles", 0))),
        ("Passages (chunks)", esc(stats.get("chunks", 0))),
        ("Sources", f"{len(sources)}: {source_list}"),
        ("Publication dates", span),
        ("Last update", esc(stats.get("last_update") or "never")),
    ]
    rows = "".join(f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in items)
    return f'<table class="stats" aria-label="index statistics">{rows}</table>'


@dataclass
class CorpusService:
    """Uploads and statistics over one assistant; holds no per-user state (only a short stats cache)."""

    assistant: "Assistant"
    _stats: dict[str, Any] = field(default_factory=dict)
    _stats_at: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def stats(self, fresh: bool = False) -> dict[str, Any]:
        # stats() reads every record: cache it briefly so page loads stay fast on a large corpus.
        with self._lock:
            if fresh or not self._stats or time.monotonic() - self._stats_at > STATS_TTL_S:
                self._stats = self.assistant.stats()
                self._stats_at = time.monotonic()
            return self._stats

    def sources(self) -> list[str]:
        return [name for name in self.stats().get("sources", {}) if name != "(none)"]

    def ingest_uploads(self, paths: Sequence[str | Path]) -> Iterator[list[FileRow]]:
        """Copy each upload into the upload folder and index it, yielding the table after every step."""
        settings = self.assistant.settings
        limit = int(settings.max_upload_mb * 1_000_000)
        rows = [FileRow(Path(p).name) for p in paths]
        yield rows
        target_dir = Path(settings.upload_dir)
        target_dir.mkdir(parents=True, exist_ok=True)
        for row, src in zip(rows, map(Path, paths)):
            if src.suffix.lower() not in SUFFIXES:
                row.status, row.ok = "rejected", False
                row.detail = f"unsupported file type '{src.suffix}': use {', '.join(sorted(SUFFIXES))}"
                yield rows
                continue
            size = src.stat().st_size
            if size > limit:
                row.status, row.ok = "rejected", False
                row.detail = f"{size / 1e6:.1f} MB is over the {settings.max_upload_mb:g} MB upload limit"
                yield rows
                continue
            row.status = "indexing…"
            yield rows
            dest = target_dir / _safe_name(src.name)
            shutil.copyfile(src, dest)
            try:
                report = self.assistant.ingest([dest], progress=False)
            except AssistantError as exc:
                row.status, row.ok, row.detail = "failed", False, str(exc)
                yield rows
                continue
            if report.errors:
                row.status, row.ok = "failed", False
                row.detail = "; ".join(e.reason for e in report.errors)
            else:
                row.status, row.ok = "indexed", True
                row.detail = f"{report.articles} article(s), {report.chunks} passage(s), {report.embedded} embedded"
            yield rows
        self.stats(fresh=True)


def _safe_name(name: str) -> str:
    keep = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in Path(name).name)
    return keep.lstrip(".") or "upload"


class FeedbackLog:
    """Appends one JSON object per rating or comment to a local JSONL file the evaluation tooling reads."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()

    def append(self, record: dict[str, Any]) -> None:
        record = {"ts": datetime.now(timezone.utc).isoformat(timespec="seconds"), **record}
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(line)
        log.info("feedback recorded: %s", record.get("rating"))


def feedback_record(turn: dict[str, Any], rating: str | None, comment: str) -> dict[str, Any]:
    keys = ("id", "question", "standalone_question", "answer", "abstained", "mode", "citations", "filters", "k")
    return {"rating": rating, "comment": comment.strip(), **{k: turn.get(k) for k in keys}}
