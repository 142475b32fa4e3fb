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

CONFIG = ("base_url: https://example.org/ml/\nlanguages:\n  el:\n    title: Δοκιμή\n  fa:\n    title: آزمایش\n"
          "  ar:\n    title: تجربة\n    numbering: arab\n")
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
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


def make_project(root: Path) -> Path:
    for lesson in ("beta-lesson", "alpha-lesson"):
        folder = root / "content" / lesson
        folder.mkdir(parents=True)
        (folder / "picture.png").write_bytes(PNG)
        for lang, (title, words) in WORDS.items():
            (folder / f"{lang}.md").write_text(LESSON.format(title=f"{title} {lesson}", words=words),
                                               encoding="utf-8")
    (root / "microlearn.yml").write_text(CONFIG, encoding="utf-8")
    return root


def tree(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def run_build(project: Path, out: Path, cwd: Path, env: dict[str, str]) -> None:
    full = {k: v for k, v in os.environ.items() if k not in ("TZ", "LANG", "LC_ALL", "PYTHONHASHSEED")}
    full.update(env)
    done = subprocess.run([sys.executable, "-m", "microlearn", "build", "-C", str(project), "-o", str(out)],
                          cwd=cwd, env=full, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr


def test_two_builds_on_different_days_and_places_are_byte_identical(tmp_path):
    first = make_project(tmp_path / "one" / "project")
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
    a, b = tree(tmp_path / "site-a"), tree(tmp_path / "two" / "site-b")
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
    project = make_project(tmp_path / "project")
    run_build(project, tmp_path / "a", cwd=project, env={"SOURCE_DATE_EPOCH": "1700000000"})
    run_build(project, tmp_path / "b", cwd=project, env={"SOURCE_DATE_EPOCH": "1600000000"})
    a, b = tree(tmp_path / "a"), tree(tmp_path / "b")
    differ = sorted(name for name in a if a[name] != b[name])
    assert differ, "the zips and PDFs carry the date"
    assert all(name.endswith((".zip", ".pdf")) for name in differ), differ
