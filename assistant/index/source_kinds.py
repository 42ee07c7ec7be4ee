"""Kinds of source (official release, wire, trade press, think tank, other), from a small settings file."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import yaml

log = logging.getLogger(__name__)

KINDS = ("official release", "wire", "trade press", "think tank", "other")
UNKNOWN = "unknown"


def default_kinds_path() -> Path:
    return Path(__file__).resolve().parents[1] / "data" / "source_kinds.yaml"


@lru_cache(maxsize=8)
def load_source_kinds(path: Path | None = None) -> dict[str, str]:
    """source name (lower case) -> kind. A bad file or entry is reported in one line and skipped."""
    path = path or default_kinds_path()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        log.warning("source kinds file %s unreadable (%s): every source is 'unknown'", path, exc)
        return {}
    if not isinstance(data, dict):
        log.warning("source kinds file %s: expected a mapping of kind -> list of sources", path)
        return {}
    kinds: dict[str, str] = {}
    for kind, sources in data.items():
        if kind not in KINDS:
            log.warning("source kinds file %s: unknown kind %r (expected one of %s), skipped", path, kind, ", ".join(KINDS))
            continue
        if not isinstance(sources, list):
            log.warning("source kinds file %s: %r must list source names, skipped", path, kind)
            continue
        for source in sources:
            if isinstance(source, str) and source.strip():
                kinds[source.strip().lower()] = str(kind)
    return kinds


def source_kind(source: str, path: Path | None = None) -> str:
    return load_source_kinds(path).get((source or "").strip().lower(), UNKNOWN)


def sources_of_kind(kind: str, path: Path | None = None) -> tuple[str, ...]:
    """The source names the file lists under `kind`, in the casing it gives (for a filter)."""
    names: list[str] = []
    try:
        data = yaml.safe_load((path or default_kinds_path()).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return ()
    listed = data.get(kind) if isinstance(data, dict) else None
    for source in listed if isinstance(listed, list) else []:
        if isinstance(source, str) and source.strip():
            names.append(source.strip())
    return tuple(names)
