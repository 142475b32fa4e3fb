"""The programme's branding (``brand:`` in microlearn.yml): the accent colour on every page, checked for WCAG
AA contrast on the theme's backgrounds; the logos on the title and closing slides, the handout's first page,
the EPUB, the zips and both SCORM packages; the notice per language, falling back as interface text does,
on the closing slide, the handout's last page, the PDF, the EPUB's colophon and the SCORM metadata. A
project without ``brand:`` carries none of it."""

from __future__ import annotations

import base64
import io
import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

import scorm_checker
import scorm_schemas
from conftest import FIXTURES, REPO, need, run_cli, site_tree
from microlearn.errors import MicrolearnError
from microlearn.lessons import brand as brand_checks
from microlearn.lessons.project import read_project
from microlearn.render import layout

LANGS = ("el", "ru", "fa", "ar")
ACCENT = "#0b5394"
NOTICE = {"el": "Υλικό των εταίρων του έργου MICRO.", "fa": "این مطالب را شریکان طرح MICRO فراهم کرده‌اند."}
# ru has no notice and no fallback: the default language's (el); ar falls back to fa first.
SHOWN = {"el": ("el", "ltr"), "ru": ("el", "ltr"), "fa": ("fa", "rtl"), "ar": ("fa", "rtl")}
LOGO = (REPO / "brand" / "partners.svg").read_bytes()
NAMES = ("Irish Rural Link", "National University of Ireland Maynooth", "CDI", "EEO GROUP SA", "IHF asbl", "IDP",
         "Internet Web Solutions SL")
BRAND = f"""brand:
  accent: "{ACCENT}"
  logos: [brand/partners.svg]
  notice:
    el: {NOTICE["el"]}
    fa: {NOTICE["fa"]}
"""


def branded_project(dest: Path, brand: str = BRAND) -> Path:
    """tests/fixtures/handout-project (shop-basics in el, ru, fa, ar) with ``brand`` and the example's logo."""
    project = dest / "project"
    shutil.copytree(FIXTURES / "handout-project", project)
    config = (project / "microlearn.yml").read_text(encoding="utf-8")
    config = config.replace("    numbering: arab\n", "    numbering: arab\n    fallback: [fa]\n")
    (project / "microlearn.yml").write_text(config + brand, encoding="utf-8")
    (project / "brand").mkdir()
    (project / "brand" / "partners.svg").write_bytes(LOGO)
    return project


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The branded project built with PDFs."""
    from microlearn.site.build import build

    project = branded_project(tmp_path_factory.mktemp("brand"))
    return build(project, project / "site").out


def lesson_dir(site: Path, lang: str) -> Path:
    return site / lang / "shop-basics"


def section(html: str, kind: str) -> str:
    """The deck's slide of ``kind`` (title, closing)."""
    found = re.search(rf'<section class="slide slide--{kind}\b.*?</section>', html, re.S)
    assert found, kind
    return found.group(0)


def logo_imgs(html: str) -> list[str]:
    return re.findall(r'<div class="brand-logos">(.*?)</div>', html, re.S)


def shown_notice(lang: str) -> str:
    code, direction = SHOWN[lang]
    return NOTICE[code] if code == lang else f'<span lang="{code}" dir="{direction}">{NOTICE[code]}</span>'


# ---------------------------------------------------------------------------------------------- the decks

@pytest.mark.parametrize("lang", LANGS)
def test_the_deck_has_the_logos_on_its_title_and_closing_slides_and_the_notice_on_the_closing_one(site, lang):
    html = (lesson_dir(site, lang) / layout.DECK).read_text(encoding="utf-8")
    alt = ", ".join(NAMES)
    for kind in ("title", "closing"):
        assert logo_imgs(section(html, kind)) == [f'<img src="brand/partners.svg" alt="{alt}">'], kind
    assert f'<p class="brand-notice">{shown_notice(lang)}</p>' in section(html, "closing")
    assert "brand-notice" not in section(html, "title")
    assert (lesson_dir(site, lang) / "brand" / "partners.svg").read_bytes() == LOGO


def test_every_page_carries_the_accent_in_its_own_style(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert f"<style>:root {{ --accent: {ACCENT}; --stage: {ACCENT}; }}" in html, page
    assert b"brand" not in (site / "assets" / "deck.css").read_bytes(), "the deck's shared sheet is the theme's"


@pytest.mark.parametrize("lang", ["el", "fa"])
def test_in_chromium_the_logos_show_on_the_slides_and_the_accent_colours_the_links(site, page, lang):
    page.goto((lesson_dir(site, lang) / layout.DECK).as_uri())
    page.wait_for_function("document.documentElement.classList.contains('js')")
    logo = page.locator("#slide-1 .brand-logos img")
    assert logo.evaluate("img => img.complete && img.naturalWidth") > 0, "the logo file loads beside the deck"
    box, slide = logo.bounding_box(), page.locator("#slide-1").bounding_box()
    assert box and slide and box["height"] > 30
    assert slide["x"] <= box["x"] and box["x"] + box["width"] <= slide["x"] + slide["width"] + 0.5
    assert slide["y"] <= box["y"] and box["y"] + box["height"] <= slide["y"] + slide["height"] + 0.5
    assert page.evaluate("getComputedStyle(document.querySelector('.progress__bar')).backgroundColor") \
        == "rgb(11, 83, 148)"
    page.keyboard.press("End")
    closing = page.locator(".slide--closing")
    page.wait_for_function("document.querySelector('.slide--closing').classList.contains('is-current')")
    notice = closing.locator(".brand-notice")
    assert notice.is_visible()
    assert closing.locator(".brand-logos img").evaluate("img => img.naturalWidth") > 0
    assert closing.locator("a").first.evaluate("a => getComputedStyle(a).color") == "rgb(11, 83, 148)"
    n, s = notice.bounding_box(), closing.bounding_box()
    assert n and s and s["y"] <= n["y"] and n["y"] + n["height"] <= s["y"] + s["height"] + 0.5


# ------------------------------------------------------------------------------------------- the handouts

@pytest.mark.parametrize("lang", LANGS)
def test_the_handout_has_the_logos_inlined_on_top_and_the_notice_at_its_end(site, lang):
    html = (lesson_dir(site, lang) / layout.HANDOUT).read_text(encoding="utf-8")
    header = html[html.index('<header class="handout__header">'):html.index("</header>")]
    uri = "data:image/svg+xml;base64," + base64.b64encode(LOGO).decode("ascii")
    assert logo_imgs(header) == [f'<img src="{uri}" alt="{", ".join(NAMES)}">']
    assert header.index("brand-logos") < header.index("<h1")
    footer = html[html.index('<footer class="handout__footer">'):]
    assert f'<p class="brand-notice">{shown_notice(lang)}</p>' in footer
    assert 'src="brand/' not in html, "the handout stands alone"


@pytest.mark.parametrize("lang", ["el", "ru"])
def test_the_pdf_has_the_notice_on_its_last_page(site, lang):
    pypdf = need("pypdf")
    reader = pypdf.PdfReader(lesson_dir(site, lang) / layout.HANDOUT_PDF)
    last = " ".join(reader.pages[-1].extract_text().split())
    assert NOTICE["el"] in last
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Irish Rural Link" in first, "the logo strip (SVG text) is drawn on the first page"


def test_in_chromium_the_handout_shows_its_inlined_logo(site, page):
    page.goto((lesson_dir(site, "fa") / layout.HANDOUT).as_uri())
    img = page.locator(".handout__header .brand-logos img")
    assert img.evaluate("img => img.complete && img.naturalWidth") > 0
    assert 0 < img.bounding_box()["height"] <= 80.5


# ------------------------------------------------------------------------------------ EPUB, zips and SCORM

@pytest.mark.parametrize("lang", LANGS)
def test_the_epub_carries_the_logo_on_its_title_page_and_the_notice_in_its_colophon(site, lang):
    with zipfile.ZipFile(lesson_dir(site, lang) / layout.HANDOUT_EPUB) as book:
        assert book.read("EPUB/images/brand/partners.svg") == LOGO
        opf = ET.fromstring(book.read("EPUB/package.opf"))
        title = book.read("EPUB/title.xhtml").decode("utf-8")
        last = book.read("EPUB/follow-up.xhtml").decode("utf-8")
    ns = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
    items = {i.get("href"): i.get("media-type") for i in opf.iterfind("opf:manifest/opf:item", ns)}
    assert items["images/brand/partners.svg"] == "image/svg+xml"
    assert '<img src="images/brand/partners.svg"' in title
    code, _ = SHOWN[lang]
    assert re.search(r'<section class="colophon" epub:type="colophon" role="doc-colophon">\s*'
                     rf'<p class="brand-notice">{re.escape(shown_notice(lang))}</p>', last)
    rights = opf.find("opf:metadata/dc:rights", ns)
    assert rights is not None and rights.text == NOTICE[code]
    assert rights.get("{http://www.w3.org/XML/1998/namespace}lang") == (None if code == lang else code)


@pytest.mark.slow
def test_epubcheck_and_ace_pass_the_branded_books(site, tmp_path):
    from test_epub import ace_report, epubcheck

    books = [lesson_dir(site, lang) / layout.HANDOUT_EPUB for lang in LANGS]
    reports = epubcheck(books, tmp_path / "epubcheck")
    assert [[(m["severity"], m["ID"], m["message"]) for m in r["messages"]] for r in reports] == [[]] * len(books)
    for lang in ("el", "fa"):
        report = ace_report(lesson_dir(site, lang) / layout.HANDOUT_EPUB, tmp_path / f"ace-{lang}")
        found = [(doc["earl:testSubject"]["url"], a["earl:test"]["dct:title"])
                 for doc in report["assertions"] for a in doc["assertions"]]
        assert (report["earl:result"]["earl:outcome"], found) == ("pass", []), lang


@pytest.mark.parametrize("lang", LANGS)
def test_both_scorm_packages_carry_the_logo_and_the_notice_in_their_valid_manifests(site, lang):
    scorm_schemas.require()
    project, _ = read_project(site.parent)
    lesson = project.lessons["shop-basics"][lang]
    code, _ = SHOWN[lang]
    for version in layout.SCORM_VERSIONS:
        package = (site / layout.scorm_package(lesson, version)).read_bytes()
        with zipfile.ZipFile(io.BytesIO(package)) as archive:
            assert archive.read("brand/partners.svg") == LOGO
            manifest = archive.read(layout.MANIFEST)
            deck = archive.read(layout.DECK).decode("utf-8")
        assert b'<file href="brand/partners.svg"/>' in manifest
        assert scorm_schemas.validate(manifest, version) == []
        passing = lesson.pass_mark if any(q.scored for q in lesson.questions) else None
        assert scorm_checker.check(package, version, title=lesson.title, lang=lang, pass_mark=passing) == []
        root = ET.fromstring(manifest)
        if version == "1.2":
            md = "{http://www.imsglobal.org/xsd/imsmd_rootv1p2p1}"
            strings = root.findall(f".//{md}lom/{md}rights/{md}description/{md}langstring")
            got = [(s.get("{http://www.w3.org/XML/1998/namespace}lang"), s.text) for s in strings]
        else:
            lom = "{http://ltsc.ieee.org/xsd/LOM}"
            strings = root.findall(f".//{lom}lom/{lom}rights/{lom}description/{lom}string")
            got = [(s.get("language"), s.text) for s in strings]
        assert got == [(code, NOTICE[code])], version
        assert logo_imgs(section(deck, "closing")), "the learner's deck shows the logos too"
        assert shown_notice(lang) in section(deck, "closing")


def test_the_lesson_and_language_zips_carry_the_logo(site):
    with zipfile.ZipFile(lesson_dir(site, "fa") / "shop-basics-fa.zip") as archive:
        assert archive.read("shop-basics-fa/brand/partners.svg") == LOGO
        deck = archive.read("shop-basics-fa/index.html").decode("utf-8")
    assert '<img src="brand/partners.svg"' in section(deck, "title")
    with zipfile.ZipFile(site / "fa" / "microlearn-fa.zip") as archive:
        assert archive.read("microlearn-fa/shop-basics/brand/partners.svg") == LOGO


# --------------------------------------------------------------------------------------- the accent colour

def test_the_contrast_is_wcag_2s_and_the_suggestion_is_the_nearest_that_passes():
    assert round(brand_checks.contrast("#767676", "#ffffff"), 2) == 4.54
    assert round(brand_checks.contrast("#000000", "#ffffff"), 2) == 21.0
    themes = {"light": {"--paper": "#ffffff", "--soft": "#f2f5f9", "--stage-bg": "#e8f0fa",
                        "--accent-ink": "#ffffff"}}
    suggestion = brand_checks.nearest_passing("#6fa8dc", themes)
    assert suggestion == brand_checks.nearest_passing("#6fa8dc", themes), "deterministic"
    assert suggestion is not None and brand_checks.contrast_problem(suggestion, themes) is None
    # nearest: just past the threshold of the use that binds (the shaded boxes), not far beyond it
    assert 4.5 <= brand_checks.contrast(suggestion, "#f2f5f9") < 4.6
    assert brand_checks.contrast_problem(ACCENT, themes) is None


def test_a_low_contrast_accent_is_an_error_at_its_line_with_the_ratio_and_a_colour_that_passes(tmp_path):
    project = branded_project(tmp_path, BRAND.replace(ACCENT, "#FFCC00"))
    result = run_cli(project, "build", "--no-pdf")
    assert result.returncode == 1
    line = (project / "microlearn.yml").read_text(encoding="utf-8").splitlines().index('  accent: "#FFCC00"') + 1
    first = result.stderr.splitlines()[0]
    match = re.fullmatch(rf'microlearn.yml:{line}:11: error: brand accent "#ffcc00" has '
                         r"a contrast of (\d\.\d\d):1 for .*; WCAG AA wants 4.5:1 for text; the nearest colour that "
                         r'passes is "(#[0-9a-f]{6})"', first)
    assert match, first
    assert float(match[1]) == pytest.approx(brand_checks.contrast("#ffcc00", "#ffffff"), abs=0.01)
    fixed = match[2]
    (project / "microlearn.yml").write_text((project / "microlearn.yml").read_text(encoding="utf-8")
                                            .replace("#FFCC00", fixed), encoding="utf-8")
    assert run_cli(project, "build", "--no-pdf").returncode == 0, "the suggested colour builds"


def test_the_print_backgrounds_of_the_theme_are_checked_too(tmp_path):
    project = branded_project(tmp_path)
    static = project / "themes" / "default" / "static"
    static.mkdir(parents=True)
    handout_pdf = REPO / "themes" / "default" / "static" / "handout-pdf.css"
    (static / "handout-pdf.css").write_text(handout_pdf.read_text(encoding="utf-8")
                                           + "@media print { :root { --paper: #999999; } }\n", encoding="utf-8")
    with pytest.raises(MicrolearnError) as err:
        read_project(project)
    assert err.value.path == project / "microlearn.yml" and err.value.col == 11
    assert " in print (--accent #0b5394 on --paper #999999)" in err.value.message
    assert "the nearest colour that passes is" in err.value.message


def test_a_changed_logo_is_rebuilt(tmp_path):
    from microlearn.site.build import build

    project = branded_project(tmp_path)
    build(project, project / "site", with_pdf=False)
    changed = LOGO.replace(b"Irish Rural Link", b"Irish Rural Link!")
    (project / "brand" / "partners.svg").write_bytes(changed)
    result = build(project, project / "site", with_pdf=False)
    assert (project / "site" / "el" / "shop-basics" / "brand" / "partners.svg").read_bytes() == changed
    assert result.stats["written"] > 0


# ------------------------------------------------------------------------------------ a project without it

def test_a_project_without_brand_carries_none_of_it(tmp_path):
    from microlearn.site.build import build

    project = tmp_path / "plain"
    shutil.copytree(FIXTURES / "handout-project", project)
    site = build(project, project / "site", with_pdf=False).out
    files = site_tree(site)
    assert not [name for name in files if "/brand/" in name]
    for name, data in files.items():
        if name.endswith(".html"):
            assert b"brand-" not in data and b"<style>:root { --accent" not in data, name
    for version in layout.SCORM_VERSIONS:
        package = files[f"el/shop-basics/shop-basics-el-scorm{version.replace('.', '')}.zip"]
        with zipfile.ZipFile(io.BytesIO(package)) as archive:
            assert b"rights" not in archive.read(layout.MANIFEST)
            assert not [n for n in archive.namelist() if n.startswith("brand/")]
    with zipfile.ZipFile(io.BytesIO(files["el/shop-basics/handout.epub"])) as book:
        assert b"colophon" not in book.read("EPUB/follow-up.xhtml")
        assert b"dc:rights" not in book.read("EPUB/package.opf")
