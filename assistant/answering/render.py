"""Answers as plain text and as the JSON contract of `assistant ask --json`."""

from __future__ import annotations

import re
import textwrap
from typing import Any

from ..analyst.conflicts import conflict_dict
from ..schema import Answer, Citation


def citation_dict(c: Citation) -> dict[str, Any]:
    chunk = c.passage.chunk
    return {
        "n": c.n,
        "article_id": chunk.article_id,
        "title": chunk.title,
        "source": chunk.source,
        "url": chunk.url,
        "published": chunk.published.isoformat() if chunk.published else None,
        "path": chunk.path,
        "page": chunk.page,
        "chunk_id": chunk.id,
        "text": chunk.text,
        "start": chunk.start,
        "end": chunk.end,
        "highlights": [list(span) for span in c.highlights],
        "source_kind": c.source_kind or "unknown",
        "corroborated_by": c.corroborated_by,
        "duplicates": list(c.duplicates),
        "also": [
            {"chunk_id": a.passage.chunk.id, "text": a.passage.chunk.text, "start": a.passage.chunk.start,
             "end": a.passage.chunk.end, "highlights": [list(span) for span in a.highlights]}
            for a in c.also
        ],
    }


def answer_dict(answer: Answer) -> dict[str, Any]:
    data: dict[str, Any] = {
        "question": answer.question,
        "answer": answer.text,
        "abstained": answer.abstained,
        "short_answer": answer.short_answer,
        "replaced": answer.replaced,
        "mode": answer.mode,
        "citations": [citation_dict(c) for c in answer.citations],
        "timings_ms": answer.timings_ms,
        "conflicts": [conflict_dict(c) for c in answer.conflicts],
    }
    if answer.standalone_question and answer.standalone_question != answer.question:
        data["standalone_question"] = answer.standalone_question
    if answer.dropped_markers:
        data["dropped_markers"] = list(answer.dropped_markers)
    if answer.held_back:
        data["held_back"] = list(answer.held_back)
    if answer.notice:
        data["notice"] = answer.notice
    if answer.notice_details:
        data["notice_details"] = answer.notice_details
    if answer.sentences:
        data["sentences"] = [
            {"text": s.text, "citations": list(s.citations), "supported": s.supported, "reasons": list(s.reasons)}
            for s in answer.sentences
        ]
    if answer.abstained:
        data["closest_passages"] = [
            {"rank": p.rank, "article_id": p.chunk.article_id, "title": p.chunk.title, "chunk_id": p.chunk.id, "score": round(p.score, 4)}
            for p in answer.passages[:3]
        ]
    return data


# Terminal control characters (ESC sequences can retitle, recolour or hide text) from article or model text.
_TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def answer_text(answer: Answer, width: int = 100) -> str:
    """The answer for a terminal; article and model text cannot carry control sequences through."""
    return _TERMINAL_CONTROL.sub("", _answer_lines(answer, width))


def _answer_lines(answer: Answer, width: int) -> str:
    lines = [textwrap.fill(answer.text, width)]
    if answer.notice:
        lines += ["", f"Note: {answer.notice}"]
    if answer.conflicts:
        lines += ["", "Reports differ:"]
        for conflict in answer.conflicts:
            lines.append(f"  {conflict.about}:")
            for v in conflict.values:
                lines.append(f"    {v.value} [{v.n}] {v.source or 'unknown source'}, {v.published or 'undated'}" + (f" ({v.note})" if v.note else ""))
    if answer.notice_details:
        lines += [f"Details: {answer.notice_details}"]
    if answer.citations:
        lines += ["", "Sources:"]
        for c in answer.citations:
            chunk = c.passage.chunk
            date = chunk.published.isoformat() if chunk.published else "undated"
            page = f", p. {chunk.page}" if chunk.page is not None else ""
            lines.append(f"[{c.n}] {chunk.title} ({chunk.source or 'unknown source'}, {date}{page})" + _corroboration(c))
            if chunk.url:
                lines.append(f"    {chunk.url}")
            for part in (c, *c.also):  # every cited passage of the article, under its one number
                text = part.passage.chunk.text
                for start, end in part.highlights or ((0, len(text)),):
                    lines.append(textwrap.indent(textwrap.fill(f'"{text[start:end]}"', width - 4), "    "))
    elif answer.abstained and answer.passages:
        lines += ["", "Closest passages found (not an answer):"]
        closest = {p.chunk.article_id: p for p in reversed(answer.passages)}  # best chunk of each article
        for p in sorted(closest.values(), key=lambda p: p.rank)[:3]:
            lines.append(f"  - [{p.rank}] {p.chunk.title} ({p.chunk.source}, {p.chunk.published or 'undated'})")
    return "\n".join(lines)


def _corroboration(c: Citation) -> str:
    parts = [f"also reported by {c.corroborated_by} other source(s)"] if c.corroborated_by else []
    if c.duplicates:
        parts.append(f"copies: {', '.join(c.duplicates)}")
    return f" — {'; '.join(parts)}" if parts else ""
