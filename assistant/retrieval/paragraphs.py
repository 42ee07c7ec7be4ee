"""Retrieved chunks widened to whole paragraphs: an award of a contract release or a section of a story is read whole.

Chunks are packed sentences (the retrieval measured best, eval/READER.md), so a chunk often starts or ends inside a
paragraph: an award's lead ("Purcell Construction Corp. ... is being awarded ...") in one chunk, the sentence that
gives its offers or completion date in the next. A reader that judges an award by its own paragraph needs both. Each
retrieved chunk is widened, with the text of its neighbours in the article, back to the start of the paragraph it
opens in and on to the end of the paragraph it closes in (up to `most` words each way). The widened text is still
the article's own span: `text == article.text[start:end]`. It needs chunks that share a sentence with their
neighbours (`chunk_overlap_sentences` >= 1, the default): without that the text between two chunks is not known,
and they are left as they are."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Sequence

from ..schema import Chunk, Passage

_BREAK = "\n"  # a paragraph ends at a line break (a release) or a blank line (a story)


def whole_paragraphs(passages: list[Passage], neighbours: Callable[[Sequence[Chunk]], list[Chunk]], most: int = 250) -> list[Passage]:
    """The passages with each chunk widened to the paragraphs it cuts (see the module). `neighbours` gives the chunks
    before and after the ones it is passed (`Store.neighbours`); a chunk without them stays as it is."""
    if not passages:
        return passages
    near = {(c.article_id, c.index): c for c in neighbours([p.chunk for p in passages])}
    widened = []
    for passage in passages:
        chunk = passage.chunk
        before = _head(chunk, near.get((chunk.article_id, chunk.index - 1)), most)
        after = _tail(chunk, near.get((chunk.article_id, chunk.index + 1)), most)
        if before or after:
            chunk = replace(chunk, text=before + chunk.text + after, start=chunk.start - len(before), end=chunk.end + len(after))
        widened.append(passage if chunk is passage.chunk else replace(passage, chunk=chunk))
    return widened


def _head(chunk: Chunk, previous: Chunk | None, most: int) -> str:
    """The text of the paragraph `chunk` opens in that comes before it ('' when it opens at a paragraph's start)."""
    if previous is None or not previous.start <= chunk.start <= previous.end:
        return ""
    before = previous.text[: chunk.start - previous.start]
    if not before.strip() or before.rstrip(" \t").endswith("\n"):
        return ""
    cut = before.rfind(_BREAK)
    head = before[cut + len(_BREAK) :] if cut >= 0 else before
    head = head[len(head) - len(head.lstrip()) :]
    return head if len(head.split()) <= most else ""


def _tail(chunk: Chunk, following: Chunk | None, most: int) -> str:
    """The text of the paragraph `chunk` closes in that comes after it ('' when it closes at a paragraph's end)."""
    if following is None or not following.start <= chunk.end <= following.end:
        return ""
    after = following.text[chunk.end - following.start :]
    if not after.strip() or after.lstrip(" \t").startswith("\n"):
        return ""
    cut = after.find(_BREAK)
    tail = (after[:cut] if cut >= 0 else after).rstrip()
    return tail if len(tail.split()) <= most else ""
