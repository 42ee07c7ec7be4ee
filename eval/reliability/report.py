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
    lines += ["## Covered by tests only", ""] + [f"- `{test}`: {what}" for test, what in TESTS] + [""]
    return "\n".join(lines).rstrip() + "\n"


# Faults whose outcome is pass/fail rather than a figure: they run on every `make test`.
TESTS = [
    ("tests/ingest/test_fuzz.py", "random bytes, random front matter (YAML of any type), random HTML and JSONL lines into every "
     "loader (hypothesis): nothing escapes but the per-file error"),
    ("tests/ui/test_security_served.py", "script tags, event handlers, javascript:/data: links and entities in titles, urls, "
     "sources and bodies execute nothing in a real browser and every link is http(s); the served export and uploads"),
    ("tests/ui/test_security_render.py", "exported Markdown renders inert; flag reasons and terminal output are escaped; an "
     "injection in a title or source changes no answer"),
    ("tests/ui/test_security_uploads.py", "uploads with traversal names, NUL bytes, binary content or over the size limit land "
     "nowhere or only in the upload folder; oversized questions are refused"),
    ("tests/ui/test_security_login.py", "login refuses every API route without credentials; the API key and password appear "
     "in no log or message; an endpoint that echoes the API key gets it redacted"),
    ("tests/answering/test_failures.py", "each LLM fault and a Chroma stop/restart through the real app, CLI and UI handlers; a Chroma "
     "server that accepts connections and never answers, and one frozen mid-session (SIGSTOP), end in a clear error "
     "after ASSISTANT_CHROMA_TIMEOUT_S instead of a hang"),
    ("tests/answering/test_retry_after.py", "429 and 503 with Retry-After (seconds or an HTTP date): the retry waits what the server "
     "asked; a wait beyond the answer's deadline fails at once with a message naming it"),
    ("tests/ui/test_browser_grounding.py", "a model answer with a changed figure is marked in the browser with its reason; in "
     "strict mode it is removed, listed as removed, and the extractive answer stands in"),
    ("tests/ingest/test_kill.py", "SIGKILL during ingest, then a re-run equals a clean ingest"),
    ("tests/ingest/test_hostile.py", "a 120-file hostile folder (50 MB file and outward symbolic links included)"),
    ("tests/ui/test_load.py", "4 clients for 10 s with uploads running: zero errors"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=HERE / "results")
    parser.add_argument("--out", type=Path, default=HERE.parent / "RELIABILITY.md")
    args = parser.parse_args()
    args.out.write_text(render(args.results), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
