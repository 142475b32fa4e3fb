"""The translators' commands against hostile input and a hostile disk: language codes that are paths,
front matter `i18n done` cannot edit line by line, a full or read-only file system (a real tmpfs). Real
commands in a subprocess, real files."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import run_cli, site_tree
from microlearn.lessons.parse import read_source
from microlearn.render.marks import mark_languages

CONFIG = "languages:\n  el:\n    title: Δοκιμή\n  ru:\n    title: Проба\n"
BODY = """
## Πρώτο στάδιο {time=2m}

Ένα σύντομο κείμενο.

::: notes
Η αφήγηση του σταδίου.
:::
"""
LESSON_EL = "---\ntitle: Δοκιμαστικό μάθημα\nobjectives:\n  - Να δοκιμάσουμε.\nduration: 2m\n---\n" + BODY


def project(root: Path, ru: str | None = None) -> Path:
    (root / "content" / "trial").mkdir(parents=True)
    (root / "microlearn.yml").write_text(CONFIG, encoding="utf-8")
    (root / "content" / "trial" / "el.md").write_text(LESSON_EL, encoding="utf-8")
    if ru is not None:
        (root / "content" / "trial" / "ru.md").write_text(ru, encoding="utf-8")
    return root


# ---------------------------------------------------------------- language codes are never paths

@pytest.mark.parametrize("code", ["el.x/../../../ESCAPED", "EL", "en_US.UTF-8", "el\n", "../el", "el-gr"])
def test_init_refuses_a_code_that_is_not_a_language_code(tmp_path, code):
    root = project(tmp_path / "work" / "p")
    result = run_cli(root, "i18n", "init", code)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"error: {code!r} is not a language code such as 'el', 'fa' or 'pt-BR'" in result.stderr
    assert [p for p in (tmp_path / "work").rglob("*") if p.name == "messages.po"] == [], "no catalog anywhere"
    assert not (root / "locales").exists()


def test_a_fallback_code_is_not_a_path(tmp_path):
    root = project(tmp_path / "p")
    outside = tmp_path / "OUTSIDE" / "LC_MESSAGES" / "messages.po"
    outside.parent.mkdir(parents=True)
    outside.write_text('msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
                       'msgid "All lessons"\nmsgstr "READ-FROM-OUTSIDE-THE-PROJECT"\n', encoding="utf-8")
    (root / "locales" / "el.x").mkdir(parents=True)
    (root / "microlearn.yml").write_text(
        "languages:\n  el:\n    title: Δοκιμή\n  ru:\n    title: Проба\n    fallback: ['el.x/../../OUTSIDE']\n",
        encoding="utf-8")
    for command in (["check"], ["build", "--no-pdf", "-o", str(tmp_path / "site")]):
        result = run_cli(root, *command)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        # at the code itself (line 6, column 16), as every config error since issue 12 §5
        assert ("microlearn.yml:6:16: error: the fallback of 'ru' must be a list of language codes, such as "
                "'[en]'; 'el.x/../../OUTSIDE' is not one") in result.stderr, result.stderr
    assert not (tmp_path / "site").exists()


def test_a_fallback_code_cldr_does_not_know_is_reported_at_its_line(tmp_path):
    root = project(tmp_path / "p")
    (root / "microlearn.yml").write_text(CONFIG + "    fallback: [xx]\n", encoding="utf-8")
    xx = root / "locales" / "xx" / "LC_MESSAGES" / "messages.po"
    xx.parent.mkdir(parents=True)
    xx.write_text('msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n', encoding="utf-8")
    result = run_cli(root, "build", "--no-pdf", "-o", str(tmp_path / "site"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert ("microlearn.yml:6:16: error: fallback of 'ru': 'xx' is not a language CLDR knows; use a code such "
            "as 'el', 'fa' or 'pt-BR'") in result.stderr, result.stderr


def test_the_internal_language_marks_never_reach_a_page():
    """Text marked with a code the marks' pattern does not take is shown without the marks, never with
    the noncharacters U+FDD0-FDD2 in the page."""
    page = mark_languages("<p>\ufdd0el.x/../OUT\ufdd1text\ufdd2</p><title>\ufdd1x\ufdd2</title>", "ltr")
    assert not set(page) & {"\ufdd0", "\ufdd1", "\ufdd2"}
    assert "text" in page


# ---------------------------------------------------------------- i18n done edits only what it must

RU_BODY = BODY.replace("Ένα σύντομο κείμενο.", "Короткий текст.")
DONE_CASES = {
    # front matter -> what `i18n done` must do: "edit" (and check accepts the result) or "refuse"
    "flow-mapping": ("{title: Урок, objectives: [Проверить], duration: 2m, translation_of: el}\n", "refuse"),
    "value-on-next-line": ("title: Урок\nobjectives:\n  - Проверить\nduration: 2m\ntranslation_of:\n  el\n",
                           "edit"),
    "line-separator-in-title": ('title: "Урок\u2028source_revision: 123456"\nobjectives:\n  - Проверить\n'
                                "duration: 2m\ntranslation_of: el\n", "edit"),
    "next-line-in-title": ('title: "Урок\u0085x"\nobjectives:\n  - Проверить\nduration: 2m\ntranslation_of: el\n',
                           "edit"),
    "revision-on-next-line": ("title: Урок\nobjectives:\n  - Проверить\nduration: 2m\ntranslation_of: el\n"
                              "source_revision:\n  0123456789ab\n", "edit"),
}


@pytest.mark.parametrize("case", sorted(DONE_CASES))
def test_done_keeps_the_meaning_of_the_front_matter_or_changes_nothing(tmp_path, case):
    front, expected = DONE_CASES[case]
    root = project(tmp_path / "p", f"---\n{front}---\n{RU_BODY}")
    ru = root / "content" / "trial" / "ru.md"
    assert run_cli(root, "check").returncode == 0, "a valid lesson to begin with"
    before = ru.read_bytes()
    result = run_cli(root, "i18n", "done", "trial", "ru")
    assert "Traceback" not in result.stderr
    if expected == "refuse":
        assert result.returncode == 1
        assert "content/trial/ru.md:1:1: error: cannot add source_revision to this front matter without changing " \
               "what it says" in result.stderr, result.stderr
        assert "nothing was changed" in result.stderr
        assert ru.read_bytes() == before
        return
    assert result.returncode == 0, result.stderr
    revision = read_source(root / "content" / "trial" / "el.md").revision
    status = run_cli(root, "i18n", "status")
    assert status.returncode == 0, status.stdout
    assert "trial   source  translated" in status.stdout, status.stdout
    after = ru.read_text(encoding="utf-8")
    assert after.endswith(RU_BODY), "the body is untouched"
    if "\u2028" in front or "\u0085" in front:
        assert front.split("\n")[0] in after, "the title keeps every character"
    assert revision in after


# ---------------------------------------------------------------- a full or read-only disk

@contextlib.contextmanager
def small_disk(folder: Path, size: int = 1 << 20):
    """A real tmpfs of ``size`` bytes at ``folder`` (needs root, as CI has)."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root")
    folder.mkdir(parents=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def fill(folder: Path) -> Path:
    """Fill the file system of ``folder`` to the last byte."""
    filler = folder / "filler"
    with filler.open("wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError:
            pass
    with contextlib.suppress(OSError), filler.open("ab") as fh:
        while True:
            fh.write(b"\0")
            fh.flush()
    return filler


RU_DONE = f"---\ntitle: Урок\nobjectives:\n  - Проверить\nduration: 2m\ntranslation_of: el\n---\n{RU_BODY}"


def test_i18n_commands_on_a_full_disk_say_so_and_change_nothing(tmp_path):
    with small_disk(tmp_path / "disk") as disk:
        root = project(disk / "p", RU_DONE)
        filler = fill(disk)
        before = site_tree(root)
        for command, what in ((["i18n", "init", "he"], "messages.po"), (["i18n", "extract"], "messages.pot"),
                              (["i18n", "done", "trial", "ru"], "ru.md")):
            result = run_cli(root, *command)
            assert result.returncode == 1, (command, result.stdout)
            assert "Traceback" not in result.stderr, result.stderr
            assert "No space left on device" in result.stderr, result.stderr
            assert what in result.stderr
            assert site_tree(root) == before, f"{command}: nothing half-written, nothing left behind"
            assert not list(root.rglob(".*.tmp"))
        filler.unlink()
        assert run_cli(root, "i18n", "init", "he").returncode == 0, "with room again, the same command works"


def test_i18n_extract_on_a_read_only_disk_says_so(tmp_path):
    with small_disk(tmp_path / "disk") as disk:
        root = project(disk / "p", RU_DONE)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        for command in (["i18n", "extract"], ["i18n", "init", "he"], ["i18n", "done", "trial", "ru"]):
            result = run_cli(root, *command)
            assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
            assert "Read-only file system" in result.stderr, result.stderr


def test_init_and_new_on_a_full_disk_leave_no_empty_files(tmp_path):
    with small_disk(tmp_path / "disk") as disk:
        filler = fill(disk)
        result = run_cli(disk, "init", "p", "--lang", "fa")
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert "No space left on device" in result.stderr and "nothing was changed" in result.stderr
        assert not (disk / "p" / "microlearn.yml").exists()
        assert [p for p in disk.rglob("*") if p.is_file() and p != filler] == []
        filler.unlink()
        assert run_cli(disk, "init", "p", "--lang", "fa").returncode == 0, "the retry is not refused"
        fill(disk)
        result = run_cli(disk / "p", "new", "abc")
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "No space left on device" in result.stderr
        assert not (disk / "p" / "content" / "abc").exists(), "no empty lesson file, no empty folder"
