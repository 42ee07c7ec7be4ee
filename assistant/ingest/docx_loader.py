"""Word documents (.docx, python-docx): paragraphs, headings and tables in document order.

Title: the first heading (a "Title" or "Heading n" paragraph), else the document's title property,
else the first paragraph. Date: the first date written near the top, else the creation date property.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from .documents import DocumentText, clean, find_date
from ..errors import ArticleError

log = logging.getLogger(__name__)


def read_docx(path: Path) -> DocumentText:
    import docx
    from docx.table import Table

    where = str(path)
    try:
        document = docx.Document(str(path))
        blocks: list[tuple[str, str]] = []  # (style name, text)
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                blocks.extend(("table", row) for row in _table_rows(item))
            else:
                blocks.append((item.style.name if item.style is not None else "", item.text))
        props = document.core_properties
        prop_title = props.title or ""
        created = props.created if props.author != "python-docx" else None  # not python-docx's template date
    except Exception as exc:  # noqa: BLE001 - zipfile, lxml and python-docx raise many kinds on broken files
        raise ArticleError(where, f"not a readable Word (.docx) file ({type(exc).__name__}: {str(exc)[:80]})") from exc
    paragraphs = [(style, " ".join(clean(text).split())) for style, text in blocks]
    paragraphs = [(style, text) for style, text in paragraphs if text]
    if not paragraphs:
        raise ArticleError(where, "Word document has no text")
    heading = next((text for style, text in paragraphs if _is_heading(style)), "")
    title = heading or " ".join(clean(prop_title).split()) or paragraphs[0][1][:200]
    body = "\n\n".join(text for _, text in paragraphs)
    published = find_date(body[:2000]) or (created.date() if created is not None else None)
    return DocumentText(body=body, title=title, published=published)


def _is_heading(style: str) -> bool:
    name = style.lower()
    return name == "title" or name.startswith("heading")


def _table_rows(table: Any) -> list[str]:
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if text and (not cells or cells[-1] != text):  # a merged cell repeats its text in each grid column
                cells.append(text)
        if cells:
            rows.append(" | ".join(cells))
    return rows
