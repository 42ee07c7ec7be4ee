"""Prompt files from `prompts/`: loaded once, checked for the variables the code fills in, versioned."""

from __future__ import annotations

import hashlib
import string
from dataclasses import dataclass
from pathlib import Path

from ..errors import PromptError

# name -> the variables the code passes; a file must use exactly these.
EXPECTED = {
    "answer_system": {"abstain_text", "max_sentences"},
    "answer_user": {"passages", "question"},
    "conflicts_note": {"note"},
    "corrections_note": {"lines"},
    "passage": {"n", "title", "source", "published", "text"},
    "reader_system": {"max_sentences"},
    "reader_user": {"excerpts", "question"},
    "rewrite_system": set(),
    "rewrite_user": {"history", "question"},
}


@dataclass(frozen=True)
class Prompt:
    name: str
    template: str

    def render(self, **values: object) -> str:
        return self.template.format(**values)


@dataclass(frozen=True)
class PromptSet:
    prompts: dict[str, Prompt]
    version: str

    def __getitem__(self, name: str) -> Prompt:
        return self.prompts[name]


def default_prompts_dir() -> Path:
    package = Path(__file__).resolve().parents[1]  # assistant/: a wheel carries prompts/ inside it, a checkout beside it
    for candidate in (package / "prompts", package.parent / "prompts"):
        if candidate.is_dir():
            return candidate
    raise PromptError(f"no prompts folder next to {package}")


def load_prompts(folder: Path | None = None) -> PromptSet:
    folder = folder or default_prompts_dir()
    prompts: dict[str, Prompt] = {}
    digest = hashlib.sha1()
    for name, expected in sorted(EXPECTED.items()):
        path = folder / f"{name}.md"
        try:
            template = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise PromptError(f"prompt file {path} cannot be read: {exc}") from exc
        found = {field for _, field, _, _ in string.Formatter().parse(template) if field}
        if found != expected:
            raise PromptError(f"prompt file {path} uses variables {sorted(found)}, expected {sorted(expected)}")
        prompts[name] = Prompt(name, template)
        digest.update(template.encode())
    return PromptSet(prompts, digest.hexdigest()[:10])
