"""Chunks follow an article's structure: a paragraph (an award of a contract release, a section of a story) is
never cut while it fits, a long one is cut between sentences, a heading goes with what is under it and names the
section of every chunk after it, and every chunk is the article's own text at its offsets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.ingest.chunking import chunk_article, heading, split_sentences
from assistant.ingest.loaders import load_file
from assistant.ingest.indexer import embedding_text
from assistant.index.keyword_matrix import keyword_text
from assistant.schema import Article

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT.parent / "shared" / "data" / "dodcontracts"


def award(company: str, words: int) -> str:
    filler = " ".join(["support"] * (words - 12))
    return f"{company} Inc., Tucson, Arizona, is being awarded a $1,000,000 contract for {filler}. Work ends in 2020."


def test_paragraphs_are_whole_and_a_heading_names_its_section():
    body = "\n\n".join(["NAVY", award("Alpha", 120), award("Bravo", 120), award("Charlie", 120), "ARMY", award("Delta", 60)])
    article = Article("release", "Contracts For June 29, 2018", body, "x.txt", date(2018, 6, 29))
    chunks = chunk_article(article, 150, 300, 1, paragraphs=True)
    paragraphs = [p for p in body.split("\n\n") if len(p.split()) > 8]
    for chunk in chunks:
        assert article.text[chunk.start : chunk.end] == chunk.text
        # every award lies wholly inside a chunk or wholly outside it
        assert all(p in chunk.text or p not in article.text[chunk.start : chunk.end] for p in paragraphs)
        for p in paragraphs:
            at = article.text.index(p)
            assert not (chunk.start < at < chunk.end < at + len(p)) and not (at < chunk.start < at + len(p) < chunk.end)
    assert [c.section for c in chunks] == ["NAVY", "NAVY", "ARMY"]
    assert chunks[0].text.startswith("NAVY\n\nAlpha") and "Bravo" in chunks[0].text and "Charlie" not in chunks[0].text
    assert chunks[2].text.startswith("ARMY")


def test_a_paragraph_longer_than_a_chunk_is_split_between_sentences():
    sentences = [f"Sentence number {i} says the contract covers {i} more items for the fleet." for i in range(60)]
    article = Article("long", "One long paragraph", " ".join(sentences), "x.txt")
    chunks = chunk_article(article, 50, 100, 1, paragraphs=True)
    assert len(chunks) > 3
    for chunk in chunks:
        assert len(chunk.text.split()) <= 100 + 15
        assert chunk.text.startswith("Sentence number") and chunk.text.endswith("fleet.")


def test_the_encoder_and_keyword_index_see_headline_and_section_beside_the_text():
    body = "\n\n".join(["AIR FORCE", award("Echo", 50)])
    chunk = chunk_article(Article("a", "Contracts For Sept. 4, 2014", body, "x.txt", date(2014, 9, 4)), paragraphs=True)[0]
    assert heading(chunk) == "Contracts For Sept. 4, 2014 — AIR FORCE"
    for text in (embedding_text(chunk), keyword_text(chunk)):
        assert text == f"{heading(chunk)}\n{chunk.text}"


def test_real_contract_releases_keep_each_award_in_one_chunk():
    if not CONTRACTS.is_dir():
        pytest.skip(f"real-article folder {CONTRACTS} is absent (it ships only with the shared workspace)")
    path = CONTRACTS / "165-contracts-for-june-29-2018.txt"
    articles, errors = load_file(path)
    assert not errors
    article = articles[0]
    chunks = chunk_article(article, paragraphs=True)
    bell = next(c for c in chunks if "Bell Boeing JPO" in c.text)
    # the award (quantities, value, the buyers' shares) is one paragraph; it is not cut
    assert "4 MV-22B aircraft for the government of Japan" in bell.text and "$230,285,600" in bell.text
    assert bell.section == "NAVY"
    assert all(article.text[c.start : c.end] == c.text for c in chunks)


def test_an_initialism_closing_brackets_does_not_end_the_sentence():
    from assistant.ingest.chunking import split_sentences

    text = (
        "Acme was awarded a modification to foreign military sales contract (Norway, Qatar, U.A.E.) W31P4Q-26-C-0001 "
        "to procure interceptors. Work will be done in Texas. The order (placed by the U.S.) ended. It went well."
    )
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Acme was awarded a modification to foreign military sales contract (Norway, Qatar, U.A.E.) W31P4Q-26-C-0001 "
        "to procure interceptors.",
        "Work will be done in Texas.",
        "The order (placed by the U.S.) ended.",
        "It went well.",
    ]


def test_kept_sentence_spans_are_the_callers_own_and_shift_by_the_offset():
    text = "The Army ordered 1,970 interceptors. Deliveries start in 2027.\n\nA second paragraph follows here."
    first = split_sentences(text)
    assert [text[s:e] for s, e in first] == ["The Army ordered 1,970 interceptors.", "Deliveries start in 2027.", "A second paragraph follows here."]
    first.clear()  # a caller changing its list changes nothing for the next one
    assert split_sentences(text, offset=10) == [(s + 10, e + 10) for s, e in split_sentences(text)]
    assert len(split_sentences(text)) == 3
