"""The chat side of the analyst's day in a real browser: conversations kept in the browser across a reload, the
export with article details, and example questions drawn from the index. `assistant serve` as a subprocess,
driven by Debian's chromium through Playwright."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui_support import CHROMIUM, DONE, served_index, write_articles

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.browser, pytest.mark.slow]
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is not installed (make browser)", allow_module_level=True)

FIRST = "What did the Pentagon ask Amazon's Project Kuiper about?"
FOLLOW_UP = "and how many satellites did they put into orbit?"


@pytest.fixture(scope="module")
def server(tmp_path_factory, embeddings):
    root = tmp_path_factory.mktemp("history")
    with served_index(root, [write_articles(root / "articles")], embeddings, 3, feedback_path=root / "feedback.jsonl") as proc:
        yield proc


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    tab.goto(server.url, wait_until="load")
    tab.locator("#question").locator("textarea, input").first.wait_for()
    yield tab
    context.close()


def ask(page, question: str):
    count = page.locator(DONE).count()
    box = page.locator("#question").locator("textarea, input").first
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(f"document.querySelectorAll({DONE!r}).length > {count}", timeout=60_000)
    return page.locator("#chat .answer").nth(count)


def saved(page) -> object:
    return page.locator("#history label")


def test_conversation_survives_a_reload_and_restores_with_its_turns(page, server):
    first = ask(page, FIRST)
    assert "answered" in first.get_attribute("class")
    saved(page).filter(has_text=FIRST).wait_for(timeout=20_000)  # the save follows the answer

    page.reload(wait_until="load")
    page.locator("#question").locator("textarea, input").first.wait_for()
    entry = saved(page).filter(has_text=FIRST)
    entry.wait_for(timeout=20_000)
    assert page.locator("#chat .answer").count() == 0  # a reload starts an empty chat; the list keeps the old one
    assert "·" in entry.inner_text()  # titled by its first question, with the date it was last added to

    entry.click()
    page.locator("#chat .answer.answered").first.wait_for(timeout=20_000)
    assert page.locator("#chat .answer").count() == 1
    assert "Kuiper" in page.locator("#chat .answer").first.inner_text()

    # the turns came back too: the follow-up is understood against the restored question
    answer = ask(page, FOLLOW_UP)
    assert "Kuiper" in answer.locator(".rewritten").inner_text()
    assert "78" in answer.locator(".answer-text").inner_text()
    page.wait_for_function("() => document.querySelectorAll('#history label').length === 1")  # the same conversation grew

    # a new conversation is listed beside it
    page.locator("#new-chat").click()
    page.wait_for_function("() => document.querySelectorAll('#chat .answer').length === 0")
    ask(page, "What did Finland buy for high-altitude air defence?")
    saved(page).filter(has_text="Finland").wait_for(timeout=20_000)
    assert saved(page).count() == 2

    # delete the first one: gone from the list, and still gone after a reload
    saved(page).filter(has_text=FIRST).click()
    page.locator("#chat .answer").nth(1).wait_for()
    page.locator("#history-delete").click()
    page.wait_for_function("() => document.querySelectorAll('#history label').length === 1")
    page.wait_for_function("() => document.querySelectorAll('#chat .answer').length === 0")  # it was on screen
    page.reload(wait_until="load")
    saved(page).filter(has_text="Finland").wait_for(timeout=20_000)
    assert saved(page).filter(has_text=FIRST).count() == 0


def test_export_lists_article_ids_links_and_the_searched_question(page):
    ask(page, FIRST)
    ask(page, FOLLOW_UP)
    page.get_by_text("Export", exact=True).click()
    button = page.locator("#download")
    page.wait_for_function("() => { const b = document.querySelector('#download button, button#download');"
                           " return b && !b.disabled; }", timeout=20_000)
    with page.expect_download(timeout=20_000) as caught:
        button.click()
    text = Path(caught.value.path()).read_text(encoding="utf-8")
    assert "Article id: kuiper-golden-dome · Link: `https://example.com/kuiper-golden-dome`" in text
    assert "Harbor Line Defense Weekly, 2025-06-10" in text
    searched = [line for line in text.splitlines() if line.startswith("_Searched as:")]
    assert searched and "Kuiper" in searched[-1]  # the follow-up, as it was searched


def test_example_questions_come_from_the_index_and_clicking_one_asks_it(page):
    examples = page.locator("#chat .examples button, #chat button.example")
    examples.first.wait_for(timeout=60_000)  # asked for real on the server before they are shown
    texts = [t.strip() for t in examples.all_inner_texts()]
    assert 1 <= len(texts) <= 5
    titles = ["Project Kuiper", "PAC-3 MSE", "David's Sling"]  # names the three indexed headlines hold
    assert all(any(name in text for name in titles) for text in texts), texts
    examples.first.click()
    page.locator(DONE).first.wait_for(timeout=60_000)
    assert "answered" in page.locator("#chat .answer").first.get_attribute("class")
    assert page.locator("#chat .card").count() >= 1
    asked = page.locator("#chat .message.user, #chat [data-testid=user]").first.inner_text()
    assert texts[0].rstrip("?.") in asked
    assert examples.count() == 0  # gone once the conversation has started
