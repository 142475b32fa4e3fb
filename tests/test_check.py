"""``microlearn check`` in a subprocess: its text and JSON formats, --strict, the same checks in build.

The author mistakes themselves, each with the exact findings it gets, are folders of
tests/fixtures/mistakes/ (test_mistakes_spec.py). Here the lesson cases among them share one project,
``content/<case>/``, and one ``check --format json`` must report each case's findings and nothing else.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import MISTAKES, make_project, mistake_cases, read_expected, run_cli

CONFIG = "languages:\n  el:\n    title: Δοκιμή\n  fa:\n    title: آزمایش\n"


def lesson_cases() -> list[Path]:
    """The mistake cases that are one lesson folder named like the case, in the default project: they can
    all share one project."""
    return [case for case in mistake_cases()
            if [p.name for p in case.iterdir()] in (["content", "expected.txt"], ["expected.txt", "content"])
            and [p.name for p in (case / "content").iterdir()] == [case.name]]


def lesson_folder(case: str) -> Path:
    return MISTAKES / case / "content" / case


def cases_project(root: Path, cases: list[str]) -> Path:
    """A project (el, fa) whose content/ holds the lesson folders of these mistake cases."""
    make_project(root, {"microlearn.yml": CONFIG})
    (root / "content").mkdir()
    for case in cases:
        shutil.copytree(lesson_folder(case), root / "content" / case)
    return root


@pytest.fixture(scope="module")
def corpus_report(tmp_path_factory) -> tuple[subprocess.CompletedProcess, list[dict]]:
    """One ``check --format json`` over a project holding every lesson case of tests/fixtures/mistakes/."""
    project = cases_project(tmp_path_factory.mktemp("bad") / "proj", [case.name for case in lesson_cases()])
    result = run_cli(project, "check", "--format", "json")
    return result, json.loads(result.stdout)


def test_the_corpus_fails_the_check_without_a_traceback(corpus_report):
    result, _report = corpus_report
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(lesson_cases()) >= 30


def test_one_project_reports_no_finding_outside_the_cases(corpus_report):
    _result, report = corpus_report
    found = [f"[{d['code']}] {d['path']}:{d['line']}:{d['col']}: {d['level']}: {d['message']}" for d in report]
    assert sorted(found) == sorted(line for case in lesson_cases() for line in read_expected(case)[0])


@pytest.mark.parametrize("case", lesson_cases(), ids=lambda case: case.name)
def test_each_mistake_is_reported_at_its_place(corpus_report, case):
    """In one project each case's findings are those it has on its own: expected.txt's check lines, in order."""
    _result, report = corpus_report
    found = [f"[{d['code']}] {d['path']}:{d['line']}:{d['col']}: {d['level']}: {d['message']}" for d in report
             if d["path"].startswith(f"content/{case.name}/")]
    assert found == read_expected(case)[0]


def test_text_format_is_path_line_col_level_message(tmp_path):
    project = cases_project(tmp_path / "proj", ["bad-time", "no-notes"])
    result = run_cli(project, "check")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "content/bad-time/el.md:8:17: error: time: 'two' is not a time; write it as '90s', '2m', " \
           "'1h 10m' (h, m, s)" in lines
    assert "content/no-notes/el.md:8:1: warning: stage 'Στάδιο' (slide 1/1) has no narration; add a " \
           "'::: notes' block" in lines
    assert result.stdout.strip() == "1 error(s), 1 warning(s)"


def test_warnings_pass_unless_strict(tmp_path):
    project = cases_project(tmp_path / "proj", ["no-notes", "duration-sum"])
    assert run_cli(project, "check").returncode == 0
    strict = run_cli(project, "check", "--strict")
    assert strict.returncode == 1
    assert "content/duration-sum/el.md:5:1: warning:" in strict.stderr


def test_build_runs_the_same_checks(tmp_path):
    project = cases_project(tmp_path / "proj", ["no-notes", "link-to-missing-lesson"])
    result = run_cli(project, "build", "--no-pdf", "-o", str(tmp_path / "site"))
    assert result.returncode == 1
    assert "content/link-to-missing-lesson/el.md:10:1: error: link to lesson '../nowhere/el.md' which does " \
           "not exist" in result.stderr.splitlines()
    assert not (tmp_path / "site").exists()
    shutil.rmtree(project / "content" / "link-to-missing-lesson")
    ok = run_cli(project, "build", "--no-pdf", "-o", str(tmp_path / "site"))
    assert ok.returncode == 0, ok.stderr
    assert "content/no-notes/el.md:8:1: warning: stage 'Στάδιο' (slide 1/1) has no narration" in ok.stderr
    strict = run_cli(project, "build", "--no-pdf", "--strict", "-o", str(tmp_path / "site2"))
    assert strict.returncode == 1 and not (tmp_path / "site2").exists()


def test_a_clean_project_reports_nothing(tmp_path):
    project = cases_project(tmp_path / "proj", [])
    (project / "content" / "good").mkdir()
    shutil.copy(lesson_folder("stage-count") / "el.md", project / "content" / "good" / "el.md")
    result = run_cli(project, "check", "--format", "json")
    assert result.returncode == 0 and json.loads(result.stdout) == []


def test_config_mistakes_are_reported_at_their_line(tmp_path):
    project = cases_project(tmp_path / "proj", [])
    (project / "microlearn.yml").write_text(CONFIG + "themme: default\n", encoding="utf-8")
    result = run_cli(project, "check")
    assert "microlearn.yml:6:1: warning: unknown key 'themme'; did you mean 'theme'?" in result.stderr.splitlines()
    (project / "microlearn.yml").write_text(CONFIG + "default_language: de\n", encoding="utf-8")
    result = run_cli(project, "check")
    assert result.returncode == 1
    assert "microlearn.yml:6:19: error: default_language 'de' is not one of the languages (el, fa)" \
        in result.stderr.splitlines()


def test_interface_catalog_problems_are_reported(tmp_path):
    project = cases_project(tmp_path / "proj", [])
    po = project / "locales" / "el" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                  '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
                  'msgid "Slide %(num)s"\nmsgstr "Διαφάνεια %(number)s"\n', encoding="utf-8")
    result = run_cli(project, "check")
    assert result.returncode == 1
    assert "locales/el/LC_MESSAGES/messages.po:7:1: error: translation of 'Slide %(num)s' adds %(number)s; " \
           "leaves out %(num)s (the source has %(num)s)" in result.stderr.splitlines(), result.stderr


def _guide_lessons() -> dict[str, str]:
    """The complete example of docs/authoring.md: file name -> text, from 'file `content/…`' + block."""
    guide = (Path(__file__).resolve().parent.parent / "docs" / "authoring.md").read_text(encoding="utf-8")
    found = {}
    pattern = re.compile(r"file `content/pay-online/(\w+\.md)`.*?```markdown\n(.*?)```", re.DOTALL)
    for match in pattern.finditer(guide):
        found[match.group(1)] = match.group(2)
    return found


def test_the_guides_example_lesson_passes_every_check_and_builds(tmp_path):
    lessons = _guide_lessons()
    assert sorted(lessons) == ["el.md", "fa.md"]
    project = cases_project(tmp_path / "proj", [])
    (project / "content" / "pay-online").mkdir()
    for name, text in lessons.items():
        (project / "content" / "pay-online" / name).write_text(text, encoding="utf-8")
    result = run_cli(project, "check", "--strict")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert run_cli(project, "build", "--no-pdf", "--strict").returncode == 0


def test_only_a_translation_behind_its_marked_source_shows_the_notice(tmp_path):
    project = cases_project(tmp_path / "proj", ["outdated-translation", "translation-not-marked-done"])
    result = run_cli(project, "build", "--no-pdf")
    assert result.returncode == 0, result.stderr
    behind = (project / "site" / "fa" / "outdated-translation" / "index.html").read_text(encoding="utf-8")
    unmarked = (project / "site" / "fa" / "translation-not-marked-done" / "index.html").read_text(encoding="utf-8")
    assert "notice--outdated" in behind
    assert "notice--outdated" not in unmarked
