"""PDF and Word files built by the tests (reportlab, python-docx): several pages, a table, a running header and
footer, a word hyphenated across a line break, a two-column page drawn right column first, and broken files."""

from __future__ import annotations

from pathlib import Path

HEADER = "Congressional Research Service | Air and Missile Defense Primer"
TITLE = "Air and Missile Defense Primer"

PAGE_1 = ("The Army plans to field nine Patriot battalions with upgraded radars by 2028, according to the service's "
          "budget request. Each battalion has four firing batteries and a command post. ") * 3
PAGE_2_TABLE = [("Interceptor", "Quantity", "Cost"), ("PAC-3 MSE", "1,970", "$9.8 billion"), ("SM-6", "300", "$1.2 billion")]
PAGE_3 = ("The Navy's 2026 budget buys 4 Constellation-class frigates at Marinette, Wisconsin, after a three-year delay "
          "caused by hull design changes. The service expects the first ship to be delivered in 2029. ") * 3
LEFT_COLUMN = "LEFTCOL Interceptor production in Camden, Arkansas rose to 650 missiles a year under the expansion plan. " * 3
RIGHT_COLUMN = "RIGHTCOL Radar deliveries to Poland continued, with the last of twelve sets handed over in the spring. " * 3


def _para(canvas, text: str, x: float, y: float, width: float, size: float = 11) -> float:
    from reportlab.lib.utils import simpleSplit

    canvas.setFont("Helvetica", size)
    for line in simpleSplit(text, "Helvetica", size, width):
        canvas.drawString(x, y, line)
        y -= size * 1.4
    return y - 10


def _frame(canvas, number: int, total: int, width: float, height: float) -> None:
    canvas.setFont("Helvetica", 8)
    canvas.drawString(72, height - 40, HEADER)
    canvas.drawString(width / 2 - 20, 30, f"Page {number} of {total}")


def build_report(path: Path) -> Path:
    """Four pages: title and date, a table with a hyphenated line break, body text, a two-column page."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas as pdfcanvas

    width, height = letter
    c = pdfcanvas.Canvas(str(path), pagesize=letter)  # reportlab's default title is "untitled": the heading is used
    _frame(c, 1, 4, width, height)
    c.setFont("Helvetica-Bold", 20)
    c.drawString(72, height - 110, TITLE)
    c.setFont("Helvetica", 11)
    c.drawString(72, height - 135, "Updated September 3, 2025")
    _para(c, PAGE_1, 72, height - 170, width - 144)
    c.showPage()

    _frame(c, 2, 4, width, height)
    y = _para(c, "Table 1 lists the interceptor contracts awarded this year.", 72, height - 100, width - 144)
    for row in PAGE_2_TABLE:  # a drawn table: ruled cells
        for i, cell in enumerate(row):
            c.rect(72 + i * 150, y - 6, 150, 20)
            c.drawString(78 + i * 150, y, cell)
        y -= 20
    y -= 30
    c.setFont("Helvetica", 11)  # a word broken across two lines with a hyphen
    c.drawString(72, y, "Program officials said the interceptor contract had a cost over-")
    c.drawString(72, y - 15, "run of 4 percent, which the department disclosed in its annual report.")
    c.showPage()

    _frame(c, 3, 4, width, height)
    _para(c, PAGE_3, 72, height - 100, width - 144)
    c.showPage()

    _frame(c, 4, 4, width, height)
    column = (width - 144 - 24) / 2
    _para(c, RIGHT_COLUMN, 72 + column + 24, height - 100, column)  # drawn first: the file's order is not reading order
    _para(c, LEFT_COLUMN, 72, height - 100, column)
    c.showPage()
    c.save()
    return path


def build_scanned(path: Path) -> Path:
    """A page that is only an image-like drawing, without any text layer."""
    from reportlab.pdfgen import canvas as pdfcanvas

    c = pdfcanvas.Canvas(str(path))
    for i in range(20):
        c.setFillGray(i / 20)
        c.rect(50 + i * 10, 300, 10, 300, fill=1, stroke=0)
    c.showPage()
    c.save()
    return path


def build_encrypted(path: Path) -> Path:
    from reportlab.pdfgen import canvas as pdfcanvas

    c = pdfcanvas.Canvas(str(path), encrypt="a-password")
    c.drawString(72, 700, "Secret budget figures: 12 launchers.")
    c.showPage()
    c.save()
    return path


def build_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("Allied air defence deliveries", level=1)
    document.add_paragraph("Memo dated 14 July 2025, shared by a colleague.")
    document.add_paragraph("Germany handed over a third IRIS-T SLM fire unit to Ukraine, and said two more would follow "
                           "before the end of the year. The fire units protect cities against cruise missiles.")
    document.add_heading("Deliveries by system", level=2)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "System", "Units delivered"
    table.cell(1, 0).text, table.cell(1, 1).text = "IRIS-T SLM", "3"
    document.save(str(path))
    return path
