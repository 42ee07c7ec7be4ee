"""The money claims of a text, kept for texts read again (revisions, conflicts and corrections read the same passages)."""

from __future__ import annotations

from assistant.grounding.claims import _claims, claims_in

TEXT = (
    "The Navy awarded Acme a $12,500,000 contract for fiscal 2024 work. "
    "After this modification the total cumulative value is $40,000,000."
)


def test_kept_claims_are_the_callers_own_and_read_the_same_each_time():
    first = claims_in(TEXT)
    assert [(c.value, c.qualifiers) for c in first] == [("$12,500,000", frozenset({"fy:2024"})), ("$40,000,000", frozenset())]
    first.clear()  # a caller changing its list changes nothing for the next one
    hits = _claims.cache_info().hits
    assert [c.value for c in claims_in(TEXT)] == ["$12,500,000", "$40,000,000"]
    assert _claims.cache_info().hits == hits + 1  # read from what the first call kept, not read again


def test_kinds_filter_the_kept_claims():
    assert [c.value for c in claims_in(TEXT, {"contract value"})] == ["$12,500,000", "$40,000,000"]
    assert claims_in(TEXT, {"cost"}) == []
    assert len(claims_in(TEXT)) == 2  # filtering one call keeps every claim for the next
