"""The command-line contract that scripts and the evaluation rely on, run as real subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write_article

BODY = (
    "The U.S. Army definitized a $9.8 billion multi-year contract with Lockheed Martin for 1,970 PAC-3 MSE "
    "interceptors covering fiscal years 2024 through 2026. A signing ceremony was held on September 3 in Grand "
    "Prairie, Texas. The missiles will go to the Army and to international partners, officials said. "
)


def run_cli(*args: str, index: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "ASSISTANT_INDEX_DIR": str(index), **env}
    environment.pop("OPENAI_API_KEY", None)
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], capture_output=True, text=True, env=environment, timeout=180)


@pytest.fixture(scope="module")
def cli_index(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("cli")
    folder = root / "articles"
    folder.mkdir()
    write_article(folder, "pac3.md", "Army signs $9.8 billion PAC-3 MSE deal", BODY * 3, date="2025-09-04", url="https://example.org/pac3")
    write_article(folder, "other.md", "Navy christens new destroyer", "The Navy christened the destroyer USS Example in Bath, Maine, on May 4. " * 20, date="2025-05-05", source="Fleet News")
    (folder / "junk.md").write_bytes(b"\x00\x01\x02binary")
    index = root / "index"
    result = run_cli("ingest", str(folder), index=index)
    assert result.returncode == 0, result.stderr
    assert "2 articles indexed, 1 failed" in result.stdout
    assert "junk.md: binary file" in result.stderr
    return folder, index


def test_ask_json_contract(cli_index):
    folder, index = cli_index
    result = run_cli("ask", "How many PAC-3 MSE missiles does the contract cover?", "--json", index=index)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)  # exactly one JSON object on stdout
    assert {"question", "answer", "abstained", "mode", "citations", "timings_ms"} <= data.keys()
    assert data["mode"] == "extractive" and data["abstained"] is False
    assert "1,970" in data["answer"] and "[1]" in data["answer"]
    citation = data["citations"][0]
    assert set(citation) >= {"n", "article_id", "title", "source", "url", "published", "path", "chunk_id", "text", "start", "end"}
    assert citation["article_id"] == "pac3" and citation["url"] == "https://example.org/pac3"
    assert citation["path"] == str((folder / "pac3.md").resolve())
    assert citation["published"] == "2025-09-04"
    assert "1,970" in citation["text"]
    assert {"retrieval", "total"} <= data["timings_ms"].keys()


def test_ask_filters_and_plain_output(cli_index):
    _, index = cli_index
    plain = run_cli("ask", "When was the PAC-3 MSE contract signing ceremony?", index=index)
    assert plain.returncode == 0 and "September 3" in plain.stdout and "Sources:" in plain.stdout
    filtered = run_cli("ask", "How many PAC-3 MSE missiles does the contract cover?", "--json", "--source", "Fleet News", index=index)
    assert json.loads(filtered.stdout)["abstained"] is True
    early = run_cli("ask", "How many PAC-3 MSE missiles does the contract cover?", "--json", "--until", "2025-06-01", index=index)
    assert json.loads(early.stdout)["abstained"] is True


def test_reingest_unchanged_embeds_nothing_and_stats(cli_index):
    folder, index = cli_index
    again = run_cli("ingest", str(folder), index=index)
    assert "0 chunks embedded" in again.stdout
    stats = json.loads(run_cli("stats", index=index).stdout)
    assert stats["articles"] == 2 and stats["sources"] == {"Fleet News": 1, "Test Wire": 1}


def test_errors_go_to_stderr_with_nonzero_exit(cli_index, tmp_path):
    _, index = cli_index
    bad_date = run_cli("ask", "anything", "--since", "yesterday", index=index)
    assert bad_date.returncode != 0 and "YYYY-MM-DD" in bad_date.stderr
    bad_setting = run_cli("stats", index=index, ASSISTANT_TOP_K="zero")
    assert bad_setting.returncode == 1 and "top_k" in bad_setting.stderr and not bad_setting.stdout
    empty = run_cli("ask", "   ", index=index)
    assert empty.returncode == 1 and "empty" in empty.stderr


def test_eval_gate_fails_below_a_threshold_and_skips_an_absent_optional_set():
    from assistant.evaluation.report import check_gate

    runs = [{"set": "bundled", "metrics": {"answer_accuracy": 0.5, "unsupported_numbers": 1}}]
    gate = {"bundled": {"answer_accuracy": {"min": 0.6}, "unsupported_numbers": {"max": 0}}, "dvids": {"recall@5": {"min": 0.9}}}
    failures = check_gate(runs, gate, absent=frozenset({"dvids"}))
    assert len(failures) == 2 and all(f.startswith("bundled:") for f in failures)
    assert check_gate(runs, gate)[-1] == "set 'dvids' was not evaluated"
    passing = [{"set": "bundled", "metrics": {"answer_accuracy": 0.7, "unsupported_numbers": 0}}]
    assert check_gate(passing, gate, absent=frozenset({"dvids"})) == []
