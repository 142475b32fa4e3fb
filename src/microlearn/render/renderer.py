"""Pages from the lesson model: the Jinja2 environment and the context of each page kind."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from microlearn import __version__
from microlearn.errors import Diagnostic, MicrolearnError
from microlearn.files import replace_file
from microlearn.i18n.catalogs import SOURCE_LANGUAGE, runtime_translations
from microlearn.i18n.gettext import MARK_CLOSE, MARK_OPEN, MARK_SEP, InterfaceText, MissingStrings
from microlearn.i18n.language import (
    LanguageInfo,
    format_clock,
    format_counter,
    format_duration,
    format_list,
    format_number,
    format_percent,
    language_info,
)
from microlearn.lessons.brand import logo_text
from microlearn.lessons.model import Lesson
from microlearn.lessons.project import original_language
from microlearn.project.config import CONFIG_NAME, Config
from microlearn.project.folders import catalog_chain, theme_dirs
from microlearn.render import epub, layout
from microlearn.render.deckplan import deck_slides, timing_rows
from microlearn.render.marks import image_data_uri, inline_images, mark_languages
from microlearn.render.runsheet import run_sheet
from microlearn.render.theme import built_static


@dataclass(frozen=True)
class Alternate:
    """The same page in another language (or, where the lesson lacks it, that language's catalog)."""

    lang: LanguageInfo
    href: str
    exists: bool
    current: bool
    original: bool = False  # the lesson's source version: what hreflang="x-default" points to
    url: str = ""  # the href of <link rel=alternate>: absolute under base_url, else as href


# CSS's predefined counter styles (CSS Counter Styles 3, supported by Chromium and WeasyPrint) for
# CLDR numbering systems; other systems get an @counter-style rule built from their digits.
CSS_COUNTER_STYLES = {
    "latn": "decimal", "arab": "arabic-indic", "arabext": "persian", "deva": "devanagari", "beng": "bengali",
    "guru": "gurmukhi", "gujr": "gujarati", "orya": "oriya", "tamldec": "tamil", "telu": "telugu",
    "knda": "kannada", "mlym": "malayalam", "thai": "thai", "laoo": "lao", "tibt": "tibetan",
    "mymr": "myanmar", "khmr": "khmer", "mong": "mongolian", "hanidec": "cjk-decimal",
}


class Formatter:
    """Numbers, counters and durations in one language, for templates."""

    def __init__(self, info: LanguageInfo, text: InterfaceText) -> None:
        self.info = info
        self.text = text

    def number(self, value: int) -> str:
        return format_number(value, self.info)

    def counter(self, value: int, width: int = 1) -> str:
        return format_counter(value, self.info, width)

    def duration(self, seconds: int | None) -> str:
        return format_duration(seconds, self.info)

    def clock(self, seconds: int) -> str:
        """'0:05': a time from the start of a session, as a clock shows it."""
        return format_clock(seconds, self.info)

    def percent(self, value: int) -> str:
        return format_percent(value, self.info)

    def join_html(self, items: tuple[str, ...] | list[str]) -> Markup:
        """Inline HTML fragments (the lesson's, already safe) joined as the language lists things."""
        return Markup(format_list(list(items), info=self.info))

    def of(self, n: int, total: int) -> str:
        """'3 / 15', as a slide counter shows it."""
        return f"{self.counter(n)} / {self.counter(total)}"

    def letter(self, n: int) -> str:
        """The n-th option of a question (1-based) in the language's own lettering, which its catalog lists
        (Latin A, B, C; Greek alpha, beta, gamma; Persian alef, be, jim...); past the list's end, its number."""
        text = self.text.pgettext("the letters of a question's options, separated by spaces",
                                  "A B C D E F G H I J K L M N O P Q R S T U V W X Y Z")
        code = ""  # the language the letters came in, when not the page's (a missing translation)
        if text.startswith(MARK_OPEN) and text.endswith(MARK_CLOSE):
            code, _, text = text[1:-1].partition(MARK_SEP)
        letters = text.split()
        if not 0 < n <= len(letters):
            return self.counter(n)
        return f"{MARK_OPEN}{code}{MARK_SEP}{letters[n - 1]}{MARK_CLOSE}" if code else letters[n - 1]

    def join(self, parts: list[str]) -> str:
        """Option letters in a row: 'B, D'."""
        return self.text.pgettext("between the letters of a question's correct options", ", ").join(parts)

    def slides(self, n: int) -> str:
        return self.text.ngettext("%(num)s slide", "%(num)s slides", n) % {"num": self.number(n)}

    @property
    def counter_style(self) -> str:
        """The CSS counter style writing this language's digits, for list markers and page numbers."""
        return CSS_COUNTER_STYLES.get(self.info.numbering, "microlearn-digits")

    @property
    def counter_style_rule(self) -> str:
        """An @counter-style rule for digits CSS has no predefined style for (else empty)."""
        if self.info.numbering in CSS_COUNTER_STYLES:
            return ""
        symbols = " ".join(f'"{d}"' for d in self.info.digits)
        return f"@counter-style microlearn-digits {{ system: numeric; symbols: {symbols}; suffix: \". \"; }}"


class Renderer:
    def __init__(self, config: Config, missing: MissingStrings | None = None, on_missing=None,
                 template_cache: Path | None = None) -> None:
        self.config = config
        self.missing = missing or MissingStrings()
        self.on_missing = on_missing
        self.themes = theme_dirs(config.root, config.theme)
        self.loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d / "templates")) for d in self.themes])
        self._envs: dict[str, jinja2.Environment] = {}
        # the languages' environments differ only in gettext: one compiled template serves them all
        self._compiled = _CompiledTemplates(template_cache)
        self._texts: dict[str, InterfaceText] = {}
        self.catalog_warnings: list[Diagnostic] = []  # problems of interface catalogs, once per catalog
        self.with_pdf = True  # False when PDFs are not built: pages then do not link them
        self._logo_texts: dict[str, str] = {}

    # ------------------------------------------------------------------ languages

    def info(self, lang: str) -> LanguageInfo:
        settings = self.config.languages.get(lang)
        return language_info(lang, settings.numbering if settings else None)

    def text(self, lang: str) -> InterfaceText:
        if lang not in self._texts:
            chain = []
            own = False
            settings = self.config.languages.get(lang)
            for code, po in catalog_chain(self.config, lang):
                if po is not None:
                    translations, found = runtime_translations(po, code)
                    chain.append((code, translations))
                    self.catalog_warnings.extend(found)
                    own = own or code == lang
                else:
                    if code != lang and code.split("-")[0] != SOURCE_LANGUAGE:
                        self.catalog_warnings.append(Diagnostic(
                            "warning", f"{lang} falls back to {code}, which has no interface catalog; "
                            f"remove it from 'fallback' in {CONFIG_NAME} or run 'microlearn i18n init {code}'",
                            None, None, None, "catalog-missing"))
            on_missing = self.on_missing
            if not own:
                # English is the source text: nothing is missing. Any other language without a catalog
                # gets one warning, not one per string.
                on_missing = None
            if not own and lang.split("-")[0] != SOURCE_LANGUAGE:
                self.catalog_warnings.append(Diagnostic(
                    "warning", f"no interface catalog for {lang}: its pages show the English source text"
                    + (f" where {', '.join(settings.fallback)} has none" if settings and settings.fallback else "")
                    + f"; run 'microlearn i18n init {lang}'", None, None, None, "catalog-missing"))
            self._texts[lang] = InterfaceText(lang, chain, self.missing, on_missing, SOURCE_LANGUAGE)
        return self._texts[lang]

    def env(self, lang: str) -> jinja2.Environment:
        if lang not in self._envs:
            env = jinja2.Environment(
                loader=self.loader, autoescape=True, extensions=["jinja2.ext.i18n"],
                trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                undefined=jinja2.StrictUndefined, bytecode_cache=self._compiled,
            )
            text = self.text(lang)
            # Translations are text, not HTML: escape them, so a catalog cannot inject markup.
            env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
                lambda m: escape(text.gettext(m)), lambda s, p, n: escape(text.ngettext(s, p, n)),
                newstyle=True, pgettext=lambda c, m: escape(text.pgettext(c, m)),
                npgettext=lambda c, s, p, n: escape(text.npgettext(c, s, p, n)))
            env.filters["tojson_script"] = _json_for_script
            env.filters["raised_headings"] = epub.raised_headings
            self._envs[lang] = env
        return self._envs[lang]

    # ------------------------------------------------------------------ theme files

    def theme_file(self, name: str) -> bytes:
        """A file of assets/ as built (deck.js joined, base.css in front of the sheets: render.theme)."""
        if name in self.static_files:
            return self.static_files[name]
        raise MicrolearnError(f"the theme has no static/{name}", self.themes[0])

    @cached_property
    def static_files(self) -> dict[str, bytes]:
        """Every file of assets/, from the theme's static/ folder, the project's own overriding the built-in."""
        return built_static(self.themes)

    # ------------------------------------------------------------------ shared context

    def site_title(self, lang: str) -> str:
        """The site's title in ``lang``: the config's, else the interface's word for the site."""
        settings = self.config.languages.get(lang)
        return settings.title if settings and settings.title else self.text(lang).gettext("Micro-lessons")

    def _base(self, lang: str, depth: int, page_kind: str, lesson_id: str | None = None,
              available: dict[str, Lesson] | None = None) -> dict:
        info = self.info(lang)
        text = self.text(lang)
        root = "../" * depth
        alternates = []
        original = original_language(available, self.config.default_language) if available else None
        for code in self.config.languages:
            other = self.info(code)
            if lesson_id and available is not None and code in available:
                page = {"handout": layout.HANDOUT, "guide": layout.GUIDE}.get(page_kind, layout.DECK)
                href, exists = root + layout.lesson_dir(code, lesson_id) + page, True
            elif page_kind == "root":
                href, exists = root + layout.catalog(code), True
            else:
                href, exists = root + layout.catalog(code), page_kind == "catalog"
            url = layout.canonical(self.config.base_url, href[len(root):]) or href
            alternates.append(Alternate(other, href, exists, code == lang, exists and code == original, url))
        return {
            "lang": info,
            "site_title": self.site_title(lang),
            "root": root,
            "assets": root + layout.ASSETS,
            "alternates": alternates,
            "fmt": Formatter(info, text),
            "generator": f"microlearn {__version__}",
            "base_url": self.config.base_url,
            "page_kind": page_kind,
            "has_pdf": self.with_pdf,
            "brand": self.brand(lang),
        }

    # ------------------------------------------------------------------ brand

    def brand(self, lang: str, inline: bool = False) -> dict | None:
        """What ``brand:`` puts on a page in ``lang`` (None without one): ``css``, its own style (the accent
        on the theme's custom properties, the logos' and the notice's layout: the pages' own, so the deck's
        shared sheet stays as it is), ``logos`` (``src``: in the lesson's brand/ folder, or with ``inline``
        a data: URI; ``alt``: an SVG's <title>), and ``notice``, marked as another language's where it
        falls back."""
        brand = self.config.brand
        if brand is None:
            return None
        logos = [{"src": image_data_uri(logo.path) if inline else layout.LOGOS + logo.name,
                  "alt": self._logo_texts.setdefault(logo.src, logo_text(logo.path))} for logo in brand.logos]
        found = self.notice(lang)
        notice = ""
        if found:
            code, text = found
            notice = text if code == lang else f"{MARK_OPEN}{code}{MARK_SEP}{text}{MARK_CLOSE}"
        return {"css": Markup(_brand_css(brand.accent)), "logos": logos, "notice": notice}

    def notice(self, lang: str) -> tuple[str, str] | None:
        """``brand.notice`` for a page in ``lang``: (the language it is in, its text), through the
        language's fallback chain and then the default language, as interface text falls back."""
        brand = self.config.brand
        if brand is None:
            return None
        settings = self.config.languages.get(lang)
        for code in (lang, *(settings.fallback if settings else ()), self.config.default_language):
            if code in brand.notice:
                return code, brand.notice[code]
        return None

    def _page(self, template: str, ctx: dict) -> str:
        """A template rendered in the language of ``ctx``, with text of other languages marked as such."""
        info = ctx["lang"]
        try:
            html = self.env(info.code).get_template(template).render(ctx)
        except jinja2.TemplateError as err:
            raise template_error(err, template) from None
        return mark_languages(html, info.direction)

    def canonical(self, relpath: str) -> str:
        return layout.canonical(self.config.base_url, relpath)

    # ------------------------------------------------------------------ pages

    def deck(self, lesson: Lesson, versions: dict[str, Lesson], outdated: bool = False,
             inline_assets: bool = False) -> str:
        ctx = self._base(lesson.lang, 2, "deck", lesson.id, versions)
        if inline_assets:  # the zip's deck; without base_url its alternates' relative links lead nowhere
            if not self.config.base_url:
                ctx["alternates"] = []
            ctx["inline_css"] = Markup(self.theme_file("deck.css").decode("utf-8"))
            ctx["inline_js"] = Markup(self.theme_file("deck.js").decode("utf-8").replace("</", "<\\/"))
        ctx.update(here=layout.lesson_links(lesson, layout.lesson_dir(lesson.lang, lesson.id)),
                   catalog_url=layout.relative(layout.lesson_dir(lesson.lang, lesson.id), layout.catalog(lesson.lang)))
        ctx.update(lesson=lesson, slides=deck_slides(lesson), outdated=outdated, inline_assets=inline_assets,
                   canonical=self.canonical(layout.deck(lesson)), zip_name=layout.lesson_zip_name(lesson), learner=None)
        return self._page("deck.html", ctx)

    def learner_deck(self, lesson: Lesson, versions: dict[str, Lesson], standard: str) -> str:
        """The learner's deck of a SCORM package (``standard`` "1.2" or "2004"): self-paced, the questions
        answerable, the handout beside it; no presenter window, no links out of the package, its own
        style sheet and script (render.theme.LEARNER_PARTS) inlined."""
        ctx = self._base(lesson.lang, 2, "deck", lesson.id, versions)
        css = self.theme_file("deck.css").decode("utf-8") + self.theme_file("learner.css").decode("utf-8")
        ctx.update(inline_css=Markup(css),
                   inline_js=Markup(self.theme_file("learner.js").decode("utf-8").replace("</", "<\\/")),
                   alternates=[], has_pdf=False,
                   here=layout.lesson_links(lesson, layout.lesson_dir(lesson.lang, lesson.id)),
                   catalog_url="", lesson=lesson, slides=deck_slides(lesson), outdated=False, inline_assets=True,
                   canonical="", zip_name="", learner={
                       "standard": standard, "passMark": lesson.pass_mark,
                       # how the language writes a percentage, with {n} for the number ("{n} %", "{n}٪")
                       "percent": ctx["fmt"].percent(7).replace(ctx["fmt"].number(7), "{n}"),
                       "store": f"microlearn:progress:{lesson.lang}/{lesson.id}:{lesson.revision[:12]}",
                       "questions": [{"number": q.number, "scored": q.scored,
                                      "correct": [i for i, o in enumerate(q.options, 1) if o.correct]}
                                     for q in lesson.questions]})
        return self._page("deck.html", ctx)

    def handout(self, lesson: Lesson, versions: dict[str, Lesson], outdated: bool = False,
                for_pdf: bool = False, bundled: bool = False, packaged: bool = False) -> str:
        """The self-contained handout; ``for_pdf`` drops screen-only links, ``bundled`` (inside a zip)
        drops links that lead out of the lesson's folder, ``packaged`` (inside a SCORM package, which holds
        the handout and the learner's deck alone) all links to the lesson's other files."""
        ctx = self._base(lesson.lang, 2, "handout", lesson.id, versions)
        css = self.theme_file("handout.css").decode("utf-8")
        # WeasyPrint-only rules (running title, page numbers) go to the PDF's page alone.
        pdf_css = self.theme_file("handout-pdf.css").decode("utf-8") if for_pdf else ""
        ctx["here"] = layout.lesson_links(lesson, layout.lesson_dir(lesson.lang, lesson.id))
        ctx.update(lesson=lesson, timing=timing_rows(lesson), outdated=outdated, for_pdf=for_pdf,
                   bundled=bundled or packaged, packaged=packaged, css=Markup(css), pdf_css=Markup(pdf_css),
                   stages=lesson.stages,
                   deck_slide_count=len(deck_slides(lesson)),
                   canonical=self.canonical(layout.handout(lesson)), deck_url=self.canonical(layout.deck(lesson)),
                   zip_name=layout.lesson_zip_name(lesson))
        if packaged:  # the package holds this one version: no alternates, no address on the web
            ctx.update(alternates=[], canonical="", deck_url="")
        elif bundled and not self.config.base_url:  # a zip holds one language: relative links to the
            ctx["alternates"] = []                  # other versions would lead nowhere (absolute ones stay)
        ctx["brand"] = self.brand(lesson.lang, inline=True)  # the handout stands alone: its logos inlined
        html = self._page("handout.html", ctx)
        return inline_images(html, lesson)

    def epub_documents(self, lesson: Lesson, identifier: str, modified: str) -> dict[str, bytes]:
        """The EPUB handout's files inside its publication folder (documents, navigation, package
        document, style sheet), by name there; the lesson's images are the caller's to add (render.epub)."""
        ctx = self._base(lesson.lang, 0, "epub")
        text = self.text(lesson.lang)
        docs = epub.documents(lesson, {"intro": text.gettext("Introduction"), "discussion": text.gettext("Discussion"),
                                       "follow-up": text.gettext("Follow-up activity")})
        images = epub.images(lesson) + epub.logos(self.config)
        sources: dict[str, str | None] = {image.src: None for image in lesson.images}
        # a logo EPUB cannot carry (AVIF) reads as its text, as a lesson's image does
        sources.update({layout.LOGOS + logo.name: None for logo in (self.config.brand.logos if self.config.brand
                                                                    else ())})
        sources.update({image.src: image.href for image in images})
        features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
        if images:
            features.insert(0, "alternativeText")
        ctx.update(lesson=lesson, docs=docs, images=images, stylesheet=epub.STYLESHEET, identifier=identifier,
                   modified=modified, features=sorted(features),
                   notice_lang=(self.notice(lesson.lang) or (lesson.lang,))[0])
        files: dict[str, bytes] = {}
        for doc in docs:
            ctx["doc"] = doc
            files[doc.href] = self._xhtml(f"epub/{doc.kind}.xhtml", ctx, sources)
        ctx["doc"] = epub.Document("nav", epub.NAV, "nav", lesson.title)
        files[epub.NAV] = self._xhtml("epub/nav.xhtml", ctx, sources)
        try:
            package = self.env(lesson.lang).get_template("epub/package.opf").render(ctx)
        except jinja2.TemplateError as err:
            raise template_error(err, "epub/package.opf") from None
        files[epub.PACKAGE] = _unmarked(package).encode("utf-8")
        files[epub.STYLESHEET] = self.theme_file(epub.STYLESHEET)
        return files

    def _xhtml(self, template: str, ctx: dict, sources: dict[str, str | None]) -> bytes:
        return epub.to_xhtml(self._page(template, ctx), sources).encode("utf-8")

    def guide(self, lesson: Lesson, versions: dict[str, Lesson], outdated: bool = False,
              for_pdf: bool = False, bundled: bool = False) -> str:
        """The trainer's guide: the run sheet of the lesson, one self-contained page for print and PDF;
        ``for_pdf`` and ``bundled`` as for the handout."""
        ctx = self._base(lesson.lang, 2, "guide", lesson.id, versions)
        ctx["here"] = layout.lesson_links(lesson, layout.lesson_dir(lesson.lang, lesson.id))
        ctx.update(lesson=lesson, sheet=run_sheet(lesson), outdated=outdated, for_pdf=for_pdf, bundled=bundled,
                   css=Markup(self.theme_file("guide.css").decode("utf-8")),
                   canonical=self.canonical(layout.guide(lesson)))
        if bundled and not self.config.base_url:  # as for the handout
            ctx["alternates"] = []
        return inline_images(self._page("guide.html", ctx), lesson)

    def catalog(self, lang: str, lessons: list[tuple[Lesson, dict[str, Lesson], bool]]) -> str:
        ctx = self._base(lang, 1, "catalog")
        ctx.update(links=self._links(lang, lessons), home_url=layout.relative(layout.language_dir(lang),
                                                                             layout.root_index()))
        ctx.update(lessons=lessons, canonical=self.canonical(layout.catalog(lang)),
                   zip_name=layout.language_zip_name(lang),
                   slide_counts={lesson.id: len(deck_slides(lesson)) for lesson, _, _ in lessons})
        return self._page("catalog.html", ctx)

    def bundle_index(self, lang: str, lessons: list[tuple[Lesson, dict[str, Lesson], bool]]) -> str:
        """The first page of a language's zip: its lessons, linking only into the unzipped folder."""
        ctx = self._base(lang, 1, "bundle")
        ctx.update(links=self._links(lang, lessons))
        ctx.update(lessons=lessons, css=Markup(self.theme_file("site.css").decode("utf-8")), canonical="",
                   slide_counts={lesson.id: len(deck_slides(lesson)) for lesson, _, _ in lessons})
        return self._page("bundle_index.html", ctx)

    @staticmethod
    def _links(lang: str, lessons: list[tuple[Lesson, dict[str, Lesson], bool]]) -> dict[str, layout.LessonLinks]:
        return {lesson.id: layout.lesson_links(lesson, layout.language_dir(lang), list(versions))
                for lesson, versions, _ in lessons}

    def root_index(self, counts: dict[str, int]) -> str:
        lang = self.config.default_language
        ctx = self._base(lang, 0, "root")
        choices: list[dict] = []
        for code in self.config.languages:
            info, text = self.info(code), self.text(code)
            count = counts.get(code, 0)
            choices.append({"lang": info, "href": layout.relative("", layout.catalog(code)),
                            "title": self.site_title(code), "prompt": text.gettext("Choose a language"),
                            "count": text.ngettext("%(num)s lesson", "%(num)s lessons", count)
                            % {"num": format_number(count, info)}})
        # The prompt in every language of the site, the default language's first, each once.
        prompts: dict[str, tuple[LanguageInfo, str]] = {}
        for c in sorted(choices, key=lambda c: c["lang"].code != lang):
            prompts.setdefault(c["prompt"], (c["lang"], c["prompt"]))
        ctx.update(counts=counts, canonical=self.canonical(layout.root_index()), choices=choices,
                   prompts=list(prompts.values()),
                   languages=[self.info(code) for code in self.config.languages])
        return self._page("index.html", ctx)


def _brand_css(accent: str) -> str:
    """The style ``brand:`` adds to a page: its accent on the properties the theme colours with it."""
    rules = [f":root {{ --accent: {accent}; --stage: {accent}; }}"] if accent else []
    rules += [".brand-logos { display: flex; flex-wrap: wrap; gap: .5em 1.5em; align-items: center; "
              "justify-content: center; margin-block: 1em; }",
              ".brand-logos img { max-block-size: 5rem; max-inline-size: 100%; }",
              ".slide .brand-logos img { max-block-size: 2.6em; }",
              ".brand-notice { color: var(--muted); font-size: .85em; }"]
    return "\n".join(rules)


_MARK = re.compile(f"{MARK_OPEN}[^{MARK_SEP}]*{MARK_SEP}([^{MARK_CLOSE}]*){MARK_CLOSE}")


def _unmarked(text: str) -> str:
    """Text without the marks of another language's strings (metadata has no element to mark them)."""
    return _MARK.sub(r"\1", text)


def template_error(err: jinja2.TemplateError, template: str) -> MicrolearnError:
    """A theme template's mistake (a syntax error, an undefined name, a missing include) at the template's
    file and line: the innermost frame of the rendering that ran a template file."""
    if isinstance(err, jinja2.TemplateSyntaxError):
        return MicrolearnError(f"template syntax error: {err.message}; fix the theme's template",
                               err.filename or err.name or template, err.lineno)
    where: tuple[str, int] | None = None
    tb = err.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt", ".xhtml", ".opf")) and Path(filename).is_file():
            where = (filename, tb.tb_lineno)
        tb = tb.tb_next
    path, line = where or (template, None)
    return MicrolearnError(f"template error: {err.message or type(err).__name__}; fix the theme's template "
                           f"(rendering {template})", path, line)


class _CompiledTemplates(jinja2.BytecodeCache):
    """Each template compiled once, shared by the environments of all languages; with a folder, also
    kept on disk for the next build. Jinja2 checks each entry against the template's source and the
    Python version, so a changed template is compiled again; an unreadable entry only costs time."""

    def __init__(self, folder: Path | None = None) -> None:
        self.store: dict[str, bytes] = {}
        self.folder = folder

    def load_bytecode(self, bucket) -> None:
        if bucket.key not in self.store and self.folder is not None:
            try:
                self.store[bucket.key] = (self.folder / f"{bucket.key}.jinja").read_bytes()
            except OSError:
                return
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key] = data = bucket.bytecode_to_string()
        if self.folder is not None:
            path = self.folder / f"{bucket.key}.jinja"
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                replace_file(path, data)
            except OSError:
                pass  # kept in memory for this build; compiled again next time


def _json_for_script(value) -> Markup:
    """JSON safe inside <script type=application/json>: no '</' can close the element."""
    text = json.dumps(_unescape(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("</", "<\\/").replace("<!--", "<\\!--"))


def _unescape(value):
    """Interface strings reach scripts as plain text (scripts set textContent)."""
    if isinstance(value, Markup):
        return value.unescape()
    if isinstance(value, dict):
        return {k: _unescape(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_unescape(v) for v in value]
    return value
