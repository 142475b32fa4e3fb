"""The theme's assets as the build writes them: deck.js joined from the core and its controllers in a
fixed order, base.css in front of each sheet, and a project theme overriding one part, adding one, or
replacing deck.js whole."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from conftest import REPO
from microlearn.render.theme import BASE_SHEET, DECK_PARTS, LEARNER_PARTS, SHEETS
from microlearn.site.build import build

STATIC = REPO / "themes" / "default" / "static"


def built(project: Path) -> Path:
    return build(project, project / "site", with_pdf=False).out


def test_every_controller_file_is_in_the_join_order_and_every_name_there_is_a_file():
    on_disk = sorted(p.stem for p in (STATIC / "deck").glob("*.js"))
    assert sorted(DECK_PARTS) == on_disk, "add the file's name to render.theme.DECK_PARTS (or remove it there)"
    assert len(set(DECK_PARTS)) == len(DECK_PARTS)
    assert DECK_PARTS[0] == "core" and DECK_PARTS[-1] == "start"
    assert sorted(p.name for p in (STATIC / "deck").iterdir()) == [f"{n}.js" for n in on_disk], \
        "deck/ holds the deck script's parts and nothing else"


def test_the_learners_deck_joins_the_shared_parts_and_its_own_without_the_trainers():
    own = sorted(p.stem for p in (STATIC / "learner").glob("*.js"))
    assert sorted(part[len("learner/"):] for part in LEARNER_PARTS if part.startswith("learner/")) == own
    shared = [part[len("deck/"):] for part in LEARNER_PARTS if part.startswith("deck/")]
    assert set(shared) <= set(DECK_PARTS) and shared[0] == "core" and LEARNER_PARTS[-1] == "deck/start"
    assert not {"presenter", "sync", "timer", "plan", "report", "print", "blackout", "question"} & set(shared)


def test_the_site_carries_the_parts_joined_in_order_and_not_the_sources(project):
    site = built(project)
    script = (site / "assets" / "deck.js").read_text(encoding="utf-8")
    # each part's registration, in the order of DECK_PARTS (core defines register, start.js calls start)
    names = re.findall(r'microlearn\.deck\.register\("([a-z]+)"', script)
    assert names == [n for n in DECK_PARTS if n not in ("core", "start")]
    assert script.startswith('"use strict";')
    assert script.rstrip().endswith("microlearn.deck.start();")
    assert script.index("var deck = (window.microlearn") < script.index('register("dialogs"')
    assets = sorted(p.relative_to(site / "assets").as_posix() for p in (site / "assets").rglob("*") if p.is_file())
    assert assets == ["deck.css", "deck.js", "epub.css", "guide.css", "handout-pdf.css", "handout.css", "site.css"]
    # the zip's deck inlines the same script
    with zipfile.ZipFile(site / "el" / "microlearn-el.zip") as z:
        deck = next(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith("/index.html") and "/" in n.strip("/"))
    assert script.replace("</", "<\\/") in deck


def test_base_css_stands_once_in_the_sources_and_in_front_of_every_sheet(project):
    font = '--font: "Noto Sans"'
    for sheet in SHEETS:
        source = (STATIC / sheet).read_text(encoding="utf-8")
        assert font not in source and "--ink:" not in source and 'data-typography~="upright"] em' not in source
    assert font in (STATIC / BASE_SHEET).read_text(encoding="utf-8")
    site = built(project)
    for sheet in SHEETS:
        text = (site / "assets" / sheet).read_text(encoding="utf-8")
        assert text.startswith(":root {") and text.index(font) < text.index("--tall:")
    handout = (site / "el" / "ecommerce-cycle" / "handout.html").read_text(encoding="utf-8")
    assert font in handout and 'rel="stylesheet"' not in handout, "the handout stays one self-contained page"


def test_a_project_theme_overrides_one_controller_and_adds_one(project):
    own = project / "themes" / "default" / "static" / "deck"
    own.mkdir(parents=True)
    (own / "progress.js").write_text(
        'microlearn.deck.register("progress", function (deck) { /* the project\'s own counter */ });\n',
        encoding="utf-8")
    (own / "quiz.js").write_text('microlearn.deck.register("quiz", function (deck) {});\n', encoding="utf-8")
    site = built(project)
    script = (site / "assets" / "deck.js").read_text(encoding="utf-8")
    assert "the project's own counter" in script
    assert "controls__counter" not in script, "the built-in progress.js is replaced, not joined as well"
    names = re.findall(r'microlearn\.deck\.register\("([a-z]+)"', script)
    assert names.index("progress") == [n for n in DECK_PARTS if n not in ("core", "start")].index("progress")
    assert names[-1] == "quiz", "the project's own controller comes after the built-in ones"
    assert script.index('register("quiz"') < script.index("microlearn.deck.start();")
    with zipfile.ZipFile(site / "el" / "microlearn-el.zip") as z:
        decks = [z.read(n).decode("utf-8") for n in z.namelist() if n.count("/") >= 2 and n.endswith("index.html")]
    assert decks and all("the project's own counter" in d for d in decks)


def test_a_project_deck_js_replaces_the_joined_script_whole(project):
    static = project / "themes" / "default" / "static"
    static.mkdir(parents=True)
    (static / "deck.js").write_text("/* a deck script of the project's own */\n", encoding="utf-8")
    (static / "base.css").write_text(":root { --ink: #000000; }\n", encoding="utf-8")
    site = built(project)
    assert (site / "assets" / "deck.js").read_text(encoding="utf-8") == "/* a deck script of the project's own */\n"
    deck_css = (site / "assets" / "deck.css").read_text(encoding="utf-8")
    assert deck_css.startswith(":root { --ink: #000000; }\n:root { --tall: 1.7; }")


def test_the_deck_css_and_js_stay_under_50_kb(project):
    site = built(project)
    size = sum((site / "assets" / name).stat().st_size for name in ("deck.css", "deck.js"))
    assert size < 50 * 1024, f"deck.css + deck.js is {size} bytes"
