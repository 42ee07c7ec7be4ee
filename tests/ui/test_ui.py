"""The chat UI's rendering and handlers, in process, over a real index (real embeddings, real Chroma)."""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import gradio as gr
import pytest

from assistant.app import build_assistant
from assistant.config import Settings
from assistant.schema import Answer, Chunk, Citation, Passage, SentenceCheck
from assistant.ui.chat import ChatHandlers, make_filters
from assistant.ui.page import build_ui
from assistant.ui.corpus_tab import CorpusService
from assistant.ui.render import answer_html, answer_markdown, conversation_markdown, safe_url
from ui_support import KUIPER_QUESTION, write_articles

XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2"> <a href="javascript:alert(1)">x</a>'


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = TagCollector()
    parser.feed(html)
    return parser.tags


def passage(n: int, text: str, title: str = "Title", url: str = "", source: str = "Wire") -> Passage:
    chunk = Chunk(f"c{n}", f"a{n}", 0, text, 0, len(text), title, f"a{n}.md", date(2025, 6, 10), source, url)
    return Passage(chunk, n, 0.5)


@pytest.fixture(scope="module")
def ui_assistant(tmp_path_factory, embeddings):
    root = tmp_path_factory.mktemp("ui")
    settings = Settings(index_dir=root / "index", upload_dir=root / "uploads", feedback_path=root / "feedback.jsonl", max_upload_mb=0.01)
    assistant = build_assistant(settings, embeddings=embeddings)
    report = assistant.ingest([write_articles(root / "articles")], progress=False)
    assert report.articles == 3, report.summary()
    yield assistant
    assistant.close()


def run(handlers: ChatHandlers, question: str, chat=(), turns=(), since="", until="", source=None, tag="") -> tuple[list, list, list]:
    """Drive the streaming handler to the end; returns (every chat value yielded, final chat, final turns)."""
    chats, final_turns = [], list(turns)
    for out in handlers.respond(question, list(chat), list(turns), since, until, source, tag, "extractive", 6):
        if isinstance(out[1], list):
            chats.append([dict(m) for m in out[1]])
        if isinstance(out[2], list):
            final_turns = out[2]
    return chats, chats[-1], final_turns


# --- rendering: what reaches the page is escaped and honest ----------------------------------------


def test_every_article_and_model_string_is_escaped():
    text = "Kuiper launched 78 satellites. " + XSS
    p = passage(1, text, title=XSS, url="javascript:alert(1)", source=XSS)
    answer = Answer("q", f"Model said {XSS} [1]", False, "llm", (Citation(1, p, ((0, 31),)),), (p,),
                    standalone_question=XSS, notice=XSS, sentences=(SentenceCheck(XSS, (1,), False, (XSS,)),))
    html = answer_html(answer, "t1", markdown=XSS)
    for tag, attrs in tags_of(html):
        assert tag not in {"script", "img", "iframe", "object", "embed"}, tag
        assert not any(name.startswith("on") for name in attrs), attrs
        href = attrs.get("href")
        assert (href is None or href.startswith("#cite-t1-") or href.startswith("https://")
                or re.fullmatch(r"#read:[A-Za-z0-9%._-]*:[0-9,-]*", href)), href  # the card's link to the reader
    assert "&lt;script&gt;" in html


def test_links_only_for_http_urls():
    assert safe_url("https://example.com/a") == "https://example.com/a"
    for bad in ("javascript:alert(1)", " JAVASCRIPT:alert(1)", "data:text/html,x", "/relative", "http://", ""):
        assert safe_url(bad) is None
    p = passage(1, "Seventy-eight satellites are in orbit now.", url="https://example.com/story")
    html = answer_html(Answer("q", "Seventy-eight [1]", False, "extractive", (Citation(1, p),), (p,)), "t")
    links = [a for t, a in tags_of(html) if t == "a" and a.get("class") == "original"]
    assert links == [{"class": "original", "href": "https://example.com/story", "target": "_blank", "rel": "noopener noreferrer"}]


def test_the_lead_value_is_bold_not_asterisks_and_article_asterisks_stay_text():
    p = passage(1, "It has put 78 satellites into orbit.")
    html = answer_html(Answer("q", "**78 satellites** [1] — It has put 78 satellites into orbit.", False, "extractive",
                              (Citation(1, p),), (p,)), "t")
    assert "<strong>78 satellites</strong>" in html and "**" not in html
    html = answer_html(Answer("q", "It has **<b>x</b>** [1]", False, "extractive", (Citation(1, p),), (p,)), "t")
    assert "<strong>" not in html and "&lt;b&gt;" in html


def test_card_marks_the_supporting_sentence_and_skips_uncited_passages():
    text = "Amazon is a newcomer. It has put 78 satellites into orbit. Bezos spoke in January."
    start = text.index("It has")
    end = text.index("Bezos") - 1
    cited = passage(2, text)
    answer = Answer("q", "It has put 78 satellites into orbit. [2]", False, "extractive",
                    (Citation(2, cited, ((start, end),)),), (passage(1, "Other text about PAC-3."), cited, passage(3, "More.")))
    html = answer_html(answer, "abc")
    assert "<mark>It has put 78 satellites into orbit.</mark>" in html
    card_ids = [a["id"] for t, a in tags_of(html) if a.get("class") == "card"]
    assert card_ids == ["cite-abc-2"]
    assert '<a class="cite" href="#cite-abc-2"' in html
    assert "PAC-3" not in html


def test_abstention_is_distinct_and_labels_closest_passages():
    answer = Answer("q", "The indexed articles do not cover this question.", True, "extractive", (), (passage(1, "About PAC-3 interceptors."),))
    html = answer_html(answer, "t")
    assert 'class="answer abstained"' in html
    assert "Not found in the indexed articles" in html
    assert "Closest passages found — not an answer" in html
    assert 'class="card"' not in html


def test_markdown_export_keeps_citations():
    p = passage(1, "It has put 78 satellites into orbit.", title="Kuiper story", url="https://example.com/k")
    answer = Answer("How many?", "It has put 78 satellites into orbit. [1]", False, "extractive", (Citation(1, p, ((0, 36),)),), (p,))
    md = answer_markdown(answer)
    assert "[1] [Kuiper story](https://example.com/k) — Wire, 2025-06-10" in md
    assert '> "It has put 78 satellites into orbit."' in md
    assert "Article id: a1 · Link: `https://example.com/k`" in md
    conversation = conversation_markdown([{"markdown": md}, {"markdown": md}])
    assert conversation.startswith("# Conversation") and conversation.count("**Q:** How many?") == 2


# --- handlers over a real index ------------------------------------------------------------------


def test_answer_streams_then_shows_cited_card(ui_assistant):
    chats, final, turns = run(ChatHandlers(ui_assistant), KUIPER_QUESTION)
    assert "Searching the articles" in chats[0][-1]["content"]
    html = final[-1]["content"]
    assert 'class="answer answered"' in html, html
    assert "78" in html and 'class="cite"' in html
    assert "<mark>" in html and "78 satellites" in html.split("<mark>", 1)[1].split("</mark>", 1)[0]
    assert turns[-1]["citations"][0]["article_id"] == "kuiper-golden-dome"


def test_followup_is_rewritten_and_shown(ui_assistant):
    handlers = ChatHandlers(ui_assistant)
    _, chat, turns = run(handlers, "What did the Pentagon ask Amazon's Project Kuiper about?")
    _, chat, turns = run(handlers, "and how many satellites did they put into orbit?", chat, turns)
    html = chat[-1]["content"]
    assert "Searched as:" in html and "Kuiper" in html.split("Searched as:", 1)[1]
    assert "78" in html and turns[-1]["standalone_question"] != turns[-1]["question"]


def test_date_filter_that_excludes_the_article_abstains(ui_assistant):
    _, chat, turns = run(ChatHandlers(ui_assistant), KUIPER_QUESTION, until="2025-01-01")
    html = chat[-1]["content"]
    assert 'class="answer abstained"' in html and "78 satellites" not in html
    assert turns[-1]["abstained"] and turns[-1]["filters"]["until"] == "2025-01-01"


def test_bad_dates_are_refused_with_a_message():
    with pytest.raises(gr.Error, match="YYYY-MM-DD"):
        make_filters("10/06/2025", "", None, "")
    with pytest.raises(gr.Error, match="after"):
        make_filters("2025-06-10", "2024-01-01", None, "")
    assert make_filters(" 2024-01-01 ", "", "", " space ").tag == "space"


def test_feedback_is_appended_as_jsonl(ui_assistant):
    handlers = ChatHandlers(ui_assistant)
    _, chat, turns = run(handlers, KUIPER_QUESTION)
    path = Path(ui_assistant.settings.feedback_path)
    before = path.read_text().splitlines() if path.exists() else []
    rated, note, _ = handlers.rate(turns, "", gr.LikeData(None, {"index": 1, "value": chat[1]["content"], "liked": False}))
    assert rated == {"turn": 0, "rating": "down"} and "👎" in note
    note, _ = handlers.comment(turns, rated, "the date is wrong")
    assert "recorded" in note
    records = [json.loads(line) for line in path.read_text().splitlines()[len(before):]]
    assert [r["rating"] for r in records] == ["down", "down"]
    assert records[1]["comment"] == "the date is wrong" and records[1]["question"] == KUIPER_QUESTION
    assert records[0]["citations"][0]["article_id"] == "kuiper-golden-dome"


def test_uploads_report_each_file(ui_assistant, tmp_path):
    good = write_articles(tmp_path / "up", {"zephyr.md": ("Zephyr drone order", "2025-02-01", "Test Wire", "", "[drones]",
                                                          "The Navy ordered 412 Zephyr-9 drones for 96 million dollars. " * 8)})
    wrong = tmp_path / "notes.xlsx"
    wrong.write_bytes(b"PK\x03\x04")
    big = tmp_path / "big.md"
    big.write_text("x" * 20_000)
    service = CorpusService(ui_assistant)
    steps = list(service.ingest_uploads([good / "zephyr.md", wrong, big]))
    rows = {r.name: r for r in steps[-1]}
    assert rows["zephyr.md"].status == "indexed" and rows["zephyr.md"].ok
    assert rows["notes.xlsx"].status == "rejected" and "unsupported" in rows["notes.xlsx"].detail
    assert rows["big.md"].status == "rejected" and "upload limit" in rows["big.md"].detail
    assert any(r.status == "indexing…" for step in steps for r in step) or len(steps) > 3
    assert service.stats()["articles"] == 4
    assert (Path(ui_assistant.settings.upload_dir) / "zephyr.md").exists()


def test_build_ui_wires_the_api(ui_assistant):
    demo = build_ui(ui_assistant)
    names = {fn.api_name for fn in demo.fns.values() if fn.api_name}
    assert {"ask", "upload"} <= names
