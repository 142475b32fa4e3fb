"""The build cache, ``.microlearn-cache/`` in the project: what the last build made, keyed by content
hashes, so the next build re-renders only what its inputs changed. Safe to delete at any time (the
next build is then a full one).

What a key covers (``Keys``):

- the environment: microlearn's own code (every module's bytes, not only its version number), the
  config file, the theme (templates and static files, the project's and the built-in), the project
  folder, SOURCE_DATE_EPOCH and whether PDFs are made;
- a lesson file: its bytes, its id and language, and every other file of its folder (the images);
- a lesson's pages: the environment, the interface catalogs of its language (and its fallbacks),
  its lesson key, the languages it exists in and whether it is an outdated translation.

The cache holds parsed lessons as JSON (``lessons/``: no pickle, so a planted cache cannot run code)
and, per output folder, a manifest (``sites/<hash of the folder>.json``) of every file written with
its content hash, size, mtime and inode. A file of the previous site is reused only while it is
exactly as that build left it; anything else is rendered again, so the cache cannot serve stale
output.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import errors
from . import lesson as lesson_model
from .config import Config
from .content import LessonFile
from .i18n import catalog_path
from .output import replace_file
from .resources import locale_dirs, theme_dirs

CACHE_DIR = ".microlearn-cache"
FORMAT = 1
_PACKAGE = Path(__file__).resolve().parent


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
        self.env = hash_parts("env", self.parse, theme, str(epoch), str(make_pdfs))
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
            settings = self.config.languages.get(lang)
            parts: list[str | bytes] = []
            for code in (lang, *(settings.fallback if settings else ())):
                for folder in locale_dirs(self.config.root):
                    po = catalog_path(folder, code)
                    parts += [str(po), po.read_bytes() if po.is_file() else b"-"]
            self._catalogs[lang] = hash_parts(*parts)
        return self._catalogs[lang]

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
                if data.get("format") == FORMAT and data.get("out") == str(self.out):
                    self.manifest = data
            except (OSError, ValueError):
                pass
        self.used_lessons: set[str] = set()

    # ------------------------------------------------------------------ parsed lessons

    def _lesson_path(self, key: str) -> Path:
        return self.dir / "lessons" / f"{key}.json"

    def get_lesson(self, key: str):
        if not self.enabled:
            return None
        try:
            data = json.loads(self._lesson_path(key).read_text(encoding="utf-8"), object_hook=_decode_object)
            lesson, warnings = data["lesson"], data["warnings"]
            if not isinstance(lesson, lesson_model.Lesson):
                return None
        except (OSError, ValueError, KeyError, TypeError):
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


def _write_text(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, text.encode("utf-8"))
        readme = path.parent.parent / "README"
        if not readme.exists() and path.parent.parent.name == CACHE_DIR:
            readme.write_text("microlearn's build cache: safe to delete. See README.md, 'Benchmark'.\n",
                              encoding="utf-8")
    except OSError:
        pass  # the cache only saves work
