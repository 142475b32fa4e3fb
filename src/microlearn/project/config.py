"""The project configuration (``microlearn.yml``): declared once, typed, validated."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from microlearn.errors import Diagnostic, MicrolearnError
from microlearn.i18n.langtag import is_language_code
from microlearn.i18n.language import language_info
from microlearn.project import yamldoc

CONFIG_NAME = "microlearn.yml"


@dataclass(frozen=True)
class LanguageConfig:
    code: str
    title: str
    numbering: str | None = None  # a CLDR numbering system, e.g. "arab"; None: the locale's default
    fallback: tuple[str, ...] = ()  # interface catalogs to try before the source string


@dataclass(frozen=True)
class Logo:
    """A logo of ``brand.logos``: a file in the project, published in each lesson's ``brand/`` folder."""

    src: str  # as the config writes it, relative to the project folder
    path: Path  # the file, resolved inside the project
    line: int
    col: int | None

    @property
    def name(self) -> str:
        """Its file name as the pages ask for it: the config's (a link alias.svg -> real.svg is alias.svg)."""
        return Path(self.src).name


@dataclass(frozen=True)
class Brand:
    """The programme's branding (``brand:``): the theme's accent colour, the logos, the notice per language."""

    accent: str = ""  # "#rrggbb" (lower case), or "" for the theme's own
    accent_at: tuple[int, int | None] = (1, None)
    logos: tuple[Logo, ...] = ()
    notice: dict[str, str] = field(default_factory=dict)  # language code -> text
    notice_at: dict[str, tuple[int, int | None]] = field(default_factory=dict, compare=False)


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
    brand: Brand | None = None  # None: no ``brand:`` block, the theme as it is
    warnings: tuple[Diagnostic, ...] = field(default=(), compare=False)

    @property
    def path(self) -> Path:
        return self.root / CONFIG_NAME


# An http(s) address of a folder: host (ASCII, IDNs in punycode), optional port and path.
_BASE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9\-._~!$&()*+,;=:@%/]*)?")
_TOP_KEYS = {"languages", "default_language", "base_url", "theme", "raw_html", "content_dir", "output_dir",
             "order", "brand"}
_BRAND_KEYS = {"accent", "logos", "notice"}
_LANG_KEYS = {"title", "numbering", "fallback"}


def _unknown(key: str, known: set[str], path: Path, line: int | None, col: int | None = 1) -> Diagnostic:
    close = difflib.get_close_matches(key, sorted(known), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(sorted(known))}"
    return Diagnostic("warning", f"unknown key '{key}'{hint}", str(path), line, col, "config-key")


# What a base_url may not hold: it is written into attributes, sitemap.xml and handouts as it is.
_URL_UNSAFE = re.compile(r"[\s\"'<>\\`{}|^\x00-\x1f\x7f]")


def load_config(root: Path) -> Config:
    """Read ``microlearn.yml`` in ``root``; raise MicrolearnError on anything wrong, at the value."""
    root = root.resolve()
    path = root / CONFIG_NAME
    data, lines = _read(root, path)
    warnings = [_unknown(k, _TOP_KEYS, path, lines.get(k)) for k in data if k not in _TOP_KEYS]
    languages = _languages(data, path, warnings)
    default = _want(data, "default_language", str, next(iter(languages)), path)
    if default not in languages:
        raise MicrolearnError(f"default_language '{default}' is not one of the languages "
                              f"({', '.join(languages)})", path, *_at("default_language", data))
    base_url = _base_url(data, path)
    theme = _want(data, "theme", str, "default", path)
    if not re.match(r"^[A-Za-z0-9_-]+$", theme):
        raise MicrolearnError("theme must be a folder name under themes/", path, *_at("theme", data))
    for key in ("content_dir", "output_dir"):
        value = data.get(key)
        if value is not None and (not isinstance(value, str) or Path(value).is_absolute()
                                  or ".." in Path(value).parts):
            raise MicrolearnError(f"'{key}' must be a folder inside the project", path, *_at(key, data))
    order = _order(data, path)
    brand = _brand(data, path, root, languages, warnings)
    return Config(
        root=root,
        languages=languages,
        default_language=default,
        base_url=base_url,
        theme=theme,
        raw_html=_want(data, "raw_html", bool, False, path),
        content_dir=data.get("content_dir") or "content",
        output_dir=data.get("output_dir") or "site",
        order=order,
        order_line=lines.get("order", 1),
        brand=brand,
        warnings=tuple(warnings),
    )


def _read(root: Path, path: Path) -> tuple[dict, dict[str, int]]:
    """The config's mapping, and the line of each key."""
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
        raise MicrolearnError("the config must be a mapping of keys to values", path, 1, 1)
    return data, lines


def _at(key: str, container: Any) -> tuple[int, int | None]:
    """Where the value of ``key`` was written (the key's line, or line 1, when it is absent)."""
    return yamldoc.value_at(container, key, (getattr(container, "lines", {}).get(key, 1), None))


_V = TypeVar("_V")


def _want(data: dict, key: str, kind: type[_V], default: _V, path: Path) -> _V:
    """The value of ``key``, which must be of type ``kind`` (true/false is no number)."""
    value = data.get(key, default)
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise MicrolearnError(f"'{key}' must be {kind.__name__}, not {type(value).__name__}", path,
                              *_at(key, data))
    return value


def _languages(data: dict, path: Path, warnings: list[Diagnostic]) -> dict[str, LanguageConfig]:
    """The ``languages`` mapping (or list), each code with its settings."""
    langs_raw = data.get("languages")
    if isinstance(langs_raw, list):
        # The shorthand `languages: [el, ru, fa, ar]`: each language with its default settings.
        langs_raw = _shorthand(langs_raw, path, *_at("languages", data))
    if not isinstance(langs_raw, dict) or not langs_raw:
        raise MicrolearnError("'languages' must list language codes, e.g. '[el, fa]', or map them to "
                              "settings, e.g. 'el: {title: ...}'", path, *_at("languages", data))
    languages: dict[str, LanguageConfig] = {}
    lang_lines = getattr(langs_raw, "lines", {})
    for code, settings in langs_raw.items():
        line = lang_lines.get(code, 1)
        code_at = getattr(langs_raw, "key_at", {}).get(code, (line, None))
        if not is_language_code(code):
            raise MicrolearnError(f"'{code}' is not a language code such as 'el' or 'pt-BR'", path, *code_at)
        if settings is None:
            settings = {}
        if not isinstance(settings, dict):
            raise MicrolearnError(f"settings of '{code}' must be a mapping (title, numbering, fallback)",
                                  path, *_at(code, langs_raw))
        languages[code] = _language(code, settings, path, line, code_at, warnings)
    return languages


def _language(code: str, settings: dict, path: Path, line: int, code_at: tuple[int, int | None],
              warnings: list[Diagnostic]) -> LanguageConfig:
    """One language's settings (``line``, ``code_at``: where its code was written)."""
    for k in settings:
        if k not in _LANG_KEYS:
            warnings.append(_unknown(k, _LANG_KEYS, path, getattr(settings, "lines", {}).get(k, line)))
    title = settings.get("title", "")
    numbering = settings.get("numbering")
    if not isinstance(title, str):
        raise MicrolearnError(f"the title of '{code}' must be text", path, *_at("title", settings))
    if not (numbering is None or isinstance(numbering, str)):
        raise MicrolearnError(f"the numbering of '{code}' must be the name of a CLDR numbering system, such "
                              "as 'arab' or 'latn'", path, *_at("numbering", settings))
    fallback = _fallback(code, settings, path)
    try:
        language_info(code, numbering)
    except MicrolearnError as err:
        by_numbering = numbering is not None and "numbering" in err.message
        where = _at("numbering", settings) if by_numbering else code_at
        raise MicrolearnError(err.message, path, *where) from None
    for n, other in enumerate(fallback):  # a code is a folder name under locales/: never a path
        try:
            language_info(other)
        except MicrolearnError as err:
            raise MicrolearnError(f"fallback of '{code}': {err.message}", path,
                                  *yamldoc.value_at(fallback, n, _at("fallback", settings))) from None
    if not title.strip():
        warnings.append(Diagnostic(
            "warning", f"language '{code}' has no title, so its pages are titled with the interface's "
            f"word for the site (\"Micro-lessons\", translated); give it one: '{code}: {{title: ...}}'",
            str(path), line, 1, "config-title"))
    return LanguageConfig(code, title.strip(), numbering, tuple(fallback))


def _fallback(code: str, settings: dict, path: Path) -> list[str]:
    """The ``fallback`` codes of language ``code`` (one code may stand for the list)."""
    fallback = settings.get("fallback", [])
    if isinstance(fallback, str):
        fallback = yamldoc.value_list([fallback], [_at("fallback", settings)])
    if not isinstance(fallback, list):
        raise MicrolearnError(f"the fallback of '{code}' must be a list of language codes, such as '[en]'",
                              path, *_at("fallback", settings))
    for n, other in enumerate(fallback):
        if not isinstance(other, str) or not is_language_code(other):
            raise MicrolearnError(f"the fallback of '{code}' must be a list of language codes, such as "
                                  f"'[en]'; {other!r} is not one", path,
                                  *yamldoc.value_at(fallback, n, _at("fallback", settings)))
    return fallback


def _base_url(data: dict, path: Path) -> str:
    """The site's address, ending in '/', or ''."""
    base_url = _want(data, "base_url", str, "", path)
    if not base_url:
        return ""
    if not re.match(r"^https?://[^/]", base_url):
        raise MicrolearnError("base_url must start with http:// or https://", path, *_at("base_url", data))
    unsafe = _URL_UNSAFE.search(base_url)
    if unsafe:
        raise MicrolearnError(f"base_url may not contain {unsafe.group()!r}; percent-encode it (a space is "
                              "%20)", path, *_at("base_url", data))
    if not _BASE_URL.fullmatch(base_url):  # it is written into pages and sitemap.xml
        raise MicrolearnError("base_url must be the address of the site's folder, such as "
                              "https://example.org/courses/: no spaces, quotes, '<', '>', '?' or '#'", path,
                              *_at("base_url", data))
    return base_url if base_url.endswith("/") else base_url + "/"


def _order(data: dict, path: Path) -> tuple[str, ...]:
    """The lesson ids of ``order``, each once."""
    order = data.get("order", [])
    if not isinstance(order, list) or not all(isinstance(i, str) for i in order):
        raise MicrolearnError("'order' must be a list of lesson ids (folder names under content/), in the "
                              "order the course takes them", path, *_at("order", data))
    if len(set(order)) != len(order):
        twice = next(n for n, i in enumerate(order) if order.index(i) < n)
        raise MicrolearnError(f"'order' names '{order[twice]}' twice; keep it once", path,
                              *yamldoc.value_at(order, twice, _at("order", data)))
    return tuple(order)


def _shorthand(codes: list, path: Path, line: int, col: int | None) -> dict:
    """``[el, ru]`` as the mapping ``{el: {}, ru: {}}``, each code knowing where it was written."""
    mapping: dict = {}
    where: dict = {}
    for n, code in enumerate(codes):
        code_at = yamldoc.value_at(codes, n, (line, col))
        if not isinstance(code, str):
            raise MicrolearnError("'languages' must list language codes, e.g. '[el, fa]'", path, *code_at)
        if code in mapping:
            raise MicrolearnError(f"'{code}' is listed twice in 'languages'; keep only one", path, *code_at)
        mapping[code] = None
        where[code] = code_at
    return yamldoc.value_mapping(mapping, {code: at[0] for code, at in where.items()}, where, where)


_HEX_COLOUR = re.compile(r"#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})")


def _brand(data: dict, path: Path, root: Path, languages: dict[str, LanguageConfig],
           warnings: list[Diagnostic]) -> Brand | None:
    """The ``brand`` block: its accent colour's syntax, its logos' places (inside the project; what the
    files hold is checked with the lessons' images, lessons.brand) and its notices, each language once."""
    if "brand" not in data:
        return None
    block = data["brand"]
    if block is None:
        block = {}
    if not isinstance(block, dict):
        raise MicrolearnError("'brand' must be a mapping of accent, logos and notice, e.g. "
                              "'brand: {accent: \"#0b5394\"}'", path, *_at("brand", data))
    for k in block:
        if k not in _BRAND_KEYS:
            warnings.append(_unknown(k, _BRAND_KEYS, path, getattr(block, "lines", {}).get(k, 1),
                                     getattr(block, "key_at", {}).get(k, (1, 1))[1]))
    if "accent" in block and block["accent"] is None:
        raise MicrolearnError("brand accent is empty; write the colour in quotes, '\"#0b5394\"': a '#' outside "
                              "quotes starts a comment", path, *_at("accent", block))
    accent = block.get("accent") or ""
    if not isinstance(accent, str) or (accent and not _HEX_COLOUR.fullmatch(accent.strip())):
        raise MicrolearnError("brand accent must be a colour in hex, quoted: '\"#0b5394\"' (a '#' outside "
                              "quotes starts a comment)", path, *_at("accent", block))
    accent = accent.strip().lower()
    if len(accent) == 4:
        accent = "#" + "".join(c * 2 for c in accent[1:])
    return Brand(accent, _at("accent", block), _logos(block, path, root), *_notices(block, path, languages,
                                                                                    warnings))


def _logos(block: dict, path: Path, root: Path) -> tuple[Logo, ...]:
    """The files of ``brand.logos``, each inside the project and named once."""
    logos = block.get("logos", [])
    if isinstance(logos, str):
        logos = yamldoc.value_list([logos], [_at("logos", block)])
    if not isinstance(logos, list):
        raise MicrolearnError("brand logos must be a list of image files in the project, e.g. "
                              "'[brand/partners.svg]'", path, *_at("logos", block))
    found: list[Logo] = []
    for n, src in enumerate(logos):
        at = yamldoc.value_at(logos, n, _at("logos", block))
        if not isinstance(src, str) or not src.strip():
            raise MicrolearnError("brand logos must be a list of image files in the project, e.g. "
                                  "'[brand/partners.svg]'", path, *at)
        if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I) or src.startswith("//"):
            raise MicrolearnError(f"logo '{src}' is not a file in the project; copy it into the project "
                                  "(pages make no network request)", path, *at)
        if src.startswith("/") or "\\" in src or Path(src).is_absolute():
            raise MicrolearnError(f"logo '{src}' must be a path relative to the project folder, such as "
                                  "'brand/partners.svg'", path, *at)
        try:
            resolved = (root / src).resolve()
            resolved.relative_to(root)
        except (ValueError, OSError):
            raise MicrolearnError(f"logo '{src}' lies outside the project; keep it in the project folder",
                                  path, *at) from None
        if not resolved.is_file():
            raise MicrolearnError(f"logo '{src}' not found in the project; check the file name", path, *at)
        name = Path(src).name  # published under the name the config uses (a link alias.svg -> real.svg)
        twice = next((logo for logo in found if logo.name == name), None)
        if twice:
            raise MicrolearnError(f"two logos are named '{name}' ('{twice.src}' and '{src}'); the pages keep "
                                  "them side by side in one folder, so rename one", path, *at)
        found.append(Logo(src, resolved, *at))
    return tuple(found)


def _notices(block: dict, path: Path, languages: dict[str, LanguageConfig],
             warnings: list[Diagnostic]) -> tuple[dict[str, str], dict[str, tuple[int, int | None]]]:
    """``brand.notice``: one text per language code."""
    notice = block.get("notice", {})
    if notice is None:
        notice = {}
    if not isinstance(notice, dict):
        raise MicrolearnError("brand notice must map language codes to text, e.g. 'notice: {el: ...}'", path,
                              *_at("notice", block))
    texts: dict[str, str] = {}
    where: dict[str, tuple[int, int | None]] = {}
    for code, text in notice.items():
        code_at = getattr(notice, "key_at", {}).get(code, _at("notice", block))
        if not is_language_code(code):
            raise MicrolearnError(f"'{code}' is not a language code such as 'el' or 'pt-BR'", path, *code_at)
        if not isinstance(text, str) or not text.strip():
            raise MicrolearnError(f"the notice in '{code}' must be text", path, *_at(code, notice))
        if code not in languages:
            warnings.append(Diagnostic(
                "warning", f"brand notice in '{code}', which is not one of the languages "
                f"({', '.join(languages)}); no page shows it", str(path), code_at[0], code_at[1] or 1,
                "config-brand"))
        texts[code] = " ".join(text.split())
        where[code] = _at(code, notice)
    return texts, where
