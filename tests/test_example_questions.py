"""The example lessons under content/ carry a self-check in every language (issue 15): at least three
questions, one of them multiple choice and one a reflection question, every choice question explained,
and the versions of one lesson asking the same questions with the same right answers."""

from __future__ import annotations

import pytest

from conftest import REPO
from microlearn.lessons.project import load_project

VERSIONS = sorted((path.parent.name, path.stem) for path in (REPO / "content").glob("*/*.md"))
LESSONS = sorted({lesson_id for lesson_id, _lang in VERSIONS})


@pytest.fixture(scope="module")
def project():
    return load_project(REPO)  # raises on any author mistake, so no version is left out unseen


def test_the_example_project_has_lessons_in_several_languages(project):
    assert len(VERSIONS) >= 10
    assert {(lesson_id, lang) for lesson_id, versions in project.lessons.items() for lang in versions} \
        == set(VERSIONS)


@pytest.mark.parametrize(("lesson_id", "lang"), VERSIONS, ids=[f"{i}/{lang}" for i, lang in VERSIONS])
def test_every_version_holds_a_self_check(project, lesson_id, lang):
    lesson = project.lessons[lesson_id][lang]
    kinds = [question.kind for question in lesson.questions]
    assert len(kinds) >= 3, f"{lesson.path}: {len(kinds)} question(s), a self-check needs at least three"
    assert "multiple" in kinds, f"{lesson.path}: no multiple-choice question (two or more '- [x]')"
    assert "reflection" in kinds, f"{lesson.path}: no reflection question (a '::: question' without options)"
    for question in lesson.questions:
        if question.kind != "reflection":
            assert question.explanation_html.strip(), \
                f"{lesson.path}:{question.line}: a choice question without a '> ' explanation after its options"


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_versions_of_a_lesson_ask_the_same_questions(project, lesson_id):
    def answers(lesson):
        return [(question.stage_number, len(question.options),
                 tuple(i for i, option in enumerate(question.options, start=1) if option.correct))
                for question in lesson.questions]

    versions = project.lessons[lesson_id]
    first_lang, first = sorted(versions.items())[0]
    for lang, lesson in sorted(versions.items()):
        assert answers(lesson) == answers(first), \
            f"{lesson_id}: {lang}.md and {first_lang}.md differ in their questions (stage, options, right answers)"
