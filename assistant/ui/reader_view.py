"""HTML for the reader view (a whole article, cited spans marked) and for the card's "Read the article" button.

Every article string is escaped here. A citation's spans travel in the article's own character offsets (the
chunk's start plus the span inside it), so the reader marks exactly what the card marked.
"""

from __future__ import annotations

import re
from urllib.parse import quote
from typing import Sequence

from ..index.articles import ArticleText
from ..schema import Citation
from .render import esc, highlighted, safe_url

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
