"""Delete an article from the index: Chroma, the keyword index and the story groups together, and the copy the
app itself keeps of it (an upload, a fetched page).

Crash safety is ingest's own: Chroma is the record of what is indexed and goes first, the keyword index follows
it, and a keyword index that a killed run left with extra chunks is brought in step with Chroma when it is next
opened (`KeywordIndex.reconcile`, on every start, ingest and delete) or within seconds in a serving process
(`maybe_reconcile`). Chroma removes an article's chunks in one call, so a kill leaves the article wholly indexed
or wholly gone. Deleting an article that is already gone finishes what an interrupted delete left (keyword
records, story groups), so running it again is always safe; the kept copy is removed before Chroma is touched.

A file in a folder the user indexes (the corpus, a watched folder) is never touched: it is indexed again by the
next `assistant ingest` of that folder, and the result says so. Files the app keeps for itself, under
`ASSISTANT_UPLOAD_DIR` and `ASSISTANT_WEB_DIR`, are removed with the article (when no other article comes from
the same file), so an upload stays deleted; a feed entry still listed by a watched feed is fetched again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..ingest.files import MANIFEST_NAME
from ..errors import AssistantError
from .storygroups import load_story_groups, refresh_story_groups

if TYPE_CHECKING:
    from ..app import Assistant

log = logging.getLogger(__name__)


class NotIndexedError(AssistantError):
    """The article id is not (or no longer) in the index."""


@dataclass(frozen=True)
class DeleteResult:
    article_id: str
    title: str
    chunks: int
    removed_file: str = ""  # the app's own copy, removed with the article
    kept_file: str = ""  # a user's file left in place: the next ingest of its folder indexes it again

    def summary(self) -> str:
        line = f"deleted {self.article_id} ({self.chunks} passage(s)) from the index"
        if self.removed_file:
            line += f"; its stored copy {self.removed_file} was removed"
        if self.kept_file:
            line += (f"; its file {self.kept_file} is still there and the next ingest of its folder indexes it again "
                     "(remove the file to keep it out)")
        return line


def delete_article(assistant: "Assistant", article_id: str) -> DeleteResult:
    """Remove one article everywhere it is indexed; raises `NotIndexedError` when nothing held it."""
    store, keyword = assistant.store, assistant.retriever.keyword
    keyword.maybe_reconcile(store)  # another process may have changed the index since this one last read it
    ids = store.chunk_ids_with("article_id", article_id)
    first = store.get_chunks(ids[:1])
    title, path = (first[0].title, first[0].path) if first else ("", "")
    leftover = keyword.article_chunk_ids(article_id)
    in_groups = article_id in load_story_groups(store).signatures
    if not ids and not leftover and not in_groups:
        raise NotIndexedError(f"no indexed article has the id '{article_id}'")
    # The kept copy first, while the chunks still name it: a run killed after this finds the article still
    # indexed, and running the delete again finishes it.
    removed, kept = _settle_file(assistant, path, set(ids))
    store.delete(ids)  # then Chroma: the keyword index follows it, as in ingest
    keyword.delete(sorted(set(ids) | set(leftover)))
    keyword.save()
    refresh_story_groups(store)
    result = DeleteResult(article_id, title, len(ids), removed, kept)
    log.info("%s", result.summary())
    return result


def _settle_file(assistant: "Assistant", path: str, ids: set[str]) -> tuple[str, str]:
    """(removed copy, kept user file) for the file of the article whose chunks are `ids`."""
    if not path:
        return "", ""
    file = Path(path)
    if set(assistant.store.chunk_ids_with("path", path)) - ids:
        return "", ""  # other articles of the same file (a .jsonl, a feed's records) are still indexed
    settings = assistant.settings
    owned = [Path(settings.upload_dir).resolve(), Path(settings.web_dir).resolve()]
    root = next((r for r in owned if file.resolve().is_relative_to(r)), None)
    if root is None:
        return "", str(file) if file.exists() else ""
    try:
        file.unlink(missing_ok=True)
        folder = file.parent
        if folder != root and folder.is_dir() and {p.name for p in folder.iterdir()} <= {MANIFEST_NAME}:
            (folder / MANIFEST_NAME).unlink(missing_ok=True)  # an upload batch's folder, now empty of articles
            folder.rmdir()
    except OSError as exc:
        log.warning("deleted article's stored copy %s could not be removed: %s", file, exc)
        return "", str(file)
    return str(file), ""
