"""Author mistakes through the real command: path:line: message, exit 1, no traceback, old site kept."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli

GOOD = """---
title: Καλό μάθημα
objectives:
  - Ένας στόχος
duration: 2m
---

## Στάδιο {time=2m}

Κείμενο.

::: notes
Αφήγηση.
:::
"""


def tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


@pytest.fixture
def small_project(tmp_path) -> Path:
    root = tmp_path / "proj"
    (root / "content" / "lesson").mkdir(parents=True)
    (root / "microlearn.yml").write_text("languages:\n  el:\n    title: Δοκιμή\n  fa:\n    title: آزمایش\n",
                                         encoding="utf-8")
    (root / "content" / "lesson" / "el.md").write_text(GOOD, encoding="utf-8")
    return root


def test_a_good_project_builds(small_project):
    result = run_cli(small_project, "build", "--no-pdf")
    assert result.returncode == 0, result.stderr
    assert (small_project / "site" / "el" / "lesson" / "index.html").is_file()


@pytest.mark.parametrize("name,text,location,message", [
    ("broken-yaml", GOOD.replace("title: Καλό μάθημα", "title: [Καλό"), "el.md:3", "invalid YAML"),
    ("missing-title", GOOD.replace("title: Καλό μάθημα\n", ""), "el.md:1", "'title' is required"),
    ("missing-objectives", GOOD.replace("objectives:\n  - Ένας στόχος\n", ""), "el.md:1",
     "'objectives' is required"),
    ("bad-time", GOOD.replace("{time=2m}", "{time=two}"), "el.md:8", "'two' is not a time"),
    ("missing-image", GOOD.replace("Κείμενο.", "![Εικόνα](nowhere.png)"), "el.md:10", "'nowhere.png' not found"),
])
def test_mistakes_stop_the_build_and_keep_the_previous_site(small_project, name, text, location, message):
    assert run_cli(small_project, "build", "--no-pdf").returncode == 0
    before = tree_digest(small_project / "site")
    (small_project / "content" / "lesson" / "el.md").write_text(text, encoding="utf-8")
    result = run_cli(small_project, "build", "--no-pdf")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert f"{location}:" in result.stderr and message in result.stderr, result.stderr
    assert tree_digest(small_project / "site") == before


def test_a_file_that_is_not_a_configured_language(small_project):
    (small_project / "content" / "lesson" / "de.md").write_text(GOOD, encoding="utf-8")
    result = run_cli(small_project, "build", "--no-pdf")
    assert result.returncode == 1
    assert "de.md:1:" in result.stderr and "not a configured language" in result.stderr
    assert not (small_project / "site").exists(), "nothing is half-written"


def test_no_config_says_how_to_start(tmp_path):
    result = run_cli(tmp_path, "build")
    assert result.returncode == 1
    assert "microlearn.yml" in result.stderr and "microlearn init" in result.stderr
    assert "Traceback" not in result.stderr


def test_build_reports_every_broken_lesson_at_once(tmp_path):
    project = tmp_path / "p"
    for lesson, text in {"a": GOOD.replace("title: Καλό μάθημα\n", ""),
                         "b": GOOD.replace("{time=2m}", "{time=two}"),
                         "c": GOOD}.items():
        (project / "content" / lesson).mkdir(parents=True)
        (project / "content" / lesson / "el.md").write_text(text, encoding="utf-8")
    (project / "microlearn.yml").write_text("languages:\n  el:\n    title: Δοκιμή\n", encoding="utf-8")
    result = run_cli(project, "build", "--no-pdf")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert "content/a/el.md:1:1: error: 'title' is required" in lines
    assert any(line.startswith("content/b/el.md:8:17: error: time: 'two' is not a time") for line in lines)
    assert not (project / "site").exists()


@pytest.mark.parametrize("args", [("i18n", "status"), ("i18n", "status", "--format", "json"),
                                  ("check", "--format", "json")])
def test_a_reader_that_goes_away_gets_no_traceback(small_project, args):
    """`microlearn i18n status | head -1`: the pipe closes early; the command stops quietly."""
    proc = subprocess.Popen([sys.executable, "-m", "microlearn", *args], cwd=small_project,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before the first line is written
    stderr = proc.stderr.read().decode("utf-8")
    proc.wait(timeout=300)
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr
