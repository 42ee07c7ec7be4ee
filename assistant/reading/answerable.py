"""Whether a sentence can answer a question: pure text checks of a sentence against what the question asks.

The value it must give and about what (`predicate`, `says`), the names it must be about (`key_coverage`),
a value the sentence says was withheld (`withheld`), text addressed to an AI reader (`INSTRUCTION`), and the
names a part of a question refers back to (`names_in`). `extractive.py` scores with these; nothing here knows
about passages, vectors or the index."""

from __future__ import annotations

import re

from ..grounding.evidence import spelled_out
from ..question.analysis import answer_type, codes_in, references
from ..question.names import MONTH_NAMES, countries_in, key_names, spelled_in_lower_case
from ..text import STOPWORDS, figures, normalise, terms, tokens

# What each kind of asked value is called in an abstention's reason.
KINDS = {
    "percent": "a percentage", "count": "a count", "money": "an amount", "date": "a date", "person": "a person's name",
    "org": "an organisation's name", "place": "a place", "name": "a name", "distance": "a distance", "speed": "a speed",
    "duration": "a length of time", "designation": "a designation", "unit": "a unit's name",
    "finding": "a finding", "country": "a country", "reference": "a contract or modification number",
}
_NAME_RUN = re.compile(r"\b[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)*")  # "United Launch Alliance"
CODE = re.compile(r"(?!fy|mid|early|late)[a-z]+-(?!(?:19|20)\d\d$)\d+[a-z]?")  # "pac-3", not "mid-2024"


def name_coverage(keys: list[set[str]], acronyms: dict[str, str], article_terms: set[str], article_text: str) -> float:
    """Share of the question's names an article mentions (all of a name's words), an acronym counting when the
    article spells it out."""
    if not keys:
        return 1.0
    def known(term: str) -> bool:
        if term in article_terms or fiscal_years(term) & article_terms:  # "FY25": an article naming 2025
            return True
        letters = acronyms.get(term)  # written out: "Space Development Agency", "research, development, test and evaluation"
        return bool(letters) and (spelled_out(letters, article_text) or spelled_in_lower_case(letters, article_text))
    return sum(all(known(t) for t in name) for name in keys) / len(keys)


_WITHHELD = re.compile(
    r"\b(?:has|have|had|did|does|do|was|were|is|are) not (?:yet )?(?:been )?(?:disclosed|said|announced|released|published|"
    r"revealed|made public|specified|given)\b|\bdeclined to (?:say|disclose|give|specify)\b|\bundisclosed\b"
    r"|\b(?:did|does|do|would|could|will) not (?:say|disclose|give|reveal|specify|announce|release|confirm)\b"
    r"|\b[Nn]o (?:[\w-]+ ){0,3}(?:dates?|information|values?|amounts?|figures?|details?)\b[^.]{0,40}\b(?:is|are|was|were|has been|have been|will be) "
    r"(?:provided|given|disclosed|released|available|announced)\b"
)


# How a sentence names the kind of value it withholds: "the contract values", "how many aircraft", "when".
_WITHHELD_KINDS = {
    "money": re.compile(r"\b(?:values?|cost|costs|price|worth|amounts?|sums?|terms)\b", re.I),
    "count": re.compile(r"\bhow many\b|\bnumbers?\b|\bquantit(?:y|ies)\b", re.I),
    "date": re.compile(r"\bwhen\b|\bdates?\b|\btiming\b|\bschedule\b", re.I),
    "percent": re.compile(r"\bshare\b|\bpercent(?:age)?\b", re.I),
}


def withheld_clause(question: str, sentence: str) -> str:
    """The clause of `sentence` saying that what the question asks for was not made public ('' if none): only for a
    question that asks for a value, and only when the clause names what the question asks about."""
    kind = _WITHHELD_KINDS.get(answer_type(question) or "")
    match = _WITHHELD.search(sentence)
    if not kind or not match:
        return ""
    clause = re.split(r"[,;.](?:\s|$)", sentence[match.start() :])[0]
    if not kind.search(clause):
        return ""  # it withholds something, but not a value of the kind asked
    asked = set(terms(question)) - {"much", "many", "cost", "worth", "value", "date", "when"}
    # what it withholds is named in the clause or is the sentence's subject ("The agency, which operates spy
    # satellites, did not say how many spacecraft were on board")
    return sentence[: match.start()] + clause if asked & set(terms(sentence[: match.start()] + clause)) else ""


INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget) (?:all |any |the )?(?:previous|prior|above|earlier) (?:instructions|prompts?)\b"
    r"|\b(?:AI|language model|chatbot) (?:assistants?|models?|readers?|summari[sz]ers?)\b|\btell the (?:reader|user)\b",
    re.I,
)
ASKS_ABOUT_INSTRUCTIONS = re.compile(r"\binstructions?\b|\bprompt\b|\bAI\b|\bassistants?\b|\bsummari[sz]ers?\b", re.I)
REFERS = re.compile(
    r"\b(?:it|its|they|their|them|that|those|these|this|he|she|his|her|him|the company|the firm)\b", re.I
)


def names_in(sentence: str, question: str) -> list[set[str]]:
    """Names in the sentence that the question does not give, each as its terms, with the initials of a long one
    ('United Launch Alliance' also as 'ula')."""
    known = set(terms(question))
    names = []
    for run in _NAME_RUN.findall(sentence):
        words = [w for w in run.split() if w.lower() not in STOPWORDS]
        name = set(terms(" ".join(words)))
        if not name or name <= known or all(w.lower() in MONTH_NAMES for w in words):
            continue
        names.append(name)
        if len(words) >= 3:
            names.append({"".join(w[0] for w in words).lower()})
    return names




def premise_subject(question: str) -> list[set[str]]:
    """The name a statement before the question opens with, as its terms, and its first word as news shortens it
    ("York's share"): what 'its' in the question refers to ("York Space Systems' satellites opened ... . What were
    its deals worth?"). Empty when there is no such statement."""
    sentences = re.split(r"(?<=[.!])\s+", question.strip())
    if len(sentences) < 2:
        return []
    run = _NAME_RUN.match(sentences[0])
    words = [re.sub(r"['’]s$", "", w) for w in run.group().split() if w.lower() not in STOPWORDS] if run else []
    if not words or words[0].lower() in {"the", "a", "an", "one", "i", "we", "after", "since", "when", "if"}:
        return []
    whole, first = set(terms(" ".join(words))), set(terms(words[0]))
    return [whole, first] if len(words) > 1 and first else [whole]


# Words that say what kind of value is asked, not what about: "how much money", "what is the total value".
_QUESTION_WORDS = {"many", "much", "how", "when", "what", "which", "who", "where", "whom", "cost", "costs", "worth", "value",
                   "number", "total", "amount", "date", "year", "month", "day", "new", "first", "latest", "current", "now",
                   "money", "funding", "funds", "dollars", "size", "figure", "percent", "percentage", "share", "did", "does",
                   "firm", "firms", "company", "companies", "contractor", "contractors", "country", "countries", "person",
                   "people", "official", "officials", "actually", "exactly", "really", "still", "itself", "themselves",
                   "himself", "herself"}


# Light verbs, particles and prepositions: news says "received", "serving as", "includes" where a question says
# "got", "holding", "set aside"; they tell nothing of what is asked.
_LIGHT = {
    "get", "gets", "got", "getting", "gotten", "give", "gives", "gave", "given", "giving", "set", "sets", "setting",
    "take", "takes", "took", "taken", "taking", "make", "makes", "made", "making", "hold", "holds", "held", "holding",
    "put", "puts", "putting", "go", "goes", "went", "gone", "going", "come", "comes", "came", "coming",
    "aside", "among", "amongst", "about", "around", "designation", "designations",
}


def predicate(question: str) -> list[str]:
    """What a question asks about its names: the other content words of its asking sentence ('destroyed',
    'bombers'), leaving out a premise before it ("I read that ... . What is Germany paying?")."""
    asking = re.split(r"(?<=[.?!])\s+", question.strip())[-1]
    names = set().union(*key_names(asking)) if key_names(asking) else set()
    words = [w for t in tokens(asking) for w in t.split("-") if len(w) > 3 or w == t]  # "per-missile": "missile"
    skipped = STOPWORDS | _QUESTION_WORDS | _LIGHT
    words = [w for w in words if w not in skipped and not w[0].isdigit()]
    return list(dict.fromkeys(w for w in words if not set(terms(w)) & names))


def _stems(words: list[str]) -> set[str]:
    return {w[: max(3, min(5, len(w) - 1))] for w in words}


def says(words: list[str], text: str) -> bool:
    """Does the text use one of these words, in any form ('built' for 'build', 'fired' for 'fire')?"""
    stems = _stems(words)
    return any(t.startswith(stem) for t in tokens(text) for stem in stems)


def share_said(words: list[str], text: str) -> float:
    """The share of these words the text uses, in any form."""
    stems = _stems(words)
    used = tokens(text)
    return sum(any(t.startswith(stem) for t in used) for stem in stems) / len(stems) if stems else 0.0


def written_out(acronyms: dict[str, str], text: str) -> set[str]:
    """The question's acronym terms that the text writes out in full ('rdt' for 'research, development, test and
    evaluation')."""
    return {t for t, letters in acronyms.items() if spelled_out(letters, text) or spelled_in_lower_case(letters, text)}


def initials(question: str) -> dict[str, set[str]]:
    """The question's names of several words by their initials: {'rts': terms of 'Reagan Test Site'}."""
    found: dict[str, set[str]] = {}
    for run in _NAME_RUN.findall(question):
        parts = [w for w in run.split() if w.lower() not in STOPWORDS]
        if len(parts) >= 2:
            found["".join(w[0] for w in parts).lower()] = set(terms(" ".join(parts)))
    return found


def abbreviated(names: dict[str, set[str]], text: str) -> set[str]:
    """The terms of those names that the text gives by their initials ('Reagan Test Site' written 'RTS')."""
    if not names:
        return set()
    return set().union(*(names[w] for w in set(tokens(text)) & names.keys()))


FISCAL_YEAR = re.compile(r"\bFY ?(\d{4}|\d{2})\b|\bfiscal(?: year)? ((?:19|20)\d\d)\b", re.I)


def fiscal_years(text: str) -> set[str]:
    """Fiscal years a text names: 'FY25', 'FY2025', 'fiscal 2025' and 'fiscal year 2025' all give '2025'."""
    found = FISCAL_YEAR.findall(text)
    return {a if len(a) == 4 else "20" + a if a else b for a, b in found}


def values_of(kind: str | None, text: str, question: str = "") -> set[str]:
    """The values of the asked kind a sentence gives: its figures, or for a name question its names."""
    if kind is None:
        return set()
    if kind == "designation":
        return {normalise(code) for code in codes_in(text)}
    if kind == "reference":
        return {normalise(number) for number in references(text, question)}
    if kind == "country":
        return {normalise(name) for name in countries_in(text)}
    if kind in ("person", "org", "place", "name", "unit"):
        return {normalise(name) for name in _NAME_RUN.findall(text)[1:]}  # [1:]: not the sentence's first word
    return {f for f in figures(text) if not re.fullmatch(r"(19|20)\d\d", f) or kind == "date"}


def initialled(letters: str, text: str) -> bool:
    """Capitalised words in a row with these initials: 'pac' in 'Patriot Advanced Capability-3'."""
    return letters in "".join(w[0] for w in re.findall(r"\b[A-Z][A-Za-z]*", text)).lower()
