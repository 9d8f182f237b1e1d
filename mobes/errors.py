"""Errors that reach the user as one clear message and an exit code, never a traceback."""

from __future__ import annotations


class MobesError(Exception):
    """A problem the user can fix. ``code`` is the exit status (2 = bad usage or input)."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


class UsageError(MobesError):
    def __init__(self, message: str) -> None:
        super().__init__(message, code=2)


def did_you_mean(word: str, choices) -> str:
    """' (did you mean X?)' for the closest choice, or ''."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""
