"""microlearn benchmark: build times, memory and output weights on a synthetic project, against a floor.

    .venv/bin/python bench/run.py            # 100 and 1,000 lesson versions, 3 runs each
    .venv/bin/python bench/run.py --quick    # 100 versions, 1 run (a minute)
    .venv/bin/python bench/run.py --readme   # also put the table into README.md ("Benchmark")

It generates a project (bench/synth.py: el, ru, fa and ar lessons of real words, 8-15 stages with
narration, images and discussion prompts) under bench/out/, then times, each in a fresh process and as
the median of the runs:

- cold: a full build with no site and no cache (PDFs apart: they are timed per PDF on a sample);
- no-op: the same build again;
- one lesson: after editing one lesson file;
- one catalog: after editing one message of the project's Persian catalog;
- floor: a bare loop that renders every lesson with markdown-it-py into a minimal Jinja2 template twice
  (deck and handout) and writes them, single process. Our cold build is reported as a ratio to it.

Peak memory is the largest resident set of the build process and its workers, CPU time their user +
system time (wait4). PDF handouts are timed apart: the build time they add on a sample, and the CPU time
of each one alone (bench/pdf_cpu.py, median).

In the same run, on the same corpus, the peers a user would pick instead are built cold and timed the
same way (bench/peers.py: MkDocs, Hugo, Marp CLI, Pandoc; install them once with
`.venv/bin/python bench/peers.py --install`); a peer that is not installed is reported so.

Results go to bench/out/results.json and Markdown tables to bench/out/table.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
sys.path.insert(0, str(BENCH))

import peers  # noqa: E402 - bench/ is on the path only now
from synth import make_large_lesson, make_project  # noqa: E402

PYTHON = sys.executable


# ---------------------------------------------------------------- the floor

FLOOR_CHILD = r'''
import sys, time, pathlib
t0 = time.perf_counter()
import yaml, jinja2
from markdown_it import MarkdownIt
root, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
md = MarkdownIt("commonmark")
env = jinja2.Environment(autoescape=True)
deck = env.from_string('<!DOCTYPE html><html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ title }}'
                       '</title></head><body><section><h1>{{ title }}</h1></section>{{ body|safe }}</body></html>')
handout = env.from_string('<!DOCTYPE html><html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ title }}'
                          '</title></head><body><main><h1>{{ title }}</h1>{{ body|safe }}</main></body></html>')
for path in sorted(root.glob("content/*/*.md")):
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    html = md.render(body)
    target = out / path.stem / path.parent.name
    target.mkdir(parents=True, exist_ok=True)
    ctx = {"lang": path.stem, "title": meta["title"], "body": html}
    (target / "index.html").write_text(deck.render(ctx), encoding="utf-8")
    (target / "handout.html").write_text(handout.render(ctx), encoding="utf-8")
print(time.perf_counter() - t0)
'''

BUILD_CHILD = r'''
import sys, time, json, pathlib
t0 = time.perf_counter()
from microlearn.site.build import build
t1 = time.perf_counter()
result = build(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), with_pdf=sys.argv[3] == "pdf")
t2 = time.perf_counter()
import microlearn
print(json.dumps({"import": t1 - t0, "build": t2 - t1, "code": microlearn.__file__, **result.stats}))
'''


CODE = OUT / "work" / "code"


def freeze_code() -> None:
    """Run the builds from a copy of microlearn (code, theme, catalogs) taken at the start: the cache
    keys cover microlearn's own code, so an edit to the working tree during the run would otherwise
    turn every rebuild into a full one."""
    if CODE.exists():
        shutil.rmtree(CODE)
    shutil.copytree(REPO / "src" / "microlearn", CODE / "src" / "microlearn",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("themes", "locales"):
        shutil.copytree(REPO / name, CODE / name)


def child_env() -> dict[str, str]:
    env = dict(os.environ, PYTHONHASHSEED="0", SOURCE_DATE_EPOCH="1700000000")
    if CODE.exists():
        env["PYTHONPATH"] = str(CODE / "src")
    return env


def run_child(code: str, *args: str) -> dict:
    """Run ``code`` in a fresh Python; its wall time and output."""
    env = child_env()
    start = time.perf_counter()
    proc = subprocess.Popen([PYTHON, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            cwd=REPO)
    stdout, stderr = proc.stdout.read(), proc.stderr.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark child failed:\n{stderr.decode()}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "stdout": stdout.decode().strip()}


def run_measured(code: str, *args: str) -> dict:
    """Like run_child, with the peak resident memory of that one process tree (os.wait4)."""
    env = child_env()
    start = time.perf_counter()
    proc = subprocess.Popen([PYTHON, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            cwd=REPO)
    stdout = proc.stdout.read()
    stderr = proc.stderr.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{stderr.decode()}")
    # ru_maxrss (KiB on Linux) covers the process and the workers it waited for, and so do the CPU times.
    return {"wall": wall, "rss_mb": usage.ru_maxrss / 1024, "cpu": usage.ru_utime + usage.ru_stime,
            **json.loads(stdout.decode().strip().splitlines()[-1])}


# ---------------------------------------------------------------- measurements

def edit_lesson(project: Path, n: int) -> None:
    path = sorted((project / "content").glob("*/fa.md"))[len(list((project / "content").iterdir())) // 2]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("::: notes\n", f"::: notes\nویرایش {n}.\n", 1), encoding="utf-8")


def catalog_file(project: Path) -> Path:
    return project / "locales" / "fa" / "LC_MESSAGES" / "messages.po"


def edit_catalog(project: Path, n: int) -> None:
    po = catalog_file(project)
    text = po.read_text(encoding="utf-8")
    marker = "# bench edit"
    lines = [line for line in text.splitlines() if not line.startswith(marker)]
    po.write_text("\n".join(lines) + f"\n{marker} {n}\n", encoding="utf-8")
    # A comment alone changes nothing on the pages; change a translation too.
    text = po.read_text(encoding="utf-8")
    key = 'msgid "Learning objectives"\nmsgstr "'
    if key not in text:
        raise SystemExit("the fa catalog has no 'Learning objectives'; pick another message in bench/run.py")
    start = text.index(key) + len(key)
    end = text.index('"', start)
    po.write_text(text[:start] + f"اهداف یادگیری {n}" + text[end:], encoding="utf-8")


def sizes(site: Path) -> dict:
    decks = sorted(site.glob("*/*/index.html"))
    handouts = sorted(site.glob("*/*/handout.html"))
    scorm = {version: sorted(site.glob(f"*/*/*-scorm{version}.zip")) for version in ("12", "2004")}
    lesson_zips = sorted(set(site.glob("*/*/*.zip")) - {p for packages in scorm.values() for p in packages})
    language_zips = sorted(site.glob("*/microlearn-*.zip"))
    assets = site / "assets"
    deck_assets = sum(p.stat().st_size for p in assets.iterdir() if p.name.startswith("deck.")) if assets.is_dir() else 0

    def without_images(path: Path) -> int:
        import re

        return len(re.sub(rb"data:image/[^\"')]+", b"", path.read_bytes()))

    def slides(path: Path) -> int:
        return path.read_text(encoding="utf-8").count('class="slide slide--')

    fifteen = [p for p in decks if slides(p) <= 15] or decks
    out = {
        "deck_html_kb_median": statistics.median(p.stat().st_size for p in decks) / 1024,
        "deck_html_kb_max_15_slides": max(p.stat().st_size for p in fifteen) / 1024,
        "deck_css_js_kb": deck_assets / 1024,
        "handout_html_kb_median": statistics.median(p.stat().st_size for p in handouts) / 1024,
        "handout_html_kb_max_no_images": max(without_images(p) for p in handouts) / 1024,
        "lesson_zip_kb_median": statistics.median(p.stat().st_size for p in lesson_zips) / 1024,
        **{f"scorm{version}_zip_kb_{name}": f(p.stat().st_size for p in packages) / 1024
           for version, packages in scorm.items() for name, f in (("median", statistics.median), ("max", max))},
        "language_zip_mb_max": max(p.stat().st_size for p in language_zips) / 2**20,
        "site_mb": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20,
        "files": sum(1 for p in site.rglob("*") if p.is_file()),
    }
    return out


def pdf_seconds(work: Path, count: int) -> dict:
    """Seconds per PDF: a project of ``count`` lesson versions built with and without PDFs."""
    sample = work / f"pdf-sample-{count}"
    if sample.exists():
        shutil.rmtree(sample)
    make_project(sample, count)
    site_a, site_b = work / "pdf-site-a", work / "pdf-site-b"
    for site in (site_a, site_b):
        shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(sample / ".microlearn-cache", ignore_errors=True)
    without = run_measured(BUILD_CHILD, str(sample), str(site_a), "nopdf")
    shutil.rmtree(sample / ".microlearn-cache", ignore_errors=True)
    with_pdf = run_measured(BUILD_CHILD, str(sample), str(site_b), "pdf")
    pdfs = sorted(site_b.glob("*/*/handout.pdf"))
    return {"pdf_count": count, "pdf_seconds_each": (with_pdf["build"] - without["build"]) / count,
            "pdf_build_rss_mb": with_pdf["rss_mb"],
            "pdf_kb_median": statistics.median(p.stat().st_size for p in pdfs) / 1024}


def pdf_cpu(project: Path) -> dict:
    """CPU seconds of each handout PDF of ``project`` made alone in one fresh process (bench/pdf_cpu.py)."""
    env = child_env()
    proc = subprocess.run([PYTHON, str(BENCH / "pdf_cpu.py"), str(project)], capture_output=True, text=True,
                          env=env, cwd=REPO)
    if proc.returncode != 0:
        raise SystemExit(f"bench/pdf_cpu.py failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def large_lesson(work: Path, stages: int) -> dict:
    """One lesson of ``stages`` stages in two languages: cold build time, memory, deck weight."""
    project = work / f"large-{stages}"
    site = work / f"large-site-{stages}"
    for folder in (project, site):
        shutil.rmtree(folder, ignore_errors=True)
    make_large_lesson(project, stages)
    r = run_measured(BUILD_CHILD, str(project), str(site), "nopdf")
    deck = site / "el" / "large-lesson" / "index.html"
    return {"stages": stages, "cold_s": r["build"], "rss_mb": r["rss_mb"], "deck_kb": deck.stat().st_size / 1024,
            "handout_kb": (site / "el" / "large-lesson" / "handout.html").stat().st_size / 1024}


def bench(versions: int, runs: int, work: Path) -> dict:
    project = work / f"project-{versions}"
    site = work / f"site-{versions}"
    floor_site = work / f"floor-{versions}"
    if project.exists():
        shutil.rmtree(project)
    make_project(project, versions)
    builtin_po = REPO / "locales" / "fa" / "LC_MESSAGES" / "messages.po"
    catalog_file(project).parent.mkdir(parents=True)
    shutil.copy(builtin_po, catalog_file(project))

    result: dict = {"versions": versions, "lessons": len(list((project / "content").iterdir())), "runs": runs}
    cold, noop, lesson, catalog, floor, floor_process, rss = [], [], [], [], [], [], []
    for n in range(runs):
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(project / ".microlearn-cache", ignore_errors=True)
        shutil.rmtree(floor_site, ignore_errors=True)
        r = run_child(FLOOR_CHILD, str(project), str(floor_site))
        floor.append(float(r["stdout"]))
        floor_process.append(r)
        r = run_measured(BUILD_CHILD, str(project), str(site), "nopdf")
        assert r["code"].startswith(str(CODE)), f"the build ran {r['code']}, not the frozen copy"
        cold.append(r)
        rss.append(r["rss_mb"])
        r = run_measured(BUILD_CHILD, str(project), str(site), "nopdf")
        noop.append(r)
        rss.append(r["rss_mb"])
        edit_lesson(project, n)
        r = run_measured(BUILD_CHILD, str(project), str(site), "nopdf")
        lesson.append(r)
        edit_catalog(project, n)
        r = run_measured(BUILD_CHILD, str(project), str(site), "nopdf")
        catalog.append(r)
        rss += [x["rss_mb"] for x in (lesson[-1], catalog[-1])]

    def med(rows: list[dict], key: str) -> float:
        return statistics.median(r[key] for r in rows)

    result.update({
        "floor_s": statistics.median(floor),
        "floor_process_s": med(floor_process, "wall"), "floor_cpu_s": med(floor_process, "cpu"),
        "cold_s": med(cold, "build"), "cold_process_s": med(cold, "wall"), "cold_cpu_s": med(cold, "cpu"),
        "noop_s": med(noop, "build"), "noop_process_s": med(noop, "wall"),
        "one_lesson_s": med(lesson, "build"), "one_lesson_process_s": med(lesson, "wall"),
        "one_lesson_written": med(lesson, "written"),
        "one_catalog_s": med(catalog, "build"), "one_catalog_process_s": med(catalog, "wall"),
        "one_catalog_written": med(catalog, "written"),
        "noop_written": med(noop, "written"),
        "peak_rss_mb": max(rss),
        "import_s": med(cold, "import"),
    })
    result["cold_vs_floor"] = result["cold_s"] / result["floor_s"]
    result["sizes"] = sizes(site)
    result["outputs"] = peers.outputs(site, versions)
    result["floor_outputs"] = peers.outputs(floor_site, versions)
    result["project"] = str(project)
    shutil.rmtree(floor_site, ignore_errors=True)
    return result


# ---------------------------------------------------------------- report

def table(results: list[dict], pdf: dict | None, when: str, machine: str, large: dict | None = None,
          pdf_cpu_runs: dict | None = None) -> str:
    lines = [(f"Measured {when} on {machine} with `python bench/run.py` (median of the runs; times of the "
              "`build()` call, in brackets the whole `microlearn` process with Python's start-up)."), "",
             "| lesson versions | " + " | ".join(str(r["versions"]) for r in results) + " | target |",
             "|---|" + "---:|" * len(results) + "---|"]

    def row(label: str, cells: list[str], target: str = "") -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")

    row("bare-loop floor (markdown-it-py + Jinja2)", [f"{r['floor_s']:.2f} s" for r in results])
    row("cold full build, no PDFs", [f"{r['cold_s']:.2f} s ({r['cold_process_s']:.2f} s)" for r in results])
    row("cold full build, CPU time (build and workers)", [f"{r['cold_cpu_s']:.2f} s" for r in results])
    row("cold build ÷ floor", [f"{r['cold_vs_floor']:.2f}×" for r in results], "≤ 1.0× (issue 14)")
    row("no-op rebuild", [f"{r['noop_s']:.3f} s ({r['noop_process_s']:.2f} s), {r['noop_written']:.0f} written"
                          for r in results], "≤ 100 ms at 1,000")
    row("one lesson edited", [f"{r['one_lesson_s']:.3f} s ({r['one_lesson_process_s']:.2f} s), "
                              f"{r['one_lesson_written']:.0f} written" for r in results], "≤ 150 ms (≤ 350 ms process) at 1,000")
    row("one catalog edited (fa)", [f"{r['one_catalog_s']:.2f} s ({r['one_catalog_process_s']:.2f} s), "
                                    f"{r['one_catalog_written']:.0f} written" for r in results], "≤ 1 s at 1,000")
    row("peak memory (RSS, build and workers)", [f"{r['peak_rss_mb']:.0f} MB" for r in results], "≤ 150 MB at 1,000")
    s = [r["sizes"] for r in results]
    row("deck HTML (median of all decks / largest deck of ≤ 15 slides)", [f"{x['deck_html_kb_median']:.1f} / "
                                                     f"{x['deck_html_kb_max_15_slides']:.1f} KB" for x in s], "< 30 KB for 15 slides")
    row("deck CSS + JS", [f"{x['deck_css_js_kb']:.1f} KB" for x in s], "< 50 KB")
    row("handout HTML (median with images / largest without)",
        [f"{x['handout_html_kb_median']:.1f} / {x['handout_html_kb_max_no_images']:.1f} KB" for x in s], "< 60 KB")
    row("lesson zip (median)", [f"{x['lesson_zip_kb_median']:.0f} KB" for x in s])
    row("SCORM 1.2 package (median / largest)", [f"{x['scorm12_zip_kb_median']:.0f} / {x['scorm12_zip_kb_max']:.0f} KB"
                                                 for x in s])
    row("SCORM 2004 package (median / largest)",
        [f"{x['scorm2004_zip_kb_median']:.0f} / {x['scorm2004_zip_kb_max']:.0f} KB" for x in s])
    row("language zip (largest)", [f"{x['language_zip_mb_max']:.1f} MB" for x in s])
    row("whole site", [f"{x['site_mb']:.0f} MB, {x['files']} files" for x in s])
    if pdf:
        lines += ["", (f"PDF handouts (WeasyPrint, {pdf['pdf_count']} lesson versions built with and without "
                       f"PDFs): {pdf['pdf_seconds_each']:.2f} s per PDF of build time on this machine, median PDF "
                       f"{pdf['pdf_kb_median']:.0f} KB; PDFs are made in the same process pool, and again only "
                       "when their lesson, catalogs or theme changed.")]
    if pdf_cpu_runs:
        parts = [f"{name}: median {r['median_cpu_s']:.2f} s CPU per handout over {r['handouts']} handouts "
                 f"(the first of the process {r['first_cpu_s']:.2f} s, with fonts loaded)"
                 for name, r in pdf_cpu_runs.items()]
        lines += ["", ("CPU time of one handout PDF made alone (`bench/pdf_cpu.py`: `pdf.html_to_pdf` timed "
                       "with `time.process_time`, one process): " + "; ".join(parts) + ". Target: ≤ 0.3 s.")]
    if large:
        lines += ["", (f"One lesson of {large['stages']:,} stages in two languages: cold build "
                       f"{large['cold_s']:.2f} s, peak memory {large['rss_mb']:.0f} MB, deck "
                       f"{large['deck_kb']:,.0f} KB, handout {large['handout_kb']:,.0f} KB.")]
    return "\n".join(lines) + "\n"


MICROLEARN_MAKES = ("deck (slides with presenter view and notes), handout HTML, lesson zip (both pages "
                    "for offline use); + handout PDF when PDFs are on. Per language also an index page and a zip "
                    "of all its lessons; one root page")
FLOOR_MAKES = "2 bare HTML pages (no styles, no navigation, no notes, images not copied)"


def peers_table(result: dict, peer_rows: list[dict], code_version: str) -> str:
    """microlearn, the floor and the peers on one corpus: wall and CPU time of a cold build (whole
    process, median of the runs), and what each makes per lesson version."""
    n = result["versions"]
    lines = [(f"The same {n:,} lesson versions ({result['lessons']} lessons × 4 languages) built cold by each "
              "tool in the same run: whole process, median of the runs; CPU is user + system time of the tool "
              "and its children. Files per lesson version are those whose path names the lesson."), "",
             "| tool | version | wall time | CPU | files per lesson version | what they are |",
             "|---|---|---:|---:|---:|---|"]

    def kinds(made: dict) -> str:
        return ", ".join(f"{count:g} {kind}" for kind, count in made["per_version_kinds"].items())

    def site(made: dict) -> str:
        return f"; {made['files']:,} files, {made['mb']:.0f} MB in all"

    mine = result["outputs"]
    lines.append(f"| microlearn, no PDFs | {code_version} | {result['cold_process_s']:.2f} s | "
                 f"{result['cold_cpu_s']:.2f} s | {mine['per_version']:g} ({kinds(mine)}) | "
                 f"{MICROLEARN_MAKES}{site(mine)} |")
    floor = result["floor_outputs"]
    lines.append(f"| bare-loop floor (markdown-it-py + Jinja2, one process) | | {result['floor_process_s']:.2f} s | "
                 f"{result['floor_cpu_s']:.2f} s | {floor['per_version']:g} ({kinds(floor)}) | {FLOOR_MAKES} |")
    for row in peer_rows:
        if row["status"] != "ok":
            lines.append(f"| {row['tool']} | {row['version'] or '–'} | – | – | – | {row['status']} |")
            continue
        lines.append(f"| {row['tool']} | {row['version']} | {row['wall_s']:.2f} s | {row['cpu_s']:.2f} s | "
                     f"{row['per_version']:g} ({kinds(row)}) | {row['makes']}{site(row)} |")
    return "\n".join(lines) + "\n"


def busy() -> list[str]:
    """What else uses the CPU as the run starts (the machine may be shared)."""
    proc = subprocess.run(["ps", "-eo", "pcpu,etime,args", "--sort=-pcpu"], capture_output=True, text=True)
    return [line.strip()[:160] for line in proc.stdout.splitlines()[1:9]]


def machine() -> str:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count()
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cores} cores ({cpu or platform.machine()}, shared), Python {platform.python_version()}"


def code_version() -> str:
    """microlearn's version and the commit the measured code was copied from."""
    version = next((line.split('"')[1] for line in (CODE / "src" / "microlearn" / "__init__.py").read_text(
        encoding="utf-8").splitlines() if line.startswith("__version__")), "?")
    proc = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO)
    dirty = subprocess.run(["git", "status", "--porcelain", "src", "themes", "locales"], capture_output=True,
                           text=True, cwd=REPO).stdout.strip()
    commit = proc.stdout.strip() + ("+edits" if dirty else "") if proc.returncode == 0 else ""
    return f"{version} ({commit})" if commit else version


def update_readme(text: str) -> None:
    readme = REPO / "README.md"
    content = readme.read_text(encoding="utf-8")
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start not in content:
        raise SystemExit("README.md has no <!-- bench:start --> marker")
    head, rest = content.split(start, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(f"{head}{start}\n{text}{end}{tail}", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100 versions only, one run")
    parser.add_argument("--versions", type=int, nargs="*", help="project sizes (default: 100 1000)")
    parser.add_argument("--runs", type=int, help="runs per size (default: 3, --quick: 1)")
    parser.add_argument("--pdfs", type=int, default=8, help="lesson versions in the PDF sample (0: none)")
    parser.add_argument("--large", type=int, default=500,
                        help="stages of the one large lesson (0: none; 1,000 stages pass microlearn's 1 MB limit)")
    parser.add_argument("--peers", type=int, help="lesson versions the peers are built on: one of --versions "
                        "(default: the largest; 0: no peers)")
    parser.add_argument("--peer-runs", type=int, help="runs per peer (default: as --runs)")
    parser.add_argument("--readme", action="store_true", help="write the table into README.md")
    args = parser.parse_args()
    versions = args.versions or ([100] if args.quick else [100, 1000])
    runs = args.runs or (1 if args.quick else 3)
    work = OUT / "work"
    work.mkdir(parents=True, exist_ok=True)
    freeze_code()
    load_before = os.getloadavg()[0]
    others = busy()
    results = []
    for count in versions:
        print(f"{count} lesson versions, {runs} run(s)…", file=sys.stderr, flush=True)
        results.append(bench(count, runs, work))
    peer_rows: list[dict] = []
    peers_at = versions[-1] if args.peers is None else args.peers
    if peers_at:
        if peers_at not in versions:
            raise SystemExit(f"--peers {peers_at}: not one of the sizes measured ({versions})")
        print(f"peers on {peers_at} lesson versions…", file=sys.stderr, flush=True)
        peer_rows = peers.run_peers(work / f"project-{peers_at}", work / "peers", args.peer_runs or runs,
                                    log=lambda m: print(m, file=sys.stderr, flush=True))
    pdf = None
    pdf_cpu_runs = None
    if args.pdfs:
        print(f"PDF sample of {args.pdfs}…", file=sys.stderr, flush=True)
        pdf = pdf_seconds(work, args.pdfs)
        print("CPU per handout PDF…", file=sys.stderr, flush=True)
        pdf_cpu_runs = {f"the {args.pdfs} sample lesson versions": pdf_cpu(work / f"pdf-sample-{args.pdfs}"),
                        "the example project's handouts": pdf_cpu(REPO)}
    large = None
    if args.large:
        print(f"one lesson of {args.large} stages…", file=sys.stderr, flush=True)
        large = large_lesson(work, args.large)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    # The machine may be shared: the load says how much the times are to be trusted.
    where = f"{machine()}, load average {load_before:.1f} at the start and {os.getloadavg()[0]:.1f} at the end"
    text = table(results, pdf, when, where, large, pdf_cpu_runs)
    if peers_at:
        text += "\n" + peers_table(next(r for r in results if r["versions"] == peers_at), peer_rows,
                                   code_version())
    (OUT / "results.json").write_text(json.dumps({"when": when, "machine": machine(), "busy_at_start": others,
                                                  "results": results, "pdf": pdf, "pdf_cpu": pdf_cpu_runs,
                                                  "large_lesson": large, "peers": peer_rows},
                                                 indent=2, default=str, ensure_ascii=False),
                                      encoding="utf-8")
    (OUT / "table.md").write_text(text, encoding="utf-8")
    print(text)
    if args.readme:
        update_readme(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
