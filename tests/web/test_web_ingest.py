"""Web pages and RSS/Atom feeds, fetched from a real HTTP server on loopback (no request leaves the machine)."""

from __future__ import annotations

import json
import time

import pytest

from assistant import cli
from assistant.errors import ArticleError
from assistant.ui.corpus_tab import CorpusService, watch_html
from assistant.web.watch import last_run, parse_every, run_once
from assistant.web.fetch import USER_AGENT, FetchError, Fetcher
from assistant.web.sources import ingest_sources
from web_support import WebServer, atom, html_page, rss, start

ARTICLES = {
    "/news/radars.html": ("Army orders 36 mobile radars for air defence battalions", "2025-08-12",
                          "The U.S. Army ordered 36 mobile Sentinel radars for its air defence battalions, the service said on "
                          "Tuesday. The order is worth 412 million dollars and covers spares and training.\n\n"
                          "Deliveries begin in 2027 and the first battalion to receive the radars is based in Germany. Officials "
                          "said the radars can track cruise missiles and drones at longer range than the sets they replace."),
    "/news/frigates.html": ("Navy picks Wisconsin yard for second frigate batch", "2025-08-20",
                            "The Navy picked a shipyard in Marinette, Wisconsin, to build a second batch of six frigates, "
                            "according to a contract notice published on Wednesday. The batch is valued at 3.1 billion dollars.\n\n"
                            "The programme had slipped by three years because of design changes to the hull, and the Navy said "
                            "the new batch would keep the yard busy until 2032 while a second source is qualified."),
    "/news/munitions.html": ("Marine Corps fields loitering munition with infantry units", "2025-09-02",
                             "The Marine Corps began fielding a loitering munition called Organic Precision Fires-Light to "
                             "infantry battalions, with 220 systems delivered so far this year.\n\n"
                             "Each system weighs under 10 pounds and can strike targets out to 20 kilometres, the Corps said, "
                             "adding that two more battalions in Okinawa would receive them by December."),
}
HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml"}
FULL_TEXT = " ".join(["The Air Force awarded a contract for 14 tanker aircraft worth 2.8 billion dollars on Monday."] * 10)


def _page(path: str) -> tuple[int, dict[str, str], bytes]:
    title, day, body = ARTICLES[path]
    return 200, HTML, html_page(title, body, day)


@pytest.fixture
def web():
    state = WebServer()
    for path in ARTICLES:
        state.routes[path] = _page(path)
    httpd, _ = start(state)
    items = [("guid-radars", state.url("/news/radars.html"), ARTICLES["/news/radars.html"][0], "2025-08-12"),
             ("guid-frigates", state.url("/news/frigates.html"), ARTICLES["/news/frigates.html"][0], "2025-08-20")]
    state.routes["/feed.xml"] = (200, RSS, rss("Loopback Defence Wire", items))
    yield state
    httpd.shutdown()
    httpd.server_close()


def _settings(tmp_path, **extra):
    return {"web_dir": tmp_path / "web", "fetch_delay_s": 0.0, "fetch_timeout_s": 1.0, **extra}


def _records(assistant) -> list[dict]:
    return [meta for _, _, meta in assistant.store.iter_records()]


def test_feed_via_cli_indexes_every_entry_with_url_and_date_and_rerun_embeds_nothing(web, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("ASSISTANT_WEB_DIR", str(tmp_path / "web"))
    monkeypatch.setenv("ASSISTANT_FETCH_DELAY_S", "0")
    feed = web.url("/feed.xml")
    assert cli.main(["ingest", "--quiet", feed]) == 0
    first = capsys.readouterr()
    assert "2 articles indexed, 0 failed" in first.out and "nothing changed" not in first.out, first
    assert cli.main(["ask", "--json", "How many mobile radars did the Army order?"]) == 0
    answer = json.loads(capsys.readouterr().out)
    cited = answer["citations"][0]
    assert cited["url"] == web.url("/news/radars.html") and cited["published"] == "2025-08-12"
    assert cited["source"] == "Loopback Defence Wire" and "36 mobile Sentinel radars" in answer["answer"]
    assert cited["page"] is None  # a web page has no pages
    fetched_before = len(web.hits)
    assert cli.main(["ingest", "--quiet", feed]) == 0
    second = capsys.readouterr()
    assert "nothing changed: 0 chunks embedded" in second.out, second
    assert web.paths()[fetched_before:] == ["/feed.xml"]  # unchanged entries: their pages are not fetched again


def test_page_url_keeps_main_text_headline_date_outlet_and_link(web, make_assistant, tmp_path):
    assistant = make_assistant(**_settings(tmp_path))
    run = ingest_sources(assistant, [web.url("/news/frigates.html")], progress=False)
    assert run.report.articles == 1 and not run.report.errors, run.report.summary()
    chunks = [assistant.store.get_chunks([i])[0] for i, _, _ in assistant.store.iter_records()]
    text = " ".join(c.text for c in chunks)
    assert "Marinette, Wisconsin" in text and "3.1 billion" in text
    assert "newsletter" not in text and "Cookie settings" not in text  # navigation and footer are not article text
    chunk = chunks[0]
    assert chunk.title == "Navy picks Wisconsin yard for second frigate batch"
    assert chunk.url == web.url("/news/frigates.html") and chunk.published.isoformat() == "2025-08-20"
    assert chunk.source == "Loopback Defence Wire"


def test_atom_entry_with_full_text_is_not_fetched_and_linked_entry_is(web, make_assistant, tmp_path):
    web.routes["/atom.xml"] = (200, {"Content-Type": "application/atom+xml"}, atom("Loopback Atom", [
        ("urn:entry:tankers", web.url("/news/tankers.html"), "Air Force buys 14 tankers", "2025-09-01", f"<p>{FULL_TEXT}</p>"),
        ("urn:entry:munitions", web.url("/news/munitions.html"), ARTICLES["/news/munitions.html"][0], "2025-09-02", ""),
    ]))
    assistant = make_assistant(**_settings(tmp_path))
    run = ingest_sources(assistant, [web.url("/atom.xml")], progress=False)
    assert run.report.articles == 2 and not run.report.errors, run.report.summary()
    assert "/news/tankers.html" not in web.paths() and "/news/munitions.html" in web.paths()
    by_url = {m["url"]: m for m in _records(assistant)}
    assert by_url[web.url("/news/tankers.html")]["published"] == "2025-09-01"
    assert by_url[web.url("/news/munitions.html")]["source"] == "Loopback Atom"


def test_each_bad_url_is_one_named_line_and_the_rest_is_indexed(web, make_assistant, tmp_path, capsys, monkeypatch):
    def slow():
        time.sleep(3)
        return _page("/news/radars.html")

    web.routes.update({
        "/boom.html": (500, HTML, b"<h1>Internal error</h1>"),
        "/loop-a": (302, {"Location": "/loop-b"}, b""),
        "/loop-b": (302, {"Location": "/loop-a"}, b""),
        "/report.zip": (200, {"Content-Type": "application/zip"}, b"PK\x03\x04 not a page"),
        "/slow.html": slow,
        "/big.html": (200, HTML, b"<html><body><p>" + b"word " * 40_000 + b"</p></body></html>"),
        "/broken.xml": (200, RSS, b"this is { not xml at all"),
        "/mixed.xml": (200, RSS, rss("Mixed feed", [
            ("guid-ok", web.url("/news/munitions.html"), "Munitions", "2025-09-02"),
            ("guid-gone", web.url("/news/gone.html"), "Gone", "2025-09-03")])),
    })
    from assistant.answering.llm import free_port

    closed = f"http://127.0.0.1:{free_port()}/nothing-listens.html"
    urls = {
        web.url("/missing.html"): "HTTP 404", web.url("/boom.html"): "HTTP 500", web.url("/loop-a"): "redirect loop",
        web.url("/report.zip"): "not an HTML page", web.url("/slow.html"): "timed out", closed: "connection refused",
        web.url("/big.html"): "limit", web.url("/broken.xml"): "not XML", web.url("/news/gone.html"): "feed entry",
        "ftp://127.0.0.1/file.html": "only http and https",
    }
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("ASSISTANT_WEB_DIR", str(tmp_path / "web"))
    monkeypatch.setenv("ASSISTANT_FETCH_DELAY_S", "0")
    monkeypatch.setenv("ASSISTANT_FETCH_TIMEOUT_S", "1")
    monkeypatch.setenv("ASSISTANT_FETCH_MAX_MB", "0.1")
    sources = [u for u in urls if "gone" not in u] + [web.url("/mixed.xml"), web.url("/news/radars.html")]
    assert cli.main(["ingest", "--quiet", *sources]) == 0
    out = capsys.readouterr()
    lines = [line for line in out.err.splitlines() if line.startswith("skipped ")]
    assert len(lines) == len(urls), out.err
    for url, reason in urls.items():
        assert [line for line in lines if line.startswith(f"skipped {url}:") and reason in line], (url, reason, lines)
    assert "2 articles indexed" in out.out  # the good page and the good entry of the mixed feed


def test_watch_once_twice_indexes_nothing_then_a_new_entry(web, make_assistant, tmp_path):
    assistant = make_assistant(**_settings(tmp_path))
    feed = web.url("/feed.xml")
    first, line1 = run_once(assistant, [feed])
    assert first.web.new == 2 and first.report.embedded > 0, line1
    second, line2 = run_once(assistant, [feed])
    assert second.web.new == 0 and second.web.changed == 0 and second.report.embedded == 0, line2
    assert "nothing changed: 0 chunks embedded" in line2 and "\n" not in line2
    items = [("guid-radars", web.url("/news/radars.html"), ARTICLES["/news/radars.html"][0], "2025-08-12"),
             ("guid-frigates", web.url("/news/frigates.html"), ARTICLES["/news/frigates.html"][0], "2025-08-20"),
             ("guid-munitions", web.url("/news/munitions.html"), ARTICLES["/news/munitions.html"][0], "2025-09-02")]
    web.routes["/feed.xml"] = (200, RSS, rss("Loopback Defence Wire", items))
    third, line3 = run_once(assistant, [feed])
    assert third.web.new == 1 and third.web.unchanged == 2 and third.report.embedded > 0, line3
    assert web.url("/news/munitions.html") in {m["url"] for m in _records(assistant)}
    assert last_run(assistant.settings)["line"] == line3
    assert "Last watch run" in watch_html(assistant.settings) and "1 new" in watch_html(assistant.settings)


def test_watch_command_once_prints_one_line(web, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("ASSISTANT_WEB_DIR", str(tmp_path / "web"))
    monkeypatch.setenv("ASSISTANT_FETCH_DELAY_S", "0")
    assert cli.main(["watch", web.url("/feed.xml"), "--once", "--every", "10m"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "watch: web: 1 URL(s), 2 new" in out[0], out
    assert parse_every("30m") == 1800 and parse_every("2h") == 7200 and parse_every("45") == 45


def test_politeness_user_agent_and_spacing_per_host(web):
    fetcher = Fetcher(timeout_s=2.0, delay_s=0.3)
    for path in ("/news/radars.html", "/news/frigates.html", "/news/munitions.html"):
        fetcher.get(web.url(path))
    assert all(h.user_agent == USER_AGENT and "defence-news-assistant" in h.user_agent for h in web.hits)
    gaps = [b.at - a.at for a, b in zip(web.hits, web.hits[1:])]
    assert all(gap >= 0.3 for gap in gaps), gaps  # a lower bound that sleeping guarantees, not a speed


def test_served_ui_url_box_refuses_local_hosts_and_paths_unless_allowed(web, make_assistant, tmp_path):
    with pytest.raises(FetchError, match="local or private"):
        Fetcher(public_only=True, delay_s=0).get(web.url("/news/radars.html"))
    closed = CorpusService(make_assistant(**_settings(tmp_path)))
    rows = list(closed.ingest_url(web.url("/news/radars.html")))[-1]
    assert rows[0].ok is False and any("private" in r.detail for r in rows), rows
    assert list(closed.ingest_url("/etc/passwd"))[-1][0].status == "rejected"
    allowed = CorpusService(make_assistant(**_settings(tmp_path, ui_fetch_private=True, index_dir=tmp_path / "index2")))
    rows = list(allowed.ingest_url(web.url("/feed.xml")))[-1]
    assert rows[0].ok and "2 article(s)" in rows[0].detail, rows
    assert allowed.stats(fresh=True)["articles"] == 2


def test_fetch_error_is_an_article_error_naming_the_url():
    error = FetchError("http://127.0.0.1:9/x", "HTTP 404 from the server")
    assert isinstance(error, ArticleError) and str(error) == "http://127.0.0.1:9/x: HTTP 404 from the server"


def test_watch_goes_on_after_a_failed_run(web, make_assistant, tmp_path):
    from assistant.errors import StoreError
    from assistant.web.watch import watch

    assistant = make_assistant(**_settings(tmp_path))
    real_ingest, calls = assistant.ingest, []

    def flaky(*args, **kwargs):  # a fake, and the only one here: an outage of the store cannot be produced on cue
        calls.append(1)
        if len(calls) == 1:
            raise StoreError("the Chroma server did not answer")
        return real_ingest(*args, **kwargs)

    assistant.ingest = flaky
    said, warned, sleeps = [], [], []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        watch(assistant, [web.url("/feed.xml")], 60.0, False, said.append, warned.append, sleep=sleep)
    assert len(warned) == 1 and "watch run failed: the Chroma server did not answer" in warned[0]
    # the failed run had kept the articles before the store failed: the next one finds them unchanged and indexes them
    assert len(said) == 1 and "2 unchanged" in said[0] and "2 chunks embedded" in said[0], said
    assert sleeps == [60.0, 60.0]


def test_a_pdf_linked_from_a_feed_is_kept_cited_by_page_with_the_entry_url(web, make_assistant, tmp_path):
    from documents_support import build_report

    pdf = build_report(tmp_path / "primer.pdf").read_bytes()
    web.routes["/reports/primer.pdf"] = (200, {"Content-Type": "application/pdf"}, pdf)
    web.routes["/reports.xml"] = (200, RSS, rss("Research Service", [
        ("guid-primer", web.url("/reports/primer.pdf"), "Air and missile defense: a primer", "2025-09-04")]))
    assistant = make_assistant(**_settings(tmp_path))
    run = ingest_sources(assistant, [web.url("/reports.xml")], progress=False)
    assert run.report.articles == 1 and not run.report.errors, run.report.summary()
    records = _records(assistant)
    assert {m["page"] for m in records} == {1, 2, 3, 4}
    assert {(m["url"], m["source"], m["title"], m["published"]) for m in records} == {
        (web.url("/reports/primer.pdf"), "Research Service", "Air and missile defense: a primer", "2025-09-04")}
    again = ingest_sources(assistant, [web.url("/reports.xml")], progress=False)
    assert again.report.embedded == 0 and again.web.unchanged == 1, again.summary()
