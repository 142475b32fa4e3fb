"""The build, top to bottom: read the project, check it, render every page, write the site."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import bundle, pdf
from .cache import CACHE_DIR, BuildCache, Keys, hash_parts
from .check import check_project
from .collation import title_key
from .config import CONFIG_NAME, Config, load_config
from .content import find_lesson_files
from .errors import Diagnostic, MicrolearnError, shown_path
from .i18n import MissingStrings
from .lesson import Lesson
from .output import SITE_MARKER, SITE_MARKER_TEXT, SiteWriter, file_record
from .parse import parse_lesson
from .project import Project, language_is_rtl, load_project
from .render import Renderer
from .sitemap import sitemap_xml

Log = Callable[[str], None]


@dataclass
class BuildResult:
    out: Path
    files: Mapping[str, bytes]  # every file of the site by path (read from the site when asked)
    warnings: list[Diagnostic] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    pdf_note: str = ""


def catalog_entries(project: Project) -> dict[str, list[tuple[Lesson, dict[str, Lesson], bool]]]:
    """Each configured language's lessons as its catalog lists them: (lesson, versions, outdated), in
    the config's course order, then by title as the language sorts it ("Урок 2" before "Урок 10")."""
    by_lang: dict[str, list] = {code: [] for code in project.config.languages}
    for lesson in project.all_lessons():
        by_lang[lesson.lang].append((lesson, project.versions(lesson.id), project.is_outdated(lesson)))
    place = {lesson_id: i for i, lesson_id in enumerate(project.config.order)}
    for entries in by_lang.values():
        entries.sort(key=lambda e: (place.get(e[0].id, len(place)), title_key(e[0].title, e[0].lang), e[0].id))
    return by_lang


def lesson_pages(lesson: Lesson, project: Project, renderer: Renderer) -> dict[str, bytes]:
    """A lesson version's deck, handout and images, by site path."""
    versions = project.versions(lesson.id)
    outdated = project.is_outdated(lesson)
    base = f"{lesson.lang}/{lesson.id}/"
    files = {base + "index.html": renderer.deck(lesson, versions, outdated).encode("utf-8"),
             base + "handout.html": renderer.handout(lesson, versions, outdated).encode("utf-8")}
    generated = {*files, pdf.pdf_path(lesson), bundle.lesson_zip_path(lesson)}
    for image in lesson.images:
        relpath = base + image.path.name
        if relpath in generated:  # parse.check_image allows no such name; a file we generate is ours
            raise MicrolearnError(f"image '{image.src}' has the name of a file the build makes; rename it",
                                  lesson.path, image.line)
        files[relpath] = image.path.read_bytes()
    return files


def render_site(project: Project, renderer: Renderer, *, with_pdf: bool = True, progress=None) -> dict[str, bytes]:
    """Every file of the site, by its path relative to the output folder."""
    config = project.config
    make_pdfs = with_pdf and pdf.available()
    renderer.with_pdf = make_pdfs  # pages link handout.pdf only when it is built
    files: dict[str, bytes] = {}
    for name, data in renderer.static_files.items():
        files[f"assets/{name}"] = data
    lessons = project.all_lessons()
    for done, lesson in enumerate(lessons, start=1):
        files.update(lesson_pages(lesson, project, renderer))
        if progress:
            progress(done, len(lessons))
    if make_pdfs:
        files.update(pdf.render_pdfs(project, renderer))
    for lesson in lessons:
        files.update(bundle.lesson_zip(lesson, project, renderer, files))
    by_lang = catalog_entries(project)
    for lang, entries in by_lang.items():
        files[f"{lang}/index.html"] = renderer.catalog(lang, entries).encode("utf-8")
        files.update(bundle.language_zip(lang, entries, project, renderer, files))
    files["index.html"] = renderer.root_index({k: len(v) for k, v in by_lang.items()}).encode("utf-8")
    if config.base_url:
        files["sitemap.xml"] = sitemap_xml(project).encode("utf-8")
    files[".nojekyll"] = b""
    files[SITE_MARKER] = SITE_MARKER_TEXT
    return dict(sorted(files.items()))


def build(root: Path, out: Path | None = None, *, with_pdf: bool = True, strict: bool = False,
          log: Log = print, progress=None, config: Config | None = None, cache: bool = True,
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

        workers_used = _workers(jobs, len(todo)) > 1  # counted in the workers' copies of the writer
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
                data = _language_zip(lang, entries, project, renderer, writer)
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


# ---------------------------------------------------------------- parsing and rendering in a pool

def _workers(jobs: int | None, tasks: int) -> int:
    if jobs is None:
        try:
            jobs = len(os.sched_getaffinity(0))
        except AttributeError:
            jobs = os.cpu_count() or 1
    # Forking costs a few milliseconds; a handful of lessons is quicker in this process.
    return max(1, min(jobs, tasks // 4))


def _worker_start(parent: int) -> None:
    """In each worker: Ctrl-C is the parent's to handle (it stops the workers), and a worker dies with
    its parent, so a killed build leaves nothing running."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)


def _in_pool(workers: int, task, count: int, chunksize: int):
    """``task(i)`` for i in range(count) in forked worker processes, results in order. Any exception
    (an interrupt included) stops the workers at once. A worker that dies (killed, out of memory, a
    crash in a library) fails the build with a MicrolearnError instead of leaving it waiting forever
    for the answer that worker owed (concurrent.futures notices the death; multiprocessing.Pool
    does not)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_worker_start, initargs=(os.getpid(),))
    try:
        yield from pool.map(task, range(count), chunksize=chunksize)
    except BrokenProcessPool:
        _stop_workers(pool)
        raise MicrolearnError(
            "a worker process of the build died before it finished (killed, or out of memory?); "
            "nothing was published: run the build again") from None
    except BaseException:
        _stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _stop_workers(pool) -> None:
    """Kill the pool's workers now, not when they finish what they are doing."""
    stop = getattr(pool, "terminate_workers", None)  # Python 3.14
    if stop is not None:
        stop()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.kill()
        except (OSError, ValueError, AttributeError):
            pass


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
    workers = _workers(jobs, len(todo))
    if workers > 1:
        _PARSE_JOB.update(files=todo, store=store, keys=source_keys)
        try:
            results = list(_in_pool(workers, _parse_one, len(todo), max(1, len(todo) // (workers * 4))))
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
    workers = _workers(jobs, len(lessons))
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
        for lesson, result in zip(lessons, _in_pool(workers, _render_one, len(lessons), chunk)):
            if result[0] == "error":
                raise MicrolearnError(*result[1:])
            done(lesson, *result)
    finally:
        _RENDER_JOB.clear()


def _language_zip(lang: str, entries: list, project: Project, renderer: Renderer, writer: SiteWriter) -> bytes:
    """The language's zip as bundle.language_zip makes it, assembled from its lessons' zips (already in
    the staged site): their members are copied still compressed, so neither the lessons' bundled pages
    nor their compression are done twice."""
    import io
    import zipfile

    top = f"microlearn-{lang}/"
    index = bundle.zip_bytes({top + "index.html": renderer.bundle_index(lang, entries).encode("utf-8")},
                             source_date_epoch())
    members: list[tuple[str, Path | bytes, zipfile.ZipInfo]] = []
    for source, data in [(writer.staged(bundle.lesson_zip_path(lesson)), None) for lesson, _, _ in entries] + \
            [(None, index)]:
        with zipfile.ZipFile(source if source else io.BytesIO(data)) as zf:
            for info in zf.infolist():
                members.append((info.filename, source or data, info))
    renamed = []
    for name, origin, info in members:
        if origin is not index:
            lesson_folder, _, rest = name.partition("/")
            lesson_id = lesson_folder[: -len(lang) - 1]
            if lesson_folder != f"{lesson_id}-{lang}" or not rest:
                raise MicrolearnError(f"unexpected entry {name} in a lesson zip")
            name = f"{top}{lesson_id}/{rest}"
        renamed.append((name, origin, info))
    renamed.sort(key=lambda m: m[0])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for name, origin, info in renamed:
            raw = _raw_member(origin, info)
            member = zipfile.ZipInfo(name, date_time=info.date_time)
            for attr in ("compress_type", "external_attr", "create_system", "create_version", "extract_version",
                         "CRC", "compress_size", "file_size", "internal_attr", "extra", "comment"):
                setattr(member, attr, getattr(info, attr))
            member.flag_bits = 0
            member.header_offset = out.fp.tell()
            out.fp.write(member.FileHeader(False))
            out.fp.write(raw)
            out.filelist.append(member)
            out.NameToInfo[name] = member
            out.start_dir = out.fp.tell()
            out._didModify = True
    return buf.getvalue()


def _raw_member(origin: Path | bytes, info) -> bytes:
    """A zip member's compressed bytes, as stored."""
    import io
    import struct

    with (open(origin, "rb") if isinstance(origin, Path) else io.BytesIO(origin)) as fh:
        fh.seek(info.header_offset)
        header = fh.read(30)
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        fh.seek(info.header_offset + 30 + name_len + extra_len)
        return fh.read(info.compress_size)


def check_output_folder(target: Path, config: Config, given: bool = True,
                        known: Mapping[str, tuple] | None = None) -> None:
    """The build replaces its output folder whole: never let that be a file, the project, its sources,
    the cache, or a folder that holds something other than a site we built (one with our marker file,
    or a site an older microlearn built whose files are exactly those its cache manifest lists).

    ``given``: the folder came from -o (else from 'output_dir' in microlearn.yml), for the message."""
    shown = f"'{shown_path(target)}'"
    where = "-o" if given else f"'output_dir' in {CONFIG_NAME}"
    resolved = target.resolve()
    root = config.root.resolve()
    if target.is_symlink() and not target.exists():
        raise MicrolearnError(f"the output folder {shown} ({where}) is a broken symbolic link; remove it or "
                              "choose another folder")
    if target.exists() and not target.is_dir():
        raise MicrolearnError(f"the output folder {shown} ({where}) is a file, not a folder; the build would "
                              "replace it: choose a new or empty folder")
    if resolved == root:
        raise MicrolearnError(f"the output folder {shown} ({where}) is the project itself; the build "
                              "replaces the whole folder: choose a new one, such as 'site'")
    if root.is_relative_to(resolved):
        raise MicrolearnError(f"the output folder {shown} ({where}) contains the project; the build replaces "
                              "the whole folder: choose a new one, such as 'site'")
    for name in (config.content_dir, "themes", "locales", CACHE_DIR):
        source = (root / name).resolve()
        if resolved == source or resolved.is_relative_to(source) or source.is_relative_to(resolved):
            raise MicrolearnError(f"the output folder {shown} ({where}) would overwrite the project's "
                                  f"{name}/; choose another folder, such as 'site'")
    if target.is_dir() and any(target.iterdir()) and not is_site(target, known or {}):
        raise MicrolearnError(
            f"the output folder exists and is not a site microlearn built: {shown} ({where}) has no "
            f"{SITE_MARKER} file; choose a new or empty folder (the build replaces the whole folder). If it "
            "is a site an older microlearn built, delete it and build again")


def stopped_note(root: Path, out: Path | None) -> str:
    """What the CLI says after a build stopped: whether a previous site stands (a failed build never
    touches it) or nothing was written."""
    try:
        config = load_config(root)
        target = out or (config.root / config.output_dir)
        known = BuildCache(config.root, target).known_files()
    except (MicrolearnError, OSError):
        target, known = out, {}
    if target is not None and is_site(target, known):
        return "build stopped; the previous site is unchanged"
    return "build stopped; nothing was written"


def is_site(folder: Path, known: Mapping[str, tuple]) -> bool:
    """``folder`` holds a site microlearn built: it has our marker file, or (a site of a version before
    the marker) its files are exactly those the cache manifest of the last build lists, sizes included."""
    if not folder.is_dir():
        return False
    if (folder / SITE_MARKER).is_file():
        return True
    if not known or "index.html" not in known:
        return False
    base = folder.resolve()
    found: dict[str, int] = {}
    for dirpath, _dirs, names in os.walk(base):
        for name in names:
            path = os.path.join(dirpath, name)
            try:
                size = os.stat(path, follow_symlinks=False).st_size
                found[os.path.relpath(path, base).replace(os.sep, "/")] = size
            except OSError:
                return False
    try:
        return found == {relpath: int(record[1]) for relpath, record in known.items()}
    except (TypeError, ValueError, IndexError):
        return False


class BuildFailed(MicrolearnError):
    """The checker found errors; carries them all so the CLI can print each."""

    def __init__(self, errors: list[Diagnostic]) -> None:
        first = errors[0]
        super().__init__(first.message, first.path, first.line, first.col)
        self.errors = errors

    def diagnostics(self, code: str = "") -> list[Diagnostic]:
        return self.errors


# Zip files hold dates from 1980-01-01 to 2107-12-31 (the year is 7 bits from 1980).
FIRST_ZIP_TIME = 315532800
LAST_ZIP_TIME = 4354819199


def source_date_epoch() -> int:
    """Timestamps in generated files come only from SOURCE_DATE_EPOCH (default: 1980-01-01); a value that is
    not a time a zip can hold is an error, not a traceback deep in the zip writer."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return FIRST_ZIP_TIME
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        raise MicrolearnError(f"SOURCE_DATE_EPOCH={value[:40]!r} is not a time: set it to the seconds since "
                              "1970-01-01 UTC, e.g. $(git log -1 --format=%ct), or unset it")
    if int(value) > LAST_ZIP_TIME:
        raise MicrolearnError(f"SOURCE_DATE_EPOCH={value} is after 2107-12-31, the last date a zip file can "
                              "hold; set it to the time of the sources, e.g. $(git log -1 --format=%ct)")
    return max(FIRST_ZIP_TIME, int(value))
