"""Print what to review in a GGUF file before recording its hash: `python models/review.py FILE`.

Reads the metadata with llama-cpp-python (vocabulary only, no weights); prints the SHA-256 to compare with
assistant/models/catalogue.py. The chat template is printed for reading only: the server never runs it.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

KEYS = ("general.architecture", "general.name", "general.basename", "general.finetune", "general.size_label",
        "general.file_type", "general.quantization_version", "tokenizer.ggml.model", "tokenizer.ggml.pre")


def main(path: Path) -> int:
    from llama_cpp import Llama

    meta = Llama(str(path), vocab_only=True, verbose=False).metadata
    for key in KEYS:
        print(f"{key} = {meta.get(key, '(absent)')}")
    licence = {k: v for k, v in meta.items() if "licen" in k.lower()}
    print(f"licence fields = {licence or '(none)'}")
    print("tokenizer.chat_template =", meta.get("tokenizer.chat_template", "(absent)"))
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    print(f"sha256 = {digest.hexdigest()}  size = {path.stat().st_size}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
