"""Analyst figures -> eval/ANALYST.md: conflict detection and near-duplicate grouping, measured on labelled sets.

- Conflicts: eval/sets/analyst.jsonl, questions with and without a real disagreement among the articles
  (the bundled corpus, and DoD contract releases with their CORRECTION items). A detection counts as right
  when the answer lists a conflict and every labelled value appears among its values.
- Near-duplicates: the articles whose front matter names the story they copy (`syndicated_from`) are the
  positive pairs; every other pair of articles in the bundled corpus, the DVIDS corpus and the DoD releases
  is a negative. Grouping is done on the article texts, exactly as at ingest.

Run: `.venv/bin/python eval/scripts/analyst.py` (part of `make eval`). The DoD and DVIDS parts are skipped when
../shared/data is absent.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from assistant.app import build_assistant  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.ingest.loaders import load_paths  # noqa: E402
from assistant.encoders.embeddings import make_embeddings  # noqa: E402
from assistant.index.storygroups import StoryGroups  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
# The DoD releases that carry a CORRECTION and the releases they correct, with three other days as distractors.
DOD_FILES = ["001", "003", "011", "028", "030", "050", "100", "133", "134", "141", "142", "165", "166", "167", "173", "174"]
log = logging.getLogger("analyst")


def corpora() -> dict[str, list[Path]]:
    found = {"bundled": [ROOT / "corpus"]}
    dod = DATA / "dodcontracts"
    if dod.is_dir():
        found["dodcontracts"] = sorted(p for p in dod.glob("*.txt") if p.name[:3] in DOD_FILES)
    return found


def ask_all(questions: list[dict], paths: dict[str, list[Path]]) -> list[dict]:
    results = []
    embeddings = None
    for name, files in paths.items():
        items = [q for q in questions if q["corpus"] == name]
        if not items:
            continue
        with tempfile.TemporaryDirectory(prefix="assistant-analyst-") as tmp:
            settings = Settings(index_dir=Path(tmp) / "index", chroma_url=None, mode="extractive")
            embeddings = embeddings or make_embeddings(settings)
            with build_assistant(settings, embeddings=embeddings) as assistant:
                assistant.ingest(files, progress=False)
                for q in items:
                    answer = assistant.answerer.ask(q["question"], mode="extractive")
                    found = [{"about": c.about, "values": [v.value for v in c.values]} for c in answer.conflicts]
                    values = {v for c in found for v in c["values"]}
                    detected = bool(found)
                    right = detected and all(v in values for v in q.get("values", []))
                    results.append({**q, "detected": detected, "values_found": right, "found": found})
    return results


def conflict_scores(results: list[dict]) -> dict[str, float | int]:
    tp = sum(1 for r in results if r["conflict"] and r["values_found"])
    fn = sum(1 for r in results if r["conflict"] and not r["values_found"])
    fp = sum(1 for r in results if not r["conflict"] and r["detected"])
    tn = sum(1 for r in results if not r["conflict"] and not r["detected"])
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
            "recall": round(tp / (tp + fn), 3) if tp + fn else 1.0}


def grouping_scores() -> dict[str, object]:
    folders = [ROOT / "corpus", DATA / "dvids", DATA / "dodcontracts"]
    texts: dict[str, str] = {}
    positives: set[tuple[str, str]] = set()
    for folder in folders:
        if not folder.is_dir():
            continue
        loaded = load_paths([folder])
        texts.update({a.id: a.text for a in loaded.articles})
    for path in (ROOT / "corpus").glob("*.md"):
        head = path.read_text(encoding="utf-8").split("---", 2)[1]
        match = re.search(r"^syndicated_from:\s*(\S+)", head, re.M)
        ident = re.search(r"^id:\s*(\S+)", head, re.M)
        if match and ident:
            positives.add(tuple(sorted((ident.group(1), match.group(1)))))  # type: ignore[arg-type]
    labels = json.loads((ROOT / "eval" / "sets" / "duplicates.json").read_text(encoding="utf-8"))
    positives |= {tuple(sorted((p["a"], p["b"]))) for p in labels["pairs"] if p["a"] in texts and p["b"] in texts}  # type: ignore[misc]
    started = time.perf_counter()
    groups = StoryGroups()
    groups.update(texts)
    seconds = time.perf_counter() - started
    members: dict[str, list[str]] = {}
    for article, group in groups.groups.items():
        members.setdefault(group, []).append(article)
    predicted = {tuple(sorted(p)) for m in members.values() for p in itertools.combinations(m, 2)}
    tp = len(predicted & positives)
    return {"articles": len(texts), "pairs": len(texts) * (len(texts) - 1) // 2, "positive_pairs": sorted(positives),
            "predicted_pairs": sorted(predicted), "tp": tp, "fp": len(predicted - positives), "fn": len(positives - predicted),
            "precision": round(tp / len(predicted), 3) if predicted else 1.0, "recall": round(tp / len(positives), 3) if positives else 1.0,
            "seconds": round(seconds, 2)}


def timeline_check(subject: str = "Golden Dome") -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="assistant-analyst-") as tmp:
        settings = Settings(index_dir=Path(tmp) / "index", chroma_url=None)
        with build_assistant(settings) as assistant:
            assistant.ingest([ROOT / "corpus"], progress=False)
            timeline = assistant.timeline(subject)
    dates = [e.date for e in timeline.events]
    return {"subject": subject, "events": len(dates), "ordered": dates == sorted(dates),
            "multi_source_events": sum(1 for e in timeline.events if len(e.sources) > 1), "undated_left_out": timeline.undated}


def report(conflicts: list[dict], scores: dict, grouping: dict, timeline: dict) -> str:
    lines = [
        "# Analyst figures: conflicts, corrections, near-duplicates, timelines", "",
        f"Generated {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `eval/scripts/analyst.py` (`make eval`).", "",
        "## Conflict detection", "",
        f"{len(conflicts)} labelled questions (`eval/sets/analyst.jsonl`): "
        f"{sum(1 for r in conflicts if r['conflict'])} with a real disagreement, {sum(1 for r in conflicts if not r['conflict'])} without. "
        "A detection is right when the answer's `conflicts` is not empty and holds every labelled value.", "",
        "| metric | value | target |", "|---|---|---|",
        f"| precision | {scores['precision']} | >= 0.9 |", f"| recall | {scores['recall']} | >= 0.8 |",
        f"| true positives / false positives / false negatives / true negatives | {scores['tp']} / {scores['fp']} / {scores['fn']} / {scores['tn']} | |", "",
        "| id | corpus | labelled | detected | values found | conflicts found |", "|---|---|---|---|---|---|",
    ]
    for r in conflicts:
        found = "; ".join(f"{c['about']}: {', '.join(c['values'])}" for c in r["found"]) or "—"
        lines.append(f"| {r['id']} | {r['corpus']} | {'conflict' if r['conflict'] else 'none'} | {'yes' if r['detected'] else 'no'} | "
                     f"{'yes' if r['values_found'] else 'no'} | {found.replace('|', '/')} |")
    missed = [r["id"] for r in conflicts if r["conflict"] and not r["values_found"]]
    wrong = [r["id"] for r in conflicts if not r["conflict"] and r["detected"]]
    lines += [
        "", f"Missed: {', '.join(missed) or 'none'}. False alarms: {', '.join(wrong) or 'none'}.", "",
        "How it decides, and where it fails: each story's own answer (the amount in the sentence that says most of "
        "what the question asks, not one the story reports as replaced) is compared with the others'; amounts for "
        "another fiscal year, contract number or count of items, or more than 2.5 times apart (a part and a whole), "
        "are not rivals. A correction is compared with the announcement it corrects only when it states the right "
        "value (a contract number, a date, a count, an amount): a corrected funding type or a withdrawn award has "
        "no value to set against the original and is missed. A figure about another party in a sentence that also "
        "names the subject (a SpaceX task order in a story about Rocket Lab and the SDA) can raise a false alarm.",
    ]
    lines += [
        "", "## Near-duplicate grouping", "",
        f"MinHash (128 permutations, word 5-shingles, Jaccard >= 0.5) over {grouping['articles']} articles "
        f"(bundled corpus, DVIDS, DoD releases): {grouping['pairs']:,} pairs, {len(grouping['positive_pairs'])} labelled copies "
        f"(front matter `syndicated_from`, and `eval/sets/duplicates.json`). Grouping took {grouping['seconds']} s.", "",
        "| metric | value |", "|---|---|",
        f"| precision | {grouping['precision']} |", f"| recall | {grouping['recall']} |",
        f"| predicted pairs | {', '.join(' = '.join(p) for p in grouping['predicted_pairs']) or '—'} |", "",
        "The labelled set of copies is small (one syndicated pair written for the bundled corpus, one story DVIDS "
        "published twice); the negatives are every other pair, so precision is the figure with weight here.", "",
        "## Timeline", "",
        f"`assistant timeline \"{timeline['subject']}\"` over the bundled corpus: {timeline['events']} dated events, "
        f"in date order: {timeline['ordered']}; {timeline['multi_source_events']} events merged from several articles; "
        f"{timeline['undated_left_out']} sentences left out for an unreadable date.", "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, default=ROOT / "eval" / "sets" / "analyst.jsonl")
    parser.add_argument("--out", type=Path, default=ROOT / "eval" / "ANALYST.md")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    logging.basicConfig(level=logging.WARNING)
    questions = [json.loads(line) for line in args.set.read_text(encoding="utf-8").splitlines() if line.strip()]
    paths = corpora()
    missing = sorted({q["corpus"] for q in questions} - set(paths))
    if missing:
        print(f"skipping questions over {', '.join(missing)}: ../shared/data is absent", file=sys.stderr)
    conflicts = ask_all(questions, paths)
    scores = conflict_scores(conflicts)
    grouping = grouping_scores()
    timeline = timeline_check()
    args.out.write_text(report(conflicts, scores, grouping, timeline), encoding="utf-8")
    results = ROOT / "eval" / "analyst" / "results.json"
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps({"conflicts": conflicts, "scores": scores, "grouping": grouping, "timeline": timeline}, indent=1), encoding="utf-8")
    print(f"conflicts: precision {scores['precision']}, recall {scores['recall']}; near-duplicates: precision "
          f"{grouping['precision']}, recall {grouping['recall']}; timeline: {timeline['events']} events -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
