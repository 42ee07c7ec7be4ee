"""A retrieved chunk is widened to the paragraphs it cuts, with its neighbours' text: an award's lead and the sentence
that gives its offers are read together. The widened text is still the article's own span."""

from __future__ import annotations

from assistant.ingest.chunking import chunk_article
from assistant.retrieval.paragraphs import whole_paragraphs
from assistant.schema import Article, Passage

LEAD = "Purcell Construction Corp., Watertown, New York, is being awarded an $18,589,750 contract for quarters."
PARAGRAPHS = [
    " ".join(f"Filler sentence {i} of the first award." for i in range(40)),
    LEAD + " " + " ".join(f"Detail {i} of the quarters award." for i in range(12)) + " It drew 16 proposals.",
    " ".join(f"Filler sentence {i} of the last award." for i in range(40)),
]
TEXT = "\n\n".join(PARAGRAPHS)


def _chunks():
    article = Article(id="r", title="Contracts For March 8, 2016", text=TEXT, path="/r.txt")
    return chunk_article(article, 60, 120, 1)


def _neighbours(chunks):
    def near(asked):
        wanted = {(c.article_id, c.index + step) for c in asked for step in (-1, 1)}
        return [c for c in chunks if (c.article_id, c.index) in wanted]
    return near


def test_a_chunk_is_widened_to_the_paragraphs_it_cuts_and_stays_the_articles_span():
    chunks = _chunks()
    cut = [c for c in chunks if ("Detail" in c.text or LEAD in c.text) and not (LEAD in c.text and "16 proposals" in c.text)]
    assert cut, "the award must fall across chunks for this test"
    for chunk in cut:
        [passage] = whole_paragraphs([Passage(chunk, 1, 1.0)], _neighbours(chunks))
        widened = passage.chunk
        assert widened.text == TEXT[widened.start : widened.end]
        assert widened.start <= chunk.start and widened.end >= chunk.end
        if LEAD in chunk.text or "16 proposals" in chunk.text:
            assert LEAD in widened.text and "16 proposals" in widened.text


def test_a_chunk_that_holds_whole_paragraphs_is_kept_and_the_reach_is_bounded():
    chunks = _chunks()
    for chunk in chunks:
        [passage] = whole_paragraphs([Passage(chunk, 1, 1.0)], _neighbours(chunks), most=5)
        # five words each way: only a paragraph's last few words would be added, and none here is that short
        assert passage.chunk == chunk
    [alone] = whole_paragraphs([Passage(chunks[1], 1, 1.0)], lambda asked: [])
    assert alone.chunk == chunks[1]  # no neighbours: unchanged


def test_through_the_real_store_a_cited_passage_holds_the_whole_award(make_assistant, tmp_path):
    from conftest import write_article

    first = "Alder Works Inc., Bath, Maine, was awarded a $5,000,000 contract for hull coatings. " + " ".join(
        f"Coating step {i} will be applied to the hull of the ship in dry dock." for i in range(16))
    award = LEAD + " " + " ".join(f"The quarters will have room number {i} on a floor of their own." for i in range(14)) + \
        " This contract was competitively procured, with 16 proposals received."
    folder = tmp_path / "articles"
    folder.mkdir()
    write_article(folder, "release.md", "Contracts For March 8, 2016", f"{first}\n\n{award}", date="2016-03-08", source="Department of Defense")
    assistant = make_assistant(retrieval_whole_paragraphs=250)
    assistant.ingest([folder], progress=False)
    answer = assistant.answerer.ask("How many proposals did Purcell Construction receive for the quarters?", mode="extractive")
    texts = [c.passage.chunk.text for c in answer.citations]
    assert any(LEAD in t and "16 proposals" in t for t in texts), (answer.text, texts)
