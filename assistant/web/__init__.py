"""Web sources: URLs of pages and feeds in, indexed article files out.

Enters: feed or page URLs (and folders, for `assistant watch`).
Leaves: one-record `.jsonl` article files handed to `ingest`, re-read on a schedule by `watch`.

fetch (bounded, polite HTTP), pages (a page as an article), feeds (RSS and Atom), sources (fetch, keep,
ingest), watch (the schedule).
"""
