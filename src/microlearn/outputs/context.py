"""What every output is handed: the project read into the model, the renderer, the build's clock and
which outputs this build makes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from types import ModuleType

from microlearn.lessons.model import Lesson
from microlearn.lessons.project import Project
from microlearn.render.renderer import Renderer


@dataclass
class OutputContext:
    project: Project
    renderer: Renderer
    epoch: int  # SOURCE_DATE_EPOCH, read once by the build
    make_pdfs: bool
    outputs: Sequence[ModuleType] = field(default_factory=tuple)  # the enabled outputs, in order

    def reserved(self, lesson: Lesson) -> set[str]:
        """The site paths the outputs make in a lesson's folder (no lesson file may take one)."""
        return {path for output in self.outputs for path in output.lesson_paths(lesson)}
