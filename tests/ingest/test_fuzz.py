"""Fuzzing the loaders: whatever the bytes, the only failure allowed is the per-file `ArticleError`.

Random bytes, front matter of random YAML types, random HTML and random JSONL go through the real
loaders and the chunker; an article that comes out must be usable (clean text, exact chunk offsets).
"""

from __future__ import annotations

import json
import tempfile
from datetime import date, datetime
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from assistant.ingest.chunking import chunk_article
from assistant.ingest.loaders import load_file, parse_html, parse_jsonl, parse_markdown
from assistant.errors import ArticleError
from assistant.schema import Article

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
PATH = Path("/nonexistent/fuzz/article.md")

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30), st.floats(allow_nan=True),
    st.text(max_size=40), st.dates(), st.datetimes(), st.binary(max_size=10),
)
yaml_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
FIELDS = ["id", "title", "date", "source", "url", "tags", "published", "source_url", "body", "text"]
HTML_PIECES = [
    "<p>", "</p>", "<div>", "</div>", "<h1>", "</h1>", "<title>", "<script>", "</script>", "<style>", "<article>",
    "<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE html>", "<!", "<?xml", "&amp;", "&#xD800;", "&#0;", "&bogus",
    "<", ">", "</", "<a href='", "'>", "<meta property='article:published_time' content='", "<time datetime='",
    "<link rel='canonical' href='", "<meta name='date' content='2025-13-45'>", "\x00", "\ud800", "The Army bought tanks. ",
]


def check_article(article: Article) -> None:
    """An article that loads must be storable: clean text, a usable id, chunks that are exact spans."""
    for value in (article.id, article.title, article.text, article.source, article.url, *article.tags):
        value.encode("utf-8")  # no lone surrogates
        assert "\x00" not in value
    assert article.id and article.title and article.text.strip()
    for chunk in chunk_article(article, 20, 40, 1):
        assert article.text[chunk.start : chunk.end] == chunk.text
        chunk.id.encode("utf-8")


def attempt(fn, *args) -> None:
    try:
        result = fn(*args)
    except ArticleError as exc:
        assert exc.path and exc.reason  # names the file and says why
        return
    articles = result[0] if isinstance(result, tuple) else [result]
    for article in articles:
        check_article(article)
    if isinstance(result, tuple):
        assert all(isinstance(e, ArticleError) for e in result[1])


@FUZZ
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".md", ".txt", ".html", ".jsonl"]), bom=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"---\n"]))
def test_random_bytes_in_any_format(data: bytes, suffix: str, bom: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fuzz{suffix}"
        path.write_bytes(bom + data)
        attempt(load_file, path, {}, 10_000)


@FUZZ
@given(meta=st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=6), yaml_values, max_size=8), body=st.text(max_size=300))
def test_front_matter_of_random_types(meta: dict, body: str) -> None:
    try:
        front = yaml.dump(meta, allow_unicode=True)
    except yaml.YAMLError:
        return
    attempt(parse_markdown, PATH, f"---\n{front}---\n{body}")


@FUZZ
@given(front=st.text(max_size=200), body=st.text(max_size=200))
def test_front_matter_of_random_text(front: str, body: str) -> None:
    attempt(parse_markdown, PATH, f"---\n{front}\n---\n{body}")


@FUZZ
@given(pieces=st.lists(st.sampled_from(HTML_PIECES) | st.text(max_size=20), max_size=60))
def test_random_html(pieces: list[str]) -> None:
    attempt(parse_html, PATH.with_suffix(".html"), "".join(pieces))


@FUZZ
@given(records=st.lists(st.dictionaries(st.sampled_from(FIELDS), json_values | st.dates().map(str) | st.datetimes().map(datetime.isoformat), max_size=6) | json_values, max_size=6),
       junk=st.lists(st.text(max_size=30), max_size=3))
def test_random_jsonl(records: list, junk: list[str]) -> None:
    lines = [json.dumps(r) for r in records] + [j.replace("\n", " ") for j in junk]
    attempt(parse_jsonl, PATH.with_suffix(".jsonl"), "\n".join(lines))


def test_known_hostile_values_are_per_file_errors() -> None:
    """Cases the fuzzers found or that are too rare to find at random, kept as fixed examples."""
    big_number = '{"title": "t", "body": "b", "date": ' + "9" * 5000 + "}"
    deep = '{"title": "t", "body": ' + "[" * 100_000 + "]" * 100_000 + "}"
    articles, errors = parse_jsonl(PATH.with_suffix(".jsonl"), big_number + "\n" + deep + '\n{"title": "ok", "body": "\\ud800 text \\u0000"}')
    assert len(errors) == 2 and [a.text for a in articles] == ["text"]
    for front in ("date: 2025-02-30", "date: !!timestamp 2025-02-30", "tags: [[a, b], {c: d}]", "id: [1, 2]", "title: &a [x]\nsource: *a"):
        attempt(parse_markdown, PATH, f"---\n{front}\n---\nBody text.")
    article = parse_markdown(PATH, "---\ntitle: 2025-01-01\ndate: 2025-01-02\nid: 42\n---\nBody.")
    assert article.title == "2025-01-01" and article.published == date(2025, 1, 2) and article.id == "42"
