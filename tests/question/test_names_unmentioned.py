"""A name the articles never mention makes a question unanswerable; a people's adjective of a country they name, or
the popular name written beside a designation they give, is not such a name."""

from __future__ import annotations

from assistant.question.names import unmentioned_names
from assistant.text import terms

KNOWN = set(terms("Boeing was awarded a modification for Japan's E-767 aircraft and 12 CH-47F helicopters for the Netherlands."))


def test_a_peoples_adjective_of_a_named_country_is_mentioned():
    assert unmentioned_names("When is Boeing due to finish the Japanese E-767 upgrade?", KNOWN, [""]) == []
    assert unmentioned_names("When is Boeing due to finish the Indian radar upgrade?", KNOWN, [""]) == ["Indian"]


def test_a_popular_name_beside_a_given_designation_is_mentioned():
    assert unmentioned_names("What did Boeing get for 12 CH-47F Chinook helicopters?", KNOWN, [""]) == []
    # alone, or beside a designation the articles never give, it is still unknown
    assert unmentioned_names("What did Boeing get for Chinook helicopters?", KNOWN, [""]) == ["Chinook"]
    assert unmentioned_names("What did Boeing get for MH-47G Chinook helicopters?", KNOWN, [""]) == ["Chinook"]
