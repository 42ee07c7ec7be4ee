"""Finding article files under folders and reading them as text, refusing what cannot be used.

Symbolic links never lead out of an ingested folder; files are capped in size before they are read;
bytes become text only as UTF-8, or UTF-16/32 with a byte-order mark.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterable

from ..errors import ArticleError

SUFFIXES = {".md", ".markdown", ".txt", ".html", ".htm", ".jsonl", ".pdf", ".docx"}  # .pdf, .docx: assistant/ingest/documents.py
MANIFEST_NAME = "manifest.csv"
# C0/C1 controls other than tab and newline, and lone surrogates (JSON can encode them; nothing can store them).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


# --- finding files --------------------------------------------------------------------------


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[ArticleError]]:
    """Expand folders into the article files they hold (sorted); name paths that cannot be used.

    Inside a folder, symbolic links are never followed out of it: a link to a file inside the folder is
    read like the file, a link that leads outside (or to a folder, or nowhere) is refused with a reason.
    """
    files: list[Path] = []
    errors: list[ArticleError] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found: list[Path] = []
            _walk(path, path.resolve(), found, errors)
            files.extend(sorted(found, key=str))
        elif path.is_file():
            if path.suffix.lower() in SUFFIXES:
                files.append(path)
            else:
                errors.append(ArticleError(str(path), f"unsupported file type '{path.suffix}'"))
        elif path.exists():
            errors.append(ArticleError(str(path), "not a regular file"))
        else:
            errors.append(ArticleError(str(path), "no such file or folder"))
    return files, errors


def _walk(top: Path, root: Path, files: list[Path], errors: list[ArticleError]) -> None:
    stack = [top]  # a loop, not recursion: folders may nest deeper than Python's stack
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            errors.append(ArticleError(str(folder), f"folder cannot be read ({exc.strerror or exc})"))
            continue
        for entry in entries:
            if entry.name.startswith(".") or entry.name == MANIFEST_NAME:
                continue
            child = Path(entry.path)
            wanted = child.suffix.lower() in SUFFIXES
            if wanted and not _utf8_name(entry.name):
                errors.append(ArticleError(str(child), "file name is not valid UTF-8 (it could not be stored or cited): rename it"))
                continue
            try:
                if entry.is_symlink():
                    problem = _link_problem(child, root)
                    if problem:
                        errors.append(ArticleError(str(child), problem))
                    elif wanted:
                        files.append(child)
                elif entry.is_dir(follow_symlinks=False):
                    stack.append(child)
                elif wanted:
                    if entry.is_file(follow_symlinks=False):
                        files.append(child)
                    else:
                        errors.append(ArticleError(str(child), "not a regular file (device, pipe or socket)"))
            except OSError as exc:
                errors.append(ArticleError(str(child), f"cannot be examined ({exc.strerror or exc})"))


def _utf8_name(name: str) -> bool:
    try:
        name.encode("utf-8")  # undecodable bytes arrive as lone surrogates
    except UnicodeEncodeError:
        return False
    return True


def _link_problem(link: Path, root: Path) -> str | None:
    """Why a symbolic link inside an ingested folder is refused, or None for a link to a file inside it."""
    target = os.readlink(link)
    try:
        resolved = link.resolve(strict=True)
    except (OSError, RuntimeError):
        return f"symbolic link to {target!r} leads nowhere (missing target or a loop): not followed"
    if not resolved.is_relative_to(root):
        return f"symbolic link to {str(resolved)!r}, outside the ingested folder: not followed"
    if resolved.is_dir():
        return "symbolic link to a folder: not followed (ingest the folder itself)"
    if not resolved.is_file():
        return "symbolic link to something that is not a regular file: not followed"
    return None


def read_text(path: Path, max_bytes: int) -> str:
    """Read a file as text, refusing oversized files (before reading them), binary data and bad encodings."""
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise ArticleError(str(path), f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:g} MB limit")
            data = handle.read(max_bytes + 1)  # never more than the cap, even if the file grows meanwhile
    except OSError as exc:
        raise ArticleError(str(path), f"cannot be read ({exc.strerror or exc})") from exc
    if len(data) > max_bytes:
        raise ArticleError(str(path), f"file grew past the {max_bytes / 1e6:g} MB limit while being read")
    text = decode_text(str(path), data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ArticleError(str(path), "file is empty")
    return text


def decode_text(where: str, data: bytes) -> str:
    """UTF-8 (BOM optional), or UTF-16/32 when a byte-order mark says which; anything else is refused."""
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return _check_printable(where, data.decode(codec))
            except UnicodeDecodeError as exc:
                raise ArticleError(where, f"broken {codec.upper()} text (byte-order mark, then invalid data at offset {exc.start})") from exc
    head = data[:8192]
    if b"\x00" in head:
        if _looks_like_utf16(head):
            raise ArticleError(where, "looks like UTF-16 without a byte-order mark; save it as UTF-8")
        raise ArticleError(where, "binary file, not text")
    try:
        return _check_printable(where, data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            raise ArticleError(where, "truncated: ends in the middle of a UTF-8 character") from exc
        raise ArticleError(
            where, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8"
        ) from exc


def _looks_like_utf16(head: bytes) -> bool:
    even, odd = head[0::2], head[1::2]
    return max(even.count(0), odd.count(0)) > 0.4 * max(len(odd), 1) and min(even.count(0), odd.count(0)) < 0.05 * max(len(odd), 1)


def _check_printable(where: str, text: str) -> str:
    sample = text[:8192]
    controls = len(CONTROL.findall(sample))
    if controls > 0.05 * max(len(sample), 1) + 2:
        raise ArticleError(where, "binary file, not text (control characters)")
    return text
