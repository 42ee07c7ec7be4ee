"""Retrieval on real parts: hybrid BM25 + dense, acronyms learned from the corpus, dates, filters, index upkeep."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.retrieval.acronyms import expand_query, find_definitions
from assistant.index.keyword import keyword_index_path
from assistant.retrieval.retrieve import RetrievalOptions
from assistant.schema import Filters
from assistant.question.timeparse import parse_time
from conftest import write_article

FILLER = "Officials described the programme schedule, the test campaign and the industrial base in general terms. "


def _first(assistant, question: str, **kwargs) -> str:
    passages = assistant.retriever.retrieve(question, kwargs.pop("filters", None), RetrievalOptions(k=5), **kwargs)
    assert passages, question
    return passages[0].chunk.article_id


# --- acronyms ----------------------------------------------------------------------------------


def test_definitions_are_learned_in_both_house_styles():
    text = (
        "The Space Development Agency (SDA) launched satellites. The Army buys Patriot Advanced Capability-3 "
        "Missile Segment Enhancement, or PAC-3 MSE, interceptors. The Long-Range Hypersonic Weapon (LRHW) flew."
    )
    found = dict(find_definitions(text))
    assert found["SDA"] == "Space Development Agency"
    assert found["PAC-3 MSE"] == "Patriot Advanced Capability-3 Missile Segment Enhancement"
    assert found["LRHW"] == "Long-Range Hypersonic Weapon"
    glossary = {"SDA": "space development agency"}
    assert "space development agency" in expand_query("When did SDA launch Tranche 1?", glossary)
    assert "SDA" in expand_query("When did the Space Development Agency launch Tranche 1?", glossary)


@pytest.mark.parametrize(
    "short, long",
    [
        ("Which companies won NSSL Phase 3 Lane 2 awards?", "Which companies won National Security Space Launch Phase 3 Lane 2 awards?"),
        ("When did SDA first launch Tranche 1 satellites?", "When did the Space Development Agency first launch Tranche 1 satellites?"),
        ("Which firms build CCA Increment 1 prototypes?", "Which firms build Collaborative Combat Aircraft Increment 1 prototypes?"),
    ],
)
def test_acronym_and_its_expansion_retrieve_the_same_article_first(corpus_assistant, short, long):
    assert "SDA" in corpus_assistant.retriever.keyword.glossary  # learned from the corpus at ingest
    assert _first(corpus_assistant, short) == _first(corpus_assistant, long)


# --- keyword search ----------------------------------------------------------------------------


def test_a_designation_only_bm25_finds_beats_dense_alone(make_assistant, tmp_path):
    folder = tmp_path / "a"
    folder.mkdir()
    write_article(folder, "lot15.md", "F-35 deal finalised", "The Pentagon and Lockheed agreed Lot 15 of the F-35 at last. " + FILLER * 6)
    for n in range(8):
        write_article(folder, f"jet{n}.md", f"Fighter jet contract news {n}", f"The fighter jet contract for lot deliveries number {n + 20} was discussed. " + FILLER * 6)
    assistant = make_assistant()
    assistant.ingest([folder], progress=False)
    keyword_only = assistant.retriever.with_config(mode="keyword")
    assert keyword_only.retrieve("Lot 15", None, RetrievalOptions(k=3))[0].chunk.article_id == "lot15"
    assert _first(assistant, "What was agreed in Lot 15?") == "lot15"


def test_a_decisive_keyword_match_leads_over_the_fusion(make_assistant, tmp_path):
    """A contract number only one release holds: BM25 scores it far ahead, but rank fusion keeps only ranks and
    puts passages the dense search likes (same words, other contracts) first. The keyword lead fixes the order;
    the control (lead off) shows the fusion alone does not."""
    folder = tmp_path / "a"
    folder.mkdir()
    write_article(
        folder, "target.md", "Navy awards engineering support",
        "Halvorsen Marine Systems of Norfolk, Virginia, is awarded a modification under N00024-25-C-4417 "
        "for engineering support services. Work will be performed in Norfolk. " + FILLER * 4,
    )
    for n in range(12):
        write_article(
            folder, f"d{n}.md", f"Radar contract awarded {n}",
            f"Which company received the radar contract? The radar contract was received by company number {n} "
            "for radar sustainment; the contract covers radar spares. " + FILLER * 4,
        )
    question = "Which company received contract N00024-25-C-4417 for the radar?"
    firsts = {}
    for lead in (0.0, 1.5):
        assistant = make_assistant(retrieval_keyword_lead=lead, index_dir=tmp_path / f"index{lead}")
        assistant.ingest([folder], progress=False)
        firsts[lead] = _first(assistant, question)
    assert firsts[0.0] != "target"  # the control: without the lead the fusion ranks a lookalike first
    assert firsts[1.5] == "target"


def test_decisive_lead_needs_a_margin_over_other_articles():
    from assistant.retrieval.retrieve import decisive_lead
    from assistant.schema import Chunk

    def chunk(article: str, n: int) -> Chunk:
        return Chunk(id=f"{article}::{n}", article_id=article, index=n, text="x", start=0, end=1, title="t", path="p")

    a1, a2, b1 = chunk("a", 1), chunk("a", 2), chunk("b", 1)
    assert decisive_lead([(a1, 6.0), (a2, 5.9), (b1, 3.0)], 1.5) == a1.id  # its own article's chunks do not count
    assert decisive_lead([(a1, 6.0), (b1, 4.5)], 1.5) is None  # 1.33 times: not decisive
    assert decisive_lead([(a1, 6.0), (b1, 4.0)], 1.5) == a1.id
    assert decisive_lead([(a1, 6.0), (b1, 1.0)], 0.0) is None  # off
    assert decisive_lead([(a1, 6.0), (a2, 1.0)], 1.5) == a1.id  # no other article matched at all
    assert decisive_lead([], 1.5) is None


def test_pac3_mse_keyword_search_on_the_bundled_corpus(corpus_assistant):
    keyword_only = corpus_assistant.retriever.with_config(mode="keyword")
    top = keyword_only.retrieve("PAC-3 MSE", None, RetrievalOptions(k=3))
    assert all("pac3" in p.chunk.article_id for p in top[:2])


# --- dates -------------------------------------------------------------------------------------


def test_time_expressions_are_read_against_the_as_of_date():
    today = date(2026, 6, 15)
    assert parse_time("What happened since March?", today).since == date(2026, 3, 1)
    assert parse_time("What happened since September?", today).since == date(2025, 9, 1)
    last_month = parse_time("What did the Army announce last month?", today)
    assert (last_month.since, last_month.until) == (date(2026, 5, 1), date(2026, 5, 31))
    assert parse_time("What happened before the June 5 fallout?", today).until == date(2026, 6, 4)
    assert parse_time("As of mid-2024, how big was the deal?", today).until == date(2024, 8, 31)
    assert parse_time("What is the latest contract?", today).prefer_recent
    assert parse_time("Who won contracts in 2025?", today).window == (date(2025, 1, 1), date(2025, 12, 31))
    assert parse_time("Back in 2014, how many allies met 2%?", today).empty
    assert parse_time("What will it cost through 2055?", today).until is None  # a forecast, not a limit


def test_as_of_and_latest_pick_the_right_reporting(corpus_assistant):
    question = "As of mid-July 2025, what was the largest number of drones Russia had launched at Ukraine in one night?"
    assert _first(corpus_assistant, question) == "md-russia-728-drone-barrage-2025-07"
    latest = "What is the most recent record for drones fired by Russia in a single night?"
    # The July and September reports score within a few hundredths of each other; which of the two retrieval puts
    # first moves with the encoder's rounding (it flipped when the int8 products were made exact, 7a9fc60). What
    # must hold: both lead the passages, and the answer takes the newer record from the newer report.
    passages = corpus_assistant.retriever.retrieve(latest, None, RetrievalOptions(k=5))
    assert {p.chunk.article_id for p in passages[:2]} == {"md-russia-810-drone-attack-2025-09", "md-russia-728-drone-barrage-2025-07"}
    answer = corpus_assistant.answerer.ask(latest, mode="extractive")
    assert answer.text.startswith("Russia launched 810 drones")
    assert answer.citations[0].passage.chunk.article_id == "md-russia-810-drone-attack-2025-09"
    # "last month" depends on the as-of date, not the clock.
    passages = corpus_assistant.retriever.retrieve("drone attacks last month", None, RetrievalOptions(k=5), as_of=date(2025, 10, 3))
    assert passages and all(p.chunk.published and date(2025, 9, 1) <= p.chunk.published <= date(2025, 9, 30) for p in passages)


# --- filters pushed down to both indexes -------------------------------------------------------


def test_filters_reach_both_indexes(make_assistant, tmp_path):
    folder = tmp_path / "a"
    folder.mkdir()
    for n in range(12):
        write_article(folder, f"wire{n}.md", f"Interceptor order {n}", f"The interceptor order {n} grew again. " + FILLER * 5, source="Big Wire", date="2025-05-01")
    write_article(folder, "small.md", "Budget note", "A short note that mentions an interceptor once. " + FILLER * 5, source="Small Wire", date="2024-01-10", tags="[Naval, budget]")
    assistant = make_assistant()
    assistant.ingest([folder], progress=False)
    tight = RetrievalOptions(k=3, candidates=3)  # unfiltered, the small wire is not among the first 3 of either list
    for mode in ("dense", "keyword", "hybrid"):
        retriever = assistant.retriever.with_config(mode=mode)
        found = retriever.retrieve("interceptor order", Filters(source="Small Wire"), tight)
        assert [p.chunk.article_id for p in found] == ["small"], mode
        found = retriever.retrieve("interceptor order", Filters(until=date(2024, 12, 31)), tight)
        assert [p.chunk.article_id for p in found] == ["small"], mode
        assert retriever.retrieve("interceptor order", Filters(since=date(2026, 1, 1)), tight) == []
        found = retriever.retrieve("interceptor order", Filters(tag="naval"), tight)
        assert [p.chunk.article_id for p in found] == ["small"], mode
        assert retriever.retrieve("interceptor order", Filters(tag="space"), tight) == []


# --- keeping the keyword index in step ---------------------------------------------------------


def _in_step(assistant) -> bool:
    dense = {chunk_id for chunk_id, _, _ in assistant.store.iter_records()}
    return dense == assistant.retriever.keyword.chunk_ids() and bool(dense)


def test_keyword_index_follows_reingest_change_and_prune(make_assistant, tmp_path):
    folder = tmp_path / "a"
    folder.mkdir()
    write_article(folder, "one.md", "Radar upgrade", "The Zephyrus radar upgrade entered testing. " + FILLER * 5)
    doomed = write_article(folder, "two.md", "Drone buy", "The Quillfeather drone buy was approved. " + FILLER * 5)
    assistant = make_assistant()
    assistant.ingest([folder], progress=False)
    keyword = assistant.retriever.keyword
    assert _in_step(assistant) and keyword.path.exists()
    assert _first(assistant, "Zephyrus") == "one"

    write_article(folder, "one.md", "Radar upgrade", "The Halcyon radar upgrade entered testing. " + FILLER * 5)
    assistant.ingest([folder], progress=False)
    assert _in_step(assistant)
    assert keyword.search("Zephyrus", 5) == [] and keyword.search("Halcyon", 5)

    doomed.unlink()
    assistant.ingest([folder], prune=True, progress=False)
    assert _in_step(assistant) and keyword.search("Quillfeather", 5) == []

    # A fresh process loads the persisted index; a lost file is rebuilt from the Chroma folder.
    reopened = make_assistant()
    assert _in_step(reopened) and reopened.retriever.keyword.search("Halcyon", 5)
    keyword.path.unlink()
    rebuilt = make_assistant(index_dir=tmp_path / "index")
    assert rebuilt.retriever.keyword is not keyword and _in_step(rebuilt)
    assert keyword_index_path(rebuilt.store).exists()


def test_corrupt_or_stale_keyword_files_are_rebuilt_from_the_dense_index(make_assistant, tmp_path):
    folder = tmp_path / "a"
    folder.mkdir()
    write_article(folder, "one.md", "Radar upgrade", "The Zephyrus radar upgrade entered testing. " + FILLER * 5)
    write_article(folder, "two.md", "Drone buy", "The Quillfeather drone buy was approved. " + FILLER * 5)
    assistant = make_assistant()
    assistant.ingest([folder], progress=False)
    path = assistant.retriever.keyword.path
    path.write_bytes(b"not a database at all" * 100)
    rebuilt = make_assistant()
    assert _in_step(rebuilt) and rebuilt.retriever.keyword.search("Quillfeather", 5)[0][0].startswith("two::")
    # Weights saved for other records than the ones on disk are not used: they are rebuilt.
    arrays = path.with_suffix(".bm25")
    assert (arrays / "meta.json").exists()
    (arrays / "meta.json").write_text('{"generation": "someone else", "sources": [], "tags": []}')
    again = make_assistant()
    assert again.retriever.keyword.search("Zephyrus", 5)[0][0].startswith("one::")


@pytest.mark.server
def test_remote_store_rebuilds_the_keyword_index_from_the_server(make_assistant, tmp_path, chroma_server):
    folder = tmp_path / "a"
    folder.mkdir()
    write_article(folder, "lot18.md", "F-35 Lot 18 signed", "The Lot 18 contract for the F-35 was signed in September. " + FILLER * 5)
    write_article(folder, "arrow.md", "Arrow 3 in Germany", "Germany declared Arrow 3 operational at Holzdorf. " + FILLER * 5)
    writer = make_assistant(chroma_url=chroma_server, collection_prefix="kwtest")
    writer.ingest([folder], progress=False)
    reader = make_assistant(chroma_url=chroma_server, collection_prefix="kwtest", index_dir=tmp_path / "unused")
    assert keyword_index_path(reader.store) is None
    assert _in_step(reader)
    keyword_only = reader.retriever.with_config(mode="keyword")
    assert keyword_only.retrieve("Lot 18", None, RetrievalOptions(k=2))[0].chunk.article_id == "lot18"
    assert not (tmp_path / "unused").exists()


@pytest.mark.parametrize(
    "filters",
    [Filters(since=date(2025, 1, 1)), Filters(until=date(2024, 6, 30), source="Capitol Procurement Daily"), Filters(tag="space")],
)
def test_filtered_dense_search_equals_chromas_own_filter(corpus_assistant, filters):
    # The in-memory filter on the nearest ids must pick exactly what Chroma's `where` picks.
    from assistant.index.records import where_clause

    store, retriever = corpus_assistant.store, corpus_assistant.retriever
    vector = corpus_assistant.embeddings.embed_query("missile defence contract awarded")
    ours, _ = retriever._dense(vector, 8, filters)
    theirs = store.collection.query(query_embeddings=[vector], n_results=8, where=where_clause(filters), include=[])["ids"][0]
    assert ours and ours == theirs


def test_share_passing_matches_the_stored_metadata(corpus_assistant):
    # The dense search sizes its first look from this share; it must be the true share of chunks passing.
    from assistant.schema import Filters

    records = [meta for _, _, meta in corpus_assistant.store.iter_records()]
    source = records[0]["source"]
    keyword = corpus_assistant.retriever.keyword
    expected = sum(1 for meta in records if meta.get("source") == source) / len(records)
    assert keyword.share_passing(Filters(source=source)) == pytest.approx(expected)
    assert keyword.share_passing(Filters()) == 1.0
    assert keyword.share_passing(Filters(source="No Such Outlet")) == 0.0
    vector = corpus_assistant.embeddings.embed_query("missile defence contract awarded")
    assert corpus_assistant.retriever._dense(vector, 8, Filters(source="No Such Outlet")) == ([], [])


@pytest.mark.parametrize(
    "filters",
    [Filters(since=date(2025, 1, 1)), Filters(until=date(2024, 6, 30), source="Capitol Procurement Daily"), Filters(tag="SPACE")],
)
def test_store_query_fallback_equals_chromas_own_filter(corpus_assistant, filters):
    # Store.query (used when the keyword index cannot judge the ids) filters a wider unfiltered search in
    # Python; it must agree with Chroma's `where`, record for record.
    from assistant.index.records import passes_filters, where_clause

    store = corpus_assistant.store
    vector = corpus_assistant.embeddings.embed_query("launch contract satellites")
    ours = [h.chunk.id for h in store.query(vector, 6, filters)]
    theirs = store.collection.query(query_embeddings=[vector], n_results=6, where=where_clause(filters), include=[])["ids"][0]
    assert ours and ours == theirs
    passing = set(store.collection.get(where=where_clause(filters), include=[])["ids"])
    assert passing == {i for i, _, meta in store.iter_records() if passes_filters(meta, filters)}
