"""First-token latency of the local model with and without its KV cache of the prompt's fixed prefix, side by side.

The reader-first prompt (reader_writer.excerpt_messages) starts with the same system prompt for every question, so
llama.cpp keeps the prefix it already read and reads only the rest (llama-cpp-python compares each prompt with the
tokens in its context and drops only the part after the longest common prefix). Measured on real prompts: the
questions of one set, retrieved and selected by the reader exactly as in llm mode, sent straight to the server:

- warm: the question's prompt right after the previous question's prompt (the usual order of a session);
- cold: the same prompt right after an unrelated one-word request, so nothing of the prefix is kept.

Each question is measured both ways in alternation, so load on the machine falls on both alike. Writes
eval/baseline-llm/<model>/prefix-cache.{md,json}.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval" / "scripts"))

from llm_eval import TokenCounter  # noqa: E402

from assistant.app import build_assistant  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.evaluation.questions import load_registry  # noqa: E402
from assistant.answering.llm import LocalLLMServer  # noqa: E402
from assistant.models.local import resolve_local_model, thread_counts  # noqa: E402
from assistant.answering.reader_writer import excerpt_messages, excerpts_for  # noqa: E402

FLUSH = [{"role": "system", "content": "Reply OK."}, {"role": "user", "content": "Ready?"}]


def prompts_for(settings: Settings, set_name: str, count: int) -> list[tuple[str, list[dict[str, str]]]]:
    """(question id, chat messages) for the first `count` questions the reader answers, as llm mode builds them."""
    qset = next(s for s in load_registry(ROOT / "eval" / "sets") if s.name == set_name)
    out = []
    with tempfile.TemporaryDirectory(prefix="assistant-bench-prefix-") as tmp:
        run = settings.model_copy(update={"index_dir": Path(tmp) / "index", "chroma_url": None, "llm_local": False})
        with build_assistant(run) as assistant:
            assistant.ingest([qset.corpus], progress=False)
            for q in qset.questions:
                if len(out) == count:
                    break
                answer = assistant.answerer.ask(q.question, history=list(q.history), mode="extractive")
                passages = list(answer.passages)
                if answer.abstained or not passages:
                    continue
                standalone = answer.standalone_question or q.question
                extraction = assistant.answerer.extractive.extract(standalone, passages)
                if extraction.abstained:
                    continue
                messages = excerpt_messages(assistant.answerer, standalone, excerpts_for(extraction.sentences))
                roles = {"system": "system", "human": "user"}
                out.append((q.id, [{"role": roles[m.type], "content": m.content} for m in messages]))
    return out


def first_token_ms(client: Any, model: str, messages: list[dict[str, str]]) -> float:
    started = time.perf_counter()
    stream = client.chat.completions.create(model=model, messages=messages, max_tokens=4, temperature=0, stream=True)
    first = None
    for chunk in stream:
        if first is None and chunk.choices and chunk.choices[0].delta.content:
            first = (time.perf_counter() - started) * 1000
    return first if first is not None else (time.perf_counter() - started) * 1000


def common_prefix(a: list[int], b: list[int]) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="qwen2.5-1.5b", choices=["qwen2.5-0.5b", "qwen2.5-1.5b"])
    parser.add_argument("--set", default="dvids")
    parser.add_argument("--questions", type=int, default=8)
    parser.add_argument("--threads", type=int, help="generation and prompt threads (default: as Settings gives them)")
    args = parser.parse_args()
    from openai import OpenAI

    settings = Settings(llm_local=True, local_model=args.model, mode="llm")
    local = resolve_local_model(settings)
    counter = TokenCounter(local.path)
    prompts = prompts_for(settings, args.set, args.questions + 1)
    tokens = [counter.llama.tokenize(_chatml(m).encode(), add_bos=False, special=True) for _, m in prompts]
    threads = (args.threads, args.threads) if args.threads else thread_counts(settings)
    load_start = os.getloadavg()[0]
    rows = []
    server = LocalLLMServer(local.path, n_ctx=settings.local_n_ctx, alias=local.alias, chat_format=local.chat_format,
                            threads=threads)
    with server:
        client = OpenAI(base_url=server.base_url, api_key="not-needed", timeout=600)
        first_token_ms(client, local.alias, FLUSH)  # loads the weights into memory before anything is timed
        first_token_ms(client, local.alias, prompts[0][1])
        for i in range(1, len(prompts)):
            qid, messages = prompts[i]
            warm = first_token_ms(client, local.alias, messages)  # follows question i-1's prompt (its cold run)
            first_token_ms(client, local.alias, FLUSH)
            cold = first_token_ms(client, local.alias, messages)
            rows.append({"id": qid, "prompt_tokens": len(tokens[i]), "shared_prefix_tokens": common_prefix(tokens[i - 1], tokens[i]),
                         "warm_ms": round(warm, 1), "cold_ms": round(cold, 1), "load": round(os.getloadavg()[0], 2)})
            print(f"  {qid}: warm {warm / 1000:.1f}s cold {cold / 1000:.1f}s ({rows[-1]['shared_prefix_tokens']}/"
                  f"{rows[-1]['prompt_tokens']} tokens shared)", file=sys.stderr, flush=True)
        server.log_file.seek(0)
        hits = server.log_file.read().decode(errors="replace").count("prefix-match hit")
    conditions = (f"{threads[0]} generation / {threads[1]} prompt thread(s); load average {load_start:.1f} at the start, "
                  f"{os.getloadavg()[0]:.1f} at the end, on {os.cpu_count()} cores; llama.cpp logged {hits} prefix-match hits")
    out = ROOT / "eval" / "baseline-llm" / args.model
    out.mkdir(parents=True, exist_ok=True)
    stem = f"prefix-cache-{args.threads}-thread" if args.threads else "prefix-cache"
    (out / f"{stem}.json").write_text(json.dumps({"set": args.set, "conditions": conditions, "rows": rows}, indent=1), encoding="utf-8")
    (out / f"{stem}.md").write_text(report(args.model, args.set, conditions, rows), encoding="utf-8")
    print(report(args.model, args.set, conditions, rows))
    return 0


def _chatml(messages: list[dict[str, str]]) -> str:
    return "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages) + "<|im_start|>assistant\n"


def report(model: str, set_name: str, conditions: str, rows: list[dict[str, Any]]) -> str:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    p50 = lambda key: statistics.median(r[key] for r in rows) if rows else 0.0  # noqa: E731
    lines = [f"# `{model}`: first token with and without the prompt prefix's KV cache", "",
             f"Generated {when} by `python eval/scripts/bench_prefix_cache.py --model {model} --set {set_name}` on {len(rows)} "
             "real llm-mode prompts. Warm: the prompt follows the previous question's prompt (same system prompt, so "
             "llama.cpp reads only what differs). Cold: the same prompt after an unrelated request.", "",
             f"Conditions: {conditions}.", "",
             "| | warm (prefix kept) | cold (prefix re-read) |", "|---|---|---|",
             f"| first token p50 (ms) | {p50('warm_ms'):.0f} | {p50('cold_ms'):.0f} |",
             f"| prompt tokens p50 | {p50('prompt_tokens'):.0f} | {p50('prompt_tokens'):.0f} |",
             f"| tokens read p50 | {p50('prompt_tokens') - p50('shared_prefix_tokens'):.0f} | {p50('prompt_tokens'):.0f} |", "",
             "| id | prompt tokens | shared with previous prompt | warm ms | cold ms | load |", "|---|---|---|---|---|---|"]
    lines += [f"| {r['id']} | {r['prompt_tokens']} | {r['shared_prefix_tokens']} | {r['warm_ms']:.0f} | {r['cold_ms']:.0f} | {r['load']} |" for r in rows]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
