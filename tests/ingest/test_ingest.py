"""Ingestion over real files of every format, broken ones among them, into a real Chroma folder."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import write_article

BODY = (
    "The Army awarded Lockheed Martin a contract worth $4.5 billion for 870 interceptors on Monday. "
    "The award covers production lots for fiscal years 2026 through 2028, the service said. "
    "Officials said deliveries would begin within two years and that the plant in Grand Prairie, Texas, "
    "would add a second shift. Analysts noted the contract was the largest of its kind this year. "
)


def _mixed_folder(root: Path) -> Path:
    folder = root / "articles"
    folder.mkdir()
    write_article(folder, "alpha.md", "Army buys 870 interceptors", BODY * 3, tags="[missile-defence, contracts]", url="https://example.org/alpha")
    (folder / "bravo.txt").write_text("Navy tests new drone boat\n\n" + "The Navy tested a drone boat named Sea Hawk off Virginia on March 3. " * 8, encoding="utf-8")
    (folder / "manifest.csv").write_text(
        "id,title,source,source_url,published_date\nbravo,Navy tests Sea Hawk drone boat,Fleet News,https://example.org/bravo,2024-03-05\n",
        encoding="utf-8",
    )
    (folder / "charlie.html").write_text(
        "<html><head><title>Site | Charlie</title><script>alert('x')</script><style>p{color:red}</style></head>"
        "<body><nav>Home About Subscribe</nav><article><h1>Air Force picks Anduril for drone wingman</h1>"
        "<time datetime='2024-04-24'>April 24</time>"
        + "<p>The Air Force selected Anduril and General Atomics for the first increment of collaborative combat aircraft.</p>" * 5
        + "</article><footer>Copyright footer text</footer></body></html>",
        encoding="utf-8",
    )
    records = [
        {"id": "delta-1", "title": "Japan raises defence budget", "body": "Japan approved a record defence budget of 8.7 trillion yen. " * 6, "date": "2025-12-27", "source": "Asia Desk", "url": "https://example.org/d1"},
        {"title": "Poland orders K2 tanks", "text": "Poland signed for 180 more K2 tanks from Hyundai Rotem. " * 6, "date": "2025-08-01", "source": "Euro Desk"},
    ]
    (folder / "delta.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n{not json}\n", encoding="utf-8")
    # Broken files: each must be named with its reason, none may stop the others.
    (folder / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "latin1.txt").write_bytes("Défense headline\n\nCorps du texte en Latin-1 ".encode("latin-1") * 5)
    (folder / "broken.md").write_text("---\ntitle: [unclosed\ndate: 2025-01-01\n---\nBody text here.\n", encoding="utf-8")
    (folder / "empty.md").write_text("   \n", encoding="utf-8")
    (folder / "baddate.md").write_text("---\ntitle: Bad date\ndate: last Tuesday\n---\nSome body text.\n", encoding="utf-8")
    return folder


def test_every_format_is_indexed_and_each_broken_file_is_named(make_assistant, tmp_path):
    folder = _mixed_folder(tmp_path)
    assistant = make_assistant()
    report = assistant.ingest([folder], progress=False)

    reasons = {Path(e.path.split(":")[0]).name + (":" + e.path.split(":")[1] if e.path.count(":") else ""): e.reason for e in report.errors}
    assert "binary file" in reasons["binary.md"]
    assert "not valid UTF-8" in reasons["latin1.txt"]
    assert "front matter" in reasons["broken.md"]
    assert "empty" in reasons["empty.md"]
    assert "date" in reasons["baddate.md"]
    assert any(k.startswith("delta.jsonl:") and "invalid JSON" in v for k, v in reasons.items())
    assert report.articles == 5 and len(report.errors) == 6
    assert "5 articles indexed, 6 failed" in report.summary()

    stats = assistant.stats()
    assert stats["articles"] == 5
    assert stats["earliest"] == "2024-03-05" and stats["latest"] == "2025-12-27"

    # Metadata came through from each format.
    chunks = {c.article_id: c for c in assistant.store.get_chunks([i for i, _, _ in assistant.store.iter_records()])}
    assert chunks["bravo"].title == "Navy tests Sea Hawk drone boat"  # from manifest.csv
    assert chunks["bravo"].url == "https://example.org/bravo" and chunks["bravo"].source == "Fleet News"
    html = chunks["charlie"]
    assert html.title == "Air Force picks Anduril for drone wingman" and str(html.published) == "2024-04-24"
    assert "alert" not in html.text and "Subscribe" not in html.text and "Copyright" not in html.text
    assert chunks["delta-1"].source == "Asia Desk"
    assert chunks["alpha"].tags == ("missile-defence", "contracts")


def test_chunks_carry_exact_offsets_and_stable_ids(make_assistant, tmp_path):
    folder = tmp_path / "a"
    folder.mkdir()
    path = write_article(folder, "long.md", "Long article", BODY * 12)
    assistant = make_assistant()
    assistant.ingest([folder], progress=False)
    ids = sorted(i for i, _, _ in assistant.store.iter_records())
    chunks = assistant.store.get_chunks(ids)
    assert len(chunks) >= 2
    body = path.read_text().split("---\n", 2)[2].strip()
    for chunk in chunks:
        assert body[chunk.start : chunk.end] == chunk.text
        assert 100 <= len(chunk.text.split()) <= 400
    # Overlap: consecutive chunks share a sentence.
    ordered = sorted(chunks, key=lambda c: c.index)
    assert ordered[1].start < ordered[0].end

    second = make_assistant(index_dir=tmp_path / "index2")
    second.ingest([folder], progress=False)
    assert sorted(i for i, _, _ in second.store.iter_records()) == ids


def test_reingest_embeds_nothing_changed_file_replaced_and_prune(make_assistant, tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    write_article(folder, "one.md", "Sentinel cost grows", "The Sentinel programme cost estimate rose to $141 billion. " * 30)
    two = write_article(folder, "two.md", "B-21 flies", "The B-21 Raider made its first flight on November 10, 2023. " * 30)
    assistant = make_assistant()
    first = assistant.ingest([folder], progress=False)
    assert first.embedded == first.chunks > 0

    again = assistant.ingest([folder], progress=False)
    assert again.embedded == 0 and again.deleted == 0 and again.unchanged == first.chunks
    assert "nothing changed: 0 chunks embedded" in again.summary()

    write_article(folder, "two.md", "B-21 flies", "The B-21 Raider flew for the first time from Palmdale, California. " * 30)
    changed = assistant.ingest([folder], progress=False)
    assert changed.embedded > 0 and changed.deleted > 0
    texts = " ".join(doc for _, doc, _ in assistant.store.iter_records(with_documents=True))
    assert "Palmdale" in texts and "November 10, 2023" not in texts
    assert assistant.store.count() == changed.chunks  # replaced, not duplicated

    two.unlink()
    kept = assistant.ingest([folder], progress=False)
    assert kept.deleted == 0 and assistant.stats()["articles"] == 2  # without --prune nothing is removed
    pruned = assistant.ingest([folder], prune=True, progress=False)
    assert pruned.deleted > 0 and assistant.stats()["articles"] == 1


def test_metadata_change_updates_without_reembedding(make_assistant, tmp_path):
    folder = tmp_path / "n"
    folder.mkdir()
    write_article(folder, "x.md", "Old headline", BODY * 3)
    assistant = make_assistant()
    assistant.ingest([folder], progress=False)
    write_article(folder, "x.md", "New headline", BODY * 3)
    report = assistant.ingest([folder], progress=False)
    assert report.embedded == 0 and report.updated > 0
    titles = {meta["title"] for _, _, meta in assistant.store.iter_records()}
    assert titles == {"New headline"}


def test_missing_path_and_unsupported_file_are_reported(make_assistant, tmp_path):
    (tmp_path / "notes.xlsx").write_bytes(b"PK\x03\x04")
    assistant = make_assistant()
    report = assistant.ingest([tmp_path / "nope", tmp_path / "notes.xlsx"], progress=False)
    reasons = sorted(e.reason for e in report.errors)
    assert reasons == ["no such file or folder", "unsupported file type '.xlsx'"]
    assert report.articles == 0


def test_hard_wrapped_lines_join_into_sentences_but_paragraphs_and_lists_still_split():
    from assistant.ingest.chunking import split_sentences

    text = (
        "Heading without a full stop\n\n"
        "The Pentagon has approached Amazon's Project Kuiper about a role in the $175 billion Golden Dome missile\n"
        "defence shield, officials said. A second sentence.\n"
        "A new paragraph after a finished line.\n"
        "- a list item\n- another item"
    )
    sentences = [text[a:b] for a, b in split_sentences(text)]
    assert sentences == [
        "Heading without a full stop",
        "The Pentagon has approached Amazon's Project Kuiper about a role in the $175 billion Golden Dome missile\n"
        "defence shield, officials said.",
        "A second sentence.",
        "A new paragraph after a finished line.",
        "- a list item",
        "- another item",
    ]
