"""The build, top to bottom: read the project, check it, render every page, write the site."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from microlearn.epoch import source_date_epoch
from microlearn.errors import BuildFailed, Diagnostic, MicrolearnError
from microlearn.i18n.gettext import MissingStrings
from microlearn.lessons.check import check_project
from microlearn.lessons.model import Lesson
from microlearn.lessons.parse import parse_lesson
from microlearn.lessons.project import Project, language_is_rtl, load_project
from microlearn.outputs import bundle, pdf
from microlearn.outputs.bundle import language_zip_from_lessons
from microlearn.outputs.pages import catalog_entries, lesson_pages
from microlearn.outputs.sitemap import sitemap_xml
from microlearn.project.config import Config, load_config
from microlearn.project.sources import find_lesson_files
from microlearn.render.renderer import Renderer
from microlearn.site.cache import BuildCache, Keys, hash_parts
from microlearn.site.folder import check_output_folder
from microlearn.site.pool import in_pool, workers_for
from microlearn.site.writer import SITE_MARKER, SITE_MARKER_TEXT, SiteWriter, file_record


@dataclass
class BuildResult:
    out: Path
    files: Mapping[str, bytes]  # every file of the site by path (read from the site when asked)
    warnings: list[Diagnostic] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    pdf_note: str = ""


def build(root: Path, out: Path | None = None, *, with_pdf: bool = True, strict: bool = False,
          progress=None, config: Config | None = None, cache: bool = True,
          jobs: int | None = None) -> BuildResult:
    """Build the project in ``root`` into ``out`` (default: the config's output folder).

    Unchanged lessons come from the cache (``cache.py``) and their files from the previous site;
    the rest is rendered by a pool of ``jobs`` processes (default: every core). The output is the
    same byte for byte as ``render_site`` would give.
    """
    config = config or load_config(root)
    target = out or (config.root / config.output_dir)
    make_pdfs = with_pdf and pdf.available()
    pdf_note = pdf.MISSING_MESSAGE if with_pdf and not make_pdfs else ""
    epoch = source_date_epoch()
    store = BuildCache(config.root, target, enabled=cache)
    check_output_folder(target, config, given=out is not None, known=store.known_files())
    keys = Keys(config, make_pdfs=make_pdfs, epoch=epoch)
    sources = find_lesson_files(config)
    source_keys = keys.lesson_files(sources)
    everything = hash_parts("site", keys.env, *(keys.catalogs(code) for code in config.languages),
                            *(f"{f.path}\0{source_keys[f.path]}" for f in sources))

    # Nothing changed and the previous site is as we left it: leave it alone.
    if store.manifest.get("site") == everything and _intact(target, store.known_files()):
        diagnostics = [Diagnostic(*d) for d in store.manifest.get("diagnostics", [])]
        _stop_on_errors(diagnostics, strict)
        warnings = diagnostics + [Diagnostic(*d) for d in store.manifest.get("render_warnings", [])]
        known = store.known_files()
        return BuildResult(target, SiteFiles(target, sorted(known)), warnings,
                           {"written": 0, "kept": len(known)}, pdf_note)

    project = load_project(root, config, parse=_cached_parser(sources, source_keys, store, config, jobs))
    diagnostics = check_project(project)
    _stop_on_errors(diagnostics, strict)

    missing = MissingStrings()
    missed: list[tuple[str, str]] = []
    renderer = Renderer(config, missing, lambda lang, msgid: missed.append((lang, msgid)),
                        template_cache=store.dir / "templates" if store.enabled else None)
    renderer.with_pdf = make_pdfs
    previous_units = store.units()
    known_before = store.known_files()
    units: dict[str, dict] = {}
    files: dict[str, bytes] = {}
    shas: dict[str, str] = {}
    kept: set[str] = set()  # files linked from the previous site unread
    with SiteWriter(target, known_before) as writer:

        def reuse(name: str, key: str) -> dict | None:
            """The previous build's unit ``name`` when its key is the same and its files are intact:
            its files are then linked into the new site unread. Else None: render it again."""
            before = previous_units.get(name)
            if not (before and before["key"] == key and before.get("files")
                    and all(writer.unchanged(f) for f in before["files"])):
                return None
            for relpath in before["files"]:
                writer.keep(relpath)
                kept.add(relpath)
                shas[relpath] = known_before[relpath][0]
            return before

        for name, data in renderer.static_files.items():
            files[f"assets/{name}"] = data
        by_lang = catalog_entries(project)
        for lang, entries in by_lang.items():
            # A catalog page shows its lessons and only the titles of their other versions: rendered
            # again when one of its lessons, one of those titles, the catalogs, the theme or the config
            # changed.
            relpath, name = f"{lang}/index.html", f"catalog:{lang}"
            key = hash_parts("catalog", keys.env, keys.catalogs(lang), *(
                f"{lesson.id}:{outdated}:{source_keys[lesson.path]}:" + "\0".join(
                    f"{code}={other.title}" for code, other in versions.items() if code != lang)
                for lesson, versions, outdated in entries))
            before = reuse(name, key)
            if before:
                missed.extend(tuple(m) for m in before.get("missing", []))
                units[name] = before
            else:
                mark = len(missed)
                files[relpath] = renderer.catalog(lang, entries).encode("utf-8")
                units[name] = {"key": key, "files": [relpath], "missing": [list(m) for m in missed[mark:]]}
        files["index.html"] = renderer.root_index({k: len(v) for k, v in by_lang.items()}).encode("utf-8")
        if config.base_url:
            files["sitemap.xml"] = sitemap_xml(project).encode("utf-8")
        files[".nojekyll"] = b""
        files[SITE_MARKER] = SITE_MARKER_TEXT
        for relpath, data in files.items():
            shas[relpath] = writer.write(relpath, data)

        # Each lesson version: its deck, handout, images, PDF and zip, from the previous site when
        # nothing they depend on changed, else rendered in the pool.
        todo: list[Lesson] = []
        for lesson in project.all_lessons():
            name = f"{lesson.lang}/{lesson.id}"
            key = keys.unit(lesson.lang, source_keys[lesson.path], sorted(project.versions(lesson.id)),
                            project.is_outdated(lesson))
            before = reuse(name, key)
            if before:
                units[name] = before
            else:
                units[name] = {"key": key}
                todo.append(lesson)
        finished: list[Lesson] = []

        in_workers = [0, 0]

        def rendered(lesson: Lesson, written: dict[str, str], lesson_missed: list, counts: tuple) -> None:
            shas.update(written)
            if workers_used:
                in_workers[0] += counts[0]
                in_workers[1] += counts[1]
            units[f"{lesson.lang}/{lesson.id}"].update(files=sorted(written), missing=lesson_missed)
            finished.append(lesson)
            if progress:
                progress(len(finished), len(todo))

        workers_used = workers_for(jobs, len(todo)) > 1  # counted in the workers' copies of the writer
        _render_units(todo, project, renderer, writer, make_pdfs, epoch, missed, jobs, rendered)

        # A language's zip: again only when one of its lessons (or its catalogs) changed.
        for lang, entries in by_lang.items():
            if not entries:
                continue
            name = f"zip:{lang}"
            relpath = bundle.language_zip_path(lang)
            key = hash_parts("zip", keys.env, keys.catalogs(lang),
                             *(units[f"{lang}/{lesson.id}"]["key"] for lesson, _, _ in entries))
            if not reuse(name, key):
                data = language_zip_from_lessons(lang, entries, renderer, writer.staged)
                shas[relpath] = writer.write(relpath, data)
            units[name] = {"key": key, "files": [relpath]}
        writer.commit()
        stats = {"written": writer.written + in_workers[0], "kept": writer.kept + in_workers[1]}

    missing_all = list(missed)
    for lesson in project.all_lessons():
        missing_all += [tuple(m) for m in units[f"{lesson.lang}/{lesson.id}"].get("missing", [])]
    seen: set[tuple[str, str]] = set()
    render_warnings: list[Diagnostic] = []
    for lang, msgid in missing_all:
        if (lang, msgid) not in seen:
            seen.add((lang, msgid))
            render_warnings.append(_missing_warning(lang, msgid))
    render_warnings += renderer.catalog_warnings
    try:
        # A kept file is the previous one, linked: same inode, size and mtime, so the same record.
        known = {relpath: known_before[relpath] if relpath in kept else file_record(writer.out, relpath, sha)
                 for relpath, sha in shas.items()}
    except OSError:
        known = {}
    store.save({"site": everything if known else "", "files": known, "units": units,
                "diagnostics": [_plain(d) for d in diagnostics],
                "render_warnings": [_plain(d) for d in render_warnings]})
    return BuildResult(target, SiteFiles(target, sorted(shas), files), diagnostics + render_warnings, stats,
                       pdf_note)


def _missing_warning(lang: str, msgid: str) -> Diagnostic:
    return Diagnostic("warning", f"no {lang} translation for interface text {msgid!r}; showing the source text",
                      None, None, None, "missing-translation")


def _plain(d: Diagnostic) -> list:
    return [d.level, d.message, d.path, d.line, d.col, d.code]


def _stop_on_errors(diagnostics: list[Diagnostic], strict: bool) -> None:
    errors = [d for d in diagnostics if d.level == "error" or (strict and d.level == "warning")]
    if errors:
        raise BuildFailed(errors)


def _intact(out: Path, known: dict[str, tuple]) -> bool:
    """The site holds exactly the files the last build wrote, each as it was written."""
    if not known:
        return False
    found: set[str] = set()
    base = len(str(out.resolve())) + 1
    for folder, dirs, names in os.walk(out.resolve()):
        for name in names:
            found.add(os.path.join(folder, name)[base:].replace(os.sep, "/"))
    if found != set(known):
        return False
    for relpath, (_sha, size, mtime, ino) in known.items():
        try:
            st = os.stat(out / relpath, follow_symlinks=False)
        except OSError:
            return False
        if (st.st_size, st.st_mtime_ns, st.st_ino) != (size, mtime, ino):
            return False
    return True


class SiteFiles(Mapping):
    """The built site's files by path: pages rendered in this process from memory, the others read
    from the output folder when asked for."""

    def __init__(self, out: Path, paths: list[str], in_memory: dict[str, bytes] | None = None) -> None:
        self.out = out
        self.paths = paths
        self._index = set(paths)
        self.in_memory = in_memory or {}

    def __getitem__(self, relpath: str) -> bytes:
        if relpath not in self._index:
            raise KeyError(relpath)
        if relpath in self.in_memory:
            return self.in_memory[relpath]
        return (self.out / relpath).read_bytes()

    def __iter__(self):
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)


_PARSE_JOB: dict = {}


def _parse_one(index: int):
    file, rtl, raw_html = _PARSE_JOB["files"][index]
    try:
        result = parse_lesson(file.path, file.lesson_id, file.lang, rtl=rtl, raw_html=raw_html)
    except MicrolearnError as err:  # sent back as plain values: the error's own pickling loses its place
        return ("error", err.message, str(err.path) if err.path else None, err.line, err.col)
    _PARSE_JOB["store"].put_lesson(_PARSE_JOB["keys"][file.path], *result)  # in the worker, in parallel
    return result


def _cached_parser(sources: list, source_keys: dict, store: BuildCache, config: Config, jobs: int | None):
    """A parse_lesson for load_project: unchanged lessons from the cache, the others parsed in a pool
    (all at once, before load_project asks for them one by one)."""
    parsed: dict[Path, tuple] = {}
    todo = []
    for file in sources:
        hit = store.get_lesson(source_keys[file.path], file, config.raw_html)
        if hit is not None:
            parsed[file.path] = hit
        else:
            todo.append((file, language_is_rtl(config, file.lang), config.raw_html))
    workers = workers_for(jobs, len(todo))
    if workers > 1:
        _PARSE_JOB.update(files=todo, store=store, keys=source_keys)
        try:
            results = list(in_pool(workers, _parse_one, len(todo), max(1, len(todo) // (workers * 4))))
        finally:
            _PARSE_JOB.clear()
        for (file, _rtl, _raw), result in zip(todo, results):
            if result[0] == "error":
                break  # load_project parses this one again and raises its error, in file order
            parsed[file.path] = result
            store.used_lessons.add(source_keys[file.path])

    def parse(path: Path, lesson_id: str, lang: str, rtl: bool = False, raw_html: bool = False):
        if path in parsed:
            return parsed[path]
        result = parse_lesson(path, lesson_id, lang, rtl=rtl, raw_html=raw_html)
        store.put_lesson(source_keys[path], *result)
        return result

    return parse


def unit_files(lesson: Lesson, project: Project, renderer: Renderer, make_pdfs: bool, epoch: int) -> dict[str, bytes]:
    """One lesson version's files: deck, handout, images, PDF and zip (as render_site makes them)."""
    files = lesson_pages(lesson, project, renderer)
    if make_pdfs:
        files[pdf.pdf_path(lesson)] = pdf.handout_pdf(lesson, project, renderer, epoch)
    files.update(bundle.lesson_zip(lesson, project, renderer, files))
    return files


_RENDER_JOB: dict = {}


def _render_one(index: int):
    lesson = _RENDER_JOB["lessons"][index]
    try:
        return _render_and_write(lesson, *_RENDER_JOB["args"])
    except MicrolearnError as err:
        return ("error", err.message, str(err.path) if err.path else None, err.line, err.col)


def _render_and_write(lesson: Lesson, project, renderer, writer: SiteWriter, make_pdfs: bool, epoch: int,
                      missed: list):
    start = len(missed)
    renderer.missing.seen.clear()  # report every string this lesson misses, for its cache entry
    files = unit_files(lesson, project, renderer, make_pdfs, epoch)
    counts = writer.written, writer.kept
    written = {relpath: writer.write(relpath, data) for relpath, data in files.items()}
    lesson_missed = sorted(set(missed[start:]))
    del missed[start:]
    return written, lesson_missed, (writer.written - counts[0], writer.kept - counts[1])


def _render_units(lessons: list[Lesson], project, renderer, writer, make_pdfs, epoch, missed: list, jobs,
                  done) -> None:
    """Render and write ``lessons`` (in a process pool when there are enough); calls ``done`` with each
    lesson, the files written and the interface strings it missed (which the renderer's on_missing
    appends to ``missed``)."""
    args = (project, renderer, writer, make_pdfs, epoch, missed)
    workers = workers_for(jobs, len(lessons))
    if workers == 1:
        for lesson in lessons:
            done(lesson, *_render_and_write(lesson, *args))
        return
    for lang in project.config.languages:  # catalogs read and templates compiled once, before the fork
        env = renderer.env(lang)
        for name in env.list_templates(extensions=["html"]):
            env.get_template(name)
    _RENDER_JOB.update(lessons=lessons, args=args)
    try:
        chunk = max(1, min(8, len(lessons) // (workers * 4)))
        for lesson, result in zip(lessons, in_pool(workers, _render_one, len(lessons), chunk)):
            if result[0] == "error":
                raise MicrolearnError(*result[1:])
            done(lesson, *result)
    finally:
        _RENDER_JOB.clear()
