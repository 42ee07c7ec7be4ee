"""Conversations kept in the browser: the pure list operations behind the sidebar (assistant/ui/history.py)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from assistant.ui import history


def turn(question: str, n: int = 0) -> dict:
    return {"id": f"t{n}", "question": question, "answer": f"answer {n}", "markdown": f"**Q:** {question}\n"}


def chat_of(*questions: str) -> list[dict]:
    out = []
    for q in questions:
        out += [{"role": "user", "content": q}, {"role": "assistant", "content": f"<div class='answer'>{q}</div>"}]
    return out


AT = datetime(2025, 6, 10, 14, 3, tzinfo=timezone.utc)


def test_first_answer_creates_a_conversation_titled_by_its_first_question():
    stored, conv_id = history.save([], None, chat_of("How many satellites?"), [turn("  How many\n satellites? ")], AT)
    assert conv_id and len(stored) == 1
    assert stored[0]["title"] == "How many satellites?"
    assert stored[0]["started"] == stored[0]["updated"] == "2025-06-10 14:03"
    assert history.choices(stored) == [("How many satellites? · 2025-06-10 14:03", conv_id)]


def test_later_answers_replace_the_same_conversation_and_move_it_first():
    stored, first = history.save([], None, chat_of("A?"), [turn("A?")], AT)
    stored, second = history.save(stored, None, chat_of("B?"), [turn("B?")], AT)
    later = datetime(2025, 6, 11, 9, 0, tzinfo=timezone.utc)
    stored, same = history.save(stored, first, chat_of("A?", "And then?"), [turn("A?"), turn("And then?", 1)], later)
    assert same == first and [c["id"] for c in stored] == [first, second]
    assert stored[0]["title"] == "A?" and len(stored[0]["turns"]) == 2
    assert stored[0]["started"] == "2025-06-10 14:03" and stored[0]["updated"] == "2025-06-11 09:00"


def test_no_turn_no_conversation():
    stored, conv_id = history.save([], None, [], [], AT)
    assert stored == [] and conv_id is None


def test_long_first_question_is_cut_for_the_title():
    title = history.title_of([turn("word " * 40)])
    assert len(title) <= history.TITLE_CHARS and title.endswith("…")


def test_capped_in_number_and_in_size():
    stored: list = []
    for n in range(history.MAX_CONVERSATIONS + 7):
        stored, _ = history.save(stored, None, chat_of(f"Q{n}?"), [turn(f"Q{n}?")], AT)
    assert len(stored) == history.MAX_CONVERSATIONS
    assert stored[0]["title"] == f"Q{history.MAX_CONVERSATIONS + 6}?"  # the newest kept, the oldest dropped
    big = [{"id": str(n), "title": "t", "chat": chat_of("x" * 1000), "turns": [turn("x")]} for n in range(10)]
    kept = history.cap(big, chars=5000)
    assert 1 <= len(kept) < 10 and len(json.dumps(kept)) <= 5000 + 200
    assert [c["id"] for c in kept] == [str(n) for n in range(len(kept))]
    assert len(history.cap(big[:1], chars=10)) == 1  # the newest one is kept even when alone too big


def test_remove_drops_only_that_conversation():
    stored, a = history.save([], None, chat_of("A?"), [turn("A?")], AT)
    stored, b = history.save(stored, None, chat_of("B?"), [turn("B?")], AT)
    assert [c["id"] for c in history.remove(stored, a)] == [b]
    assert len(history.remove(stored, "missing")) == 2


def test_clean_drops_what_the_browser_holds_that_is_not_a_conversation():
    good = {"id": "x1", "title": "A?", "chat": chat_of("A?"), "turns": [turn("A?")]}
    junk = [
        "text", None, {"id": 3, "chat": [], "turns": [turn("A?")]},
        {"id": "x2", "chat": [{"role": "system", "content": "x"}], "turns": [turn("A?")]},
        {"id": "x3", "chat": chat_of("A?"), "turns": []},
        {"id": "x4", "chat": chat_of("A?"), "turns": [{"id": "t", "question": "A?", "markdown": 5}]},
        dict(good),  # a second copy of the same id
    ]
    assert [c["id"] for c in history.clean([good, *junk])] == ["x1"]
    assert history.clean({"not": "a list"}) == [] and history.clean(None) == []


def test_messages_in_text_parts_are_stored_as_plain_content():
    parts = [{"role": "user", "metadata": None, "content": [{"type": "text", "text": "A?"}], "options": None}]
    stored, _ = history.save([], None, parts, [turn("A?")], AT)
    assert stored[0]["chat"] == [{"role": "user", "content": "A?"}]
