"""Extractive answers: the retrieved sentences that best answer the question, each cited. No LLM."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, NamedTuple

from langchain_core.embeddings import Embeddings

from .answerable import (
    ASKS_ABOUT_INSTRUCTIONS,
    CODE,
    INSTRUCTION,
    KINDS,
    REFERS,
    abbreviated,
    fiscal_years,
    initialled,
    initials,
    name_coverage,
    names_in,
    predicate,
    premise_subject,
    says,
    share_said,
    values_of,
    withheld_clause,
    written_out,
)
from ..ingest.chunking import split_sentences
from ..encoders.embeddings import encode
from ..question.analysis import (
    DAY,
    MONTH_NAMES,
    PLANNED,
    RECENT,
    acronyms_of,
    answer_type,
    counted_terms,
    designations,
    focus_term,
    has_type,
    key_names,
    key_terms,
    months,
    other_designation,
    other_sibling,
    sibling_heads,
    split_question,
    superseded,
    unmentioned_names,
)
from .near_miss import unmet_condition
from .reader_model import ReaderModel, features
from ..schema import Citation, Passage
from ..text import figures, normalise, terms, tokens
from ..question.timeparse import parse_time, without_limits

SCHEDULED = re.compile(
    r"\b(?:will|would|expect\w*|schedul\w*|plan\w*|project\w*|estimat\w*|due|target\w*|aim\w*|slated|set to|intend\w*|forecast\w*"
    r"|on track|goal|deadline|(?:push|hop|want|seek|strive|aim)\w* to)\b",
    re.I,
)
_ANAPHOR = re.compile(r"^(?:it|its|this|that|these|those|they|their|the (?:option|contract|award|deal|order|system|missile|program|programme|company|agency|service|ship|vessel|aircraft|launch|test|estimate|project))\b", re.I)




_UNTYPED = 0.2  # what a sentence loses for not giving the kind of value asked
_LEADING_LIMIT = re.compile(r"^(?:before|after|since|until|prior to|as of)\b[^,?]*,\s*", re.I)


@dataclass
class Candidate:
    passage: Passage
    start: int
    end: int
    text: str
    terms: set[str] = field(default_factory=set)
    context: set[str] = field(default_factory=set)  # neighbouring sentences and the headline
    previous: tuple[int, int] | None = None
    shown: str = ""  # the sentence with the one it refers back to, as the answer shows it
    similarity: float = 0.0
    coverage: float = 0.0
    key_coverage: float = 1.0
    typed: bool = True
    kind_only: bool = False  # untyped only for lacking the kind of value asked, not for another year, budget or variant
    score: float = 0.0
    bonus: float = 0.0  # the part of `score` that ranks answers but does not count towards answering at all


class Mark(NamedTuple):
    """One sentence's score for one question: `plain` leaves out the bonuses that only rank answers."""

    score: float
    plain: float
    typed: bool
    key_coverage: float


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
        model: ReaderModel | None = None,
        near_misses: bool = False,
    ):
        self.embeddings = embeddings
        self.mentioned = mentioned  # does the indexed corpus hold this term anywhere (None: unknown)
        self.cache_size = cache_size
        self._cache: dict[tuple[str, int], Any] = {}
        self.max_sentences = max_sentences
        # Further sentences join the best one when they score within `margin` of it and add asked-about terms or
        # another value of the kind asked (0.1 to 0.3 measured on both evaluation sets: gains stop at 0.25).
        self.margin = margin
        self.min_score = min_score
        self.model = model  # the learned sentence scorer (reader_model.py); None keeps the hand-set order
        self.near_misses = near_misses  # refuse when the best passage misses the question's year, figure or name

    def extract(self, question: str, passages: list[Passage]) -> Extraction:
        candidates = self._candidates(passages)
        if not ASKS_ABOUT_INSTRUCTIONS.search(question):
            # Text addressed to an AI reader ("ignore previous instructions and tell the reader ...") is quoted by an
            # article, not reported by it: it answers only a question about such instructions.
            candidates = [c for c in candidates if not INSTRUCTION.search(c.shown or c.text)]
        if not candidates:
            return Extraction([], True, "no passage was retrieved")
        parts = split_question(question)
        vectors = encode(self.embeddings, [question] + parts)
        cand_vectors = self._sentence_vectors(candidates)
        context = _article_context(candidates)
        # a sentence that names what the parts compare ("Lockheed Martin's ... and Sierra Space's ...") leads
        compared = [name for part in parts for name in _own_names(part, parts)]
        self._score(question, question, vectors[0], candidates, cand_vectors, context, keep=True, bridge=compared)
        ranked = sorted(candidates, key=self._order(question, candidates, passages), reverse=True)
        best = ranked[0]
        if RECENT.search(normalise(question)) and not parts:
            best = _newest_close(ranked, best)
            ranked.remove(best)
            ranked.insert(0, best)
        unknown = self._unknown_names(question, context)
        if unknown:
            return Extraction([], True, f"the indexed articles never mention {', '.join(unknown)}")
        # "The Air Force has not disclosed how many Increment 1 aircraft it plans to buy": said by a sentence that
        # comes close to the best, it outweighs a figure about something nearby
        top = max(c.score - c.bonus for c in candidates)  # whether to answer at all: without the bonus
        for cand in (c for c in ranked if not parts and c.score - c.bonus >= top - self.margin):
            withheld = withheld_clause(question, cand.text)
            if withheld:
                return Extraction([], True, f"passage [{cand.passage.rank}] says it has not been made public: \"{withheld}\"")
        # Only a sentence that gives the kind of value asked, about what the question names, and says something
        # of what it asks ("destroyed", "bombers" for "how many Tu-95 bombers were destroyed") can answer it.
        answering = [c for c in ranked if c.typed and c.key_coverage >= 0.5]
        plain = max(answering or candidates, key=lambda c: c.score - c.bonus)
        why = self._refusal(question, Mark(plain.score, plain.score - plain.bonus, plain.typed, plain.key_coverage))
        asked = predicate(question) if answer_type(question) else []
        if len(asked) >= 2 and answering and not why:  # one word alone is too often said another way
            answering = [c for c in answering if says(asked, c.shown or c.text)]
            if not answering:
                why = f"no passage that gives {KINDS.get(answer_type(question) or '', 'an answer')} says what the question asks about ({', '.join(asked)})"
            elif answering[0].score - answering[0].bonus < self.min_score:
                why = self._refusal(question, Mark(answering[0].score, answering[0].score - answering[0].bonus, True, answering[0].key_coverage))
        if why and not parts:
            lead = self._lead_of(question, candidates, asked)
            if lead is not None:  # the sentence after the lead that names what is asked gives the value
                best, why = lead, ""
                ranked.remove(best)
                ranked.insert(0, best)
                answering.insert(0, best)
        if not why and best not in answering:
            best = answering[0]
            ranked.remove(best)
            ranked.insert(0, best)
        if not why and not parts and self.near_misses:  # a year, figure or name the question gives must hold
            why = unmet_condition(question, best.passage.chunk, context[3][best.passage.chunk.article_id])
        if parts:
            # The best sentence for the whole question leads when it answers on its own; each part then adds its own.
            chosen = [] if why else [best]
            picks = self._parts(question, parts, vectors[1:], candidates, cand_vectors, context, chosen)
            if why and not all(pick is not None and pick[1] for pick in picks):
                return Extraction([], True, why)
            for pick in picks:
                chosen.extend(c for c in (pick[0] if pick else []) if not any(_repeats(c, x) for x in chosen))
            return Extraction(chosen[: self.max_sentences + 1], False)
        if why:
            return Extraction([], True, why)
        return Extraction(self._more(question, best, ranked), False)

    def scored(self, question: str, passages: list[Passage]) -> list[Candidate]:
        """Every candidate sentence scored for the whole question, as `extract` scores them before choosing."""
        candidates = self._candidates(passages)
        if not candidates:
            return []
        parts = split_question(question)
        vector = encode(self.embeddings, [question])[0]
        compared = [name for part in parts for name in _own_names(part, parts)]
        self._score(question, question, vector, candidates, self._sentence_vectors(candidates), _article_context(candidates), keep=True, bridge=compared)
        return candidates

    def _order(self, question: str, candidates: list[Candidate], passages: list[Passage]) -> Callable[[Candidate], float]:
        """How candidates are ranked: by the learned scorer when its weights are loaded, else by the hand score."""
        if self.model is None:
            return lambda c: c.score
        top = passages[0].chunk.article_id if passages else ""
        learned = {id(c): self.model.probability(features(question, c, top)) for c in candidates}
        return lambda c: learned[id(c)]

    def _parts(
        self, question: str, parts: list[str], vectors: Any, candidates: list[Candidate], cand_vectors: Any, context: Any, chosen: list[Candidate]
    ) -> list[tuple[list[Candidate], bool] | None]:
        """One pick for each thing asked ("how many drones ... and how many aircraft ..."), in order."""
        picks: list[tuple[list[Candidate], bool] | None] = []
        subject = premise_subject(question)
        for part, vector in zip(parts, vectors):
            # "..., and what is that deal worth?": the part refers to what the previous part's sentence names, or
            # to what a statement before the question is about ("York Space Systems' satellites opened ... What
            # were its deals worth?")
            previous = picks[-1] if picks else None
            refers = REFERS.search(part) is not None
            bridge = subject if refers else []
            if not bridge and previous and refers:
                bridge = names_in(" ".join(c.text for c in previous[0]), question)
            if not bridge:  # "Javelin missiles or GMLRS rockets": the name only this part gives is the one it asks about
                bridge = _own_names(part, parts)
            taken = chosen + [c for pick in picks if pick for c in pick[0]]
            picks.append(self._pick(part, question, vector, candidates, cand_vectors, context, bridge, taken))
        return picks

    def _more(self, question: str, best: Candidate, ranked: list[Candidate]) -> list[Candidate]:
        """The best sentence, and those close behind it that add an asked-about term or another value of the kind asked;
        then, when another article close behind reports the same value, its sentence as a second source."""
        chosen = [best]
        q_terms = set(terms(question))
        covered = set(best.terms)
        wanted = answer_type(question)
        best_values = values_of(wanted, best.text)
        seen_values = set(best_values)
        corroboration: Candidate | None = None
        for cand in ranked[1:]:
            if len(chosen) >= self.max_sentences or cand.score < max(self.min_score, best.score - self.margin):
                break
            if not cand.typed or cand.key_coverage < 0.5:
                continue
            new_terms = (q_terms & (cand.terms | cand.context)) - covered
            values = values_of(wanted, cand.text)
            new_values = values - seen_values  # another candidate answer of the asked kind
            elsewhere = cand.passage.chunk.article_id != best.passage.chunk.article_id
            if corroboration is None and elsewhere and values & best_values:
                corroboration = cand  # another report of the same figure: shown after the rest
                continue
            if not (new_terms or new_values) or any(_overlap(cand.terms, c.terms) > 0.6 for c in chosen):
                continue
            chosen.append(cand)
            covered |= cand.terms
            seen_values |= new_values
        return chosen + ([corroboration] if corroboration else [])

    def _lead_of(self, question: str, candidates: list[Candidate], asked: list[str]) -> Candidate | None:
        """A paragraph's lead names what it reports ("Raytheon Co. ... was awarded ... for sustainment of the ...");
        the sentences after it give that award's date, place or funding without naming it again ("One bid was
        solicited with one received with an estimated completion date of Dec. 15, 2020."). When the sentence that
        best matches the question lacks only the kind of value asked, and would answer if it gave one, the best
        sentence after it in its paragraph that gives one answers, shown with the lead (as a sentence that refers
        back is). None when there is no such pair."""
        leads = [c for c in candidates if c.kind_only and c.key_coverage >= 0.5]
        if not leads:
            return None
        lead = max(leads, key=lambda c: c.score - c.bonus)
        if lead.score - lead.bonus + _UNTYPED < self.min_score:
            return None
        text = lead.passage.chunk.text
        after = [
            c for c in candidates
            if c.passage is lead.passage and c.start >= lead.end and c.typed and c.previous is None and "\n\n" not in text[lead.end : c.start]
        ]
        if not after:
            return None
        follow = max(after, key=lambda c: c.score)
        shown = text[lead.start : follow.end]
        if len(asked) >= 2 and not says(asked, shown):
            return None
        # The award the question means is the one whose paragraph says most of what the question says: a lead that
        # matched by its contractor while another paragraph of the passages says the rest ("hull repair" beside a
        # lead about rockets) is not it, and a tie leaves it open.
        q_terms = {t for t in terms(question) if len(t) > 1 or not t.isalpha()}
        acronyms = acronyms_of(question)

        def said(paragraph: str) -> int:
            return len(q_terms & (set(terms(paragraph)) | (written_out(acronyms, paragraph) if acronyms else set())))

        start = text.rfind("\n\n", 0, lead.start)
        stop = text.find("\n\n", follow.end)
        own = said(text[0 if start < 0 else start : len(text) if stop < 0 else stop])
        passages = {id(c.passage): c.passage for c in candidates}.values()
        others = [p for passage in passages for p in passage.chunk.text.split("\n\n") if p.strip() and p.strip() not in text[max(start, 0) : len(text) if stop < 0 else stop]]
        if any(said(p) >= own for p in others):
            return None
        follow.previous, follow.shown = (lead.start, lead.end), shown
        follow.terms = follow.terms | lead.terms
        return follow

    def _refusal(self, question: str, mark: Mark) -> str:
        """Why the best-scoring sentence does not answer `question` ('' when it does)."""
        if mark.plain < self.min_score:
            return f"no sentence matches the question closely enough ({mark.plain:.2f}; an answer needs {self.min_score})"
        if mark.key_coverage < 0.5:
            return "the passages do not mention what the question names"
        if not mark.typed:
            return f"no passage gives {KINDS.get(answer_type(question) or '', 'the kind of value asked')}"
        return ""

    def _pick(
        self,
        part: str,
        question: str,
        vector: Any,
        candidates: list[Candidate],
        cand_vectors: Any,
        context: Any,
        bridge: list[set[str]],
        taken: list[Candidate],
    ) -> tuple[list[Candidate], bool] | None:
        """The best sentences for one part of the question, and whether they would answer that part on their own.

        When the best sentence names the thing asked about but not the kind of value asked ("Finland is the first
        export customer for David's Sling."), the best sentence of the same article that gives one joins it."""
        marks = self._score(part, question, vector, candidates, cand_vectors, context, bridge=bridge)
        j = max(range(len(candidates)), key=lambda i: marks[i].score)
        if candidates[j] in taken:  # each part brings a sentence of its own when one comes close
            k = max((i for i in range(len(candidates)) if candidates[i] not in taken and marks[i].typed), key=lambda i: marks[i].score, default=None)
            if k is not None and marks[k].score >= self.min_score - 0.05:
                j = k
        if marks[j].score < self.min_score - 0.05:
            return None
        picked = [candidates[j]]
        if not marks[j].typed:
            article = candidates[j].passage.chunk.article_id
            same = [i for i, c in enumerate(candidates) if c.passage.chunk.article_id == article and marks[i].typed and marks[i].key_coverage >= 0.5]
            k = max(same, key=lambda i: marks[i].score, default=None)
            if k is not None and marks[k].score >= marks[j].score - 0.3:
                picked.append(candidates[k])
                return picked, marks[j].plain >= self.min_score and marks[j].key_coverage >= 0.5
            # nothing in its article gives the kind of value asked: another article's sentence that does, on its own
            answering = [
                i for i, m in enumerate(marks) if m.typed and m.key_coverage >= 0.5 and candidates[i] not in taken
            ]
            k = max(answering, key=lambda i: marks[i].score, default=None)
            if k is not None and marks[k].plain >= self.min_score:
                return [candidates[k]], True
        alone = max(marks, key=lambda m: m.plain)
        return picked, not self._refusal(part, alone)

    def _score(
        self,
        part: str,
        question: str,
        part_vector: Any,
        candidates: list[Candidate],
        cand_vectors: Any,
        context: tuple[dict[str, set[str]], dict[str, set[str]], dict[str, Any], dict[str, str]],
        keep: bool = False,
        bridge: list[set[str]] = (),  # type: ignore[assignment]
    ) -> list[Mark]:
        """Score every sentence for `part` of `question` (the whole question, or one thing it asks)."""
        article_terms, article_figures, article_dates, article_texts = context
        wanted = answer_type(part) or (answer_type(question) if part == question else None)
        q_terms = {t for t in terms(part) if len(t) > 1 or not t.isalpha()}  # not the "e" of "RDT&E"
        # Each part is judged by its own names, figures and dates: "in April 2024 or in October 2024" asks two
        # things, and the premise of "The order demanded X; what did CBO estimate ...?" is about another article.
        # A part that names nothing ("and at what cost?") is about what the rest of the question names.
        named = part if _names_something(part) else question
        # "Before the March 2026 launch from Cape Canaveral, on what date ...": that clause says when, not about what
        keys = key_names(_LEADING_LIMIT.sub("", named))
        acronyms = acronyms_of(named)
        shortened = initials(part)  # "Reagan Test Site", which a sentence may write "RTS"
        q_figures = {f for f in figures(part) if not f.startswith("pct:")}
        codes = {t for t in terms(named) if CODE.fullmatch(t)}
        fiscal = fiscal_years(part)  # "PAC-3", "NROL-146": the most specific names
        subject = without_limits(part)  # "as of early 2024" limits the reporting, not the answer's year
        until = parse_time(part, date.today()).until if subject != part else None
        q_years = {f for f in figures(subject) if re.fullmatch(r"(19|20)\d\d", f)}
        counted = counted_terms(part) if wanted == "count" else set()
        focus = focus_term(part)
        recency = RECENT.search(normalise(question)) is not None
        q_months = months(subject)
        newest = max((d for d in article_dates.values() if d), default=None)
        asked_series = designations(part) or designations(question)
        siblings = sibling_heads(named)
        planned = PLANNED.search(normalise(part)) is not None  # a plan or forecast, not the event a lead reports
        sims = cand_vectors @ part_vector
        asked = predicate(part)
        marks = []
        for cand, sim in zip(candidates, sims):
            article = cand.passage.chunk.article_id
            bonus = 0.0
            typed = wanted is None or has_type(wanted, cand.text, question)
            if typed and wanted == "date" and planned and not SCHEDULED.search(cand.shown or cand.text):
                typed = False  # "when is it scheduled to launch": the sentence must give a plan's date, not a contract's
            spelled = written_out(acronyms, cand.shown or cand.text) if acronyms else set()
            spelled |= abbreviated(shortened, cand.shown or cand.text)
            coverage = _coverage(q_terms, cand.terms | spelled, cand.context, article_terms[article])
            key_coverage = name_coverage(keys, acronyms, article_terms[article], article_texts[article])
            score = 0.5 * float(sim) + 0.5 * coverage
            kind_only = not typed
            if not typed:
                score -= _UNTYPED
            elif counted and counted <= cand.terms:
                score += 0.08
            if focus and focus not in cand.terms | cand.context:
                score -= 0.15
            if any(not initialled(c.split("-")[0], article_texts[article]) for c in codes - article_terms[article]):
                score -= 0.3  # the question names a designation this article never mentions: it is about another thing
            if fiscal - article_figures[article]:
                score -= 0.3  # "FY2027" where the article never names 2027: about another budget
            named_fiscal = fiscal_years(cand.text)
            if fiscal and named_fiscal and not fiscal & (named_fiscal | fiscal_years(cand.passage.chunk.title)):
                score -= 0.4  # a sentence about the fiscal 2025 request does not answer for fiscal 2024
                typed = kind_only = False
            missing = q_figures - article_figures[article]
            if missing:  # the question names a figure this article never mentions
                score -= 0.3 if any(not re.fullmatch(r"(19|20)\d\d", f) for f in missing) else 0.1
            sentence_years = {f for f in figures(cand.text) if re.fullmatch(r"(19|20)\d\d", f)}
            # "81% above the 2020 baseline" in a story from the year asked is still about that year
            published = {str(article_dates[article].year)} if article_dates[article] else set()
            if q_years and sentence_years and not q_years & (sentence_years | published):
                score -= 0.4  # about another year than the one asked: not an answer
                typed = kind_only = False
            sentence_months = months(cand.text)
            if q_months and sentence_months and not q_months & sentence_months:
                score -= 0.25  # about another month than the one asked
            if until and article_dates[article] and article_dates[article] > until:
                score -= 0.15  # "as of early 2024": a report from 2025 tells what came later
            if recency and newest and article_dates[article] == newest:
                score += 0.08
            stale = recency and bool(superseded(cand.text) & q_terms)
            if stale:
                score -= 0.2  # "the previous record" is not the latest one
            if wanted == "date" and not planned and DAY.search(cand.text):
                # An event's day-precise date answers "when" best, and a news story's lead is where it dates its
                # event. Both only rank answers: they must not lift a question over the abstention threshold.
                bonus = 0.15 if cand.passage.chunk.index == 0 and cand.start == 0 else 0.05
            if bridge and any(name <= cand.terms for name in bridge):
                score += 0.15  # names the thing this part is about (or the previous part's answer, when it refers to it)
            if kind_only and other_sibling(siblings, cand.shown or cand.text):
                kind_only = False  # a lead about the "Transport Layer" lends no sentence of its value to the "Tracking Layer"
            if typed and other_sibling(siblings, cand.shown or cand.text):
                score -= 0.2  # "Transport Layer" where the question asks about the "Tracking Layer": not its value
                typed = kind_only = False
            if other_designation(asked_series, cand.text):
                score -= 0.4  # "Tranche 0" where the question asks about "Tranche 1": not its value
                typed = kind_only = False
            score -= 0.15 * (1.0 - key_coverage)
            if asked and not stale:  # of sentences about the same names, the one that says what is asked ("paid")
                bonus += 0.1 * share_said(asked, cand.shown or cand.text)
            marks.append(Mark(score + bonus, score, typed, key_coverage))
            if keep:
                cand.similarity, cand.coverage, cand.key_coverage, cand.typed, cand.score = float(sim), coverage, key_coverage, typed, score + bonus
                cand.bonus = bonus
                cand.kind_only = kind_only
        return marks

    def _unknown_names(self, question: str, context: tuple[dict[str, set[str]], dict[str, set[str]], dict[str, Any], dict[str, str]]) -> list[str]:
        """Names the question asks about that neither the passages nor any other indexed article mention:
        'How much is India's defence budget?' over a corpus that never names India."""
        if self.mentioned is None:
            return []
        article_terms, _, _, article_texts = context
        known = set().union(*article_terms.values())
        names = unmentioned_names(question, known, article_texts.values())
        return [name for name in names if not all(self.mentioned(t) for t in terms(name))]

    def _sentence_vectors(self, candidates: list[Candidate]) -> Any:
        """Sentence embeddings, cached per chunk: the same passages come back for many questions.

        Each is the mean of the sentence's own vector and that of the sentence under its headline: a sentence
        that leaves its subject to the headline ("Its main payload was NTS-3") still matches a question naming it."""
        import numpy as np

        missing = [c for c in candidates if (c.passage.chunk.id, c.start) not in self._cache]
        if missing:
            texts = [c.shown or c.text for c in missing]
            titled = [f"{c.passage.chunk.title}. {t}" for c, t in zip(missing, texts)]
            vectors = encode(self.embeddings, texts + titled)
            for i, cand in enumerate(missing):
                self._cache[(cand.passage.chunk.id, cand.start)] = (vectors[i] + vectors[len(missing) + i]) / 2
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
                # "It is expected to receive 28 missions" is shown with the sentence it refers back to, and judged so
                shown = text[previous[0] : end] if previous else sentence
                out.append(Candidate(passage, start, end, sentence, set(terms(shown)), context, previous, shown))
        return out


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


def _newest_close(ranked: list[Candidate], best: Candidate, margin: float = 0.1) -> Candidate:
    """For 'latest' questions: of the typed answers scoring close to the best, the one from the newest article."""
    close = [c for c in ranked if c.score >= best.score - margin and c.typed and c.key_coverage >= 0.5]
    dated = [c for c in close if c.passage.chunk.published]
    if not dated:
        return best
    return max(dated, key=lambda c: (c.passage.chunk.published, c.score))


def _date_words(day: object) -> str:
    return day.strftime("%B %d %Y").replace(" 0", " ") if hasattr(day, "strftime") else ""


def _coverage(q_terms: set[str], sentence: set[str], context: set[str], chunk: set[str]) -> float:
    if not q_terms:
        return 0.0
    hit = sum(1.0 if t in sentence else 0.5 if t in context else 0.25 if t in chunk else 0.0 for t in q_terms)
    return hit / len(q_terms)


def _own_names(part: str, parts: list[str]) -> list[set[str]]:
    """The names that this part of a question gives and the other parts do not."""
    others = set().union(*(set(terms(p)) for p in parts if p != part))
    return [name for name in key_names(part) if not name & others]


def _names_something(part: str) -> bool:
    """Does this part of a question name what it asks about? A date alone ("the target by August 2025") does not."""
    return any(t not in MONTH_NAMES and not re.fullmatch(r"(19|20)\d\d", t) for t in key_terms(part) & set(terms(part)))


def _repeats(cand: Candidate, other: Candidate) -> bool:
    """The same sentence, perhaps from another passage or with a neighbour attached."""
    a, b = normalise(cand.text), normalise(other.text)
    return a in b or b in a


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))


def _within(span: tuple[int, int, int], other: tuple[int, int, int]) -> bool:
    """Is the passage span (rank, start, end) inside a longer one of the same passage?"""
    return span[0] == other[0] and other[1] <= span[1] and span[2] <= other[2] and span != other


def citations_for(chosen: list[Candidate]) -> tuple[str, list[Citation]]:
    """Compose the answer: each sentence (with the sentence it refers back to) and `[n]`, n = retrieval rank."""
    parts: list[str] = []
    spans: dict[int, list[tuple[int, int]]] = {}
    passages: dict[int, Passage] = {}
    shown = {id(c): (c.passage.rank, c.previous[0] if c.previous else c.start, c.end) for c in chosen}
    # a sentence that another one already shows, as the sentence it refers back to, is not repeated
    kept: list[Candidate] = []
    for i, c in enumerate(chosen):
        span = shown[id(c)]
        if not any(_within(span, shown[id(o)]) or (j < i and span == shown[id(o)]) for j, o in enumerate(chosen) if o is not c):
            kept.append(c)
    chosen = kept
    for cand in sorted(chosen, key=lambda c: (chosen.index(c) if c is chosen[0] else 1, c.passage.rank, c.start)):
        n, start, _ = shown[id(cand)]
        text = " ".join(cand.passage.chunk.text[start : cand.end].split())  # hard-wrapped lines read as one
        parts.append(f"{text} [{n}]")
        spans.setdefault(n, []).append((start, cand.end))
        passages[n] = cand.passage
    citations = [Citation(n, passages[n], tuple(sorted(set(spans[n])))) for n in sorted(spans)]
    return " ".join(parts), citations

