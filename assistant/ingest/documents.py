"""Binary document formats (PDF, Word): what their loaders share, and the dispatch from a file's suffix.

A loader returns a `DocumentText`: the body as clean text, the offset where each page begins (PDF), and
the title and date it found. The body is final (control characters removed, no leading or trailing
space), so page offsets stay true once it becomes an `Article`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import ArticleError

DOCUMENT_SUFFIXES = {".pdf", ".docx"}
_MAGIC = {
    ".pdf": (b"%PDF-", "a PDF file starts with '%PDF-'"),
    ".docx": (b"PK\x03\x04", "a .docx file is a ZIP archive"),
}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                        "september", "october", "november", "december"], 1)}
_MONTH = r"(?P<m>january|february|march|april|may|june|july|august|september|october|november|december)"
_DATES = (
    re.compile(rf"\b{_MONTH}\s+(?P<d>\d{{1,2}}),?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(rf"\b(?P<d>\d{{1,2}})\s+{_MONTH}\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<mm>[01]\d)-(?P<d>[0-3]\d)\b"),
)


@dataclass
class DocumentText:
    body: str
    title: str = ""
    published: date | None = None
    page_starts: tuple[int, ...] = ()
    meta: dict[str, str] = field(default_factory=dict)


def read_document(path: Path, max_bytes: int) -> DocumentText:
    """Read a PDF or Word file; raises `ArticleError` naming the file and the reason it cannot be used."""
    check_size(path, max_bytes)
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from .pdf_loader import read_pdf  # imported here: only PDF ingestion pays for pdfminer

        return read_pdf(path)
    if suffix == ".docx":
        from .docx_loader import read_docx

        return read_docx(path)
    raise ArticleError(str(path), f"unsupported file type '{suffix}'")


def check_size(path: Path, max_bytes: int) -> None:
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        raise ArticleError(str(path), f"cannot be read ({exc.strerror or exc})") from exc
    if size > max_bytes:
        raise ArticleError(str(path), f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:g} MB limit")
    if size == 0:
        raise ArticleError(str(path), "file is empty")


def sniff_problem(path: Path) -> str:
    """Why a file named .pdf/.docx is plainly not one (checked on upload, before it is copied), or ''."""
    magic, what = _MAGIC[path.suffix.lower()]
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError:
        return "the uploaded file could not be read"
    if magic not in head:  # PDF allows a little junk before the header
        return f"not a {path.suffix.lower()[1:].upper()} file ({what})"
    return ""


def clean(text: str) -> str:
    """Control characters removed and runs of spaces collapsed, line breaks kept."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n"))
    return re.sub(r"[ \t\u00a0]+", " ", text)


def join_pages(pages: list[str]) -> tuple[str, tuple[int, ...]]:
    """Join page texts with a blank line (a page break always ends a paragraph); returns the offsets of each page."""
    parts: list[str] = []
    starts: list[int] = []
    pos = 0
    for text in pages:
        text = text.strip()
        if parts and text:
            pos += 2  # the "\n\n" before this page
        starts.append(pos)
        if text:
            parts.append(text)
            pos += len(text)
    return "\n\n".join(parts), tuple(starts)


def find_date(text: str) -> date | None:
    """The first full date written in `text` ("September 3, 2025", "3 September 2025", "2025-09-03")."""
    best: tuple[int, date] | None = None
    for pattern in _DATES:
        match = pattern.search(text)
        if not match:
            continue
        groups = match.groupdict()
        month = int(groups["mm"]) if groups.get("mm") else _MONTHS[groups["m"].lower()]
        try:
            found = date(int(groups["y"]), month, int(groups["d"]))
        except ValueError:
            continue
        if best is None or match.start() < best[0]:
            best = (match.start(), found)
    return best[1] if best else None
