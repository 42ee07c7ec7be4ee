"""Security of the served app (`assistant serve` in a subprocess): hostile article text executes nothing in a real
browser and every link is http(s), exported and downloaded answers stay inert, and an upload through the API stays
inside the upload folder while the server's own files stay out of reach. One served app for all three."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from assistant.app import build_assistant
from assistant.config import Settings
from security_support import HERON_URL, PWN, QUESTIONS, load, rendered_markdown_tags, write_payloads
from ui_support import CHROMIUM, CHROMIUM_ARGS, ROOT, ServerProcess, write_articles


@pytest.fixture(scope="module")
def payload_server(tmp_path_factory, embeddings):
    root = tmp_path_factory.mktemp("security")
    folder = write_payloads(write_articles(root / "articles"))
    with build_assistant(Settings(index_dir=root / "index"), embeddings=embeddings) as assistant:
        report = assistant.ingest([folder], progress=False)
        assert report.articles == 8 and not report.errors, report.summary()
    proc = ServerProcess(root / "server.log", index_dir=root / "index", upload_dir=root / "uploads", feedback_path=root / "fb.jsonl")
    try:
        yield proc.wait()
    finally:
        proc.close()


CHECK_DOM = """() => {
    const areas = Array.from(document.querySelectorAll('#chat, #upload-progress, #stats, #source'));
    const inside = areas.flatMap(a => Array.from(a.querySelectorAll('*')));
    const answers = Array.from(document.querySelectorAll('#chat .answer *'));
    return {
        pwned: typeof window.__pwned === 'undefined' ? null : String(window.__pwned),
        active: answers.filter(el => ['SCRIPT', 'IMG', 'IFRAME', 'SVG', 'OBJECT', 'EMBED', 'STYLE', 'DETAILS'].includes(el.tagName.toUpperCase())
                                     && !el.matches('details.full, details.notice-details')).map(el => el.outerHTML.slice(0, 120)),
        onAttrs: inside.filter(el => Array.from(el.attributes).some(a => a.name.toLowerCase().startsWith('on'))).map(el => el.outerHTML.slice(0, 120)),
        links: Array.from(document.querySelectorAll('#chat a[href]')).map(a => ({cls: a.className, raw: a.getAttribute('href'), protocol: new URL(a.href).protocol})),
    };
}"""


@pytest.mark.browser
@pytest.mark.slow
def test_hostile_articles_execute_nothing_in_a_real_browser(payload_server):
    playwright_api = pytest.importorskip("playwright.sync_api")
    from test_browser import Session

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (make browser)")
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = Session(browser, payload_server.url)
        try:
            page = tab.page
            for question, figure in QUESTIONS.items():
                answer = tab.ask(question)
                assert "answered" in answer.get_attribute("class"), (question, answer.inner_text()[:300])
                assert figure in answer.locator(".answer-text").inner_text(), question
            answers = page.locator("#chat .answer")
            kestrel = answers.nth(0)
            headline = kestrel.locator(".card .headline").first.inner_text()
            assert "<script>" in headline and "Kestrel" in headline  # shown as text, exactly once escaped
            assert "<svg/onload=" in kestrel.locator(".card .source").first.inner_text()
            assert "<img src=x onerror=" in kestrel.locator(".answer-text").inner_text()
            for n in (0, 1, 3):  # javascript:, data: and mixed-case javascript: urls get no link
                assert answers.nth(n).locator(".card a.original").count() == 0
            heron_link = answers.nth(2).locator(".card a.original").first.get_attribute("href")
            assert heron_link == HERON_URL
            assert "<img" in answers.nth(4).locator(".card .headline").first.inner_text()  # HTML entities decoded, then escaped

            # an abstention lists the hostile titles as closest passages; a hostile question and filter value too
            tab.ask("Who commands the Kestrel radar programme?")
            tab.ask(f'<img src=x onerror="{PWN}=\'question\'"> How many Kestrel radars were ordered?')
            page.locator("#since").locator("textarea, input").first.fill(f'<img src=x onerror="{PWN}=\'filter\'">')
            box = page.locator("#question").locator("textarea, input").first
            box.fill("How many Heron ground stations did the Army order?")
            box.press("Enter")
            toast = page.get_by_text("is not a date").first
            toast.wait_for(timeout=20_000)
            assert "<img src=x onerror=" in toast.inner_text()  # toasts render HTML: the value is shown escaped
            bubbles = page.evaluate("""() => Array.from(document.querySelectorAll('#chat *')).filter(el => !el.closest('.answer')
                && el.childElementCount === 0 && el.textContent.includes("__pwned='question'")).length""")
            assert bubbles >= 1  # the question's own bubble shows it as text
            page.locator("#source").locator("input").first.click()  # the source list holds the hostile source names
            page.get_by_role("option").first.wait_for(timeout=10_000)
            page.keyboard.press("Escape")
            page.get_by_role("tab", name="Corpus").click()
            page.locator("#stats").get_by_text("Evil").first.wait_for(timeout=20_000)
            page.wait_for_timeout(800)  # give any injected handler a chance to run

            found = page.evaluate(CHECK_DOM)
            (ROOT / "test-output" / "browser").mkdir(parents=True, exist_ok=True)
            page.get_by_role("tab", name="Ask").click()
            page.screenshot(path=str(ROOT / "test-output" / "browser" / "hostile-articles.png"), full_page=True)
            assert tab.dialogs == [], tab.dialogs
            assert found["pwned"] is None, found["pwned"]
            assert found["active"] == [] and found["onAttrs"] == [], found
            assert found["links"], "no links at all: the answers did not render"
            for link in found["links"]:
                assert link["protocol"] in ("http:", "https:"), link
                if "cite" in link["cls"].split():
                    assert link["raw"].startswith("#cite-"), link
                elif "read-article" in link["cls"].split():  # opens the Corpus tab's reader: an id and spans only
                    assert re.fullmatch(r"#read:[A-Za-z0-9%._-]*:[0-9,-]*", link["raw"]), link
                else:
                    assert link["raw"].startswith(("http://", "https://")), link
            assert tab.remote_requests() == []
        finally:
            tab.close()
            browser.close()


@pytest.mark.slow
def test_export_and_download_of_hostile_answers_are_inert(payload_server):
    with httpx.Client(timeout=120) as client:
        for question in QUESTIONS:
            out = load.gradio_call(client, payload_server.url, "ask", load.ask_args(question))
            assert load.answer_kind(out) == "answered", question
            markdown = out[3]
            exported = out[4].get("value") or out[4]  # a gr.update around the file
            download = client.get(exported.get("url") or f"{payload_server.url}gradio_api/file={exported['path']}")
            assert download.status_code == 200 and markdown.strip() in download.text
            for text in (markdown, download.text):
                tags = rendered_markdown_tags(text)
                assert [t for t in tags if t[0] in ("raw-html", "img")] == [], (question, tags)
                assert all(attrs["href"].startswith(("http://", "https://")) for tag, attrs in tags if tag == "a"), tags


# --- uploads through the served app ----------------------------------------------------------------


@pytest.mark.slow
def test_served_upload_stays_in_the_upload_folder_and_server_files_are_out_of_reach(payload_server):
    upload_dir = Path(payload_server.log_path).parent / "uploads"
    article = ("---\nid: traversal\ntitle: \"Traversal test\"\ndate: 2025-02-01\nsource: Test Wire\n---\n"
               + "The Navy ordered 19 Petrel sonar buoys for 4 million dollars. " * 6).encode()
    with httpx.Client(timeout=120) as client:
        table = load.upload_file(client, payload_server.url, "../../../escaped-upload.md", article)
        assert "indexed" in table, table
        binary = load.upload_file(client, payload_server.url, "photo.md", b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
        assert "rejected" in binary and "photo.md" in binary, binary
        with pytest.raises(load.CallError):  # a path on the server that was never uploaded is refused by Gradio
            load.gradio_call(client, payload_server.url, "upload",
                             [[{"path": str(ROOT / "README.md"), "orig_name": "README.md", "meta": {"_type": "gradio.FileData"}}]])
    assert sorted(p.name for p in upload_dir.iterdir()) == ["escaped-upload.md"]
    assert not (upload_dir.parent.parent / "escaped-upload.md").exists()
    assert not list(upload_dir.parent.rglob("README.md"))  # the server's own folder: index, uploads, logs
