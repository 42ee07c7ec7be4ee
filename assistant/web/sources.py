"""Web pages and feeds as indexed files: fetch, keep each article as a one-record `.jsonl` file, then ingest.

Each page or feed entry becomes `<web_dir>/<host>/<hash of its URL or GUID>.jsonl`, written whole or
not at all (a temporary file renamed into place), and the usual ingest indexes those files: chunk ids,
incremental updates and crash safety are the same as for prepared files. `state.json` beside them
records, per entry, the hash of what the feed said and of the article kept, so an entry that has not
changed is not fetched again and a page that has not changed is not rewritten. A run killed at any
point leaves whole files and an index that the next run completes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence
from urllib.parse import urlsplit

from ..config import Settings
from ..errors import ArticleError, AssistantError
from .feeds import Entry, Feed, entry_link_or_fail, looks_like_feed, parse_feed
from ..ingest.indexer import IngestReport
from ..ingest.files import MANIFEST_NAME
from .fetch import FetchError, Fetcher, Response
from .pages import article_id, page_record

if TYPE_CHECKING:
    from ..app import Assistant

log = logging.getLogger(__name__)

ACCEPT_ANY = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/pdf,"
              "application/xml;q=0.9,*/*;q=0.5")
MANIFEST_FIELDS = ["id", "title", "date", "source", "url"]
STATE_NAME = "state.json"
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass
class WebCollect:
    """What one pass over URLs found: the article files to ingest, and how many were new, changed or the same."""

    files: list[Path] = field(default_factory=list)
    errors: list[ArticleError] = field(default_factory=list)
    sources: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        return (f"web: {self.sources} URL(s), {self.new} new, {self.changed} changed, {self.unchanged} unchanged, "
                f"{len(self.errors)} failed")


class WebSources:
    def __init__(self, settings: Settings, fetcher: Fetcher | None = None):
        self.root = Path(settings.web_dir)
        self.fetcher = fetcher or Fetcher.from_settings(settings)
        self.state: dict[str, dict[str, Any]] = {}

    def collect(self, urls: Sequence[str]) -> WebCollect:
        """Fetch each URL (a page, or a feed and its entries' pages) into article files; one line per failure."""
        self.state = _load_state(self.root / STATE_NAME)
        result = WebCollect(sources=len(urls))
        for url in urls:
            try:
                response = self.fetcher.get(url, accept=ACCEPT_ANY)
                if looks_like_feed(response):
                    feed = parse_feed(response, url)
                    log.info("feed %s: %d entries", url, len(feed.entries))
                    for entry in feed.entries:
                        self._entry(entry, feed, result)
                elif is_pdf(response):
                    row = {"url": response.url, "source": urlsplit(response.url).hostname or ""}
                    self._keep_pdf(url, "", response, row, result)
                else:
                    self._keep(url, "", page_record(response, url), result)
            except ArticleError as exc:
                result.errors.append(exc)
        try:
            self._write_manifests()
            write_atomic(self.root / STATE_NAME, json.dumps({"entries": self.state}, indent=1, sort_keys=True))
        except OSError as exc:
            where = self.root / STATE_NAME
            raise AssistantError(f"cannot write {where} ({exc.strerror or exc}): check ASSISTANT_WEB_DIR") from exc
        result.files = list(dict.fromkeys(result.files))
        return result

    def _entry(self, entry: Entry, feed: Feed, result: WebCollect) -> None:
        known = self.state.get(entry.key)
        path = self.root / known.get("file", "") if known else self.root
        if known and known.get("entry") == entry.digest and path.is_file():
            result.unchanged += 1  # the feed says nothing new about it: the page is not fetched again
            result.files.append(path)
            return
        if entry.full_text:
            record: dict[str, Any] = {"id": article_id(entry.key), "title": entry.title, "body": entry.full_text,
                                      "url": entry.link, "date": None, "source": feed.title}
        else:
            try:
                link = entry_link_or_fail(entry, feed.url)
                response = self.fetcher.get(link, accept=ACCEPT_ANY)
                if is_pdf(response):  # a report linked from the feed: kept as a PDF, cited by page
                    day = entry.published.isoformat() if entry.published else ""
                    row = {"url": entry.link, "source": feed.title, "title": entry.title, "date": day}
                    self._keep_pdf(entry.key, entry.digest, response, row, result)
                    return
                record = page_record(response, link, key=entry.key)
            except FetchError as exc:
                if exc.path == entry.key:  # no link to fetch: the reason already names the feed
                    result.errors.append(exc)
                else:
                    result.errors.append(FetchError(exc.path, f"feed entry (in {feed.url}): {exc.reason}"))
                return
            record.update(url=entry.link, source=feed.title or record["source"], title=entry.title or record["title"])
        if entry.published:
            record["date"] = entry.published.isoformat()
        self._keep(entry.key, entry.digest, record, result)

    def _keep(self, key: str, entry_digest: str, record: dict[str, Any], result: WebCollect) -> None:
        line = json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"
        self._keep_file(key, entry_digest, line.encode(), self._path(key), None, result)

    def _keep_pdf(
        self, key: str, entry_digest: str, response: Response, row: dict[str, str], result: WebCollect,
    ) -> None:
        """A PDF is kept as it came; its URL, source, title and date go into the folder's manifest.csv by file stem."""
        path = self._path(key).with_suffix(".pdf")
        self._keep_file(key, entry_digest, response.body, path, {**row, "id": path.stem}, result)

    def _keep_file(
        self, key: str, entry_digest: str, data: bytes, path: Path, manifest: dict[str, str] | None, result: WebCollect,
    ) -> None:
        digest = hashlib.sha1(data + json.dumps(manifest, sort_keys=True).encode()).hexdigest()[:16]
        known = self.state.get(key)
        if known and known.get("record") == digest and path.is_file():
            result.unchanged += 1
        else:
            try:
                write_atomic(path, data)
            except OSError as exc:
                raise ArticleError(key, f"cannot be kept in {path.parent} ({exc.strerror or exc})") from exc
            if known:
                result.changed += 1
            else:
                result.new += 1
        self.state[key] = {"entry": entry_digest, "record": digest, "file": str(path.relative_to(self.root))}
        if manifest:
            self.state[key]["manifest"] = manifest
        result.files.append(path)

    def _write_manifests(self) -> None:
        """Each folder's manifest.csv from the kept PDFs in it (written whole, before their files are ingested)."""
        folders: dict[Path, list[dict[str, str]]] = {}
        for entry in self.state.values():
            row = entry.get("manifest")
            if isinstance(row, dict) and entry.get("file"):
                folders.setdefault((self.root / entry["file"]).parent, []).append(row)
        for folder, rows in folders.items():
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=MANIFEST_FIELDS, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(sorted(rows, key=lambda r: r["id"]))
            write_atomic(folder / MANIFEST_NAME, out.getvalue())

    def _path(self, key: str) -> Path:
        host = re.sub(r"[^a-z0-9.-]+", "_", (urlsplit(key).hostname or "web").lower()).strip("._") or "web"
        return self.root / host / f"{hashlib.sha1(key.encode('utf-8', 'surrogatepass')).hexdigest()[:20]}.jsonl"


def _load_state(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:  # a damaged state only costs a re-fetch
        log.warning("%s unreadable (%s): every entry will be fetched again", path, exc)
        return {}
    entries = data.get("entries") if isinstance(data, dict) else None
    return {k: v for k, v in entries.items() if isinstance(v, dict)} if isinstance(entries, dict) else {}


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write a whole file or nothing: a temporary file beside it, renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data.encode("utf-8") if isinstance(data, str) else data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


@dataclass
class SourcesRun:
    report: IngestReport
    web: WebCollect

    def summary(self) -> str:
        """The ingest's line, after what the fetching found when URLs were given."""
        return f"{self.web.summary()}; {self.report.summary()}" if self.web.sources else self.report.summary()


def ingest_sources(
    assistant: "Assistant", sources: Iterable[str | Path], prune: bool = False, progress: bool = True,
    fetcher: Fetcher | None = None,
) -> SourcesRun:
    """Ingest files, folders and URLs (pages or feeds) in one run with one report."""
    items = [str(s) for s in sources]
    urls = [s for s in items if _URL.match(s)]  # ftp://... too: the fetcher names it as refused
    paths = [Path(s) for s in items if not _URL.match(s)]
    web = WebSources(assistant.settings, fetcher).collect(urls) if urls else WebCollect()
    report = assistant.ingest(paths + web.files, prune=prune, progress=progress)
    report.errors[:0] = web.errors
    report.files += len(web.errors)
    return SourcesRun(report, web)


def is_pdf(response: Response) -> bool:
    return response.content_type == "application/pdf" or response.body[:1024].lstrip().startswith(b"%PDF-")
