"""Shared fixtures: real projects in temporary folders, real builds, real Chromium."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MISTAKES = FIXTURES / "mistakes"
CHROMIUM = os.environ.get("MICROLEARN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


# A real 1x1 PNG, for lessons' pictures (and secret.png beside a mistake case's project).
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def run_cli(cwd: Path, *args: str, env: dict[str, str | None] | None = None, timeout: float = 300,
            **kw) -> subprocess.CompletedProcess:
    """``python -m microlearn *args`` in ``cwd``, its output as text. ``env`` changes this environment:
    a name mapped to None is left out."""
    environment = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "microlearn", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, check=False,
                          env={k: v for k, v in environment.items() if v is not None}, **kw)


def make_project(root: Path, files: dict[str, str | bytes]) -> Path:
    """A project in ``root``: each path (relative to root) written with its text (UTF-8) or bytes."""
    for relpath, data in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return root


def site_tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative POSIX path -> bytes), in order."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def copy_project(dest: Path, content: bool = True) -> Path:
    """A copy of the example project (config, its logos and lessons; theme and catalogs are built in)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "microlearn.yml", dest / "microlearn.yml")
    shutil.copytree(REPO / "brand", dest / "brand", dirs_exist_ok=True)
    if content:
        shutil.copytree(REPO / "content", dest / "content")
    return dest


def need(module: str):
    """``module`` from the test extras (Playwright, pypdf): without them the tests that use it are skipped,
    so the rest still collects and runs; in CI, where the extras must be installed, a missing one fails."""
    if os.environ.get("CI"):
        return importlib.import_module(module)
    return pytest.importorskip(module)


# Markers for the fast lane (pytest -m "not browser and not pdf and not slow"): a test that uses these
# fixtures, directly or through another fixture, is marked so here; tests that build PDFs or are slow in
# their own way are marked in their modules.
BROWSER_FIXTURES = {"browser", "context", "page"}
PDF_FIXTURES = {"example_site", "handout_site"}


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if used & PDF_FIXTURES:
            item.add_marker(pytest.mark.pdf)


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The example project built once (with PDFs) into a temporary folder; returns the site folder."""
    from microlearn.site.build import build

    project = copy_project(tmp_path_factory.mktemp("example"))
    result = build(project, project / "site")
    return result.out


@pytest.fixture(scope="session")
def deck_site(tmp_path_factory) -> Path:
    """tests/fixtures/deck (one lesson, 'pacing', in el and fa; 12 slides) built without PDFs."""
    from microlearn.site.build import build

    project = tmp_path_factory.mktemp("deck") / "project"
    shutil.copytree(FIXTURES / "deck", project)
    return build(project, project / "site", with_pdf=False).out


def build_handout_project(dest: Path, epoch: str = "1700000000") -> Path:
    """tests/fixtures/handout-project (lesson 'shop-basics' in el, ru, fa, ar; base_url set) built with
    PDFs at SOURCE_DATE_EPOCH=epoch into dest/site; returns the site folder."""
    from microlearn.site.build import build

    project = dest / "project"
    shutil.copytree(FIXTURES / "handout-project", project)
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", epoch)
    try:
        return build(project, dest / "site").out
    finally:
        mp.undo()


@pytest.fixture(scope="session")
def handout_site(tmp_path_factory) -> Path:
    return build_handout_project(tmp_path_factory.mktemp("handout"))


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright. Missing Chromium fails in CI and skips elsewhere."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; scripts/setup test installs it")
        pytest.skip(f"Chromium not found at {CHROMIUM}; run scripts/setup test")
    sync_playwright = need("playwright.sync_api").sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


def block_network(page, seen: list[str]) -> None:
    """Fail every request that is not a local file, and record it."""

    def handle(route):
        url = route.request.url
        if url.startswith(("file://", "data:", "blob:", "about:")):
            route.continue_()
        else:
            seen.append(url)
            route.abort()

    page.route("**/*", handle)


def load_offline(page, path: Path) -> tuple[list[str], list[str]]:
    """Open a local file with the network blocked; return (blocked requests, every request made)."""
    requests: list[str] = []
    blocked: list[str] = []
    block_network(page, blocked)
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return blocked, requests


def open_offline(page, path: Path, *, own_folder: bool = False) -> list[str]:
    """Open a local file with the network blocked; return what it requested beyond itself and data: URIs,
    blocked requests first. With ``own_folder``, only what is not a file: in the page's own folder counts."""
    blocked, requests = load_offline(page, path)
    if own_folder:
        return blocked + [u for u in requests if u.startswith("file:")
                          and not (Path(unquote(urlparse(u).path)).is_relative_to(path.parent)
                                   and Path(unquote(urlparse(u).path)).is_file())]
    return blocked + [u for u in requests if u != path.as_uri() and not u.startswith("data:")]


def strings(page) -> dict:
    """The interface strings a deck carries in its #ml-data."""
    return json.loads(page.locator("#ml-data").text_content())["strings"]


@pytest.fixture(scope="session")
def handout_lessons():
    """The lesson 'shop-basics' of tests/fixtures/handout-project, in el, ru, fa and ar (lang -> Lesson)."""
    from microlearn.lessons.project import load_project

    return load_project(FIXTURES / "handout-project").lessons["shop-basics"]


# ---------------------------------------------------------------- author mistakes (test_mistakes_spec.py)

MISTAKE_CONFIG = "languages:\n  el:\n    title: Δοκιμή\n  fa:\n    title: آزمایش\n"


def mistake_cases() -> list[Path]:
    """The case folders of tests/fixtures/mistakes/, by name."""
    return sorted(p for p in MISTAKES.iterdir() if p.is_dir())


def lay_out_case(case: Path, dest: Path) -> Path:
    """The case's project in dest/project (with the default microlearn.yml when it has none), and
    dest/secret.png outside it; returns the project folder."""
    root = dest / "project"
    shutil.copytree(case, root, symlinks=True, ignore=shutil.ignore_patterns("expected.txt"))
    if not (root / "microlearn.yml").exists():
        (root / "microlearn.yml").write_text(MISTAKE_CONFIG, encoding="utf-8")
    (dest / "secret.png").write_bytes(PNG)
    return root


def read_expected(case: Path) -> tuple[list[str], list[str]]:
    """The case's expected.txt as (the check lines, the build lines), without their 'check: '/'build: '."""
    said: dict[str, list[str]] = {"check": [], "build": []}
    for number, line in enumerate((case / "expected.txt").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        command, sep, text = line.partition(": ")
        assert sep and command in said, f"{case.name}/expected.txt:{number}: start with 'check: ' or 'build: '"
        said[command].append(text)
    return said["check"], said["build"]


def relative_to_project(text: str, root: Path) -> str:
    return text.replace(f"{root.resolve()}/", "").replace(f"{root}/", "")


def what_microlearn_says(root: Path, out: Path) -> tuple[list[str], list[str], bool]:
    """What ``check`` reports of the project (``[code] path:line:col: level: message``) and what ``build``
    into ``out`` says (its error, or its warnings but those of missing interface strings); and whether the
    build stopped."""
    from microlearn.errors import MicrolearnError
    from microlearn.lessons.check import check_sources
    from microlearn.site.build import build

    check = [f"[{d.code}] {relative_to_project(str(d), root)}" for d in check_sources(root)]
    try:
        result = build(root, out, with_pdf=False)
    except MicrolearnError as err:
        return check, [relative_to_project(str(err), root)], True
    warnings = [relative_to_project(str(w), root) for w in result.warnings if w.code != "missing-translation"]
    return check, warnings, False
