"""Author mistakes, specified once: one folder per mistake under tests/fixtures/mistakes/, and beside its
files the messages microlearn gives for it (tests/fixtures/mistakes/README.md describes the layout).

Each case folder is a project: its files are laid out as they are (a ``microlearn.yml`` with el and fa is
added when the case has none) and ``secret.png`` is put beside the project, outside it. ``expected.txt``
holds exactly what ``check`` reports (``check: [code] path:line:col: level: message``, one line per finding,
in order) and what ``build`` says (``build: path:line[:col]: message`` for the error it stops at, then no
site is written; or ``build: path:line:col: warning: message`` for each warning of a build that goes
through). A case with no ``build:`` line builds with nothing to say. Warnings about interface strings a
catalog does not translate (``missing-translation``) are left out: they are one per string.
"""

from __future__ import annotations

import pytest

from conftest import MISTAKES, lay_out_case, mistake_cases, read_expected, what_microlearn_says


def test_every_case_has_its_expected_messages():
    folders = sorted(p.name for p in MISTAKES.iterdir() if p.is_dir())
    assert folders == [case.name for case in mistake_cases()]
    assert all((MISTAKES / name / "expected.txt").is_file() for name in folders), "expected.txt beside each case"


@pytest.mark.parametrize("case", mistake_cases(), ids=lambda case: case.name)
def test_a_mistake_gets_its_messages_in_check_and_build(tmp_path, case):
    expected_check, expected_build = read_expected(case)
    root = lay_out_case(case, tmp_path)
    check, build, stopped = what_microlearn_says(root, tmp_path / "site")
    assert check == expected_check
    assert build == expected_build
    if stopped:
        assert not (tmp_path / "site").exists(), "nothing is written when the input is refused"
