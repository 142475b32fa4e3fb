"""The trainer's guide (<lang>/<id>/guide.html and guide.pdf): a run sheet for a room with one screen.

Real lessons with questions, trainer directions and materials, real builds, the pages in real Chromium
(the start time typed into the field), the PDF's text read with pypdf, the Nu checker and axe."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, copy_project, make_project, need, open_offline, run_cli, site_tree
from microlearn.site.build import build

EL = """---
title: Δοκιμαστικό μάθημα
competence_area: Ψηφιακές δεξιότητες
duration: 10m
objectives:
  - Να αναγνωρίζουμε τα στάδια μιας αγοράς.
discussion:
  - Πότε αγοράσατε τελευταία φορά από ηλεκτρονικό κατάστημα;
materials:
  - Χαρτιά A4
  - Μαρκαδόροι
pass_mark: 70%
---

## Ενημέρωση {time=2m}

Ο πελάτης μαθαίνει για το κατάστημα.

::: notes
Η αφήγηση του πρώτου σταδίου.
:::

::: trainer
Ρωτήστε την ομάδα πότε αγόρασαν τελευταία φορά online.
:::

## Αγορά {time=4m}

Ο πελάτης πληρώνει.

::: notes
Η αφήγηση της αγοράς.
:::

::: question
Ποιο στάδιο έρχεται αμέσως μετά την αγορά;

- [ ] Ενημέρωση και προσέλκυση
- [x] Εκτέλεση παραγγελίας
- [ ] Υποστήριξη

> Μετά την πληρωμή ο πελάτης περιμένει το δέμα.
:::

::: question
Ποια από αυτά είναι κανάλια πώλησης;

- [x] Ηλεκτρονικό κατάστημα
- [x] Φυσικό κατάστημα
- [ ] Ο καιρός
:::

## Αναστοχασμός {time=2m}

::: question
Τι θα αλλάζατε στο δικό σας κατάστημα;
:::
"""

AR = """---
title: درس تجريبي
competence_area: المهارات الرقمية
objectives:
  - أن نتعرّف مراحل الشراء.
discussion:
  - متى اشتريتم آخر مرة من متجر إلكتروني؟
materials:
  - أوراق
  - أقلام
---

## الوعي {time=2m}

يتعرّف العميل على المتجر.

::: notes
سرد المرحلة الأولى.
:::

::: trainer
اسألوا المجموعة متى اشتروا آخر مرة عبر الإنترنت.
:::

## الشراء {time=4m}

يدفع العميل.

::: notes
سرد مرحلة الشراء.
:::

::: question
أي مرحلة تأتي بعد الشراء مباشرة؟

- [ ] الوعي
- [x] تنفيذ الطلب
- [ ] الدعم

> بعد الدفع ينتظر العميل الطرد.
:::

## التأمل {time=2m}

::: question
ماذا كنتم ستغيّرون في متجركم؟
:::
"""

CONFIG = """default_language: el
languages:
  el:
    title: Μαθήματα
  ar:
    title: دروس
    numbering: arab
"""

# Where each part of the run sheet starts, in minutes from the start: the opening and the first stage at
# 0, the stages of 2, 4 and 2 minutes, then the discussion (el: the 2 minutes its 10-minute duration leaves;
# ar: no duration, so no time of its own) and the closing, and the end.
EL_OFFSETS = [0, 0, 2, 6, 8, 10, 10]
AR_OFFSETS = [0, 0, 2, 6, 8, 8, 8]
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def guide_project(root: Path) -> Path:
    return make_project(root, {"microlearn.yml": CONFIG, "content/shop/el.md": EL, "content/shop/ar.md": AR})


@pytest.fixture(scope="module")
def guide_site(tmp_path_factory) -> Path:
    """The two-language lesson built without PDFs."""
    project = guide_project(tmp_path_factory.mktemp("guide") / "project")
    return build(project, project / "site", with_pdf=False).out


@pytest.fixture(scope="module")
def guide_pdf_site(tmp_path_factory) -> Path:
    need("weasyprint")
    project = guide_project(tmp_path_factory.mktemp("guide-pdf") / "project")
    return build(project, project / "site").out


def clocks(page, selector: str = ".runsheet__table tbody tr td:first-child") -> list[str]:
    return [t.strip() for t in page.locator(selector).all_text_contents()]


# ---------------------------------------------------------------- what the guide holds


def test_every_version_of_the_example_site_has_its_guide_linked_from_its_catalog(tmp_path):
    project = copy_project(tmp_path / "project")
    result = run_cli(project, "build", "--no-pdf")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    versions = sorted(p for p in (REPO / "content").glob("*/*.md"))
    assert len(versions) >= 8
    for source in versions:
        lesson_id, lang = source.parent.name, source.stem
        guide = site / lang / lesson_id / "guide.html"
        assert guide.is_file(), guide
        html = guide.read_text(encoding="utf-8")
        assert 'class="runsheet__table"' in html and 'id="start-time"' in html, guide
        catalog = (site / lang / "index.html").read_text(encoding="utf-8")
        assert f'href="{lesson_id}/guide.html"' in catalog, (lang, lesson_id)
        # The learner's handout does not lead to the answers and the trainer's directions.
        handout = (site / lang / lesson_id / "handout.html").read_text(encoding="utf-8")
        assert "guide.html" not in handout and "guide.pdf" not in handout


def test_the_guide_holds_the_run_sheet_of_the_lesson(guide_site, page):
    page.goto((guide_site / "el" / "shop" / "guide.html").as_uri())
    assert page.title() == "Δοκιμαστικό μάθημα · Οδηγός εκπαιδευτή"
    header = page.locator(".guide__header").inner_text()
    for text in ("Ψηφιακές δεξιότητες", "Να αναγνωρίζουμε τα στάδια μιας αγοράς.", "Διάρκεια", "10 λεπτά",
                 "Βάση επιτυχίας", "70%", "Υλικά: Χαρτιά A4 και Μαρκαδόροι"):
        assert text in header, text
    rows = page.locator(".runsheet__table tbody tr")
    assert [rows.nth(i).locator("td").nth(1).inner_text() for i in range(rows.count())] == [
        "Έναρξη", "01 Ενημέρωση", "02 Αγορά", "03 Αναστοχασμός", "Συζήτηση", "Λήξη", "Τέλος του μαθήματος"]
    assert [rows.nth(i).locator("td").nth(2).inner_text() for i in range(5)] == [
        "—", "2 λεπτά", "4 λεπτά", "2 λεπτά", "2 λεπτά"]
    # The slides as the deck numbers them: title 1, objectives 2, the stages 3-7, discussion 8, closing 9.
    assert [rows.nth(i).locator("td").nth(3).inner_text() for i in range(6)] == ["1–2", "3", "4–6", "7", "8", "9"]
    deck = (guide_site / "el" / "shop" / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<section class="slide\b', deck)) == 9
    stage = page.locator("#run-1").inner_text()
    assert "Η αφήγηση του πρώτου σταδίου." in stage
    assert "Ρωτήστε την ομάδα πότε αγόρασαν τελευταία φορά online." in stage
    assert page.locator("#run-1 .trainer .label").text_content() == "Οδηγίες για τον εκπαιδευτή"
    purchase = page.locator("#run-2")
    assert purchase.locator(".question").count() == 2
    assert purchase.locator(".correct").all_inner_texts() == [
        "✓ Σωστή απάντηση: Β Εκτέλεση παραγγελίας", "✓ Σωστή απάντηση: Α Ηλεκτρονικό κατάστημα",
        "✓ Σωστή απάντηση: Β Φυσικό κατάστημα"]  # lettered as the deck and the handout letter them
    assert "Μετά την πληρωμή ο πελάτης περιμένει το δέμα." in purchase.locator(".explanation").inner_text()
    assert "δεν υπάρχει σωστή απάντηση" in page.locator("#run-3 .question__label").inner_text()
    discussion = page.locator("#run-discussion").inner_text()
    assert "Πότε αγοράσατε τελευταία φορά από ηλεκτρονικό κατάστημα;" in discussion and "2 λεπτά" in discussion


def test_a_discussion_without_time_says_so_and_no_pass_mark_without_scored_questions(guide_site):
    ar = (guide_site / "ar" / "shop" / "guide.html").read_text(encoding="utf-8")
    assert "لا يحدّد الدرس وقتًا للنقاش." in ar
    assert "درجة النجاح" in ar  # one scored question: the default pass mark, 80 %
    assert "٨٠٪" in ar
    assert "<strong>المواد اللازمة:</strong> أوراق وأقلام" in ar


# ---------------------------------------------------------------- the clock column


@pytest.mark.parametrize(("lang", "offsets", "digits"), [("el", EL_OFFSETS, None), ("ar", AR_OFFSETS, ARABIC_INDIC)])
def test_without_javascript_the_times_count_from_zero(guide_site, browser, lang, offsets, digits):
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto((guide_site / lang / "shop" / "guide.html").as_uri())
        want = [f"0:{m:02d}".translate(digits) if digits else f"0:{m:02d}" for m in offsets]
        assert clocks(page) == want
        assert page.locator("#start-form").is_hidden(), "no field that would do nothing"
    finally:
        ctx.close()


@pytest.mark.parametrize(("lang", "offsets", "digits"), [("el", EL_OFFSETS, None), ("ar", AR_OFFSETS, ARABIC_INDIC)])
def test_a_start_time_typed_into_the_field_moves_the_clock_column(guide_site, browser, lang, offsets, digits):
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        assert open_offline(page, guide_site / lang / "shop" / "guide.html") == []
        field = page.get_by_label({"el": "Ώρα έναρξης", "ar": "وقت البدء"}[lang])
        field.focus()
        # Chromium draws the field in its own locale (en-US here): hours, minutes, then AM/PM.
        page.keyboard.type("0930A")
        assert field.input_value() == "09:30"
        want = [f"09:{30 + m:02d}" for m in offsets]
        if digits:
            want = [w.translate(digits) for w in want]
        assert clocks(page) == want
        assert page.locator("#run-2 h2 .clock").inner_text() == want[2]
        # Emptied again, the column counts from 0:00 once more.
        page.keyboard.press("Backspace")  # one part of the field emptied empties its value
        assert field.input_value() == ""
        zero = [f"0:{m:02d}" for m in offsets]
        assert clocks(page) == ([z.translate(digits) for z in zero] if digits else zero)
        assert errors == []
    finally:
        ctx.close()


# ---------------------------------------------------------------- a valid, accessible, right-to-left page


def test_the_guide_passes_the_nu_checker(guide_site):
    from test_layout_pdf import nu_check

    pages = [guide_site / lang / "shop" / "guide.html" for lang in ("el", "ar")]
    assert all(page.is_file() for page in pages)  # the checker passes a list of missing files
    result = nu_check(pages)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("lang", "direction"), [("el", "ltr"), ("ar", "rtl")])
def test_axe_finds_nothing_serious_and_the_page_has_its_language_and_direction(guide_site, page, lang, direction):
    from axe_playwright_python.sync_playwright import Axe

    page.goto((guide_site / lang / "shop" / "guide.html").as_uri())
    assert page.get_attribute("html", "lang") == lang and page.get_attribute("html", "dir") == direction
    results = Axe().run(page)
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == []
    if direction == "rtl":  # the clock column stands at the right, where a right-to-left reader starts
        first = page.locator(".runsheet__table tbody tr:first-child td").first.bounding_box()
        second = page.locator(".runsheet__table tbody tr:first-child td").nth(1).bounding_box()
        assert first["x"] > second["x"]


def test_a_phone_reads_it_without_sideways_scrolling(guide_site, browser):
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = ctx.new_page()
        for lang in ("el", "ar"):
            page.goto((guide_site / lang / "shop" / "guide.html").as_uri())
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, lang
    finally:
        ctx.close()


def test_the_style_sheet_uses_logical_properties_only():
    css = (REPO / "themes" / "default" / "static" / "guide.css").read_text(encoding="utf-8")
    physical = re.findall(r"(?:margin|padding|border)-(?:left|right)\b|\bfloat\s*:|text-align\s*:\s*(?:left|right)"
                          r"|(?<![-\w])(?:left|right)\s*:", css)
    assert physical == []
    assert "size: A4" in css


# ---------------------------------------------------------------- the PDF


@pytest.mark.pdf
def test_the_guide_pdf_holds_the_directions_and_the_answers(guide_pdf_site):
    pypdf = need("pypdf")
    reader = pypdf.PdfReader(guide_pdf_site / "el" / "shop" / "guide.pdf")
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert reader.metadata.title == "Δοκιμαστικό μάθημα · Οδηγός εκπαιδευτή"
    for expected in ("Ρωτήστε την ομάδα πότε αγόρασαν τελευταία φορά online.",
                     "Σωστή απάντηση: Β Εκτέλεση παραγγελίας", "Σωστή απάντηση: Β Φυσικό κατάστημα",
                     "Μετά την πληρωμή ο πελάτης περιμένει το δέμα.", "Υλικά: Χαρτιά A4 και Μαρκαδόροι"):
        assert expected in text, expected
    assert "Ώρα έναρξης" not in text, "no field in the printed sheet"
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)  # A4
    ar = pypdf.PdfReader(guide_pdf_site / "ar" / "shop" / "guide.pdf")
    assert "اسألوا المجموعة" in " ".join(page.extract_text() for page in ar.pages)


@pytest.mark.pdf
def test_the_lesson_zip_carries_the_guide_and_its_pdf_and_the_bundled_guide_stays_in_its_folder(guide_pdf_site):
    with zipfile.ZipFile(guide_pdf_site / "el" / "shop" / "shop-el.zip") as zf:
        names = zf.namelist()
        bundled = zf.read("shop-el/guide.html").decode("utf-8")
        assert zf.read("shop-el/guide.pdf") == (guide_pdf_site / "el" / "shop" / "guide.pdf").read_bytes()
    assert {"shop-el/guide.html", "shop-el/guide.pdf"} <= set(names)
    hrefs = re.findall(r'<a href="([^"#]+)"', bundled)
    assert sorted(hrefs) == ["guide.pdf", "handout.html", "index.html"]  # each a file of the zip's folder
    assert all(f"shop-el/{h}" in names for h in hrefs)
    with zipfile.ZipFile(guide_pdf_site / "el" / "microlearn-el.zip") as zf:
        assert {"microlearn-el/shop/guide.html", "microlearn-el/shop/guide.pdf"} <= set(zf.namelist())
        index = zf.read("microlearn-el/index.html").decode("utf-8")
    assert 'href="shop/guide.html"' in index


# ---------------------------------------------------------------- builds


@pytest.mark.pdf
def test_two_builds_make_the_same_bytes(tmp_path):
    need("weasyprint")
    sites = []
    for name in ("one", "two"):
        project = guide_project(tmp_path / name)
        sites.append(site_tree(build(project, tmp_path / f"{name}-site", cache=False).out))
    assert sites[0] == sites[1]
    assert {"el/shop/guide.html", "el/shop/guide.pdf", "ar/shop/guide.html", "ar/shop/guide.pdf"} <= set(sites[0])
    with zipfile.ZipFile(io.BytesIO(sites[0]["el/shop/shop-el.zip"])) as zf:
        assert "shop-el/guide.html" in zf.namelist()


def test_an_edited_lesson_rebuilds_its_guide_and_a_build_with_no_change_writes_nothing(tmp_path):
    project = guide_project(tmp_path / "project")
    first = build(project, project / "site", with_pdf=False)
    assert first.stats["written"] > 0
    ar_guide = (project / "site" / "ar" / "shop" / "guide.html").read_bytes()

    again = build(project, project / "site", with_pdf=False)
    assert again.stats["written"] == 0

    lesson = project / "content" / "shop" / "el.md"
    lesson.write_text(EL.replace("Ρωτήστε την ομάδα", "Ζητήστε από την ομάδα να πει"), encoding="utf-8")
    edited = build(project, project / "site", with_pdf=False)
    guide = (project / "site" / "el" / "shop" / "guide.html").read_text(encoding="utf-8")
    assert "Ζητήστε από την ομάδα να πει" in guide and "Ρωτήστε την ομάδα" not in guide
    with zipfile.ZipFile(project / "site" / "el" / "shop" / "shop-el.zip") as zf:
        assert "Ζητήστε από την ομάδα να πει" in zf.read("shop-el/guide.html").decode("utf-8")
    assert (project / "site" / "ar" / "shop" / "guide.html").read_bytes() == ar_guide
    assert 0 < edited.stats["written"] < first.stats["written"]

    # The theme's guide template is an input too: a project's own copy of it rebuilds every guide.
    theme = project / "themes" / "default" / "templates"
    theme.mkdir(parents=True)
    shutil.copy(REPO / "themes" / "default" / "templates" / "guide.html", theme / "guide.html")
    text = (theme / "guide.html").read_text(encoding="utf-8")
    (theme / "guide.html").write_text(text.replace('<main>', '<main data-own-theme="yes">'), encoding="utf-8")
    build(project, project / "site", with_pdf=False)
    for lang in ("el", "ar"):
        assert 'data-own-theme="yes"' in (project / "site" / lang / "shop" / "guide.html").read_text(encoding="utf-8")

    # The same site as a build from scratch.
    fresh = build(project, tmp_path / "fresh", with_pdf=False, cache=False)
    assert site_tree(project / "site") == site_tree(fresh.out)
