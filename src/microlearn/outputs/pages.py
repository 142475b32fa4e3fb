"""A lesson version's pages (deck, handout, images) and the catalogs' lists of lessons."""

from __future__ import annotations

from microlearn.errors import MicrolearnError
from microlearn.i18n.collation import title_key
from microlearn.lessons.model import Lesson
from microlearn.lessons.project import Project
from microlearn.outputs import bundle, pdf
from microlearn.render.renderer import Renderer


def catalog_entries(project: Project) -> dict[str, list[tuple[Lesson, dict[str, Lesson], bool]]]:
    """Each configured language's lessons as its catalog lists them: (lesson, versions, outdated), in
    the config's course order, then by title as the language sorts it ("Урок 2" before "Урок 10")."""
    by_lang: dict[str, list] = {code: [] for code in project.config.languages}
    for lesson in project.all_lessons():
        by_lang[lesson.lang].append((lesson, project.versions(lesson.id), project.is_outdated(lesson)))
    place = {lesson_id: i for i, lesson_id in enumerate(project.config.order)}
    for entries in by_lang.values():
        entries.sort(key=lambda e: (place.get(e[0].id, len(place)), title_key(e[0].title, e[0].lang), e[0].id))
    return by_lang


def lesson_pages(lesson: Lesson, project: Project, renderer: Renderer) -> dict[str, bytes]:
    """A lesson version's deck, handout and images, by site path."""
    versions = project.versions(lesson.id)
    outdated = project.is_outdated(lesson)
    base = f"{lesson.lang}/{lesson.id}/"
    files = {base + "index.html": renderer.deck(lesson, versions, outdated).encode("utf-8"),
             base + "handout.html": renderer.handout(lesson, versions, outdated).encode("utf-8")}
    generated = {*files, pdf.pdf_path(lesson), bundle.lesson_zip_path(lesson)}
    for image in lesson.images:
        relpath = base + image.path.name
        if relpath in generated:  # parse.check_image allows no such name; a file we generate is ours
            raise MicrolearnError(f"image '{image.src}' has the name of a file the build makes; rename it",
                                  lesson.path, image.line)
        files[relpath] = image.path.read_bytes()
    return files
