"""Checks over the parsed project: what is allowed but probably a mistake (warnings), and what
cannot be built (errors). ``microlearn check`` prints them; ``build`` stops on errors."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from .errors import Diagnostic
from .i18n import format_duration, language_info
from .project import Project

# A 16:9 slide at the theme's type size holds about this many words of body text before it
# must shrink or overflow; above it the checker warns (documented in docs/authoring.md).
MAX_SLIDE_WORDS = 80


def check_project(project: Project) -> list[Diagnostic]:
    found: list[Diagnostic] = list(project.warnings)
    for lesson_id, versions in project.lessons.items():
        counts = {lang: len(lesson.stages) for lang, lesson in versions.items()}
        for lang, lesson in versions.items():
            path = str(lesson.path)
            found.extend(_check_lesson(lesson, project))
            if len(set(counts.values())) > 1:
                others = ", ".join(f"{k}: {v}" for k, v in counts.items() if k != lang)
                found.append(Diagnostic("warning", f"this version has {counts[lang]} stages, other versions "
                                        f"have a different number ({others})", path, 1, 1, "stage-count"))
            if project.is_outdated(lesson):
                found.append(Diagnostic(
                    "warning", f"translation may be outdated: {lesson.translation_of}.md changed since it was "
                    f"marked done; update it, then run 'microlearn i18n done {lesson_id} {lang}'",
                    path, lesson.lines.get("translation_of", 1), 1, "outdated"))
    return found


def _check_lesson(lesson, project: Project) -> list[Diagnostic]:
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
            if not slide.notes_html.strip():
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
            if lesson_id not in project.lessons or (lang and lang not in project.lessons[lesson_id]):
                out.append(Diagnostic("error", f"link to lesson '{link.href}' which does not exist", path,
                                      link.line, 1, "lesson-link"))
    return out


def _lesson_link(href: str) -> tuple[str, str | None] | None:
    """('omnichannel', 'el') for '../omnichannel/el.md'; None for links that are not to lessons."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) or href.startswith("#"):
        return None
    p = PurePosixPath(href.split("#")[0])
    if p.suffix == ".md" and len(p.parts) >= 2 and p.parts[0] == "..":
        return p.parts[1], p.stem
    return None
