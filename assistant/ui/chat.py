"""The chat's handlers: a question in, a streamed cited answer out, with filters, follow-ups, export and feedback
(the page that lays them out and serves them is `page.py`).

Conversation state lives in the browser session (chatbot value and `gr.State`), never in server globals,
so several instances can serve behind a load balancer against one Chroma server.
"""

from __future__ import annotations

import logging
import tempfile
import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import gradio as gr

from ..errors import AssistantError
from ..answering.render import citation_dict
from ..answering.request_log import request_line
from ..schema import Answer, Filters, SentenceCheck
from ..index.source_kinds import sources_of_kind
from .corpus_tab import FeedbackLog, feedback_record
from .render import answer_html, answer_markdown, conversation_markdown, error_html, esc, streaming_html

if TYPE_CHECKING:
    from ..app import Assistant

log = logging.getLogger(__name__)

_CITATION_KEYS = ("n", "article_id", "chunk_id", "title", "source", "published", "url", "page")
MAX_PASSAGES = 20


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


def conversation_file(turns: list[dict[str, Any]]) -> str:
    folder = Path(tempfile.gettempdir()) / "assistant-exports" / uuid.uuid4().hex[:12]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "conversation.md"
    path.write_text(conversation_markdown([t for t in turns if t.get("markdown")]), encoding="utf-8")
    return str(path)


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
        yield gr.skip(), chat, turns, markdown, gr.update(value=conversation_file(turns), interactive=True)

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

