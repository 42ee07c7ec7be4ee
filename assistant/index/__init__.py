"""The index: chunks with vectors in, stored records and lookups out.

Enters: `Chunk`s with their vectors, deletions. Leaves: dense (Chroma) and keyword (BM25) look-ups by chunk id
with the same filters, the indexed articles, story groups of near-duplicates and kinds of source.

store and chroma (the only chromadb users), records (a chunk as a Chroma record), keyword / keyword_matrix
(BM25: the index; its SQLite records and arrays), storygroups (near-duplicate articles), deletion
(remove an article everywhere), articles (the indexed articles as a reader sees them), source_kinds (official
release, wire, trade press...).
"""
