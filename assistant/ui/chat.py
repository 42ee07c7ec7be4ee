"""The chat UI (Gradio Blocks): streamed cited answers, filters, follow-ups, export, feedback and uploads.

Conversation state lives in the browser session (chatbot value and `gr.State`), never in server globals,
so several instances can serve behind a load balancer against one Chroma server.
"""

from __future__ import annotations

import logging
import os
import tempfile
import uuid
from dataclasses import replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import gradio as gr

from ..ingest.loaders import SUFFIXES
from ..errors import AssistantError
from .examples import ExampleQuestions
from ..answering.render import citation_dict
from ..answering.request_log import request_line
from ..schema import Answer, Filters, SentenceCheck
from ..index.source_kinds import KINDS, sources_of_kind
from .analyst import timeline_tab
from .browser import CorpusBrowser
from .upload_form import UploadDetailsForm
from .corpus_tab import CorpusService, FeedbackLog, feedback_record, rows_html, stats_html, watch_html
from .history_panel import history_sidebar, wire_history
from .render import answer_html, answer_markdown, conversation_markdown, error_html, esc, streaming_html

if TYPE_CHECKING:
    from ..app import Assistant

log = logging.getLogger(__name__)

SYSTEM_FONTS = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"]
_CITATION_KEYS = ("n", "article_id", "chunk_id", "title", "source", "published", "url", "page")
MAX_PASSAGES = 20
MODE_LABELS = {"extractive": "Extractive (quotes the articles)", "llm": "LLM (writes from the passages)"}


def _static(name: str) -> str:
    return resources.files("assistant.ui").joinpath("static", name).read_text(encoding="utf-8")


def launch_options() -> dict[str, Any]:
    """Theme, CSS and JS for `Blocks.launch`: system fonts only, so the page fetches nothing remote."""
    theme = gr.themes.Default(font=SYSTEM_FONTS, font_mono=MONO_FONTS)
    return {"theme": theme, "css": _static("ui.css"), "js": _static("ui.js")}


def parse_day(value: str | None, label: str) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise gr.Error(f"{label}: '{esc(value)}' is not a date; use YYYY-MM-DD, e.g. 2025-06-10.") from None  # toasts render HTML


def make_filters(since: str | None, until: str | None, source: str | None, tag: str | None) -> Filters:
    start, end = parse_day(since, "From date"), parse_day(until, "To date")
    if start and end and start > end:
        raise gr.Error(f"The 'from' date {start} is after the 'to' date {end}.")
    return Filters(since=start, until=end, source=(source or "").strip() or None, tag=(tag or "").strip() or None)


def _turn(turn_id: str, answer: Answer, filters: Filters, k: int, markdown: str) -> dict[str, Any]:
    return {
        "id": turn_id,
        "question": answer.question,
        "standalone_question": answer.standalone_question,
        "answer": answer.text,
        "abstained": answer.abstained,
        "mode": answer.mode,
        "citations": [{key: citation_dict(c)[key] for key in _CITATION_KEYS} for c in answer.citations],
        "filters": {"since": str(filters.since or ""), "until": str(filters.until or ""), "source": filters.source, "tag": filters.tag},
        "k": k,
        "markdown": markdown,
    }


def _conversation_file(turns: list[dict[str, Any]]) -> str:
    folder = Path(tempfile.gettempdir()) / "assistant-exports" / uuid.uuid4().hex[:12]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "conversation.md"
    path.write_text(conversation_markdown([t for t in turns if t.get("markdown")]), encoding="utf-8")
    return str(path)


def _restored_view(turns: list[dict[str, Any]]) -> tuple[Any, ...]:
    """Rating, last answer and download for a conversation restored from the browser's history."""
    answered = [t for t in turns if t.get("markdown")]
    if not answered:
        return None, "", gr.update(value=None, interactive=False)
    return None, answered[-1]["markdown"], gr.update(value=_conversation_file(turns), interactive=True)


def _secret_values(settings: Any) -> list[str]:
    values = [s.get_secret_value() for s in (settings.llm_api_key, settings.auth_password) if s is not None]
    return [v for v in values if len(v) >= 4]


class ChatHandlers:
    """Event handlers; every piece of conversation state comes in and goes out through the session."""

    def __init__(self, assistant: "Assistant"):
        self.assistant = assistant
        self.feedback = FeedbackLog(assistant.settings.feedback_path)
        self._secrets = _secret_values(assistant.settings)

    def redact(self, text: str) -> str:
        """Configured secrets never reach the page, even when an endpoint echoes the API key in its error."""
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        return text

    def respond(self, question: str, chat: list[dict[str, Any]], turns: list[dict[str, Any]], since: str, until: str,
                source: str | None, tag: str, mode: str | None, k: float, kind: str | None = None) -> Iterator[tuple[Any, ...]]:
        question = (question or "").strip()
        if not question:
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        limit = self.assistant.settings.max_question_chars
        try:
            if len(question) > limit:
                raise gr.Error(f"The question is {len(question):,} characters long; ask in at most {limit:,}.")
            filters = make_filters(since, until, source, tag)
            if kind:  # a kind of source: any of the sources the kinds file lists under it
                filters = replace(filters, sources=sources_of_kind(kind, self.assistant.settings.source_kinds_path) or ("\0none",))
        except gr.Error as exc:  # a warning toast: an error status would cover the conversation
            gr.Warning(exc.message)
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        k = min(max(int(k or 1), 1), MAX_PASSAGES)  # the API takes any number; the slider's range is the limit
        log.debug("question %r, filters %s, mode %s, k %s", question, filters, mode, k)
        chat = [*chat, {"role": "user", "content": esc(question)}, {"role": "assistant", "content": streaming_html("", "Searching the articles…")}]
        yield "", chat, gr.skip(), gr.skip(), gr.skip()
        turn_id = uuid.uuid4().hex[:8]
        history = [t["question"] for t in turns if not t.get("error")]
        text, answer = "", None
        live: list[SentenceCheck] = []  # sentences the live check flagged while the answer streams
        try:
            for event in self.assistant.answerer.stream(question, history=history, filters=filters, mode=mode, k=int(k)):
                if event.kind == "status":
                    chat[-1] = {"role": "assistant", "content": streaming_html(text, "Writing the answer…")}
                elif event.kind == "reset":  # the model failed mid-answer: withdraw what it had written
                    text, live = "", []
                    chat[-1] = {"role": "assistant", "content": streaming_html(text, self.redact(event.text))}
                elif event.kind == "token":
                    text += event.text
                    chat[-1] = {"role": "assistant", "content": streaming_html(text, checks=live)}
                elif event.kind == "check":  # a sentence checked as soon as it was complete: mark it if flagged
                    if event.check is None or event.check.supported:
                        continue
                    live.append(event.check)
                    chat[-1] = {"role": "assistant", "content": streaming_html(text, checks=live)}
                elif event.answer is not None:
                    answer = event.answer
                    continue
                yield gr.skip(), chat, gr.skip(), gr.skip(), gr.skip()
            if answer is None:
                raise AssistantError("the answer stream ended without an answer")
        except AssistantError as exc:
            message = self.redact(str(exc))
            chat[-1] = {"role": "assistant", "content": error_html(message)}
            yield gr.skip(), chat, [*turns, {"id": turn_id, "question": question, "error": message}], gr.skip(), gr.skip()
            return
        except Exception:  # the page must stay usable; the traceback goes to the server log
            log.exception("answering %r failed", question)
            chat[-1] = {"role": "assistant", "content": error_html("Something went wrong while answering; the server log has the details.")}
            yield gr.skip(), chat, [*turns, {"id": turn_id, "question": question, "error": "internal error"}], gr.skip(), gr.skip()
            return
        if answer.notice:
            answer = replace(answer, notice=self.redact(answer.notice))
        log.info("%s", request_line(question, answer))  # sizes and timings only: no question or answer text
        markdown = answer_markdown(answer)
        filtered = any((filters.since, filters.until, filters.source, filters.tag, filters.sources))
        chat[-1] = {"role": "assistant", "content": answer_html(answer, turn_id, markdown, filtered=filtered)}
        turns = [*turns, _turn(turn_id, answer, filters, int(k), markdown)]
        yield gr.skip(), chat, turns, markdown, gr.update(value=_conversation_file(turns), interactive=True)

    def rate(self, turns: list[dict[str, Any]], comment: str, data: gr.LikeData) -> tuple[Any, ...]:
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        turn_index = int(index) // 2
        if not 0 <= turn_index < len(turns) or turns[turn_index].get("error"):
            return gr.skip(), "Only answers can be rated.", gr.skip()
        rating = "up" if data.liked is True else "down" if data.liked is False else None
        self.feedback.append(feedback_record(turns[turn_index], rating, comment or ""))
        if rating is None:
            return {"turn": turn_index, "rating": None}, "Rating removed (recorded).", ""
        thanks = "Thanks: 👍 recorded." if rating == "up" else "Thanks: 👎 recorded. Add a comment below to say what was wrong."
        return {"turn": turn_index, "rating": rating}, thanks, ""

    def comment(self, turns: list[dict[str, Any]], rated: dict[str, Any] | None, comment: str) -> tuple[str, Any]:
        comment = (comment or "").strip()
        if not comment:
            return "Write a comment first.", gr.skip()
        if not turns:
            return "Ask a question first.", gr.skip()
        turn_index = rated["turn"] if rated else len(turns) - 1
        rating = rated["rating"] if rated else None
        self.feedback.append(feedback_record(turns[turn_index], rating, comment))
        return f"Comment recorded for answer {turn_index + 1}.", ""


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
