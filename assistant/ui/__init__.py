"""The web UI (Gradio): a browser in, cited answers, the corpus tab and analyst views out.

Enters: the wired `Assistant` (from `app`). Leaves: the chat, the Corpus tab (uploads, browser, reader), the
Timeline tab, conversation history kept in the browser; static/ holds its CSS and JS.

page (the Blocks page and serving it), chat (the chat's handlers), render (HTML and Markdown of answers and the
reader view of a whole article), analyst (reports differ, timeline), corpus_tab (uploads and their details form,
statistics, feedback), browser (article table), history / history_panel (past conversations), examples (example questions).
"""
