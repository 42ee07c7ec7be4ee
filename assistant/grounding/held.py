"""Figures an answer states that none of its cited passages holds (a rightly worked-out result excepted)."""

from __future__ import annotations

import re
from typing import Iterable

from ..reading.compute import verified_figures
from ..text import figures

_MARKERS = re.compile(r"\[\d+\]")


def unheld_figures(text: str, cited: Iterable[str]) -> set[str]:
    """Canonical figures of `text` that no `cited` text gives and no arithmetic written in `text` rightly yields.
    Citation markers ("[2]") are not figures."""
    return figures(_MARKERS.sub(" ", text)) - figures(" ".join(cited)) - verified_figures(text)
