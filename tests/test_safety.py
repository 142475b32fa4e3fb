"""Hostile input: a corpus of bad lessons, configs and catalogs, one file per case under
tests/fixtures/hostile/, each with the exact message the author sees; path escapes; ids and codes.

Where each rule is enforced: decoding in parse.read_source, YAML in yamldoc.load, front matter types and
sizes in parse._text_field/_list_field, refused addresses in markdown._validate_link and
parse._collect_refs, image paths in parse.resolve_inside, lesson ids and file languages in
content.find_lesson_files, language codes and config paths in config.load_config, output paths in
output.safe_relpath."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from microlearn.errors import MicrolearnError
from microlearn.files import safe_relpath
from microlearn.site.build import build
from microlearn.site.writer import SiteWriter

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
CONFIG = "languages:\n  el:\n    title: Δοκιμή\n"
GOOD = "---\ntitle: Δοκιμή\nobjectives:\n  - Να δοκιμάσουμε.\n---\n\n## Στάδιο {time=1m}\n\nΚείμενο.\n\n" \
       "::: notes\nΑφήγηση.\n:::\n"
LESSON = "content/case/el.md"
REFUSED_LINK = ("a link to a javascript:, vbscript:, file: or data: address is refused; link to an http(s) "
                "address or a file beside the lesson")
REFUSED_IMAGE = ("an image from a javascript:, vbscript:, file: or non-raster data: address is refused; use an "
                 "image file beside the lesson")
RESERVED = ("is an id the pages use themselves (the reserved ids are announcer, deck, discussion, follow-up, intro, "
            "microlearn-error, ml-data, timing, top and those starting with h-, slide-, stage-); choose another")
YAML_HINT = "check indentation, and quote text that contains ': ' or starts with a special character"

# case file -> what `microlearn build` prints (path relative to the project).
EXPECTED = {
    "front-matter-missing.md": f"{LESSON}:1:1: a lesson starts with front matter: a line '---', then 'title:' and "
                               "'objectives:', then '---'",
    "front-matter-unclosed.md": f"{LESSON}:6:1: the front matter is not closed before this stage: add a line '---' after the front matter",
    "heading-level-one.md": f"{LESSON}:7: '# ' headings are not used in lessons: the title comes from the front "
                            "matter; start each stage with '## '",
    "heading-setext-by-accident.md": f"{LESSON}:10: a line of '---' directly under text makes that text a "
                                     "heading; leave a blank line before '---' to continue the stage on a new slide",
    "image-absolute-path.md": f"{LESSON}:9: image '/etc/passwd' must be a path relative to the lesson folder",
    "image-data-svg.md": f"{LESSON}:9: {REFUSED_IMAGE}",
    "image-in-subfolder.md": f"{LESSON}:9: image 'sub/pic.png' must sit directly in the lesson folder",
    "image-javascript.md": f"{LESSON}:9: {REFUSED_IMAGE}",
    "image-missing.md": f"{LESSON}:9: image 'nowhere.png' not found in case/; check the file name",
    "image-network-url.md": f"{LESSON}:9: image 'https://example.org/tracker.png' is not a file beside the "
                            "lesson; copy it into case/ (lessons make no network request)",
    "image-parent-dir.md": f"{LESSON}:9: image '../../secret.png' lies outside the lesson folder; keep it "
                           "beside the lesson",
    "image-percent-encoded-parent-dir.md": f"{LESSON}:9: image '%2e%2e/%2e%2e/secret.png' lies outside the "
                                           "lesson folder; keep it beside the lesson",
    "image-symlink-out-of-project.md": f"{LESSON}:9: image 'escape.png' lies outside the lesson folder; keep "
                                       "it beside the lesson",
    "invalid-utf8.md": f"{LESSON}:9: not valid UTF-8 at byte offset 116; save the file as UTF-8",
    "utf16-file.md": f"{LESSON}:1: not valid UTF-8 at byte offset 0; save the file as UTF-8",
    "nul-character.md": f"{LESSON}:9: the file contains a NUL character; is it really a text file?",
    "noncharacter-spoofed-mark.md": f"{LESSON}:9: the file contains the Unicode noncharacter U+FDD0, which is "
                                    "for programs' internal use; delete it",
    "link-data-html.md": f"{LESSON}:9: {REFUSED_LINK}",
    "link-file-url.md": f"{LESSON}:9: {REFUSED_LINK}",
    "link-javascript.md": f"{LESSON}:9: {REFUSED_LINK}",
    "link-javascript-angle-brackets.md": f"{LESSON}:9: {REFUSED_LINK}",
    "link-javascript-autolink.md": f"{LESSON}:9: {REFUSED_LINK}",
    "link-javascript-entity-encoded.md": f"{LESSON}:9: {REFUSED_LINK}",
    "link-javascript-reference.md": f"{LESSON}:11: {REFUSED_LINK}",
    "link-javascript-uppercase-spaced.md": f"{LESSON}:9: {REFUSED_LINK}",
    "link-vbscript.md": f"{LESSON}:9: {REFUSED_LINK}",
    "no-stages.md": f"{LESSON}:6: the lesson has no stages: start each stage with a '## Heading' line",
    "stage-heading-only-bidi-controls.md": f"{LESSON}:7: a stage heading has no title",
    "stage-id-bidi-control.md": f"{LESSON}:7:20: '#a\u202eb' is not a usable id: letters, digits, '-' and '_', "
                                "starting with a letter",
    "stage-id-path-traversal.md": f"{LESSON}:7:20: '#../../etc' is not a usable id: letters, digits, '-' and '_', "
                                  "starting with a letter",
    "translation-of-itself.md": f"{LESSON}:5:17: 'translation_of' names this file's own language (el)",
    "translation-of-path.md": f"{LESSON}:5:17: 'translation_of' must be a language code such as 'el'",
    "yaml-alias-bomb.md": f"{LESSON}:5:4: every item of 'objectives' must be text, not a list",
    "yaml-broken-indentation.md": f"{LESSON}:5:2: invalid YAML: expected <block end>, but found "
                                  f"'<block sequence start>'; {YAML_HINT}",
    "yaml-duplicate-key.md": f"{LESSON}:3:1: duplicate key 'title' (first at line 2); keep only one",
    "yaml-non-text-key.md": f"{LESSON}:3:1: keys must be text, not bool True",
    "yaml-objectives-is-a-mapping.md": f"{LESSON}:4:3: 'objectives' must be a list of texts, not a mapping",
    "yaml-python-tag.md": f"{LESSON}:2:8: invalid YAML: could not determine a constructor for the tag "
                          f"'tag:yaml.org,2002:python/object/apply:os.system'; {YAML_HINT}",
    "yaml-title-is-a-list.md": f"{LESSON}:2:8: 'title' must be text, not a list",
    "yaml-title-too-long.md": f"{LESSON}:2:8: 'title' is 5,001 characters; the limit is 5,000",
    "yaml-too-many-objectives.md": f"{LESSON}:4:3: 'objectives' has 101 items; the limit is 100",
    "yaml-list-item-with-colon.md": f"{LESSON}:12:3: every item of 'discussion' must be text, not a mapping; an "
                                    "item with ': ' in it needs quotes",
    "yaml-lone-surrogate-escape.md": f"{LESSON}:2:8: this text holds U+D800, a lone surrogate, which is not a "
                                     "character; delete it (or the escape that makes it)",
    "yaml-noncharacter-escape.md": f"{LESSON}:2:8: this text holds U+FDD0, a noncharacter, for programs' internal "
                                   "use; delete it (or the escape that makes it)",
    "yaml-nul-escape.md": f"{LESSON}:2:8: this text holds U+0000, a control character; delete it (or the escape "
                          "that makes it)",
    "yaml-escape-character-in-objective.md": f"{LESSON}:5:5: this text holds U+001B, a control character; delete "
                                             "it (or the escape that makes it)",
    # YAML reads U+2028 as a line end; the line numbers are the file's (only '\n' ends a line).
    "yaml-line-separator-in-title.md": f"{LESSON}:3:1: duplicate key 'objectives' (first at line 2); keep only one",
    "yaml-explicit-int-tag.md": f"{LESSON}:2:8: invalid YAML: could not determine a constructor for the tag "
                                f"'tag:yaml.org,2002:int'; {YAML_HINT}",
    "stage-id-reserved-ml-data.md": f"{LESSON}:7:20: '#ml-data' {RESERVED}",
    "stage-id-reserved-timing.md": f"{LESSON}:7:12: '#timing' {RESERVED}",
    "stage-id-generated-form.md": f"{LESSON}:7:20: '#stage-02' {RESERVED}",
    "stage-time-unquoted-space.md": f"{LESSON}:7:20: cannot read '10m' in the heading's {{…}}; write e.g. "
                                    "{time=2m #id .class} (a time with a space is quoted: {time=\"1h 10m\"})",
    "stage-time-twice.md": f"{LESSON}:7:25: the heading's {{…}} gives 'time' twice; keep one",
    "stage-two-ids.md": f"{LESSON}:7:23: the heading's {{…}} gives an id twice; keep one",
    "stage-time-arabic-indic-digit.md": f"{LESSON}:7:17: time: '٥m' is not a time: write its digits as 0-9, e.g. "
                                        "'5m' (pages show them in the lesson's own digits)",
    "stage-time-thousands-of-digits.md": f"{LESSON}:7:17: time: '{'9' * 40}…' is longer than a day; a micro-lesson "
                                         "is minutes long",
    "config-fallback-number.yml": "microlearn.yml:4:15: the fallback of 'el' must be a list of language codes, "
                                  "such as '[en]'; '5' is not one",
    "config-fallback-mapping.yml": "microlearn.yml:4:15: the fallback of 'el' must be a list of language codes, "
                                   "such as '[en]'",
    "config-numbering-list.yml": "microlearn.yml:4:16: the numbering of 'el' must be the name of a CLDR numbering "
                                 "system, such as 'arab' or 'latn'",
    "config-title-lone-surrogate.yml": "microlearn.yml:3:12: this text holds U+D800, a lone surrogate, which is not "
                                       "a character; delete it (or the escape that makes it)",
    "config-title-nul-escape.yml": "microlearn.yml:3:12: this text holds U+0000, a control character; delete it (or "
                                   "the escape that makes it)",
    "config-base-url-newline.yml": "microlearn.yml:1:11: base_url may not contain '\\n'; percent-encode it (a space "
                                   "is %20)",
    "config-base-url-markup.yml": "microlearn.yml:1:11: base_url may not contain '<'; percent-encode it (a space is "
                                  "%20)",
    "config-languages-list-repeated.yml": "microlearn.yml:1:21: 'el' is listed twice in 'languages'; keep only one",
    "config-content-dir-absolute.yml": "microlearn.yml:1:14: 'content_dir' must be a folder inside the project",
    "config-duplicate-key.yml": "microlearn.yml:4:3: duplicate key 'el' (first at line 2); keep only one",
    "config-language-code-path.yml": "microlearn.yml:4:3: '../../etc' is not a language code such as 'el' or "
                                     "'pt-BR'",
    "config-language-code-unknown-to-cldr.yml": "microlearn.yml:4:3: 'qq' is not a language CLDR knows; use a "
                                                "code such as 'el', 'fa' or 'pt-BR'",
    "config-output-dir-outside.yml": "microlearn.yml:1:13: 'output_dir' must be a folder inside the project",
    "config-raw-html-not-bool.yml": "microlearn.yml:1:11: 'raw_html' must be bool, not str",
    "config-theme-path.yml": "microlearn.yml:1:8: theme must be a folder name under themes/",
}
# Catalogs from volunteer translators: a catalog that cannot be read stops the build at its line; a bad
# translation is left out with a warning (the page shows the source text); markup in one is shown as text.
PO = "locales/el/LC_MESSAGES/messages.po"
CATALOG_EXPECTED = {
    "catalog-broken-syntax.po": [(f"{PO}:6: broken catalog: the text after msgstr must be one string in double "
                                  "quotes, with no escapes but \\n \\t \\r \\\" \\\\")],
    "catalog-bad-placeholder.po": [
        (f"{PO}:8:1: warning: translation of '%(num)s slide' (msgstr[0]) adds %(αριθμός)s (the source has "
         "%(num)s); showing the source text"),
        (f"{PO}:9:1: warning: translation of '%(num)s slide' (msgstr[1]) changes %(num)s to %(num)d; has "
         "placeholders %s where the source has none (the source has %(num)s); showing the source text")],
    "catalog-script-injection.po": [],
}
CATALOG_CASES = sorted(p.name for p in HOSTILE.glob("*.po"))


def make_project(root: Path, case: Path | None = None) -> Path:
    """A one-lesson project; ``case`` replaces its lesson, its config or its Greek catalog."""
    lesson_dir = root / "content" / "case"
    lesson_dir.mkdir(parents=True)
    (root / "microlearn.yml").write_text(CONFIG, encoding="utf-8")
    (lesson_dir / "el.md").write_text(GOOD, encoding="utf-8")
    if case is None:
        return root
    if case.suffix == ".md":
        shutil.copy(case, lesson_dir / "el.md")
        outside = root.parent / "secret.png"
        outside.write_bytes(b"\x89PNG\r\n\x1a\n secret")
        os.symlink(outside, lesson_dir / "escape.png")
        (lesson_dir / "sub").mkdir()
        (lesson_dir / "sub" / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    elif case.suffix == ".yml":
        shutil.copy(case, root / "microlearn.yml")
    elif case.suffix == ".po":
        catalogs = root / "locales" / "el" / "LC_MESSAGES"
        catalogs.mkdir(parents=True)
        shutil.copy(case, catalogs / "messages.po")
    return root


def relative_message(err: MicrolearnError, root: Path) -> str:
    return str(err).replace(f"{root.resolve()}/", "").replace(f"{root}/", "")


def test_every_corpus_file_has_an_expected_message():
    files = {p.name for p in HOSTILE.iterdir() if p.is_file() and p.suffix != ".po"}  # site/, catalogs/: their own tests
    assert files == set(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_hostile_input_stops_the_build_with_its_message(tmp_path, case):
    root = make_project(tmp_path / "project", HOSTILE / case)
    with pytest.raises(MicrolearnError) as caught:
        build(root, tmp_path / "site", with_pdf=False)
    assert relative_message(caught.value, root) == EXPECTED[case]
    assert not (tmp_path / "site").exists(), "nothing is written when the input is refused"


def test_every_catalog_case_has_expected_messages():
    assert set(CATALOG_CASES) == set(CATALOG_EXPECTED)


@pytest.mark.parametrize("case", CATALOG_CASES)
def test_a_hostile_catalog_never_crashes_the_build(tmp_path, case):
    root = make_project(tmp_path / "project", HOSTILE / case)
    try:
        result = build(root, tmp_path / "site", with_pdf=False)
    except MicrolearnError as err:
        assert [relative_message(err, root)] == CATALOG_EXPECTED[case]
        return
    found = [str(w).replace(f"{root.resolve()}/", "") for w in result.warnings if w.code != "missing-translation"]
    assert found == CATALOG_EXPECTED[case]
    for page in (tmp_path / "site").rglob("*.html"):
        # Inside <script type="application/json"> the text is data ('</' escaped), read by textContent.
        text = re.sub(r'<script type="application/json"[^>]*>.*?</script>', "", page.read_text(encoding="utf-8"),
                      flags=re.DOTALL)
        assert "<script>window.__pwned" not in text, f"{page}: a catalog injected markup"
    if case == "catalog-script-injection.po":
        deck = (tmp_path / "site" / "el" / "case" / "index.html").read_text(encoding="utf-8")
        assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in deck, "shown as text"


def test_the_cli_prints_the_message_without_a_traceback(tmp_path):
    root = make_project(tmp_path / "project", HOSTILE / "link-javascript.md")
    result = subprocess.run([sys.executable, "-m", "microlearn", "build", "--no-pdf", "-o", str(tmp_path / "s")],
                            cwd=root, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{LESSON}:9" in result.stderr and REFUSED_LINK in result.stderr, result.stderr


# ---------------------------------------------------------------- lesson ids and language codes

@pytest.mark.parametrize("folder", ["Capital", "with space", "-dash-first", "ἀλφα", "a" * 65, "a\u202eb",
                                    "semi;colon", "dot.dot"])
def test_lesson_ids_are_validated(tmp_path, folder):
    root = make_project(tmp_path / "project")
    shutil.copytree(root / "content" / "case", root / "content" / folder)
    with pytest.raises(MicrolearnError) as caught:
        build(root, tmp_path / "site", with_pdf=False)
    assert relative_message(caught.value, root) == (
        f"content/{folder}: a lesson folder's name is its id: lowercase letters, digits, '-' and '_' (at most "
        "64), starting with a letter or digit; rename the folder")


@pytest.mark.parametrize("name", ["xx.md", "EL.md", "el-..md", "..md"])
def test_lesson_files_must_be_a_configured_language(tmp_path, name):
    root = make_project(tmp_path / "project")
    (root / "content" / "case" / name).write_text(GOOD, encoding="utf-8")
    with pytest.raises(MicrolearnError) as caught:
        build(root, tmp_path / "site", with_pdf=False)
    stem = name[:-3]
    assert relative_message(caught.value, root) == (
        f"content/case/{name}:1: '{name}' is not a configured language (el); name the file <lang>.md or add "
        f"'{stem}' under 'languages' in microlearn.yml")


def test_a_lesson_folder_linking_out_of_the_project_is_refused(tmp_path):
    root = make_project(tmp_path / "project")
    outside = tmp_path / "elsewhere"
    shutil.copytree(root / "content" / "case", outside)
    os.symlink(outside, root / "content" / "linked")
    with pytest.raises(MicrolearnError) as caught:
        build(root, tmp_path / "site", with_pdf=False)
    assert relative_message(caught.value, root) == "content/linked: this lesson folder links outside the project"


def test_a_lesson_file_linking_out_of_the_project_is_refused(tmp_path):
    root = make_project(tmp_path / "project")
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
    root = make_project(tmp_path / "project")
    with pytest.raises(MicrolearnError):
        build(root, root / out, with_pdf=False)
    assert (root / "content" / "case" / "el.md").read_text(encoding="utf-8") == GOOD


def test_a_folder_that_is_not_a_site_is_never_replaced(tmp_path):
    root = make_project(tmp_path / "project")
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
    root = make_project(tmp_path / "project")
    result = build(root, tmp_path / "site", with_pdf=False)
    site = result.out.resolve()
    for relpath in result.files:
        assert (site / relpath).resolve().is_relative_to(site)
    assert {p.name for p in tmp_path.iterdir()} == {"project", "site"}


def test_bidi_controls_in_titles_stay_out_of_ids_and_file_names(tmp_path):
    root = make_project(tmp_path / "project")
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
    root = make_project(tmp_path / "project")
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
