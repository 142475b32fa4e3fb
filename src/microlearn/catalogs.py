"""Interface catalogs for translators: extract, init, update, compile, and the checks of ``i18n status``.

The files are plain gettext, written the way ``pybabel`` writes them, so the pybabel commands keep
working on them. What a language needs (how many plural forms, which integer takes which form) comes
from CLDR through Babel, for any language code.
"""

from __future__ import annotations

import configparser
import gettext
import io
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import jinja2
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.plural import PluralRule, to_gettext
from babel.support import Translations

from .errors import Diagnostic, MicrolearnError
from .i18n import babel_locale, catalog_path, read_catalog
from .output import replace_file

POT_NAME = "messages.pot"
# The keywords of the documented pybabel command line (README, "Translating"): these are added to
# Babel's defaults exactly as `pybabel extract -k ...` adds them.
KEYWORDS = ["_", "gettext", "ngettext:1,2", "pgettext:1c,2", "npgettext:1c,2,3"]
WIDTH = 76  # pybabel's default line width, so that pybabel and microlearn write the same files
# gettext plural expressions take a whole number; these are the numbers we compare rules on.
SAMPLE = range(1001)
CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")
SOURCE_LANGUAGE = "en"  # the language of the msgids

_SPEC = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d+))?[hlL]?"
                   r"(?P<conv>[diouxXeEfFgGcrsa%])")
# A placeholder's width or precision: the interface strings use none, and a translation may pad a number
# a little, but '%(num)5000000s' would make every page megabytes long and '%(num)*s' cannot be formatted.
MAX_WIDTH = 20
# No language has more plural forms than CLDR's six categories (zero one two few many other).
MAX_PLURALS = len(CLDR_ORDER)


# ---------------------------------------------------------------------------- plural forms


@dataclass(frozen=True)
class PluralForms:
    """The plural forms of a language for whole numbers, in CLDR's order (zero one two few many other)."""

    lang: str
    tags: tuple[str, ...]
    header: str  # the Plural-Forms header value for a new catalog

    @property
    def count(self) -> int:
        return len(self.tags)


def plural_forms(lang: str) -> PluralForms:
    """CLDR's categories that whole numbers take: el 2, ru 3 (CLDR's 'other' is for fractions), ar 6.

    The header is CLDR's rule as a gettext expression, the categories in CLDR order, the last one
    taking every number the others do not. (Babel's own table, which ``pybabel init`` uses, says
    nplurals=1 for fa and orders ar's forms differently; we do not use it.)
    """
    rule = babel_locale(lang).plural_form
    seen = {rule(n) for n in SAMPLE}
    tags = tuple(t for t in CLDR_ORDER if t in seen)
    if len(tags) == 1:
        return PluralForms(lang, tags, "nplurals=1; plural=0;")
    rules = rule.rules
    conditions = [_integer_condition(rules[t]) for t in tags[:-1]]
    expr = "".join(f"{c} ? {i} : " for i, c in enumerate(conditions)) + str(len(tags) - 1)
    func = _compile_plural(expr) if None not in conditions else None
    if func is None or any(tags[func(n)] != rule(n) for n in SAMPLE):
        # a rule our short form cannot express: Babel's longer but exact translation
        header = to_gettext(PluralRule({t: rules[t] for t in tags[:-1]})).strip().rstrip(";") + ";"
        return PluralForms(lang, tags, header)
    return PluralForms(lang, tags, f"nplurals={len(tags)}; plural=({expr});")


_RELATION = re.compile(r"^([niwvftce])(?: mod (\d+))? (not in|in|!=|=) ([\d.,]+)$")


def _integer_condition(rule: str) -> str | None:
    """A CLDR rule for whole numbers as a C expression in gettext's style ('n%10==1 && n%100!=11'):
    the operands of fractions and exponents (v w f t c e) are 0, i is n. None if it cannot be read."""
    chains = []
    for chain in rule.split(" or "):
        parts = []
        for relation in chain.split(" and "):
            m = _RELATION.match(relation.strip())
            if not m:
                return None
            operand, mod, op, values = m.groups()
            negate = op in ("not in", "!=")
            ranges = [tuple(int(x) for x in v.split("..")) if ".." in v else (int(v), int(v))
                      for v in values.split(",")]
            if operand not in ("n", "i"):  # zero for whole numbers
                value = 0 % int(mod) if mod else 0
                if any(a <= value <= b for a, b in ranges) == negate:
                    parts = None
                    break
                continue
            x = f"n%{mod}" if mod else "n"
            if negate:
                items = [f"{x}!={a}" if a == b else f"({x}<{a} || {x}>{b})" for a, b in ranges]
                parts.append(" && ".join(items))
            else:
                items = [f"{x}=={a}" if a == b else f"{x}>={a} && {x}<={b}" for a, b in ranges]
                parts.append(items[0] if len(items) == 1 else "(" + " || ".join(f"({i})" if "&&" in i else i
                                                                             for i in items) + ")")
        if parts is None:
            continue
        chains.append(" && ".join(parts) if parts else "1")
    if not chains:
        return "0"
    if len(chains) > 1:
        chains = [f"({c})" if "&&" in c and "||" in c else c for c in chains]
    return " || ".join(chains)


def _compile_plural(expr: str):
    try:
        return gettext.c2py(expr)
    except (ValueError, SyntaxError, RecursionError, MemoryError):
        return None


def _plural_index(func, n: int) -> int | None:
    """The form ``func`` gives ``n``; None when it cannot be computed (n / 0, n % (n - n))."""
    try:
        return func(n)
    except (ArithmeticError, RecursionError, ValueError, TypeError):
        return None


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


def _is_complete(message: Message) -> bool:
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


def check_message(message: Message, single_value_forms: set[int], path: str,
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
    for index, text in enumerate(strings):
        if not text:
            continue
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


def check_plurals(catalog: Catalog, lang: str, text: str, path: str) -> tuple[list[Diagnostic], set[int], object]:
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
    func = _compile_plural(m.group(2)) if m else None
    if not m or func is None:
        out.append(Diagnostic("error", f"Plural-Forms {raw!r} is not a gettext plural expression; for "
                              f"{lang} use: {expected.header}", path, line, 1, "plural-forms"))
        return out, set(), None
    indices = {n: _plural_index(func, n) for n in SAMPLE}
    broken = next((n for n, index in indices.items() if index is None), None)
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
    order = sorted(by_tag, key=by_tag.get)
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


def lint_po(text: str, path: str) -> list[Diagnostic]:
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
        elif _is_complete(message):
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


def runtime_translations(path: Path, lang: str) -> tuple[Translations, list[Diagnostic]]:
    """A catalog compiled in memory for the build: fuzzy entries and entries whose placeholders are
    wrong are left out (the page shows the source text, and the build warns), so no translation can
    make rendering fail. An unreadable catalog is a MicrolearnError at its line."""
    catalog = read_checked(path, lang)
    text = read_text(path)
    lines = text.split("\n")
    problems, single, func = check_plurals(catalog, lang, text, str(path))
    if func is None:
        bad = problems[0]
        raise MicrolearnError(bad.message, path, bad.line)
    problems.extend(_shape_warnings(catalog, text, lang, str(path)))
    for message in list(catalog):
        if not message.id:
            continue
        usable = not message.fuzzy and _is_complete(message)
        if usable:
            found = check_message(message, single, str(path), lines)
            if found:
                problems.extend(d.__class__("warning", d.message + "; showing the source text", d.path, d.line,
                                            d.col, d.code) for d in found)
                usable = False
        if not usable:
            # Left out of the compiled catalog, as msgfmt does: Babel's write_mo would otherwise fill an
            # untranslated plural entry with the English msgids, as if they were the translation.
            catalog.delete(message.id, context=message.context)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    try:
        translations = Translations(buf)
    except (ValueError, SyntaxError) as err:
        raise MicrolearnError(f"cannot use catalog: {err}", path, _header_line(text, "Plural-Forms")) from None
    return translations, [d if d.level == "warning" else d.__class__("warning", d.message, d.path, d.line, d.col,
                                                                       d.code) for d in problems]


# ---------------------------------------------------------------------------- the workflow


def project_locales(root: Path) -> Path:
    return root / "locales"


def extract(root: Path, output: Path | None = None) -> tuple[Path, int]:
    """Templates and code to ``locales/messages.pot``, exactly as the documented pybabel command.

    With a ``babel.cfg`` the project's mapping is used (the pybabel way); without one, the built-in
    template's strings plus those of the project's own theme templates.
    """
    output = output or project_locales(root) / POT_NAME
    keywords = dict(DEFAULT_KEYWORDS)
    keywords.update(parse_keywords(KEYWORDS))
    catalog = Catalog(fuzzy=False)
    cfg = root / "babel.cfg"
    if cfg.is_file():
        with cfg.open(encoding="utf-8") as fh:
            try:
                method_map, options_map = parse_mapping_cfg(fh, str(cfg))
            except (configparser.Error, ValueError) as err:
                raise MicrolearnError(f"cannot read the extraction mapping: {err}", cfg) from None
        dirs = [(".", method_map, options_map)]
    else:
        from .resources import builtin_dir

        builtin_pot = builtin_dir("locales") / POT_NAME
        if builtin_pot.is_file():
            for message in read_catalog(builtin_pot):
                if message.id:
                    catalog.add(message.id, None, context=message.context, flags=message.flags)
        # silent = false: a template Jinja cannot read is an error, not a template with no strings
        theme_cfg = ("[jinja2: themes/**/templates/**.html]\ntrim_blocks = True\nlstrip_blocks = True\n"
                     "silent = false\n")
        method_map, options_map = parse_mapping_cfg(io.StringIO(theme_cfg))
        dirs = [(".", method_map, options_map)] if (root / "themes").is_dir() else []
    cwd = os.getcwd()
    try:
        os.chdir(root)
        for dirname, method_map, options_map in dirs:
            current = [""]  # the file being read, for an error's place

            def reading(filename: str, method: str, options: dict) -> None:
                current[0] = filename

            try:
                for filename, lineno, message, comments, context in extract_from_dir(
                        dirname, method_map, options_map, keywords=keywords, callback=reading):
                    catalog.add(message, None, [(os.path.normpath(os.path.join(dirname, filename)), lineno)],
                                auto_comments=comments, context=context)
            except SyntaxError as err:
                raise MicrolearnError(f"cannot extract strings: {err.msg}", root / (err.filename or ""),
                                      err.lineno) from None
            except jinja2.TemplateSyntaxError as err:
                where = err.filename or current[0]
                raise MicrolearnError(f"cannot extract strings: {err.message}; fix the template",
                                      root / where, err.lineno) from None
    finally:
        os.chdir(cwd)
    buf = io.BytesIO()
    write_po(buf, catalog, no_location=True, omit_header=True, sort_output=True, width=WIDTH)
    _write_if_changed(output, buf.getvalue())
    return output, len([m for m in catalog if m.id])


def _write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``path`` in one step when its bytes change. A full or read-only disk is a MicrolearnError,
    and the file stays as it was."""
    try:
        if path.is_file() and path.read_bytes() == data:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, data)
    except OSError as err:
        raise MicrolearnError(f"cannot write {path.name}: {err.strerror or err}; it is unchanged", path) from None
    return True


def template_path(root: Path) -> Path:
    """The project's messages.pot, else the built-in one."""
    own = project_locales(root) / POT_NAME
    if own.is_file():
        return own
    from .resources import builtin_dir

    builtin = builtin_dir("locales") / POT_NAME
    if builtin.is_file():
        return builtin
    raise MicrolearnError(f"no {POT_NAME}; run 'microlearn i18n extract' first", own)


def _now() -> datetime:
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        from .build import source_date_epoch  # the one reading of it: a value no zip can hold is an error

        return datetime.fromtimestamp(source_date_epoch(), UTC)
    return datetime.now(UTC).replace(second=0, microsecond=0)


def check_code(lang: str) -> None:
    """A language code as the config writes it (BCP 47: 'el', 'pt-BR', 'sr-Latn'), before it names a
    folder: 'el.x/../..' or 'EL' never becomes a path."""
    from .config import LANG_RE

    if not LANG_RE.fullmatch(lang):
        shown = lang if len(lang) <= 40 else lang[:37] + "..."
        raise MicrolearnError(f"{shown!r} is not a language code such as 'el', 'fa' or 'pt-BR' (a lower-case "
                              "language, then -Script or -REGION as in 'sr-Latn' or 'pt-BR')")


def init(root: Path, lang: str, force: bool = False) -> Path:
    """A new catalog for ``lang`` from messages.pot, with CLDR's plural forms in its header."""
    check_code(lang)
    locale = babel_locale(lang)
    target = catalog_path(project_locales(root), lang)
    if target.exists() and not force:
        raise MicrolearnError(f"a catalog for {lang} exists already; run 'microlearn i18n update' to merge "
                              "new strings into it", target)
    pot = template_path(root)
    with pot.open("rb") as fh:
        # Read without the locale: Babel's own plural table (nplurals=1 for tr, ka, ja...) would warn about
        # every plural entry of the template; the header below sets CLDR's forms.
        catalog = read_po(fh)
    catalog.locale = locale
    catalog.revision_date = _now()
    catalog.creation_date = _now()
    catalog.fuzzy = False
    forms = plural_forms(lang)
    headers = [(k, v) for k, v in catalog.mime_headers if k.lower() != "plural-forms"]
    headers.append(("Plural-Forms", forms.header))
    catalog.mime_headers = headers
    buf = io.BytesIO()
    write_po(buf, catalog, width=WIDTH)
    made = [p for p in (target.parent.parent.parent, target.parent.parent, target.parent) if not p.exists()]
    try:
        _write_if_changed(target, buf.getvalue())
    except MicrolearnError:
        for folder in reversed(made):  # leave no empty locales/<lang>/ behind
            try:
                folder.rmdir()
            except OSError:
                pass
        raise
    return target


def project_catalogs(root: Path) -> list[tuple[str, Path]]:
    """The project's own catalogs: (language code, path), sorted."""
    base = project_locales(root)
    if not base.is_dir():
        return []
    found = []
    for po in sorted(base.glob("*/LC_MESSAGES/messages.po")):
        found.append((po.parent.parent.name.replace("_", "-"), po))
    return found


def update(root: Path, no_fuzzy_matching: bool = False) -> list[tuple[Path, dict]]:
    """Merge messages.pot into every catalog of the project, as ``pybabel update`` does: new strings
    are added, changed ones kept as fuzzy suggestions, removed ones made obsolete (#~)."""
    pot = project_locales(root) / POT_NAME
    if not pot.is_file():
        raise MicrolearnError(f"no {POT_NAME}; run 'microlearn i18n extract' first", pot)
    template = read_catalog(pot)
    done = []
    for lang, po in project_catalogs(root):
        catalog = read_checked(po, lang)
        before = {m.id for m in catalog if m.id}
        catalog.update(template, no_fuzzy_matching=no_fuzzy_matching)
        buf = io.BytesIO()
        write_po(buf, catalog, width=WIDTH)
        _write_if_changed(po, buf.getvalue())
        after = [m for m in catalog if m.id]
        done.append((po, {"added": sum(m.id not in before for m in after),
                          "fuzzy": sum(bool(m.fuzzy) for m in after), "obsolete": len(catalog.obsolete)}))
    return done


def compile_catalogs(root: Path) -> list[tuple[Path, int]]:
    """messages.mo beside each catalog (fuzzy strings left out). The build does not need them: it
    compiles catalogs in memory; they are for other gettext tools."""
    out = []
    for lang, po in project_catalogs(root):
        translations_catalog = read_checked(po, lang)
        text = read_text(po)
        problems, _single, func = check_plurals(translations_catalog, lang, text, str(po))
        if func is None:  # msgfmt refuses such a catalog: so do we, rather than write a .mo that breaks
            raise MicrolearnError(problems[0].message, po, problems[0].line)
        buf = io.BytesIO()
        write_mo(buf, translations_catalog, use_fuzzy=False)
        _write_if_changed(po.with_suffix(".mo"), buf.getvalue())
        out.append((po.with_suffix(".mo"), sum(1 for m in translations_catalog
                                              if m.id and not m.fuzzy and _is_complete(m))))
    return out
