"""Fit the extractive reader's sentence scorer (assistant/reading/reader_model.py) on the DEV halves of the question sets.

    .venv/bin/python eval/scripts/train_reader.py                      # fit on every dev half, write assistant/reading/reader_weights.json
    .venv/bin/python eval/scripts/train_reader.py --cross              # also: fit on one set's dev half, score the others

Each set's corpus is indexed into a temporary folder; every candidate sentence the reader scores for a dev question
becomes one example, labelled 1 when it gives one of the question's expected facts and comes from an article the
question names. Logistic regression with an L2 penalty, by gradient descent in numpy (no extra dependency). The
written weights are reviewed like code: features, coefficients, the sets and question counts they came from.
Test halves are never read for fitting; `--cross` reports top-1 sentence accuracy on held-out halves and sets.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from assistant.app import build_assistant  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.encoders.embeddings import make_embeddings  # noqa: E402
from assistant.evaluation.metrics import fact_in  # noqa: E402
from assistant.evaluation.questions import QuestionSet, load_registry  # noqa: E402
from assistant.reading.reader_model import FEATURES, WEIGHTS, features  # noqa: E402
from assistant.question.rewrite import rewrite_followup  # noqa: E402

Example = tuple[str, str, str, list[list[float]], list[int]]  # set, split, question id, vectors, labels


def collect(qset: QuestionSet, embeddings: object) -> list[Example]:
    """One (vectors, labels) group per answerable question of the set, both halves (the caller picks)."""
    out: list[Example] = []
    with tempfile.TemporaryDirectory(prefix="train-reader-") as tmp:
        settings = Settings(index_dir=Path(tmp) / "index")
        with build_assistant(settings, embeddings=embeddings) as assistant:
            assistant.ingest([qset.corpus], progress=False)
            answerer = assistant.answerer
            for q in qset.questions:
                if q.abstain:
                    continue
                question = rewrite_followup(q.question, list(q.history))
                passages = answerer._retrieve(question, None, answerer.default_k)
                cands = answerer.extractive.scored(question, passages)
                if not cands:
                    continue
                top = passages[0].chunk.article_id
                vectors = [features(question, c, top) for c in cands]
                gold = set(q.article_ids)
                labels = [
                    int(c.passage.chunk.article_id in gold and any(fact_in(f, c.shown or c.text) for f in q.facts))
                    for c in cands
                ]
                out.append((qset.name, str(q.extra.get("split", "dev")), q.id, vectors, labels))
    print(f"{qset.name}: {len(out)} answerable questions collected", file=sys.stderr)
    return out


def fit(groups: list[Example], l2: float = 0.05, steps: int = 3000, rate: float = 0.1) -> dict:
    x = np.array([v for g in groups for v in g[3]], dtype=float)
    y = np.array([label for g in groups for label in g[4]], dtype=float)
    means, scales = x.mean(axis=0), x.std(axis=0)
    scales[scales == 0] = 1.0
    z = (x - means) / scales
    w, b = np.zeros(z.shape[1]), 0.0
    positive = max(1.0, y.sum())
    sample = np.where(y == 1, len(y) / (2 * positive), len(y) / (2 * max(1.0, len(y) - positive)))  # balanced
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        grad = (sample * (p - y)) @ z / len(y) + l2 * w
        w -= rate * grad
        b -= rate * float((sample * (p - y)).mean())
    return {"weights": w.tolist(), "bias": b, "means": means.tolist(), "scales": scales.tolist(), "examples": int(len(y)), "positives": int(y.sum())}


def top1(model: dict, groups: list[Example], use_hand: bool = False) -> float | None:
    """Share of questions (with a right sentence among the candidates) whose best-scored sentence is right."""
    hits, n = 0, 0
    hand = FEATURES.index("hand_score")
    for _, _, _, vectors, labels in groups:
        if not any(labels):
            continue
        x = np.array(vectors)
        if use_hand:
            scores = x[:, hand]
        else:
            scores = ((x - np.array(model["means"])) / np.array(model["scales"])) @ np.array(model["weights"]) + model["bias"]
        hits += labels[int(np.argmax(scores))]
        n += 1
    return round(hits / n, 3) if n else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cross", action="store_true", help="fit on each set's dev half and score every half")
    parser.add_argument("--cache", type=Path, help="read/write the collected examples here (JSON)")
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    args = parser.parse_args()
    if args.cache and args.cache.exists():
        groups = [tuple(g) for g in json.loads(args.cache.read_text())]
    else:
        embeddings = make_embeddings(Settings())
        sets = [s for s in load_registry(ROOT / "eval" / "sets") if s.corpus.is_dir()]
        groups = [g for s in sets for g in collect(s, embeddings)]
        if args.cache:
            args.cache.write_text(json.dumps(groups))
    dev = [g for g in groups if g[1] == "dev" and g[0] != "bundled"]
    model = fit(dev)
    halves = sorted({(g[0], g[1]) for g in groups})
    print("top-1 right sentence  | " + " | ".join(f"{s}-{h}" for s, h in halves))
    print("hand-set score        | " + " | ".join(str(top1(model, [g for g in groups if (g[0], g[1]) == k], True)) for k in halves))
    print("learned (all dev)     | " + " | ".join(str(top1(model, [g for g in groups if (g[0], g[1]) == k])) for k in halves))
    if args.cross:
        for name in sorted({g[0] for g in dev}):
            own = fit([g for g in dev if g[0] == name])
            print(f"learned ({name}-dev) | " + " | ".join(str(top1(own, [g for g in groups if (g[0], g[1]) == k])) for k in halves))
    record = {
        "_comment": "Written by eval/scripts/train_reader.py from the dev halves only; reviewed like code. Features are standardised with means/scales.",
        "features": list(FEATURES),
        "trained_on": sorted({f"{g[0]}-dev" for g in dev}),
        "questions": len(dev),
        **model,
    }
    args.out.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
