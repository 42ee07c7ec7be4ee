"""The vector store: with `chroma.py`, the only module that imports chromadb (local folder or server)."""

from __future__ import annotations

import logging
import threading
import weakref
from dataclasses import dataclass
from typing import Any, Iterator, Sequence
from urllib.parse import urlparse

from langchain_core.embeddings import Embeddings

from ..config import Settings
from ..errors import StoreError
from .chroma import chroma_embedding_function, forget_system, timed_out, unreachable
from .records import chunk_from_record, chunk_metadata, passes_filters, where_clause
from ..schema import Chunk, Filters

log = logging.getLogger(__name__)

_PAGE = 5000
_DEFAULT_EF = 100  # Chroma's own ef_search: the breadth of an approximate search


@dataclass
class Hit:
    chunk: Chunk
    similarity: float


_LOCAL_STORES: "weakref.WeakSet[Store]" = weakref.WeakSet()  # open local-folder stores of this process


class Store:
    """A Chroma collection named after the index fingerprint, so settings changes never mix vectors."""

    def __init__(self, settings: Settings, embeddings: Embeddings):
        self.settings = settings
        self.name = settings.collection_name()
        self.location = settings.chroma_url or str(settings.index_dir)
        self._embedding_function = chroma_embedding_function(embeddings)
        self._collection: Any = None
        self._sentences: Any = None  # the reader's sentence vectors (ingest/sentences.py), opened on first use
        self._reopen_lock = threading.Lock()
        if not settings.chroma_url:
            _LOCAL_STORES.add(self)
        try:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            chroma_settings = ChromaSettings(anonymized_telemetry=False)
            if settings.chroma_url:
                self.client = self._http_client(chroma_settings)
            else:
                settings.index_dir.mkdir(parents=True, exist_ok=True)
                self.client = chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)
        except Exception as exc:  # chromadb raises many unrelated types for an unreachable server
            raise self._error("open the index", exc) from exc
        self._search_breadth = 0
        self._collection = self._open_collection()

    def _http_client(self, chroma_settings: Any) -> Any:
        """A client whose every request to the server gives up after `chroma_timeout_s`.

        chromadb 1.5 builds its httpx session with no timeout at all, so a server that accepts connections and
        never answers would hang the app: the session gets one once built, and a heartbeat with the same limit
        goes first, because building the client already makes requests."""
        import chromadb
        import httpx

        url = urlparse(self.settings.chroma_url or "")
        host, ssl = url.hostname or "127.0.0.1", url.scheme == "https"
        port = url.port or (443 if ssl else 8000)
        limit = httpx.Timeout(self.settings.chroma_timeout_s)
        httpx.get(f"{'https' if ssl else 'http'}://{host}:{port}/api/v2/heartbeat", timeout=limit)
        client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=chroma_settings)
        session = getattr(getattr(client, "_server", None), "_session", None)  # chromadb offers no setting for it
        if isinstance(session, httpx.Client):
            session.timeout = limit
        else:
            log.warning("this chromadb version hides its HTTP session: requests to %s have no timeout", self.location)
        return client

    def reopen(self) -> None:
        """Read a local folder afresh after another process wrote to it: Chroma keeps the vectors it loaded in
        memory and does not see another writer. Searches already running finish on the copy they started with."""
        if self.settings.chroma_url:
            return  # a server serves every writer's data
        with self._reopen_lock:
            try:
                if self._shares_system():
                    return  # another store of this process shares chromadb's system: it sees those writes already
                self._reload_client()
            except Exception as exc:  # chromadb raises many unrelated types
                raise self._error("open the index again", exc) from exc
            self._collection = self._open_collection()
            self._sentences = None
        log.info("index %s: opened again to read another process's changes", self.location)

    @property
    def collection(self) -> Any:
        """The Chroma collection, opened again after a failed call to a server (it may have restarted since)."""
        if self._collection is None:
            self._collection = self._open_collection()
        return self._collection

    def _open_collection(self) -> Any:
        try:
            collection = self.client.get_or_create_collection(
                self.name,
                embedding_function=self._embedding_function,
                metadata={"fingerprint": self.settings.index_fingerprint()},
                # Read only when the collection is made; an existing one keeps its own.
                configuration={"hnsw": {"space": "cosine", "ef_search": self._exact_breadth()}},
            )
            hnsw = (getattr(collection, "configuration", None) or {}).get("hnsw") or {}
            self._search_breadth = int(hnsw.get("ef_search") or _DEFAULT_EF)
            return self._fit_search(collection)
        except StoreError:
            raise
        except Exception as exc:
            raise self._error("open the collection", exc) from exc

    @property
    def sentences(self) -> Any:
        """The collection of sentence vectors beside the chunks': read by id only, never searched."""
        if self._sentences is None:
            self._sentences = self._call(
                "open the sentence vectors",
                self.client.get_or_create_collection,
                f"{self.name}-sentences",
                embedding_function=self._embedding_function,
                # l2: stored as given. A cosine collection may hand back its vectors normalised, and these are
                # means of two unit vectors, not unit vectors.
                configuration={"hnsw": {"space": "l2"}},
            )
        return self._sentences

    def _exact_breadth(self) -> int:
        return max(_DEFAULT_EF, self.settings.exact_search_below)

    def _fit_search(self, collection: Any) -> Any:
        """Keep the dense search exhaustive while the collection is smaller than `exact_search_below`; returns
        the collection to search from now on.

        HNSW search at Chroma's default breadth (ef_search 100) is approximate, and which neighbours it finds
        depends on the order the graph was built and loaded in: the same question over the same folder got
        different top-30 passages in different processes (8 of 94 contract questions), enough to move a gated
        figure. A breadth at least the collection's size visits every vector, so the search returns the true
        nearest neighbours in every process. A collection is made with that breadth and goes back to the
        default once it passes the limit. Chroma applies a new breadth only when it next loads the collection,
        so a local folder is loaded again here; a server applies it when it next loads the collection."""
        size = collection.count()
        wanted = self._exact_breadth() if size < self.settings.exact_search_below else _DEFAULT_EF
        if wanted == self._search_breadth:
            return collection
        collection.modify(configuration={"hnsw": {"ef_search": wanted}})
        self._search_breadth = wanted
        log.info("index %s: %d chunks, search breadth %d", self.location, size, wanted)
        if self.settings.chroma_url or self._shares_system():
            return collection  # the server, or this process's other stores, keep the loaded graph until reloaded
        self._reload_client()
        return self.client.get_collection(self.name, embedding_function=self._embedding_function)

    def _shares_system(self) -> bool:
        return any(other is not self and other.location == self.location for other in list(_LOCAL_STORES))

    def _reload_client(self) -> None:
        """A new client that loads the folder from disk (chromadb keeps one loaded system per folder)."""
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        forget_system(self.client)
        self.client = chromadb.PersistentClient(path=str(self.settings.index_dir), settings=ChromaSettings(anonymized_telemetry=False))

    def _call(self, what: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except StoreError:
            raise
        except Exception as exc:
            if self.settings.chroma_url:
                # The HTTP client reconnects by itself; the collection handle may be stale after a server
                # restart (a new id if its data was lost), so the next call opens it again by name.
                self._collection = None
                self._sentences = None
            raise self._error(what, exc) from exc

    def _error(self, what: str, exc: Exception) -> StoreError:
        """A message that says which index failed, doing what, and what to do about an unreachable server."""
        if self.settings.chroma_url and timed_out(exc):
            return StoreError(
                f"the Chroma server at {self.settings.chroma_url} did not answer within "
                f"{self.settings.chroma_timeout_s:g}s (could not {what}); check that it is running and not "
                "overloaded, then try again"
            )
        if self.settings.chroma_url and unreachable(exc):
            return StoreError(
                f"the Chroma server at {self.settings.chroma_url} cannot be reached (could not {what}: {exc}); "
                "check that it is running, then try again"
            )
        return StoreError(f"index at {self.location} failed to {what}: {exc}")

    def count(self) -> int:
        return self._call("count", self.collection.count)

    def upsert(
        self, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]], hashes: Sequence[str], indexed_at: str = ""
    ) -> None:
        if not chunks:
            return
        self._call(
            "store chunks",
            self.collection.upsert,
            ids=[c.id for c in chunks],
            embeddings=[list(map(float, v)) for v in vectors],
            documents=[c.text for c in chunks],
            metadatas=[chunk_metadata(c, h, indexed_at) for c, h in zip(chunks, hashes)],
        )
        if self._search_breadth != _DEFAULT_EF:  # exact so far: the collection may have grown past the limit
            self._collection = self._call("set the search breadth", self._fit_search, self.collection)

    def update_metadata(self, chunks: Sequence[Chunk], hashes: Sequence[str], indexed_at: str = "") -> None:
        if chunks:
            self._call(
                "update metadata",
                self.collection.update,
                ids=[c.id for c in chunks],
                metadatas=[chunk_metadata(c, h, indexed_at) for c, h in zip(chunks, hashes)],
            )

    def delete(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), _PAGE):
            page = list(ids[start : start + _PAGE])
            self._call("delete chunks", self.collection.delete, ids=page)
            self._call("delete sentence vectors", self.sentences.delete, where={"chunk_id": {"$in": page}})

    def put_sentences(self, keys: Sequence[str], vectors: Sequence[Sequence[float]], chunk_ids: Sequence[str]) -> None:
        """Store the reader's sentence vectors under their keys (ingest/sentences.py), each with the chunk it is from."""
        for start in range(0, len(keys), _PAGE):
            end = start + _PAGE
            self._call(
                "store sentence vectors",
                self.sentences.upsert,
                ids=list(keys[start:end]),
                embeddings=[list(map(float, v)) for v in vectors[start:end]],
                metadatas=[{"chunk_id": c} for c in chunk_ids[start:end]],
            )

    def sentence_vectors(self, keys: Sequence[str]) -> dict[str, Any]:
        """The stored vectors of these sentence keys (numpy float32 rows); keys never stored are left out."""
        import numpy as np

        if not keys:
            return {}
        page = self._call("fetch sentence vectors", self.sentences.get, ids=list(dict.fromkeys(keys)), include=["embeddings"])
        return {k: np.asarray(v, dtype="float32") for k, v in zip(page["ids"], page["embeddings"])}

    def chunk_ids_with(self, key: str, value: str) -> list[str]:
        """Ids of every stored chunk whose metadata `key` is `value` (an article's chunks, a file's chunks)."""
        page = self._call("list chunks", self.collection.get, where={key: value}, include=[])
        return list(page["ids"])

    def iter_records(self, with_documents: bool = False) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """(id, document, metadata) of every stored chunk, page by page."""
        include = ["metadatas", "documents"] if with_documents else ["metadatas"]
        offset = 0
        while True:
            page = self._call("list chunks", self.collection.get, include=include, limit=_PAGE, offset=offset)
            ids = page["ids"]
            if not ids:
                return
            docs = page.get("documents") or [""] * len(ids)
            for chunk_id, doc, meta in zip(ids, docs, page["metadatas"]):
                yield chunk_id, doc or "", meta or {}
            offset += len(ids)

    def get_chunks(self, ids: Sequence[str]) -> list[Chunk]:
        if not ids:
            return []
        page = self._call("fetch chunks", self.collection.get, ids=list(ids), include=["metadatas", "documents"])
        found = {i: chunk_from_record(i, d, m) for i, d, m in zip(page["ids"], page["documents"], page["metadatas"])}
        return [found[i] for i in ids if i in found]

    def neighbours(self, chunks: Sequence[Chunk]) -> list[Chunk]:
        """The chunks just before and after each of these in its article (index - 1 and + 1), in one round trip."""
        wanted = {(c.article_id, c.index + step) for c in chunks for step in (-1, 1) if c.index + step >= 0}
        if not wanted:
            return []
        by_article: dict[str, list[int]] = {}
        for article_id, index in sorted(wanted):
            by_article.setdefault(article_id, []).append(index)
        clauses = [{"$and": [{"article_id": a}, {"index": {"$in": indexes}}]} for a, indexes in by_article.items()]
        where = clauses[0] if len(clauses) == 1 else {"$or": clauses}
        page = self._call("fetch neighbouring chunks", self.collection.get, where=where, include=["metadatas", "documents"])
        return [chunk_from_record(i, d, m) for i, d, m in zip(page["ids"], page["documents"], page["metadatas"])]

    def query(self, vector: Sequence[float], k: int, filters: Filters | None = None) -> list[Hit]:
        if k <= 0:
            return []
        if where_clause(filters) is not None:
            hits = self._query_then_filter(vector, k, filters)
            if hits is not None:
                return hits
        result = self._call(
            "search",
            self.collection.query,
            query_embeddings=[list(map(float, vector))],
            n_results=k,
            where=where_clause(filters),
            include=["metadatas", "documents", "distances"],
        )
        hits = []
        for chunk_id, doc, meta, dist in zip(
            result["ids"][0], result["documents"][0], result["metadatas"][0], result["distances"][0]
        ):
            hits.append(Hit(chunk_from_record(chunk_id, doc, meta), 1.0 - float(dist)))
        return hits

    def query_ids(self, vector: Sequence[float], n: int) -> list[str]:
        """Ids of the `n` nearest chunks, nearest first, without filters or payload (the cheap search).

        No count first: Chroma returns what there is when asked for more, and counting costs 17 ms at 100k chunks."""
        if n <= 0:
            return []
        result = self._call(
            "search", self.collection.query, query_embeddings=[list(map(float, vector))], n_results=n, include=["distances"]
        )
        return list(result["ids"][0])

    def _query_then_filter(self, vector: Sequence[float], k: int, filters: Filters | None) -> list[Hit] | None:
        """The filtered top k taken from a wider unfiltered search, or None when too few pass (then Chroma filters).

        Chroma's `where` on a date range costs about 0.8 s at 100k chunks (eval/PERFORMANCE.md) while an
        unfiltered search costs milliseconds; when k chunks of a wider list pass, they are exactly the
        filtered top k (any better passing chunk would be in the list), so nothing is lost.
        """
        assert filters is not None
        # Two widths: a selective filter (one source in one year) passes a few percent of chunks.
        for wide in (max(k * 10, 300), max(k * 80, 2400)):
            result = self._call(
                "search", self.collection.query, query_embeddings=[list(map(float, vector))], n_results=wide,
                include=["metadatas", "distances"],
            )
            rows = list(zip(result["ids"][0], result["metadatas"][0], result["distances"][0]))
            kept = [(chunk_id, meta or {}, float(dist)) for chunk_id, meta, dist in rows if passes_filters(meta or {}, filters)][:k]
            if len(kept) == k or len(rows) < wide:  # enough passed, or every chunk was looked at
                break
        else:
            return None
        docs = dict(zip(*self._call("fetch chunks", self._documents, [i for i, _, _ in kept])))
        return [Hit(chunk_from_record(i, docs.get(i, ""), meta), 1.0 - dist) for i, meta, dist in kept]

    def _documents(self, ids: list[str]) -> tuple[list[str], list[str]]:
        if not ids:
            return [], []
        page = self.collection.get(ids=ids, include=["documents"])
        return page["ids"], [d or "" for d in page["documents"]]

    def stats(self) -> dict[str, Any]:
        """Articles, chunks, sources and date span of what is indexed."""
        articles: set[str] = set()
        sources: dict[str, int] = {}
        dates: list[str] = []
        chunks = 0
        last_update = ""
        for _, _, meta in self.iter_records():
            chunks += 1
            last_update = max(last_update, str(meta.get("indexed_at") or ""))
            if meta.get("article_id") not in articles:
                articles.add(str(meta.get("article_id")))
                source = str(meta.get("source") or "(none)")
                sources[source] = sources.get(source, 0) + 1
                if meta.get("published"):
                    dates.append(str(meta["published"]))
        return {
            "index": self.location,
            "collection": self.name,
            "articles": len(articles),
            "chunks": chunks,
            "sources": dict(sorted(sources.items())),
            "earliest": min(dates) if dates else None,
            "latest": max(dates) if dates else None,
            "last_update": last_update or None,
        }
