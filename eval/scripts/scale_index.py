"""Build (once, cached) a synthetic corpus of N chunks and its real Chroma folder + keyword index.

Vectors: encoding 100k chunks with all-MiniLM-L6-v2 takes over an hour on this machine, so a chunk's vector
is composed instead: every distinct sentence template (with neutral words in its name slots) and every name
(programme, contractor, customer, official, place) is embedded ONCE with the real encoder and cached; a
sentence's vector is its template's plus its names'; a chunk's vector is the normalised sum of its title's
and its sentences' vectors. Queries still go through the real encoder. Chunks, metadata, content hashes,
collection name and keyword index are exactly what `assistant ingest` writes (same chunker, same Store).

    python eval/scripts/scale_index.py 10000        # prints the build figures as JSON
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import synth  # noqa: E402
from assistant.ingest.chunking import chunk_article  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.ingest.loaders import load_paths  # noqa: E402
from assistant.encoders.embeddings import LocalEmbeddings  # noqa: E402
from assistant.ingest.indexer import _metadata_hash  # noqa: E402  (the content hash ingest stores)
from assistant.index.keyword import keyword_index_for  # noqa: E402
from assistant.schema import Article, Chunk  # noqa: E402
from assistant.index.store import Store  # noqa: E402

log = logging.getLogger(__name__)

CACHE = Path(os.environ.get("ASSISTANT_BENCH_CACHE", Path.home() / ".cache" / "assistant-bench"))
SEED = 7
_BATCH_ARTICLES = 400


class PieceVectors:
    """Real-encoder vectors of template skeletons and names, each encoded once and kept on disk."""

    def __init__(self, embeddings: LocalEmbeddings, path: Path):
        self.embeddings = embeddings
        self.path = path
        self.vectors: dict[str, np.ndarray] = {}
        if path.exists():
            data = np.load(path, allow_pickle=False)
            self.vectors = dict(zip(data["keys"].tolist(), data["vectors"]))

    def ensure(self, pieces: set[str]) -> None:
        missing = sorted(pieces - self.vectors.keys())
        if missing:
            encoded = self.embeddings.encode(missing)
            self.vectors.update(zip(missing, encoded))
            self.path.parent.mkdir(parents=True, exist_ok=True)
            keys = list(self.vectors)
            np.savez(self.path, keys=np.array(keys), vectors=np.stack([self.vectors[k] for k in keys]))

    def sentence(self, sentence: synth.Sentence) -> np.ndarray:
        vec = self.vectors[synth.skeleton(sentence.template)].copy()
        for name in sentence.entities:
            vec += 0.7 * self.vectors[name]
        return vec / np.linalg.norm(vec)


def _pieces(article: synth.SynthArticle) -> set[str]:
    found = set()
    for sentence in [article.title, *article.sentences()]:
        found.add(synth.skeleton(sentence.template))
        found.update(sentence.entities)
    return found


def chunk_vectors(chunks: list[Chunk], loaded: Article, made: synth.SynthArticle, pieces: PieceVectors) -> np.ndarray:
    """Each chunk: its title's vector plus those of the generated sentences inside its span, normalised."""
    spans: list[tuple[int, int, np.ndarray]] = []
    pos = 0
    for sentence in made.sentences():
        start = loaded.text.find(sentence.text, pos)
        if start < 0:
            continue
        pos = start + len(sentence.text)
        spans.append((start, pos, pieces.sentence(sentence)))
    title = pieces.sentence(made.title)
    out = []
    for chunk in chunks:
        vec = title.copy()
        for start, end, sv in spans:
            if start >= chunk.start and end <= chunk.end:
                vec += sv
        out.append(vec / np.linalg.norm(vec))
    return np.stack(out)


def settings_for(index_dir: Path, chroma_url: str | None = None, **overrides: Any) -> Settings:
    """The composed vectors come from the torch encoder, so the index is opened as a torch-encoded one."""
    return Settings(index_dir=index_dir, chroma_url=chroma_url, collection_prefix="bench", embedding_backend="torch", **overrides)


def build(chunks: int, embeddings: LocalEmbeddings | None = None) -> dict[str, Any]:
    """The corpus folder, index folder and build figures for a size; builds only what is not cached."""
    root = CACHE / f"s{SEED}-{chunks}"
    done = root / "build.json"
    embeddings = embeddings or LocalEmbeddings()
    if done.exists():
        figures = json.loads(done.read_text())
        keyword_index_for(Store(settings_for(Path(figures["index"])), embeddings))  # rebuilt if its files are gone
        return figures
    corpus, index = root / "corpus", root / "index"
    started = time.perf_counter()
    if not (root / "corpus.done").exists():
        for _ in synth.generate(corpus, chunks, SEED):
            pass
        (root / "corpus.done").write_text("ok")
    generated = time.perf_counter() - started

    started = time.perf_counter()
    loaded = load_paths([corpus])
    loading = time.perf_counter() - started
    settings = settings_for(index)
    store = Store(settings, embeddings)
    keyword = keyword_index_for(store)
    pieces = PieceVectors(embeddings, CACHE / "pieces.npz")
    times = {"vectors": 0.0, "chroma_insert": 0.0, "keyword_upsert": 0.0}
    total = 0
    for start in range(0, len(loaded.articles), _BATCH_ARTICLES):
        part = loaded.articles[start : start + _BATCH_ARTICLES]
        t0 = time.perf_counter()
        made = [synth.make_article(SEED, int(a.id.rsplit("-", 1)[1])) for a in part]
        pieces.ensure(set().union(*(_pieces(m) for m in made)))
        batch_chunks: list[Chunk] = []
        vectors = []
        for article, synthetic in zip(part, made):
            cs = chunk_article(article, settings.chunk_min_words, settings.chunk_max_words, settings.chunk_overlap_sentences)
            batch_chunks.extend(cs)
            vectors.append(chunk_vectors(cs, article, synthetic, pieces))
        hashes = [_metadata_hash(c) for c in batch_chunks]
        matrix = np.concatenate(vectors)
        t1 = time.perf_counter()
        for s in range(0, len(batch_chunks), 1000):
            store.upsert(batch_chunks[s : s + 1000], matrix[s : s + 1000], hashes[s : s + 1000], "bench")
        t2 = time.perf_counter()
        keyword.upsert(batch_chunks, hashes)
        t3 = time.perf_counter()
        times["vectors"] += t1 - t0
        times["chroma_insert"] += t2 - t1
        times["keyword_upsert"] += t3 - t2
        total += len(batch_chunks)
        log.info("%d chunks stored (%.0f chunks/s into Chroma)", total, total / max(times["chroma_insert"], 1e-9))
    t0 = time.perf_counter()
    keyword.save()
    times["keyword_save"] = time.perf_counter() - t0
    figures = {
        "chunks": total,
        "articles": len(loaded.articles),
        "corpus": str(corpus),
        "index": str(index),
        "generate_s": round(generated, 1),
        "load_s": round(loading, 1),
        **{f"{k}_s": round(v, 1) for k, v in times.items()},
        "chroma_insert_per_s": round(total / max(times["chroma_insert"], 1e-9)),
        "pieces_encoded": len(pieces.vectors),
    }
    done.write_text(json.dumps(figures, indent=1))
    return figures


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    print(json.dumps(build(int(sys.argv[1])), indent=1))
