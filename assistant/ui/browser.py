"""The Corpus tab's article browser: a searchable, sortable table of what is indexed, a reader that shows a whole
article with the cited spans marked, and delete with a confirmation step.

The table is read from the index (never from the corpus folder) and follows another process's ingest or delete:
each read first runs the keyword index's cheap generation check, which opens Chroma's folder again when another
process wrote to it. A citation card's "Read the article" button reaches the reader through a small bridge
outside the tabs (the Corpus tab's contents are not in the page until it is first shown).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import gradio as gr

from ..index.articles import SORTS, ArticleRow, article_text, list_articles, search_articles, sort_articles
from ..index.deletion import NotIndexedError, delete_article
from ..errors import AssistantError
from .render import esc, parse_spans, reader_html

if TYPE_CHECKING:
    from ..app import Assistant
    from .corpus_tab import CorpusService

log = logging.getLogger(__name__)

HEADERS = ["Title", "Date", "Source", "Passages", "ID"]

# A card's "Read the article" button (rendered inside the chat) asks for its article through this bridge.
_BRIDGE_JS = """
document.addEventListener('click', (event) => {
  const link = event.target.closest && event.target.closest('a.read-article');
  if (!link) return;
  const match = (link.getAttribute('href') || '').match(/^#read:([^:]*):([0-9,-]*)$/);
  if (!match) return;
  event.preventDefault();
  event.stopPropagation();
  trigger('click', {article: decodeURIComponent(match[1]), spans: match[2]});
}, true);
"""
# The reader brings its first marked span into view whenever it shows an article.
_READER_JS = """
const show = () => {
  const mark = element.querySelector('mark');
  const target = mark || element.querySelector('.reader-title');
  if (target) target.scrollIntoView({block: mark ? 'center' : 'start'});
};
watch('value', () => setTimeout(show, 0));
setTimeout(show, 0);
"""


class CorpusBrowser:
    """Reads and deletes through one assistant; the open article is per session (`gr.State`)."""

    def __init__(self, assistant: "Assistant", corpus: "CorpusService | None" = None):
        self.assistant = assistant
        self.corpus = corpus

    # --- data ---------------------------------------------------------------------------------

    def rows(self) -> list[ArticleRow]:
        store = self.assistant.store
        self.assistant.retriever.keyword.maybe_reconcile(store)  # another process's ingest or delete
        return list_articles(store.iter_records())

    def table(self, query: str = "", sort: str = "newest") -> tuple[list[list[Any]], str]:
        """(table rows, a line saying how many are shown) for the search text and sort order."""
        every = self.rows()
        shown = sort_articles(search_articles(every, query), sort if sort in SORTS else "newest")
        data = [[r.title, r.published or "undated", r.source or "unknown source", r.chunks, r.article_id] for r in shown]
        note = f"{len(shown)} of {len(every)} indexed article(s)" + (f" match “{query.strip()}”" if (query or "").strip() else "")
        return data, note

    def reader(self, article_id: str, spans: str = "") -> tuple[str, str]:
        """(reader HTML, the id now open or '' when the index no longer holds it)."""
        article_id = (article_id or "").strip()
        if not article_id:
            return reader_html(None), ""
        self.assistant.retriever.keyword.maybe_reconcile(self.assistant.store)
        article = article_text(self.assistant.store, article_id)
        if article is None:
            return reader_html(None, note=f"The article '{article_id}' is no longer in the index."), ""
        limit = len(article.text)
        return reader_html(article, [(s, min(e, limit)) for s, e in parse_spans(spans) if s < limit]), article_id

    def delete(self, article_id: str) -> str:
        try:
            result = delete_article(self.assistant, article_id)
        except NotIndexedError as exc:
            return f'<p class="delete-status failed">{esc(exc)}</p>'
        if self.corpus is not None:
            self.corpus.stats(fresh=True)
        return f'<p class="delete-status ok" role="status">Deleted “{esc(result.title or article_id)}”: {esc(result.summary())}.</p>'

    # --- components ---------------------------------------------------------------------------

    def build(self, stats: Any = None, sources: Any = None) -> None:
        """The browser, reader and delete controls, inside the current (Corpus) tab."""
        gr.Markdown("### Indexed articles")
        with gr.Row(equal_height=True):
            search = gr.Textbox(label="Search titles and sources", placeholder="e.g. Kuiper, or a source's name", scale=4,
                                lines=1, max_lines=1, elem_id="article-search")
            sort = gr.Dropdown(label="Sort by", choices=[(label, key) for key, label in SORTS.items()], value="newest",
                               scale=2, elem_id="article-sort")
            reload = gr.Button("Refresh list", size="sm", scale=1, elem_id="article-refresh")
        count = gr.Markdown(elem_id="article-count")
        table = gr.Dataframe(headers=HEADERS, datatype=["str", "str", "str", "number", "str"], interactive=False, wrap=True,
                             max_height=420, elem_id="article-table", label="Indexed articles", show_label=False)
        self.reader_view = gr.HTML(reader_html(None), elem_id="reader", js_on_load=_READER_JS)
        self.current = gr.State("")
        self.delete_button = gr.Button("Delete this article…", variant="stop", size="sm", visible=False, elem_id="delete-article")
        with gr.Column(visible=False, elem_id="confirm-delete", variant="panel") as self.confirm_box:
            confirm_text = gr.HTML()
            with gr.Row():
                yes = gr.Button("Yes, delete it", variant="stop", size="sm", elem_id="confirm-delete-yes")
                no = gr.Button("Cancel", size="sm", elem_id="confirm-delete-no")
        status = gr.HTML(elem_id="delete-status")

        def listing(query: str, order: str) -> tuple[Any, str]:
            try:
                data, note = self.table(query, order)
            except AssistantError as exc:
                raise gr.Error(esc(str(exc))) from exc
            return data, esc(note)

        for event in (search.submit, search.change, sort.change, reload.click):
            event(listing, [search, sort], [table, count], api_name=False, show_progress="hidden")
        self._listing = (listing, [search, sort], [table, count])

        def pick(evt: gr.SelectData) -> tuple[Any, ...]:
            row = evt.row_value or []
            return self._open(str(row[-1]) if row else "", "")

        table.select(pick, None, self._open_outputs(), api_name=False)
        self.delete_button.click(lambda current: self._ask_confirm(current), self.current, [self.confirm_box, confirm_text],
                                 api_name=False)
        no.click(lambda: gr.update(visible=False), None, self.confirm_box, api_name=False)
        outputs = [status, self.reader_view, self.current, self.delete_button, self.confirm_box, table, count]
        extra = [c for c in (stats, sources) if c is not None]

        def confirmed(current: str, query: str, order: str) -> tuple[Any, ...]:
            message = self.delete(current) if current else '<p class="delete-status failed">No article is open.</p>'
            data, note = listing(query, order)
            tail: list[Any] = []
            if stats is not None and self.corpus is not None:
                from .corpus_tab import stats_html

                tail.append(stats_html(self.corpus.stats()))
            if sources is not None and self.corpus is not None:
                tail.append(gr.update(choices=self.corpus.sources()))
            return (message, reader_html(None), "", gr.update(visible=False), gr.update(visible=False), data, note, *tail)

        yes.click(confirmed, [self.current, search, sort], outputs + extra, api_name=False)

    def _open_outputs(self) -> list[Any]:
        return [self.reader_view, self.current, self.delete_button, self.confirm_box]

    def _open(self, article_id: str, spans: str) -> tuple[Any, ...]:
        try:
            html, current = self.reader(article_id, spans)
        except AssistantError as exc:
            raise gr.Error(esc(str(exc))) from exc
        return html, current, gr.update(visible=bool(current)), gr.update(visible=False)

    def _ask_confirm(self, current: str) -> tuple[Any, str]:
        if not current:
            return gr.update(visible=False), ""
        article = article_text(self.assistant.store, current)
        title = article.row.title if article else current
        return gr.update(visible=True), (
            f'<p class="confirm">Delete “{esc(title)}” (<code>{esc(current)}</code>) from the index? Answers will no '
            "longer cite it. A file in an indexed folder stays there and returns with the next ingest of that folder; "
            "an uploaded or fetched copy is removed.</p>")

    def mount(self, tabs: Any, demo: Any) -> None:
        """After the tabs: the bridge from citation cards to the reader, and the table's first load."""
        bridge = gr.HTML("", html_template="", js_on_load=_BRIDGE_JS, elem_id="reader-bridge", container=False, padding=False)

        def from_card(evt: gr.EventData) -> tuple[Any, ...]:
            data = getattr(evt, "_data", None) or {}
            return (gr.Tabs(selected="corpus"), *self._open(str(data.get("article") or ""), str(data.get("spans") or "")))

        bridge.click(from_card, None, [tabs, *self._open_outputs()], api_name=False)
        listing, inputs, outputs = self._listing
        demo.load(listing, inputs, outputs, api_name=False)
