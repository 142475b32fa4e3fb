"""``microlearn serve``: the real server in a subprocess on a free port, real HTTP, real livereload
messages over a WebSocket, real file edits, and Chromium reloading on the same slide."""

from __future__ import annotations

import asyncio
import concurrent.futures
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import MISTAKES, REPO

LESSON = """---
title: Πρώτο μάθημα
objectives:
  - Ένας στόχος
duration: 3m
---

## Αρχή {time=1m}

Πρώτη διαφάνεια.

::: notes
Αφήγηση ένα.
:::

## Μέση {time=1m}

Δεύτερη διαφάνεια.

::: notes
Αφήγηση δύο.
:::

## Τέλος {time=1m}

Τρίτη διαφάνεια.

::: notes
Αφήγηση τρία.
:::
"""
OTHER = LESSON.replace("Πρώτο μάθημα", "Άλλο μάθημα")
PERSIAN = """---
title: درس نخست
objectives:
  - یک هدف
duration: 3m
translation_of: el
---

## آغاز {time=1m}

اسلاید نخست.

::: notes
روایت.
:::

## میانه {time=1m}

اسلاید دوم.

::: notes
روایت.
:::

## پایان {time=1m}

اسلاید سوم.

::: notes
روایت.
:::
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, project: Path, out: Path, port: int, proc: subprocess.Popen) -> None:
        self.project, self.out, self.port, self.proc = project, out, port, proc

    def get(self, path: str) -> tuple[int, str]:
        """GET ``path`` exactly as written (no normalisation of '..' or '%2e')."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read().decode("utf-8", errors="replace")
        conn.close()
        return response.status, body

    def wait_for(self, path: str, predicate, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        body = ""
        while time.monotonic() < deadline:
            _status, body = self.get(path)
            if predicate(body):
                return body
            time.sleep(0.05)
        raise AssertionError(f"{path} never matched; last body:\n{body[-2000:]}")

    def lesson(self, name: str = "el.md", lesson_id: str = "first") -> Path:
        return self.project / "content" / lesson_id / name


@pytest.fixture
def server(tmp_path):
    project = tmp_path / "proj"
    for lesson_id, name, text in (("first", "el.md", LESSON), ("first", "fa.md", PERSIAN),
                                  ("other", "el.md", OTHER)):
        (project / "content" / lesson_id).mkdir(parents=True, exist_ok=True)
        (project / "content" / lesson_id / name).write_text(text, encoding="utf-8")
    (project / "microlearn.yml").write_text(
        "languages:\n  el:\n    title: Δοκιμή\n  fa:\n    title: آزمایش\n", encoding="utf-8")
    out = tmp_path / "preview"
    port = free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "microlearn", "serve", "--port", str(port), "-o", str(out)],
                            cwd=project, stdout=log, stderr=subprocess.STDOUT, env=env)
    srv = Server(project, out, port, proc)
    deadline = time.monotonic() + 60
    while True:
        try:
            if srv.get("/")[0] == 200:
                break
        except OSError:
            pass
        assert proc.poll() is None, (tmp_path / "serve.log").read_text()
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.1)
    yield srv
    proc.terminate()
    proc.wait(timeout=30)
    log.close()
    assert "Traceback" not in (tmp_path / "serve.log").read_text()


def edit(path: Path, text: str) -> None:
    """Save like an editor does; make sure the modification time moves even on a coarse clock."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns == before:
        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_pages_get_the_reload_script_only_when_served(server):
    status, page = server.get("/el/first/")
    assert status == 200
    assert f'<script src="/livereload.js?port={server.port}"></script>\n</body>' in page
    on_disk = (server.out / "el" / "first" / "index.html").read_text(encoding="utf-8")
    assert "livereload" not in on_disk
    status, script = server.get("/livereload.js")
    assert status == 200 and "LiveReload" in script
    assert server.get("/el/first")[0] == 302


def test_the_server_listens_on_this_machine_only(server):
    # /proc/net/tcp lists listening sockets (state 0A) as hex address:port; 0100007F is 127.0.0.1.
    rows = [line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:]]
    listening = {row[1] for row in rows if row[3] == "0A"}
    assert f"0100007F:{server.port:04X}" in listening
    assert f"00000000:{server.port:04X}" not in listening


@pytest.mark.parametrize("path", [
    "/../microlearn.yml", "/%2e%2e/microlearn.yml", "/%2E%2E/%2e%2e/proj/microlearn.yml",
    "/el/../../microlearn.yml", "/el/%2e%2e/%2e%2e/microlearn.yml", "/..%2fmicrolearn.yml",
    "/el/..%5c..%5cmicrolearn.yml",
])
def test_paths_outside_the_site_are_refused(server, path):
    status, body = server.get(path)
    assert status == 403, (status, body)
    assert "languages:" not in body


async def _reload_message(port: int, action) -> dict:
    """Connect as livereload.js does, run ``action``, return the next message the server sends."""
    from tornado.websocket import websocket_connect

    conn = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
    conn.write_message(json.dumps({"command": "hello", "protocols": [
        "http://livereload.com/protocols/official-7"]}))
    hello = json.loads(await conn.read_message())
    assert hello["command"] == "hello"
    conn.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{port}/el/first/",
                                   "plugins": {}}))
    await asyncio.sleep(0.3)
    action()
    message = await asyncio.wait_for(conn.read_message(), 30)
    conn.close()
    return json.loads(message)


def run_in_thread(coro):
    """asyncio.run on a thread of its own: a Playwright session of the same pytest run keeps an event
    loop running in the main thread."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result(timeout=60)


def test_an_edited_lesson_is_rebuilt_alone_and_browsers_are_told(server):
    before = mtimes(server.out)
    message = run_in_thread(_reload_message(server.port, lambda: edit(
        server.lesson(), LESSON.replace("Δεύτερη διαφάνεια.", "Η διαφάνεια άλλαξε."))))
    assert message["command"] == "reload"
    on_disk = (server.out / "el" / "first" / "index.html").read_text(encoding="utf-8")
    assert "Η διαφάνεια άλλαξε." in on_disk and "Δεύτερη διαφάνεια." not in on_disk
    assert "Η διαφάνεια άλλαξε." in server.get("/el/first/handout.html")[1]
    after = mtimes(server.out)
    changed = sorted(k for k in after if after[k] != before.get(k))
    assert "el/first/index.html" in changed and "el/first/handout.html" in changed
    untouched = ["el/other/index.html", "el/other/handout.html", "assets/deck.js"]
    assert not set(untouched) & set(changed), changed


def test_a_title_change_reaches_the_index_pages(server):
    edit(server.lesson(), LESSON.replace("title: Πρώτο μάθημα", "title: Νέος τίτλος"))
    server.wait_for("/el/", lambda body: "Νέος τίτλος" in body)
    assert "Νέος τίτλος" in (server.out / "el" / "index.html").read_text(encoding="utf-8")


def test_an_error_shows_in_the_browser_until_the_next_good_save(server):
    good_page = (server.out / "el" / "first" / "index.html").read_bytes()
    edit(server.lesson(), LESSON.replace("title: Πρώτο μάθημα", "title: [Πρώτο μάθημα"))
    page = server.wait_for("/el/first/", lambda body: "microlearn-error" in body)
    assert "content/first/el.md:3:11: error: invalid YAML:" in page
    assert 'role="alert"' in page
    assert (server.out / "el" / "first" / "index.html").read_bytes() == good_page, "the last good site stays"
    assert "microlearn-error" in server.get("/fa/first/")[1], "every page shows it"
    assert server.proc.poll() is None

    edit(server.lesson(), LESSON.replace("{time=1m}\n\nΠρώτη", "{time=soon}\n\nΠρώτη")
         .replace("duration: 3m", "duration: 3"))
    page = server.wait_for("/el/first/", lambda body: "time: 'soon' is not a time" in body)
    assert "content/first/el.md:8:15: error: time: 'soon' is not a time" in page
    assert "content/first/el.md:5:11: error: duration: '3' has no unit" in page, "every mistake, not the first only"

    edit(server.lesson(), LESSON.replace("Πρώτη διαφάνεια.", "Διορθώθηκε."))
    page = server.wait_for("/el/first/", lambda body: "microlearn-error" not in body)
    assert "Διορθώθηκε." in page


def test_a_broken_first_build_still_serves_the_errors(tmp_path):
    project = tmp_path / "proj"
    (project / "content" / "broken").mkdir(parents=True)
    (project / "content" / "broken" / "el.md").write_text(LESSON.replace("duration: 3m", "duration: 3"),
                                                         encoding="utf-8")
    (project / "microlearn.yml").write_text("languages:\n  el:\n    title: Δοκιμή\n", encoding="utf-8")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "microlearn", "serve", "--port", str(port)], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=dict(os.environ, PYTHONUNBUFFERED="1"))
    try:
        srv = Server(project, Path(), port, proc)
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = srv.get("/")
                break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.1)
        assert status == 500
        assert "content/broken/el.md:5:11: error: duration: '3' has no unit" in body
        assert "/livereload.js" in body
        edit(project / "content" / "broken" / "el.md", LESSON)
        srv.wait_for("/el/broken/", lambda b: "Πρώτη διαφάνεια." in b and "microlearn-error" not in b)
    finally:
        proc.terminate()
        output = proc.communicate(timeout=30)[0]
    assert "content/broken/el.md:5:11: error: duration: '3' has no unit" in output
    assert "Traceback" not in output


def test_a_catalog_change_rebuilds_its_language(server):
    po = server.project / "locales" / "el" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    shutil.copy(REPO / "locales" / "el" / "LC_MESSAGES" / "messages.po", po)
    # Adding a catalog folder is a change like any other; wait until the site settles.
    time.sleep(1)
    before = mtimes(server.out)
    text = po.read_text(encoding="utf-8")
    entry = 'msgid "Presenter view"\nmsgstr "Προβολή παρουσιαστή"'
    assert entry in text
    edit(po, text.replace(entry, 'msgid "Presenter view"\nmsgstr "ΠΡΟΒΟΛΗ ΠΑΡΟΥΣΙΑΣΤΗ"'))
    server.wait_for("/el/first/", lambda body: "ΠΡΟΒΟΛΗ ΠΑΡΟΥΣΙΑΣΤΗ" in body)
    after = mtimes(server.out)
    changed_files = {k for k in after if after[k] != before.get(k)}
    assert "el/first/index.html" in changed_files
    assert not {k for k in changed_files if k.startswith("fa/")}, changed_files


def test_a_template_change_rebuilds_everything(server):
    templates = server.project / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    base = (REPO / "themes" / "default" / "templates" / "base.html").read_text(encoding="utf-8")
    assert "</body>" in base
    edit(templates / "base.html", base.replace("</body>", "<!-- own-theme -->\n</body>"))
    for path in ("/el/first/", "/fa/first/", "/el/other/handout.html", "/el/"):
        server.wait_for(path, lambda body: "own-theme" in body)


def test_the_open_deck_reloads_on_the_same_slide(server, page):
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.goto(f"http://127.0.0.1:{server.port}/el/first/#3")
    page.wait_for_function("window.LiveReload && window.LiveReload.connector && "
                           "window.LiveReload.connector._connectionDesired")
    time.sleep(0.5)  # the handshake completes
    current = page.locator(".slide.is-current")
    before = current.inner_text()
    edit(server.lesson(), LESSON.replace("Πρώτη διαφάνεια.", "Αλλαγμένη πρώτη."))
    page.wait_for_function("document.body.textContent.includes('Αλλαγμένη πρώτη.')", timeout=30_000)
    page.wait_for_selector(".slide.is-current")
    assert page.evaluate("location.hash") == "#3"
    after = page.locator(".slide.is-current").inner_text()
    assert after.splitlines()[0] == before.splitlines()[0] and "Αλλαγμένη πρώτη." in after, (before, after)
    outside = [u for u in seen if not u.startswith(f"http://127.0.0.1:{server.port}/")]
    assert outside == []


def test_a_busy_port_or_no_project_is_a_plain_error(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        shutil.copytree(MISTAKES / "stage-count" / "content" / "stage-count", tmp_path / "p" / "content" / "x")
        (tmp_path / "p" / "microlearn.yml").write_text("languages:\n  el: {title: T}\n  fa: {title: T}\n")
        result = subprocess.run([sys.executable, "-m", "microlearn", "serve", "--port", str(port)],
                                cwd=tmp_path / "p", capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1
    assert f"error: cannot listen on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr
    assert "content/x/el.md:1:1: warning: this version has 1 stage" in result.stderr, "warnings are shown"
    assert "Traceback" not in result.stderr
    nowhere = subprocess.run([sys.executable, "-m", "microlearn", "serve", "--port", str(free_port())],
                             cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert nowhere.returncode == 1 and "microlearn init" in nowhere.stderr


def test_the_temporary_preview_folder_is_removed_on_stop(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(MISTAKES / "no-notes" / "content" / "no-notes", project / "content" / "x")
    (project / "microlearn.yml").write_text("languages:\n  el: {title: T}\n")
    env = dict(os.environ, PYTHONUNBUFFERED="1", TMPDIR=str(tmp_path))
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "microlearn", "serve", "--port", str(port)], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    srv = Server(project, Path(), port, proc)
    _up(srv)
    srv.wait_for("/el/x/", lambda body: "livereload" in body)
    assert [p.name for p in tmp_path.glob("microlearn-serve-*")], "the preview is built in a temporary folder"
    proc.terminate()
    output = proc.communicate(timeout=30)[0]
    assert "stopped" in output and not list(tmp_path.glob("microlearn-serve-*"))


def _up(srv: Server, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            srv.get("/")
            return True
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the server did not start")


def test_the_language_zip_follows_when_saves_stop(server):
    zip_path = server.out / "el" / "microlearn-el.zip"

    def handout_in_zip() -> str:
        with zipfile.ZipFile(zip_path) as zf:
            return zf.read("microlearn-el/first/handout.html").decode("utf-8")

    assert "Πρώτη διαφάνεια." in handout_in_zip()
    fa_zip = server.out / "fa" / "microlearn-fa.zip"
    fa_before = fa_zip.stat().st_mtime_ns
    edit(server.lesson(), LESSON.replace("Πρώτη διαφάνεια.", "Νέο κείμενο στο zip."))
    server.wait_for("/el/first/", lambda body: "Νέο κείμενο στο zip." in body)
    deadline = time.monotonic() + 30
    while "Νέο κείμενο στο zip." not in handout_in_zip():
        assert time.monotonic() < deadline, "the language zip was never brought up to date"
        time.sleep(0.2)
    assert fa_zip.stat().st_mtime_ns == fa_before, "a zip whose content did not change is not rewritten"
