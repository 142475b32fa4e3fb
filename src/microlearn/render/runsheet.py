"""The trainer's run sheet: the deck's slides grouped into the rows a trainer follows in the room, each
with its offset from the start of the session and its time budget.

Pure data from the lesson model and the deck plan (slides keep the deck's numbers); the guide's
template only lays it out, and its small script only adds a start time to each row's ``start``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from microlearn.lessons.model import Lesson
from microlearn.render.deckplan import DeckSlide, deck_slides

RowKind = Literal["opening", "stage", "discussion", "closing"]


@dataclass(frozen=True)
class RunRow:
    kind: RowKind
    start: int  # seconds from the start of the session
    seconds: int | None  # the row's time budget; None when the lesson gives it none
    slides: tuple[DeckSlide, ...]  # the deck's slides of this row, with their deck numbers
    stage_number: int | None = None
    title_html: str = ""  # a stage's title (the other rows are named by their kind)
    anchor: str = ""  # the row's id in the guide


@dataclass(frozen=True)
class RunSheet:
    rows: tuple[RunRow, ...]
    end: int  # seconds from the start at which the session ends as planned
    slide_count: int  # the deck's slides
    scored: bool  # whether the lesson has questions that count toward the pass mark

    @property
    def offsets(self) -> list[int]:
        """Every row's start and the end, for the page's script (it writes the clock times again)."""
        return sorted({row.start for row in self.rows} | {self.end})


def run_sheet(lesson: Lesson) -> RunSheet:
    """The rows: the opening slides (title, key messages, objectives, introduction) at 0:00, one row per
    stage with its budget, the discussion, then the follow-up and closing slides at the planned end.

    The discussion has no budget of its own in the lesson format: when the front matter's ``duration``
    is longer than the stages' budgets together, the rest is the discussion's; otherwise it has none."""
    slides = deck_slides(lesson)
    rows: list[RunRow] = []
    opening = tuple(s for s in slides if s.kind in ("title", "key_messages", "objectives", "intro"))
    rows.append(RunRow("opening", 0, None, opening, anchor="opening"))
    clock = 0
    for stage in lesson.stages:
        own = tuple(s for s in slides if s.stage_number == stage.number)
        rows.append(RunRow("stage", clock, stage.seconds, own, stage.number, stage.title_html,
                           f"run-{stage.number}"))
        clock += stage.seconds or 0
    discussion = tuple(s for s in slides if s.kind == "discussion")
    if discussion:
        rest = lesson.duration - clock if lesson.duration is not None and lesson.duration > clock else None
        rows.append(RunRow("discussion", clock, rest, discussion, anchor="run-discussion"))
        clock += rest or 0
    closing = tuple(s for s in slides if s.kind in ("follow_up", "closing"))
    rows.append(RunRow("closing", clock, None, closing, anchor="run-closing"))
    return RunSheet(tuple(rows), clock, len(slides), any(q.scored for q in lesson.questions))
