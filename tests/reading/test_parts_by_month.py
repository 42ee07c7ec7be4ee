"""A comparison of two reports named by their months ("the March 2026 one or the June 2026 one"): each part is
answered from its own month's report, and the part whose report is also the best match for the whole question keeps
it, rather than taking the next award of the same contractor. Over small releases written here, the real stack."""

from __future__ import annotations

import pytest

from conftest import write_article

MARCH = """
Brightline Munitions Co., Camden, Arkansas, has been awarded a not-to-exceed $48,000,000 indefinite-delivery/indefinite-quantity contract for Talon rockets and support. Work will be performed in Camden, Arkansas, and is expected to be completed by March 2029. Army Contracting Command, Redstone Arsenal, Alabama, is the contracting activity.
"""
JUNE = """
Brightline Munitions Co., Camden, Arkansas, has been awarded a $12,500,000 firm-fixed-price contract to procure Talon rockets. Work will be performed in Camden, Arkansas, and is expected to be complete by Jan. 31, 2028. Army Contracting Command, Redstone Arsenal, Alabama, is the contracting activity.
"""
JULY = """
Brightline Munitions Co., Camden, Arkansas, is being awarded a $31,250,000 modification to a previously awarded contract to exercise an option for Harrier rocket motors. Work will be performed in Camden, Arkansas, and is expected to be completed by July 2028. Naval Sea Systems Command, Washington, D.C., is the contracting activity.
"""


@pytest.fixture
def releases(make_assistant, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, title, day, text in (
        ("march.md", "Contracts For March 9, 2026", "2026-03-09", MARCH),
        ("june.md", "Contracts For June 22, 2026", "2026-06-22", JUNE),
        ("july.md", "Contracts For July 14, 2026", "2026-07-14", JULY),
    ):
        write_article(folder, name, title, text, date=day, source="Department of Defense")
    assistant = make_assistant()
    assistant.ingest([folder], progress=False)
    return assistant


def test_each_month_named_is_answered_from_its_own_report(releases):
    answer = releases.answerer.ask("Which Talon rocket award to Brightline was larger: the March 2026 one or the June 2026 one?", mode="extractive")
    assert not answer.abstained, answer.notice
    assert answer.short_answer == "$48,000,000", answer.text
    assert "$12,500,000" in answer.text and "$31,250,000" not in answer.text, answer.text
