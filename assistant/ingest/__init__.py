"""Ingestion: article files in, chunks in the index out.

Enters: paths to files or folders (text, Markdown, HTML, JSON/JSONL, PDF, Word) and uploads.
Leaves: `Article`s split into `Chunk`s with exact offsets, embedded and stored (the `index` package), with an
`IngestReport` of what was added, replaced, pruned or refused.

files (finding files), loaders (text formats into `Article`s), documents / pdf_loader / docx_loader (binary
formats), chunking (paragraph and sentence splitting), indexer (load, chunk, embed, prune), pipeline (the
embed-and-store stage), uploads (what an upload carries besides its text).
"""
