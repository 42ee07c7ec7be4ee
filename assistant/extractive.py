"""Extractive answers: the retrieved sentences that best answer the question, each cited. No LLM."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from langchain_core.embeddings import Embeddings

from .chunking import split_sentences
from .embeddings import encode
from .schema import Citation, Passage
from .evidence import spelled_out
from .text import STOPWORDS, figures, normalise, stem, terms, tokens
from .timeparse import without_limits

# What kind of value a question asks for (first match wins).
_TYPE_CUES: list[tuple[str, re.Pattern[str]]] = [
    ("percent", re.compile(r"\b(what|which) (percentage|percent|share|proportion)\b|\bby (what|how much) percent")),
    ("count", re.compile(r"\bhow many\b|\bwhat (?:is the |was the )?number of\b|\bquantity\b|\b(?:vote|head) ?count\b|\btally\b")),
    ("money", re.compile(r"\bhow much\b|\bcost\b|\bworth\b|\bvalued?\b|\bprice\b|\bbudget\b|\bspend|\bfunding\b|\bdollars?\b")),
    ("date", re.compile(r"^\s*when\b|\bwhat (dates?|days?|months?|years?)\b|\bwhich (date|day|month|year)\b|\bin what (year|month)\b|\bon what date\b|\bdeadline\b|\bby when\b|\bwhat (?:is|was|were) the (?:[a-z]+ ){0,2}dates?\b")),
    ("person", re.compile(r"^\s*who\b|\bwhich (?:official|general|officer|admiral|minister|secretary|person|commander)\b")),
    ("org", re.compile(r"\bwhich (?:company|companies|contractor|contractors|firm|firms|manufacturer|builder|vendor|vendors|shipyard|country|countries|nation|agency)\b|\bwho (?:builds|built|makes|made|won|received|got)\b")),
    ("place", re.compile(r"^\s*where\b|,\s*where (?:had|has|have|did|was|were|is|are|will)\b|\b(?:at|from) which (?:base|site|range|port|city|island)\b")),
    ("distance", re.compile(r"\bhow far\b|\bwhat(?:'s| is| was)? (?:the )?(?:maximum |max |)range\b|\brange of\b")),
    ("speed", re.compile(r"\bhow fast\b|\bwhat speed\b|\btop speed\b")),
]
_MONEY = re.compile(r"[$€£]\s?\d|\d\s?(?:billion|million|trillion|bn)\b|\b\d[\d.]*\s?(?:dollars|euros|pounds|yen)\b")
_PERCENT = re.compile(r"\d\s?(%|percent|per cent)")
_GDP = re.compile(r"\bgdp\b|gross domestic product")
_DATE = re.compile(
    r"\b(19|20)\d\d\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
)
_DISTANCE = re.compile(r"\d\s?(km|kilomet|mile|nautical|nm\b)")
_SPEED = re.compile(r"\bmach\s?\d|\d\s?(km/h|mph|knots)")
_NUMBER_TOKEN = re.compile(r"(?<![\w$€£.,-])(\d[\d,]*(?:\.\d+)?)(?![\w%]|,\d|\.\d)")
_COUNT_WORDS = re.compile(r"\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|dozens|hundreds|thousands)\b")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_FOCUS = re.compile(
    r"\b(?:what|which)\s+(?:is|was|are|were|will be)\s+(?:the\s+)?(?:[a-z]+\s+)?(?P<focus>[a-z]+)\s+(?:of|for|on|in|at|to|per)\b"
)
_GENERIC_FOCUS = {"name", "status", "role", "purpose", "goal", "plan", "aim", "point", "story", "news", "deal", "result", "reason", "difference", "latest", "main", "key", "total", "size", "value", "cost", "number", "amount", "date"}
_ANAPHOR = re.compile(r"^(?:it|its|this|that|these|those|they|their|the (?:option|contract|award|deal|order|system|missile|program|programme|company|agency|service|ship|vessel|aircraft|launch|test|estimate|project))\b", re.I)
_MULTI_ASK = re.compile(r"\b(and|both|compare|compared|versus|vs|or|each|respectively|difference|between)\b")


def answer_type(question: str) -> str | None:
    q = normalise(question)
    for name, pattern in _TYPE_CUES:
        if pattern.search(q):
            return name
    return None


def has_type(kind: str, text: str, question: str = "") -> bool:
    """Does `text` hold a value of the kind the question asks for (a name: one the question lacks)?"""
    if kind in ("person", "org", "place"):
        known = set(terms(question))
        for name in _NAME.findall(text):
            name_terms = set(terms(name))
            if not name_terms or name_terms & known:
                continue
            if kind != "person" or len(name.split()) >= 2 or _TITLE.search(text):
                return True
        return False
    norm = normalise(text)
    if kind == "money":  # defence spending is as often a share of GDP as an amount
        return bool(_MONEY.search(norm) or (_PERCENT.search(norm) and _GDP.search(norm)))
    if kind == "percent":
        return bool(_PERCENT.search(norm))
    if kind == "date":
        return bool(_DATE.search(norm))
    if kind == "distance":
        return bool(_DISTANCE.search(norm))
    if kind == "speed":
        return bool(_SPEED.search(norm))
    return _has_count(text)


def _has_count(text: str) -> bool:
    """A quantity: a number that is not a year, a day of a month, an amount of money or a designation."""
    norm = text.lower()  # keep thousands separators: "1,970 missiles" is a count, "1970" a year
    for match in _NUMBER_TOKEN.finditer(norm):
        value = match.group(1)
        before = norm[max(0, match.start() - 6) : match.start()]
        if _is_designation(text, match.group(1)):
            continue
        after = norm[match.end() : match.end() + 12]
        if re.fullmatch(r"(19|20)\d\d", value):
            continue
        if any(before.rstrip(" .").endswith(m) or re.search(rf"{m}[a-z]*\.?\s*$", before) for m in _MONTHS):
            continue
        if re.match(r"\s?(billion|million|trillion|bn|percent|%)", after) and "$" in norm[max(0, match.start() - 2) : match.start()]:
            continue
        return True
    return bool(_COUNT_WORDS.search(norm))


_NAME = re.compile(r"\b[A-Z][A-Za-z'’\-]+(?:\s+(?:[A-Z][A-Za-z'’\-.]*|of|de|von|al)){0,4}")
_TITLE = re.compile(r"\b(?:Gen|Lt|Adm|Col|Maj|Capt|Dr|Mr|Ms|Mrs|Secretary|President|Minister|Chancellor|Rep|Sen|Director|Chief)\.?\s+[A-Z]")
_LOWER_LEADS = {"about", "nearly", "some", "around", "almost", "roughly", "over", "more", "than", "only", "just", "all", "at", "least", "up", "to", "the", "and", "with", "of", "in", "by", "for"}


def _is_designation(text: str, number: str) -> bool:
    """'Arrow 3', 'Tranche 1', 'Lot 15', 'CVN 76': a number right after a capitalised name is part of it."""
    for match in re.finditer(rf"([A-Za-z][\w\-]*)\s+{re.escape(number)}(?![\d,.])", text):
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
    keys: set[str] = set()
    words = re.findall(r"[A-Za-z0-9][A-Za-z0-9'’.\-/]*", question)
    for i, word in enumerate(words):
        clean = re.sub(r"['’]s$", "", word.strip(".'’"))
        if not clean:
            continue
        is_name = clean[0].isupper() and (i > 0 or clean.isupper() or any(ch.isupper() for ch in clean[1:]))
        if is_name or any(ch.isdigit() for ch in clean):
            keys.update(terms(clean))
    return keys


@dataclass
class Candidate:
    passage: Passage
    start: int
    end: int
    text: str
    terms: set[str] = field(default_factory=set)
    context: set[str] = field(default_factory=set)  # neighbouring sentences and the headline
    previous: tuple[int, int] | None = None
    similarity: float = 0.0
    coverage: float = 0.0
    key_coverage: float = 1.0
    typed: bool = True
    score: float = 0.0
    bonus: float = 0.0  # the part of `score` that ranks answers but does not count towards answering at all


@dataclass
class Extraction:
    sentences: list[Candidate]
    abstained: bool
    reason: str = ""


class ExtractiveAnswerer:
    """Scores every retrieved sentence against the question and keeps the best, non-redundant ones."""

    def __init__(
        self,
        embeddings: Embeddings,
        max_sentences: int = 3,
        min_score: float = 0.45,
        cache_size: int = 50_000,
        mentioned: Callable[[str], bool] | None = None,
        margin: float = 0.25,
    ):
        self.embeddings = embeddings
        self.mentioned = mentioned  # does the indexed corpus hold this term anywhere (None: unknown)
        self.cache_size = cache_size
        self._cache: dict[tuple[str, int], Any] = {}
        self.max_sentences = max_sentences
        # Further sentences join the best one when they score within `margin` of it and add asked-about terms
        # (0.1, 0.15, 0.2, 0.25 and 0.3 measured on both evaluation sets: gains stop at 0.25, none lost).
        self.margin = margin
        self.min_score = min_score

    def extract(self, question: str, passages: list[Passage]) -> Extraction:
        candidates = self._candidates(passages)
        if not candidates:
            return Extraction([], True, "no passages")
        parts = split_question(question)
        vectors = encode(self.embeddings, [question] + parts)
        cand_vectors = self._sentence_vectors(candidates)
        context = _article_context(candidates)
        self._score(question, question, vectors[0], candidates, cand_vectors, context, keep=True)
        ranked = sorted(candidates, key=lambda c: c.score, reverse=True)
        best = ranked[0]
        if _RECENT.search(normalise(question)) and not parts:
            best = _newest_close(ranked, best)
            ranked.remove(best)
            ranked.insert(0, best)
        unknown = self._unknown_names(question, context)
        if unknown:
            return Extraction([], True, f"the indexed articles never mention {', '.join(unknown)}")
        plain = max(candidates, key=lambda c: c.score - c.bonus)  # whether to answer at all: without the bonus
        if plain.score - plain.bonus < self.min_score:
            return Extraction([], True, f"best sentence scores {plain.score - plain.bonus:.2f} < {self.min_score}")
        if plain.key_coverage < 0.5:
            return Extraction([], True, "the passages do not mention what the question names")
        if not plain.typed:
            return Extraction([], True, f"no passage gives a {answer_type(question)}")
        chosen = [best]
        if len(parts) > 1:
            # One sentence for each thing asked: "how many drones ... and how many aircraft ...".
            for i, part in enumerate(parts):
                scores = self._score(part, question, vectors[1 + i], candidates, cand_vectors, context)
                order = sorted(range(len(candidates)), key=lambda j: scores[j], reverse=True)
                for j in order[:3]:
                    cand = candidates[j]
                    if scores[j] < self.min_score - 0.05:
                        break
                    if cand in chosen or any(_overlap(cand.terms, c.terms) > 0.6 for c in chosen):
                        if cand in chosen:
                            break
                        continue
                    chosen.append(cand)
                    break
            return Extraction(chosen[: self.max_sentences + 1], False)
        q_terms = set(terms(question))
        covered = set(best.terms)
        for cand in ranked[1:]:
            if len(chosen) >= self.max_sentences or cand.score < max(self.min_score, best.score - self.margin):
                break
            if not cand.typed or cand.key_coverage < 0.5:
                continue
            new_terms = (q_terms & (cand.terms | cand.context)) - covered
            if not new_terms or any(_overlap(cand.terms, c.terms) > 0.6 for c in chosen):
                continue
            chosen.append(cand)
            covered |= cand.terms
        return Extraction(chosen, False)

    def _score(
        self,
        part: str,
        question: str,
        part_vector: Any,
        candidates: list[Candidate],
        cand_vectors: Any,
        context: tuple[dict[str, set[str]], dict[str, set[str]], dict[str, Any], dict[str, str]],
        keep: bool = False,
    ) -> list[float]:
        """Score sentences for `part` of `question` (the whole question for its names and figures)."""
        article_terms, article_figures, article_dates, article_texts = context
        wanted = answer_type(part) or (answer_type(question) if part == question else None)
        q_terms = set(terms(part))
        keys = key_terms(question) & set(terms(question))
        acronyms = _acronyms(question)
        q_figures = {f for f in figures(question) if not f.startswith("pct:")}
        subject = without_limits(question)  # "as of early 2024" limits the reporting, not the answer's year
        own = without_limits(part)
        if part != question and (_months(own) or _YEAR.search(own)):
            subject = own  # "... in April 2024 or in October 2024": each part asks about its own date
        q_years = {f for f in figures(subject) if re.fullmatch(r"(19|20)\d\d", f)}
        counted = counted_terms(part) if wanted == "count" else set()
        focus = _focus_term(part)
        recency = _RECENT.search(normalise(question)) is not None
        q_months = _months(subject)
        newest = max((d for d in article_dates.values() if d), default=None)
        designations = _designations(question)
        planned = _PLANNED.search(normalise(part)) is not None  # a plan or forecast, not the event a lead reports
        sims = cand_vectors @ part_vector
        scores = []
        for cand, sim in zip(candidates, sims):
            article = cand.passage.chunk.article_id
            bonus = 0.0
            typed = wanted is None or has_type(wanted, cand.text, question)
            coverage = _coverage(q_terms, cand.terms, cand.context, article_terms[article])
            key_coverage = _key_coverage(keys, acronyms, article_terms[article], article_texts[article])
            score = 0.5 * float(sim) + 0.5 * coverage
            if not typed:
                score -= 0.2
            elif counted and counted <= cand.terms:
                score += 0.08
            if focus and focus not in cand.terms | cand.context:
                score -= 0.15
            missing = q_figures - article_figures[article]
            if missing:  # the question names a figure this article never mentions
                score -= 0.3 if any(not re.fullmatch(r"(19|20)\d\d", f) for f in missing) else 0.1
            sentence_years = {f for f in figures(cand.text) if re.fullmatch(r"(19|20)\d\d", f)}
            if q_years and sentence_years and not q_years & sentence_years:
                score -= 0.4  # about another year than the one asked: not an answer
            sentence_months = _months(cand.text)
            if q_months and sentence_months and not q_months & sentence_months:
                score -= 0.25  # about another month than the one asked
            if recency and newest and article_dates[article] == newest:
                score += 0.08
            if recency and _superseded(cand.text) & q_terms:
                score -= 0.2  # "the previous record" is not the latest one
            if wanted == "date" and not planned and _DAY.search(cand.text):
                # An event's day-precise date answers "when" best, and a news story's lead is where it dates its
                # event. Both only rank answers: they must not lift a question over the abstention threshold.
                bonus = 0.15 if cand.passage.chunk.index == 0 and cand.start == 0 else 0.05
            if _other_designation(designations, cand.text):
                score -= 0.2  # "Tranche 0" where the question asks about "Tranche 1"
            score -= 0.15 * (1.0 - key_coverage)
            scores.append(score + bonus)
            if keep:
                cand.similarity, cand.coverage, cand.key_coverage, cand.typed, cand.score = float(sim), coverage, key_coverage, typed, score + bonus
                cand.bonus = bonus
        return scores

    def _unknown_names(self, question: str, context: tuple[dict[str, set[str]], dict[str, set[str]], dict[str, Any], dict[str, str]]) -> list[str]:
        """Names the question asks about that neither the passages nor any other indexed article mention:
        'How much is India's defence budget?' over a corpus that never names India."""
        if self.mentioned is None:
            return []
        return [name for name in _unmentioned_names(question, context) if not all(self.mentioned(t) for t in terms(name))]

    def _sentence_vectors(self, candidates: list[Candidate]) -> Any:
        """Sentence embeddings, cached per chunk: the same passages come back for many questions."""
        import numpy as np

        missing = [c for c in candidates if (c.passage.chunk.id, c.start) not in self._cache]
        if missing:
            for cand, vector in zip(missing, encode(self.embeddings, [c.text for c in missing])):
                self._cache[(cand.passage.chunk.id, cand.start)] = vector
            while len(self._cache) > self.cache_size:
                self._cache.pop(next(iter(self._cache)))
        return np.stack([self._cache[(c.passage.chunk.id, c.start)] for c in candidates])

    def _candidates(self, passages: list[Passage]) -> list[Candidate]:
        seen: set[str] = set()
        out: list[Candidate] = []
        for passage in passages:
            text = passage.chunk.text
            spans = split_sentences(text)
            title_terms = set(terms(passage.chunk.title))
            for i, (start, end) in enumerate(spans):
                sentence = text[start:end]
                key = normalise(sentence)
                if key in seen or len(tokens(sentence)) < 4:
                    continue
                seen.add(key)
                context = set(title_terms)
                for j in (i - 1, i + 1):
                    if 0 <= j < len(spans):
                        context |= set(terms(text[spans[j][0] : spans[j][1]]))
                previous = spans[i - 1] if i > 0 and _ANAPHOR.match(sentence) else None
                out.append(Candidate(passage, start, end, sentence, set(terms(sentence)), context, previous))
        return out


def _acronyms(question: str) -> dict[str, str]:
    """The question's acronyms ('DoD', 'SDA') by their term, with the initials they stand for ('dd', 'sda')."""
    found = {}
    for word in re.findall(r"\b[A-Z][A-Za-z]*[A-Z]s?\b", question):
        letters = "".join(ch for ch in word.rstrip("s") if ch.isupper()).lower()
        for term in terms(word):
            found[term] = letters
    return found


def _unmentioned_names(question: str, context: tuple[dict[str, set[str]], dict[str, set[str]], dict[str, Any], dict[str, str]]) -> list[str]:
    """Names in the question that no retrieved article mentions (an acronym counts when spelled out):
    'How many votes did the Bundesrat cast?' over articles that only name the Bundestag."""
    article_terms, _, _, article_texts = context
    known = set().union(*article_terms.values()) if article_terms else set()
    acronyms = _acronyms(question)
    missing = []
    outside = re.sub(r"\([^)]*\)", " ", question)  # "(SRF-West)": the question's own gloss of a name
    for word in re.findall(r"[A-Za-z][A-Za-z0-9'’\-]*", outside)[1:]:
        name = re.sub(r"['’]s$", "", word)
        if not name[0].isupper() or len(name) < 2 or any(ch.isdigit() for ch in name):
            continue  # designations and figures ('NROL-146', 'FY2027') are checked as figures elsewhere
        lowered = name.lower()
        if lowered in _MONTH_NAMES or _METONYMS.get(lowered, "") in known:
            continue
        name_terms = set(terms(name))
        parts = {stem(p) for p in lowered.split("-") if p}
        if not name_terms or name_terms <= known or parts <= known:
            continue
        letters = next((acronyms[t] for t in name_terms if t in acronyms), None)
        if letters and any(spelled_out(letters, text) or _spelled_in_lower_case(letters, text) for text in article_texts.values()):
            continue
        missing.append(name)
    return missing


def _spelled_in_lower_case(letters: str, text: str) -> bool:
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
_MONTH_NAMES = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}


def _key_coverage(keys: set[str], acronyms: dict[str, str], article_terms: set[str], article_text: str) -> float:
    """Share of the question's names an article mentions, an acronym counting when the article spells it out."""
    if not keys:
        return 1.0
    missing = keys - article_terms
    spelled = {k for k in missing if k in acronyms and spelled_out(acronyms[k], article_text)}
    return (len(keys) - len(missing) + len(spelled)) / len(keys)


def _article_context(candidates: list[Candidate]) -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, Any], dict[str, str]]:
    """Terms, figures and date of everything retrieved from each article, its headline and date included."""
    texts: dict[str, dict[str, str]] = {}
    dates: dict[str, Any] = {}
    for cand in candidates:
        chunk = cand.passage.chunk
        parts = texts.setdefault(chunk.article_id, {"": chunk.title + " " + _date_words(chunk.published)})
        parts[chunk.id] = chunk.text
        dates[chunk.article_id] = chunk.published
    joined = {a: " ".join(p.values()) for a, p in texts.items()}
    term_map = {a: set(terms(text)) for a, text in joined.items()}
    figure_map = {a: figures(text) for a, text in joined.items()}
    return term_map, figure_map, dates, joined


_SPLIT = re.compile(
    r"(?:,\s*|;\s*|\s+)(?:and|but)\s+(?=(?:what|which|who|whom|how|when|where|why|did|does|do|is|was|were|has|have)\b|(?:its|their) \w+\W*$)"
)
_WHICH_FIRST = re.compile(
    r"^(?:which|what) (?:came|happened|was|occurred) (?:first|earlier|sooner)[,:]?\s+(?P<a>.+?),? or (?P<b>.+?)(?:,|\?|$)", re.I
)
_RECENT = re.compile(r"\b(latest|most recent|newest|current(?:ly)?|now|as of today|so far|to date)\b")




_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_DAY = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b", re.I)
_PLANNED = re.compile(r"\b(?:plan|planned|expect|expected|original|originally|intend|intended|schedul\w*|target|due|would|forecast|projected)\b")
_SUPERSEDED = re.compile(r"\b(?:previous|prior|former|earlier|old|original|initial)\s+([a-z][a-z\-]+)")
_DESIGNATION = re.compile(r"\b([A-Z][A-Za-z\-]+)\s+(\d+[A-Z]?)\b(?![,.]\d)")


def _superseded(text: str) -> set[str]:
    """Terms the sentence marks as superseded: 'the previous record' gives {'record'}."""
    return {stem(m.group(1)) for m in _SUPERSEDED.finditer(normalise(text))}


def _designations(question: str) -> dict[str, set[str]]:
    """Designations the question names, by their word: 'Tranche 1' gives {'tranche': {'1'}}."""
    found: dict[str, set[str]] = {}
    for match in _DESIGNATION.finditer(question):
        word, number = match.group(1), match.group(2)
        if _is_designation(question, number) and not re.fullmatch(r"(19|20)\d\d", number):
            found.setdefault(word.lower(), set()).add(number.lower())
    return found


def _other_designation(asked: dict[str, set[str]], text: str) -> bool:
    """The sentence names another member of an asked series ('Tranche 0') and not the one asked ('Tranche 1')."""
    if not asked:
        return False
    named: dict[str, set[str]] = {}
    for match in _DESIGNATION.finditer(text):
        named.setdefault(match.group(1).lower(), set()).add(match.group(2).lower())
    return any(word in named and not named[word] & numbers for word, numbers in asked.items())


def _newest_close(ranked: list[Candidate], best: Candidate, margin: float = 0.1) -> Candidate:
    """For 'latest' questions: of the typed answers scoring close to the best, the one from the newest article."""
    close = [c for c in ranked if c.score >= best.score - margin and c.typed and c.key_coverage >= 0.5]
    dated = [c for c in close if c.passage.chunk.published]
    if not dated:
        return best
    return max(dated, key=lambda c: (c.passage.chunk.published, c.score))


def _months(text: str) -> set[str]:
    """Month names used as dates ('April 2024', 'Oct. 1'); 'may' only when a number follows."""
    found = set()
    for match in re.finditer(r"\b(january|february|march|april|june|july|august|september|october|november|december|jan\.|feb\.|aug\.|sept?\.|oct\.|nov\.|dec\.|may(?=\s+\d))", text.lower()):
        found.add(match.group(1)[:3])
    return found


def split_question(question: str) -> list[str]:
    """The separate things a question asks: 'How many X ... and how many Y ...?' gives two parts."""
    norm = question.strip().rstrip("?")
    order = _WHICH_FIRST.match(norm)
    if order:  # "which came first, A or B": when was each
        return [f"When was {order.group('a')}", f"When was {order.group('b')}"]
    parts = [p.strip(" ,") for p in _SPLIT.split(norm) if p.strip(" ,")]
    if len(parts) == 1 and " or " in norm:
        left, right = norm.rsplit(" or ", 1)
        words = right.split()
        if 0 < len(words) <= 6 and len(left.split()) > len(words):
            parts = [left, " ".join(left.split()[: -len(words)] + words)]
    return parts if len(parts) > 1 else []


def _date_words(day: object) -> str:
    return day.strftime("%B %d %Y").replace(" 0", " ") if hasattr(day, "strftime") else ""


def _focus_term(question: str) -> str | None:
    match = _FOCUS.search(normalise(question))
    if not match:
        return None
    word = match.group("focus")
    if word in _GENERIC_FOCUS or len(word) < 4:
        return None
    return stem(word)


def _coverage(q_terms: set[str], sentence: set[str], context: set[str], chunk: set[str]) -> float:
    if not q_terms:
        return 0.0
    hit = sum(1.0 if t in sentence else 0.5 if t in context else 0.25 if t in chunk else 0.0 for t in q_terms)
    return hit / len(q_terms)


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))


def citations_for(chosen: list[Candidate]) -> tuple[str, list[Citation]]:
    """Compose the answer: each sentence (with the sentence it refers back to) and `[n]`, n = retrieval rank."""
    parts: list[str] = []
    spans: dict[int, list[tuple[int, int]]] = {}
    passages: dict[int, Passage] = {}
    for cand in sorted(chosen, key=lambda c: (chosen.index(c) if c is chosen[0] else 1, c.passage.rank, c.start)):
        n = cand.passage.rank
        start = cand.previous[0] if cand.previous else cand.start
        text = " ".join(cand.passage.chunk.text[start : cand.end].split())  # hard-wrapped lines read as one
        parts.append(f"{text} [{n}]")
        spans.setdefault(n, []).append((start, cand.end))
        passages[n] = cand.passage
    citations = [Citation(n, passages[n], tuple(sorted(set(spans[n])))) for n in sorted(spans)]
    return " ".join(parts), citations
