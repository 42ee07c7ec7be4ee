"""Question analysis: a question (and its conversation) in, what it asks out.

Enters: the question text, earlier questions of the conversation.
Leaves: the kind of value asked, its separate parts, names, series and date limits, and a follow-up
rewritten as one standalone question.

analysis (the kind of value asked, and whether a sentence gives one), names (the names, acronyms and series it
gives), splitter (its separate parts), timeparse / timewords (time expressions and limits), rewrite /
rewrite_grammar / rewrite_llm (follow-ups made standalone).
"""
