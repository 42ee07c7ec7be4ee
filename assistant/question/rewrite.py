"""Turn a follow-up into one standalone question, deterministically, from the earlier questions of the conversation.

A follow-up leans on the conversation by a pronoun ("Who is in charge of it?"), a reference ("that system", "the
General Atomics one"), or an ellipsis ("And for David's Sling?", "Over how many years?"). The reference is replaced
by what it stands for: the subject of the previous question ("Golden Dome"), or the thing the previous question
asked for ("the air defence system Finland chose in November 2023"). A question with none of these is asked alone,
even right after another topic ("What happened this year?").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .rewrite_grammar import past_tense, present_tense

_OPENER = re.compile(r"^\s*(?:and|but|also|so|then|ok(?:ay)?|well)\b[\s,]*", re.I)
_ABOUT = re.compile(r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(?P<x>.+?)\s*[?.!]*\s*$", re.I)
_AND_X = re.compile(r"^\s*and\s+(?P<x>(?:for|in|about|of|with)?\s*.+?)\s*[?.!]*\s*$", re.I)
_FRAGMENT = re.compile(r"^\s*(?:over|in|for|by|since|from|as|at|on|with|during|between|compared)\b", re.I)
_NAME = re.compile(r"(?:[A-Z][\w'’\-./]*|[0-9]+[\w\-]*)(?:\s+(?:of\s+|the\s+|for\s+)?(?:[A-Z][\w'’\-./]*|[0-9]+[\w\-]*))*")
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
_QUESTION_OPENERS = {"What", "What's", "Which", "Who", "Who's", "When", "Where", "Why", "How", "Did", "Does", "Do", "Is", "Are", "Was", "Were", "Has", "Have", "Can", "Will", "And", "But", "So", "The", "In", "On", "By", "As", "At", "Tell", "Summarise", "Summarize", "Give", "List", "Show", "I", "US"}
_AUX = {"did", "does", "do", "is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "should", "may", "might"}
_PREPOSITIONS = {"on", "in", "at", "for", "to", "from", "with", "about", "by", "of", "over", "into", "the", "a", "an", "its", "their"}
_TIME_NOUNS = r"(?:year|month|week|quarter|spring|summer|autumn|fall|winter|time|morning|day|decade|century|fiscal)"
_GENERIC = (
    r"(?:system|systems|programme|programmes|program|programs|plan|company|companies|firm|firms|deal|contract|contracts|"
    r"award|awards|missile|missiles|aircraft|plane|jet|bomber|bombers|satellite|satellites|plant|factory|site|sites|base|"
    r"strike|attack|order|launch|launches|test|budget|agreement|summit|weapon|rocket|vehicle|battery|constellation|project|"
    r"initiative|fund|package|sale|report|estimate|effort|shield|interceptor|interceptors|drone|drones|deployment|money)"
)
# a reference the question makes to something earlier, in the order they are tried
_ONE = re.compile(r"\b(?P<det>the|that|this)\s+(?P<mod>(?:[A-Z0-9][\w'’\-./]*\s+){1,4})one\b")
_DEMONSTRATIVE = re.compile(rf"\b(?P<det>that|this|those|these|the)\s+(?P<noun>{_GENERIC})\b(?!\s+(?:of|for|in|to|at|by)\s+[A-Z])", re.I)
_PRONOUN = re.compile(
    rf"\b(?P<p>it|its|they|them|their|he|him|his|she|her|that|this|those|these|there)\b(?!\s+{_TIME_NOUNS}\b)(?!\s*')", re.I
)
_PRONOUN_THAT = re.compile(r"^(?:\s*[?.!,]|\s*$|\s+(?:is|was|are|were|be|been|compare|compares|mean|means|cost|costs|come|came|happen|happened|include|includes|of|in|for|worth|more|less|bigger|larger|smaller|higher|lower|cheaper|enough|all|much|[a-z]+ed\b))", re.I)
_DEFINITE = re.compile(r"\bthe\s+(?P<first>[a-z][\w\-]*)(?:\s+[a-z][\w\-]*)?\b(?=\s+(?:is|was|are|were|be|been|deployed|built|used|made|have|has|had|do|does|did|get|got|cost|costs|go|went|[a-z]+ed)\b|\s*[?.!]?$)")
_GENERAL = {"latest", "recent", "biggest", "largest", "most", "newest", "best", "top", "current", "news", "main", "key", "world", "year", "week", "month", "first", "last", "next", "same", "other", "whole", "total", "overall"}
_ASKS_WHEN = re.compile(r"^\s*(?:when|since when|how long|what date|on what date|what year|in what year|which year)\b", re.I)
_MONTH_WORDS = "january|february|march|april|may|june|july|august|september|october|november|december"
_DATE_PHRASE = re.compile(rf"\s*\b(?:in|on|during|since)\s+(?:(?:early|late|mid)\s+)?(?:(?:{_MONTH_WORDS})(?:\s+\d{{1,2}})?,?\s*)?\d{{4}}\b", re.I)
_THERE_EXISTENTIAL = re.compile(r"\b(?:is|are|was|were|be)\s+there\b|\bthere\s+(?:is|are|was|were|have|has|had|will|be|been)\b", re.I)


@dataclass(frozen=True)
class Referent:
    """What an earlier question is about: its `subject` (a name) and `answer`, a noun phrase for what it asked for."""

    subject: str = ""
    answer: str = ""
    answer_kind: str = ""  # "who" (an actor), "which" (things or actors of a kind), "what" (the thing done), "topic"
    names: tuple[str, ...] = ()
    question: str = ""  # the standalone question it comes from


def names_in(question: str) -> list[str]:
    """Name-like phrases in the order they appear ("Amazon's Project Kuiper", "Arrow 3"), dates left out."""
    names = []
    for match in _NAME.finditer(question):
        words = match.group().split()
        while words and words[0].strip(".,?") in _QUESTION_OPENERS:
            words = words[1:]
        while words and (_is_date_word(words[-1]) or (len(words) > 1 and words[-2].lower() in _MONTHS and words[-1].strip(".,?").isdigit())):
            words = words[:-1]
        while words and _is_date_word(words[0]):
            words = words[1:]
        phrase = " ".join(words).strip(" ?.,")
        if phrase and not phrase.isdigit() and phrase.lower().rstrip(".") not in _MONTHS:
            names.append(phrase)
    return names


def _is_date_word(word: str) -> bool:
    """A month name or a year ('2025'), but not the number of a name ('Arrow 3', 'Tower 22')."""
    word = word.lower().strip(".,?")
    return word in _MONTHS or (word.isdigit() and len(word) == 4)


def _strong(name: str) -> bool:
    """A name that marks a topic: several words, a digit, or an acronym, rather than one capitalised word."""
    return " " in name or any(ch.isdigit() for ch in name) or sum(ch.isupper() for ch in name) >= 2


def subject_of(question: str) -> str:
    """The name a question is about: its first strong name ("Arrow 3" over "Germany"), else its first name."""
    names = names_in(question)
    strong = [n for n in names if _strong(n)]
    return (strong or names or [""])[0]


def referent_of(question: str) -> Referent:
    """The subject of a (standalone) question and a noun phrase for what it asks for, when its form gives one."""
    q = question.strip().rstrip("?.! ")
    names = tuple(names_in(q))
    subject = subject_of(q)
    words = q.split()
    lower = [w.lower() for w in words]
    answer, kind = "", ""
    if len(words) >= 3 and lower[0] == "who" and not (lower[1] in {"is", "was"} and names and " ".join(words[2:]) in names):
        answer, kind = "the person who " + " ".join(words[1:]), "who"
    elif len(words) >= 3 and lower[0] in {"which", "what"} and lower[1] not in _AUX and lower[1] not in {"'s", "happened"} and not lower[0].endswith("'s"):
        aux_at = next((i for i in range(2, min(len(words), 7)) if lower[i] in _AUX), None)
        if aux_at is not None:
            noun = " ".join(words[1:aux_at])
            clause = _clause(words[aux_at], words[aux_at + 1 :])
            if clause:
                answer, kind = f"the {noun} {clause}", "which"
        elif lower[1] not in {"was", "is"}:
            answer, kind = f"the {words[1]} that " + " ".join(words[2:]), "which"
    elif len(words) >= 3 and lower[0] == "what" and lower[1] in {"did", "does", "do"}:
        clause = _clause(words[1], words[2:])
        if clause:
            answer, kind = "what " + clause, "what"
    elif len(words) >= 3 and lower[0] in {"what", "what's"} and (lower[1] in {"is", "are", "was", "were"} or lower[0] == "what's"):
        rest = words[1:] if lower[0] == "what's" else words[2:]
        if rest and (rest[0][0].isupper() or rest[0].lower() in {"the", "a", "an"}) and not any(w.endswith("ing") for w in rest[1:3]):
            answer, kind = " ".join(rest), "topic"
    elif len(lower) >= 4 and lower[:3] == ["tell", "me", "about"]:
        answer, kind = " ".join(words[3:]), "topic"
    return Referent(subject, answer, kind, names, question.strip())


def _clause(aux: str, rest: list[str]) -> str:
    """'did' + 'Finland choose in November 2023' -> 'Finland chose in November 2023'; '' when no verb is found."""
    for i, word in enumerate(rest):
        if i == 0 and word.lower() in {"the", "a", "an"}:
            continue
        if word[:1].isupper() or word[:1].isdigit() or word.lower() in {"the", "of", "'s"}:
            continue
        following = rest[i + 1] if i + 1 < len(rest) else ""
        if word.endswith("s") and following[:1].islower() and following.lower() not in _PREPOSITIONS:
            continue  # a plural noun before the verb ("NATO allies agree on ...")
        if i == 0:
            return ""
        verb = word
        if aux.lower() == "did":
            verb = past_tense(word)
        elif aux.lower() == "does":
            verb = present_tense(word)
        elif aux.lower() not in {"do"}:
            verb = f"{aux.lower()} {word}"
        return " ".join([*rest[:i], verb, *rest[i + 1 :]])
    return ""


def _previous(history: Sequence[str]) -> Referent:
    """The referent of the latest earlier question that has one, each earlier question itself resolved first."""
    for end in range(len(history), 0, -1):
        standalone = rewrite_followup(history[end - 1], history[: end - 1])
        referent = referent_of(standalone)
        if referent.subject or referent.answer:
            return referent
    return Referent()


def rewrite_followup(question: str, history: Sequence[str]) -> str:
    """The question as it would be asked alone: its references to the conversation replaced by what they stand for.

    Unchanged when it names its own subject or changes topic, and when there is no conversation to lean on."""
    question = question.strip()
    if not history:
        return question
    referent = _previous(history)
    if not referent.subject and not referent.answer:
        return question
    resolved = _resolve(question, referent)
    return resolved if resolved is not None else question


def _resolve(question: str, ref: Referent) -> str | None:
    context = ref.question
    about = _ABOUT.match(question) or _AND_X.match(question)
    if about and _elliptic(about.group("x")):
        return _swap(context, about.group("x"), ref)
    body = _OPENER.sub("", question, count=1)
    if _FRAGMENT.match(body) and not any(w.lower() in _AUX for w in body.split()[:4]):
        return _cap(f"{context.rstrip(' ?.!')}, {body[:1].lower()}{body[1:]}")
    result = _replace_reference(body, ref)
    if result is None:
        return _cap(body) if body != question else None
    return _cap(result)


def _elliptic(x: str) -> bool:
    """'David's Sling', 'the Space Force', 'the July one', 'as a share of GDP': a phrase without a verb of its own."""
    words = x.split()
    return 0 < len(words) <= 7 and not any(w.lower() in _AUX for w in words) and words[0].lower() not in {"what", "which", "who", "when", "where", "why", "how"}


def _swap(context: str, x: str, ref: Referent) -> str:
    """The previous question asked again of `x`: in place of the name of the same shape, or with `x` appended."""
    x = re.sub(r"^(?:for|about|with)\s+", "", x.strip(), flags=re.I)
    if _FRAGMENT.match(x):  # "as a share of GDP": the same question, narrowed
        return _cap(f"{context.rstrip(' ?.!')}, {x[:1].lower()}{x[1:]}?")
    month = re.fullmatch(r"(?:the\s+)?(?P<when>[A-Z][a-z]+(?:\s+\d{4})?)\s+one", x)
    if month and month.group("when").split()[0].lower() in _MONTHS:
        swapped = re.sub(rf"\b(?:{'|'.join(sorted(_MONTHS, key=len, reverse=True))})\b(?:\s+\d{{4}})?", month.group("when"), context, count=1, flags=re.I)
        if swapped != context:
            return swapped
    x, _, narrowing = x.partition(",")  # "the Space Force, counting reconciliation money"
    if narrowing.strip():
        context = f"{context.rstrip(' ?.!')},{narrowing.rstrip(' ?.!')}?"
    target = re.sub(r"^the\s+", "", x, flags=re.I)
    names = list(ref.names)
    if names and names_in(x):
        def shape(name: str) -> tuple[bool, bool]:
            return (any(c.isdigit() for c in name) == any(c.isdigit() for c in target), (" " in name) == (" " in target))

        best = max(names, key=lambda n: (shape(n), len(n)))
        pattern = rf"(?:\bthe\s+)?{re.escape(best)}" if x.lower().startswith("the ") else re.escape(best)
        return re.sub(pattern, lambda _: x, context, count=1)
    return _cap(f"{context.rstrip(' ?.!')}, {x[:1].lower()}{x[1:]}?")


def _replace_reference(body: str, ref: Referent) -> str | None:
    """Replace the first reference to the conversation in `body`; None when it makes none."""
    own_names = [n for n in names_in(body) if _strong(n) or n not in {"I", "US"}]
    one = _ONE.search(body)
    if one:  # "the General Atomics one" after a question about the CCA increment: "the General Atomics CCA"
        return body[: one.end() - 3] + ref.subject + body[one.end() :] if ref.subject else None
    demo = _DEMONSTRATIVE.search(body)
    if demo and (demo.group("det").lower() != "the" or not own_names):
        if ref.answer and ref.answer_kind in {"which", "what"}:
            phrase = _DATE_PHRASE.sub("", ref.answer).strip() if _ASKS_WHEN.match(body) else ref.answer
            return body[: demo.start()] + (phrase or ref.answer) + body[demo.end() :]
        names = " ".join(dict.fromkeys([ref.subject, *list(ref.names)])) if ref.subject else ref.answer
        return body[: demo.start()] + f"the {names} {demo.group('noun')}" + body[demo.end() :]
    definite = _DEFINITE.search(body)
    if definite and not own_names and ref.answer_kind == "which" and definite.group("first").lower() not in _GENERAL:
        # "How long was the boat deployed?" after "Which submarine fired Tomahawks at Libya ...?"
        phrase = _DATE_PHRASE.sub("", ref.answer).strip() if _ASKS_WHEN.match(body) else ref.answer
        return body[: definite.start()] + phrase + body[definite.end() :]
    for match in _PRONOUN.finditer(body):
        pronoun = match.group("p").lower()
        after = body[match.end() :]
        if pronoun in {"that", "this", "those", "these"} and not _PRONOUN_THAT.match(after):
            continue
        if pronoun == "there" and (_THERE_EXISTENTIAL.search(body[max(0, match.start() - 6) : match.end() + 6]) or not ref.names):
            continue
        if pronoun == "there":
            place = list(ref.names)[-1] if list(ref.names) else ""
            return body[: match.start()] + f"at {place}" + body[match.end() :] if place else None
        phrase = _antecedent(pronoun, body[: match.start()], ref)
        if not phrase:
            return None
        if _ASKS_WHEN.match(body):  # the earlier question's date would read as the period asked about
            phrase = _DATE_PHRASE.sub("", phrase).strip() or phrase
        if pronoun in {"its", "their", "his"} or (pronoun == "her" and re.match(r"\s+[a-z]", after) and not re.match(r"\s+(?:to|for|with|about|in|on|at|by)\b", after)):
            phrase = phrase + ("'" if phrase.endswith("s") else "'s")
        return body[: match.start()] + phrase + body[match.end() :]
    return None


def _antecedent(pronoun: str, before: str, ref: Referent) -> str:
    """What a pronoun stands for: an actor ("they", "he") is the subject or whoever a "who" question asked for;
    a thing ("it", "them", "that") is what the previous question asked for, else its subject."""
    nominative = bool(re.search(r"\b(?:did|does|do|is|are|was|were|has|have|had|will|would|can|could)\s*$", before, re.I)) or not before.strip()
    if pronoun in {"he", "him", "his", "she", "her"}:
        return ref.answer if ref.answer_kind == "who" else (ref.subject or ref.answer)
    if pronoun in {"they", "their"}:
        return ref.answer if ref.answer_kind in {"who", "which"} else (ref.subject or ref.answer)
    if pronoun in {"them", "those", "these"}:
        if ref.answer_kind == "who" and _strong(ref.subject):  # "Who won the contract for JTAARS?" -> procure them
            return ref.subject
        return ref.answer if ref.answer_kind in {"who", "which", "what"} else (ref.subject or ref.answer)
    if pronoun in {"that", "this"}:
        return ref.answer or ref.subject
    # it / its: the thing asked for when the question asked for a thing; else the subject
    if ref.answer_kind == "what" or (ref.answer_kind == "which" and not ref.answer.split(" that ")[0].endswith("s")):
        return ref.answer
    if ref.answer_kind == "topic" and not nominative:
        return ref.answer
    return ref.subject or ref.answer


def _cap(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text
