"""The reader's sentence vectors: encoded at indexing, stored beside the chunks, read back while answering."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from assistant.ingest.sentences import sentence_key, sentence_views
from assistant.reading.candidates import candidates_of
from assistant.retrieval.retrieve import RetrievalOptions
from conftest import write_article

QUESTION = "How many interceptors does the Golden Dome test campaign plan to fire?"


class Recording:
    """The reader's encoder, recording every text it is asked to encode."""

    def __init__(self, inner):
        self.inner, self.texts = inner, []

    def encode(self, texts):
        self.texts.extend(texts)
        return self.inner.encode(texts)

    def embed_documents(self, texts):
        return self.encode(texts).tolist()

    def embed_query(self, text):
        return self.encode([text])[0].tolist()


def _corpus(folder):
    folder.mkdir()
    write_article(
        folder, "dome.md", "Golden Dome test campaign set",
        "The Missile Defense Agency set out a Golden Dome test campaign on Tuesday. It plans to fire 12 interceptors "
        "against targets over the Pacific by 2028. The first shot is planned from Kwajalein Atoll.\n\n"
        "Officials said the campaign costs $2.1 billion.",
    )
    write_article(
        folder, "arrow.md", "Germany activates Arrow 3",
        "Germany declared its first Arrow 3 battery operational at Holzdorf air base. The system was bought from "
        "Israel for about 3.6 billion euros.",
    )
    return folder


def test_answers_read_stored_sentence_vectors_and_encode_only_the_question(make_assistant, tmp_path, embeddings):
    folder = _corpus(tmp_path / "news")
    stored = make_assistant(index_dir=tmp_path / "stored")
    stored.ingest([folder], progress=False)
    plain = make_assistant(index_dir=tmp_path / "plain", index_sentences=False)
    plain.ingest([folder], progress=False)
    assert plain.store.sentences.count() == 0

    # Every sentence the reader weighs is stored, under the key of its own text, as the reader would encode it.
    chunks = [stored.store.get_chunks([i])[0] for i, _, _ in stored.store.iter_records()]
    keys = [sentence_key(c.title, v.shown) for c in chunks for v in sentence_views(c.text)]
    assert keys and set(stored.store.sentence_vectors(keys)) == set(keys)
    passages = stored.retriever.retrieve(QUESTION, None, RetrievalOptions(k=6))
    candidates = candidates_of(passages)
    from_index = stored.answerer.extractive._sentence_vectors(candidates)
    encoded = plain.answerer.extractive._sentence_vectors(candidates)
    assert np.array_equal(from_index, encoded)

    # Answering a new question then encodes the question and its parts, never a passage's sentence.
    recording = Recording(embeddings)
    stored.answerer.extractive.embeddings = recording
    stored.answerer.extractive._cache.clear()
    answer = stored.answerer.ask(QUESTION, mode="extractive")
    assert not answer.abstained and "12 interceptors" in answer.text
    assert recording.texts and all(len(t) <= len(QUESTION) for t in recording.texts), recording.texts
    assert answer.text == plain.answerer.ask(QUESTION, mode="extractive").text


def test_a_passage_whose_text_was_never_stored_is_encoded_while_answering(make_assistant, tmp_path, embeddings):
    folder = _corpus(tmp_path / "news")
    assistant = make_assistant()
    assistant.ingest([folder], progress=False)
    passages = assistant.retriever.retrieve(QUESTION, None, RetrievalOptions(k=6))
    added = " The Navy also plans two sea-based shots in 2027."
    changed = [replace(p, chunk=replace(p.chunk, text=p.chunk.text + added)) for p in passages]
    reader = assistant.answerer.extractive
    reader.embeddings = recording = Recording(embeddings)
    reader._cache.clear()
    candidates = candidates_of(changed)
    vectors = reader._sentence_vectors(candidates)
    assert "The Navy also plans two sea-based shots in 2027." in recording.texts  # the new sentence, encoded here
    assert "The first shot is planned from Kwajalein Atoll." not in recording.texts  # stored ones are read
    assert vectors.shape == (len(candidates), 384)


def test_removing_an_article_removes_its_sentence_vectors(make_assistant, tmp_path):
    folder = _corpus(tmp_path / "news")
    assistant = make_assistant()
    assistant.ingest([folder], progress=False)
    arrow = assistant.store.chunk_ids_with("article_id", "arrow")
    dome = assistant.store.chunk_ids_with("article_id", "dome")
    owned = lambda ids: len(assistant.store.sentences.get(where={"chunk_id": {"$in": ids}}, include=[])["ids"])  # noqa: E731
    assert owned(arrow) > 0 and owned(dome) > 0
    (folder / "arrow.md").unlink()
    assistant.ingest([folder], prune=True, progress=False)
    assert owned(arrow) == 0 and owned(dome) > 0
