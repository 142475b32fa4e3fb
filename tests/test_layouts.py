"""The layouts of a slide (tests/fixtures/layouts: lesson 'compare' in Greek and Persian, slide 3 two
columns, 4 three columns, 5 a '{.side}' picture first, 6 one last, 8 a statement stage; 'plain' in Greek
without any): what the parser makes of them, and the handout's PDF and EPUB (EPUBCheck, the reading order,
where the columns stand on an A4 page). Chromium's view of the deck and the handout:
test_layouts_browser.py. What is written wrong: tests/fixtures/mistakes/column*, side-picture-*,
statement-*."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES
from test_layout_pdf import INVISIBLE

pytestmark = pytest.mark.pdf

PROJECT = FIXTURES / "layouts"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from microlearn.site.build import build

    project = tmp_path_factory.mktemp("layouts") / "project"
    shutil.copytree(PROJECT, project)
    return build(project, project / "site").out


def lesson(lang: str, name: str = "compare"):
    from microlearn.lessons.parse import parse_lesson

    found, warnings = parse_lesson(PROJECT / "content" / name / f"{lang}.md", name, lang, rtl=lang == "fa")
    assert warnings == []
    return found


def classes(html: str) -> list[str]:
    return re.findall(r'<(?:div|p) class="([^"]+)"', html)


@pytest.mark.parametrize("lang", ["el", "fa"])
def test_columns_are_divs_in_the_order_written(lang):
    stages = lesson(lang).stages
    two, three = stages[0].slides[0].body_html, stages[1].slides[0].body_html
    assert classes(two) == ["columns", "column", "column"]
    assert classes(three) == ["columns", "column", "column", "column"]
    assert two.index("Multi-channel") < two.index("Omni-channel")
    assert stages[0].slides[0].words == len(re.sub("<[^>]+>", " ", two).split())  # the columns count as the slide


def test_a_side_picture_is_a_column_of_its_own_first_or_last_as_written():
    stages = lesson("el").stages
    first, last, after = stages[2].slides[0].body_html, stages[3].slides[0].body_html, stages[3].slides[1].body_html
    assert classes(first) == ["columns", "column side", "column"]
    assert first.index("<img") < first.index("Το κείμενο") < first.index("<li>δύο")
    assert classes(last) == ["columns", "column", "column side"]
    assert "{.side}" not in first + last
    assert "columns" not in after, "the stage's next slide has no picture beside it"


def test_a_statement_stage_marks_its_first_paragraph_only():
    stage = lesson("el").stages[4]
    assert stage.classes == ("statement",)
    html = stage.slides[0].body_html
    assert html.startswith('<p class="statement">Ένας πελάτης, μία εμπειρία.</p>')
    assert html.count("statement") == 1


def test_a_statement_beside_a_side_picture_is_the_paragraph_of_text(tmp_path):
    from microlearn.lessons.parse import parse_lesson

    shutil.copy(PROJECT / "content" / "compare" / "square.svg", tmp_path)
    (tmp_path / "el.md").write_text("---\ntitle: Δοκιμή\nobjectives:\n  - Στόχος\n---\n\n## Μήνυμα {.statement}\n\n"
                                    "![Τετράγωνο](square.svg){.side}\n\nΟ πελάτης είναι **ένας**.\n", encoding="utf-8")
    html = parse_lesson(tmp_path / "el.md", "x", "el")[0].stages[0].slides[0].body_html
    assert classes(html) == ["columns", "column side", "column", "statement"]


def test_a_lesson_without_layouts_reads_as_before():
    """Braces that are not right after a picture, a picture with a space before them, '::: column' in code
    and '{.side}' in an objective stay text; a stage class other than 'statement' marks no paragraph."""
    from microlearn.markdown.dialect import make_markdown

    html = lesson("el", "plain").stages[0].slides[0].body_html
    assert html == ('<p>Κείμενο με {.side} και <img src="square.svg" alt="εικόνα" /> {.side} σε μια γραμμή, '
                    'και <code>::: column</code> σε κώδικα.</p>\n')
    md = make_markdown()
    assert md.renderInline("![x](a.svg){.side}") == '<img src="a.svg" alt="x" />{.side}'


def test_the_epub_passes_epubcheck_and_reads_the_columns_in_order(site, tmp_path):
    from test_epub import epubcheck

    books = [site / lang / "compare" / "handout.epub" for lang in ("el", "fa")]
    reports = epubcheck(books, tmp_path / "reports")
    assert [r["messages"] for r in reports] == [[], []]
    with zipfile.ZipFile(books[1]) as book:
        names = [n for n in book.namelist() if n.endswith(".xhtml")]
        stages = [ET.fromstring(book.read(n)) for n in sorted(names) if "stage" in n]
    text = [" ".join("".join(e.itertext()).split()) for e in stages]
    assert text[0].index("Multi-channel") < text[0].index("Omni-channel")
    divs = [d.get("class") for d in stages[2].iter(f"{XHTML}div") if "column" in (d.get("class") or "")]
    assert divs == ["columns", "column side", "column"]
    assert [p.text for p in stages[4].iter(f"{XHTML}p") if p.get("class") == "statement"] == ["یک مشتری، یک تجربه."]


def words(pdf: Path) -> list[tuple[str, float, float, float, float]]:
    """Every word of a PDF with its box (xMin, yMin, xMax, yMax), as poppler finds them, pages in order."""
    done = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True)
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                       done.stdout)
    return [(w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in found]


def box(found: list, word: str) -> tuple[float, float, float, float]:
    return next(w[1:] for w in found if w[0] == word)


@pytest.mark.parametrize("lang", ["el", "fa"])
def test_the_pdf_sets_the_columns_side_by_side_in_reading_order_and_reads_each_whole(site, lang):
    pdf = site / lang / "compare" / "handout.pdf"
    found = words(pdf)
    multi, omni = box(found, "Multi-channel"), box(found, "Omni-channel")
    assert abs(multi[1] - omni[1]) < 1, "one line, side by side"
    assert (multi[2] < omni[0]) if lang == "el" else (omni[2] < multi[0]), "the first column on the reading side"
    raw = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout
    raw = raw.translate(INVISIBLE)  # a right-to-left line comes out in embedding marks, its words in visual order
    first, second = ("χωριστά", "μεταξύ") if lang == "el" else ("جدا", "پیوسته")
    assert raw.index("Multi-channel") < raw.index(first) < raw.index("Omni-channel") < raw.index(second), \
        "the text reads one column after the other"


def test_the_pdf_sets_the_statement_larger_than_the_text(site):
    found = words(site / "el" / "compare" / "handout.pdf")
    statement, text = box(found, "Ένας"), box(found, "Όλα")
    assert statement[3] - statement[1] > 1.2 * (text[3] - text[1])


def test_the_authoring_guides_examples_are_laid_out_as_it_says(tmp_path):
    from microlearn.lessons.parse import parse_lesson

    guide = (Path(__file__).resolve().parent.parent / "docs" / "authoring.md").read_text(encoding="utf-8")
    section = guide.split("### Layouts of a slide", 1)[1].split("### How much fits on a slide", 1)[0]
    examples = re.findall(r"```markdown\n(.*?)```", section, re.DOTALL)
    assert len(examples) == 3
    (tmp_path / "cycle.svg").write_bytes((PROJECT / "content" / "compare" / "square.svg").read_bytes())
    source = tmp_path / "el.md"
    source.write_text("---\ntitle: Δοκιμή\nobjectives:\n  - Στόχος\n---\n\n" + "\n".join(examples), encoding="utf-8")
    columns, side, statement = parse_lesson(source, "guide", "el")[0].stages
    assert classes(columns.slides[0].body_html) == ["columns", "column", "column"]
    assert classes(side.slides[0].body_html) == ["columns", "column", "column side"]
    assert classes(statement.slides[0].body_html) == ["statement"]
