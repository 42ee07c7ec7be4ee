"""The web UI (Gradio): a browser in, cited answers, the corpus tab and analyst views out.

Enters: the wired `Assistant` (from `app`). Leaves: the chat, the Corpus tab (uploads, browser, reader), the
Timeline tab, conversation history kept in the browser; static/ holds its CSS and JS.

chat (the Blocks app), render (HTML and Markdown of answers), analyst (reports differ, timeline), corpus_tab
(uploads, statistics, feedback), upload_form, browser (article table), reader_view (a whole article),
history / history_panel (past conversations), examples (example questions).
"""
