"""HTML and Markdown views of answers for the chat UI, and the reader view of a whole article (cited spans marked)
with the card's "Read the article" button. Every article, upload or model string is escaped here.

A citation's spans travel in the article's own character offsets (the chunk's start plus the span inside it), so
the reader marks exactly what the card marked.
"""

from __future__ import annotations

import html
import re
from typing import Any, Callable, Iterable, Sequence
from urllib.parse import quote, urlparse

from ..index.articles import ArticleText
from ..schema import Answer, Citation, Passage, SentenceCheck
from .analyst import conflicts_html

_MARKER = re.compile(r"\[(\d+)\]")
_LEAD = re.compile(r"^\*\*([^*<>]+)\*\*")  # the short answer's lead value, written in Markdown by the reader
_CONTEXT_CHARS = 240
_CLOSEST = 3


def esc(value: object) -> str:
    """Escape any text for HTML element content and quoted attributes."""
    return html.escape(str(value), quote=True)


def safe_url(url: str) -> str | None:
    """Only absolute http(s) links are shown; `javascript:`, `data:` and relative links are dropped."""
    url = (url or "").strip()
    parsed = urlparse(url)
    if parsed.scheme.lower() in ("http", "https") and parsed.netloc:
        return url
    return None


def card_id(turn_id: str, n: int) -> str:
    return f"cite-{turn_id}-{n}"


def _linked_markers(escaped: str, turn_id: str, cited: set[int]) -> str:
    """Turn `[n]` in already-escaped text into links to card n of this answer (only for cited passages)."""

    def link(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if n not in cited:
            return match.group(0)
        return f'<a class="cite" href="#{card_id(turn_id, n)}" aria-label="source {n}">[{n}]</a>'

    return _MARKER.sub(link, escaped)


def _merge(spans: Iterable[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted((max(0, s), min(length, e)) for s, e in spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlighted(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """Escaped `text` with each span wrapped in `<mark>`."""
    out, pos = [], 0
    for start, end in _merge(spans, len(text)):
        out += [esc(text[pos:start]), "<mark>", esc(text[start:end]), "</mark>"]
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def excerpt(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """The highlighted sentences with a little context either side, cut at word boundaries."""
    merged = _merge(spans, len(text))
    if not merged:
        return esc(text[: _CONTEXT_CHARS * 2]) + ("…" if len(text) > _CONTEXT_CHARS * 2 else "")
    lo = max(0, merged[0][0] - _CONTEXT_CHARS)
    hi = min(len(text), merged[-1][1] + _CONTEXT_CHARS)
    if lo > 0:
        lo = text.find(" ", lo, merged[0][0]) + 1 or lo
    if hi < len(text):
        cut = text.rfind(" ", merged[-1][1], hi)
        hi = cut if cut > 0 else hi
    shifted = [(s - lo, e - lo) for s, e in merged]
    body = highlighted(text[lo:hi], shifted)
    return ("…" if lo > 0 else "") + body + ("…" if hi < len(text) else "")


def _meta(passage: Passage) -> str:
    chunk = passage.chunk
    date = chunk.published.isoformat() if chunk.published else "undated"
    parts = [f'<span class="source">{esc(chunk.source or "unknown source")}</span>', f'<time>{esc(date)}</time>']
    if chunk.page is not None:
        parts.append(f'<span class="page">p. {esc(chunk.page)}</span>')
    url = safe_url(chunk.url)
    if url:
        parts.append(f'<a class="original" href="{esc(url)}" target="_blank" rel="noopener noreferrer">original article ↗</a>')
    return " · ".join(parts)


def card_html(turn_id: str, citation: Citation) -> str:
    chunk = citation.passage.chunk
    spans = citation.highlights
    return (
        f'<div class="card" id="{card_id(turn_id, citation.n)}" tabindex="-1">'
        f'<div class="card-head"><span class="num">[{citation.n}]</span> <strong class="headline">{esc(chunk.title)}</strong></div>'
        f'<div class="card-meta">{_meta(citation.passage)}{_kind(citation)}</div>'
        f'<blockquote class="passage">{excerpt(chunk.text, spans)}</blockquote>'
        + "".join(f'<blockquote class="passage also">{excerpt(a.passage.chunk.text, a.highlights)}</blockquote>' for a in citation.also)
        + f'<details class="full"><summary>Full passage</summary><div class="passage">{highlighted(chunk.text, spans)}</div></details>'
        + read_button(citation)
        + "</div>"
    )


def _kind(citation: Citation) -> str:
    """The kind of outlet, and how many other sources give the cited figures."""
    parts = [f' · <span class="kind">{esc(citation.source_kind)}</span>'] if citation.source_kind else []
    if citation.corroborated_by:
        parts.append(f' · <span class="corroborated">also reported by {citation.corroborated_by} other source(s)</span>')
    if citation.duplicates:
        parts.append(f' · <span class="duplicates">copies: {esc(", ".join(citation.duplicates))}</span>')
    return "".join(parts)


def closest_html(passages: Sequence[Passage]) -> str:
    items = "".join(
        f'<li><strong class="headline">{esc(p.chunk.title)}</strong> <span class="card-meta">{_meta(p)}</span>'
        f'<div class="passage">{excerpt(p.chunk.text, ())}</div></li>'
        for p in passages[:_CLOSEST]
    )
    return (
        '<div class="closest"><div class="closest-label">Closest passages found — not an answer, not cited</div>'
        f"<ul>{items}</ul></div>"
    )


def _flags(sentences: Sequence[SentenceCheck], live: bool = False) -> str:
    flagged = [s for s in sentences if not s.supported]
    if not flagged:
        return ""
    items = "".join(
        f'<li><span class="flagged">{esc(s.text)}</span> — {esc("; ".join(s.reasons) or "not supported by the cited passage")}</li>'
        for s in flagged
    )
    label = "Checked as it is written" if live else "Check these sentences"
    kind = "flags live" if live else "flags"
    return f'<div class="{kind}"><div class="flags-label">⚠ {label}: the passages may not support these sentences</div><ul>{items}</ul></div>'


def _marked(text: str, checks: Sequence[SentenceCheck], render: Callable[[str], str], kind: str = "flagged") -> str:
    """`text` rendered piece by piece with unsupported sentences wrapped, so no markup is ever inserted into
    markup (a marker inside a reason would otherwise land in an attribute)."""
    pieces, pos = [], 0
    for s in checks:
        sentence = s.text.strip()
        start = text.find(sentence, pos) if sentence and not s.supported else -1
        if start < 0:
            continue
        pieces.append(render(text[pos:start]))
        reason = esc("; ".join(s.reasons))
        pieces.append(f'<span class="{kind}" title="{reason}">{render(sentence)}</span>')
        pos = start + len(sentence)
    pieces.append(render(text[pos:]))
    return "".join(pieces)


def _answer_body(answer: Answer, turn_id: str, cited: set[int]) -> str:
    """Escaped answer text with cited markers linked and unsupported sentences wrapped."""
    body = _marked(answer.text, answer.sentences, lambda part: _linked_markers(esc(part), turn_id, cited))
    return _LEAD.sub(r"<strong>\1</strong>", body, count=1)


def answer_html(answer: Answer, turn_id: str, markdown: str = "", filtered: bool = False) -> str:
    """The assistant message: answer (or abstention), notices, the rewritten question and the citation cards."""
    cited = {c.n for c in answer.citations}
    parts: list[str] = []
    if answer.abstained:
        parts.append('<div class="abstain-label">Not found in the indexed articles</div>')
        parts.append(f'<p class="answer-text">{esc(answer.text)}</p>')
        if answer.passages:
            parts.append(closest_html(answer.passages))
        elif filtered:
            parts.append('<p class="hint">No indexed article matches the filters; widen the date range, source or tag.</p>')
    else:
        parts.append(f'<p class="answer-text">{_answer_body(answer, turn_id, cited)}</p>')
    if answer.notice:
        parts.append(f'<p class="notice">⚠ {esc(answer.notice)}</p>')
    if answer.notice_details:
        parts.append(f'<details class="notice-details"><summary>Details</summary><p>{esc(answer.notice_details)}</p></details>')
    parts.append(_flags(answer.sentences))
    if answer.standalone_question and _norm(answer.standalone_question) != _norm(answer.question):
        parts.append(f'<p class="rewritten">Searched as: <q>{esc(answer.standalone_question)}</q></p>')
    parts.append(conflicts_html(answer, turn_id))  # "Reports differ", above the cards
    if answer.citations and not answer.abstained:
        cards = "".join(card_html(turn_id, c) for c in answer.citations)
        parts.append(f'<div class="cards" aria-label="sources">{cards}</div>')
    if markdown:
        parts.append(
            f'<div class="tools"><button type="button" class="copy-md">Copy as Markdown</button>'
            f'<pre class="md-src" hidden>{esc(markdown)}</pre></div>'
        )
    kind = "abstained" if answer.abstained else "answered"
    return f'<div class="answer {kind}" id="answer-{turn_id}" data-mode="{esc(answer.mode)}">' + "".join(parts) + "</div>"


def streaming_html(text: str, status: str = "", checks: Sequence[SentenceCheck] = ()) -> str:
    """A partial answer while it streams: plain escaped text, markers not yet linked, and the sentences the live
    check has flagged so far marked with their reasons (the final answer's own check replaces these marks)."""
    status_html = f'<div class="status" role="status">{esc(status)}</div>' if status else ""
    body = _marked(text, checks, esc, kind="flagged live")
    return f'<div class="answer streaming">{status_html}<p class="answer-text">{body}</p>{_flags(checks, live=True)}</div>'


def error_html(message: str) -> str:
    return f'<div class="answer error" role="alert"><p>⚠ {esc(message)}</p></div>'


def _norm(text: str) -> str:
    return " ".join(text.lower().split()).rstrip("?. ")


# --- Markdown export -------------------------------------------------------------------------------


_MD_ACTIVE = re.compile(r"[\\<>\[\]`]")
_KEPT_MARKER = re.compile(r"\\\[(\d+)\\\](?![(\[:])")


def md_text(value: object, markers: bool = False, inline: bool = True) -> str:
    """Article or model text made inert in Markdown: no links, images, autolinks, reference definitions,
    raw HTML or code spans can start from it (`<`, `>`, `[`, `]`, backquotes and backslashes are escaped).
    With `markers`, citation markers `[n]` stay readable unless what follows could make them a link;
    `inline` folds line breaks so a title or quote stays on its line."""
    text = " ".join(str(value).split()) if inline else str(value)
    escaped = _MD_ACTIVE.sub(lambda m: "\\" + m.group(0), text)
    return _KEPT_MARKER.sub(r"[\1]", escaped) if markers else escaped


def md_url(url: str) -> str | None:
    """An http(s) link usable as a Markdown link destination: characters that could end it are percent-encoded."""
    safe = safe_url(url)
    return quote(safe, safe=";/?:@&=+$,%#~-._!*'") if safe else None


def answer_markdown(answer: Answer) -> str:
    """The answer with its citations, as Markdown an analyst can paste into a report."""
    lines = [f"**Q:** {md_text(answer.question)}", ""]
    if answer.standalone_question and _norm(answer.standalone_question) != _norm(answer.question):
        lines += [f"_Searched as: {md_text(answer.standalone_question)}_", ""]
    lines.append(md_text(answer.text, markers=True, inline=False))
    if answer.notice:
        lines += ["", f"> Note: {md_text(answer.notice)}"]
    if answer.citations and not answer.abstained:
        lines += ["", "**Sources**", ""]
        for c in answer.citations:
            lines.append(citation_markdown(c))
    return "\n".join(lines).strip() + "\n"


def citation_markdown(c: Citation) -> str:
    chunk = c.passage.chunk
    date = chunk.published.isoformat() if chunk.published else "undated"
    url = md_url(chunk.url)
    title = f"[{md_text(chunk.title)}]({url})" if url else md_text(chunk.title)
    quotes = [md_text(chunk.text[s:e]) for s, e in _merge(c.highlights, len(chunk.text))]
    quote_text = " … ".join(q for q in quotes if q)
    line = f"[{c.n}] {title} — {md_text(chunk.source or 'unknown source')}, {date}"
    if chunk.page is not None:
        line += f", p. {chunk.page}"
    line += f"\n    Article id: {md_text(chunk.article_id)} · Link: " + (f"`{url}`" if url else "none")  # ids and links survive a paste; the title already links
    return line + (f'\n    > "{quote_text}"' if quote_text else "")


def conversation_markdown(turns: Sequence[dict[str, Any]]) -> str:
    header = "# Conversation with the defence news assistant\n"
    return header + "\n---\n\n".join(["", *[t["markdown"] for t in turns]]).rstrip() + "\n"


# --- the reader view ------------------------------------------------------------------------------

_SPANS = re.compile(r"^\d{1,9}-\d{1,9}(,\d{1,9}-\d{1,9}){0,63}$")


def citation_spans(citation: Citation) -> list[tuple[int, int]]:
    """The card's marked spans (its passage and any other passage of the article it holds), in article offsets."""
    spans = []
    for cited in (citation, *citation.also):
        chunk = cited.passage.chunk
        spans += [(chunk.start + s, chunk.start + e) for s, e in cited.highlights] or [(chunk.start, chunk.end)]
    return spans


def read_button(citation: Citation) -> str:
    """The link a card carries to open its article in the Corpus tab's reader, spans marked. The chat keeps only
    a few attributes of its messages' HTML (no data-*), so the article and spans travel in the link's fragment."""
    chunk = citation.passage.chunk
    spans = ",".join(f"{s}-{e}" for s, e in citation_spans(citation))
    return f'<a class="read-article" href="#read:{esc(quote(chunk.article_id, safe=""))}:{spans}">Read the article</a>'


def parse_spans(value: str) -> list[tuple[int, int]]:
    """'12-80,300-340' -> [(12, 80), (300, 340)]; anything else (a page can send any text) -> []."""
    value = (value or "").strip()
    if not _SPANS.match(value):
        return []
    return [(int(a), int(b)) for a, b in (part.split("-") for part in value.split(",")) if int(a) < int(b)]


def reader_html(article: ArticleText | None, spans: Sequence[tuple[int, int]] = (), note: str = "") -> str:
    """The whole article: headline, date, source, link, id, and its text with `spans` in <mark>."""
    if article is None:
        message = note or "Choose an article in the table, or “Read the article” on a citation card, to read it here."
        return f'<div class="reader empty"><p class="hint">{esc(message)}</p></div>'
    row = article.row
    meta = [f'<span class="source">{esc(row.source or "unknown source")}</span>', f"<time>{esc(row.published or 'undated')}</time>",
            f'<span class="article-id">id <code>{esc(row.article_id)}</code></span>', f"{row.chunks} passage(s)"]
    url = safe_url(row.url)
    if url:
        meta.append(f'<a class="original" href="{esc(url)}" target="_blank" rel="noopener noreferrer">original article ↗</a>')
    marked = f'<p class="hint">{len(spans)} cited passage(s) marked.</p>' if spans else ""
    return (f'<article class="reader" data-article="{esc(row.article_id)}"><h3 class="reader-title">{esc(row.title)}</h3>'
            f'<div class="card-meta">{" · ".join(meta)}</div>{marked}'
            f'<div class="reader-text">{highlighted(article.text, spans)}</div></article>')
