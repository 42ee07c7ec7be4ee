"""Turn a follow-up question into a standalone one using the earlier questions of the conversation."""

from __future__ import annotations

import re
from typing import Sequence

_FOLLOWUP_START = re.compile(r"^\s*(and|but|also|so|then|what about|how about|and what about)\b", re.I)
_PRONOUN = re.compile(r"\b(it|its|they|them|their|theirs|this|that|these|those|he|she|his|her|the company|the programme|the program|the system)\b", re.I)
_NAME = re.compile(r"(?:[A-Z][\w'’\-./]*|[0-9]+[\w\-]*)(?:\s+(?:of\s+|the\s+|for\s+)?(?:[A-Z][\w'’\-./]*|[0-9]+[\w\-]*))*")
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
_QUESTION_OPENERS = {"What", "Which", "Who", "When", "Where", "Why", "How", "Did", "Does", "Do", "Is", "Are", "Was", "Were", "Has", "Have", "Can", "Will", "And", "But", "So", "The", "In", "On", "By", "As", "At"}


def subject_of(question: str) -> str:
    """The longest name-like phrase in a question ("Amazon's Project Kuiper", "Golden Dome")."""
    names = []
    for match in _NAME.finditer(question):
        words = match.group().split()
        while words and words[0] in _QUESTION_OPENERS:
            words = words[1:]
        while words and (words[-1].lower().rstrip(".,?") in _MONTHS or words[-1].strip(".,?").isdigit()):
            words = words[:-1]
        phrase = " ".join(words).strip(" ?.,")
        if phrase and not phrase.isdigit() and phrase.lower().rstrip(".") not in _MONTHS:
            names.append(phrase)
    return max(names, key=len) if names else ""


def needs_context(question: str) -> bool:
    if _FOLLOWUP_START.search(question):
        return True
    return bool(_PRONOUN.search(question)) and not subject_of(question)


def rewrite_followup(question: str, history: Sequence[str]) -> str:
    """A follow-up that leans on the conversation ("Who built them?") is asked together with the question
    before it ("What did SDA launch on September 10, 2025? Who built them?"): the answer to the earlier
    question is what the pronoun means, and the earlier question finds the passages that hold it.
    Unchanged when the question stands on its own."""
    question = question.strip()
    if not history or not needs_context(question):
        return question
    earlier = rewrite_followup(history[-1], history[:-1])
    return f"{earlier.rstrip(' ?.')}? {question}"
