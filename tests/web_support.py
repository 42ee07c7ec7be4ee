"""A real HTTP server on loopback for the web-ingest tests: pages, RSS and Atom feeds, and failing routes."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from email.utils import format_datetime
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

from assistant.answering.llm import free_port

Route = tuple[int, dict[str, str], bytes] | Callable[[], tuple[int, dict[str, str], bytes]]


@dataclass
class Hit:
    path: str
    user_agent: str
    at: float


@dataclass
class WebServer:
    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def paths(self) -> list[str]:
        return [h.path for h in self.hits]


def start(server_state: WebServer) -> tuple[ThreadingHTTPServer, threading.Thread]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            server_state.hits.append(Hit(self.path, self.headers.get("User-Agent", ""), time.monotonic()))
            route = server_state.routes.get(self.path)
            if route is None:
                status, headers, body = 404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>"
            else:
                status, headers, body = route() if callable(route) else route
            try:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        def log_message(self, *args: object) -> None:
            pass

    server_state.port = free_port()
    httpd = ThreadingHTTPServer(("127.0.0.1", server_state.port), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    return httpd, thread


# --- content ---------------------------------------------------------------------------------


def html_page(title: str, body: str, date: str, site: str = "Loopback Defence Wire") -> bytes:
    paragraphs = "".join(f"<p>{p.strip()}</p>" for p in body.split("\n\n") if p.strip())
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{title} | {site}</title>
<meta property="og:site_name" content="{site}"><meta property="article:published_time" content="{date}T09:00:00Z">
</head><body><nav><a href="/">Home</a> <a href="/about">About us</a> <a href="/subscribe">Subscribe to our newsletter</a></nav>
<article><h1>{title}</h1>{paragraphs}</article>
<footer><p>Copyright 2025 Loopback Defence Wire. All rights reserved. Cookie settings and privacy policy.</p></footer>
</body></html>""".encode()


def rss(title: str, items: list[tuple[str, str, str, str]]) -> bytes:
    """items: (guid, link, title, YYYY-MM-DD)."""
    parts = []
    for guid, link, headline, day in items:
        stamp = format_datetime(datetime.fromisoformat(day).replace(hour=8, tzinfo=timezone.utc))
        parts.append(f"<item><title>{headline}</title><link>{link}</link><guid isPermaLink=\"false\">{guid}</guid>"
                     f"<pubDate>{stamp}</pubDate><description>Short teaser for {headline}.</description></item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://127.0.0.1/</link><description>Test feed</description>{''.join(parts)}</channel></rss>").encode()


def atom(title: str, entries: list[tuple[str, str, str, str, str]]) -> bytes:
    """entries: (id, link, title, YYYY-MM-DD, full content HTML or '')."""
    parts = []
    for entry_id, link, headline, day, content in entries:
        body = f'<content type="html"><![CDATA[{content}]]></content>' if content else "<summary>Teaser only.</summary>"
        parts.append(f'<entry><id>{entry_id}</id><title>{headline}</title><link href="{link}"/>'
                     f"<updated>{day}T08:00:00Z</updated><published>{day}T08:00:00Z</published>{body}</entry>")
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>'
            f"<id>urn:test:feed</id><updated>2025-09-05T00:00:00Z</updated>{''.join(parts)}</feed>").encode()
