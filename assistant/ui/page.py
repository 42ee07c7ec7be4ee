"""The whole page as Gradio Blocks: the Chat, Corpus and Timeline tabs wired to their handlers, the theme and the
static CSS and JS (static/), and serving it (login, queue, upload limit)."""

from __future__ import annotations

import logging
import os
from importlib import resources
from typing import TYPE_CHECKING, Any, Iterator

import gradio as gr

from ..ingest.loaders import SUFFIXES
from ..errors import AssistantError
from .examples import ExampleQuestions
from ..index.source_kinds import KINDS
from .analyst import timeline_tab
from .browser import CorpusBrowser
from .corpus_tab import CorpusService, UploadDetailsForm, rows_html, stats_html, watch_html
from .history_panel import history_sidebar, wire_history
from .chat import MAX_PASSAGES, ChatHandlers, conversation_file, parse_day
from .render import esc

if TYPE_CHECKING:
    from ..app import Assistant

log = logging.getLogger(__name__)

SYSTEM_FONTS = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"]
MODE_LABELS = {"extractive": "Extractive (quotes the articles)", "llm": "LLM (writes from the passages)"}


def _static(name: str) -> str:
    return resources.files("assistant.ui").joinpath("static", name).read_text(encoding="utf-8")


def launch_options() -> dict[str, Any]:
    """Theme, CSS and JS for `Blocks.launch`: system fonts only, so the page fetches nothing remote."""
    theme = gr.themes.Default(font=SYSTEM_FONTS, font_mono=MONO_FONTS)
    return {"theme": theme, "css": _static("ui.css"), "js": _static("ui.js")}


def _restored_view(turns: list[dict[str, Any]]) -> tuple[Any, ...]:
    """Rating, last answer and download for a conversation restored from the browser's history."""
    answered = [t for t in turns if t.get("markdown")]
    if not answered:
        return None, "", gr.update(value=None, interactive=False)
    return None, answered[-1]["markdown"], gr.update(value=conversation_file(turns), interactive=True)


def build_ui(assistant: "Assistant") -> gr.Blocks:
    """The whole app as a Blocks object (launch it with `launch_options()`)."""
    settings = assistant.settings
    handlers = ChatHandlers(assistant)
    corpus = CorpusService(assistant)
    modes = assistant.modes
    default_mode = settings.resolved_mode() if settings.resolved_mode() in modes else modes[0]

    with gr.Blocks(title="Defence news assistant", analytics_enabled=False, delete_cache=(3600, 3600)) as demo:
        gr.HTML('<h1 class="app-title">Defence news assistant</h1><p class="app-sub">Answers quote the indexed articles, '
                "with a card for every source. If the articles do not cover a question, it says so.</p>")
        turns, rated = gr.State([]), gr.State(None)
        saved = history_sidebar()
        with gr.Tabs() as tabs:
            with gr.Tab("Ask", id="ask"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=320):
                        chat = gr.Chatbot(label="Conversation", elem_id="chat", height="62vh", latex_delimiters=[],
                                          feedback_options=("Like", "Dislike"), buttons=[], autoscroll=False, render_markdown=False,
                                          show_label=False,  # a floating label covered the first line; ui.js keeps answers in view
                                          placeholder="Ask about the defence news in the index, e.g. “How many satellites has Project Kuiper launched?”")
                        with gr.Row(equal_height=True):
                            question = gr.Textbox(label="Question", elem_id="question", placeholder="Ask a question",
                                                  lines=1, max_lines=1, scale=5, autofocus=True)
                            send = gr.Button("Ask", variant="primary", elem_id="send", scale=1, min_width=80)
                        new_chat = gr.Button("New conversation", size="sm", elem_id="new-chat")
                        with gr.Accordion("Feedback comment", open=False):
                            comment = gr.Textbox(label="Comment on the answer you rated (optional)", elem_id="comment", lines=2)
                            send_comment = gr.Button("Send comment", size="sm")
                            feedback_note = gr.Markdown(elem_id="feedback-note")
                        with gr.Accordion("Export", open=False):
                            last_md = gr.Textbox(label="Last answer with citations (Markdown)", elem_id="last-md", lines=6,
                                                 interactive=False, buttons=["copy"])
                            download = gr.DownloadButton("Download conversation (.md)", elem_id="download", interactive=False)
                    with gr.Column(scale=1, min_width=260, elem_id="filters"):
                        gr.Markdown("### Filters")
                        since = gr.Textbox(label="From date", placeholder="YYYY-MM-DD", elem_id="since")
                        until = gr.Textbox(label="To date", placeholder="YYYY-MM-DD", elem_id="until")
                        source = gr.Dropdown(label="Source", choices=[], value=None, allow_custom_value=True, elem_id="source")
                        tag = gr.Textbox(label="Tag", placeholder="e.g. space", elem_id="tag")
                        kind = gr.Dropdown(label="Source kind", choices=["", *KINDS], value="", elem_id="source-kind")
                        mode = gr.Radio([(MODE_LABELS.get(m, m), m) for m in modes], value=default_mode, label="Answer mode",
                                        interactive=len(modes) > 1, elem_id="mode",
                                        info=None if len(modes) > 1 else "No language model is configured.")
                        k = gr.Slider(1, MAX_PASSAGES, value=settings.top_k, step=1, label="Passages to retrieve", elem_id="k")
            with gr.Tab("Corpus", id="corpus"):
                gr.Markdown(f"Upload article files ({', '.join(sorted(SUFFIXES))}: PDF reports are cited by page), up to "
                            f"{settings.max_upload_mb:g} MB each, or give the address of a web page or an RSS/Atom feed (each "
                            "entry's article is fetched). They are indexed as soon as they arrive; `assistant watch` keeps "
                            "feeds and folders up to date. Add a manifest.csv (id, title, date, source, url) with .txt "
                            "files to give them their metadata, or use the form that follows a single .txt or .md upload. Below: "
                            "every indexed article, to read or delete.")
                files = gr.File(label="Article files", file_count="multiple", file_types=[*sorted(SUFFIXES), ".csv"], elem_id="upload")
                with gr.Row(equal_height=True):
                    page_url = gr.Textbox(label="Page or feed URL", placeholder="https://… a news page, or an RSS/Atom feed",
                                          lines=1, max_lines=1, scale=5, elem_id="page-url")
                    fetch = gr.Button("Fetch and index", scale=1, min_width=120, elem_id="fetch-url")
                progress = gr.HTML(elem_id="upload-progress")
                details_form = UploadDetailsForm(assistant)
                details_form.build()
                stats = gr.HTML(elem_id="stats")
                watch_status = gr.HTML(elem_id="watch-status")
                refresh = gr.Button("Refresh statistics", size="sm")
                browser = CorpusBrowser(assistant, corpus)
                browser.build(stats, source)
            timeline_tab(assistant, parse_day)
        browser.mount(tabs, demo)

        inputs = [question, chat, turns, since, until, source, tag, mode, k, kind]
        outputs = [question, chat, turns, last_md, download]
        asked = question.submit(handlers.respond, inputs, outputs, api_name="ask")
        clicked = send.click(handlers.respond, inputs, outputs, api_name=False)
        examples = ExampleQuestions(assistant)  # drawn from the index, asked for real before they are shown
        def example_text(data: gr.SelectData) -> str:  # gradio hands the click over only to an annotated parameter
            return data.value.get("text", "") if isinstance(data.value, dict) else ""

        picked = chat.example_select(example_text, None, question, api_name=False, queue=False).then(
            handlers.respond, inputs, outputs, api_name=False)
        show_examples = lambda: gr.update(examples=[{"text": q} for q in examples.current()] or None)  # noqa: E731
        demo.load(show_examples, None, chat, api_name=False)
        new_chat.click(show_examples, None, chat, api_name=False)
        def reset() -> tuple[Any, ...]:
            return [], [], None, "", gr.update(value=None, interactive=False)

        new_chat.click(reset, None, [chat, turns, rated, last_md, download], api_name=False, queue=False)
        chat.clear(reset, None, [chat, turns, rated, last_md, download], api_name=False, queue=False)
        wire_history(demo, saved, [asked, clicked, picked], new_chat, chat, turns, [rated, last_md, download],
                     restore_view=_restored_view, cleared=lambda: reset()[2:])
        chat.like(handlers.rate, [turns, comment], [rated, feedback_note, comment], api_name=False)
        send_comment.click(handlers.comment, [turns, rated, comment], [feedback_note, comment], api_name=False)

        def index_files(paths: list[str] | None) -> Iterator[tuple[str, Any, Any]]:
            if not paths:
                yield rows_html([]), gr.skip(), gr.skip()
                return
            try:
                for rows in corpus.ingest_uploads(paths):
                    yield rows_html(rows), gr.skip(), gr.skip()
                yield rows_html(rows), stats_html(corpus.stats()), gr.update(choices=corpus.sources())
            except AssistantError as exc:
                raise gr.Error(esc(str(exc))) from exc

        def load_corpus(fresh: bool = False) -> tuple[str, Any]:
            try:
                return stats_html(corpus.stats(fresh=fresh)), gr.update(choices=corpus.sources())
            except AssistantError as exc:
                raise gr.Error(esc(str(exc))) from exc

        uploaded = files.upload(index_files, files, [progress, stats, source], api_name="upload")
        details_form.attach(uploaded, files)

        def index_url(url: str) -> Iterator[tuple[str, Any, Any]]:
            try:
                for rows in corpus.ingest_url(url or ""):
                    yield rows_html(rows), gr.skip(), gr.skip()
                yield rows_html(rows), stats_html(corpus.stats()), gr.update(choices=corpus.sources())
            except AssistantError as exc:
                raise gr.Error(esc(str(exc))) from exc

        fetch.click(index_url, page_url, [progress, stats, source], api_name="fetch_url")
        page_url.submit(index_url, page_url, [progress, stats, source], api_name=False)
        refresh.click(lambda: watch_html(settings), None, watch_status, api_name=False)
        demo.load(lambda: watch_html(settings), None, watch_status, api_name=False)
        refresh.click(lambda: load_corpus(True), None, [stats, source], api_name=False)
        demo.load(load_corpus, None, [stats, source], api_name=False)
    return demo


def serve(assistant: "Assistant") -> None:
    """Serve the UI on settings.host:settings.port (127.0.0.1:7860 by default); blocks until stopped."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    settings = assistant.settings
    auth = None
    if settings.auth_user and settings.auth_password:
        auth = (settings.auth_user, settings.auth_password.get_secret_value())
    elif settings.auth_user or settings.auth_password:
        raise AssistantError("set both ASSISTANT_AUTH_USER and ASSISTANT_AUTH_PASSWORD to require a login")
    if auth is None and settings.host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("serving on %s without a login: anyone who can reach it can ask and upload; set ASSISTANT_AUTH_USER "
                    "and ASSISTANT_AUTH_PASSWORD", settings.host)
    demo = build_ui(assistant)
    demo.queue(default_concurrency_limit=settings.concurrency_limit)
    log.info("serving on http://%s:%s", settings.host, settings.port)
    demo.launch(
        server_name=settings.host,
        server_port=settings.port,
        auth=auth,
        auth_message="Sign in to the defence news assistant." if auth else None,
        max_file_size=int(settings.max_upload_mb * 1_000_000),
        share=False,
        quiet=True,  # gradio's banner ends with a hint to set share=True, which this app never does
        ssr_mode=False,
        mcp_server=False,
        pwa=False,
        show_error=False,  # unexpected exceptions stay in the server log; gr.Error messages are still shown
        footer_links=["api"],  # at phone width the API link hides and left a stray "· Settings"
        **launch_options(),
    )
