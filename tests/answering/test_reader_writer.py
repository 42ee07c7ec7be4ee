"""Reader and writer together: the checker's gaps closed, the excerpts the model reads, and flagged sentences
replaced by the reader's own sentence (with the packaged MiniLM; the model path with the bundled SmolLM2)."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.reading.extractive import ExtractiveAnswerer
from assistant.grounding.checker import GroundingChecker
from assistant.answering.reader_writer import _quoted, excerpts_for, ground_with_reader
from assistant.schema import Chunk, Passage
from conftest import write_article

CARRIERS = (
    "The USS Carl Vinson and the USS Theodore Roosevelt sailed together in the Philippine Sea on June 3, 2025. "
    "Rear Adm. Michael Wosje commands the Carl Vinson strike group. The two carriers launched 120 sorties in two days."
)
TANKS = (
    "Workers poured concrete on Monday at the depot, a spokesperson said. Crews also repaved the access road. "
    "Garco Construction will build two aboveground fuel tanks at Defense Fuel Supply Point Manchester under a "
    "$54.2 million contract. The tanks will hold 5 million gallons each. Work is expected to finish in 2027. "
    "The depot supplies ships in Puget Sound. It opened in 1942."
)


def passage(rank: int, text: str, title: str, published: date = date(2025, 6, 4)) -> Passage:
    chunk = Chunk(f"c{rank}", f"a{rank}", 0, text, 0, len(text), title, f"a{rank}.md", published)
    return Passage(chunk, rank, 1.0)


@pytest.fixture(scope="module")
def checker(embeddings) -> GroundingChecker:
    return GroundingChecker(embeddings)


def test_markers_without_words_are_not_supported(checker):
    passages = [passage(1, CARRIERS, "Carriers sail together"), passage(2, TANKS, "Fuel tanks contract")]
    for text in ("[1] [2][1]", "[1].", " [2] "):
        checks = checker.check_answer(text, passages)
        assert checks and not any(c.supported for c in checks), text
        assert "citation markers without any words" in checks[0].reasons


def test_a_name_put_together_from_two_names_is_flagged(checker):
    passages = [passage(1, CARRIERS, "Carriers sail together")]
    mixed, right = checker.check_answer(
        "The USS Carl Roosevelt sailed in the Philippine Sea on June 3, 2025 [1]. "
        "The USS Theodore Roosevelt sailed in the Philippine Sea on June 3, 2025 [1].",
        passages,
    )
    assert not mixed.supported and any("carl roosevelt" in r for r in mixed.reasons)
    assert right.supported, right.reasons


def test_a_swapped_commander_name_is_flagged(checker):
    passages = [passage(1, CARRIERS, "Carriers sail together")]
    (check,) = checker.check_answer("Rear Adm. Theodore Wosje commands the Carl Vinson strike group [1].", passages)
    assert not check.supported


def test_the_model_reads_the_selected_sentence_with_its_neighbours_and_headline(embeddings):
    passages = [passage(1, TANKS, "NAVFAC awards $54.2 million fuel tank contract"), passage(2, CARRIERS, "Carriers sail together")]
    reader = ExtractiveAnswerer(embeddings)
    extraction = reader.extract("Which contractor will build the fuel tanks at Defense Fuel Supply Point Manchester?", passages)
    assert not extraction.abstained
    (excerpt,) = excerpts_for(extraction.sentences[:1])
    assert excerpt.passage.rank == 1
    assert "Garco Construction" in excerpt.text
    assert "Crews also repaved" in excerpt.text and "5 million gallons" in excerpt.text  # one neighbour each side
    assert "It opened in 1942" not in excerpt.text and len(excerpt.text) < len(TANKS)


def test_a_flagged_sentence_is_replaced_by_the_readers_quoted_sentence(checker, embeddings):
    passages = [passage(1, TANKS, "NAVFAC awards $54.2 million fuel tank contract")]
    reader = ExtractiveAnswerer(embeddings)
    extraction = reader.extract("How much is the Manchester fuel tank contract worth?", passages)
    checks = checker.check_answer("The contract is worth $45 million [1].", passages)
    assert not checks[0].supported
    out, quoted, replaced = ground_with_reader(checks, extraction.sentences, strict=True)
    assert replaced == 1 and quoted
    assert out[0].supported and out[0].text.startswith("“") and "$54.2 million" in out[0].text
    assert any("replaced by the article's own sentence" in r and "$45 million" in r for r in out[0].reasons)
    kept, _, n = ground_with_reader(checks, extraction.sentences, strict=False)
    assert n == 0 and not kept[0].supported  # flag mode keeps the model's sentence, marked


KUIPER = (
    "Amazon launched the first 27 production satellites for its Project Kuiper constellation on April 28, 2025, "
    "aboard a United Launch Alliance Atlas V from Cape Canaveral. The company plans a constellation of more than "
    "3,200 satellites in low Earth orbit. Amazon must launch half of them by July 2026 under its FCC licence. "
)


@pytest.mark.llm
def test_reader_decides_and_every_kept_sentence_is_supported(make_assistant, tmp_path, llm_server):
    """With the bundled SmolLM2 (which never declines): the reader refuses what the articles do not cover, and
    in strict mode every sentence left in the answer is one the check supports."""
    folder = tmp_path / "c"
    folder.mkdir()
    write_article(folder, "kuiper.md", "Amazon launches first Kuiper production satellites", KUIPER * 2)
    assistant = make_assistant(
        llm_base_url=llm_server.base_url, llm_model="smollm2-135m-instruct", llm_reader="on", grounding="strict",
        llm_max_tokens=60,
    )
    assistant.ingest([folder], progress=False)
    answer = assistant.answerer.ask("How many production satellites did Amazon launch first for Kuiper?")
    assert answer.mode == "llm" and not answer.abstained
    kept = [s for s in answer.sentences if not any("removed" in r for r in s.reasons)]
    assert kept and all(s.supported for s in kept)  # strict: replaced by the reader's sentence, or removed
    shown = "".join(answer.text.split())
    assert all("".join(s.text.split()) in shown for s in kept)  # the answer is exactly the kept sentences
    assert "27" in answer.text and {c.n for c in answer.citations} <= {p.rank for p in answer.passages}
    assert "first_token" in answer.timings_ms
    refused = assistant.answerer.ask("What is the range of the Golden Dome space-based interceptors?")
    assert refused.abstained and refused.notice and "first_token" not in refused.timings_ms
    # one name of its own among many the article gives: answered, and the reader's caveat is said beside it
    described = ("Amazon sent its first Project Kuiper production satellites up on a United Launch Alliance Atlas V from "
                 "Cape Canaveral in April 2025 under its Skylark plan. How many satellites did Amazon launch?")
    answer = assistant.answerer.ask(described)
    assert answer.mode == "llm" and not answer.abstained, answer.notice
    assert answer.notice.startswith("The indexed articles never mention Skylark: the answer is about"), answer.notice


def test_a_quoted_sentence_that_holds_a_quotation_nests_it_in_single_marks():
    said = "“We are proud,” said Rear Adm. Christopher Sweeney, commander, Carrier Strike Group 11. [1]"
    assert _quoted(said) == "“‘We are proud,’ said Rear Adm. Christopher Sweeney, commander, Carrier Strike Group 11.” [1]"
    plain = 'He called it "a milestone" for the fleet. [2]'
    assert _quoted(plain) == "“He called it ‘a milestone’ for the fleet.” [2]"
    assert _quoted("No marker here") == "No marker here"
