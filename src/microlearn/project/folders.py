"""Where the built-in theme and catalogs live: inside the installed package, or at the top of
the source checkout (the repository is itself an example project)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from microlearn.errors import MicrolearnError
from microlearn.i18n.catalogs import catalog_path

if TYPE_CHECKING:
    from microlearn.project.config import Config

_PACKAGE = Path(__file__).resolve().parent.parent  # the microlearn package


def builtin_dir(name: str) -> Path:
    """``themes`` or ``locales`` as shipped with microlearn."""
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    checkout = _PACKAGE.parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"microlearn is installed without its {name}/ folder")


def theme_dirs(project_root: Path, theme: str) -> list[Path]:
    """Theme folders to search, the project's first: a project overrides one file by adding it."""
    dirs = []
    own = project_root / "themes" / theme
    if own.is_dir():
        refuse_links_out(own, project_root, "theme")
        dirs.append(own)
    default = builtin_dir("themes") / "default"
    if default.resolve() not in [d.resolve() for d in dirs]:
        dirs.append(default)
    return dirs


def locale_dirs(project_root: Path) -> list[Path]:
    """Catalog folders to search for a language, the project's first."""
    dirs = []
    own = project_root / "locales"
    if own.is_dir():
        refuse_links_out(own, project_root, "catalog")
        dirs.append(own)
    builtin = builtin_dir("locales")
    if builtin.resolve() not in [d.resolve() for d in dirs]:
        dirs.append(builtin)
    return dirs


def inside(path: Path, root: Path) -> bool:
    """``path``, its links followed, lies inside ``root``."""
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError, RuntimeError):
        return False


def refuse_links_out(folder: Path, project_root: Path, what: str) -> None:
    """A project's theme or catalogs are read and published as they are: a symbolic link in them (or the
    folder itself being one) that leads out of the project would publish whatever it points at (the
    build's environment, /etc/passwd), so it is an error."""
    for path in [*_parents_up_to(folder, project_root), *_links_under(folder)]:
        if not inside(path, project_root):
            raise MicrolearnError(f"this {what} file or folder links outside the project, to "
                                  f"{os.path.realpath(path)}; copy what it links to into the project instead",
                                  path)


def _parents_up_to(folder: Path, root: Path) -> list[Path]:
    """``folder`` and its parents below ``root``: themes/default is out if themes/ is a link out."""
    found = []
    while folder != root and folder.parent != folder:
        found.append(folder)
        folder = folder.parent
    return found[::-1]  # the outermost first: the link itself, not what lies in it


def _links_under(folder: Path):
    for dirpath, dirs, names in os.walk(folder):
        for name in dirs + names:
            path = Path(dirpath, name)
            if path.is_symlink():
                yield path


def project_locales(root: Path) -> Path:
    return root / "locales"


def project_catalogs(root: Path) -> list[tuple[str, Path]]:
    """The project's own catalogs: (language code, path), sorted."""
    base = project_locales(root)
    if not base.is_dir():
        return []
    found = []
    for po in sorted(base.glob("*/LC_MESSAGES/messages.po")):
        found.append((po.parent.parent.name.replace("_", "-"), po))
    return found


def catalog_chain(config: Config, lang: str) -> list[tuple[str, Path | None]]:
    """The interface catalogs a page in ``lang`` reads, in order: its own language's, then its
    fallbacks' (``fallback:`` in the config), each the first found in the project's locales/ or the
    built-in ones (None: that language has no catalog). The renderer reads these, and the cache keys
    pages by these same files, so the two cannot drift apart."""
    settings = config.languages.get(lang)
    chain: list[tuple[str, Path | None]] = []
    for code in (lang, *(settings.fallback if settings else ())):
        found = None
        for folder in locale_dirs(config.root):
            po = catalog_path(folder, code)
            if po.is_file():
                found = po
                break
        chain.append((code, found))
    return chain
