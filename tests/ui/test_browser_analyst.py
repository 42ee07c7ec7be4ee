"""The analyst's views in a real browser: the "Reports differ" panel above the cards, and the Timeline tab with
its plotly chart and exports. `assistant serve` over bundled articles, driven by Debian's chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ui_support import CHROMIUM, CHROMIUM_ARGS, DONE, ROOT, served_index

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.browser, pytest.mark.slow]
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is not installed (make browser)", allow_module_level=True)

OUTPUT = ROOT / "test-output" / "browser"
# The Sentinel revision and the Golden Dome coverage, from the bundled corpus.
ARTICLES = [
    "ai-sentinel-certification-141-billion-2024-07", "ai-sentinel-nunn-mccurdy-breach-2024-01",
    "md-golden-dome-175-billion-guetlein-2025-05", "md-golden-dome-canada-price-2025-05",
    "md-golden-dome-kuiper-spacex-2025-07", "md-cbo-space-based-interceptors-2025-05", "md-iron-dome-for-america-order-2025-01",
]


def _keep(shot: Path, name: str) -> None:
    """Refresh the README's screenshot when asked to (UPDATE_SCREENSHOT=1)."""
    if os.environ.get("UPDATE_SCREENSHOT") == "1":
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(shot, ROOT / "docs" / name)


@pytest.fixture(scope="module")
def server(tmp_path_factory, embeddings):
    root = tmp_path_factory.mktemp("browser-analyst")
    sources = [ROOT / "corpus" / f"{name}.md" for name in ARTICLES]
    with served_index(root, sources, embeddings, len(ARTICLES), feedback_path=root / "feedback.jsonl") as proc:
        yield proc


@pytest.fixture
def page(server):
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 1200})
        remote: list[str] = []
        context.on("request", lambda r: remote.append(r.url) if not r.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")) else None)
        tab = context.new_page()
        tab.goto(server.url, wait_until="load")
        tab.locator("#question").locator("textarea, input").first.wait_for()
        yield tab
        assert remote == [], remote  # the chart library and everything else come from the server itself
        context.close()
        browser.close()


def test_reports_differ_panel_sits_above_the_cards(page):
    box = page.locator("#question").locator("textarea, input").first
    box.fill("What is the estimated cost of the Sentinel ICBM programme?")
    box.press("Enter")
    page.wait_for_function(f"document.querySelectorAll({DONE!r}).length > 0", timeout=90_000)
    answer = page.locator("#chat .answer").first
    panel = answer.locator(".conflicts")
    panel.wait_for(state="visible")
    assert "Reports differ" in panel.locator(".conflicts-label").inner_text()
    values = panel.locator(".conflict-value .value").all_inner_texts()
    assert values[0] == "$140.9 billion" and "$95.8 billion" in values[1:]
    first = panel.locator(".conflict-value").first.inner_text()
    assert "Atlas Security Review" in first and "2024-07-09" in first
    # above the cards: the panel comes first in the answer, and each card shows its kind of source
    assert answer.evaluate("el => { const p = el.querySelector('.conflicts'), c = el.querySelector('.cards');"
                           " return !!(p && c && (p.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING)); }")
    assert answer.locator(".card .kind").first.text_content() == "trade press"
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.add_style_tag(content="#chat, #chat * { max-height: none !important; } #chat { height: auto !important; }")
    page.mouse.move(0, 0)
    shot = OUTPUT / "screenshot-conflicts.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    _keep(shot, "screenshot-conflicts.png")


def test_timeline_tab_charts_and_lists_dated_events(page):
    page.get_by_role("tab", name="Timeline").click()
    subject = page.locator("#timeline-subject").locator("textarea, input").first
    subject.fill("Golden Dome")
    page.locator("#timeline-go").click()
    page.wait_for_function("document.querySelectorAll('#timeline-events .event').length >= 4", timeout=90_000)
    dates = page.locator("#timeline-events .event time").all_inner_texts()
    assert dates == sorted(dates) and len(dates) >= 4
    merged = page.locator("#timeline-events .event", has_text="175 billion").first.locator(".event-sources").inner_text()
    assert merged.count(";") >= 1  # one event, several sources
    page.wait_for_function("document.querySelectorAll('#timeline-plot .js-plotly-plot .scatterlayer .point, "
                           "#timeline-plot .js-plotly-plot path.point').length >= 4", timeout=60_000)
    for button in ("#timeline-md", "#timeline-csv"):
        assert page.locator(button).is_enabled()
    with page.expect_download() as download:
        page.locator("#timeline-csv").click()
    csv_text = Path(download.value.path()).read_text(encoding="utf-8")
    assert csv_text.startswith("date,text,article_id") and csv_text.count("\n") >= 5
    page.mouse.move(0, 0)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    shot = OUTPUT / "screenshot-timeline.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    _keep(shot, "screenshot-timeline.png")


def test_timeline_for_an_unknown_subject_says_so(page):
    page.get_by_role("tab", name="Timeline").click()
    subject = page.locator("#timeline-subject").locator("textarea, input").first
    subject.fill("Zanzibar hovercraft squadron")
    subject.press("Enter")
    page.wait_for_selector("#timeline-events .timeline-empty", timeout=60_000)
    assert "No dated events" in page.locator("#timeline-events").inner_text()
    assert not page.locator("#timeline-csv").is_enabled()
