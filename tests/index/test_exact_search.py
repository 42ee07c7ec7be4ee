"""Dense search over a small collection returns the true nearest neighbours, the same in every process.

Random 384-dimensional vectors are the hard case for HNSW: with Chroma's default breadth its search misses some
of the true neighbours, so the brute-force comparison below fails when exact search is turned off."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from assistant.config import Settings
from assistant.schema import Chunk
from assistant.index.store import Store

DIM = 384


def _chunks(n: int) -> list[Chunk]:
    return [Chunk(f"c{i}", f"a{i}", 0, f"text {i}", 0, 6, f"title {i}", f"a{i}.md") for i in range(n)]


def _filled_store(tmp_path, embeddings, vectors: np.ndarray, **settings) -> Store:
    store = Store(Settings(index_dir=tmp_path / "index", **settings), embeddings)
    chunks = _chunks(len(vectors))
    for start in range(0, len(chunks), 1000):  # batches, as an ingest writes them
        part = slice(start, start + 1000)
        store.upsert(chunks[part], vectors[part].tolist(), ["h"] * len(chunks[part]))
    return store


def _recall(store: Store, vectors: np.ndarray, queries: np.ndarray, k: int) -> float:
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    found = 0
    for query in queries:
        truth = {f"c{i}" for i in np.argsort(-(unit @ (query / np.linalg.norm(query))))[:k]}
        found += len(truth & set(store.query_ids(query.tolist(), k)))
    return found / (k * len(queries))


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(7)
    return rng.standard_normal((3000, DIM)).astype(np.float32), rng.standard_normal((40, DIM)).astype(np.float32)


def test_search_below_the_limit_finds_the_true_nearest_neighbours(tmp_path, embeddings, data):
    vectors, queries = data
    store = _filled_store(tmp_path, embeddings, vectors)
    assert store.collection.configuration["hnsw"]["ef_search"] >= len(vectors)
    assert _recall(store, vectors, queries, 30) == 1.0
    # Reopened, as another process would: the breadth was stored with the collection.
    again = Store(Settings(index_dir=tmp_path / "index"), embeddings)
    assert again.collection.configuration["hnsw"]["ef_search"] >= len(vectors)
    assert _recall(again, vectors, queries, 30) == 1.0


def test_approximate_search_misses_neighbours_on_the_same_data(tmp_path, embeddings, data):
    """The control: without the exact breadth, the same check fails, so the test above can fail."""
    vectors, queries = data
    store = _filled_store(tmp_path, embeddings, vectors, exact_search_below=0)
    assert store.collection.configuration["hnsw"]["ef_search"] == 100
    assert store.collection.configuration["hnsw"]["space"] == "cosine"
    assert _recall(store, vectors, queries, 30) < 1.0


def test_a_large_collection_keeps_the_approximate_breadth(tmp_path, embeddings, data):
    vectors, _ = data
    store = _filled_store(tmp_path, embeddings, vectors[:1500], exact_search_below=1000)
    assert store.collection.configuration["hnsw"]["ef_search"] == 100
    small = Store(Settings(index_dir=tmp_path / "small", exact_search_below=1000), embeddings)
    small.upsert(_chunks(300), vectors[:300].tolist(), ["h"] * 300)
    assert small.collection.configuration["hnsw"]["ef_search"] == 1000


def test_an_index_made_before_keeps_its_vectors_and_gains_exact_search(tmp_path, embeddings, data):
    """A folder whose collection an earlier version made (legacy metadata, default breadth), written by another
    process, is searched exactly once opened."""
    vectors, queries = data
    np.save(tmp_path / "v.npy", vectors)
    name = Settings().collection_name()
    script = (
        "import sys, numpy as np, chromadb\n"
        "from chromadb.config import Settings\n"
        "v = np.load(sys.argv[2])\n"
        "client = chromadb.PersistentClient(path=sys.argv[1], settings=Settings(anonymized_telemetry=False))\n"
        "c = client.create_collection(sys.argv[3], metadata={'hnsw:space': 'cosine'}, embedding_function=None)\n"
        "for s in range(0, len(v), 1000):\n"
        "    c.add(ids=[f'c{i}' for i in range(s, s + 1000)], embeddings=v[s:s + 1000].tolist(),\n"
        "          documents=['x'] * 1000, metadatas=[{'article_id': f'a{i}'} for i in range(s, s + 1000)])\n"
        "assert c.configuration['hnsw']['ef_search'] == 100\n"
    )
    subprocess.run([sys.executable, "-c", script, str(tmp_path / "old"), str(tmp_path / "v.npy"), name], check=True)
    store = Store(Settings(index_dir=tmp_path / "old"), embeddings)
    assert store.count() == len(vectors)
    assert store.collection.configuration["hnsw"]["ef_search"] >= len(vectors)
    assert _recall(store, vectors, queries, 30) == 1.0
