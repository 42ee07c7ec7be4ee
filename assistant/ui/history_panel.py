"""The sidebar of past conversations, kept in the browser's localStorage (gr.BrowserState), never on the server.

Each answer is followed by a save: the browser sends its list, gets it back with this conversation first (see
assistant/ui/history.py), and stores it again. Clicking a conversation restores its messages and turns, so follow-ups,
ratings and the export carry on where it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import gradio as gr

from . import history

STORAGE_KEY = "defence-news-assistant-conversations"
# gradio sends the key to the page with the component, so it only hides the text from a casual look at
# localStorage; a fixed one keeps the history readable after a restart and across replicas.
STORAGE_SECRET = "defence-news-assistant-history-v1"


@dataclass
class HistoryPanel:
    store: gr.BrowserState
    current: gr.State  # id of the conversation on screen (None until its first answer is saved)
    listing: gr.Radio
    delete: gr.Button


def history_sidebar() -> HistoryPanel:
    """The sidebar; call inside the Blocks. Closed at first, ui.js opens it on a wide screen."""
    store = gr.BrowserState([], storage_key=STORAGE_KEY, secret=STORAGE_SECRET)
    current = gr.State(None)
    with gr.Sidebar(label="Conversations", open=False, elem_id="history-sidebar"):
        gr.Markdown("### Conversations")
        listing = gr.Radio(choices=[], value=None, label="Saved in this browser", elem_id="history", show_label=True,
                           info=f"The last {history.MAX_CONVERSATIONS} conversations, kept in this browser only; "
                                "the server keeps none.")
        delete = gr.Button("Delete selected conversation", size="sm", variant="secondary", elem_id="history-delete")
    return HistoryPanel(store, current, listing, delete)


def _listing(conversations: Sequence[dict[str, Any]], selected: str | None) -> Any:
    return gr.update(choices=history.choices(conversations), value=selected if history.find(conversations, selected) else None)


def wire_history(demo: gr.Blocks, panel: HistoryPanel, answered: Sequence[Any], new_chat: gr.Button,
                 chat: gr.Chatbot, turns: gr.State, view: Sequence[Any], restore_view: Callable[[list[dict[str, Any]]], tuple[Any, ...]],
                 cleared: Callable[[], tuple[Any, ...]]) -> None:
    """Save after every answer, list on load, restore on a click, delete on request.

    `view` are the components `restore_view(turns)` and `cleared()` fill besides chat and turns (rating, export…)."""

    def on_load(stored: Any, current: str | None) -> Any:
        return _listing(history.clean(stored), current)

    def on_answer(stored: Any, current: str | None, messages: list[dict[str, Any]], done: list[dict[str, Any]]) -> tuple[Any, ...]:
        conversations, current = history.save(stored, current, messages or [], done or [])
        return conversations, current, _listing(conversations, current)

    def on_pick(stored: Any, chosen: str | None) -> tuple[Any, ...]:
        found = history.find(history.clean(stored), chosen)
        if found is None:
            gr.Warning("That conversation is no longer stored in this browser.")
            return (gr.skip(),) * (3 + len(view))
        return (found["chat"], found["turns"], found["id"], *restore_view(found["turns"]))

    def on_delete(stored: Any, chosen: str | None, current: str | None) -> tuple[Any, ...]:
        if not chosen:
            gr.Info("Choose a conversation in the list first.")
            return (gr.skip(),) * (5 + len(view))
        conversations = history.remove(stored, chosen)
        if chosen != current:
            return (conversations, _listing(conversations, current), *(gr.skip(),) * (3 + len(view)))
        return (conversations, _listing(conversations, None), [], [], None, *cleared())

    for event in answered:
        event.then(on_answer, [panel.store, panel.current, chat, turns], [panel.store, panel.current, panel.listing],
                   api_name=False, queue=False)
    # the browser reads localStorage after the page has loaded, and then reports a change: list it then
    panel.store.change(on_load, [panel.store, panel.current], panel.listing, api_name=False, queue=False)
    new_chat.click(lambda: (None, gr.update(value=None)), None, [panel.current, panel.listing], api_name=False, queue=False)
    panel.listing.input(on_pick, [panel.store, panel.listing], [chat, turns, panel.current, *view], api_name=False, queue=False)
    panel.delete.click(on_delete, [panel.store, panel.listing, panel.current],
                       [panel.store, panel.listing, chat, turns, panel.current, *view], api_name=False, queue=False)
