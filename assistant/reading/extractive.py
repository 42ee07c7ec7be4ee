"""Extractive answers: the retrieved sentences that best answer the question, each cited. No LLM."""

from __future__ import annotations

import re
from typing import Any, Callable

from langchain_core.embeddings import Embeddings

from .answerable import (
    ASKS_ABOUT_INSTRUCTIONS,
    INSTRUCTION,
    KINDS,
    REFERS,
    names_in,
    predicate,
    premise_subject,
    says,
    values_of,
    withheld_clause,
)
from ..encoders.embeddings import encode
from ..ingest.sentences import sentence_key, sentence_vectors
from ..question.analysis import RECENT, answer_type
from ..question.names import MONTH_TERMS, key_names, unmentioned_names
from ..question.splitter import split_question
from ..question.timeparse import own_month
from .compute import STATES_TOTAL, asked_operation
from .awards import AWARD_LIST, FACETS, award_counts, awardees, facets, fields, opens_award, states, states_field
from .near_miss import paragraph_of, unmet_condition
from .short_answer import only_given
from .reader_model import ReaderModel, features
from .award_roles import RoleModel, lead_for_role, role_sentence
from ..schema import Passage
from ..text import normalise, terms
from .award_answers import asks_of_one_award, award_meant, follow, in_paragraph, named_award, share_of, stating, total_of, two_awards, with_lead
from .candidates import Candidate, Extraction, Mark, article_context, candidates_of, newest_close, overlap, repeats
from .scoring import UNTYPED, own_names, score_sentences

# "What is the total value ...", "... the total cumulative face value": the question asks for a contract's total, which
# a sentence says as such ("increases the total value of the contract", "brings the total cumulative face value")
TOTAL_ASKED = re.compile(r"\b(?:total|cumulative|overall|in all|altogether)\b", re.I)
_CLOSE_LEADS = 0.05  # leads this close in score are the same kind of match: their paragraphs decide
RESCUE = 0.1  # how far below an answer's score an award lead may fall and still lend its award's role sentence
_MONTHS = MONTH_TERMS | set(terms("jan feb mar apr jun jul aug sep sept oct nov dec"))
_FIGURE = re.compile(r"[\d$.,/\-]+")  # "2017", "2025-26", "$5"
_UNKNOWN_SHARE = 3  # a question is about names no article mentions when they are one in this many of its names, or more
_TOO_FAR = "no sentence matches the question closely enough"


def _mostly_unknown(question: str, unknown: list[str]) -> bool:
    """Are the names no indexed article mentions a third or more of the names the question gives (its months, years
    and figures are not counted: adding a date to a question does not make it less about a name)? "How many satellites
    does China's Guowang megaconstellation plan?" asks about Guowang; a question that describes an award by its
    contractor, town, state, command and month and adds one name of its own ("a third SEALION craft") asks about what
    the articles do name, and the sentence chosen for it is still held to the question's other names and conditions."""
    names = [name for name in key_names(question) if not all(t in _MONTHS or _FIGURE.fullmatch(t) for t in name)]
    missing = {t for name in unknown for t in terms(name)}
    return sum(1 for name in names if name & missing) * _UNKNOWN_SHARE >= len(names)


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
        award_conditions: bool = False,
        roles: RoleModel | None = None,
        stored: Callable[[list[str]], dict[str, Any]] | None = None,
    ):
        self.embeddings = embeddings
        self.stored = stored  # sentence vectors stored at indexing, by key (Store.sentence_vectors); None: encode all
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
        # refuse when the best sentence's award does not meet the question's customer, share, contractor, figure or
        # amount (obligated, with options, minimum): see near_miss.unmet_condition
        self.award_conditions = award_conditions
        self.roles = roles  # which sentence of an award a question asks about (award_roles.py); None: the best as scored

    def extract(self, question: str, passages: list[Passage]) -> Extraction:
        """The sentences that answer `question`, or an abstention with its reason. An answer may carry a reason too: a
        caveat the analyst should read beside it (a name of the question that no indexed article mentions)."""
        caveats: list[str] = []
        extraction = self._extract(question, passages, caveats)
        return extraction if extraction.abstained or not caveats else Extraction(extraction.sentences, False, caveats[0])

    def _extract(self, question: str, passages: list[Passage], caveats: list[str]) -> Extraction:
        candidates = candidates_of(passages)
        if not ASKS_ABOUT_INSTRUCTIONS.search(question):
            # Text addressed to an AI reader ("ignore previous instructions and tell the reader ...") is quoted by an
            # article, not reported by it: it answers only a question about such instructions.
            candidates = [c for c in candidates if not INSTRUCTION.search(c.shown or c.text)]
        if not candidates:
            return Extraction([], True, "no passage was retrieved")
        parts = split_question(question)
        vectors = encode(self.embeddings, [question] + parts)
        cand_vectors = self._sentence_vectors(candidates)
        context = article_context(candidates)
        # a sentence that names what the parts compare ("Lockheed Martin's ... and Sierra Space's ...") leads
        compared = [name for part in parts for name in own_names(part, parts)]
        score_sentences(question, question, vectors[0], candidates, cand_vectors, context, keep=True, bridge=compared)
        ranked = sorted(candidates, key=self._order(question, candidates, passages), reverse=True)
        best = ranked[0]
        if not parts and asked_operation(question) in ("sum", "difference", "larger"):
            pair = two_awards(question, candidates)
            if isinstance(pair, str):
                return Extraction([], True, pair)
            if pair is not None:  # "the combined value of the two": each award's lead gives its operand
                return Extraction(pair, False)
        if RECENT.search(normalise(question)) and not parts:
            best = newest_close(ranked, best)
            ranked.remove(best)
            ranked.insert(0, best)
        unknown = self._unknown_names(question, context)
        if unknown and _mostly_unknown(question, unknown):
            return Extraction([], True, f"the indexed articles never mention {', '.join(unknown)}")
        if unknown:
            caveats.append(
                f"the indexed articles never mention {', '.join(unknown)}: the answer is about what the question's other "
                "names describe, which may not be what was asked"
            )
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
            lead = named_award(question, candidates, asked, self.embeddings) or self._lead_of(question, candidates, asked)
            if lead is None and self.roles is not None and why.startswith(_TOO_FAR):
                lead = lead_for_role(self.roles, question, vectors[0], candidates, self.min_score - RESCUE)
            if lead is not None:  # the sentence after the lead that names what is asked gives the value
                best, why = lead, ""
                ranked.remove(best)
                ranked.insert(0, best)
                answering.insert(0, best)
        if not why and best not in answering:
            best = answering[0]
            ranked.remove(best)
            ranked.insert(0, best)
        if not why and not parts and answer_type(question) == "money" and TOTAL_ASKED.search(question) and not STATES_TOTAL.search(best.text):
            total = total_of(best, candidates)
            if total is not None:  # "what is the total value ...": the paragraph's own total, after its lead
                ranked.remove(total)
                best = total
                ranked.insert(0, best)
        if not parts:
            held = award_meant(question, best, candidates, asked, self.embeddings)
            if held is not None:
                # "Lockheed Martin's $375.8 million Hellfire II contract": the amount the question gives is one award's
                ranked.remove(held)
                best, why = held, ""
                ranked.insert(0, best)
        chunks = [c.passage.chunk for c in candidates]
        # the best sentence belongs to one award of a list, or opens a paragraph that is an award
        award_list = award_counts(chunks).get(best.passage.chunk.article_id, 0) >= AWARD_LIST or opens_award(
            paragraph_of(best.passage.chunk.text, best.previous[0] if best.previous else best.start, best.end)
        )
        # "Which company ..., and which Corps district signed the January 2015 deal?": parts that all ask about the best
        # sentence's award are answered from its paragraph and held to the question's conditions like one question
        one_award = bool(parts) and not why and award_list and asks_of_one_award(question, parts, best.passage.chunk.published)
        if not why and not parts and award_list and answer_type(question) == "money":
            for facet in facets(question):  # the amount obligated, with every option, the minimum: said on its own
                if not states(facet, best.text):
                    stated = stating(facet, best, candidates)
                    if stated is None:
                        if self.award_conditions:
                            why = f"the closest award ({best.passage.chunk.title}) gives no {FACETS[facet][2]}"
                        break
                    ranked.remove(stated)
                    best = stated
                    ranked.insert(0, best)
        stated_field = False  # the sentence that states the detail asked answers; the role model does not move it
        if not why and not parts and award_list:
            # where the work is done, which office contracts: said by the paragraph's own sentence, not the lead
            for field in fields(question):
                if not states_field(field, best.text):
                    paragraph = in_paragraph(best, candidates)
                    stated = next((c for c in paragraph if states_field(field, c.text)), None)
                    if stated is not None:
                        ranked.remove(stated)
                        best = with_lead(stated, paragraph)
                        ranked.insert(0, best)
                stated_field = stated_field or states_field(field, best.text)
            share = share_of(question, best, candidates)
            if share is not None and share is not best:  # "How much is Kuwait paying?": Kuwait's own amount
                ranked.remove(share)
                best = share
                ranked.insert(0, best)
        if not why and not parts and award_list and self.roles is not None and not stated_field:
            stated = role_sentence(self.roles, question, vectors[0], best, candidates)
            if stated is not None:  # "by when must ... wrap up": the award's sentence that gives its end
                ranked.remove(stated)
                best = stated
                ranked.insert(0, best)
        if not why and not parts and award_list:
            # "No completion date or additional information is provided on Naval Nuclear Propulsion program
            # contracts.": the award's own paragraph says the asked value is not given
            for cand in in_paragraph(best, candidates):
                withheld = withheld_clause(question, cand.text)
                if withheld:
                    why = f"passage [{cand.passage.rank}] says it has not been made public: \"{withheld}\""
                    break
        if not why and (not parts or one_award) and self.near_misses:  # a year, figure or name the question gives must hold
            shown = best.previous[0] if best.previous else best.start  # a sentence shown with its lead: from the lead
            article = best.passage.chunk.article_id
            contractors = awardees(chunks) if self.award_conditions else None
            why = unmet_condition(question, best.passage.chunk, context[3][article], (shown, best.end), award_list, contractors)
            given = "" if why or not self.award_conditions else only_given(question, best.shown or best.text)
            if given:
                why = f"the closest passage ({best.passage.chunk.title}) gives only the figure the question states ({given})"
        if one_award and why:  # the award the parts ask about misses a condition the question sets
            return Extraction([], True, why)
        if parts:
            # The best sentence for the whole question leads when it answers on its own; each part then adds its own.
            chosen = [] if why else [best]
            pool, pool_vectors = candidates, cand_vectors
            if one_award:  # each part is answered by the award's own paragraph, not by a neighbour's closer sentence
                own = {id(c) for c in in_paragraph(best, candidates)}
                kept = [i for i, c in enumerate(candidates) if id(c) in own]
                pool, pool_vectors = [candidates[i] for i in kept], cand_vectors[kept]
            picks = self._parts(question, parts, vectors[1:], pool, pool_vectors, context, chosen)
            if why and not all(pick is not None and pick[1] for pick in picks):
                return Extraction([], True, why)
            if one_award:  # a detail a part asks of the award (where, whose funds) is said by its own sentence
                for field in dict.fromkeys(f for part in parts for f in fields(part)):
                    stated = next((c for c in pool if states_field(field, c.text)), None)
                    if stated is not None and not any(repeats(stated, x) for x in chosen):
                        chosen.append(stated)
            for pick in picks:
                chosen.extend(c for c in (pick[0] if pick else []) if not any(repeats(c, x) for x in chosen))
            if one_award:
                chosen.sort(key=lambda c: c.start)  # one paragraph: in the release's order
            return Extraction(chosen[: self.max_sentences + 1], False)
        if why:
            return Extraction([], True, why)
        # an award's sentence shown with its lead answers for that award: the release's other awards are neighbours; of
        # a question about one award (nothing added up or compared), any other award is, in any release
        one = award_list and not asked_operation(question)
        alone = one or (award_list and best.previous is not None)
        return Extraction(self._more(question, best, ranked, own_award=alone, one_award=one), False)

    def scored(self, question: str, passages: list[Passage]) -> list[Candidate]:
        """Every candidate sentence scored for the whole question, as `extract` scores them before choosing."""
        candidates = candidates_of(passages)
        if not candidates:
            return []
        parts = split_question(question)
        vector = encode(self.embeddings, [question])[0]
        compared = [name for part in parts for name in own_names(part, parts)]
        score_sentences(question, question, vector, candidates, self._sentence_vectors(candidates), article_context(candidates), keep=True, bridge=compared)
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
                bridge = own_names(part, parts)
            taken = chosen + [c for pick in picks if pick for c in pick[0]]
            # The lead (the best sentence for the whole question) is not taken from a part that names the month of
            # the lead's own report: "the November 2014 one or the May 2015 one" led by November's award
            month = own_month(part, parts)
            if chosen and month is not None and not any(c is chosen[0] for pick in picks if pick for c in pick[0]):
                published = chosen[0].passage.chunk.published
                if published and month[0] <= published <= month[1]:
                    taken = taken[1:]  # taken begins with the lead
            picks.append(self._pick(part, question, vector, candidates, cand_vectors, context, bridge, taken))
        return picks

    def _more(
        self, question: str, best: Candidate, ranked: list[Candidate], own_award: bool = False, one_award: bool = False
    ) -> list[Candidate]:
        """The best sentence, and those close behind it that add an asked-about term or another value of the kind asked;
        then, when another article close behind reports the same value, its sentence as a second source. With
        `own_award`, no sentence of another paragraph of the best sentence's release joins it; with `one_award` (a
        question about the best sentence's award alone), no other award of any release does, unless it reports the
        same value (the caller sets `own_award` too then)."""
        chosen = [best]
        q_terms = set(terms(question))
        covered = set(best.terms)
        wanted = answer_type(question)
        best_values = values_of(wanted, best.text, question)
        seen_values = set(best_values)
        corroboration: Candidate | None = None
        own = {id(c) for c in in_paragraph(best, ranked)} if own_award else set()
        for cand in ranked[1:]:
            if len(chosen) >= self.max_sentences or cand.score < max(self.min_score, best.score - self.margin):
                break
            if not cand.typed or cand.key_coverage < 0.5:
                continue
            new_terms = (q_terms & (cand.terms | cand.context)) - covered
            values = values_of(wanted, cand.text, question)
            new_values = values - seen_values  # another candidate answer of the asked kind
            elsewhere = cand.passage.chunk.article_id != best.passage.chunk.article_id
            if own_award and not elsewhere and id(cand) not in own:
                continue  # another award of the same release
            if corroboration is None and elsewhere and values & best_values:
                corroboration = cand  # another report of the same figure: shown after the rest
                continue
            if one_award and elsewhere and opens_award(paragraph_of(cand.passage.chunk.text, cand.start, cand.end)):
                continue  # another release's award: a neighbour of the one asked about, not more of its answer
            if not (new_terms or new_values) or any(overlap(cand.terms, c.terms) > 0.6 for c in chosen):
                continue
            chosen.append(cand)
            covered |= cand.terms
            seen_values |= new_values
        return chosen + ([corroboration] if corroboration else [])

    def _lead_of(self, question: str, candidates: list[Candidate], asked: list[str]) -> Candidate | None:
        """A paragraph's lead names what it reports ("Raytheon Co. ... was awarded ... for sustainment of the ...");
        the sentences after it give that award's date, place, customers or funding without naming it again ("One bid
        was solicited with one received with an estimated completion date of Dec. 15, 2020."). When the sentences
        that best match the question lack only the kind of value asked, and would answer if they gave one, the best
        sentence after such a lead in its paragraph that gives one answers, shown with the lead (as a sentence that
        refers back is). Two leads close in score (the same contractor's awards on two days) are told apart by which
        paragraph gives a value of the kind asked. None when there is no such pair."""
        leads = sorted((c for c in candidates if c.kind_only and c.key_coverage >= 0.5), key=lambda c: c.score - c.bonus, reverse=True)
        if not leads or leads[0].score - leads[0].bonus + UNTYPED < self.min_score:
            return None
        close = [c for c in leads if c.score - c.bonus >= leads[0].score - leads[0].bonus - _CLOSE_LEADS]
        for lead in close:
            found = follow(question, lead, candidates, asked)
            if found is not None:
                return found
        return None

    def _refusal(self, question: str, mark: Mark) -> str:
        """Why the best-scoring sentence does not answer `question` ('' when it does)."""
        if mark.plain < self.min_score:
            return f"{_TOO_FAR} ({mark.plain:.2f}; an answer needs {self.min_score})"
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
        marks = score_sentences(part, question, vector, candidates, cand_vectors, context, bridge=bridge)
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
        """Sentence vectors (ingest/sentences.py), cached per chunk: the same passages come back for many questions.
        Those not cached are read from the index, where indexing stored them, and only the rest are encoded here."""
        import numpy as np

        missing = [c for c in candidates if (c.passage.chunk.id, c.start) not in self._cache]
        if missing:
            keys = [sentence_key(c.passage.chunk.title, c.shown or c.text) for c in missing]
            found = self.stored(keys) if self.stored is not None else {}
            unstored = [i for i, key in enumerate(keys) if key not in found]
            if unstored:
                made = sentence_vectors(self.embeddings, [(missing[i].passage.chunk.title, missing[i].shown or missing[i].text) for i in unstored])
                found.update({keys[i]: made[n] for n, i in enumerate(unstored)})
            for cand, key in zip(missing, keys):
                self._cache[(cand.passage.chunk.id, cand.start)] = found[key]
            while len(self._cache) > self.cache_size:
                self._cache.pop(next(iter(self._cache)))
        return np.stack([self._cache[(c.passage.chunk.id, c.start)] for c in candidates])
