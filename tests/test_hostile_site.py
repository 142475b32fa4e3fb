"""Hostile input against what reaches the published site (issue 13; review hostile-input-2026-12):
the output folder (H1, M10), what is published as an image (H2), symbolic links out of the project (H3,
L15, L16), front matter checked like the body (M1, L6), what WeasyPrint may read (M15), the build cache
as untrusted input (M6, M7), cross-lesson links (M16) and the sitemap (M17).

The lesson cases are folders of tests/fixtures/mistakes/ with the exact messages the author sees beside
them (test_mistakes_spec.py runs them); here are real builds of real projects, and the CLI in a subprocess."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import PNG, make_project, run_cli, site_tree
from microlearn.errors import MicrolearnError
from microlearn.site.build import build

CONFIG = "languages:\n  el:\n    title: Δοκιμή\n"
GOOD = "---\ntitle: Δοκιμή\nobjectives:\n  - Να δοκιμάσουμε.\n---\n\n## Στάδιο {time=1m}\n\nΚείμενο.\n\n" \
       "::: notes\nΑφήγηση.\n:::\n"


def one_lesson_project(root: Path, lesson: str = GOOD, config: str = CONFIG) -> Path:
    """A one-lesson project: content/case/el.md."""
    return make_project(root, {"microlearn.yml": config, "content/case/el.md": lesson})


def quiet_build(root: Path, out: Path | None = None, **kw):
    return build(root, out, with_pdf=kw.pop("with_pdf", False), **kw)


def message(err: MicrolearnError, root: Path) -> str:
    return str(err).replace(f"{root.resolve()}/", "").replace(f"{root}/", "")


# ---------------------------------------------------------------- H1, M10: the output folder

def test_an_output_that_is_a_file_is_refused_and_the_file_kept(tmp_path):
    root = one_lesson_project(tmp_path / "p")
    config = (root / "microlearn.yml").read_bytes()
    result = run_cli(root, "build", "--no-pdf", "-o", "microlearn.yml")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: the output folder 'microlearn.yml' (-o) is a file, not a folder; the build would replace it: "
        "choose a new or empty folder",
        "build stopped; nothing was written"], result.stderr
    assert (root / "microlearn.yml").read_bytes() == config
    assert sorted(p.name for p in root.iterdir()) == ["content", "microlearn.yml"]


def test_output_dir_naming_a_tracked_file_is_refused(tmp_path):
    root = one_lesson_project(tmp_path / "p", config=CONFIG + "output_dir: .git/HEAD\n")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    with pytest.raises(MicrolearnError) as caught:
        quiet_build(root)
    assert message(caught.value, root) == (
        "the output folder '.git/HEAD' ('output_dir' in microlearn.yml) is a file, not a folder; "
        "the build would replace it: choose a new or empty folder")
    assert (root / ".git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/main\n"
    assert sorted(p.name for p in (root / ".git").iterdir()) == ["HEAD"]


def test_a_file_outside_the_project_is_never_replaced(tmp_path):
    root = one_lesson_project(tmp_path / "p")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    for _ in range(2):  # today the second build even succeeds
        with pytest.raises(MicrolearnError):
            quiet_build(root, victim)
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p", "victim.txt"]


def test_a_hand_made_website_is_not_a_site_microlearn_built(tmp_path):
    root = one_lesson_project(tmp_path / "p")
    website = tmp_path / "mywebsite"
    (website / "assets").mkdir(parents=True)
    (website / "photos").mkdir()
    (website / "index.html").write_text("<!doctype html><title>me</title>", encoding="utf-8")
    (website / "thesis.pdf").write_bytes(b"%PDF years of work")
    (website / "photos" / "kid.jpg").write_bytes(b"\xff\xd8\xff")
    before = site_tree(website)
    result = run_cli(root, "build", "--no-pdf", "-o", str(website))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: the output folder exists and is not a site microlearn built: '{website}' (-o) has no "
        ".microlearn-site file; choose a new or empty folder (the build replaces the whole folder). If it is "
        "a site an older microlearn built, delete it and build again",
        "build stopped; nothing was written"], result.stderr
    assert site_tree(website) == before


def test_the_cache_folder_is_not_an_output_folder(tmp_path):
    root = one_lesson_project(tmp_path / "p")
    with pytest.raises(MicrolearnError) as caught:
        quiet_build(root, root / ".microlearn-cache")
    assert message(caught.value, root) == (
        "the output folder '.microlearn-cache' (-o) would overwrite the project's .microlearn-cache/; choose "
        "another folder, such as 'site'")
    assert not (root / ".microlearn-cache" / "index.html").exists()


def test_a_folder_holding_the_project_is_not_the_project_itself(tmp_path):
    root = one_lesson_project(tmp_path / "p")
    result = run_cli(root, "build", "--no-pdf", "-o", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: the output folder '{tmp_path}' (-o) contains the project; the build replaces the whole folder: "
        "choose a new one, such as 'site'",
        "build stopped; nothing was written"], result.stderr
    result = run_cli(root, "build", "--no-pdf", "-o", ".")
    assert result.stderr.splitlines()[0] == (
        "error: the output folder '.' (-o) is the project itself; the build replaces the whole folder: choose a "
        "new one, such as 'site'"), result.stderr


def test_every_site_carries_the_marker_and_is_replaced_by_the_next_build(tmp_path):
    root = one_lesson_project(tmp_path / "p")
    site = tmp_path / "site"
    quiet_build(root, site)
    assert (site / ".microlearn-site").read_bytes().startswith(b"This folder is a site built by microlearn.")
    (root / "content" / "case" / "el.md").write_text(GOOD.replace("Κείμενο.", "Άλλο κείμενο."), encoding="utf-8")
    quiet_build(root, site)
    assert "Άλλο κείμενο." in (site / "el" / "case" / "index.html").read_text(encoding="utf-8")


def test_a_site_of_an_older_version_is_replaced_when_the_cache_manifest_describes_it(tmp_path):
    """A site built before the marker existed: accepted when its files are exactly those the last
    build's manifest lists; a file added to it since makes it someone's folder again."""
    root = one_lesson_project(tmp_path / "p")
    site = tmp_path / "site"
    quiet_build(root, site)
    (site / ".microlearn-site").unlink()  # as an older microlearn left it
    manifest = next((root / ".microlearn-cache" / "sites").glob("*.json"))
    data = json.loads(manifest.read_text(encoding="utf-8"))
    del data["files"][".microlearn-site"]
    data["site"] = "older"
    manifest.write_text(json.dumps(data), encoding="utf-8")
    (site / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(MicrolearnError) as caught:
        quiet_build(root, site)
    assert "is not a site microlearn built" in caught.value.message
    (site / "notes.txt").unlink()
    quiet_build(root, site)
    assert (site / ".microlearn-site").is_file()


def test_a_failed_build_says_the_previous_site_is_unchanged_only_when_there_is_one(tmp_path):
    root = one_lesson_project(tmp_path / "p", lesson=GOOD.replace("Κείμενο.", "[x](javascript:alert(1))"))
    result = run_cli(root, "build", "--no-pdf")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "build stopped; nothing was written", result.stderr
    (root / "content" / "case" / "el.md").write_text(GOOD, encoding="utf-8")
    assert run_cli(root, "build", "--no-pdf").returncode == 0
    (root / "content" / "case" / "el.md").write_text(GOOD.replace("Κείμενο.", "[x](javascript:alert(1))"),
                                                     encoding="utf-8")
    result = run_cli(root, "build", "--no-pdf")
    assert result.stderr.splitlines()[-1] == "build stopped; the previous site is unchanged", result.stderr


# H2, M1, L6: the lesson cases (images that are not what they say, front matter checked like the body) are
# folders of tests/fixtures/mistakes/ with their messages, run by test_mistakes_spec.py.


# ---------------------------------------------------------------- H3, L16: no symbolic link out of the project

LINK_OUT = "links outside the project, to {target}; copy what it links to into the project instead"


def linked_out(tmp_path: Path, root: Path, link: str, target: Path) -> str:
    """What build says of a link ``link`` -> ``target`` (check says the same)."""
    from microlearn.lessons.check import check_sources

    link_path = root / link
    link_path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, link_path)
    with pytest.raises(MicrolearnError) as caught:
        quiet_build(root, tmp_path / "site")
    assert not (tmp_path / "site").exists()
    found = message(caught.value, root)
    assert [d.message for d in check_sources(root) if d.level == "error"] == [caught.value.message]
    return found


def test_a_theme_static_file_linking_to_the_environment_is_refused(tmp_path):
    root = one_lesson_project(tmp_path / "p")
    os.environ["MICROLEARN_TEST_DEPLOY_TOKEN"] = "ghp_example_secret"
    try:
        found = linked_out(tmp_path, root, "themes/default/static/build-info.txt", Path("/proc/self/environ"))
    finally:
        del os.environ["MICROLEARN_TEST_DEPLOY_TOKEN"]
    assert found.startswith("themes/default/static/build-info.txt: this theme file or folder links outside the "
                            "project, to /proc/"), found


def test_a_theme_template_linking_out_is_refused(tmp_path):
    root = one_lesson_project(tmp_path / "p")
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    assert linked_out(tmp_path, root, "themes/default/templates/_outdated.html", secret) == (
        "themes/default/templates/_outdated.html: this theme file or folder " + LINK_OUT.format(target=secret))


@pytest.mark.parametrize("link", ["themes/default", "themes"])
def test_a_theme_folder_linking_out_is_refused(tmp_path, link):
    root = one_lesson_project(tmp_path / "p")
    outside = tmp_path / "outside"
    (outside / "default" / "static").mkdir(parents=True)
    (outside / "default" / "static" / "x.txt").write_text("x", encoding="utf-8")
    target = outside / "default" if link == "themes/default" else outside
    assert linked_out(tmp_path, root, link, target) == (
        f"{link}: this theme file or folder " + LINK_OUT.format(target=target))


def test_a_catalog_folder_linking_out_is_refused(tmp_path):
    root = one_lesson_project(tmp_path / "p")
    outside = tmp_path / "outside"
    (outside / "el" / "LC_MESSAGES").mkdir(parents=True)
    (outside / "el" / "LC_MESSAGES" / "messages.po").write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    assert linked_out(tmp_path, root, "locales", outside) == (
        "locales: this catalog file or folder " + LINK_OUT.format(target=outside))


def test_the_content_folder_linking_out_is_refused(tmp_path):
    root = one_lesson_project(tmp_path / "p")
    shutil.move(root / "content", tmp_path / "elsewhere")
    assert linked_out(tmp_path, root, "content", tmp_path / "elsewhere") == (
        "content: the 'content/' folder links outside the project; lessons must be inside the project: copy them in")


def test_links_inside_the_project_are_followed(tmp_path):
    root = one_lesson_project(tmp_path / "p")
    (root / "shared").mkdir()
    (root / "shared" / "extra.css").write_text("p { color: black }", encoding="utf-8")
    (root / "themes" / "default" / "static").mkdir(parents=True)
    os.symlink(root / "shared" / "extra.css", root / "themes" / "default" / "static" / "extra.css")
    folder = root / "content" / "case"
    (folder / "real.png").write_bytes(PNG)
    os.symlink("real.png", folder / "alias.png")
    # an SVG that only draws, a raster picture embedded in it as Inkscape does, is published as it is
    drawing = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><a href="#c">'
               b'<circle id="c" r="4" style="fill: url(#g)"/></a><image xlink:href="data:image/png;base64,iVBORw0K"'
               b' width="2" height="2"/></svg>')
    (folder / "drawing.svg").write_bytes(drawing)
    (folder / "el.md").write_text(GOOD.replace("Κείμενο.", "![εικόνα](alias.png) ![σχέδιο](drawing.svg)"),
                                  encoding="utf-8")
    quiet_build(root, tmp_path / "site")
    assert (tmp_path / "site" / "assets" / "extra.css").read_text(encoding="utf-8") == "p { color: black }"
    # L15: the deck asks for alias.png, so alias.png is what is published (and zipped)
    assert 'src="alias.png"' in (tmp_path / "site" / "el" / "case" / "index.html").read_text(encoding="utf-8")
    assert (tmp_path / "site" / "el" / "case" / "alias.png").read_bytes() == PNG
    assert (tmp_path / "site" / "el" / "case" / "drawing.svg").read_bytes() == drawing
    import zipfile

    with zipfile.ZipFile(tmp_path / "site" / "el" / "case" / "case-el.zip") as zf:
        assert zf.read("case-el/alias.png") == PNG


# ---------------------------------------------------------------- M15, M1: WeasyPrint reads nothing but data: URIs

@pytest.fixture
def http_hits():
    """A server on 127.0.0.1 that records every path asked of it: (base URL, list of paths)."""
    import http.server
    import threading

    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(PNG)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


@pytest.mark.pdf
def test_the_pdf_build_fetches_nothing_and_attaches_no_local_file(tmp_path, http_hits):
    pytest.importorskip("weasyprint")
    url, hits = http_hits
    secret = tmp_path / "secret.txt"
    secret.write_text("DEPLOY_TOKEN=ghp_example_secret\n", encoding="utf-8")
    lesson = GOOD.replace("  - Να δοκιμάσουμε.", f'  - \'Να δοκιμάσουμε <img src="{url}/objective.png" alt="o">\'').replace(
        "Κείμενο.",
        f'<a rel="attachment" href="file://{secret}">x</a> <a rel="attachment" href="file:///etc/passwd">p</a>\n\n'
        f'<img src="{url}/body.png" alt="b"> <img src="file://{tmp_path}/p/content/case/real.png" alt="r">\n\n'
        f'<link rel="stylesheet" href="{url}/style.css">')
    root = one_lesson_project(tmp_path / "p", lesson, config="raw_html: true\n" + CONFIG)
    (root / "content" / "case" / "real.png").write_bytes(PNG)
    site = quiet_build(root, tmp_path / "site", with_pdf=True).out
    assert hits == [], "the PDF build made a request"
    pdf = site / "el" / "case" / "handout.pdf"
    listing = subprocess.run(["pdfdetach", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert listing.splitlines()[0] == "0 embedded files", listing
    assert b"ghp_example_secret" not in pdf.read_bytes() and b"root:x:0:0" not in pdf.read_bytes()


# ---------------------------------------------------------------- M17: sitemap.xml and base_url

BASE_URL_RULE = ("base_url must be the address of the site's folder, such as https://example.org/courses/: no "
                 "spaces, quotes, '<', '>', '?' or '#'")


def unsafe(char: str) -> str:
    return f"base_url may not contain {char!r}; percent-encode it (a space is %20)"


@pytest.mark.parametrize("base_url, rule", [
    ("https://example.org/a?x=1&y=<b>/", unsafe("<")),
    ('"https://example.org/</loc><x:script xmlns:x=\\"http://www.w3.org/1999/xhtml\\">alert(1)</x:script><loc>"',
     unsafe("<")),
    ('"https://example.org/a b/"', unsafe(" ")),
    ("https://example.org/a?x=1&y=2/", BASE_URL_RULE),
    ("https://example.org/#top", BASE_URL_RULE)])
def test_a_base_url_that_is_not_a_folder_address_is_refused(tmp_path, base_url, rule):
    root = one_lesson_project(tmp_path / "p", config=CONFIG + f"base_url: {base_url}\n")
    with pytest.raises(MicrolearnError) as caught:
        quiet_build(root, tmp_path / "site")
    assert message(caught.value, root) == f"microlearn.yml:4:11: {rule}"


def test_the_sitemap_escapes_what_it_writes(tmp_path):
    import xml.etree.ElementTree as ET

    root = one_lesson_project(tmp_path / "p", config=CONFIG + "base_url: https://example.org/a&b/\n")
    site = quiet_build(root, tmp_path / "site").out
    sitemap = ET.fromstring((site / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    assert [loc.text for loc in sitemap.findall("s:url/s:loc", ns)] == [
        "https://example.org/a&b/el/case/", "https://example.org/a&b/el/case/handout.html",
        "https://example.org/a&b/", "https://example.org/a&b/el/"]


# ---------------------------------------------------------------- M7, M6: the cache is untrusted input

def example_project(tmp_path: Path) -> Path:
    from conftest import copy_project

    return copy_project(tmp_path / "example")


def site_without_cache(root: Path, tmp_path: Path) -> dict[str, bytes]:
    return site_tree(build(root, tmp_path / "clean", with_pdf=False, cache=False).out)


def test_every_lesson_the_build_cached_is_used_again(tmp_path):
    """The checks below must not turn the cache off: each entry the build wrote passes them."""
    from microlearn.project.config import load_config
    from microlearn.project.sources import find_lesson_files
    from microlearn.site.cache import BuildCache, Keys

    root = example_project(tmp_path)
    quiet_build(root, root / "site")
    config = load_config(root)
    files = find_lesson_files(config)
    keys = Keys(config, make_pdfs=False, epoch=315532800).lesson_files(files)
    store = BuildCache(root, root / "site")
    assert len(files) == 10
    assert [f.path.name for f in files if store.get_lesson(keys[f.path], f) is None] == []


def poisoned(tmp_path: Path, edit) -> tuple[Path, dict[str, bytes]]:
    """The example project built, its cached lessons edited by ``edit(text) -> text`` and the site
    deleted (so the pages are rendered from the cache), then built again; returns (site, clean site)."""
    root = example_project(tmp_path)
    quiet_build(root, root / "site")
    entries = sorted((root / ".microlearn-cache" / "lessons").glob("*.json"))
    assert entries
    for entry in entries:
        entry.write_text(edit(entry.read_text(encoding="utf-8")), encoding="utf-8")
    shutil.rmtree(root / "site")
    site = quiet_build(root, root / "site").out
    return site, site_without_cache(root, tmp_path)


def test_a_cached_title_cannot_inject_a_script(tmp_path):
    site, clean = poisoned(tmp_path, lambda text: text.replace('"title_html":"', '"title_html":"<script>alert(1)</script>'))
    assert site_tree(site) == clean


def test_a_cached_image_path_cannot_publish_a_file_from_outside(tmp_path):
    site, clean = poisoned(tmp_path, lambda text: re.sub(r'\{"__path__":"[^"]*\.(?:svg|png)"\}',
                                                         '{"__path__":"/etc/passwd"}', text))
    assert not list(site.rglob("passwd"))
    assert site_tree(site) == clean


@pytest.mark.parametrize("edit", [
    lambda text: "[" * 100_000 + "]" * 100_000,
    lambda text: text.replace('{"__dc__":"Stage"', 'null,{"__dc__":"Stage"', 1),
    lambda text: text.replace('"seconds":60', '"seconds":"60"', 1),
], ids=["nested-deep", "stage-null", "seconds-text"])
def test_a_malformed_cached_lesson_means_parsing_again(tmp_path, edit):
    site, clean = poisoned(tmp_path, edit)
    assert site_tree(site) == clean


@pytest.mark.parametrize("edit", [
    lambda data: None,
    lambda data: [],
    lambda data: {**data, "files": "x"},
    lambda data: {**data, "diagnostics": [[1]]},
], ids=["null", "list", "files-text", "diagnostic-short"])
def test_a_malformed_manifest_means_a_full_build(tmp_path, edit):
    root = example_project(tmp_path)
    quiet_build(root, root / "site")
    manifest = next((root / ".microlearn-cache" / "sites").glob("*.json"))
    manifest.write_text(json.dumps(edit(json.loads(manifest.read_text(encoding="utf-8")))), encoding="utf-8")
    site = quiet_build(root, root / "site").out
    assert site_tree(site) == site_without_cache(root, tmp_path)


# ---------------------------------------------------------------- M16: links between lessons

def test_links_to_other_lessons_lead_to_their_built_pages(tmp_path):
    import zipfile

    config = CONFIG + "  fa:\n    title: آزمایش\n"
    root = one_lesson_project(tmp_path / "p", GOOD.replace("Κείμενο.", "[Επόμενο](../next/el.md), "
                                                     "[στα περσικά](../next/fa.md#stage-01)."), config=config)
    for lang in ("el", "fa"):
        (root / "content" / "next").mkdir(exist_ok=True)
        (root / "content" / "next" / f"{lang}.md").write_text(GOOD, encoding="utf-8")
    site = quiet_build(root, tmp_path / "site").out
    for page in ("index.html", "handout.html"):
        html = (site / "el" / "case" / page).read_text(encoding="utf-8")
        assert '<a href="../next/index.html">Επόμενο</a>' in html
        assert '<a href="../../fa/next/index.html#stage-01">στα περσικά</a>' in html
        assert ".md" not in "".join(re.findall(r'href="([^"]*)"', html))
    assert (site / "el" / "next" / "index.html").is_file() and (site / "fa" / "next" / "index.html").is_file()
    with zipfile.ZipFile(site / "el" / "microlearn-el.zip") as zf:  # same language: inside the language zip too
        assert {"microlearn-el/case/index.html", "microlearn-el/next/index.html"} <= set(zf.namelist())


@pytest.mark.parametrize("link", ["[click](javascript:window.__xss=10)", "[b](vbscript:x)",
                                  "[c](data:text/html,<script>alert(1)</script>)"])
def test_refused_links_in_front_matter_stop_the_build(tmp_path, link):
    """They were shown as text (L6); the body's rule holds in the front matter too."""
    root = one_lesson_project(tmp_path / "p", GOOD.replace("  - Να δοκιμάσουμε.", "  - 'Να δοκιμάσουμε " + link + "'"))
    with pytest.raises(MicrolearnError) as caught:
        quiet_build(root, tmp_path / "site")
    assert message(caught.value, root) == (
        "content/case/el.md:4:5: a link to a javascript:, vbscript:, file: or data: address is refused; link to an "
        "http(s) address or a file beside the lesson")
