"""Command line: parse arguments, call the function that does the work, map errors to exit codes."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from microlearn import __version__
from microlearn.cli.console import Console
from microlearn.errors import Diagnostic, MicrolearnError


def cmd_build(args, console: Console) -> int:
    from microlearn.site.build import build
    from microlearn.site.folder import stopped_note

    out = Path(args.output) if args.output else None
    try:
        # every author mistake at once (BuildFailed carries them all), as check says them
        result = build(Path(args.project), out, with_pdf=not args.no_pdf, strict=args.strict,
                       progress=console.progress)
    except MicrolearnError as err:
        err.note = stopped_note(Path(args.project), out)
        raise
    for warning in _summarized(result.warnings, console.verbosity > 0):
        console.diagnostic(warning)
    if result.pdf_note:
        console.warn(result.pdf_note)
    console.info(f"built {len(result.files)} files into {result.out} "
                 f"({result.stats.get('written', 0)} written, {result.stats.get('kept', 0)} unchanged)")
    return 0


def _summarized(warnings: list[Diagnostic], every_one: bool) -> list[Diagnostic]:
    """The build's warnings, with the interface strings a language lacks said in one line per language
    (a new catalog lacks them all: 95 lines on every build); ``every_one`` (-v) lists each of them."""
    if every_one:
        return list(warnings)
    import re

    out: list[Diagnostic] = []
    missing: dict[str, int] = {}
    for warning in warnings:
        m = re.match(r"no (\S+) translation for interface text ", warning.message)
        if warning.code == "missing-translation" and m:
            missing[m.group(1)] = missing.get(m.group(1), 0) + 1
        else:
            out.append(warning)
    for lang, count in missing.items():
        what = "1 interface string has" if count == 1 else f"{count} interface strings have"
        out.append(Diagnostic("warning", f"{what} no {lang} translation: the pages show the source text for "
                              f"{'it' if count == 1 else 'them'}; 'microlearn i18n status' lists them (so does "
                              "'microlearn build -v')", None, None, None, "missing-translation"))
    return out


def cmd_check(args, console: Console) -> int:
    from microlearn.lessons.check import check_sources

    diagnostics = [d.relative_to() for d in check_sources(Path(args.project))]
    failing = [d for d in diagnostics if d.level == "error" or (args.strict and d.level == "warning")]
    if args.format == "json":
        print(json.dumps([{"path": d.path, "line": d.line or 1 if d.path else None,
                           "col": d.col or 1 if d.path else None, "level": d.level, "code": d.code,
                           "message": d.message} for d in diagnostics], ensure_ascii=False, indent=2))
    else:
        for d in diagnostics:
            console.diagnostic(d)
        errors = sum(d.level == "error" for d in diagnostics)
        console.info(f"{errors} error(s), {len(diagnostics) - errors} warning(s)")
    return 1 if failing else 0


def cmd_serve(args, console: Console) -> int:
    from microlearn.serve.server import serve

    serve(Path(args.project), host=args.host, port=args.port, console=console,
          out=Path(args.output) if args.output else None)
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="microlearn",
        description="Build slide decks, presenter views and offline handouts from Markdown micro-lessons.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="start a project:\n"
               "  microlearn init my-lessons --lang el   a project with one sample lesson\n"
               "  cd my-lessons && microlearn serve      live preview at http://127.0.0.1:8000/\n"
               "  microlearn new customer-journey        another lesson, in the default language\n"
               "  microlearn check                       every mistake as path:line:col: level: message\n"
               "\n"
               "'microlearn COMMAND --help' explains a command; -q (quiet) and -v (verbose) go after it.\n"
               "The authoring guide: docs/authoring.md.")
    parser.add_argument("--version", action="version", version=f"microlearn {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="count", default=0, help="print only errors")
    common.add_argument("-v", "--verbose", action="count", default=0, help="print more detail")
    common.add_argument("-C", "--project", default=".", metavar="DIR",
                        help="the project folder (with microlearn.yml); default: here")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("build", parents=[common], help="build the site",
                       description="Build decks, handouts, PDFs, zips and index pages into site/.")
    p.add_argument("-o", "--output", metavar="DIR", help="output folder (default: site/)")
    p.add_argument("--no-pdf", action="store_true", help="skip PDF handouts (faster previews)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("check", parents=[common], help="check lessons without building",
                       description="Validate the project and print path:line:col: level: message.")
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p.add_argument("--format", choices=["text", "json"], default="text",
                   help="text (default) or json: a list of {path, line, col, level, code, message}")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("serve", parents=[common], help="live preview with reload on save",
                       description="Build the site (without PDFs), serve it on this machine, rebuild what a "
                                   "change to content/, locales/, themes/ or microlearn.yml touches, and "
                                   "reload the open pages. Errors show in the browser until the next good save.")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port to serve on (default: 8000)")
    p.add_argument("-o", "--output", metavar="DIR",
                   help="build the preview into DIR (default: a temporary folder, removed at the end)")
    p.set_defaults(func=cmd_serve)

    _add_more_commands(sub, common)
    return parser


def _add_more_commands(sub, common) -> None:
    """Commands that live in their own modules register here."""
    from microlearn.cli.i18n import register as register_i18n

    register_i18n(sub, common)
    from microlearn.cli.scaffold import register as register_scaffold

    register_scaffold(sub, common)


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    console = Console(args.verbose - args.quiet)
    try:
        code = args.func(args, console)
        sys.stdout.flush()  # here, so a closed pipe is noticed below and not as a traceback at exit
        return code
    except BrokenPipeError:
        # The reader went away (`microlearn i18n status | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except MicrolearnError as err:
        for diagnostic in err.diagnostics():
            console.diagnostic(diagnostic)
        if args.command == "build":
            console.error(err.note or "build stopped; the previous site is unchanged")
        return 1
    except KeyboardInterrupt:
        if args.command == "build":
            from microlearn.site.folder import stopped_note

            output = Path(args.output) if args.output else None
            console.error(stopped_note(Path(args.project), output).replace("build stopped", "interrupted"))
        else:
            console.error("interrupted")
        return 130
