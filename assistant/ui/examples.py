"""Example questions for the empty chat, drawn from whatever is indexed (no list written for one corpus).

For the newest articles, the subject is a name the article's lead sentence spells as a name (capitalised words,
so title case cannot fool it) that the headline also holds: "Nimitz Carrier Strike Group" from "Nimitz Carrier
Strike Group Enters 5th Fleet". It goes into a broad-question template ("What's the latest on …?"), and the
question is kept only if the assistant, asked it for real, answers and cites that very article. An empty index,
or articles without such a name, give no examples rather than a bad one.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import TYPE_CHECKING, Any, Iterable

from ..errors import AssistantError
from ..grounding.name_runs import _TOKEN, _key, name_runs

if TYPE_CHECKING:
    from ..app import Assistant

log = logging.getLogger(__name__)

TEMPLATES = ("What's the latest on {}?", "What's going on with {}?", "Tell me about {}.")
MOST = 4
_TRIES = 10  # candidates asked at most, newest article first
_LEAD_CHARS = 600


def newest_articles(records: Iterable[tuple[str, str, dict[str, Any]]], most: int = _TRIES) -> list[dict[str, Any]]:
    """The `most` newest articles (id, title, published, lead text of their first chunk), from store records."""
    first: dict[str, dict[str, Any]] = {}
    for chunk_id, document, meta in records:
        article = str(meta.get("article_id") or "")
        index = int(meta.get("index") or meta.get("chunk_index") or 0)
        if not article or (article in first and first[article]["index"] <= index):
            continue
        first[article] = {"id": article, "title": str(meta.get("title") or ""), "published": str(meta.get("published") or ""),
                          "index": index, "chunk_id": chunk_id, "lead": document[:_LEAD_CHARS]}
    ranked = sorted(first.values(), key=lambda a: (a["published"], a["id"]), reverse=True)
    return ranked[:most]


def subject_of(title: str, lead: str) -> str:
    """The longest name of two or more words in the lead that the title spells word for word, in the title's words."""
    words = [m.group() for m in _TOKEN.finditer(title) if m.group()[0].isalnum()]
    keys = [_key(w) for w in words]
    best = ""
    for run in name_runs(lead):
        n = len(run)
        if n < 2 or n <= len(best.split()):
            continue
        for start in range(len(keys) - n + 1):
            if keys[start : start + n] == run and not words[start][0].islower():
                best = " ".join(words[start : start + n])
                break
    return best


def candidates(articles: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(question, article id) per article with a subject, each subject once, templates in turn."""
    out, seen = [], set()
    for article in articles:
        subject = subject_of(article["title"], article["lead"])
        if not subject or subject.lower() in seen:
            continue
        seen.add(subject.lower())
        out.append((TEMPLATES[len(out) % len(TEMPLATES)].format(subject), article["id"]))
    return out


class ExampleQuestions:
    """Examples for the current index, recomputed when the number of indexed chunks or the newest articles change."""

    def __init__(self, assistant: "Assistant"):
        self.assistant = assistant
        self._lock = threading.Lock()
        self._key: Any = None
        self._questions: list[str] = []

    def current(self) -> list[str]:
        with self._lock:
            try:
                articles = newest_articles(self.assistant.store.iter_records())  # metadata only: cheap on a big index
                leads = {c.id: c.text for c in self.assistant.store.get_chunks([a["chunk_id"] for a in articles])}
                articles = [{**a, "lead": leads.get(a["chunk_id"], "")[:_LEAD_CHARS]} for a in articles]
                key = (self.assistant.store.count(), tuple(a["id"] for a in articles))
                if key != self._key:
                    self._questions, self._key = self._checked(candidates(articles)), key
            except AssistantError as exc:
                log.warning("example questions: %s", exc)
                return []
            return list(self._questions)

    def _checked(self, asked: list[tuple[str, str]]) -> list[str]:
        kept = []
        for question, article in asked:
            answer = self.assistant.answerer.ask(question, mode="extractive")
            if not answer.abstained and any(c.passage.chunk.article_id == article for c in answer.citations):
                kept.append(question)
            if len(kept) == MOST:
                break
        return kept
