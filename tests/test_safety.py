"""Hostile input: path escapes, ids and codes, markup from catalogs. The corpus of bad lessons, configs and
catalogs is in tests/fixtures/mistakes/, each case with the exact messages the author sees beside it
(test_mistakes_spec.py runs them).

Where each rule is enforced: decoding in parse.read_source, YAML in yamldoc.load, front matter types and
sizes in parse._text_field/_list_field, refused addresses in markdown._validate_link and
parse._collect_refs, image paths in parse.resolve_inside, lesson ids and file languages in
content.find_lesson_files, language codes and config paths in config.load_config, output paths in
output.safe_relpath."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import MISTAKES, lay_out_case, make_project, run_cli
from microlearn.errors import MicrolearnError
from microlearn.files import safe_relpath
from microlearn.site.build import build
from microlearn.site.writer import SiteWriter

CONFIG = "languages:\n  el:\n    title: Δοκιμή\n"
GOOD = "---\ntitle: Δοκιμή\nobjectives:\n  - Να δοκιμάσουμε.\n---\n\n## Στάδιο {time=1m}\n\nΚείμενο.\n\n" \
       "::: notes\nΑφήγηση.\n:::\n"
LESSON = "content/case/el.md"
REFUSED_LINK = ("a link to a javascript:, vbscript:, file: or data: address is refused; link to an http(s) "
                "address or a file beside the lesson")


def one_lesson_project(root: Path) -> Path:
    """A one-lesson project: content/case/el.md in Greek."""
    return make_project(root, {"microlearn.yml": CONFIG, LESSON: GOOD})


def relative_message(err: MicrolearnError, root: Path) -> str:
    return str(err).replace(f"{root.resolve()}/", "").replace(f"{root}/", "")


@pytest.mark.parametrize("case", ["catalog-bad-placeholder", "catalog-broken-syntax", "catalog-script-injection"])
def test_markup_in_a_catalog_never_reaches_a_page(tmp_path, case):
    """Catalogs from volunteer translators (their messages: tests/fixtures/mistakes/<case>/expected.txt)."""
    root = lay_out_case(MISTAKES / case, tmp_path)
    try:
        build(root, tmp_path / "site", with_pdf=False)
    except MicrolearnError:
        assert case == "catalog-broken-syntax", "only a catalog that cannot be read stops the build"
        return
    for page in (tmp_path / "site").rglob("*.html"):
        # Inside <script type="application/json"> the text is data ('</' escaped), read by textContent.
        text = re.sub(r'<script type="application/json"[^>]*>.*?</script>', "", page.read_text(encoding="utf-8"),
                      flags=re.DOTALL)
        assert "<script>window.__pwned" not in text, f"{page}: a catalog injected markup"
    if case == "catalog-script-injection":
        deck = (tmp_path / "site" / "el" / "case" / "index.html").read_text(encoding="utf-8")
        assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in deck, "shown as text"


def test_the_cli_prints_the_message_without_a_traceback(tmp_path):
    root = lay_out_case(MISTAKES / "link-javascript", tmp_path)
    result = run_cli(root, "build", "--no-pdf", "-o", str(tmp_path / "s"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{LESSON}:9" in result.stderr and REFUSED_LINK in result.stderr, result.stderr


# ---------------------------------------------------------------- lesson ids and language codes

@pytest.mark.parametrize("folder", ["Capital", "with space", "-dash-first", "ἀλφα", "a" * 65, "a\u202eb",
                                    "semi;colon", "dot.dot"])
def test_lesson_ids_are_validated(tmp_path, folder):
    root = one_lesson_project(tmp_path / "project")
    shutil.copytree(root / "content" / "case", root / "content" / folder)
    with pytest.raises(MicrolearnError) as caught:
        build(root, tmp_path / "site", with_pdf=False)
    assert relative_message(caught.value, root) == (
        f"content/{folder}: a lesson folder's name is its id: lowercase letters, digits, '-' and '_' (at most "
        "64), starting with a letter or digit; rename the folder")


@pytest.mark.parametrize("name", ["xx.md", "EL.md", "el-..md", "..md"])
def test_lesson_files_must_be_a_configured_language(tmp_path, name):
    root = one_lesson_project(tmp_path / "project")
    (root / "content" / "case" / name).write_text(GOOD, encoding="utf-8")
    with pytest.raises(MicrolearnError) as caught:
        build(root, tmp_path / "site", with_pdf=False)
    stem = name[:-3]
    assert relative_message(caught.value, root) == (
        f"content/case/{name}:1: '{name}' is not a configured language (el); name the file <lang>.md or add "
        f"'{stem}' under 'languages' in microlearn.yml")


def test_a_lesson_folder_linking_out_of_the_project_is_refused(tmp_path):
    root = one_lesson_project(tmp_path / "project")
    outside = tmp_path / "elsewhere"
    shutil.copytree(root / "content" / "case", outside)
    os.symlink(outside, root / "content" / "linked")
    with pytest.raises(MicrolearnError) as caught:
        build(root, tmp_path / "site", with_pdf=False)
    assert relative_message(caught.value, root) == "content/linked: this lesson folder links outside the project"


def test_a_lesson_file_linking_out_of_the_project_is_refused(tmp_path):
    root = one_lesson_project(tmp_path / "project")
    (root / "microlearn.yml").write_text(CONFIG + "  fa:\n    title: آزمایش\n", encoding="utf-8")
    outside = tmp_path / "outside.md"
    outside.write_text(GOOD, encoding="utf-8")
    os.symlink(outside, root / "content" / "case" / "fa.md")
    with pytest.raises(MicrolearnError) as caught:
        build(root, tmp_path / "site", with_pdf=False)
    assert relative_message(caught.value, root) == "content/case/fa.md: this lesson file links outside the project"


# ---------------------------------------------------------------- output stays in the output folder

@pytest.mark.parametrize("relpath", ["../escape.html", "a/../../escape.html", "/etc/passwd", "a\\..\\b", "",
                                     "a/\x00b"])
def test_no_file_is_written_outside_the_output_folder(tmp_path, relpath):
    with pytest.raises(MicrolearnError):
        safe_relpath(relpath)
    previous = tmp_path / "site"
    previous.mkdir()
    (previous / "keep.html").write_text("old", encoding="utf-8")
    with pytest.raises(MicrolearnError), SiteWriter(previous) as writer:
        writer.write("index.html", b"new")
        writer.write(relpath, b"x")
        writer.commit()
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["keep.html", "site"], "nothing written anywhere"
    assert (previous / "keep.html").read_text(encoding="utf-8") == "old"


@pytest.mark.parametrize("out", [".", "..", "content"])
def test_the_output_folder_cannot_replace_the_project(tmp_path, out):
    root = one_lesson_project(tmp_path / "project")
    with pytest.raises(MicrolearnError):
        build(root, root / out, with_pdf=False)
    assert (root / "content" / "case" / "el.md").read_text(encoding="utf-8") == GOOD


def test_a_folder_that_is_not_a_site_is_never_replaced(tmp_path):
    root = one_lesson_project(tmp_path / "project")
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "thesis.odt").write_bytes(b"years of work")
    with pytest.raises(MicrolearnError) as caught:
        build(root, documents, with_pdf=False)
    assert caught.value.message.startswith("the output folder exists and is not a site microlearn built")
    assert [p.name for p in documents.iterdir()] == ["thesis.odt"]
    build(root, tmp_path / "site", with_pdf=False)
    build(root, tmp_path / "site", with_pdf=False)  # a previous site is replaced


def test_every_written_path_lies_inside_the_output_folder(tmp_path):
    root = one_lesson_project(tmp_path / "project")
    result = build(root, tmp_path / "site", with_pdf=False)
    site = result.out.resolve()
    for relpath in result.files:
        assert (site / relpath).resolve().is_relative_to(site)
    assert {p.name for p in tmp_path.iterdir()} == {"project", "site"}


def test_bidi_controls_in_titles_stay_out_of_ids_and_file_names(tmp_path):
    root = one_lesson_project(tmp_path / "project")
    (root / "content" / "case" / "el.md").write_text(
        GOOD.replace("title: Δοκιμή", "title: \u202eΔοκιμή\u2066").replace("## Στάδιο", "## \u202eΣτάδιο\u200f"),
        encoding="utf-8")
    result = build(root, tmp_path / "site", with_pdf=False)
    controls = "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    for relpath in result.files:
        assert not any(c in relpath for c in controls), relpath
    deck = result.files["el/case/index.html"].decode("utf-8")
    for ident in re.findall(r'\sid="([^"]*)"', deck):
        assert not any(c in ident for c in controls), ident


def test_raw_html_is_shown_as_text_unless_the_project_opts_in(tmp_path):
    root = one_lesson_project(tmp_path / "project")
    (root / "content" / "case" / "el.md").write_text(GOOD.replace("Κείμενο.", "Κείμενο <b>έντονο</b>."),
                                                     encoding="utf-8")
    result = build(root, tmp_path / "site", with_pdf=False)
    deck = (tmp_path / "site" / "el" / "case" / "index.html").read_text(encoding="utf-8")
    assert "Κείμενο &lt;b&gt;έντονο&lt;/b&gt;." in deck
    assert [str(w).replace(f"{root.resolve()}/", "") for w in result.warnings if w.code == "raw-html"] == [
        ("content/case/el.md:9:1: warning: raw HTML is shown as text; set 'raw_html: true' in microlearn.yml to "
         "allow it")]
    (root / "microlearn.yml").write_text("raw_html: true\n" + CONFIG, encoding="utf-8")
    result = build(root, tmp_path / "site", with_pdf=False)
    assert "Κείμενο <b>έντονο</b>." in (tmp_path / "site" / "el" / "case" / "index.html").read_text(encoding="utf-8")
    assert not any(w.code == "raw-html" for w in result.warnings)
