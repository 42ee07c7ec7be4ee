"""Security of uploads: names are reduced to a safe base name, hostile files land only in the upload folder or
nowhere, and oversized questions and passage counts sent to the API are bounded."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.app import build_assistant
from assistant.config import Settings
from assistant.ui.corpus_tab import CorpusService, upload_name


@pytest.fixture(scope="module")
def upload_assistant(tmp_path_factory, embeddings):
    root = tmp_path_factory.mktemp("uploads")
    settings = Settings(index_dir=root / "index", upload_dir=root / "box" / "uploads", feedback_path=root / "fb.jsonl", max_upload_mb=0.01)
    assistant = build_assistant(settings, embeddings=embeddings)
    yield assistant
    assistant.close()


@pytest.mark.parametrize("name, expected", [
    ("../../x.md", "x.md"), ("/etc/passwd.md", "passwd.md"), ("..\\..\\win.md", "win.md"), ("C:\\Users\\a\\doc.txt", "doc.txt"),
    ("a\x00b.md", "a_b.md"), ("..md", "upload.md"), (".hidden.md", "hidden.md"), ("réseau <img>.html", "réseau__img.html"),
    ("x" * 400 + ".jsonl", "x" * 114 + ".jsonl"), ("notes.MD", "notes.md"), ("evil.md.exe", "evil.md.exe"),
])
def test_upload_names_are_reduced_to_a_safe_base_name(name, expected):
    assert upload_name(name) == expected


def test_hostile_uploads_land_only_in_the_upload_folder(upload_assistant, tmp_path):
    article = "---\nid: {id}\ntitle: \"Zephyr drone order {id}\"\ndate: 2025-02-01\nsource: Test Wire\n---\n" + \
              "The Navy ordered 412 Zephyr-9 drones for 96 million dollars. " * 6
    src = tmp_path / "src"
    src.mkdir()
    names = {"..\\..\\backslash.md": "ok", ".dotfile.md": "ok", "z" * 240 + ".md": "ok",
             "photo.md": "binary", "utf16-junk.md": "binary", "huge.md": "big", "script.sh": "type", "notes.md.exe": "type",
             "nofront.md": "broken"}
    for i, (name, kind) in enumerate(names.items()):
        path = src / name
        if kind == "ok":
            path.write_text(article.format(id=f"up-{i}"), encoding="utf-8")
        elif kind == "binary":
            path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) if name == "photo.md" else b"\xff\xfe" + b"\xd8\x00" * 50)
        elif kind == "big":
            path.write_text("y " * 8_000)
        elif kind == "broken":
            path.write_text("---\ntitle: [unclosed\n---\nbody\n")
        else:
            path.write_text("#!/bin/sh\necho pwned\n")
    outside_before = sorted(p for p in tmp_path.rglob("*"))
    box = Path(upload_assistant.settings.upload_dir).parent
    service = CorpusService(upload_assistant)
    final = list(service.ingest_uploads([src / n for n in names]))[-1]
    rows = dict(zip(names, final))
    assert final[0].name == "backslash.md"  # the table names each file by its base name
    for name, kind in names.items():
        row = rows[name]
        if kind == "ok":
            assert row.ok and row.status == "indexed", (name, row)
        else:
            assert row.ok is False, (name, row)
    assert "not" in rows["photo.md"].detail.lower() or "binary" in rows["photo.md"].detail.lower(), rows["photo.md"]
    assert "upload limit" in rows["huge.md"].detail
    assert "unsupported" in rows["script.sh"].detail and "unsupported" in rows["notes.md.exe"].detail

    upload_dir = Path(upload_assistant.settings.upload_dir).resolve()
    stored = sorted(p.name for p in upload_dir.iterdir())
    assert stored == sorted(["backslash.md", "dotfile.md", "z" * 117 + ".md"]), stored  # refused and failed files are not kept
    assert [p for p in box.rglob("*") if p.parent != upload_dir and p != upload_dir] == []
    assert sorted(p for p in tmp_path.rglob("*")) == outside_before  # nothing written next to the sources
    assert upload_assistant.stats()["articles"] == 3


def test_oversized_questions_and_passage_counts_from_the_api_are_bounded(upload_assistant):
    import gradio as gr

    from assistant.ui.chat import MAX_PASSAGES, ChatHandlers

    handlers = ChatHandlers(upload_assistant)
    with pytest.warns(UserWarning, match="at most 2,000"):  # outside a served page gr.Warning is a Python warning
        refused = list(handlers.respond("How many drones? " * 200, [], [], "", "", None, "", "extractive", 6))
    assert refused == [(gr.skip(),) * 5]  # nothing changes on the page but the warning
    outputs = list(handlers.respond("How many Zephyr-9 drones did the Navy order?", [], [], "", "", None, "", "extractive", 10**9))
    turns = outputs[-1][2]
    assert turns[-1]["k"] == MAX_PASSAGES and not turns[-1].get("error")
