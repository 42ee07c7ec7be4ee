"""A fetched web page as an article record: main text, headline, date and outlet by trafilatura.

The record has the fields of a `.jsonl` article (`id`, `title`, `body`, `date`, `url`, `source`), so a
fetched page is stored and indexed exactly like a prepared one; the page's URL is its citation link.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import Any
from urllib.parse import urlsplit

from .fetch import FetchError, Response

log = logging.getLogger(__name__)

HTML_TYPES = {"text/html", "application/xhtml+xml"}
MIN_WORDS = 20  # less main text than this is a navigation page, an error page or a script-only shell


def article_id(key: str) -> str:
    """A stable article id for a page or feed entry: its host and a hash of its URL or GUID."""
    host = urlsplit(key).hostname or "web"
    return f"{host}-{hashlib.sha1(key.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}"


def page_record(response: Response, requested: str, key: str | None = None) -> dict[str, Any]:
    """The article record of an HTML page; raises `FetchError` (naming `requested`) when there is none."""
    if response.content_type not in HTML_TYPES:
        raise FetchError(requested, f"serves {response.content_type or 'no content type'!r}, not an HTML page")
    document = extract(response.body, response.url)
    if document is None:
        raise FetchError(requested, "no article text found on the page")
    text = str(getattr(document, "text", "") or "")
    title = " ".join(str(getattr(document, "title", "") or "").split())
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]  # trafilatura repeats the headline as the first line of the text
    body = "\n\n".join(lines)
    if len(body.split()) < MIN_WORDS:
        raise FetchError(requested, f"no article text found on the page ({len(body.split())} words of main text)")
    return {
        "id": article_id(key or response.url),
        "title": title or _host(response.url),
        "body": body,
        "date": _iso_date(getattr(document, "date", None)),
        "url": response.url,
        "source": " ".join(str(getattr(document, "sitename", "") or "").split()) or _host(response.url),
    }


def extract(html: bytes | str, url: str) -> Any:
    """trafilatura's main text and metadata of a page (None when it finds no main text)."""
    import trafilatura  # imported here: only web ingestion pays for it

    try:
        return trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=True
        )
    except (ValueError, TypeError, RecursionError) as exc:  # malformed markup that lxml gives up on
        log.debug("trafilatura failed on %s: %s", url, exc)
        return None


def _iso_date(value: Any) -> str | None:
    text = str(value or "")
    return text[:10] if re.match(r"\d{4}-\d\d-\d\d", text) else None


def _host(url: str) -> str:
    return urlsplit(url).hostname or url
