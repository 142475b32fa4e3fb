"""What an author gets without saying: a localized site title, a root page in every language of the site,
and catalogs in course order or as each language sorts its titles. Real projects, real builds."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from microlearn.i18n.collation import title_key
from microlearn.site.build import build

LESSON = ("---\ntitle: {title}\nobjectives:\n  - {objective}\n---\n\n## {stage} {{time=1m}}\n\n{text}\n\n"
          "::: notes\n{text}\n:::\n")
WORDS = {"el": ("Να δοκιμάσουμε.", "Στάδιο", "Κείμενο."), "ru": ("Проверить.", "Этап", "Текст."),
         "fa": ("آزمودن.", "مرحله", "متن."), "ar": ("أن نجرّب.", "مرحلة", "نص.")}


def make_project(root: Path, config: str, lessons: dict[str, dict[str, str]]) -> Path:
    root.mkdir(parents=True)
    (root / "microlearn.yml").write_text(config, encoding="utf-8")
    for lesson_id, versions in lessons.items():
        folder = root / "content" / lesson_id
        folder.mkdir(parents=True)
        for lang, title in versions.items():
            objective, stage, text = WORDS[lang]
            (folder / f"{lang}.md").write_text(LESSON.format(title=title, objective=objective, stage=stage,
                                                             text=text), encoding="utf-8")
    return root


def in_page_order(html: str, titles: list[str]) -> list[str]:
    """The titles in the order a reader meets them on the page (markup such as <bdi> left out)."""
    text = re.sub(r"<[^>]+>", "", html.split("<main", 1)[1])
    return sorted(titles, key=lambda t: text.index(t))


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "microlearn", *args], cwd=project, capture_output=True,
                          text=True, check=False)


def test_no_title_warns_and_pages_use_the_localized_word(tmp_path):
    project = make_project(tmp_path / "p", "languages:\n  el:\n  fa: {}\n",
                           {"case": {"el": "Μάθημα", "fa": "درس"}})
    done = run(project, "build", "--no-pdf")
    assert done.returncode == 0, done.stderr
    for line, code in ((2, "el"), (3, "fa")):
        assert (f"microlearn.yml:{line}:1: warning: language '{code}' has no title, so its pages are titled "
                f"with the interface's word for the site (\"Micro-lessons\", translated); give it one: "
                f"'{code}: {{title: ...}}'") in done.stderr
    site = project / "site"
    el = (site / "el" / "index.html").read_text(encoding="utf-8")
    fa = (site / "fa" / "index.html").read_text(encoding="utf-8")
    assert "<title>Μικρομαθήματα</title>" in el
    assert "<title>درس‌های کوتاه</title>" in fa
    for page in site.rglob("*.html"):
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        assert "microlearn</title>" not in head and "· microlearn" not in head, page


def test_root_page_speaks_every_language_of_the_site(tmp_path):
    project = make_project(tmp_path / "p", "default_language: ru\nlanguages:\n  el:\n    title: Μαθήματα\n"
                           "  ru:\n    title: Уроки\n  fa:\n    title: درس‌ها\n  ar:\n    title: دروس\n",
                           {"case": {"el": "Μάθημα", "ru": "Урок", "fa": "درس", "ar": "درس"}})
    site = build(project, project / "site", with_pdf=False).out
    root = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ru" dir="ltr"' in root
    assert "<title>Уроки</title>" in root
    h1 = re.search(r"<h1>(.*?)</h1>", root, re.S).group(1)
    prompts = re.findall(r'<span class="chooser__prompt" lang="([a-z]+)" dir="(ltr|rtl)">(.*?)</span>', h1)
    assert prompts == [("ru", "ltr", "Выберите язык"), ("el", "ltr", "Επιλέξτε γλώσσα"),
                       ("fa", "rtl", "زبان را انتخاب کنید"), ("ar", "rtl", "اختر اللغة")]


@pytest.mark.parametrize("lang, unsorted, expected", [
    ("ru", ["Урок 10", "Урок 2", "Урок 1"], ["Урок 1", "Урок 2", "Урок 10"]),
    ("el", ["Ωράριο", "Άσκηση", "Βήμα", "αγορά"], ["αγορά", "Άσκηση", "Βήμα", "Ωράριο"]),
    ("fa", ["هدف", "وقت", "پول", "بازار", "گام", "کار"], ["بازار", "پول", "کار", "گام", "وقت", "هدف"]),
    ("ar", ["هدف", "ولاء", "أهداف", "درس 10", "درس 2"], ["أهداف", "درس 2", "درس 10", "هدف", "ولاء"]),
])
def test_catalog_lists_titles_as_the_language_sorts_them(tmp_path, lang, unsorted, expected):
    assert sorted(unsorted, key=lambda t: title_key(t, lang)) == expected
    lessons = {f"l{i}": {lang: title} for i, title in enumerate(unsorted)}
    project = make_project(tmp_path / "p", f"languages:\n  {lang}:\n    title: T\n", lessons)
    site = build(project, project / "site", with_pdf=False).out
    html = (site / lang / "index.html").read_text(encoding="utf-8")
    assert in_page_order(html, expected) == expected


def test_config_order_comes_first_and_unknown_ids_warn(tmp_path):
    lessons = {"intro": {"el": "Ωραία αρχή"}, "middle": {"el": "Μέση"}, "extra": {"el": "Άλλο"},
               "bonus": {"el": "Βοήθεια"}}
    config = "languages:\n  el:\n    title: T\norder: [intro, middle, intr]\n"
    project = make_project(tmp_path / "p", config, lessons)
    done = run(project, "build", "--no-pdf")
    assert done.returncode == 0, done.stderr
    assert "microlearn.yml:4:1: warning: order: there is no lesson 'intr'; did you mean 'intro'?" in done.stderr
    html = (project / "site" / "el" / "index.html").read_text(encoding="utf-8")
    assert in_page_order(html, ["Βοήθεια", "Άλλο", "Μέση", "Ωραία αρχή"]) == \
        ["Ωραία αρχή", "Μέση", "Άλλο", "Βοήθεια"]


@pytest.mark.parametrize("value, col, message", [
    ("intro", 8, "'order' must be a list of lesson ids (folder names under content/), in the order the course "
                 "takes them"),
    ("[intro, intro]", 16, "'order' names 'intro' twice; keep it once"),  # at the second one
])
def test_bad_order_is_an_error_at_its_line(tmp_path, value, col, message):
    project = make_project(tmp_path / "p", f"languages:\n  el:\n    title: T\norder: {value}\n",
                           {"intro": {"el": "Αρχή"}})
    done = run(project, "check")
    assert done.returncode == 1
    assert f"microlearn.yml:4:{col}: error: {message}" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
