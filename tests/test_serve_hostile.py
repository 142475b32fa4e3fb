"""``microlearn serve`` against hostile requests and a busy file system: the real server in a subprocess,
raw HTTP and WebSocket requests to 127.0.0.1 only (DNS rebinding is a Host header the server must refuse;
a cross-site socket is an Origin header), files vanishing while the watcher looks at them."""

from __future__ import annotations

import contextlib
import http.client
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import test_serve
from microlearn.serve.server import Preview
from test_serve import LESSON, Server, edit, free_port, run_in_thread

server = test_serve.server  # the fixture: a real server on a free port, with two lessons


def request(srv: Server, path: str, host: str | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    headers = {"Host": host} if host is not None else {}
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.body = response.read().decode("utf-8", errors="replace")
    conn.close()
    return response


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:{port}", "127.0.0.1.nip.io:{port}",
                                  "localhost.attacker.example:{port}", "127.0.0.1:1", ""])
def test_a_request_for_another_host_is_refused(server, host):
    """DNS rebinding: a page of attacker.example whose name now points at 127.0.0.1 sends its own Host.
    The preview's own names (with its port or none) are still answered."""
    response = request(server, "/el/first/", host.format(port=server.port))
    assert response.status in (400, 403), response.status
    assert "Πρώτη διαφάνεια" not in response.body
    assert request(server, "/livereload.js", host.format(port=server.port)).status in (400, 403)
    for own in ("127.0.0.1:{port}", "localhost:{port}", "localhost", "[::1]:{port}", "LOCALHOST:{port}"):
        response = request(server, "/el/first/", own.format(port=server.port))
        assert response.status == 200 and "Πρώτη διαφάνεια" in response.body, own


async def _socket(port: int, origin: str | None) -> str:
    from tornado.httpclient import HTTPClientError, HTTPRequest
    from tornado.websocket import websocket_connect

    headers = {"Origin": origin} if origin else {}
    try:
        conn = await websocket_connect(HTTPRequest(f"ws://127.0.0.1:{port}/livereload", headers=headers))
    except HTTPClientError as err:
        return f"refused {err.code}"
    conn.close()
    return "accepted"


def test_only_the_previews_own_pages_may_open_the_reload_socket(server):
    port = server.port
    assert run_in_thread(_socket(port, "http://evil.example")) == "refused 403"
    assert run_in_thread(_socket(port, f"http://evil.example:{port}")) == "refused 403"
    assert run_in_thread(_socket(port, "null")) == "refused 403"
    assert run_in_thread(_socket(port, f"http://127.0.0.1:{port}")) == "accepted"
    assert run_in_thread(_socket(port, f"http://localhost:{port}")) == "accepted"


def test_no_redirect_leaves_the_preview(server):
    for path, where in (("//el", "/el/"), ("///el", "/el/"), ("/el//first", "/el/first/"), ("/el", "/el/")):
        response = request(server, path)
        assert response.status == 302, path
        assert response.getheader("Location") == where, (path, response.getheader("Location"))


def test_an_unknown_page_is_not_found_while_the_site_has_errors(server):
    edit(server.lesson(), LESSON.replace("title: Πρώτο μάθημα", "title: [Πρώτο μάθημα"))
    server.wait_for("/el/first/", lambda body: "microlearn-error" in body)
    response = request(server, "/no-such-page/")
    assert response.status == 404, response.status
    assert "microlearn-error" in response.body, "the overlay still says what is wrong"
    assert request(server, "/no-such-picture.png").status == 404
    assert request(server, "/el/first/").status == 200, "the last good page is still served"


def test_an_edit_that_keeps_size_and_mtime_is_seen(server):
    """An editor (or a sync tool) that writes the same number of bytes and restores the mtime: the
    change time still moves, and the preview follows."""
    lesson = server.lesson()
    before = lesson.stat()
    changed = LESSON.replace("Πρώτη διαφάνεια.", "Πρώτη διαφάνειΑ.")
    assert len(changed.encode("utf-8")) == before.st_size
    lesson.write_text(changed, encoding="utf-8")
    os.utime(lesson, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert lesson.stat().st_mtime_ns == before.st_mtime_ns and lesson.stat().st_size == before.st_size
    server.wait_for("/el/first/", lambda body: "Πρώτη διαφάνειΑ." in body)


def test_files_vanishing_while_the_watcher_looks_are_no_crash(tmp_path):
    """An editor's temporary files come and go between the folder listing and the stat of each entry
    (the server died with FileNotFoundError)."""
    project = tmp_path / "p"
    folder = project / "content" / "first"
    folder.mkdir(parents=True)
    (folder / "el.md").write_text(LESSON, encoding="utf-8")
    preview = Preview(project, tmp_path / "out")
    stop = threading.Event()

    def churn() -> None:
        rounds = 0
        while not stop.is_set() and rounds < 200:
            names = [folder / f"tmp{i}.txt" for i in range(300)]
            for name in names:
                name.write_bytes(b"x")
            for name in reversed(names):
                name.unlink()
            rounds += 1

    worker = threading.Thread(target=churn)
    worker.start()
    try:
        for _ in range(300):
            preview.changed_files()
    finally:
        stop.set()
        worker.join()
    assert folder / "el.md" in preview._stamps()


def serve_run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "microlearn", "serve", *args], cwd=project, capture_output=True,
                          text=True, timeout=120, check=False, env=dict(os.environ, PYTHONUNBUFFERED="1"))


@pytest.mark.parametrize("port", ["70000", "65536", "0", "-1"])
def test_a_port_out_of_range_is_an_error(tmp_path, port):
    project = tmp_path / "p"
    project.mkdir()
    (project / "microlearn.yml").write_text("languages:\n  el: {title: T}\n", encoding="utf-8")
    result = serve_run(project, "--port", port)
    assert result.returncode == 1, result.stdout
    assert f"error: --port {port} is not a port; give a number from 1 to 65535" in result.stderr
    assert "serving" not in result.stdout and "Traceback" not in result.stderr


def test_an_empty_host_is_an_error(tmp_path):
    project = tmp_path / "p"
    project.mkdir()
    (project / "microlearn.yml").write_text("languages:\n  el: {title: T}\n", encoding="utf-8")
    result = serve_run(project, "--host", "", "--port", str(free_port()))
    assert result.returncode == 1
    assert "error: --host is empty; give an address, e.g. 127.0.0.1" in result.stderr


def _first_lines(project: Path, host: str) -> str:
    """Start the server on ``host``, read what it prints until it serves, stop it."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "microlearn", "serve", "--host", host, "--port", str(port)],
                            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=dict(os.environ, PYTHONUNBUFFERED="1"))
    lines = []
    try:
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("serving "):
                break
        srv = Server(project, Path(), port, proc)
        with contextlib.suppress(OSError):
            srv.get("/")  # the warning comes right after the serving line
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        # through proc.stdout, not communicate(): the line after 'serving' may already sit in its buffer
        rest = proc.stdout.read()
    return "".join(lines) + rest


def test_binding_beyond_this_machine_warns_loudly(tmp_path):
    project = tmp_path / "p"
    (project / "content" / "first").mkdir(parents=True)
    (project / "content" / "first" / "el.md").write_text(LESSON, encoding="utf-8")
    (project / "microlearn.yml").write_text("languages:\n  el: {title: T}\n", encoding="utf-8")
    wide = _first_lines(project, "0.0.0.0")
    assert ("warning: 0.0.0.0 is not this machine only: anyone who can reach it on the network can open the "
            "preview, drafts and error messages included; use --host 127.0.0.1") in wide
    loop = _first_lines(project, "127.0.0.2")
    assert "serving http://127.0.0.2:" in loop
    assert "not this machine only" not in loop, "127.0.0.0/8 is this machine"
