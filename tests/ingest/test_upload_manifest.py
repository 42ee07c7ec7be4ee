"""Uploaded .txt files keep the metadata of the manifest.csv uploaded with them."""

from __future__ import annotations

from datetime import date

from assistant.schema import Filters
from assistant.ui.corpus_tab import CorpusService

BODY = "The Navy ordered 24 Osprey-class survey drones for 61 million dollars, the service said on March 3. " * 6


def upload(service: CorpusService, paths):
    rows = None
    for rows in service.ingest_uploads([str(p) for p in paths]):
        pass
    return {row.name: row for row in rows}


def test_a_manifest_gives_its_txt_files_title_date_source_and_url(make_assistant, tmp_path):
    assistant = make_assistant(upload_dir=tmp_path / "uploads")
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "osprey.txt").write_text("Navy orders survey drones\n" + BODY, encoding="utf-8")
    (batch / "manifest.csv").write_text(
        "id,title,date,source,url\nosprey,Navy orders 24 Osprey survey drones,2025-03-04,Fleet Wire,https://example.org/osprey\n",
        encoding="utf-8",
    )
    rows = upload(CorpusService(assistant), [batch / "osprey.txt", batch / "manifest.csv"])  # manifest second on purpose
    assert rows["manifest.csv"].ok and "1 row" in rows["manifest.csv"].detail
    assert rows["osprey.txt"].ok, rows["osprey.txt"].detail
    answer = assistant.answerer.ask("How many Osprey survey drones did the Navy order?", mode="extractive",
                                    filters=Filters(since=date(2025, 3, 1), source="Fleet Wire"))
    assert not answer.abstained and "24" in answer.text
    chunk = answer.citations[0].passage.chunk
    assert (chunk.title, chunk.published, chunk.source, chunk.url) == (
        "Navy orders 24 Osprey survey drones", date(2025, 3, 4), "Fleet Wire", "https://example.org/osprey")


def test_a_bad_manifest_is_named_and_the_articles_still_indexed(make_assistant, tmp_path):
    assistant = make_assistant(upload_dir=tmp_path / "uploads")
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "osprey.txt").write_text("Navy orders survey drones\n" + BODY, encoding="utf-8")
    (batch / "manifest.csv").write_text("name,title\nosprey,Whatever\n", encoding="utf-8")
    rows = upload(CorpusService(assistant), [batch / "manifest.csv", batch / "osprey.txt"])
    assert rows["manifest.csv"].ok is False and "no 'id' column" in rows["manifest.csv"].detail
    assert rows["osprey.txt"].ok
    chunk = assistant.answerer.ask("How many Osprey survey drones did the Navy order?", mode="extractive").citations[0].passage.chunk
    assert chunk.title == "Navy orders survey drones" and chunk.published is None
