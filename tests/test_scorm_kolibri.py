"""The SCORM 1.2 package inside Kolibri's own SCORM shim, in real Chromium: the lesson reaches 100 % there.

Kolibri plays an HTML5 app (a SCORM package is one: ``index.html`` at the zip root) in two frames:
- its page (the HTML5 renderer, ``Html5AppRendererIndex.vue``) holds an ``<iframe sandbox="allow-scripts
  allow-same-origin">`` that loads the *sandbox* page (the ``kolibri-sandbox`` package, once called hashi)
  from a second origin, the zip content server (another port);
- the sandbox page puts its SCORM 1.2 shim at ``window.API`` and, when the renderer answers its ``iframeready``
  message with ``mainready``, opens the package's entry page in an iframe of its own; the zip content server
  has rewritten every HTML file of the zip on the way (a script at the top of <head> that lets the sandbox
  shim the page's storage) and sends a Content-Security-Policy.
- every ``LMSSetValue`` posts the whole SCORM data to the renderer (``SCORM``/``stateupdate``); the renderer
  stores it as the content state and records the progress Kolibri computes from it.

What runs here is Kolibri's: the sandbox page and its scripts as built in the ``kolibri`` wheel (scripts/setup
test downloads it, version and hash pinned in tests/tools/kolibri.txt; never installed), and the zip content
server's HTML rewrite (``parse_html`` of ``kolibri/core/content/zip_wsgi.py`` in that wheel, run with the
html5lib the wheel vendors). What is ours is the smallest host that plays the renderer's side of the
postMessage protocol, written from Kolibri's sources (``kolibri-sandbox/src/mainClient.js``,
``html5_viewer/.../Html5AppRendererIndex.vue``):
- it answers ``sandbox``/``iframeready`` with the stored SCORM state (``SCORM``/``stateupdate``), the user data
  (``SCORM``/``userdataupdate``) and ``sandbox``/``mainready`` {contentNamespace, startUrl};
- on each ``SCORM``/``stateupdate`` it keeps the data and records the progress: Kolibri's rule restated
  (``SCORM.js`` ``__calculateProgress``): from ``cmi.core.score`` when set, (raw - min) / (max - min) clamped to
  0..1 (min 0, max 100 when unset); else from ``cmi.core.lesson_status``: passed 1, failed/browsed/incomplete
  0.5, not attempted 0, anything else (``completed`` too) nothing; the learn plugin's progress tracking keeps
  the highest value, clamped and rounded up to three decimals, and a resource is done at 1.
The restated rule is checked against Kolibri's own: the sandbox frame's shim (``window.sandbox.SCORM``) computes
the progress with the wheel's code, and the test wants both to agree.

Not run: Kolibri's server and its Vue front end (they need the Django app, a facility and a channel published
through Studio). The frames are what matters to the package: with no allow-forms in the sandbox, Chromium
submits no form there, so the deck's buttons must act on their click (method=dialog forms included).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import mimetypes
import os
import re
import subprocess
import sys
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import REPO, make_project, need

expect = need("playwright.sync_api").expect
pytestmark = pytest.mark.browser

KOLIBRI_PIN = REPO / "tests" / "tools" / "kolibri.txt"
KOLIBRI_VERSION = re.search(r"^kolibri==(\S+)", KOLIBRI_PIN.read_text(encoding="utf-8"), re.M).group(1)
KOLIBRI_WHEEL = REPO / "tests" / "tools" / "kolibri" / f"kolibri-{KOLIBRI_VERSION}-py2.py3-none-any.whl"
SANDBOX = "kolibri/core/content/static/sandbox/"


def kolibri_wheel() -> Path:
    """The wheel scripts/setup test downloaded: missing, it fails in CI and skips elsewhere."""
    if not KOLIBRI_WHEEL.is_file():
        message = f"{KOLIBRI_WHEEL.relative_to(REPO)} is missing; scripts/setup test downloads it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return KOLIBRI_WHEEL


# Kolibri's zip content server rewrites each HTML file of a zip with parse_html (zip_wsgi.py) and sends it as
# UTF-8 text/html with no charset. This runs that function from the wheel's own source, with the html5lib the
# wheel vendors, in a child process (so nothing of Kolibri's reaches this one): the HTML on stdin, the
# rewritten HTML on stdout.
REWRITE = r"""
import ast, logging, sys, zipfile
wheel = sys.argv[1]
sys.path.insert(0, wheel + "/kolibri/dist")
import html5lib, html5lib.treebuilders
source = zipfile.ZipFile(wheel).read("kolibri/core/content/zip_wsgi.py").decode("utf-8")
wanted = [node for node in ast.parse(source).body
          if (isinstance(node, ast.FunctionDef) and node.name == "parse_html")
          or (isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "INITIALIZE_SANDBOX_FROM_IFRAME"
                                                   for t in node.targets))]
assert len(wanted) == 2, "parse_html or INITIALIZE_SANDBOX_FROM_IFRAME not found in zip_wsgi.py"
space = {"html5lib": html5lib, "logger": logging.getLogger("zip_wsgi")}
exec(compile(ast.Module(body=wanted, type_ignores=[]), "zip_wsgi.py", "exec"), space)
html = space["parse_html"](sys.stdin.buffer.read())  # str, or the bytes as they came when html5lib gave up
sys.stdout.buffer.write(html if isinstance(html, bytes) else html.encode("utf-8"))
"""


class Kolibri:
    """What the test takes from the wheel: the sandbox page's files, the zip content server's CSP and HTML
    rewrite."""

    def __init__(self, wheel: Path) -> None:
        self.wheel = wheel
        self.zip = zipfile.ZipFile(wheel)
        self.sandbox_page = self.zip.read("kolibri/core/content/build/sandbox_filename").decode().strip()
        source = self.zip.read("kolibri/core/content/zip_wsgi.py").decode("utf-8")
        self.csp = re.search(r'\[\s*"Content-Security-Policy"\s*\]\s*=\s*"([^"]+)"', source).group(1)

    def sandbox_file(self, name: str) -> bytes | None:
        """A file of the built sandbox. The wheel keeps each one gzipped beside an empty placeholder (its
        static server sends the .gz), so the bytes come from the .gz."""
        if "/" in name or name.startswith("."):
            return None
        for candidate in (SANDBOX + name + ".gz", SANDBOX + name):
            try:
                data = self.zip.read(candidate)
            except KeyError:
                continue
            return gzip.decompress(data) if candidate.endswith(".gz") else data
        return None

    def rewrite_html(self, html: bytes) -> bytes:
        done = subprocess.run([sys.executable, "-c", REWRITE, str(self.wheel)], input=html, capture_output=True,
                              timeout=120, check=False)
        assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
        return done.stdout


# The renderer's side, in the page of Kolibri's own origin. #cfg carries the sandbox page's URL, the package's
# start URL and namespace, the stored content state and the user data.
HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Kolibri HTML5 renderer (test host)</title>
<style>html, body { margin: 0; height: 100%; } iframe { border: 0; width: 100%; height: 100%; }</style>
</head><body>
<iframe id="sandbox" sandbox="allow-scripts allow-same-origin" allow="fullscreen" src="SANDBOX_URL"></iframe>
<script type="application/json" id="cfg">CONFIG</script>
<script>
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("cfg").textContent);
  var frame = document.getElementById("sandbox");
  var host = window.kolibriHost = {
    contentState: cfg.contentState, progress: cfg.userData.progress || 0, finished: false,
    reports: [], messages: [], errors: []
  };
  function send(nameSpace, event, data) {
    frame.contentWindow.postMessage({ nameSpace: nameSpace, event: event, data: data }, "*");
  }
  function num(value, fallback) { return isNaN(value) ? fallback : Number(value); }
  /* Kolibri's progress from the SCORM data: the score when there is one, else the status (restated). */
  function scormProgress(data) {
    var core = (data && data.cmi && data.cmi.core) || {};
    if (core.score) {
      var min = num(core.score.min, 0), max = num(core.score.max, 100), raw = num(core.score.raw, min);
      return Math.max(Math.min((raw - min) / (max - min), 1), 0);
    }
    var byStatus = { passed: 1, failed: 0.5, browsed: 0.5, incomplete: 0.5, "not attempted": 0 };
    return Object.prototype.hasOwnProperty.call(byStatus, core.lesson_status) ? byStatus[core.lesson_status] : null;
  }
  /* The learn plugin's session progress: clamped, rounded up to 3 places, never lower; done at 1. */
  function record(progress) {
    host.reports.push(progress);
    progress = Math.min(1, Math.max(progress || 0, 0));
    if (progress) progress = Math.ceil(progress * 1000) / 1000;
    if (host.progress < progress) host.progress = progress;
    if (progress >= 1) host.finished = true;
  }
  window.addEventListener("message", function (e) {
    var m = e.data || {};
    if (m.nameSpace === undefined || m.event === undefined) return;
    host.messages.push(m.nameSpace + ":" + m.event);
    if (m.nameSpace === "sandbox" && m.event === "iframeready") {
      if (host.contentState.SCORM) send("SCORM", "stateupdate", host.contentState.SCORM);
      send("SCORM", "userdataupdate", cfg.userData);
      send("sandbox", "mainready", { contentNamespace: cfg.contentNamespace, startUrl: cfg.startUrl });
    } else if (m.nameSpace === "SCORM" && m.event === "stateupdate") {
      host.contentState.SCORM = m.data;
      var progress = scormProgress(m.data);
      if (progress !== null) record(progress);
    } else if (m.nameSpace === "sandbox" && m.event === "error") {
      host.errors.push(m.data);
    }
  });
  send("sandbox", "readycheck", true);
})();
</script>
</body></html>
"""


class KolibriServer:
    """Two origins on 127.0.0.1, as Kolibri serves them: the main one (the host page at /learn/) and the zip
    content one (the sandbox at /content/static/sandbox/, the package at /content/zipcontent/<md5>.zip/)."""

    def __init__(self, kolibri: Kolibri, package: Path) -> None:
        self.kolibri = kolibri
        self.package = zipfile.ZipFile(package)
        self.zip_name = hashlib.md5(package.read_bytes()).hexdigest() + ".zip"
        self.html: dict[str, bytes] = {}
        self.requests: list[str] = []
        self.host_config: dict = {}
        self.main = ThreadingHTTPServer(("127.0.0.1", 0), self._handler(self._main))
        self.content = ThreadingHTTPServer(("127.0.0.1", 0), self._handler(self._content))
        for server in (self.main, self.content):
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def close(self) -> None:
        for server in (self.main, self.content):
            server.shutdown()
            server.server_close()

    @property
    def content_origin(self) -> str:
        return f"http://127.0.0.1:{self.content.server_address[1]}"

    @property
    def start_url(self) -> str:
        return f"{self.content_origin}/content/zipcontent/{self.zip_name}/index.html"

    def launch_url(self, content_state: dict | None = None, user_data: dict | None = None) -> str:
        """The host page's URL; its configuration is kept server-side until the page asks for it."""
        self.host_config = {
            "contentState": content_state or {},
            "userData": user_data or {"userId": "learner-1", "userFullName": "Learner One", "language": "en",
                                      "timeSpent": 0, "complete": False},
            "contentNamespace": self.zip_name[:-4],
            "startUrl": self.start_url,
        }
        return f"http://127.0.0.1:{self.main.server_address[1]}/learn/"

    def _handler(self, respond):
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.requests.append(self.path)
                status, headers, body = respond(self.path.split("?")[0])
                self.send_response(status)
                for key, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        return Handler

    def _main(self, path: str):
        if path != "/learn/":
            return 404, {}, b""
        config = json.dumps(self.host_config).replace("<", "\\u003c")
        sandbox_url = f"{self.content_origin}/content/static/sandbox/{self.kolibri.sandbox_page}"
        page = HOST_PAGE.replace("SANDBOX_URL", sandbox_url).replace("CONFIG", config)
        return 200, {"Content-Type": "text/html; charset=utf-8"}, page.encode("utf-8")

    def _content(self, path: str):
        kind = lambda name: mimetypes.guess_type(name)[0] or "application/octet-stream"  # noqa: E731
        if path.startswith("/content/static/sandbox/"):
            name = path.rsplit("/", 1)[1]
            data = self.kolibri.sandbox_file(name)
            return (404, {}, b"") if data is None else (200, {"Content-Type": kind(name)}, data)
        prefix = f"/content/zipcontent/{self.zip_name}/"
        if not path.startswith(prefix):
            return 404, {}, b""
        inner = path[len(prefix):] or "index.html"
        try:
            data = self.package.read(inner)
        except KeyError:
            return 404, {}, b""
        if inner.lower().endswith(("html", "htm")):
            if inner not in self.html:
                self.html[inner] = self.kolibri.rewrite_html(data)
            data = self.html[inner]
        return 200, {"Content-Type": kind(inner), "Content-Security-Policy": self.kolibri.csp,
                     "Access-Control-Allow-Origin": "*"}, data


# --- the learner -------------------------------------------------------------------------------------------


class Learner:
    """A learner in the deck that Kolibri launched: keys to move on, the mouse to answer."""

    def __init__(self, page, server: KolibriServer) -> None:
        self.page = page
        self.server = server
        self.forward = "ArrowRight"
        self.console: list[str] = []
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))

    def launch(self, content_state: dict | None = None, user_data: dict | None = None):
        self.page.goto(self.server.launch_url(content_state, user_data))
        self.page.wait_for_function("() => window.kolibriHost.messages.includes('sandbox:loading')", timeout=20000)
        self.deck = self.page.frame_locator("#sandbox").frame_locator("iframe")
        expect(self.deck.locator("section.slide.is-current")).to_have_count(1, timeout=20000)
        # The arrow keys follow the lesson's direction: the next slide is on the left in a right-to-left one.
        rtl = self.deck.locator("html").get_attribute("dir") == "rtl"
        self.forward = "ArrowLeft" if rtl else "ArrowRight"
        return self.deck

    @property
    def deck_frame(self):
        return next(f for f in self.page.frames if "/content/zipcontent/" in f.url)

    @property
    def sandbox_frame(self):
        return next(f for f in self.page.frames if "/content/static/sandbox/" in f.url)

    def current(self) -> int:
        return int(self.deck.locator("section.slide.is-current").get_attribute("data-index"))

    def focus_deck(self) -> None:
        """A learner clicks into the lesson before using the keys: on the current slide's heading."""
        slide = self.deck.locator("section.slide.is-current")
        slide.locator("h1, h2, h3, p").first.click()

    def answer(self, options: set[str]) -> None:
        slide = self.deck.locator("section.slide.is-current")
        form = slide.locator("form.question__form")
        for value in sorted(options):
            form.locator(f"label:has(input[value='{value}'])").click()
        form.locator("button.question__check").click()
        feedback = slide.locator(".question__feedback")
        try:
            expect(feedback).not_to_be_empty()
        except AssertionError as err:
            blocked = [line for line in self.console if "Blocked form submission" in line]
            raise AssertionError(f"no feedback after 'check' on slide {self.current()}; {blocked or self.console}") \
                from err

    def walk(self, answers: dict[int, set[str]], until: int | None = None) -> list[int]:
        """Every slide in turn by key presses (up to slide ``until``), each scored question answered with
        the options of ``answers``; returns the slides shown."""
        self.focus_deck()
        total = self.deck.locator("section.slide").count()
        shown = [self.current()]
        while shown[-1] < (until or total):
            form = self.deck.locator("section.slide.is-current form.question__form")
            if form.count():
                self.answer(answers[int(form.get_attribute("data-question"))])
            before = shown[-1]
            self.page.keyboard.press(self.forward)
            expect(self.deck.locator("section.slide.is-current")).not_to_have_attribute(
                "data-index", str(before))
            shown.append(self.current())
        form = self.deck.locator("section.slide.is-current form.question__form")
        if until is None and form.count():
            self.answer(answers[int(form.get_attribute("data-question"))])
        return shown

    def host(self) -> dict:
        return self.page.evaluate("() => JSON.parse(JSON.stringify(window.kolibriHost))")

    def kolibri_progress(self):
        """The progress by Kolibri's own code: the wheel's SCORM shim in the sandbox frame."""
        return self.sandbox_frame.evaluate("() => window.sandbox.SCORM.__calculateProgress()")

    def leave(self) -> dict:
        """The learner leaves the resource: Kolibri's page drops the renderer and its iframe (the deck gets
        its pagehide); returns the host's state once the deck's last messages are in."""
        self.page.evaluate("() => document.getElementById('sandbox').remove()")
        self.page.wait_for_function(
            "() => { const c = window.kolibriHost.contentState.SCORM;"
            " return c && c.cmi && c.cmi.core && c.cmi.core.exit !== undefined; }", timeout=10000)
        return self.host()


# Kolibri's shim does not implement cmi.student_data.* (LMSGetValue gives "" and error 401): the deck's warning
# when it asks for the mastery score is expected there. Any other warning or error is not.
NOT_IMPLEMENTED = re.compile(r"cmi\.student_data\.mastery_score\b.*\b401\b")


# Chromium ignores the autofocus attribute in a frame of another origin than the top page's (the deck's, in
# Kolibri) and says so; the dialog still focuses its button (test_relaunch... checks where the focus is).
CROSS_ORIGIN_AUTOFOCUS = "error: Blocked autofocusing on a <button> element in a cross-origin subframe."


def kolibri_warnings(console: list[str]) -> list[str]:
    return [line for line in console if line.startswith(("warning", "error", "pageerror"))
            and not (line.startswith("warning") and NOT_IMPLEMENTED.search(line))
            and line != CROSS_ORIGIN_AUTOFOCUS]


# --- the example packages ----------------------------------------------------------------------------------

LESSONS = [("el", "ecommerce-cycle"), ("ar", "ecommerce-stages")]


def lesson_answers(lang: str, lesson_id: str) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """The right and the wrong answers (option values "1".."k") of a scored example lesson, from its source."""
    from microlearn.lessons.parse import parse_lesson

    lesson, _ = parse_lesson(REPO / "content" / lesson_id / f"{lang}.md", lesson_id, lang)
    right, wrong = {}, {}
    for q in lesson.questions:
        if not q.scored:
            continue
        right[q.number] = {str(i) for i, o in enumerate(q.options, 1) if o.correct}
        wrong[q.number] = {str(i) for i, o in enumerate(q.options, 1) if not o.correct}
        if q.kind == "single":
            wrong[q.number] = {min(wrong[q.number], key=int)}
    assert right, f"{lang}/{lesson_id} has no scored question"
    return right, wrong


@pytest.fixture(scope="module")
def kolibri() -> Kolibri:
    return Kolibri(kolibri_wheel())


@pytest.fixture(params=LESSONS, ids=[f"{lang}-{lid}" for lang, lid in LESSONS])
def launched(request, kolibri, example_site, page):
    lang, lesson_id = request.param
    package = example_site / lang / lesson_id / f"{lesson_id}-{lang}-scorm12.zip"
    assert package.is_file(), f"{package} was not built"
    server = KolibriServer(kolibri, package)
    right, wrong = lesson_answers(lang, lesson_id)
    try:
        yield server, Learner(page, server), right, wrong
    finally:
        server.close()


def test_all_right_reaches_full_progress_in_kolibri(launched):
    _, learner, right, _ = launched
    learner.launch()
    shown = learner.walk(right)
    assert shown == list(range(1, len(shown) + 1)), shown
    host = learner.host()
    scorm = host["contentState"]["SCORM"]["cmi"]
    assert scorm["core"]["lesson_status"] == "passed", scorm["core"]
    assert scorm["core"]["score"] == {"raw": "100", "min": "0", "max": "100"}, scorm["core"]
    assert [i["result"] for i in scorm["interactions"]] == ["correct"] * len(right)
    assert host["progress"] == 1 and host["finished"], host["reports"]
    assert learner.kolibri_progress() == host["reports"][-1] == 1
    assert host["errors"] == []
    assert kolibri_warnings(learner.console) == [], learner.console


def test_failed_attempt_stays_below_full_progress_in_kolibri(launched):
    _, learner, _, wrong = launched
    learner.launch()
    learner.walk(wrong)
    host = learner.host()
    core = host["contentState"]["SCORM"]["cmi"]["core"]
    assert core["lesson_status"] == "failed", core
    assert core["score"]["raw"] == "0", core
    # Kolibri counts the score (0) once there is one; before, 'incomplete' counted 0.5, and progress never
    # goes down: the learner is left at 50 %, not done.
    assert learner.kolibri_progress() == host["reports"][-1] == 0
    assert host["progress"] == 0.5 and not host["finished"], host["reports"]
    assert kolibri_warnings(learner.console) == [], learner.console


def test_relaunch_resumes_from_kolibris_stored_state(launched, context):
    server, learner, right, _ = launched
    learner.launch()
    learner.walk(right, until=3)
    host = learner.leave()
    stored = host["contentState"]
    assert stored["SCORM"]["cmi"]["core"]["lesson_location"] == "3", stored
    assert stored["SCORM"]["cmi"]["core"]["exit"] == "suspend", stored
    again = Learner(context.new_page(), server)
    deck = again.launch(stored,
                        {"userId": "learner-1", "userFullName": "Learner One", "language": "en",
                         "timeSpent": 30, "progress": host["progress"], "complete": False})
    dialog = deck.locator("dialog.dialog[open]")
    expect(dialog).to_be_visible()
    expect(dialog.locator("button[value=resume]")).to_be_focused()
    dialog.locator("button[value=resume]").click()
    expect(deck.locator("section.slide.is-current")).to_have_attribute("data-index", "3")
    assert again.sandbox_frame.evaluate("() => window.API.LMSGetValue('cmi.core.entry')") == "resume"
    assert kolibri_warnings(learner.console + again.console) == []


def test_handout_opens_and_closes_inside_kolibri(launched):
    """The handout opens over the slides and its close button closes it again, in Kolibri's frames (which
    forbid pop-ups and form submission)."""
    _, learner, _, _ = launched
    deck = learner.launch()
    deck.locator("a[data-action=handout]:visible").first.click()
    dialog = deck.locator("dialog.handout-dialog")
    expect(dialog).to_have_attribute("open", "")
    handout = dialog.frame_locator("iframe")
    expect(handout.locator("h1").first).to_be_visible()
    dialog.locator("button").first.click()
    try:
        expect(dialog).not_to_have_attribute("open", "")
    except AssertionError as err:
        raise AssertionError(f"the handout's close button left it open; {learner.console}") from err
    assert kolibri_warnings(learner.console) == [], learner.console


# A lesson without scored questions (only a reflection question): SCORM's 'completed' alone counts for nothing
# in Kolibri, so the package reports a score of 100 with it once every slide has been seen.
NO_QUIZ_CONFIG = """default_language: el
theme: default
languages:
  el:
    title: Δοκιμαστικά μαθήματα
"""

NO_QUIZ = """---
title: Μάθημα χωρίς τεστ
competence_area: Δοκιμές
duration: 4m
objectives:
  - Ανάγνωση
---

## Πρώτο στάδιο {time=2m}

Ο κύκλος μιας παραγγελίας.

## Δεύτερο στάδιο {time=2m}

Η πληρωμή και η παράδοση.

::: question
Πότε αγοράσατε τελευταία φορά κάτι online;
:::
"""


def test_lesson_without_questions_reaches_full_progress_once_every_slide_is_seen(kolibri, tmp_path, page):
    from microlearn.site.build import build

    project = make_project(tmp_path / "project", {"microlearn.yml": NO_QUIZ_CONFIG,
                                                   "content/reading/el.md": NO_QUIZ})
    site = build(project, project / "site", with_pdf=False).out
    server = KolibriServer(kolibri, site / "el" / "reading" / "reading-el-scorm12.zip")
    try:
        learner = Learner(page, server)
        learner.launch()
        total = learner.deck.locator("section.slide").count()
        learner.walk({}, until=total - 1)
        assert not learner.host()["finished"], learner.host()["reports"]
        learner.walk({})
        host = learner.host()
        core = host["contentState"]["SCORM"]["cmi"]["core"]
        assert core["lesson_status"] == "completed", core
        assert core["score"] == {"raw": "100", "min": "0", "max": "100"}, core
        assert host["progress"] == 1 and host["finished"], host["reports"]
        assert learner.kolibri_progress() == 1
        assert kolibri_warnings(learner.console) == [], learner.console
    finally:
        server.close()
