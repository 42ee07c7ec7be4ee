"""Split a question set BY ARTICLE into a dev half and a test half (a `split` field on every question).

    python eval/scripts/split_sets.py eval/sets/dodcontracts.jsonl eval/sets/dvids.jsonl

Questions that share an article end up in the same half (connected components over article ids), so no
article is seen in both halves. Components are taken in order of their first article id and each goes to the
half with fewer questions so far; questions naming no article alternate. Re-running gives the same split.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def components(records: list[dict]) -> list[list[int]]:
    parent: dict[str, str] = {}

    def find(a: str) -> str:
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for r in records:
        ids = r.get("article_ids") or []
        for other in ids[1:]:
            parent[find(other)] = find(ids[0])
    groups: dict[str, list[int]] = {}
    for index, r in enumerate(records):
        ids = r.get("article_ids") or []
        key = find(min(ids)) if ids else f"~none-{index}"
        groups.setdefault(key, []).append(index)
    ordered = sorted(groups.items(), key=lambda kv: min((a for i in kv[1] for a in records[i].get("article_ids") or []), default=kv[0]))
    return [members for _, members in ordered]


def assign(records: list[dict]) -> None:
    counts = {"dev": 0, "test": 0}
    for members in components(records):
        half = "dev" if counts["dev"] <= counts["test"] else "test"
        for index in members:
            records[index]["split"] = half
        counts[half] += len(members)


def main() -> int:
    for name in sys.argv[1:]:
        path = Path(name)
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        assign(records)
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        dev = sum(1 for r in records if r["split"] == "dev")
        print(f"{path}: {dev} dev, {len(records) - dev} test")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
