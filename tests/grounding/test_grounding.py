"""The grounding checker on real parts: the packaged MiniLM, the labelled set, the bundled SmolLM2 on loopback."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.grounding.checker import GroundingChecker, apply_checks, split_answer
from assistant.evaluation.grounding import grounding_summary, load_labelled, prepare, score
from assistant.answering.render import answer_dict
from assistant.schema import Chunk, Passage

LABELLED = Path(__file__).resolve().parents[2] / "eval" / "grounding" / "labelled.jsonl"

GOLDEN_DOME = (
    "President Donald Trump said on May 20, 2025 that his Golden Dome missile defence shield would cost about "
    "$175 billion and should be fully operational before the end of his term in January 2029. He announced that "
    "Space Force General Michael Guetlein would run the programme."
)
DARK_EAGLE = (
    "The Army and Navy flight-tested the Long-Range Hypersonic Weapon (LRHW) from Cape Canaveral on December 12, "
    "2024. The Army's first battery belongs to the 5th Battalion, 3rd Field Artillery Regiment. The contract is "
    "worth 9.8 billion dollars over 1,970 days."
)
KUIPER = (
    "Amazon launched the first 27 production satellites for its Project Kuiper constellation on April 28, 2025, "
    "aboard a United Launch Alliance Atlas V from Cape Canaveral."
)


def passage(rank: int, text: str, title: str = "Test article", published: date | None = date(2025, 5, 21)) -> Passage:
    chunk = Chunk(f"c{rank}", f"a{rank}", 0, text, 0, len(text), title, f"a{rank}.md", published)
    return Passage(chunk, rank, 1.0)


@pytest.fixture(scope="module")
def checker(embeddings) -> GroundingChecker:
    return GroundingChecker(embeddings)


@pytest.fixture(scope="module")
def passages() -> list[Passage]:
    return [passage(1, GOLDEN_DOME), passage(2, DARK_EAGLE, published=date(2024, 12, 13)), passage(3, KUIPER)]


def test_changed_figure_and_invented_range_are_flagged_with_the_figure(checker, passages):
    checks = checker.check_answer(
        "Trump said Golden Dome would cost about $175.5 billion [1]. The shield has a range of 2,000 km [1].", passages
    )
    assert [c.supported for c in checks] == [False, False]
    assert "figure $175.5 billion not in [1]" in checks[0].reasons
    assert any("2000" in r or "2,000" in r for r in checks[1].reasons)


def test_figures_and_dates_match_after_normalisation(checker, passages):
    checks = checker.check_answer(
        "The LRHW contract is worth $9.8 billion over 1970 days [2]. "
        "It was flight-tested from Cape Canaveral on Dec. 12 [2]. It was tested on 12 December 2024 [2].",
        passages,
    )
    assert all(c.supported for c in checks), [c.reasons for c in checks]


def test_acronym_and_its_expansion_stand_for_each_other(checker):
    only_acronym = [passage(1, "The Army fired the LRHW from Cape Canaveral on December 12, 2024, the service said.")]
    check = checker.check_answer("The Army fired the Long-Range Hypersonic Weapon from Cape Canaveral [1].", only_acronym)[0]
    assert check.supported, check.reasons
    swapped = checker.check_answer("The Navy fired the Dark Eagle from Vandenberg [1].", only_acronym)[0]
    assert not swapped.supported and any("Vandenberg" in r for r in swapped.reasons)


def test_a_hyphenated_name_stands_for_its_parts_only_when_the_passage_has_every_part(checker, passages):
    joint = checker.check_answer("The Army-Navy team flight-tested the LRHW from Cape Canaveral [2].", passages)[0]
    assert joint.supported, joint.reasons
    swapped = checker.check_answer("The Army-Marine team flight-tested the LRHW from Cape Canaveral [2].", passages)[0]
    assert not swapped.supported and "name Army-Marine not in [2]" in swapped.reasons


def test_wrong_citation_is_corrected_and_recorded(checker, passages):
    check = checker.check_answer("Space Force General Michael Guetlein will run the Golden Dome programme [3].", passages)[0]
    assert check.supported and check.citations == (1,)
    assert check.text.endswith("[1].")
    assert "citation corrected: [3] -> [1]" in check.reasons


def test_uncited_fact_is_unsupported_but_a_plain_remark_is_not(checker, passages):
    fact, remark = checker.check_answer("Amazon launched 27 Kuiper satellites on April 28. The passages do not say more.", passages)
    assert not fact.supported and fact.reasons == ("states a fact without a citation",)
    assert remark.supported


def test_markers_after_the_full_stop_stay_with_their_sentence():
    sentences = split_answer("Amazon launched 27 satellites. [3] Guetlein runs Golden Dome. [1][2]")
    assert [s.cited for s in sentences] == [(3,), (1, 2)]


def test_strict_removes_unsupported_sentences_and_flag_keeps_them(checker, passages):
    text = "Amazon launched 27 production satellites on April 28, 2025 [3]. Amazon launched 31 satellites [3]."
    checks = checker.check_answer(text, passages)
    flagged = apply_checks(checks, strict=False)
    strict = apply_checks(checks, strict=True)
    assert flagged.text == text and flagged.flagged == 1
    assert strict.text.startswith("Amazon launched 27") and "31" not in strict.text and strict.removed == 1
    assert "removed (strict)" in strict.sentences[1].reasons


def test_labelled_test_split_meets_the_targets(checker):
    """Thresholds were tuned on the tune split; the held-out split must meet the issue's targets."""
    rows = load_labelled(LABELLED)
    assert sum(len(r["sentences"]) for r in rows) >= 200
    assert all(s["label"] in ("supported", "unsupported") and s["reason"] for r in rows for s in r["sentences"])
    result = score(prepare([r for r in rows if r["split"] == "test"], checker), checker, "test")
    assert result["recall_numbers_dates"] >= 0.95, result["errors"]
    assert result["recall"] >= 0.85, result["errors"]
    assert result["false_flag_rate"] <= 0.05, result["errors"]


def test_strict_llm_answer_shows_only_supported_sentences(make_assistant, llm_server):
    """The bundled SmolLM2 through the real answer path: what reaches the user has no unsupported figure."""
    assistant = make_assistant(llm_base_url=llm_server.base_url, llm_model="smollm2-135m-instruct", grounding="strict")
    corpus = Path(__file__).resolve().parents[2] / "corpus"
    assistant.ingest([corpus / "md-golden-dome-175-billion-guetlein-2025-05.md", corpus / "sp-kuiper-first-production-launch-2025-04.md"], progress=False)
    answer = assistant.answerer.ask("How much did Trump say Golden Dome would cost?", mode="llm")
    if answer.abstained and not answer.sentences:
        pytest.skip("the model abstained: nothing to check")
    data = answer_dict(answer)
    assert data["sentences"] and all(s["reasons"] for s in data["sentences"] if not s["supported"])
    assert grounding_summary([answer])["unflagged_sentences_with_absent_figures"] == 0
    removed = [s for s in answer.sentences if "removed (strict)" in s.reasons]
    for s in removed:
        assert s.text not in answer.text or answer.mode == "extractive"
    if answer.mode == "extractive":  # nothing the model wrote survived: the extractive answer stands in
        assert "extractive answer instead" in answer.notice and answer.citations


# --- the corpus's own acronym table -----------------------------------------------------------------

GLOSSARY_ARTICLES = {
    "definitions.md": (
        "Air Force and Army programmes in brief", "2024-03-20", "Test Wire", "", "[weapons]",
        "The Air Force tested the Air-launched Rapid Response Weapon (ARRW) again in March. Norway builds the National "
        "Advanced Surface-to-Air Missile Systems (NASAMS) with Raytheon. The Missile Defense Agency (MDA) runs its own tests.",
    ),
    "arrw-flight.md": (
        "Bomber releases hypersonic prototype", "2024-03-21", "Test Wire", "", "[weapons]",
        "A B-52 bomber released the ARRW over the Pacific on March 12, 2024, the Air Force said.",
    ),
}
ARRW_ONLY = "A B-52 bomber released the ARRW over the Pacific on March 12, 2024, the Air Force said."
NASAMS_SPELLED = "Norway delivered National Advanced Surface-to-Air Missile Systems batteries to Ukraine in 2023, officials said."


def test_corpus_acronyms_vouch_for_either_spelling_even_where_the_passage_defines_neither(make_assistant, tmp_path, checker):
    """ARRW and NASAMS are defined in one article only; a passage of another article that writes just one form vouches
    for a sentence that writes the other. Their initials do not spell the acronym, so only the corpus table can tell."""
    from ui_support import write_articles

    assistant = make_assistant()
    assistant.ingest([write_articles(tmp_path / "articles", GLOSSARY_ARTICLES)], progress=False)
    assert assistant.retriever.keyword.glossary["ARRW"] == "air-launched rapid response weapon"
    live = assistant.answerer.grounding
    spelled = "A B-52 released the Air-launched Rapid Response Weapon over the Pacific on March 12, 2024 [1]."
    abbreviated = "Norway delivered NASAMS batteries to Ukraine in 2023 [1]."
    for claim, text in ((spelled, ARRW_ONLY), (abbreviated, NASAMS_SPELLED)):
        without = checker.check_answer(claim, [passage(1, text)])[0]  # the same checker without the corpus table
        assert not without.supported and any(r.startswith("name ") for r in without.reasons), without.reasons
        check = live.check_answer(claim, [passage(1, text)])[0]
        assert check.supported, check.reasons


def test_corpus_acronyms_do_not_let_a_different_agency_pass(make_assistant, tmp_path):
    from ui_support import write_articles

    assistant = make_assistant()
    assistant.ingest([write_articles(tmp_path / "articles", GLOSSARY_ARTICLES)], progress=False)
    assert "MDA" in assistant.retriever.keyword.glossary
    check = assistant.answerer.grounding.check_answer(
        "The Missile Defense Agency released the ARRW over the Pacific on March 12, 2024 [1].", [passage(1, ARRW_ONLY)]
    )[0]
    assert not check.supported
    assert any("Missile" in r or "Agency" in r for r in check.reasons), check.reasons


def test_absent_figures_follow_the_cards_after_renumbering():
    """After `renumber`, a marker names a card, not a retrieval rank: the count must look the figure up on that card.
    Two true sentences citing ranks 2 and 5 (cards 1 and 2) count nothing; an invented figure still counts."""
    from assistant.answering.cards import renumber
    from assistant.schema import Answer, Citation, SentenceCheck

    cost = passage(2, "Trump said Golden Dome would cost about $175 billion.", title="Golden Dome plan")
    cbo = passage(5, "The CBO said the interceptor layer could cost $161 billion to $542 billion.", title="CBO estimate")
    other = passage(1, "Amazon launched 27 Kuiper satellites.", title="Kuiper")
    sentences = (
        SentenceCheck("Golden Dome would cost about $175 billion. [2]", (2,), True),
        SentenceCheck("The layer could cost $161 billion to $542 billion. [5]", (5,), True),
        SentenceCheck("Its first year costs $31 billion. [5]", (5,), True),
    )
    answer = Answer(
        question="What will Golden Dome cost?",
        text=" ".join(s.text for s in sentences),
        abstained=False,
        mode="llm",
        citations=(Citation(2, cost), Citation(5, cbo)),
        passages=(other, cost, cbo),
        sentences=sentences,
    )
    assert grounding_summary([answer])["unflagged_sentences_with_absent_figures"] == 1
    cards = renumber(answer)
    assert [s.citations for s in cards.sentences] == [(1,), (2,), (2,)]
    assert grounding_summary([cards])["unflagged_sentences_with_absent_figures"] == 1
