"""The Corpus tab in a real browser: a PDF upload cited by page on the answer card, and a feed URL fetched from a
loopback server through the URL box. Debian's chromium through Playwright; `assistant serve` as a subprocess."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from assistant.app import build_assistant
from assistant.config import Settings
from documents_support import build_report
from ui_support import CHROMIUM, CHROMIUM_ARGS, DONE, ServerProcess, write_articles
from web_support import WebServer, html_page, rss, start

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.browser, pytest.mark.slow]
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is not installed (make browser)", allow_module_level=True)

RADARS = ("The U.S. Army ordered 36 mobile Sentinel radars for its air defence battalions, the service said on Tuesday. "
          "The order is worth 412 million dollars and covers spares and training for the units in Germany.\n\n"
          "Deliveries begin in 2027, and officials said the radars track cruise missiles and drones at longer range.")


@pytest.fixture(scope="module")
def web():
    state = WebServer()
    state.routes["/news/radars.html"] = (200, {"Content-Type": "text/html"},
                                         html_page("Army orders 36 mobile radars", RADARS, "2025-08-12"))
    httpd, _ = start(state)
    items = [("guid-radars", state.url("/news/radars.html"), "Army orders 36 mobile radars", "2025-08-12")]
    state.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss("Loopback Defence Wire", items))
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def server(tmp_path_factory, embeddings):
    root = tmp_path_factory.mktemp("browser-docs")
    index = root / "index"
    with build_assistant(Settings(index_dir=index), embeddings=embeddings) as assistant:
        assert assistant.ingest([write_articles(root / "articles")], progress=False).articles
    proc = ServerProcess(root / "server.log", index_dir=index, upload_dir=root / "uploads", web_dir=root / "web",
                         feedback_path=root / "feedback.jsonl", ui_fetch_private="true", fetch_delay_s="0")
    try:
        yield proc.wait()
    finally:
        proc.close()


@pytest.fixture
def page(server, tmp_path):
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        requests: list[str] = []
        context.on("request", lambda request: requests.append(request.url))
        tab = context.new_page()
        tab.goto(server.url, wait_until="load")
        tab.locator("#question").locator("textarea, input").first.wait_for()
        yield tab
        assert [u for u in requests if urlparse(u).hostname not in ("127.0.0.1", "localhost")] == []
        browser.close()


def _ask(tab, question: str):
    tab.get_by_role("tab", name="Ask").click()
    done = tab.locator(DONE).count()
    box = tab.locator("#question").locator("textarea, input").first
    box.fill(question)
    box.press("Enter")
    tab.wait_for_function(f"document.querySelectorAll({DONE!r}).length > {done}", timeout=60_000)
    return tab.locator("#chat .answer").nth(done)


def test_uploaded_pdf_is_cited_by_page_on_the_card(page, tmp_path):
    report = build_report(tmp_path / "primer.pdf")
    page.get_by_role("tab", name="Corpus").click()
    page.get_by_text("PDF reports are cited by page").wait_for()  # the tab's help names the new formats
    page.locator("#upload input[type=file]").set_input_files(
        [{"name": "primer.pdf", "mimeType": "application/pdf", "buffer": report.read_bytes()}])
    row = page.locator("#upload-progress tr.ok, #upload-progress tr.failed").first
    row.wait_for(timeout=90_000)
    assert "indexed" in row.inner_text() and "1 article" in row.inner_text(), row.inner_text()
    answer = _ask(page, "How many Constellation-class frigates does the Navy's 2026 budget buy?")
    card = answer.locator(".card").first
    assert "Air and Missile Defense Primer" in card.inner_text()
    assert card.locator(".card-meta .page").inner_text() == "p. 3"
    assert "Constellation-class" in card.locator("blockquote").inner_text()


def test_feed_url_box_indexes_the_entries(page, web):
    page.get_by_role("tab", name="Corpus").click()
    assert "not watched" in page.locator("#watch-status").inner_text()
    page.locator("#page-url").locator("textarea, input").first.fill(web.url("/feed.xml"))
    page.locator("#fetch-url").click()
    row = page.locator("#upload-progress tr.ok, #upload-progress tr.failed").first
    row.wait_for(timeout=90_000)
    assert "indexed" in row.inner_text() and "1 article(s)" in row.inner_text(), row.inner_text()
    answer = _ask(page, "How many mobile Sentinel radars did the Army order?")
    card = answer.locator(".card").first
    assert card.locator("a.original").get_attribute("href") == web.url("/news/radars.html")
    assert "Loopback Defence Wire" in card.inner_text() and "2025-08-12" in card.inner_text()
