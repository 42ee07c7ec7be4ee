"""Uploads that carry a manifest.csv: it and the batch's .txt files are stored together in a folder of their own,
so the manifest's title, date, source and url reach those articles (and no other upload's)."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Sequence

from .loaders import read_manifest
from .files import MANIFEST_NAME
from ..errors import ArticleError


def is_manifest(path: str | Path) -> bool:
    return Path(str(path).replace("\\", "/")).name.lower() == MANIFEST_NAME


def manifest_first(paths: Sequence[str | Path]) -> list[str | Path]:
    """The batch with its manifest (if any) first, so it is in place before the articles it describes."""
    return sorted(paths, key=lambda p: not is_manifest(p))


def store_manifest(src: Path, upload_dir: Path, limit: int) -> tuple[Path | None, str]:
    """(the batch's own folder holding the manifest, what it says) or (None, why it was refused)."""
    try:
        if src.stat().st_size > limit:
            return None, f"{src.stat().st_size / 1e6:.1f} MB is over the upload limit"
        rows = read_manifest(src)
    except ArticleError as exc:
        return None, exc.reason
    except OSError:
        return None, "the uploaded manifest could not be read"
    folder = upload_dir / f"batch-{uuid.uuid4().hex[:12]}"
    folder.mkdir(parents=True)
    shutil.copyfile(src, folder / MANIFEST_NAME)
    return folder, f"{len(rows)} row(s): title, date, source and url for the .txt files of this upload"
