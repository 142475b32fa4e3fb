"""Reproducible output: the same sources give byte-identical trees whatever the day, the time zone,
the locale, the working directory, the project's location, file times or hash seed. The only time
in the output comes from SOURCE_DATE_EPOCH (build.source_date_epoch)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PNG, make_project, site_tree

pytestmark = [pytest.mark.pdf, pytest.mark.slow]  # full builds with PDFs in a subprocess, twice per test

CONFIG = ("base_url: https://example.org/ml/\nlanguages:\n  el:\n    title: Δοκιμή\n  fa:\n    title: آزمایش\n"
          "  ar:\n    title: تجربة\n    numbering: arab\n")
LESSON = """---
title: {title}
objectives:
  - {words}
key_messages:
  - "**{words}**"
discussion:
  - {words};
duration: 3m
---

## {words} {{time=1m}}

{words} (Omni-channel) 5 GB.

![{words}](picture.png)

::: notes
{words}
:::

## {title} {{time=2m}}

- {words}
- [ένας σύνδεσμος](https://example.org/)

---

{words}

::: notes
{words}
:::
"""
WORDS = {"el": ("Κύκλος", "οι πελάτες επιστρέφουν"), "fa": ("چرخه", "مشتریان برمی‌گردند"),
         "ar": ("دورة", "العملاء يعودون")}


def two_lessons_project(root: Path) -> Path:
    """Two lessons with a picture, in el, fa and ar."""
    files: dict[str, str | bytes] = {"microlearn.yml": CONFIG}
    for lesson in ("beta-lesson", "alpha-lesson"):
        files[f"content/{lesson}/picture.png"] = PNG
        for lang, (title, words) in WORDS.items():
            files[f"content/{lesson}/{lang}.md"] = LESSON.format(title=f"{title} {lesson}", words=words)
    return make_project(root, files)


def digests(site: Path) -> dict[str, str]:
    return {name: hashlib.sha256(data).hexdigest() for name, data in site_tree(site).items()}


def run_build(project: Path, out: Path, cwd: Path, env: dict[str, str]) -> None:
    full = {k: v for k, v in os.environ.items() if k not in ("TZ", "LANG", "LC_ALL", "PYTHONHASHSEED")}
    full.update(env)
    done = subprocess.run([sys.executable, "-m", "microlearn", "build", "-C", str(project), "-o", str(out)],
                          cwd=cwd, env=full, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr


def test_two_builds_on_different_days_and_places_are_byte_identical(tmp_path):
    first = two_lessons_project(tmp_path / "one" / "project")
    second = tmp_path / "two" / "much" / "deeper" / "elsewhere"
    shutil.copytree(first, second)
    for path in second.rglob("*"):  # the sources were saved on another day
        os.utime(path, (1_000_000_000, 1_000_000_000))
    common = {"SOURCE_DATE_EPOCH": "1700000000"}
    run_build(first, tmp_path / "site-a", cwd=first,
              env={**common, "TZ": "UTC", "LANG": "C.UTF-8", "PYTHONHASHSEED": "1"})
    run_build(second, tmp_path / "two" / "site-b", cwd=Path("/"),
              env={**common, "TZ": "Pacific/Kiritimati", "LANG": "fa_IR.UTF-8", "LC_ALL": "el_GR.UTF-8",
                   "PYTHONHASHSEED": "4242"})
    a, b = digests(tmp_path / "site-a"), digests(tmp_path / "two" / "site-b")
    assert any(name.endswith(".pdf") for name in a), "PDFs are part of the comparison"
    assert any(name.endswith(".zip") for name in a)
    assert a.keys() == b.keys()
    differ = [name for name in a if a[name] != b[name]]
    assert differ == []
    for path in (tmp_path / "site-a").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"/one/project" not in data and str(tmp_path).encode() not in data, f"{path} leaks a path"


def test_source_date_epoch_is_the_only_time_in_the_output(tmp_path):
    project = two_lessons_project(tmp_path / "project")
    run_build(project, tmp_path / "a", cwd=project, env={"SOURCE_DATE_EPOCH": "1700000000"})
    run_build(project, tmp_path / "b", cwd=project, env={"SOURCE_DATE_EPOCH": "1600000000"})
    a, b = digests(tmp_path / "a"), digests(tmp_path / "b")
    differ = sorted(name for name in a if a[name] != b[name])
    assert differ, "the zips, PDFs and EPUBs carry the date"
    assert all(name.endswith((".zip", ".pdf", ".epub")) for name in differ), differ
