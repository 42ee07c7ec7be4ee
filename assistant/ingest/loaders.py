"""Read article files of each supported format into `Article`s. No vectors, no network.

Hostile input is expected: every problem with one file (or one JSONL record) becomes an `ArticleError`
naming it and the reason; nothing else escapes the loaders. Files are read one at a time, each capped
in size before it is read, so memory stays bounded however large the folder is.
"""

from __future__ import annotations

import csv
import json
import logging
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Iterator

import yaml

from .files import CONTROL, MANIFEST_NAME, SUFFIXES, discover, read_text  # noqa: F401 - SUFFIXES, discover re-exported
from ..errors import ArticleError
from ..schema import Article

log = logging.getLogger(__name__)

MAX_HTML_TAGS = 200_000  # a news page has a few thousand; each parsed tag costs about a kilobyte
_ID_SAFE = re.compile(r"[^a-z0-9._-]+")
_SCALAR = (str, int, float, date)


@dataclass
class LoadResult:
    articles: list[Article] = field(default_factory=list)
    errors: list[ArticleError] = field(default_factory=list)
    files_seen: int = 0


@dataclass
class FileLoad:
    """What one file gave: its articles (duplicates of earlier ids already removed) and its problems."""

    path: Path
    articles: list[Article] = field(default_factory=list)
    errors: list[ArticleError] = field(default_factory=list)


# --- loading --------------------------------------------------------------------------------


def iter_loads(files: Iterable[Path], max_bytes: int = 20_000_000) -> Iterator[FileLoad]:
    """Load files one at a time, in order; an article id already given by an earlier file is refused."""
    manifests: dict[Path, dict[str, dict[str, str]]] = {}
    seen_ids: dict[str, str] = {}
    for path in files:
        loaded = FileLoad(path)
        try:
            if path.suffix.lower() in (".txt", ".pdf", ".docx") and path.parent not in manifests:
                manifests[path.parent] = read_manifest(path.parent / MANIFEST_NAME)
            articles, loaded.errors = load_file(path, manifests.get(path.parent, {}), max_bytes)
        except ArticleError as exc:
            loaded.errors.append(exc)
            articles = []
        for article in articles:
            if article.id in seen_ids:
                loaded.errors.append(
                    ArticleError(article.path, f"duplicate article id '{article.id}' (already used by {seen_ids[article.id]})")
                )
                continue
            seen_ids[article.id] = article.path
            loaded.articles.append(article)
        yield loaded


def load_paths(paths: Iterable[Path], max_bytes: int = 20_000_000) -> LoadResult:
    """Load every article under `paths` into memory (small corpora); one bad file never stops the others."""
    files, errors = discover(paths)
    result = LoadResult(errors=errors, files_seen=len(files) + len(errors))
    for loaded in iter_loads(files, max_bytes):
        result.articles.extend(loaded.articles)
        result.errors.extend(loaded.errors)
    return result


def read_manifest(path: Path) -> dict[str, dict[str, str]]:
    """Rows of a folder's manifest.csv keyed by `id` (empty when there is none)."""
    if not path.is_file():
        return {}
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ArticleError(str(path), f"manifest could not be read: {exc}") from exc
    if rows and "id" not in rows[0]:
        raise ArticleError(str(path), "manifest has no 'id' column")
    return {str(row["id"]).strip(): row for row in rows if row.get("id")}


def load_file(path: Path, manifest: dict[str, dict[str, str]] | None = None, max_bytes: int = 20_000_000) -> tuple[list[Article], list[ArticleError]]:
    """Parse one file; raises `ArticleError` when the whole file is unusable."""
    suffix = path.suffix.lower()
    if suffix in (".pdf", ".docx"):
        return [load_document(path, max_bytes, (manifest or {}).get(path.stem, {}))], []
    text = read_text(path, max_bytes)
    if suffix in (".md", ".markdown"):
        return [parse_markdown(path, text)], []
    if suffix == ".txt":
        return [parse_text(path, text, (manifest or {}).get(path.stem, {}))], []
    if suffix in (".html", ".htm"):
        return [parse_html(path, text)], []
    if suffix == ".jsonl":
        return parse_jsonl(path, text)
    raise ArticleError(str(path), f"unsupported file type '{suffix}'")


def load_document(path: Path, max_bytes: int, manifest_row: dict[str, str] | None = None) -> Article:
    """A PDF or Word file as one article; a PDF's page offsets come along, so each chunk knows its page.
    A manifest.csv row for the file's stem overrides what the document says (title, date, source, url)."""
    from .documents import read_document  # imported here: only PDF and Word ingestion pays for their parsers

    doc = read_document(path, max_bytes)
    row = {k: v for k, v in (manifest_row or {}).items() if k is not None and v not in (None, "")}
    meta = {"date": doc.published, **doc.meta, **row}
    title = _field_str(str(path), row, "title") or doc.title
    return replace(_make_article(path, meta, title, doc.body), page_starts=doc.page_starts)


# --- formats --------------------------------------------------------------------------------


def parse_markdown(path: Path, text: str) -> Article:
    meta: dict[str, Any] = {}
    body = text
    if text.startswith("---"):
        match = re.match(r"---[ \t]*\n(.*?\n)?---[ \t]*(\n|$)", text, re.S)
        if not match:
            raise ArticleError(str(path), "front matter opened with '---' but never closed")
        meta = _front_matter(str(path), match.group(1) or "")
        body = text[match.end():]
    body = body.strip()
    title = _field_str(str(path), meta, "title")
    if not title:
        heading = re.match(r"#\s+(.+)\n", body)
        if heading:
            title, body = heading.group(1).strip(), body[heading.end():].strip()
    return _make_article(path, meta, title, body)


class _FrontMatterLoader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so `date: 2025-02-30` is reported as a bad 'date' field."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _front_matter(where: str, source: str) -> dict[str, Any]:
    try:
        meta = yaml.load(source, Loader=_FrontMatterLoader) or {}  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 2}" if mark else ""
        raise ArticleError(where, f"broken YAML front matter{line}") from exc
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # PyYAML builds tagged values itself: `!!timestamp 2025-02-30` raises ValueError, not YAMLError.
        raise ArticleError(where, f"front matter has an impossible value ({type(exc).__name__}: {str(exc)[:80]})") from exc
    if not isinstance(meta, dict):
        raise ArticleError(where, "front matter is not a mapping of fields")
    return meta


def parse_text(path: Path, text: str, manifest_row: dict[str, str]) -> Article:
    lines = text.strip().split("\n")
    headline = lines[0].strip()
    body = "\n".join(lines[1:]).strip()
    meta = {k: v for k, v in manifest_row.items() if k is not None and v not in (None, "")}
    meta.setdefault("id", path.stem)
    title = _field_str(str(path), meta, "title") or headline
    return _make_article(path, meta, title, body)


def parse_html(path: Path, text: str) -> Article:
    from bs4 import BeautifulSoup  # imported here: only HTML ingestion pays for it

    tags = text.count("<")
    if tags > MAX_HTML_TAGS:
        raise ArticleError(str(path), f"HTML has {tags} tags, over the {MAX_HTML_TAGS} limit for one article")
    try:
        return _article_from_soup(path, BeautifulSoup(text, "html.parser"))
    except ArticleError:
        raise
    except RecursionError as exc:
        raise ArticleError(str(path), "HTML is nested too deeply to read") from exc
    except (ValueError, AssertionError, TypeError, KeyError, IndexError) as exc:
        # html.parser and bs4 raise these on some malformed markup (e.g. a broken '<!' declaration).
        raise ArticleError(str(path), f"HTML could not be parsed ({type(exc).__name__}: {str(exc)[:80]})") from exc


def _article_from_soup(path: Path, soup: Any) -> Article:
    meta: dict[str, Any] = {}
    for key, attrs in (
        ("date", {"property": "article:published_time"}),
        ("date", {"name": "date"}),
        ("source", {"property": "og:site_name"}),
        ("url", {"property": "og:url"}),
    ):
        tag = soup.find("meta", attrs=attrs)
        if tag and tag.get("content") and key not in meta:
            meta[key] = str(tag["content"])
    canonical = soup.find("link", rel="canonical")
    if canonical and canonical.get("href"):
        meta.setdefault("url", str(canonical["href"]))
    time_tag = soup.find("time", attrs={"datetime": True})
    if time_tag:
        meta.setdefault("date", str(time_tag["datetime"]))
    h1 = soup.find("h1")
    title_tag = soup.find("title")
    title = (h1.get_text(" ", strip=True) if h1 else "") or (title_tag.get_text(" ", strip=True) if title_tag else "")
    for junk in soup(["script", "style", "nav", "header", "footer", "aside", "noscript", "form", "iframe", "svg", "template", "button"]):
        junk.decompose()
    if h1 and h1.parent is not None:
        h1.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    blocks = [el.get_text(" ", strip=True) for el in root.find_all(["p", "li", "h2", "h3", "h4", "blockquote", "pre"])]
    body = "\n\n".join(b for b in blocks if b) or root.get_text("\n", strip=True)
    body = re.sub(r"[ \t]+", " ", body)
    meta["date"] = str(meta["date"])[:10] if meta.get("date") else None
    return _make_article(path, meta, title, body)


def parse_jsonl(path: Path, text: str) -> tuple[list[Article], list[ArticleError]]:
    articles: list[Article] = []
    errors: list[ArticleError] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(ArticleError(where, f"invalid JSON ({exc.msg})"))
            continue
        except (ValueError, RecursionError) as exc:  # a 5,000-digit number, or arrays nested thousands deep
            errors.append(ArticleError(where, f"unreadable JSON ({type(exc).__name__})"))
            continue
        if not isinstance(record, dict):
            errors.append(ArticleError(where, "record is not a JSON object"))
            continue
        record.setdefault("id", f"{path.stem}-{number}")
        try:
            body = record.get("body") or record.get("text") or ""
            if not isinstance(body, str):
                raise ArticleError(where, f"field 'body' must be text, not {_kind(body)}")
            articles.append(_make_article(path, record, _field_str(where, record, "title"), body, where=where))
        except ArticleError as exc:
            errors.append(exc)
    if not articles and not errors:
        raise ArticleError(str(path), "no records")
    return articles, errors


# --- shared field handling ------------------------------------------------------------------


def clean_text(text: str) -> str:
    """Drop control characters and lone surrogates, which no index can store."""
    return CONTROL.sub("", text)


def _make_article(path: Path, meta: dict[str, Any], title: str, body: str, where: str | None = None) -> Article:
    where = where or str(path)
    title = " ".join(clean_text(str(title)).split())
    body = clean_text(body).strip()
    if not title:
        raise ArticleError(where, "no title (front matter 'title', first line, <h1> or 'title' field)")
    if not body:
        raise ArticleError(where, "article has no body text")
    raw_id = meta.get("id")
    if raw_id is None or raw_id == "":
        raw_id = path.stem
    if not isinstance(raw_id, _SCALAR) or isinstance(raw_id, bool):
        raise ArticleError(where, f"field 'id' must be text, not {_kind(raw_id)}")
    article_id = _ID_SAFE.sub("-", str(raw_id).strip().lower()).strip("-")
    if not article_id:
        raise ArticleError(where, f"field 'id' is not usable: {str(raw_id)[:60]!r}")
    url = _field_str(where, meta, "url") or _field_str(where, meta, "source_url")
    return Article(
        id=article_id[:200],
        title=title,
        text=body,
        path=str(path.resolve()),
        published=parse_date(meta.get("date") or meta.get("published_date") or meta.get("published"), where),
        source=_field_str(where, meta, "source"),
        url=url if url.startswith(("http://", "https://")) else "",
        tags=_parse_tags(meta.get("tags"), where),
    )


def _kind(value: Any) -> str:
    return "nothing" if value is None else f"a {type(value).__name__}"


def _field_str(where: str, meta: dict[str, Any], key: str) -> str:
    value = meta.get(key)
    if value is None:
        return ""
    if not isinstance(value, _SCALAR):  # lists and mappings (which YAML aliases can make huge) are refused
        raise ArticleError(where, f"field '{key}' must be text, not {_kind(value)}")
    return " ".join(clean_text(str(value)).split())


def parse_date(value: Any, where: str = "") -> date | None:
    """Accept YYYY-MM-DD (or an ISO timestamp); anything else names the field."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ArticleError(where, f"field 'date' must be a YYYY-MM-DD date, not {_kind(value)}")
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise ArticleError(where, f"field 'date' is not a YYYY-MM-DD date: {text[:40]!r}") from exc


def _parse_tags(value: Any, where: str) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        items: list[Any] = re.split(r"[;,]", value)
    elif isinstance(value, list) and all(isinstance(t, _SCALAR) for t in value):
        items = value
    else:
        raise ArticleError(where, "field 'tags' must be a list of words or a comma-separated string")
    cleaned = (" ".join(clean_text(str(t)).split()).lower() for t in items[:100])
    return tuple(dict.fromkeys(t[:80] for t in cleaned if t))
