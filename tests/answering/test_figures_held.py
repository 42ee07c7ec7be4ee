"""An extractive answer never states a figure its cited passages do not give: a lead that would gives way to the
quoted sentences, and quoted sentences that would give a refusal naming the figure."""

from __future__ import annotations

from assistant.answering.answer import ABSTAIN_TEXT, _figures_held
from assistant.grounding.held import unheld_figures
from assistant.schema import Answer, Chunk, Citation, Passage

SENTENCE = "Raytheon Co., Tucson, Arizona, was awarded a $48,262,500 contract for 85 missiles."


def cited(text: str) -> Citation:
    chunk = Chunk("release::0", "release", 0, text, 0, len(text), "Contracts For Jan. 5, 2018", "release.md")
    return Citation(1, Passage(chunk, 1, 0.5), ((0, len(text)),))


def quoted_answer(text: str = f"{SENTENCE} [1]") -> Answer:
    return Answer("q", text, False, "extractive", citations=(cited(SENTENCE),))


def test_a_figure_the_passages_give_or_a_right_sum_of_them_is_held():
    assert unheld_figures(f"**$48,262,500** for 85 missiles [1]", [SENTENCE]) == set()
    assert unheld_figures("$48,262,500 + $1,000,000 = $49,262,500 [1]", [SENTENCE, "a $1,000,000 option"]) == set()
    assert unheld_figures("$48,262,500 + $1,000,000 = $50,262,500 [1]", [SENTENCE, "a $1,000,000 option"]) == {"50262500"}
    assert unheld_figures("**90** missiles [1]", [SENTENCE]) == {"90"}


def test_a_lead_with_a_figure_the_passages_lack_gives_way_to_the_quoted_sentences():
    quoted = quoted_answer()
    led = Answer("q", f"**90 missiles** [1] {SENTENCE} [1]", False, "extractive",
                 citations=quoted.citations, short_answer="90 missiles")
    kept = _figures_held(led, quoted)
    assert kept.held_back == ("90",)  # the one figure the passage lacks, and nothing else
    assert kept.text == quoted.text and kept.citations == quoted.citations
    assert kept.short_answer is None and not kept.abstained


def test_a_right_lead_is_kept_as_it_is():
    quoted = quoted_answer()
    led = Answer("q", f"**$48,262,500** [1] {SENTENCE} [1]", False, "extractive", citations=quoted.citations,
                 short_answer="$48,262,500")
    assert _figures_held(led, quoted) is led


def test_quoted_sentences_with_a_figure_their_citation_lacks_give_a_refusal_that_names_it():
    quoted = quoted_answer(f"{SENTENCE} It is due in 2021. [1]")
    refused = _figures_held(quoted, quoted)
    assert refused.abstained and refused.text == ABSTAIN_TEXT and refused.citations == ()
    assert "2021" in refused.notice


def test_what_was_held_back_is_kept_for_the_evaluation_to_count():
    quoted = quoted_answer()
    led = Answer("q", f"**90 missiles** [1] {SENTENCE} [1]", False, "extractive", citations=quoted.citations, short_answer="90 missiles")
    assert _figures_held(led, quoted).held_back == ("90",)
    assert _figures_held(quoted, quoted).held_back == ()
