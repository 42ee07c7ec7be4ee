"""The embed-and-store stage of ingestion: encode batches while a background thread stores the previous one.

The encoder is the bottleneck, so storing (Chroma upsert, keyword records) runs on a single writer
thread fed through a small bounded queue: at most `depth` encoded batches wait, which keeps memory
bounded, and the encoder never waits for the store unless the store is the slower of the two.
"""

from __future__ import annotations

import logging
import queue
import sys
import threading
import time
from typing import Any, Callable, Iterable

from langchain_core.embeddings import Embeddings

from .chunking import heading
from .sentences import chunk_sentences
from ..encoders.embeddings import encode
from ..schema import Chunk

log = logging.getLogger("assistant.ingest.indexer")

Batch = list[tuple[Chunk, str]]  # chunks with their metadata hashes
_STOP = object()


class Writer:
    """One background thread applying store operations in order; the first failure stops it and is re-raised."""

    def __init__(self, depth: int = 2):
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="ingest-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is _STOP:
                return
            if self._error is not None:
                continue  # drain without working: the caller will see the first error
            try:
                job()
            except BaseException as exc:  # handed to the caller's thread, which raises it
                self._error = exc

    def submit(self, job: Callable[[], None]) -> None:
        self.check()
        while True:
            try:
                self._queue.put(job, timeout=0.5)
                return
            except queue.Full:
                self.check()
                if not self._thread.is_alive():
                    raise RuntimeError("the ingest writer thread stopped")

    def check(self) -> None:
        if self._error is not None:
            raise self._error

    def close(self) -> None:
        """Wait for every submitted job, then raise the first failure if there was one."""
        self._queue.put(_STOP)
        self._thread.join()
        self.check()


class Progress:
    """A tqdm bar (chunks/s, ETA) on a terminal; otherwise an INFO log line every `every` seconds."""

    def __init__(self, total: int, enabled: bool, every: float = 10.0):
        self.total, self.done, self.every = total, 0, every
        self.started = self._last = time.monotonic()
        self._bar: Any = None
        self._log = enabled and not sys.stderr.isatty()
        if enabled and not self._log and total:
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="chunk", desc="embedding", file=sys.stderr, mininterval=1.0, smoothing=0.1)

    def update(self, n: int) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
        now = time.monotonic()
        if self._log and (now - self._last >= self.every or self.done >= self.total):
            self._last = now
            rate = self.done / max(now - self.started, 1e-9)
            left = max(self.total - self.done, 0) / rate if rate else 0.0
            log.info("embedded %d/%d chunks (%.1f chunks/s, ETA %s)", self.done, self.total, rate, _clock(left))

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds + 0.5), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def embed_and_store(
    batches: Iterable[Batch],
    embeddings: Embeddings,
    store_batch: Callable[[list[Chunk], Any, list[str]], None],
    progress: Progress,
    writer: Writer,
    store_sentences: Callable[[list[str], Any, list[str]], None] | None = None,
) -> int:
    """Encode each batch here and hand it to the writer; returns how many chunks were embedded.

    With `store_sentences`, the reader's sentence vectors of each batch are encoded too and stored after its chunks."""
    done = 0
    for batch in batches:
        chunks = [c for c, _ in batch]
        vectors = encode(embeddings, [embedding_text(c) for c in chunks])
        hashes = [h for _, h in batch]
        writer.submit(lambda c=chunks, v=vectors, h=hashes: store_batch(c, v, h))
        if store_sentences is not None:
            keys, sentence_vectors, owners = chunk_sentences(embeddings, chunks)
            writer.submit(lambda k=keys, v=sentence_vectors, o=owners: store_sentences(k, v, o))
        done += len(batch)
        progress.update(len(batch))
    return done


def embedding_text(chunk: Chunk) -> str:
    """What the encoder sees: the headline, date and section give a passage its subject."""
    return f"{heading(chunk)}\n{chunk.text}"
