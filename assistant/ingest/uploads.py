"""What an upload carries besides its text, kept with the stored copy.

Details given by hand: title, date, source and url for one uploaded .txt or .md article, applied to its stored copy.

A `.txt` upload moves into a folder of its own beside a one-row manifest.csv (the way a manifest upload keeps its
articles), so the loader reads the details as it reads any manifest; a `.md` upload gets them in its front matter.
Either way the file is indexed again: its chunks keep their ids, so only their metadata changes (nothing is
embedded again unless the text itself changed).

A manifest.csv upload: it and the batch's .txt files are stored together in a folder of their own, so the
manifest's title, date, source and url reach those articles (and no other upload's).
"""

from __future__ import annotations

import csv
import io
import shutil
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

import yaml

from .loaders import load_file, parse_markdown, read_manifest
from .files import MANIFEST_NAME
from ..errors import ArticleError, AssistantError

if TYPE_CHECKING:
    from ..app import Assistant

SUFFIXES = (".txt", ".md", ".markdown")


class DetailsError(AssistantError):
    """A field of the form is not usable; the message names it."""


@dataclass(frozen=True)
class Details:
    title: str = ""
    date: str = ""
    source: str = ""
    url: str = ""


def validate_details(title: str, day: str, source: str, url: str) -> Details:
    """The form's fields cleaned, or `DetailsError` naming the first bad one."""
    title, day, source, url = (" ".join(str(v or "").split()) for v in (title, day, source, url))
    if len(title) > 300:
        raise DetailsError(f"Title: {len(title)} characters is too long; use at most 300.")
    if day:
        try:
            date.fromisoformat(day)
        except ValueError:
            raise DetailsError(f"Date: '{day[:40]}' is not a date; use YYYY-MM-DD, e.g. 2025-06-10.") from None
        if len(day) != 10:
            raise DetailsError(f"Date: '{day[:40]}' is not a date; use YYYY-MM-DD, e.g. 2025-06-10.")
    if len(source) > 200:
        raise DetailsError(f"Source: {len(source)} characters is too long; use at most 200.")
    if url and not (url.lower().startswith(("http://", "https://")) and len(url.split("://", 1)[1]) > 0 and " " not in url):
        raise DetailsError(f"URL: '{url[:80]}' is not a web address; give one starting with http:// or https://.")
    return Details(title, day, source, url)


def current_details(path: Path) -> Details:
    """What the stored file says now (to fill the form)."""
    articles, _ = load_file(path)
    article = articles[0]
    return Details(article.title, article.published.isoformat() if article.published else "", article.source, article.url)


def apply_details(assistant: "Assistant", path: Path, details: Details) -> tuple[Path, Any]:
    """Write the details into the stored copy at `path`, index it again; returns (its path now, the ingest report)."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES or not path.is_file():
        raise DetailsError(f"{path.name}: only a stored .txt or .md upload takes these details")
    if path.suffix.lower() == ".txt":
        new_path = _txt_with_manifest(path, details, Path(assistant.settings.upload_dir).resolve())
    else:
        new_path = _markdown_with_front_matter(path, details)
    report = assistant.ingest([new_path], progress=False)
    if new_path != path:
        path.unlink(missing_ok=True)
        stale = assistant.store.chunk_ids_with("path", str(path.resolve()))
        assistant.store.delete(stale)  # chunks the move left behind (none when the article id was kept)
        assistant.retriever.keyword.delete(stale)
    if report.errors:
        raise DetailsError("; ".join(e.reason for e in report.errors))
    return new_path, report


def _txt_with_manifest(path: Path, details: Details, upload_dir: Path) -> Path:
    folder = path.parent
    if folder == upload_dir:  # its own folder, so the manifest speaks for this file alone
        folder = upload_dir / f"single-{uuid.uuid4().hex[:12]}"
        folder.mkdir(parents=True)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["id", "title", "date", "source", "url"])
    writer.writeheader()
    writer.writerow({"id": path.stem, "title": details.title, "date": details.date, "source": details.source, "url": details.url})
    (folder / MANIFEST_NAME).write_text(out.getvalue(), encoding="utf-8")
    target = folder / path.name
    if target != path:
        target.write_bytes(path.read_bytes())
    return target


def _markdown_with_front_matter(path: Path, details: Details) -> Path:
    text = path.read_text(encoding="utf-8")
    try:
        article = parse_markdown(path, text)
    except ArticleError as exc:
        raise DetailsError(f"{path.name}: {exc.reason}") from exc
    meta: dict[str, Any] = {"id": article.id, "title": details.title or article.title}
    for key, value in (("date", details.date), ("source", details.source), ("url", details.url)):
        if value:
            meta[key] = value
    if article.tags:
        meta["tags"] = list(article.tags)
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    path.write_text(f"---\n{front}---\n{article.text}\n", encoding="utf-8")
    return path


# --- a manifest upload ---------------------------------------------------------------------------------------

def is_manifest(path: str | Path) -> bool:
    return Path(str(path).replace("\\", "/")).name.lower() == MANIFEST_NAME


def manifest_first(paths: Sequence[str | Path]) -> list[str | Path]:
    """The batch with its manifest (if any) first, so it is in place before the articles it describes."""
    return sorted(paths, key=lambda p: not is_manifest(p))


def store_manifest(src: Path, upload_dir: Path, limit: int) -> tuple[Path | None, str]:
    """(the batch's own folder holding the manifest, what it says) or (None, why it was refused)."""
    try:
        if src.stat().st_size > limit:
            return None, f"{src.stat().st_size / 1e6:.1f} MB is over the upload limit"
        rows = read_manifest(src)
    except ArticleError as exc:
        return None, exc.reason
    except OSError:
        return None, "the uploaded manifest could not be read"
    folder = upload_dir / f"batch-{uuid.uuid4().hex[:12]}"
    folder.mkdir(parents=True)
    shutil.copyfile(src, folder / MANIFEST_NAME)
    return folder, f"{len(rows)} row(s): title, date, source and url for the .txt files of this upload"
