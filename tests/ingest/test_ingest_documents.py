"""PDF reports and Word files: pages carried to citations, clean text, and one named line per broken file."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings as hyp_settings, strategies as st

from assistant import cli
from assistant.ingest.chunking import chunk_article
from assistant.ingest.loaders import load_file
from assistant.errors import ArticleError
from assistant.ui.corpus_tab import CorpusService
from documents_support import (
    TITLE, build_docx, build_encrypted, build_report, build_scanned,
)


def _page_text(article, page: int) -> str:
    starts = article.page_starts + (len(article.text),)
    return article.text[starts[page - 1] : starts[page]]


def test_pdf_text_is_clean_ordered_and_paged(tmp_path):
    [article], errors = load_file(build_report(tmp_path / "report.pdf"))
    assert not errors
    assert article.title == TITLE and article.published == date(2025, 9, 3)
    assert len(article.page_starts) == 4
    assert "Congressional Research Service" not in article.text and "Page 2 of 4" not in article.text  # header, footer
    assert "cost overrun of 4 percent" in article.text  # the hyphenated line break is joined
    assert "PAC-3 MSE" in _page_text(article, 2) and "$9.8 billion" in _page_text(article, 2)  # the table's cells
    assert "Constellation-class frigates" in _page_text(article, 3)
    fourth = _page_text(article, 4)
    assert fourth.index("LEFTCOL") < fourth.index("RIGHTCOL")  # the left column is read first, though drawn second
    assert "LEFTCOL" not in fourth[fourth.index("RIGHTCOL"):]  # and the columns are not interleaved line by line
    chunks = chunk_article(article, 20, 60, 1)
    for chunk in chunks:  # every chunk lies on the page it names
        assert chunk.text in _page_text(article, chunk.page), (chunk.page, chunk.text[:60])
    assert {c.page for c in chunks} == {1, 2, 3, 4}


def test_ingest_pdf_then_ask_cites_the_right_page(tmp_path, monkeypatch, capsys):
    report = build_report(tmp_path / "report.pdf")
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    assert cli.main(["ingest", "--quiet", str(report)]) == 0
    assert "1 articles indexed, 0 failed" in capsys.readouterr().out
    assert cli.main(["ask", "--json", "How many Constellation-class frigates does the Navy's 2026 budget buy?"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert not answer["abstained"], answer
    first = answer["citations"][0]
    assert first["page"] == 3 and "4 Constellation-class frigates" in first["text"], first
    assert "Patriot" not in first["text"] and "PAC-3" not in first["text"]  # nothing from pages 1 and 2
    assert cli.main(["ask", "How many Constellation-class frigates does the Navy's 2026 budget buy?"]) == 0
    assert ", p. 3)" in capsys.readouterr().out


def test_docx_headings_paragraphs_and_table(tmp_path):
    [article], errors = load_file(build_docx(tmp_path / "memo.docx"))
    assert not errors and article.title == "Allied air defence deliveries"
    assert article.published == date(2025, 7, 14)
    assert "third IRIS-T SLM fire unit" in article.text and "IRIS-T SLM | 3" in article.text
    assert article.page_starts == ()


def test_each_broken_document_is_one_named_line_and_the_rest_is_indexed(make_assistant, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    build_report(folder / "good-report.pdf")
    build_docx(folder / "good-memo.docx")
    build_scanned(folder / "scanned.pdf")
    build_encrypted(folder / "locked.pdf")
    whole = (folder / "good-report.pdf").read_bytes()
    (folder / "cut.pdf").write_bytes(whole[: len(whole) // 2])
    (folder / "garbage.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    (folder / "not-a-zip.docx").write_bytes(b"PK\x03\x04 this is not a Word file")
    (folder / "huge.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 3_000_000)
    assistant = make_assistant(max_file_mb=2.0)
    report = assistant.ingest([folder], progress=False)
    reasons = {Path(e.path).name: e.reason for e in report.errors}
    assert reasons.keys() == {"scanned.pdf", "locked.pdf", "cut.pdf", "garbage.pdf", "not-a-zip.docx", "huge.pdf"}, reasons
    assert reasons["scanned.pdf"].startswith("no text layer: scanned image?")
    assert "encrypted" in reasons["locked.pdf"] and "password" in reasons["locked.pdf"]
    assert "truncated" in reasons["cut.pdf"] or "corrupt" in reasons["cut.pdf"]
    assert "corrupt" in reasons["garbage.pdf"] or "truncated" in reasons["garbage.pdf"]
    assert "Word" in reasons["not-a-zip.docx"] and "over the 2 MB limit" in reasons["huge.pdf"]
    assert all("\n" not in r for r in reasons.values())
    assert report.articles == 2
    pages = {m.get("page") for _, _, m in assistant.store.iter_records() if m["article_id"] == "good-report"}
    assert pages == {1, 2, 3, 4}


def test_corpus_tab_accepts_pdf_and_docx_uploads(make_assistant, tmp_path):
    up = tmp_path / "up"
    up.mkdir()
    files = [build_report(up / "report.pdf"), build_docx(up / "memo.docx"), up / "fake.pdf"]
    files[2].write_text("just text named .pdf")
    service = CorpusService(make_assistant(upload_dir=tmp_path / "uploads"))
    rows = {r.name: r for r in list(service.ingest_uploads(files))[-1]}
    assert rows["report.pdf"].ok and rows["memo.docx"].ok, rows
    assert rows["fake.pdf"].status == "rejected" and "not a PDF" in rows["fake.pdf"].detail


@hyp_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".pdf", ".docx"]))
def test_random_bytes_as_pdf_or_docx_end_in_article_error(data: bytes, suffix: str) -> None:
    head = b"%PDF-1.4\n" if suffix == ".pdf" else b"PK\x03\x04"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fuzz{suffix}"
        path.write_bytes(head + data)
        try:
            load_file(path)
        except ArticleError as exc:
            assert exc.reason and "\n" not in exc.reason


def test_pdf_title_and_date_from_metadata_when_the_first_page_has_neither(tmp_path):
    from reportlab.pdfgen import canvas as pdfcanvas

    path = tmp_path / "j-book.pdf"
    c = pdfcanvas.Canvas(str(path), invariant=1)  # invariant: reportlab stamps the fixed creation date 2000-01-01
    c.setTitle("Fiscal Year 2026 Budget Estimates: Missile Procurement")
    c.setFont("Helvetica", 11)
    c.drawString(72, 700, "Line item 12 funds 96 interceptors for the Army's lower tier air and missile defense sensor.")
    c.showPage()
    c.save()
    [article], _ = load_file(path)
    assert article.title == "Fiscal Year 2026 Budget Estimates: Missile Procurement"
    assert article.published == date(2000, 1, 1)
    assert article.page_starts == (0,)
