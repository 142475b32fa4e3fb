"""The code is held to what the README's developer section says: ruff with the project's rule set
(pyproject.toml: pycodestyle, pyflakes, bugbear, import order, pyupgrade, simplify, ruff's rules and a
complexity limit) on src/, tests/ and bench/, and mypy on src/."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO, need

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("tool, args", [("ruff", ["check", "src", "tests", "bench"]), ("mypy", [])],
                         ids=["ruff", "mypy"])
def test_the_code_passes_its_checkers(tool, args):
    need(tool)
    done = subprocess.run([sys.executable, "-m", tool, *args], cwd=REPO, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
