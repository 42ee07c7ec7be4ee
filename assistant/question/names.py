"""The names a question (or a sentence) gives: people, designations, acronyms, members of a series and of a family
of names ('Tranche 1', 'Tracking Layer'), and which of them no indexed article mentions."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from ..grounding.evidence import spelled_out
from ..text import STOPWORDS, stem, terms

NAME = re.compile(r"\b[A-Z][A-Za-z'’\-]+(?:\s+(?:[A-Z][A-Za-z'’\-.]*|of|de|von|al)){0,4}")
# A run of capitalised words (middle initials allowed), in which a person's name ends.
_CAPITALISED_RUN = re.compile(r"\b[A-Z][A-Za-z'’\-]*\.?(?:\s+(?:[A-Z]\.|[A-Z][A-Za-z'’\-]*\.?))*")
_TITLES = {"gen.", "lt.", "adm.", "col.", "maj.", "capt.", "dr.", "mr.", "ms.", "mrs.", "general", "admiral", "director",
           "secretary", "minister", "chancellor", "president", "commander", "colonel", "captain"}

# A designation or code name: "YFQ-44A", "MiG-31K", "NTS-3".
CODE = re.compile(r"\b[A-Z][A-Za-z]*-\d+[A-Z]?\b|\b[A-Z]{2,}\d+[A-Z]?\b")

MONTH_NAMES = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}
MONTH_TERMS = MONTH_NAMES | set(terms(" ".join(MONTH_NAMES)))  # as key_names and terms() write them: "june" is "jun"

# Capitalised words that are not names of their own: sentence openers, months and days, and the words of titles
# and institutions that would otherwise pass for a person ("The Pentagon", "Space Force", "January").
NOT_NAMES = {
    "the", "a", "an", "in", "on", "at", "it", "its", "this", "that", "these", "those", "but", "and", "as", "after",
    "before", "under", "when", "while", "with", "for", "from", "by", "of", "to", "his", "her", "their", "our", "we",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
} | MONTH_NAMES

_NOT_PERSON = NOT_NAMES | {
    "president", "secretary", "minister", "chancellor", "director", "chief", "general", "admiral", "colonel",
    "captain", "deputy", "defense", "defence", "department", "air", "space", "force", "forces", "army", "navy",
    "marine", "corps", "command", "office", "agency", "ministry", "systems", "system", "company", "base", "united",
    "states", "state", "national", "security", "missile", "launch", "alliance", "aerospace", "industries",
    "house", "senate", "congress", "white", "budget", "guard", "pentagon", "prime", "vice", "lockheed", "martin",
    "northrop", "grumman", "boeing", "raytheon", "general", "dynamics", "rocket", "lab", "blue", "origin", "north",
    "south", "east", "west", "new", "project", "operation",
}


# A town written with its state ("Patuxent River, Maryland", "Fort Worth, Texas"), as releases write places
_US_STATES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|"
    "Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|"
    "Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|"
    "Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|"
    "West Virginia|Wisconsin|Wyoming|District of Columbia"
)
_WITH_STATE = re.compile(rf",\s+(?:{_US_STATES})\b")
_CORPORATE_END = {"corp", "corporation", "inc", "incorporated", "co", "company", "ltd", "llc", "lp", "plc"}  # a suffix, not a surname
_GENERATION = re.compile(r"(?:[IVX]{1,4}|Jr|Sr)\.?,?")  # "King Charles III", "John Smith Jr.": the name is before it


def person_names(text: str) -> list[str]:
    """The surnames of people the text names: 'Space Force General Michael Guetlein' gives 'Guetlein'. A town given with
    its state ('Patuxent River, Maryland') and a name that ends in an acronym or a company's suffix ('Bell Boeing JPO',
    'Sikorsky Aircraft Corp.') are not people."""
    found = []
    for match in _CAPITALISED_RUN.finditer(text):
        words = match.group(0).split()
        while len(words) > 1 and _GENERATION.fullmatch(words[-1]):
            words.pop()
        last = words[-1].strip(".")
        if _WITH_STATE.match(text, match.end()) or last.isupper() or last.lower() in _CORPORATE_END:
            continue
        titled = False
        while words and (words[0].lower() in _NOT_PERSON or words[0].lower() in _TITLES or words[0].isupper()):
            titled = titled or words[0].lower() in _TITLES
            words.pop(0)
        names = [w for w in words if not re.fullmatch(r"[A-Z]\.", w)]
        if names and names[-1].lower().strip(".") not in _NOT_PERSON and (len(names) >= 2 or titled):
            found.append(names[-1].strip("."))
    return found


_LOWER_LEADS = {"about", "nearly", "some", "around", "almost", "roughly", "over", "more", "than", "only", "just", "all", "at", "least", "up", "to", "the", "and", "with", "of", "in", "by", "for"}


def is_designation(text: str, number: str) -> bool:
    """'Arrow 3', 'Tranche 1', 'Lot 15', 'CVN 76': a number right after a capitalised name is part of it."""
    for match in re.finditer(rf"([A-Za-z][\w\-]*)\s+{re.escape(number)}(?!\d|[,.]\d)", text):  # not "Lot 2,000"
        word = match.group(1)
        if word[0].isupper() and word.lower() not in _LOWER_LEADS and word.lower() not in STOPWORDS:
            return True
    return False


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
    words = re.findall(r"[A-Za-z0-9][A-Za-z0-9'’\-/]*", outside)
    for i, word in enumerate(words):
        name = re.sub(r"['’]s$", "", word)
        if i == 0 or not name[0].isupper() or len(name) < 2 or any(ch.isdigit() for ch in name):
            continue  # designations and figures ('NROL-146', 'FY2027') are checked as figures elsewhere
        lowered = name.lower()
        if lowered in MONTH_NAMES or _METONYMS.get(lowered, "") in known:
            continue
        if _demonym_of_known(lowered, known) or _names_a_known_designation(words, i, known):
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


def _demonym_of_known(word: str, known: set[str]) -> bool:
    """'Japanese' of articles that name Japan, 'Norwegian' of Norway: a people's adjective begins as its country's
    name does (first four letters)."""
    if len(word) < 5:
        return False
    return any(t.startswith(word[:4]) for country in _country_names() for t in terms(country) if len(t) >= 4 and t in known)


def _names_a_known_designation(words: list[str], i: int, known: set[str]) -> bool:
    """'Chinook' in 'CH-47F Chinook helicopters': a name written beside a designation the articles give is that
    designation's popular name, which a release may leave out."""
    beside = [words[j] for j in (i - 1, i + 1) if 0 <= j < len(words)]
    return any(any(ch.isdigit() for ch in w) and any(ch.isalpha() for ch in w) and set(terms(w)) and set(terms(w)) <= known for w in beside)


def demonym_country(word: str) -> str | None:
    """The country a people's adjective is of: the country whose name shares the longest beginning with it, five
    letters or more or the whole name ("Japanese": Japan, "Peruvian": Peru, "Austrian": Austria, not Australia,
    "Nigerian": Nigeria, not Niger). None for a word no country's name begins like, or two equally."""
    lowered = word.lower()
    if " " in lowered or len(lowered) < 5:
        return None
    best: list[str] = []
    longest = 3
    for country in _country_names():
        name = country.lower()
        shared = next((i for i, (a, b) in enumerate(zip(lowered, name)) if a != b), min(len(lowered), len(name)))
        if shared < 5 and shared != len(name):
            continue  # "Peruvian" of "Peru" (the whole name) and "Chilean" of "Chile" count; "Norwegian" of "Norw-" not
        if shared > longest:
            best, longest = [country], shared
        elif shared == longest and best:
            best.append(country)
    return best[0] if len({country_code(c) for c in best}) == 1 else None


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

_DESIGNATION = re.compile(r"\b([A-Z][A-Za-z\-]+)\s+(\d+[A-Z]?)\b(?![,.]\d)")


def designations(question: str) -> dict[str, set[str]]:
    """Designations the question names, by their word: 'Tranche 1' gives {'tranche': {'1'}}."""
    found: dict[str, set[str]] = {}
    for match in _DESIGNATION.finditer(question):
        word, number = match.group(1), match.group(2)
        if is_designation(question, number) and not re.fullmatch(r"(19|20)\d\d", number):
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


# English short forms that ISO 3166 (pycountry) writes otherwise ("Russian Federation", "Türkiye") or not at all
_COUNTRY_SHORT_FORMS = (
    "Russia", "Turkey", "Holland", "Brunei", "Ivory Coast", "Macedonia", "Korea", "Micronesia", "Palestine",
    "Great Britain", "Britain", "U.K.", "UK", "Czechia", "Burma", "East Timor", "Cape Verde", "Swaziland",
)


@lru_cache(maxsize=1)
def _country_names() -> tuple[str, ...]:
    import pycountry

    names = set(_COUNTRY_SHORT_FORMS)
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value and "," not in value:  # "Iran, Islamic Republic of" is a catalogue form, never a news one
                names.add(value)
    return tuple(sorted(names, key=len, reverse=True))


@lru_cache(maxsize=1)
def _country_pattern() -> re.Pattern[str]:
    alternatives = "|".join(re.escape(n) for n in _country_names())
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w])")


# The short forms' countries, by their ISO codes (the rest are found by pycountry under the name written)
_SHORT_FORM_CODES = {
    "Russia": "RU", "Turkey": "TR", "Holland": "NL", "Brunei": "BN", "Ivory Coast": "CI", "Macedonia": "MK", "Korea": "KR",
    "South Korea": "KR", "North Korea": "KP", "Micronesia": "FM", "Palestine": "PS", "Great Britain": "GB", "Britain": "GB",
    "U.K.": "GB", "UK": "GB", "Czechia": "CZ", "Burma": "MM", "East Timor": "TL", "Cape Verde": "CV", "Swaziland": "SZ",
    "U.S.": "US", "US": "US", "USA": "US", "America": "US", "Republic of Korea": "KR",
}


@lru_cache(maxsize=512)
def country_code(name: str) -> str:
    """One key for every way of writing a country: 'UK', 'Britain' and 'United Kingdom' all give 'GB'; a name
    pycountry does not know gives itself, lower-cased."""
    import pycountry

    if name in _SHORT_FORM_CODES:
        return _SHORT_FORM_CODES[name]
    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        return name.lower()


def countries_in(text: str) -> list[str]:
    """The countries a text names, as it writes them ("Poland", "Saudi Arabia", "Holland")."""
    return _country_pattern().findall(text)


def foreign_countries(text: str) -> set[str]:
    """The countries other than the United States that a text names, each by its `country_code`."""
    return {country_code(c) for c in countries_in(text)} - {"US"}
