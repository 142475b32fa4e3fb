"""The lesson model: plain data, the contract between parsing and rendering.

HTML fragments here are the Markdown of the source already converted (as MkDocs keeps a
page's content); nothing here knows about page layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Option:
    """One answer of a choice question, from a ``- [ ]`` or ``- [x]`` line."""

    html: str  # inline HTML
    correct: bool
    line: int


@dataclass(frozen=True)
class Question:
    """A ``::: question`` block: a prompt, the options (none for a reflection question) and the
    explanation shown after answering (from the blockquote after the options)."""

    number: int  # 1-based position in the lesson
    stage_number: int
    prompt_html: str  # block HTML
    prompt_text: str  # plain text: names, labels
    options: tuple[Option, ...]
    explanation_html: str  # block HTML, empty when there is none
    line: int

    @property
    def kind(self) -> str:
        """'reflection' (no options, never scored), 'single' (one correct option) or 'multiple'."""
        if not self.options:
            return "reflection"
        return "single" if sum(o.correct for o in self.options) == 1 else "multiple"

    @property
    def scored(self) -> bool:
        return bool(self.options)


@dataclass(frozen=True)
class Slide:
    """One screen of a stage. A stage split by ``---`` has several; each question is one of its own."""

    body_html: str
    notes_html: str  # the narration: what the trainer says, which learners may read
    part: int  # 1-based position within its stage
    parts: int  # how many slides the stage has
    seconds: int | None  # this slide's share of the stage's time budget
    words: int  # words shown on the slide (not the notes)
    line: int
    trainer_html: str = ""  # '::: trainer' directions: for the trainer only, never in a learner's handout
    question: Question | None = None  # set on a question's slide (whose body_html is empty)


@dataclass(frozen=True)
class Stage:
    """A ``## Heading`` of the lesson: one step of the presentation, numbered 01, 02…"""

    number: int
    title: str  # plain text
    title_html: str  # inline HTML
    anchor: str
    classes: tuple[str, ...]
    seconds: int | None  # the stage's time budget, from {time=…}
    slides: tuple[Slide, ...]
    line: int


@dataclass(frozen=True)
class Image:
    """An image the lesson uses, relative to the lesson folder."""

    src: str
    path: Path
    alt: str
    line: int


@dataclass(frozen=True)
class Link:
    href: str
    line: int


@dataclass(frozen=True)
class Lesson:
    """One language version of one lesson."""

    id: str
    lang: str
    path: Path
    title: str  # plain text: <title>, metadata, JSON, sorting
    title_html: str  # the title as inline HTML, left-to-right runs isolated in a right-to-left lesson
    objectives: tuple[str, ...]  # inline HTML
    competence_area: str = ""  # plain text
    competence_area_html: str = ""  # as inline HTML, isolated like title_html
    key_messages: tuple[str, ...] = ()
    discussion: tuple[str, ...] = ()
    follow_up: str = ""  # HTML, empty when there is none
    credits: str = ""  # inline HTML
    duration: int | None = None  # seconds, as planned in front matter
    intro_html: str = ""  # text before the first stage
    stages: tuple[Stage, ...] = ()
    images: tuple[Image, ...] = ()
    links: tuple[Link, ...] = ()
    translation_of: str | None = None
    source_revision: str | None = None  # content hash of the source version it was translated from
    revision: str = ""  # content hash of this file
    pass_mark: int = 80  # percent of the scored questions' marks a learner needs to pass
    materials: tuple[str, ...] = ()  # inline HTML: what the trainer brings to the room
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    @property
    def slide_count(self) -> int:
        return sum(len(s.slides) for s in self.stages)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(s.question for stage in self.stages for s in stage.slides if s.question is not None)

    @property
    def planned_seconds(self) -> int:
        """The planned total: the front matter's duration, else the sum of the stages' budgets."""
        if self.duration is not None:
            return self.duration
        return sum(s.seconds or 0 for s in self.stages)

