"""PDF reports as text, page by page (pdfplumber, on pdfminer's layout analysis).

pdfminer groups characters into text boxes and orders the boxes for reading, so the two columns of a
page are read one after the other, not line by line across. A box repeated on most pages (a running
header, a footer, "Page 3 of 12": digits are ignored when comparing) is dropped; a word hyphenated at a
line break is joined again. Title: the document's metadata, else the largest text on the first page;
date: the first date written on the first page, else the metadata's creation date.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from .documents import DocumentText, clean, find_date, join_pages
from ..errors import ArticleError

log = logging.getLogger(__name__)

REPEATED_SHARE = 0.6  # a box on at least this share of the pages (and on two or more) is a header or footer
MAX_HEADER_WORDS = 25
MARGIN_SHARE = 0.15  # ... if it sits in the top or bottom 15% of the page
_HYPHEN_BREAK = re.compile(r"(?<=[A-Za-z])-\n(?=[a-z])")
_PLACEHOLDER_TITLES = {"untitled", "untitled document", "document", "microsoft word"}
_LAPARAMS = {"line_margin": 0.5, "boxes_flow": 0.5}


class _Box:
    __slots__ = ("text", "size", "key", "margin")

    def __init__(self, text: str, size: float, margin: bool):
        self.text = text
        self.size = size
        self.margin = margin  # in the top or bottom band of the page, where running headers and footers sit
        self.key = re.sub(r"\d+", "#", " ".join(text.lower().split()))


def read_pdf(path: Path) -> DocumentText:
    import pdfplumber

    where = str(path)
    try:
        with pdfplumber.open(path, laparams=_LAPARAMS) as pdf:
            info = dict(pdf.metadata or {})
            pages = []
            for page in pdf.pages:
                pages.append(_boxes(page))
                page.close()  # frees the page's parsed objects: memory stays flat over a long report
    except ArticleError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on hostile files; each becomes one line
        raise ArticleError(where, _failure(exc)) from exc
    if not pages:
        raise ArticleError(where, "PDF has no pages")
    if not any(box.text.strip() for boxes in pages for box in boxes):
        raise ArticleError(where, f"no text layer: scanned image? ({len(pages)} page(s) without text; run OCR first)")
    pages = _drop_repeated(pages)
    body, starts = join_pages(["\n\n".join(box.text for box in boxes) for boxes in pages])
    first_page = body[: starts[1]] if len(starts) > 1 else body
    title = _meta_title(info) or _largest_text(pages[0] if pages else [])
    published = find_date(first_page[:3000]) or _meta_date(info)
    return DocumentText(body=body, title=title, published=published, page_starts=starts)


def _boxes(page: Any) -> list[_Box]:
    from pdfminer.layout import LTChar, LTTextContainer

    boxes: list[_Box] = []
    height = float(page.height)
    band = MARGIN_SHARE * height
    tables = _tables(page)
    for element in page.layout:  # in pdfminer's reading order
        if not isinstance(element, LTTextContainer):
            continue
        table = next((t for t in tables if _inside(element, t[0], height)), None)
        if table is not None:  # a ruled table is read row by row, where its first cell comes in the reading order
            if table[1]:
                boxes.extend(_Box(row, 0.0, False) for row in table[1])
                table[1].clear()
            continue
        text = _HYPHEN_BREAK.sub("", clean(element.get_text()).strip())
        text = re.sub(r"\s*\n\s*", " ", text).strip()  # lines inside one box are wrapped text
        if not text:
            continue
        sizes = [char.size for line in element for char in line if isinstance(char, LTChar)]
        margin = element.y0 >= float(page.height) - band or element.y1 <= band  # pdfminer's y grows upwards
        boxes.append(_Box(text, max(sizes, default=0.0), margin))
    return boxes


def _tables(page: Any) -> list[tuple[tuple[float, float, float, float], list[str]]]:
    """pdfplumber's ruled tables on the page: each one's box (x0, top, x1, bottom) and its rows as 'a | b | c'."""
    found: list[tuple[tuple[float, float, float, float], list[str]]] = []
    if not (page.rects or page.lines):  # no ruling on the page: nothing for the table finder, which is slow
        return found
    for table in page.find_tables():
        rows = [" | ".join(" ".join(str(cell or "").split()) for cell in row) for row in table.extract()]
        rows = [clean(row).strip(" |") for row in rows]
        found.append((table.bbox, [row for row in rows if row]))
    return found


def _inside(element: Any, bbox: tuple[float, float, float, float], height: float) -> bool:
    x0, top, x1, bottom = bbox  # pdfplumber measures from the top of the page, pdfminer from the bottom
    return (element.x0 >= x0 - 2 and element.x1 <= x1 + 2
            and height - element.y1 >= top - 2 and height - element.y0 <= bottom + 2)


def _drop_repeated(pages: list[list[_Box]]) -> list[list[_Box]]:
    """Drop running headers and footers: short margin boxes whose text (digits aside) recurs on most pages."""
    if len(pages) < 2:
        return pages
    counts = Counter(key for boxes in pages for key in {box.key for box in boxes if box.margin})
    needed = max(2, int(REPEATED_SHARE * len(pages) + 0.999))
    repeated = {key for key, n in counts.items() if n >= needed and len(key.split()) <= MAX_HEADER_WORDS}
    if repeated:
        log.debug("dropping repeated header/footer text: %s", sorted(repeated))
    return [[box for box in boxes if not (box.margin and box.key in repeated)] for boxes in pages]


def _meta_title(info: dict[str, Any]) -> str:
    title = info.get("Title")
    if isinstance(title, bytes):
        title = title.decode("latin-1", "replace")
    title = " ".join(clean(str(title or "")).split())
    if title.lower() in _PLACEHOLDER_TITLES or title.lower().startswith("microsoft word -") or len(title) < 3:
        return ""
    return title


def _largest_text(boxes: list[_Box]) -> str:
    """The first page's heading: the box in the largest type (the earliest one on a tie), if it is short."""
    candidates = [box for box in boxes if len(box.text.split()) <= MAX_HEADER_WORDS]
    if not candidates:
        return boxes[0].text[:200] if boxes else ""
    biggest = max(box.size for box in candidates)
    return next(box.text for box in candidates if box.size == biggest)


def _meta_date(info: dict[str, Any]) -> date | None:
    raw = info.get("CreationDate") or info.get("ModDate")
    if isinstance(raw, bytes):
        raw = raw.decode("latin-1", "replace")
    match = re.match(r"(?:D:)?((?:19|20)\d\d)(\d\d)(\d\d)", str(raw or ""))
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _failure(exc: BaseException) -> str:
    """One line saying why pdfminer gave up on a file: encrypted, truncated or otherwise broken."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 5:
        chain.append(current)
        wrapped = current.args[0] if current.args and isinstance(current.args[0], BaseException) else None
        current = current.__cause__ or current.__context__ or wrapped  # pdfplumber wraps pdfminer's error in args
    names = " ".join(type(e).__name__ for e in chain)
    text = " ".join(str(e) for e in chain).lower()
    if "password" in names.lower() or "encrypt" in names.lower() or "password" in text or "encrypt" in text:
        return "encrypted PDF: it needs a password (save an unprotected copy)"
    if "eof" in names.lower() or "eof" in text or "startxref" in text or "trailer" in text:
        return "truncated or corrupt PDF (it ends early or its cross-reference table is missing)"
    return f"corrupt PDF: cannot be parsed ({type(chain[-1]).__name__}: {str(chain[-1])[:80]})"
