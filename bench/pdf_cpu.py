"""CPU time of the PDF handouts, one by one in one process, and where it goes.

    .venv/bin/python bench/pdf_cpu.py [PROJECT]             # CPU seconds per handout PDF (default: the example)
    .venv/bin/python bench/pdf_cpu.py [PROJECT] --phases    # where it goes: CPU by WeasyPrint step
    .venv/bin/python bench/pdf_cpu.py [PROJECT] --profile   # cProfile of the same, into /tmp

Each handout's HTML (as the build makes it for the PDF) is rendered first; then only the HTML -> PDF
step (``pdf.html_to_pdf``) is timed with ``time.process_time``, so the figure is the CPU that one handout
costs whichever worker makes it. The first PDF of a process also pays for loading fonts and WeasyPrint's
own stylesheets: it is reported apart, and the median is over all of them.
"""

from __future__ import annotations

import cProfile
import json
import pstats
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def handout_htmls(root: Path) -> list[tuple[str, str]]:
    """(identifier, HTML) of every handout PDF of the project in ``root``, as microlearn.build makes them."""
    from microlearn.i18n.gettext import MissingStrings
    from microlearn.lessons.project import load_project
    from microlearn.project.config import load_config
    from microlearn.render.renderer import Renderer

    config = load_config(root)
    project = load_project(root, config)
    renderer = Renderer(config, MissingStrings(), lambda lang, msgid: None)
    renderer.with_pdf = True
    return [(f"microlearn:{lesson.lang}/{lesson.id}",
             renderer.handout(lesson, project.versions(lesson.id), project.is_outdated(lesson), for_pdf=True))
            for lesson in project.all_lessons()]


def cpu_per_pdf(root: Path, epoch: int = 1700000000) -> dict:
    from microlearn.outputs.pdf import html_to_pdf

    pages = handout_htmls(root)
    seconds, sizes = [], []
    for identifier, html in pages:
        start = time.process_time()
        data = html_to_pdf(html, identifier=identifier, epoch=epoch)
        seconds.append(time.process_time() - start)
        sizes.append(len(data))
    return {"handouts": len(pages), "cpu_s": seconds, "median_cpu_s": statistics.median(seconds),
            "first_cpu_s": seconds[0], "median_after_first_s": statistics.median(seconds[1:] or seconds),
            "pdf_kb_median": statistics.median(sizes) / 1024}


class Phases:
    """Exclusive CPU time (time.process_time) of WeasyPrint's steps: entering a step pauses the one it
    was called from, so the figures add up to the whole html_to_pdf call."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.stack: list[str] = ["other (microlearn's wrapper, metadata, WeasyPrint's glue)"]
        self.mark = time.process_time()

    def _switch(self, name: str | None) -> None:
        now = time.process_time()
        top = self.stack[-1]
        self.seconds[top] = self.seconds.get(top, 0.0) + now - self.mark
        self.mark = now
        if name is None:
            self.stack.pop()
        else:
            self.stack.append(name)

    def wrap(self, owner, attr: str, name: str) -> None:
        original = getattr(owner, attr)
        phases = self

        if attr == "layout_document":  # a generator: time each step of it
            def wrapped(*args, **kwargs):
                iterator = original(*args, **kwargs)
                while True:
                    phases._switch(name)
                    try:
                        item = next(iterator)
                    except StopIteration:
                        return
                    finally:
                        phases._switch(None)
                    yield item
        else:
            def wrapped(*args, **kwargs):
                phases._switch(name)
                try:
                    return original(*args, **kwargs)
                finally:
                    phases._switch(None)
        setattr(owner, attr, wrapped)


def phases(root: Path) -> dict:
    """Where one handout's CPU goes: every handout of the project, after one to warm up, by step."""
    import weasyprint
    import weasyprint.document as document
    import weasyprint.pdf as wpdf
    from weasyprint.css import ComputedStyle
    from weasyprint.text.line_break import Layout

    from microlearn.outputs.pdf import html_to_pdf

    pages = handout_htmls(root)
    html_to_pdf(pages[0][1], identifier=pages[0][0], epoch=0)  # warm: fonts, WeasyPrint's stylesheets
    timer = Phases()
    timer.wrap(weasyprint.HTML, "__init__", "HTML parse (tinyhtml5, element tree)")
    timer.wrap(weasyprint.CSS, "__init__", "CSS parse (the page's <style>, tinycss2)")
    timer.wrap(document, "get_all_computed_styles", "CSS cascade (selectors matched, specified values)")
    timer.wrap(ComputedStyle, "__missing__", "CSS computed values (on first use, during layout)")
    timer.wrap(document, "build_formatting_structure", "box tree (build_formatting_structure)")
    timer.wrap(document, "layout_document", "layout: boxes, pages, floats, tables (Python)")
    timer.wrap(Layout, "get_first_line", "text: Pango shaping and line breaking")
    timer.wrap(document.Page, "paint", "drawing the pages (stacking, text runs, images)")
    timer.wrap(wpdf, "build_fonts_dictionary", "fonts: subsetting with HarfBuzz and embedding")
    timer.wrap(document, "generate_pdf", "writing the PDF (pydyf objects, zlib compression)")
    timer.mark = time.process_time()
    for identifier, html in pages:
        html_to_pdf(html, identifier=identifier, epoch=0)
    timer._switch(timer.stack[-1])  # charge the tail to the outermost step
    total = sum(timer.seconds.values())
    return {"handouts": len(pages), "total_s": total, "per_handout_s": total / len(pages),
            "phases": dict(sorted(timer.seconds.items(), key=lambda kv: -kv[1]))}


def profile(root: Path, out: Path) -> None:
    """cProfile over every handout's html_to_pdf (after one to warm up), written to ``out``."""
    from microlearn.outputs.pdf import html_to_pdf

    pages = handout_htmls(root)
    html_to_pdf(pages[0][1], identifier=pages[0][0], epoch=0)
    profiler = cProfile.Profile()
    profiler.enable()
    for identifier, html in pages:
        html_to_pdf(html, identifier=identifier, epoch=0)
    profiler.disable()
    profiler.dump_stats(str(out))
    pstats.Stats(str(out)).sort_stats("tottime").print_stats(25)


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    root = Path(args[0]) if args else REPO
    if "--profile" in sys.argv:
        profile(root, Path("/tmp") / "microlearn-pdf.prof")
        return 0
    if "--phases" in sys.argv:
        result = phases(root)
        for name, seconds in result["phases"].items():
            print(f"{seconds / result['total_s']:6.1%}  {seconds / result['handouts']:.3f} s  {name}")
        print(f"        {result['per_handout_s']:.3f} s CPU per handout, {result['handouts']} handouts")
        return 0
    print(json.dumps(cpu_per_pdf(root)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
