"""Read article files of each supported format into `Article`s. No vectors, no network."""

from __future__ import annotations

import csv
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable

import yaml

from .errors import ArticleError
from .schema import Article

log = logging.getLogger(__name__)

SUFFIXES = {".md", ".markdown", ".txt", ".html", ".htm", ".jsonl"}
MANIFEST_NAME = "manifest.csv"
_ID_SAFE = re.compile(r"[^a-z0-9._-]+")


@dataclass
class LoadResult:
    articles: list[Article] = field(default_factory=list)
    errors: list[ArticleError] = field(default_factory=list)
    files_seen: int = 0


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[ArticleError]]:
    """Expand folders into the article files they hold (sorted); name paths that cannot be used."""
    files: list[Path] = []
    errors: list[ArticleError] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.name.startswith(".") or child.name == MANIFEST_NAME:
                    continue
                if child.is_file() and child.suffix.lower() in SUFFIXES:
                    files.append(child)
        elif path.is_file():
            if path.suffix.lower() in SUFFIXES:
                files.append(path)
            else:
                errors.append(ArticleError(str(path), f"unsupported file type '{path.suffix}'"))
        else:
            errors.append(ArticleError(str(path), "no such file or folder"))
    return files, errors


def load_paths(paths: Iterable[Path], max_bytes: int = 20_000_000) -> LoadResult:
    """Load every article under `paths`; one bad file never stops the others."""
    files, errors = discover(paths)
    result = LoadResult(errors=errors, files_seen=len(files) + len(errors))
    manifests: dict[Path, dict[str, dict[str, str]]] = {}
    seen_ids: dict[str, str] = {}
    for path in files:
        try:
            if path.suffix.lower() == ".txt" and path.parent not in manifests:
                manifests[path.parent] = read_manifest(path.parent / MANIFEST_NAME)
            articles, record_errors = load_file(path, manifests.get(path.parent, {}), max_bytes)
        except ArticleError as exc:
            result.errors.append(exc)
            continue
        result.errors.extend(record_errors)
        for article in articles:
            if article.id in seen_ids:
                result.errors.append(
                    ArticleError(article.path, f"duplicate article id '{article.id}' (already used by {seen_ids[article.id]})")
                )
                continue
            seen_ids[article.id] = article.path
            result.articles.append(article)
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
    return {row["id"].strip(): row for row in rows if row.get("id")}


def load_file(path: Path, manifest: dict[str, dict[str, str]] | None = None, max_bytes: int = 20_000_000) -> tuple[list[Article], list[ArticleError]]:
    """Parse one file; raises `ArticleError` when the whole file is unusable."""
    text = read_text(path, max_bytes)
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown"):
        return [parse_markdown(path, text)], []
    if suffix == ".txt":
        return [parse_text(path, text, (manifest or {}).get(path.stem, {}))], []
    if suffix in (".html", ".htm"):
        return [parse_html(path, text)], []
    if suffix == ".jsonl":
        return parse_jsonl(path, text)
    raise ArticleError(str(path), f"unsupported file type '{suffix}'")


def read_text(path: Path, max_bytes: int) -> str:
    """Read a file as text, refusing binary data, bad encodings and oversized files."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ArticleError(str(path), f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit")
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(str(path), f"cannot be read ({exc.strerror or exc})") from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ArticleError(str(path), "broken UTF-16 text") from exc
    else:
        if b"\x00" in data[:8192]:
            raise ArticleError(str(path), "binary file, not text")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ArticleError(
                str(path), f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8"
            ) from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ArticleError(str(path), "file is empty")
    return text


# --- formats --------------------------------------------------------------------------------


def parse_markdown(path: Path, text: str) -> Article:
    meta: dict[str, Any] = {}
    body = text
    if text.startswith("---"):
        match = re.match(r"---[ \t]*\n(.*?\n)?---[ \t]*(\n|$)", text, re.S)
        if not match:
            raise ArticleError(str(path), "front matter opened with '---' but never closed")
        try:
            meta = yaml.safe_load(match.group(1) or "") or {}
        except yaml.YAMLError as exc:
            where = getattr(exc, "problem_mark", None)
            line = f" at line {where.line + 2}" if where else ""
            raise ArticleError(str(path), f"broken YAML front matter{line}") from exc
        if not isinstance(meta, dict):
            raise ArticleError(str(path), "front matter is not a mapping of fields")
        body = text[match.end():]
    body = body.strip()
    title = _field_str(path, meta, "title")
    if not title:
        heading = re.match(r"#\s+(.+)\n", body)
        if heading:
            title, body = heading.group(1).strip(), body[heading.end():].strip()
    return _make_article(path, meta, title, body)


def parse_text(path: Path, text: str, manifest_row: dict[str, str]) -> Article:
    lines = text.strip().split("\n")
    headline = lines[0].strip()
    body = "\n".join(lines[1:]).strip()
    meta = {k: v for k, v in manifest_row.items() if v not in (None, "")}
    meta.setdefault("id", path.stem)
    title = str(meta.get("title") or headline)
    return _make_article(path, meta, title, body)


def parse_html(path: Path, text: str) -> Article:
    from bs4 import BeautifulSoup  # imported here: only HTML ingestion pays for it

    soup = BeautifulSoup(text, "html.parser")
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
        if not isinstance(record, dict):
            errors.append(ArticleError(where, "record is not a JSON object"))
            continue
        record.setdefault("id", f"{path.stem}-{number}")
        body = record.get("body") or record.get("text") or ""
        try:
            articles.append(_make_article(path, record, str(record.get("title") or ""), str(body), where=where))
        except ArticleError as exc:
            errors.append(exc)
    if not articles and not errors:
        raise ArticleError(str(path), "no records")
    return articles, errors


# --- shared field handling ------------------------------------------------------------------


def _make_article(path: Path, meta: dict[str, Any], title: str, body: str, where: str | None = None) -> Article:
    where = where or str(path)
    title = " ".join(str(title).split())
    if not title:
        raise ArticleError(where, "no title (front matter 'title', first line, <h1> or 'title' field)")
    if not body.strip():
        raise ArticleError(where, "article has no body text")
    raw_id = meta.get("id") or path.stem
    article_id = _ID_SAFE.sub("-", str(raw_id).strip().lower()).strip("-")
    if not article_id:
        raise ArticleError(where, f"field 'id' is not usable: {raw_id!r}")
    url = _field_str(path, meta, "url") or _field_str(path, meta, "source_url")
    return Article(
        id=article_id[:200],
        title=title,
        text=body.strip(),
        path=str(path.resolve()),
        published=parse_date(meta.get("date") or meta.get("published_date") or meta.get("published"), where),
        source=_field_str(path, meta, "source"),
        url=url if url.startswith(("http://", "https://")) else "",
        tags=_parse_tags(meta.get("tags"), where),
    )


def _field_str(path: Path, meta: dict[str, Any], key: str) -> str:
    value = meta.get(key)
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise ArticleError(str(path), f"field '{key}' must be text, not a {type(value).__name__}")
    return " ".join(str(value).split())


def parse_date(value: Any, where: str = "") -> date | None:
    """Accept YYYY-MM-DD (or an ISO timestamp); anything else names the field."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise ArticleError(where, f"field 'date' is not a YYYY-MM-DD date: {text[:40]!r}") from exc


def _parse_tags(value: Any, where: str) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        items: list[Any] = re.split(r"[;,]", value)
    elif isinstance(value, list):
        items = value
    else:
        raise ArticleError(where, "field 'tags' must be a list or a comma-separated string")
    return tuple(dict.fromkeys(str(t).strip().lower() for t in items if str(t).strip()))

