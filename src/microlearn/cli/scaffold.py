"""Starting: ``microlearn init DIR`` creates a project that builds at once; ``microlearn new ID``
adds a lesson skeleton whose headings and hints are in the lesson's language.

The skeletons are Markdown files in the theme (``skeletons/<lang>.md``), so a project's own theme
can replace them and a translator edits them like any lesson; a language without one gets English.
"""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from microlearn.errors import MicrolearnError
from microlearn.files import replace_file
from microlearn.i18n.langtag import base_language, is_language_code
from microlearn.project.config import CONFIG_NAME, load_config
from microlearn.project.folders import theme_dirs
from microlearn.project.sources import LESSON_ID_RE

if TYPE_CHECKING:
    from microlearn.cli.console import Console

FALLBACK = "en"
SAMPLE_ID = "first-lesson"
GITIGNORE = "# microlearn build output and cache\nsite/\n.microlearn-cache/\n"


def _skeleton_file(project_root: Path, theme: str, name: str) -> Path | None:
    for folder in theme_dirs(project_root, theme):
        candidate = folder / "skeletons" / name
        if candidate.is_file():
            return candidate
    return None


def skeleton(lang: str, project_root: Path | None = None, theme: str = "default") -> str:
    """The lesson skeleton for ``lang`` (the language itself, then its base language, then English)."""
    root = project_root or Path.cwd()
    for code in (lang, base_language(lang), FALLBACK):
        found = _skeleton_file(root, theme, f"{code}.md")
        if found:
            return found.read_text(encoding="utf-8")
    raise MicrolearnError(f"the theme '{theme}' has no lesson skeletons (skeletons/{FALLBACK}.md)")


def site_title(lang: str, project_root: Path | None = None, theme: str = "default") -> str:
    found = _skeleton_file(project_root or Path.cwd(), theme, "site-titles.yml")
    titles = yaml.safe_load(found.read_text(encoding="utf-8")) if found else {}
    titles = titles if isinstance(titles, dict) else {}
    return titles.get(lang) or titles.get(base_language(lang)) or titles.get(FALLBACK) or "microlearn"


def config_text(languages: list[str], titles: dict[str, str]) -> str:
    lines = [
        "# microlearn project: the lesson format and every setting are in the authoring guide",
        "# (docs/authoring.md in microlearn's sources).",
        f"default_language: {languages[0]}",
        "languages:",
    ]
    for code in languages:
        lines += [f"  {code}:", f"    title: {_yaml_text(titles[code])}"]
    return "\n".join(lines) + "\n"


def _yaml_text(text: str) -> str:
    dumped = yaml.safe_dump(text, allow_unicode=True, default_style=None, width=1000)
    return dumped.removesuffix("\n...\n").strip()


def init_project(folder: Path, languages: list[str]) -> list[Path]:
    """Create a project in ``folder`` (new or empty); return the files written."""
    for code in languages:
        if not is_language_code(code):
            raise MicrolearnError(f"'{code}' is not a language code such as 'el' or 'pt-BR'")
    if len(set(languages)) != len(languages):
        raise MicrolearnError("a language is given twice")
    if (folder / CONFIG_NAME).exists():
        raise MicrolearnError(f"there is already a project here ({CONFIG_NAME}); nothing was changed",
                              folder / CONFIG_NAME)
    if folder.exists() and not folder.is_dir():
        raise MicrolearnError("this is a file, not a folder", folder)
    lesson = folder / "content" / SAMPLE_ID / f"{languages[0]}.md"
    planned = {
        folder / CONFIG_NAME: config_text(languages, {c: site_title(c, folder) for c in languages}),
        lesson: skeleton(languages[0], folder),
        folder / ".gitignore": GITIGNORE,
    }
    existing = [p for p in planned if p.exists()]
    if existing:
        raise MicrolearnError("would overwrite an existing file; start in an empty folder", existing[0])
    _write_all(planned)
    return list(planned)


def _write(path: Path, text: str) -> None:
    _write_all({path: text})


def _write_all(planned: dict[Path, str]) -> None:
    """Write every file, each in one step (never a half or empty one), or none: on a full or read-only
    disk what was already written, and the folders made for it, are removed again, so that trying
    again after making room starts from the same place."""
    made = sorted({parent for path in planned for parent in path.parents if not parent.exists()},
                  key=lambda p: len(p.parts), reverse=True)
    written: list[Path] = []
    try:
        for path, text in planned.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            replace_file(path, text.encode("utf-8"))
            written.append(path)
    except OSError as err:
        for path in written:
            path.unlink(missing_ok=True)
        for folder in made:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise MicrolearnError(f"cannot write the file: {err.strerror or err}; nothing was changed",
                              path) from None


def new_lesson(project_root: Path, lesson_id: str, lang: str | None) -> Path:
    """Add ``content/<lesson_id>/<lang>.md`` from the skeleton of ``lang``; return its path."""
    config = load_config(project_root)
    lang = lang or config.default_language
    if lang not in config.languages:
        raise MicrolearnError(f"'{lang}' is not one of the project's languages "
                              f"({', '.join(config.languages)}); add it under 'languages' in {CONFIG_NAME} "
                              "first", config.path)
    if not LESSON_ID_RE.match(lesson_id):
        raise MicrolearnError(f"'{lesson_id}' cannot be a lesson id: use lowercase letters, digits, '-' and "
                              "'_' (at most 64), starting with a letter or digit, e.g. 'customer-journey'")
    target = config.root / config.content_dir / lesson_id / f"{lang}.md"
    if target.exists():
        raise MicrolearnError("this lesson version exists already; nothing was changed", target)
    _write(target, skeleton(lang, config.root, config.theme))
    return target


def cmd_init(args: argparse.Namespace, console: Console) -> int:
    folder = Path(args.directory)
    written = init_project(folder, args.lang or [FALLBACK])
    for path in written:
        console.detail(f"wrote {path}")
    console.info(f"created a microlearn project in {folder}/ with the sample lesson "
                 f"{written[1].relative_to(folder).as_posix()}")
    console.info(f"next: cd {folder} && microlearn serve   (live preview at http://127.0.0.1:8000/)")
    return 0


def cmd_new(args: argparse.Namespace, console: Console) -> int:
    path = new_lesson(Path(args.project), args.lesson_id, args.lang)
    console.info(f"wrote {path.relative_to(Path(args.project).resolve()).as_posix()}; write the lesson there "
                 "and see it with 'microlearn serve'")
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add ``init`` and ``new`` to the command line."""
    p = sub.add_parser("init", parents=[common], help="start a new project in a folder",
                       description="Create a project (microlearn.yml, one sample lesson, .gitignore) in DIR, "
                                   "ready to build.")
    p.add_argument("directory", metavar="DIR", help="the folder to create (or an empty one)")
    p.add_argument("--lang", action="append", metavar="LANG",
                   help="a language of the site, e.g. el; repeat for more; the first is the default "
                        "(default: en)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("new", parents=[common], help="add a lesson skeleton",
                       description="Write content/LESSON_ID/LANG.md: a lesson skeleton whose headings and "
                                   "hints are in LANG.")
    p.add_argument("lesson_id", metavar="LESSON_ID", help="the lesson's id, e.g. customer-journey")
    p.add_argument("--lang", metavar="LANG", help="the language of this version (default: the project's "
                   "default_language)")
    p.set_defaults(func=cmd_new)
