"""eval/scripts/label_check.py: the check's false-flag and miss rates from hand labels; a bad label line never stops the rest."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("label_check", ROOT / "eval" / "scripts" / "label_check.py")
label_check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(label_check)


def _row(label: str, check: str, sentence: str) -> dict:
    return {"set": "s", "id": "q1", "sentence": sentence, "cited": [{"rank": 1, "article_id": "a"}],
            "check": check, "label": label}


def test_rates_count_false_flags_among_supported_and_misses_among_unsupported(tmp_path, capsys):
    rows = [_row("supported", "supported", "a"), _row("supported", "flagged", "b"), _row("supported", "supported", "c"),
            _row("unsupported", "flagged", "d"), _row("unsupported", "supported", "e")]
    path = tmp_path / "labels.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows[:2]) + "\n{not json\n"
                    + json.dumps({**rows[2], "label": "maybe"}) + "\n" + "\n".join(json.dumps(r) for r in rows[2:]) + "\n")
    labels = label_check.read_labels(path)
    err = capsys.readouterr().err
    assert f"{path}:3: skipped" in err and f"{path}:4: skipped" in err
    r = label_check.rates(labels)
    assert (r["labelled"], r["supported"], r["unsupported"], r["flagged"]) == (5, 3, 2, 2)
    assert (r["false_flags"], r["false_flag_rate"]) == (1, round(1 / 3, 3))
    assert (r["misses"], r["miss_rate"]) == (1, 0.5)
    text = label_check.report("m", labels)
    assert "| b | flagged | supported |" in text and "| e | supported | unsupported |" in text and "| a |" not in text


def test_pending_lists_the_model_sentences_before_replacement_with_their_passages():
    results = {"runs": [{"set": "dvids test", "llm": {"results": [{
        "id": "q1", "question": "Who?",
        "model_sentences": [{"text": "Acme won it [2].", "citations": [2], "supported": False, "reasons": ["x"]},
                            {"text": "", "citations": [], "supported": False, "reasons": []}],
        "cited_passages": {"2": {"article_id": "a-2", "title": "T", "text": "Acme Corp. won the award."}},
    }]}}]}
    items = list(label_check.model_sentences(results))
    assert len(items) == 1
    assert items[0]["check"] == "flagged" and items[0]["cited"] == [{"rank": 2, "article_id": "a-2"}]
    assert items[0]["passages"] == {"2": "Acme Corp. won the award."}
