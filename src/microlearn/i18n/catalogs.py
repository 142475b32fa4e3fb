"""Reading interface catalogs (.po): the lint msgfmt would apply, placeholder and plural checks,
the counts of 'i18n status', and the build's view: a catalog compiled in memory."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, read_po

from microlearn.errors import Diagnostic, MicrolearnError
from microlearn.i18n.langtag import is_language_code
from microlearn.i18n.language import babel_locale
from microlearn.i18n.plurals import MAX_PLURALS, SAMPLE, compile_plural, plural_forms, plural_index

POT_NAME = "messages.pot"
SOURCE_LANGUAGE = "en"  # the language of the msgids


_SPEC = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d+))?[hlL]?"
                   r"(?P<conv>[diouxXeEfFgGcrsa%])")
# A placeholder's width or precision: the interface strings use none, and a translation may pad a number
# a little, but '%(num)5000000s' would make every page megabytes long and '%(num)*s' cannot be formatted.
MAX_WIDTH = 20


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    """Read a .po file; a broken one is a MicrolearnError at its line."""
    try:
        data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")  # a byte order mark, as lessons allow
        return read_po(io.BytesIO(data), locale=locale, abort_invalid=True)
    except OSError as err:
        raise MicrolearnError(f"cannot read catalog: {err.strerror or err}", path) from None
    except PoFileError as err:
        # Babel counts lines from 0 and appends "on <line>" to the message; say it once, from 1.
        lineno = getattr(err, "lineno", None)
        reason = str(err).removesuffix(f" on {lineno}")
        raise MicrolearnError(f"broken catalog: {reason}; fix the line or run 'microlearn i18n update'", path,
                              lineno + 1 if isinstance(lineno, int) else None) from None
    except (UnicodeDecodeError, ValueError) as err:
        raise MicrolearnError(f"cannot read catalog: {err}", path) from None


def catalog_path(locale_dir: Path, lang: str) -> Path:
    return locale_dir / lang.replace("-", "_") / "LC_MESSAGES" / "messages.po"


def check_code(lang: str) -> None:
    """A language code as the config writes it (BCP 47: 'el', 'pt-BR', 'sr-Latn'), before it names a
    folder: 'el.x/../..' or 'EL' never becomes a path."""
    if not is_language_code(lang):
        shown = lang if len(lang) <= 40 else lang[:37] + "..."
        raise MicrolearnError(f"{shown!r} is not a language code such as 'el', 'fa' or 'pt-BR' (a lower-case "
                              "language, then -Script or -REGION as in 'sr-Latn' or 'pt-BR')")


# ---------------------------------------------------------------------------- reading and stats


@dataclass
class CatalogStatus:
    """One language's catalog: counts and every problem found in it."""

    lang: str
    path: Path | None
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0
    not_in_catalog: int = 0  # strings of messages.pot the catalog lacks (run update)
    untranslated_strings: list[tuple[str, int | None]] = field(default_factory=list)  # (msgid, line)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    state: str = "ok"  # ok, missing (no catalog), source (the msgids' language), invalid

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated + self.not_in_catalog

    @property
    def percent(self) -> float:
        return round(100 * self.translated / self.total, 1) if self.total else 0.0

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "error"]

    def as_dict(self) -> dict:
        return {
            "language": self.lang, "catalog": str(self.path) if self.path else None, "state": self.state,
            "translated": self.translated, "fuzzy": self.fuzzy, "untranslated": self.untranslated,
            "obsolete": self.obsolete, "not_in_catalog": self.not_in_catalog, "total": self.total,
            "percent": self.percent, "diagnostics": [d.__dict__ for d in self.diagnostics],
            "untranslated_strings": [{"msgid": msgid, "line": line} for msgid, line in self.untranslated_strings],
        }


def is_complete(message: Message) -> bool:
    if isinstance(message.string, (list, tuple)):
        return all(s for s in message.string)
    return bool(message.string)


def _header_line(text: str, name: str) -> int:
    for number, line in enumerate(text.split("\n"), start=1):
        if line.lstrip('"').lower().startswith(name.lower() + ":"):
            return number
    return 1


def placeholders(text: str) -> tuple[dict[str, str], list[str], int]:
    """Named placeholders (name -> conversion), unnamed ones in order, and lone '%' signs."""
    named, unnamed, lone, _wide = _placeholders(text)
    return named, unnamed, lone


def _too_wide(value: str | None) -> bool:
    return value is not None and (value == "*" or len(value) > 3 or int(value) > MAX_WIDTH)


def _placeholders(text: str) -> tuple[dict[str, str], list[str], int, list[str]]:
    """placeholders(), and the placeholders whose width or precision is '*' or above MAX_WIDTH."""
    named: dict[str, str] = {}
    unnamed: list[str] = []
    wide: list[str] = []
    pos = 0
    lone = 0
    while True:
        i = text.find("%", pos)
        if i < 0:
            break
        m = _SPEC.match(text, i)
        if not m:
            lone += 1
            pos = i + 1
            continue
        pos = m.end()
        if m.group("conv") == "%":
            continue
        if _too_wide(m.group("width")) or _too_wide(m.group("precision")):
            wide.append(m.group(0))
        if m.group("name") is not None:
            named[m.group("name")] = m.group("conv")
        else:
            unnamed.append(m.group("conv"))
    return named, unnamed, lone, wide


def _spec_list(named: dict[str, str], unnamed: list[str]) -> str:
    parts = [f"%({k}){v}" for k, v in sorted(named.items())] + [f"%{c}" for c in unnamed]
    return ", ".join(parts) or "none"


def msgstr_line(lines: list[str], msgid_line: int | None, index: int, plural: bool) -> int | None:
    """The line of a message's msgstr (or msgstr[index]), found from its msgid line."""
    if not msgid_line:
        return msgid_line
    want = f"msgstr[{index}]" if plural else "msgstr"
    for number in range(msgid_line, min(len(lines), msgid_line + 200) + 1):
        if lines[number - 1].lstrip().split(" ", 1)[0] == want:
            return number
    return msgid_line


def check_message(message: Message, single_value_forms: set[int], path: str,  # noqa: C901
                  lines: list[str] | None = None) -> list[Diagnostic]:
    """Placeholder errors of one translated message (python-format, as msgfmt --check does).

    Every string goes through ``%`` formatting (Jinja's newstyle gettext formats all of them), so every
    translation must keep the msgid's placeholders, add none, and write a literal percent as '%%'.
    A plural form used for one number only (ar 'one', 'two') may leave the number out, as in msgfmt.
    """
    out = []
    ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    want_named: dict[str, str] = {}
    want_unnamed: list[str] = []
    want_lone = 0
    for text in ids:
        named, unnamed, lone = placeholders(text)
        want_named.update(named)
        if len(unnamed) > len(want_unnamed):
            want_unnamed = unnamed
        want_lone = max(want_lone, lone)
    label = ids[0] if len(ids[0]) <= 50 else ids[0][:47] + "..."
    for index, given in enumerate(strings):
        if not given:
            continue
        text = given
        named, unnamed, lone, wide = _placeholders(text)
        form = f" (msgstr[{index}])" if len(ids) > 1 else ""
        added = sorted(k for k in named if k not in want_named)
        changed = sorted(k for k in named if k in want_named and named[k] != want_named[k])
        missing = sorted(k for k in want_named if k not in named)
        if missing and len(ids) > 1 and index in single_value_forms:
            missing = []
        problems = []
        if added:
            problems.append("adds " + ", ".join(f"%({k}){named[k]}" for k in added))
        if missing:
            problems.append("leaves out " + ", ".join(f"%({k}){want_named[k]}" for k in missing))
        if changed:
            problems.append("changes " + ", ".join(f"%({k}){want_named[k]} to %({k}){named[k]}" for k in changed))
        if unnamed != want_unnamed and not (len(ids) > 1 and index in single_value_forms and not unnamed):
            problems.append(f"has placeholders {_spec_list({}, unnamed)} where the source has "
                            f"{_spec_list({}, want_unnamed)}")
        if lone > want_lone:
            problems.append("has a lone '%' (write '%%' for a percent sign)")
        if wide:
            shown = ", ".join(w if len(w) <= 30 else w[:27] + "..." for w in wide[:3])
            problems.append(f"pads {shown}: a width or precision is a number up to {MAX_WIDTH}, never '*'")
        if problems:
            out.append(Diagnostic("error", f"translation of {label!r}{form} " + "; ".join(problems) +
                                  f" (the source has {_spec_list(want_named, want_unnamed)})",
                                  path, msgstr_line(lines or [], message.lineno, index, len(ids) > 1),
                                  1, "placeholder"))
    return out


def check_plurals(catalog: Catalog, lang: str, text: str, path: str
                  ) -> tuple[list[Diagnostic], set[int], Callable[[int], int] | None]:
    """The Plural-Forms header against CLDR: the number of forms, and which whole numbers share a form.

    Returns the diagnostics, the forms used by one number only, and the compiled expression (None if
    it does not compile).
    """
    out: list[Diagnostic] = []
    expected = plural_forms(lang)
    headers = {k.lower(): v for k, v in catalog.mime_headers}
    line = _header_line(text, "Plural-Forms")
    raw = headers.get("plural-forms")
    if raw is None:
        raw = "nplurals=2; plural=(n != 1);"  # what gettext assumes without the header
        line = 1
    m = re.match(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$", raw)
    func = compile_plural(m.group(2)) if m else None
    if not m or func is None:
        out.append(Diagnostic("error", f"Plural-Forms {raw!r} is not a gettext plural expression; for "
                              f"{lang} use: {expected.header}", path, line, 1, "plural-forms"))
        return out, set(), None
    computed = {n: plural_index(func, n) for n in SAMPLE}
    broken = next((n for n, index in computed.items() if index is None), None)
    indices = {n: index for n, index in computed.items() if index is not None}
    if broken is not None:
        out.append(Diagnostic("error", f"Plural-Forms {raw!r} cannot be computed for n={broken} (a division "
                              f"by zero?); for {lang} use: {expected.header}", path, line, 1, "plural-forms"))
        return out, set(), None
    nplurals = int(m.group(1)) if len(m.group(1)) <= 2 else MAX_PLURALS + 1
    if nplurals != expected.count:
        out.append(Diagnostic(
            "error", f"Plural-Forms says nplurals={nplurals}, but {lang} has {expected.count} plural "
            f"form{'s' if expected.count != 1 else ''} for whole numbers in CLDR ({', '.join(expected.tags)}); "
            f"use: {expected.header}", path, line, 1, "plural-forms"))
        return out, set(), func
    rule = babel_locale(lang).plural_form
    members: dict[int, list[int]] = {}
    by_tag: dict[str, int] = {}
    for n in SAMPLE:
        index = indices[n]
        if not 0 <= index < nplurals:
            out.append(Diagnostic("error", f"Plural-Forms gives form {index} for n={n}, outside 0..{nplurals - 1}",
                                  path, line, 1, "plural-forms"))
            return out, set(), func
        tag = rule(n)
        if by_tag.setdefault(tag, index) != index:
            out.append(Diagnostic(
                "error", f"Plural-Forms puts n={n} in form {index}, but CLDR gives it the same form "
                f"('{tag}') as n={min(k for k in SAMPLE if rule(k) == tag)} (form {by_tag[tag]}); "
                f"use: {expected.header}", path, line, 1, "plural-forms"))
            return out, set(), func
        members.setdefault(index, []).append(n)
    order = sorted(by_tag, key=lambda tag: by_tag[tag])
    if tuple(order) != expected.tags:
        slots = ", ".join(f"msgstr[{by_tag[t]}] is '{t}' (e.g. {members[by_tag[t]][0]})" for t in order)
        out.append(Diagnostic(
            "warning", f"the plural forms are in another order than CLDR's ({', '.join(expected.tags)}): "
            f"{slots}; translate each form for those numbers, or switch to: {expected.header}",
            path, line, 1, "plural-order"))
    single = {index for index, ns in members.items() if len(ns) == 1}
    return out, single, func


# The escapes Babel's reader understands (\\ \" \n \t \r); others would reach the page as typed.
_STRING = re.compile(r'"(?:[^"\\]|\\[\\"ntr])*"')
_KEYWORD = re.compile(r"^(msgctxt|msgid|msgid_plural|msgstr|msgstr\[(\d+)\])\s+(.*)$")


def header_text(text: str) -> str | None:
    """The header entry's text (the msgstr of the first msgid ""), joined and unescaped as Babel reads
    it; None when the catalog has no header."""
    lines = iter(text.split("\n"))
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line != 'msgid ""':
            return None
        break
    else:
        return None
    parts: list[str] = []
    for raw in lines:
        line = raw.strip()
        if line.startswith("msgstr "):
            line = line[len("msgstr "):].strip()
        elif not parts or not line.startswith('"'):
            break
        if not (line.startswith('"') and line.endswith('"') and len(line) >= 2):
            break
        parts.append(line[1:-1])
    joined = "".join(parts)
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), joined)


def lint_po(text: str, path: str) -> list[Diagnostic]:  # noqa: C901 - one state machine over the lines, as msgfmt reads them
    """What msgfmt rejects and Babel's reader lets through: strings not in double quotes, unknown
    escapes, msgstr[n] without msgid_plural (and the reverse), a message defined twice."""
    out: list[Diagnostic] = []
    seen: dict[tuple, int] = {}
    context = msgid = None
    plural = False
    msgid_line = 0
    state = ""

    def bad(line: int, message: str) -> None:
        out.append(Diagnostic("error", message, path, line, 1, "invalid-catalog"))

    header = header_text(text)
    declared = re.search(r"nplurals\s*=\s*([^;\n]*)", header or "", re.IGNORECASE)
    nplurals = None
    if declared:
        value = declared.group(1).strip()
        if not re.fullmatch(r"\d{1,2}", value) or int(value) > MAX_PLURALS:
            shown = value if len(value) <= 12 else value[:9] + "..."
            bad(_header_line(text, "Plural-Forms"), f"Plural-Forms says nplurals={shown}; no language has more "
                f"than {MAX_PLURALS} plural forms (CLDR's zero, one, two, few, many, other)")
        else:
            nplurals = int(value)
    forms: set[int] = set()  # the msgstr[n] of the current plural message

    def finish() -> None:
        """msgfmt rejects a plural message with fewer forms than the header's nplurals."""
        if plural and nplurals and forms and len(forms) < nplurals:
            missing = ", ".join(f"msgstr[{i}]" for i in range(nplurals) if i not in forms)
            bad(msgid_line, f"this message has {len(forms)} of the {nplurals} plural forms the header asks for; "
                f"add {missing}")

    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line or (line.startswith("#") and not obsolete):
            continue
        if line.startswith('"'):
            if not _STRING.fullmatch(line):
                bad(number, "a string must be in double quotes, with no escapes but \\n \\t \\r \\\" \\\\")
            elif state == "msgid" and msgid is not None:
                msgid += line
            elif state == "msgctxt" and context is not None:
                context += line
            continue
        m = _KEYWORD.match(line)
        if not m:
            continue  # Babel reports unknown keywords itself
        keyword, _, arg = m.groups()
        if not _STRING.fullmatch(arg):
            bad(number, f"the text after {keyword} must be one string in double quotes, with no escapes but "
                "\\n \\t \\r \\\" \\\\")
        if obsolete:
            continue
        if keyword == "msgctxt":
            context, state = arg, "msgctxt"
        elif keyword == "msgid":
            finish()
            forms = set()
            msgid, msgid_line, plural, state = arg, number, False, "msgid"
        elif keyword == "msgid_plural":
            plural, state = True, "plural"
        else:
            if m.group(2) is not None:
                forms.add(int(m.group(2)))
            if keyword == "msgstr" and plural:
                bad(number, "a message with msgid_plural needs msgstr[0], msgstr[1]..., not msgstr")
            if keyword != "msgstr" and not plural:
                bad(number, f"{keyword} without msgid_plural: write msgstr")
            if state in ("msgid", "plural"):
                key = (context, msgid)
                if msgid != '""' or context is not None:
                    if key in seen:
                        bad(msgid_line, f"this message is defined twice (first at line {seen[key]})")
                    else:
                        seen[key] = msgid_line
                context = None
            state = "msgstr"
    finish()
    return out


def read_text(path: Path) -> str:
    """A catalog's text; a UTF-8 byte order mark at its start is allowed (as in lessons) and dropped."""
    try:
        return path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        raise MicrolearnError(f"not valid UTF-8 at byte offset {err.start}; save the catalog as UTF-8",
                              path) from None
    except OSError as err:
        raise MicrolearnError(f"cannot read the catalog: {err.strerror or err}", path) from None


def read_checked(path: Path, lang: str) -> Catalog:
    """Read a catalog for checks and the build; anything msgfmt would reject is a MicrolearnError."""
    text = read_text(path)
    found = lint_po(text, str(path))
    if found:
        raise MicrolearnError(f"broken catalog: {found[0].message}", path, found[0].line)
    try:
        return read_catalog(path, locale=lang.replace("-", "_"))
    except MicrolearnError as err:
        if "more translations than num_plurals" not in err.message:
            raise
        # An entry gives more forms than the header promises. When the header is right for the language,
        # the entry is wrong; otherwise the header is, and we say which header the language needs.
        try:
            forms = plural_forms(lang)
        except (ValueError, LookupError):
            forms = None
        declared = re.search(r"nplurals\s*=\s*(\d+)", text)
        if forms is None or (declared and int(declared.group(1)) == forms.count):
            raise MicrolearnError(f"broken catalog: this entry has more plural forms than the Plural-Forms "
                                  f"header allows ({declared.group(1) if declared else '?'}); remove the extra "
                                  "msgstr[…] lines", path, err.line) from None
        raise MicrolearnError(
            f"broken catalog: the entry at line {err.line} has more plural forms than the Plural-Forms header "
            f"allows; {lang} needs 'Plural-Forms: {forms.header}': fix the header", path,
            _header_line(text, "Plural-Forms")) from None


def _shape_warnings(catalog: Catalog, text: str, lang: str, path: str) -> list[Diagnostic]:
    """A catalog with no header, or with no strings at all: readable, but surely not what was meant."""
    out = []
    if header_text(text) is None:
        out.append(Diagnostic(
            "warning", f"this catalog has no header (a first entry msgid \"\" with Content-Type and "
            f"Plural-Forms); add the one 'microlearn i18n init {lang}' writes, with "
            f"'Plural-Forms: {plural_forms(lang).header}'", path, 1, 1, "catalog-header"))
    if not any(m.id for m in catalog):
        out.append(Diagnostic(
            "warning", f"this catalog has no strings; run 'microlearn i18n update' to add those of {POT_NAME}",
            path, 1, 1, "catalog-empty"))
    return out


def catalog_status(path: Path, lang: str, template: Catalog | None = None) -> CatalogStatus:
    """Counts and checks of one catalog. An unreadable catalog is an 'invalid' status with an error."""
    status = CatalogStatus(lang, path)
    try:
        check_code(lang)
        babel_locale(lang)
        catalog = read_checked(path, lang)
    except MicrolearnError as err:
        status.state = "invalid"
        if err.path is None:  # a folder name that is no language: say which catalog
            err = MicrolearnError(f"{err.message} (the folder name of this catalog)", path, 1)
        status.diagnostics.append(Diagnostic.from_error(err, "invalid-catalog"))
        return status
    text = read_text(path)
    lines = text.split("\n")
    spath = str(path)
    found, single, _ = check_plurals(catalog, lang, text, spath)
    status.diagnostics.extend(found)
    status.diagnostics.extend(_shape_warnings(catalog, text, lang, spath))
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            status.fuzzy += 1
        elif is_complete(message):
            status.translated += 1
            status.diagnostics.extend(check_message(message, single, spath, lines))
        else:
            status.untranslated += 1
            status.untranslated_strings.append((message.id[0] if isinstance(message.id, (list, tuple))
                                                else message.id, message.lineno))
    status.obsolete = len(catalog.obsolete)
    if template is not None:
        have = {(c.id, c.context) for c in catalog if c.id}
        lacking = [m for m in template if m.id and (m.id, m.context) not in have]
        status.not_in_catalog = len(lacking)
        if lacking:
            status.diagnostics.append(Diagnostic(
                "warning", f"{len(lacking)} string(s) of {POT_NAME} are not in this catalog; run "
                "'microlearn i18n update'", spath, 1, 1, "catalog-stale"))
    status.diagnostics.sort(key=lambda d: (d.line or 0, d.level, d.message))
    return status


# ---------------------------------------------------------------------------- the build's view


@dataclass(frozen=True)
class Messages:
    """A catalog's usable translations as plain lookup tables, as gettext keys them: the msgid (with
    ``context`` and U+0004 in front when it has one) gives the text; ``(msgid, form)`` gives each form of
    a plural entry; ``plural`` gives the form of a number (the catalog's Plural-Forms expression)."""

    table: dict[str | tuple[str, int], str]
    plural: Callable[[int], int]


def runtime_translations(path: Path, lang: str) -> tuple[Messages, list[Diagnostic]]:
    """A catalog ready for the build: fuzzy entries and entries whose placeholders are wrong are left
    out (the page shows the source text, and the build warns), so no translation can make rendering
    fail. An unreadable catalog is a MicrolearnError at its line."""
    catalog = read_checked(path, lang)
    text = read_text(path)
    lines = text.split("\n")
    problems, single, func = check_plurals(catalog, lang, text, str(path))
    if func is None:
        bad = problems[0]
        raise MicrolearnError(bad.message, path, bad.line)
    problems.extend(_shape_warnings(catalog, text, lang, str(path)))
    table: dict[str | tuple[str, int], str] = {}
    for message in catalog:
        if not message.id:
            continue
        # Left out, as msgfmt does: an untranslated plural entry must not pass for a translation.
        usable = not message.fuzzy and is_complete(message)
        if usable:
            found = check_message(message, single, str(path), lines)
            if found:
                problems.extend(d.__class__("warning", d.message + "; showing the source text", d.path, d.line,
                                            d.col, d.code) for d in found)
                usable = False
        if not usable:
            continue
        prefix = f"{message.context}\x04" if message.context else ""
        if isinstance(message.id, (list, tuple)):  # a plural entry: every form is there (is_complete)
            for form, string in enumerate(message.string or ()):
                table[(prefix + message.id[0], form)] = string
        elif isinstance(message.string, str):
            table[prefix + message.id] = message.string
    return Messages(table, func), [d if d.level == "warning" else d.__class__("warning", d.message, d.path,
                                                                                d.line, d.col, d.code)
                                   for d in problems]
