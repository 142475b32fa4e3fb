"""sitemap.xml with the language alternates of each page (needs base_url)."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from microlearn.lessons.model import Lesson
from microlearn.lessons.project import Project, original_language
from microlearn.outputs.context import OutputContext
from microlearn.render import layout

NAME = "sitemap"
LANGUAGE_UNIT = None


def enabled(ctx: OutputContext) -> bool:
    return bool(ctx.project.config.base_url)


def lesson_paths(lesson: Lesson) -> list[str]:
    return []


def lesson_files(lesson: Lesson, ctx: OutputContext, files: dict[str, bytes]) -> dict[str, bytes]:
    return {}


def site_files(ctx: OutputContext) -> dict[str, bytes]:
    return {layout.SITEMAP: sitemap_xml(ctx.project).encode("utf-8")}


def sitemap_xml(project: Project) -> str:
    base = project.config.base_url
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for lesson_id, versions in project.lessons.items():
        # x-default: the version the others were translated from (a lesson has no language-neutral page)
        original = original_language(versions, project.config.default_language)
        for page in ("", "handout.html"):
            for lang in versions:
                lines.append(f"  <url><loc>{escape(f'{base}{lang}/{lesson_id}/{page}')}</loc>")
                for other in versions:
                    href = quoteattr(f"{base}{other}/{lesson_id}/{page}")
                    lines.append(f'    <xhtml:link rel="alternate" hreflang="{other}" href={href}/>')
                if original:
                    href = quoteattr(f"{base}{original}/{lesson_id}/{page}")
                    lines.append(f'    <xhtml:link rel="alternate" hreflang="x-default" href={href}/>')
                lines.append("  </url>")
    # The root page, which picks a language: the x-default of every catalog page.
    lines.append(f"  <url><loc>{escape(base)}</loc>")
    for other in project.config.languages:
        lines.append(f'    <xhtml:link rel="alternate" hreflang="{other}" '
                     f'href={quoteattr(f"{base}{other}/")}/>')
    lines.append(f'    <xhtml:link rel="alternate" hreflang="x-default" href={quoteattr(base)}/>')
    lines.append("  </url>")
    for lang in project.config.languages:
        lines.append(f"  <url><loc>{escape(f'{base}{lang}/')}</loc>")
        for other in project.config.languages:
            lines.append(f'    <xhtml:link rel="alternate" hreflang="{other}" '
                         f'href={quoteattr(f"{base}{other}/")}/>')
        lines.append(f'    <xhtml:link rel="alternate" hreflang="x-default" href={quoteattr(base)}/>')
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"
