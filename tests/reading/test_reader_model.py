"""The learned sentence scorer: its committed weights were fitted on dev halves only, for the features the code
computes now; a weights file for other features is not used; and through the real stack the scorer ranks the
sentence that gives the asked value above a neighbouring award's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.app import build_assistant
from assistant.config import Settings
from assistant.reading.reader_model import FEATURES, WEIGHTS, load_model

CONTRACTS = Path(__file__).resolve().parents[3] / "shared" / "data" / "dodcontracts"


def test_the_committed_weights_come_from_dev_halves_and_fit_the_features():
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    assert data["trained_on"] and all(name.endswith("-dev") for name in data["trained_on"])
    assert tuple(data["features"]) == FEATURES
    model = load_model()
    assert model is not None
    assert 0.0 < model.probability([0.0] * len(FEATURES)) < 1.0


def test_weights_written_for_other_features_are_not_used(tmp_path):
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    data["features"] = list(FEATURES[:-1])
    stale = tmp_path / "weights.json"
    stale.write_text(json.dumps(data), encoding="utf-8")
    assert load_model(stale) is None
    assert load_model(tmp_path / "absent.json") is None


@pytest.mark.parametrize("learned", [True, False])
def test_the_value_asked_comes_from_its_own_award(tmp_path, embeddings, learned):
    if not CONTRACTS.is_dir():
        pytest.skip(f"real-article folder {CONTRACTS} is absent (it ships only with the shared workspace)")
    folder = tmp_path / "releases"
    folder.mkdir()
    # one release of 40-odd awards: the Army's UH-72A buy sits among its neighbours
    for name in ("151-contracts-for-march-22-2018.txt", "manifest.csv"):
        (folder / name).write_bytes((CONTRACTS / name).read_bytes())
    with build_assistant(Settings(index_dir=tmp_path / "idx", learned_reader=learned), embeddings=embeddings) as assistant:
        assistant.ingest([folder], progress=False)
        answer = assistant.answerer.ask("How many UH-72A helicopters did Airbus Helicopters' March 2018 modification buy?", mode="extractive")
    assert not answer.abstained, answer.notice
    assert "16 UH-72A" in answer.text.split(" [")[0] or answer.short_answer == "16 UH-72A", answer.text
