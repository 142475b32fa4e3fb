"""Language codes: the one grammar of the language tags microlearn accepts, in the config, in a lesson's
``translation_of`` and as folder and file names (``el``, ``pt-BR``, ``sr-Latn``, ``es-419``).

A code is a BCP 47 tag of this form: a language (two or three lowercase letters), an optional script
(four letters, the first uppercase) and an optional region (two uppercase letters or three digits). It
is used as a folder or file name (``locales/pt_BR/``, ``content/x/pt-BR.md``), so no other character can
ever reach a path.
"""

from __future__ import annotations

import re

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?$")


def is_language_code(text: str) -> bool:
    """Whether ``text`` is a language code of the form above."""
    return LANGUAGE_CODE.fullmatch(text) is not None


def base_language(code: str) -> str:
    """The language of ``code`` without script or region: ``pt`` for ``pt-BR``."""
    return code.split("-")[0]
