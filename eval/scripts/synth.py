"""Synthetic defence-news articles for scale benchmarks: deterministic given a seed, written as .md files.

    python eval/scripts/synth.py OUT_DIR --chunks 10000 [--seed 7]

Each article is regenerated exactly from its id (seed and number), so the index builder can recover which
template and which names every sentence was made from (eval/scripts/scale_index.py composes vectors from them).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import synth_vocab as V  # noqa: E402

# Slots whose values are names (embedded once each); the rest are figures and dates.
ENTITY_SLOTS = ("prog", "con", "con2", "svc", "nation", "off", "place")
_NEUTRAL = {"prog": "the system", "acr": "the system", "con": "the company", "con2": "a supplier",
            "svc": "the military", "nation": "the country", "off": "an official", "place": "the site"}
_SLOT = re.compile(r"\{(\w+)\}")


@dataclass
class Sentence:
    text: str
    template: str
    entities: tuple[str, ...]


@dataclass
class SynthArticle:
    id: str
    title: Sentence
    published: date
    source: str
    tags: list[str]
    paragraphs: list[list[Sentence]] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)  # the opening slot values (for benchmark questions)

    @property
    def body(self) -> str:
        return "\n\n".join(" ".join(s.text for s in para) for para in self.paragraphs)

    def sentences(self) -> list[Sentence]:
        return [s for para in self.paragraphs for s in para]

    def markdown(self) -> str:
        title = self.title.text.replace('"', "'")
        return (
            f"---\nid: {self.id}\ntitle: \"{title}\"\ndate: {self.published.isoformat()}\nsource: {self.source}\n"
            f"url: https://example.invalid/{self.id}\ntags: [{', '.join(self.tags)}]\n---\n{self.body}\n"
        )


def skeleton(template: str) -> str:
    """The template with neutral words in its name slots and its figures dropped: what the phrasing means."""
    text = _SLOT.sub(lambda m: _NEUTRAL.get(m.group(1), ""), template)
    return " ".join(text.split())


def _money(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return f"${rng.choice([1, 1.2, 1.5, 2, 2.4, 3.1, 4.5, 6, 7.8, 9.8, 12, 15, 24])} billion"
    return f"${rng.randrange(40, 990, 10)} million"


def _acronym(name: str) -> str:
    return "".join(w[0] for part in name.split() for w in part.split("-") if w[0].isupper())


def _slots(rng: random.Random, year: int) -> dict[str, str]:
    prog = f"{rng.choice(V.PROGRAMME_FIRST)} {rng.choice(V.PROGRAMME_MIDDLE)} {rng.choice(V.PROGRAMME_LAST)}"
    con, con2 = rng.sample(V.CONTRACTORS, 2)
    svc, nation = rng.choice(V.CUSTOMERS)
    return {
        "prog": prog, "acr": _acronym(prog), "con": con, "con2": con2, "svc": svc, "nation": nation,
        "off": rng.choice(V.OFFICIALS), "place": rng.choice(V.PLACES), "amt": _money(rng), "amt2": _money(rng),
        "qty": f"{rng.randrange(4, 2400):,}", "qty2": str(rng.randrange(2, 400)), "num": str(rng.randrange(2, 36)),
        "pct": str(rng.randrange(3, 60)), "range": str(rng.randrange(40, 1800, 10)),
        "ordinal": rng.choice(["first", "second", "third", "fourth", "fifth"]),
        "month": rng.choice(V.MONTHS), "day": str(rng.randrange(1, 29)), "year": str(year),
        "year2": str(year + rng.randrange(1, 5)), "year0": str(year - rng.randrange(2, 8)),
        "decade": str(rng.choice([1970, 1980, 1990])),
    }


def _fill(template: str, slots: dict[str, str]) -> Sentence:
    text = template.format(**slots)
    text = text[0].upper() + text[1:]
    names = tuple(dict.fromkeys(slots[n] for n in _SLOT.findall(template) if n in ENTITY_SLOTS))
    return Sentence(text, template, names)


def make_article(seed: int, number: int) -> SynthArticle:
    """Article `number` of the corpus made with `seed` (the same every time)."""
    rng = random.Random(seed * 1_000_003 + number)
    published = date(2023, 1, 1) + timedelta(days=rng.randrange(0, 4 * 365))
    slots = _slots(rng, published.year)
    article = SynthArticle(
        id=f"syn{seed}-{number:07d}",
        title=_fill(rng.choice(V.TITLES), slots),
        published=published,
        source=rng.choice(V.OUTLETS),
        tags=sorted(rng.sample(V.TAGS, rng.randrange(1, 4))),
        facts=dict(slots),
    )
    target = rng.randrange(250, 901)
    words = 0
    body = V.BODY[:]
    rng.shuffle(body)
    para = [_fill(rng.choice(V.OPENERS), slots)]
    words += len(para[0].text.split())
    while words < target:
        if not body:  # long articles reuse the phrasing with fresh figures, as follow-up paragraphs do
            body = V.BODY[:]
            rng.shuffle(body)
            slots = {**slots, **{k: v for k, v in _slots(rng, published.year).items() if k not in ("prog", "acr", "con", "svc", "nation")}}
        sentence = _fill(body.pop(), slots)
        para.append(sentence)
        words += len(sentence.text.split())
        if len(para) >= rng.randrange(3, 6):
            article.paragraphs.append(para)
            para = []
    para.append(_fill(rng.choice(V.CLOSERS), slots))
    article.paragraphs.append(para)
    return article


def article_path(out: Path, article_id: str) -> Path:
    number = int(article_id.rsplit("-", 1)[1])
    return out / f"{number // 1000:04d}" / f"{article_id}.md"


def generate(out: Path, chunks: int, seed: int = 7) -> Iterator[tuple[SynthArticle, int]]:
    """Write articles until their chunks (by the product's chunker) reach `chunks`; yields (article, chunk count)."""
    from assistant.ingest.chunking import chunk_article
    from assistant.schema import Article

    total = number = 0
    while total < chunks:
        article = make_article(seed, number)
        path = article_path(out, article.id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article.markdown(), encoding="utf-8")
        count = len(chunk_article(Article(article.id, article.title.text, article.body, str(path))))
        total += count
        number += 1
        yield article, count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--chunks", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    articles = chunks = 0
    for _, count in generate(args.out, args.chunks, args.seed):
        articles += 1
        chunks += count
    print(f"{articles} articles, about {chunks} chunks, in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
