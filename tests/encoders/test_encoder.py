"""The ONNX encoder backends: exported offline from the packaged weights, cached, and matching torch's vectors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.encoders import onnx as onnx_encoder
from assistant.app import build_assistant
from assistant.ingest.chunking import chunk_article
from assistant.config import Settings
from assistant.ingest.loaders import load_paths
from assistant.encoders.embeddings import LocalEmbeddings, packaged_model_dir
from assistant.errors import ConfigError
from assistant.ingest.indexer import embedding_text
from assistant.retrieval.retrieve import RetrievalOptions

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
ARTICLES = [
    "md-golden-dome-175-billion-guetlein-2025-05",
    "ai-sentinel-nunn-mccurdy-breach-2024-01",
    "ai-nato-hague-summit-five-percent-2025-06",
    "ai-rheinmetall-unterluss-shell-plant-2024-02",
    "ai-japan-fy2024-defence-budget-2023-12",
    "ai-f47-ngad-boeing-award-2025-03",
]


@pytest.fixture(scope="module")
def onnx_cache(tmp_path_factory) -> Path:
    """A cache folder of this test run's own, so the first load really exports."""
    return tmp_path_factory.mktemp("onnx-cache")


@pytest.fixture(scope="module")
def onnx_embeddings(onnx_cache) -> dict[str, LocalEmbeddings]:
    return {name: LocalEmbeddings(backend=name, cache_dir=onnx_cache) for name in ("onnx", "onnx-int8")}


@pytest.fixture(scope="module")
def torch_embeddings() -> LocalEmbeddings:
    """The sentence-transformers/torch reference the ONNX backends are measured against."""
    return LocalEmbeddings(backend="torch")


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    """Real chunk texts as ingest gives them to the encoder, plus real questions."""
    articles = load_paths([CORPUS / f"{name}.md" for name in ARTICLES]).articles
    chunks = [embedding_text(c) for a in articles for c in chunk_article(a)][:10]
    return chunks + ["Who did Trump pick to run the Golden Dome missile shield?", "Sentinel ICBM cost overrun", "a"]


def test_onnx_export_is_cached_and_not_repeated(onnx_cache, onnx_embeddings, sentences, monkeypatch):
    first = onnx_embeddings["onnx"].encode(sentences[:2])
    files = sorted(p.name for p in onnx_cache.iterdir())
    assert [f for f in files if f.startswith("minilm-onnx-") and "int8" not in f and f.endswith(".onnx")], files
    assert not [f for f in files if f.endswith(".tmp")], files

    def no_export(*args, **kwargs):
        raise AssertionError("the cached export should have been reused")

    monkeypatch.setattr(onnx_encoder, "export_fp32", no_export)
    again = LocalEmbeddings(backend="onnx", cache_dir=onnx_cache).encode(sentences[:2])
    assert np.allclose(first, again, atol=1e-6)
    assert sorted(p.name for p in onnx_cache.iterdir()) == files


@pytest.mark.parametrize("backend, mean_floor, min_floor", [("onnx", 0.9999, 0.999), ("onnx-int8", 0.99, 0.98)])
def test_onnx_vectors_are_unit_and_close_to_torch(torch_embeddings, onnx_embeddings, sentences, backend, mean_floor, min_floor):
    reference = torch_embeddings.encode(sentences)
    vectors = onnx_embeddings[backend].encode(sentences)
    assert vectors.shape == reference.shape == (len(sentences), 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    cosine = (vectors * reference).sum(axis=1)
    assert cosine.mean() > mean_floor and cosine.min() > min_floor, cosine
    # Order is kept although batches are formed by length.
    assert np.allclose(onnx_embeddings[backend].encode(sentences[::-1])[::-1], vectors, atol=1e-5)
    assert onnx_embeddings[backend].encode([]).shape == (0, 384)


def test_int8_vectors_do_not_depend_on_the_other_texts_in_the_call(onnx_cache, sentences):
    # Dynamic int8 picks its activation range per run: a text must be encoded alone to get one vector. Several
    # texts run side by side on one-thread sessions, one text on a two-thread session: the vectors are the same.
    int8 = LocalEmbeddings(backend="onnx-int8", cache_dir=onnx_cache, threads=2)
    together = int8.encode(sentences)
    assert int8.onnx_encoder._pool is not None
    alone = np.stack([int8.encode([s])[0] for s in sentences])
    assert np.array_equal(together, alone)


def test_int8_integer_products_are_exact_on_this_cpu(onnx_cache, onnx_embeddings):
    # The int8 graph's integer matrix products must give the exact sums on any CPU, or vectors (and every
    # evaluated figure) move with the machine. Signed weights fail this on AVX2 without VNNI: onnxruntime's
    # u8 x s8 kernel there saturates 16-bit pair sums (measured: off by up to 44,197 at large activations).
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    onnx_embeddings["onnx-int8"].encode(["x"])  # converts on first use
    (path,) = [p for p in onnx_cache.iterdir() if p.name.startswith("minilm-onnx-int8-") and p.suffix == ".onnx"]
    graph = onnx.load(str(path)).graph
    weights = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    products = [n for n in graph.node if n.op_type in ("MatMulInteger", "QAttention")]
    assert len(products) == 18 + 6, [n.op_type for n in products]
    for node in products:
        assert weights[node.input[1]].dtype == np.uint8, node.name
    node = next(n for n in products if n.op_type == "MatMulInteger")
    w, w_zero = weights[node.input[1]], weights[node.input[3]]
    a = np.random.default_rng(0).integers(192, 256, size=(8, w.shape[0]), dtype=np.uint8)  # large activations
    a_zero = np.array(0, dtype=np.uint8)
    probe = helper.make_model(
        helper.make_graph(
            [helper.make_node("MatMulInteger", ["a", "w", "a_zero", "w_zero"], ["y"])],
            "probe",
            [helper.make_tensor_value_info("a", TensorProto.UINT8, a.shape)],
            [helper.make_tensor_value_info("y", TensorProto.INT32, None)],
            [numpy_helper.from_array(w, "w"), numpy_helper.from_array(a_zero, "a_zero"), numpy_helper.from_array(w_zero, "w_zero")],
        ),
        opset_imports=[helper.make_opsetid("", 17)],
    )
    probe.ir_version = 8
    got = ort.InferenceSession(probe.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, {"a": a})[0]
    exact = a.astype(np.int64) @ (w.astype(np.int64) - w_zero.astype(np.int64))
    assert np.array_equal(got, exact)


def test_same_top_article_with_either_backend(tmp_path, torch_embeddings, onnx_embeddings):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ARTICLES:
        shutil.copy(CORPUS / f"{name}.md", folder)
    questions = [
        json.loads(line)
        for line in (ROOT / "eval" / "sets" / "bundled.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    questions = [q for q in questions if q["article_ids"] and set(q["article_ids"]) <= set(ARTICLES) and not q.get("history")]
    assert len(questions) >= 4
    tops: dict[str, list[str]] = {}
    for backend, encoder in {"torch": torch_embeddings, **onnx_embeddings}.items():
        settings = Settings(index_dir=tmp_path / f"index-{backend}", embedding_backend=backend)
        with build_assistant(settings, embeddings=encoder) as assistant:
            assistant.ingest([folder], progress=False)
            dense = assistant.retriever.with_config(mode="dense")
            tops[backend] = [dense.retrieve(q["question"], None, RetrievalOptions(k=3))[0].chunk.article_id for q in questions]
    assert tops["onnx"] == tops["torch"]
    assert tops["onnx-int8"] == tops["torch"]
    golden = [q["question"] for q in questions].index("Who did Trump pick to run the Golden Dome missile shield?")
    assert tops["onnx-int8"][golden] == "md-golden-dome-175-billion-guetlein-2025-05"


def test_failed_export_leaves_no_file(tmp_path, monkeypatch):
    # A crash half-way through a conversion cannot be produced on demand, so the exporter is made to fail.
    def broken(model_dir: Path, target: Path) -> None:
        target.write_bytes(b"half a model")
        raise OSError("disk full")

    monkeypatch.setattr(onnx_encoder, "export_fp32", broken)
    with pytest.raises(ConfigError, match="ASSISTANT_EMBEDDING_BACKEND=torch"):
        onnx_encoder.ensure_model(packaged_model_dir(), tmp_path, "onnx")
    assert list(tmp_path.iterdir()) == []


def test_int8_conversion_writes_nothing_beside_the_shared_model(onnx_cache, tmp_path, monkeypatch):
    # onnxruntime writes a shape-inferred copy beside the model it quantises and deletes it after; beside the
    # shared fp32 model, two processes converting on one fresh cache deleted each other's copy (seen here).
    import onnxruntime.quantization as quantization

    shutil.copyfile(onnx_encoder.ensure_model(packaged_model_dir(), onnx_cache, "onnx"), tmp_path / "shared.onnx")
    inputs: list[Path] = []
    real = quantization.quantize_dynamic

    def spy(model_input, *args, **kwargs):
        inputs.append(Path(model_input))
        return real(model_input, *args, **kwargs)

    monkeypatch.setattr(quantization, "quantize_dynamic", spy)
    onnx_encoder.quantise_int8(tmp_path / "shared.onnx", tmp_path / "int8.onnx")
    assert [p.parent for p in inputs] != [tmp_path]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["int8.onnx", "shared.onnx"]
    assert (tmp_path / "int8.onnx").stat().st_size > 0


def test_cache_key_follows_weights_and_recipe(tmp_path, monkeypatch):
    model = packaged_model_dir()
    copy = tmp_path / "model"
    shutil.copytree(model, copy)
    assert onnx_encoder.cache_key(copy, "onnx") == onnx_encoder.cache_key(model, "onnx")
    assert onnx_encoder.cache_key(model, "onnx-int8") != onnx_encoder.cache_key(model, "onnx")
    # a new int8 recipe name (the one the index fingerprint carries) is a new converted file as well
    int8 = onnx_encoder.cache_key(model, "onnx-int8")
    monkeypatch.setattr(onnx_encoder, "INT8_RECIPE", "another-recipe")
    assert onnx_encoder.cache_key(model, "onnx-int8") != int8
    assert onnx_encoder.cache_key(model, "onnx") == onnx_encoder.cache_key(copy, "onnx")
    with (copy / "model.safetensors").open("ab") as handle:
        handle.write(b"\0")
    assert onnx_encoder.cache_key(copy, "onnx") != onnx_encoder.cache_key(model, "onnx")


def test_backend_setting_and_fingerprint():
    torch_fp = Settings(embedding_backend="torch").index_fingerprint()
    assert Settings(embedding_backend="onnx").index_fingerprint() == torch_fp  # same vectors, same index
    assert Settings(embedding_backend="onnx-int8").index_fingerprint() != torch_fp
    with pytest.raises(ConfigError, match="ASSISTANT_EMBEDDING_BACKEND"):
        LocalEmbeddings(backend="tensorrt")  # type: ignore[arg-type]
