"""The chat UI in a real browser: `assistant serve` as a subprocess over a small real index, driven by
Debian's chromium through Playwright (no browser download), plus 10 concurrent gradio_client users."""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

import pytest

from ui_support import CHROMIUM, DONE, KUIPER_QUESTION, ROOT, ServerProcess, build_index, served_index, write_articles

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.browser, pytest.mark.slow]
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is not installed (make browser)", allow_module_level=True)

OUTPUT = ROOT / "test-output" / "browser"
XSS_TITLE = '<img src=x onerror="window.__xss=1">Zephyr <script>window.__xss=2</script> order'
XSS_BODY = """The U.S. Navy ordered 412 Zephyr-9 reconnaissance drones for 96 million dollars on February 3, the service said.
<script>window.__xss = 3; alert("script")</script>
<img src="x" onerror="window.__xss = 4; alert('img')">
The Zephyr-9 can fly for 14 hours and carries an electro-optical sensor, according to the Navy statement.
[Read more](javascript:alert('md-link')) and <a href="javascript:alert('a')">this link</a> and <svg onload="window.__xss=5"></svg>.
Deliveries of the Zephyr-9 drones begin in 2026 and finish in 2027, with 412 aircraft in total for the fleet."""


@pytest.fixture(scope="module")
def server(tmp_path_factory, embeddings):
    root = tmp_path_factory.mktemp("browser")
    with served_index(root, [write_articles(root / "articles")], embeddings, feedback_path=root / "feedback.jsonl") as proc:
        yield proc


class Session:
    """One browser tab on the app, recording every request and dialog it sees."""

    def __init__(self, browser, url: str, width: int = 1280, height: int = 900):
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.new_page()
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.goto(url, wait_until="load")
        self.page.locator("#question").locator("textarea, input").first.wait_for()

    def ask(self, question: str, timeout: float = 60_000) -> object:
        done = self.page.locator(DONE).count()
        box = self.page.locator("#question").locator("textarea, input").first
        box.fill(question)
        box.press("Enter")
        self.page.wait_for_function(f"document.querySelectorAll({DONE!r}).length > {done}", timeout=timeout)
        return self.page.locator("#chat .answer").nth(done)

    def remote_requests(self) -> list[str]:
        return [u for u in self.requests if urlparse(u).scheme in ("http", "https", "ws", "wss") and urlparse(u).hostname not in ("127.0.0.1", "localhost")]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def session(browser, server):
    tab = Session(browser, server.url)
    yield tab
    tab.close()


def test_streamed_answer_with_citation_card_and_screenshot(session):
    page = session.page
    page.evaluate("""() => { window.__statuses = [];
        new MutationObserver(() => document.querySelectorAll('#chat .answer.streaming .status')
            .forEach(s => window.__statuses.push(s.textContent)))
          .observe(document.body, {subtree: true, childList: true, characterData: true}); }""")
    answer = session.ask(KUIPER_QUESTION)
    assert "Searching the articles…" in page.evaluate("window.__statuses"), "no streaming status was shown before the answer"
    assert "answered" in answer.get_attribute("class")
    assert "78" in answer.locator(".answer-text").inner_text()
    marker = answer.locator("a.cite").first
    assert marker.inner_text() == "[1]"

    card = answer.locator(".card").first
    page.evaluate("window.scrollTo(0, 0)")
    page.locator("#chat [role=log], #chat .bubble-wrap").first.evaluate("el => el.scrollTop = 0")
    marker.click()
    page.wait_for_function("document.activeElement && document.activeElement.classList.contains('card')")
    assert page.evaluate("document.activeElement.id") == card.get_attribute("id")
    card.wait_for(state="visible")
    assert "Harbor Line Defense Weekly" in card.inner_text() and "2025-06-10" in card.inner_text()
    assert "78 satellites" in card.locator("blockquote mark").first.inner_text()
    assert card.locator("a.original").get_attribute("href") == "https://example.com/kuiper-golden-dome"

    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.mouse.move(0, 0)
    page.screenshot(path=str(OUTPUT / "chat-answered.png"), full_page=True)
    assert (OUTPUT / "chat-answered.png").stat().st_size > 10_000
    assert session.remote_requests() == []
    assert session.dialogs == []


def test_followup_is_rewritten_and_shown(session):
    session.ask("What did the Pentagon ask Amazon's Project Kuiper about?")
    answer = session.ask("and how many satellites did they put into orbit?")
    rewritten = answer.locator(".rewritten").inner_text()
    assert "Kuiper" in rewritten and "Searched as" in rewritten
    assert "78" in answer.locator(".answer-text").inner_text()


def test_date_filter_excluding_the_article_shows_an_abstention(session):
    session.page.locator("#until").locator("textarea, input").first.fill("2025-01-01")
    answer = session.ask(KUIPER_QUESTION)
    assert "abstained" in answer.get_attribute("class")
    assert "not found in the indexed articles" in answer.inner_text().lower()
    assert answer.locator(".card").count() == 0
    assert "78 satellites" not in answer.inner_text()


def upload(session, name: str, content: str) -> object:
    page = session.page
    page.get_by_role("tab", name="Corpus").click()
    page.locator("#upload input[type=file]").set_input_files([{"name": name, "mimeType": "text/markdown", "buffer": content.encode()}])
    row = page.locator("#upload-progress tr.ok, #upload-progress tr.failed").first
    row.wait_for(timeout=60_000)
    return row


def test_upload_is_indexed_and_answerable(session):
    article = ("---\nid: upload-sentinel\ntitle: \"Sentinel radar upgrade ordered\"\ndate: 2025-03-04\nsource: Upload Wire\n"
               "tags: [radar]\n---\n" + "The Army ordered 37 upgraded Sentinel A4 radars for 612 million dollars on March 4. " * 6)
    row = upload(session, "sentinel-upload.md", article)
    assert "indexed" in row.inner_text() and "1 article" in row.inner_text()
    session.page.locator("#stats").get_by_text("Upload Wire").wait_for()
    session.page.get_by_role("tab", name="Ask").click()
    answer = session.ask("How many Sentinel A4 radars did the Army order?")
    assert "37" in answer.locator(".answer-text").inner_text()
    assert "Sentinel radar upgrade ordered" in answer.locator(".card").first.inner_text()


def test_xss_payload_in_an_upload_executes_nothing(session):
    article = f"---\nid: upload-xss\ntitle: '{XSS_TITLE}'\ndate: 2025-02-03\nsource: <b>Evil</b> Wire\nurl: javascript:alert('url')\n---\n{XSS_BODY}\n"
    row = upload(session, "zephyr-<img src=x onerror=alert(1)>.md", article)
    assert "indexed" in row.inner_text()
    session.page.get_by_role("tab", name="Ask").click()
    answer = session.ask("How many Zephyr-9 drones did the Navy order?")
    page = session.page
    assert "412" in answer.inner_text()
    assert "Zephyr" in answer.locator(".card .headline").first.inner_text()
    page.wait_for_timeout(500)  # give any injected handler a chance to run
    assert session.dialogs == []
    assert page.evaluate("window.__xss") is None
    injected = page.evaluate("""() => ({
        scripts: document.querySelectorAll('#chat script, #upload-progress script, #stats script').length,
        images: document.querySelectorAll('#chat img[onerror], #chat .answer img, #upload-progress img').length,
        svg: document.querySelectorAll('#chat .answer svg').length,
        jsLinks: Array.from(document.querySelectorAll('a[href]')).filter(a => a.href.trim().toLowerCase().startsWith('javascript:')).length,
        onAttrs: Array.from(document.querySelectorAll('#chat .answer *, #upload-progress *'))
                      .filter(el => Array.from(el.attributes).some(a => a.name.startsWith('on'))).length })""")
    assert injected == {"scripts": 0, "images": 0, "svg": 0, "jsLinks": 0, "onAttrs": 0}
    assert session.remote_requests() == []


def test_keyboard_only_and_phone_width(browser, server):
    phone = Session(browser, server.url, width=390, height=844)
    try:
        page = phone.page
        answer = phone.ask(KUIPER_QUESTION)  # typed and sent with Enter only
        assert "answered" in answer.get_attribute("class")
        assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth") + 1
        assert answer.locator(".card").first.bounding_box()["width"] <= 390

        page.locator("#question").locator("textarea, input").first.focus()
        reached: set[str] = set()
        for _ in range(70):
            page.keyboard.press("Tab")
            reached.add(page.evaluate("""() => { const el = document.activeElement;
                if (!el) return ''; if (el.matches('a.cite')) return 'cite';
                const owner = el.closest('[id]'); return owner ? owner.id : ''; }"""))
        missing = {"send", "new-chat", "since", "until", "source", "tag", "k"} - reached
        assert not missing, f"Tab never reached {missing}; reached {sorted(reached)}"
    finally:
        phone.close()


def test_ten_concurrent_clients_all_get_answers(server):
    from gradio_client import Client

    questions = [KUIPER_QUESTION, "How many PAC-3 MSE interceptors did the Army order?", "What did Finland buy for high-altitude air defence?",
                 "How much is the David's Sling purchase worth?", "Where will Lockheed raise PAC-3 production?"] * 2

    def ask(question: str) -> str:
        client = Client(server.url, verbose=False)
        result = client.predict(question, [], "", "", None, "", "extractive", 6, api_name="/ask")
        return str(result[1][-1]["content"])

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(ask, questions))
    assert len(answers) == 10
    for question, html in zip(questions, answers):
        assert 'class="answer answered"' in html, (question, html[:300])


@pytest.mark.skipif(os.environ.get("UPDATE_SCREENSHOT") != "1", reason="set UPDATE_SCREENSHOT=1 to refresh docs/screenshot-chat.png")
def test_readme_screenshot_over_the_bundled_corpus(browser, tmp_path, embeddings):
    index = build_index(tmp_path, embeddings, ROOT / "corpus")
    proc = ServerProcess(tmp_path / "server.log", index_dir=index, upload_dir=tmp_path / "uploads", feedback_path=tmp_path / "fb.jsonl").wait()
    tab = Session(browser, proc.url, width=1280, height=1500)
    try:
        answer = tab.ask("How many satellites has Amazon's Project Kuiper put into orbit, and why is the Pentagon courting it for Golden Dome?")
        assert "answered" in answer.get_attribute("class") and answer.locator(".card mark").count() >= 1
        # the whole exchange in one picture: let the conversation grow instead of scrolling inside it
        tab.page.add_style_tag(content="#chat, #chat * { max-height: none !important; } #chat { height: auto !important; }")
        tab.page.mouse.move(0, 0)
        tab.page.wait_for_timeout(500)
        OUTPUT.mkdir(parents=True, exist_ok=True)
        shot = OUTPUT / "screenshot-chat.png"
        tab.page.screenshot(path=str(shot), full_page=True)
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(shot, ROOT / "docs" / "screenshot-chat.png")
    finally:
        tab.close()
        proc.close()


def test_login_and_upload_limit(browser, tmp_path, server):
    import urllib.error
    import urllib.request

    index = Path(server.log_path).parent / "index"  # the module index, read-only here
    proc = ServerProcess(tmp_path / "server.log", index_dir=index, upload_dir=tmp_path / "uploads", feedback_path=tmp_path / "fb.jsonl",
                         auth_user="analyst", auth_password="s3cret", max_upload_mb=0.002).wait()
    try:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(proc.url + "config", timeout=10)
        assert refused.value.code == 401
        context = browser.new_context()
        page = context.new_page()
        page.goto(proc.url)
        page.get_by_label("username").fill("analyst")
        page.get_by_label("password").fill("wrong")
        page.keyboard.press("Enter")
        page.get_by_text("Incorrect Credentials").wait_for(timeout=10_000)
        page.get_by_label("username").fill("analyst")
        page.get_by_label("password").fill("s3cret")
        page.get_by_label("password").press("Enter")
        page.locator("#question").wait_for(timeout=20_000)
        page.get_by_role("tab", name="Corpus").click()
        page.locator("#upload input[type=file]").set_input_files([{"name": "big.md", "mimeType": "text/markdown", "buffer": b"x" * 5000}])
        page.get_by_text("exceed the maximum allowed size").wait_for(timeout=10_000)
        assert not (tmp_path / "uploads" / "big.md").exists()
        context.close()
    finally:
        proc.close()


@pytest.fixture(scope="module")
def llm_server_ui(tmp_path_factory, embeddings):
    """`assistant serve --llm local`: the bundled SmolLM2 behind the same UI."""
    root = tmp_path_factory.mktemp("browser-llm")
    index = build_index(root, embeddings, write_articles(root / "articles"))
    proc = ServerProcess(root / "server.log", index_dir=index, upload_dir=root / "uploads", feedback_path=root / "feedback.jsonl", llm_local=True, llm_max_tokens=120)
    try:
        yield proc.wait()
    finally:
        proc.close()


def test_llm_answer_streams_token_by_token_and_flags_unsupported_sentences(browser, llm_server_ui):
    tab = Session(browser, llm_server_ui.url)
    try:
        page = tab.page
        page.evaluate("""() => { window.__partials = new Set();
            new MutationObserver(() => document.querySelectorAll('#chat .answer.streaming .answer-text')
                .forEach(s => window.__partials.add(s.textContent)))
              .observe(document.body, {subtree: true, childList: true, characterData: true}); }""")
        # A question the articles answer: in llm mode with a local model the reader decides first, and a refusal
        # would never reach the model
        answer = tab.ask("How much is the Golden Dome missile defence shield worth?", timeout=300_000)
        partials = page.evaluate("Array.from(window.__partials).filter(t => t.trim().length > 0)")
        assert len(partials) >= 3, f"the answer did not arrive token by token: {partials}"
        # The 135M model rarely cites or copies figures faithfully: whatever it wrote, each unsupported
        # sentence must be shown as flagged, with its reason.
        flagged = answer.locator(".flagged")
        if flagged.count():
            assert flagged.first.is_visible()
            assert answer.locator(".flags").inner_text().strip()
        else:
            assert "abstained" in answer.get_attribute("class") or answer.locator("a.cite").count()
        assert tab.remote_requests() == [] and tab.dialogs == []
    finally:
        tab.close()
