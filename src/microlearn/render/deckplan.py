"""The order of a deck's slides: generated ones (title, key messages…) around the lesson's stages.

Pure data from the lesson model; templates only lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

from microlearn.lessons.model import Lesson, Question

# The kinds of slide a deck has. Each is drawn by the theme's templates/slides/<kind>.html (deck.html
# includes it by name), styled by .slide--<kind>: a new kind is an entry here and a partial there.
SlideKind = Literal["title", "key_messages", "objectives", "intro", "stage", "question", "discussion", "follow_up",
                    "closing"]
SLIDE_KINDS: tuple[str, ...] = get_args(SlideKind)


@dataclass(frozen=True)
class DeckSlide:
    index: int  # 1-based position in the deck
    kind: SlideKind
    stage_number: int | None = None
    part: int = 1
    parts: int = 1
    title: str = ""  # plain
    title_html: str = ""
    body_html: str = ""
    notes_html: str = ""
    seconds: int = 0  # the slide's planned time (0 for generated slides)
    anchor: str = ""
    classes: tuple[str, ...] = ()
    trainer_html: str = ""  # '::: trainer' directions, shown in the presenter view only
    question: Question | None = None


def deck_slides(lesson: Lesson) -> list[DeckSlide]:
    plan: list[DeckSlide] = []

    def add(kind: SlideKind, **kw: Any) -> None:
        plan.append(DeckSlide(index=len(plan) + 1, kind=kind, **kw))

    add("title", title=lesson.title)
    if lesson.key_messages:
        add("key_messages")
    add("objectives")
    if lesson.intro_html:
        add("intro", body_html=lesson.intro_html)
    for stage in lesson.stages:
        for slide in stage.slides:
            add("question" if slide.question else "stage", stage_number=stage.number, part=slide.part,
                parts=slide.parts, title=stage.title, title_html=stage.title_html, body_html=slide.body_html,
                notes_html=slide.notes_html,
                seconds=slide.seconds or 0, anchor=stage.anchor if slide.part == 1 else "",
                classes=stage.classes, trainer_html=slide.trainer_html, question=slide.question)
    if lesson.discussion:
        add("discussion")
    if lesson.follow_up:
        add("follow_up", body_html=lesson.follow_up)
    add("closing")
    return plan


@dataclass(frozen=True)
class TimingRow:
    stage_number: int
    title_html: str
    seconds: int | None
    running: int  # running total at the end of this stage


def timing_rows(lesson: Lesson) -> list[TimingRow]:
    rows, running = [], 0
    for stage in lesson.stages:
        running += stage.seconds or 0
        rows.append(TimingRow(stage.number, stage.title_html, stage.seconds, running))
    return rows
