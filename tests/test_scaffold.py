"""Starting a project (``init``, ``new``) and the command line's manners (help, version, -q/-v, progress)."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli
from microlearn import __version__


def test_init_creates_a_project_that_builds_at_once(tmp_path):
    result = run_cli(tmp_path, "init", "school", "--lang", "el", "--lang", "fa")
    assert result.returncode == 0, result.stderr
    project = tmp_path / "school"
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()) == [
        ".gitignore", "content/first-lesson/el.md", "microlearn.yml"]
    assert "site/" in (project / ".gitignore").read_text().splitlines()
    config = (project / "microlearn.yml").read_text(encoding="utf-8")
    assert "default_language: el" in config and "درس‌های کوتاه" in config
    check = run_cli(project, "check", "--strict")
    assert check.returncode == 0 and check.stderr == "", check.stderr
    build = run_cli(project, "build", "--no-pdf")
    assert build.returncode == 0, build.stderr
    deck = (project / "site" / "el" / "first-lesson" / "index.html").read_text(encoding="utf-8")
    assert "Πρώτο στάδιο" in deck and 'lang="el"' in deck
    assert (project / "site" / "fa" / "index.html").is_file()


def test_init_defaults_to_english_and_never_overwrites(tmp_path):
    assert run_cli(tmp_path, "init", "p").returncode == 0
    assert "## First stage {time=2m}" in (tmp_path / "p" / "content" / "first-lesson" / "en.md").read_text()
    english = run_cli(tmp_path / "p", "build", "--no-pdf")
    assert english.returncode == 0 and english.stderr == "", "the source language needs no catalog"
    before = (tmp_path / "p" / "microlearn.yml").read_bytes()
    again = run_cli(tmp_path, "init", "p", "--lang", "el")
    assert again.returncode == 1
    assert again.stderr.startswith("p/microlearn.yml:1:1: error: there is already a project here")
    assert (tmp_path / "p" / "microlearn.yml").read_bytes() == before
    bad = run_cli(tmp_path, "init", "q", "--lang", "Greek")
    assert bad.returncode == 1 and "'Greek' is not a language code" in bad.stderr
    assert "Traceback" not in bad.stderr and not (tmp_path / "q").exists()


@pytest.mark.parametrize("lang,heading,hint", [
    ("el", "## Πρώτο στάδιο {time=2m}", "Ό,τι λέει ο εκπαιδευτής σε αυτό το στάδιο"),
    ("ru", "## Первый этап {time=2m}", "Что говорит ведущий на этом этапе"),
    ("fa", "## مرحلهٔ اول {time=2m}", "آنچه مربی در این مرحله می‌گوید"),
    ("ar", "## المرحلة الأولى {time=2m}", "ما يقوله المدرّب في هذه المرحلة"),
    ("de", "## First stage {time=2m}", "What the trainer says during this stage"),
])
def test_new_writes_a_skeleton_in_the_lessons_language(tmp_path, lang, heading, hint):
    project = tmp_path / "p"
    (project / "content").mkdir(parents=True)
    (project / "microlearn.yml").write_text("languages:\n" + "".join(
        f"  {code}: {{title: T}}\n" for code in ("el", "ru", "fa", "ar", "de")), encoding="utf-8")
    result = run_cli(project, "new", "customer-journey", "--lang", lang)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote content/customer-journey/{lang}.md")
    text = (project / "content" / "customer-journey" / f"{lang}.md").read_text(encoding="utf-8")
    assert heading in text.splitlines() and hint in text
    check = run_cli(project, "check", "--strict", "--format", "json")
    assert check.returncode == 0 and check.stdout.strip() == "[]", check.stdout


def test_new_refuses_what_it_cannot_do(tmp_path):
    run_cli(tmp_path, "init", "p", "--lang", "el")
    project = tmp_path / "p"
    existing = run_cli(project, "new", "first-lesson", "--lang", "el")
    assert existing.returncode == 1
    assert existing.stderr == "content/first-lesson/el.md:1:1: error: this lesson version exists already; " \
                              "nothing was changed\n"
    assert run_cli(project, "new", "Customer Journey").stderr.startswith(
        "error: 'Customer Journey' cannot be a lesson id")
    other = run_cli(project, "new", "x", "--lang", "ru")
    assert other.returncode == 1 and "'ru' is not one of the project's languages (el)" in other.stderr
    nowhere = run_cli(tmp_path, "new", "x")
    assert nowhere.returncode == 1 and "microlearn init" in nowhere.stderr and "Traceback" not in nowhere.stderr


def test_help_and_version(tmp_path):
    version = run_cli(tmp_path, "--version")
    assert version.returncode == 0 and version.stdout.strip() == f"microlearn {__version__}"
    top = run_cli(tmp_path, "--help").stdout
    for command in ("build", "check", "serve", "init", "new"):
        assert re.search(rf"^\s+{command}\s+\S", top, re.MULTILINE), (command, top)
    assert "--strict" in run_cli(tmp_path, "check", "--help").stdout
    assert "127.0.0.1" in run_cli(tmp_path, "serve", "--help").stdout
    bare = run_cli(tmp_path)
    assert bare.returncode == 2 and "COMMAND" in bare.stdout


def test_quiet_and_verbose(tmp_path):
    run_cli(tmp_path, "init", "p", "--lang", "el")
    project = tmp_path / "p"
    quiet = run_cli(project, "build", "--no-pdf", "-q")
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
    normal = run_cli(project, "build", "--no-pdf")
    assert normal.stdout.startswith("built ")
    verbose = run_cli(tmp_path, "init", "v", "-v")
    assert "wrote v/microlearn.yml" in verbose.stdout


def _build_on_a_terminal(project: Path, extra_env: dict) -> str:
    """Run a build with stderr on a pseudo-terminal; return what the terminal showed."""
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "CI"} | extra_env
    proc = subprocess.Popen([sys.executable, "-m", "microlearn", "build", "--no-pdf"], cwd=project,
                            stdout=subprocess.DEVNULL, stderr=follower, env=env)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    proc.wait(timeout=300)
    os.close(leader)
    assert proc.returncode == 0
    return shown.decode("utf-8")


@pytest.mark.slow  # builds on a pseudo-terminal
def test_progress_shows_on_a_terminal_only(tmp_path):
    run_cli(tmp_path, "init", "p", "--lang", "el")
    project = tmp_path / "p"
    run_cli(project, "new", "second", "--lang", "el")
    assert "lessons 2/2" in _build_on_a_terminal(project, {})
    assert "lessons" not in _build_on_a_terminal(project, {"CI": "true"})
    piped = run_cli(project, "build", "--no-pdf", env={"CI": None})
    assert "lessons" not in piped.stderr + piped.stdout
