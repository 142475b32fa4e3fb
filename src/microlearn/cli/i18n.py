"""``microlearn i18n``: the translators' commands (extract, init, update, compile, status, done)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from microlearn import translate
from microlearn.errors import Diagnostic, MicrolearnError, shown_path
from microlearn.i18n import catalogs, plurals
from microlearn.i18n.langtag import base_language
from microlearn.project import folders

if TYPE_CHECKING:
    from microlearn.cli.console import Console


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser | None = None) -> None:
    parents = [common] if common is not None else []
    p = sub.add_parser("i18n", help="translation workflow: catalogs and lesson versions",
                       description="Interface catalogs (gettext .po files, as pybabel writes them) and the "
                       "state of lesson translations.")
    i18n = p.add_subparsers(dest="i18n_command", metavar="ACTION")
    p.set_defaults(func=lambda args, console: (p.print_help(), 2)[1], verbose=0, quiet=0, project=".")

    q = i18n.add_parser("extract", parents=parents, help="templates and code -> locales/messages.pot",
                        description="Collect the interface strings into locales/messages.pot, the same file "
                        "`pybabel extract -F babel.cfg ...` writes (see README, Translating).")
    q.set_defaults(func=cmd_extract)

    q = i18n.add_parser("init", parents=parents, help="start a catalog for a new language",
                        description="Create locales/<lang>/LC_MESSAGES/messages.po from messages.pot, with "
                        "the language's plural forms from CLDR.")
    q.add_argument("lang", help="language code, e.g. he, tr, pt-BR")
    q.add_argument("--force", action="store_true", help="replace an existing catalog")
    q.set_defaults(func=cmd_init)

    q = i18n.add_parser("update", parents=parents, help="merge messages.pot into every catalog",
                        description="Add new strings to every catalog, keep changed ones as fuzzy "
                        "suggestions and make removed ones obsolete, as `pybabel update` does.")
    q.add_argument("--no-fuzzy-matching", action="store_true", help="do not suggest similar old translations")
    q.set_defaults(func=cmd_update)

    q = i18n.add_parser("compile", parents=parents, help="write messages.mo files (optional)",
                        description="Write messages.mo beside each catalog for other gettext tools; the "
                        "build itself reads the .po files and does not need this.")
    q.set_defaults(func=cmd_compile)

    q = i18n.add_parser("status", parents=parents, help="catalog counts and errors, lessons x languages",
                        description="For each language: translated / fuzzy / untranslated / obsolete strings "
                        "and every catalog error; for each lesson: translated, outdated or missing per "
                        "language. Exit 1 on errors.")
    q.add_argument("--format", choices=["table", "json"], default="table")
    q.add_argument("--strict", action="store_true", help="exit 1 on warnings and outdated lessons too")
    q.set_defaults(func=cmd_status)

    q = i18n.add_parser("done", parents=parents, help="mark a lesson translation as up to date",
                        description="Record the current revision of the source version in the translation's "
                        "front matter (source_revision), so later changes to the source show it as outdated.")
    q.add_argument("lesson", help="the lesson id (its folder name)")
    q.add_argument("lang", help="the language of the translation")
    q.set_defaults(func=cmd_done)


def _root(args: argparse.Namespace) -> Path:
    root = Path(args.project).resolve()
    if not root.is_dir():
        raise MicrolearnError("no such project folder", root)
    return root


def cmd_extract(args: argparse.Namespace, console: Console) -> int:
    root = _root(args)
    path, count = translate.extract(root)
    console.info(f"{count} strings in {path}")
    console.info("next: 'microlearn i18n update' merges them into every catalog")
    return 0


def cmd_init(args: argparse.Namespace, console: Console) -> int:
    root = _root(args)
    path = translate.init(root, args.lang, force=args.force)
    forms = plurals.plural_forms(args.lang)
    console.info(f"created {path} ({forms.count} plural form{'s' if forms.count != 1 else ''}: "
                 f"{', '.join(forms.tags)})")
    from microlearn.project.config import CONFIG_NAME

    console.info(f"next: translate the msgstr lines, and add the language to {CONFIG_NAME}:\n"
                 f"  languages:\n    {args.lang}:\n      title: ...")
    return 0


def cmd_update(args: argparse.Namespace, console: Console) -> int:
    root = _root(args)
    done = translate.update(root, no_fuzzy_matching=args.no_fuzzy_matching)
    if not done:
        console.info("no catalogs to update; start one with 'microlearn i18n init <lang>'")
    for path, counts in done:
        console.info(f"{path}: {counts['added']} new, {counts['fuzzy']} fuzzy, {counts['obsolete']} obsolete")
    return 0


def cmd_compile(args: argparse.Namespace, console: Console) -> int:
    root = _root(args)
    for path, count in translate.compile_catalogs(root):
        console.info(f"{path}: {count} translated strings")
    return 0


def status_report(root: Path) -> dict:
    """Everything ``status`` prints: catalogs per language, lessons x languages, diagnostics."""
    from microlearn.i18n.catalogs import catalog_path
    from microlearn.lessons.project import load_project
    from microlearn.lessons.sync import matrix, sync_warning
    from microlearn.project.config import load_config
    from microlearn.project.folders import locale_dirs

    config = load_config(root)
    langs = list(config.languages)
    langs += [code for code, _ in folders.project_catalogs(root) if code not in langs]
    rows = []
    for lang in langs:
        po = next((catalog_path(d, lang) for d in locale_dirs(root) if catalog_path(d, lang).is_file()), None)
        if po is None:
            status = catalogs.CatalogStatus(lang, None)
            if base_language(lang) == catalogs.SOURCE_LANGUAGE:
                status.state = "source"
            else:
                status.state = "missing"
                status.diagnostics.append(Diagnostic(
                    "warning", f"no interface catalog for {lang}: its pages show the English source text; "
                    f"run 'microlearn i18n init {lang}'", None, None, None, "catalog-missing"))
        else:
            pot = po.parent.parent.parent / catalogs.POT_NAME
            template = catalogs.read_catalog(pot) if pot.is_file() else None
            status = catalogs.catalog_status(po, lang, template)
        rows.append(status)
    problems: list[Diagnostic] = []
    lessons: dict = {}
    try:
        project = load_project(root, config)
    except MicrolearnError as err:
        problems.append(Diagnostic.from_error(err, "lesson"))
    else:
        for lesson_id, cells in matrix(project).items():
            lessons[lesson_id] = {lang: c.as_dict() for lang, c in cells.items()}
            for lesson in project.lessons[lesson_id].values():
                warning = sync_warning(project, lesson)
                if warning:
                    problems.append(warning)
    return {"languages": langs, "catalogs": rows, "lessons": lessons, "problems": problems}


def cmd_status(args: argparse.Namespace, console: Console) -> int:
    root = _root(args)
    report = status_report(root)
    rows: list[catalogs.CatalogStatus] = report["catalogs"]
    for r in rows:
        r.diagnostics = [d.relative_to() for d in r.diagnostics]
    report["problems"] = [d.relative_to() for d in report["problems"]]
    for cells in report["lessons"].values():  # lesson paths as the diagnostics give them
        for cell in cells.values():
            if "path" in cell:
                cell["path"] = shown_path(cell["path"])
    diagnostics = [d for r in rows for d in r.diagnostics] + report["problems"]
    errors = sum(d.level == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    if args.format == "json":
        print(json.dumps({
            "catalogs": [r.as_dict() for r in rows],
            "lessons": report["lessons"],
            "diagnostics": [d.__dict__ for d in report["problems"]],
            "errors": errors, "warnings": warnings,
        }, ensure_ascii=False, indent=2, sort_keys=False))
    else:
        print(_catalog_table(rows))
        print()
        print(_lesson_table(report["languages"], report["lessons"]))
        untranslated = _untranslated(rows)
        if untranslated:
            print()
            print(untranslated)
        if diagnostics:
            print()
        for d in diagnostics:
            print(str(d))
        print(f"\n{errors} error(s), {warnings} warning(s)")
    return 1 if errors or (args.strict and warnings) else 0


def _table(header: list[str], body: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]

    def fmt(r: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)).rstrip()

    return "\n".join([fmt(header), fmt(["-" * w for w in widths]), *map(fmt, body)])


def _catalog_table(rows: list[catalogs.CatalogStatus]) -> str:
    body = []
    for r in rows:
        if r.state in ("missing", "source", "invalid"):
            body.append([r.lang, *["-"] * 5, "-", r.state if r.state != "invalid" else "invalid catalog"])
            continue
        errors = len(r.errors)
        body.append([r.lang, str(r.translated), str(r.fuzzy), str(r.untranslated + r.not_in_catalog),
                     str(r.obsolete), f"{r.percent:.1f}%", str(errors),
                     shown_path(r.path) if r.path else "-"])
    return "Interface catalogs\n" + _table(
        ["language", "translated", "fuzzy", "untranslated", "obsolete", "percent", "errors", "catalog"], body)


def _untranslated(rows: list[catalogs.CatalogStatus]) -> str:
    """Each catalog's strings without a translation, at their lines: the translator's to-do list (the
    build only counts them)."""
    parts = []
    for r in rows:
        if not r.untranslated_strings or r.path is None:  # strings are read from a catalog: it has a path
            continue
        parts.append(f"{r.lang}: {len(r.untranslated_strings)} untranslated in {shown_path(r.path)}")
        for msgid, line in r.untranslated_strings:
            shown = msgid if len(msgid) <= 70 else msgid[:67] + "..."
            parts.append(f"  line {line}: {shown!r}")
    return ("Untranslated strings\n" + "\n".join(parts)) if parts else ""


def _lesson_table(langs: list[str], lessons: dict) -> str:
    if not lessons:
        return "Lessons\n(no lessons)"
    body = [[lesson_id, *(cells.get(lang, {}).get("state", "-") for lang in langs)]
            for lesson_id, cells in lessons.items()]
    return "Lessons\n" + _table(["lesson", *langs], body)


def cmd_done(args: argparse.Namespace, console: Console) -> int:
    from microlearn.lessons.project import load_project
    from microlearn.lessons.sync import mark_done

    root = _root(args)
    lesson, revision, changed = mark_done(load_project(root), args.lesson, args.lang)
    what = "recorded" if changed else "already recorded"
    console.info(f"{lesson.path}: {what} source_revision {revision} ({lesson.translation_of} version)")
    return 0
