"""The theme's static files as the site carries them: the deck script joined from its parts, and each
page's style sheet with the shared ``base.css`` in front.

A theme's ``static/`` folder holds the sources:

- ``deck/<name>.js``: the deck script, a small core and one controller per concern, each a classic script
  (ES modules do not load from ``file://`` in Chromium). They are joined in the order of ``DECK_PARTS``
  into one ``deck.js``, without the comments that stand on lines of their own, written to
  ``assets/deck.js`` and inlined into the decks of the zips.
- ``base.css``: the palette, the font stack and the rules by script (``data-typography``), joined in front
  of each sheet of ``SHEETS`` (again without the comments on lines of their own); a handout therefore
  stays one self-contained page.

The project's theme overrides any single file of the built-in one (``resources.theme_dirs``): its
``static/deck/keyboard.js`` replaces that controller in place. Its other ``deck/*.js`` are controllers of
its own, joined by name after the built-in ones, before ``start.js``. A ``static/deck.js`` of its own
replaces the joined script whole (its ``deck/`` files are then not used), as before the split. The sources
themselves (``deck/*.js``, ``base.css``) are not copied to ``assets/``.
"""

from __future__ import annotations

import re
from pathlib import Path

DECK_FOLDER = "deck"
# The order matters: the core first; controllers register their shortcuts in the order the help table
# lists them; start.js, which shows the first slide, last.
DECK_PARTS = (
    "core", "dialogs", "keyboard", "location", "navigation", "touch", "progress", "jump", "overview",
    "fullscreen", "blackout", "question", "timer", "sync", "plan", "presenter", "report", "print", "help", "fit",
    "start",
)
# A comment standing on lines of its own: the sources explain, the page need not carry it (with them the
# split into controllers and base.css would cost every deck about 8 KB, past the 50 KB of deck.css + deck.js).
_LINE_COMMENT = re.compile(rb"^[ \t]*/\*(?:[^*]|\*(?!/))*\*/[ \t]*\n", re.MULTILINE)
# The learner's deck of a SCORM package: self-paced, without the trainer's controllers (presenter window,
# timer, pacing, print), with the ones that let a learner answer the questions and report to an LMS. Its
# script is ``learner.js``; its page carries deck.css and ``learner.css``. Neither goes to the site's assets.
# Its own controllers are in ``static/learner/``.
LEARNER_FOLDER = "learner"
LEARNER_PARTS = (
    "deck/core", "deck/dialogs", "deck/keyboard", "deck/location", "deck/navigation", "deck/touch", "deck/progress",
    "deck/jump", "deck/overview", "deck/fullscreen", "learner/tracking", "learner/answer", "learner/handout",
    "deck/help", "deck/fit", "deck/start",
)
PACKAGE_ONLY = ("learner.js", "learner.css")
BASE_SHEET = "base.css"
SHEETS = ("deck.css", "handout.css", "guide.css", "site.css")


def theme_static(themes: list[Path]) -> dict[str, bytes]:
    """Every file of the themes' static/ folders by its path there, the first theme's overriding the others'."""
    files: dict[str, bytes] = {}
    for folder in reversed(themes):
        static = folder / "static"
        if static.is_dir():
            for path in sorted(static.rglob("*")):
                if path.is_file():
                    files[path.relative_to(static).as_posix()] = path.read_bytes()
    return files


def deck_sources(files: dict[str, bytes]) -> list[str]:
    """The deck script's parts in the order they are joined: DECK_PARTS, then the theme's own controllers
    by name, start.js last."""
    prefix = DECK_FOLDER + "/"
    found = {name[len(prefix):-3] for name in files
             if name.startswith(prefix) and name.endswith(".js") and "/" not in name[len(prefix):]}
    known = [part for part in DECK_PARTS if part in found and part != "start"]
    own = sorted(found - set(DECK_PARTS))
    tail = ["start"] if "start" in found else []
    return [f"{prefix}{part}.js" for part in known + own + tail]


def deck_script(files: dict[str, bytes], sources: list[str]) -> bytes:
    """The deck's parts joined, without the comments that stand on lines of their own."""
    return _LINE_COMMENT.sub(b"", _joined([files[name] for name in sources]))


def _joined(parts: list[bytes]) -> bytes:
    return b"".join(part if part.endswith(b"\n") else part + b"\n" for part in parts)


def built_static(themes: list[Path]) -> dict[str, bytes]:
    """The files of assets/: the static files with deck.js joined and base.css in front of each sheet,
    without their sources."""
    files = theme_static(themes)
    sources = deck_sources(files)
    if "deck.js" not in files and sources:
        files["deck.js"] = deck_script(files, sources)
    learner = [f"{part}.js" for part in LEARNER_PARTS]
    if "learner.js" not in files and all(name in files for name in learner):
        files["learner.js"] = deck_script(files, learner)
    base = files.get(BASE_SHEET)
    if base is not None:
        for sheet in SHEETS:
            if sheet in files:
                files[sheet] = _LINE_COMMENT.sub(b"", _joined([base, files[sheet]]))
    if "learner.css" in files:
        files["learner.css"] = _LINE_COMMENT.sub(b"", files["learner.css"])
    for name in [*sources, *(f"{part}.js" for part in LEARNER_PARTS), BASE_SHEET]:
        files.pop(name, None)
    return dict(sorted(files.items()))
