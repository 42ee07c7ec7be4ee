"""The Corpus tab's browser in a real browser (Debian chromium through Playwright, `assistant serve` as a subprocess
over a small real index): find an article, read it, open it from a citation card with the cited span marked and in
view, and delete it with a confirmation step."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from ui_support import CHROMIUM, CHROMIUM_ARGS, DONE, KUIPER_QUESTION, served_index, write_articles

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.browser, pytest.mark.slow]
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is not installed (make browser)", allow_module_level=True)

ROWS = "#article-table .virtual-row"  # gradio 6 draws the body rows as divs (a virtual table)


@pytest.fixture(scope="module")
def server(tmp_path_factory, embeddings):
    root = tmp_path_factory.mktemp("browser-corpus")
    with served_index(root, [write_articles(root / "articles")], embeddings, 3, web_dir=root / "web",
                      feedback_path=root / "feedback.jsonl") as proc:
        yield proc


@pytest.fixture
def page(server):
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        requests: list[str] = []
        dialogs: list[str] = []
        context.on("request", lambda request: requests.append(request.url))
        tab = context.new_page()
        tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        tab.goto(server.url, wait_until="load")
        tab.locator("#question").locator("textarea, input").first.wait_for()
        yield tab
        assert [u for u in requests if urlparse(u).hostname not in ("127.0.0.1", "localhost")] == []
        assert dialogs == []
        browser.close()


def _rows(tab) -> list[str]:
    return [row.inner_text() for row in tab.locator(ROWS).all()]


def _wait_rows(tab, count: int) -> None:
    tab.wait_for_function(f"document.querySelectorAll({ROWS!r}).length === {count}", timeout=30_000)


def test_a_card_opens_its_article_in_the_reader_with_the_cited_span_marked_and_in_view(page):
    done = page.locator(DONE).count()
    box = page.locator("#question").locator("textarea, input").first
    box.fill(KUIPER_QUESTION)
    box.press("Enter")
    page.wait_for_function(f"document.querySelectorAll({DONE!r}).length > {done}", timeout=60_000)
    card = page.locator("#chat .answer").nth(done).locator(".card").first
    cited = card.locator("blockquote.passage mark").first.inner_text()
    assert "78" in cited
    card.locator("a.read-article").click()
    reader = page.locator("#reader article.reader")
    reader.wait_for(timeout=30_000)
    assert page.get_by_role("tab", name="Corpus").get_attribute("aria-selected") == "true"
    assert "Pentagon approaches Amazon's Project Kuiper for Golden Dome" in reader.locator(".reader-title").inner_text()
    text = reader.locator(".reader-text").inner_text()
    assert "The Pentagon has approached Amazon's Project Kuiper" in text and "Michael Guetlein leads the effort" in text
    mark = reader.locator(".reader-text mark").first
    assert " ".join(mark.inner_text().split()) == " ".join(cited.split())
    page.wait_for_function(
        "(() => { const m = document.querySelector('#reader .reader-text mark'); if (!m) return false;"
        " const r = m.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; })()", timeout=10_000)
    assert reader.locator("a.original").get_attribute("href") == "https://example.com/kuiper-golden-dome"


def test_find_read_and_delete_an_article_with_confirmation(page):
    page.get_by_role("tab", name="Corpus").click()
    _wait_rows(page, 3)
    assert "3 of 3 indexed article(s)" in page.locator("#article-count").inner_text()
    assert "Pentagon approaches Amazon's Project Kuiper" in _rows(page)[0]  # newest first
    page.locator("#article-sort").locator("input").first.click()
    page.get_by_role("option", name="Oldest first").click()
    page.wait_for_function(f"document.querySelector({ROWS!r}).innerText.includes('2023-11-09')", timeout=30_000)
    page.locator("#article-search").locator("textarea, input").first.fill("atlas security")
    _wait_rows(page, 1)
    assert "Finland picks David's Sling" in _rows(page)[0]
    page.locator(ROWS).first.get_by_text("Finland picks David's Sling").click()
    reader = page.locator("#reader article.reader")
    reader.wait_for(timeout=30_000)
    assert "Finland selected Israel's David's Sling system" in reader.locator(".reader-text").inner_text()
    assert reader.locator("mark").count() == 0  # opened from the table: nothing is cited
    page.locator("#delete-article").click()
    confirm = page.locator("#confirm-delete")
    confirm.wait_for(state="visible", timeout=10_000)
    assert "Finland picks David's Sling" in confirm.inner_text() and "finland-davids-sling" in confirm.inner_text()
    page.locator("#confirm-delete-no").click()  # cancelling deletes nothing
    confirm.wait_for(state="hidden", timeout=10_000)
    page.locator("#article-search").locator("textarea, input").first.fill("")
    _wait_rows(page, 3)
    page.locator("#delete-article").click()
    confirm.wait_for(state="visible", timeout=10_000)
    page.locator("#confirm-delete-yes").click()
    page.locator("#delete-status .ok").wait_for(timeout=30_000)
    assert "finland-davids-sling" in page.locator("#delete-status").inner_text()
    _wait_rows(page, 2)
    assert not any("David's Sling" in row for row in _rows(page))
    assert page.locator("#reader article.reader").count() == 0
    assert page.locator("#stats tr").first.locator("td").inner_text().strip() == "2"
    page.get_by_role("tab", name="Ask").click()
    done = page.locator(DONE).count()
    box = page.locator("#question").locator("textarea, input").first
    box.fill("Which air defence system did Finland pick for high-altitude defence?")
    box.press("Enter")
    page.wait_for_function(f"document.querySelectorAll({DONE!r}).length > {done}", timeout=60_000)
    answer = page.locator("#chat .answer").nth(done)
    assert answer.locator(".card", has_text="Finland picks").count() == 0
    assert answer.locator(".closest li", has_text="Finland picks").count() == 0


def test_one_uploaded_txt_gets_its_details_from_the_form(page):
    page.get_by_role("tab", name="Corpus").click()
    body = ("Navy orders Zephyr-9 drones\nThe U.S. Navy ordered 412 Zephyr-9 reconnaissance drones for 96 million dollars "
            "on February 3, the service said. Deliveries begin in 2026 and finish in 2027.\n")
    page.locator("#upload input[type=file]").set_input_files(
        [{"name": "zephyr-order.txt", "mimeType": "text/plain", "buffer": body.encode()}])
    form = page.locator("#upload-details")
    form.wait_for(state="visible", timeout=90_000)
    title = page.locator("#details-title").locator("textarea, input").first
    assert title.input_value() == "Navy orders Zephyr-9 drones"  # what the file said, ready to correct
    assert page.locator("#details-date").locator("textarea, input").first.input_value() == ""
    page.locator("#details-date").locator("textarea, input").first.fill("2025-02-30")
    page.locator("#details-save").click()
    page.locator("#details-status .failed").wait_for(timeout=30_000)
    assert page.locator("#details-status").inner_text().startswith("Date:")
    page.locator("#details-date").locator("textarea, input").first.fill("2025-02-03")
    page.locator("#details-source").locator("textarea, input").first.fill("Harbor Line Defense Weekly")
    page.locator("#details-url").locator("textarea, input").first.fill("javascript:alert(1)")
    page.locator("#details-save").click()
    page.wait_for_function("document.querySelector('#details-status').innerText.startsWith('URL:')", timeout=30_000)
    page.locator("#details-url").locator("textarea, input").first.fill("https://example.com/zephyr")
    title.fill("Navy buys 412 Zephyr-9 drones")
    page.locator("#details-save").click()
    page.locator("#details-status .ok").wait_for(timeout=60_000)
    page.locator("#article-search").locator("textarea, input").first.fill("zephyr")
    page.wait_for_function(f"(() => {{ const r = document.querySelectorAll({ROWS!r}); return r.length === 1 && "
                           f"r[0].innerText.includes('2025-02-03'); }})()", timeout=30_000)
    row = _rows(page)[0]
    assert "Navy buys 412 Zephyr-9 drones" in row and "Harbor Line Defense Weekly" in row
