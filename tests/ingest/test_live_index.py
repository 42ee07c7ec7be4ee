"""A serving process answers from what another process (a command-line ingest) indexed after it started."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.app import build_assistant
from assistant.config import Settings
from conftest import write_article
from ui_support import CHROMIUM, CHROMIUM_ARGS, ROOT, ServerProcess, server_env, write_articles

QUESTION = "How many Zephyrion loitering drones did Borduria order?"
BODY = ("Borduria ordered 417 Zephyrion loitering drones from Syldavia Aero on October 1, 2025, the defence ministry said. "
        "The drones will equip two new reconnaissance battalions, with deliveries starting in 2026. ") * 4
RECHECK_S = 2.0  # longer than the serving process's 1 s check for another writer, well inside the 10 s promised


def cli_ingest(index: Path, folder: Path) -> subprocess.CompletedProcess:
    env = server_env(index_dir=index)
    env.pop("OPENAI_API_KEY", None)
    result = subprocess.run([sys.executable, "-m", "assistant.cli", "ingest", str(folder), "--quiet"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr
    return result


def test_a_running_assistant_answers_from_an_ingest_by_another_process(tmp_path, embeddings):
    index = tmp_path / "index"
    with build_assistant(Settings(index_dir=index), embeddings=embeddings) as assistant:
        assistant.ingest([write_articles(tmp_path / "articles")], progress=False)
        assert assistant.answerer.ask(QUESTION, mode="extractive").abstained  # and its keyword arrays are now built
        (tmp_path / "new").mkdir()
        write_article(tmp_path / "new", "zephyrion.md", "Borduria orders Zephyrion drones", BODY, date="2025-10-02")
        cli_ingest(index, tmp_path / "new")
        time.sleep(RECHECK_S)
        answer = assistant.answerer.ask(QUESTION, mode="extractive")
        assert not answer.abstained and "417" in answer.text, answer.text
        assert answer.citations[0].passage.chunk.article_id == "zephyrion"
        assert assistant.retriever.keyword.search("Zephyrion", 3)  # the keyword index read the new records too


def test_a_removal_by_another_process_is_seen(tmp_path, embeddings):
    index = tmp_path / "index"
    extra = tmp_path / "extra"
    extra.mkdir()
    write_article(extra, "zephyrion.md", "Borduria orders Zephyrion drones", BODY, date="2025-10-02")
    with build_assistant(Settings(index_dir=index), embeddings=embeddings) as assistant:
        assistant.ingest([write_articles(tmp_path / "articles"), extra], progress=False)
        assert "417" in assistant.answerer.ask(QUESTION, mode="extractive").text
        (extra / "zephyrion.md").unlink()
        env = server_env(index_dir=index)
        result = subprocess.run([sys.executable, "-m", "assistant.cli", "ingest", str(tmp_path / "articles"), str(extra), "--prune", "--quiet"],
                                cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
        assert result.returncode == 0, result.stderr
        time.sleep(RECHECK_S)
        answer = assistant.answerer.ask(QUESTION, mode="extractive")
        assert all(c.passage.chunk.article_id != "zephyrion" for c in answer.citations)
        assert "417" not in answer.text


@pytest.mark.browser
@pytest.mark.slow
def test_the_served_ui_answers_from_a_command_line_ingest(tmp_path, embeddings):
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (make browser)")
    index = tmp_path / "index"
    with build_assistant(Settings(index_dir=index), embeddings=embeddings) as assistant:
        assistant.ingest([write_articles(tmp_path / "articles")], progress=False)
    server = ServerProcess(tmp_path / "server.log", index_dir=index, upload_dir=tmp_path / "uploads").wait()
    done = "#chat .answer.answered, #chat .answer.abstained, #chat .answer.error"
    try:
        with playwright_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(server.url, wait_until="load")
            box = page.locator("#question").locator("textarea, input").first

            def ask(question: str) -> object:
                count = page.locator(done).count()
                box.fill(question)
                box.press("Enter")
                page.wait_for_function(f"document.querySelectorAll({done!r}).length > {count}", timeout=60_000)
                return page.locator("#chat .answer").nth(count)

            assert "abstained" in (ask(QUESTION).get_attribute("class") or "")
            (tmp_path / "new").mkdir()
            write_article(tmp_path / "new", "zephyrion.md", "Borduria orders Zephyrion drones", BODY, date="2025-10-02")
            cli_ingest(index, tmp_path / "new")
            time.sleep(RECHECK_S)
            answer = ask(QUESTION)
            assert "answered" in (answer.get_attribute("class") or ""), answer.inner_html()[:500]
            assert "417" in answer.inner_text()
            browser.close()
    finally:
        server.close()
    log = (tmp_path / "server.log").read_text()
    assert "changed by another process" in log
    # one line per request with sizes and timings, none of the question's words; no hint to share the app publicly
    assert f"request: question {len(QUESTION)} chars, mode extractive, answered" in log and "Zephyrion" not in log
    assert "share=True" not in log


def test_two_assistants_on_one_folder_in_one_process_keep_working(tmp_path, embeddings):
    # they share chromadb's in-memory system: the reader sees the writer's chunks, and neither loses its client
    index = tmp_path / "index"
    articles = write_articles(tmp_path / "articles")
    (tmp_path / "new").mkdir()
    write_article(tmp_path / "new", "zephyrion.md", "Borduria orders Zephyrion drones", BODY, date="2025-10-02")
    with build_assistant(Settings(index_dir=index), embeddings=embeddings) as reader:
        reader.ingest([articles], progress=False)
        assert reader.answerer.ask(QUESTION, mode="extractive").abstained
        with build_assistant(Settings(index_dir=index), embeddings=embeddings) as writer:
            writer.ingest([tmp_path / "new"], progress=False)
            time.sleep(RECHECK_S)
            assert "417" in reader.answerer.ask(QUESTION, mode="extractive").text
            assert "417" in writer.answerer.ask(QUESTION, mode="extractive").text
