"""``microlearn check`` over a corpus of bad lessons, one mistake per folder in tests/fixtures/bad/.

Each folder becomes ``content/<folder>/`` of one project; the checker must report exactly the
expected diagnostics for that folder's files, at the expected line and column, and nothing else.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BAD = Path(__file__).resolve().parent / "fixtures" / "bad"
CONFIG = "languages:\n  el:\n    title: Δοκιμή\n  fa:\n    title: آزمایش\n"

# folder -> [(file, line, col, level, code, message)]
EXPECTED = {
    "unknown-key": [
        ("el.md", 5, 1, "warning", "unknown-key",
         "unknown front matter key 'competence_aera'; did you mean 'competence_area'?")],
    "missing-title": [("el.md", 1, 1, "error", "lesson", "'title' is required")],
    "missing-objectives": [
        ("el.md", 1, 1, "error", "lesson",
         "'objectives' is required: a list, one item per line starting with '- '")],
    "objectives-not-a-list": [
        ("el.md", 4, 3, "error", "lesson", "'objectives' must be a list of texts, not a mapping")],
    "broken-yaml": [
        ("el.md", 3, 11, "error", "lesson",
         ("invalid YAML: expected ',' or ']', but got ':'; check indentation, and quote text that contains "
         "': ' or starts with a special character"))],
    "duplicate-key": [("el.md", 6, 1, "error", "lesson", "duplicate key 'title' (first at line 2); keep only one")],
    "bad-time": [
        ("el.md", 8, 17, "error", "lesson", "time: 'two' is not a time; write it as '90s', '2m', '1h 10m' (h, m, s)")],
    "duration-without-unit": [
        ("el.md", 5, 11, "error", "lesson", "duration: '5' has no unit; write '5m' for minutes or '5s' for seconds")],
    "duration-sum": [
        ("el.md", 5, 1, "warning", "duration-sum",
         "the stages' times add up to 2 minutes, but duration is 5 minutes; make them agree")],
    "no-time": [
        ("el.md", 7, 1, "warning", "no-time",
         "stage 'Στάδιο' has no time budget; add {time=2m} at the end of its heading")],
    "no-notes": [
        ("el.md", 8, 1, "warning", "no-notes", "stage 'Στάδιο' (slide 1/1) has no narration; add a '::: notes' block")],
    "slide-too-long": [
        ("el.md", 8, 1, "warning", "slide-too-long",
         ("slide 'Στάδιο' has 81 words; more than 80 do not fit on a slide: split it with '---' or move text to "
         "the notes"))],
    "missing-image": [
        ("el.md", 10, 1, "error", "lesson", "image 'nowhere.svg' not found in missing-image/; check the file name")],
    "image-without-alt": [
        ("el.md", 10, 1, "warning", "image-alt",
         "image 'diagram.svg' has no alt text; describe it between the brackets: ![what it shows](file)")],
    "link-to-missing-lesson": [
        ("el.md", 10, 1, "error", "lesson-link", "link to lesson '../nowhere/el.md' which does not exist")],
    "no-stages": [
        ("el.md", 7, 1, "error", "lesson", "the lesson has no stages: start each stage with a '## Heading' line")],
    "h1-heading": [
        ("el.md", 8, 1, "error", "lesson",
         ("'# ' headings are not used in lessons: the title comes from the front matter; start each stage with "
         "'## '"))],
    "front-matter-not-closed": [
        ("el.md", 7, 1, "error", "lesson",
         "the front matter is not closed before this stage: add a line '---' after the front matter")],
    "text-above-dashes": [
        ("el.md", 11, 1, "error", "lesson",
         ("a line of '---' directly under text makes that text a heading; leave a blank line before '---' to "
         "continue the stage on a new slide"))],
    "raw-html": [
        ("el.md", 10, 1, "warning", "raw-html",
         "raw HTML is shown as text; set 'raw_html: true' in microlearn.yml to allow it")],
    "unknown-heading-attribute": [
        ("el.md", 8, 1, "warning", "unknown-attribute", "unknown heading attribute 'level'; only 'time' is used")],
    "follow-up-true": [("el.md", 6, 12, "error", "lesson", "'follow_up' is false or the text of the activity, not true")],
    "stage-count": [
        ("el.md", 1, 1, "warning", "stage-count",
         "this version has 1 stage, other versions have a different number (fa: 2)"),
        ("fa.md", 1, 1, "warning", "stage-count",
         "this version has 2 stages, other versions have a different number (el: 1)")],
    "outdated-translation": [
        ("fa.md", 6, 1, "warning", "outdated",
         ("translation may be outdated: el.md changed since it was marked done; update it, then run "
         "'microlearn i18n done outdated-translation fa'"))],
    "notes-not-closed": [
        ("el.md", 11, 1, "error", "lesson", "this '::: notes' block is never closed, so it takes in the rest of "
         "the lesson; add a line ':::' after the narration")],
    "stage-inside-notes": [
        ("el.md", 14, 1, "error", "lesson", "a stage heading inside the '::: notes' block opened at line 11; "
         "close the notes with a line ':::' before the next stage")],
    "several-body-mistakes": [  # each stage and reference is checked on its own, so all four are listed
        ("el.md", 8, 23, "error", "lesson", "time: 'two' is not a time; write it as '90s', '2m', '1h 10m' (h, m, s)"),
        ("el.md", 10, 1, "error", "lesson", "image 'missing.png' not found in several-body-mistakes/; check the "
         "file name"),
        ("el.md", 16, 28, "error", "lesson", "the id '#start' is used by two stages"),
        ("el.md", 18, 1, "error", "lesson", "a link to a javascript:, vbscript:, file: or data: address is "
         "refused; link to an http(s) address or a file beside the lesson"),
        ("el.md", 27, 1, "error", "lesson", "a line of '---' directly under text makes that text a heading; leave "
         "a blank line before '---' to continue the stage on a new slide")],
    "several-mistakes": [
        ("el.md", 1, 1, "error", "lesson", "'title' is required"),
        ("el.md", 4, 11, "error", "lesson", "duration: '5' has no unit; write '5m' for minutes or '5s' for seconds"),
        ("el.md", 7, 17, "error", "lesson", "time: 'two' is not a time; write it as '90s', '2m', '1h 10m' (h, m, s)"),
        ("el.md", 9, 1, "error", "lesson", "image 'missing.png' not found in several-mistakes/; check the file name")],
    "translation-not-marked-done": [
        ("fa.md", 6, 1, "warning", "unmarked",
         "translation never marked done: when it matches el.md, run "
         "'microlearn i18n done translation-not-marked-done fa'")],
    "translation-of-missing-source": [
        ("fa.md", 6, 1, "error", "translation-of", "translation_of: there is no 'el.md' in this lesson's folder")],
}


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "microlearn", *args], check=False, cwd=project,
                          capture_output=True, text=True, timeout=300)


def make_project(root: Path, cases: list[str]) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "microlearn.yml").write_text(CONFIG, encoding="utf-8")
    for case in cases:
        shutil.copytree(BAD / case, root / "content" / case)
    return root


@pytest.fixture(scope="module")
def corpus_report(tmp_path_factory) -> tuple[subprocess.CompletedProcess, list[dict]]:
    """One ``check --format json`` over a project holding every bad case."""
    project = make_project(tmp_path_factory.mktemp("bad") / "proj", sorted(EXPECTED))
    result = run(project, "check", "--format", "json")
    return result, json.loads(result.stdout)


def test_every_fixture_folder_has_an_expectation():
    assert sorted(p.name for p in BAD.iterdir() if p.is_dir()) == sorted(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_each_mistake_is_reported_at_its_place(corpus_report, case):
    _result, report = corpus_report
    found = [(Path(d["path"]).name, d["line"], d["col"], d["level"], d["code"], d["message"])
             for d in report if d["path"].startswith(f"content/{case}/")]
    assert found == EXPECTED[case]


def test_the_corpus_fails_the_check_without_a_traceback(corpus_report):
    result, report = corpus_report
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert {d["path"].split("/")[1] for d in report} == set(EXPECTED), "no diagnostic outside the cases"


def test_text_format_is_path_line_col_level_message(tmp_path):
    project = make_project(tmp_path / "proj", ["bad-time", "no-notes"])
    result = run(project, "check")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "content/bad-time/el.md:8:17: error: time: 'two' is not a time; write it as '90s', '2m', " \
           "'1h 10m' (h, m, s)" in lines
    assert "content/no-notes/el.md:8:1: warning: stage 'Στάδιο' (slide 1/1) has no narration; add a " \
           "'::: notes' block" in lines
    assert result.stdout.strip() == "1 error(s), 1 warning(s)"


def test_warnings_pass_unless_strict(tmp_path):
    project = make_project(tmp_path / "proj", ["no-notes", "duration-sum"])
    assert run(project, "check").returncode == 0
    strict = run(project, "check", "--strict")
    assert strict.returncode == 1
    assert "content/duration-sum/el.md:5:1: warning:" in strict.stderr


def test_build_runs_the_same_checks(tmp_path):
    project = make_project(tmp_path / "proj", ["no-notes", "link-to-missing-lesson"])
    result = run(project, "build", "--no-pdf", "-o", str(tmp_path / "site"))
    assert result.returncode == 1
    assert "content/link-to-missing-lesson/el.md:10:1: error: link to lesson '../nowhere/el.md' which does " \
           "not exist" in result.stderr.splitlines()
    assert not (tmp_path / "site").exists()
    shutil.rmtree(project / "content" / "link-to-missing-lesson")
    ok = run(project, "build", "--no-pdf", "-o", str(tmp_path / "site"))
    assert ok.returncode == 0, ok.stderr
    assert "content/no-notes/el.md:8:1: warning: stage 'Στάδιο' (slide 1/1) has no narration" in ok.stderr
    strict = run(project, "build", "--no-pdf", "--strict", "-o", str(tmp_path / "site2"))
    assert strict.returncode == 1 and not (tmp_path / "site2").exists()


def test_a_clean_project_reports_nothing(tmp_path):
    project = make_project(tmp_path / "proj", [])
    (project / "content" / "good").mkdir()
    shutil.copy(BAD / "stage-count" / "el.md", project / "content" / "good" / "el.md")
    result = run(project, "check", "--format", "json")
    assert result.returncode == 0 and json.loads(result.stdout) == []


def test_config_mistakes_are_reported_at_their_line(tmp_path):
    project = make_project(tmp_path / "proj", [])
    (project / "microlearn.yml").write_text(CONFIG + "themme: default\n", encoding="utf-8")
    result = run(project, "check")
    assert "microlearn.yml:6:1: warning: unknown key 'themme'; did you mean 'theme'?" in result.stderr.splitlines()
    (project / "microlearn.yml").write_text(CONFIG + "default_language: de\n", encoding="utf-8")
    result = run(project, "check")
    assert result.returncode == 1
    assert "microlearn.yml:6:19: error: default_language 'de' is not one of the languages (el, fa)" \
        in result.stderr.splitlines()


def test_interface_catalog_problems_are_reported(tmp_path):
    project = make_project(tmp_path / "proj", [])
    po = project / "locales" / "el" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                  '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
                  'msgid "Slide %(num)s"\nmsgstr "Διαφάνεια %(number)s"\n', encoding="utf-8")
    result = run(project, "check")
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
    project = make_project(tmp_path / "proj", [])
    (project / "content" / "pay-online").mkdir()
    for name, text in lessons.items():
        (project / "content" / "pay-online" / name).write_text(text, encoding="utf-8")
    result = run(project, "check", "--strict")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert run(project, "build", "--no-pdf", "--strict").returncode == 0


def test_only_a_translation_behind_its_marked_source_shows_the_notice(tmp_path):
    project = make_project(tmp_path / "proj", ["outdated-translation", "translation-not-marked-done"])
    result = subprocess.run([sys.executable, "-m", "microlearn", "build", "--no-pdf"], cwd=project,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    behind = (project / "site" / "fa" / "outdated-translation" / "index.html").read_text(encoding="utf-8")
    unmarked = (project / "site" / "fa" / "translation-not-marked-done" / "index.html").read_text(encoding="utf-8")
    assert "notice--outdated" in behind
    assert "notice--outdated" not in unmarked
