"""Zip downloads: unpacked with the real unzip and opened in Chromium from file:// with the network blocked."""

from __future__ import annotations

import subprocess
import time
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from conftest import FIXTURES, build_handout_project, open_offline
from microlearn.project.config import load_config
from microlearn.render.renderer import Renderer

LANGS = ("el", "ru", "fa", "ar")
EPOCH = 1700000000  # the SOURCE_DATE_EPOCH of build_handout_project
BASE_URL = "https://training.example.org/microlearn/"  # the fixture project's base_url


def unzip(archive: Path, dest: Path) -> Path:
    subprocess.run(["unzip", "-q", str(archive), "-d", str(dest)], check=True)
    return dest


def local_links(page) -> list[str]:
    """Every link and source of the page but same-page anchors, data: and the lesson's online address."""
    links = page.eval_on_selector_all(
        "a[href], img[src], link[href][rel=stylesheet], script[src]",
        "es => es.map(e => e.href || e.src).filter(u => !u.startsWith('data:') && !u.includes('#'))")
    return [u for u in links if not u.startswith(BASE_URL)]


@pytest.mark.parametrize("lang", LANGS)
def test_a_zip_per_lesson_and_language_with_sorted_fixed_entries(handout_site, lang):
    archive = handout_site / lang / "shop-basics" / f"shop-basics-{lang}.zip"
    with zipfile.ZipFile(archive) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        assert zf.testzip() is None
    top = f"shop-basics-{lang}/"
    assert names == sorted(names)
    assert names == [top + "cycle.svg", top + "guide.html", top + "guide.pdf", top + "handout.epub",
                     top + "handout.html", top + "handout.pdf", top + "index.html"]
    assert {i.date_time for i in infos} == {time.gmtime(EPOCH)[:6]}
    with zipfile.ZipFile(handout_site / lang / f"microlearn-{lang}.zip") as zf:
        assert zf.namelist() == [f"microlearn-{lang}/index.html",
                                 *(f"microlearn-{lang}/shop-basics/{n[len(top):]}" for n in names)]


@pytest.mark.parametrize("lang", ["el", "fa"])
def test_the_unzipped_lesson_works_with_no_network(handout_site, tmp_path, page, lang):
    folder = unzip(handout_site / lang / "shop-basics" / f"shop-basics-{lang}.zip", tmp_path) / f"shop-basics-{lang}"
    deck = folder / "index.html"
    assert open_offline(page, deck, own_folder=True) == []
    assert page.evaluate("document.documentElement.classList.contains('js')"), "the inlined script ran"
    first = page.get_attribute(".slide.is-current", "id")
    page.keyboard.press("End")
    last = page.get_attribute(".slide.is-current", "id")
    assert first != last and page.locator(".slide--closing.is-current").count() == 1
    # Everything the deck and the handout link to is inside the unzipped folder.
    for target in local_links(page):
        path = Path(unquote(urlparse(target).path))
        assert target.startswith("file://") and path.is_relative_to(folder) and path.is_file(), target
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    assert open_offline(page, folder / "handout.html", own_folder=True) == []
    assert [u for u in requests if not u.startswith("data:")] == [(folder / "handout.html").as_uri()], \
        "the handout requests nothing but itself"
    assert page.eval_on_selector_all("img", "is => is.every(i => i.complete && i.naturalWidth > 0)")
    for target in local_links(page):
        path = Path(unquote(urlparse(target).path))
        assert path.is_relative_to(folder) and path.is_file(), target
    assert (folder / "handout.pdf").read_bytes() == (handout_site / lang / "shop-basics" / "handout.pdf").read_bytes()


def test_the_language_zip_opens_every_lesson_offline(handout_site, tmp_path, page):
    folder = unzip(handout_site / "ar" / "microlearn-ar.zip", tmp_path) / "microlearn-ar"
    decks = sorted(folder.glob("*/index.html"))
    assert [d.parent.name for d in decks] == ["shop-basics"]
    # The zip's first page lists the lessons and links only into the folder.
    assert open_offline(page, folder / "index.html", own_folder=True) == []
    assert page.get_attribute("html", "dir") == "rtl"
    links = local_links(page)
    assert (folder / "shop-basics" / "index.html").as_uri() in links
    for target in links:
        path = Path(unquote(urlparse(target).path))
        assert path.is_relative_to(folder) and path.is_file(), target
    for deck in decks:
        assert open_offline(page, deck, own_folder=True) == []
        page.keyboard.press("End")
        assert page.locator(".slide--closing.is-current").count() == 1


@pytest.mark.parametrize("lang", LANGS)
def test_downloads_are_linked_from_the_closing_slide_and_the_catalog(handout_site, page, lang):
    text = Renderer(load_config(FIXTURES / "handout-project")).text(lang)
    page.goto((handout_site / lang / "shop-basics" / "index.html").as_uri())
    link = page.locator(".slide--closing a[download]")
    assert link.get_attribute("href") == f"shop-basics-{lang}.zip"
    label = text.gettext("Download the materials")
    assert " ".join(link.text_content().split()) == label
    assert label != "Download the materials", f"{lang}: the label is translated"
    page.goto((handout_site / lang / "index.html").as_uri())
    hrefs = page.eval_on_selector_all("a[download]", "as => as.map(a => a.getAttribute('href'))")
    assert f"microlearn-{lang}.zip" in hrefs and f"shop-basics/shop-basics-{lang}.zip" in hrefs
    for href in hrefs:
        assert (handout_site / lang / href).is_file()


def test_two_builds_give_identical_zips_and_the_epoch_sets_their_dates(handout_site, tmp_path):
    again = build_handout_project(tmp_path / "again")
    zips = sorted(p.relative_to(handout_site) for p in handout_site.rglob("*.zip"))
    assert len(zips) == 16  # per language: its zip, the lesson's zip and its two SCORM packages
    for rel in zips:
        assert (again / rel).read_bytes() == (handout_site / rel).read_bytes(), rel
    later = build_handout_project(tmp_path / "later", epoch=str(EPOCH + 86400))
    for rel in ("fa/microlearn-fa.zip", "fa/shop-basics/shop-basics-fa-scorm12.zip",
                "fa/shop-basics/shop-basics-fa-scorm2004.zip"):
        with zipfile.ZipFile(later / rel) as zf:
            assert {i.date_time for i in zf.infolist()} == {time.gmtime(EPOCH + 86400)[:6]}, rel


def test_every_relative_link_in_a_zip_leads_to_a_file_of_the_zip(example_site):
    """A zip is opened from a USB stick without the site around it: no page of it may point at a file it
    does not hold (the other language versions' alternates, the catalog). Absolute addresses may stay."""
    import posixpath
    import re

    zips = sorted(example_site.glob("*/*/*.zip")) + sorted(example_site.glob("*/microlearn-*.zip"))
    zips = [z for z in zips if "-scorm" not in z.name]
    assert len(zips) == 14  # 10 lesson versions, 4 languages
    for archive in zips:
        with zipfile.ZipFile(archive) as zf:
            names = set(zf.namelist())
            for name in sorted(n for n in names if n.endswith(".html")):
                html = zf.read(name).decode("utf-8")
                for href in re.findall(r'(?:href|src)="([^"]*)"', html):
                    if not href or href.startswith(("#", "data:")) or urlparse(href).scheme:
                        continue
                    target = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(href.split("#")[0])))
                    assert target in names or target + "/index.html" in names, (archive.name, name, href)
