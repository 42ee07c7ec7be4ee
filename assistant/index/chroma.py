"""What the store needs around chromadb: the embedding function Chroma must be given (never its own model), a
folder's shared in-memory system to forget before reloading it, and which failures mean an unreachable server."""

from __future__ import annotations

import threading
from typing import Any

from langchain_core.embeddings import Embeddings

from ..errors import StoreError


def chroma_embedding_function(embeddings: Embeddings) -> Any:
    """Chroma must never fall back to its default model (it downloads one): hand it ours."""
    from chromadb.api.types import Documents, EmbeddingFunction
    from chromadb.api.types import Embeddings as ChromaEmbeddings

    class ProjectEmbeddingFunction(EmbeddingFunction[Documents]):
        def __init__(self, inner: Embeddings | None = None):
            self.inner = inner

        def __call__(self, input: Documents) -> ChromaEmbeddings:  # noqa: A002 - chroma's name
            if self.inner is None:
                raise StoreError("this collection must be opened with the project's embedding model")
            import numpy as np

            return [np.asarray(v, dtype="float32") for v in self.inner.embed_documents(list(input))]

        @staticmethod
        def name() -> str:
            return "defence-assistant"

        def get_config(self) -> dict[str, Any]:
            return {}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> "ProjectEmbeddingFunction":
            return ProjectEmbeddingFunction()

    return ProjectEmbeddingFunction(embeddings)


def unreachable(exc: BaseException) -> bool:
    """A transport failure (refused, reset, timed out): the server is down or restarting, not the request wrong."""
    import httpx

    return _caused_by(exc, (httpx.TransportError, ConnectionError, TimeoutError))


def timed_out(exc: BaseException) -> bool:
    """The server took the connection or the request but did not answer in time: it hangs or is overloaded."""
    import httpx

    return _caused_by(exc, (httpx.TimeoutException, TimeoutError))


def _caused_by(exc: BaseException | None, kinds: tuple[type[BaseException], ...]) -> bool:
    for _ in range(8):  # the exception and the ones it was raised from
        if isinstance(exc, kinds):
            return True
        if exc is None or not (exc.__cause__ or exc.__context__):
            return False
        exc = exc.__cause__ or exc.__context__
    return False


def forget_system(client: Any, grace_s: float = 60.0) -> bool:
    """Make the next client for this folder load it from disk: chromadb shares one in-memory system per folder
    and offers no reload, so this one leaves its cache and is stopped once searches running on it are done."""
    from chromadb.api.shared_system_client import SharedSystemClient

    identifier = getattr(client, "_identifier", None)
    with SharedSystemClient._refcount_lock:
        system = SharedSystemClient._identifier_to_system.pop(identifier, None)
        SharedSystemClient._identifier_to_refcount.pop(identifier, None)
    if system is not None:
        timer = threading.Timer(grace_s, system.stop)
        timer.daemon = True
        timer.start()
    return True
