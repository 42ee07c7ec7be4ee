"""Near-duplicate articles (syndicated or lightly edited copies) grouped into stories, with MinHash.

Each article gets a MinHash signature of its word 5-shingles; MinHash LSH proposes candidate pairs and
the estimated Jaccard similarity confirms them; pairs are joined into groups. A group is one story: a copy
never counts as a second source, and retrieval does not give two of its slots to one story.

The signatures and groups live in a small JSON file beside the keyword index, refreshed at the end of
each ingest; only articles whose text changed are signed again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..text import normalise, tokens

log = logging.getLogger(__name__)

NUM_PERM = 128
SHINGLE = 5
SCHEME = "affine32"  # datasketch 2's permutation scheme, named so stored signatures stay comparable
THRESHOLD = 0.5  # estimated Jaccard of 5-shingles; rewritten coverage of one event scores below 0.1


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    words = tokens(normalise(text))
    if len(words) < size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


def signature(text: str) -> Any:
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, seed=17, scheme=SCHEME)
    minhash.update_batch(list(shingles(text)))
    return minhash


@dataclass
class StoryGroups:
    """article id -> story group id (the smallest article id of the group); one-article stories are implicit."""

    path: Path | None = None
    signatures: dict[str, tuple[str, list[int]]] = field(default_factory=dict)  # id -> (text hash, hash values)
    groups: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None) -> "StoryGroups":
        if path is None or not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(path, {k: (v[0], v[1]) for k, v in data.get("signatures", {}).items()}, dict(data.get("groups", {})))
        except (OSError, ValueError, TypeError, IndexError) as exc:
            log.warning("story groups file %s unreadable (%s): rebuilt at the next ingest", path, exc)
            return cls(path)

    def group_of(self, article_id: str) -> str:
        return self.groups.get(article_id, article_id)

    def duplicates(self, article_id: str) -> list[str]:
        """The other articles of the same story."""
        group = self.groups.get(article_id)
        return sorted(a for a, g in self.groups.items() if g == group and a != article_id) if group else []

    def update(self, articles: dict[str, str]) -> None:
        """Sign new or changed articles, forget removed ones, and regroup."""
        from datasketch import MinHash, MinHashLSH

        self.signatures = {k: v for k, v in self.signatures.items() if k in articles}
        for article_id, text in articles.items():
            digest = hashlib.sha1(text.encode()).hexdigest()[:16]
            if self.signatures.get(article_id, ("",))[0] != digest:
                self.signatures[article_id] = (digest, [int(h) for h in signature(text).hashvalues])
        lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
        hashes = {a: MinHash(num_perm=NUM_PERM, seed=17, scheme=SCHEME, hashvalues=v) for a, (_, v) in self.signatures.items()}
        for article_id, minhash in hashes.items():
            lsh.insert(article_id, minhash)
        parent = {a: a for a in hashes}

        def root(a: str) -> str:
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        for article_id, minhash in hashes.items():
            for other in lsh.query(minhash):
                if other != article_id and minhash.jaccard(hashes[other]) >= THRESHOLD:
                    low, high = sorted((root(article_id), root(other)))
                    parent[high] = low
        members: dict[str, list[str]] = {}
        for article_id in hashes:
            members.setdefault(root(article_id), []).append(article_id)
        self.groups = {a: min(group) for group in members.values() if len(group) > 1 for a in group}

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"signatures": {k: [h, v] for k, (h, v) in self.signatures.items()}, "groups": self.groups}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        os.replace(tmp, self.path)


def article_texts(records: Iterable[tuple[str, str, dict[str, Any]]]) -> dict[str, str]:
    """Each article's text, its chunks joined in order, from the store's (id, document, metadata) records."""
    parts: dict[str, list[tuple[int, str]]] = {}
    for _, document, meta in records:
        parts.setdefault(str(meta.get("article_id", "")), []).append((int(meta.get("index", 0) or 0), document))
    return {a: " ".join(d for _, d in sorted(chunks)) for a, chunks in parts.items() if a}


def story_groups_path(index_dir: Path, store_name: str, remote: bool) -> Path | None:
    return None if remote else Path(index_dir) / "keyword" / f"{store_name}.stories.json"


_LOADED: dict[str, tuple[float, StoryGroups]] = {}  # path (or remote collection name) -> (mtime, groups)


def _key_and_path(store: Any) -> tuple[str, Path | None]:
    settings = store.settings
    path = story_groups_path(settings.index_dir, store.name, bool(settings.chroma_url))
    return (str(path) if path else f"remote:{store.name}"), path


def load_story_groups(store: Any) -> StoryGroups:
    """The store's story groups as last saved; read again only when the file changed (another ingest)."""
    key, path = _key_and_path(store)
    mtime = path.stat().st_mtime if path is not None and path.exists() else 0.0
    cached = _LOADED.get(key)
    if cached is None or (path is not None and cached[0] != mtime):
        cached = (mtime, StoryGroups.load(path))
        _LOADED[key] = cached
    return cached[1]


def refresh_story_groups(store: Any) -> StoryGroups:
    """Bring the story groups in step with what the store holds (the end of every ingest)."""
    key, path = _key_and_path(store)
    groups = StoryGroups.load(path)
    groups.update(article_texts(store.iter_records(with_documents=True)))
    groups.save()
    _LOADED[key] = (path.stat().st_mtime if path is not None and path.exists() else 0.0, groups)
    log.info("story groups: %d articles in %d groups of copies", len(groups.groups), len(set(groups.groups.values())))
    return groups
