"""Local models: a model name in, a checked GGUF file for `--llm local` out.

Enters: a name from the catalogue. Leaves: the installed, hash-checked model file and its serving settings.

catalogue (what was reviewed about each model), local (which file is served, and how), install
(`make model MODEL=...`).
"""
