"""Questions in the deck, in real Chromium from file://: the room sees prompt and options, A or the slide's
button shows the answer, the presenter view has the answer and the trainer's directions from the start.

The lesson 'quiz' in Greek and Persian (written here): 1 title, 2 objectives, 3 stage 01 (narration and
'::: trainer' directions), 4 question 1 (one answer, with an explanation), 5 question 2 (two answers),
6 question 3 (reflection), 7 closing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import block_network, make_project, need, strings

# Chromium through Playwright: skipped when the test extras are not installed (see conftest.need).
expect = need("playwright.sync_api").expect
pytestmark = pytest.mark.browser

CONFIG = """default_language: el
theme: default
languages:
  el:
    title: Δοκιμαστικά μαθήματα
  fa:
    title: درس‌های آزمایشی
"""

EL = """---
title: Ερωτήσεις στην αίθουσα
competence_area: Δοκιμές
duration: 6m
objectives:
  - Έλεγχος γνώσεων
---

## Παραγγελία {time=3m}

Ο κύκλος μιας παραγγελίας.

::: notes
Αφήγηση της παραγγελίας.
:::

::: trainer
Ρωτήστε την ομάδα πότε αγόρασαν τελευταία φορά κάτι online.
:::

::: question
Ποιο στάδιο έρχεται αμέσως μετά την αγορά;

- [ ] Ενημέρωση και προσέλκυση
- [x] Εκτέλεση παραγγελίας και logistics
- [ ] Υποστήριξη

> Μετά την πληρωμή ο πελάτης περιμένει το δέμα.
:::

## Πληρωμή {time=3m}

::: question
Ποιοι είναι τρόποι πληρωμής;

- [x] Κάρτα
- [ ] Ταχυδρομικό περιστέρι
- [x] Αντικαταβολή
:::

::: question
Πότε αγοράσατε τελευταία φορά κάτι online;
:::
"""

FA = """---
title: پرسش در کلاس
competence_area: آزمون‌ها
duration: 6m
objectives:
  - سنجش دانسته‌ها
---

## سفارش {time=3m}

چرخهٔ یک سفارش.

::: notes
روایت سفارش.
:::

::: trainer
از گروه بپرسید آخرین بار کی چیزی آنلاین خریده‌اند.
:::

::: question
کدام مرحله درست پس از خرید می‌آید؟

- [ ] آگاهی و جذب
- [x] اجرای سفارش و ارسال
- [ ] پشتیبانی

> پس از پرداخت، مشتری منتظر بسته است.
:::

## پرداخت {time=3m}

::: question
کدام‌ها روش پرداخت‌اند؟

- [x] کارت
- [ ] کبوتر نامه‌بر
- [x] پرداخت در محل
:::

::: question
آخرین بار کی چیزی آنلاین خریدید؟
:::
"""

# What each deck must show: the options' letters, the correct one(s), the explanation, the trainer's words.
LESSON = {
    "el": {"letters": ["Α", "Β", "Γ"], "key1": "Σωστή απάντηση: Β", "key2": "Σωστές απαντήσεις: Α, Γ",
           "explanation": "Μετά την πληρωμή ο πελάτης περιμένει το δέμα.",
           "trainer": "Ρωτήστε την ομάδα πότε αγόρασαν τελευταία φορά κάτι online.",
           "narration": "Αφήγηση της παραγγελίας.", "forward": "ArrowRight", "back": "ArrowLeft"},
    "fa": {"letters": ["الف", "ب", "ج"], "key1": "پاسخ درست: ب", "key2": "پاسخ‌های درست: الف، ج",
           "explanation": "پس از پرداخت، مشتری منتظر بسته است.",
           "trainer": "از گروه بپرسید آخرین بار کی چیزی آنلاین خریده‌اند.",
           "narration": "روایت سفارش.", "forward": "ArrowLeft", "back": "ArrowRight"},
}
LANGS = ["el", "fa"]


@pytest.fixture(scope="session")
def quiz_site(tmp_path_factory) -> Path:
    from microlearn.site.build import build

    root = make_project(tmp_path_factory.mktemp("quiz") / "project", {
        "microlearn.yml": CONFIG, "content/quiz/el.md": EL, "content/quiz/fa.md": FA})
    return build(root, root / "site", with_pdf=False).out


@pytest.fixture(scope="session")
def texts(quiz_site: Path):
    """The interface strings of each language as the build translates them."""
    from microlearn.project.config import load_config
    from microlearn.render.renderer import Renderer

    renderer = Renderer(load_config(quiz_site.parent))
    return {lang: renderer.text(lang) for lang in LANGS}


@pytest.fixture
def open_quiz(browser, quiz_site: Path):
    """Open the quiz deck at a slide (JavaScript on or off) with the network blocked."""
    contexts, seen = [], []

    def open_(lang: str, hash_: str = "#4", width: int = 1280, height: int = 720, js: bool = True):
        ctx = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=js)
        contexts.append(ctx)
        ctx.on("page", lambda p: block_network(p, seen))
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((quiz_site / lang / "quiz" / "index.html").as_uri() + hash_)
        if js:
            page.wait_for_selector("html.js", state="attached")
        page.errors = errors
        return ctx, page

    yield open_
    for ctx in contexts:
        ctx.close()
    assert seen == [], f"network requests: {seen}"


def marks(page, n: int) -> list[str]:
    """The letters of slide n's options that are visibly marked correct (the tick and its word)."""
    found = []
    options = page.locator(f"#slide-{n} .question__options li")
    for i in range(options.count()):
        if options.nth(i).locator(".question__mark").is_visible():
            found.append(options.nth(i).locator(".question__letter").inner_text())
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_the_room_sees_no_answer_until_a_is_pressed(open_quiz, texts, lang):
    L, text = LESSON[lang], texts[lang]
    _, page = open_quiz(lang, "#4")
    slide = page.locator("#slide-4")
    expect(slide).to_be_visible()
    # prompt and lettered options, the kind of question said in words; nothing of the answer
    assert slide.locator(".question__letter").all_inner_texts() == L["letters"]
    expect(slide.locator(".question__kind")).to_have_text(text.gettext("Choose one"))
    expect(slide.get_by_text(L["explanation"])).to_be_hidden()
    expect(slide.get_by_text(L["key1"])).to_be_hidden()
    assert marks(page, 4) == []
    page.keyboard.press("a")
    expect(slide.get_by_text(L["explanation"])).to_be_visible()
    expect(slide.get_by_text(L["key1"])).to_be_visible()
    assert marks(page, 4) == [L["letters"][1]]
    mark = slide.locator("[data-correct] .question__mark")
    expect(mark).to_have_text("✓ " + text.gettext("Correct"))  # in words, not by colour alone
    page.keyboard.press("a")  # and hidden again
    expect(slide.get_by_text(L["explanation"])).to_be_hidden()
    assert marks(page, 4) == []
    # a multiple-choice question says so and marks every correct option
    page.keyboard.press(L["forward"])
    slide = page.locator("#slide-5")
    expect(slide).to_have_class("slide slide--question is-current")
    expect(slide.locator(".question__kind")).to_have_text(text.gettext("Choose all that apply"))
    page.keyboard.press("a")
    expect(slide.get_by_text(L["key2"])).to_be_visible()
    assert marks(page, 5) == [L["letters"][0], L["letters"][2]]
    # going back and forth keeps it shown
    page.keyboard.press(L["back"])
    page.keyboard.press(L["forward"])
    expect(slide.get_by_text(L["key2"])).to_be_visible()
    # a reflection question: prompt only, labelled, and A does nothing there
    page.keyboard.press(L["forward"])
    slide = page.locator("#slide-6")
    expect(slide).to_have_class("slide slide--question is-current")
    expect(slide.locator(".question__kind")).to_have_text(text.gettext("For reflection: no right or wrong answer"))
    assert slide.locator(".question__options, .question__answer").count() == 0
    page.keyboard.press("a")
    expect(slide).to_have_class("slide slide--question is-current")
    assert page.errors == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_slides_button_shows_the_answer_and_gives_the_keys_back(open_quiz, texts, lang):
    L, text = LESSON[lang], texts[lang]
    _, page = open_quiz(lang, "#4")
    slide = page.locator("#slide-4")
    show = slide.get_by_text(text.gettext("Show the answer"), exact=True)
    expect(show).to_be_visible()
    show.click()
    expect(slide.get_by_text(L["explanation"])).to_be_visible()
    assert marks(page, 4) == [L["letters"][1]]
    hide = slide.get_by_text(text.gettext("Hide the answer"), exact=True)
    expect(hide).to_be_visible()
    expect(show).to_be_hidden()
    # the mouse click left no focus behind: Space moves on, it does not close the answer
    page.keyboard.press("Space")
    expect(page.locator("#slide-5")).to_have_class("slide slide--question is-current")
    page.keyboard.press("Shift+Space")
    expect(slide.get_by_text(L["explanation"])).to_be_visible()
    # from the keyboard too: Tab to the button, Enter closes the answer
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    page.keyboard.press("Enter")
    expect(slide.get_by_text(L["explanation"])).to_be_hidden()


@pytest.mark.parametrize("lang", LANGS)
def test_the_help_lists_the_answer_key(open_quiz, texts, lang):
    _, page = open_quiz(lang, "#4")
    page.keyboard.press("?")
    dialog = page.locator("dialog[open]")
    expect(dialog).to_be_visible()
    label = texts[lang].gettext("Show or hide the answer to a question")
    assert strings(page)["keyAnswer"] == label
    row = dialog.locator("dd", has_text=label)
    expect(row).to_have_count(1)
    assert row.evaluate("dd => dd.previousElementSibling.textContent") == "A"


@pytest.mark.parametrize("lang", LANGS)
def test_the_presenter_view_shows_the_answer_and_the_trainers_directions(open_quiz, texts, lang):
    L, text = LESSON[lang], texts[lang]
    ctx, deck = open_quiz(lang, "#3")
    with ctx.expect_page() as popup:
        deck.keyboard.press("p")
    pv = popup.value
    pv_errors: list[str] = []
    pv.on("pageerror", lambda e: pv_errors.append(str(e)))
    pv.wait_for_selector(".pv")
    # slide 3: the trainer's directions beside the narration, under their heading; never on the slide
    talk = pv.locator(".pv__talk")
    expect(talk.get_by_text(L["narration"])).to_be_visible()
    trainer = talk.locator(".pv__trainer")
    expect(trainer.get_by_role("heading", name=text.gettext("Trainer directions"))).to_be_visible()
    expect(trainer.get_by_text(L["trainer"])).to_be_visible()
    expect(deck.locator("#slide-3")).to_be_visible()
    expect(deck.get_by_text(L["trainer"])).to_be_hidden()
    assert L["trainer"] not in deck.locator("body").inner_text()
    assert L["trainer"] not in pv.locator(".pv__now").inner_text()
    # the trainer's guide, linked from the bar
    guide = pv.get_by_role("link", name=text.gettext("Trainer's guide"))
    expect(guide).to_have_attribute("href", "guide.html")
    # slide 4: the answer and the explanation from the start, while the room still sees none
    pv.keyboard.press(L["forward"])
    expect(deck.locator("#slide-4")).to_be_visible()
    answer = talk.locator(".pv__answer")
    expect(answer.get_by_role("heading", name=text.gettext("Answer"))).to_be_visible()
    expect(answer.get_by_text(L["key1"])).to_be_visible()
    expect(answer.get_by_text(L["explanation"])).to_be_visible()
    expect(deck.get_by_text(L["explanation"])).to_be_hidden()
    assert deck.locator("#slide-4 .question__answer").get_attribute("open") is None
    assert L["trainer"] not in talk.inner_text()
    # A in the presenter window shows it to the room; the presenter's button hides it again
    pv.keyboard.press("a")
    expect(deck.get_by_text(L["explanation"])).to_be_visible()
    assert marks(deck, 4) == [L["letters"][1]]
    button = answer.get_by_role("button", name=text.gettext("Show the answer to the room"))
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(pv.locator(".pv__now [data-correct] .question__mark")).to_be_visible()
    button.click()
    expect(deck.get_by_text(L["explanation"])).to_be_hidden()
    expect(button).to_have_attribute("aria-pressed", "false")
    # and A in the slides window shows in the presenter's preview
    deck.keyboard.press("a")
    expect(pv.locator(".pv__now [data-correct] .question__mark")).to_be_visible()
    expect(button).to_have_attribute("aria-pressed", "true")
    assert deck.errors == [] and pv_errors == []


@pytest.mark.parametrize("lang", LANGS)
def test_without_script_the_answer_is_in_a_details_and_the_trainer_text_nowhere(open_quiz, texts, lang):
    L, text = LESSON[lang], texts[lang]
    _, page = open_quiz(lang, "", js=False)
    expect(page.locator("html.no-js")).to_have_count(1)
    expect(page.get_by_text(L["narration"])).to_be_visible()  # the stacked slides carry the narration
    expect(page.get_by_text(L["trainer"])).to_be_hidden()
    assert L["trainer"] not in page.locator("body").inner_text()
    slide = page.locator("#slide-4")
    expect(slide.get_by_text(L["explanation"])).to_be_hidden()
    slide.get_by_text(text.gettext("Show the answer"), exact=True).click()
    expect(slide.get_by_text(L["explanation"])).to_be_visible()
    expect(slide.get_by_text(L["key1"])).to_be_visible()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width,height", [(390, 844), (1920, 1080)])
def test_readable_from_a_phone_to_a_wide_screen(open_quiz, lang, width, height):
    L = LESSON[lang]
    _, page = open_quiz(lang, "#5", width=width, height=height)
    page.keyboard.press("a")
    expect(page.locator("#slide-5").get_by_text(L["key2"])).to_be_visible()
    page.wait_for_function("document.getAnimations().length === 0")  # the slide has come in (a transition)
    body = page.locator("#slide-5 .slide__body")
    box = body.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 1
    for li in page.locator("#slide-5 .question__options li").all():
        size = li.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 14, f"{lang} at {width}px: options in {size}px text"
        letter, option = li.locator(".question__letter").bounding_box(), li.locator(".question__text").bounding_box()
        assert letter and option and option["x"] >= 0 and option["x"] + option["width"] <= width + 1
        # the letter stands where the line starts: on the left in Greek, on the right in Persian
        assert (letter["x"] < option["x"]) == (lang == "el")


@pytest.mark.parametrize("lang", LANGS)
def test_axe_finds_no_violation_on_a_question_slide(open_quiz, lang):
    from axe_playwright_python.sync_playwright import Axe

    L = LESSON[lang]
    _, page = open_quiz(lang, "#4")
    for state in ("hidden", "shown"):
        if state == "shown":
            page.keyboard.press("a")
            expect(page.locator("#slide-4").get_by_text(L["explanation"])).to_be_visible()
        results = Axe().run(page)
        bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
        assert bad == [], f"{lang} {state}: {bad}"


@pytest.mark.parametrize("lang,key", [("el", "α"), ("fa", "ش")])
def test_a_works_on_a_greek_or_persian_keyboard(open_quiz, lang, key):
    """The key where A is, as a Greek or Persian layout sends it (Playwright's keyboard knows only US keys)."""
    L = LESSON[lang]
    _, page = open_quiz(lang, "#4")
    cdp = page.context.new_cdp_session(page)
    for kind in ("keyDown", "keyUp"):
        cdp.send("Input.dispatchKeyEvent", {"type": kind, "key": key, "text": key, "code": "KeyA",
                                            "windowsVirtualKeyCode": 65})
    expect(page.locator("#slide-4").get_by_text(L["explanation"])).to_be_visible()
