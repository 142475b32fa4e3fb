"""A fifth language, added the way a translator would: a catalog and a config line, no code.

Hebrew is right-to-left and has three plural forms for whole numbers in CLDR (one, two, other), where
Babel's own table (pybabel init) says two: the build must follow the catalog's CLDR header.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from conftest import copy_project, run_cli

LESSON = """---
title: {title}
objectives:
  - מטרה ראשונה של השיעור.
duration: 3m
translation_of: el
---

## השלב הראשון {{time=2m}}

לקוחות מגלים את העסק דרך Google ו־Instagram.

::: notes
ספרו על החנות השכונתית.
:::

## השלב השני {{time=1m}}

משלוח עם UPS או FedEx.

::: notes
שאלו את הקבוצה.
:::
"""

LESSON_EL = """---
title: Μάθημα {n}
objectives:
  - Πρώτος στόχος.
duration: 3m
---

## Πρώτο στάδιο {{time=2m}}

Κείμενο.

::: notes
Αφήγηση.
:::

## Δεύτερο στάδιο {{time=1m}}

Κείμενο.

::: notes
Αφήγηση.
:::
"""

HEBREW = {
    "Presenter view": "תצוגת מציג",
    "All lessons": "כל השיעורים",
    "Key messages": "מסרים מרכזיים",
    "Learning objectives": "מטרות הלמידה",
    "Handout": "דף מידע",
    "Duration": "משך",
    "Choose a language": "בחירת שפה",
    "This translation may be behind the original version of the lesson.":
        "ייתכן שהתרגום הזה אינו מעודכן לגרסה המקורית של השיעור.",
    # one (n=1) and two (n=2) name the number in words; other (every other whole number) shows it
    ("%(num)s lesson", "%(num)s lessons"): ("שיעור אחד", "שני שיעורים", "%(num)s שיעורים"),
    ("%(num)s slide", "%(num)s slides"): ("שקופית אחת", "שתי שקופיות", "%(num)s שקופיות"),
}


def add_hebrew(project: Path) -> Path:
    """What the README's "Translating" section tells a translator to do for a new language."""
    done = run_cli(project, "i18n", "init", "he")
    assert done.returncode == 0, done.stderr
    assert "3 plural forms: one, two, other" in done.stdout
    po = project / "locales" / "he" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        catalog = read_po(fh)
    for message in catalog:
        if message.id in HEBREW:
            message.string = HEBREW[message.id]
    with po.open("wb") as fh:
        write_po(fh, catalog, width=76)
    cfg = project / "microlearn.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "  he:\n    title: שיעורים קצרים במסחר אלקטרוני\n",
                   encoding="utf-8")
    for n, lesson_id in enumerate(("alpha", "beta"), start=1):
        folder = project / "content" / lesson_id
        folder.mkdir(parents=True)
        (folder / "el.md").write_text(LESSON_EL.format(n=n), encoding="utf-8")
        (folder / "he.md").write_text(LESSON.format(title=f"שיעור {n}"), encoding="utf-8")
    return po


@pytest.mark.slow  # the translator's whole workflow in subprocesses
def test_hebrew_added_with_a_catalog_and_a_config_line_builds_a_right_to_left_site(tmp_path):
    project = copy_project(tmp_path / "p", content=False)
    add_hebrew(project)
    # the translator marks both lessons done; then beta's Greek source changes, so beta is outdated
    assert run_cli(project, "i18n", "done", "alpha", "he").returncode == 0
    assert run_cli(project, "i18n", "done", "beta", "he").returncode == 0
    source = project / "content" / "beta" / "el.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nΜια νέα πρόταση.\n", encoding="utf-8")
    status = run_cli(project, "i18n", "status")
    assert status.returncode == 0, status.stdout
    he_row = next(ln for ln in status.stdout.splitlines() if ln.startswith("he "))
    assert he_row.split()[6] == "0", "no catalog errors"
    assert re.search(r"^alpha\s+source\s+missing\s+missing\s+missing\s+translated$", status.stdout, re.MULTILINE)
    assert re.search(r"^beta\s+source\s+missing\s+missing\s+missing\s+outdated$", status.stdout, re.MULTILINE)

    out = tmp_path / "site"
    built = run_cli(project, "build", "--no-pdf", "-o", str(out))
    assert built.returncode == 0, built.stderr
    assert "catalog for he" not in built.stderr
    assert "no he translation for interface text 'Presenter view'" not in built.stderr

    catalog_page = (out / "he" / "index.html").read_text(encoding="utf-8")
    deck = (out / "he" / "alpha" / "index.html").read_text(encoding="utf-8")
    handout = (out / "he" / "alpha" / "handout.html").read_text(encoding="utf-8")
    for page in (catalog_page, deck, handout):
        assert '<html lang="he" dir="rtl"' in page
    # interface strings from the Hebrew catalog, plural forms chosen by the catalog's CLDR rule
    assert "תצוגת מציג" in deck and "כל השיעורים" in deck
    assert "שני שיעורים" in catalog_page, "two lessons: CLDR's 'two' form"
    slides = int(re.search(r'data-total="(\d+)"', deck).group(1))
    assert slides > 2 and f"{slides} שקופיות" in deck, "'other' form with the number in Latin digits (CLDR he)"
    assert "מטרות הלמידה" in handout
    # the outdated lesson carries the Hebrew notice, the up-to-date one does not
    notice = HEBREW["This translation may be behind the original version of the lesson."]
    assert notice not in deck
    assert notice in (out / "he" / "beta" / "index.html").read_text(encoding="utf-8")
    assert notice in (out / "he" / "beta" / "handout.html").read_text(encoding="utf-8")
    # Latin brand names inside the Hebrew text are isolated
    assert '<bdi dir="ltr">Google</bdi>' in deck and '<bdi dir="ltr">UPS</bdi>' in deck
    # the language is reachable from every other language and from the root page
    el_deck = (out / "el" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="\.\./\.\./he/alpha/index\.html" lang="he" dir="rtl" hreflang="he"[^>]*>עברית</a>',
                     el_deck)
    assert 'hreflang="he"' in (out / "index.html").read_text(encoding="utf-8")


def test_one_lesson_uses_the_one_form(tmp_path):
    project = copy_project(tmp_path / "p", content=False)
    add_hebrew(project)
    for lang in ("el", "he"):
        (project / "content" / "beta" / f"{lang}.md").unlink()
    (project / "content" / "beta").rmdir()
    out = tmp_path / "site"
    assert run_cli(project, "build", "--no-pdf", "-o", str(out)).returncode == 0
    assert "שיעור אחד" in (out / "he" / "index.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------- CLDR, decided deliberately


def test_direction_digits_and_plural_forms_come_from_cldr_for_any_code():
    from microlearn.i18n.language import language_info
    from microlearn.i18n.plurals import plural_forms

    he, fa, ar, uk = language_info("he"), language_info("fa"), language_info("ar", "arab"), language_info("uk")
    assert (he.direction, he.digits, he.name) == ("rtl", "0123456789", "עברית")
    assert (fa.direction, fa.digits) == ("rtl", "۰۱۲۳۴۵۶۷۸۹")
    assert (ar.direction, ar.digits) == ("rtl", "٠١٢٣٤٥٦٧٨٩")
    assert (uk.direction, uk.name) == ("ltr", "Українська")
    assert [plural_forms(c).count for c in ("el", "ru", "fa", "ar", "he", "uk", "ja")] == [2, 3, 2, 6, 3, 3, 1]


def test_duration_traps_of_babel_are_handled_on_purpose():
    from microlearn.i18n.language import format_duration, language_info

    ar = language_info("ar", "arab")
    # Arabic names one and two minutes without a number ('a minute', 'two minutes'): kept, it is the language
    assert format_duration(60, ar) == "دقيقة"
    assert format_duration(120, ar) == "دقيقتان"
    assert format_duration(180, ar) == "٣ دقائق"
    # format_timedelta would round 90 minutes to '2 часа'; a lesson plan needs the exact time
    assert format_duration(5400, language_info("ru")) == "1 час 30 минут"
    # format_list puts a right-to-left mark after Persian list items; pages isolate runs themselves
    fa = format_duration(5400, language_info("fa"))
    assert fa == "۱ ساعت و ۳۰ دقیقه" and "\u200f" not in fa and "\u200e" not in fa


# ------------------------------------------------------------- typography by script, not by language list

# One lesson, "shop", with *emphasis* in its text and its notes. Urdu and Hebrew come by a config line
# alone (no catalog: interface text falls back to English); Persian and Arabic have their catalogs.
SCRIPT_LESSONS = {
    "el": ("Μάθημα", "Οι πελάτες βρίσκουν το *κατάστημα* στο διαδίκτυο."),
    "fa": ("درس", "مشتری‌ها *فروشگاه* را در اینترنت پیدا می‌کنند."),
    "ar": ("درس", "يجد الزبائن *المتجر* على الإنترنت."),
    "ur": ("سبق", "گاہک *دکان* کو انٹرنیٹ پر ڈھونڈتے ہیں۔"),
    "he": ("שיעור", "לקוחות מוצאים את *החנות* ברשת."),
}
SCRIPTS = {"el": "Grek", "fa": "Arab", "ar": "Arab", "ur": "Arab", "he": "Hebr"}
STYLE_JS = """sel => { const el = document.querySelector(sel), s = getComputedStyle(el);
    return {style: s.fontStyle, weight: s.fontWeight, spacing: s.letterSpacing, transform: s.textTransform,
            lineHeight: parseFloat(s.lineHeight) / parseFloat(s.fontSize)}; }"""


@pytest.fixture(scope="module")
def script_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("scripts") / "p", content=False)
    cfg = project / "microlearn.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "  ur:\n    title: مختصر اسباق\n  he:\n    title: שיעורים קצרים\n",
                   encoding="utf-8")
    (project / "content" / "shop").mkdir(parents=True)
    for lang, (title, text) in SCRIPT_LESSONS.items():
        source = "" if lang == "el" else "translation_of: el\n"
        (project / "content" / "shop" / f"{lang}.md").write_text(
            f"---\ntitle: {title}\nobjectives:\n  - {text}\nduration: 1m\n{source}---\n\n"
            f"## {title} {{time=1m}}\n\n{text}\n\n::: notes\n{text}\n:::\n", encoding="utf-8")
    out = project.parent / "site"
    built = run_cli(project, "build", "--no-pdf", "-o", str(out))
    assert built.returncode == 0, built.stderr
    return out


def test_every_page_names_its_script_from_cldr(script_site):
    from microlearn.i18n.language import language_info

    # no table in microlearn: CLDR's likely subtags, or the script the code itself names
    assert [language_info(c).script for c in ("ur", "ps", "ckb", "ug", "syr", "dv", "uz-Arab", "pa-PK", "pa")] == \
        ["Arab", "Arab", "Arab", "Arab", "Syrc", "Thaa", "Arab", "Arab", "Guru"]
    for lang, script in SCRIPTS.items():
        for name in ("index.html", "shop/index.html", "shop/handout.html"):
            page = (script_site / lang / name).read_text(encoding="utf-8")
            assert re.search(rf'<html lang="{lang}" dir="(ltr|rtl)" data-script="{script}"', page), f"{lang}/{name}"
    assert 'data-script="Grek"' in (script_site / "index.html").read_text(encoding="utf-8")
    # what the theme's CSS selects by: the script's traits, decided in one place (i18n.TYPOGRAPHY)
    assert {c: language_info(c).typography for c in ("ur", "fa", "he", "dv", "el", "syr")} == {
        "ur": "joined upright tall", "fa": "joined upright tall", "he": "upright", "dv": "upright tall",
        "el": "", "syr": "joined upright tall"}
    assert 'data-typography="joined upright tall"' in (script_site / "ur" / "shop" / "handout.html").read_text(
        encoding="utf-8")
    assert "data-typography" not in (script_site / "el" / "index.html").read_text(encoding="utf-8")


def test_joined_scripts_are_never_slanted_or_spaced_in_chromium(script_site, page):
    """Urdu, added by config only, gets what Persian and Arabic get: bold emphasis, unspaced headings,
    taller lines. Hebrew is not slanted either (it has no true italic) but keeps its letter-spacing."""
    seen = {}
    for lang in SCRIPTS:
        page.goto((script_site / lang / "shop" / "index.html").as_uri())
        page.wait_for_selector("html.js", state="attached")
        deck = page.evaluate(STYLE_JS, ".slide em")
        stage = page.evaluate("Array.from(document.querySelectorAll('.slide')).findIndex(s => s.querySelector('.notes em'))")
        assert stage > 0, lang
        page.goto((script_site / lang / "shop" / "index.html").as_uri() + f"?presenter#{stage + 1}")
        page.wait_for_selector(".pv .pv__h")
        heading = page.evaluate(STYLE_JS, ".pv__h")
        notes = page.evaluate(STYLE_JS, ".pv__notes em")
        page.goto((script_site / lang / "shop" / "handout.html").as_uri())
        handout = page.evaluate(STYLE_JS, "main em")
        page.goto((script_site / lang / "index.html").as_uri())
        catalog = page.evaluate(STYLE_JS, "body")
        seen[lang] = (deck, heading, notes, handout, catalog)

    unspaced = ("normal", "0px")
    for lang in ("fa", "ar", "ur"):
        deck, heading, notes, handout, catalog = seen[lang]
        for em in (deck, notes, handout):
            assert (em["style"], em["weight"]) == ("normal", "700"), (lang, em)
        assert heading["spacing"] in unspaced and heading["transform"] == "none", (lang, heading)
        assert catalog["lineHeight"] == pytest.approx(1.8, abs=0.01), lang
    deck, heading, notes, handout, catalog = seen["he"]
    assert all(em["style"] == "normal" and em["weight"] == "700" for em in (deck, notes, handout)), seen["he"]
    assert heading["spacing"] not in unspaced, "Hebrew letters do not join: the heading keeps its spacing"
    assert catalog["lineHeight"] == pytest.approx(1.5, abs=0.01)
    deck, heading, notes, handout, catalog = seen["el"]
    assert all(em["style"] == "italic" for em in (deck, notes, handout)), seen["el"]
    assert heading["spacing"] not in unspaced and heading["transform"] == "uppercase"
    assert catalog["lineHeight"] == pytest.approx(1.5, abs=0.01)


@pytest.mark.pdf  # WeasyPrint lays out the handouts
def test_weasyprint_follows_the_script_rules_in_the_pdf(script_site):
    """The PDF handout is laid out by WeasyPrint from the same CSS: the attribute selectors hold there too."""
    from weasyprint import HTML

    def emphasis(lang: str) -> set[tuple[str, int]]:
        document = HTML(filename=str(script_site / lang / "shop" / "handout.html")).render()
        found, boxes = set(), [p._page_box for p in document.pages]
        while boxes:
            box = boxes.pop()
            if getattr(box, "element_tag", None) == "em":
                found.add((box.style["font_style"], box.style["font_weight"]))
            boxes.extend(getattr(box, "children", ()))
        return found

    assert emphasis("ur") == {("normal", 700)}
    assert emphasis("el") == {("italic", 400)}


def test_every_cldr_direction_becomes_an_html_dir():
    """CLDR gives Mongolian in its own script the direction "ttb"; HTML's dir takes ltr or rtl only."""
    from babel import Locale

    from microlearn.i18n.language import language_info

    assert Locale.parse("mn_Mong").text_direction == "ttb"
    assert language_info("mn-Mong").direction == "ltr"
    assert (language_info("he").direction, language_info("ur").direction) == ("rtl", "rtl")


@pytest.mark.parametrize("browser_language, lands_on", [
    ("pt-BR", "pt-BR"), ("pt", "pt-BR"), ("pt-PT", "pt-BR"), ("sr-Latn-RS", "sr-Latn"), ("sr-latn", "sr-Latn"),
    ("el-CY", "el"),
])
def test_root_page_matches_region_and_script_codes(tmp_path, browser, browser_language, lands_on):
    """Configured codes with a region or script (pt-BR, sr-Latn) are found from the browser's languages,
    whatever their case, by BCP 47 lookup (sr-Latn-RS → sr-Latn), and a bare pt finds pt-BR."""
    from microlearn.site.build import build

    project = tmp_path / "p"
    (project / "content").mkdir(parents=True)
    (project / "microlearn.yml").write_text(
        "default_language: el\nlanguages:\n  el:\n    title: Μαθήματα\n  pt-BR:\n    title: Lições\n"
        "  sr-Latn:\n    title: Lekcije\n", encoding="utf-8")
    site = build(project, tmp_path / "site", with_pdf=False).out
    ctx = browser.new_context(locale=browser_language)
    try:
        page = ctx.new_page()
        page.goto((site / "index.html").as_uri())
        page.wait_for_url(f"**/{lands_on}/index.html")
        assert page.evaluate("document.documentElement.lang") == lands_on
    finally:
        ctx.close()


@pytest.mark.pdf
def test_a_hebrew_pdf_uses_a_hebrew_noto_font(script_site, tmp_path):
    """The theme's font stack names Noto Sans Hebrew before DejaVu Sans, so Hebrew is set in Noto, like the
    other scripts, and not in the first font of the stack that happens to have its letters."""
    import subprocess

    from microlearn.outputs.pdf import html_to_pdf

    pdf = tmp_path / "he.pdf"
    html = (script_site / "he" / "shop" / "handout.html").read_text(encoding="utf-8")
    pdf.write_bytes(html_to_pdf(html, identifier="he", epoch=0))
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "Noto-Sans-Hebrew" in fonts and "DejaVu" not in fonts, fonts
