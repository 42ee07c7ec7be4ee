"""Conversations kept in the user's browser (gr.BrowserState): plain JSON lists, newest first, capped in number and size.

The server never stores them: every function here takes the list the browser sent and returns the list to send
back. The list comes from the browser, so `clean` keeps only well-formed entries before anything uses them.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from typing import Any, Sequence

MAX_CONVERSATIONS = 50
MAX_CHARS = 1_500_000  # browsers give a site about 5 MB of localStorage; encryption and base64 add about a third
TITLE_CHARS = 80


def now_stamp(moment: datetime | None = None) -> str:
    """A UTC time to the minute, as the list shows it ('2025-06-10 14:03')."""
    return (moment or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M")


def title_of(turns: Sequence[dict[str, Any]]) -> str:
    """The conversation's first question, on one line and cut to TITLE_CHARS."""
    first = next((str(t.get("question") or "") for t in turns if str(t.get("question") or "").strip()), "")
    words = " ".join(first.split())
    return words if len(words) <= TITLE_CHARS else words[: TITLE_CHARS - 1].rstrip() + "…"


def message(value: Any) -> dict[str, str] | None:
    """A chat message as {role, content}; gradio hands content over as a list of text parts."""
    if not isinstance(value, dict) or value.get("role") not in ("user", "assistant"):
        return None
    content = value.get("content")
    if isinstance(content, list):
        parts = [p.get("text") for p in content if isinstance(p, dict)]
        if not all(isinstance(p, str) for p in parts):
            return None
        content = "".join(parts)
    return {"role": value["role"], "content": content} if isinstance(content, str) else None


def _turn(value: Any) -> bool:
    return (isinstance(value, dict) and isinstance(value.get("question"), str) and isinstance(value.get("id"), str)
            and isinstance(value.get("markdown", ""), str))


def clean(value: Any) -> list[dict[str, Any]]:
    """The stored conversations that are well formed (anything else the browser holds is dropped)."""
    if not isinstance(value, list):
        return []
    kept, seen = [], set()
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or item["id"] in seen:
            continue
        chat, turns = item.get("chat"), item.get("turns")
        if not isinstance(chat, list) or not isinstance(turns, list) or not turns:
            continue
        messages = [message(m) for m in chat]
        if not all(messages) or not all(_turn(t) for t in turns):
            continue
        seen.add(item["id"])
        kept.append({
            "id": item["id"], "title": str(item.get("title") or title_of(turns)), "started": str(item.get("started") or ""),
            "updated": str(item.get("updated") or ""), "chat": messages, "turns": turns,
        })
    return kept


def cap(conversations: list[dict[str, Any]], most: int = MAX_CONVERSATIONS, chars: int = MAX_CHARS) -> list[dict[str, Any]]:
    """The newest `most` conversations, fewer if their JSON passes `chars` (the newest one is always kept)."""
    kept = conversations[:most]
    sizes = [len(json.dumps(c, ensure_ascii=False)) for c in kept]
    while len(kept) > 1 and sum(sizes) > chars:
        kept, sizes = kept[:-1], sizes[:-1]
    return kept


def save(stored: Any, conversation_id: str | None, chat: list[dict[str, Any]], turns: list[dict[str, Any]],
         moment: datetime | None = None) -> tuple[list[dict[str, Any]], str | None]:
    """The stored list with this conversation first (added or replaced), and its id (a new one if it had none)."""
    conversations = clean(stored)
    if not turns:
        return conversations, conversation_id
    conversation_id = conversation_id or uuid.uuid4().hex[:12]
    previous = find(conversations, conversation_id)
    stamp = now_stamp(moment)
    entry = {
        "id": conversation_id, "title": title_of(turns), "started": (previous or {}).get("started") or stamp,
        "updated": stamp, "chat": [m for m in map(message, chat) if m], "turns": list(turns),
    }
    rest = [c for c in conversations if c["id"] != conversation_id]
    return cap([entry, *rest]), conversation_id


def find(conversations: Sequence[dict[str, Any]], conversation_id: str | None) -> dict[str, Any] | None:
    return next((c for c in conversations if c["id"] == conversation_id), None) if conversation_id else None


def remove(stored: Any, conversation_id: str | None) -> list[dict[str, Any]]:
    return [c for c in clean(stored) if c["id"] != conversation_id]


def choices(conversations: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    """(label, id) for the sidebar list: the first question and when the conversation was last added to."""
    return [(f"{c['title']} · {c['updated']}" if c.get("updated") else c["title"], c["id"]) for c in conversations]
