"""Write a folder of hostile and broken article files mixed with good ones, with a manifest of each file's fate.

Decisions on encodings (what the loader accepts): UTF-8 with or without a BOM, and UTF-16/UTF-32 only
when a byte-order mark says which byte order; UTF-16 without a BOM, Latin-1 and UTF-8 cut in the middle
of a character are refused, each with its own reason. Deeply nested HTML (10,000 levels) is read: the
HTML parser builds it without recursion. Files over the size limit (20 MB by default) are refused before
they are read.
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

WORDS = (
    "army navy air force contract missile drone radar budget ministry procurement satellite launch test "
    "frigate submarine tank artillery interceptor battalion exercise alliance treaty shipyard engine "
    "delivery production order fleet brigade command pilot squadron funding programme upgrade sensor"
).split()
PLACES = ["Poland", "Japan", "Texas", "Norway", "Australia", "Korea", "Virginia", "Bavaria", "Ontario", "Chile"]


@dataclass
class Entry:
    """One file written: `ids` are the article ids it must give; `good` False means it must be named as bad."""

    path: str
    kind: str
    good: bool
    ids: list[str] = field(default_factory=list)
    bad_records: int = 0  # 'skipped' lines that must name it: one per bad JSONL record, else one for a bad file

    def __post_init__(self) -> None:
        if not self.good and not self.bad_records:
            self.bad_records = 1


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
    return f"The {rng.choice(PLACES)} {' '.join(words)} was reported on day {rng.randint(1, 28)}."


def body(rng: random.Random, sentences: int = 6) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def front_matter(article_id: str, title: str, extra: str = "") -> str:
    return f"---\nid: {article_id}\ntitle: \"{title}\"\ndate: 2025-0{1 + len(title) % 9}-1{len(title) % 9}\nsource: Hostile Wire\n{extra}---\n"


class _Writer:
    def __init__(self, folder: Path, rng: random.Random):
        self.folder, self.rng, self.entries, self.count = folder, rng, [], 0

    def name(self, stem: str, suffix: str, sub: str = "") -> Path:
        self.count += 1
        target = self.folder / sub if sub else self.folder
        target.mkdir(parents=True, exist_ok=True)
        return target / f"{stem}-{self.count:04d}{suffix}"

    def add(self, path: Path, kind: str, good: bool, ids: list[str] | None = None, bad_records: int = 0) -> None:
        self.entries.append(Entry(str(path), kind, good, ids or [], bad_records))

    def good_md(self, stem: str = "md", sub: str = "", name: Path | None = None) -> Path:
        path = name or self.name(stem, ".md", sub)
        article_id = f"good-{self.count:04d}"
        path.write_text(front_matter(article_id, f"Good article {self.count}") + body(self.rng), encoding="utf-8")
        self.add(path, "good markdown" if not sub else "good markdown in sub-folder", True, [article_id])
        return path


def _good(w: _Writer) -> None:
    kind = w.rng.choice(["md", "md", "txt", "html", "jsonl", "nested"])
    if kind == "md":
        w.good_md()
    elif kind == "nested":
        depth = w.rng.randint(1, 12)
        w.good_md(sub="/".join(f"level{i}" for i in range(depth)))
    elif kind == "txt":
        path = w.name("plain", ".txt")
        path.write_text(f"Plain headline {w.count}\n\n{body(w.rng)}\n", encoding="utf-8")
        w.add(path, "good text", True, [path.stem])
    elif kind == "html":
        path = w.name("page", ".html")
        path.write_text(
            f"<html><head><title>Page {w.count}</title></head><body><article><h1>Page headline {w.count}</h1>"
            + "".join(f"<p>{sentence(w.rng)}</p>" for _ in range(6)) + "</article></body></html>",
            encoding="utf-8",
        )
        w.add(path, "good HTML", True, [path.stem])
    else:
        path = w.name("records", ".jsonl")
        ids = [f"rec-{w.count:04d}-{i}" for i in range(3)]
        lines = [json.dumps({"id": i, "title": f"Record {i}", "body": body(w.rng, 4), "date": "2025-05-05"}) for i in ids]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        w.add(path, "good JSONL", True, ids)


def _bad_bytes(w: _Writer, kind: str, suffix: str, data: bytes, good: bool = False, ids: list[str] | None = None) -> None:
    path = w.name(kind.replace(" ", "-"), suffix)
    path.write_bytes(data)
    w.add(path, kind, good, ids, bad_records=data.count(b"\n") if kind == "JSONL all invalid" else 0)


def _make_cases(w: _Writer, outside: Path) -> list[Callable[[], None]]:
    rng = w.rng
    text = lambda: front_matter(f"enc-{w.count + 1:04d}", f"Encoded article {w.count + 1}") + body(rng) + " Défense café."  # noqa: E731

    def utf16_bom() -> None:
        _bad_bytes(w, "UTF-16 with BOM (accepted)", ".md", text().encode("utf-16"), good=True, ids=[f"enc-{w.count + 1:04d}"])

    def utf8_bom() -> None:
        _bad_bytes(w, "UTF-8 with BOM (accepted)", ".md", b"\xef\xbb\xbf" + text().encode("utf-8"), good=True, ids=[f"enc-{w.count + 1:04d}"])

    def deep_html() -> None:
        path = w.name("deep", ".html")
        depth = 10_000
        path.write_text(f"<html><body><h1>Deep page {w.count}</h1>" + "<div>" * depth + f"<p>{body(rng)}</p>" + "</div>" * depth + "</body></html>", encoding="utf-8")
        w.add(path, "HTML nested 10,000 levels (accepted)", True, [path.stem])

    def script_html() -> None:
        path = w.name("scripts", ".html")
        scripts = "".join(f"<script>document.write('SCRIPTTEXT{i}');</script><style>.x{{color:red}}</style>" for i in range(200))
        path.write_text(f"<html><head>{scripts}</head><body>{scripts}<h1>Scripted page {w.count}</h1><p>{body(rng)}</p>{scripts}</body></html>", encoding="utf-8")
        w.add(path, "script-laden HTML (accepted, scripts dropped)", True, [path.stem])

    def odd_name() -> None:
        stems = ["with spaces in it", "ünïcödé-Ωμέγα-日本", "-leading-dash", "--double-dash", "tab\tin name", "new\nline"]
        stem = stems[sum(e.kind == "odd file name" for e in w.entries) % len(stems)]  # each name in turn
        try:
            w.good_md(name=w.name(stem, ".md"))
            w.entries[-1].kind = "odd file name"
        except OSError:  # a filesystem that refuses the name: write a plain one instead
            w.good_md()

    def long_name() -> None:
        w.count += 1
        path = w.folder / (f"long-{w.count:04d}-" + "x" * 230 + ".md")  # 250 bytes, under the usual 255 limit
        w.good_md(name=path)
        w.entries[-1].kind = "file name of 250 bytes"

    def duplicate_id() -> None:
        first = w.good_md()
        article_id = w.entries[-1].ids[0]
        dup = first.with_name(first.stem + "~duplicate.md")  # "~" sorts after ".", so the first file keeps the id
        dup.write_text(front_matter(article_id, "Duplicate of another") + body(rng), encoding="utf-8")
        w.add(dup, "duplicate article id", False)

    def mixed_jsonl() -> None:
        path = w.name("mixed", ".jsonl")
        good_id = f"mixed-{w.count:04d}"
        lines = [json.dumps({"id": good_id, "title": "Mixed good record", "body": body(rng, 4)}), "{not json", "[1, 2, 3]",
                 '{"title": "n", "body": "x", "date": ' + "9" * 5000 + "}", json.dumps({"title": ["a", "list"], "body": "b"})]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        w.add(path, "JSONL with good and bad records", True, [good_id], bad_records=4)

    bad_cases: list[tuple[str, str, Callable[[], bytes]]] = [
        ("empty file", ".md", lambda: b""),
        ("whitespace only", ".txt", lambda: b"  \n\n\t \n"),
        ("binary", ".md", lambda: bytes(rng.getrandbits(8) for _ in range(2048))),
        ("PNG renamed", ".html", lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
        ("truncated UTF-8", ".md", lambda: text().encode("utf-8") + "é".encode("utf-8")[:1]),
        ("Latin-1", ".txt", lambda: text().encode("latin-1")),
        ("UTF-16 without BOM", ".md", lambda: text().encode("utf-16-le")),
        ("front matter never closed", ".md", lambda: b"---\ntitle: Open\n" + body(rng).encode()),
        ("broken YAML", ".md", lambda: b"---\ntitle: [unclosed\ndate: 2025-01-01\n---\n" + body(rng).encode()),
        ("front matter is a list", ".md", lambda: b"---\n- a\n- b\n---\n" + body(rng).encode()),
        ("impossible date", ".md", lambda: b"---\ntitle: Bad day\ndate: 2025-02-30\n---\n" + body(rng).encode()),
        ("title is a mapping", ".md", lambda: b"---\ntitle: {a: 1}\n---\n" + body(rng).encode()),
        ("no body", ".md", lambda: b"---\ntitle: Nothing below\n---\n\n"),
        ("HTML without text", ".html", lambda: b"<html><head><script>x()</script></head><body><div></div></body></html>"),
        ("JSONL all invalid", ".jsonl", lambda: b"{oops\n[1]\n"),
    ]
    def bytes_name() -> None:
        stem = f"latin1-name-{w.count + 1:04d}-".encode() + "défense".encode("latin-1")
        w.count += 1
        raw = os.fsencode(w.folder) + b"/" + stem + b".md"
        with open(raw, "wb") as handle:
            handle.write((front_matter(f"bytes-{w.count:04d}", "Bytes name") + body(rng)).encode())
        w.add(Path(os.fsdecode(raw)), "file name not valid UTF-8", False)

    cases: list[Callable[[], None]] = [bytes_name, utf16_bom, utf8_bom, deep_html, script_html, odd_name, long_name, duplicate_id, mixed_jsonl]
    for kind, suffix, make in bad_cases:
        cases.append(lambda k=kind, s=suffix, m=make: _bad_bytes(w, k, s, m()))
    return cases


def _specials(w: _Writer, outside: Path) -> None:
    """Written once whatever `n` is: the 50 MB file and the links that must not be followed."""
    big = w.name("huge", ".txt")
    with big.open("wb") as handle:
        line = (body(w.rng) + "\n").encode()
        for _ in range(50_000_000 // len(line) + 1):
            handle.write(line)
    w.add(big, "50 MB text file (over the size limit)", False)
    secret = outside / "outside-secret.md"
    secret.write_text(front_matter("outside-secret", "Must never be indexed") + body(w.rng), encoding="utf-8")
    (outside / "outside-folder").mkdir(exist_ok=True)
    for stem, target in (("link-out", secret), ("link-etc", Path("/etc/hostname")), ("link-dir", outside / "outside-folder"), ("dangling", outside / "gone.md")):
        link = w.name(stem, ".md" if stem != "link-dir" else "")
        os.symlink(target, link)
        w.add(link, f"symbolic link ({stem})", False)


def make_hostile_corpus(folder: Path, n: int = 1000, seed: int = 0) -> list[Entry]:
    """Write about `n` files into `folder` (about half good); returns what each is and whether it must be indexed."""
    folder = Path(folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    outside = folder.parent / f"{folder.name}-outside"
    outside.mkdir(exist_ok=True)
    w = _Writer(folder, random.Random(seed))
    _specials(w, outside)
    cases = _make_cases(w, outside)
    for case in cases + [cases[5]] * 5:  # every kind at least once, every odd name (cases[5]) once
        case()
    while len(w.entries) < n:
        if w.rng.random() < 0.5:
            _good(w)
        else:
            w.rng.choice(cases)()
    return w.entries


def manifest_json(entries: list[Entry]) -> list[dict]:
    return [asdict(e) for e in entries]
