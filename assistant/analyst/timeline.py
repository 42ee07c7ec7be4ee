"""The dated events about a subject (a programme, company, system or contract), oldest first, each cited.

An event is a sentence that names the subject (or, in an article whose title names it, a sentence that
states a date or leads the article). Its date is the date the sentence states, else the article's; a
sentence whose date cannot be read (a month with no year in an undated article) is left out and counted.
The same event reported by several articles (same date, mostly the same words, or copies of one story)
is one event listing every source. Corrections are marked.

`build_timeline` works on any chunks, so a digest of a broad question can share it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Callable, Iterable

from ..ingest.chunking import split_sentences
from .revisions import is_correction
from ..schema import Chunk, Filters
from ..text import terms
from ..question.timeparse import stated_dates

_SAME_EVENT = 0.35  # share of terms two sentences of one date must have in common to be one event


@dataclass(frozen=True)
class TimelineEvent:
    date: date
    text: str
    article_id: str
    title: str
    source: str
    start: int  # offsets into the article's text
    end: int
    published: date | None = None
    correction: bool = False
    sources: tuple[dict[str, Any], ...] = ()  # every article that reports it, this one first


@dataclass
class Timeline:
    subject: str
    events: list[TimelineEvent] = field(default_factory=list)
    undated: int = 0  # sentences left out because their date could not be read

    @property
    def note(self) -> str:
        if not self.events:
            return f"No dated events about {self.subject!r} in the indexed articles."
        return f"{self.undated} sentence(s) left out: their date could not be read." if self.undated else ""


def build_timeline(
    subject: str,
    chunks: Iterable[Chunk],
    since: date | None = None,
    until: date | None = None,
    source: str | None = None,
    group_of: Callable[[str], str] | None = None,
) -> Timeline:
    group_of = group_of or (lambda article_id: article_id)
    wanted = set(terms(subject))
    timeline = Timeline(subject)
    events: list[TimelineEvent] = []
    seen: set[tuple[str, int]] = set()
    for chunk in chunks:
        if not wanted or (source and chunk.source.lower() != source.lower()):
            continue
        title_names = wanted <= set(terms(chunk.title))
        for i, (start, end) in enumerate(split_sentences(chunk.text)):
            where = (chunk.article_id, chunk.start + start)
            if where in seen:
                continue  # the sentence an overlapping chunk repeats
            seen.add(where)
            sentence = chunk.text[start:end]
            names = wanted <= set(terms(sentence))
            stated = stated_dates(sentence, chunk.published)
            lead = chunk.index == 0 and i == 0
            if not (names or (title_names and (stated or lead))):
                continue
            when = stated[0][2] if stated else chunk.published
            if when is None:
                timeline.undated += 1
                continue
            if (since and when < since) or (until and when > until):
                continue
            events.append(TimelineEvent(
                when, " ".join(sentence.split()), chunk.article_id, chunk.title, chunk.source,
                chunk.start + start, chunk.start + end, chunk.published, is_correction(sentence),
            ))
    timeline.events = _merge(sorted(events, key=lambda e: (e.date, e.published or e.date, e.article_id, e.start)), group_of)
    return timeline


def _merge(events: list[TimelineEvent], group_of: Callable[[str], str]) -> list[TimelineEvent]:
    merged: list[TimelineEvent] = []
    words: list[set[str]] = []
    for event in events:
        mine = set(terms(event.text))
        for i, kept in enumerate(merged):
            if kept.date != event.date or kept.article_id == event.article_id:
                continue
            shared = len(mine & words[i]) / max(1, min(len(mine), len(words[i])))
            if shared >= _SAME_EVENT or group_of(kept.article_id) == group_of(event.article_id) and shared >= _SAME_EVENT / 2:
                merged[i] = replace(kept, sources=kept.sources + (_source(event),), correction=kept.correction or event.correction)
                break
        else:
            merged.append(replace(event, sources=(_source(event),)))
            words.append(mine)
    return merged


def _source(event: TimelineEvent) -> dict[str, Any]:
    return {
        "article_id": event.article_id, "title": event.title, "source": event.source,
        "published": event.published.isoformat() if event.published else None, "start": event.start, "end": event.end,
    }


def timeline_chunks(retriever: Any, subject: str, filters: Filters | None = None, k: int = 200) -> list[Chunk]:
    """The chunks whose words match the subject best (keyword index), for `build_timeline`."""
    retriever.keyword.maybe_reconcile(retriever.store)
    ids = [i for i, _ in retriever.keyword.search(subject, k, filters)]
    return retriever.store.get_chunks(ids)


def timeline_dict(timeline: Timeline) -> dict[str, Any]:
    data: dict[str, Any] = {
        "subject": timeline.subject,
        "events": [
            {"date": e.date.isoformat(), "text": e.text, "article_id": e.article_id, "title": e.title, "source": e.source,
             "start": e.start, "end": e.end, "sources": list(e.sources), "correction": e.correction}
            for e in timeline.events
        ],
    }
    if timeline.note:
        data["note"] = timeline.note
    return data


def timeline_markdown(timeline: Timeline) -> str:
    lines = [f"# Timeline: {timeline.subject}", ""]
    if timeline.note:
        lines += [f"_{timeline.note}_", ""]
    for e in timeline.events:
        sources = "; ".join(f"{s['source'] or 'unknown source'}, {s['published'] or 'undated'} ({s['article_id']})" for s in e.sources)
        mark = "**Correction.** " if e.correction else ""
        lines.append(f"- **{e.date.isoformat()}** — {mark}{e.text} — {sources}")
    return "\n".join(lines) + "\n"


def timeline_csv(timeline: Timeline) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "text", "article_id", "title", "source", "start", "end", "correction", "sources"])
    for e in timeline.events:
        writer.writerow([e.date.isoformat(), e.text, e.article_id, e.title, e.source, e.start, e.end, e.correction,
                         "; ".join(s["article_id"] for s in e.sources)])
    return out.getvalue()


def timeline_text(timeline: Timeline) -> str:
    if not timeline.events:
        return timeline.note
    lines = [f"{e.date.isoformat()}  {'[correction] ' if e.correction else ''}{e.text}\n            "
             + "; ".join(f"{s['source'] or 'unknown source'} ({s['article_id']})" for s in e.sources) for e in timeline.events]
    return "\n".join(lines + ([timeline.note] if timeline.note else []))
