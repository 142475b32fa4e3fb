"""``microlearn serve``: build, serve on localhost, rebuild what a change touches, reload the browser.

The preview site is built into a temporary folder (never into ``site/``). A change is rebuilt as
narrowly as it can be: an edited lesson re-renders its own pages and the index pages; a changed
interface catalog re-renders its language; anything else (templates, static files, the config, a
lesson added or removed) rebuilds everything. The reload script and the error overlay are added to
pages as they are served, never to the files on disk. Browsers reload through livereload's protocol
and script, served by this server itself, so a preview makes no request beyond it.
"""

from __future__ import annotations

import asyncio
import html
import ipaddress
import mimetypes
import os
import shutil
import signal
import stat
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from microlearn.errors import Diagnostic, MicrolearnError
from microlearn.lessons.project import Project
from microlearn.project.config import CONFIG_NAME, Config, load_config
from microlearn.site.build import Builder, StartOver

POLL_SECONDS = 0.1  # how often the sources are looked at; a save shows within this plus the rebuild
QUIET_SECONDS = 1.5  # no save for this long: time to bring the all-lessons zips up to date
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and localhost: this machine only."""
    if host in LOOPBACK:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_wildcard(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def allowed_host(header: str, bound: str, port: int) -> bool:
    """Whether a request's Host (or a WebSocket's Origin host) names this server: localhost, a loopback
    address or the --host address, with this port or none. A page elsewhere that makes its own name
    point at 127.0.0.1 (DNS rebinding) sends its own name, and is refused. When bound to every
    interface, any IP address is accepted (it is how others on the network reach the preview), a name
    other than localhost still is not."""
    try:
        parts = urlsplit("//" + header)
        name, given_port = (parts.hostname or ""), parts.port
    except ValueError:
        return False
    if not name or given_port not in (None, port):
        return False
    if is_loopback(name) or name == bound.strip("[]").lower():
        return True
    if _is_wildcard(bound):
        try:
            ipaddress.ip_address(name)
            return True
        except ValueError:
            return False
    return False


@dataclass
class Change:
    """What a set of changed source files means for the site."""

    lessons: set[str] = field(default_factory=set)  # lesson ids whose files (or images) changed
    languages: set[str] = field(default_factory=set)  # languages whose interface catalog changed
    everything: bool = False


class Preview:
    """The site being previewed: built once, then rebuilt piece by piece as its sources change."""

    def __init__(self, root: Path, out: Path) -> None:
        self.root = root.resolve()
        self.out = out
        self.errors: list[Diagnostic] = []  # what the overlay shows; empty when the site is up to date
        self.warnings: list[Diagnostic] = []
        self.config: Config | None = None
        self.project: Project | None = None
        self.builder: Builder | None = None
        self.stamps: dict[Path, tuple[int, int, int]] = self._stamps()
        self.rebuilt: list[str] = []  # site paths written by the last rebuild

    # ------------------------------------------------------------------ watching

    def _watched(self) -> list[Path]:
        content = "content"
        config = getattr(self, "config", None)
        if config is None:
            try:
                config = load_config(self.root)
            except MicrolearnError:
                config = None
        logos: list[Path] = []
        if config is not None:
            content = config.content_dir
            # the logos of brand.logos are on every page: a change rebuilds everything (classify)
            logos = [self.root / logo.src for logo in (config.brand.logos if config.brand else ())]
        return [self.root / content, self.root / "locales", self.root / "themes", self.root / CONFIG_NAME,
                *logos]

    def _stamps(self) -> dict[Path, tuple[int, int, int]]:
        """(mtime, ctime, size) of every watched file. The ctime too: an edit that keeps the size and
        puts the old mtime back still changes it. A file that vanishes while it is looked at (an
        editor's temporary file) is simply not there."""
        stamps: dict[Path, tuple[int, int, int]] = {}
        for top in self._watched():
            try:
                st = top.stat()
            except OSError:
                st = None
            if st is not None and stat.S_ISREG(st.st_mode):
                stamps[top] = (st.st_mtime_ns, st.st_ctime_ns, st.st_size)
                continue
            stack = [top]
            while stack:
                try:
                    entries = list(os.scandir(stack.pop()))
                except OSError:
                    continue
                for entry in entries:
                    if entry.name.startswith(".") or entry.name.endswith("~"):
                        continue  # editors' swap and backup files
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(Path(entry.path))
                    elif entry.is_file():
                        try:
                            st = entry.stat()
                        except OSError:
                            continue  # removed since the folder was read
                        stamps[Path(entry.path)] = (st.st_mtime_ns, st.st_ctime_ns, st.st_size)
        return stamps

    def changed_files(self) -> set[Path]:
        """Source files added, removed or modified since the last look."""
        now = self._stamps()
        changed = {p for p in now.keys() | self.stamps.keys() if now.get(p) != self.stamps.get(p)}
        self.stamps = now
        return changed

    def classify(self, paths: set[Path]) -> Change:
        change = Change()
        if self.project is None or self.errors:
            change.everything = True  # nothing good to build on: start over
            return change
        content = self.root / self.project.config.content_dir
        for path in paths:
            if path.is_relative_to(content):
                parts = path.relative_to(content).parts
                lesson_id = parts[0]
                if len(parts) != 2 or lesson_id not in self.project.lessons:
                    change.everything = True  # a new lesson, or something unexpected
                elif path.suffix == ".md" and (not path.exists() or path.stem not in
                                               self.project.lessons[lesson_id]):
                    change.everything = True  # a language version added or removed
                else:
                    change.lessons.add(lesson_id)
            elif path.is_relative_to(self.root / "locales"):
                parts = path.relative_to(self.root / "locales").parts
                lang = parts[0].replace("_", "-")
                if path.suffix == ".po" and lang in self.project.config.languages:
                    change.languages.add(lang)
                elif path.suffix == ".po":
                    change.everything = True  # may be another language's fallback
            else:
                change.everything = True  # a template, the theme's static files, the config
        return change

    # ------------------------------------------------------------------ building

    def build_all(self) -> None:
        self.builder = Builder(self.root, self.out, with_pdf=False)
        result = self.builder.build()
        self.config = self.builder.config
        self.project = self.builder.ctx.project if self.builder.ctx else None
        self.warnings = list(result.warnings)
        self.rebuilt = sorted(result.files)

    def rebuild(self, change: Change) -> None:
        """The lessons and catalogs that changed, through the build's own plan (site.build.Builder)."""
        assert self.builder is not None and self.project is not None
        lesson_files = {lesson.path for lesson_id in change.lessons
                        for lesson in self.project.lessons[lesson_id].values()}
        try:
            self.warnings = self.builder.update(lesson_files, change.languages)
        except StartOver:
            self.build_all()
            return
        assert self.builder.ctx is not None
        self.project = self.builder.ctx.project
        self.rebuilt = list(self.builder.written)

    @property
    def stale_zips(self) -> set[str]:
        """Languages whose all-lessons zip waits for a quiet moment (it renders every lesson again)."""
        return set() if self.builder is None else {name.partition(":")[2] for name in self.builder.deferred}

    def refresh_zips(self) -> None:
        """Bring the all-lessons zips up to date; the server calls this when no save has come for a
        moment, so a save is never kept waiting by a whole language's worth of rendering."""
        if self.errors or self.builder is None:
            return
        try:
            self.builder.finish_deferred()
        finally:
            self.builder.deferred = set()
        self.rebuilt = list(self.builder.written)

    def update(self, paths: set[Path] | None = None) -> bool:
        """Rebuild for the changed ``paths`` (None: everything). True when the site is good again.
        Any failure becomes the overlay's text; the server keeps running."""
        try:
            change = Change(everything=True) if paths is None else self.classify(paths)
            if change.everything:
                self.build_all()
            else:
                self.rebuild(change)
            self.errors = []
            return True
        except MicrolearnError as err:
            self.errors = err.diagnostics()
        except Exception as err:
            self.errors = [Diagnostic("error", f"internal error, please report it: {err!r}\n"
                                      + traceback.format_exc())]
        return False

    def shown(self, diagnostic: Diagnostic) -> str:
        """``path:line:col: level: message`` with the path relative to the project."""
        return str(diagnostic.relative_to(self.root))

    # ------------------------------------------------------------------ serving

    def resolve(self, raw_path: str) -> Path | None:
        """The file a request path names inside the site, or None if it names anything outside it."""
        path = unquote(raw_path.split("?")[0])
        if "\x00" in path or "\\" in path or not path.startswith("/"):
            return None
        parts = [p for p in path.split("/") if p]
        if any(p in ("..", ".") for p in parts):
            return None
        site = self.out.resolve()
        target = site.joinpath(*parts) if parts else site
        try:
            target.resolve().relative_to(site)
        except (ValueError, OSError):
            return None
        return target

    def decorate(self, page: bytes, port: int) -> bytes:
        """Add the reload script (and the error overlay) to a served page."""
        extra = self.overlay() + (f'<script src="/livereload.js?port={port}"></script>\n').encode()
        at = page.rfind(b"</body>")
        return page[:at] + extra + page[at:] if at >= 0 else page + extra

    def overlay(self) -> bytes:
        if not self.errors:
            return b""
        lines = "\n".join(html.escape(self.shown(d), quote=False) for d in self.errors)
        # Author-facing, like the command line's messages: English, left-to-right whatever the page.
        return (
            '<div id="microlearn-error" role="alert" lang="en" dir="ltr" style="position:fixed;'
            "inset-block-start:0;inset-inline:0;z-index:2147483647;max-block-size:100vh;overflow:auto;"
            "background:#fff;color:#8b0000;border-block-end:4px solid #8b0000;padding:1em 1.5em;"
            'font:16px/1.5 system-ui,sans-serif;text-align:start">'
            "<p style=\"margin:0;margin-block-end:.5em;font-weight:bold\">The last change could not be built. "
            "Fix it and save; this page reloads by itself.</p>"
            f'<pre style="margin:0;white-space:pre-wrap;font:15px/1.5 monospace;color:#1a1a1a">{lines}</pre>'
            "</div>\n"
        ).encode()

    def error_page(self, port: int) -> bytes:
        page = (b'<!DOCTYPE html>\n<html lang="en" dir="ltr"><head><meta charset="utf-8">'
                b"<title>microlearn preview</title></head><body></body></html>\n")
        return self.decorate(page, port)


def _make_app(preview: Preview, port: int, host: str = "127.0.0.1"):  # noqa: C901 - the handlers are closures over preview
    from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
    from tornado import web

    def refuse_other_hosts(handler: web.RequestHandler) -> bool:
        if allowed_host(handler.request.host or "", host, port):
            return False
        handler.set_status(403)
        handler.set_header("Content-Type", "text/plain; charset=utf-8")
        handler.finish("refused: this preview answers only to its own address (Host "
                       f"127.0.0.1:{port} or localhost:{port})\n")
        return True

    class ReloadHandler(LiveReloadHandler):
        def prepare(self):
            refuse_other_hosts(self)

        def check_origin(self, origin: str) -> bool:
            """Only pages of this preview may listen for reloads: no other site's page."""
            try:
                parts = urlsplit(origin)
            except ValueError:
                return False
            return parts.scheme in ("http", "https") and allowed_host(parts.netloc, host, port)

    class ScriptHandler(LiveReloadJSHandler):
        def prepare(self):
            refuse_other_hosts(self)

    class SiteHandler(web.RequestHandler):
        def set_default_headers(self) -> None:
            self.set_header("Cache-Control", "no-store")
            self.set_header("X-Content-Type-Options", "nosniff")

        def prepare(self):
            refuse_other_hosts(self)

        def head(self) -> None:
            self.get()

        def get(self) -> None:
            target = preview.resolve(self.request.path)
            if target is None:
                self.set_status(403)
                self.finish("refused: this path is outside the site\n")
                return
            if target.is_dir():
                if not self.request.path.split("?")[0].endswith("/"):
                    # Built from the parts, never from the raw path: '//el' would send the browser to
                    # the host 'el' (a protocol-relative address).
                    parts = [p for p in unquote(self.request.path.split("?")[0]).split("/") if p]
                    self.redirect("/" + "".join(f"{quote(p)}/" for p in parts), permanent=False)
                    return
                target = target / "index.html"
            if not target.is_file():
                if preview.errors and target.suffix in ("", ".html"):  # a page, not an image or a script
                    # The overlay shows why, and the page reloads with the next good save. Only the
                    # site's own front page is an error of the server (no site could be built); any
                    # other missing page is not found, error or not.
                    site = preview.out.resolve()
                    front = target in (site, site / "index.html")
                    self.set_status(500 if front else 404)
                    self.set_header("Content-Type", "text/html; charset=utf-8")
                    self.finish(preview.error_page(port))
                    return
                self.set_status(404)
                self.finish("not found\n")
                return
            data = target.read_bytes()
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if kind == "text/html":
                data = preview.decorate(data, port)
            if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml"):
                kind += "; charset=utf-8"
            self.set_header("Content-Type", kind)
            self.finish(data)

    class _NoFileWatcher:
        filepath = None  # livereload's handler logs the watcher's last path; ours tells it directly

    LiveReloadHandler.watcher = _NoFileWatcher()
    LiveReloadHandler.live_css = True
    return web.Application([
        (r"/livereload", ReloadHandler),
        (r"/livereload\.js", ScriptHandler),
        (r"/.*", SiteHandler),
    ])


def reload_browsers(path: str = "*") -> None:
    from livereload.handlers import LiveReloadHandler

    LiveReloadHandler.reload_waiters(path)


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, console=None, out: Path | None = None) -> None:
    """Build the project and serve it until interrupted (Ctrl+C)."""
    if not 1 <= port <= 65535:
        raise MicrolearnError(f"--port {port} is not a port; give a number from 1 to 65535 (default 8000)")
    if not host.strip():
        raise MicrolearnError("--host is empty; give an address, e.g. 127.0.0.1 (this machine only)")
    load_config(root)  # no project here: say so and stop, rather than serve an error page
    say = console.info if console else print
    _stop_on_sigterm()
    own_folder = None
    if out is None:
        own_folder = Path(tempfile.mkdtemp(prefix="microlearn-serve-"))
        out = own_folder / "site"
    try:
        preview = Preview(root, out)
        started = time.perf_counter()
        preview.update()
        _report(preview, console, f"built the site in {time.perf_counter() - started:.1f} s")
        asyncio.run(_run(preview, host, port, console))
    except KeyboardInterrupt:
        say("stopped")
    finally:
        if own_folder is not None:
            shutil.rmtree(own_folder, ignore_errors=True)


async def _run(preview: Preview, host: str, port: int, console) -> None:
    app = _make_app(preview, port, host)
    try:
        app.listen(port, address=host)
    except OSError as err:
        raise MicrolearnError(f"cannot listen on {host}:{port}: {err.strerror or err}; choose another --port"
                              ) from None
    shown_host = f"[{host}]" if ":" in host else host
    say = console.info if console else print
    say(f"serving http://{shown_host}:{port}/ (Ctrl+C to stop); watching content/, locales/, themes/ and "
        f"{CONFIG_NAME}")
    if not is_loopback(host):
        (console.warn if console else print)(
            f"warning: {shown_host} is not this machine only: anyone who can reach it on the network can open "
            "the preview, drafts and error messages included; use --host 127.0.0.1 to keep it to this machine")
    last_change = time.monotonic()
    while True:
        await asyncio.sleep(POLL_SECONDS)
        try:
            last_change = _poll(preview, console, last_change)
        except Exception as err:
            (console.warn if console else print)(f"warning: could not look for changes this time: {err!r}")


def _poll(preview: Preview, console, last_change: float) -> float:
    """One look at the sources: rebuild what changed, or bring the zips up to date in a quiet moment.
    Returns the time of the last change."""
    changed = preview.changed_files()
    if not changed:
        if preview.stale_zips and time.monotonic() - last_change > QUIET_SECONDS:
            try:
                preview.refresh_zips()
            except (MicrolearnError, OSError) as err:
                (console.warn if console else print)(f"could not update the language zips: {err}")
        return last_change
    started = time.perf_counter()
    preview.update(changed)
    names = ", ".join(sorted(p.relative_to(preview.root).as_posix() for p in changed)[:3])
    _report(preview, console, f"{names}: rebuilt {len(preview.rebuilt)} file(s) in "
            f"{(time.perf_counter() - started) * 1000:.0f} ms", changed)
    reload_browsers()
    return time.monotonic()


def _report(preview: Preview, console, done: str, changed: set[Path] | None = None) -> None:
    """Errors, then the warnings of the files that changed (all of them after a full build)."""
    say = console.info if console else print
    if preview.errors:
        for diagnostic in preview.errors:
            (console.error if console else print)(preview.shown(diagnostic))
        say("the browser shows these errors until the next good save")
        return
    wanted = None if changed is None else {str(p) for p in changed}
    for warning in preview.warnings:
        if wanted is None or warning.path in wanted:
            (console.warn if console else print)(preview.shown(warning))
    say(done)


def _stop_on_sigterm() -> None:
    """Stop on SIGTERM as on Ctrl+C, so the temporary preview folder is removed either way."""

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
