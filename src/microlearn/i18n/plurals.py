"""Plural forms: what CLDR (through Babel) says a language's whole numbers take, as gettext
Plural-Forms headers and expressions, and the check that a catalog's header agrees."""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable
from dataclasses import dataclass

from babel.plural import PluralRule, to_gettext

from microlearn.i18n.language import babel_locale

# gettext plural expressions take a whole number; these are the numbers we compare rules on.
SAMPLE = range(1001)
CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")


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
    func = compile_plural(expr) if None not in conditions else None
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
        parts: list[str] | None = []
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
            assert parts is not None
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


def compile_plural(expr: str) -> Callable[[int], int] | None:
    try:
        return gettext.c2py(expr)
    except (ValueError, SyntaxError, RecursionError, MemoryError):
        return None


def plural_index(func: Callable[[int], int], n: int) -> int | None:
    """The form ``func`` gives ``n``; None when it cannot be computed (n / 0, n % (n - n))."""
    try:
        return func(n)
    except (ArithmeticError, RecursionError, ValueError, TypeError):
        return None
