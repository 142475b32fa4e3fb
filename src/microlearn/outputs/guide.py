"""The trainer's guide: ``<lang>/<id>/guide.html``, a printable run sheet for a room with one screen
(each stage's clock time from a start the page lets the trainer set, its budget, its slides with their
narration, the ``::: trainer`` directions and the questions with their answers), and ``guide.pdf``, the
same page laid out on A4 by WeasyPrint, when PDFs are built."""

from __future__ import annotations

from microlearn.lessons.model import Lesson
from microlearn.outputs.context import OutputContext
from microlearn.outputs.pdf import html_to_pdf
from microlearn.render import layout

NAME = "guide"
LANGUAGE_UNIT = None


def enabled(ctx: OutputContext) -> bool:
    return True


def lesson_paths(lesson: Lesson) -> list[str]:
    return [layout.guide(lesson), layout.guide_pdf(lesson)]


def lesson_files(lesson: Lesson, ctx: OutputContext, files: dict[str, bytes]) -> dict[str, bytes]:
    project, renderer = ctx.project, ctx.renderer
    versions, outdated = project.versions(lesson.id), project.is_outdated(lesson)
    made = {layout.guide(lesson): renderer.guide(lesson, versions, outdated).encode("utf-8")}
    if ctx.make_pdfs:
        html = renderer.guide(lesson, versions, outdated, for_pdf=True)
        made[layout.guide_pdf(lesson)] = html_to_pdf(html, identifier=f"microlearn:{lesson.lang}/{lesson.id}/guide",
                                                     epoch=ctx.epoch)
    return made


def bundled_files(lesson: Lesson, ctx: OutputContext, made: dict[str, bytes]) -> dict[str, bytes]:
    """The guide as a zip holds it: without links out of the lesson's folder."""
    versions, outdated = ctx.project.versions(lesson.id), ctx.project.is_outdated(lesson)
    return {layout.guide(lesson): ctx.renderer.guide(lesson, versions, outdated, bundled=True).encode("utf-8")}


def site_files(ctx: OutputContext) -> dict[str, bytes]:
    return {}
