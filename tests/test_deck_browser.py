"""The deck in real Chromium from file://: keys, buttons, counter digits, URL, right-to-left.

The deck is tests/fixtures/deck ('pacing', 12 slides) in Greek and Persian.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import block_network

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


def strings(page) -> dict:
    return json.loads(page.locator("#ml-data").text_content())["strings"]


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
    from microlearn.config import load_config
    from microlearn.render import Renderer

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
