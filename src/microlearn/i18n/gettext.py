"""The interface text of a page: gettext through a language's fallback chain, with the language of
every string that comes from another catalog (or the source) marked, and missing strings counted."""

from __future__ import annotations

from dataclasses import dataclass, field

from microlearn.i18n.catalogs import Messages


@dataclass
class MissingStrings:
    """Interface strings that fell back to the source text, reported once each."""

    seen: set[tuple[str, str]] = field(default_factory=set)

    def add(self, lang: str, msgid: str) -> bool:
        key = (lang, msgid)
        if key in self.seen:
            return False
        self.seen.add(key)
        return True


# A translation that comes from another language than the page's (a fallback catalog, or the English
# source) is wrapped in these Unicode noncharacters (reserved for a program's internal use, so never in
# text we are given; see parse.read_source) with that language's code. mark_languages() then turns the
# wrapped text of element content into <span lang dir>, and strips the marks where an element cannot
# go (attributes, <title>, scripts).
MARK_OPEN, MARK_SEP, MARK_CLOSE = "\ufdd0", "\ufdd1", "\ufdd2"


class InterfaceText:
    """gettext/ngettext for one language, through its fallback chain to the source string.

    ``chain`` holds (language code, catalog) pairs, the page's own language first. A string found in
    another language, or left in the English source, comes back marked with that language (see
    mark_languages), so the page can say which language it is in.
    """

    def __init__(self, lang: str, chain: list[tuple[str, Messages]], missing: MissingStrings | None = None,
                 on_missing=None, source_lang: str = "en") -> None:
        self.lang = lang
        self.chain = chain
        self.missing = missing or MissingStrings()
        self.on_missing = on_missing
        self.source_lang = source_lang

    def _miss(self, msgid: str) -> None:
        if self.missing.add(self.lang, msgid) and self.on_missing:
            self.on_missing(self.lang, msgid)

    def _in(self, code: str, text: str) -> str:
        if code.split("-")[0].lower() == self.lang.split("-")[0].lower():
            return text
        return f"{MARK_OPEN}{code}{MARK_SEP}{text}{MARK_CLOSE}"

    def _find(self, key) -> str | None:
        for code, t in self.chain:
            found = t.table.get(key)
            if found:
                return self._in(code, found)
        return None

    def gettext(self, message: str) -> str:
        found = self._find(message)
        if found is None:
            self._miss(message)
            return self._in(self.source_lang, message)
        return found

    @staticmethod
    def _form(t: Messages, n: int) -> int:
        """The plural form of ``n`` in a catalog; -1 (no form) when its expression cannot compute it (the
        checks report such a Plural-Forms; here the next catalog of the chain, or the source, is used)."""
        try:
            return t.plural(n)
        except (ArithmeticError, RecursionError, ValueError, TypeError):
            return -1

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        for code, t in self.chain:
            found = t.table.get((singular, self._form(t, n)))
            if found:
                return self._in(code, found)
        self._miss(singular)
        return self._in(self.source_lang, singular if n == 1 else plural)

    def pgettext(self, context: str, message: str) -> str:
        found = self._find(f"{context}\x04{message}")
        if found is None:
            self._miss(message)
            return self._in(self.source_lang, message)
        return found

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        for code, t in self.chain:
            found = t.table.get((f"{context}\x04{singular}", self._form(t, n)))
            if found:
                return self._in(code, found)
        self._miss(singular)
        return self._in(self.source_lang, singular if n == 1 else plural)
