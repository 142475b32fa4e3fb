"""PDF handouts: real WeasyPrint output read back with poppler (pdftotext, pdffonts) and pypdf."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest

from conftest import FIXTURES, build_handout_project, need
from microlearn.i18n.language import format_counter, language_info
from microlearn.lessons.project import load_project
from microlearn.outputs.pdf import MISSING_MESSAGE

# pypdf reads the handouts back: skipped when the test extras are not installed (see conftest.need).
pypdf = need("pypdf")
pytestmark = pytest.mark.pdf

LANGS = ("el", "ru", "fa", "ar")
A4 = (595.28, 841.89)  # points
# Joiners (pdftotext drops them) are no part of a word's letters; the directional marks pdftotext
# puts around runs stand where a space may be.
INVISIBLE = {**dict.fromkeys(map(ord, "\u200c\u200d")),
             **dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), " ")}


def pdftotext(path: Path, *args: str) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", *args, str(path), "-"], check=True, capture_output=True)
    return " ".join(out.stdout.decode("utf-8").translate(INVISIBLE).split())


def pypdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(path).pages).split())


def pdf_of(site: Path, lang: str) -> Path:
    return site / lang / "shop-basics" / "handout.pdf"


@pytest.mark.parametrize("lang", LANGS)
def test_a4_title_language_and_author(handout_site, handout_lessons, lang):
    reader = pypdf.PdfReader(pdf_of(handout_site, lang))
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width), 1), round(float(box.height), 1)) == (round(A4[0], 1), round(A4[1], 1))
    assert reader.trailer["/Root"]["/Lang"] == lang
    lesson = handout_lessons[lang]
    assert reader.metadata.title.startswith(lesson.title)
    assert "MICRO" in reader.metadata.author, "the credits are the author"
    assert reader.metadata["/CreationDate"] == "D:20231114221320Z", "dates come from SOURCE_DATE_EPOCH"


@pytest.mark.parametrize("lang", LANGS)
def test_every_pdf_beside_its_handout(handout_site, lang):
    assert pdf_of(handout_site, lang).read_bytes().startswith(b"%PDF-")
    assert (handout_site / lang / "shop-basics" / "handout.html").is_file()


@pytest.mark.parametrize("lang, sentence", [
    ("fa", "فروش عسل در Instagram نمونه خوبی است"),
    ("ar", "بيع العسل عبر Instagram مثال جيد"),
])
def test_right_to_left_text_comes_out_in_reading_order(handout_site, handout_lessons, lang, sentence):
    """Persian and Arabic words and the Latin word inside them are extracted in logical order."""
    text = pdftotext(pdf_of(handout_site, lang))
    assert sentence in text
    # pdftotext writes Arabic lam-alef ligatures backwards (a known extractor bug: pdfminer.six #850,
    # fixed in pypdf #1589), so whole titles are checked in pypdf's text.
    text = pypdf_text(pdf_of(handout_site, lang))
    lesson = handout_lessons[lang]
    assert lesson.title in text
    for stage in lesson.stages:
        assert stage.title in text


@pytest.mark.parametrize("lang", ["el", "ru"])
def test_greek_and_cyrillic_text_is_extractable(handout_site, handout_lessons, lang):
    text = pdftotext(pdf_of(handout_site, lang))
    lesson = handout_lessons[lang]
    assert lesson.title in text
    assert "Instagram" in text
    for stage in lesson.stages:
        assert stage.title in text


@pytest.mark.parametrize("lang, digits", [("el", "0123456789"), ("fa", "۰۱۲۳۴۵۶۷۸۹"), ("ar", "٠١٢٣٤٥٦٧٨٩")])
def test_page_numbers_and_running_title(handout_site, handout_lessons, lang, digits):
    path = pdf_of(handout_site, lang)
    pages = len(pypdf.PdfReader(path).pages)
    assert pages >= 2
    for number in range(1, pages + 1):
        # The bottom margin (20 mm) holds "n / total" in the language's digits, and only that.
        foot = pdftotext(path, "-f", str(number), "-l", str(number), "-x", "0", "-y", "790", "-W", "596", "-H", "52")
        assert digits[number] in foot and digits[pages] in foot, foot
        assert not re.search(r"[0-9]", foot) or digits[0] == "0", foot
        head = pdftotext(path, "-f", str(number), "-l", str(number), "-x", "0", "-y", "0", "-W", "596", "-H", "45")
        if number == 1:
            assert head == "", "no running title above the title itself"
        else:
            assert head and head in pdftotext(path, "-f", "1", "-l", "1"), "the running title is the title"
            if lang != "ar":  # see test_right_to_left_text_comes_out_in_reading_order on lam-alef
                assert head == " ".join(handout_lessons[lang].title.translate(INVISIBLE).split())


@lru_cache
def font_files() -> dict[str, str]:
    """PostScript name without hyphens -> font file, for every font fontconfig knows."""
    out = subprocess.run(["fc-list", "-f", "%{postscriptname}\t%{file}\n"], check=True, capture_output=True, text=True)
    return {name.replace("-", ""): file for name, file in (line.split("\t") for line in out.stdout.splitlines()
                                                            if "\t" in line)}


def used_characters(path: Path) -> dict[str, set[str]]:
    """Each embedded font's name and the characters drawn with it (from its ToUnicode map)."""
    found: dict[str, set[str]] = {}
    for page in pypdf.PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            chars = found.setdefault(str(font["/BaseFont"]).split("+", 1)[1], set())
            for hexes in re.findall(r"<[0-9a-fA-F]+>\s*<([0-9a-fA-F]+)>", cmap):
                chars.update(bytes.fromhex(hexes).decode("utf-16-be"))
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_no_missing_glyphs(handout_site, lang):
    """Every character is drawn by a font that has it: no boxes ("tofu") in Greek, Cyrillic, Persian, Arabic."""
    assert_no_missing_glyphs(pdf_of(handout_site, lang), lang)


def assert_no_missing_glyphs(path: Path, lang: str) -> None:
    from fontTools.ttLib import TTFont

    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes yes yes " in row for row in rows), f"all fonts embedded, subset, with Unicode:\n{fonts}"
    for name, chars in used_characters(path).items():
        key = name.replace("-", "")
        file = font_files().get(key) or font_files().get(key + "Regular")
        assert file, f"{name} is not an installed font"
        cmap = TTFont(file, fontNumber=0).getBestCmap()
        missing = {c for c in chars if ord(c) not in cmap and not c.isspace()
                   and unicodedata.category(c) not in ("Cf", "Cc", "Cn")}
        assert not missing, f"{lang}: {name} has no glyph for {sorted(missing)}"
    if lang in ("fa", "ar"):
        assert "Noto-Sans-Arabic" in fonts


def test_two_builds_give_identical_pdfs(handout_site, tmp_path):
    again = build_handout_project(tmp_path)
    for lang in LANGS:
        assert pdf_of(again, lang).read_bytes() == pdf_of(handout_site, lang).read_bytes(), lang


def fresh_cli(*args: str, block_weasyprint: bool = False) -> subprocess.CompletedProcess:
    """The real command line in a fresh interpreter; optionally one where WeasyPrint cannot be imported,
    as on a machine without it."""
    block = "sys.modules['weasyprint'] = None; " if block_weasyprint else ""  # import fails as if absent
    code = f"import sys; {block}from microlearn.cli import main; sys.exit(main(sys.argv[1:]))"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    return subprocess.run([sys.executable, "-c", code, *args], check=False, capture_output=True, text=True,
                          env=env)


def fixture_copy(tmp_path: Path) -> Path:
    """The fixture project copied, so a build leaves nothing (such as its cache) in the source tree."""
    return Path(shutil.copytree(FIXTURES / "handout-project", tmp_path / "project"))


def test_without_weasyprint_the_rest_builds_and_the_build_says_once_how_to_get_pdfs(tmp_path):
    out = tmp_path / "site"
    done = fresh_cli("build", "-C", str(fixture_copy(tmp_path)), "-o", str(out), block_weasyprint=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count(MISSING_MESSAGE) == 1
    assert "pip install" in MISSING_MESSAGE and "weasyprint" in MISSING_MESSAGE.lower()
    assert not list(out.rglob("*.pdf"))
    for lang in LANGS:
        folder = out / lang / "shop-basics"
        assert (folder / "handout.html").is_file() and (folder / "index.html").is_file()
        assert (folder / f"shop-basics-{lang}.zip").is_file()
        assert "handout.pdf" not in (folder / "handout.html").read_text(encoding="utf-8"), "no link to a missing PDF"


def test_no_pdf_skips_pdfs_quietly(tmp_path):
    out = tmp_path / "site"
    done = fresh_cli("build", "--no-pdf", "-C", str(fixture_copy(tmp_path)), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert MISSING_MESSAGE not in done.stderr
    assert not list(out.rglob("*.pdf"))
    assert "handout.pdf" not in (out / "fa" / "index.html").read_text(encoding="utf-8")
    assert "handout.pdf" not in (out / "fa" / "shop-basics" / "index.html").read_text(encoding="utf-8")


def test_every_example_lesson_has_its_pdf(example_site):
    handouts = sorted(example_site.glob("*/*/handout.html"))
    assert handouts
    for handout in handouts:
        path = handout.with_name("handout.pdf")
        reader = pypdf.PdfReader(path)
        lang = handout.parent.parent.name
        assert reader.trailer["/Root"]["/Lang"] == lang
        assert pdftotext(path), f"{path} has extractable text"
        assert_no_missing_glyphs(path, lang)


def test_no_stage_heading_ends_a_page(example_site):
    """A stage's heading stays with its first lines (break-after: avoid), in every example PDF."""
    project = load_project(example_site.parent)
    checked = 0
    for lesson in project.all_lessons():
        path = example_site / lesson.lang / lesson.id / "handout.pdf"
        settings = project.config.languages[lesson.lang]
        info = language_info(lesson.lang, settings.numbering)
        headings = [(format_counter(stage.number, info, 2), stage.title) for stage in lesson.stages]
        pages = len(pypdf.PdfReader(path).pages)
        for number in range(1, pages):
            body = subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(number), "-l", str(number), "-x", "0",
                                   "-y", "0", "-W", "596", "-H", "785", str(path), "-"],
                                  check=True, capture_output=True).stdout.decode("utf-8")
            lines = [" ".join(line.translate(INVISIBLE).split()) for line in body.splitlines() if line.strip()]
            last = lines[-1]
            assert not any(no in last and title in last for no, title in headings), \
                f"{path} page {number} ends with {last!r}"
            checked += 1
    assert checked > 5


def pdf_html(project: Path, lang: str, lesson_id: str) -> str:
    """The HTML a lesson's PDF is made from (the handout without its screen-only links)."""
    from microlearn.render.renderer import Renderer

    loaded = load_project(project)
    lesson = loaded.lessons[lesson_id][lang]
    return Renderer(loaded.config).handout(lesson, loaded.versions(lesson_id), loaded.is_outdated(lesson),
                                           for_pdf=True)


def words_with_joiners(html: str) -> set[str]:
    """The words of a page's text that hold a zero-width non-joiner or joiner."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts: list[str] = []
            self.hidden = 0

        def handle_starttag(self, tag, attrs):
            self.hidden += tag in ("style", "script", "title")

        def handle_endtag(self, tag):
            self.hidden -= tag in ("style", "script", "title")

        def handle_data(self, data):
            if not self.hidden:
                self.parts.append(data)

    reader = Text()
    reader.feed(html)
    words = " ".join(reader.parts).split()
    return {word.strip("()«»:.،؛!؟") for word in words if "\u200c" in word or "\u200d" in word}


def poppler_text(path: Path) -> str:
    """pdftotext's words with its directional marks and joiners left in."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True)
    return " ".join(out.stdout.decode("utf-8").split())


@pytest.mark.parametrize("extract", [pypdf_text, poppler_text])
def test_persian_zero_width_non_joiners_survive_in_the_pdf_text(example_site, extract):
    """Copying a word such as "می‌شود" out of a Persian PDF gives it back with its U+200C (issue 5)."""
    checked = 0
    for lesson in sorted(path.name for path in example_site.glob("fa/*/") if (path / "handout.pdf").exists()):
        words = words_with_joiners(pdf_html(example_site.parent, "fa", lesson))
        assert words, f"{lesson} (fa) has words with non-joiners"
        text = extract(example_site / "fa" / lesson / "handout.pdf")
        missing = sorted(word for word in words if word not in text)
        assert not missing, f"fa/{lesson}/handout.pdf: {missing[:5]} lost their joiners"
        checked += len(words)
    assert checked > 40


def test_keeping_the_joiners_changes_nothing_on_the_page(tmp_path):
    """The glyph put in for U+200C is empty and has no advance: every page rasterizes to the same pixels
    as WeasyPrint's own PDF of the same handout."""
    from weasyprint import HTML

    from microlearn.outputs.pdf import html_to_pdf

    html = pdf_html(fixture_copy(tmp_path), "fa", "shop-basics")
    ours, plain = tmp_path / "ours.pdf", tmp_path / "plain.pdf"
    ours.write_bytes(html_to_pdf(html, identifier="x", epoch=0))
    plain.write_bytes(HTML(string=html, base_url=None).write_pdf())
    assert "\u200c" in pypdf_text(ours) and "\u200c" not in pypdf_text(plain), "the fix is what keeps them"
    for pdf in (ours, plain):
        subprocess.run(["pdftoppm", "-r", "72", "-gray", str(pdf), str(pdf.with_suffix(""))], check=True)
    rasters = sorted(tmp_path.glob("ours-*.pgm"))
    assert len(rasters) >= 2
    for raster in rasters:
        assert raster.read_bytes() == raster.with_name(raster.name.replace("ours", "plain")).read_bytes(), raster


def test_both_joiners_keep_their_own_character_in_one_font():
    """U+200C and U+200D in the same Arabic-script run each come back as themselves: when the font draws
    its joiners as visible marks, each borrows a different empty glyph."""
    from microlearn.outputs.pdf import html_to_pdf

    words = ["می\u200cخواهم", "ه\u200dا", "نمی\u200cشود", "لا\u200dم"]
    html = (f'<!DOCTYPE html><html lang="fa" dir="rtl"><head><title>t</title></head>'
            f'<body style="font-family: \'Noto Sans Arabic\'"><p>{" ".join(words)}</p></body></html>')
    text = " ".join(pypdf.PdfReader(io.BytesIO(html_to_pdf(html, identifier="x", epoch=0)))
                    .pages[0].extract_text().split())
    for word in words:
        assert word in text, (word, text)
