"""Layout faults found with a real browser at desktop and phone width, each checked in Debian's chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui_support import CHROMIUM, DONE, KUIPER_QUESTION, ROOT, served_index, write_articles

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.browser, pytest.mark.slow]
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is not installed (make browser)", allow_module_level=True)

FIRST = "What did the Pentagon ask Amazon's Project Kuiper about?"
FOLLOWUP = "How many satellites have they launched so far?"
DOCS = ROOT / "docs"
BOX = "(e) => { const b = e.getBoundingClientRect(); return {top: b.top, bottom: b.bottom, left: b.left, right: b.right, height: b.height}; }"


@pytest.fixture(scope="module")
def server(tmp_path_factory, embeddings):
    root = tmp_path_factory.mktemp("layout")
    with served_index(root, [write_articles(root / "articles")], embeddings) as proc:
        yield proc


def open_chat(browser, server, width: int, height: int):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(server.url, wait_until="load")
    page.locator("#question").locator("textarea, input").first.wait_for()
    return page


def ask(page, question: str):
    box = page.locator("#question").locator("textarea, input").first
    count = page.locator(DONE).count()
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(f"document.querySelectorAll({DONE!r}).length > {count}", timeout=60_000)
    page.wait_for_function(  # the page has settled once the newest answer stops moving (no fixed wait)
        "() => { const a = [...document.querySelectorAll('#chat .answer')].pop(); const t = a.getBoundingClientRect().top;"
        " return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(a.getBoundingClientRect().top === t)))); }"
    )
    return page.locator("#chat .answer").nth(count)


def scroller_box(page) -> dict:
    return page.evaluate(
        "() => { const s = [...document.querySelectorAll('#chat *')].find(e => e.scrollHeight > e.clientHeight + 2 &&"
        " getComputedStyle(e).overflowY !== 'visible'); const b = s.getBoundingClientRect(); return {top: b.top, bottom: b.bottom}; }"
    )


@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)])
def test_the_newest_answer_starts_in_view(browser, server, width, height):
    page = open_chat(browser, server, width, height)
    ask(page, FIRST)
    answer = ask(page, KUIPER_QUESTION)
    text = answer.locator(".answer-text").evaluate(BOX)
    view = scroller_box(page)
    assert view["top"] - 1 <= text["top"] < view["bottom"], (text, view)  # its first line, not its last card
    page.close()


def test_message_labels_are_plain_words(browser, server):
    page = open_chat(browser, server, 1280, 900)
    ask(page, FIRST)
    labels = page.evaluate("() => [...document.querySelectorAll('#chat [aria-label]')].map(e => e.getAttribute('aria-label'))")
    messages = [label for label in labels if label.startswith(("Question:", "Answer:", "user's", "bot's"))]
    assert len(messages) >= 2
    for label in messages:
        assert "<" not in label and "&#" not in label and "class=" not in label, label
    assert f"Question: {FIRST}" in messages
    page.close()


def test_no_label_floats_over_the_conversation(browser, server):
    page = open_chat(browser, server, 1280, 900)
    ask(page, FIRST)
    answer = ask(page, KUIPER_QUESTION).locator(".answer-text")
    # the answer's first line scrolled to the top of the conversation, where a floating label would sit
    page.evaluate(
        "(a) => { const s = [...document.querySelectorAll('#chat *')].find(e => e.scrollHeight > e.clientHeight + 2 &&"
        " getComputedStyle(e).overflowY !== 'visible'); s.scrollTop += a.getBoundingClientRect().top - s.getBoundingClientRect().top; }",
        answer.element_handle(),
    )
    line = answer.evaluate(BOX)
    for label in page.locator('#chat [data-testid="block-label"]').all():
        if label.is_visible():
            box = label.evaluate(BOX)
            assert box["bottom"] <= line["top"] or box["top"] >= line["top"] + 16, (box, line)
    page.close()


def test_phone_width_header_input_button_and_footer(browser, server):
    page = open_chat(browser, server, 390, 844)
    assert page.locator(".app-sub").is_visible()  # the one line that says what the app does
    box = page.locator("#question").locator("textarea, input").first
    fits = box.evaluate(
        "(e) => { const c = document.createElement('canvas').getContext('2d'); const s = getComputedStyle(e);"
        " c.font = s.font; const pad = parseFloat(s.paddingLeft) + parseFloat(s.paddingRight);"
        " return c.measureText(e.placeholder).width + pad <= e.clientWidth; }"
    )
    assert fits, "the placeholder is cut off"
    send, field = page.locator("#send").evaluate(BOX), box.evaluate(BOX)
    assert send["height"] <= field["height"] * 1.3, (send, field)
    footers = page.locator("footer")
    footer = footers.first.inner_text() if footers.count() and footers.first.is_visible() else ""
    assert not footer.strip().startswith("·") and "Settings" not in footer, footer
    page.close()


def test_screenshots_for_the_readme(browser, server):
    DOCS.mkdir(exist_ok=True)
    for width, height, name in ((1280, 900, "screenshot-1280.png"), (390, 844, "screenshot-390.png")):
        page = open_chat(browser, server, width, height)
        ask(page, FIRST)
        followup = ask(page, FOLLOWUP)  # shown with the standalone question it was searched as, and its card
        assert "Searched as" in followup.inner_text() and "Kuiper" in followup.locator(".rewritten").inner_text()
        assert "78" in followup.inner_text() and followup.locator(".card").count() >= 1
        page.mouse.move(0, 0)
        page.screenshot(path=str(DOCS / name))
        assert (DOCS / name).stat().st_size > 10_000
        page.close()
