"""The build, top to bottom: read the project, check it, plan the site, render or keep each unit of
the plan, write the site.

``build`` makes a whole new site beside the old one and swaps it in (``SiteWriter``); ``Builder``
keeps a build's state in memory for ``serve``, which walks the same plan after each save and writes
the files that changed in place.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from microlearn.epoch import source_date_epoch
from microlearn.errors import BuildFailed, Diagnostic, MicrolearnError
from microlearn.files import replace_file, safe_relpath
from microlearn.i18n.gettext import MissingStrings
from microlearn.lessons.check import check_project
from microlearn.lessons.model import Lesson
from microlearn.lessons.parse import parse_lesson
from microlearn.lessons.project import Project, language_is_rtl, read_project
from microlearn.outputs import enabled_outputs, pdf
from microlearn.outputs.context import OutputContext
from microlearn.project.config import Config, load_config
from microlearn.project.sources import find_lesson_files
from microlearn.render.renderer import Renderer
from microlearn.site.cache import BuildCache, Keys, hash_parts
from microlearn.site.folder import check_output_folder
from microlearn.site.plan import Unit, lesson_files, lesson_unit_name, plan, site_files
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
          progress: Callable[[int, int], None] | None = None, config: Config | None = None, cache: bool = True,
          jobs: int | None = None) -> BuildResult:
    """Build the project in ``root`` into ``out`` (default: the config's output folder).

    Unchanged lessons come from the cache (``cache.py``) and their files from the previous site;
    the rest is rendered by a pool of ``jobs`` processes (default: every core). The site is the same
    byte for byte as a build without any cache gives.
    """
    return Builder(root, out, with_pdf=with_pdf, strict=strict, progress=progress, config=config, cache=cache,
                   jobs=jobs).build()


def load_and_check(root: Path, config: Config, strict: bool, parse=None,
                   files=None) -> tuple[Project, list[Diagnostic]]:
    """The project read by the one loader and checked: every author mistake at once (BuildFailed), or
    the project with its warnings."""
    project, found = read_project(root, config, parse=parse, files=files)
    diagnostics = check_project(project)
    errors = [d for d in found if d.level == "error"]
    if errors:
        errors += [d for d in diagnostics if d.level == "error"]
        raise BuildFailed(sorted(errors, key=lambda d: (d.path or "", d.line or 0, d.col or 0)))
    _stop_on_errors(diagnostics, strict)
    return project, diagnostics


class Builder:
    """One project built into one folder. ``build()`` makes the whole site; afterwards ``update(paths)``
    (serve, after a save) re-reads what changed, walks the same plan with the state kept in memory
    (config, keys, parsed lessons, compiled catalogs and templates) and writes the changed files in
    place."""

    def __init__(self, root: Path, out: Path | None = None, *, with_pdf: bool = True, strict: bool = False,
                 progress: Callable[[int, int], None] | None = None, config: Config | None = None,
                 cache: bool = True, jobs: int | None = None) -> None:
        self.root = root
        self.given_out = out
        self.with_pdf = with_pdf
        self.strict = strict
        self.progress = progress
        self.config = config
        self.cache = cache
        self.jobs = jobs
        # what the last build or update left, for the next update
        self.keys: Keys | None = None
        self.sources: list = []  # the lesson files the last build found
        self.source_keys: dict[Path, str] = {}
        self.parsed: dict[Path, tuple] = {}
        self.ctx: OutputContext | None = None
        self.units: dict[str, dict] = {}
        self.deferred: set[str] = set()  # units update() left for later (a language's zip)
        self.written: list[str] = []  # site paths the last update wrote

    # ------------------------------------------------------------------ the whole site

    def build(self) -> BuildResult:  # noqa: C901 - the pipeline in one read: load, plan, keep or render, write
        config = self.config = self.config or load_config(self.root)
        target = self.out = self.given_out or (config.root / config.output_dir)
        make_pdfs = self.with_pdf and pdf.available()
        pdf_note = pdf.MISSING_MESSAGE if self.with_pdf and not make_pdfs else ""
        epoch = source_date_epoch()
        store = BuildCache(config.root, target, enabled=self.cache)
        check_output_folder(target, config, given=self.given_out is not None, known=store.known_files())
        keys = self.keys = Keys(config, make_pdfs=make_pdfs, epoch=epoch)
        sources = self.sources = find_lesson_files(config)
        source_keys = self.source_keys = keys.lesson_files(sources)
        everything = hash_parts("site", keys.env, *(keys.catalogs(code) for code in config.languages),
                                *(f"{f.path}\0{source_keys[f.path]}" for f in sources))

        # Nothing changed and the previous site is as we left it: leave it alone.
        if store.manifest.get("site") == everything and _intact(target, store.known_files()):
            diagnostics = [Diagnostic(*d) for d in store.manifest.get("diagnostics", [])]
            _stop_on_errors(diagnostics, self.strict)
            warnings = diagnostics + [Diagnostic(*d) for d in store.manifest.get("render_warnings", [])]
            known = store.known_files()
            self.units = {}  # an update() after this starts over
            return BuildResult(target, SiteFiles(target, sorted(known)), warnings,
                               {"written": 0, "kept": len(known)}, pdf_note)

        parse = _cached_parser(sources, source_keys, store, config, self.jobs)
        project, diagnostics = load_and_check(self.root, config, self.strict, parse=self._remembering(parse),
                                              files=sources)

        missed: list[tuple[str, str]] = []
        renderer = Renderer(config, MissingStrings(), lambda lang, msgid: missed.append((lang, msgid)),
                            template_cache=store.dir / "templates" if store.enabled else None)
        renderer.with_pdf = make_pdfs  # pages link handout.pdf only when it is built
        ctx = self.ctx = OutputContext(project, renderer, epoch, make_pdfs)
        ctx.outputs = enabled_outputs(ctx)
        site = plan(ctx, keys, source_keys)
        previous_units = store.units()
        known_before = store.known_files()
        units: dict[str, dict] = {}
        files: dict[str, bytes] = {}
        shas: dict[str, str] = {}
        with SiteWriter(target, known_before) as writer:

            def reuse(unit: Unit) -> bool:
                """The previous build's unit when its key is the same and its files are intact: its
                files are then linked into the new site unread."""
                before = previous_units.get(unit.name)
                if not (before and before["key"] == unit.key and before.get("files")
                        and all(writer.unchanged(f) for f in before["files"])):
                    return False
                for relpath in before["files"]:
                    writer.keep(relpath)
                    shas[relpath] = known_before[relpath][0]
                missed.extend(tuple(m) for m in before.get("missing", []))
                units[unit.name] = before
                return True

            def language_unit(unit: Unit) -> None:
                if reuse(unit):
                    return
                mark = len(missed)
                assert unit.output is not None
                made = unit.output.language_files(unit.lang, unit.entries, ctx, writer.staged)
                for relpath, data in made.items():
                    files[relpath] = data
                    shas[relpath] = writer.write(relpath, data)
                units[unit.name] = {"key": unit.key, "files": sorted(made),
                                    "missing": [list(m) for m in missed[mark:]]}

            for unit in site.before:
                language_unit(unit)
            made = site_files(ctx)
            made[".nojekyll"] = b""
            made[SITE_MARKER] = SITE_MARKER_TEXT
            for relpath, data in made.items():
                files[relpath] = data
                shas[relpath] = writer.write(relpath, data)

            # Each lesson version: from the previous site when nothing it depends on changed, else
            # rendered in the pool.
            todo = [unit for unit in site.lessons if not reuse(unit)]
            for unit in todo:
                units[unit.name] = {"key": unit.key}
            finished: list[Lesson] = []
            in_workers = [0, 0]
            workers_used = workers_for(self.jobs, len(todo)) > 1  # counted in the workers' copies of the writer

            def rendered(lesson: Lesson, written: dict[str, str], lesson_missed: list, counts: tuple) -> None:
                shas.update(written)
                if workers_used:
                    in_workers[0] += counts[0]
                    in_workers[1] += counts[1]
                units[lesson_unit_name(lesson)].update(files=sorted(written), missing=lesson_missed)
                finished.append(lesson)
                if self.progress:
                    self.progress(len(finished), len(todo))

            _render_units([unit.lesson for unit in todo if unit.lesson], ctx, writer, missed, self.jobs, rendered)

            for unit in site.after:
                language_unit(unit)
            writer.commit()
            stats = {"written": writer.written + in_workers[0], "kept": writer.kept + in_workers[1]}

        missing_all = list(missed)
        for unit in site.lessons:
            missing_all += [tuple(m) for m in units[unit.name].get("missing", [])]
        render_warnings = _missing_warnings(missing_all) + renderer.catalog_warnings
        try:
            # Each file as it stands in the new site, a kept one too: linking it changed its ctime.
            known = {relpath: file_record(writer.out, relpath, sha) for relpath, sha in shas.items()}
        except OSError:
            known = {}
        store.save({"site": everything if known else "", "files": known, "units": units,
                    "diagnostics": [_plain(d) for d in diagnostics],
                    "render_warnings": [_plain(d) for d in render_warnings]})
        self.units = {name: {"key": u["key"], "files": u.get("files", [])} for name, u in units.items()}
        self.deferred = set()
        return BuildResult(target, SiteFiles(target, sorted(shas), files), diagnostics + render_warnings, stats,
                           pdf_note)

    def _remembering(self, parse):
        """``parse``, keeping each result for the next update()."""
        self.parsed = {}

        def remembered(path: Path, *args, **kwargs):
            result = parse(path, *args, **kwargs)
            self.parsed[path] = result
            return result

        return remembered

    # ------------------------------------------------------------------ after a save (serve)

    def update(self, changed_lessons: set[Path], catalogs_changed: set[str], defer_after: bool = True
               ) -> list[Diagnostic]:
        """Bring the site up to date after lesson files (or their images) and interface catalogs of the
        configured languages changed; the rest of the project (config, themes, which lesson files
        exist) is as the last build read it, else StartOver is raised. Walks the same plan as
        ``build``; the units whose keys changed are rendered and their changed files written in place.
        With ``defer_after`` the language zips wait for ``finish_deferred`` (they render every lesson of
        a language again). Returns the warnings."""
        if self.keys is None or self.ctx is None or self.config is None or not self.units:
            raise StartOver
        config, keys, sources = self.config, self.keys, self.sources
        if not changed_lessons <= self.source_keys.keys():
            raise StartOver  # a lesson or a language version added or removed
        folders = {p.parent for p in changed_lessons}
        again = [f for f in sources if f.path.parent in folders]
        self.source_keys.update(keys.lesson_files(again))
        for file in again:
            self.parsed.pop(file.path, None)
        if catalogs_changed:
            keys.forget_catalogs()
            renderer = Renderer(config, MissingStrings())
            renderer.with_pdf = self.ctx.make_pdfs
        else:
            renderer = self.ctx.renderer
        parsed = self.parsed

        def parse(path: Path, lesson_id: str, lang: str, rtl: bool = False, raw_html: bool = False):
            if path not in parsed:
                parsed[path] = parse_lesson(path, lesson_id, lang, rtl=rtl, raw_html=raw_html)
            return parsed[path]

        project, diagnostics = load_and_check(self.root, config, self.strict, parse=parse, files=sources)
        ctx = self.ctx = OutputContext(project, renderer, self.ctx.epoch, self.ctx.make_pdfs)
        ctx.outputs = enabled_outputs(ctx)
        site = plan(ctx, keys, self.source_keys)
        self.written = []
        for unit in site.units():
            if self.units.get(unit.name, {}).get("key") == unit.key and unit.name not in self.deferred:
                continue
            if defer_after and unit.output is not None and unit.output.AFTER_LESSONS:
                self.deferred.add(unit.name)
                continue
            self._render_in_place(unit, ctx)
        self._write_in_place(site_files(ctx))
        return diagnostics + renderer.catalog_warnings

    def finish_deferred(self) -> None:
        """Render the units ``update`` left for a quiet moment."""
        if not self.deferred or self.ctx is None or self.keys is None:
            return
        site = plan(self.ctx, self.keys, self.source_keys)
        self.written = []
        for unit in site.units():
            if unit.name in self.deferred:
                self._render_in_place(unit, self.ctx)
        self.deferred = set()

    def _render_in_place(self, unit: Unit, ctx: OutputContext) -> None:
        if unit.lesson is not None:
            made = lesson_files(unit.lesson, ctx)
        else:
            assert unit.output is not None
            made = unit.output.language_files(unit.lang, unit.entries, ctx, self._on_disk)
        self._write_in_place(made)
        for stale in set(self.units.get(unit.name, {}).get("files", [])) - set(made):
            (self.out / safe_relpath(stale)).unlink(missing_ok=True)
        self.units[unit.name] = {"key": unit.key, "files": sorted(made)}
        self.deferred.discard(unit.name)

    def _on_disk(self, relpath: str) -> Path:
        return self.out.joinpath(*safe_relpath(relpath).parts)

    def _write_in_place(self, files: dict[str, bytes]) -> None:
        """Write the files that differ from what is on disk, each replaced in one step."""
        for relpath, data in sorted(files.items()):
            target = self._on_disk(relpath)
            try:
                if target.read_bytes() == data:
                    continue
            except OSError:
                pass
            target.parent.mkdir(parents=True, exist_ok=True)
            replace_file(target, data)
            self.written.append(relpath)


class StartOver(Exception):
    """update() cannot build on what the last build left: the caller builds the whole site."""



def _missing_warnings(missing: list[tuple[str, str]]) -> list[Diagnostic]:
    seen: set[tuple[str, str]] = set()
    out: list[Diagnostic] = []
    for lang, msgid in missing:
        if (lang, msgid) not in seen:
            seen.add((lang, msgid))
            out.append(_missing_warning(lang, msgid))
    return out


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
    for folder, _dirs, names in os.walk(out.resolve()):
        for name in names:
            found.add(os.path.join(folder, name)[base:].replace(os.sep, "/"))
    if found != set(known):
        return False
    for relpath, (_sha, size, mtime, ino, ctime) in known.items():
        try:
            st = os.stat(out / relpath, follow_symlinks=False)
        except OSError:
            return False
        # the ctime too: an edit that keeps the size and puts the old mtime back still changes it
        if (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns) != (size, mtime, ino, ctime):
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
    """A parse_lesson for read_project: unchanged lessons from the cache, the others parsed in a pool
    (all at once, before read_project asks for them one by one)."""
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
        for (file, _rtl, _raw), result in zip(todo, results, strict=False):
            if result[0] == "error":
                continue  # read_project parses this one again and reports its error
            parsed[file.path] = result
            store.used_lessons.add(source_keys[file.path])

    def parse(path: Path, lesson_id: str, lang: str, rtl: bool = False, raw_html: bool = False):
        if path in parsed:
            return parsed[path]
        result = parse_lesson(path, lesson_id, lang, rtl=rtl, raw_html=raw_html)
        store.put_lesson(source_keys[path], *result)
        return result

    return parse


_RENDER_JOB: dict = {}


def _render_one(index: int):
    lesson = _RENDER_JOB["lessons"][index]
    try:
        return _render_and_write(lesson, *_RENDER_JOB["args"])
    except MicrolearnError as err:
        return ("error", err.message, str(err.path) if err.path else None, err.line, err.col)


def _render_and_write(lesson: Lesson, ctx: OutputContext, writer: SiteWriter, missed: list):
    start = len(missed)
    ctx.renderer.missing.seen.clear()  # report every string this lesson misses, for its cache entry
    files = lesson_files(lesson, ctx)
    counts = writer.written, writer.kept
    written = {relpath: writer.write(relpath, data) for relpath, data in files.items()}
    lesson_missed = sorted(set(missed[start:]))
    del missed[start:]
    return written, lesson_missed, (writer.written - counts[0], writer.kept - counts[1])


def _render_units(lessons: list[Lesson], ctx: OutputContext, writer: SiteWriter, missed: list, jobs: int | None,
                  done) -> None:
    """Render and write ``lessons`` (in a process pool when there are enough); calls ``done`` with each
    lesson, the files written and the interface strings it missed (which the renderer's on_missing
    appends to ``missed``)."""
    args = (ctx, writer, missed)
    workers = workers_for(jobs, len(lessons))
    if workers == 1:
        for lesson in lessons:
            done(lesson, *_render_and_write(lesson, *args))
        return
    for lang in ctx.project.config.languages:  # catalogs read and templates compiled once, before the fork
        env = ctx.renderer.env(lang)
        for name in env.list_templates(extensions=["html"]):
            env.get_template(name)
    _RENDER_JOB.update(lessons=lessons, args=args)
    try:
        chunk = max(1, min(8, len(lessons) // (workers * 4)))
        for lesson, result in zip(lessons, in_pool(workers, _render_one, len(lessons), chunk), strict=False):
            if result[0] == "error":
                raise MicrolearnError(*result[1:])
            done(lesson, *result)
    finally:
        _RENDER_JOB.clear()
