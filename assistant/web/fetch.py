"""Bounded, polite HTTP fetching for web pages and feeds.

Only http and https; every request has a timeout; a body larger than the limit is refused while it is
read (never held whole); redirects are followed one at a time, each hop checked, up to a limit and never
in a loop. Politeness: a User-Agent naming the project, one request at a time per host, and a pause
between two requests to the same host.
"""

from __future__ import annotations

import http.client
import ipaddress
import logging
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin, urlsplit

from ..config import Settings
from ..errors import ArticleError

log = logging.getLogger(__name__)

USER_AGENT = "defence-news-assistant/0.1 (question answering over defence news; fetches pages and feeds it is given)"
_REDIRECTS = {301, 302, 303, 307, 308}


class FetchError(ArticleError):
    """A URL could not be fetched; `path` is the URL."""


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int
    content_type: str  # media type only, lower-cased: "text/html"
    charset: str | None
    body: bytes


def is_url(text: str) -> bool:
    return urlsplit(str(text)).scheme.lower() in ("http", "https")


def _no_redirects() -> urllib.request.OpenerDirector:
    class Refuse(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None  # redirects are followed by `Fetcher.get`, which checks each hop

    return urllib.request.build_opener(Refuse, urllib.request.ProxyHandler({}))


class _HostGate:
    """Process-wide: one request at a time per host, and when each host was last asked (shared by every Fetcher,
    so two uploads in the served UI do not hit one site at once)."""

    def __init__(self) -> None:
        self.last: dict[str, float] = {}
        self.locks: dict[str, threading.Lock] = {}
        self.guard = threading.Lock()

    def lock(self, host: str) -> threading.Lock:
        with self.guard:
            return self.locks.setdefault(host, threading.Lock())


_GATE = _HostGate()


@dataclass
class Fetcher:
    """Bounded GETs; requests to one host wait for each other and are spaced by `delay_s`."""

    timeout_s: float = 20.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    delay_s: float = 1.0
    public_only: bool = False  # refuse loopback, private-network and link-local addresses (the served UI's URL box)

    @classmethod
    def from_settings(cls, settings: Settings, public_only: bool = False) -> "Fetcher":
        return cls(settings.fetch_timeout_s, int(settings.fetch_max_mb * 1_000_000), settings.fetch_max_redirects,
                   settings.fetch_delay_s, public_only)

    def get(self, url: str, accept: str = "text/html,application/xhtml+xml") -> Response:
        """GET `url`, following redirects; raises `FetchError` naming the URL and what went wrong."""
        seen = {url}
        current = url
        for _ in range(self.max_redirects + 1):
            parts = urlsplit(current)
            if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
                raise FetchError(url, f"only http and https URLs can be fetched, not {current[:80]!r}")
            if self.public_only:
                _check_public(url, parts.hostname)
            status, headers, body = self._request(url, current, parts.hostname.lower(), accept)
            if status in _REDIRECTS:
                target = headers.get("Location")
                if not target:
                    raise FetchError(url, f"HTTP {status} redirect without a Location")
                current = urljoin(current, target)
                if current in seen:
                    raise FetchError(url, f"redirect loop (back to {current[:80]})")
                seen.add(current)
                continue
            if status >= 400:
                raise FetchError(url, f"HTTP {status} from the server")
            content_type = headers.get_content_type().lower() if headers.get("Content-Type") else ""
            return Response(current, status, content_type, headers.get_content_charset(), body)
        raise FetchError(url, f"more than {self.max_redirects} redirects")

    def _request(self, url: str, current: str, host: str, accept: str) -> tuple[int, Message, bytes]:
        request = urllib.request.Request(current, headers={"User-Agent": USER_AGENT, "Accept": accept})
        with _GATE.lock(host):
            wait = _GATE.last.get(host, 0.0) + self.delay_s - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                try:
                    with _no_redirects().open(request, timeout=self.timeout_s) as reply:
                        return reply.status, reply.headers, self._read(url, reply)
                except urllib.error.HTTPError as exc:  # 3xx (not followed here), 4xx and 5xx
                    exc.close()
                    return exc.code, exc.headers, b""
            except FetchError:
                raise
            except (TimeoutError, socket.timeout) as exc:
                raise FetchError(url, f"timed out after {self.timeout_s:g} s") from exc
            except urllib.error.URLError as exc:
                reason = exc.reason
                if isinstance(reason, (TimeoutError, socket.timeout)):
                    raise FetchError(url, f"timed out after {self.timeout_s:g} s") from exc
                if isinstance(reason, ConnectionRefusedError):
                    raise FetchError(url, "connection refused") from exc
                raise FetchError(url, f"cannot be reached ({getattr(reason, 'strerror', None) or reason})") from exc
            except (OSError, ValueError, http.client.HTTPException) as exc:  # a reset, a malformed or cut reply
                raise FetchError(url, f"the server's reply broke off or was malformed ({type(exc).__name__})") from exc
            finally:
                _GATE.last[host] = time.monotonic()

    def _read(self, url: str, reply: object) -> bytes:
        declared = reply.headers.get("Content-Length")  # type: ignore[attr-defined]
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(url, f"{int(declared) / 1e6:.1f} MB, over the {self.max_bytes / 1e6:g} MB limit")
        chunks: list[bytes] = []
        size = 0
        while True:
            piece = reply.read(65536)  # type: ignore[attr-defined]
            if not piece:
                return b"".join(chunks)
            size += len(piece)
            if size > self.max_bytes:
                raise FetchError(url, f"more than the {self.max_bytes / 1e6:g} MB limit")
            chunks.append(piece)


def _check_public(url: str, host: str) -> None:
    """Refuse a host that resolves to a loopback, private, link-local or reserved address (every hop is checked)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(url, f"host {host!r} cannot be resolved") from exc
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            raise FetchError(url, f"{host} is a local or private-network address ({address}): "
                                  "not fetched from the web UI")
