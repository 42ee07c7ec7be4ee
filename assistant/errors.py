"""Domain errors, each carrying a message a user can act on."""

from __future__ import annotations


class AssistantError(Exception):
    """Base class: the message is meant for people, not for a traceback."""


class ConfigError(AssistantError):
    """A setting is missing or invalid."""


class ArticleError(AssistantError):
    """One article file (or record) could not be read; names the file and the reason."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class StoreError(AssistantError):
    """The vector store could not be opened or queried."""


class LLMError(AssistantError):
    """The language-model endpoint failed or answered something unusable.

    `partial` holds the text that had already streamed when the reply broke off (empty if none did).
    """

    def __init__(self, message: str, partial: str = ""):
        super().__init__(message)
        self.partial = partial


class PromptError(AssistantError):
    """A prompt file is missing or does not declare the variables the code fills in."""
