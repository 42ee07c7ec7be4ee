"""The same ingest and answers against a real `chroma run` server on loopback."""

from __future__ import annotations

import pytest

from conftest import write_article

pytestmark = pytest.mark.server


def test_ingest_and_ask_against_a_chroma_server(make_assistant, tmp_path, chroma_server):
    folder = tmp_path / "a"
    folder.mkdir()
    write_article(folder, "arrow.md", "Germany activates Arrow 3", "Germany declared its first Arrow 3 battery operational at Holzdorf air base. " * 15)
    write_article(folder, "thaad.md", "THAAD battery deployed", "The United States sent a THAAD battery and about 100 soldiers to Israel in October. " * 15)
    server = make_assistant(chroma_url=chroma_server)
    assert server.store.location == chroma_server
    report = server.ingest([folder], progress=False)
    assert report.articles == 2 and report.embedded > 0
    assert server.ingest([folder], progress=False).embedded == 0

    # A second, independent app instance answers from the same server (stateless apps).
    other = make_assistant(chroma_url=chroma_server, index_dir=tmp_path / "unused")
    answer = other.answerer.ask("How many soldiers went with the THAAD battery?")
    assert not answer.abstained and "100 soldiers" in answer.text
    assert answer.citations[0].passage.chunk.article_id == "thaad"
    assert not (tmp_path / "unused").exists() or not any((tmp_path / "unused").iterdir())
