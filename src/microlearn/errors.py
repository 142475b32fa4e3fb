"""The one error type an author or translator can cause, always with a location."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path


def shown_path(path: Path | str, base: Path | None = None) -> str:
    """``path`` relative to ``base`` (the current folder) when it lies inside it, else as given."""
    try:
        return Path(path).resolve().relative_to((base or Path.cwd()).resolve()).as_posix() or "."
    except (ValueError, OSError):
        return str(path)


class MicrolearnError(Exception):
    """A problem in the project's input, reported as ``path:line:col: message``.

    Everything a user can get wrong (a lesson, the config, a catalog, a command-line
    argument) is raised as this type; the CLI prints it and exits 1. Anything else
    escaping is a bug in microlearn.
    """

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None,
                 col: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.note = ""  # what the CLI adds after the errors of a stopped build
        self.path = Path(path) if path is not None else None
        self.line = line
        self.col = col
        self.also: list[MicrolearnError] = []  # further mistakes found in the same file

    def location(self) -> str:
        if self.path is None:
            return ""
        parts = [str(self.path)]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    def __str__(self) -> str:
        loc = self.location()
        return f"{loc}: {self.message}" if loc else self.message

    def diagnostics(self, code: str = "") -> list[Diagnostic]:
        """This mistake and the further ones found with it, as diagnostics."""
        return [Diagnostic.from_error(e, code) for e in [self, *self.also]]


@dataclass(frozen=True)
class Diagnostic:
    """A finding of the checker: an error or a warning, at a place."""

    level: str  # "error" or "warning"
    message: str
    path: str | None = None
    line: int | None = None
    col: int | None = None
    code: str = ""

    def __str__(self) -> str:
        loc = ""
        if self.path:
            loc = f"{self.path}:{self.line or 1}:{self.col or 1}: "
        return f"{loc}{self.level}: {self.message}"

    def relative_to(self, base: Path | None = None) -> Diagnostic:
        """The same finding with its path relative to ``base`` (the current folder) when inside it."""
        return replace(self, path=shown_path(self.path, base)) if self.path else self

    @classmethod
    def from_error(cls, err: MicrolearnError, code: str = "") -> Diagnostic:
        return cls("error", err.message, str(err.path) if err.path else None, err.line, err.col, code)


class BuildFailed(MicrolearnError):
    """The checker found errors; carries them all so the CLI can print each."""

    def __init__(self, errors: list[Diagnostic]) -> None:
        first = errors[0]
        super().__init__(first.message, first.path, first.line, first.col)
        self.errors = errors
        self.also = [MicrolearnError(d.message, d.path, d.line, d.col) for d in errors[1:]]

    def diagnostics(self, code: str = "") -> list[Diagnostic]:
        return self.errors
