"""The build cache (.microlearn-cache/) and the process pool: an incremental build gives exactly what a
full build gives, for a change to any kind of input; unchanged files are not rewritten."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from conftest import PNG, make_project, site_tree
from microlearn.project.folders import builtin_dir
from microlearn.render.renderer import Renderer
from microlearn.site import cache as cache_module
from microlearn.site.build import build

CONFIG = ("languages:\n  el:\n    title: Δοκιμή\n  fa:\n    title: آزمایش\n    fallback: [el]\n"
          "  ar:\n    title: تجربة\n")
WORDS = {"el": "οι πελάτες επιστρέφουν", "fa": "مشتریان برمی‌گردند", "ar": "العملاء يعودون"}


def lesson_text(lang: str, n: int, extra: str = "", translation_of: str | None = None) -> str:
    words = WORDS[lang]
    head = f"---\ntitle: {words} {n}\nobjectives:\n  - {words}\nduration: 2m\n"
    if translation_of:
        source = lesson_text(translation_of, n)
        revision = hashlib.sha256(source.encode("utf-8")).hexdigest()[:12]
        head += f"translation_of: {translation_of}\nsource_revision: {revision}\n"
    return (head + f"---\n\n## {words} {{time=1m}}\n\n{words} {extra}\n\n![{words}](picture.png)\n\n"
            f"::: notes\n{words}\n:::\n\n## {words} 2 {{time=1m}}\n\n{words}\n\n::: notes\n{words}\n:::\n")


def lessons_project(root: Path, lessons: int = 10) -> Path:
    """``lessons`` lessons with a picture, in el and fa (a translation of el), every other one in ar too."""
    files: dict[str, str | bytes] = {"microlearn.yml": CONFIG}
    for n in range(lessons):
        folder = f"content/lesson-{n:02d}"
        files[f"{folder}/picture.png"] = PNG
        files[f"{folder}/el.md"] = lesson_text("el", n)
        files[f"{folder}/fa.md"] = lesson_text("fa", n, translation_of="el")
        if n % 2:
            files[f"{folder}/ar.md"] = lesson_text("ar", n)
    return make_project(root, files)


def stamps(site: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(site).as_posix(): (p.stat().st_mtime_ns, p.stat().st_ino)
            for p in sorted(site.rglob("*")) if p.is_file()}


def quiet(**kw):
    return dict(**kw)


@pytest.fixture
def project(tmp_path) -> Path:
    return lessons_project(tmp_path / "project")


def assert_like_a_full_build(project: Path, site: Path, tmp_path: Path, with_pdf: bool = False) -> None:
    """The incremental site equals a build without any cache."""
    fresh = tmp_path / f"fresh-{len(list(tmp_path.iterdir()))}"
    build(project, fresh, with_pdf=with_pdf, cache=False, jobs=1, **quiet())
    assert site_tree(site) == site_tree(fresh)


def rebuild(project: Path, site: Path, tmp_path: Path, **kw) -> tuple[dict, dict]:
    """Build again; return the files whose bytes changed and the files rewritten (new mtime or inode)."""
    before_files, before_stamps = site_tree(site), stamps(site)
    build(project, site, with_pdf=kw.pop("with_pdf", False), **quiet(**kw))
    after_files, after_stamps = site_tree(site), stamps(site)
    changed = {k for k in after_files if before_files.get(k) != after_files[k]}
    rewritten = {k for k in after_stamps if before_stamps.get(k) != after_stamps[k]}
    assert_like_a_full_build(project, site, tmp_path)
    return changed, rewritten


def test_a_cached_build_is_byte_identical_to_a_build_without_cache(project, tmp_path):
    site = tmp_path / "site"
    result = build(project, site, with_pdf=False, **quiet())
    expected = site_tree(build(project, tmp_path / "uncached", with_pdf=False, cache=False, jobs=1).out)
    assert site_tree(site) == expected
    assert (project / ".microlearn-cache").is_dir()
    assert dict(result.files) == expected


def test_a_no_op_rebuild_touches_nothing(project, tmp_path):
    site = tmp_path / "site"
    build(project, site, with_pdf=False, **quiet())
    before = stamps(site)
    result = build(project, site, with_pdf=False, **quiet())
    assert stamps(site) == before, "no file rewritten: mtimes and inodes stay"
    assert result.stats == {"written": 0, "kept": len(before)}
    assert result.files["el/lesson-00/index.html"] == (site / "el/lesson-00/index.html").read_bytes()


def test_the_pool_and_one_process_give_the_same_site(project, tmp_path):
    build(project, tmp_path / "one", with_pdf=False, cache=False, jobs=1, **quiet())
    build(project, tmp_path / "pool", with_pdf=False, cache=False, jobs=2, **quiet())
    assert site_tree(tmp_path / "one") == site_tree(tmp_path / "pool")


def test_editing_a_lesson_rebuilds_only_its_files(project, tmp_path):
    site = tmp_path / "site"
    build(project, site, with_pdf=False, **quiet())
    (project / "content" / "lesson-03" / "ar.md").write_text(lesson_text("ar", 3, "νέο κείμενο"), encoding="utf-8")
    changed, rewritten = rebuild(project, site, tmp_path)
    assert "ar/lesson-03/index.html" in changed and "ar/lesson-03/handout.html" in changed
    assert "ar/lesson-03/lesson-03-ar.zip" in changed and "ar/microlearn-ar.zip" in changed
    assert rewritten <= changed | {"ar/index.html"}, "unchanged files keep their mtime"
    assert not any(k.startswith(("el/", "fa/")) for k in rewritten), rewritten
    assert "νέο κείμενο" in (site / "ar/lesson-03/index.html").read_text(encoding="utf-8")


def test_catalog_pages_follow_the_titles_of_other_versions(project, tmp_path):
    site = tmp_path / "site"
    build(project, site, with_pdf=False, **quiet())
    text = lesson_text("ar", 3).replace("title: العملاء يعودون 3", "title: عنوان جديد")
    (project / "content" / "lesson-03" / "ar.md").write_text(text, encoding="utf-8")
    changed, rewritten = rebuild(project, site, tmp_path)
    assert {"ar/index.html", "el/index.html", "fa/index.html"} <= changed, "every catalog lists the ar title"
    assert "عنوان جديد" in (site / "el/index.html").read_text(encoding="utf-8")
    (project / "content" / "lesson-04" / "fa.md").write_text(
        lesson_text("fa", 4, "متن تازه", translation_of="el"), encoding="utf-8")
    changed, rewritten = rebuild(project, site, tmp_path)
    assert "ar/index.html" not in rewritten, "lesson-04 has no ar version: the ar catalog is kept"


def test_editing_a_translation_source_marks_the_translation_outdated(project, tmp_path):
    site = tmp_path / "site"
    build(project, site, with_pdf=False, **quiet())
    (project / "content" / "lesson-02" / "el.md").write_text(lesson_text("el", 2, "αλλαγή"), encoding="utf-8")
    changed, _ = rebuild(project, site, tmp_path)
    assert "fa/lesson-02/index.html" in changed, "the translation now says it may be outdated"


def test_editing_an_image(project, tmp_path):
    site = tmp_path / "site"
    build(project, site, with_pdf=False, **quiet())
    (project / "content" / "lesson-04" / "picture.png").write_bytes(PNG + b"\0")
    changed, _ = rebuild(project, site, tmp_path)
    assert {"el/lesson-04/picture.png", "el/lesson-04/handout.html", "fa/lesson-04/picture.png"} <= changed


def test_editing_a_catalog_rebuilds_that_language_and_its_fallbacks(project, tmp_path):
    site = tmp_path / "site"
    build(project, site, with_pdf=False, **quiet())
    po = project / "locales" / "el" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    builtin = builtin_dir("locales") / "el" / "LC_MESSAGES" / "messages.po"
    text = builtin.read_text(encoding="utf-8") if builtin.is_file() else 'msgid ""\nmsgstr ""\n'
    po.write_text(text + '\nmsgid "Learning objectives"\nmsgstr "ΣΤΟΧΟΙ ΑΠΟ ΤΟ ΕΡΓΟ"\n'
                  if "Learning objectives" not in text else text.replace(
                      'msgid "Learning objectives"\nmsgstr "', 'msgid "Learning objectives"\nmsgstr "ΕΡΓΟ '),
                  encoding="utf-8")
    changed, rewritten = rebuild(project, site, tmp_path)
    assert "el/lesson-00/index.html" in changed
    assert not any(k.startswith("ar/") for k in rewritten), "ar falls back to nothing but itself"


def test_editing_a_template_or_a_theme_file(project, tmp_path):
    site = tmp_path / "site"
    build(project, site, with_pdf=False, **quiet())
    theme = project / "themes" / "default"
    (theme / "templates").mkdir(parents=True)
    deck = (builtin_dir("themes") / "default" / "templates" / "deck.html").read_text(encoding="utf-8")
    assert "{% block body %}" in deck
    (theme / "templates" / "deck.html").write_text(
        deck.replace("{% block body %}", "{% block body %}<!-- project theme -->"), encoding="utf-8")
    changed, _ = rebuild(project, site, tmp_path)
    assert all(k in changed for k in ("el/lesson-00/index.html", "fa/lesson-09/index.html"))
    # the same template edited again: its compiled form kept in the cache must not be reused
    (theme / "templates" / "deck.html").write_text(
        deck.replace("{% block body %}", "{% block body %}<!-- edited again -->"), encoding="utf-8")
    changed, _ = rebuild(project, site, tmp_path)
    assert "<!-- edited again -->" in (site / "el/lesson-00/index.html").read_text(encoding="utf-8")
    assert any((project / ".microlearn-cache" / "templates").glob("*.jinja")), "compiled templates are kept"
    (theme / "static").mkdir()
    css = (builtin_dir("themes") / "default" / "static" / "deck.css").read_text(encoding="utf-8")
    (theme / "static" / "deck.css").write_text(css + "\n/* project */\n", encoding="utf-8")
    changed, _ = rebuild(project, site, tmp_path)
    assert "assets/deck.css" in changed and "el/lesson-00/lesson-00-el.zip" in changed, "zips inline the CSS"


def test_editing_the_config(project, tmp_path):
    site = tmp_path / "site"
    build(project, site, with_pdf=False, **quiet())
    (project / "microlearn.yml").write_text(CONFIG.replace("title: Δοκιμή", "title: Νέος τίτλος"), encoding="utf-8")
    rebuild(project, site, tmp_path)
    assert "Νέος τίτλος" in (site / "el/lesson-00/index.html").read_text(encoding="utf-8")


def test_source_date_epoch(project, tmp_path, monkeypatch):
    site = tmp_path / "site"
    build(project, site, with_pdf=False, **quiet())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    changed, _ = rebuild(project, site, tmp_path)
    assert "el/lesson-00/lesson-00-el.zip" in changed


def test_adding_and_removing_lessons(project, tmp_path):
    site = tmp_path / "site"
    build(project, site, with_pdf=False, **quiet())
    shutil.copytree(project / "content" / "lesson-01", project / "content" / "lesson-99")
    changed, _ = rebuild(project, site, tmp_path)
    assert "ar/lesson-99/index.html" in changed and "ar/index.html" in changed
    shutil.rmtree(project / "content" / "lesson-01")
    rebuild(project, site, tmp_path)
    assert not (site / "el" / "lesson-01").exists()
    (project / "content" / "lesson-05" / "ar.md").unlink()
    rebuild(project, site, tmp_path)
    assert not (site / "ar" / "lesson-05").exists()


def test_microlearn_itself_changing(project, tmp_path, monkeypatch):
    """A new microlearn (other code) never reuses what the old one made."""
    site = tmp_path / "site"
    build(project, site, with_pdf=False, **quiet())
    other = tmp_path / "other-microlearn"
    shutil.copytree(cache_module._PACKAGE, other, ignore=shutil.ignore_patterns("__pycache__"))
    (other / "lessons/model.py").write_text((other / "lessons/model.py").read_text(encoding="utf-8") + "\n# changed\n",
                                     encoding="utf-8")
    monkeypatch.setattr(cache_module, "_PACKAGE", other)
    rendered: list[str] = []
    real_deck = Renderer.deck

    def counting_deck(self, lesson, *args, **kw):
        rendered.append(f"{lesson.lang}/{lesson.id}")
        return real_deck(self, lesson, *args, **kw)

    monkeypatch.setattr(Renderer, "deck", counting_deck)
    build(project, site, with_pdf=False, jobs=1, **quiet())
    assert len(set(rendered)) == 25, "every lesson version rendered again"
    rendered.clear()
    build(project, site, with_pdf=False, jobs=1, **quiet())
    assert rendered == [], "and cached again for the next build"


def test_a_hand_edited_or_deleted_output_file_is_made_again(project, tmp_path):
    site = tmp_path / "site"
    build(project, site, with_pdf=False, **quiet())
    good = site_tree(site)
    (site / "el" / "lesson-00" / "index.html").write_text("tampered", encoding="utf-8")
    (site / "fa" / "lesson-01" / "handout.html").unlink()
    (site / "stray.txt").write_text("not ours", encoding="utf-8")
    build(project, site, with_pdf=False, **quiet())
    assert site_tree(site) == good


def test_a_broken_or_deleted_cache_only_costs_time(project, tmp_path):
    site = tmp_path / "site"
    build(project, site, with_pdf=False, **quiet())
    good = site_tree(site)
    for path in (project / ".microlearn-cache").rglob("*.json"):
        path.write_text("{not json", encoding="utf-8")
    build(project, site, with_pdf=False, **quiet())
    assert site_tree(site) == good
    for path in (project / ".microlearn-cache" / "lessons").iterdir():  # well-formed but wrong content
        path.write_text('{"lesson": {"__dc__": "Nope"}, "warnings": []}', encoding="utf-8")
    (project / "content" / "lesson-00" / "el.md").write_text(lesson_text("el", 0, "x"), encoding="utf-8")
    rebuild(project, site, tmp_path)
    shutil.rmtree(project / ".microlearn-cache")
    rebuild(project, site, tmp_path)


def test_errors_and_warnings_are_reported_again_from_the_cache(project, tmp_path):
    site = tmp_path / "site"
    (project / "content" / "lesson-00" / "el.md").write_text(
        lesson_text("el", 0).replace(" {time=1m}", "", 1), encoding="utf-8")
    first = build(project, site, with_pdf=False, **quiet())
    second = build(project, site, with_pdf=False, **quiet())
    assert [str(w) for w in first.warnings] == [str(w) for w in second.warnings]
    assert any(w.code == "no-time" for w in second.warnings)
    from microlearn.errors import BuildFailed
    with pytest.raises(BuildFailed):
        build(project, site, with_pdf=False, strict=True, **quiet())


@pytest.mark.pdf
def test_pdfs_are_made_only_when_their_input_changed(project, tmp_path):
    pytest.importorskip("weasyprint")
    for extra in range(3, 10):
        shutil.rmtree(project / "content" / f"lesson-{extra:02d}")
    site = tmp_path / "site"
    build(project, site, with_pdf=True, **quiet())
    pdfs = sorted(site.rglob("*.pdf"))
    assert len(pdfs) == 14  # each version's handout.pdf and guide.pdf
    assert len(sorted(site.rglob("handout.pdf"))) == 7
    (project / "content" / "lesson-01" / "ar.md").write_text(lesson_text("ar", 1, "جديد"), encoding="utf-8")
    before = stamps(site)
    build(project, site, with_pdf=True, **quiet())
    after = stamps(site)
    remade = sorted(k for k in after if k.endswith(".pdf") and after[k] != before[k])
    assert remade == ["ar/lesson-01/handout.pdf"]  # its guide shows no slide text: the same bytes, kept
    build(project, tmp_path / "fresh", with_pdf=True, cache=False, **quiet())
    assert site_tree(site) == site_tree(tmp_path / "fresh")


def test_errors_found_in_the_pool_name_the_first_file_and_its_line(project, tmp_path):
    from microlearn.errors import MicrolearnError

    for n in (7, 3):
        (project / "content" / f"lesson-{n:02d}" / "fa.md").write_text("no front matter\n", encoding="utf-8")
    with pytest.raises(MicrolearnError) as caught:
        build(project, tmp_path / "site", with_pdf=False, jobs=2, **quiet())
    assert str(caught.value).endswith("content/lesson-03/fa.md:1:1: a lesson starts with front matter: a line "
                                      "'---', then 'title:' and 'objectives:', then '---'")
    assert not (tmp_path / "site").exists()


def test_a_cached_lesson_is_the_parsed_lesson(project, tmp_path):
    from microlearn.lessons.parse import parse_lesson
    from microlearn.site.cache import BuildCache

    path = project / "content" / "lesson-01" / "fa.md"
    # Keys an author may write in front matter that look like the cache's own markers.
    path.write_text(path.read_text(encoding="utf-8").replace("---\n\n", '__dict__: 1\n__dc__: x\n"__tuple__": [1]\n'
                                                             "---\n\n", 1), encoding="utf-8")
    parsed = parse_lesson(path, "lesson-01", "fa", rtl=True)
    store = BuildCache(project, tmp_path / "site")
    store.put_lesson("k", *parsed)
    lesson, warnings = store.get_lesson("k")
    assert lesson == parsed[0] and lesson.lines == parsed[0].lines and warnings == parsed[1]
    assert {"__dict__", "__dc__", "__tuple__"} <= set(lesson.lines)


def test_a_site_file_edited_with_its_size_and_mtime_put_back_is_made_again(project, tmp_path):
    """The no-op check looks at each file's ctime too: an edit that keeps the size and restores the
    mtime (touch -r, a tool that preserves times) still changes it, and the next build repairs it."""
    site = tmp_path / "site"
    build(project, site, with_pdf=False)
    page = site / "el/lesson-00/index.html"
    good, st = page.read_bytes(), page.stat()
    page.write_bytes(good.replace(b"<html", b"<HTML", 1))  # same size
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (page.stat().st_size, page.stat().st_mtime_ns, page.stat().st_ino) == (st.st_size, st.st_mtime_ns,
                                                                                  st.st_ino)
    build(project, site, with_pdf=False)
    assert page.read_bytes() == good
    assert_like_a_full_build(project, site, tmp_path)
