"""A strict reader of GIFT, Moodle's question format, written from its documentation
(https://docs.moodle.org/en/GIFT_format) and what Moodle's importer accepts.

What it reads:
- Questions are blocks of lines apart by blank lines. A line whose first non-blank characters are ``//``
  is a comment (dropped; only whole lines are comments).
- ``$CATEGORY: a/b/c``: the categories the next questions go to; ``//`` in a name is a literal slash.
  Moodle does not undo GIFT escapes in a category, so only ``\\\\`` may be escaped there.
- A question: an optional title ``::title::``, an optional format ``[html]``, ``[moodle]``, ``[plain]`` or
  ``[markdown]`` (the default ``moodle`` for the question text, the question text's for its other parts,
  and each answer or feedback may name its own), the question text, and at most one answer block
  ``{…}``; text after the block makes a missing-word question (``_____`` where the block was).
- In the answer block: nothing (an essay); ``T``/``TRUE``/``F``/``FALSE`` with up to two ``#feedback``
  (true-false); ``=right`` and ``~wrong`` answers (multiple choice: single answer with one ``=``,
  several answers with ``~%weight%`` only); ``=a -> b`` pairs (matching); ``=answer`` (short answer);
  ``#`` first (numerical: ``value:tolerance`` or ``min..max``). ``%weight%`` (percent) may follow ``~``
  in multiple choice and ``=`` in short answer and numerical. ``#feedback`` ends an answer;
  ``####general feedback`` ends the block.
- ``\\`` escapes ``~ = # { } :`` and itself; ``\\n`` is a line break. Anywhere else these characters
  mark the format, so in text they must be escaped: an unescaped one where the format gives it no
  meaning is an error here (Moodle would misread it).

What Moodle's import also demands is checked: weights are values of its grade list (100, 90, 83.33333,
80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, 11.11111, 10, 5 and 0,
and their negatives) within 0.001 %, a multiple-choice question has at least two answers, and the
positive weights of a several-answers question add up to 100 % (rounded to hundredths of a percent).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SPECIAL = "~=#{}:"
FORMATS = ("moodle", "html", "plain", "markdown")
GRADES = (100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5,
          11.11111, 10, 5, 0)
_PLANE = 0xF0000  # escaped characters are held as code points of this private-use plane while reading
_WEIGHT = re.compile(r"%(-?\d+(?:\.\d+)?)%")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


class GiftError(ValueError):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


@dataclass
class Text:
    text: str
    format: str


@dataclass
class Answer:
    text: Text
    weight: float  # percent
    feedback: Text | None = None
    match: str = ""  # matching: the answer paired with ``text``
    tolerance: str = ""  # numerical: value:tolerance or min..max as written


@dataclass
class Question:
    kind: str  # description, essay, truefalse, multichoice, shortanswer, matching, numerical
    name: str | None
    text: Text
    line: int
    category: tuple[str, ...]
    answers: list[Answer] = field(default_factory=list)
    general_feedback: Text | None = None
    single: bool | None = None  # multichoice: one answer only
    truth: bool | None = None  # truefalse
    feedback_wrong: Text | None = None  # truefalse
    feedback_right: Text | None = None  # truefalse
    numerical_wrong: Text | None = None  # numerical: feedback for any other number


@dataclass
class Bank:
    categories: list[tuple[str, ...]]
    questions: list[Question]


def parse(source: str) -> Bank:
    if source.startswith("\ufeff"):
        raise GiftError("a byte order mark before the first question", 1)
    if "\r" in source.replace("\r\n", ""):
        raise GiftError("a carriage return that does not end a line", 1)
    if any(ord(c) >= _PLANE for c in source):
        raise GiftError("a character of the private-use plane 15, which this reader uses itself", 1)
    lines = source.replace("\r\n", "\n").split("\n")
    bank = Bank([], [])
    category: tuple[str, ...] = ()
    block: list[str] = []
    start = 0
    for number, line in enumerate([*lines, ""], start=1):
        if line.strip():
            if not block:
                start = number
            block.append(line)
            continue
        if block:
            kept = [line for line in block if not line.strip().startswith("//")]
            text = "\n".join(kept).strip()
            block = []
            if not text:
                continue
            held = _hold_escapes(text, start)
            if held.startswith("$CATEGORY:"):
                category = _category(held, start)
                bank.categories.append(category)
            else:
                bank.questions.append(_question(held, start, category))
    return bank


# ---------------------------------------------------------------------------------------- escapes


def _hold_escapes(text: str, line: int) -> str:
    out = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if nxt == "n":
                out.append(chr(_PLANE + ord("\n")))
            elif nxt and nxt in SPECIAL + "\\":
                out.append(chr(_PLANE + ord(nxt)))
            else:
                raise GiftError(f"a backslash before {nxt!r}: it escapes only ~ = # {{ }} : \\ and n",
                                line + text.count("\n", 0, i))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _release(held: str) -> str:
    return "".join(chr(ord(c) - _PLANE) if ord(c) >= _PLANE else c for c in held)


def _no_special(held: str, where: str, line: int, allowed: str = "") -> None:
    for c in SPECIAL:
        if c not in allowed and c in held:
            raise GiftError(f"an unescaped {c!r} in {where}: write it as \\{c}", line)


def _text(held: str, default: str, where: str, line: int) -> Text:
    """A part of a question, with its own [format] if it names one."""
    _no_special(held, where, line)
    held = held.strip()
    fmt = default
    tag = re.match(r"\[([A-Za-z]+)\]", held)
    if tag:
        if tag.group(1) not in FORMATS:
            raise GiftError(f"unknown format [{tag.group(1)}] in {where}: GIFT knows {', '.join(FORMATS)}", line)
        fmt = tag.group(1)
        held = held[tag.end():]
    return Text(_release(held).strip(), fmt)


# ---------------------------------------------------------------------------------------- blocks


def _category(held: str, line: int) -> tuple[str, ...]:
    path = held[len("$CATEGORY:"):].strip()
    if "\n" in path:
        raise GiftError("a category is one line, and a question after it needs a blank line first", line)
    if any(ord(c) >= _PLANE and chr(ord(c) - _PLANE) != "\\" for c in path):
        raise GiftError("Moodle does not undo GIFT escapes in a category name: write ~ = # { } : as they are",
                        line)
    names = tuple(name.replace("//", "/").strip() for name in re.split(r"(?<!/)/(?!/)", _release(path)))
    if not path or any(not name for name in names):
        raise GiftError("an empty category name", line)
    return names


def _question(held: str, line: int, category: tuple[str, ...]) -> Question:
    name = None
    if held.startswith("::"):
        end = held.find("::", 2)
        if end < 0:
            raise GiftError("a title '::' that is not closed by '::'", line)
        _no_special(held[2:end], "the title", line)
        name = _release(held[2:end]).strip()
        if not name:
            raise GiftError("an empty title", line)
        held = held[end + 2:].strip()
    opens, closes = held.count("{"), held.count("}")
    if opens > 1 or closes > 1:
        raise GiftError("more than one answer block in a question: put a blank line between questions", line)
    if opens != closes:
        raise GiftError("an answer block '{' without its '}' (or '}' without '{')", line)
    if not opens:
        text = _text(held, "moodle", "the question text", line)
        if not text.text:
            raise GiftError("a question without text", line)
        return Question("description", name, text, line, category)
    start, end = held.index("{"), held.index("}")
    if end < start:
        raise GiftError("'}' before '{'", line)
    before, block, after = held[:start], held[start + 1:end], held[end + 1:]
    text = _text(before + ("_____" + after if after.strip() else ""), "moodle", "the question text", line)
    if not text.text or text.text == "_____":
        raise GiftError("a question without text", line)
    question = Question("", name, text, line, category)
    _answer_block(question, block, line)
    return question


def _answer_block(q: Question, block: str, line: int) -> None:
    fmt = q.text.format
    runs = [len(m.group(0)) for m in re.finditer(r"#+", block)]
    if any(n not in (1, 4) for n in runs):
        raise GiftError("'#' starts a feedback and '####' the general feedback; escape any other as \\#", line)
    if runs.count(4) > 1:
        raise GiftError("more than one general feedback '####'", line)
    if 4 in runs:
        at = block.index("####")
        q.general_feedback = _text(block[at + 4:], fmt, "the general feedback", line)
        block = block[:at]
    answers = block.strip()
    if not answers:
        q.kind = "essay"
    elif answers.startswith("#"):
        q.kind = "numerical"
        _numerical(q, answers[1:], line)
    elif "~" in answers:
        q.kind = "multichoice"
        _multichoice(q, answers, line)
    elif "=" in answers and "->" in answers:
        q.kind = "matching"
        _matching(q, answers, line)
    elif answers.split("#")[0].strip() in ("T", "TRUE", "F", "FALSE"):
        q.kind = "truefalse"
        parts = answers.split("#")
        if len(parts) > 3:
            raise GiftError("a true-false question takes two feedbacks at most: #wrong#right", line)
        q.truth = parts[0].strip() in ("T", "TRUE")
        q.feedback_wrong = _text(parts[1], fmt, "a feedback", line) if len(parts) > 1 else None
        q.feedback_right = _text(parts[2], fmt, "a feedback", line) if len(parts) > 2 else None
    else:
        q.kind = "shortanswer"
        _shortanswer(q, answers, line)


def _split_marked(answers: str, marks: str, line: int) -> list[tuple[str, str]]:
    """(mark, body) for each answer of a block that starts each answer with one of ``marks``."""
    pieces = re.split(f"([{re.escape(marks)}])", answers)
    if pieces[0].strip():
        raise GiftError(f"text before the first answer: each answer starts with {' or '.join(marks)}", line)
    return [(pieces[i], pieces[i + 1]) for i in range(1, len(pieces), 2)]


def _weight(body: str, line: int) -> tuple[float | None, str]:
    found = _WEIGHT.match(body.strip())
    if not found:
        if body.strip().startswith("%"):
            raise GiftError("a weight is written %number% (percent)", line)
        return None, body
    weight = float(found.group(1))
    if not any(abs(abs(weight) - grade) < 0.001 for grade in GRADES):
        raise GiftError(f"weight {found.group(1)}% is not in Moodle's grade list", line)
    return weight, body.strip()[found.end():]


def _answer(body: str, weight: float, fmt: str, line: int) -> Answer:
    parts = body.split("#")
    if len(parts) > 2:
        raise GiftError("an answer with more than one feedback '#'", line)
    text = _text(parts[0], fmt, "an answer", line)
    if not text.text:
        raise GiftError("an empty answer", line)
    return Answer(text, weight, _text(parts[1], fmt, "a feedback", line) if len(parts) > 1 else None)


def _multichoice(q: Question, answers: str, line: int) -> None:
    marked = _split_marked(answers, "=~", line)
    if len(marked) < 2:
        raise GiftError("a multiple-choice question needs at least two answers", line)
    rights = [mark for mark, _ in marked if mark == "="]
    if len(rights) > 1:
        raise GiftError("more than one '=' answer: for several right answers give each a ~%weight%", line)
    q.single = bool(rights)
    for mark, body in marked:
        weight, rest = _weight(body, line)
        if mark == "=":
            if weight is not None:
                raise GiftError("'=' is the right answer (100 %); a weight goes after '~'", line)
            weight = 100.0
        q.answers.append(_answer(rest, weight or 0.0, q.text.format, line))
    weights = [a.weight for a in q.answers]
    if q.single and max(weights) != 100:
        raise GiftError("a single-answer question needs an answer of 100 %", line)
    if not q.single and round(sum(w for w in weights if w > 0) / 100, 2) != 1:
        raise GiftError(f"the positive weights add up to {sum(w for w in weights if w > 0)}%, not 100%", line)


def _shortanswer(q: Question, answers: str, line: int) -> None:
    marked = _split_marked(answers, "=", line) if answers.startswith("=") else [("=", answers)]
    for _, body in marked:
        weight, rest = _weight(body, line)
        q.answers.append(_answer(rest, 100.0 if weight is None else weight, q.text.format, line))
    if not q.answers:
        raise GiftError("a short-answer question needs an answer", line)


def _matching(q: Question, answers: str, line: int) -> None:
    for _, body in _split_marked(answers, "=", line):
        if "->" not in body or "#" in body:
            raise GiftError("each pair of a matching question is '=question -> answer', without feedback", line)
        sub, _, match = body.partition("->")
        text = _text(sub, q.text.format, "a matching pair", line)
        _no_special(match, "a matching pair", line)
        if not text.text or not _release(match).strip():
            raise GiftError("an empty side of a matching pair", line)
        q.answers.append(Answer(text, 0.0, match=_release(match).strip()))
    if len(q.answers) < 2:
        raise GiftError("a matching question needs at least two pairs", line)


def _numerical(q: Question, answers: str, line: int) -> None:
    if "~" in answers:
        answers, _, wrong = answers.partition("~")
        if not wrong.startswith("#"):
            raise GiftError("'~' in a numerical question is the feedback for other numbers: ~#feedback", line)
        q.numerical_wrong = _text(wrong[1:], q.text.format, "a feedback", line)
    marked = _split_marked(answers, "=", line) if answers.strip().startswith("=") else [("=", answers)]
    for _, body in marked:
        weight, rest = _weight(body, line)
        value, hashed, feedback = rest.partition("#")
        if "#" in feedback:
            raise GiftError("an answer with more than one feedback '#'", line)
        value = value.strip()
        low, dots, high = value.partition("..")
        number, colon, tolerance = value.partition(":")
        if dots:
            ok = bool(_NUMBER.fullmatch(low.strip()) and _NUMBER.fullmatch(high.strip()))
        else:
            ok = bool(_NUMBER.fullmatch(number.strip()) and (not colon or _NUMBER.fullmatch(tolerance.strip())))
        if not ok:
            raise GiftError(f"a numerical answer is number, number:tolerance or min..max, not {value!r}", line)
        q.answers.append(Answer(Text(value, "plain"), 100.0 if weight is None else weight,
                                _text(feedback, q.text.format, "a feedback", line) if hashed else None,
                                tolerance=value))
