"""Answering: a question in, an `Answer` with `[n]` citations out, streamed or blocking.

Enters: a question and settings. Leaves: an `Answer` from the extractive reader or the LLM over retrieved
passages, checked by `grounding`, with citation cards, rendered as text or JSON.

answer (the `Answerer`), model_reply (a model's streamed reply: events, live checks, `[n]` markers), reader_writer
(reader decides, model writes), llm (chat-model clients), prompts (prompt files), cards (citation cards), render
(plain text and JSON), request_log (one log line per request).
"""
