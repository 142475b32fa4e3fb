"""PDF handouts through WeasyPrint (optional: without it the rest of the site still builds)."""

from __future__ import annotations

from .project import Project

MISSING_MESSAGE = ("PDF handouts skipped: WeasyPrint is not installed. Install it with "
                   "'pip install \"microlearn[pdf]\"' (or 'pip install weasyprint'); see README.md.")


def available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def render_pdfs(project: Project, renderer) -> dict[str, bytes]:
    from weasyprint import HTML

    files: dict[str, bytes] = {}
    for lesson in project.all_lessons():
        html = renderer.handout(lesson, project.versions(lesson.id), project.is_outdated(lesson), for_pdf=True)
        document = HTML(string=html, base_url=str(lesson.path.parent))
        files[f"{lesson.lang}/{lesson.id}/handout.pdf"] = document.write_pdf()
    return files
