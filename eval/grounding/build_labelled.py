"""Assemble eval/grounding/labelled.jsonl from its two hand-made sources.

1. planted_source.jsonl: correct sentences written from a corpus article, with planted errors (changed numbers,
   dates, swapped names), invented claims, and the correct sentences cited to the wrong passage.
2. smollm2_raw.jsonl (real SmolLM2 answers, from generate.py) labelled sentence by sentence in smollm2_labels.jsonl.

Each output line is one answer: the passages the checker sees and its sentences, each labelled
supported/unsupported with a kind and a reason. `split` (tune/test) is fixed by a hash of the id.
Run from the repository root:  .venv/bin/python eval/grounding/build_labelled.py
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from assistant.ingest.chunking import chunk_article
from assistant.ingest.loaders import load_paths
from assistant.grounding.checker import split_answer
from assistant.schema import Chunk
from assistant.text import terms

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def split_of(key: str) -> str:
    return "tune" if int(hashlib.md5(key.encode()).hexdigest(), 16) % 2 == 0 else "test"


def passage_row(n: int, chunk: Chunk) -> dict[str, Any]:
    return {"n": n, "article_id": chunk.article_id, "chunk_id": chunk.id, "title": chunk.title,
            "published": chunk.published.isoformat() if chunk.published else None, "text": chunk.text}


def planted(chunks: list[Chunk]) -> list[dict[str, Any]]:
    rows = []
    for index, src in enumerate(map(json.loads, (HERE / "planted_source.jsonl").read_text().splitlines())):
        wanted = set(terms(" ".join(src["sentences"])))
        own = [c for c in chunks if c.article_id == src["article_id"]]
        support = max(own, key=lambda c: len(wanted & set(terms(c.text))))
        q = set(terms(src["question"]))
        others = sorted((c for c in chunks if c.article_id != src["article_id"]), key=lambda c: -len(q & set(terms(c.text))))
        distractors = list({c.article_id: c for c in reversed(others[:12])}.values())[-3:]
        rank = 1 + index % 3
        order = distractors[: rank - 1] + [support] + distractors[rank - 1 :]
        passages = [passage_row(n, c) for n, c in enumerate(order, start=1)]
        cite, wrong = f"[{rank}]", f"[{1 if rank != 1 else 2}]"
        # passages of other articles that, read by hand, also support the first sentence
        also = [n for n, c in enumerate(order, start=1) if c.article_id in src.get("also_supported_by", [])]
        sentences = []
        for i, text in enumerate(src["sentences"]):
            good = text.replace("[1]", cite)
            sentences.append({"text": good, "label": "supported", "kind": "correct", "reason": "written from the cited passage"})
            if i == 0:
                sentences.append({"text": text.replace("[1]", wrong), "label": "unsupported", "kind": "citation",
                                  "reason": f"cites {wrong}; the support is in {cite}", "correct_citation": [rank] + also})
        for m in src["mutations"]:
            base = src["sentences"][m["i"]].replace("[1]", cite)
            assert m["from"] in base, (src["id"], m)
            sentences.append({"text": base.replace(m["from"], m["to"], 1), "label": "unsupported", "kind": m["kind"],
                              "reason": f"{m['kind']} changed: {m['from']} -> {m['to']}"})
        for text in src.get("invented", []):
            sentences.append({"text": text.replace("[1]", cite), "label": "unsupported", "kind": "content",
                              "reason": "claim not in any passage"})
        rows.append({"id": src["id"], "origin": "planted", "split": split_of(src["id"]), "question": src["question"],
                     "passages": passages, "sentences": sentences})
    return rows


def cite(text: str, n: int) -> str:
    text = text.rstrip()
    return f"{text[:-1]} [{n}]{text[-1]}" if text[-1:] in ".!?" else f"{text} [{n}]"


def smollm2() -> list[dict[str, Any]]:
    raw_path, label_path = HERE / "smollm2_raw.jsonl", HERE / "smollm2_labels.jsonl"
    if not label_path.exists():
        return []
    labels: dict[str, list[dict[str, Any]]] = {}
    for row in map(json.loads, label_path.read_text().splitlines()):
        labels[row["question_id"]] = row["sentences"]
    rows = []
    for raw in map(json.loads, raw_path.read_text().splitlines()):
        if raw["question_id"] not in labels:
            continue
        split = list(dict.fromkeys(s.text for s in split_answer(raw["answer"])))  # a model repeating itself counts once
        marks = labels[raw["question_id"]]
        assert len(split) == len(marks), (raw["question_id"], split, marks)
        sentences = []
        for text, mark in zip(split, marks):
            sentences.append({"text": text, "label": mark["label"], "kind": mark["kind"], "reason": mark["reason"]})
            if mark.get("cite"):  # the model's own sentence, given the citation a careful writer would have used
                sentences.append({"text": cite(text, mark["cite"]), "label": mark["cited_label"], "kind": mark["cited_kind"],
                                  "reason": mark["cited_reason"], "variant": "cited"})
                if "correct_citation" in mark:
                    sentences[-1]["correct_citation"] = mark["correct_citation"]
        rows.append({"id": "s-" + raw["question_id"], "origin": "smollm2", "split": split_of(raw["question_id"]),
                     "question": raw["question"], "passages": raw["passages"], "sentences": sentences})
    return rows


def main() -> None:
    articles = load_paths([ROOT / "corpus"]).articles
    chunks = [c for a in articles for c in chunk_article(a)]
    rows = planted(chunks) + smollm2()
    with (HERE / "labelled.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    n = sum(len(r["sentences"]) for r in rows)
    print(f"{len(rows)} answers, {n} labelled sentences -> {HERE / 'labelled.jsonl'}")


if __name__ == "__main__":
    main()
