"""The translator's workflow: extract, init, update and compile the project's interface catalogs.

The files are plain gettext, written the way ``pybabel`` writes them, so the pybabel commands keep
working on them. What a language needs (how many plural forms, which integer takes which form) comes
from CLDR through Babel, for any language code."""

from __future__ import annotations

import configparser
import contextlib
import io
import os
from datetime import UTC, datetime
from pathlib import Path

import jinja2
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from microlearn.errors import MicrolearnError
from microlearn.files import replace_file
from microlearn.i18n.catalogs import (
    POT_NAME,
    catalog_path,
    check_code,
    check_plurals,
    is_complete,
    read_catalog,
    read_checked,
    read_text,
)
from microlearn.i18n.language import babel_locale
from microlearn.i18n.plurals import plural_forms
from microlearn.project.folders import project_catalogs, project_locales

# The keywords of the documented pybabel command line (README, "Translating"): these are added to
# Babel's defaults exactly as `pybabel extract -k ...` adds them.
KEYWORDS = ["_", "gettext", "ngettext:1,2", "pgettext:1c,2", "npgettext:1c,2,3"]
WIDTH = 76  # pybabel's default line width, so that pybabel and microlearn write the same files


# ---------------------------------------------------------------------------- the workflow


def extract(root: Path, output: Path | None = None) -> tuple[Path, int]:
    """Templates and code to ``locales/messages.pot``, exactly as the documented pybabel command.

    With a ``babel.cfg`` the project's mapping is used (the pybabel way); without one, the built-in
    template's strings plus those of the project's own theme templates.
    """
    output = output or project_locales(root) / POT_NAME
    keywords = dict(DEFAULT_KEYWORDS)
    keywords.update(parse_keywords(KEYWORDS))
    catalog = Catalog(fuzzy=False)
    cfg = root / "babel.cfg"
    if cfg.is_file():
        with cfg.open(encoding="utf-8") as fh:
            try:
                method_map, options_map = parse_mapping_cfg(fh, str(cfg))
            except (configparser.Error, ValueError) as err:
                raise MicrolearnError(f"cannot read the extraction mapping: {err}", cfg) from None
        dirs = [(".", method_map, options_map)]
    else:
        from microlearn.project.folders import builtin_dir

        builtin_pot = builtin_dir("locales") / POT_NAME
        if builtin_pot.is_file():
            for message in read_catalog(builtin_pot):
                if message.id:
                    catalog.add(message.id, None, context=message.context, flags=message.flags)
        # silent = false: a template Jinja cannot read is an error, not a template with no strings
        theme_cfg = ("[jinja2: themes/**/templates/**.html]\ntrim_blocks = True\nlstrip_blocks = True\n"
                     "silent = false\n")
        method_map, options_map = parse_mapping_cfg(io.StringIO(theme_cfg))
        dirs = [(".", method_map, options_map)] if (root / "themes").is_dir() else []
    cwd = os.getcwd()
    try:
        os.chdir(root)
        for dirname, method_map, options_map in dirs:
            current = [""]  # the file being read, for an error's place

            def reading(filename: str, method: str, options: dict, current: list[str] = current) -> None:
                current[0] = filename

            try:
                for filename, lineno, msgid, comments, context in extract_from_dir(
                        dirname, method_map, options_map, keywords=keywords, callback=reading):
                    catalog.add(msgid, None, [(os.path.normpath(os.path.join(dirname, filename)), lineno)],
                                auto_comments=comments, context=context)
            except SyntaxError as err:
                raise MicrolearnError(f"cannot extract strings: {err.msg}", root / (err.filename or ""),
                                      err.lineno) from None
            except jinja2.TemplateSyntaxError as err:
                where = err.filename or current[0]
                raise MicrolearnError(f"cannot extract strings: {err.message}; fix the template",
                                      root / where, err.lineno) from None
    finally:
        os.chdir(cwd)
    buf = io.BytesIO()
    write_po(buf, catalog, no_location=True, omit_header=True, sort_output=True, width=WIDTH)
    _write_if_changed(output, buf.getvalue())
    return output, len([m for m in catalog if m.id])


def _write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``path`` in one step when its bytes change. A full or read-only disk is a MicrolearnError,
    and the file stays as it was."""
    try:
        if path.is_file() and path.read_bytes() == data:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, data)
    except OSError as err:
        raise MicrolearnError(f"cannot write {path.name}: {err.strerror or err}; it is unchanged", path) from None
    return True


def template_path(root: Path) -> Path:
    """The project's messages.pot, else the built-in one."""
    own = project_locales(root) / POT_NAME
    if own.is_file():
        return own
    from microlearn.project.folders import builtin_dir

    builtin = builtin_dir("locales") / POT_NAME
    if builtin.is_file():
        return builtin
    raise MicrolearnError(f"no {POT_NAME}; run 'microlearn i18n extract' first", own)


def _now() -> datetime:
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        from microlearn.epoch import (
            source_date_epoch,  # the one reading of it: a value no zip can hold is an error
        )

        return datetime.fromtimestamp(source_date_epoch(), UTC)
    return datetime.now(UTC).replace(second=0, microsecond=0)



def init(root: Path, lang: str, force: bool = False) -> Path:
    """A new catalog for ``lang`` from messages.pot, with CLDR's plural forms in its header."""
    check_code(lang)
    locale = babel_locale(lang)
    target = catalog_path(project_locales(root), lang)
    if target.exists() and not force:
        raise MicrolearnError(f"a catalog for {lang} exists already; run 'microlearn i18n update' to merge "
                              "new strings into it", target)
    pot = template_path(root)
    with pot.open("rb") as fh:
        # Read without the locale: Babel's own plural table (nplurals=1 for tr, ka, ja...) would warn about
        # every plural entry of the template; the header below sets CLDR's forms.
        catalog = read_po(fh)
    catalog.locale = locale
    catalog.revision_date = _now()
    catalog.creation_date = _now()
    catalog.fuzzy = False
    forms = plural_forms(lang)
    headers = [(k, v) for k, v in catalog.mime_headers if k.lower() != "plural-forms"]
    headers.append(("Plural-Forms", forms.header))
    catalog.mime_headers = headers
    buf = io.BytesIO()
    write_po(buf, catalog, width=WIDTH)
    made = [p for p in (target.parent.parent.parent, target.parent.parent, target.parent) if not p.exists()]
    try:
        _write_if_changed(target, buf.getvalue())
    except MicrolearnError:
        for folder in reversed(made):  # leave no empty locales/<lang>/ behind
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    return target


def update(root: Path, no_fuzzy_matching: bool = False) -> list[tuple[Path, dict]]:
    """Merge messages.pot into every catalog of the project, as ``pybabel update`` does: new strings
    are added, changed ones kept as fuzzy suggestions, removed ones made obsolete (#~)."""
    pot = project_locales(root) / POT_NAME
    if not pot.is_file():
        raise MicrolearnError(f"no {POT_NAME}; run 'microlearn i18n extract' first", pot)
    template = read_catalog(pot)
    done = []
    for lang, po in project_catalogs(root):
        catalog = read_checked(po, lang)
        before = {m.id for m in catalog if m.id}
        catalog.update(template, no_fuzzy_matching=no_fuzzy_matching)
        buf = io.BytesIO()
        write_po(buf, catalog, width=WIDTH)
        _write_if_changed(po, buf.getvalue())
        after = [m for m in catalog if m.id]
        done.append((po, {"added": sum(m.id not in before for m in after),
                          "fuzzy": sum(bool(m.fuzzy) for m in after), "obsolete": len(catalog.obsolete)}))
    return done


def compile_catalogs(root: Path) -> list[tuple[Path, int]]:
    """messages.mo beside each catalog (fuzzy strings left out). The build does not need them: it
    compiles catalogs in memory; they are for other gettext tools."""
    out = []
    for lang, po in project_catalogs(root):
        translations_catalog = read_checked(po, lang)
        text = read_text(po)
        problems, _single, func = check_plurals(translations_catalog, lang, text, str(po))
        if func is None:  # msgfmt refuses such a catalog: so do we, rather than write a .mo that breaks
            raise MicrolearnError(problems[0].message, po, problems[0].line)
        buf = io.BytesIO()
        write_mo(buf, translations_catalog, use_fuzzy=False)
        _write_if_changed(po.with_suffix(".mo"), buf.getvalue())
        out.append((po.with_suffix(".mo"), sum(1 for m in translations_catalog
                                              if m.id and not m.fuzzy and is_complete(m))))
    return out
