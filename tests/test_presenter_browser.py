"""The presenter view in real Chromium from file://: second window, sync both ways, pacing timer.

Time is Playwright's fake clock (context.clock), so pacing figures come from a simulated delay,
never from waiting. The deck is tests/fixtures/deck ('pacing': slides 1-3 title, key messages,
objectives; 4-5 stage 01 (2m); 6 stage 02 (3m); 7-8 stage 03 (4m); 9 stage 04 (2m); 10 stage 05 (1m);
11 discussion; 12 closing; 12 minutes planned).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, block_network, need, strings

# Chromium through Playwright: skipped when the test extras are not installed (see conftest.need).
expect = need("playwright.sync_api").expect
pytestmark = pytest.mark.browser

T0 = dt.datetime(2026, 11, 25, 9, 0, 0, tzinfo=dt.UTC)  # 11:00 in Athens and 12:30 in Tehran
ZONES = {"el": "Europe/Athens", "fa": "Asia/Tehran"}
FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@pytest.fixture
def session(browser, deck_site: Path):
    """Open a deck with a fake clock paused at T0; `start(lang)` returns (slides page, presenter page)."""
    contexts, seen = [], []

    def start(lang: str, hash_: str = "#3", channel: bool = True, storage: bool = True):
        ctx = browser.new_context(viewport={"width": 1280, "height": 800}, timezone_id=ZONES[lang], locale=lang)
        contexts.append(ctx)
        if not channel:  # as in a browser that gives file:// pages no shared BroadcastChannel
            ctx.add_init_script("delete window.BroadcastChannel;")
        if not storage:  # web storage blocked by the browser's settings
            ctx.add_init_script("for (const k of ['localStorage', 'sessionStorage']) Object.defineProperty(window, k, "
                                "{get() { throw new DOMException('blocked', 'SecurityError'); }});")
        ctx.clock.install(time=T0 - dt.timedelta(seconds=20))
        ctx.clock.pause_at(T0 - dt.timedelta(seconds=10))
        ctx.on("page", lambda p: block_network(p, seen))
        deck = ctx.new_page()
        deck.goto((deck_site / lang / "pacing" / "index.html").as_uri() + hash_)
        deck.wait_for_selector("html.js", state="attached")
        with ctx.expect_page() as popup:
            deck.keyboard.press("p")
        pv = popup.value
        pv.wait_for_selector(".pv")
        connected(pv)
        # The popup's clock may lag or lead the opener's by a little: bring both to T0 together.
        ctx.clock.pause_at(T0)
        return ctx, deck, pv

    yield start
    for ctx in contexts:
        ctx.close()
    assert seen == [], f"network requests: {seen}"


def connected(pv) -> None:
    expect(pv.locator(".pv__status")).to_have_text(strings(pv)["connected"])


def about(m: int, s: int) -> re.Pattern:
    """m:ss give or take a second: a popup's fake clock may be a second off its opener's."""
    return re.compile("^(" + "|".join(f"{(m * 60 + s + d) // 60}:{(m * 60 + s + d) % 60:02d}" for d in (-1, 0, 1)) + ")$")


def deck_at(deck, n: int) -> None:
    expect(deck.locator(".slide.is-current")).to_have_id(f"slide-{n}")


def presenter_at(pv, deck, n: int) -> None:
    label = deck.locator(f"#slide-{n}").get_attribute("aria-label")
    expect(pv.locator(".pv__now .slide")).to_have_attribute("aria-label", label)
    expect(pv).to_have_url(re.compile(rf"\?presenter#{n}$"))


def elapsed(pv):
    """The elapsed-time figure of the presenter's bar."""
    return pv.locator(".pv__time .pv__big").nth(1)


@pytest.mark.parametrize("channel", [True, False], ids=["with-broadcastchannel", "window-references-only"])
def test_presenter_opens_with_p_and_follows_both_ways(session, channel):
    _, deck, pv = session("el", channel=channel)
    assert "presenter" in pv.url
    presenter_at(pv, deck, 3)
    deck.keyboard.press("ArrowRight")
    deck.keyboard.press("Space")
    presenter_at(pv, deck, 5)
    expect(pv.locator(".pv__notes")).to_have_text("Σημειώσεις αφετηρίας, δεύτερο μέρος.")
    expect(pv.locator(".pv__upnext .slide")).to_have_attribute(
        "aria-label", deck.locator("#slide-6").get_attribute("aria-label"))
    pv.keyboard.press("PageDown")
    deck_at(deck, 6)
    expect(deck.locator(".controls__counter")).to_have_text("6 / 12")
    pv.keyboard.press("End")
    deck_at(deck, 12)
    pv.keyboard.press("Home")
    deck_at(deck, 1)
    assert deck.evaluate("location.hash") == "#1"


def test_the_button_opens_it_too(context, page, deck_site):
    seen: list[str] = []
    context.on("page", lambda p: block_network(p, seen))
    block_network(page, seen)
    page.goto((deck_site / "el" / "pacing" / "index.html").as_uri())
    with context.expect_page() as popup:
        page.get_by_role("button", name=strings(page)["presenter"]).click()
    expect(popup.value.locator(".pv")).to_be_visible()
    connected(popup.value)
    assert seen == []


def test_pacing_pause_nudge_and_reset(session):
    ctx, deck, pv = session("el")
    s = strings(pv)
    pause = pv.locator("[data-action=pause]")
    expect(pause).to_have_text(s["start"])
    expect(elapsed(pv)).to_have_text("0:00")
    deck.keyboard.press("ArrowRight")  # slide 4, stage 01 (2 minutes, 1 per slide): the timer starts
    expect(pause).to_have_text(s["pause"])
    ctx.clock.run_for(90_000)
    expect(elapsed(pv)).to_have_text("1:30")
    pace = pv.locator(".pv__pace dd")
    expect(pace.nth(0)).to_have_text(re.compile(r"^01 Αφετηρία"))
    expect(pace.nth(1)).to_have_text("2:00")   # stage budget
    expect(pace.nth(2)).to_have_text("0:30")   # left on the stage
    expect(pace.nth(3)).to_have_text(s["behind"].replace("{time}", "0:30"))  # 1:30 on a 1:00 slide
    expect(pace.nth(4)).to_have_text("10:30")  # 12:00 planned
    expect(pace.nth(5)).to_have_text(re.compile(r"11:12"))  # 11:01:30 + 11:00 of plan left
    expect(pv.locator(".pv__clock, .pv__time .pv__big").first).to_have_text(re.compile(r"11:01"))

    pause.click()
    expect(pause).to_have_text(s["resume"])
    ctx.clock.run_for(60_000)
    expect(elapsed(pv)).to_have_text("1:30")
    pause.click()
    ctx.clock.run_for(30_000)
    expect(elapsed(pv)).to_have_text("2:00")
    expect(pace.nth(2)).to_have_text("0:00")

    pv.locator("[data-action=plus]").click()
    expect(elapsed(pv)).to_have_text("3:00")
    pv.locator("[data-action=minus]").click()
    pv.locator("[data-action=minus]").click()
    expect(elapsed(pv)).to_have_text("1:00")

    # Reset asks first; Escape or Cancel keep the time.
    pv.locator("[data-action=reset]").click()
    dialog = pv.get_by_role("alertdialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("button[value=cancel]")).to_be_focused()
    pv.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    pv.locator("[data-action=reset]").click()
    pv.keyboard.press("Enter")  # Enter on the focused Cancel button
    expect(elapsed(pv)).to_have_text("1:00")
    pv.locator("[data-action=reset]").click()
    pv.get_by_role("alertdialog").get_by_role("button", name=s["reset"]).click()
    expect(elapsed(pv)).to_have_text("0:00")
    expect(pause).to_have_text(s["start"])


def test_timer_keys_in_either_window(session):
    """T starts, pauses and resumes the timer and + / − add or take off a minute, from the presenter view or
    from the slides window (a trainer with one screen), without reaching for the mouse."""
    ctx, deck, pv = session("el")
    s = strings(pv)
    pause = pv.locator("[data-action=pause]")
    expect(pause).to_have_attribute("aria-keyshortcuts", "T")
    expect(pv.locator("[data-action=plus]")).to_have_attribute("aria-keyshortcuts", "+")
    expect(pv.locator("[data-action=minus]")).to_have_attribute("aria-keyshortcuts", "-")
    pv.keyboard.press("t")
    expect(pause).to_have_text(s["pause"])
    ctx.clock.run_for(60_000)
    expect(elapsed(pv)).to_have_text("1:00")
    deck.keyboard.press("t")
    expect(pause).to_have_text(s["resume"])
    expect(pv.locator(".pv__status")).to_have_text(f"{s['paused']} · {s['connected']}")
    ctx.clock.run_for(60_000)
    expect(elapsed(pv)).to_have_text("1:00")
    pv.keyboard.press("+")
    expect(elapsed(pv)).to_have_text("2:00")
    deck.keyboard.press("Minus")
    deck.keyboard.press("NumpadSubtract")
    expect(elapsed(pv)).to_have_text("0:00")
    pv.keyboard.press("t")
    expect(pause).to_have_text(s["pause"])
    connected(pv)
    deck_at(deck, 3)  # none of these keys moved the slides


def test_the_help_lists_the_timer_keys(session):
    _, deck, _ = session("fa")
    s = strings(deck)
    deck.keyboard.press("?")
    keys = deck.locator("dialog .keys")
    expect(keys).to_contain_text(s["keyTimer"])
    expect(keys).to_contain_text(s["keyMinute"])


def test_blackout_pauses_the_timer(session):
    ctx, deck, pv = session("el")
    deck.keyboard.press("ArrowRight")
    ctx.clock.run_for(30_000)
    deck.keyboard.press("b")
    expect(deck.locator(".blackout")).to_be_visible()
    expect(pv.locator("[data-action=black]")).to_have_attribute("aria-pressed", "true")
    ctx.clock.run_for(120_000)
    expect(elapsed(pv)).to_have_text("0:30")
    pv.keyboard.press(".")
    expect(deck.locator(".blackout")).to_be_hidden()
    ctx.clock.run_for(15_000)
    expect(elapsed(pv)).to_have_text("0:45")


def test_persian_presenter_is_right_to_left_in_persian_digits(session):
    ctx, deck, pv = session("fa")
    s = strings(pv)
    assert pv.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["fa", "rtl"]
    assert pv.locator(".pv").get_attribute("dir") == "rtl"
    assert pv.locator(".pv__notes").get_attribute("lang") == "fa"
    deck.keyboard.press("ArrowLeft")  # forward in a right-to-left deck
    presenter_at(pv, deck, 4)
    ctx.clock.run_for(100_000)
    expect(elapsed(pv)).to_have_text("1:40".translate(FA))
    clock = pv.locator(".pv__time .pv__big").first.inner_text()
    assert "۱۲:۳۱" in clock, clock  # Tehran is UTC+3:30
    assert not re.search(r"[0-9]", pv.locator(".pv").inner_text()), "every figure in Persian digits"
    expect(pv.locator(".pv__pace dd").nth(3)).to_have_text(s["behind"].replace("{time}", "0:40".translate(FA)))
    pv.keyboard.press("ArrowRight")  # back in a right-to-left deck
    deck_at(deck, 3)


def test_presenter_words_come_from_the_catalog(session):
    """Every label in the Persian presenter view is Persian: no Latin letters left."""
    _, _, pv = session("fa")
    text = pv.locator(".pv").inner_text()
    assert not re.search(r"[A-Za-z]", text), re.findall(r"[A-Za-z][A-Za-z ]+", text)


@pytest.mark.parametrize("channel,storage", [(True, True), (False, True), (False, False)],
                         ids=["with-broadcastchannel", "window-references-only", "no-web-storage"])
def test_closing_and_reloading_either_window_reconnects(session, channel, storage):
    ctx, deck, pv = session("el", channel=channel, storage=storage)
    assert deck.evaluate("typeof BroadcastChannel") == ("function" if channel else "undefined")
    assert pv.evaluate("(() => { try { return typeof sessionStorage; } catch (e) { return e.name; } })()") == (
        "object" if storage else "SecurityError")
    deck.keyboard.press("ArrowRight")
    ctx.clock.run_for(60_000)
    # Reload the slides: the presenter finds them again and they stay in step.
    deck.reload()
    deck.wait_for_selector("html.js", state="attached")
    ctx.clock.run_for(2_000)
    connected(pv)
    pv.keyboard.press("ArrowDown")
    deck_at(deck, 5)
    # Reload the presenter: the timer and the place survive.
    pv.reload()
    pv.wait_for_selector(".pv")
    connected(pv)
    presenter_at(pv, deck, 5)
    expect(elapsed(pv)).to_have_text(about(1, 2))
    deck.keyboard.press("ArrowDown")
    presenter_at(pv, deck, 6)
    # Close the presenter: the slides keep working; P opens a new one that knows the time.
    pv.close()
    deck.keyboard.press("ArrowDown")
    deck_at(deck, 7)
    with ctx.expect_page() as popup:
        deck.keyboard.press("p")
    pv2 = popup.value
    pv2.wait_for_selector(".pv")
    connected(pv2)
    presenter_at(pv2, deck, 7)
    expect(elapsed(pv2)).to_have_text(about(1, 2))
    # Close the slides: the presenter says so and keeps counting.
    deck.close()
    ctx.clock.run_for(5_000)
    expect(pv2.locator(".pv__status")).to_have_text(strings(pv2)["reconnecting"])
    expect(elapsed(pv2)).to_have_text(about(1, 7))
    if not channel:
        return
    # Open the slides again, from scratch (no window reference): they find the presenter.
    deck2 = ctx.new_page()
    deck2.goto(deck.url)
    deck2.wait_for_selector("html.js", state="attached")
    connected(pv2)
    pv2.keyboard.press("ArrowDown")
    deck_at(deck2, 8)


def test_report_of_planned_and_actual_time_saves_a_csv(session):
    ctx, deck, pv = session("el")
    deck.keyboard.press("ArrowRight")       # 4: stage 01
    ctx.clock.run_for(150_000)
    deck.keyboard.press("ArrowRight")       # 5: stage 01
    ctx.clock.run_for(30_000)
    deck.keyboard.press("ArrowRight")       # 6: stage 02
    ctx.clock.run_for(120_000)
    report = pv.locator(".pv__report")
    expect(report).to_be_hidden()
    deck.keyboard.press("End")
    expect(report).to_be_visible()
    rows = report.locator("tbody tr")
    expect(rows.nth(0)).to_have_text(re.compile(r"01 Αφετηρία\s*2:00\s*3:00\s*\+1:00"))
    expect(rows.nth(1)).to_have_text(re.compile(r"02 Εξερεύνηση\s*3:00\s*2:00\s*−1:00"))
    with pv.expect_download() as info:
        report.get_by_role("button", name=strings(pv)["save"]).click()
    download = info.value
    assert download.suggested_filename == "pacing-el-timings.csv"
    table = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert table[0] == {"lesson": "pacing", "lang": "el", "stage": "1", "title": "Αφετηρία",
                        "planned_seconds": "120", "actual_seconds": "180"}
    assert table[1]["actual_seconds"] == "120"
    assert [r["stage"] for r in table] == ["1", "2", "3", "4", "5", ""]


@pytest.mark.parametrize("lang", ["el", "fa"])
def test_axe_finds_no_serious_violation_in_the_presenter_view(session, lang):
    from axe_playwright_python.sync_playwright import Axe

    ctx, deck, pv = session(lang)
    deck.keyboard.press("End")  # the closing slide: the report table is shown too
    expect(pv.locator(".pv__report")).to_be_visible()
    ctx.clock.resume()  # axe-core waits on timers
    results = Axe().run(pv)
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == []


def test_notes_font_size_is_adjustable_and_kept(session):
    _, _, pv = session("el", "#4")
    notes = pv.locator(".pv__notes")

    def size() -> float:
        return float(notes.evaluate("n => parseFloat(getComputedStyle(n).fontSize)"))

    before = size()
    pv.locator("[data-action=bigger]").click()
    pv.locator("[data-action=bigger]").click()
    assert size() > before
    bigger = size()
    pv.reload()
    pv.wait_for_selector(".pv")
    assert size() == bigger
    pv.locator("[data-action=smaller]").click()
    assert size() < bigger


@pytest.mark.parametrize("lang", ["el", "ru", "fa", "ar"])
def test_example_lesson_presenter_in_every_language(browser, example_site, lang):
    """ecommerce-cycle in all four languages: the presenter's own words and figures are the language's."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    seen: list[str] = []
    ctx.on("page", lambda p: block_network(p, seen))
    deck = ctx.new_page()
    deck.goto((example_site / lang / "ecommerce-cycle" / "index.html").as_uri() + "#4")
    data = json.loads(deck.locator("#ml-data").text_content())
    with ctx.expect_page() as popup:
        deck.keyboard.press("p")
    pv = popup.value
    pv.wait_for_selector(".pv")
    connected(pv)
    assert pv.locator(".pv").get_attribute("dir") == ("rtl" if lang in ("fa", "ar") else "ltr")
    assert pv.locator(".pv__notes").get_attribute("lang") == lang
    chrome = pv.locator(".pv__h, .pv__label, .pv__pace dt, .pv__bar button, .pv__status").all_inner_texts()
    latin = [t for t in chrome if re.search(r"[A-Za-z]", t)]
    assert latin == [], f"untranslated interface words: {latin}"
    figures = pv.locator(".pv__big, .pv__pace dd.num").all_inner_texts()
    other = "0123456789" if data["digits"] != "0123456789" else ""
    assert all(not any(c in other for c in f) for f in figures), figures
    assert any(any(c in data["digits"] for c in f) for f in figures)
    ctx.close()
    assert seen == []


@pytest.mark.parametrize("size", [(1366, 768), (1280, 720), (1920, 1080)])
def test_the_presenter_view_fits_one_screen_with_its_cues(session, size):
    """Keys move slides, so a trainer on the keyboard cannot scroll: every panel must be on screen."""
    _ctx, _deck, pv = session("el", "#11")  # the discussion slide: its prompts are among the cues
    pv.set_viewport_size({"width": size[0], "height": size[1]})
    assert pv.evaluate("document.scrollingElement.scrollHeight <= innerHeight")
    for panel in (".pv__now", ".pv__upnext", ".pv__talk", ".pv__pacing", ".pv__cues"):
        box = pv.locator(panel).bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= size[1] + 1, (panel, box)
    expect(pv.locator(".pv__cue--now")).to_be_in_viewport()


def test_no_pace_is_judged_before_the_session_starts(session):
    _ctx, deck, pv = session("el", "#11")
    pace = pv.locator(".pv__pace dd")
    expect(pace.nth(3)).to_have_text("—")
    deck.keyboard.press("ArrowLeft")  # the first move starts the timer: now the plan can be compared
    expect(pace.nth(3)).not_to_have_text("—")


def test_stage_titles_keep_their_isolation_in_the_presenter_view(browser, tmp_path):
    """A Persian stage titled "کاوش در (Omni-channel) با 5 MB": the pacing figure and the timing table
    show it with its <bdi>, so "5 MB" does not turn into "MB 5"."""
    from microlearn.site.build import build

    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "deck", project)
    fa = project / "content" / "pacing" / "fa.md"
    fa.write_text(fa.read_text(encoding="utf-8").replace("## آغاز {time=2m}", "## آغاز با 5 MB {time=2m}"),
                  encoding="utf-8")
    site = build(project, tmp_path / "site", with_pdf=False).out
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    seen: list[str] = []
    try:
        ctx.on("page", lambda p: block_network(p, seen))
        deck = ctx.new_page()
        deck.goto((site / "fa" / "pacing" / "index.html").as_uri() + "#4")
        deck.wait_for_selector("html.js", state="attached")
        with ctx.expect_page() as popup:
            deck.keyboard.press("p")
        pv = popup.value
        pv.wait_for_selector(".pv")
        stage = pv.locator(".pv__pace dd").first
        expect(stage.locator("bdi")).to_have_text("5 MB")
        pv.locator("[data-action=report]").click()
        expect(pv.locator(".pv__report tbody th bdi").first).to_have_text("5 MB")
    finally:
        ctx.close()
    assert seen == []
