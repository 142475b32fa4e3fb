"""The wheel carries the default theme and the catalogs: a project with only content/ and a config builds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import REPO

pytestmark = pytest.mark.slow  # pip builds and installs the wheel


def test_installed_wheel_builds_a_bare_project(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(wheels), str(REPO)], check=True, capture_output=True)
    wheel = next(wheels.glob("microlearn-*.whl"))
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    assert (target / "microlearn" / "themes" / "default" / "templates" / "deck.html").is_file()
    assert (target / "microlearn" / "locales" / "fa" / "LC_MESSAGES" / "messages.po").is_file()

    project = tmp_path / "elsewhere"
    (project / "content").mkdir(parents=True)
    shutil.copytree(REPO / "content" / "ecommerce-cycle", project / "content" / "ecommerce-cycle")
    shutil.copy(REPO / "microlearn.yml", project)
    shutil.copytree(REPO / "brand", project / "brand")
    env = dict(os.environ, PYTHONPATH=str(target))
    probe = subprocess.run([sys.executable, "-c", "import microlearn; print(microlearn.__file__)"], env=env,
                           cwd=project, capture_output=True, text=True, check=True)
    assert probe.stdout.startswith(str(target)), "the wheel, not the checkout, is imported"
    result = subprocess.run([sys.executable, "-m", "microlearn", "build", "--no-pdf"], env=env, cwd=project,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    deck = (project / "site" / "fa" / "ecommerce-cycle" / "index.html").read_text(encoding="utf-8")
    assert 'dir="rtl"' in deck
    assert (project / "site" / "assets" / "deck.js").is_file()
