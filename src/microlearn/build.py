"""The build, top to bottom: read the project, check it, render every page, write the site."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import bundle, pdf
from .check import check_project
from .config import Config, load_config
from .errors import Diagnostic, MicrolearnError
from .i18n import MissingStrings
from .output import write_site
from .project import Project, load_project
from .render import Renderer
from .sitemap import sitemap_xml

Log = Callable[[str], None]


@dataclass
class BuildResult:
    out: Path
    files: dict[str, bytes]
    warnings: list[Diagnostic] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    pdf_note: str = ""


def render_site(project: Project, renderer: Renderer, *, with_pdf: bool = True, progress=None) -> dict[str, bytes]:
    """Every file of the site, by its path relative to the output folder."""
    config = project.config
    make_pdfs = with_pdf and pdf.available()
    renderer.with_pdf = make_pdfs  # pages link handout.pdf only when it is built
    files: dict[str, bytes] = {}
    for name, data in renderer.static_files.items():
        files[f"assets/{name}"] = data
    by_lang: dict[str, list] = {code: [] for code in config.languages}
    lessons = project.all_lessons()
    for done, lesson in enumerate(lessons, start=1):
        versions = project.versions(lesson.id)
        outdated = project.is_outdated(lesson)
        base = f"{lesson.lang}/{lesson.id}/"
        files[base + "index.html"] = renderer.deck(lesson, versions, outdated).encode("utf-8")
        files[base + "handout.html"] = renderer.handout(lesson, versions, outdated).encode("utf-8")
        for image in lesson.images:
            files[base + image.path.name] = image.path.read_bytes()
        by_lang[lesson.lang].append((lesson, versions, outdated))
        if progress:
            progress(done, len(lessons))
    if make_pdfs:
        files.update(pdf.render_pdfs(project, renderer))
    for lesson in lessons:
        files.update(bundle.lesson_zip(lesson, project, renderer, files))
    for lang, entries in by_lang.items():
        entries.sort(key=lambda e: (e[0].title.casefold(), e[0].id))
        files[f"{lang}/index.html"] = renderer.catalog(lang, entries).encode("utf-8")
        files.update(bundle.language_zip(lang, entries, project, renderer, files))
    files["index.html"] = renderer.root_index({k: len(v) for k, v in by_lang.items()}).encode("utf-8")
    if config.base_url:
        files["sitemap.xml"] = sitemap_xml(project).encode("utf-8")
    files[".nojekyll"] = b""
    return dict(sorted(files.items()))


def build(root: Path, out: Path | None = None, *, with_pdf: bool = True, strict: bool = False,
          log: Log = print, progress=None, config: Config | None = None) -> BuildResult:
    """Build the project in ``root`` into ``out`` (default: the config's output folder)."""
    config = config or load_config(root)
    missing = MissingStrings()
    warnings: list[Diagnostic] = []

    def on_missing(lang: str, msgid: str) -> None:
        warnings.append(Diagnostic("warning", f"no {lang} translation for interface text {msgid!r}; "
                                   "showing the source text", None, None, None, "missing-translation"))

    project = load_project(root, config)
    diagnostics = check_project(project)
    errors = [d for d in diagnostics if d.level == "error" or (strict and d.level == "warning")]
    if errors:
        raise BuildFailed(errors, diagnostics)
    warnings.extend(diagnostics)
    renderer = Renderer(config, missing, on_missing)
    pdf_note = ""
    if with_pdf and not pdf.available():
        pdf_note = pdf.MISSING_MESSAGE
    files = render_site(project, renderer, with_pdf=with_pdf, progress=progress)
    warnings.extend(renderer.catalog_warnings)
    target = out or (config.root / config.output_dir)
    check_output_folder(target, config)
    stats = write_site(files, target)
    return BuildResult(target, files, warnings, stats, pdf_note)


def check_output_folder(target: Path, config: Config) -> None:
    """The build replaces its output folder whole: never let that be the project, its sources, or a
    folder that holds something other than a site we built."""
    target = target.resolve()
    root = config.root.resolve()
    if target == root or root.is_relative_to(target):
        raise MicrolearnError("the output folder would replace the project itself; choose another -o", target)
    for name in (config.content_dir, "themes", "locales"):
        source = (root / name).resolve()
        if target == source or target.is_relative_to(source) or source.is_relative_to(target):
            raise MicrolearnError(f"the output folder would overwrite the project's {name}/; choose another -o",
                                  target)
    if target.is_dir() and any(target.iterdir()) and not (
            (target / "index.html").is_file() and (target / "assets").is_dir()):
        raise MicrolearnError("the output folder exists and is not a site microlearn built; choose a new or "
                              "empty folder (the build replaces the whole folder)", target)


class BuildFailed(MicrolearnError):
    """The checker found errors; carries all diagnostics so the CLI can print each."""

    def __init__(self, errors: list[Diagnostic], diagnostics: list[Diagnostic]) -> None:
        first = errors[0]
        super().__init__(first.message, first.path, first.line, first.col)
        self.errors = errors
        self.diagnostics = diagnostics


def source_date_epoch() -> int:
    """Timestamps in generated files come only from SOURCE_DATE_EPOCH (default: 1980-01-01)."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    try:
        return max(315532800, int(value))
    except ValueError:
        return 315532800
