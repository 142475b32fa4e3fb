"""The checks of the ``brand:`` block that need more than the config: its logos follow the rules of a
lesson's images (lessons.images), and its accent colour is readable on the theme's backgrounds.

The contrast is WCAG 2's: relative luminance of sRGB, (L1 + 0.05) / (L2 + 0.05), at least 4.5:1 for
text and 3:1 for large text and the parts of the interface (borders, focus rings, option circles). The
backgrounds are the theme's own custom properties (``--paper``, ``--soft``, ``--stage-bg``, and
``--accent-ink``, the text on an accent-coloured button) as its ``base.css`` sets them, once for the
screen (light) and once with the rules of any ``@media print { :root { … } }`` of its sheets (print).
The deck's progress bar, the one use of the accent on the dark ``--frame``, is not measured: the slide
counter beside it says the same in text, so it is no information a reader needs from its colour alone
(WCAG 1.4.11).

A colour that fails is refused at its line, with the ratio and the nearest colour that passes: the same
hue and chroma in OKLCH (Björn Ottosson's perceptual space), made lighter or darker in steps of 0.002 of
its lightness until every use passes; the smaller change wins, the darker one on a tie.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from microlearn.errors import Diagnostic, MicrolearnError
from microlearn.lessons.images import check_image
from microlearn.project.config import Config
from microlearn.project.folders import theme_dirs

TEXT, LARGE, UI = 4.5, 3.0, 3.0


@dataclass(frozen=True)
class Use:
    what: str  # where the accent stands, for the message
    foreground: str  # a custom property: the accent, or the text set on it
    background: str
    minimum: float


# Where the default theme puts the accent (--accent, and --stage, which the brand sets to the accent too).
USES = (
    Use("links and the handout's stage numbers on the page", "--accent", "--paper", TEXT),
    Use("links and labels on the shaded boxes", "--accent", "--soft", TEXT),
    Use("the deck's stage numbers (large text)", "--stage", "--stage-bg", LARGE),
    Use("the quotations' bar on their shading", "--accent", "--stage-bg", UI),
    Use("the text of an accent-coloured button", "--accent-ink", "--accent", TEXT),
)
SHEETS = ("base.css", "deck.css", "handout.css", "handout-pdf.css", "guide.css", "site.css")
ACCENT_PROPERTIES = ("--accent", "--stage")  # what brand.accent sets on every page


def check_brand(config: Config) -> list[Diagnostic]:
    """Raise MicrolearnError, at the config's line, for a logo that may not be published or an accent
    colour that fails WCAG AA contrast on the theme's backgrounds; warn of a logo with no text."""
    brand = config.brand
    if brand is None:
        return []
    found: list[Diagnostic] = []
    for logo in brand.logos:
        try:
            check_image(logo.path, logo.src, config.path, logo.line, logo.col)
        except MicrolearnError as err:  # the image rules, said of a logo
            raise MicrolearnError(re.sub(r"^image '", "logo '", err.message), err.path, err.line,
                                  err.col) from None
        if not logo_text(logo.path):
            found.append(Diagnostic(
                "warning", f"logo '{logo.src}' has no text for readers who cannot see it, so the pages show "
                "it as decoration; use an SVG whose <title> names the organisations", str(config.path),
                logo.line, logo.col or 1, "config-brand"))
    if brand.accent:
        problem = contrast_problem(brand.accent, palettes(config))
        if problem:
            raise MicrolearnError(problem, config.path, *brand.accent_at)
    return found


def logo_text(path: Path) -> str:
    """A logo's text alternative: the <title> of an SVG (its first child of that name), else ""."""
    if path.suffix.lower() != ".svg":
        return ""
    try:
        root = ET.fromstring(path.read_bytes())
    except (ET.ParseError, ValueError, OSError):
        return ""
    title = root.find("{http://www.w3.org/2000/svg}title")
    return " ".join("".join(title.itertext()).split()) if title is not None else ""


def palettes(config: Config) -> dict[str, dict[str, str]]:
    """The theme's colours by custom property, for "light" (the screen) and "print"."""
    static = [d / "static" for d in theme_dirs(config.root, config.theme)]

    def sheet(name: str) -> str:
        for folder in static:
            if (folder / name).is_file():
                return (folder / name).read_text(encoding="utf-8", errors="replace")
        return ""

    light = _root_properties(_without_media(sheet("base.css")))
    print_ = dict(light)
    for name in SHEETS:
        for block in _print_blocks(sheet(name)):
            print_.update(_root_properties(block))
    return {"light": light, "print": print_}


_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_ROOT = re.compile(r"(?:^|[}\s,]):root\s*\{([^}]*)\}")
_PROPERTY = re.compile(r"(--[A-Za-z0-9_-]+)\s*:\s*([^;}]+)")


def _root_properties(css: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for block in _ROOT.findall(_COMMENT.sub("", css)):
        for name, value in _PROPERTY.findall(block):
            found[name] = value.strip().lower()
    return found


def _media_blocks(css: str):
    """(query, body, start, end) of each top-level @media block."""
    css = _COMMENT.sub("", css)
    for m in re.finditer(r"@media([^{]*)\{", css):
        depth, i = 1, m.end()
        while i < len(css) and depth:
            depth += {"{": 1, "}": -1}.get(css[i], 0)
            i += 1
        yield m.group(1), css[m.end():i - 1], m.start(), i


def _without_media(css: str) -> str:
    css = _COMMENT.sub("", css)
    out, pos = [], 0
    for _, _, start, end in _media_blocks(css):
        if start >= pos:
            out.append(css[pos:start])
            pos = end
    return "".join(out) + css[pos:]


def _print_blocks(css: str) -> list[str]:
    return [body for query, body, _, _ in _media_blocks(css) if re.search(r"\bprint\b", query)]


def contrast_problem(accent: str, themes: dict[str, dict[str, str]]) -> str | None:
    """Why ``accent`` may not be the theme's accent (the first use it fails), or None."""
    failures = _failures(accent, themes)
    if not failures:
        return None
    (context, use, fg, bg, ratio) = failures[0]
    suggestion = nearest_passing(accent, themes)
    where = "" if context == "light" else f" in {context}"
    hint = (f"; the nearest colour that passes is \"{suggestion}\"" if suggestion else
            "; no colour of its hue passes: choose another")
    kind = "text" if use.minimum == TEXT else "large text and interface parts"
    return (f"brand accent \"{accent}\" has a contrast of {_ratio(ratio)}:1 for {use.what}{where} "
            f"({use.foreground} {fg} on {use.background} {bg}); WCAG AA wants {use.minimum:g}:1 for {kind}{hint}")


def _ratio(ratio: float) -> str:
    return f"{math.floor(ratio * 100) / 100:.2f}"  # never rounded up past the threshold


def _failures(accent: str, themes: dict[str, dict[str, str]]) -> list[tuple[str, Use, str, str, float]]:
    found = []
    for context, palette in themes.items():
        colours = dict(palette)
        for name in ACCENT_PROPERTIES:
            colours[name] = accent
        for use in USES:
            fg, bg = colours.get(use.foreground), colours.get(use.background)
            if not (fg and bg and _HEX.fullmatch(fg) and _HEX.fullmatch(bg)):
                continue  # a theme without this property (or not in hex) does not use the accent so
            ratio = contrast(fg, bg)
            if ratio < use.minimum:
                found.append((context, use, fg, bg, ratio))
    return found


def nearest_passing(accent: str, themes: dict[str, dict[str, str]], step: float = 0.002) -> str | None:
    """The colour nearest ``accent`` in OKLCH lightness, same hue and chroma (less where sRGB cannot
    hold it), that passes every use; None if none does."""
    lightness, a, b = _oklab(_rgb(accent))
    chroma, hue = math.hypot(a, b), math.atan2(b, a)
    for n in range(1, int(1 / step) + 1):
        for direction in (-1, 1):  # darker first: on a tie the darker colour wins
            target = lightness + direction * n * step
            if not 0 <= target <= 1:
                continue
            candidate = _in_gamut(target, chroma, hue)
            if not _failures(candidate, themes):
                return candidate
    return None


_HEX = re.compile(r"#(?:[0-9a-f]{3}|[0-9a-f]{6})")


def _rgb(colour: str) -> tuple[float, float, float]:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    r, g, b = (int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _encoded(c: float) -> float:
    return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def luminance(colour: str) -> float:
    r, g, b = (_linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """WCAG 2's contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _oklab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = (_linear(c) for c in rgb)
    lms = (0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b,
           0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b,
           0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b)
    l_, m_, s_ = (math.copysign(abs(v) ** (1 / 3), v) for v in lms)
    return (0.2104542553 * l_ + 0.7936177850 * m_ - 0.0040720468 * s_,
            1.9779984951 * l_ - 2.4285922050 * m_ + 0.4505937099 * s_,
            0.0259040371 * l_ + 0.7827717662 * m_ - 0.8086757660 * s_)


def _linear_from_oklab(lightness: float, a: float, b: float) -> tuple[float, float, float]:
    l_ = lightness + 0.3963377774 * a + 0.2158037573 * b
    m_ = lightness - 0.1055613458 * a - 0.0638541728 * b
    s_ = lightness - 0.0894841775 * a - 1.2914855480 * b
    long, mid, short = l_ ** 3, m_ ** 3, s_ ** 3
    return (4.0767416621 * long - 3.3077115913 * mid + 0.2309699292 * short,
            -1.2684380046 * long + 2.6097574011 * mid - 0.3413193965 * short,
            -0.0041960863 * long - 0.7034186147 * mid + 1.7076147010 * short)


def _in_gamut(lightness: float, chroma: float, hue: float) -> str:
    """The sRGB colour (hex) of this OKLCH lightness and hue with the most chroma up to ``chroma``."""
    def fits(c: float) -> bool:
        return all(-1e-9 <= v <= 1 + 1e-9 for v in _linear_from_oklab(lightness, c * math.cos(hue),
                                                                      c * math.sin(hue)))
    low, high = 0.0, chroma
    if not fits(high):
        for _ in range(32):
            mid = (low + high) / 2
            low, high = (mid, high) if fits(mid) else (low, mid)
        chroma = low
    rgb = _linear_from_oklab(lightness, chroma * math.cos(hue), chroma * math.sin(hue))
    return "#" + "".join(f"{round(min(1.0, max(0.0, _encoded(max(0.0, v)))) * 255):02x}" for v in rgb)
