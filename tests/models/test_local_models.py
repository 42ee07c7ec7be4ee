"""Local GGUF models: hash checks before loading, the part installer refusing a tampered part, server settings, and a
smoke test with the installed Qwen2.5 0.5B (skipped when `make model MODEL=qwen2.5-0.5b` has not been run)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.models.local import (
    grounding_mode, installed_path, reader_first, resolve_local_model, thread_counts, thread_origin, usable_cores,
)
from assistant.models.catalogue import CATALOGUE, ModelSpec, Part
from assistant.models.install import assemble
from conftest import write_article

QWEN_05 = installed_path(CATALOGUE["qwen2.5-0.5b"], Settings())
needs_qwen = pytest.mark.skipif(
    not QWEN_05.is_file(), reason=f"{QWEN_05} is not installed (make model MODEL=qwen2.5-0.5b)"
)


def _spec_for(parts: list[bytes], root: Path) -> ModelSpec:
    """A catalogue entry for parts written under `root`, hashed the way the real entries were recorded."""
    entries = []
    for i, data in enumerate(parts, start=1):
        path = root / f"demo_part{i}" / "data" / f"part{i:02d}.bin"
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
        entries.append(Part(f"demo_part{i}/data/part{i:02d}.bin", len(data), hashlib.sha256(data).hexdigest()))
    whole = hashlib.sha256(b"".join(parts)).hexdigest()
    return ModelSpec("demo", "demo", "demo.gguf", whole, sum(map(len, parts)), "chatml", parts=tuple(entries))


def test_assembled_parts_match_the_recorded_hash(tmp_path):
    parts = [os.urandom(70_000), os.urandom(70_000), os.urandom(1_234)]
    spec = _spec_for(parts, tmp_path / "parts")
    out = assemble(spec, tmp_path / "parts", tmp_path / "cache" / spec.file)
    assert out.read_bytes() == b"".join(parts)


def test_a_tampered_part_is_refused_by_number_and_path_and_nothing_is_installed(tmp_path):
    parts = [os.urandom(50_000) for _ in range(3)]
    spec = _spec_for(parts, tmp_path / "parts")
    victim = tmp_path / "parts" / spec.parts[1].path
    data = bytearray(victim.read_bytes())
    data[1000] ^= 0x01  # one bit
    victim.write_bytes(bytes(data))
    dest = tmp_path / "cache" / spec.file
    with pytest.raises(ConfigError) as caught:
        assemble(spec, tmp_path / "parts", dest)
    message = str(caught.value)
    assert "part 2 of demo" in message and str(victim) in message and "not installed" in message
    assert not dest.exists() and not list(dest.parent.iterdir())  # no half-written file is left behind


@needs_qwen
def test_a_copied_real_part_that_was_altered_is_refused(tmp_path):
    """The first real part of the 0.5B model, copied out of the installed file and changed by one byte."""
    spec = CATALOGUE["qwen2.5-0.5b"]
    first = spec.parts[0]
    with QWEN_05.open("rb") as handle:
        data = bytearray(handle.read(first.size))
    assert hashlib.sha256(data).hexdigest() == first.sha256  # the copy is exactly the reviewed part
    data[first.size // 2] ^= 0x80
    target = tmp_path / "parts" / first.path
    target.parent.mkdir(parents=True)
    target.write_bytes(bytes(data))
    with pytest.raises(ConfigError, match=r"part 1 of qwen2\.5-0\.5b .*part01\.bin\) has SHA-256"):
        assemble(spec, tmp_path / "parts", tmp_path / "cache" / spec.file)
    assert not (tmp_path / "cache" / spec.file).exists()


def test_any_gguf_path_is_loaded_only_with_its_hash(tmp_path):
    model = tmp_path / "my-model.gguf"
    model.write_bytes(b"GGUF" + os.urandom(4096))
    good = hashlib.sha256(model.read_bytes()).hexdigest()
    found = resolve_local_model(Settings(local_model_path=model, local_model_sha256=good.upper()))
    assert found.path == model and found.chat_format == "chatml"
    with pytest.raises(ConfigError, match="ASSISTANT_LOCAL_MODEL_SHA256"):
        resolve_local_model(Settings(local_model_path=model))
    with pytest.raises(ConfigError) as caught:
        resolve_local_model(Settings(local_model_path=model, local_model_sha256="0" * 64))
    assert str(model) in str(caught.value) and good in str(caught.value) and "refusing to load" in str(caught.value)


def test_a_catalogue_model_that_is_not_installed_says_how_to_install_it(tmp_path):
    with pytest.raises(ConfigError, match=r"make model MODEL=qwen2\.5-1\.5b"):
        resolve_local_model(Settings(local_model="qwen2.5-1.5b", local_model_dir=tmp_path))


def test_a_changed_installed_file_is_refused(tmp_path):
    spec = CATALOGUE["qwen2.5-0.5b"]
    (tmp_path / spec.file).write_bytes(b"GGUF not the reviewed file")
    with pytest.raises(ConfigError, match="refusing to load"):
        resolve_local_model(Settings(local_model="qwen2.5-0.5b", local_model_dir=tmp_path))


def test_threads_default_to_the_usable_cores_and_settings_override(monkeypatch):
    assert usable_cores() == len(os.sched_getaffinity(0))
    assert thread_counts(Settings()) == (usable_cores(), usable_cores())
    assert thread_counts(Settings(local_threads=1, local_batch_threads=2)) == (1, 2)


def test_a_run_report_says_where_its_thread_counts_came_from(monkeypatch):
    monkeypatch.delenv("ASSISTANT_LOCAL_THREADS", raising=False)
    monkeypatch.delenv("ASSISTANT_LOCAL_BATCH_THREADS", raising=False)
    assert thread_origin(Settings()) == f"the {usable_cores()} usable core(s) of this process"
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {1})  # as under `taskset -c 1`
    assert thread_counts(Settings()) == (1, 1) and "the 1 usable core(s)" in thread_origin(Settings())
    monkeypatch.setenv("ASSISTANT_LOCAL_THREADS", "3")
    assert thread_counts(Settings()) == (3, 1)
    assert thread_origin(Settings()) == "set by ASSISTANT_LOCAL_THREADS"


def test_local_models_read_first_and_ground_strictly_unless_told_otherwise():
    assert reader_first(Settings(llm_local=True)) and grounding_mode(Settings(llm_local=True)) == "strict"
    assert grounding_mode(Settings(llm_local=True, grounding="flag")) == "flag"
    assert not reader_first(Settings(llm_base_url="http://127.0.0.1:9/v1"))
    assert grounding_mode(Settings(llm_base_url="http://127.0.0.1:9/v1")) == "flag"
    assert not reader_first(Settings(llm_local=True, llm_reader="off"))


KUIPER = (
    "Amazon launched the first 27 production satellites for its Project Kuiper constellation on April 28, 2025, "
    "aboard a United Launch Alliance Atlas V from Cape Canaveral. The company plans a constellation of more than "
    "3,200 satellites in low Earth orbit. Amazon must launch half of them by July 2026 under its FCC licence. "
)


@pytest.mark.llm
@pytest.mark.slow
@needs_qwen
def test_qwen_smoke_answers_with_checked_citations_and_refuses_without_the_model(tmp_path, embeddings):
    from assistant.app import build_assistant

    folder = tmp_path / "c"
    folder.mkdir()
    write_article(folder, "kuiper.md", "Amazon launches first Kuiper production satellites", KUIPER * 2)
    settings = Settings(index_dir=tmp_path / "i", llm_local=True, local_model="qwen2.5-0.5b", llm_max_tokens=80)
    with build_assistant(settings, embeddings=embeddings) as assistant:
        assistant.ingest([folder], progress=False)
        events = list(assistant.answerer.stream("How many production satellites did Amazon launch first for Kuiper?"))
        answer = events[-1].answer
        assert answer is not None and answer.mode == "llm" and not answer.abstained
        assert sum(1 for e in events if e.kind == "token") > 1, "the answer should stream"
        assert "27" in answer.text and answer.citations
        kept = [s for s in answer.sentences if not any("removed" in r for r in s.reasons)]
        assert kept and all(s.supported for s in kept)  # strict: unsupported ones replaced (or removed)
        server = assistant._resources[0]
        args = server.process.args
        assert args[args.index("--chat_format") + 1] == "chatml"
        assert args[args.index("--n_threads") + 1] == str(usable_cores())
        assert args[args.index("--host") + 1] == "127.0.0.1"
        refused = assistant.answerer.ask("What is the range of the Golden Dome space-based interceptors?")
        assert refused.abstained and "first_token" not in refused.timings_ms  # the reader declined; no model call
