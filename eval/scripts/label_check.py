"""The grounding check's false-flag and miss rates on a local model's real sentences, labelled by hand.

    python eval/scripts/label_check.py pending --model qwen2.5-1.5b   # sentences of results.json not yet labelled
    python eval/scripts/label_check.py score --model qwen2.5-1.5b     # rates from labels.jsonl -> check-labels.md
    python eval/scripts/label_check.py score --recheck ...            # ... and again with the checker as it is now

labels.jsonl holds one labelled sentence a line: the set and question, the model's sentence exactly as written (before
any replacement), the passages it cites (rank and article), the check's verdict at the time of the run ("supported" or
"flagged") and the hand label: "supported" when the cited passages state everything the sentence claims, else
"unsupported", with a short note saying what is missing. A false flag is a supported sentence the check flagged; a
miss is an unsupported sentence the check let through.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parents[2]
LABELS = ("supported", "unsupported")


def model_sentences(results: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every sentence the model wrote in llm mode, with the check's verdict and the text of the passages it cites."""
    for run in results["runs"]:
        for row in run["llm"]["results"]:
            passages = row.get("cited_passages", {})
            for sentence in row.get("model_sentences", []):
                if not sentence["text"].strip():
                    continue
                cited = [{"rank": n, "article_id": passages.get(str(n), passages.get(n, {})).get("article_id")}
                         for n in sentence["citations"]]
                yield {"set": run["set"], "id": row["id"], "question": row["question"], "sentence": sentence["text"],
                       "cited": cited, "check": "supported" if sentence["supported"] else "flagged",
                       "reasons": sentence["reasons"],
                       "passages": {str(n): passages.get(str(n), passages.get(n, {})).get("text", "") for n in sentence["citations"]}}


def all_runs(model: str) -> dict[str, Any]:
    """The runs of every results.json written for `model`: its own folder and the folders named after it
    ("qwen2.5-1.5b-bundled", "qwen2.5-1.5b-heldout"), in name order."""
    base = ROOT / "eval" / "baseline-llm"
    folders = [base / model] + sorted(p for p in base.glob(f"{model}-*") if p.is_dir())
    runs = []
    for folder in folders:
        if (folder / "results.json").is_file():
            runs += json.loads((folder / "results.json").read_text(encoding="utf-8"))["runs"]
    return {"runs": runs}


def key(item: dict[str, Any]) -> tuple[str, str, str]:
    return item["set"], item["id"], item["sentence"]


def read_labels(path: Path) -> list[dict[str, Any]]:
    """The labelled sentences; a bad line is reported by number and skipped."""
    out = []
    if not path.is_file():
        return out
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if item["label"] not in LABELS or item["check"] not in ("supported", "flagged"):
                raise ValueError(f"label must be one of {LABELS} and check 'supported' or 'flagged'")
        except (json.JSONDecodeError, KeyError, ValueError) as exc:
            print(f"{path}:{number}: skipped ({exc})", file=sys.stderr)
            continue
        out.append(item)
    return out


def rates(labels: list[dict[str, Any]]) -> dict[str, Any]:
    good = [x for x in labels if x["label"] == "supported"]
    bad = [x for x in labels if x["label"] == "unsupported"]
    false_flags = [x for x in good if x["check"] == "flagged"]
    misses = [x for x in bad if x["check"] == "supported"]
    return {
        "labelled": len(labels), "supported": len(good), "unsupported": len(bad),
        "false_flags": len(false_flags), "false_flag_rate": round(len(false_flags) / len(good), 3) if good else None,
        "misses": len(misses), "miss_rate": round(len(misses) / len(bad), 3) if bad else None,
        "flagged": sum(1 for x in labels if x["check"] == "flagged"),
    }


def recheck(labels: list[dict[str, Any]], results: dict[str, Any]) -> list[dict[str, Any]]:
    """The same sentences judged by the current checker against the same cited passages (the run's verdict stays in
    "check"; this one goes to "check_now")."""
    from datetime import date as day

    from assistant.config import Settings
    from assistant.ingest.loaders import load_paths
    from assistant.encoders.embeddings import make_embeddings
    from assistant.evaluation.questions import load_registry
    from assistant.grounding.checker import GroundingChecker
    from assistant.schema import Chunk, Passage

    checker = GroundingChecker(make_embeddings(Settings()))
    # a labelled sentence is judged against the passages of the run that wrote it: several runs (folders) may
    # have answered the same question, and differently when the code between them changed
    rows = {(run["set"], row["id"], s["text"]): row for run in results["runs"] for row in run["llm"]["results"]
            for s in row.get("model_sentences", [])}
    dates: dict[str, Any] = {}  # runs before passages' dates were recorded: read them from the corpora
    for qset in load_registry(ROOT / "eval" / "sets"):
        if qset.corpus.is_dir() and any(run["set"].split()[0] == qset.name for run in results["runs"]):
            dates.update({a.id: a.published for a in load_paths([qset.corpus]).articles})
    out = []
    for item in labels:
        row = rows.get((item["set"], item["id"], item["sentence"]))
        if row is None:
            print(f"{item['set']} {item['id']}: sentence not in any run's results.json, not rechecked", file=sys.stderr)
            out.append(item)
            continue
        passages = []
        for n, p in row.get("cited_passages", {}).items():
            published = day.fromisoformat(p["published"]) if p.get("published") else dates.get(p["article_id"])
            chunk = Chunk(f"c{n}", p["article_id"], 0, p["text"], 0, len(p["text"]), p["title"], "", published)
            passages.append(Passage(chunk, int(n), 1.0))
        made = checker.check_answer(item["sentence"], passages, row["question"])
        verdict = "supported" if made and all(c.supported for c in made) else "flagged"
        out.append({**item, "check_now": verdict})
    return out


def report(model: str, labels: list[dict[str, Any]]) -> str:
    r = rates(labels)
    sets = sorted({x["set"] for x in labels})
    lines = [f"# The grounding check on `{model}`'s own sentences, labelled by hand", "",
             f"{r['labelled']} sentences the model wrote in `make eval-llm` runs ({', '.join(sets)}), each read against "
             "the passages it cites and labelled supported or unsupported by hand (labels.jsonl). The check's verdict is "
             "the one it gave during the run, before a flagged sentence was replaced.", "",
             "| | count | rate |", "|---|---|---|",
             f"| sentences labelled | {r['labelled']} | |",
             f"| ... supported by their cited passages | {r['supported']} | |",
             f"| ... not supported | {r['unsupported']} | |",
             f"| flagged by the check | {r['flagged']} | |",
             f"| false flags (supported, but flagged) | {r['false_flags']} | {_rate(r['false_flag_rate'])} of supported |",
             f"| misses (unsupported, but passed) | {r['misses']} | {_rate(r['miss_rate'])} of unsupported |", ""]
    if labels and all("check_now" in x for x in labels):
        now = rates([{**x, "check": x["check_now"]} for x in labels])
        lines += [f"The same sentences judged again by the checker as it is now (after the fixes made from these labels): "
                  f"{now['flagged']} flagged, {now['false_flags']} false flags ({_rate(now['false_flag_rate'])} of "
                  f"supported), {now['misses']} misses ({_rate(now['miss_rate'])} of unsupported).", ""]
    wrong = [x for x in labels if (x["label"] == "supported") == (x["check"] == "flagged")]
    if wrong:
        lines += ["## Where the check and the hand label disagree", "", "| set | id | sentence | check | label | note |",
                  "|---|---|---|---|---|---|"]
        for x in wrong:
            text = x["sentence"].replace("|", "\\|")
            lines.append(f"| {x['set']} | {x['id']} | {text} | {x['check']} | {x['label']} | {x.get('note', '')} |")
    return "\n".join(lines) + "\n"


def _rate(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["pending", "score"])
    parser.add_argument("--model", default="qwen2.5-1.5b")
    parser.add_argument("--partial", type=Path, help="pending: also the answers of a run still going (eval-llm --partial)")
    parser.add_argument("--recheck", action="store_true", help="also judge the labelled sentences with today's checker")
    args = parser.parse_args()
    folder = ROOT / "eval" / "baseline-llm" / args.model
    labels = read_labels(folder / "labels.jsonl")
    results = all_runs(args.model)
    if args.command == "pending":
        done = {key(x) for x in labels}
        if args.partial and args.partial.is_file():
            rows = [json.loads(line) for line in args.partial.read_text(encoding="utf-8").splitlines() if line.strip()]
            for name in dict.fromkeys(row["set"] for row in rows):
                results["runs"].append({"set": name, "llm": {"results": [r for r in rows if r["set"] == name]}})
        for item in model_sentences(results):
            if key(item) not in done:
                print(json.dumps(item, ensure_ascii=False))
        return 0
    if args.recheck:
        sys.path.insert(0, str(ROOT))
        labels = recheck(labels, results)
        now = rates([{**x, "check": x.get("check_now", x["check"])} for x in labels])
        print("now:", json.dumps(now))
    (folder / "check-labels.md").write_text(report(args.model, labels), encoding="utf-8")
    print(json.dumps(rates(labels)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
