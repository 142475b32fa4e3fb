"""The translators' workflow for real: `microlearn i18n` on copies of the project, side by side with
plain pybabel, catalog checks on broken catalogs, the build's fallbacks, and lesson versions kept in sync."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.pofile import read_po, write_po

from conftest import REPO, copy_project, run_cli
from microlearn.errors import MicrolearnError
from microlearn.i18n.catalogs import catalog_status
from microlearn.i18n.plurals import plural_forms

PYBABEL = Path(sys.executable).parent / "pybabel"
EXTRACT = ["extract", "-F", "babel.cfg", "-o", "locales/messages.pot", "--no-location", "--sort-output",
           "--omit-header", "-k", "_", "-k", "gettext", "-k", "ngettext:1,2", "-k", "pgettext:1c,2",
           "-k", "npgettext:1c,2,3", "."]

LESSON_EL = """---
title: Δοκιμαστικό μάθημα
objectives:
  - Να δοκιμάσουμε τη ροή μετάφρασης.
duration: 2m
---

## Πρώτο στάδιο {time=2m}

Ένα σύντομο κείμενο.

::: notes
Η αφήγηση του σταδίου.
:::
"""

LESSON_RU = """---
title: Пробный урок
objectives:
  - Проверить процесс перевода.
duration: 2m
translation_of: el
---

## Первый этап {time=2m}

Короткий текст.

::: notes
Рассказ об этапе.
:::
"""


def source_copy(dest: Path) -> Path:
    """A copy of the repository as a translator has it: code, templates, babel.cfg and catalogs."""
    copy_project(dest, content=False)
    for name in ("src", "themes", "locales"):
        shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(REPO / "babel.cfg", dest / "babel.cfg")
    return dest


def lesson_project(dest: Path, locales: bool = True) -> Path:
    """The example config with one small lesson in el and its ru translation (and the catalogs)."""
    copy_project(dest, content=False)
    (dest / "content" / "trial").mkdir(parents=True)
    (dest / "content" / "trial" / "el.md").write_text(LESSON_EL, encoding="utf-8")
    (dest / "content" / "trial" / "ru.md").write_text(LESSON_RU, encoding="utf-8")
    if locales:
        shutil.copytree(REPO / "locales", dest / "locales", ignore=shutil.ignore_patterns("*.mo"))
    return dest


def add_persian_version(project: Path) -> None:
    """A Persian version of the trial lesson, written on its own (no translation_of)."""
    (project / "content" / "trial" / "fa.md").write_text(
        LESSON_RU.replace("translation_of: el\n", "").replace("Пробный урок", "درس آزمایشی"), encoding="utf-8")


def po_text(lang: str, plural: str, entries: str) -> str:
    return (f'msgid ""\nmsgstr ""\n"Language: {lang}\\n"\n"Plural-Forms: {plural}\\n"\n'
            f'"Content-Type: text/plain; charset=utf-8\\n"\n\n{entries}')


def write_catalog(project: Path, lang: str, text: str) -> Path:
    path = project / "locales" / lang / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def edit_catalog(path: Path, change) -> None:
    """Change messages the way a translator's editor would: read, edit, write back."""
    with path.open("rb") as fh:
        catalog = read_po(fh)
    for message in catalog:
        if message.id:
            change(message)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=76)


# ---------------------------------------------------------------------------- extract, init, update


def test_extract_writes_the_same_pot_as_pybabel(tmp_path):
    ours = source_copy(tmp_path / "ours")
    theirs = source_copy(tmp_path / "theirs")
    (ours / "locales" / "messages.pot").unlink()
    (theirs / "locales" / "messages.pot").unlink()
    done = run_cli(ours, "i18n", "extract")
    assert done.returncode == 0, done.stderr
    ref = subprocess.run([str(PYBABEL), *EXTRACT], cwd=theirs, capture_output=True, text=True, check=False)
    assert ref.returncode == 0, ref.stderr
    pot = (ours / "locales" / "messages.pot").read_bytes()
    assert pot == (theirs / "locales" / "messages.pot").read_bytes()
    assert b'msgid "Presenter view"' in pot and b'msgid_plural "%(num)s slides"' in pot


def test_a_new_template_string_goes_through_extract_update_and_status(tmp_path):
    project = source_copy(tmp_path / "p")
    template = project / "themes" / "default" / "templates" / "_outdated.html"
    template.write_text(template.read_text(encoding="utf-8") + "{{ _('A brand new string') }}\n", encoding="utf-8")
    assert run_cli(project, "i18n", "extract").returncode == 0
    assert 'msgid "A brand new string"' in (project / "locales" / "messages.pot").read_text(encoding="utf-8")
    done = run_cli(project, "i18n", "update")
    assert done.returncode == 0, done.stderr
    el = project / "locales" / "el" / "LC_MESSAGES" / "messages.po"
    with el.open("rb") as fh:
        catalog = read_po(fh)
    assert catalog.get("A brand new string").string == ""
    assert catalog_status(el, "el").untranslated >= 1
    # plain pybabel update finds nothing left to do: the files are the ones it would write
    snapshot = {p: p.read_bytes() for p in (project / "locales").rglob("*.po")}
    ref = subprocess.run([str(PYBABEL), "update", "-i", "locales/messages.pot", "-d", "locales"], cwd=project,
                         capture_output=True, text=True, check=False)
    assert ref.returncode == 0, ref.stderr
    for path, data in snapshot.items():
        mine = [ln for ln in data.decode().splitlines() if not ln.startswith('"POT-Creation-Date')]
        theirs = [ln for ln in path.read_text(encoding="utf-8").splitlines()
                  if not ln.startswith('"POT-Creation-Date')]
        assert mine == theirs, path


def test_changed_source_string_becomes_fuzzy_and_fuzzy_is_never_counted_as_translated(tmp_path):
    project = source_copy(tmp_path / "p")
    assert run_cli(project, "i18n", "update").returncode == 0  # the catalogs as of the current template
    ru = project / "locales" / "ru" / "LC_MESSAGES" / "messages.po"
    base = catalog_status(ru, "ru")
    pot = project / "locales" / "messages.pot"
    pot.write_text(pot.read_text(encoding="utf-8").replace('msgid "Presenter view"', 'msgid "Presenter view!"'),
                   encoding="utf-8")
    assert run_cli(project, "i18n", "update").returncode == 0
    text = ru.read_text(encoding="utf-8")
    assert '#, fuzzy\nmsgid "Presenter view!"' in text
    assert 'msgid "Presenter view"\n' not in text
    status = catalog_status(ru, "ru")
    assert (status.fuzzy, status.translated) == (base.fuzzy + 1, base.translated - 1)
    report = json.loads(run_cli(project, "i18n", "status", "--format", "json").stdout)
    row = next(r for r in report["catalogs"] if r["language"] == "ru")
    assert (row["fuzzy"], row["translated"]) == (status.fuzzy, status.translated)
    assert row["percent"] < 100
    # pybabel's own statistics count the fuzzy string as translated; ours does not
    ref = subprocess.run([str(PYBABEL), "compile", "--statistics", "-d", "locales", "-l", "ru", "-f"],
                         cwd=project, capture_output=True, text=True, check=False)
    assert f"{status.translated + status.fuzzy} of {row['total']} messages" in ref.stderr + ref.stdout


@pytest.mark.parametrize("lang", ["el", "ru", "fa", "ar", "he", "tr", "uk", "ja"])
def test_init_writes_cldr_plural_forms(tmp_path, lang):
    project = source_copy(tmp_path / "p")
    shutil.rmtree(project / "locales" / lang, ignore_errors=True)
    done = run_cli(project, "i18n", "init", lang)
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr, "Babel's own plural table (tr: 1 form) is not consulted"
    path = project / "locales" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        catalog = read_po(fh)
    expected = {"el": 2, "ru": 3, "fa": 2, "ar": 6, "he": 3, "tr": 2, "uk": 3, "ja": 1}[lang]
    assert catalog.num_plurals == expected
    # the expression gives every whole number the form of its CLDR category, in CLDR order
    import gettext

    func = gettext.c2py(catalog.plural_expr)
    rule = Locale.parse(lang).plural_form
    tags = plural_forms(lang).tags
    for n in range(1001):
        assert tags[func(n)] == rule(n), (lang, n)
    status = catalog_status(path, lang)
    assert status.errors == [] and status.untranslated == status.total
    again = run_cli(project, "i18n", "init", lang)
    assert again.returncode == 1 and "exists already" in again.stderr and "Traceback" not in again.stderr


def test_catalog_with_one_persian_plural_form_is_reported(tmp_path):
    """`pybabel init -l fa` of Babel 2.18 and older writes nplurals=1 and one msgstr[0] per plural entry
    (Babel 2.19 fixed its table); Persian has two forms for whole numbers (CLDR: one, other). Our status says
    so, whichever Babel made the file: pybabel's catalog is edited here into what those releases wrote."""
    project = source_copy(tmp_path / "p")
    shutil.rmtree(project / "locales" / "fa")
    ref = subprocess.run([str(PYBABEL), "init", "-i", "locales/messages.pot", "-d", "locales", "-l", "fa"],
                         cwd=project, capture_output=True, text=True, check=False)
    assert ref.returncode == 0, ref.stderr
    path = project / "locales" / "fa" / "LC_MESSAGES" / "messages.po"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    old = [ln if not ln.startswith('"Plural-Forms:') else '"Plural-Forms: nplurals=1; plural=0;\\n"\n'
           for ln in lines if not ln.startswith("msgstr[1]")]
    path.write_text("".join(old), encoding="utf-8")
    assert "nplurals=1" in path.read_text(encoding="utf-8")
    done = run_cli(project, "i18n", "status")
    assert done.returncode == 1
    line = next(i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "Plural-Forms" in ln)
    assert f"locales/fa/LC_MESSAGES/messages.po:{line}:1: error: Plural-Forms says nplurals=1, but fa has 2" \
        in done.stdout
    assert "use: nplurals=2; plural=" in done.stdout


# ---------------------------------------------------------------------------- checks on broken catalogs


ENTRY_OK = 'msgid "Duration"\nmsgstr "Διάρκεια"\n\n'


def test_placeholder_missing_added_and_changed_are_errors_at_their_line(tmp_path):
    project = lesson_project(tmp_path / "p")
    entries = (ENTRY_OK +
               '#, python-format\nmsgid "%(time)s ahead of plan"\nmsgstr "μπροστά από το πλάνο"\n\n'
               '#, python-format\nmsgid "%(time)s behind plan"\nmsgstr "%(time)s πίσω %(extra)s"\n\n'
               '#, python-format\nmsgid "%(num)s of %(total)s"\nmsgstr "%(num)d από %(total)s"\n\n'
               'msgid "Pause"\nmsgstr "100% παύση"\n\n'
               '#, python-format\nmsgid "%(num)s slide"\nmsgid_plural "%(num)s slides"\n'
               'msgstr[0] "%(num)s διαφάνεια"\nmsgstr[1] "διαφάνειες"\n')
    path = write_catalog(project, "el", po_text("el", "nplurals=2; plural=(n != 1);", entries))
    status = catalog_status(path, "el")
    found = {(d.line, d.code): d.message for d in status.errors}
    assert "leaves out %(time)s" in found[(12, "placeholder")]
    assert "adds %(extra)s" in found[(16, "placeholder")]
    assert "changes %(num)s to %(num)d" in found[(20, "placeholder")]
    assert "lone '%'" in found[(23, "placeholder")]
    assert "(msgstr[1])" in found[(29, "placeholder")] and "leaves out %(num)s" in found[(29, "placeholder")]
    assert status.translated == 6 and len(status.errors) == 5
    done = run_cli(project, "i18n", "status")
    assert done.returncode == 1
    assert "locales/el/LC_MESSAGES/messages.po:16:1: error: translation of '%(time)s behind plan'" in done.stdout


def test_placeholder_errors_are_the_ones_msgfmt_check_finds(tmp_path):
    """msgfmt --check is the stricter reference: the same messages, at the same lines, and the same counts."""
    project = lesson_project(tmp_path / "p")
    entries = (ENTRY_OK +
               '#, python-format\nmsgid "%(time)s ahead of plan"\nmsgstr "μπροστά από το πλάνο"\n\n'
               '#, python-format\nmsgid "%(time)s behind plan"\nmsgstr "%(time)s πίσω %(extra)s"\n\n'
               '#, python-format\nmsgid "%(num)s of %(total)s"\nmsgstr "%(num)d από %(total)s"\n\n'
               '#, fuzzy\nmsgid "Pause"\nmsgstr "Παύση"\n\n'
               'msgid "Resume"\nmsgstr ""\n\n'
               '#, python-format\nmsgid "%(num)s slide"\nmsgid_plural "%(num)s slides"\n'
               'msgstr[0] "%(num)s διαφάνεια"\nmsgstr[1] "διαφάνειες"\n')
    path = write_catalog(project, "el", po_text("el", "nplurals=2; plural=(n != 1);", entries))
    ref = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(path)],
                         capture_output=True, text=True, check=False)
    assert ref.returncode == 1
    their_lines = sorted(int(m) for m in re.findall(r"messages\.po:(\d+): (?!warning)", ref.stderr))
    status = catalog_status(path, "el")
    # the same four messages; msgfmt names a plural entry by its first msgstr line, we by the form's own
    assert their_lines == [12, 16, 20, 32]
    assert sorted(d.line for d in status.errors) == [12, 16, 20, 33]
    assert "5 translated messages, 1 fuzzy translation, 1 untranslated message." in ref.stderr
    assert (status.translated, status.fuzzy, status.untranslated) == (5, 1, 1)


def test_a_form_for_one_number_only_may_leave_the_number_out(tmp_path):
    """Arabic says 'one minute' and 'two minutes' without a digit: forms 1 (n=1) and 2 (n=2) may omit it."""
    project = lesson_project(tmp_path / "p")
    forms = plural_forms("ar")
    entries = ('#, python-format\nmsgid "%(num)s slide"\nmsgid_plural "%(num)s slides"\n'
               'msgstr[0] "%(num)s شريحة"\nmsgstr[1] "شريحة واحدة"\nmsgstr[2] "شريحتان"\n'
               'msgstr[3] "%(num)s شرائح"\nmsgstr[4] "%(num)s شريحة"\nmsgstr[5] "شريحة"\n')
    path = write_catalog(project, "ar", po_text("ar", forms.header, entries))
    status = catalog_status(path, "ar")
    assert [d.message for d in status.errors] == [
        "translation of '%(num)s slide' (msgstr[5]) leaves out %(num)s (the source has %(num)s)"]


def test_wrong_number_of_plural_forms_per_language(tmp_path):
    project = lesson_project(tmp_path / "p")
    cases = {"el": ("nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);", False),
             "ru": ("nplurals=2; plural=(n != 1);", False),
             "fa": ("nplurals=1; plural=0;", False),
             "ar": ("nplurals=3; plural=(n==0 ? 0 : n==1 ? 1 : 2);", False),
             # the right counts
             "he": (plural_forms("he").header, True)}
    for lang, (header, ok) in cases.items():
        path = write_catalog(project, lang, po_text(lang, header, ENTRY_OK))
        errors = catalog_status(path, lang).errors
        assert (errors == []) == ok, (lang, errors)
        if not ok:
            want = {"el": 2, "ru": 3, "fa": 2, "ar": 6}[lang]
            assert errors[0].line == 4 and f"but {lang} has {want} plural form" in errors[0].message


def test_babel_order_of_arabic_forms_is_a_warning_naming_each_slot(tmp_path):
    """Babel's table (pybabel init -l ar) gives 100-102 form 4 and 11-99 form 5; CLDR and GNU say the
    opposite. Both work when the translations follow the header, so it is a warning, not an error."""
    project = lesson_project(tmp_path / "p")
    babel_ar = ("nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
                "n%100>=0 && n%100<=2 ? 4 : 5);")
    path = write_catalog(project, "ar", po_text("ar", babel_ar, ENTRY_OK))
    status = catalog_status(path, "ar")
    assert status.errors == []
    warning = next(d for d in status.diagnostics if d.code == "plural-order")
    assert "msgstr[4] is 'other' (e.g. 100)" in warning.message
    assert "msgstr[5] is 'many' (e.g. 11)" in warning.message
    # the same partition in a wrong grouping is an error
    merged = "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n<50 ? 4 : 5);"
    write_catalog(project, "ar", po_text("ar", merged, ENTRY_OK))
    errors = catalog_status(path, "ar").errors
    assert errors and "CLDR gives it the same form" in errors[0].message


@pytest.mark.parametrize("text, line, what", [
    ('msgid "Duration"\nmsgstr "Διάρκεια"\nmsgid "Pause"\n', 9, "missing msgstr"),
    ('msgid "Duration"\nmsgstr "Διάρκεια"\n\nmsgid "Pause"\nmsgtxt "Παύση"\n', 11, "misformatted keyword"),
    ('#, fuzzy\n"stray line"\nmsgid "Duration"\nmsgstr "Διάρκεια"\n', 8, "not in msgid, msgstr or msgctxt"),
    ('msgid "Pause"\nmsgid_plural "Pauses"\nmsgstr[0] "a"\nmsgstr[1] "b"\nmsgstr[2] "c"\n', 7, "more plural forms than the Plural-Forms header allows (2); remove the extra"),
    ('msgid "Pause"\nmsgid_plural "Pauses"\nmsgstr[0] "a"\n', 7, "1 of the 2 plural forms the header asks for; add msgstr[1]"),
    ('msgid "Duration"\nmsgstr "Διάρκεια\n', 8, "double quotes"),
    ('msgid "Duration"\nmsgstr Διάρκεια\n', 8, "double quotes"),
    ('msgid "Duration"\nmsgstr "Δι\\q"\n', 8, "no escapes but"),
    ('msgid "Duration"\nmsgstr "Δι\\a"\n', 8, "no escapes but"),
    ('msgid "Duration"\nmsgstr[0] "Δι"\n', 8, "without msgid_plural"),
    ('msgid "Duration"\nmsgstr "a"\n\nmsgid "Duration"\nmsgstr "b"\n', 10, "defined twice (first at line 7)"),
])
def test_invalid_catalog_is_an_error_with_path_and_line(tmp_path, text, line, what):
    project = lesson_project(tmp_path / "p")
    path = write_catalog(project, "el", po_text("el", "nplurals=2; plural=(n != 1);", text))
    status = catalog_status(path, "el")
    assert status.state == "invalid"
    (error,) = status.errors
    assert (error.path, error.line) == (str(path), line) and what in error.message
    done = run_cli(project, "i18n", "status")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"locales/el/LC_MESSAGES/messages.po:{line}:" in done.stdout
    built = run_cli(project, "build", "--no-pdf", "-o", str(tmp_path / "site"))
    assert built.returncode == 1 and "Traceback" not in built.stderr
    assert f"messages.po:{line}" in built.stderr and "broken catalog" in built.stderr
    assert not (tmp_path / "site").exists()


def test_a_plural_expression_that_does_not_compile_stops_the_build_at_its_line(tmp_path):
    project = lesson_project(tmp_path / "p")
    write_catalog(project, "el", po_text("el", "nplurals=2; plural=(n !=;", ENTRY_OK))
    built = run_cli(project, "build", "--no-pdf", "-o", str(tmp_path / "site"))
    assert built.returncode == 1 and "Traceback" not in built.stderr
    assert "locales/el/LC_MESSAGES/messages.po:4" in built.stderr and "not a gettext plural expression" in built.stderr


# ---------------------------------------------------------------------------- the build's fallbacks


def build_warnings(project: Path, out: Path) -> tuple[list[str], Path]:
    from microlearn.site.build import build

    result = build(project, out, with_pdf=False)
    return [str(w) for w in result.warnings], result.out


def test_fuzzy_and_missing_strings_fall_back_to_the_source_with_one_warning_each(tmp_path):
    project = lesson_project(tmp_path / "p")
    el = project / "locales" / "el" / "LC_MESSAGES" / "messages.po"

    def change(message):
        if message.id == "Next slide":  # used several times on every deck
            message.flags.add("fuzzy")
        if message.id == "Key messages":
            message.string = ""
    edit_catalog(el, change)
    warnings, site = build_warnings(project, tmp_path / "site")
    deck = (site / "el" / "trial" / "index.html").read_text(encoding="utf-8")
    assert 'aria-label="Next slide"' in deck, "the fuzzy string is not used: the source text is"
    assert "Επόμενη διαφάνεια" not in deck, "the fuzzy translation is used nowhere on the page"
    about = [w for w in warnings if "'Next slide'" in w]
    assert about == ["warning: no el translation for interface text 'Next slide'; showing the source text"]
    assert sum("'Key messages'" in w for w in warnings) == 1
    assert not [w for w in warnings if "no ru translation for interface text 'Next slide'" in w]


def test_a_translation_with_a_wrong_placeholder_is_not_used_and_never_breaks_the_build(tmp_path):
    project = lesson_project(tmp_path / "p")
    ru = project / "locales" / "ru" / "LC_MESSAGES" / "messages.po"

    def change(message):
        if message.id == ("%(num)s slide", "%(num)s slides"):
            message.string = ("%(count)s слайд", "%(count)s слайда", "%(count)s слайдов")
    edit_catalog(ru, change)
    warnings, site = build_warnings(project, tmp_path / "site")
    assert any("messages.po" in w and "adds %(count)s" in w and "showing the source text" in w for w in warnings)
    deck = (site / "ru" / "trial" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<li><span lang="en" dir="ltr">\d+ slides</span></li>', deck), \
        "the source string, formatted, and marked as English"


def test_a_language_without_catalog_gets_one_summary_warning(tmp_path):
    project = lesson_project(tmp_path / "p")
    cfg = project / "microlearn.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "  tr:\n    title: Mikro dersler\n", encoding="utf-8")
    warnings, site = build_warnings(project, tmp_path / "site")
    about_tr = [w for w in warnings if "catalog for tr" in w or "no tr translation" in w]
    assert about_tr == [("warning: no interface catalog for tr: its pages show the English source text; "
                         "run 'microlearn i18n init tr'")]
    page = (site / "tr" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="tr" dir="ltr"' in page and "No lessons in this language yet." in page


def set_fallback(project: Path, codes: str) -> None:
    """Give fa a fallback chain in the project's microlearn.yml, e.g. ``set_fallback(project, "ru")``."""
    cfg = project / "microlearn.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace(
        "    title: درس‌های کوتاه تجارت الکترونیک\n",
        f"    title: درس‌های کوتاه تجارت الکترونیک\n    fallback: [{codes}]\n"), encoding="utf-8")


def test_a_fallback_without_catalog_is_named_once(tmp_path):
    project = lesson_project(tmp_path / "p")
    set_fallback(project, "de, en")
    warnings, _ = build_warnings(project, tmp_path / "site")
    about = [w for w in warnings if "falls back" in w]
    assert about == ["warning: fa falls back to de, which has no interface catalog; remove it from 'fallback' "
                     "in microlearn.yml or run 'microlearn i18n init de'"], "en is the source: no catalog needed"


def test_fallback_chain_takes_a_missing_string_from_the_next_catalog(tmp_path):
    """fa falls back to ru's catalog (any catalog works as a fallback), then to the source."""
    project = lesson_project(tmp_path / "p")
    set_fallback(project, "ru")
    fa = project / "locales" / "fa" / "LC_MESSAGES" / "messages.po"

    def change(message):
        if message.id in ("All lessons", "Presenter view"):
            message.string = ""
    edit_catalog(fa, change)
    ru = project / "locales" / "ru" / "LC_MESSAGES" / "messages.po"
    edit_catalog(ru, lambda m: setattr(m, "string", "") if m.id == "Presenter view" else None)
    add_persian_version(project)
    warnings, site = build_warnings(project, tmp_path / "site")
    deck = (site / "fa" / "trial" / "index.html").read_text(encoding="utf-8")
    assert '><span lang="ru" dir="ltr">Все уроки</span></a>' in deck, "from the ru catalog, marked Russian"
    assert '><span lang="en" dir="ltr">Presenter view</span></button>' in deck, \
        "from the source: neither catalog has it"
    # Where no element can go (attributes, the title, the strings the script puts on the page), English in
    # a right-to-left page is kept in order by Unicode isolates (LRI ... PDI), and Russian, also left to right.
    assert "\ufdd0" not in deck and "\ufdd2" not in deck
    assert '"presenter":"\u2066Presenter view\u2069"' in deck
    handout = (site / "fa" / "trial" / "handout.html").read_text(encoding="utf-8")
    assert "\ufdd0" not in handout
    assert any("no fa translation for interface text 'Presenter view'" in w for w in warnings)


# ---------------------------------------------------------------------------- lesson versions in sync


def test_done_records_the_source_revision_and_keeps_every_other_byte(tmp_path):
    project = lesson_project(tmp_path / "p")
    ru = project / "content" / "trial" / "ru.md"
    crlf = ("\ufeff" + LESSON_RU).replace("\n", "\r\n").encode("utf-8")
    ru.write_bytes(crlf)
    done = run_cli(project, "i18n", "done", "trial", "ru")
    assert done.returncode == 0, done.stderr
    from microlearn.lessons.parse import read_source

    revision = read_source(project / "content" / "trial" / "el.md").revision
    after = ru.read_bytes()
    assert after == crlf.replace(b"translation_of: el\r\n",
                                 b"translation_of: el\r\nsource_revision: " + revision.encode() + b"\r\n")
    # marking it again with an unchanged source changes nothing; after a change the one line is replaced
    assert run_cli(project, "i18n", "done", "trial", "ru").returncode == 0
    assert ru.read_bytes() == after
    el = project / "content" / "trial" / "el.md"
    el.write_text(LESSON_EL.replace("Ένα σύντομο κείμενο.", "Ένα νέο κείμενο."), encoding="utf-8")
    assert run_cli(project, "i18n", "done", "trial", "ru").returncode == 0
    new_revision = read_source(el).revision
    assert ru.read_bytes() == after.replace(revision.encode(), new_revision.encode())


def test_done_needs_translation_of_and_an_existing_version(tmp_path):
    project = lesson_project(tmp_path / "p")
    no_source = run_cli(project, "i18n", "done", "trial", "el")
    assert no_source.returncode == 1 and "translation_of" in no_source.stderr and "el.md:1" in no_source.stderr
    missing = run_cli(project, "i18n", "done", "trial", "fa")
    assert missing.returncode == 1 and "no fa version" in missing.stderr
    unknown = run_cli(project, "i18n", "done", "nope", "ru")
    assert unknown.returncode == 1 and "no lesson 'nope'" in unknown.stderr
    for r in (no_source, missing, unknown):
        assert "Traceback" not in r.stderr


@pytest.mark.slow  # several builds in subprocesses
def test_a_changed_source_makes_the_translation_outdated_everywhere(tmp_path):
    project = lesson_project(tmp_path / "p")
    assert run_cli(project, "i18n", "done", "trial", "ru").returncode == 0
    report = json.loads(run_cli(project, "i18n", "status", "--format", "json").stdout)
    assert report["lessons"]["trial"]["ru"]["state"] == "translated"
    assert report["lessons"]["trial"]["el"]["state"] == "source"
    assert report["lessons"]["trial"]["fa"]["state"] == "missing"
    _, site = build_warnings(project, tmp_path / "site1")
    assert "notice--outdated" not in (site / "ru" / "trial" / "index.html").read_text(encoding="utf-8")

    el = project / "content" / "trial" / "el.md"
    el.write_text(LESSON_EL.replace("Ένα σύντομο κείμενο.", "Ένα νέο κείμενο."), encoding="utf-8")
    status = run_cli(project, "i18n", "status")
    assert status.returncode == 0, "outdated is a warning"
    assert "trial" in status.stdout and "outdated" in status.stdout
    assert run_cli(project, "i18n", "status", "--strict").returncode == 1
    report = json.loads(run_cli(project, "i18n", "status", "--format", "json").stdout)
    assert report["lessons"]["trial"]["ru"]["state"] == "outdated"
    assert report["lessons"]["trial"]["ru"]["path"] == "content/trial/ru.md", "relative, as the diagnostics"
    check = run_cli(project, "check")
    said = next(line for line in check.stderr.splitlines() if "outdated" in line)
    assert said.startswith("content/trial/ru.md:6:1: warning: translation may be outdated")
    assert said in status.stdout + status.stderr, "status and check say it alike, at the same line"
    _, site = build_warnings(project, tmp_path / "site2")
    with (project / "locales" / "ru" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        notice = read_po(fh).get("This translation may be behind the original version of the lesson.").string
    assert notice, "the ru catalog translates the notice"
    for page in ("index.html", "handout.html"):
        html = (site / "ru" / "trial" / page).read_text(encoding="utf-8")
        assert "notice--outdated" in html and notice in html, page
    assert "notice--outdated" not in (site / "el" / "trial" / "index.html").read_text(encoding="utf-8")

    assert run_cli(project, "i18n", "done", "trial", "ru").returncode == 0
    report = json.loads(run_cli(project, "i18n", "status", "--format", "json").stdout)
    assert report["lessons"]["trial"]["ru"]["state"] == "translated"


def test_status_table_lists_catalogs_and_the_lesson_matrix(tmp_path):
    project = lesson_project(tmp_path / "p")
    done = run_cli(project, "i18n", "status")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    header = next(ln for ln in lines if ln.startswith("language"))
    assert header.split() == ["language", "translated", "fuzzy", "untranslated", "obsolete", "percent",
                              "errors", "catalog"]
    for lang in ("el", "ru", "fa", "ar"):
        assert any(ln.split()[:1] == [lang] and re.fullmatch(r"\d+\.\d%", ln.split()[5]) for ln in lines), lang
    lesson_header = next(ln for ln in lines if ln.startswith("lesson"))
    assert lesson_header.split() == ["lesson", "el", "ru", "fa", "ar"]
    row = next(ln for ln in lines if ln.startswith("trial"))
    assert row.split() == ["trial", "source", "unmarked", "missing", "missing"], "ru was never marked done"


def test_status_on_a_project_without_catalogs_uses_the_built_in_ones(tmp_path):
    project = lesson_project(tmp_path / "p", locales=False)
    report = json.loads(run_cli(project, "i18n", "status", "--format", "json").stdout)
    paths = [Path(r["catalog"]) for r in report["catalogs"]]
    assert [p.parent.parent.name for p in paths] == ["el", "ru", "fa", "ar"]
    assert all(r["errors"] == 0 for r in [report])


def test_broken_lesson_does_not_hide_the_catalog_report(tmp_path):
    project = lesson_project(tmp_path / "p")
    (project / "content" / "trial" / "ru.md").write_text("no front matter\n", encoding="utf-8")
    done = run_cli(project, "i18n", "status")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "content/trial/ru.md:1:1: error:" in done.stdout
    assert "Interface catalogs" in done.stdout


def test_compile_writes_mo_files_gettext_can_read(tmp_path):
    import gettext

    project = source_copy(tmp_path / "p")
    done = run_cli(project, "i18n", "compile")
    assert done.returncode == 0, done.stderr
    mo = project / "locales" / "ru" / "LC_MESSAGES" / "messages.mo"
    t = gettext.GNUTranslations(mo.open("rb"))
    assert t.ngettext("%(num)s slide", "%(num)s slides", 5) != "%(num)s slides"
    with pytest.raises(MicrolearnError):
        from microlearn.translate import init

        init(project, "xx-notalanguage")


def test_i18n_without_an_action_shows_its_help(tmp_path):
    project = lesson_project(tmp_path / "p")
    done = run_cli(project, "i18n")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    for action in ("extract", "init", "update", "compile", "status", "done"):
        assert action in done.stdout


def test_english_needs_no_catalog_and_warns_about_nothing(tmp_path):
    project = lesson_project(tmp_path / "p")
    cfg = project / "microlearn.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "  en:\n    title: Micro-lessons\n", encoding="utf-8")
    (project / "content" / "trial" / "en.md").write_text(
        LESSON_RU.replace("Пробный урок", "Trial lesson"), encoding="utf-8")
    warnings, site = build_warnings(project, tmp_path / "site")
    assert not [w for w in warnings if " en " in w or "for en" in w or "no en translation" in w], warnings
    assert ">Presenter view</button>" in (site / "en" / "trial" / "index.html").read_text(encoding="utf-8")


def test_extract_in_a_project_without_babel_cfg_adds_its_own_theme_strings(tmp_path):
    project = lesson_project(tmp_path / "p", locales=False)
    templates = project / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "_outdated.html").write_text(
        "{% if outdated %}<p class=\"notice\">{{ _('Our own notice') }}</p>{% endif %}\n", encoding="utf-8")
    done = run_cli(project, "i18n", "extract")
    assert done.returncode == 0, done.stderr
    pot = (project / "locales" / "messages.pot").read_text(encoding="utf-8")
    assert 'msgid "Our own notice"' in pot
    assert 'msgid "Presenter view"' in pot, "the built-in theme's strings stay in the template"
    assert run_cli(project, "i18n", "init", "tr").returncode == 0
    with (project / "locales" / "tr" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        assert read_po(fh).get("Our own notice") is not None


@pytest.mark.slow  # n = 0..1000 through the plural rule of every CLDR language
def test_plural_headers_read_like_gnu_and_agree_with_cldr_for_every_language():
    import gettext

    from babel.localedata import locale_identifiers

    assert plural_forms("ru").header == ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
                                         "(n%100<12 || n%100>14) ? 1 : 2);")
    assert plural_forms("ar").header == ("nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
                                         "n%100>=3 && n%100<=10 ? 3 : n%100>=11 && n%100<=99 ? 4 : 5);")
    assert plural_forms("fa").header == "nplurals=2; plural=(n==0 || n==1 ? 0 : 1);"
    languages = sorted({code.split("_")[0] for code in locale_identifiers()} - {"root"})
    assert len(languages) > 150
    for lang in languages:
        forms = plural_forms(lang)
        func = gettext.c2py(forms.header.split("plural=", 1)[1].rstrip(";"))
        rule = Locale.parse(lang).plural_form
        assert all(forms.tags[func(n)] == rule(n) for n in range(1001)), lang


def test_fallback_to_en_uses_an_english_catalog_when_the_project_has_one(tmp_path):
    """`fallback: [en]`: with locales/en (English wording of the project's own), a string missing in fa
    comes from it; without one, from the source text."""
    project = lesson_project(tmp_path / "p")
    set_fallback(project, "en")
    edit_catalog(project / "locales" / "fa" / "LC_MESSAGES" / "messages.po",
                 lambda m: setattr(m, "string", "") if m.id in ("Presenter view", "All lessons") else None)
    add_persian_version(project)
    assert run_cli(project, "i18n", "init", "en").returncode == 0
    edit_catalog(project / "locales" / "en" / "LC_MESSAGES" / "messages.po",
                 lambda m: setattr(m, "string", "Trainer view") if m.id == "Presenter view" else None)
    warnings, site = build_warnings(project, tmp_path / "site")
    deck = (site / "fa" / "trial" / "index.html").read_text(encoding="utf-8")
    assert '><span lang="en" dir="ltr">Trainer view</span></button>' in deck, "from the project's English catalog"
    assert '><span lang="en" dir="ltr">All lessons</span></a>' in deck, "from the source text"
    assert any("no fa translation for interface text 'All lessons'" in w for w in warnings)


def test_a_header_with_too_few_plural_forms_is_reported_at_the_header_with_the_right_one(tmp_path):
    project = lesson_project(tmp_path / "p")
    po = project / "locales" / "ru" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    text = re.sub(r'"Plural-Forms: [^"]*"', r'"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', text)
    po.write_text(text, encoding="utf-8")
    header_line = next(n for n, line in enumerate(text.split("\n"), 1) if line.startswith('"Plural-Forms:'))
    result = run_cli(project, "i18n", "status")
    assert result.returncode == 1
    assert (f"locales/ru/LC_MESSAGES/messages.po:{header_line}:1: error: broken catalog: the entry at line"
            in result.stdout + result.stderr)
    assert "ru needs 'Plural-Forms: nplurals=3;" in result.stdout + result.stderr
