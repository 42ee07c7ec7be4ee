"""Dependency audit: `pip-audit` over requirements.lock (the pinned .venv, without the project itself), with every
finding and every package that could not be audited written to results/audit.json with an explanation.

    .venv/bin/pip freeze --exclude-editable > requirements.lock     # refresh the lock after dependency changes
    .venv/bin/python eval/reliability/audit.py                      # runs pip-audit (needs the PyPI JSON API)
    .venv/bin/python eval/reliability/audit.py --input audit.json   # record an earlier `pip-audit -f json` output

Exit code: 0 audited and clean, 1 advisories found, 2 no report, 3 nothing could be audited (registry unreachable).

pip-audit asks PyPI's per-release JSON API (https://pypi.org/pypi/<name>/<version>/json) for each pinned package;
a package whose release page cannot be fetched is reported as skipped, not as safe, and this script says so.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements.lock"
RESULTS = Path(__file__).resolve().parent / "results"
PIP_AUDIT = Path(sys.executable).parent / "pip-audit"

# Why a known vulnerability does or does not matter here, by advisory id; a finding without an entry is "unreviewed".
REVIEWED: dict[str, str] = {}


def run_pip_audit(lock: Path, timeout_s: float = 900.0) -> tuple[dict[str, Any], str, int]:
    """pip-audit's JSON report, its stderr and exit code (1 means vulnerabilities were found)."""
    command = [str(PIP_AUDIT), "-r", str(lock), "--format", "json", "--progress-spinner", "off", "--desc", "on", "--aliases", "on"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s, cwd=ROOT)
    try:
        report = json.loads(done.stdout or "{}")
    except json.JSONDecodeError:
        report = {}
    return report, done.stderr, done.returncode


def summarise(report: dict[str, Any], stderr: str, code: int, command: str) -> dict[str, Any]:
    deps = report.get("dependencies", [])
    skipped = [d for d in deps if d.get("skip_reason")]
    audited = [d for d in deps if not d.get("skip_reason")]
    findings = [
        {"package": d["name"], "version": d.get("version"), "id": v.get("id"), "aliases": v.get("aliases", []),
         "fix_versions": v.get("fix_versions", []), "description": (v.get("description") or "")[:400],
         "explanation": REVIEWED.get(v.get("id", ""), "unreviewed: upgrade to a fixed version or record why it does not apply")}
        for d in audited for v in d.get("vulns", [])
    ]
    reasons = Counter(_reason_kind(d["skip_reason"]) for d in skipped)
    rows = [
        {"fault": "known vulnerabilities in the locked dependencies (pip-audit, PyPI advisory data)", "tried": len(audited),
         "ok": len({d["name"] for d in audited if not d.get("vulns")}),
         "outcome": f"{len(findings)} advisories in {len({f['package'] for f in findings})} packages" if audited else
                    "nothing could be audited (see skipped)"},
        {"fault": "packages pip-audit could not look up", "tried": len(deps), "ok": len(audited),
         "outcome": "; ".join(f"{n} {kind}" for kind, n in reasons.items()) or "none skipped"},
    ]
    notes = []
    if deps and not audited:
        notes.append("Every package was skipped: the package registry reachable from this machine answers PyPI's project "
                     "JSON (/pypi/<name>/json) but returns 404 for the per-release JSON (/pypi/<name>/<version>/json) that "
                     "pip-audit's PyPI service reads, and the OSV service (api.osv.dev) does not resolve here. pip-audit still "
                     "prints 'No known vulnerabilities found' and exits 0: that is NOT a clean result. Run this script on a "
                     "machine with full PyPI or OSV access (or CI with network) for a real audit.")
    if any("+cpu" in str(d.get("version", "")) or "+cpu" in d.get("skip_reason", "") for d in deps):
        notes.append("torch is pinned as 2.13.0+cpu (a local version label from the CPU wheel index); PyPI knows it as 2.13.0.")
    return {
        "section": "Dependency audit",
        "command": command,
        "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "rows": rows,
        "figures": {"packages": len(deps), "audited": len(audited), "skipped": len(skipped), "advisories": len(findings),
                    "pip_audit_exit_code": code},
        "findings": findings,
        "skipped": [{"package": d["name"], "reason": d["skip_reason"]} for d in skipped],
        "notes": notes + ([f"pip-audit stderr: {stderr.strip()[:300]}"] if stderr.strip() else []),
    }


def _reason_kind(reason: str) -> str:
    if "not found on PyPI" in reason:
        return "not found on the registry's per-release JSON API"
    return reason.split(":")[0][:80]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lock", type=Path, default=LOCK)
    parser.add_argument("--input", type=Path, help="an existing `pip-audit -f json` report instead of running pip-audit")
    parser.add_argument("--out", type=Path, default=RESULTS / "audit.json")
    args = parser.parse_args(argv)
    if not args.lock.is_file():
        print(f"{args.lock} is missing: create it with `.venv/bin/pip freeze --exclude-editable > requirements.lock`", file=sys.stderr)
        return 2
    if args.input:
        report, stderr, code = json.loads(args.input.read_text(encoding="utf-8")), "", 0
    else:
        report, stderr, code = run_pip_audit(args.lock)
    if not report.get("dependencies"):
        print(f"pip-audit produced no report (exit {code}): {stderr.strip()[:2000]}", file=sys.stderr)
        return 2
    result = summarise(report, stderr, code, ".venv/bin/python eval/reliability/audit.py  (pip-audit -r requirements.lock)")
    if args.input:
        result["notes"].append(f"Recorded from an earlier pip-audit JSON report ({args.input.name}) made with the same options.")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result["figures"]))
    if not result["figures"]["audited"]:
        print("no package could be audited from this machine (see notes in the results file)", file=sys.stderr)
        return 3
    return 1 if result["findings"] else 0


if __name__ == "__main__":
    sys.exit(main())
