"""Where the built-in theme and catalogs live: inside the installed package, or at the top of
the source checkout (the repository is itself an example project)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


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
        dirs.append(own)
    builtin = builtin_dir("locales")
    if builtin.resolve() not in [d.resolve() for d in dirs]:
        dirs.append(builtin)
    return dirs
