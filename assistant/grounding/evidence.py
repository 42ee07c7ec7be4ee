"""What a passage can vouch for: its figures, numbers, words, names and acronym expansions; and a claim's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from ..ingest.chunking import split_sentences
from ..schema import Passage
from ..text import STOPWORDS, figures, normalise, number_words, stem, terms, tokens

_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DAY_FIRST = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\b", re.I)
_SURFACE = re.compile(
    rf"\b{_MONTH}\.?\s+\d{{1,2}}\b|[$€£]?\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:thousand|million|billion|trillion|bn|mn|tn|%|percent|per cent)\b|%)?(?:\s(?:dollars|euros|pounds))?",
    re.I,
)
_UNIT_NUMBER = re.compile(r"(?<![\w.,/-])(\d[\d,]*(?:\.\d+)?)(?=[a-z])(?!s\b)")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9&]*(?:[-./][A-Za-z0-9&]+)*")
_EXPANSION = re.compile(r"((?:[A-Z][\w&-]*\s+(?:(?:of|for|and|the|on)\s+)?){1,7})\(([A-Z][A-Za-z0-9&-]{1,11})\)")
_NOT_NAMES = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "however", "additionally", "overall", "also",
    "yes", "no", "according", "passage", "passages", "answer", "article", "articles",
}
# Spellings the corpus uses interchangeably for the same place or body.
_ALIASES = [
    {"us", "u.s", "united states", "america", "american", "americans", "usa", "u.s.a"},
    {"uk", "u.k", "britain", "british", "united kingdom"},
    {"eu", "european union"},
    {"dod", "pentagon", "department of defense", "defense department"},
    {"navy", "naval"},
    {"army"},
]


@dataclass(frozen=True)
class PassageEvidence:
    rank: int
    figures: frozenset[str]
    numbers: frozenset[str]  # every bare number, for quantities written with units ("2,000km")
    terms: frozenset[str]
    words: frozenset[str]  # lower-cased tokens and their hyphen parts
    initials: frozenset[str]  # initials of runs of capitalised words, for acronyms
    expansions: tuple[tuple[str, str], ...]  # (acronym, expansion) pairs written out in the passage
    norm: str
    raw: str
    sentences: tuple[str, ...]
    offset: int  # index of the first sentence in the answer-wide sentence list
    title: str = ""
    plain: str = ""  # lower-case words and numbers joined by single spaces, for glossary phrases


class Glossary:
    """The corpus's own acronym table (learned at ingest), both ways: 'SDA' <-> 'space development agency'. A passage
    that writes one form vouches for a claim that writes the other, even where the passage defines neither."""

    def __init__(self, table: Mapping[str, str]):
        self.long_forms: dict[str, str] = {}
        for acronym, long_form in table.items():
            short, full = plain_words(acronym), plain_words(long_form)
            if short and full and short != full:
                self.long_forms.setdefault(short, full)
        self.acronyms = {full: short for short, full in reversed(list(self.long_forms.items()))}
        self._longest = max((len(full.split()) for full in self.acronyms), default=0)
        self._spans: dict[str, list[tuple[frozenset[str], str]]] = {}

    def long_form(self, word: str) -> str | None:
        """The long form of an acronym as the claim writes it ('SDA', 'SDAs', 'PAC-3 MSE')."""
        short = plain_words(word)
        return self.long_forms.get(short) or (self.long_forms.get(short[:-1]) if short.endswith("s") else None)

    def spelled_out(self, claim: str) -> list[tuple[frozenset[str], str]]:
        """(words of the span, acronym) for every long form the claim writes out; looked up by the claim's own
        spans, so the cost follows the claim's length, not the glossary's."""
        found = self._spans.get(claim)  # shared by concurrent answers: read once, write whole entries
        if found is None:
            if len(self._spans) >= 4096:  # a long-running server checks many claims; keep the memo bounded
                self._spans.clear()
            words = [re.sub(r"['’]s$", "", w) for w in re.findall(r"[a-z0-9&]+(?:['’]s)?", normalise(claim))]
            found = []
            for i in range(len(words)):
                for j in range(i + 1, min(len(words), i + self._longest) + 1):
                    phrase = " ".join(words[i:j])
                    short = self.acronyms.get(phrase)
                    if short is None and phrase.endswith("s"):
                        short = self.acronyms.get(phrase[:-1])  # plural of the long form
                    if short:
                        found.append((frozenset(words[i:j]), short))
            self._spans[claim] = found
        return found

    def vouches(self, ev: "PassageEvidence", word: str, claim: str) -> bool:
        """Does the passage write the other form of an acronym the word is, or belongs to the long form of?"""
        if sum(1 for c in word if c.isupper()) >= 2:
            full = self.long_form(word)
            if full and (_has_plain(ev.plain, full) or (full.endswith("s") and _has_plain(ev.plain, full[:-1]))):
                return True
        parts = plain_words(word).split()
        spans = self.spelled_out(claim)
        return bool(parts) and any(all(p in span for p in parts) and _has_plain(ev.plain, short) for span, short in spans)


def plain_words(text: str) -> str:
    """Lower-case words and numbers only: 'Air-launched Rapid Response' -> 'air launched rapid response'."""
    return " ".join(re.findall(r"[a-z0-9&]+", normalise(text)))


def _has_plain(plain: str, phrase: str) -> bool:
    return f" {phrase} " in f" {plain} "


def month_first(text: str) -> str:
    """'11 December' -> 'December 11', so day-first dates canonicalise like month-first ones."""
    return _DAY_FIRST.sub(lambda m: f"{m.group(2)} {m.group(1)}", text)


def passage_text(p: Passage) -> str:
    """Everything the model was shown for a passage: title, publication date, text."""
    chunk = p.chunk
    date = f"Published {chunk.published.strftime('%B')} {chunk.published.day}, {chunk.published.year}." if chunk.published else ""
    return f"{chunk.title}. {date}\n{chunk.text}"


def build_evidence(passages: Sequence[Passage]) -> dict[int, PassageEvidence]:
    out: dict[int, PassageEvidence] = {}
    offset = 0
    for p in passages:
        sentences = tuple(p.chunk.text[s:e] for s, e in split_sentences(p.chunk.text)) or (p.chunk.text,)
        out[p.rank] = evidence_of(passage_text(p), p.rank, sentences, offset, p.chunk.title)
        offset += len(sentences)
    return out


def evidence_of(text: str, rank: int = 0, sentences: tuple[str, ...] = (), offset: int = 0, title: str = "") -> PassageEvidence:
    text = month_first(text)
    norm = normalise(text)
    return PassageEvidence(
        rank=rank,
        figures=frozenset(figures(text) | number_words(text)),
        numbers=frozenset(re.findall(r"\d+(?:\.\d+)?", norm)),
        terms=frozenset(terms(text)),
        words=frozenset(_words(norm)),
        initials=frozenset(_initials(text)),
        expansions=tuple((a.lower(), normalise(e)) for e, a in _EXPANSION.findall(text)),
        norm=norm,
        raw=text,
        sentences=sentences,
        offset=offset,
        title=title,
        plain=plain_words(text),
    )


def claim_figures(claim: str, question: str = "") -> list[tuple[str, str]]:
    """(canonical, as written) for every figure `figures` finds in a claim, plus number words the question did not use."""
    claim = month_first(claim)
    canon = figures(claim)
    surfaces: dict[str, str] = {}
    for match in _SURFACE.finditer(claim):
        for value in figures(match.group()) & canon:
            surfaces.setdefault(value, match.group().strip().rstrip(",.;:"))
    found = {value: surfaces.get(value, value) for value in sorted(canon)}
    for value in number_words(claim) - number_words(question) - canon:
        found[value] = next((t for t in tokens(claim) if number_words(t) == {value}), value)
    return list(found.items())


def unit_numbers(claim: str) -> list[str]:
    """Numbers glued to a unit ('2,000km', '155mm'), which `figures` treats as names."""
    return [m.group(1) for m in _UNIT_NUMBER.finditer(normalise(claim))]


def common_words(retrieved: Iterable[PassageEvidence]) -> frozenset[str]:
    """Words the passages write in lower case (from the original text): ordinary words, not names."""
    return frozenset(w for ev in retrieved for w in re.findall(r"(?<![A-Za-z])[a-z][a-z-]+", ev.raw))


def missing_names(
    claim: str, cited: Sequence[PassageEvidence], common: frozenset[str], glossary: Glossary | None = None
) -> tuple[str, ...]:
    """Names in the claim (capitalised words, acronyms, designations) that no cited passage contains, allowing the
    corpus glossary's acronym expansions."""
    missing: list[str] = []
    for index, match in enumerate(_WORD.finditer(claim)):
        word = match.group().rstrip(".")
        if not _is_name(word, index == 0 or _after_colon(claim, match.start()), common):
            continue
        if not any(_vouches(ev, word, claim) or (glossary is not None and glossary.vouches(ev, word, claim)) for ev in cited):
            missing.append(word)
    return tuple(dict.fromkeys(missing))


def _is_name(word: str, first: bool, common: set[str]) -> bool:
    low = word.lower()
    if low in STOPWORDS or low in _NOT_NAMES or not word[0].isalpha():
        return False
    if any(c.isdigit() for c in word) and any(c.isupper() for c in word):
        return True  # F-35, PAC-3, B-21
    if len(word) >= 2 and word.replace("-", "").replace(".", "").replace("&", "").isupper():
        return True  # LRHW, NATO, U.S
    if not word[0].isupper():
        return False
    return not first or low not in common


def _vouches(ev: PassageEvidence, word: str, claim: str) -> bool:
    low = word.lower()
    if low.endswith("'s") or low.endswith("’s"):
        low = low[:-2]
    if low in ev.words or stem(low) in ev.terms:
        return True
    for group in _ALIASES:
        if low in group and any(_has_phrase(ev.norm, alias) for alias in group):
            return True
    if len(low) >= 5 and any(w.startswith(low[:-2]) and abs(len(w) - len(low)) <= 3 for w in ev.words if len(w) >= 4):
        return True  # Israel / Israeli, Germany / German
    parts = low.split("-")
    if len(parts) > 1 and all(p[:1].isalpha() and (p in ev.words or stem(p) in ev.terms) for p in parts):
        return True  # Army-Navy for "the Army and Navy" (designations such as F-35 keep their exact spelling)
    letters = re.sub(r"[^a-z]", "", low)
    if word.replace("-", "").isupper() and letters in ev.initials:
        return True  # LRHW written out as Long-Range Hypersonic Weapon
    for acronym, expansion in ev.expansions:
        if low == acronym and expansion in ev.norm:
            return True
        if low in expansion.split() and acronym in ev.words:
            return True
    # Long-Range Hypersonic Weapon in the claim, LRHW in the passage
    return any(word in run and initials in ev.words for run, initials in _runs(claim))


def acronym_terms(claim: str, cited: Sequence[PassageEvidence], glossary: Glossary | None = None) -> set[str]:
    """Claim terms a passage vouches for through an acronym: the claim spells out what the passage abbreviates, or
    abbreviates what the passage spells out (by initials, or by the corpus glossary)."""
    out: set[str] = set()
    for ev in cited:
        if glossary is not None:
            for span, short in glossary.spelled_out(claim):
                if _has_plain(ev.plain, short):
                    out.update(terms(" ".join(span)))
            for word in re.findall(r"\b[A-Z][A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*\b", claim):
                full = glossary.long_form(word)
                if full and _has_plain(ev.plain, full):
                    out.update(terms(word))
        for run, initials in _runs(claim):
            if len(initials) >= 2 and initials in ev.words:
                out.update(terms(run))
        for word in re.findall(r"\b[A-Z][A-Z0-9-]{1,9}\b", claim):
            if re.sub(r"[^a-z]", "", word.lower()) in ev.initials:
                out.update(terms(word))
    return out


def _words(norm: str) -> set[str]:
    out: set[str] = set()
    for token in tokens(norm):
        out.add(token)
        out.update(p for p in re.split(r"[-./]", token) if p)
    return out


# (a run may end at punctuation: "the Department of Defense, within ...")
_RUN = re.compile(r"(?:\b[A-Z][\w&]*(?:-[A-Za-z][\w]*)*(?:['’]s)?(?:\s+(?:of|for|and|the)\s+|\s+|$|(?=[,.;:)]))){2,}")


def _runs(text: str) -> list[tuple[str, str]]:
    """Runs of consecutive capitalised words with their initials."""
    out = []
    for run in _RUN.finditer(text):
        parts = [p for w in run.group().split() if w not in ("of", "for", "and", "the") for p in w.split("-") if p]
        out.append((run.group(), "".join(p[0].lower() for p in parts)))
    return out


def _initials(text: str) -> set[str]:
    """Acronyms a text spells out: runs of capitalised words ('Long-Range Hypersonic Weapon' -> lrhw), and
    three to six consecutive words of any case ('gross domestic product' -> gdp)."""
    found: set[str] = set()
    for _, letters in _runs(text):
        for i in range(len(letters)):
            for j in range(i + 2, len(letters) + 1):
                found.add(letters[i:j])
    for sentence in re.split(r"[.;:!?\n]", text):
        words = [p[0].lower() for w in sentence.split() for p in w.split("-") if p and p[0].isalpha() and p.lower() not in ("of", "and", "the", "for")]
        for i in range(len(words)):
            for j in range(i + 3, min(i + 6, len(words)) + 1):
                found.add("".join(words[i:j]))
    return found


def spelled_out(letters: str, text: str) -> bool:
    """Does `text` write out an acronym with these initials ('dd' in 'Department of Defense'), or, for four letters
    or more, as a list of capitalised words ('smart' in 'Secure, Mobile, Anti-Jam, Reliable, Tactical-Terminal')?"""
    return any(letters in initials for _, initials in _runs(text)) or (len(letters) >= 4 and any(letters in initials for initials in _listed(text)))


# Capitalised words separated by commas, as an acronym's expansion is often written; three at least.
_LISTED = re.compile(r"\b[A-Z][\w&]*(?:-[A-Za-z]\w*)*(?:,?\s+(?:and\s+)?[A-Z][\w&]*(?:-[A-Za-z]\w*)*){2,}")


def _listed(text: str) -> list[str]:
    """The initials of each comma-separated run of capitalised words, a hyphenated word giving one letter ('Anti-Jam')
    or one for each of its parts ('Long-Range')."""
    out = []
    for run in _LISTED.finditer(text):
        words = re.split(r",?\s+(?:and\s+)?", run.group())
        out.append("".join(w[0] for w in words).lower())
        out.append("".join(p[0] for w in words for p in w.split("-") if p).lower())
    return out


def _has_phrase(norm: str, phrase: str) -> bool:
    return re.search(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", norm) is not None


def _after_colon(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return bool(before) and before[-1] in ":;\"'“(-"
