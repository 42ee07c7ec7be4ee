"""The analyst's views in the UI: the "Reports differ" panel above the cards, and the Timeline tab.

Every article string is escaped here; the chart is a plotly figure shown through `gr.Plot`.
"""

from __future__ import annotations

import html
import logging
import tempfile
import uuid
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ..errors import AssistantError
from ..schema import Answer
from ..analyst.timeline import Timeline, timeline_csv, timeline_markdown

if TYPE_CHECKING:
    from ..app import Assistant

log = logging.getLogger(__name__)


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def conflicts_html(answer: Answer, turn_id: str) -> str:
    """The "Reports differ" panel: each disputed value with its source, date and passage, newest first."""
    if not answer.conflicts:
        return ""
    blocks = []
    for conflict in answer.conflicts:
        rows = "".join(
            f'<li class="conflict-value"><strong class="value">{_esc(v.value)}</strong> '
            f'<a class="cite" href="#cite-{_esc(turn_id)}-{int(v.n)}">[{int(v.n)}]</a> '
            f'<span class="source">{_esc(v.source or "unknown source")}</span> · <time>{_esc(v.published or "undated")}</time>'
            + (f' — <span class="note">{_esc(v.note)}</span>' if v.note else "")
            + (f'<div class="quote">{_esc(v.quote)}</div>' if v.quote else "")
            + "</li>"
            for v in conflict.values
        )
        blocks.append(f'<div class="conflict"><div class="about">{_esc(conflict.about)}</div><ol>{rows}</ol></div>')
    return ('<div class="conflicts" role="note" aria-label="Reports differ"><div class="conflicts-label">⚖ Reports differ</div>'
            + "".join(blocks) + "</div>")


# --- Timeline tab ----------------------------------------------------------------------------


def timeline_figure(timeline: Timeline) -> Any:
    """Events over time, one marker per event, one row per source; hover shows the sentence."""
    import plotly.graph_objects as go

    figure = go.Figure()
    by_source: dict[str, list[Any]] = {}
    for event in timeline.events:
        by_source.setdefault(event.source or "unknown source", []).append(event)
    for source, events in by_source.items():
        figure.add_trace(go.Scatter(
            x=[e.date.isoformat() for e in events], y=[source] * len(events), mode="markers", name=source,
            marker={"size": [10 + 4 * (len(e.sources) - 1) for e in events], "symbol": ["x" if e.correction else "circle" for e in events]},
            text=[_esc(_wrap(e.text)) for e in events], hovertemplate="%{x}<br>%{text}<extra>%{fullData.name}</extra>",
        ))
    figure.update_layout(title=f"Timeline: {timeline.subject}", height=360, margin={"l": 10, "r": 10, "t": 40, "b": 30},
                         showlegend=False, xaxis_title="event date")
    return figure


def timeline_html(timeline: Timeline) -> str:
    if not timeline.events:
        return f'<p class="timeline-empty">{_esc(timeline.note)}</p>'
    items = []
    for e in timeline.events:
        sources = "; ".join(f'{_esc(s["source"] or "unknown source")}, {_esc(s["published"] or "undated")} <code>{_esc(s["article_id"])}</code>' for s in e.sources)
        mark = '<span class="correction">Correction</span> ' if e.correction else ""
        items.append(f'<li class="event"><time>{e.date.isoformat()}</time> {mark}<span class="event-text">{_esc(e.text)}</span>'
                     f'<div class="event-sources">{sources}</div></li>')
    note = f'<p class="timeline-note">{_esc(timeline.note)}</p>' if timeline.note else ""
    return f'<ol class="timeline">{"".join(items)}</ol>{note}'


def _wrap(text: str, width: int = 80) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if len(line) + len(word) > width:
            lines.append(line)
            line = ""
        line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])



def _export(timeline: Timeline) -> tuple[str, str]:
    folder = Path(tempfile.gettempdir()) / "assistant-exports" / uuid.uuid4().hex[:12]
    folder.mkdir(parents=True, exist_ok=True)
    md, csv_path = folder / "timeline.md", folder / "timeline.csv"
    md.write_text(timeline_markdown(timeline), encoding="utf-8")
    csv_path.write_text(timeline_csv(timeline), encoding="utf-8")
    return str(md), str(csv_path)


def timeline_tab(assistant: "Assistant", parse_day: Callable[[str | None, str], date | None]) -> None:
    """Build the Timeline tab inside the caller's `gr.Tabs()`; `parse_day` reads its date boxes as the chat's filters do."""
    import gradio as gr

    with gr.Tab("Timeline", id="timeline"):
        with gr.Row(equal_height=True):
            subject = gr.Textbox(label="Subject", placeholder="a programme, company, system or contract, e.g. Golden Dome",
                                 elem_id="timeline-subject", scale=4)
            since = gr.Textbox(label="From", placeholder="YYYY-MM-DD", elem_id="timeline-since", scale=1)
            until = gr.Textbox(label="To", placeholder="YYYY-MM-DD", elem_id="timeline-until", scale=1)
            source = gr.Textbox(label="Source", elem_id="timeline-source", scale=1)
            go_button = gr.Button("Show timeline", variant="primary", elem_id="timeline-go", scale=1)
        plot = gr.Plot(label="Events over time", elem_id="timeline-plot")
        events = gr.HTML(elem_id="timeline-events")
        with gr.Row():
            md_file = gr.DownloadButton("Download Markdown", elem_id="timeline-md", interactive=False)
            csv_file = gr.DownloadButton("Download CSV", elem_id="timeline-csv", interactive=False)

        def show(text: str, start: str, end: str, outlet: str) -> tuple[Any, ...]:
            text = (text or "").strip()
            if not text:
                gr.Warning("Type a subject first.")
                return gr.skip(), gr.skip(), gr.skip(), gr.skip()
            try:
                timeline = assistant.timeline(text, since=parse_day(start, "From"), until=parse_day(end, "To"), source=(outlet or "").strip() or None)
            except AssistantError as exc:
                gr.Warning(_esc(str(exc)))
                return gr.skip(), gr.skip(), gr.skip(), gr.skip()
            if not timeline.events:
                return None, timeline_html(timeline), gr.update(value=None, interactive=False), gr.update(value=None, interactive=False)
            md, csv_path = _export(timeline)
            return (timeline_figure(timeline), timeline_html(timeline),
                    gr.update(value=md, interactive=True), gr.update(value=csv_path, interactive=True))

        inputs = [subject, since, until, source]
        outputs = [plot, events, md_file, csv_file]
        go_button.click(show, inputs, outputs, api_name="timeline")
        subject.submit(show, inputs, outputs, api_name=False)
