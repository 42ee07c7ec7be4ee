"""Time expressions in a question ("as of mid-2024", "since March", "latest") as date limits and preferences."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..schema import Filters

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|march|mar|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_PART = r"(?:(?P<part>early|mid|late|the start of|the beginning of|the end of|start of|end of)[\s-]+)?"
_WHEN = rf"{_PART}(?:{_MONTH}(?:\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?)?,?(?:\s+(?P<year>(?:19|20)\d\d))?|(?P<lone_year>(?:19|20)\d\d))\b"
# The words that limit reporting time, by the side of their date they keep: one vocabulary for every limit rule below.
_UNTIL_WORDS = "as of|as at|until|at the start of|prior to"
_BEFORE_WORDS = "before"
_SINCE_WORDS = "since|after|from"
_UNTIL = re.compile(rf"\b(?:{_UNTIL_WORDS})\s+{_WHEN}")
_BEFORE = re.compile(rf"\b(?:{_BEFORE_WORDS})\s+(?:the\s+)?(?P<between>(?:[\w'’-]+\s+){{0,4}}?){_WHEN}")
_SINCE = re.compile(rf"\b(?:{_SINCE_WORDS})\s+{_WHEN}")
_IN = re.compile(rf"(?<!back )\b(?:in|during)\s+{_WHEN}")
_RECENT = re.compile(r"\b(latest|most recent|newest|most recently|current|currently|to date|so far|now|today)\b")
_RELATIVE = re.compile(r"\b(?P<which>last|past|previous|this)\s+(?:(?P<n>\d+|two|three|six|few)\s+)?(?P<unit>day|week|month|year|quarter)s?\b")
# "recently", "recent developments", "in recent weeks" (not "most recent": the newest reporting, no period)
RECENTLY = re.compile(r"(?<!most )\b(?:in\s+)?recent(?:ly|\s+(?P<unit>days|weeks|months|years))?\b", re.I)
_RECENT_DAYS = {None: 92, "days": 14, "weeks": 42, "months": 183, "years": 1096}  # how far back "recent" reaches
_COUNTS = {"two": 2, "three": 3, "six": 6, "few": 3}


@dataclass(frozen=True)
class TimeIntent:
    """Hard limits on publication date, a soft window to favour, and whether the newest reporting wins."""

    since: date | None = None
    until: date | None = None
    window: tuple[date, date] | None = None
    prefer_recent: bool = False

    @property
    def empty(self) -> bool:
        return not (self.since or self.until or self.window or self.prefer_recent)


def _span(match: re.Match[str], today: date) -> tuple[date, date]:
    """First and last day an expression covers; a month without a year is its latest occurrence by `today`."""
    part = (match.group("part") or "").replace("the ", "").replace("beginning", "start")
    if match.group("lone_year"):
        year = int(match.group("lone_year"))
        first, last = date(year, 1, 1), date(year, 12, 31)
        thirds = {"early": (1, 4), "start of": (1, 1), "mid": (5, 8), "late": (9, 12), "end of": (12, 12)}
        if part in thirds:
            low, high = thirds[part]
            first, last = date(year, low, 1), date(year, high, calendar.monthrange(year, high)[1])
        return first, last
    month = _MONTHS[match.group("month").rstrip(".")[:4] if match.group("month").startswith("sept") else match.group("month")[:3]]
    year = int(match.group("year")) if match.group("year") else (today.year if month <= today.month else today.year - 1)
    days = calendar.monthrange(year, month)[1]
    if match.group("day") and 1 <= int(match.group("day")) <= days:
        day = date(year, month, int(match.group("day")))
        return day, day
    splits = {"early": (1, 10), "start of": (1, 7), "mid": (11, 20), "late": (21, days), "end of": (21, days)}
    low, high = splits.get(part, (1, days))
    return date(year, month, low), date(year, month, high)


def _relative(match: re.Match[str], today: date) -> tuple[date, date]:
    unit, which = match.group("unit"), match.group("which")
    count = int(_COUNTS.get(match.group("n") or "", match.group("n") or 1))
    if which == "this":
        starts = {"year": date(today.year, 1, 1), "month": today.replace(day=1), "quarter": date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)}
        return starts.get(unit, today - timedelta(days=7 if unit == "week" else 1)), today
    if which == "last" and count == 1 and unit in {"month", "year"}:
        if unit == "year":
            return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    days = {"day": 1, "week": 7, "month": 31, "quarter": 92, "year": 366}[unit] * count
    return today - timedelta(days=days), today


def _before(text: str) -> list[re.Match[str]]:
    """The "before <date>" limits of a lower-cased text. A date in a clause that opens with a verb of its own ("before
    picking Draper in October 2014", "before awarding Purcell the March 2016 contract") dates the event the question
    is about, which is reported when it happens: it is no limit on the reporting. ("Before the morning of March 3",
    "before spring 2016" and "before Boeing's March 2016 award" still are.)"""
    return [m for m in _BEFORE.finditer(text) if not _EVENT_CLAUSE.match(m.group("between"))]


_EVENT_CLAUSE = re.compile(r"(?!(?:spring|morning|evening|during|something|nothing|anything|everything|ceiling|building)\b)\w+ing\s(?!of\b)")


def parse_time(question: str, today: date) -> TimeIntent:
    """Read the question's time expressions against `today` (the as-of date)."""
    text = " ".join(question.lower().replace("–", "-").split())
    before = _before(text)
    limits = list(_UNTIL.finditer(text)) + before
    until = [_span(m, today)[1] for m in _UNTIL.finditer(text)]
    until += [_span(m, today)[0] - timedelta(days=1) for m in before]
    until = [d for d in until if d < today]  # "through 2055" is a forecast, not a limit on reporting
    since = [d for d in (_span(m, today)[0] for m in _SINCE.finditer(text)) if d <= today]
    for match in _RELATIVE.finditer(text):
        first, last = _relative(match, today)
        since.append(first)
        if last < today:
            until.append(last)
    since += [today - timedelta(days=_RECENT_DAYS[m.group("unit")]) for m in RECENTLY.finditer(text)]
    windows = [_span(m, today) for m in _IN.finditer(text)]
    if until:
        # A question naming a later date as well ("as of early 2024 ... by August 2025") wants reporting up to it.
        mentioned = [
            _span(m, today)[1]
            for m in re.finditer(_WHEN, text)
            if (m.group("year") or m.group("lone_year")) and not any(l.start() <= m.start() < l.end() for l in limits)
        ]
        until = [max(until + mentioned)]
    return TimeIntent(
        since=min(since) if since else None,
        until=until[0] if until else None,
        window=(min(w[0] for w in windows), max(w[1] for w in windows)) if windows and not (since or until) else None,
        prefer_recent=bool(_RECENT.search(text) or RECENTLY.search(text)) or bool(until and not since),
    )


def without_limits(question: str) -> str:
    """The question without its limits on reporting time ("as of early 2024, what ..." -> "what ...").

    Those dates say when the reporting may be from, not what the answer is about: a sentence of that
    reporting may well name another year ("the 2020 baseline")."""
    lower = question.replace("–", "-").lower()
    text = question if len(lower) == len(question) else lower  # the patterns match lower case; keep offsets
    spans = sorted(m.span() for m in [*_UNTIL.finditer(lower), *_before(lower), *_SINCE.finditer(lower)])
    for start, end in reversed(spans):
        text = text[:start] + " " + text[end:]
    return re.sub(r"\s+([?.,;!])", r"\1", " ".join(text.split())).lstrip(" ,;")


# "Before the March 2026 launch from Cape Canaveral, on what date ...": a clause that opens with a limit word, up to its
# comma, dated or not ("Since the award was about $2 billion, ...")
_LEADING_LIMIT = re.compile(rf"^(?:{_UNTIL_WORDS}|{_BEFORE_WORDS}|{_SINCE_WORDS})\b[^,?]*,\s*", re.I)


def without_leading_limit(question: str) -> str:
    """The question without a leading clause that limits time, names and all ("Before the March 2026 launch from
    Cape Canaveral, on what date ..." -> "on what date ..."): that clause says when, not what the question is about.
    `without_limits` removes only the time expressions and keeps the rest of such a clause."""
    return _LEADING_LIMIT.sub("", question)


def merge_filters(filters: Filters | None, intent: TimeIntent) -> Filters:
    """The user's filters narrowed by the question's own date limits (never widened)."""
    filters = filters or Filters()
    since = max((d for d in (filters.since, intent.since) if d), default=None)
    until = min((d for d in (filters.until, intent.until) if d), default=None)
    return Filters(since=since, until=until, source=filters.source, tag=filters.tag, sources=filters.sources)


def stated_dates(text: str, today: date | None) -> list[tuple[int, int, date]]:
    """Dates a sentence states to the month or day ("on May 20, 2025", "in January"), as (start, end, first day).

    A month without a year is its latest occurrence by `today` (the article's date); without `today` it cannot be
    read and is left out. A year alone ("by 2030") is too vague to place an event and is not returned."""
    lower = text.replace("–", "-").lower()
    found = []
    for match in re.finditer(_WHEN, lower):
        if match.group("lone_year") or (not match.group("year") and today is None):
            continue
        if match.group("month") == "may" and not (match.group("day") or match.group("year")):
            continue  # the verb "may"
        try:
            first, _ = _span(match, today or date.max)
        except (ValueError, KeyError):
            continue
        found.append((match.start(), match.end(), first))
    return found


def months_named(text: str) -> set[tuple[int, int]]:
    """The months a text names with their year ("the May 2015 one", "December 2015's", "on Oct. 14, 2014"), as
    (year, month)."""
    months = set()
    for match in re.finditer(_WHEN, text.lower()):
        if match.group("month") and match.group("year"):
            name = match.group("month").rstrip(".")
            months.add((int(match.group("year")), _MONTHS[name[:4] if name.startswith("sept") else name[:3]]))
    return months


# "by March 2016", "through the end of June 2019": a deadline or a span's end, not the month a question dates its event by
DEADLINE = re.compile(r"\b(?:by|through|until|till|before|after|since|from|to)\s+(?:the\s+)?(?:(?:end|start|beginning) of\s+)?[A-Z][a-z]+\.?(?:\s+\d{1,2},?)?\s+(?:19|20)\d\d\b", re.I)


def month_named(text: str) -> tuple[date, date] | None:
    """The month a text names with its year: its first and last day, when the text names exactly one such month
    (None for none, for several, or a year alone)."""
    months = months_named(text)
    if len(months) != 1:
        return None
    year, month = months.pop()
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def month_spans(text: str) -> list[tuple[date, date]]:
    """Every month a text names with its year, each as its first and last day, in time order ("added in September
    2016 ... and in January 2019": two awards, each in the reports of its own month)."""
    return [(date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])) for y, m in sorted(months_named(text))]


def own_month(part: str, parts: list[str]) -> tuple[date, date] | None:
    """The month this part of a question names and no other part does ("the November 2014 one or the May 2015
    one"): the report the part is about. None when the parts share their month ("In the October 2024 approvals,
    which was worth more, the NASAMS or the radars?")."""
    month = month_named(part)
    if month is None or any(month_named(other) == month for other in parts if other != part):
        return None
    return month
