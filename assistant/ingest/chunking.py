"""Paragraph- and sentence-aware splitting of article text into chunks with exact character offsets."""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
from typing import Iterator

from ..schema import Article, Chunk

# Abbreviations after which a period does not end a sentence (lower-cased, without the dot).
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "adm", "cmdr", "cdr",
    "rep", "sen", "gov", "pres", "st", "jr", "sr", "no", "nos", "vs", "etc", "inc", "corp", "co", "ltd",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "fig", "approx",
    "dept", "est", "u.s", "u.k", "e.g", "i.e", "a.m", "p.m", "spc", "pfc", "cpl", "ens", "rdml", "vadm",
    "brig", "ret", "hon", "amb", "sec", "mt", "ft", "mass", "calif", "ala", "va", "md", "fla", "tex",
}
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+|$)")
_WORD = re.compile(r"\S+")


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Return (start, end) spans of sentences in `text`, shifted by `offset`; paragraphs always split (see `_paragraphs`).

    Answering splits the same passages many times over (reader, corrections, revisions, conflicts), so the spans of
    recent texts are kept; each call gets a list of its own."""
    return [(start + offset, end + offset) for start, end in _sentence_spans(text)]


@functools.lru_cache(maxsize=4096)
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(_split(text))


def _split(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for start, stop in _paragraphs(text):
        segment = text[start:stop]
        pos = 0
        for match in _BOUNDARY.finditer(segment):
            end = match.end()
            if not _ends_sentence(segment, match.start(), end):
                continue
            _append(spans, text, start + pos, start + end)
            pos = end
        _append(spans, text, start + pos, start + len(segment))
    return spans


_LIST_OR_HEADING = re.compile(r"\s*(?:[-*•#>]|\d+[.)]\s)")
_TERMINAL = re.compile(r"[.!?:;][\"'”’)\]]*\s*$")


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each paragraph. A blank line always ends one; a single line break ends one unless it
    wraps a sentence (hard-wrapped text: a long line without closing punctuation, continued on the next)."""
    group: tuple[int, int] | None = None
    for line in re.finditer(r"[^\n]+", text):
        if group and line.start() == group[1] + 1 and _wraps(text[group[0] : group[1]], line.group()):
            group = (group[0], line.end())
            continue
        if group:
            yield group
        group = line.span()
    if group:
        yield group


def _wraps(before: str, line: str) -> bool:
    last = before[before.rfind("\n") + 1 :]
    return len(last.split()) >= 6 and not _TERMINAL.search(last) and not _LIST_OR_HEADING.match(line) and bool(line.strip())


def _ends_sentence(segment: str, dot: int, end: int) -> bool:
    if segment[dot] != ".":
        return True
    word = re.search(r"(\S+)$", segment[:dot])
    if not word:
        return True
    token = word.group(1).lower().lstrip("(\"'“‘")
    if token in _ABBREVIATIONS or len(token) == 1:
        return False
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", token):  # U.S, D.C, e.g
        if ")" in segment[dot:end] or "]" in segment[dot:end]:
            return False  # "(Kuwait, Taiwan, Qatar, U.A.E.) W31P4Q-14-C-0034": the initialism's period, inside brackets
        follower = segment[end:].lstrip()
        return bool(follower) and follower[0].isupper() and not follower.startswith(("S.", "C."))
    rest = segment[end:].lstrip()
    # A period followed by a lower-case word or a digit is usually not a boundary.
    return not rest or not (rest[0].islower() or rest[0].isdigit())


def _append(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped_left = len(piece) - len(piece.lstrip())
    stripped_right = len(piece) - len(piece.rstrip())
    start, end = start + stripped_left, end - stripped_right
    if end > start:
        spans.append((start, end))


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def chunk_article(
    article: Article, min_words: int = 150, max_words: int = 300, overlap: int = 1, paragraphs: bool = False
) -> list[Chunk]:
    """Whole sentences packed into chunks of about min..max words, repeating `overlap` sentences; or, with
    `paragraphs`, chunks that follow the article's paragraphs: whole paragraphs (an award of a contract release, a section of a
    story) are packed up to `max_words`; a longer paragraph is split by sentences into chunks of about
    `min_words`..`max_words`, repeating `overlap` sentences. A short heading line ("NAVY") goes with the paragraph
    under it and names the section of every chunk that follows until the next heading."""
    sentences = split_sentences(article.text)
    counts = [word_count(article.text[s:e]) for s, e in sentences]
    if not paragraphs or article.page_starts:  # a paged document (PDF) packs page by page: no chunk crosses a page
        groups: list[tuple[int, int]] = []
        for first, last in _page_runs(sentences, article.page_starts):
            groups.extend((first + a, first + b) for a, b in _pack(counts[first:last], min_words, max_words, overlap))
        return [_make_chunk(article, i, sentences[a][0], sentences[b - 1][1]) for i, (a, b) in enumerate(groups)]
    spans: list[tuple[int, int, str]] = []  # (first sentence, end sentence, section)
    for first, end, section in _units(article.text, sentences):
        if sum(counts[first:end]) <= max_words:
            spans.append((first, end, section))
        else:
            spans.extend((first + a, first + b, section) for a, b in _pack(counts[first:end], min_words, max_words, overlap))
    groups: list[tuple[int, int, str]] = []
    for first, end, section in spans:
        fits = sum(counts[groups[-1][0] : end]) <= max_words if groups else False
        same = bool(groups) and groups[-1][1] == first and groups[-1][2] == section  # a new section opens a chunk
        if same and (fits or sum(counts[first:end]) < min_words // 5):
            groups[-1] = (groups[-1][0], end, section)  # the next whole paragraph fits, or is a scrap ("*Small business")
        else:
            groups.append((first, end, section))
    return [
        _make_chunk(article, i, sentences[a][0], sentences[b - 1][1], section) for i, (a, b, section) in enumerate(groups)
    ]


_HEADING_WORDS = 8


def _units(text: str, sentences: list[tuple[int, int]]) -> Iterator[tuple[int, int, str]]:
    """(first sentence, end sentence, section heading) of each paragraph, a heading joined to the paragraph under it."""
    bounds = list(_paragraphs(text))
    owner = [next(i for i, (_, stop) in enumerate(bounds) if s < stop) for s, _ in sentences]
    section, first = "", 0
    for n in range(1, len(sentences) + 1):
        if n < len(sentences) and owner[n] == owner[n - 1]:
            continue
        start, stop = bounds[owner[n - 1]]
        paragraph = text[start:stop].strip()
        if n - first == 1 and _is_heading(paragraph):
            section = paragraph.lstrip("# ").strip()  # a heading: it opens the next unit instead of standing alone
            if n < len(sentences):
                continue
        yield first, n, section
        first = n


def _is_heading(paragraph: str) -> bool:
    """A short line without closing punctuation that is not a list item: "NAVY", "## Background"."""
    listed = _LIST_OR_HEADING.match(paragraph) and not paragraph.startswith("#")
    return word_count(paragraph) <= _HEADING_WORDS and not _TERMINAL.search(paragraph) and not listed


def _page_runs(sentences: list[tuple[int, int]], page_starts: tuple[int, ...]) -> Iterator[tuple[int, int]]:
    """Ranges of sentence indices packed separately: one per page of a paged document, so that a chunk never
    runs into the next page and its `page` is the page of all its text; the whole article otherwise."""
    if not page_starts:
        yield 0, len(sentences)
        return
    first = 0
    for i in range(1, len(sentences) + 1):
        if i == len(sentences) or _page_of(page_starts, sentences[i][0]) != _page_of(page_starts, sentences[first][0]):
            yield first, i
            first = i


def _page_of(page_starts: tuple[int, ...], offset: int) -> int | None:
    return bisect.bisect_right(page_starts, offset) if page_starts else None


def _pack(counts: list[int], min_words: int, max_words: int, overlap: int) -> Iterator[tuple[int, int]]:
    n = len(counts)
    start = 0
    while start < n:
        end, words = start, 0
        while end < n and (words < min_words or words + counts[end] <= max_words):
            words += counts[end]
            end += 1
        # Fold a short tail into this chunk rather than leaving a fragment of a few words.
        if end < n and sum(counts[end:]) < min_words // 2 and words + sum(counts[end:]) <= max_words * 1.3:
            end = n
        yield start, end
        if end >= n:
            break
        start = max(end - overlap, start + 1)


def heading(chunk: Chunk) -> str:
    """What a chunk is under, outside its own text: its article's headline and section. The encoder and the
    keyword index see it with the text; the text itself stays the article's own span. (The publication date
    was tried here too: it moved bundled retrieval and not the contract figures, eval/READER.md.)"""
    return " — ".join(part for part in (chunk.title, chunk.section) if part)


def _make_chunk(article: Article, index: int, start: int, end: int, section: str = "") -> Chunk:
    text = article.text[start:end]
    digest = hashlib.sha1(f"{article.id}\0{start}\0{text}".encode()).hexdigest()[:12]
    return Chunk(
        id=f"{article.id}::{digest}",
        article_id=article.id,
        index=index,
        text=text,
        start=start,
        end=end,
        title=article.title,
        path=article.path,
        published=article.published,
        source=article.source,
        url=article.url,
        tags=article.tags,
        page=_page_of(article.page_starts, start),
        section=section,
    )
