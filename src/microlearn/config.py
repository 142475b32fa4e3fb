"""The project configuration (``microlearn.yml``): declared once, typed, validated."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import yamldoc
from .errors import Diagnostic, MicrolearnError
from .i18n import language_info

CONFIG_NAME = "microlearn.yml"
LANG_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?$")


@dataclass(frozen=True)
class LanguageConfig:
    code: str
    title: str
    numbering: str | None = None  # a CLDR numbering system, e.g. "arab"; None: the locale's default
    fallback: tuple[str, ...] = ()  # interface catalogs to try before the source string


@dataclass(frozen=True)
class Config:
    root: Path
    languages: dict[str, LanguageConfig]
    default_language: str
    base_url: str = ""
    theme: str = "default"
    raw_html: bool = False
    content_dir: str = "content"
    output_dir: str = "site"
    order: tuple[str, ...] = ()  # lesson ids in course order; catalogs list these first, the rest by title
    order_line: int = 1
    warnings: tuple[Diagnostic, ...] = field(default=(), compare=False)

    @property
    def path(self) -> Path:
        return self.root / CONFIG_NAME


# An http(s) address of a folder: host (ASCII, IDNs in punycode), optional port and path.
_BASE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9\-._~!$&()*+,;=:@%/]*)?")
_TOP_KEYS = {"languages", "default_language", "base_url", "theme", "raw_html", "content_dir", "output_dir",
             "order"}
_LANG_KEYS = {"title", "numbering", "fallback"}


def _unknown(key: str, known: set[str], path: Path, line: int | None) -> Diagnostic:
    close = difflib.get_close_matches(key, sorted(known), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(sorted(known))}"
    return Diagnostic("warning", f"unknown key '{key}'{hint}", str(path), line, 1, "config-key")


def load_config(root: Path) -> Config:
    """Read ``microlearn.yml`` in ``root``; raise MicrolearnError on anything wrong."""
    root = root.resolve()
    path = root / CONFIG_NAME
    if not path.is_file():
        raise MicrolearnError(
            f"no {CONFIG_NAME} in {root}; run 'microlearn init DIR' to start a project, or run the command "
            "in a project folder (or give it -C DIR)")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise MicrolearnError(f"not valid UTF-8 (byte offset {err.start})", path) from None
    data, lines = yamldoc.load(text, path)
    if not isinstance(data, dict):
        raise MicrolearnError("the config must be a mapping of keys to values", path, 1)
    warnings = [_unknown(k, _TOP_KEYS, path, lines.get(k)) for k in data if k not in _TOP_KEYS]

    def want(key: str, kind: type, default):
        value = data.get(key, default)
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise MicrolearnError(f"'{key}' must be {kind.__name__}, not {type(value).__name__}",
                                  path, lines.get(key, 1))
        return value

    langs_raw = data.get("languages")
    if not isinstance(langs_raw, dict) or not langs_raw:
        raise MicrolearnError("'languages' must map language codes to settings, e.g. 'el: {title: ...}'",
                              path, lines.get("languages", 1))
    languages: dict[str, LanguageConfig] = {}
    lang_lines = getattr(langs_raw, "lines", {})
    for code, settings in langs_raw.items():
        line = lang_lines.get(code, 1)
        if not LANG_RE.fullmatch(code):
            raise MicrolearnError(f"'{code}' is not a language code such as 'el' or 'pt-BR'", path, line)
        if settings is None:
            settings = {}
        if not isinstance(settings, dict):
            raise MicrolearnError(f"settings of '{code}' must be a mapping (title, numbering, fallback)",
                                  path, line)
        for k in settings:
            if k not in _LANG_KEYS:
                warnings.append(_unknown(k, _LANG_KEYS, path, line))
        title = settings.get("title", "")
        numbering = settings.get("numbering")
        fallback = settings.get("fallback", [])
        if isinstance(fallback, str):
            fallback = [fallback]
        if not isinstance(title, str) or not (numbering is None or isinstance(numbering, str)) or \
                not all(isinstance(f, str) for f in fallback):
            raise MicrolearnError(f"settings of '{code}': title and numbering are text, fallback a list "
                                  "of language codes", path, line)
        try:
            language_info(code, numbering)
        except MicrolearnError as err:
            raise MicrolearnError(err.message, path, line) from None
        for other in fallback:  # a code is a folder name under locales/: never a path
            if not LANG_RE.fullmatch(other):
                raise MicrolearnError(f"fallback of '{code}': '{other}' is not a language code such as 'el' or "
                                      "'pt-BR'", path, line)
            try:
                language_info(other)
            except MicrolearnError as err:
                raise MicrolearnError(f"fallback of '{code}': {err.message}", path, line) from None
        if not title.strip():
            warnings.append(Diagnostic(
                "warning", f"language '{code}' has no title, so its pages are titled with the interface's "
                f"word for the site (\"Micro-lessons\", translated); give it one: '{code}: {{title: ...}}'",
                str(path), line, 1, "config-title"))
        languages[code] = LanguageConfig(code, title.strip(), numbering, tuple(fallback))
    default = want("default_language", str, next(iter(languages)))
    if default not in languages:
        raise MicrolearnError(f"default_language '{default}' is not one of the languages "
                              f"({', '.join(languages)})", path, lines.get("default_language", 1))
    base_url = want("base_url", str, "")
    if base_url and not re.match(r"^https?://", base_url):
        raise MicrolearnError("base_url must start with http:// or https://", path, lines.get("base_url"))
    if base_url and not _BASE_URL.fullmatch(base_url):  # it is written into pages and sitemap.xml
        raise MicrolearnError("base_url must be the address of the site's folder, such as "
                              "https://example.org/courses/: no spaces, quotes, '<', '>', '?' or '#'", path,
                              lines.get("base_url"))
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    theme = want("theme", str, "default")
    if not re.match(r"^[A-Za-z0-9_-]+$", theme):
        raise MicrolearnError("theme must be a folder name under themes/", path, lines.get("theme"))
    for key in ("content_dir", "output_dir"):
        value = data.get(key)
        if value is not None and (not isinstance(value, str) or Path(value).is_absolute() or ".." in Path(value).parts):
            raise MicrolearnError(f"'{key}' must be a folder inside the project", path, lines.get(key))
    order = data.get("order", [])
    if not isinstance(order, list) or not all(isinstance(i, str) for i in order):
        raise MicrolearnError("'order' must be a list of lesson ids (folder names under content/), in the "
                              "order the course takes them", path, lines.get("order", 1))
    if len(set(order)) != len(order):
        twice = next(i for i in order if order.count(i) > 1)
        raise MicrolearnError(f"'order' names '{twice}' twice; keep it once", path, lines.get("order", 1))
    return Config(
        root=root,
        languages=languages,
        default_language=default,
        base_url=base_url,
        theme=theme,
        raw_html=want("raw_html", bool, False),
        content_dir=data.get("content_dir") or "content",
        output_dir=data.get("output_dir") or "site",
        order=tuple(order),
        order_line=lines.get("order", 1),
        warnings=tuple(warnings),
    )
