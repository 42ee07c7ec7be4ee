"""What a question asks: the kind of value, its separate parts, the names, series and dates it names.

Pure text analysis of the question (and of a candidate sentence against it); `extractive.py` scores
sentences with these, and nothing here knows about passages or the index."""

from __future__ import annotations

import re
from typing import Iterable

from ..grounding.evidence import spelled_out
from ..text import STOPWORDS, normalise, stem, terms

# What kind of value a question asks for (first match wins).
_TYPE_CUES: list[tuple[str, re.Pattern[str]]] = [
    ("percent", re.compile(r"\b(what|which) (percentage|percent|share|proportion)\b|\bby (what|how much) percent")),
    ("count", re.compile(r"\bhow many\b|\bwhat (?:is the |was the )?number of\b|\bquantity\b|\b(?:vote|head) ?count\b|\btally\b")),
    ("money", re.compile(
        r"\bhow much\b|\bcost\b|\bworth\b|\bvalued?\b|\bprice\b|\bbudget\b|\bspend|\bfunding\b|\bdollars?\b"
        r"|\b(?:pay|pays|paid|paying)\b|(?<!\bin )\b(?:charge|charges|charged)\b(?! with\b)|\bhow (?:big|large)\b.*\b(?:contract|deal|order|award|sale|package)"
    )),
    ("date", re.compile(r"(?:^|[,;:]\s*)when\b|\bwhat (dates?|days?|months?|years?)\b|\bwhich (date|day|month|year)\b|\bin what (year|month)\b|\bon what date\b|\bdeadline\b|\bby when\b|\bwhat (?:is|was|were) the (?:[a-z]+ ){0,2}dates?\b")),
    # A military unit: "which unit", "what squadron" is answered by "the 718th Engineer Company"
    ("unit", re.compile(
        r"\b(?:which|what) (?:[a-z\-]+ )?(?:unit|units|squadron|battalion|brigade|regiment|wing|division)\b"
    )),
    ("org", re.compile(
        r"\bwhich (?:[a-z\-]+ )?(?:company|companies|contractor|contractors|firm|firms|manufacturer|builder|vendor|vendors"
        r"|shipyard|country|countries|nation|agency)\b"
        r"|\bwho (?:builds|built|makes|made|won|received|got)\b|\bwho (?:is|was|are|were) the (?:[a-z]+ )?(?:contractor|builder|maker|manufacturer|supplier|vendor)\b"
    )),
    ("person", re.compile(r"(?:^|[,;:]\s*)who\b|\bwhich (?:official|general|officer|admiral|minister|secretary|person|commander)\b")),
    ("place", re.compile(r"^\s*where\b|,\s*where (?:had|has|have|did|was|were|is|are|will)\b|\b(?:at|from) which (?:base|site|range|port|city|island)\b")),
    ("distance", re.compile(
        r"\bhow far\b|\bwhat(?:'s| is| was)? (?:the )?(?:maximum |max |)range\b|\brange of\b|\bwhat(?:'s| is| was)\b.*\brange\W*$"
    )),
    ("speed", re.compile(r"\bhow fast\b|\bwhat speed\b|\btop speed\b")),
    ("duration", re.compile(r"\bhow long\b(?!-)|\bfor how many (?:days|weeks|months|years)\b")),
    # What a review or inquiry concluded: answered only by a sentence that reports a finding
    ("finding", re.compile(r"\b(?:what|which) (?:[a-z\-]+ )?(?:conclusions?|findings?|verdict|recommendations?)\b")),
    # A designation is a code: "YFQ-44A", "LGM-35A"
    ("designation", re.compile(r"\b(?:what|which) (?:[a-z\-]+ )?designations?\b|\bdesignated (?:as )?what\b")),
    # A named thing: "what aircraft", "what event" is answered by a name the question lacks.
    ("name", re.compile(
        r"\b(?:what|which) (?:[a-z\-]+ )?(?:aircraft|payload|event|conference|rocket|launcher|missile|system|"
        r"satellite|fighter|bomber|drone|weapon|interceptor|operation|programme|program|initiative|province|base|site)\b"
    )),
]
_UNIT = re.compile(
    r"\b(?:\d+(?:st|nd|rd|th)\s+)?(?:[A-Z][\w\-]*\s+){0,4}(?:Company|Battalion|Regiment|Brigade|Squadron|Wing|Division|Group"
    r"|Fleet|Corps|Battery|Detachment|Task Force|Test Force|Flight)\b"
)
_FINDING = re.compile(
    r"\b(?:conclud(?:ed|es)|conclusions?|found that|findings?|determined|recommend(?:ed|s|ations?)|verdict|ruled"
    r"|judged)\b",
    re.I,
)
_MONEY = re.compile(r"[$€£]\s?\d|\d\s?(?:billion|million|trillion|bn)\b|\b\d[\d.]*\s?(?:dollars|euros|pounds|yen)\b")
_PERCENT = re.compile(r"\d\s?(%|percent|per cent)")
_GDP = re.compile(r"\bgdp\b|gross domestic product")
_DATE = re.compile(
    r"\b(19|20)\d\d\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
)
_DISTANCE = re.compile(r"\d\s?(km|kilomet|mile|nautical|nm\b)")
_SPEED = re.compile(r"\bmach\s?\d|\d\s?(km/h|mph|knots)")
_NUMBER_TOKEN = re.compile(r"(?<![\w$€£.,-])(\d[\d,]*(?:\.\d+)?)(?![\w%]|,\d|\.\d)")
COUNT_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
    "eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen|dozens|hundreds|thousands"
)
_DURATION = re.compile(
    rf"\b(?:\d[\d.]*|an?|{COUNT_WORDS}|several|a few)[\s-]+(?:hours?|days?|weeks?|months?|years?|decades?)\b"
)
_COUNT_WORDS = re.compile(rf"\b(?!one\b)({COUNT_WORDS})\b")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_FOCUS = re.compile(
    r"\b(?:what|which|who)\s+(?:is|was|are|were|will be)\s+(?:the\s+)?(?:[a-z]+\s+)?(?P<focus>[a-z]+)\s+(?:of|for|on|in|at|to|per)\b"
)
_GENERIC_FOCUS = {"name", "status", "role", "purpose", "goal", "plan", "aim", "point", "story", "news", "deal", "result", "reason", "difference", "latest", "main", "key", "total", "size", "value", "cost", "number", "amount", "date"}

def answer_type(question: str) -> str | None:
    q = normalise(question)
    for name, pattern in _TYPE_CUES:
        if pattern.search(q):
            return name
    return None


def has_type(kind: str, text: str, question: str = "") -> bool:
    """Does `text` hold a value of the kind the question asks for (a name: one the question lacks)?"""
    if kind == "unit":
        known = set(terms(question))
        return any(not set(terms(u)) <= known for u in _UNIT.findall(text))
    if kind == "finding":
        return bool(_FINDING.search(text))
    if kind == "designation":
        return any(not set(terms(d)) <= set(terms(question)) for d in _CODE.findall(text))
    if kind in ("person", "org", "place", "name"):
        known = set(terms(question))
        if kind == "person":
            return any(not set(terms(surname)) & known for surname in _person_names(text))
        for name in _NAME.findall(text):
            words = [w for w in name.split() if w.lower() not in _NOT_NAMES]
            name_terms = set(terms(" ".join(words)))
            if name_terms and not name_terms & known:
                return True
        return kind == "name" and any(not set(terms(d)) <= known for d in _CODE.findall(text))
    norm = normalise(text)
    if kind == "money":  # defence spending is as often a share of GDP as an amount
        return bool(_MONEY.search(norm) or (_PERCENT.search(norm) and _GDP.search(norm)))
    if kind == "percent":
        return bool(_PERCENT.search(norm))
    if kind == "date":
        return bool(_DATE.search(norm))
    if kind == "distance":
        return bool(_DISTANCE.search(norm))
    if kind == "duration":
        return bool(_DURATION.search(norm))
    if kind == "speed":
        return bool(_SPEED.search(norm))
    return _has_count(text)


def codes_in(text: str) -> list[str]:
    """Designations a text gives: 'YFQ-44A', 'PAC-3', 'KC46'."""
    return _CODE.findall(text)


def _has_count(text: str) -> bool:
    """A quantity: a number that is not a year, a day of a month, an amount of money or a designation."""
    norm = text.lower()  # keep thousands separators: "1,970 missiles" is a count, "1970" a year
    for match in _NUMBER_TOKEN.finditer(norm):
        value = match.group(1).rstrip(",")  # "in 2000, and ..." is a year, not the count "2000,"
        before = norm[max(0, match.start() - 12) : match.start()]
        if _is_designation(text, value):
            continue
        after = norm[match.end() : match.end() + 12]
        if re.fullmatch(r"(19|20)\d\d", value):
            continue
        if any(before.rstrip(" .").endswith(m) or re.search(rf"{m}[a-z]*\.?\s*$", before) for m in _MONTHS):
            continue
        if re.match(r"\s?(billion|million|trillion|bn|percent|%)", after) and "$" in norm[max(0, match.start() - 2) : match.start()]:
            continue
        if re.match(r"\s?(?:percent|per cent|%)", after):
            continue  # a share, not a count
        if re.match(r"\s?(?:a\.m|p\.m|am\b|pm\b|:\d)", after):
            continue  # a time of day: "4 a.m."
        return True
    return bool(_COUNT_WORDS.search(norm))


_NAME = re.compile(r"\b[A-Z][A-Za-z'’\-]+(?:\s+(?:[A-Z][A-Za-z'’\-.]*|of|de|von|al)){0,4}")
# A run of capitalised words (middle initials allowed), in which a person's name ends.
_CAPITALISED_RUN = re.compile(r"\b[A-Z][A-Za-z'’\-]*\.?(?:\s+(?:[A-Z]\.|[A-Z][A-Za-z'’\-]*\.?))*")
_TITLES = {"gen.", "lt.", "adm.", "col.", "maj.", "capt.", "dr.", "mr.", "ms.", "mrs.", "general", "admiral", "director",
           "secretary", "minister", "chancellor", "president", "commander", "colonel", "captain"}
# A designation or code name: "YFQ-44A", "MiG-31K", "NTS-3".
_CODE = re.compile(r"\b[A-Z][A-Za-z]*-\d+[A-Z]?\b|\b[A-Z]{2,}\d+[A-Z]?\b")
MONTH_NAMES = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}
# Capitalised words that are not names of their own: sentence openers, months and days, and the words of titles
# and institutions that would otherwise pass for a person ("The Pentagon", "Space Force", "January").
_NOT_NAMES = {
    "the", "a", "an", "in", "on", "at", "it", "its", "this", "that", "these", "those", "but", "and", "as", "after",
    "before", "under", "when", "while", "with", "for", "from", "by", "of", "to", "his", "her", "their", "our", "we",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
} | MONTH_NAMES
_NOT_PERSON = _NOT_NAMES | {
    "president", "secretary", "minister", "chancellor", "director", "chief", "general", "admiral", "colonel",
    "captain", "deputy", "defense", "defence", "department", "air", "space", "force", "forces", "army", "navy",
    "marine", "corps", "command", "office", "agency", "ministry", "systems", "system", "company", "base", "united",
    "states", "state", "national", "security", "missile", "launch", "alliance", "aerospace", "industries",
    "house", "senate", "congress", "white", "budget", "guard", "pentagon", "prime", "vice", "lockheed", "martin",
    "northrop", "grumman", "boeing", "raytheon", "general", "dynamics", "rocket", "lab", "blue", "origin", "north",
    "south", "east", "west", "new", "project", "operation",
}


def _person_names(text: str) -> list[str]:
    """The surnames of people the text names: 'Space Force General Michael Guetlein' gives 'Guetlein'."""
    found = []
    for run in _CAPITALISED_RUN.findall(text):
        words = run.split()
        titled = False
        while words and (words[0].lower() in _NOT_PERSON or words[0].lower() in _TITLES or words[0].isupper()):
            titled = titled or words[0].lower() in _TITLES
            words.pop(0)
        names = [w for w in words if not re.fullmatch(r"[A-Z]\.", w)]
        if names and names[-1].lower().strip(".") not in _NOT_PERSON and (len(names) >= 2 or titled):
            found.append(names[-1].strip("."))
    return found


_LOWER_LEADS = {"about", "nearly", "some", "around", "almost", "roughly", "over", "more", "than", "only", "just", "all", "at", "least", "up", "to", "the", "and", "with", "of", "in", "by", "for"}


def _is_designation(text: str, number: str) -> bool:
    """'Arrow 3', 'Tranche 1', 'Lot 15', 'CVN 76': a number right after a capitalised name is part of it."""
    for match in re.finditer(rf"([A-Za-z][\w\-]*)\s+{re.escape(number)}(?!\d|[,.]\d)", text):  # not "Lot 2,000"
        word = match.group(1)
        if word[0].isupper() and word.lower() not in _LOWER_LEADS and word.lower() not in STOPWORDS:
            return True
    return False


def counted_terms(question: str) -> set[str]:
    """What a 'how many' question counts: the words between 'how many' and its verb."""
    match = re.search(r"\bhow many\s+((?:[a-z0-9\-]+\s+){0,3}?)(?:did|does|do|has|have|had|were|was|will|is|are|can|could|would|in|on|at|for|from|per)\b", normalise(question))
    return set(terms(match.group(1))) if match else set()


def key_terms(question: str) -> set[str]:
    """Names, designations and figures in the question: an answer must be about them."""
    return set().union(*key_names(question))


def key_names(question: str) -> list[set[str]]:
    """The question's names, each as its terms: 'Stoke Space' is one name, which 'Space Force' does not mention."""
    names: list[set[str]] = []
    joinable = False  # may the next capitalised word continue the current name
    words = re.findall(r"[A-Za-z0-9][A-Za-z0-9'’.\-/]*", joined_acronyms(question))
    for i, word in enumerate(words):
        clean = re.sub(r"['’]s$", "", word.strip(".'’"))
        if not clean:
            joinable = False
            continue
        is_name = clean[0].isupper() and (i > 0 or clean.isupper() or any(ch.isupper() for ch in clean[1:]))
        if not (is_name or any(ch.isdigit() for ch in clean)):
            joinable = False
            continue
        plain_word = is_name and clean.lower() not in MONTH_NAMES and not any(ch.isdigit() for ch in clean)
        if plain_word and joinable and names:
            names[-1].update(terms(clean))
        elif terms(clean):
            names.append(set(terms(clean)))
        joinable = plain_word and clean == word.strip(".'’") and not word.endswith((",", "."))
    return [n for n in names if n]


def joined_acronyms(text: str) -> str:
    """'RDT&E' and 'R&D' as one word each ('RDTE', 'RD'), as the initials of what they stand for."""
    return re.sub(r"\b([A-Z]+)&([A-Z]+)\b", r"\1\2", text)


def acronyms_of(question: str) -> dict[str, str]:
    """The question's acronyms ('DoD', 'SDA') by their term, with the initials they stand for ('dd', 'sda')."""
    found = {}
    for word in re.findall(r"\b[A-Z][A-Za-z]*[A-Z]s?\b", joined_acronyms(question)):
        letters = "".join(ch for ch in word.rstrip("s") if ch.isupper()).lower()
        for term in terms(word):
            found[term] = letters
    return found


def unmentioned_names(question: str, known: set[str], texts: Iterable[str]) -> list[str]:
    """Names in the question that none of `texts` mentions (`known`: their terms; an acronym counts when
    spelled out): 'How many votes did the Bundesrat cast?' over articles that only name the Bundestag."""
    texts = list(texts)
    acronyms = acronyms_of(question)
    missing = []
    outside = re.sub(r"\([^)]*\)", " ", joined_acronyms(question))  # "(SRF-West)": the question's own gloss of a name
    for word in re.findall(r"[A-Za-z][A-Za-z0-9'’\-/]*", outside)[1:]:  # "F/A-XX" is one name
        name = re.sub(r"['’]s$", "", word)
        if not name[0].isupper() or len(name) < 2 or any(ch.isdigit() for ch in name):
            continue  # designations and figures ('NROL-146', 'FY2027') are checked as figures elsewhere
        lowered = name.lower()
        if lowered in MONTH_NAMES or _METONYMS.get(lowered, "") in known:
            continue
        name_terms = set(terms(name))
        parts = {stem(p) for p in re.split(r"[-/]", lowered) if p}
        if not name_terms or name_terms <= known or parts <= known:
            continue
        letters = next((acronyms[t] for t in name_terms if t in acronyms), None)
        if letters and any(spelled_out(letters, text) or spelled_in_lower_case(letters, text) for text in texts):
            continue
        missing.append(name)
    return missing


def spelled_in_lower_case(letters: str, text: str) -> bool:
    """'idiq' in 'indefinite-delivery, indefinite-quantity': long acronyms only, short ones match by chance."""
    if len(letters) < 4:
        return False
    words = [w for w in re.findall(r"[a-z]+", text.lower()) if w not in _MINOR_WORDS]
    return letters in "".join(w[0] for w in words) and any(
        "".join(w[0] for w in words[i : i + len(letters)]) == letters for i in range(len(words) - len(letters) + 1)
    )


_MINOR_WORDS = {"of", "and", "the", "for", "to", "in", "on", "a", "an", "at", "by", "with"}
# Another name for a country or its government, as news writes it ("Tokyo's decision", "the UK").
_METONYMS = {
    "uk": "britain", "britain": "uk", "america": "us", "usa": "us",
    "washington": "us", "tokyo": "japan", "beijing": "china", "moscow": "russia", "kyiv": "ukraine", "kiev": "ukraine",
    "london": "britain", "paris": "france", "berlin": "germany", "canberra": "australia", "seoul": "korea",
    "taipei": "taiwan", "tehran": "iran", "jerusalem": "israel", "manila": "philippines", "brussels": "nato",
}


_SPLIT = re.compile(
    r"(?:,\s*|;\s*|\s+)(?:and|but)\s+(?=(?:(?:at|in|on|for|by|from|with|to|of) )?(?:what|which|who|whom|how|when|where|why|did|does|do|is|was|were|has|have)\b|(?:its|their) \w+\W*$)"
    # a premise, then the question about it: "The order demanded X; what did CBO estimate ...?"
    r"|[;:]\s+(?=(?:(?:at|in|on|for|by|from|with|to|of) )?(?:what|which|who|whom|how|when|where)\b)",
    re.I,
)
_WHICH_FIRST = re.compile(
    r"^(?:which|what) (?:came|happened|was|occurred) (?:first|earlier|sooner)[,:]?\s+(?P<a>.+?),? or (?P<b>.+?)(?:,|\?|$)", re.I
)
# "... did SpaceX get compared with Blue Origin": the same question about the other name.
_VERSUS = re.compile(r"^(?P<left>.+?)\s+(?:compared (?:with|to)|versus|vs\.?|as against)\s+(?P<right>[^,]+)$", re.I)
# "Compare the FY2024 and FY2025 RDT&E requests": the same thing for each of two names.
_COMPARE = re.compile(r"^(?:compare|contrast)\s+(?:the\s+)?(?P<a>\S+)\s+(?:and|with|to)\s+(?:the\s+)?(?P<b>\S+)\s+(?P<rest>.+)$", re.I)
# "prime on both the B-21 and Sentinel: when was each contract won": one question for each.
# "Tranche 0 and Tranche 1", "Lot 15 and 16": two members of one series
_SERIES_PAIR = re.compile(r"\b(?P<w>[A-Z][a-z]+) (?P<a>\d+[A-Z]?) and (?:(?P=w) )?(?P<b>\d+[A-Z]?)\b(?![,.]?\d)")
# "The chancellor who broke ground at Rheinmetall's plant had earlier created a fund of what size?": first which
# chancellor that is, then the question about them.
_DESCRIBED = re.compile(
    r"^the (?P<noun>[a-z\-]+(?: [a-z\-]+){0,4}?) (?P<rel>who|whose|that) (?P<clause>.+?)"
    r"(?:[:;]\s*(?P<ask>.+)|\s(?P<main>(?:had|has|have|was|is|were|are|will|would|later|also|earlier|then)\b.+))$",
    re.I,
)
# "Which was larger: A or B", "Which job removes more material, A or B": the same thing asked of each
_WHICH_OR = re.compile(r"^which (?P<head>[^:,]+)[:,]\s*(?P<a>.+?),? or (?P<b>[^,]+?)(?P<tail>,.*)?$", re.I)
# "How does A compare in value with B": the value of each (an amount; "in size" is read as a whole)
_HOW_COMPARE = re.compile(
    r"^how (?:does|do|did|would) (?P<a>.+?) compare (?:in (?P<dim>\w+) )?(?:with|to|against) (?P<b>.+?)"
    r"(?: in (?P<dim2>[a-z]+))?$",
    re.I,
)
_BOTH = re.compile(r"\bboth (?:the )?(?P<a>[A-Z][\w\-]*(?: [A-Z][\w\-]*)?) and (?:the )?(?P<b>[A-Z][\w\-]*(?: [A-Z][\w\-]*)?)")
# "How much did X change between the January 2024 notice and the July 2024 certification": X at each.
_BETWEEN = re.compile(
    r"^(?P<head>.*\b(?:chang|differ|grow|grew|rise|rose|fell|fall|increas|decreas)\w*\b.*?)\s+between\s+(?P<a>.+?)\s+and\s+(?P<b>.+)$",
    re.I,
)
# "by end-2025", "in fiscal 2024": when a question asks about
_LIMIT = re.compile(
    r",?\s+(?:by|in|before|after|until|for|as of)\s+(?:the\s+)?(?:(?:end|start|early|mid|late)[- ](?:of\s+)?)?"
    r"(?:fiscal\s+|fy\s?)?(?:19|20)\d\d\b",
    re.I,
)
_DATED = re.compile(r"\b(?:19|20)\d\d\b|\b[A-Z]")  # a year or a name: two things, not a span of numbers
_CAPITALISED = re.compile(r"\b[A-Z][\w\-]*(?:\s+[A-Z0-9][\w\-]*)*")
RECENT = re.compile(r"\b(latest|most recent|newest|current(?:ly)?|now|as of today|so far|to date)\b")




YEAR = re.compile(r"\b(?:19|20)\d\d\b")
DAY = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b", re.I)
PLANNED = re.compile(r"\b(?:plan|planned|expect|expected|original|originally|intend|intended|schedul\w*|target|due|would|forecast|projected)\b")
_SUPERSEDED = re.compile(r"\b(?:previous|prior|former|earlier|old|original|initial)\s+([a-z][a-z\-]+)")
_DESIGNATION = re.compile(r"\b([A-Z][A-Za-z\-]+)\s+(\d+[A-Z]?)\b(?![,.]\d)")


def superseded(text: str) -> set[str]:
    """Terms the sentence marks as superseded: 'the previous record' gives {'record'}."""
    return {stem(m.group(1)) for m in _SUPERSEDED.finditer(normalise(text))}


def designations(question: str) -> dict[str, set[str]]:
    """Designations the question names, by their word: 'Tranche 1' gives {'tranche': {'1'}}."""
    found: dict[str, set[str]] = {}
    for match in _DESIGNATION.finditer(question):
        word, number = match.group(1), match.group(2)
        if _is_designation(question, number) and not re.fullmatch(r"(19|20)\d\d", number):
            found.setdefault(word.lower(), set()).add(number.lower())
    return found


def other_designation(asked: dict[str, set[str]], text: str) -> bool:
    """The sentence names another member of an asked series ('Tranche 0') and not the one asked ('Tranche 1')."""
    if not asked:
        return False
    named: dict[str, set[str]] = {}
    for match in _DESIGNATION.finditer(text):
        named.setdefault(match.group(1).lower(), set()).add(match.group(2).lower())
    return any(word in named and not named[word] & numbers for word, numbers in asked.items())


def sibling_heads(question: str) -> dict[str, set[str]]:
    """The question's two-word-or-longer names by their last word: 'Tracking Layer' gives {'layer': {'tracking'}}."""
    found: dict[str, set[str]] = {}
    for run in _CAPITALISED_RUN.findall(question):
        words = [w.lower().rstrip(".") for w in run.split() if w.lower() not in _MINOR_WORDS]
        if len(words) >= 2 and words[0] not in _QUESTION_OPENERS:
            found.setdefault(words[-1], set()).add(" ".join(words))
    return found


def other_sibling(asked: dict[str, set[str]], text: str) -> bool:
    """The sentence names another thing of the same kind as an asked name ('Transport Layer' for 'Tracking Layer',
    'Iron Dome' for 'Golden Dome') and not the asked one, in full or by its initials."""
    if not asked:
        return False
    lowered = " ".join(text.lower().split())
    named: dict[str, set[str]] = {}
    for run in _CAPITALISED_RUN.findall(text):
        words = [w.lower().rstrip(".") for w in run.split() if w.lower() not in _MINOR_WORDS]
        if len(words) >= 2:
            named.setdefault(words[-1], set()).add(" ".join(words[-2:]))
    for head, names in asked.items():
        if head not in named:
            continue
        said = any(name in lowered or _initials_of(name) in text.lower().split() for name in names)
        if not said and not any(name.endswith(other) for name in names for other in named[head]):
            return True
    return False


def _initials_of(name: str) -> str:
    return "".join(w[0] for w in name.split() if w not in _MINOR_WORDS)


_QUESTION_OPENERS = {"how", "what", "which", "who", "when", "where", "why", "did", "does", "is", "was", "are", "were"}


def months(text: str) -> set[str]:
    """Month names used as dates ('April 2024', 'Oct. 1'); 'may' only when a number follows."""
    found = set()
    for match in re.finditer(r"\b(january|february|march|april|june|july|august|september|october|november|december|jan\.|feb\.|aug\.|sept?\.|oct\.|nov\.|dec\.|may(?=\s+\d))", text.lower()):
        found.add(match.group(1)[:3])
    return found


def split_question(question: str) -> list[str]:
    """The separate things a question asks: 'How many X ... and how many Y ...?' gives two parts."""
    norm = question.strip().rstrip("?.")
    questions = [q for q in re.split(r"\?\s+", norm) if q.strip()]
    if len(questions) > 1:  # several questions in one ("What did SDA launch ...? Who built them?")
        return [part for q in questions for part in (split_question(q) or [q.strip()])]
    described = _DESCRIBED.match(norm)
    if described and not re.search(r"[.?!]\s", norm):
        noun, clause = described.group("noun"), described.group("clause")
        which = f"Which {noun}'s {clause}" if described.group("rel").lower() == "whose" else f"Which {noun} {clause}"
        ask = described.group("ask") or f"they {described.group('main')}"  # "they": refers to the first part's answer
        return [which, *(split_question(ask) or [ask])]
    how = _HOW_COMPARE.match(norm)
    if how and (how.group("dim") or how.group("dim2")) in ("value", "cost", "price", "worth"):
        dim = how.group("dim") or how.group("dim2")
        return [f"{how.group('a')} {dim}", f"{how.group('b')} {dim}"]
    order = _WHICH_FIRST.match(norm)
    if order:  # "which came first, A or B": when was each
        return [f"When was {order.group('a')}", f"When was {order.group('b')}"]
    alternatives = _WHICH_OR.match(norm)
    if alternatives:
        head, tail = alternatives.group("head"), alternatives.group("tail") or ""
        return [f"{head}: {alternatives.group(n)}{tail}" for n in ("a", "b")]
    compare = _COMPARE.match(norm)
    if compare:
        rest = compare.group("rest")
        return [f"What was the {compare.group('a')} {rest}", f"What was the {compare.group('b')} {rest}"]
    both = _BOTH.search(norm)
    if both and re.search(r"\beach\b", norm):
        asked = re.split(r"[;:]\s*", norm)[-1]
        return [re.sub(r"\beach\b", f"the {both.group(n)}", asked, count=1) for n in ("a", "b")]
    between = _BETWEEN.match(norm)
    if between and _DATED.search(between.group("a")) and _DATED.search(between.group("b")):
        head = between.group("head")
        return [f"{head} at {between.group('a')}", f"{head} at {between.group('b')}"]
    versus = _VERSUS.match(norm)
    if versus:
        left, right = versus.group("left").rstrip(" ,"), versus.group("right").strip()
        names = _CAPITALISED.findall(left)[1:] if left[:1].isupper() else _CAPITALISED.findall(left)
        if not _CAPITALISED.search(right) and _LIMIT.search(left):
            # "... by end-2025, versus the pre-war rate": the same thing at another time
            return [left, f"{_LIMIT.sub('', left).rstrip(' ,')}, {right}"]
        if names:  # the last name the question gives is the one compared
            last = names[-1]
            at = left.rindex(last)
            return [left, left[:at] + right + left[at + len(last) :]]
    asking = re.split(r"(?<=[.!])\s+", norm)[-1]
    pair = _SERIES_PAIR.search(asking)
    if pair:  # "its Tranche 0 and Tranche 1 Transport Layer deals": each member of the series on its own
        word = pair.group("w")
        return [asking[: pair.start()] + f"{word} {pair.group(n)}" + asking[pair.end() :] for n in ("a", "b")]
    parts = [p.strip(" ,") for p in _SPLIT.split(norm) if p.strip(" ,")]
    if len(parts) == 1 and " or " in norm:
        left, right = norm.rsplit(" or ", 1)
        words = right.split()
        if 0 < len(words) <= 6 and len(left.split()) > len(words):
            parts = [left, " ".join(left.split()[: -len(words)] + words)]
    return parts if len(parts) > 1 else []


def focus_term(question: str) -> str | None:
    match = _FOCUS.search(normalise(question))
    if not match:
        return None
    word = match.group("focus")
    if word in _GENERIC_FOCUS or len(word) < 4:
        return None
    return stem(word)

