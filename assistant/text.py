"""Small text utilities shared by answering, checking and evaluation: terms, figures, normal forms."""

from __future__ import annotations

import re
from functools import lru_cache

STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as into onto over under about after before
    between during through than then that this these those there here it its it's they them their theirs
    he she his her him we us our you your i me my is are was were be been being am do does did done doing
    have has had having will would shall should can could may might must not no nor so such too very just
    also only own same other some any each every all both few more most many much what which who whom whose
    when where why how whether while again further once up down out off per via vs yet s t don now new
    said says say tell told according report reported reports article articles one two
    """.split()
)
QUESTION_WORDS = frozenset("what which who whom whose when where why how".split())

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12}
_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "hundred": 100, "dozen": 12,
}
_NUMBER_COMPOUND = re.compile(
    r"\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty)[\s-]+(hundred|thousand)\b"
    r"(?![\s-]+(?:hundred|thousand|million|billion|trillion)\b)"
)


def as_sentence(clause: str) -> str:
    """A reason written as a clause ("no passage gives ...") as a sentence to show: capitalised, with a full stop."""
    return clause[:1].upper() + clause[1:] + "." if clause else clause


def normalise(text: str) -> str:
    """Lower-case, plain quotes and dashes, no thousands separators, folded whitespace."""
    text = text.lower()
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "}))
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    return " ".join(text.split())


_TOKEN = re.compile(r"[a-z0-9]+(?:[-./][a-z0-9]+)*")


# Past forms of the irregular verbs news uses most, so that "built" matches "build" and "won" matches "win".
_IRREGULAR = {
    "built": "build", "bought": "buy", "won": "win", "sold": "sell", "flew": "fly", "flown": "fly", "shot": "shoot",
    "paid": "pay", "made": "make", "began": "begin", "begun": "begin", "gave": "give", "given": "give",
    "took": "take", "taken": "take", "chose": "choose", "chosen": "choose", "struck": "strike", "spent": "spend",
    "sent": "send", "held": "hold", "met": "meet", "lost": "lose", "rose": "rise", "risen": "rise", "fell": "fall",
    "fallen": "fall", "grew": "grow", "grown": "grow", "brought": "bring", "fought": "fight", "wrote": "write",
    "written": "write", "drew": "draw", "drawn": "draw", "became": "become", "came": "come", "went": "go",
    "gone": "go", "ran": "run", "kept": "keep", "sought": "seek", "caught": "catch", "found": "find",
    "got": "get", "broke": "break", "broken": "break", "drove": "drive", "driven": "drive", "laid": "lay",
    "knew": "know", "known": "know", "shown": "show", "threw": "throw", "thrown": "throw", "saw": "see",
    "seen": "see", "stood": "stand", "understood": "understand", "led": "lead", "hid": "hide", "hidden": "hide",
}


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    """A light stemmer: enough to match plural and verb forms of news vocabulary ("fired", "firing" and "fire"
    all give "fir"; "won" and "winning" give "win")."""
    if word in _IRREGULAR:
        word = _IRREGULAR[word]
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)] + keep
            if suffix in ("ing", "ed") and len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # "planned", "winning"
            break
    if len(word) > 3 and word.endswith("e") and not word.endswith("ee"):
        word = word[:-1]  # "fire" and "fired", "estimate" and "estimated"
    return word


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(normalise(text))


def terms(text: str) -> list[str]:
    """Content terms (stemmed, stopwords dropped); hyphenated designations also yield their parts."""
    out: list[str] = []
    for token in tokens(text):
        if token in STOPWORDS:
            continue
        out.append(stem(token))
        if "-" in token:
            out.extend(stem(p) for p in token.split("-") if p and p not in STOPWORDS)
    return out


# --- figures: numbers, money, percentages and dates in a canonical form ------------------------

_FIGURE = re.compile(
    r"(?P<cur>[$€£])?\s?(?P<num>\d+(?:\.\d+)?)\s?(?P<scale>thousand|million|billion|trillion|bn|mn|tn|[kmb](?![a-z]))?"
    r"(?P<pct>\s?%|\s?percent|\s?per cent)?",
)
_DATE = re.compile(
    r"\b(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+(?P<day>\d{1,2})\b(?!\s*(?:%|percent|million|billion))"
)


def figures(text: str) -> set[str]:
    """Canonical figures in `text`: '$9.8 billion' and '9.8 billion dollars' both give '9800000000'."""
    norm = normalise(text)
    found: set[str] = set()
    for match in _DATE.finditer(norm):
        found.add(f"date:{_MONTHS[match.group('month')[:3] if match.group('month')[:4] != 'sept' else 'sep']:02d}-{int(match.group('day')):02d}")
    masked = _DATE.sub(" ", norm)
    for match in _FIGURE.finditer(masked):
        start = match.start("num")
        if start > 0 and (masked[start - 1].isalnum() or masked[start - 1] in "-/."):
            continue  # part of a designation such as PAC-3, F-35 or a ratio
        end = match.end("num")
        if end < len(masked) and masked[end : end + 1].isalpha() and not match.group("scale"):
            continue  # 155mm, 3rd, 5th: units and ordinals are names here, not figures
        value = float(match.group("num"))
        if match.group("pct"):
            found.add(f"pct:{_fmt(value)}")
            continue
        scale = match.group("scale")
        if scale:
            value *= _SCALES[scale]
        found.add(_fmt(value))
    return found


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def number_words(text: str) -> set[str]:
    """Figures written as words ("three launches"), for lenient matching."""
    return {_fmt(_NUMBER_WORDS[t]) for t in tokens(text) if t in _NUMBER_WORDS} | number_compounds(text)


def number_compounds(text: str) -> set[str]:
    """Round figures written as two words: "three hundred helmets" gives 300, "two thousand rounds" 2000. Not a part
    of a longer one ("twenty-five hundred", "three hundred thousand"), which it would misread."""
    found = set()
    for match in _NUMBER_COMPOUND.finditer(text.lower()):
        before = text[max(0, match.start() - 20) : match.start()].lower().rstrip()  # the word before it
        if before.endswith("-") or before.split()[-1:] and before.split()[-1] in _NUMBER_WORDS:
            continue
        found.add(_fmt(_NUMBER_WORDS[match.group(1)] * (1000 if match.group(2) == "thousand" else 100)))
    return found
