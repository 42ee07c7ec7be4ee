"""Which GGUF file `--llm local` serves, checked against its SHA-256 before llama.cpp ever opens it."""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..config import Settings
from ..errors import ConfigError
from .catalogue import CATALOGUE, ModelSpec

log = logging.getLogger(__name__)

_CHUNK = 1 << 20


@dataclass(frozen=True)
class LocalModel:
    """A verified model file and how to serve it."""

    path: Path
    alias: str
    chat_format: str  # llama-cpp-python's name for the prompt format: never the template inside the file
    small: bool  # small enough that its sentences get strict grounding by default


def sha256_of(path: Path, progress: Callable[[int], None] | None = None) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_CHUNK):
            digest.update(block)
            if progress:
                progress(len(block))
    return digest.hexdigest()


def verify_file(path: Path, expected: str, what: str = "model file") -> None:
    """Raise `ConfigError` naming the file unless its SHA-256 is `expected`."""
    expected = expected.strip().lower()
    if not path.is_file():
        raise ConfigError(f"the {what} {path} does not exist")
    actual = sha256_of(path)
    if actual != expected:
        raise ConfigError(
            f"the {what} {path} has SHA-256 {actual}, not the expected {expected}: it was changed or is not the file "
            "that was reviewed; refusing to load it"
        )


def model_dir(settings: Settings) -> Path:
    return Path(os.path.expanduser(str(settings.local_model_dir)))


def installed_path(spec: ModelSpec, settings: Settings) -> Path:
    return model_dir(settings) / spec.file


def resolve_local_model(settings: Settings) -> LocalModel:
    """The model `--llm local` should serve, with its hash checked; `ConfigError` says what to do when it is missing.

    `ASSISTANT_LOCAL_MODEL_PATH` (any GGUF the user has) wins over `ASSISTANT_LOCAL_MODEL` (a catalogue name)."""
    if settings.local_model_path is not None:
        path = Path(os.path.expanduser(str(settings.local_model_path)))
        if not settings.local_model_sha256:
            raise ConfigError(
                f"ASSISTANT_LOCAL_MODEL_PATH={path} needs ASSISTANT_LOCAL_MODEL_SHA256, the file's SHA-256 "
                f"(sha256sum {path}), so a changed file is never loaded"
            )
        verify_file(path, settings.local_model_sha256)
        return LocalModel(path, path.stem.lower(), settings.local_chat_format, small=True)
    spec = CATALOGUE[settings.local_model]
    if spec.bundled:
        from ..answering.llm import bundled_model_path  # the package ships the file; pip checked its hash at install

        return LocalModel(bundled_model_path(), spec.alias, spec.chat_format, small=True)
    path = installed_path(spec, settings)
    if not path.is_file():
        raise ConfigError(
            f"the local model '{spec.name}' is not installed ({path} is missing): run `make model MODEL={spec.name}`"
        )
    verify_file(path, spec.sha256)
    return LocalModel(path, spec.alias, spec.chat_format, small=spec.small)


def installed_models(settings: Settings) -> list[str]:
    """Catalogue models whose file is present (not hashed: that happens when one is loaded)."""
    return [name for name, spec in CATALOGUE.items() if not spec.bundled and installed_path(spec, settings).is_file()]


def usable_cores() -> int:
    """Cores this process may run on (its affinity mask, which containers and `taskset` narrow), at least 1."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not Linux
        return max(os.cpu_count() or 1, 1)


def thread_counts(settings: Settings) -> tuple[int, int]:
    """(generation threads, prompt-reading threads): the settings, else every usable core."""
    cores = usable_cores()
    return settings.local_threads or cores, settings.local_batch_threads or cores


def thread_origin(settings: Settings) -> str:
    """Where `thread_counts` got its figures, for run reports: a narrowed affinity mask or a setting explains a 1."""
    names = ("local_threads", "local_batch_threads")
    set_here = [f"ASSISTANT_{name.upper()}" for name in names if getattr(settings, name)]
    return ("set by " + " and ".join(set_here)) if set_here else f"the {usable_cores()} usable core(s) of this process"


def reader_first(settings: Settings) -> bool:
    """Does the extractive reader decide and select for the model? `auto`: yes for a local model."""
    return settings.llm_reader == "on" or (settings.llm_reader == "auto" and settings.llm_local)


def grounding_mode(settings: Settings) -> str:
    """Small local models get strict grounding unless ASSISTANT_GROUNDING says otherwise."""
    if settings.llm_local and "grounding" not in settings.model_fields_set:
        return "strict"
    return settings.grounding


def local_reply_settings(settings: Settings) -> Settings:
    """A local model phrasing the reader's evidence needs a few short sentences: unless ASSISTANT_LLM_MAX_TOKENS is
    set, its reply is capped at 60 tokens a sentence, so a small model that rambles cannot run into the deadline."""
    if not reader_first(settings) or "llm_max_tokens" in settings.model_fields_set:
        return settings
    return settings.model_copy(update={"llm_max_tokens": min(settings.llm_max_tokens, 60 * settings.max_answer_sentences)})
