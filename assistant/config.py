"""One typed settings object, read from `ASSISTANT_*` environment variables by the entry point."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .encoders.onnx_export import INT8_RECIPE

# Bumped whenever chunk boundaries (or the text the encoder sees) would change for the same settings, so old
# vectors are never reused. 4: chunks follow paragraphs and carry headline, date and section. 5: a period of an
# initialism closing brackets ("(Kuwait, Qatar, U.A.E.) W31P4Q-...") no longer ends a sentence.
CHUNKER_VERSION = "5"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore")

    # --- index -------------------------------------------------------------------------------
    index_dir: Path = Field(Path(".assistant/index"), description="Chroma folder (local mode)")
    chroma_url: str | None = Field(None, description="Chroma server URL, e.g. http://10.0.0.5:8000")
    chroma_timeout_s: float = Field(30.0, gt=0, description="Longest wait for the Chroma server to answer one request")
    collection_prefix: str = Field("articles", description="Collection name prefix")
    exact_search_below: int = Field(
        20_000,
        ge=0,
        description="Dense search visits every stored vector while the collection holds fewer chunks than this, so "
        "the same question gets the same passages in every process (0: always approximate)",
    )
    corpus_dir: Path = Field(Path("corpus"), description="Default folder for `assistant ingest`")
    max_file_mb: float = Field(20.0, description="Larger article files are rejected")

    # --- web pages and feeds ------------------------------------------------------------------
    web_dir: Path = Field(Path(".assistant/web"), description="Fetched pages and feed entries, kept as indexed files")
    fetch_timeout_s: float = Field(
        20.0, gt=0, description="Longest wait to connect to a web server or for its next bytes"
    )
    fetch_max_mb: float = Field(20.0, gt=0, description="Larger web pages, feeds and PDFs are refused")
    fetch_max_redirects: int = Field(5, ge=0, le=20, description="Redirects followed for one URL")
    fetch_delay_s: float = Field(1.0, ge=0, description="Pause between two requests to the same host")
    ui_fetch_private: bool = Field(
        False, description="Let the Corpus tab's URL box fetch loopback and private-network hosts"
    )

    # --- chunking ----------------------------------------------------------------------------
    chunk_min_words: int = Field(150, ge=20)
    chunk_max_words: int = Field(300, ge=40)
    chunk_overlap_sentences: int = Field(1, ge=0, le=5)
    # off: paragraph chunks cost contract-release retrieval (recall@5 0.875 -> 0.794) and four bundled tests (eval/READER.md)
    chunk_paragraphs: bool = Field(False, description="chunks follow paragraphs and sections instead of packed sentences")

    # --- embeddings --------------------------------------------------------------------------
    embedding_provider: Literal["local", "openai"] = "local"
    embedding_model: str = Field("all-MiniLM-L6-v2", description="Local model name or OpenAI model")
    embedding_batch_size: int = Field(32, ge=1)
    embedding_backend: Literal["torch", "onnx", "onnx-int8"] = Field(
        "onnx-int8",
        description="local encoder runtime: torch (sentence-transformers), onnx (same vectors) or onnx-int8 "
        "(1.46x faster in the latest run, exact on every CPU, retrieval within 0.011; see eval/perf/encoder.json)",
    )
    embedding_cache_dir: Path = Field(
        Path("~/.cache/defence-news-assistant/onnx"), description="converted ONNX models, made on first use"
    )
    embedding_threads: int | None = Field(None, ge=1, description="onnxruntime threads (default: the usable cores)")
    index_sentences: bool = Field(
        True,
        description="encode the reader's sentences when indexing, so an answer encodes only its question (indexing "
        "takes about 3-4x as long; off, each new passage's sentences are encoded while the analyst waits; "
        "eval/PERFORMANCE.md)",
    )

    # --- retrieval and answers ---------------------------------------------------------------
    top_k: int = Field(6, ge=1, le=50, description="Passages retrieved per question")
    # off: the learned sentence scorer did not beat the hand-set order on held-out halves (eval/READER.md)
    learned_reader: bool = Field(False, description="rank answer sentences by assistant/reading/reader_weights.json")
    # off: checked per passage it refuses too many answerable questions on the bundled and DVIDS sets (eval/READER.md)
    near_miss_refusals: bool = Field(True, description="refuse when the best passage lacks the question's year, figure or name")
    award_conditions: bool = Field(
        True,
        description="in lists of awards, also refuse when the best sentence's award lacks the question's customer, that "
        "customer's own share, the contractor named, a figure beyond the question's own, or the amount asked (obligated, "
        "with options, minimum). On since session 18: on the four untuned contract sets it raised refusal recall (pooled "
        "0.53 to 0.80) and lost no answer, while every gate held (eval/READER.md, session 18)",
    )
    award_roles: bool = Field(
        True,
        description="in lists of awards, show the award's sentence that the learned role model "
        "(assistant/reading/role_weights.json, eval/scripts/train_roles.py) says the question asks about",
    )
    mode: Literal["auto", "extractive", "llm"] = Field(
        "auto", description="auto = llm when an endpoint is configured, else extractive"
    )
    max_answer_sentences: int = Field(3, ge=1, le=8)
    retrieval_mode: Literal["dense", "keyword", "hybrid"] = Field("hybrid", description="see eval/ABLATION.md")
    retrieval_rrf_k: int = Field(30, ge=1, description="reciprocal rank fusion constant")
    retrieval_keyword_weight: float = Field(2.0, ge=0, description="BM25 list weight in the fusion (dense = 1)")
    retrieval_keyword_lead: float = Field(
        1.25, ge=0, description="BM25's top passage goes first when it scores this many times any other article's best (0 = off; eval/ABLATION.md)"
    )
    retrieval_acronyms: bool = Field(True, description="expand queries with acronyms learned from the corpus")
    retrieval_dates: bool = Field(True, description="read time expressions in questions as date limits and boosts")
    retrieval_recency_weight: float = Field(0.3, ge=0, description="boost for newer reporting on 'latest' questions")
    retrieval_window_weight: float = Field(0.1, ge=0, description="boost for reporting inside an 'in <period>' window")
    # off: on the untuned contract sets it gained answers (pooled +6) but answered a near miss on the contract test
    # half, whose refusal recall then fell below its gate (0.875 -> 0.75; eval/READER.md, session 19)
    retrieval_whole_paragraphs: int = Field(
        0, ge=0, description="widen each retrieved chunk to the paragraphs it cuts, by up to this many words each way "
        "(an award's lead and the sentences after it read together; 0 = off)",
    )
    retrieval_exact_weight: float = Field(
        0.0, ge=0, description="boost for chunks holding the question's designations (off by default: eval/ABLATION.md)"
    )
    as_of: date | None = Field(None, description="'today' for relative dates in questions (default: the real date)")
    grounding: Literal["flag", "strict", "off"] = Field(
        "flag", description="Check LLM sentences against their citations: flag, strict (remove), or off"
    )

    # --- language model (any OpenAI-compatible endpoint) ------------------------------------
    llm_base_url: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("ASSISTANT_LLM_API_KEY", "OPENAI_API_KEY")
    )
    llm_local: bool = Field(False, description="Serve the bundled SmolLM2 through llama.cpp")
    local_model: Literal["smollm2", "qwen2.5-0.5b", "qwen2.5-1.5b"] = Field(
        "smollm2", description="model served by --llm local (qwen2.5-*: install with `make model MODEL=...`)"
    )
    local_model_path: Path | None = Field(None, description="any GGUF file to serve instead (needs LOCAL_MODEL_SHA256)")
    local_model_sha256: str | None = Field(None, description="SHA-256 of LOCAL_MODEL_PATH, checked before loading")
    local_model_dir: Path = Field(Path("~/.cache/defence-news-assistant/models"), description="installed local models")
    local_chat_format: str = Field("chatml", description="llama.cpp chat format for LOCAL_MODEL_PATH (never the file's template)")
    local_n_ctx: int = Field(4096, ge=512, description="context window of the local model")
    local_threads: int | None = Field(None, ge=1, description="local model generation threads (default: the usable cores)")
    local_batch_threads: int | None = Field(None, ge=1, description="prompt-reading threads (default: the usable cores)")
    llm_reader: Literal["auto", "on", "off"] = Field(
        "auto", description="the extractive reader decides whether to answer and picks the evidence the model reads "
        "(auto: on for --llm local)"
    )
    llm_rewrite: bool = Field(
        False, description="llm mode: the model rewrites follow-ups, checked by the resolver (off: measured no gain with "
        "SmolLM2, see eval/followups-llm/)"
    )
    llm_timeout_s: float = Field(60.0, gt=0, description="Longest wait to connect or between two streamed chunks")
    llm_max_retries: int = Field(2, ge=0, le=10, description="Retries of a failed request, before any token arrived")
    llm_backoff_s: float = Field(0.5, ge=0, le=60, description="Wait before the first retry; doubles on each retry")
    llm_deadline_s: float = Field(180.0, gt=0, description="Longest time for one answer, retries included")
    llm_temperature: float = 0.0
    llm_max_tokens: int = Field(400, ge=16)

    # --- serving -----------------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = 7860
    auth_user: str | None = None
    auth_password: SecretStr | None = None
    concurrency_limit: int = Field(4, ge=1)
    upload_dir: Path = Path(".assistant/uploads")
    max_upload_mb: float = Field(10.0, gt=0)
    max_question_chars: int = Field(2000, ge=10, description="Longer questions are refused by the UI")
    feedback_path: Path = Path(".assistant/feedback.jsonl")

    prompts_dir: Path | None = Field(None, description="Folder of prompt files (default: bundled)")
    source_kinds_path: Path | None = Field(
        None, description="YAML file mapping source names to kinds (default: assistant/data/source_kinds.yaml)"
    )

    @model_validator(mode="after")
    def _check(self) -> "Settings":
        if self.chunk_min_words >= self.chunk_max_words:
            raise ValueError("chunk_min_words must be smaller than chunk_max_words")
        return self

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url or self.llm_local or self.llm_api_key)

    def resolved_mode(self) -> str:
        if self.mode != "auto":
            return self.mode
        return "llm" if self.llm_configured else "extractive"

    def index_fingerprint(self) -> str:
        """Hash of everything that shapes the stored vectors: model and chunking."""
        key = "|".join(
            [
                self.embedding_provider,
                self.embedding_model,
                *([self.embedding_backend, INT8_RECIPE] if self.embedding_backend == "onnx-int8" else []),
                str(self.chunk_min_words),
                str(self.chunk_max_words),
                str(self.chunk_overlap_sentences),
                *(["paragraphs"] if self.chunk_paragraphs else []),
                CHUNKER_VERSION,
            ]
        )
        return hashlib.sha1(key.encode()).hexdigest()[:10]

    def collection_name(self) -> str:
        return f"{self.collection_prefix}-{self.index_fingerprint()}"
