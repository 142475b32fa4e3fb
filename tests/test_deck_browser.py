"""The deck in real Chromium from file://: keys, buttons, counter digits, URL, right-to-left.

The deck is tests/fixtures/deck ('pacing', 12 slides) in Greek and Persian.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import block_network, need, strings

# Chromium through Playwright: skipped when the test extras are not installed (see conftest.need).
expect = need("playwright.sync_api").expect
pytestmark = pytest.mark.browser

EL = "0123456789"
FA = "۰۱۲۳۴۵۶۷۸۹"
TOTAL = 12


def counter(n: int, digits: str) -> str:
    table = str.maketrans("0123456789", digits)
    return f"{str(n).translate(table)} / {str(TOTAL).translate(table)}"


@pytest.fixture
def open_deck(page, deck_site: Path):
    """Open a deck from file:// with the network blocked; yields a function and checks no request left."""
    seen: list[str] = []
    block_network(page, seen)

    def open_(lang: str, hash_: str = ""):
        page.goto((deck_site / lang / "pacing" / "index.html").as_uri() + hash_)
        page.wait_for_selector("html.js", state="attached")
        return page

    yield open_
    assert seen == [], f"the deck made network requests: {seen}"


def at(page, n: int, digits: str) -> None:
    """Slide n is the one visible slide, the counter, hash and live region say so."""
    visible = page.locator(".slide:visible")
    assert visible.count() == 1
    assert visible.get_attribute("id") == f"slide-{n}"
    assert page.locator(".controls__counter").inner_text() == counter(n, digits)
    assert page.evaluate("location.hash") == f"#{n}"
    label = page.locator(f"#slide-{n}").get_attribute("aria-label")
    assert page.locator("#announcer").inner_text() == label


def test_greek_deck_keys(open_deck):
    page = open_deck("el")
    at(page, 1, EL)
    steps = [("ArrowRight", 2), ("Space", 3), ("PageDown", 4), ("ArrowDown", 5), ("Shift+Space", 4),
             ("PageUp", 3), ("ArrowUp", 2), ("ArrowLeft", 1), ("ArrowLeft", 1), ("End", TOTAL),
             ("ArrowRight", TOTAL), ("Home", 1)]
    for key, expected in steps:
        page.keyboard.press(key)
        at(page, expected, EL)


def test_persian_deck_reads_right_to_left(open_deck):
    page = open_deck("fa")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["fa", "rtl"]
    at(page, 1, FA)
    for key, expected in [("ArrowLeft", 2), ("ArrowLeft", 3), ("ArrowRight", 2), ("Space", 3),
                          ("PageDown", 4), ("Shift+Space", 3)]:
        page.keyboard.press(key)
        at(page, expected, FA)
    assert page.locator(".controls__counter").inner_text() == "۳ / ۱۲"
    page.keyboard.press("End")
    at(page, TOTAL, FA)
    assert page.locator(".controls__counter").inner_text() == "۱۲ / ۱۲"


@pytest.mark.parametrize("lang,digits", [("el", EL), ("fa", FA)])
def test_reload_back_and_forward_keep_the_place(open_deck, lang, digits):
    page = open_deck(lang)
    for _ in range(4):
        page.keyboard.press("PageDown")
    at(page, 5, digits)
    page.reload()
    page.wait_for_selector("html.js", state="attached")
    at(page, 5, digits)
    page.go_back()
    at(page, 4, digits)
    page.go_forward()
    at(page, 5, digits)


def test_opening_at_a_slide_number(open_deck):
    page = open_deck("fa", "#7")
    at(page, 7, FA)
    page = open_deck("el", "#99")
    assert page.locator(".slide:visible").get_attribute("id") == f"slide-{TOTAL}"


@pytest.mark.parametrize("lang,digits", [("el", EL), ("fa", FA)])
def test_on_screen_buttons_are_labelled_in_the_lesson_language(open_deck, lang, digits):
    from microlearn.project.config import load_config
    from microlearn.render.renderer import Renderer

    page = open_deck(lang)
    project = Path(page.url.removeprefix("file://")).parents[3]
    text = Renderer(load_config(project)).text(lang)
    nxt = page.get_by_role("button", name=text.gettext("Next slide"), exact=True)
    prev = page.get_by_role("button", name=text.gettext("Previous slide"), exact=True)
    nxt.click()
    nxt.click()
    at(page, 3, digits)
    prev.click()
    at(page, 2, digits)
    assert strings(page)["next"] == text.gettext("Next slide")


def test_jump_to_a_slide_by_number(open_deck):
    page = open_deck("el")
    for key in ["g", "1", "0", "Enter"]:
        page.keyboard.press(key)
    at(page, 10, EL)
    for key in ["4", "Enter"]:
        page.keyboard.press(key)
    at(page, 4, EL)
    page.keyboard.press("7")
    page.keyboard.press("Escape")  # cancels the number, does nothing else
    at(page, 4, EL)
    page.keyboard.press("9")
    page.keyboard.press("ArrowRight")  # another key drops the number
    page.keyboard.press("Enter")
    at(page, 5, EL)
    assert page.locator(".toast").is_hidden()
    assert not page.evaluate("document.documentElement.classList.contains('is-overview')")
    page = open_deck("fa")
    cdp = page.context.new_cdp_session(page)
    for digit in "۱۱":  # typed on a Persian keyboard (Playwright's keyboard knows only US keys)
        for kind in ("keyDown", "keyUp"):
            cdp.send("Input.dispatchKeyEvent", {"type": kind, "key": digit, "text": digit})
    prompt = strings(page)["jumpPrompt"]
    assert prompt.count("{num}") == 1, "the catalog places the number in the sentence"
    assert page.locator(".toast").inner_text() == prompt.replace("{num}", "۱۱")
    page.keyboard.press("Enter")
    at(page, 11, FA)


def test_overview_grid(open_deck):
    page = open_deck("el", "#2")
    page.keyboard.press("o")
    assert page.evaluate("document.documentElement.classList.contains('is-overview')")
    assert page.locator(".slide:visible").count() == TOTAL
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert not page.evaluate("document.documentElement.classList.contains('is-overview')")
    at(page, 4, EL)
    page.keyboard.press("Escape")
    assert page.locator(".slide:visible").count() == TOTAL
    page.locator("#slide-9").click()
    at(page, 9, EL)
    assert page.locator(".slide:visible").count() == 1


def test_help_overlay_lists_the_keys_in_the_lesson_language(open_deck):
    page = open_deck("fa")
    s = strings(page)
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name=s["help"])
    expect(dialog).to_be_visible()
    for key in ("keyNext", "keyPrev", "keyJump", "keyOverview", "keyFullscreen", "keyBlack", "keyPresenter"):
        expect(dialog).to_contain_text(s[key])
    page.keyboard.press("ArrowLeft")  # the dialog has the keyboard: the deck does not move
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    at(page, 1, FA)


def test_black_screen_and_fullscreen(open_deck):
    page = open_deck("el", "#3")
    page.keyboard.press("b")
    expect(page.locator(".blackout")).to_be_visible()
    page.keyboard.press("b")
    expect(page.locator(".blackout")).to_be_hidden()
    page.keyboard.press(".")
    expect(page.locator(".blackout")).to_be_visible()
    page.locator(".blackout").click()
    expect(page.locator(".blackout")).to_be_hidden()
    at(page, 3, EL)
    page.keyboard.press("f")
    page.wait_for_function("document.fullscreenElement === document.documentElement")
    page.keyboard.press("f")
    page.wait_for_function("document.fullscreenElement === null")


def swipe(page, x0: int, x1: int, y: int = 360) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y}]})
    for x in range(x0, x1, 40 if x1 > x0 else -40):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


@pytest.mark.parametrize("lang,digits,forward", [("el", EL, (900, 300)), ("fa", FA, (300, 900))])
def test_swipe_in_the_reading_direction(open_deck, lang, digits, forward):
    page = open_deck(lang)
    swipe(page, *forward)
    at(page, 2, digits)
    swipe(page, *forward)
    at(page, 3, digits)
    swipe(page, forward[1], forward[0])
    at(page, 2, digits)


@pytest.mark.parametrize("width,height", [(1024, 768), (1920, 1080), (3840, 2160)])
def test_slides_keep_16_to_9_in_any_window(open_deck, width, height):
    page = open_deck("el", "#4")
    page.set_viewport_size({"width": width, "height": height})
    box = page.locator(".slide:visible").bounding_box()
    assert abs(box["width"] / box["height"] - 16 / 9) < 0.01
    assert box["width"] <= width + 0.5 and box["height"] <= height + 0.5
    assert max(box["width"] / width, box["height"] / height) > 0.99, "the slide fills the window one way"


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf))


@pytest.mark.parametrize("lang,query", [("el", ""), ("fa", ""), ("el", "?notes")])
def test_printing_gives_one_slide_per_landscape_page(page, deck_site, lang, query):
    page.goto((deck_site / lang / "pacing" / "index.html").as_uri() + query + "#5")
    page.wait_for_selector("html.js", state="attached")
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf_pages(pdf) == TOTAL
    width, height = (float(v) for v in re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf).groups())
    assert width > height, "landscape"
    if query:
        page.emulate_media(media="print")
        assert page.locator("#slide-5 .notes").is_visible()


@pytest.mark.parametrize("lang", ["el", "fa"])
def test_axe_finds_no_serious_violation(open_deck, lang):
    from axe_playwright_python.sync_playwright import Axe

    page = open_deck(lang, "#4")
    for state in ("deck", "help", "overview"):
        if state == "help":
            page.keyboard.press("?")
        elif state == "overview":
            page.keyboard.press("Escape")
            page.keyboard.press("o")
        results = Axe().run(page)
        bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert bad == [], f"{lang} {state}: {bad}"


def test_every_example_deck_pages_through_in_its_digits(browser, example_site):
    """Each example lesson in each language: no script error, End reaches the last slide, counter in its digits."""
    decks = sorted(example_site.glob("*/*/index.html"))
    assert len(decks) >= 8
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for deck in decks:
        lang = deck.parent.parent.name
        page.goto(deck.as_uri())
        page.wait_for_selector("html.js", state="attached")
        data = json.loads(page.locator("#ml-data").text_content())
        total = page.locator(".slide").count()
        table = str.maketrans("0123456789", data["digits"])
        page.keyboard.press("End")
        assert page.locator(".slide:visible").get_attribute("id") == f"slide-{total}", deck
        expected = f"{total} / {total}".translate(table)
        assert page.locator(".controls__counter").inner_text() == expected, deck
        page.keyboard.press("ArrowLeft" if data["dir"] == "ltr" else "ArrowRight")
        assert page.evaluate("location.hash") == f"#{total - 1}", deck
        assert data["lang"] == lang
    ctx.close()
    assert errors == []


def test_text_that_does_not_fit_is_shrunk_then_scrolls_never_cut(page, deck_site):
    """tests/fixtures/deck/content/overflow: slide 3 is a little too long, slide 4 far too long."""
    page.goto((deck_site / "el" / "overflow" / "index.html").as_uri() + "#3")
    page.wait_for_selector("html.js", state="attached")
    body = page.locator("#slide-3 .slide__body")
    fit = float(body.evaluate("b => getComputedStyle(b).getPropertyValue('--fit') || '1'"))
    assert 0.6 <= fit < 1
    assert body.evaluate("b => b.scrollHeight <= b.clientHeight + 1"), "shrunk until it fits"
    page.keyboard.press("ArrowRight")
    body = page.locator("#slide-4 .slide__body")
    assert "is-overfull" in page.locator("#slide-4").get_attribute("class")
    assert body.evaluate("b => getComputedStyle(b).overflowY") == "auto"
    last = page.locator("#slide-4 .slide__body p").last
    last.scroll_into_view_if_needed()
    assert last.is_visible()
    page.set_viewport_size({"width": 1920, "height": 1080})  # the same fit at another size
    assert page.locator("#slide-3 .slide__body").evaluate("b => b.scrollHeight <= b.clientHeight + 1")


@pytest.mark.parametrize("lang", ["el", "fa"])
def test_progress_bar_grows_in_the_reading_direction(open_deck, lang):
    page = open_deck(lang, "#6")
    page.emulate_media(reduced_motion="reduce")  # no transition: the bar is at its place at once
    page.keyboard.press("PageDown")
    page.keyboard.press("PageUp")
    bar = page.locator(".progress__bar").bounding_box()
    width = page.viewport_size["width"]
    assert abs(bar["width"] - width * 6 / TOTAL) < 2
    if lang == "fa":
        assert abs(bar["x"] + bar["width"] - width) < 1, "starts at the right"
    else:
        assert bar["x"] == 0


@pytest.mark.parametrize("lang,sign", [("el", -1), ("fa", 1)])
def test_transitions_move_in_the_reading_direction(open_deck, lang, sign):
    """The slide left behind moves towards the start of the line: left in Greek, right in Persian."""
    page = open_deck(lang, "#3")
    page.emulate_media(reduced_motion="reduce")  # the end positions at once, without the animation
    page.keyboard.press("PageDown")
    shift = page.locator("#slide-3").evaluate("s => new DOMMatrix(getComputedStyle(s).transform).m41")
    coming = page.locator("#slide-5").evaluate("s => new DOMMatrix(getComputedStyle(s).transform).m41")
    assert shift * sign > 0 and coming * sign < 0
    assert page.locator("#slide-4").evaluate("s => getComputedStyle(s).transform") == "none"


def test_right_to_left_keeps_the_theme_font_and_slides_are_announced_regions(page, deck_site):
    fonts = {}
    for lang in ("el", "fa"):
        page.goto((deck_site / lang / "pacing" / "index.html").as_uri() + "#4")
        page.wait_for_selector("html.js", state="attached")
        fonts[lang] = page.locator("#slide-4 .slide__body").evaluate("b => getComputedStyle(b).fontFamily")
        assert page.locator("[role=application]").count() == 0
        region = page.get_by_role("region", name=page.locator("#slide-4").get_attribute("aria-label"))
        assert region.get_attribute("aria-roledescription")
        assert page.locator("#announcer").get_attribute("aria-live") == "polite"
    assert fonts["el"] == fonts["fa"]


def test_space_moves_forward_after_a_button_was_clicked(open_deck):
    page = open_deck("el", "#4")
    page.locator(".controls [data-action=prev]").click()
    at(page, 3, EL)
    page.keyboard.press("Space")  # forward, not the focused "previous" button again
    at(page, 4, EL)
    page.keyboard.press("Space")
    at(page, 5, EL)


HINDI_LESSON = """---
title: प्रस्तुति की गति
duration: 4m
objectives:
  - स्लाइडों के बीच आना-जाना
---

## पहला चरण {time=1m}

पहले चरण का पाठ।

## दूसरा चरण {time=1m}

दूसरे चरण का पाठ।

## तीसरा चरण {time=1m}

तीसरे चरण का पाठ।
"""


def test_digits_typed_in_the_numbering_the_config_gives_a_language(tmp_path, page):
    """'G, number, Enter' takes the digits the page writes, here Devanagari from 'numbering: deva' (Hindi
    writes Latin digits by default): typed on a Hindi keyboard, they go to that slide."""
    from microlearn.site.build import build

    project = tmp_path / "project"
    (project / "content" / "gati").mkdir(parents=True)
    (project / "microlearn.yml").write_text(
        "default_language: hi\ntheme: default\nlanguages:\n  hi:\n    title: पाठ\n    numbering: deva\n",
        encoding="utf-8")
    (project / "content" / "gati" / "hi.md").write_text(HINDI_LESSON, encoding="utf-8")
    site = build(project, project / "site", with_pdf=False).out
    seen: list[str] = []
    block_network(page, seen)
    page.goto((site / "hi" / "gati" / "index.html").as_uri())
    page.wait_for_selector("html.js", state="attached")
    total = page.locator(".slide").count()
    deva = "०१२३४५६७८९"
    assert page.locator(".controls__counter").inner_text() == f"१ / {str(total).translate(str.maketrans('0123456789', deva))}"
    cdp = page.context.new_cdp_session(page)
    for digit in "३":  # Playwright's keyboard knows only US keys: the key as a Hindi (InScript) layout sends it
        for kind in ("keyDown", "keyUp"):
            cdp.send("Input.dispatchKeyEvent", {"type": kind, "key": digit, "text": digit})
    assert page.locator(".toast").inner_text() == strings(page)["jumpPrompt"].replace("{num}", "३")
    page.keyboard.press("Enter")
    assert page.locator(".slide:visible").get_attribute("id") == "slide-3"
    assert page.evaluate("location.hash") == "#3"
    assert page.locator(".controls__counter").inner_text().startswith("३ / ")
    assert seen == []
