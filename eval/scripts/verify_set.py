"""Check a question set against its corpus: every expected fact occurs in the articles the question names,
and no article is named by questions of both halves.

    .venv/bin/python eval/scripts/verify_set.py eval/sets/dodcontracts.jsonl ../shared/data/dodcontracts

Near-miss refusals are not checked here (a missing fact cannot be grepped for); their notes say what the
articles give instead, and the answerer is measured on them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from assistant.evaluation.questions import load_questions
from assistant.evaluation.set_checks import article_texts, missing_facts, shared_articles


def main() -> int:
    questions = load_questions(Path(sys.argv[1]))
    found = missing_facts(questions, article_texts(Path(sys.argv[2])))
    found += [f"article {a} is named in both halves" for a in sorted(shared_articles(questions))]
    for line in found:
        print(line)
    print(f"{len(questions)} questions, {len(found)} problem(s)")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
