"""Checks over the parsed project: what is allowed but probably a mistake (warnings), and what
cannot be built (errors). ``microlearn check`` prints them; ``build`` stops on errors."""

from __future__ import annotations

import difflib
from pathlib import Path

from microlearn.errors import Diagnostic, MicrolearnError
from microlearn.i18n import catalogs
from microlearn.i18n.catalogs import read_catalog
from microlearn.i18n.language import format_duration, language_info
from microlearn.lessons.parse import lesson_link as _lesson_link
from microlearn.lessons.project import Project, read_project
from microlearn.lessons.sync import sync_warning
from microlearn.project.config import Config, load_config
from microlearn.project.folders import locale_dirs, project_catalogs, project_locales, theme_dirs

# A 16:9 slide at the theme's type size holds about this many words of body text before it
# must shrink or overflow; above it the checker warns (documented in docs/authoring.md).
MAX_SLIDE_WORDS = 80


def check_sources(root: Path, config: Config | None = None) -> list[Diagnostic]:
    """Everything ``microlearn check`` reports, without writing anything: the loader's diagnostics, the
    project's own catalogs and the checks over the model, in file order."""
    try:
        config = config or load_config(root)
        theme_dirs(config.root, config.theme)  # a theme or catalog linking out of the project is an error
        locale_dirs(config.root)
        project, found = read_project(root, config)
    except MicrolearnError as err:
        return [Diagnostic.from_error(err, "project")]
    found = [d for d in found if d.level == "error"]
    found.extend(check_catalogs(config))
    found.extend(check_project(project))
    return sorted(found, key=lambda d: (d.path or "", d.line or 0, d.col or 0))


def check_catalogs(config: Config) -> list[Diagnostic]:
    """Problems in the project's own interface catalogs (``locales/<lang>/LC_MESSAGES/messages.po``),
    found by the i18n checks. The catalogs built into microlearn are its own business, not the author's."""
    template = None
    pot = project_locales(config.root) / catalogs.POT_NAME
    if pot.is_file():
        try:
            template = read_catalog(pot)
        except MicrolearnError as err:
            return [Diagnostic.from_error(err, "invalid-catalog")]
    found: list[Diagnostic] = []
    for lang, path in project_catalogs(config.root):
        if lang in config.languages:
            found.extend(catalogs.catalog_status(path, lang, template).diagnostics)
    return found


def check_project(project: Project) -> list[Diagnostic]:
    """The checks over a read project; a build stops on its errors. (The build does not stop for a
    catalog: it leaves out a translation it cannot use, shows the source text and warns.)"""
    found: list[Diagnostic] = list(project.warnings)
    config = project.config
    known_ids = project.unreadable
    for lesson_id in config.order:
        if lesson_id not in project.lessons and lesson_id not in known_ids:
            close = difflib.get_close_matches(lesson_id, sorted(project.lessons), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "the ids are the folder names under content/"
            found.append(Diagnostic("warning", f"order: there is no lesson '{lesson_id}'; {hint}",
                                    str(config.path), config.order_line, 1, "config-order"))
    for versions in project.lessons.values():
        counts = {lang: len(lesson.stages) for lang, lesson in versions.items()}
        for lang, lesson in versions.items():
            path = str(lesson.path)
            found.extend(_check_lesson(lesson, project, known_ids))
            if len(set(counts.values())) > 1:
                others = ", ".join(f"{k}: {v}" for k, v in counts.items() if k != lang)
                stages = "1 stage" if counts[lang] == 1 else f"{counts[lang]} stages"
                found.append(Diagnostic("warning", f"this version has {stages}, other versions have a "
                                        f"different number ({others})", path, 1, 1, "stage-count"))
            warning = sync_warning(project, lesson)
            if warning:
                found.append(warning)
    return found


def _check_lesson(lesson, project: Project, known_ids: set[str]) -> list[Diagnostic]:  # noqa: C901 - one check per finding
    out: list[Diagnostic] = []
    path = str(lesson.path)
    info = language_info(lesson.lang, project.config.languages[lesson.lang].numbering)
    budgets = [s.seconds for s in lesson.stages]
    if lesson.duration is not None and all(b is not None for b in budgets):
        total = sum(budgets)
        if total != lesson.duration:
            out.append(Diagnostic(
                "warning", f"the stages' times add up to {format_duration(total, language_info('en'))}, "
                f"but duration is {format_duration(lesson.duration, language_info('en'))}; make them agree",
                path, lesson.lines.get("duration", 1), 1, "duration-sum"))
    del info
    for stage in lesson.stages:
        if stage.seconds is None:
            out.append(Diagnostic("warning", f"stage '{stage.title}' has no time budget; add {{time=2m}} at the "
                                  "end of its heading", path, stage.line, 1, "no-time"))
        for slide in stage.slides:
            if not slide.notes_html.strip() and slide.question is None:  # a question needs no narration
                out.append(Diagnostic("warning", f"stage '{stage.title}' (slide {slide.part}/{slide.parts}) has "
                                      "no narration; add a '::: notes' block", path, slide.line, 1, "no-notes"))
            if slide.words > MAX_SLIDE_WORDS:
                out.append(Diagnostic(
                    "warning", f"slide '{stage.title}' has {slide.words} words; more than {MAX_SLIDE_WORDS} "
                    "do not fit on a slide: split it with '---' or move text to the notes", path, slide.line, 1,
                    "slide-too-long"))
    for image in lesson.images:
        if not image.alt.strip():
            out.append(Diagnostic("warning", f"image '{image.src}' has no alt text; describe it between the "
                                  "brackets: ![what it shows](file)", path, image.line, 1, "image-alt"))
    for link in lesson.links:
        target = _lesson_link(link.href)
        if target is not None:
            lesson_id, lang = target
            if lesson_id in known_ids:
                continue  # that lesson exists but could not be read; its own error says why
            if lesson_id not in project.lessons or (lang and lang not in project.lessons[lesson_id]):
                out.append(Diagnostic("error", f"link to lesson '{link.href}' which does not exist", path,
                                      link.line, 1, "lesson-link"))
    return out


