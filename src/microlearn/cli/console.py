"""What the commands print: messages at -q/-v levels, diagnostics as ``path:line:col: level: message``."""

from __future__ import annotations

import os
import sys

from microlearn.errors import Diagnostic


class Console:
    """Output with -q/-v levels; progress only on a terminal and never in CI logs."""

    def __init__(self, verbosity: int = 0) -> None:
        self.verbosity = verbosity
        self.tty = sys.stderr.isatty() and os.environ.get("CI", "").lower() in ("", "0", "false", "no")

    def info(self, message: str) -> None:
        if self.verbosity >= 0:
            print(message)

    def detail(self, message: str) -> None:
        if self.verbosity > 0:
            print(message)

    def warn(self, message: str) -> None:
        if self.verbosity >= 0:
            print(message, file=sys.stderr)

    def error(self, message: str) -> None:
        print(message, file=sys.stderr)

    def diagnostic(self, diagnostic: Diagnostic) -> None:
        """``path:line:col: level: message``, with the path relative to the current folder."""
        shown = str(diagnostic.relative_to())
        if diagnostic.level == "error":
            self.error(shown)
        else:
            self.warn(shown)

    def progress(self, done: int, total: int) -> None:
        if self.tty and self.verbosity >= 0:
            end = "\n" if done == total else ""
            print(f"\rlessons {done}/{total}", end=end, file=sys.stderr, flush=True)
