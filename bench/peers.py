"""The tools a user would pick instead of microlearn, built on the same generated corpus (bench/synth.py).

    .venv/bin/python bench/peers.py --install          # install the peers that can be had here (once)
    .venv/bin/python bench/peers.py PROJECT WORK       # convert, build and time them on PROJECT

Each peer gets the lessons converted into its own input (the converters below), is built cold (no output,
no cache) a few times in fresh processes, and reports the median wall time, the median CPU time (user +
system of the whole process tree, from os.wait4) and what it made per lesson version. bench/run.py calls
``run_peers`` on its corpus, so the peers and microlearn are measured in one run on one machine.

Where the peers come from (the package registries reachable here, nothing downloaded beside them):
MkDocs from PyPI into a venv of its own (bench/.peers/mkdocs), Marp CLI from npm (bench/.peers/marp),
Hugo and Pandoc from Debian (apt-get). bench/.peers/ is not committed. A peer that is not installed
is reported as such, with the command that installs it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
PEERS = BENCH / ".peers"
MKDOCS = PEERS / "mkdocs" / "bin" / "mkdocs"
MARP = PEERS / "marp" / "node_modules" / ".bin" / "marp"
RTL = {"fa", "ar"}
LESSON_ID = re.compile(r"lesson-\d{4}")


# ---------------------------------------------------------------- the corpus, read once

@dataclass
class Version:
    """One lesson file of the corpus: its lesson folder, language, metadata and Markdown body."""

    lesson: str
    lang: str
    path: Path
    meta: dict
    body: str
    images: list[Path] = field(default_factory=list)


def read_corpus(project: Path) -> list[Version]:
    versions = []
    for path in sorted((project / "content").glob("*/*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        versions.append(Version(path.parent.name, path.stem, path, yaml.safe_load(front), body,
                                sorted(path.parent.glob("*.png"))))
    return versions


def plain_body(body: str) -> str:
    """The lesson's Markdown for a reader's page (MkDocs, Hugo): stage attributes dropped, the trainer's
    notes kept as block quotes (neither tool has ``::: notes``)."""
    out, in_notes = [], False
    for line in body.splitlines():
        if line.startswith("## "):
            line = re.sub(r"\s*\{[^}]*\}\s*$", "", line)
        if line.strip() == "::: notes":
            in_notes = True
            continue
        if in_notes and line.strip() == ":::":
            in_notes = False
            continue
        out.append(("> " + line if line else ">") if in_notes else line)
    return "\n".join(out) + "\n"


def page_sections(meta: dict, body: str) -> str:
    """Objectives and key messages before the lesson, discussion prompts after it, as a handout has."""
    def items(key: str) -> str:
        return "\n".join(f"- {item}" for item in meta.get(key) or [])

    return (f"{items('objectives')}\n\n{items('key_messages')}\n\n{plain_body(body)}\n"
            f"{items('discussion')}\n\n{meta.get('follow_up') or ''}\n\n{meta.get('credits') or ''}\n")


def marp_deck(version: Version) -> str:
    """A Marp deck: a title slide, then one slide per stage (``---`` before each ``## ``; the corpus's
    own ``---`` stay slide breaks); the trainer's notes become Marp's presenter notes (HTML comments)."""
    meta = version.meta
    slides, in_notes = [], False
    for line in version.body.splitlines():
        if line.startswith("## "):
            slides += ["", "---", ""]
            line = re.sub(r"\s*\{[^}]*\}\s*$", "", line)
        if line.strip() == "::: notes":
            slides.append("<!--")
            in_notes = True
            continue
        if in_notes and line.strip() == ":::":
            slides.append("-->")
            in_notes = False
            continue
        slides.append(line)
    style = "style: 'section { direction: rtl; }'\n" if version.lang in RTL else ""
    front = (f"---\nmarp: true\nlang: {version.lang}\ntitle: {json.dumps(meta['title'], ensure_ascii=False)}\n"
             f"paginate: true\n{style}---\n\n")
    objectives = "\n".join(f"- {item}" for item in meta.get("objectives") or [])
    return front + f"# {meta['title']}\n\n{objectives}\n" + "\n".join(slides) + "\n"


# ---------------------------------------------------------------- the peers

@dataclass
class Peer:
    name: str
    makes: str  # what it makes per lesson version, in words
    install: str  # the command that installs it here

    def version(self) -> str | None: ...
    def prepare(self, corpus: list[Version], src: Path) -> None: ...
    def commands(self, src: Path, out: Path) -> list[list[str]]: ...


def _first_line(argv: list[str]) -> str | None:
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout.strip().splitlines()[0] if proc.returncode == 0 and proc.stdout.strip() else None


class MkDocs(Peer):
    """One MkDocs site per language (docs/<lesson>/index.md beside its images, default theme, search on), as MkDocs' own advice
    for several languages has it; the four builds run two at a time."""

    def __init__(self) -> None:
        super().__init__("MkDocs", "1 HTML page (+ its images copied; default theme, one search index per site)",
                         "python3 -m venv bench/.peers/mkdocs && bench/.peers/mkdocs/bin/pip install mkdocs")

    def version(self) -> str | None:
        line = _first_line([str(MKDOCS), "--version"]) if MKDOCS.exists() else None
        found = re.search(r"version (\S+)", line or "")
        return found.group(1) if found else None

    def prepare(self, corpus: list[Version], src: Path) -> None:
        for v in corpus:
            docs = src / v.lang / "docs" / v.lesson
            docs.mkdir(parents=True, exist_ok=True)
            (docs / "index.md").write_text(f"# {v.meta['title']}\n\n" + page_sections(v.meta, v.body),
                                                 encoding="utf-8")
            for image in v.images:
                shutil.copy(image, docs / image.name)
        for lang_dir in sorted(p for p in src.iterdir() if p.is_dir()):
            (lang_dir / "docs" / "index.md").write_text(f"# {lang_dir.name}\n", encoding="utf-8")
            (lang_dir / "mkdocs.yml").write_text(f"site_name: Lessons ({lang_dir.name})\n", encoding="utf-8")

    def commands(self, src: Path, out: Path) -> list[list[str]]:
        return [[str(MKDOCS), "build", "--quiet", "--clean", "-f", str(lang / "mkdocs.yml"), "-d", str(out / lang.name)]
                for lang in sorted(p for p in src.iterdir() if p.is_dir())]


class Hugo(Peer):
    """One multilingual Hugo site (a content folder per language, RTL for fa and ar), each lesson a page
    bundle with its images, through two minimal layouts; Hugo uses every core itself."""

    LAYOUT = ('<!DOCTYPE html><html lang="{{ .Site.Language.Lang }}" dir="{{ or .Site.Language.LanguageDirection'
              ' "ltr" }}"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><main>'
              '<h1>{{ .Title }}</h1>%s</main></body></html>\n')

    def __init__(self) -> None:
        super().__init__("Hugo", "1 HTML page (+ its images copied into the page bundle)",
                         "apt-get install -y hugo")

    def version(self) -> str | None:
        line = _first_line(["hugo", "version"]) if shutil.which("hugo") else None
        return line.split()[1].lstrip("v").split("+")[0] if line else None

    def prepare(self, corpus: list[Version], src: Path) -> None:
        langs = sorted({v.lang for v in corpus})
        config = ['baseURL = "/"', f'defaultContentLanguage = "{langs[0]}"', "defaultContentLanguageInSubdir = true",
                  'disableKinds = ["taxonomy", "term"]', "[languages]"]
        for weight, lang in enumerate(langs, 1):
            config += [f"[languages.{lang}]", f'contentDir = "content/{lang}"', f"weight = {weight}",
                       f'languageDirection = "{"rtl" if lang in RTL else "ltr"}"']
        (src / "config.toml").write_text("\n".join(config) + "\n", encoding="utf-8")
        layouts = src / "layouts" / "_default"
        layouts.mkdir(parents=True, exist_ok=True)
        (layouts / "single.html").write_text(self.LAYOUT % "{{ .Content }}", encoding="utf-8")
        (layouts / "list.html").write_text(
            self.LAYOUT % '<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>',
            encoding="utf-8")
        for v in corpus:
            bundle = src / "content" / v.lang / v.lesson
            bundle.mkdir(parents=True, exist_ok=True)
            front = yaml.safe_dump({"title": v.meta["title"], "description": v.meta.get("competence_area", "")},
                                   allow_unicode=True)
            (bundle / "index.md").write_text(f"---\n{front}---\n\n" + page_sections(v.meta, v.body),
                                             encoding="utf-8")
            for image in v.images:
                shutil.copy(image, bundle / image.name)

    def commands(self, src: Path, out: Path) -> list[list[str]]:
        return [["hugo", "--quiet", "--source", str(src), "--destination", str(out),
                 "--cacheDir", str(src / ".hugo-cache"), "--noBuildLock"]]


class Marp(Peer):
    """Marp CLI on a folder of decks (one Markdown file per lesson version, a slide per stage, notes as
    presenter notes), one process for the whole folder."""

    def __init__(self) -> None:
        super().__init__("Marp CLI", "1 slide deck HTML (presenter notes inside; images referenced, not copied)",
                         "npm install --prefix bench/.peers/marp @marp-team/marp-cli")

    def version(self) -> str | None:
        line = _first_line([str(MARP), "--version"]) if MARP.exists() else None
        return line.split()[1].lstrip("v") if line else None

    def prepare(self, corpus: list[Version], src: Path) -> None:
        for v in corpus:
            folder = src / v.lang
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{v.lesson}.md").write_text(marp_deck(v), encoding="utf-8")

    def commands(self, src: Path, out: Path) -> list[list[str]]:
        return [[str(MARP), "--no-stdin", "--input-dir", str(src), "--output", str(out)]]


class Pandoc(Peer):
    """Pandoc reads the lesson files as they are (its Markdown has YAML metadata, heading attributes and
    ``::: notes`` divs) into one standalone HTML each with the images embedded, as microlearn's handout
    has them; one process per file, two at a time (as `make -j2` would run them)."""

    def __init__(self) -> None:
        super().__init__("Pandoc", "1 standalone HTML page (images embedded)", "apt-get install -y pandoc")

    def version(self) -> str | None:
        line = _first_line(["pandoc", "--version"]) if shutil.which("pandoc") else None
        return line.split()[1] if line else None

    def prepare(self, corpus: list[Version], src: Path) -> None:
        (src / "files.json").write_text(json.dumps([[str(v.path), v.lang, v.lesson] for v in corpus]),
                                        encoding="utf-8")

    def commands(self, src: Path, out: Path) -> list[list[str]]:
        commands = []
        for path, lang, lesson in json.loads((src / "files.json").read_text(encoding="utf-8")):
            target = out / lang / f"{lesson}.html"
            commands.append(["pandoc", "--from", "markdown", "--to", "html5", "--standalone", "--self-contained",
                             "--resource-path", str(Path(path).parent), "--metadata", f"lang={lang}",
                             "--metadata", f"dir={'rtl' if lang in RTL else 'ltr'}", path, "--output", str(target)])
        return commands


ALL = [MkDocs, Hugo, Marp, Pandoc]


# ---------------------------------------------------------------- timing

# A driver that runs the commands, at most two at a time, and creates the output folders they need;
# timed as one process tree, so its CPU time covers every command it waited for.
DRIVER = r'''
import json, subprocess, sys, pathlib
from concurrent.futures import ThreadPoolExecutor
commands = json.loads(pathlib.Path(sys.argv[1]).read_text(encoding="utf-8"))
for argv in commands:
    if argv[-2] == "--output" and argv[0] == "pandoc":
        pathlib.Path(argv[-1]).parent.mkdir(parents=True, exist_ok=True)
def run(argv):
    proc = subprocess.run(argv, capture_output=True, text=True)
    return proc.returncode, " ".join(argv[:3]), proc.stderr[-2000:]
with ThreadPoolExecutor(2) as pool:
    for code, what, err in pool.map(run, commands):
        if code:
            sys.exit(f"{what}... failed ({code}): {err}")
'''


def timed(argv: list[str], cwd: Path | None = None) -> dict:
    """Wall and CPU seconds (user + system, the process and every child it waited for) of ``argv``."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
    stdout, stderr = proc.stdout.read(), proc.stderr.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
            "code": code, "error": (stderr or stdout).decode(errors="replace")[-3000:]}


def outputs(out: Path, versions: int) -> dict:
    """What a build made: all files, and those of the lessons (their path names a lesson), per version,
    by kind."""
    files = [p for p in out.rglob("*") if p.is_file()]
    lesson_files = [p for p in files if LESSON_ID.search(str(p.relative_to(out)))]
    kinds = Counter(p.suffix.lstrip(".") or p.name for p in lesson_files)
    return {"files": len(files), "lesson_files": len(lesson_files),
            "per_version": len(lesson_files) / versions if versions else 0.0,
            "per_version_kinds": {k: n / versions for k, n in sorted(kinds.items(), key=lambda kv: -kv[1])},
            "mb": sum(p.stat().st_size for p in files) / 2**20}


def run_peer(peer: Peer, corpus: list[Version], work: Path, runs: int) -> dict:
    version = peer.version()
    row: dict = {"tool": peer.name, "makes": peer.makes}
    if version is None:
        return {**row, "version": None, "status": f"not installed here (install: `{peer.install}`)"}
    row["version"] = version
    slug = peer.name.lower().replace(" ", "-")
    src, out = work / f"{slug}-src", work / f"{slug}-out"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    peer.prepare(corpus, src)
    commands = work / f"{slug}-commands.json"
    commands.write_text(json.dumps(peer.commands(src, out)), encoding="utf-8")
    results = []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(src / ".hugo-cache", ignore_errors=True)
        r = timed([sys.executable, "-c", DRIVER, str(commands)])
        if r["code"] != 0:
            return {**row, "status": f"build failed: {r['error'].strip()[-500:]}"}
        results.append(r)
    made = outputs(out, len(corpus))
    if made["lesson_files"] == 0:
        return {**row, "status": "built, but made no page for any lesson"}
    return {**row, "status": "ok", "runs": runs, "wall_s": statistics.median(r["wall"] for r in results),
            "cpu_s": statistics.median(r["cpu"] for r in results),
            "rss_mb": max(r["rss_mb"] for r in results), **made}


def run_peers(project: Path, work: Path, runs: int, log=lambda m: None) -> list[dict]:
    corpus = read_corpus(project)
    rows = []
    for cls in ALL:
        peer = cls()
        log(f"  {peer.name}…")
        rows.append(run_peer(peer, corpus, work, runs))
    return rows


def install() -> int:
    """Install the peers from the registries reachable here: apt (Debian), pip (PyPI), npm."""
    steps = []
    if not shutil.which("hugo") or not shutil.which("pandoc"):
        steps.append(["apt-get", "install", "-y", "hugo", "pandoc"])
    if not MKDOCS.exists():
        steps += [[sys.executable, "-m", "venv", str(PEERS / "mkdocs")],
                  [str(PEERS / "mkdocs" / "bin" / "pip"), "install", "mkdocs"]]
    if not MARP.exists():
        steps.append(["npm", "install", "--prefix", str(PEERS / "marp"), "--no-audit", "--no-fund",
                      "@marp-team/marp-cli"])
    failed = 0
    for argv in steps:
        print("+", " ".join(argv), file=sys.stderr)
        if subprocess.run(argv).returncode:
            failed += 1
    for cls in ALL:
        peer = cls()
        print(f"{peer.name}: {peer.version() or 'not installed'}", file=sys.stderr)
    return 1 if failed else 0


def main() -> int:
    if sys.argv[1:] == ["--install"]:
        return install()
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    rows = run_peers(Path(sys.argv[1]), Path(sys.argv[2]), runs=1, log=lambda m: print(m, file=sys.stderr))
    print(json.dumps(rows, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
