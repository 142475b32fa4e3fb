"""What a site is made of: one module per output format, in the order they are made.

Each output is a module with

    NAME                               a short name ("pages", "pdf", ...)
    enabled(ctx) -> bool               whether this build makes it (a config key, WeasyPrint, base_url)
    lesson_paths(lesson) -> [path]     the site paths it makes in a lesson's folder
    lesson_files(lesson, ctx, files)   those files: {site path: bytes}; ``files`` holds what the outputs
                                       before it made for this lesson (the zip packs the PDF)
    LANGUAGE_UNIT = "catalog" | None   the name of its per-language unit, if it has one, with
    AFTER_LESSONS = bool               whether that unit reads the lessons' files (then it comes after them)
    language_inputs(lang, entries)     what of the model its language files show, besides the lessons'
                                       own keys: part of their cache key
    language_files(lang, entries, ctx, staged)   {site path: bytes}; ``staged(path)`` finds a file the
                                       build already wrote
    site_files(ctx)                    files of the whole site (assets, root page, sitemap)
    bundled_files(lesson, ctx, made)   optional: its lesson files as a zip holds them, where they differ
                                       from the site's (the deck with assets inlined, pages without links
                                       out of the lesson's folder); the zips pack every lesson file of the
                                       outputs before them, so an output meant for the zips comes first
                                       (and one that is not, such as the SCORM packages, after them)

The site plan (``site/plan.py``) walks ``enabled_outputs`` for build and serve alike; adding a format
is a module here and an entry in OUTPUTS (README, "Adding an output format").
"""

from __future__ import annotations

from types import ModuleType

from microlearn.outputs import bundle, epub, gift, guide, pages, pdf, scorm, sitemap
from microlearn.outputs.context import OutputContext

OUTPUTS: tuple[ModuleType, ...] = (pages, pdf, guide, epub, gift, bundle, scorm, sitemap)


def enabled_outputs(ctx: OutputContext) -> tuple[ModuleType, ...]:
    return tuple(output for output in OUTPUTS if output.enabled(ctx))
