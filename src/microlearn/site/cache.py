"""The build cache, ``.microlearn-cache/`` in the project: what the last build made, keyed by content
hashes, so the next build re-renders only what its inputs changed. Safe to delete at any time (the
next build is then a full one).

What a key covers (``Keys``):

- the environment: microlearn's own code (every module's bytes, not only its version number), the
  config file, the theme (templates and static files, the project's and the built-in), the logos of
  ``brand.logos``, the project folder, SOURCE_DATE_EPOCH and whether PDFs are made;
- a lesson file: its bytes, its id and language, and every other file of its folder (the images);
- a lesson's pages: the environment, the interface catalogs of its language (and its fallbacks),
  its lesson key, the languages it exists in and whether it is an outdated translation.

The cache holds parsed lessons as JSON (``lessons/``: no pickle, so a planted cache cannot run code;
and each entry is checked as untrusted input before use, ``BuildCache.get_lesson``, since a cache may be
restored from a shared CI cache) and, per output folder, a manifest (``sites/<hash of the folder>.json``)
of every file written with
its content hash, size, mtime and inode. A file of the previous site is reused only while it is
exactly as that build left it; anything else is rendered again, so the cache cannot serve stale
output.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import types
import typing
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

from microlearn import errors
from microlearn.files import replace_file
from microlearn.lessons import model as lesson_model
from microlearn.project.config import Config
from microlearn.project.folders import catalog_chain, theme_dirs
from microlearn.project.sources import LessonFile

CACHE_DIR = ".microlearn-cache"
FORMAT = 2  # 2: file records hold the ctime
_PACKAGE = Path(__file__).resolve().parent.parent  # the microlearn package


def hash_parts(*parts: str | bytes) -> str:
    """One hash of several values; each is length-prefixed, so ('ab', 'c') and ('a', 'bc') differ."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _files_digest(folders: Iterable[Path], pattern: str = "*") -> str:
    parts: list[str | bytes] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return hash_parts(*parts)


class Keys:
    """Content keys for one build."""

    def __init__(self, config: Config, *, make_pdfs: bool, epoch: int) -> None:
        self.config = config
        code = _files_digest([_PACKAGE], "*.py")
        config_bytes = config.path.read_bytes() if config.path.is_file() else b""
        # Parsing depends on the code, the config (languages, raw_html) and where the project is
        # (lessons hold absolute paths of their images).
        self.parse = hash_parts("parse", str(FORMAT), code, config_bytes, str(config.root))
        theme = _files_digest(theme_dirs(config.root, config.theme))
        # The logos of brand.logos are on every lesson's pages, and in its folder, zip and packages.
        logos = [part for logo in (config.brand.logos if config.brand else ())
                 for part in (logo.src, logo.path.read_bytes() if logo.path.is_file() else b"-")]
        self.env = hash_parts("env", self.parse, theme, str(epoch), str(make_pdfs), *logos)
        self._catalogs: dict[str, str] = {}

    def lesson_files(self, files: list[LessonFile]) -> dict[Path, str]:
        """The key of each lesson file: its bytes, its id and language, and its folder's other files."""
        folders: dict[Path, str] = {}
        keys: dict[Path, str] = {}
        for file in files:
            folder = file.path.parent
            if folder not in folders:
                others: list[str | bytes] = []
                for path in sorted(folder.iterdir()):
                    if path.suffix != ".md" and path.is_file():
                        others += [path.name, path.read_bytes()]
                folders[folder] = hash_parts(*others)
            keys[file.path] = hash_parts(self.parse, file.lesson_id, file.lang, str(file.path),
                                         file.path.read_bytes(), folders[folder])
        return keys

    def catalogs(self, lang: str) -> str:
        """The interface catalogs a page in ``lang`` may read: its own and its fallbacks'."""
        if lang not in self._catalogs:
            parts: list[str | bytes] = []
            for code, po in catalog_chain(self.config, lang):
                parts += [code, str(po), po.read_bytes() if po else b"-"]
            self._catalogs[lang] = hash_parts(*parts)
        return self._catalogs[lang]

    def forget_catalogs(self) -> None:
        """The catalogs changed (serve): their keys are computed again when asked."""
        self._catalogs.clear()

    def unit(self, lang: str, lesson_key: str, languages: list[str], outdated: bool) -> str:
        """The key of one lesson version's files (deck, handout, images, PDF, zip).

        Its pages see the other language versions only as the set of their languages (the language
        switcher) and through the outdated flag (render.Renderer.deck and handout take nothing else of
        them), so editing one version does not rebuild the others. tests/test_cache.py compares every
        incremental build with a full one, and fails if a page starts to depend on more."""
        return hash_parts("unit", self.env, self.catalogs(lang), lesson_key, ",".join(languages), str(outdated))


# ---------------------------------------------------------------- lessons as JSON

_CLASSES = {cls.__name__: cls for cls in vars(lesson_model).values()
            if isinstance(cls, type) and dataclasses.is_dataclass(cls)}
_CLASSES["Diagnostic"] = errors.Diagnostic


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"__dc__": type(value).__name__,
                **{f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, Path):
        return {"__path__": str(value)}
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("only text keys")
        return {"__dict__": [[k, _encode(v)] for k, v in value.items()]}  # pairs: keys are the author's
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode_object(value: dict) -> Any:
    """json.loads' object_hook: called for every object, innermost first."""
    if "__dc__" in value:
        cls = _CLASSES[value.pop("__dc__")]
        return cls(**value)
    if "__path__" in value:
        return Path(value["__path__"])
    if "__tuple__" in value:
        return tuple(value["__tuple__"])
    if "__dict__" in value:
        return dict(value["__dict__"])
    if set(value) == {"lesson", "warnings"}:
        return value
    raise ValueError("unknown cache entry")


class BuildCache:
    """Parsed lessons and the manifest of one output folder. Every failure to read or write the
    cache only makes the build do more work; it never stops it."""

    def __init__(self, root: Path, out: Path, enabled: bool = True) -> None:
        self.enabled = enabled and os.environ.get("MICROLEARN_CACHE", "1") != "0"
        self.dir = root / CACHE_DIR
        self.out = out.resolve()
        self.manifest_path = self.dir / "sites" / f"{hash_parts(str(self.out))[:20]}.json"
        self.manifest: dict[str, Any] = {}
        if self.enabled:
            try:
                data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
                if _valid_manifest(data) and (data.get("format"), data.get("out")) == (FORMAT, str(self.out)):
                    self.manifest = data
            except (OSError, ValueError, RecursionError):
                pass  # a manifest that cannot be read, or is not one, makes a full build
        self.used_lessons: set[str] = set()

    # ------------------------------------------------------------------ parsed lessons

    def _lesson_path(self, key: str) -> Path:
        return self.dir / "lessons" / f"{key}.json"

    def get_lesson(self, key: str, file: LessonFile | None = None, raw_html: bool = False):
        """The parsed lesson of ``key``, if the cache holds one that could have come from ``file``.

        The cache is untrusted input (it may be restored from a shared CI cache, or planted): an entry is
        used only when every field has its type, it is the lesson ``file`` names, its images are files of
        its folder that may be published (checked again), and its HTML is HTML our Markdown makes. With
        raw_html the HTML cannot be told from the author's, so entries are not used at all."""
        if not self.enabled or raw_html:
            return None
        try:
            data = json.loads(self._lesson_path(key).read_text(encoding="utf-8"), object_hook=_decode_object)
            lesson, warnings = data["lesson"], data["warnings"]
            if not (_typed(lesson, lesson_model.Lesson) and isinstance(warnings, list)
                    and all(_typed(w, errors.Diagnostic) for w in warnings) and _ours(lesson, file)):
                return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError,
                errors.MicrolearnError):
            return None
        self.used_lessons.add(key)
        return lesson, warnings

    def put_lesson(self, key: str, lesson, warnings) -> None:
        if not self.enabled:
            return
        self.used_lessons.add(key)
        try:
            text = json.dumps({"lesson": _encode(lesson), "warnings": [_encode(w) for w in warnings]},
                              ensure_ascii=False, separators=(",", ":"))
        except TypeError:
            return  # a field the cache cannot hold: parse again next time
        _write_text(self._lesson_path(key), text)

    # ------------------------------------------------------------------ the manifest

    def known_files(self) -> dict[str, tuple]:
        return {k: tuple(v) for k, v in self.manifest.get("files", {}).items()}

    def units(self) -> dict[str, dict]:
        return self.manifest.get("units", {})

    def save(self, manifest: dict[str, Any]) -> None:
        if not self.enabled:
            return
        manifest = {"format": FORMAT, "out": str(self.out), **manifest}
        _write_text(self.manifest_path, json.dumps(manifest, ensure_ascii=False, sort_keys=True))
        self._prune()

    def _prune(self) -> None:
        """Forget parsed lessons no build uses any more."""
        folder = self.dir / "lessons"
        try:
            entries = list(folder.iterdir())
        except OSError:
            return
        if len(entries) <= 2 * max(len(self.used_lessons), 1):
            return  # a few old versions do no harm; keep the cache of other output folders warm
        for entry in entries:
            if entry.stem not in self.used_lessons:
                entry.unlink(missing_ok=True)


# ---------------------------------------------------------------- the cache as untrusted input

def _typed(value: Any, kind: Any) -> bool:
    """``value`` has type ``kind`` (a dataclass of the model, or a type hint of one of its fields)."""
    origin = typing.get_origin(kind)
    if origin in (types.UnionType, typing.Union):
        return any(_typed(value, k) for k in typing.get_args(kind))
    if origin is tuple:
        item = typing.get_args(kind)[0]
        return isinstance(value, tuple) and all(_typed(v, item) for v in value)
    if origin is dict:
        k, v = typing.get_args(kind)
        return isinstance(value, dict) and all(_typed(a, k) and _typed(b, v) for a, b in value.items())
    if kind is type(None):
        return value is None
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        return type(value) is kind and all(_typed(getattr(value, f.name), hints[f.name])
                                           for f in dataclasses.fields(kind))
    if kind is int:
        return type(value) is int
    return isinstance(value, kind)


_HINTS: dict[type, dict] = {}


def _hints(cls: type) -> dict:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _ours(lesson, file: LessonFile | None) -> bool:
    """A cached lesson is the one ``file`` would parse to, as far as can be told without parsing it:
    its id, language and path; its images, resolved and checked again; its HTML, what our Markdown makes."""
    from microlearn.lessons.images import check_image
    from microlearn.lessons.parse import resolve_inside

    if file is not None and (lesson.id, lesson.lang, lesson.path) != (file.lesson_id, file.lang, file.path):
        return False
    for image in lesson.images:
        if resolve_inside(image.src, lesson.path.parent, lesson.path, image.line, "image") != image.path:
            return False
        check_image(image.path, image.src, lesson.path, image.line)
    sources = {image.src for image in lesson.images}
    fragments = [lesson.title_html, lesson.competence_area_html, lesson.follow_up, lesson.credits,
                 lesson.intro_html, *lesson.objectives, *lesson.key_messages, *lesson.discussion]
    for stage in lesson.stages:
        fragments.append(stage.title_html)
        for slide in stage.slides:
            fragments += [slide.body_html, slide.notes_html]
    return all(_MarkdownHtml(sources).accepts(fragment) for fragment in fragments)


class _MarkdownHtml(HTMLParser):
    """Accepts only the HTML that markdown.make_markdown (without raw HTML) writes: its elements and
    attributes, links that _validate_link lets through, images the lesson's own."""

    TAGS: ClassVar[dict[str, tuple[str, ...]]] = {
            "p": ("class",), "br": (), "hr": (), "em": (), "strong": (), "s": (), "code": ("dir",), "pre": ("dir",),
            "a": ("href", "title", "dir"), "img": ("src", "alt", "title"), "ul": (), "ol": ("start",),
            "li": (), "blockquote": (), "h1": (), "h2": (), "h3": (), "h4": (), "h5": (), "h6": (),
            "table": (), "thead": (), "tbody": (), "tr": (), "th": ("style",), "td": ("style",),
            "bdi": ("dir",), "div": ("class",)}
    # The classes the layouts write (lessons/layout.py): columns, a picture beside its text, a statement.
    CLASSES: ClassVar[dict[str, tuple[str, ...]]] = {"div": ("columns", "column", "column side"), "p": ("statement",)}

    def __init__(self, sources: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.sources = sources
        self.ok = True

    def accepts(self, fragment: str) -> bool:
        self.feed(fragment)
        self.close()
        return self.ok

    def handle_starttag(self, tag, attrs) -> None:
        from microlearn.markdown.dialect import SAFE_IMAGE_DATA, _validate_link

        allowed = self.TAGS.get(tag)
        if allowed is None:
            self.ok = False
            return
        for name, value in attrs:
            value = value or ""
            if name not in allowed or (name == "dir" and value not in ("ltr", "rtl")) or \
                    (name == "style" and not re.fullmatch(r"text-align:(?:left|right|center)", value)) or \
                    (name == "start" and not value.isdigit()) or \
                    (name == "class" and value not in self.CLASSES.get(tag, ())) or \
                    (name == "href" and not _validate_link(value)) or \
                    (name == "src" and value not in self.sources and not SAFE_IMAGE_DATA.match(value)):
                self.ok = False

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag) -> None:
        if tag not in self.TAGS:
            self.ok = False

    def handle_comment(self, data) -> None:
        self.ok = False

    def handle_decl(self, decl) -> None:
        self.ok = False

    def handle_pi(self, data) -> None:
        self.ok = False

    def unknown_decl(self, data) -> None:
        self.ok = False


def _valid_manifest(data: Any) -> bool:
    """A site manifest has the shape ``save`` writes, and names only paths inside the output folder."""
    from microlearn.files import checked_relpath as checked_relpath

    def text_list(value, length=None):
        return isinstance(value, list) and all(isinstance(v, str) for v in value) and \
            (length is None or len(value) == length)

    def diagnostic(d):
        return isinstance(d, list) and len(d) == 6 and isinstance(d[0], str) and isinstance(d[1], str) and \
            all(v is None or isinstance(v, str) for v in d[2:3] + d[5:]) and \
            all(v is None or type(v) is int for v in d[3:5])

    if not isinstance(data, dict) or not isinstance(data.get("site", ""), str):
        return False
    files = data.get("files", {})
    units = data.get("units", {})
    if not (isinstance(files, dict) and isinstance(units, dict)):
        return False
    for record in files.values():
        if not (isinstance(record, list) and len(record) == 5 and isinstance(record[0], str)
                and all(type(v) is int for v in record[1:])):
            return False
    for unit in units.values():
        if not (isinstance(unit, dict) and isinstance(unit.get("key"), str)
                and text_list(unit.get("files", [])) and all(f in files for f in unit.get("files", []))
                and isinstance(unit.get("missing", []), list)
                and all(text_list(m, 2) for m in unit.get("missing", []))):
            return False
    if not all(isinstance(data.get(k, []), list) and all(diagnostic(d) for d in data.get(k, []))
               for k in ("diagnostics", "render_warnings")):
        return False
    try:
        for relpath in files:
            checked_relpath(relpath)
    except errors.MicrolearnError:
        return False
    return True


def _write_text(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, text.encode("utf-8"))
        readme = path.parent.parent / "README"
        if not readme.exists() and path.parent.parent.name == CACHE_DIR:
            readme.write_text("microlearn's build cache: safe to delete. See README.md, 'Benchmark'.\n",
                              encoding="utf-8")
    except (OSError, UnicodeError):
        pass  # the cache only saves work
