"""The extractive reader: a question and passages in, cited sentences (or a refusal) out. No LLM.

Enters: the analysed question and retrieved passages. Leaves: the sentences that answer, each cited, a
short answer, a computed value, or a refusal with its near miss.

extractive (the reader: answer or refuse, which sentences), candidates (the candidate sentences and the cited
answer they compose), scoring (each sentence scored against the question), answerable (can a sentence answer?),
short_answer (the value on its own), near_miss (a neighbouring question answered), reader_model (learned scorer,
reader_weights.json), compute (differences, sums, durations and orders).
"""
