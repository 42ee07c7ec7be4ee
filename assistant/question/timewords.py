"""Relative time words ("this year", "last month", "past six months", "recently") read against today and the newest article.

Read from the clock alone, "this year" in December 2026 asks for 2026 even when the newest indexed article is
from 2025, and the question finds nothing. When the period the words name (read against today) begins after the
newest article, they are read against that article's date instead, and the answer says so."""

from __future__ import annotations

import re
from datetime import date
from typing import Callable

from .timeparse import RECENTLY, parse_time

_RELATIVE = re.compile(r"\b(?:this|last|past|previous)\s+(?:(?:\d+|two|three|six|few)\s+)?(?:day|week|month|year|quarter)s?\b", re.I)


def read_time_words(question: str, today: date, newest_article: Callable[[], date | None]) -> tuple[date, str]:
    """The date to read the question's relative time words against, and a note when it is not `today`
    (`newest_article` is only asked when the question has such words)."""
    words = _RELATIVE.search(question) or RECENTLY.search(question)
    newest = newest_article() if words else None
    if words is None or newest is None or newest >= today:
        return today, ""
    since = parse_time(question, today).since
    if since is None or since <= newest:
        return today, ""  # the period read against today still holds indexed reporting: nothing to change
    return newest, (
        f"Read \"{words.group()}\" against the newest indexed article ({newest.isoformat()}), not today "
        f"({today.isoformat()}): no indexed article is dated in that period as counted from today."
    )
