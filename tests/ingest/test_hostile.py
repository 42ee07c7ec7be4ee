"""Hostile and broken input: a mixed folder of good articles and bad files, ingested by the real CLI.

Every good article must be indexed, every bad file named once with its reason, nothing outside the
folder read through a symbolic link, and the 50 MB file refused before it is read (bounded memory).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import load_reliability


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    hostile = load_reliability("hostile")
    root = tmp_path_factory.mktemp("hostile")
    entries = hostile.make_hostile_corpus(root / "corpus", n=120, seed=1)
    run = hostile.run_ingest([root / "corpus"], root / "index")
    indexed, texts = hostile.read_index(root / "index")
    return hostile, entries, run, indexed, hostile.check(entries, run, indexed, texts)


def test_every_good_article_indexed_and_every_bad_file_named_once(hostile_run):
    _, entries, run, indexed, result = hostile_run
    figures = result["figures"]
    assert run["returncode"] == 0, run["stderr"][-2000:]
    assert figures["files_tried"] == 120
    assert result["misses"] == [] and result["unexpected_ids"] == []
    assert figures["good_articles_kept"] == figures["good_articles_expected"] > 50
    assert figures["bad_named"] == figures["bad_files"] > 30
    assert figures["skipped_lines"] == figures["skipped_lines_expected"]  # one line each, no repeats
    assert "outside-secret" not in indexed
    assert result["scripts_leaked"] == 0
    kinds = {e.kind for e in entries}
    assert {"50 MB text file (over the size limit)", "symbolic link (link-out)", "odd file name", "HTML nested 10,000 levels (accepted)"} <= kinds


def _reason(hostile, run, entries, kind: str) -> str:
    paths = [hostile.one_line(e.path) for e in entries if e.kind == kind]
    for line in run["stderr"].splitlines():
        for path in paths:
            if line.startswith(f"skipped {path}: "):
                return line[len(f"skipped {path}: "):]
    raise AssertionError(f"no skipped line for {kind}")


# (kind of bad file, what its skipped line must say)
REASONS = [
    ("50 MB text file (over the size limit)", "over the 20 MB limit"),
    ("symbolic link (link-out)", "outside the ingested folder: not followed"),
    ("symbolic link (link-etc)", "outside the ingested folder"),
    ("symbolic link (dangling)", "leads nowhere"),
    ("UTF-16 without BOM", "UTF-16 without a byte-order mark"),
    ("truncated UTF-8", "truncated"),
    ("Latin-1", "not valid UTF-8"),
    ("binary", "binary"),
    ("impossible date", "date"),
    ("title is a mapping", "field 'title' must be text"),
    ("duplicate article id", "duplicate article id"),
    ("empty file", "empty"),
    ("file name not valid UTF-8", "file name is not valid UTF-8"),
]


def test_reasons_say_what_is_wrong(hostile_run):
    hostile, entries, run, _, _ = hostile_run
    for kind, says in REASONS:
        assert says in _reason(hostile, run, entries, kind), kind


def test_odd_names_are_indexed_and_printed_on_one_line(hostile_run):
    hostile, entries, run, indexed, _ = hostile_run
    odd = [e for e in entries if e.kind == "odd file name"]
    assert any("\n" in Path(e.path).name for e in odd) and any(Path(e.path).name.startswith("-") for e in odd)
    assert all(set(e.ids) <= indexed for e in odd)
    assert all(len(line) < 2000 for line in run["stderr"].splitlines())


def test_memory_stays_bounded_with_a_50_mb_file(hostile_run):
    _, _, run, _, result = hostile_run
    # The encoder and its libraries take most of this; reading the 50 MB file (and chunking it) would add
    # hundreds of megabytes on top.
    assert result["figures"]["peak_rss_mb"] < 1024, result["figures"]


def test_progress_is_logged_with_rate_and_eta_when_not_a_terminal(hostile_run):
    _, _, run, _, result = hostile_run
    planned = [line for line in run["stderr"].splitlines() if "chunks to embed" in line]
    assert len(planned) == 1 and "120 files read" in planned[0]
    total = int(planned[0].split(": ")[-1].split()[0])
    assert total == result["figures"]["good_articles_expected"] >= 1  # these articles are one chunk each
    final = [line for line in run["stderr"].splitlines() if f"embedded {total}/{total} chunks" in line]
    assert final and "chunks/s, ETA" in final[0]
