"""The HTML handout: one self-contained file with the whole lesson, read in real Chromium from file://.

tests/fixtures/handout-project holds one lesson in el, ru, fa and ar with every part a handout shows
(key messages, a continued stage, lists in stage content, discussion, follow-up, credits, base_url).
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from conftest import FIXTURES, open_offline
from microlearn.i18n.language import format_duration, language_info
from microlearn.render.deckplan import deck_slides

LANGS = ("el", "ru", "fa", "ar")
DIGITS = {"el": "0123456789", "ru": "0123456789", "fa": "۰۱۲۳۴۵۶۷۸۹", "ar": "٠١٢٣٤٥٦٧٨٩"}
COUNTER_STYLE = {"el": "decimal", "ru": "decimal", "fa": "persian", "ar": "arabic-indic"}


def plain(html: str) -> str:
    """Text of an HTML fragment with whitespace collapsed, as innerText gives it."""
    blocks = re.sub(r"</?(?:p|li|ul|ol|div|h\d|br|figure|img|table|tr|td|th)\b[^>]*>", " ", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", "", blocks)).split())


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("lang", LANGS)
def test_the_handout_holds_the_whole_lesson(handout_site, handout_lessons, page, lang):
    lesson = handout_lessons[lang]
    info = language_info(lang, "arab" if lang == "ar" else None)
    handout = handout_site / lang / "shop-basics" / "handout.html"
    assert open_offline(page, handout) == []
    text = squash(page.inner_text("body"))

    assert page.inner_text("h1") == lesson.title
    assert lesson.competence_area in text
    assert page.title().startswith(lesson.title)
    facts = squash(page.inner_text(".facts"))
    assert format_duration(lesson.planned_seconds, info) in facts
    assert "duration-" not in text, "durations are words (Babel lacks Persian's long units)"
    slide_total = str(len(deck_slides(lesson))).translate(str.maketrans("0123456789", DIGITS[lang]))
    assert slide_total in facts, "the slide count is the deck's, in the language's digits"
    for part in (*lesson.key_messages, *lesson.objectives, *lesson.discussion):
        assert plain(part) in text
    assert plain(lesson.follow_up) in text
    assert plain(lesson.credits) in text

    # Every stage: its title in the contents (linking to it) and as a heading, its content and narration.
    toc_links = page.eval_on_selector_all(".toc a", "as => as.map(a => [a.getAttribute('href'), a.innerText])")
    for stage in lesson.stages:
        assert [f"#{stage.anchor}", stage.title] in toc_links
        section = page.locator(f"section#{stage.anchor}")
        assert stage.title in section.locator("h2").inner_text()
        section_text = squash(section.inner_text())
        for slide in stage.slides:
            assert plain(slide.body_html) in section_text
            assert plain(slide.notes_html) in section_text, "the full narration"
    assert all(page.locator(href).count() == 1 for href, _ in toc_links), "every contents link has a target"

    # The timing table: stage, time, running total.
    rows = page.eval_on_selector_all(".timing tbody tr", "rs => rs.map(r => [...r.cells].map(c => c.innerText))")
    running = 0
    assert len(rows) == len(lesson.stages)
    for row, stage in zip(rows, lesson.stages, strict=False):
        running += stage.seconds
        assert stage.title in row[0]
        assert row[1] == format_duration(stage.seconds, info)
        assert row[2] == format_duration(running, info)

    # Where the deck lives online (base_url is set in this project).
    online = page.get_attribute(".online a", "href")
    assert online == f"https://training.example.org/microlearn/{lang}/shop-basics/"


def test_the_handout_needs_no_script_and_no_other_file(handout_site):
    for handout in sorted(handout_site.glob("*/*/handout.html")):
        html = handout.read_text(encoding="utf-8")
        assert "<script" not in html
        assert '<link rel="stylesheet"' not in html
        sources = re.findall(r'\bsrc="([^"]*)"', html)
        assert sources and all(s.startswith("data:image/") for s in sources), "images are data: URIs"


def test_every_example_handout_loads_offline_and_requests_nothing(example_site, page):
    handouts = sorted(example_site.glob("*/*/handout.html"))
    assert handouts
    for handout in handouts:
        assert open_offline(page, handout) == [], handout
        broken = page.eval_on_selector_all("img", "is => is.filter(i => !i.complete || !i.naturalWidth).length")
        assert broken == 0, handout


def test_no_slides_online_line_without_base_url(example_site):
    for handout in example_site.glob("*/*/handout.html"):
        assert 'class="online"' not in handout.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", LANGS)
def test_a_phone_reads_it_without_sideways_scrolling(handout_site, browser, lang):
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    try:
        page = context.new_page()
        assert open_offline(page, handout_site / lang / "shop-basics" / "handout.html") == []
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{lang}: the page is {width} px wide on a 360 px phone"
        font = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert font >= 16
        img = page.evaluate("document.querySelector('img').getBoundingClientRect().width")
        assert 0 < img <= 360
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_direction_and_the_languages_digits(handout_site, page, lang):
    page.goto((handout_site / lang / "shop-basics" / "handout.html").as_uri())
    rtl = lang in ("fa", "ar")
    assert page.get_attribute("html", "dir") == ("rtl" if rtl else "ltr")
    assert page.get_attribute("html", "lang") == lang
    # The narration's rule stands on the side where lines start: right in fa and ar.
    border = page.evaluate("(() => { const s = getComputedStyle(document.querySelector('.narration'));"
                           " return [s.borderRightWidth, s.borderLeftWidth]; })()")
    assert border == (["4px", "0px"] if rtl else ["0px", "4px"])
    # Numbered lists of the lesson's content count in the language's digits (CSS counter style) ...
    style = page.evaluate("getComputedStyle(document.querySelector('.stage__content ol')).listStyleType")
    assert style == COUNTER_STYLE[lang]
    # ... and so do the counters the build writes (objectives, stage numbers in the contents).
    numbers = page.eval_on_selector_all("ol.counted > li[data-n]", "ls => ls.map(l => l.dataset.n)")
    assert numbers and all(set(n) <= set(DIGITS[lang]) for n in numbers)
    stage_numbers = page.eval_on_selector_all(".stage-no", "ns => ns.map(n => n.innerText)")
    assert stage_numbers[:2] == [DIGITS[lang][0] + DIGITS[lang][1], DIGITS[lang][0] + DIGITS[lang][2]]


def test_the_style_sheet_uses_logical_properties_only():
    css = (FIXTURES.parent.parent / "themes" / "default" / "static" / "handout.css").read_text(encoding="utf-8")
    physical = re.findall(r"(?:margin|padding|border)-(?:left|right)\b|\bfloat\s*:|text-align\s*:\s*(?:left|right)"
                          r"|(?<![-\w])(?:left|right)\s*:", css)
    assert physical == []


def test_print_hides_screen_links_and_keeps_headings_with_their_text(handout_site, page):
    page.goto((handout_site / "fa" / "shop-basics" / "handout.html").as_uri())
    page.emulate_media(media="print")
    assert page.locator(".lang-switch").is_hidden()
    assert page.locator(".downloads").is_hidden()
    styles = page.evaluate("""(() => {
        const h2 = getComputedStyle(document.querySelector('.stage h2'));
        const li = getComputedStyle(document.querySelector('.stage li'));
        return [h2.breakAfter, li.breakInside];
    })()""")
    assert styles == ["avoid", "avoid"]
    # Chromium prints it too (A4, from the same print styles).
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")


def test_the_handout_links_the_slides_the_zip_and_the_pdf(handout_site, page):
    page.goto((handout_site / "ar" / "shop-basics" / "handout.html").as_uri())
    hrefs = page.eval_on_selector_all(".downloads a", "as => as.map(a => a.getAttribute('href'))")
    assert hrefs == ["index.html", "shop-basics-ar.zip", "handout.pdf", "handout.epub"]  # the EPUB since issue 17
    for href in hrefs:
        assert (handout_site / "ar" / "shop-basics" / href).is_file()


def test_every_example_handout_fits_a_phone(example_site, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        for handout in sorted(example_site.glob("*/*/handout.html")):
            page.goto(handout.as_uri())
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{handout.relative_to(example_site)} is {width} px wide on a 360 px phone"
    finally:
        context.close()
