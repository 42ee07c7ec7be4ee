"""Verb forms for turning a question into the noun phrase it asks for ("did Finland choose" -> "Finland chose")."""

from __future__ import annotations

_IRREGULAR_PAST = {
    "buy": "bought", "build": "built", "win": "won", "sell": "sold", "pay": "paid", "make": "made", "spend": "spent",
    "choose": "chose", "get": "got", "give": "gave", "take": "took", "send": "sent", "say": "said", "tell": "told",
    "fly": "flew", "begin": "began", "bring": "brought", "find": "found", "hold": "held", "keep": "kept", "lose": "lost",
    "meet": "met", "put": "put", "set": "set", "cut": "cut", "run": "ran", "see": "saw", "shoot": "shot", "sign": "signed",
    "lead": "led", "leave": "left", "have": "had", "do": "did", "go": "went", "come": "came", "know": "knew", "fall": "fell",
    "seek": "sought", "think": "thought", "strike": "struck", "show": "showed", "write": "wrote", "break": "broke",
}
_SIBILANT = ("s", "sh", "ch", "x", "z", "o")


def past_tense(verb: str) -> str:
    """'launch' -> 'launched', 'choose' -> 'chose', 'plan' -> 'planned' (short consonant-vowel-consonant words)."""
    low = verb.lower()
    if low in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[low]
    if low.endswith("e"):
        return verb + "d"
    if low.endswith("y") and len(low) > 2 and low[-2] not in "aeiou":
        return verb[:-1] + "ied"
    if len(low) <= 4 and len(low) >= 3 and low[-1] not in "aeiouwxy" and low[-2] in "aeiou" and low[-3] not in "aeiou":
        return verb + verb[-1] + "ed"
    return verb + "ed"


def present_tense(verb: str) -> str:
    """Third person singular: 'buy' -> 'buys', 'launch' -> 'launches', 'carry' -> 'carries'."""
    low = verb.lower()
    if low == "have":
        return "has"
    if low.endswith(_SIBILANT):
        return verb + "es"
    if low.endswith("y") and len(low) > 2 and low[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"
