"""The corpus browser, reader view and delete, over a real Chroma folder and keyword index built from bundled articles;
the command-line delete and a delete killed with SIGKILL run as real subprocesses."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from assistant.index.articles import article_text, list_articles, rebuild_text, search_articles, sort_articles
from assistant.ingest.loaders import load_file
from assistant.index.deletion import NotIndexedError, delete_article
from assistant.index.keyword import keyword_index_for
from assistant.ui.render import citation_spans, parse_spans, read_button, reader_html
from assistant.schema import Chunk, Citation, Filters, Passage
from assistant.index.storygroups import load_story_groups
from assistant.ui.browser import CorpusBrowser
from assistant.ui.render import esc
from conftest import CORPUS, ROOT, write_article

NAMES = [
    "md-golden-dome-kuiper-spacex-2025-07.md",
    "ai-munitions-ramp-155mm-javelin-gmlrs-2024-05.md",
    "md-oreshnik-dnipro-strike-2024-11.md",
    "md-oreshnik-dnipro-strike-syndicated-2024-11.md",  # a copy of the one above: one story group
    "md-finland-davids-sling-2023-11.md",
]
COPY, ORIGINAL = "md-oreshnik-dnipro-strike-syndicated-2024-11", "md-oreshnik-dnipro-strike-2024-11"


def corpus_copy(folder: Path, names: list[str] = NAMES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(CORPUS / name, folder / name)
    return folder


@pytest.fixture
def indexed(make_assistant, tmp_path):
    assistant = make_assistant(upload_dir=tmp_path / "uploads", web_dir=tmp_path / "web")
    report = assistant.ingest([corpus_copy(tmp_path / "articles")], progress=False)
    assert report.articles == len(NAMES) and not report.errors, report.summary()
    return assistant


def test_the_list_is_read_from_the_index_with_titles_dates_sources_and_passages(indexed):
    rows = list_articles(indexed.store.iter_records())
    assert sorted(r.article_id for r in rows) == sorted(Path(n).stem for n in NAMES)
    assert sum(r.chunks for r in rows) == indexed.store.count()
    for row in rows:
        article = load_file(Path(row.path))[0][0]
        assert (row.title, row.published, row.source) == (article.title, article.published.isoformat(), article.source)
    assert max(r.chunks for r in rows) >= 2  # the long articles are split, and counted as one row each


def test_search_filters_by_title_or_source_words_and_sort_orders_each_column(indexed):
    rows = list_articles(indexed.store.iter_records())
    assert [r.article_id for r in search_articles(rows, "david's SLING")] == ["md-finland-davids-sling-2023-11"]
    by_source = search_articles(rows, "harbor line")
    assert by_source and all(r.source == "Harbor Line Defense Weekly" for r in by_source)
    assert search_articles(rows, "oreshnik nonexistentword") == []
    assert search_articles(rows, "  ") == rows
    newest = [r.published for r in sort_articles(rows, "newest")]
    assert newest == sorted(newest, reverse=True)
    assert [r.published for r in sort_articles(rows, "oldest")] == sorted(newest)
    titles = [r.title.lower() for r in sort_articles(rows, "title")]
    assert titles == sorted(titles)
    sources = [r.source.lower() for r in sort_articles(rows, "source")]
    assert sources == sorted(sources)
    chunks = [r.chunks for r in sort_articles(rows, "chunks")]
    assert chunks == sorted(chunks, reverse=True)


def test_undated_articles_sort_after_dated_ones_both_ways():
    from assistant.index.articles import ArticleRow

    rows = [ArticleRow("a", "A", "", "S", 1), ArticleRow("b", "B", "2024-01-01", "S", 1), ArticleRow("c", "C", "2025-01-01", "S", 1)]
    assert [r.article_id for r in sort_articles(rows, "newest")] == ["c", "b", "a"]
    assert [r.article_id for r in sort_articles(rows, "oldest")] == ["b", "c", "a"]


def test_the_reader_rebuilds_the_whole_article_from_its_chunks_at_its_own_offsets(indexed):
    article = article_text(indexed.store, "md-golden-dome-kuiper-spacex-2025-07")
    assert article is not None and len(article.chunks) >= 2
    original = load_file(CORPUS / "md-golden-dome-kuiper-spacex-2025-07.md")[0][0]
    assert article.text == original.text
    for chunk in article.chunks:
        assert article.text[chunk.start : chunk.end] == chunk.text
    assert article_text(indexed.store, "no-such-article") is None


def test_rebuilt_text_keeps_offsets_across_an_unstored_gap():
    text = "First sentence here.\n\nSecond paragraph starts. And ends."
    second = text.index("Second")
    chunks = [Chunk("c1", "a", 0, text[:20], 0, 20, "T", "p"), Chunk("c2", "a", 1, text[second:], second, len(text), "T", "p")]
    rebuilt = rebuild_text(chunks)
    assert len(rebuilt) == len(text) and rebuilt[second:] == text[second:] and "\n\n" in rebuilt


def test_a_citation_opens_the_reader_with_its_span_marked(indexed):
    article = article_text(indexed.store, "md-golden-dome-kuiper-spacex-2025-07")
    chunk = article.chunks[1]  # the second chunk: its spans must move by the chunk's start
    sentence_start = chunk.text.index(". ") + 2
    sentence_end = chunk.text.index(".", sentence_start) + 1
    citation = Citation(1, Passage(chunk, 1, 0.9), ((sentence_start, sentence_end),))
    spans = citation_spans(citation)
    assert spans == [(chunk.start + sentence_start, chunk.start + sentence_end)]
    button = read_button(citation)
    assert button == f'<a class="read-article" href="#read:{chunk.article_id}:{spans[0][0]}-{spans[0][1]}">Read the article</a>'
    html, current = CorpusBrowser(indexed).reader(chunk.article_id, f"{spans[0][0]}-{spans[0][1]}")
    assert current == chunk.article_id
    marked = html.split("<mark>")[1].split("</mark>")[0]
    assert marked == esc(chunk.text[sentence_start:sentence_end]) and html.count("<mark>") == 1
    assert article.row.title.split("'")[0] in html  # the headline is shown


def test_span_text_from_the_page_is_parsed_strictly():
    assert parse_spans("12-80,300-340") == [(12, 80), (300, 340)]
    for bad in ("", "1-2,", "<script>", "5-2", "1-2;3-4", "-1-5"):
        assert parse_spans(bad) == [], bad


def test_the_reader_escapes_a_hostile_article(make_assistant, tmp_path):
    folder = tmp_path / "hostile"
    folder.mkdir()
    body = ('The Navy ordered 412 Zephyr-9 drones for 96 million dollars, the service said on Monday. '
            '<script>window.__xss=1</script> <img src=x onerror="window.__xss=2"> The drones fly for 14 hours. ') * 3
    write_article(folder, "zephyr.md", '<img src=x onerror=alert(1)>Zephyr order', body, url="javascript:alert(1)")
    assistant = make_assistant()
    assistant.ingest([folder], progress=False)
    html, _ = CorpusBrowser(assistant).reader("zephyr", "0-20")
    assert "<script" not in html and "<img" not in html and "javascript:" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;Zephyr order" in html
    assert reader_html(None).startswith('<div class="reader empty">')


def test_the_browser_table_searches_sorts_and_counts(indexed):
    browser = CorpusBrowser(indexed)
    data, note = browser.table("oreshnik", "title")
    assert [row[-1] for row in data] == sorted([COPY, ORIGINAL], key=lambda i: article_text(indexed.store, i).row.title.lower())
    assert note.startswith("2 of 5 indexed article(s)")
    data, _ = browser.table("", "chunks")
    assert [row[3] for row in data] == sorted((row[3] for row in data), reverse=True)


def test_delete_removes_the_article_from_chroma_keyword_index_and_story_groups(indexed):
    keyword = keyword_index_for(indexed.store)
    ids = indexed.store.chunk_ids_with("article_id", COPY)
    assert ids and set(ids) <= keyword.chunk_ids()
    assert load_story_groups(indexed.store).duplicates(ORIGINAL) == [COPY]
    before = indexed.store.count()
    result = delete_article(indexed, COPY)
    assert result.chunks == len(ids)
    assert indexed.store.chunk_ids_with("article_id", COPY) == []
    assert not set(ids) & keyword.chunk_ids() and keyword.article_chunk_ids(COPY) == []
    assert indexed.store.count() == before - len(ids) == len(keyword)
    assert load_story_groups(indexed.store).duplicates(ORIGINAL) == []  # the copy no longer stands beside it
    assert COPY not in {r.article_id for r in list_articles(indexed.store.iter_records())}
    passages = indexed.retriever.retrieve("Meridian Strategic Monitor Oreshnik Dnipro strike")
    assert passages and COPY not in {p.chunk.article_id for p in passages}
    # a file in an indexed folder is the user's: it stays, and the result says the next ingest brings it back
    assert result.kept_file.endswith(f"{COPY}.md") and Path(result.kept_file).exists() and "next ingest" in result.summary()
    with pytest.raises(NotIndexedError):
        delete_article(indexed, COPY)


def test_deleting_an_upload_removes_its_stored_copy_so_it_stays_deleted(indexed, tmp_path):
    from assistant.ui.corpus_tab import CorpusService

    source = tmp_path / "picked" / "zephyr-order.txt"
    source.parent.mkdir()
    source.write_text("Navy orders Zephyr-9 drones\nThe U.S. Navy ordered 412 Zephyr-9 reconnaissance drones for 96 million "
                      "dollars on February 3, the service said. Deliveries begin in 2026.\n", encoding="utf-8")
    rows = list(CorpusService(indexed).ingest_uploads([str(source)]))[-1]
    assert rows[0].ok, rows
    stored = tmp_path / "uploads" / "zephyr-order.txt"
    assert stored.exists()
    message = CorpusBrowser(indexed).delete("zephyr-order")
    assert "Deleted" in message and "stored copy" in message
    assert not stored.exists()
    assert indexed.ingest([tmp_path / "uploads"], progress=False).articles == 0  # nothing left to bring it back


def test_cli_delete_names_what_it_removed_and_refuses_an_unknown_id(tmp_path):
    index = tmp_path / "index"
    folder = corpus_copy(tmp_path / "articles", NAMES[-2:])
    env = _env(index)
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "ingest", "--quiet", str(folder)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "delete", COPY, "no-such-id"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 1
    assert done.stdout.startswith(f"deleted {COPY} (2 passage(s))"), done.stdout
    assert "no indexed article has the id 'no-such-id'" in done.stderr
    again = subprocess.run([sys.executable, "-m", "assistant.cli", "ingest", "--quiet", str(folder)], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=600)
    assert "2 articles indexed" in again.stdout and "2 chunks embedded" in again.stdout  # the folder's file returns, as said


def test_a_delete_killed_midway_leaves_chroma_and_the_keyword_index_consistent(tmp_path):
    """SIGKILL lands wherever the machine's speed puts it after the first article is reported deleted; the property
    checked does not depend on where: after the next start, both indexes hold the same chunks, each article is whole
    or gone, what was reported deleted is gone, and deleting again finishes the job."""
    from conftest import load_reliability

    kill_trials = load_reliability("kill_trials")
    index = tmp_path / "index"
    env = _env(index)
    names = sorted(p.name for p in CORPUS.glob("*.md"))[:16]
    folder = corpus_copy(tmp_path / "articles", names)
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "ingest", "--quiet", str(folder)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    before = kill_trials.inspect(index)
    chunks_of = {}
    for chunk_id, (_, article_id, _) in before["chunks"].items():
        chunks_of.setdefault(article_id, set()).add(chunk_id)
    victims = [Path(n).stem for n in names[:12]]
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "delete", *victims], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    reported = [proc.stdout.readline()]
    proc.send_signal(signal.SIGKILL)
    rest, _ = proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    reported += rest.splitlines()
    gone = {line.split()[1] for line in reported if line.startswith("deleted ")}
    assert victims[0] in gone and len(gone) < len(victims), reported  # killed part-way through the list
    # the next start: any command opens the index, and the keyword index is brought in step with Chroma
    start = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "--json", "What did Finland buy?"], cwd=ROOT,
                           env=env, capture_output=True, text=True, timeout=600)
    assert start.returncode == 0, start.stderr
    after = kill_trials.inspect(index)
    assert after["integrity"] == "ok" and after["count"] == after["listed"] == after["self_query_ok"]
    assert after["keyword_persisted"] == {i: v[0] for i, v in after["chunks"].items()}
    present = set(after["chunks"])
    for article_id, ids in chunks_of.items():
        assert ids <= present or not ids & present, f"{article_id} is half deleted"
    assert not any(chunks_of[a] & present for a in gone)
    assert all(chunks_of[a] <= present for a in chunks_of if a not in victims)
    finish = subprocess.run([sys.executable, "-m", "assistant.cli", "delete", *[v for v in victims if v not in gone]],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert finish.returncode in (0, 1), finish.stderr  # 1: the killed run had already removed the one it was on
    final = kill_trials.inspect(index)
    assert set(final["chunks"]) == set().union(*(chunks_of[a] for a in chunks_of if a not in victims))
    assert final["keyword_persisted"] == {i: v[0] for i, v in final["chunks"].items()}


def test_the_list_follows_an_ingest_by_another_process(indexed, tmp_path):
    browser = CorpusBrowser(indexed)
    assert "md-pac3-mse-1970-contract-2025-09" not in {row[-1] for row in browser.table()[0]}
    extra = corpus_copy(tmp_path / "later", ["md-pac3-mse-1970-contract-2025-09.md"])
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "ingest", "--quiet", str(extra)], cwd=ROOT,
                          env=_env(indexed.settings.index_dir), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    deadline = time.monotonic() + 30  # the generation is read at most once a second
    while time.monotonic() < deadline:
        ids = {row[-1] for row in browser.table()[0]}
        if "md-pac3-mse-1970-contract-2025-09" in ids:
            break
        time.sleep(0.3)
    assert "md-pac3-mse-1970-contract-2025-09" in ids
    assert date.fromisoformat(article_text(indexed.store, "md-pac3-mse-1970-contract-2025-09").row.published)


def _env(index: Path) -> dict[str, str]:
    return {**os.environ, "ASSISTANT_INDEX_DIR": str(index), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
            "ANONYMIZED_TELEMETRY": "False", "TOKENIZERS_PARALLELISM": "false"}


# --- the single-upload details form -------------------------------------------------------------


def test_details_are_checked_and_a_bad_field_is_named():
    from assistant.ingest.uploads import DetailsError, validate_details

    good = validate_details("  Navy orders   drones ", "2025-02-03", "Harbor Wire", "https://example.com/a")
    assert (good.title, good.date, good.source, good.url) == ("Navy orders drones", "2025-02-03", "Harbor Wire", "https://example.com/a")
    for fields, named in [(("t", "2025-02-30", "", ""), "Date:"), (("t", "03/02/2025", "", ""), "Date:"),
                          (("t", "", "", "javascript:alert(1)"), "URL:"), (("t", "", "", "ftp://example.com/x"), "URL:"),
                          (("x" * 400, "", "", ""), "Title:")]:
        with pytest.raises(DetailsError) as caught:
            validate_details(*fields)
        assert str(caught.value).startswith(named), caught.value


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_details_given_for_one_upload_reach_its_article_without_embedding_again(indexed, tmp_path, suffix):
    from assistant.ui.corpus_tab import CorpusService
    from assistant.ui.corpus_tab import UploadDetailsForm
    from assistant.ingest.uploads import apply_details, current_details, validate_details

    source = tmp_path / "picked" / f"zephyr-order{suffix}"
    source.parent.mkdir()
    headline = "Navy orders Zephyr-9 drones" if suffix == ".txt" else "# Navy orders Zephyr-9 drones"
    source.write_text(f"{headline}\nThe U.S. Navy ordered 412 Zephyr-9 reconnaissance drones for 96 million dollars on "
                      "February 3, the service said. Deliveries begin in 2026.\n", encoding="utf-8")
    rows = list(CorpusService(indexed).ingest_uploads([str(source)]))[-1]
    assert rows[0].ok, rows
    stored = UploadDetailsForm(indexed).stored_path([str(source)])
    assert stored is not None and current_details(stored).date == ""  # undated until the form says otherwise
    before = set(indexed.store.chunk_ids_with("article_id", "zephyr-order"))
    details = validate_details("Navy buys 412 Zephyr-9 drones", "2025-02-03", "Harbor Line Defense Weekly", "https://example.com/zephyr")
    new_path, report = apply_details(indexed, stored, details)
    assert report.embedded == 0 and not report.errors
    row = article_text(indexed.store, "zephyr-order").row
    assert (row.title, row.published, row.source, row.url) == ("Navy buys 412 Zephyr-9 drones", "2025-02-03",
                                                               "Harbor Line Defense Weekly", "https://example.com/zephyr")
    assert set(indexed.store.chunk_ids_with("article_id", "zephyr-order")) == before
    assert new_path.exists() and (suffix == ".md" or not stored.exists())
    since = indexed.retriever.retrieve("Zephyr-9 drones", filters=Filters(since=date(2025, 2, 1)))
    assert "zephyr-order" in {p.chunk.article_id for p in since}  # now visible to date filters
