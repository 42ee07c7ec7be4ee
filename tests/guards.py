"""A hang guard for failure tests: a fault must end, never hang, and a hang must fail the test rather than stall it."""

from __future__ import annotations

import threading
from typing import Any, Callable

HANG_LIMIT_S = 90  # far above any bounded path (timeouts of 2s, a deadline of 20s): only a hang reaches it


def bounded(fn: Callable[[], Any], limit: float = HANG_LIMIT_S) -> Any:
    """Run `fn` in a thread; fail the test if it has not returned within `limit` seconds."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # re-raised in the test's thread
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(limit)
    assert not worker.is_alive(), f"still running after {limit}s: this path hangs"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
