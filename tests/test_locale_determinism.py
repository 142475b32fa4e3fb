"""The same sources give the same PDFs and zips on every translator's machine, whatever its locale
(fa_IR, ar_EG and he_IL embedded another font for an SVG's text). The locales are real: generated with
localedef (Debian's `locales` package, which scripts/setup installs for the tests) into a folder of the
test's own, LOCPATH, so nothing of the machine changes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = [pytest.mark.pdf, pytest.mark.slow]  # builds with PDFs under three locales

LOCALES = ["fa_IR", "ar_EG", "he_IL"]


@pytest.fixture(scope="module")
def locpath(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("locales")
    assert shutil.which("localedef"), "localedef is missing: run scripts/setup test (it installs 'locales')"
    for name in LOCALES:
        made = subprocess.run(["localedef", "-i", name, "-f", "UTF-8", str(folder / f"{name}.UTF-8")],
                              capture_output=True, text=True, check=False)
        assert (folder / f"{name}.UTF-8").is_dir(), made.stderr
    return folder


def build_under(project: Path, out: Path, env: dict[str, str]) -> dict[str, bytes]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "FC_"))}
    environment.update(env, MICROLEARN_CACHE="0", TZ="UTC")
    result = subprocess.run([sys.executable, "-m", "microlearn", "build", "-q", "-o", str(out)], cwd=project,
                            capture_output=True, text=True, timeout=600, check=False, env=environment)
    assert result.returncode == 0, result.stderr
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_pdfs_and_zips_are_byte_identical_under_any_locale(tmp_path, locpath):
    project = tmp_path / "p"
    (project / "content").mkdir(parents=True)
    shutil.copy(REPO / "microlearn.yml", project / "microlearn.yml")
    shutil.copytree(REPO / "brand", project / "brand")
    shutil.copytree(REPO / "content" / "ecommerce-cycle", project / "content" / "ecommerce-cycle")
    assert "<text" in (project / "content" / "ecommerce-cycle" / "cycle.svg").read_text(encoding="utf-8"), \
        "the lesson's SVG has text, whose font fontconfig chooses"
    reference = build_under(project, tmp_path / "C", {"LC_ALL": "C.UTF-8"})
    assert any(name.endswith(".pdf") for name in reference), "PDFs are built"
    for name in LOCALES:
        env = {"LC_ALL": f"{name}.UTF-8", "LOCPATH": str(locpath)}
        probe = subprocess.run([sys.executable, "-c", "import locale; print(locale.setlocale(locale.LC_ALL, ''))"],
                               capture_output=True, text=True, env={**os.environ, **env}, check=False)
        assert probe.stdout.strip() == f"{name}.UTF-8", f"the {name} locale is real: {probe.stderr}"
        site = build_under(project, tmp_path / name, env)
        differing = sorted(k for k in reference.keys() | site.keys() if reference.get(k) != site.get(k))
        assert differing == [], f"under LC_ALL={name}.UTF-8 these files differ: {differing}"
