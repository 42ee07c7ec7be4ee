"""Crash safety: `assistant ingest` killed with SIGKILL, then re-run, gives the index a clean ingest gives.

Real subprocesses, real Chroma folders. One trial starts from an empty index, one from an index of older
versions of some files (so the killed run was replacing chunks). Where each kill lands depends on the
machine's speed; the property checked does not.
"""

from __future__ import annotations


from conftest import ROOT, load_reliability


def test_killed_ingest_rerun_matches_a_clean_ingest(tmp_path):
    kill_trials = load_reliability("kill_trials")
    outcome = kill_trials.run_trials(trials=2, seed=3, files=10, batch_size=1, source=ROOT / "corpus", tmp=tmp_path)
    assert outcome["ref_chunks"] >= 10
    assert [t["kind"] for t in outcome["trials"]] == ["fresh", "update"]
    for trial in outcome["trials"]:
        # compare() covers: same ids, hashes and texts, count, SQLite integrity, vectors reachable,
        # keyword index on disk in step with Chroma, the same first passage retrieved for every question.
        assert trial["problems"] == [], trial
        assert trial["reembedded"] == trial["missing_at_kill"]  # only what was missing is embedded again


def test_compare_notices_an_index_that_differs():
    kill_trials = load_reliability("kill_trials")
    ref = {"integrity": "ok", "count": 2, "listed": 2, "self_query_ok": 2, "chunks": {"a": ["h1", "x", "t"], "b": ["h2", "x", "u"]},
           "keyword_persisted": {"a": "h1", "b": "h2"}, "retrieved": [["a", "b"]]}
    assert kill_trials.compare(ref, ref) == []
    extra = {**ref, "count": 3, "listed": 3, "self_query_ok": 3, "chunks": {**ref["chunks"], "c": ["h3", "y", "v"]}}
    assert any("extra" in p for p in kill_trials.compare(ref, extra))
    stale_keyword = {**ref, "keyword_persisted": {"a": "h1"}}
    assert any("keyword" in p for p in kill_trials.compare(ref, stale_keyword))
    other_first = {**ref, "retrieved": [["b", "a"]]}
    assert any("first passage" in p for p in kill_trials.compare(ref, other_first))
    unreachable = {**ref, "self_query_ok": 1}
    assert any("find themselves" in p for p in kill_trials.compare(ref, unreachable))
