"""Render eval/RELIABILITY.md from the result files the reliability scripts write.

Each script under eval/reliability/ writes eval/reliability/results/<name>.json:
  {"section", "command", "generated", "rows": [{"fault", "tried", "ok", "outcome"}], "figures": {}, "notes": []}
This script only lays them out, in a fixed order, with totals; it measures nothing itself.

    python eval/reliability/report.py [--results DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["hostile", "fuzz", "kill", "services", "load", "security", "audit"]


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _section(name: str, data: dict) -> list[str]:
    lines = [f"## {data.get('section', name)}", ""]
    if data.get("command"):
        lines.append(f"Regenerate: `{data['command']}` (last run {data.get('generated', 'unknown')}).")
        lines.append("")
    rows = data.get("rows") or []
    if rows:
        lines += ["| fault | tried | ok | outcome |", "|---|---:|---:|---|"]
        for row in rows:
            lines.append(
                f"| {_cell(row.get('fault', ''))} | {row.get('tried', '')} | {row.get('ok', '')} | "
                f"{_cell(row.get('outcome', ''))} |"
            )
        lines.append("")
    figures = data.get("figures") or {}
    if figures:
        lines += ["| figure | value |", "|---|---:|"]
        lines += [f"| {_cell(k)} | {_cell(v)} |" for k, v in figures.items()]
        lines.append("")
    for note in data.get("notes") or []:
        lines.append(f"- {note}")
    if data.get("notes"):
        lines.append("")
    return lines


def render(results: Path) -> str:
    found = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(results.glob("*.json"))}
    names = [n for n in ORDER if n in found] + sorted(n for n in found if n not in ORDER)
    tried = sum(int(r.get("tried") or 0) for d in found.values() for r in d.get("rows") or [])
    ok = sum(int(r.get("ok") or 0) for d in found.values() for r in d.get("rows") or [])
    lines = [
        "# Reliability and security",
        "",
        "Each fault below was produced for real (killed processes, stopped servers, malformed files, hostile",
        "payloads, concurrent clients) by the scripts under `eval/reliability/`; the tests under `tests/` repeat",
        "smaller versions of the same faults on every `make test`. `make reliability` regenerates this file.",
        "",
        f"Rendered {datetime.now(timezone.utc).isoformat(timespec='seconds')} from {len(found)} result files: "
        f"{tried} fault cases tried, {ok} ended as intended.",
        "",
    ]
    for name in names:
        lines += _section(name, found[name])
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=HERE / "results")
    parser.add_argument("--out", type=Path, default=HERE.parent / "RELIABILITY.md")
    args = parser.parse_args()
    args.out.write_text(render(args.results), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
