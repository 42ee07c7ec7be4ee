"""Where sources agree, disagree and change: conflicts, corrections, copies of one story and timelines.

On real text: the bundled Sentinel revision, the two outlets' Kuiper coverage, the syndicated Oreshnik copy,
and the DoD contract releases with their CORRECTION items (read from ../shared/data when present).
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.analyst.conflicts import find_conflicts
from assistant.ingest.loaders import load_paths
from assistant.analyst.revisions import find_revisions
from assistant.schema import Chunk, Passage
from assistant.index.source_kinds import load_source_kinds, source_kind
from assistant.index.storygroups import StoryGroups
from assistant.analyst.timeline import build_timeline, timeline_csv, timeline_markdown

from conftest import CORPUS, ROOT, write_article

DOD = ROOT.parent / "shared" / "data" / "dodcontracts"
# (correcting release, original release, what the correction says is right)
CORRECTION_PAIRS = [
    ("142-contracts-for-nov-2-2017", "141-contracts-for-nov-1-2017", "W52P1J-18-D-0016"),
    ("134-contracts-for-sept-5-2017", "133-contracts-for-aug-31-2017", "SPE8EC-17-D-0011"),
    ("167-contracts-for-july-3-2018", "165-contracts-for-june-29-2018", "14 MV-22B aircraft"),
    ("173-contracts-for-aug-24-2018", "133-contracts-for-aug-31-2017", "$226,557,788"),
    ("030-contracts-for-march-20-2015", "028-contracts-for-march-2-2015", "SPE2D1-15-D-8301"),
]


def _passages(articles) -> list[Passage]:
    """Each article as one passage, as retrieval would number them."""
    out = []
    for rank, a in enumerate(articles, start=1):
        chunk = Chunk(f"{a.id}:0", a.id, 0, a.text, 0, len(a.text), a.title, a.path, a.published, a.source)
        out.append(Passage(chunk, rank, 1.0))
    return out


def test_sentinel_estimates_conflict_newest_first(corpus_assistant):
    answer = corpus_assistant.answerer.ask("What is the estimated cost of the Sentinel ICBM programme?", mode="extractive")
    assert answer.conflicts, answer.text
    values = answer.conflicts[0].values
    assert values[0].value == "$140.9 billion" and values[0].published == "2024-07-09"
    earlier = [v for v in values[1:] if v.value == "$95.8 billion"]
    assert earlier and earlier[0].article_id != values[0].article_id and earlier[0].published < values[0].published
    assert all(v.source and v.n >= 1 for v in values)
    # each value's [n] is the card that holds its quote, and a note's "superseded by [n]" names a card of the conflict
    cards = {c.n: c for c in answer.citations}
    for v in values:
        card = cards[v.n]
        assert card.passage.chunk.article_id == v.article_id
        assert any(v.quote in part.passage.chunk.text for part in (card, *card.also))
    for ref in re.findall(r"\[(\d+)\]", " ".join(v.note for v in values)):
        assert int(ref) in {v.n for v in values}


def test_ask_json_lists_conflicts_and_corroboration(corpus_assistant, capsys, monkeypatch):
    index = corpus_assistant.settings.index_dir
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(index))
    assert main(["ask", "--json", "What is the estimated cost of the Sentinel ICBM programme?"]) == 0
    data = json.loads(capsys.readouterr().out)
    first = data["conflicts"][0]["values"][0]
    assert first["value"] == "$140.9 billion"
    assert any(v["value"] == "$95.8 billion" for v in data["conflicts"][0]["values"][1:])
    assert {"corroborated_by", "duplicates", "source_kind"} <= set(data["citations"][0])


def test_two_outlets_agreeing_on_kuiper_corroborate_and_do_not_conflict(corpus_assistant):
    answer = corpus_assistant.answerer.ask("How many production satellites did the KA-01 mission launch for Project Kuiper?", mode="extractive")
    assert not answer.conflicts
    assert any(c.corroborated_by >= 1 for c in answer.citations), [(c.n, c.passage.chunk.source) for c in answer.citations]


def test_the_syndicated_copy_is_grouped_and_takes_no_second_slot(corpus_assistant):
    stories = corpus_assistant.retriever.stories
    original, copy = "md-oreshnik-dnipro-strike-2024-11", "md-oreshnik-dnipro-strike-syndicated-2024-11"
    assert stories.group_of(original) == stories.group_of(copy)
    assert stories.duplicates(original) == [copy]
    passages = corpus_assistant.retriever.retrieve("Oreshnik missile strike on Dnipro")
    shown = {p.chunk.article_id for p in passages} & {original, copy}
    assert len(shown) == 1, [p.chunk.article_id for p in passages]
    answer = corpus_assistant.answerer.ask("Which Ukrainian city did Russia hit with the Oreshnik missile?", mode="extractive")
    cited = [c for c in answer.citations if c.passage.chunk.article_id in (original, copy)]
    assert cited and cited[0].duplicates and cited[0].corroborated_by == 0  # a copy is not a second source


def test_rewritten_coverage_of_one_event_is_not_grouped():
    articles = load_paths([CORPUS]).articles
    groups = StoryGroups()
    groups.update({a.id: a.text for a in articles})
    grouped = set(groups.groups)
    assert "sp-kuiper-first-production-launch-2025-04" not in grouped  # two outlets, their own words
    assert grouped == {"md-oreshnik-dnipro-strike-2024-11", "md-oreshnik-dnipro-strike-syndicated-2024-11"}


def test_a_revision_names_the_value_it_replaces():
    text = (CORPUS / "ai-sentinel-certification-141-billion-2024-07.md").read_text(encoding="utf-8")
    revisions = find_revisions(text)
    assert any([c.value for c in r.new] == ["$140.9 billion"] and [c.value for c in r.old] == ["$77.7 billion"] for r in revisions)


@pytest.mark.skipif(not DOD.is_dir(), reason=f"{DOD} is absent (it ships only with the shared workspace)")
@pytest.mark.parametrize("correcting,original,right", CORRECTION_PAIRS)
def test_dod_corrections_supersede_the_original_announcement(correcting, original, right):
    loaded = load_paths([DOD / f"{original}.txt", DOD / f"{correcting}.txt"])
    assert not loaded.errors, loaded.errors
    passages = _passages(loaded.articles)
    corrections = [r for r in find_revisions(passages[1].chunk.text) if r.kind == "correction"]
    assert any(right in [v for _, v in r.corrected()] for r in corrections), [r.text for r in corrections]
    conflicts = [c for c in find_conflicts("", passages) if c.values[0].value == right]
    assert conflicts, [(c.about, [v.value for v in c.values]) for c in find_conflicts("", passages)]
    newest, older = conflicts[0].values
    assert newest.article_id == correcting and "correction" in newest.note
    assert older.article_id == original and older.value != right and older.published < newest.published


def test_timeline_golden_dome_has_dated_cited_events_in_order(corpus_assistant):
    timeline = corpus_assistant.timeline("Golden Dome")
    dates = [e.date for e in timeline.events]
    assert len(dates) >= 4 and dates == sorted(dates)
    assert all(e.article_id and e.sources and e.end > e.start for e in timeline.events)
    # the announcement of May 20, 2025 is reported by several articles: one event, every source listed
    may20 = [e for e in timeline.events if e.date == date(2025, 5, 20) and "175 billion" in e.text]
    assert may20 and len(may20[0].sources) >= 2
    assert timeline_markdown(timeline).count("\n- **") == len(timeline.events)
    assert timeline_csv(timeline).count("\n") == len(timeline.events) + 1


def test_timeline_cli_json_and_empty_subject(corpus_assistant, capsys, monkeypatch):
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(corpus_assistant.settings.index_dir))
    assert main(["timeline", "Golden Dome", "--json", "--since", "2025-05-01", "--until", "2025-06-30"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["subject"] == "Golden Dome" and data["events"]
    assert all("2025-05-01" <= e["date"] <= "2025-06-30" for e in data["events"])
    assert {"date", "text", "article_id", "title", "source", "start", "end", "sources"} <= set(data["events"][0])
    assert main(["timeline", "Zanzibar hovercraft squadron", "--json"]) == 0
    empty = json.loads(capsys.readouterr().out)
    assert empty["events"] == [] and "No dated events" in empty["note"]


def test_timeline_leaves_out_unreadable_dates_and_marks_corrections(tmp_path):
    write_article(tmp_path, "a.md", "Widget programme update", "The Widget programme passed review in March. "
                  "CORRECTION: The Widget contract announced on May 2, 2025 should have stated 12 units.", date="2025-06-01")
    undated = tmp_path / "b.txt"
    undated.write_text("Widget notes\n\nThe Widget programme slipped in April.\n", encoding="utf-8")
    articles = load_paths([tmp_path]).articles
    chunks = [Chunk(f"{a.id}:0", a.id, 0, a.text, 0, len(a.text), a.title, a.path, a.published, a.source) for a in articles]
    timeline = build_timeline("Widget", chunks)
    assert [e.date for e in timeline.events] == [date(2025, 3, 1), date(2025, 5, 2)]
    assert timeline.events[1].correction and not timeline.events[0].correction
    assert timeline.undated == 1 and "left out" in timeline.note


def test_source_kinds_file_with_a_bad_entry(tmp_path, caplog):
    path = tmp_path / "kinds.yaml"
    path.write_text("wire: [Test Wire]\nnewspaper: [Daily Bugle]\nthink tank: not-a-list\n", encoding="utf-8")
    kinds = load_source_kinds(path)
    assert kinds == {"test wire": "wire"}
    assert "newspaper" in caplog.text and "think tank" in caplog.text
    assert source_kind("Test Wire", path) == "wire" and source_kind("Somebody", path) == "unknown"
    assert source_kind("Northwind Defence Wire") == "wire"


def test_source_kind_filter_limits_retrieval(corpus_assistant, capsys, monkeypatch):
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(corpus_assistant.settings.index_dir))
    assert main(["ask", "--json", "--source-kind", "think tank", "What did Trump say Golden Dome would cost?"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["citations"] and {c["source_kind"] for c in data["citations"]} == {"think tank"}


def test_the_llm_prompt_carries_the_same_conflict_note(corpus_assistant):
    answerer = corpus_assistant.answerer
    question = "What is the estimated cost of the Sentinel ICBM programme?"
    answer = answerer.ask(question, mode="extractive")
    messages = answerer._messages(question, list(answer.passages), answer.conflicts)
    prompt = messages[-1].content
    assert "Reports differ on" in prompt and "$140.9 billion" in prompt and "$95.8 billion" in prompt
    assert "Reports differ" not in answerer._messages(question, list(answer.passages))[-1].content


def test_reports_differ_panel_escapes_article_text(corpus_assistant):
    from dataclasses import replace

    from assistant.analyst.conflicts import Conflict, ConflictValue
    from assistant.ui.render import answer_html

    answer = corpus_assistant.answerer.ask("What is the estimated cost of the Sentinel ICBM programme?", mode="extractive")
    hostile = Conflict('<img src=x onerror="alert(1)">', (ConflictValue("<script>x</script>", 1, "2024-01-01", "<b>Wire</b>"),))
    page = answer_html(replace(answer, conflicts=(hostile,)), "t1")
    assert "<script>x" not in page and "<img src=x" not in page and "&lt;script&gt;" in page
    assert page.index('class="conflicts"') < page.index('class="cards"')
