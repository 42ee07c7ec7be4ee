"""Follow-ups rewritten by the language model (llm mode), with the deterministic resolver as check and fallback.

A small model rewriting "Who is in charge of it?" may do it well, or glue the previous topic onto a question that
changed it, drop a name, or invent one. Its rewrite is used only when it agrees with the conversation as the
resolver (`rewrite.py`) reads it:
- it is one question, not an earlier question repeated, an answer or a list;
- every name it holds is in the question or an earlier question (nothing invented);
- it keeps the question's own names, numbers and content words ("charge" in "Who is in charge of it?");
- when the resolver found what the question refers to, the rewrite names that subject too;
- when the resolver asks the question alone, the rewrite adds no name of an earlier question (no gluing).
Otherwise, and whenever the model fails or is slow to reply, the resolver's question is used.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from typing import Any, Sequence

from ..errors import LLMError
from ..answering.llm import RetryPolicy, cap_tokens, stream_reply
from ..answering.prompts import PromptSet
from .rewrite import names_in, rewrite_followup
from ..text import terms

log = logging.getLogger(__name__)

MAX_TOKENS = 64  # a question, not an answer: a model that rambles is cut off and its reply refused
DEADLINE_S = 20.0  # a rewrite slower than this is abandoned for the resolver's: the answer still has to come
_HISTORY = 3  # earlier questions the model reads (the resolver reads them all)
_LABEL = re.compile(r"^\s*(?:rewritten|standalone|last)?\s*question\s*:\s*", re.I)
_LISTED = re.compile(r"^\s*\d+[.)]\s")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Rewrite:
    """The standalone question used, who made it ("model" or "resolver"), and both readings."""

    text: str
    by: str
    resolver: str
    model: str = ""
    refused: str = ""  # why the model's rewrite was not used, when it was not


def rewrite_messages(prompts: PromptSet, question: str, history: Sequence[str]) -> list[Any]:
    """The system prompt is the same for every question, so a local server keeps it cached."""
    from langchain_core.messages import HumanMessage, SystemMessage

    earlier = "\n".join(f"{i}. {' '.join(q.split())}" for i, q in enumerate(history[-_HISTORY:], start=1))
    user = prompts["rewrite_user"].render(history=earlier, question=" ".join(question.split()))
    return [SystemMessage(prompts["rewrite_system"].render()), HumanMessage(user)]


def clean_reply(raw: str) -> str:
    """The first non-empty line of the reply, without a label ("Rewritten question:") or quotes around it."""
    line = next((ln for ln in raw.strip().splitlines() if ln.strip()), "")
    line = _LABEL.sub("", line).strip().strip("\"'“”`").strip()
    return " ".join(line.split())


def refusal(candidate: str, question: str, history: Sequence[str], resolved: str) -> str:
    """Why the model's rewrite must not be used ('' when it may): see the module docstring."""
    if not candidate:
        return "the model wrote nothing"
    if not candidate.endswith("?") or _LISTED.match(candidate):
        return "the model did not write a question"
    if len(candidate) > 2 * max(len(resolved), len(question)) + 40 or "?" in candidate[:-1]:
        return "the model wrote more than one question"
    said = " ".join([question, *history]).lower()
    lower, asked = candidate.lower(), question.lower()
    if any(" ".join(earlier.lower().split()) == lower for earlier in history) and lower != " ".join(asked.split()):
        return "the model repeated an earlier question"
    missing = set(terms(question)) - set(terms(candidate))
    if missing:
        return f"the model dropped {sorted(missing)[0]!r} from the question"
    invented = [n for n in names_in(candidate) if n.lower() not in said]
    if invented:
        return f"the model named {invented[0]!r}, which the conversation does not"
    lost = [n for n in names_in(question) + _NUMBER.findall(question) if n.lower() not in lower]
    if lost:
        return f"the model dropped {lost[0]!r} from the question"
    added = [n for n in names_in(resolved) if n.lower() not in asked]
    if resolved != question and added and not any(n.lower() in lower for n in added):
        return f"the model lost the subject of the conversation ({added[0]!r})"
    glued = [n for n in names_in(candidate) if n.lower() not in asked]
    if resolved == question and glued:
        return f"the model carried {glued[0]!r} over to a question that does not refer to it"
    return ""


def rewrite_with_model(
    model: Any, prompts: PromptSet, retry: RetryPolicy, question: str, history: Sequence[str], deadline_s: float = DEADLINE_S
) -> Rewrite:
    """The follow-up as one standalone question, by the model when its rewrite passes the check, else the resolver's
    (also when the model is still writing after `deadline_s`)."""
    question = question.strip()
    resolved = rewrite_followup(question, history)
    if not history:
        return Rewrite(question, "resolver", resolved)
    try:
        policy = replace(retry, deadline_s=min(retry.deadline_s, deadline_s))
        raw = "".join(stream_reply(cap_tokens(model, MAX_TOKENS), rewrite_messages(prompts, question, history), policy))
    except LLMError as exc:
        log.warning("follow-up rewrite by the model failed, the resolver's is used: %s", exc)
        return Rewrite(resolved, "resolver", resolved, refused=f"the model failed: {exc}")
    candidate = clean_reply(raw)
    why = refusal(candidate, question, history, resolved)
    if why:
        log.info("follow-up rewrite by the model not used: %s", why)
        return Rewrite(resolved, "resolver", resolved, candidate, why)
    return Rewrite(candidate, "model", resolved, candidate)

