"""A translator's catalog can neither crash nor exhaust a build: the hostile catalogs under
tests/fixtures/hostile/catalogs/, each with the message `i18n status`, `check` and `build` print for it
(real commands in a subprocess, real catalogs), and the bounds on the work a catalog can cause.

Where each rule is enforced: widths and '*' in catalogs.check_message, nplurals in catalogs.lint_po,
plural expressions in catalogs.check_plurals (and i18n.InterfaceText._form at render time), the byte
order mark in catalogs.read_text and i18n.read_catalog."""

from __future__ import annotations

import gc
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from conftest import run_cli
from microlearn.i18n import catalogs

CASES = Path(__file__).resolve().parent / "fixtures" / "hostile" / "catalogs"
PO = "locales/el/LC_MESSAGES/messages.po"
CONFIG = "languages:\n  el:\n    title: Δοκιμή\n"
LESSON = ("---\ntitle: Δοκιμή\nobjectives:\n  - Να δοκιμάσουμε.\n---\n\n## Στάδιο {time=1m}\n\nΚείμενο.\n\n"
          "::: notes\nΑφήγηση.\n:::\n")
EL_FORMS = "nplurals=2; plural=(n==1 ? 0 : 1);"
SOURCE = "(the source has %(num)s, %(total)s)"


def wide(spec: str) -> str:
    return (f"{PO}:10:1: error: translation of '%(num)s of %(total)s' pads {spec}: a width or precision is a "
            f"number up to 20, never '*' {SOURCE}")


def plural(expr: str) -> str:
    return (f"{PO}:5:1: error: Plural-Forms 'nplurals=2; plural={expr};' cannot be computed for n=0 (a division "
            f"by zero?); for el use: {EL_FORMS}")


def too_many(n: str) -> str:
    return (f"{PO}:5:1: error: broken catalog: Plural-Forms says nplurals={n}; no language has more than 6 "
            "plural forms (CLDR's zero, one, two, few, many, other)")


NO_HEADER = (f"{PO}:1:1: warning: this catalog has no header (a first entry msgid \"\" with Content-Type and "
             f"Plural-Forms); add the one 'microlearn i18n init el' writes, with 'Plural-Forms: {EL_FORMS}'")
# case -> (what `i18n status` and `check` print, whether `build` stops on it). A bad translation does not
# stop the build: it is left out, the page shows the source text, and the build warns.
EXPECTED = {
    "width-star.po": ([wide("%(num)*s")], False),
    "precision-star.po": ([wide("%(num).*s")], False),
    "width-too-big.po": ([wide("%(num)99999999999999999999s")], False),
    "width-huge.po": ([wide("%(num)5000000s")], False),
    "nplurals-huge.po": ([too_many("99999999999")], True),
    "nplurals-million.po": ([too_many("1000000")], True),
    "plural-division-by-zero.po": ([plural("(n / 0)")], True),
    "plural-modulo-zero.po": ([plural("(n % (n-n))")], True),
    "byte-order-mark.po": ([], False),
    "no-header.po": ([NO_HEADER], False),
    "empty.po": ([NO_HEADER, f"{PO}:1:1: warning: this catalog has no strings; run 'microlearn i18n update' "
                  "to add those of messages.pot"], False),
}


def project(root: Path, catalog: Path | bytes | None = None) -> Path:
    (root / "content" / "case").mkdir(parents=True)
    (root / "content" / "case" / "el.md").write_text(LESSON, encoding="utf-8")
    (root / "microlearn.yml").write_text(CONFIG, encoding="utf-8")
    if catalog is not None:
        target = root / PO
        target.parent.mkdir(parents=True)
        if isinstance(catalog, bytes):
            target.write_bytes(catalog)
        else:
            shutil.copy(catalog, target)
    return root


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    """The command line with no cache folder from the environment."""
    return run_cli(root, *args, env={"PYTHONUNBUFFERED": "1", "MICROLEARN_CACHE": None})


def diagnostics(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("locales/")]


def test_every_hostile_catalog_has_expected_messages():
    assert {p.name for p in CASES.glob("*.po")} == set(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_a_hostile_catalog_gives_the_same_message_in_status_check_and_build(tmp_path, case):
    root = project(tmp_path / "p", CASES / case)
    messages, stops = EXPECTED[case]
    errors = any(": error: " in m for m in messages)
    status = run(root, "i18n", "status")
    check = run(root, "check")
    build = run(root, "build", "--no-pdf", "-o", str(tmp_path / "site"))
    for result in (status, check, build):
        assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert diagnostics(status.stdout) == messages, status.stdout
    assert status.returncode == (1 if errors else 0)
    assert diagnostics(check.stderr) == messages, check.stderr
    assert check.returncode == (1 if errors else 0)
    if stops:
        assert build.returncode == 1
        assert diagnostics(build.stderr) == messages, build.stderr
        assert not (tmp_path / "site").exists()
        return
    assert build.returncode == 0, build.stderr
    shown = [m.replace(": error: ", ": warning: ") + ("; showing the source text" if ": error: " in m else "")
             for m in messages]
    assert diagnostics(build.stderr) == shown, build.stderr
    deck = tmp_path / "site" / "el" / "case" / "index.html"
    assert deck.stat().st_size < 200_000, "a translation's padding cannot blow up the pages"
    if case == "byte-order-mark.po":
        assert "1 από 1" in deck.read_text(encoding="utf-8") or "από" in deck.read_text(encoding="utf-8"), \
            "the catalog is used, its byte order mark ignored"


def test_compile_refuses_a_plural_expression_msgfmt_would_refuse(tmp_path):
    for case in ("plural-division-by-zero.po", "plural-modulo-zero.po"):
        root = project(tmp_path / case, CASES / case)
        result = run(root, "i18n", "compile")
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert diagnostics(result.stderr) == EXPECTED[case][0]
        assert not (root / PO).with_suffix(".mo").exists()
    unbalanced = (CASES / "plural-division-by-zero.po").read_text(encoding="utf-8").replace("(n / 0)", "(n != 1")
    root = project(tmp_path / "unbalanced", unbalanced.encode("utf-8"))
    result = run(root, "i18n", "compile")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert diagnostics(result.stderr) == [
        f"{PO}:5:1: error: Plural-Forms 'nplurals=2; plural=(n != 1;' is not a gettext plural expression; for el "
        f"use: {EL_FORMS}"]
    assert not (root / PO).with_suffix(".mo").exists()


def test_a_catalog_in_a_folder_that_is_no_language_is_reported_at_its_path(tmp_path):
    root = project(tmp_path / "p")
    stray = root / "locales" / "xx" / "LC_MESSAGES" / "messages.po"
    stray.parent.mkdir(parents=True)
    shutil.copy(CASES / "byte-order-mark.po", stray)
    result = run(root, "i18n", "status")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert diagnostics(result.stdout) == [
        "locales/xx/LC_MESSAGES/messages.po:1:1: error: 'xx' is not a language CLDR knows; use a code such as "
        "'el', 'fa' or 'pt-BR' (the folder name of this catalog)"]


def test_extract_stops_at_a_broken_project_template(tmp_path):
    root = project(tmp_path / "p")
    template = root / "themes" / "default" / "templates" / "_outdated.html"
    template.parent.mkdir(parents=True)
    template.write_text("<p>\n{{ _('Outdated') }\n</p>\n", encoding="utf-8")
    result = run(root, "i18n", "extract")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == ("themes/default/templates/_outdated.html:2:1: error: cannot extract "
                                             "strings: unexpected '}'; fix the template")
    assert not (root / "locales" / "messages.pot").exists()


def _work(function, *args) -> float:
    """The CPU time ``function(*args)`` takes, the least of five tries (the machine's other load only
    ever adds to it), with Python's cyclic garbage collector paused: its full collections grow with every
    object alive, so they would make the bigger input look worse than its own work is."""
    best = float("inf")
    for _ in range(5):
        gc.collect()
        gc.disable()
        try:
            start = time.process_time()
            function(*args)
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best


def _catalog_with(extra: int, folder: Path) -> Path:
    path = folder / f"{extra}.po"
    base = (CASES / "byte-order-mark.po").read_text(encoding="utf-8-sig")
    path.write_text(base + "".join(f'\nmsgid "extra string {i}"\nmsgstr "πρόσθετο {i}"\n' for i in range(extra)),
                    encoding="utf-8")
    return path


@pytest.mark.slow  # catalogs of n and 4n entries
def test_a_catalog_with_many_entries_costs_linear_work(tmp_path):
    """20,000 extra entries took 40 s (each entry split the whole file again): the work for 4n entries
    is about four times, not sixteen times, that for n (the bound of 8 leaves room for a busy machine)."""
    small, big = _catalog_with(4000, tmp_path), _catalog_with(16000, tmp_path)
    ratio = _work(catalogs.runtime_translations, big, "el") / _work(catalogs.runtime_translations, small, "el")
    assert ratio < 8, f"four times the entries cost {ratio:.1f} times the work"
    template = catalogs.read_catalog(big)
    ratio = _work(catalogs.catalog_status, big, "el", template) / \
        _work(catalogs.catalog_status, small, "el", catalogs.read_catalog(small))
    assert ratio < 8, f"i18n status: four times the entries cost {ratio:.1f} times the work"


def test_a_new_untranslated_catalog_is_one_line_per_build_and_a_list_in_status(tmp_path):
    """`i18n init el` then build: one summary line for the language (it was one line per string, 95 on
    every build); `build -v` lists every string; `i18n status` is the translator's list, at their lines."""
    root = project(tmp_path / "p")
    assert run(root, "i18n", "init", "el").returncode == 0
    build = run(root, "build", "--no-pdf", "-o", str(tmp_path / "site"))
    assert build.returncode == 0, build.stderr
    about = [line for line in build.stderr.splitlines() if "no el translation" in line]
    assert len(about) == 1, build.stderr
    count = int(about[0].split("warning: ")[1].split()[0])
    assert about[0] == (f"warning: {count} interface strings have no el translation: the pages show the source "
                        "text for them; 'microlearn i18n status' lists them (so does 'microlearn build -v')")
    assert count > 50
    verbose = run(root, "build", "--no-pdf", "-v", "-o", str(tmp_path / "site"))
    each = [line for line in verbose.stderr.splitlines() if "no el translation for interface text" in line]
    assert len(each) == count
    assert "warning: no el translation for interface text 'Next slide'; showing the source text" in each
    status = run(root, "i18n", "status")
    assert status.returncode == 0
    lines = status.stdout.splitlines()
    at = lines.index("Untranslated strings")
    assert lines[at + 1].startswith("el: ") and lines[at + 1].endswith(f"untranslated in {PO}")
    listed = [line for line in lines[at + 2:] if line.startswith("  line ")]
    assert len(listed) == int(lines[at + 1].split()[1]) >= count
    assert any(line.endswith(": 'Next slide'") for line in listed)
    check = run(root, "check")
    assert "no el translation" not in check.stderr, "check reads no page: the catalog's errors only"
