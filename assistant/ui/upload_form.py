"""The Corpus tab's small form for one uploaded .txt or .md article: title, date, source and url, checked, then
written into the stored copy and indexed again (assistant/ingest/upload_details.py)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from ..errors import AssistantError
from .corpus_tab import upload_name
from .render import esc
from ..ingest.upload_details import SUFFIXES, apply_details, current_details, validate_details

if TYPE_CHECKING:
    from ..app import Assistant

log = logging.getLogger(__name__)


class UploadDetailsForm:
    """Shown after a single .txt/.md upload is indexed; the stored file's path is per session (`gr.State`)."""

    def __init__(self, assistant: "Assistant"):
        self.assistant = assistant

    def stored_path(self, paths: list[str] | None) -> Path | None:
        """The stored copy of a lone .txt/.md upload that was indexed, else None."""
        if not paths or len(paths) != 1 or Path(paths[0]).suffix.lower() not in SUFFIXES:
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
