"""Interrupted builds: SIGINT, SIGKILL and a full disk during a real `microlearn build` leave the
previous site exactly as it was (site.writer.SiteWriter builds beside the target and swaps at the end)."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PNG, make_project

pytestmark = pytest.mark.slow  # real builds of a large project, killed at each phase

CONFIG = "languages:\n  el:\n    title: Δοκιμή\n  fa:\n    title: آزمایش\n"
STAGE = "## {title} {{time=1m}}\n\n{body}\n\n![{title}](picture.png)\n\n::: notes\n{notes}\n:::\n\n"
WORDS = {"el": "η μικρή επιχείρηση πουλά μέλι στο διαδίκτυο και οι πελάτες επιστρέφουν",
         "fa": "کسب و کار کوچک عسل را در اینترنت می‌فروشد و مشتریان برمی‌گردند"}


def many_lessons_project(root: Path, lessons: int, marker: str = "") -> Path:
    """``lessons`` lessons of ten stages in el and fa, each with a picture; ``marker`` goes into every page."""
    files: dict[str, str | bytes] = {"microlearn.yml": CONFIG}
    for n in range(lessons):
        folder = f"content/lesson-{n:04d}"
        files[f"{folder}/picture.png"] = PNG
        for lang, words in WORDS.items():
            stages = "".join(STAGE.format(title=f"{words.split()[s % 5]} {s}", body=f"{words} {marker}",
                                          notes=(words + " ") * 6) for s in range(10))
            files[f"{folder}/{lang}.md"] = (
                f"---\ntitle: {words.split()[1]} {n} {marker}\nobjectives:\n  - {words}\n---\n\n{stages}")
    return make_project(root, files)


def snapshot(site: Path) -> dict[str, tuple[bytes, int]]:
    """Every file with its bytes and modification time."""
    return {p.relative_to(site).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(site.rglob("*")) if p.is_file()}


def microlearn(*args: str, cwd: Path, **kw) -> subprocess.Popen:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.Popen([sys.executable, "-m", "microlearn", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, **kw)


def leftovers(site: Path) -> list[str]:
    return sorted(p.name for p in site.parent.iterdir() if p.name.startswith(f".{site.name}."))


@pytest.fixture(scope="module")
def big_project(tmp_path_factory) -> Path:
    return many_lessons_project(tmp_path_factory.mktemp("big") / "project", 150)


def built_site(project: Path, site: Path) -> dict[str, tuple[bytes, int]]:
    if site.exists():
        shutil.rmtree(site)
    done = microlearn("build", "--no-pdf", "-o", str(site), cwd=project)
    assert done.wait(timeout=600) == 0, done.stderr.read()
    return snapshot(site)


def interrupt_when(site: Path, project: Path, proc: subprocess.Popen, sig: int, phase: str,
                   group: bool = False) -> None:
    """Send ``sig`` while the build parses (its first lessons are in the cache, ``phase='parse'``) or
    while its workers write the new site beside the old one (``phase='write'``)."""
    cache = project / ".microlearn-cache" / "lessons"

    def started() -> bool:
        if phase == "parse":
            return cache.is_dir() and any(cache.iterdir())
        return any(name.startswith(f".{site.name}.building") for name in leftovers(site))

    deadline = time.monotonic() + 600
    while not started():
        assert proc.poll() is None, f"the build ended before the {phase} phase was seen; make the project bigger"
        assert time.monotonic() < deadline
        time.sleep(0.001)
    assert proc.poll() is None, "the build ended before the signal; make the project bigger"
    if group:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)


def test_an_interrupted_first_build_says_nothing_was_written(big_project, tmp_path):
    """With no previous site there is none to keep: Ctrl-C says so, and leaves no folder behind."""
    site = tmp_path / "first"
    shutil.rmtree(big_project / ".microlearn-cache", ignore_errors=True)
    proc = microlearn("build", "--no-pdf", "-o", str(site), cwd=big_project, start_new_session=True)
    interrupt_when(site, big_project, proc, signal.SIGINT, "write", group=True)
    code = proc.wait(timeout=600)
    stderr = proc.stderr.read()
    assert code == 130, stderr
    assert "interrupted; nothing was written" in stderr
    assert "previous site" not in stderr
    assert not site.exists() and leftovers(site) == []


def processes_building(site: Path) -> list[str]:
    """Processes (the build and its workers) still running with ``site`` on their command line."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if str(site) in cmdline and "microlearn" in cmdline:
            found.append(f"{proc.name}: {cmdline}")
    return found


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL, "Ctrl-C"], ids=["SIGINT", "SIGKILL", "Ctrl-C"])
@pytest.mark.parametrize("phase", ["parse", "write"])
def test_an_interrupted_build_keeps_the_previous_site(big_project, tmp_path, sig, phase):
    """SIGINT to the build, SIGKILL to the build, and Ctrl-C as a terminal sends it: SIGINT to the
    build's whole process group, its worker processes included."""
    site = tmp_path / "site"
    before = built_site(big_project, site)
    changed = many_lessons_project(tmp_path / "changed", 150, marker="αλλαγή")
    proc = microlearn("build", "--no-pdf", "-o", str(site), cwd=changed, start_new_session=True)
    if sig == "Ctrl-C":
        interrupt_when(site, changed, proc, signal.SIGINT, phase, group=True)
        sig = signal.SIGINT
    else:
        interrupt_when(site, changed, proc, sig, phase)
    code = proc.wait(timeout=600)
    deadline = time.monotonic() + 10
    while processes_building(site) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes_building(site) == [], "no worker process is left running"
    stderr = proc.stderr.read()
    if sig == signal.SIGINT:
        assert code == 130, stderr
        assert "Traceback" not in stderr, stderr
        assert "interrupted; the previous site is unchanged" in stderr
        assert leftovers(site) == [], "an interrupted build cleans up after itself"
    else:
        assert code == -signal.SIGKILL
    assert snapshot(site) == before, "the previous site is byte-identical, mtimes included"
    # The next build succeeds and sweeps what a killed build left behind.
    done = microlearn("build", "--no-pdf", "-o", str(site), cwd=changed)
    assert done.wait(timeout=600) == 0, done.stderr.read()
    assert leftovers(site) == []
    assert "αλλαγή" in (site / "el" / "lesson-0000" / "index.html").read_text(encoding="utf-8")


def _limit_file_size(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_a_file_too_large_for_the_disk_keeps_the_previous_site(tmp_path):
    project = many_lessons_project(tmp_path / "project", 3)
    site = tmp_path / "site"
    before = built_site(project, site)
    many_lessons_project(project, 3, marker="αλλαγή")
    assert max(len(data) for data, _ in before.values()) > 8192, "some changed file is larger than the limit"
    proc = microlearn("build", "--no-pdf", "-o", str(site), cwd=project, preexec_fn=_limit_file_size(8192))
    code = proc.wait(timeout=600)
    stderr = proc.stderr.read()
    assert code == 1, stderr
    assert "Traceback" not in stderr
    assert "could not write the site: File too large; the previous site is unchanged" in stderr, stderr
    assert snapshot(site) == before
    assert leftovers(site) == []


def test_a_full_disk_keeps_the_previous_site(tmp_path):
    """A real full file system: a small tmpfs (needs root to mount)."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root")
    project = many_lessons_project(tmp_path / "project", 4)
    probe = tmp_path / "probe"
    size = sum(len(data) for data, _ in built_site(project, probe).values())
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size * 3 // 2 + 65536}", "tmpfs", str(disk)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        site = disk / "site"
        before = built_site(project, site)
        many_lessons_project(project, 4, marker="αλλαγή")
        proc = microlearn("build", "--no-pdf", "-o", str(site), cwd=project)
        code = proc.wait(timeout=600)
        stderr = proc.stderr.read()
        assert code == 1, stderr
        assert "Traceback" not in stderr
        assert "could not write the site: No space left on device; the previous site is unchanged" in stderr
        assert snapshot(site) == before
        assert leftovers(site) == []
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def worker_pids(pid: int) -> list[int]:
    """The child processes of ``pid`` (the build's workers)."""
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def test_a_killed_worker_fails_the_build_with_a_message(tmp_path):
    """kill -9 of one render worker (as the OOM killer does): the build stops with a message and exit 1,
    the workers left are stopped, and the previous site is untouched (it hung forever with
    multiprocessing.Pool, whose imap waits for the dead worker's answer)."""
    project = many_lessons_project(tmp_path / "project", 60)
    site = tmp_path / "site"
    before = built_site(project, site)
    for md in (project / "content").glob("*/el.md"):  # every lesson changed: all rendered again
        md.write_text(md.read_text(encoding="utf-8").replace("title: ", "title: νέο ", 1), encoding="utf-8")
    proc = microlearn("build", "--no-pdf", "-o", str(site), cwd=project, start_new_session=True)
    try:
        interrupt_when(site, project, proc, 0, "write")  # signal 0: only wait for the workers to write
        deadline = time.monotonic() + 600
        while not worker_pids(proc.pid):
            assert proc.poll() is None and time.monotonic() < deadline, "the build ended before a worker was seen"
            time.sleep(0.001)
        victim = worker_pids(proc.pid)[0]
        os.kill(victim, signal.SIGKILL)
        try:
            stdout, stderr = proc.communicate(timeout=300)
        except subprocess.TimeoutExpired:
            raise AssertionError("the build hangs after one of its workers was killed") from None
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 1, (stdout, stderr)
    assert "error: a worker process of the build died before it finished (killed, or out of memory?)" in stderr
    assert "build stopped; the previous site is unchanged" in stderr
    assert "Traceback" not in stderr
    assert snapshot(site) == before
    assert not processes_building(site), "no worker is left running"
    assert leftovers(site) == []
