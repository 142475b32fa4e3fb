"""Where everything of a site lives: the one owner of its paths, and of the URLs made from them.

Python (the outputs, the renderer, the sitemap, serve) asks here; templates get what they need from
the renderer's page context (``root``, ``assets``, ``zip_name``, ``canonical``, the alternates' hrefs)
and never put a site path together themselves beyond a lesson's own folder.

    index.html                             the language chooser          root_index()
    sitemap.xml                            with base_url only            SITEMAP
    assets/<name>                          theme files                   asset(name)
    <lang>/index.html                      a language's catalog          catalog(lang)
    <lang>/microlearn-<lang>.zip           all its lessons               language_zip(lang)
    <lang>/<id>/index.html                 the deck                      deck(lesson)
    <lang>/<id>/handout.html, handout.pdf  the handouts                  handout(lesson), handout_pdf(lesson)
    <lang>/<id>/handout.epub               the handout for reading apps  handout_epub(lesson)
    <lang>/<id>/guide.html, guide.pdf      the trainer's guide           guide(lesson), guide_pdf(lesson)
    <lang>/<id>/questions.gift.txt         the question bank (Moodle)    question_bank(lesson)
    <lang>/<id>/<id>-<lang>.zip            the lesson's materials        lesson_zip(lesson)
    <lang>/<id>/<id>-<lang>-scorm12.zip    the lesson for an LMS         scorm_package(lesson, "1.2")
    <lang>/<id>/<id>-<lang>-scorm2004.zip    (SCORM 1.2 and 2004)        scorm_package(lesson, "2004")
    <lang>/<id>/<image>                    the lesson's images           image(lesson, name)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from microlearn.lessons.model import Lesson

ROOT_INDEX = "index.html"
SITEMAP = "sitemap.xml"
ASSETS = "assets/"
DECK = "index.html"
HANDOUT = "handout.html"
HANDOUT_PDF = "handout.pdf"
HANDOUT_EPUB = "handout.epub"
GUIDE = "guide.html"
GUIDE_PDF = "guide.pdf"
QUESTION_BANK = "questions.gift.txt"
SCORM_VERSIONS = ("1.2", "2004")  # SCORM 1.2; SCORM 2004 4th edition
MANIFEST = "imsmanifest.xml"  # at the root of a SCORM package, beside DECK (the learner's deck) and HANDOUT


def root_index() -> str:
    return ROOT_INDEX


def asset(name: str) -> str:
    return ASSETS + name


def language_dir(lang: str) -> str:
    return f"{lang}/"


def catalog(lang: str) -> str:
    return f"{lang}/index.html"


def language_zip_name(lang: str) -> str:
    return f"microlearn-{lang}.zip"


def language_zip(lang: str) -> str:
    return language_dir(lang) + language_zip_name(lang)


def lesson_dir(lang: str, lesson_id: str) -> str:
    return f"{lang}/{lesson_id}/"


def deck(lesson: Lesson) -> str:
    return lesson_dir(lesson.lang, lesson.id) + DECK


def handout(lesson: Lesson) -> str:
    return lesson_dir(lesson.lang, lesson.id) + HANDOUT


def handout_pdf(lesson: Lesson) -> str:
    return lesson_dir(lesson.lang, lesson.id) + HANDOUT_PDF


def handout_epub(lesson: Lesson) -> str:
    return lesson_dir(lesson.lang, lesson.id) + HANDOUT_EPUB


def guide(lesson: Lesson) -> str:
    return lesson_dir(lesson.lang, lesson.id) + GUIDE


def guide_pdf(lesson: Lesson) -> str:
    return lesson_dir(lesson.lang, lesson.id) + GUIDE_PDF


def question_bank(lesson: Lesson) -> str:
    return lesson_dir(lesson.lang, lesson.id) + QUESTION_BANK


def lesson_zip_name(lesson: Lesson) -> str:
    return f"{lesson.id}-{lesson.lang}.zip"


def lesson_zip(lesson: Lesson) -> str:
    return lesson_dir(lesson.lang, lesson.id) + lesson_zip_name(lesson)


def scorm_package_name(lesson: Lesson, version: str) -> str:
    return f"{lesson.id}-{lesson.lang}-scorm{version.replace('.', '')}.zip"


def scorm_package(lesson: Lesson, version: str) -> str:
    return lesson_dir(lesson.lang, lesson.id) + scorm_package_name(lesson, version)


def image(lesson: Lesson, name: str) -> str:
    return lesson_dir(lesson.lang, lesson.id) + name


def page_url(relpath: str) -> str:
    """The URL of a page as a link names it: a folder's index.html is the folder."""
    return relpath.removesuffix(DECK) if relpath.endswith("/" + DECK) or relpath == DECK else relpath


def canonical(base_url: str, relpath: str) -> str:
    """The page's address under ``base_url`` (empty without one)."""
    return base_url + page_url(relpath) if base_url else ""


def relative(from_dir: str, relpath: str) -> str:
    """``relpath`` (a site path) as a link from a page in the folder ``from_dir`` ("" is the top)."""
    if relpath.startswith(from_dir):
        return relpath[len(from_dir):]
    return "../" * from_dir.count("/") + relpath


@dataclass(frozen=True)
class LessonLinks:
    """A lesson version's files as links from one page; ``versions``: each language version's deck."""

    deck: str
    handout: str
    pdf: str
    zip: str
    guide: str = ""
    guide_pdf: str = ""
    question_bank: str = ""
    epub: str = ""
    scorm12: str = ""
    scorm2004: str = ""
    versions: dict[str, str] = field(default_factory=dict)


def lesson_links(lesson: Lesson, from_dir: str, languages: list[str] | tuple[str, ...] = ()) -> LessonLinks:
    return LessonLinks(relative(from_dir, deck(lesson)), relative(from_dir, handout(lesson)),
                       relative(from_dir, handout_pdf(lesson)), relative(from_dir, lesson_zip(lesson)),
                       relative(from_dir, guide(lesson)), relative(from_dir, guide_pdf(lesson)),
                       relative(from_dir, question_bank(lesson)), relative(from_dir, handout_epub(lesson)),
                       relative(from_dir, scorm_package(lesson, "1.2")),
                       relative(from_dir, scorm_package(lesson, "2004")),
                       versions={code: relative(from_dir, lesson_dir(code, lesson.id) + DECK) for code in languages})
