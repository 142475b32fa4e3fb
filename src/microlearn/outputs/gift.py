"""Question banks for Moodle: each lesson version's questions as ``<lang>/<id>/questions.gift.txt``.

GIFT as Moodle documents it (https://docs.moodle.org/en/GIFT_format) and as its importer reads it
(question/format/gift/format.php): one question per block, blocks apart by a blank line, ``//`` lines
are comments.

- The file opens with ``$CATEGORY: <site title>/<lesson title>``, so an import lands in a category of its
  own (Moodle puts it under the "top" category of the context chosen for the import).
- Each question is named ``::<id>/<lang>/s<stage>-q<n>::`` (its stage and its place in the stage, as the
  deck numbers it): the same in every build, and unchanged by edits to the other stages.
- The text is ``[html]``: prompts and options are already HTML, and Moodle takes the other parts' format
  from the question text's. Each part is wrapped in an element with the lesson's ``lang`` and ``dir``, so
  a Persian question reads right to left in a Moodle whose interface is English. Images cannot travel
  in a GIFT file (their src is a file beside the lesson): each ``<img>`` becomes its alt text.
- Single choice: ``=right`` and ``~wrong``. Multiple choice: ``~%w%`` on every option, the right ones
  sharing +100 % and the wrong ones -100 %, so ticking every box scores 0 (Moodle floors a question's
  mark at 0). The shares are values of Moodle's grade list, which its import accepts and nothing else
  (100/n for n up to 10, e.g. 33.33333; its positive weights must round to 100 %); from 11 to 20 options
  the shares are 10 % and 5 %; more right options than 20 cannot be weighted and such a question is left
  out, as is one with a single option (Moodle needs two), each with a comment saying so.
- Each option's feedback is the interface's "Right." or "Not quite." in the lesson's language; the
  explanation is the general feedback (``####``).
- A reflection question is an essay question (``{}``), so Moodle holds the whole self-check; a teacher
  who wants it unscored gives it mark 0 in the quiz. A lesson without questions gets no file.
- Everything in text is escaped as GIFT requires: ``\\ ~ = # { } :`` with a backslash, line breaks as
  ``\\n``; the file is UTF-8 with LF line ends.
"""

from __future__ import annotations

import re

from markupsafe import escape

from microlearn.i18n.gettext import MARK_CLOSE, MARK_OPEN, MARK_SEP
from microlearn.lessons.model import Lesson, Question
from microlearn.outputs.context import OutputContext
from microlearn.render import layout
from microlearn.render.marks import mark_languages
from microlearn.render.renderer import Renderer

NAME = "gift"
LANGUAGE_UNIT = None

# Equal shares of 100 % that are in Moodle's grade list (question_bank::fraction_options_full).
EQUAL_SHARES = {1: "100", 2: "50", 3: "33.33333", 4: "25", 5: "20", 6: "16.66667", 7: "14.28571", 8: "12.5",
                9: "11.11111", 10: "10"}
MOST_WEIGHTED = 20  # the grade list's smallest share is 5 %

_ESCAPES = str.maketrans({"\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{", "}": "\\}", ":": "\\:",
                          "\n": "\\n", "\r": ""})
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_NO_MARKS = str.maketrans("", "", MARK_OPEN + MARK_SEP + MARK_CLOSE)


def enabled(ctx: OutputContext) -> bool:
    return True


def lesson_paths(lesson: Lesson) -> list[str]:
    return [layout.question_bank(lesson)] if lesson.questions else []


def lesson_files(lesson: Lesson, ctx: OutputContext, files: dict[str, bytes]) -> dict[str, bytes]:
    if not lesson.questions:
        return {}
    source = lesson.path.relative_to(ctx.project.config.root) if lesson.path.is_relative_to(
        ctx.project.config.root) else lesson.path.name
    return {layout.question_bank(lesson): question_bank(lesson, ctx.renderer, str(source)).encode("utf-8")}


def site_files(ctx: OutputContext) -> dict[str, bytes]:
    return {}


def escape_text(text: str) -> str:
    """``text`` as GIFT text: its special characters escaped, line breaks as ``\\n``."""
    return text.translate(_ESCAPES)


def shares(count: int) -> list[str]:
    """``count`` weights (percent, as written in GIFT) from Moodle's grade list that sum to 100."""
    if count in EQUAL_SHARES:
        return [EQUAL_SHARES[count]] * count
    if count <= MOST_WEIGHTED:
        tens = MOST_WEIGHTED - count
        return ["10"] * tens + ["5"] * (count - tens)
    raise ValueError(f"{count} shares of 100 % are not in Moodle's grade list")


def without_images(html: str) -> str:
    """Each ``<img>`` as its alt text: a GIFT file cannot carry the image itself."""
    def alt(match: re.Match) -> str:
        found = _ALT.search(match.group(0))
        return (found.group(1) if found.group(1) is not None else found.group(2)) if found else ""
    return _IMG.sub(alt, html)


def question_bank(lesson: Lesson, renderer: Renderer, source: str) -> str:
    """The GIFT file of ``lesson``'s questions; ``source`` names the lesson file in the comments."""
    text = renderer.text(lesson.lang)
    direction = renderer.info(lesson.lang).direction
    attrs = f'lang="{lesson.lang}" dir="{direction}"'

    def block(html: str) -> str:
        return escape_text(f"<div {attrs}>{without_images(html).strip()}</div>")

    def inline(html: str) -> str:
        return escape_text(f"<span {attrs}>{without_images(html).strip()}</span>")

    def interface(message: str) -> str:
        # Interface text is text, not HTML; a string from a fallback language gets its own lang and dir.
        return inline(mark_languages(str(escape(message)), direction))

    right, wrong = interface(text.gettext("Right.")), interface(text.gettext("Not quite."))
    # Category names are not unescaped by Moodle's importer: only a backslash needs doubling there,
    # and '/' (which separates categories) is doubled as Moodle's export does.
    site = renderer.site_title(lesson.lang).translate(_NO_MARKS)
    category = "/".join(name.replace("/", "//").replace("\\", "\\\\").strip() for name in (site, lesson.title))
    out = [f"// microlearn: the questions of {source} for Moodle (GIFT, https://docs.moodle.org/en/GIFT_format)",
           f"$CATEGORY: {category}", ""]
    in_stage: dict[int, int] = {}
    for question in lesson.questions:
        in_stage[question.stage_number] = in_stage.get(question.stage_number, 0) + 1
        name = escape_text(f"{lesson.id}/{lesson.lang}/s{question.stage_number}-q{in_stage[question.stage_number]}")
        out.append(f"// {source}:{question.line}")
        left_out = _left_out(question)
        if left_out:
            out += [f"// ::{name}:: is left out: {left_out}", ""]
            continue
        head = f"::{name}::[html]{block(question.prompt_html)}"
        general = f"####{block(question.explanation_html)}" if question.explanation_html.strip() else ""
        if not question.scored:
            out += [f"{head}{{{general}}}", ""]
            continue
        out.append(head + "{")
        if question.kind == "single":
            for option in question.options:
                mark, feedback = ("=", right) if option.correct else ("~", wrong)
                out.append(f"\t{mark}{inline(option.html)}#{feedback}")
        else:
            right_shares = shares(sum(o.correct for o in question.options))
            wrongs = sum(not o.correct for o in question.options)
            wrong_shares = shares(wrongs) if wrongs <= MOST_WEIGHTED else ["5"] * wrongs
            for option in question.options:
                weight = right_shares.pop(0) if option.correct else "-" + wrong_shares.pop(0)
                out.append(f"\t~%{weight}%{inline(option.html)}#{right if option.correct else wrong}")
        if general:
            out.append(f"\t{general}")
        out += ["}", ""]
    return "\n".join(out)


def _left_out(question: Question) -> str:
    """Why Moodle cannot hold ``question`` as the lesson has it (empty when it can)."""
    if question.scored and len(question.options) < 2:
        return "a choice question in Moodle needs at least two options"
    if question.kind == "multiple" and sum(o.correct for o in question.options) > MOST_WEIGHTED:
        return f"more than {MOST_WEIGHTED} right options cannot share 100 % in Moodle's grade list"
    return ""

