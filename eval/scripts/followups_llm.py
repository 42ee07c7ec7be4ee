"""`make eval-followups-llm MODEL=...`: the follow-up set rewritten by a local model, checked and unchecked.

Scores eval/sets/followups.jsonl three ways against a real llama.cpp server on loopback: the deterministic
resolver alone (what the gate scores), the model's rewrite alone, and llm mode as shipped (the model's rewrite
when it passes the resolver's check, else the resolver's). Writes eval/followups-llm/<model>.json and .md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from assistant.config import Settings  # noqa: E402
from assistant.evaluation.followups import load_turns, score_turns  # noqa: E402
from assistant.answering.llm import LocalLLMServer, RetryPolicy, make_chat_model  # noqa: E402
from assistant.models.local import resolve_local_model, thread_counts  # noqa: E402
from assistant.answering.prompts import load_prompts  # noqa: E402
from assistant.question.rewrite import rewrite_followup  # noqa: E402
from assistant.question.rewrite_llm import rewrite_with_model  # noqa: E402

SET = ROOT / "eval" / "sets" / "followups.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="smollm2", help="catalogue name (smollm2, qwen2.5-0.5b, qwen2.5-1.5b)")
    parser.add_argument("--out", type=Path, default=ROOT / "eval" / "followups-llm")
    parser.add_argument("--replies", type=Path, help="a previous run's JSON: check its recorded model replies again, "
                        "without a server (after a change to the check)")
    args = parser.parse_args()
    settings = Settings(local_model=args.model, llm_local=True)
    turns = load_turns(SET)
    prompts = load_prompts(settings.prompts_dir)
    made: dict[str, Any] = {}
    seconds: list[float] = []
    if args.replies:
        recorded = json.loads(args.replies.read_text(encoding="utf-8"))
        replies = {d["id"]: d["model"] for d in recorded["turns_detail"]}
        for turn in turns:
            made[turn.id] = rewrite_with_model(_Recorded(replies[turn.id]), prompts, RetryPolicy(), turn.question, list(turn.history))
        seconds = [recorded["rewrite_seconds_p50"]]
    else:
        _rewrite_all(settings, turns, prompts, made, seconds)
    by_question = {(t.question, tuple(t.history)): made[t.id] for t in turns}
    runs = {
        "resolver": score_turns(turns, rewrite_followup),
        "model_alone": score_turns(turns, lambda q, h: by_question[(q, tuple(h))].model or q),
        "checked": score_turns(turns, lambda q, h: by_question[(q, tuple(h))].text),
    }
    used = sum(1 for r in made.values() if r.by == "model")
    report = {
        "model": args.model,
        "turns": len(turns),
        "model_rewrite_used": used,
        "rewrite_seconds_p50": round(statistics.median(seconds), 2),
        "replayed": bool(args.replies),
        "metrics": {name: run["metrics"] for name, run in runs.items()},
        "turns_detail": [
            {"id": t.id, "question": t.question, "resolver": made[t.id].resolver, "model": made[t.id].model,
             "used": made[t.id].by, "refused": made[t.id].refused} for t in turns
        ],
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{args.model}.json").write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    (args.out / f"{args.model}.md").write_text(_markdown(report, runs), encoding="utf-8")
    print(_markdown(report, runs).split("\n## ")[0])
    return 0


def _rewrite_all(settings: Settings, turns: list[Any], prompts: Any, made: dict[str, Any], seconds: list[float]) -> None:
    """Each turn rewritten by the model on a real local llama.cpp server, with the time it took."""
    local = resolve_local_model(settings)
    with LocalLLMServer(local.path, n_ctx=2048, alias=local.alias, chat_format=local.chat_format, threads=thread_counts(settings)) as server:
        model = make_chat_model(settings, base_url=server.base_url, model=local.alias)
        retry = RetryPolicy(max_retries=1)
        for turn in turns:
            started = time.perf_counter()
            made[turn.id] = rewrite_with_model(model, prompts, retry, turn.question, list(turn.history))
            seconds.append(time.perf_counter() - started)


class _Recorded:
    """A recorded reply played back in the shape `stream_reply` reads (one chunk with a finish reason)."""

    def __init__(self, text: str):
        self.text = text

    def stream(self, messages: Any) -> Any:
        from langchain_core.messages import AIMessageChunk

        yield AIMessageChunk(content=self.text, response_metadata={"finish_reason": "stop"})


def _markdown(report: dict[str, Any], runs: dict[str, Any]) -> str:
    keys = list(runs["resolver"]["metrics"])
    lines = [f"# Follow-up rewriting by {report['model']}", "",
             f"{report['turns']} turns; the model's rewrite passed the check and was used on {report['model_rewrite_used']}; "
             f"rewrite p50 {report['rewrite_seconds_p50']} s.", "",
             "| measure | resolver (gated) | model alone | llm mode (checked) |", "|---|---|---|---|"]
    lines += [f"| {k} | " + " | ".join(str(runs[r]["metrics"][k]) for r in ("resolver", "model_alone", "checked")) + " |" for k in keys]
    lines += ["", "## Turns where the model's rewrite was refused", ""]
    lines += [f"- `{d['id']}` {d['question']} -> model: {d['model']!r}; {d['refused']}" for d in report["turns_detail"] if d["refused"]]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
