"""Shared fixtures: real projects in temporary folders, real builds, real Chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = os.environ.get("MICROLEARN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def copy_project(dest: Path, content: bool = True) -> Path:
    """A copy of the example project (config and lessons; theme and catalogs are built in)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "microlearn.yml", dest / "microlearn.yml")
    if content:
        shutil.copytree(REPO / "content", dest / "content")
    return dest


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
    from playwright.sync_api import sync_playwright

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
