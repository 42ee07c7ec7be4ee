"""Corpus tab and feedback for the chat UI: uploads with per-file progress, index statistics, feedback JSONL, and
the small form for one uploaded .txt or .md article's title, date, source and url (checked, then written into the
stored copy and indexed again: assistant/ingest/uploads.py)."""

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

import gradio as gr

from ..ingest.loaders import SUFFIXES, read_text
from ..ingest.documents import DOCUMENT_SUFFIXES, sniff_problem
from ..errors import ArticleError, AssistantError
from .render import esc
from ..ingest.uploads import SUFFIXES as DETAIL_SUFFIXES
from ..ingest.uploads import apply_details, current_details, is_manifest, manifest_first, store_manifest, validate_details

if TYPE_CHECKING:
    from ..app import Assistant

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


def watch_html(settings: Any) -> str:
    """The last `assistant watch` run, as the line it printed."""
    from ..web.watch import last_run

    record = last_run(settings)
    if not record:
        return '<p class="hint">Feeds and folders are not watched (run <code>assistant watch SOURCE… --every 30m</code>).</p>'
    return f'<p class="watch">Last watch run: <code>{esc(record.get("line", ""))}</code></p>'


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
        """Check each upload, copy it into the upload folder and index it, yielding the table after every step.

        Only the file's base name is kept (cleaned, see `upload_name`), so nothing lands outside the upload
        folder; files over the size limit, of another type, or not text (binary renamed .md) are refused before
        anything is copied, and a copied file that fails to index is removed again."""
        settings = self.assistant.settings
        limit = int(settings.max_upload_mb * 1_000_000)
        paths = manifest_first(paths)
        rows = [FileRow(_display_name(p)) for p in paths]
        yield rows
        target_dir = Path(settings.upload_dir).resolve()
        target_dir.mkdir(parents=True, exist_ok=True)
        batch_dir: Path | None = None  # where a manifest.csv and the .txt files it describes are kept together
        for row, src in zip(rows, map(Path, paths)):
            if is_manifest(src):
                batch_dir, detail = store_manifest(src, target_dir, limit)
                row.status, row.ok, row.detail = ("read", True, detail) if batch_dir else ("rejected", False, detail)
                yield rows
                continue
            problem = _check_upload(src, limit, settings.max_upload_mb)
            if problem:
                row.status, row.ok, row.detail = "rejected", False, problem
                yield rows
                continue
            row.status = "indexing…"
            yield rows
            dest = (batch_dir if batch_dir and src.suffix.lower() == ".txt" else target_dir) / upload_name(src.name)
            try:
                shutil.copyfile(src, dest)
                report = self.assistant.ingest([dest], progress=False)
            except (AssistantError, OSError) as exc:
                log.warning("upload %s failed: %s", row.name, exc)
                row.status, row.ok, row.detail = "failed", False, str(exc) if isinstance(exc, AssistantError) else "could not be stored"
                dest.unlink(missing_ok=True)
                yield rows
                continue
            if report.errors:
                row.status, row.ok = "failed", False
                row.detail = "; ".join(e.reason for e in report.errors)
                dest.unlink(missing_ok=True)
            else:
                row.status, row.ok = "indexed", True
                row.detail = f"{report.articles} article(s), {report.chunks} passage(s), {report.embedded} embedded"
            yield rows
        self.stats(fresh=True)

    def ingest_url(self, url: str) -> Iterator[list[FileRow]]:
        """Fetch and index a page or a feed (each of its entries), yielding the table before and after."""
        from ..web.fetch import Fetcher, is_url
        from ..web.sources import ingest_sources

        url = url.strip()
        row = FileRow(url[:_MAX_NAME] or "(no URL)", status="fetching…")
        if not is_url(url):  # never a path: the box must not read files on the server
            row.status, row.ok, row.detail = "rejected", False, "give an http:// or https:// address of a page or feed"
            yield [row]
            return
        yield [row]
        settings = self.assistant.settings
        fetcher = Fetcher.from_settings(settings, public_only=not settings.ui_fetch_private)
        run = ingest_sources(self.assistant, [url], progress=False, fetcher=fetcher)
        rows = [row] + [FileRow(_display_url(e.path), "failed", e.reason, False) for e in run.report.errors]
        failed = len(run.report.errors)
        row.ok = run.report.articles > 0 or not failed
        row.status = "indexed" if row.ok else "failed"
        web = run.web
        row.detail = (f"{run.report.articles} article(s) ({web.new} new, {web.changed} changed, {web.unchanged} unchanged), "
                      f"{run.report.embedded} passage(s) embedded, {failed} failed")
        yield rows
        self.stats(fresh=True)


def _display_url(url: str) -> str:
    return url[:_MAX_NAME]


_MAX_NAME = 120


def _display_name(path: str | Path) -> str:
    return Path(str(path).replace("\\", "/")).name.replace("\x00", "")[:_MAX_NAME] or "upload"


def _check_upload(src: Path, limit: int, limit_mb: float) -> str:
    """Why an upload is refused, or '' when it may be copied: type by suffix, size, then content (real text)."""
    if src.suffix.lower() not in SUFFIXES:
        return f"unsupported file type '{src.suffix}': use {', '.join(sorted(SUFFIXES))}"
    try:
        size = src.stat().st_size
    except OSError:
        return "the uploaded file could not be read"
    if size > limit:
        return f"{size / 1e6:.1f} MB is over the {limit_mb:g} MB upload limit"
    if src.suffix.lower() in DOCUMENT_SUFFIXES:  # binary formats: their loader reads them fully at indexing
        return sniff_problem(src)
    try:
        read_text(src, limit)
    except ArticleError as exc:
        return exc.reason
    return ""


def upload_name(name: str) -> str:
    """A file name that is safe to create inside the upload folder: the base name only (both slash kinds),
    letters, digits, '.', '_' and '-', no leading dot, at most 120 characters, the article suffix kept."""
    base = Path(name.replace("\\", "/")).name
    suffix = Path(base).suffix.lower()
    suffix = suffix if suffix in SUFFIXES else ""
    stem = base[: len(base) - len(suffix)] if suffix else base
    keep = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in stem).strip("._") or "upload"
    return keep[: _MAX_NAME - len(suffix)] + suffix


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


class UploadDetailsForm:
    """Shown after a single .txt/.md upload is indexed; the stored file's path is per session (`gr.State`)."""

    def __init__(self, assistant: "Assistant"):
        self.assistant = assistant

    def stored_path(self, paths: list[str] | None) -> Path | None:
        """The stored copy of a lone .txt/.md upload that was indexed, else None."""
        if not paths or len(paths) != 1 or Path(paths[0]).suffix.lower() not in DETAIL_SUFFIXES:
            return None
        path = Path(self.assistant.settings.upload_dir).resolve() / upload_name(Path(paths[0]).name)
        return path if path.is_file() and self.assistant.store.chunk_ids_with("path", str(path)) else None

    def build(self) -> None:
        """The form, hidden until a lone .txt/.md upload is indexed (inside the Corpus tab)."""
        with gr.Column(visible=False, elem_id="upload-details", variant="panel") as box:
            gr.Markdown("**Details of the uploaded article** — correct what the file did not say, then save.")
            with gr.Row():
                title = gr.Textbox(label="Title", elem_id="details-title", scale=3, lines=1, max_lines=1)
                day = gr.Textbox(label="Date", placeholder="YYYY-MM-DD", elem_id="details-date", scale=1, lines=1, max_lines=1)
            with gr.Row():
                source = gr.Textbox(label="Source", elem_id="details-source", lines=1, max_lines=1)
                url = gr.Textbox(label="URL", placeholder="https://…", elem_id="details-url", lines=1, max_lines=1)
            save = gr.Button("Save details", size="sm", elem_id="details-save")
            status = gr.HTML(elem_id="details-status")
        stored = gr.State("")
        self._parts = (box, stored, title, day, source, url, save, status)

    def attach(self, upload_event: Any, files: Any) -> None:
        """Offer the form once the upload event has indexed the file."""
        box, stored, title, day, source, url, save, status = self._parts

        def offer(paths: list[str] | None) -> tuple[Any, ...]:
            path = self.stored_path(paths)
            if path is None:
                return gr.update(visible=False), "", gr.skip(), gr.skip(), gr.skip(), gr.skip(), ""
            found = current_details(path)
            return gr.update(visible=True), str(path), found.title, found.date, found.source, found.url, ""

        def apply(path: str, *fields: str) -> tuple[str, str]:
            if not path:
                return '<p class="details failed">Upload one .txt or .md file first.</p>', path
            try:
                details = validate_details(*fields)
                new_path, report = apply_details(self.assistant, Path(path), details)
            except AssistantError as exc:
                return f'<p class="details failed" role="alert">{esc(exc)}</p>', path
            saved = ", ".join(f"{k} {v}" for k, v in (("title", details.title), ("date", details.date),
                                                         ("source", details.source), ("url", details.url)) if v)
            return (f'<p class="details ok" role="status">Saved ({esc(saved) or "nothing given"}); {report.articles} article '
                    f"indexed again, {report.embedded} passage(s) embedded.</p>"), str(new_path)

        upload_event.then(offer, files, [box, stored, title, day, source, url, status], api_name=False)
        save.click(apply, [stored, title, day, source, url], [status, stored], api_name=False)
