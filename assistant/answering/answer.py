"""Numbered passages in, an answer with `[n]` citations out: one streaming path, the blocking call collects it."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace
from datetime import date, timedelta
from typing import Any, Callable, Generator, Iterator, Sequence

from .cards import cite_conflicts, renumber, split_reason
from ..analyst.conflicts import conflicts_note, find_conflicts
from ..reading.compute import compute
from ..analyst.corrected import correction_lines, corrections_in, lead_with_correction
from ..analyst.corrections import related_reports
from ..grounding.corroboration import corroborate
from ..grounding.held import unheld_figures
from ..analyst.digest import build_digest
from ..errors import AssistantError, ConfigError, LLMError
from ..reading.candidates import Extraction, citations_for
from ..reading.extractive import ExtractiveAnswerer
from ..grounding.checker import GroundingChecker, apply_checks
from .llm import RetryPolicy, stream_reply
from .model_reply import Event, LiveChecks, llm_citation, ms_since, parse_markers, passage_attr
from .prompts import PromptSet
from ..question.splitter import split_question
from ..retrieval.retrieve import RetrievalOptions, Retriever
from ..question.rewrite import rewrite_followup
from ..schema import Answer, Filters, Passage, SentenceCheck
from ..question.timeparse import DEADLINE, month_spans, own_month
from ..question.timewords import read_time_words
from ..reading.short_answer import lead_with_value
from ..text import as_sentence, normalise

log = logging.getLogger(__name__)

ABSTAIN_TEXT = "The indexed articles do not cover this question."
_PER_PART = 3  # passages retrieved for each part of a question that asks several things
_REPORTED_WITHIN = 14  # days after the month a part names within which it is still reported
_MONTHS_ASKED = 3  # months of one question whose reports are searched on their own
_ABSTAIN_CUES = ("do not cover", "does not cover", "don't cover", "not covered", "no information", "do not contain", "does not contain", "do not mention", "does not mention")


class Answerer:
    def __init__(
        self,
        retriever: Retriever,
        extractive: ExtractiveAnswerer,
        prompts: PromptSet,
        chat_model: Callable[[], Any] | None = None,
        default_mode: str = "extractive",
        default_k: int = 6,
        max_sentences: int = 3,
        grounding: GroundingChecker | None = None,
        grounding_mode: str = "flag",
        retry: RetryPolicy | None = None,
        source_kind: Callable[[str], str] | None = None,
        reader: bool = False,
        llm_rewrite: bool = False,
    ):
        self.retriever = retriever
        self.extractive = extractive
        self.prompts = prompts
        self._chat_model_factory = chat_model
        self._chat_model: Any = None
        self._model_lock = threading.Lock()
        self.default_mode = default_mode
        self.default_k = default_k
        self.max_sentences = max_sentences
        self.grounding = grounding
        self.grounding_mode = grounding_mode
        self.retry = retry or RetryPolicy()
        self.source_kind = source_kind
        self.llm_rewrite = llm_rewrite  # llm mode: the model rewrites a follow-up, the resolver checks (rewrite_llm)
        self.reader = reader  # llm mode: the extractive reader decides and selects, the model phrases (reader_writer)

    # --- public -------------------------------------------------------------------------------

    def ask(self, question: str, **kwargs: Any) -> Answer:
        for event in self.stream(question, **kwargs):
            if event.answer is not None:
                return event.answer
        raise AssistantError("the answer stream ended without an answer")

    def stream(
        self,
        question: str,
        history: Sequence[str] = (),
        filters: Filters | None = None,
        mode: str | None = None,
        k: int | None = None,
    ) -> Iterator[Event]:
        question = question.strip()
        if not question:
            raise AssistantError("the question is empty")
        mode = mode or self.default_mode
        timings: dict[str, float] = {}
        started = time.perf_counter()
        standalone = rewrite_followup(question, history)
        if mode == "llm" and self.llm_rewrite and history and self.has_llm:
            standalone = self._rewrite_by_model(question, history, standalone)
        as_of, time_note = read_time_words(standalone, self.retriever.config.as_of or date.today(), self._newest)
        passages = self._retrieve(standalone, filters, k or self.default_k, as_of)
        timings["retrieval"] = ms_since(started)
        stories = self.retriever.stories
        passages += related_reports(standalone, passages, self.retriever)  # a correction and what it corrects
        conflicts = tuple(find_conflicts(standalone, passages, stories.group_of))
        base = Answer(question=question, text="", abstained=True, mode=mode, passages=tuple(passages), standalone_question=standalone, conflicts=conflicts)
        if mode == "llm":
            yield Event("status", "generating")
            try:
                answer = yield from self._llm(base, standalone, passages, timings)
            except (LLMError, ConfigError) as exc:
                log.warning("LLM answer failed, falling back to extractive: %s", exc)
                answer = renumber(self._extractive(replace(base, mode="extractive"), standalone, passages, timings))
                if getattr(exc, "partial", ""):
                    # The partial reply must not stand as the answer: withdraw it, then stream the fallback.
                    notice = (f"The language model failed: {exc}. The part of its answer that had arrived was "
                              "discarded; this is the extractive answer instead.")
                    yield Event("reset", notice)
                else:
                    notice = f"The language model failed: {exc}. This is the extractive answer instead."
                answer = replace(answer, notice=" ".join(filter(None, [notice, answer.notice])))  # the reader's own notes stay
                yield Event("token", answer.text)
            # the streamed tokens carry passage ranks; the final answer's cards are numbered 1..n in citing order
            answer = renumber(answer)
        else:
            # cards 1..n in citing order, one per article
            answer = renumber(self._extractive(base, standalone, passages, timings))
            yield Event("token", answer.text)
        answer = cite_conflicts(answer)  # every disputed value points at a card holding its passage
        answer = replace(answer, citations=corroborate(answer.citations, passages, stories.group_of, stories.duplicates, self.source_kind))
        if time_note:  # how "this year" was read, when reading it from the clock would have found nothing
            answer = replace(answer, notice=" ".join(filter(None, [answer.notice, time_note])))
        timings["total"] = ms_since(started)
        yield Event("answer", answer.text, replace(answer, timings_ms=timings))

    def _rewrite_by_model(self, question: str, history: Sequence[str], resolved: str) -> str:
        """The model's standalone question when it passes the resolver's check, else the resolver's."""
        from ..question.rewrite_llm import rewrite_with_model

        try:
            model = self._model()
        except (LLMError, ConfigError) as exc:
            log.warning("no model to rewrite the follow-up, the resolver's is used: %s", exc)
            return resolved
        return rewrite_with_model(model, self.prompts, self.retry, question, history).text

    def _newest(self) -> date | None:
        """The newest indexed article's date (read only for questions with relative time words)."""
        try:
            day = self.retriever.keyword.newest_published()
        except AssistantError:
            return None
        return date(day // 10000, day // 100 % 100, day % 100) if day else None

    def _retrieve(self, question: str, filters: Filters | None, k: int, as_of: date | None = None) -> list[Passage]:
        """The passages for the question, then the rest of the best passage's article; a question that asks several
        things also gets the best passages for each part ("which company ..., and what is that deal worth?" may
        need a second article). Those added are numbered after the first k."""
        passages = self.retriever.retrieve(question, filters, RetrievalOptions(k=k), as_of)
        seen = {p.chunk.id for p in passages}
        # An article is a few chunks: the rest of the best one holds what its retrieved chunk leads up to
        # ("the target unit cost was set at $550 million in 2010 dollars" in the B-21 story's second chunk).
        if passages:
            for chunk in self.retriever.rest_of_article(passages[0], seen):
                seen.add(chunk.id)
                passages.append(Passage(chunk, len(passages) + 1, 0.0))
        parts = split_question(question)
        # "the October 2014 Army order for more UH-72A Lakota helicopters": a question that dates what it asks about by
        # a month also gets the best passages of the reports published then, which the words alone may not retrieve
        # (a day's release lists dozens of awards alike but for their dates); one that dates two awards by their
        # months ("the September 2016 contract and the January 2019 modification") gets those of each month
        unbounded = filters is None or not (filters.since or filters.until)
        for month in month_spans(DEADLINE.sub(" ", question))[:_MONTHS_ASKED] if not parts and unbounded else []:
            self._add(passages, seen, self._within_month(question, filters, month, as_of))
        for part in parts:
            found = self.retriever.retrieve(part, filters, RetrievalOptions(k=_PER_PART), as_of)
            # "... larger: the November 2014 one or the May 2015 one?": each part names the month of its own report,
            # which the words alone rarely retrieve; the reports published in that month are asked too
            found += self._within_month(part, filters, own_month(part, parts) if unbounded else None, as_of)
            self._add(passages, seen, found)
        return self.retriever.widened(passages)

    def _within_month(self, question: str, filters: Filters | None, month: tuple[date, date] | None,
                      as_of: date | None) -> list[Passage]:
        """The best passages of the reports published in the month (and the days after it), none without one."""
        if month is None:
            return []
        within = replace(filters or Filters(), since=month[0], until=month[1] + timedelta(days=_REPORTED_WITHIN))
        return self.retriever.retrieve(question, within, RetrievalOptions(k=_PER_PART), as_of)

    @staticmethod
    def _add(passages: list[Passage], seen: set[str], found: Sequence[Passage]) -> None:
        """Append the passages not already there, numbered after the last."""
        for extra in found:
            if extra.chunk.id not in seen:
                seen.add(extra.chunk.id)
                passages.append(replace(extra, rank=len(passages) + 1))

    # --- modes --------------------------------------------------------------------------------

    def _extractive(self, base: Answer, question: str, passages: list[Passage], timings: dict[str, float]) -> Answer:
        started = time.perf_counter()
        digest = build_digest(question, passages, self.retriever.stories.group_of)  # "What's going on with X?": one dated sentence per article
        if digest is not None:
            timings["generation"] = ms_since(started)
            return replace(base, text=digest[0], abstained=False, citations=tuple(digest[1]))
        extraction = self.extractive.extract(question, passages)
        timings["generation"] = ms_since(started)
        if extraction.abstained:  # the reason goes with it: an analyst should see why there is no answer
            words, details = split_reason(as_sentence(extraction.reason))
            return replace(base, text=ABSTAIN_TEXT, abstained=True, notice=words, notice_details=details)
        answer = self._extracted(base, question, passages, extraction)
        if not extraction.reason or answer.abstained:  # a figure held back may still refuse: its own notice says why
            return answer
        caveat = as_sentence(extraction.reason)  # said beside the answer, not instead of it
        return replace(answer, notice=" ".join(filter(None, [caveat, answer.notice])))

    def _extracted(self, base: Answer, question: str, passages: list[Passage], extraction: Extraction) -> Answer:
        """The answer the extraction's sentences give: a correction's value, a computed figure, or the asked value first."""
        text, citations = citations_for(extraction.sentences)
        first = extraction.sentences[0]
        quoted = replace(base, text=text, abstained=False, citations=tuple(citations))
        fixed = lead_with_correction(question, text, citations, corrections_in(base.conflicts, passages), (first.passage, first.start, first.end))
        if fixed is not None:  # a published correction bears on the answer: its value leads, with what it replaced
            led = replace(base, text=fixed[0], abstained=False, citations=fixed[1], short_answer=fixed[2].value, replaced=fixed[2].replaced or None)
            return _figures_held(led, quoted)
        computed = compute(question, [(c.shown or c.text, c.passage.rank) for c in extraction.sentences])
        if computed is not None:  # a difference, sum, duration or order over the cited values, the arithmetic shown
            return _figures_held(replace(quoted, text=f"{computed.text} {text}", short_answer=computed.short), quoted)
        # the value is read from the sentence the reader judged to give it, not from the lead it is shown with
        others = [c.text for c in extraction.sentences[1:]]
        led_text, value = lead_with_value(question, first.text, first.passage.rank, text, others)
        return _figures_held(replace(quoted, text=led_text, short_answer=value), quoted)

    def _stream_checked(
        self, messages: list[Any], passages: list[Passage], question: str, timings: dict[str, float], started: float
    ) -> Generator[Event, None, tuple[str, "LiveChecks | None"]]:
        """Stream the model's reply as tokens, checking each sentence as it completes; returns the whole reply and the
        live checks (whose context the final check reuses). Shared by both llm paths (whole passages, reader-first)."""
        live = LiveChecks(self.grounding, passages, question) if self.grounding is not None and self.grounding_mode != "off" else None
        pieces: list[str] = []
        for token in stream_reply(self._model(), messages, self.retry):
            if not pieces:
                timings["first_token"] = round(timings.get("retrieval", 0.0) + ms_since(started), 1)
            pieces.append(token)
            yield Event("token", token)
            if live is not None:
                yield from live.feed(token)
        if live is not None:
            yield from live.feed("", final=True)
            timings["grounding_live"] = round(live.ms, 1)
        timings["generation"] = round(ms_since(started) - (live.ms if live is not None else 0.0), 1)
        return "".join(pieces).strip(), live

    def _llm(self, base: Answer, question: str, passages: list[Passage], timings: dict[str, float]) -> Iterator[Event]:
        if self.reader:
            from .reader_writer import answer_stream

            return (yield from answer_stream(self, base, question, passages, timings))
        started = time.perf_counter()
        if not passages:
            timings["generation"] = 0.0
            yield Event("token", ABSTAIN_TEXT)
            return replace(base, text=ABSTAIN_TEXT, abstained=True)
        messages = self._messages(question, passages, base.conflicts)
        raw, live = yield from self._stream_checked(messages, passages, question, timings, started)
        text, cited, dropped = parse_markers(raw, len(passages))
        abstained = not cited and (not text or any(cue in normalise(text) for cue in _ABSTAIN_CUES))
        notes = [f"Dropped citation markers for passages that were not given: {', '.join(dropped)}."] if dropped else []
        checks: tuple[SentenceCheck, ...] = ()
        if self.grounding is not None and self.grounding_mode != "off" and text and not abstained:
            t0 = time.perf_counter()
            context = live.context if live is not None else None
            checks_made = self.grounding.check_answer(text, passages, question, context)
            grounded = apply_checks(checks_made, strict=self.grounding_mode == "strict")
            timings["grounding"] = ms_since(t0)
            checks = grounded.sentences
            if not grounded.text:
                fallback = self._extractive(replace(base, mode="extractive"), question, passages, timings)
                note = "No sentence of the model's answer was supported by the passages it cited; this is the extractive answer instead."
                return replace(fallback, sentences=checks, notice=" ".join(filter(None, [note, fallback.notice])))
            text, cited, _ = parse_markers(grounded.text, len(passages))
            if grounded.corrected:
                notes.append(f"Corrected the citation of {grounded.corrected} sentence(s) to the passage that supports it.")
            if grounded.removed:
                notes.append(f"Removed {grounded.removed} sentence(s) that the cited passages do not support.")
            elif grounded.flagged:
                notes.append(f"{grounded.flagged} sentence(s) are not supported by the passages they cite and are marked.")
        if not cited and not abstained:
            notes.append("The model cited no passage: treat this answer as unverified.")
        by_rank = {p.rank: p for p in passages}
        citations = tuple(llm_citation(n, by_rank[n], text) for n in sorted(cited))
        return replace(
            base, text=text or ABSTAIN_TEXT, abstained=abstained, citations=citations, dropped_markers=tuple(dropped),
            notice=" ".join(notes), sentences=checks,
        )

    @property
    def has_llm(self) -> bool:
        return self._chat_model_factory is not None

    def _model(self) -> Any:
        # Locked: concurrent first questions must not build two clients (or start two local model servers).
        with self._model_lock:
            if self._chat_model is None:
                if self._chat_model_factory is None:
                    raise ConfigError("no language model configured: set ASSISTANT_LLM_BASE_URL or OPENAI_API_KEY")
                self._chat_model = self._chat_model_factory()
            return self._chat_model

    def _messages(self, question: str, passages: list[Passage], conflicts: Sequence[Any] = ()) -> list[Any]:
        from langchain_core.messages import HumanMessage, SystemMessage

        blocks = "\n\n".join(
            self.prompts["passage"].render(
                n=p.rank,
                title=passage_attr(p.chunk.title),
                source=passage_attr(p.chunk.source),
                published=p.chunk.published.isoformat() if p.chunk.published else "unknown",
                text=p.chunk.text.replace("</passage>", "</ passage>"),
            )
            for p in passages
        )
        if conflicts:  # the same note the reader sees: which values differ, newest first
            blocks += "\n\n" + self.prompts["conflicts_note"].render(note=conflicts_note(conflicts))
        fixes = corrections_in(conflicts, passages)
        if fixes:  # which passage corrects which: the model is told, as the extractive answer leads with it
            blocks += "\n\n" + self.prompts["corrections_note"].render(lines=correction_lines(fixes))
        system = self.prompts["answer_system"].render(abstain_text=ABSTAIN_TEXT, max_sentences=self.max_sentences)
        user = self.prompts["answer_user"].render(passages=blocks, question=question)
        return [SystemMessage(system), HumanMessage(user)]


def _figures_held(answer: Answer, quoted: Answer) -> Answer:
    """An extractive answer states no figure that its cited passages do not give. A lead that would (a value or a
    correction put in front of the quoted sentences) gives way to the quoted sentences alone; if even those would,
    the answer is a refusal that names the figure. Either means a defect upstream, so it is logged."""
    unheld = unheld_figures(answer.text, _cited_texts(answer))
    if not unheld:
        return answer
    log.warning("extractive answer states %s, which its citations do not give: %r", sorted(unheld), answer.text[:300])
    held_back = tuple(sorted(unheld))
    if answer is not quoted and not unheld_figures(quoted.text, _cited_texts(quoted)):
        return replace(quoted, held_back=held_back)
    shown = ", ".join(f.removeprefix("date:").removeprefix("pct:") for f in held_back)
    return replace(
        quoted, text=ABSTAIN_TEXT, abstained=True, citations=(), short_answer=None, held_back=held_back,
        notice=f"The passages found do not give the figure the answer would state ({shown}).",
    )


def _cited_texts(answer: Answer) -> list[str]:
    return [part.passage.chunk.text for c in answer.citations for part in (c, *c.also)]
