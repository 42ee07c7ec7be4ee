"""Collect real SmolLM2 answers (with the passages they were given) as raw material for the labelled set.

Run from the repository root:  .venv/bin/python eval/grounding/generate.py --every 2 --limit 70
Writes eval/grounding/smollm2_raw.jsonl; labelling is done by a person reading the cited passages.
"""

from __future__ import annotations

import argparse
import json
import logging
import tempfile
from pathlib import Path

from assistant.app import build_assistant
from assistant.config import Settings
from assistant.evaluation.questions import load_set

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--every", type=int, default=2, help="take every n-th question of the bundled set")
    parser.add_argument("--limit", type=int, default=70)
    parser.add_argument("--out", type=Path, default=HERE / "smollm2_raw.jsonl")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    qset = load_set(ROOT / "eval/sets/bundled.jsonl", ROOT / "eval/sets", ROOT / "corpus")
    questions = list(qset.questions)[:: args.every][: args.limit]
    with tempfile.TemporaryDirectory(prefix="grounding-gen-") as tmp:
        # grounding "off": the raw model text is what gets labelled, not a checked version of it
        settings = Settings(index_dir=Path(tmp) / "index", llm_local=True, grounding="off")
        with build_assistant(settings) as assistant, args.out.open("w", encoding="utf-8") as out:
            assistant.ingest([ROOT / "corpus"], progress=False)
            for number, question in enumerate(questions, start=1):
                answer = assistant.answerer.ask(question.question, history=list(question.history), mode="llm")
                row = {
                    "question_id": question.id,
                    "question": question.question,
                    "answer": answer.text,
                    "abstained": answer.abstained,
                    "passages": [
                        {"n": p.rank, "article_id": p.chunk.article_id, "chunk_id": p.chunk.id, "title": p.chunk.title,
                         "published": p.chunk.published.isoformat() if p.chunk.published else None, "text": p.chunk.text}
                        for p in answer.passages
                    ],
                }
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                out.flush()
                print(f"{number}/{len(questions)} {question.id}", flush=True)


if __name__ == "__main__":
    main()
