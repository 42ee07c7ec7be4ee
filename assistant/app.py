"""Wire the pieces once: `build_assistant(settings)` is the only place components are constructed."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from langchain_core.embeddings import Embeddings

from .answering.answer import Answerer
from .config import Settings
from .encoders.embeddings import make_embeddings
from .reading.extractive import ExtractiveAnswerer
from .reading.award_roles import load_roles
from .reading.reader_model import load_model
from .grounding.checker import GroundingChecker
from .ingest.indexer import IngestReport, ingest
from .answering.llm import LocalLLMServer, RetryPolicy, make_chat_model
from .models.local import grounding_mode, local_reply_settings, reader_first, resolve_local_model, thread_counts
from .answering.prompts import load_prompts
from .retrieval.retrieve import Retriever
from .index.source_kinds import source_kind
from .index.store import Store

log = logging.getLogger(__name__)


@dataclass
class Assistant:
    settings: Settings
    embeddings: Embeddings
    store: Store
    retriever: Retriever
    answerer: Answerer
    _resources: list[Any] = field(default_factory=list)

    def ingest(self, paths: Iterable[Path], prune: bool = False, progress: bool = True) -> IngestReport:
        return ingest(paths, self.store, self.embeddings, self.settings, prune=prune, progress=progress)

    def timeline(self, subject: str, since: Any = None, until: Any = None, source: str | None = None) -> Any:
        """The dated events about `subject` (see assistant/analyst/timeline.py)."""
        from .schema import Filters
        from .analyst.timeline import build_timeline, timeline_chunks

        chunks = timeline_chunks(self.retriever, subject, Filters(source=source))
        return build_timeline(subject, chunks, since, until, source, group_of=self.retriever.stories.group_of)

    def stats(self) -> dict[str, Any]:
        return self.store.stats()

    @property
    def modes(self) -> list[str]:
        return ["extractive", "llm"] if self.answerer.has_llm else ["extractive"]

    def close(self) -> None:
        for resource in self._resources:
            resource.stop()
        self._resources.clear()

    def __enter__(self) -> "Assistant":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def build_assistant(settings: Settings, embeddings: Embeddings | None = None) -> Assistant:
    """Build every component from the settings; pass `embeddings` to share one loaded model."""
    embeddings = embeddings or make_embeddings(settings)
    store = Store(settings, embeddings)
    retriever = Retriever(store, embeddings)
    resources: list[Any] = []
    chat_model = None
    if settings.llm_local:
        local = resolve_local_model(settings)  # the hash is checked here, before llama.cpp opens the file
        server = LocalLLMServer(
            local.path, n_ctx=settings.local_n_ctx, alias=local.alias, chat_format=local.chat_format,
            threads=thread_counts(settings),
        )
        resources.append(server)

        def chat_model() -> Any:  # started on first use: extractive-only sessions never pay for it
            if server.process is None:
                server.start()
            return make_chat_model(local_reply_settings(settings), base_url=server.base_url, model=local.alias)

    elif settings.llm_configured:

        def chat_model() -> Any:
            return make_chat_model(settings)

    answerer = Answerer(
        retriever,
        ExtractiveAnswerer(
            embeddings,
            max_sentences=settings.max_answer_sentences,
            mentioned=lambda term: retriever.keyword.mentions(term),  # the keyword index loads on first use
            model=load_model() if settings.learned_reader else None,  # committed weights (eval/scripts/train_reader.py)
            near_misses=settings.near_miss_refusals,
            award_conditions=settings.award_conditions,
            roles=load_roles() if settings.award_roles else None,  # committed weights (eval/scripts/train_roles.py)
            stored=store.sentence_vectors,  # what indexing encoded (ingest/sentences.py); the rest is encoded here
        ),
        load_prompts(settings.prompts_dir),
        chat_model=chat_model,
        default_mode=settings.resolved_mode(),
        default_k=settings.top_k,
        max_sentences=settings.max_answer_sentences,
        # the corpus's own acronym table, as learned at ingest, lets "SDA" vouch for "Space Development Agency"
        grounding=None if settings.grounding == "off" else GroundingChecker(embeddings, glossary=lambda: retriever.keyword.glossary),
        grounding_mode=grounding_mode(settings),
        retry=RetryPolicy.from_settings(settings),
        source_kind=lambda source: source_kind(source, settings.source_kinds_path),
        reader=reader_first(settings),
        llm_rewrite=settings.llm_rewrite,
    )
    return Assistant(settings, embeddings, store, retriever, answerer, resources)
