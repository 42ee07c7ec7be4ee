"""Retrieval: a question and filters in, ranked `Passage`s out.

Enters: the question, its date limits (from `question`) and `Filters`. Leaves: passages fused from the dense
and keyword look-ups of `index`, diverse per article.

retrieve (the `Retriever`), acronyms (learned acronyms and query expansion), paragraphs (a passage widened to the
whole paragraphs it cuts, read from its neighbours).
"""
