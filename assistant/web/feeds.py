"""RSS and Atom feeds (feedparser): recognising one, and its entries with a key and a hash each.

An entry's key is its GUID (Atom id, RSS guid), else its link; its hash covers what the feed says of it
(title, link, dates, summary, content), so an entry seen before and unchanged is not fetched again.
When the feed carries the whole article (content of at least FULL_TEXT_WORDS words), that text is used
and the page is not fetched at all.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

from .fetch import FetchError, Response

FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
              "application/x-rss+xml", "application/feed+xml"}
FULL_TEXT_WORDS = 120
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)\b", re.I)


@dataclass(frozen=True)
class Entry:
    key: str
    link: str
    title: str
    published: date | None
    full_text: str  # the article itself when the feed carries it, else ''
    digest: str


@dataclass(frozen=True)
class Feed:
    url: str
    title: str
    entries: tuple[Entry, ...]


def looks_like_feed(response: Response) -> bool:
    """A feed by its content type, or an XML body whose root is <rss>, <feed> or <rdf:RDF>."""
    if response.content_type in FEED_TYPES:
        return True
    head = response.body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not _FEED_ROOT.search(head):
        return False
    # served as HTML, it must still declare itself XML: an HTML page may mention "<feed" in a script
    return response.content_type not in {"text/html", "application/xhtml+xml"} or head.startswith(b"<?xml")


def parse_feed(response: Response, requested: str) -> Feed:
    """The feed's entries; raises `FetchError` naming the URL when the body is not an RSS or Atom feed."""
    import feedparser  # imported here: only feed ingestion pays for it

    parsed = feedparser.parse(response.body, response_headers={"content-location": response.url})
    if not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        detail = f" ({type(problem).__name__}: {str(problem)[:80]})" if problem else ""
        raise FetchError(requested, f"feed is not XML, or not RSS or Atom{detail}")
    feed = parsed.get("feed", {})
    title = " ".join(str(feed.get("title", "")).split()) or (urlsplit(response.url).hostname or "")
    entries = tuple(e for e in (_entry(item, response.url) for item in parsed.get("entries", [])) if e is not None)
    return Feed(response.url, title, entries)


def _entry(item: Any, base: str) -> Entry | None:
    link = str(item.get("link") or "").strip()
    link = urljoin(base, link) if link else ""
    key = str(item.get("id") or "").strip() or link
    if not key:
        return None
    if not urlsplit(key).scheme:
        key = f"{base}#{key}"  # a bare GUID ("1234") is only unique within its feed
    # dict.get: feedparser's own get() maps a missing 'updated' to 'published' with a DeprecationWarning
    stamp = dict.get(item, "published_parsed") or dict.get(item, "updated_parsed")
    published = date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday) if stamp else None
    contents = [str(c.get("value", "")) for c in item.get("content", []) or []]
    full_text = _text(max(contents, key=len)) if contents else ""
    if len(full_text.split()) < FULL_TEXT_WORDS:
        full_text = ""
    described = [item.get("title"), link, dict.get(item, "published"), dict.get(item, "updated"),
                 item.get("summary"), contents]
    digest = hashlib.sha1(json.dumps(described, default=str).encode()).hexdigest()[:16]
    return Entry(key, link, " ".join(str(item.get("title", "")).split()), published, full_text, digest)


def _text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    blocks = [el.get_text(" ", strip=True) for el in soup.find_all(["p", "li", "h2", "h3", "h4", "blockquote"])]
    return "\n\n".join(b for b in blocks if b) or soup.get_text("\n", strip=True)


def entry_link_or_fail(entry: Entry, feed_url: str) -> str:
    if not entry.link.startswith(("http://", "https://")):
        raise FetchError(entry.key, f"feed entry (in {feed_url}) has no http(s) link and no full text")
    return entry.link
