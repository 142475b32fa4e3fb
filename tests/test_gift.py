"""The question bank for Moodle (<lang>/<id>/questions.gift.txt): the GIFT reader of gift_grammar.py on
the documentation's own examples, then real builds whose every bank is read back by it and compared
with the lesson model's questions."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import PNG, copy_project, make_project
from gift_grammar import GiftError, parse
from microlearn.i18n.language import language_info
from microlearn.lessons.project import read_project
from microlearn.render import layout
from microlearn.render.renderer import Renderer
from microlearn.site.build import build

# ------------------------------------------------------------------------------------- the reader


def test_the_documentation_s_multiple_choice_examples():
    bank = parse("Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}\n\n"
                 "Grant is {~buried =entombed ~living} in Grant's tomb.\n\n"
                 "The American holiday of Thanksgiving is celebrated on the {\n    ~second\n    ~third\n"
                 "    =fourth\n} Thursday of November.\n")
    tomb, missing, thanksgiving = bank.questions
    assert tomb.kind == "multichoice" and tomb.single
    assert [(a.text.text, a.weight) for a in tomb.answers] == [("Grant", 0), ("Jefferson", 0), ("no one", 100)]
    assert tomb.text.text == "Who's buried in Grant's tomb?" and tomb.text.format == "moodle"
    assert missing.text.text == "Grant is _____ in Grant's tomb."
    assert [a.weight for a in thanksgiving.answers] == [0, 0, 100]


def test_feedback_general_feedback_titles_comments_and_formats():
    bank = parse("// question: 1 name: Grants tomb\n"
                 "::Grants tomb::What's between orange and green in the spectrum?\n"
                 "{ =yellow # right; good! ~red # wrong, it's yellow ~blue # wrong, it's yellow\n"
                 "####Yellow lies between them. }\n\n"
                 "//a comment alone\n\n"
                 "::Q2::[markdown]Who's buried in **Grant's tomb**?{~Grant =no one #[plain]*nobody*}\n")
    spectrum, markdown = bank.questions
    assert spectrum.name == "Grants tomb"
    assert [(a.text.text, a.feedback.text) for a in spectrum.answers] == [
        ("yellow", "right; good!"), ("red", "wrong, it's yellow"), ("blue", "wrong, it's yellow")]
    assert spectrum.general_feedback.text == "Yellow lies between them."
    assert markdown.text.format == "markdown" and markdown.answers[0].text.format == "markdown"
    assert markdown.answers[1].feedback.format == "plain" and markdown.answers[1].feedback.text == "*nobody*"


def test_weights_of_several_right_answers():
    bank = parse("What two people are entombed in Grant's tomb? {\n   ~%-100%No one\n   ~%50%Grant\n"
                 "   ~%50%Grant's wife\n   ~%-100%Grant's father\n}\n\n"
                 "Jesus Christ was from {\n ~Jerusalem\n ~%25%Bethlehem\n ~%50%Galilee\n =Nazareth\n}\n\n"
                 "Three right ones {~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-100%d}\n")
    two, partial, three = bank.questions
    assert not two.single and [a.weight for a in two.answers] == [-100, 50, 50, -100]
    assert partial.single and [a.weight for a in partial.answers] == [0, 25, 50, 100]
    assert not three.single and sum(a.weight for a in three.answers if a.weight > 0) == pytest.approx(100, abs=1e-4)


def test_escapes_keep_the_special_characters_as_text():
    bank = parse("Which answer equals 5? {\n   ~ \\= 2 + 2\n   = \\= 2 + 3\n   ~ \\= 2 + 4\n}\n\n"
                 "::A \\: title::Braces \\{ and \\} and \\~ and \\# and a backslash \\\\ and\\na line{T}\n")
    equals, escaped = bank.questions
    assert [a.text.text for a in equals.answers] == ["= 2 + 2", "= 2 + 3", "= 2 + 4"]
    assert escaped.name == "A : title" and escaped.kind == "truefalse" and escaped.truth
    assert escaped.text.text == "Braces { and } and ~ and # and a backslash \\ and\na line"


def test_the_other_question_types_and_categories():
    bank = parse("$CATEGORY: tom/dick//jane/harry\n\n"
                 "Grant was buried in a tomb in New York City.{T}\n\n"
                 "The sun rises in the West.{FALSE#Not so.#Right, it sets there.}\n\n"
                 "Who's buried in Grant's tomb?{=no one =nobody}\n\n"
                 "Match the following countries with their capitals. {\n =Canada -> Ottawa\n"
                 " =Italy -> Rome\n =Japan -> Tokyo\n}\n\n"
                 "When was Ulysses S. Grant born?{#1822:5}\n\n"
                 "What is the value of pi (to 3 decimal places)? {#3.141..3.142}.\n\n"
                 "Write a short biography of Dag Hammarskjöld. {}\n\n"
                 "How are you? {####We hope you're feeling well.}\n\n"
                 "You can use your pencil and paper for these next questions.\n\n"
                 "$CATEGORY: $course$/top/Second\n\n"
                 "1 + 2 \\= {3}\n")
    kinds = [q.kind for q in bank.questions]
    assert kinds == ["truefalse", "truefalse", "shortanswer", "matching", "numerical", "numerical", "essay",
                     "essay", "description", "shortanswer"]
    assert bank.categories == [("tom", "dick/jane", "harry"), ("$course$", "top", "Second")]
    assert bank.questions[0].category == ("tom", "dick/jane", "harry")
    assert bank.questions[-1].category == ("$course$", "top", "Second")
    assert bank.questions[1].feedback_right.text == "Right, it sets there."
    assert (bank.questions[3].answers[0].text.text, bank.questions[3].answers[0].match) == ("Canada", "Ottawa")
    assert bank.questions[7].general_feedback.text == "We hope you're feeling well."
    assert bank.questions[-1].answers[0].text.text == "3" and bank.questions[-1].text.text == "1 + 2 ="


@pytest.mark.parametrize("source, what", [
    ("What time is it: now? {=noon ~midnight}", "unescaped ':'"),
    ("Two equals = two {=yes ~no}", "unescaped '='"),
    ("A question {=a ~b", "without its '}'"),
    ("A question {=a ~b} and {=c ~d}", "more than one answer block"),
    ("[rtf]A question {=a ~b}", "unknown format"),
    ("A back\\slash {=a ~b}", "backslash"),
    ("Ends in a backslash {=a ~b} \\", "backslash"),
    ("Not 100 % {~%50%a ~%40%b ~%-100%c}", "add up to"),
    ("Not in the grade list {~%33%a ~%33%b ~%34%c}", "grade list"),
    ("A broken weight {~%5a =b}", "%number%"),
    ("One answer only {~a}", "at least two"),
    ("Two right ones {=a =b ~c}", "more than one '='"),
    ("A weight on the right one {=%50%a ~b}", "a weight goes after"),
    ("Two hashes {=a ##b ~c}", "'#'"),
    ("Two general feedbacks {=a ~b ####one ####two}", "more than one general"),
    ("An equals sign in the general feedback {=a ~b ####x = y}", "unescaped '='"),
    ("Two feedbacks on one answer {=a #one #two ~b}", "more than one feedback"),
    ("::An open title {=a ~b}", "not closed"),
    ("::A ~ title::Q {=a ~b}", "unescaped '~'"),
    ("$CATEGORY: a//b/\n", "empty category"),
    ("$CATEGORY: a\\:b\n", "category"),
    ("$CATEGORY: a\nQ {=a ~b}", "blank line"),
    ("\ufeffQ {=a ~b}", "byte order mark"),
    ("Text before {words =a ~b}", "before the first answer"),
    ("A matching pair with feedback {=a -> b #no =c -> d}", "without feedback"),
    ("A number that is not {#many}", "numerical"),
])
def test_what_the_documentation_does_not_allow_is_rejected(source, what):
    with pytest.raises(GiftError) as err:
        parse(source)
    assert what in str(err.value)


# ------------------------------------------------------------------------------------- the banks

LESSONS = {
    "el": r"""---
title: "Ερωτήσεις: {δοκιμή} ~ = # \\ τέλος"
objectives:
  - Να ελέγξουμε την τράπεζα ερωτήσεων.
---

## Αγορά {time=2m}

Κείμενο του σταδίου.

::: question
Τι σημαίνει a ~ b = c # d {e} f: g \\ h;

- [ ] Το ~ και το =
- [x] Το # {σωστό}: \\ ναι
- [ ] Τίποτα

> Επειδή: a = b # c {d} ~e \\ f.
:::

## Παράδοση {time=2m}

Κείμενο του δεύτερου σταδίου.

::: question
Ποια **δύο** ισχύουν; ![Σχήμα: κύκλος](pic.png)

- [x] Πρώτο: ~1
- [x] Δεύτερο = 2
- [ ] Τρίτο #3
- [ ] Τέταρτο {4} τέλος

> Και τα δύο: σωστά.
:::

::: question
Ποια τρία ισχύουν;

- [x] α
- [x] β
- [x] γ
- [ ] δ
:::

::: question
Σκεφτείτε την τελευταία σας αγορά: τι σας έκανε να αγοράσετε;
:::

::: question
Μόνο μία επιλογή;

- [x] Ναι
:::
""",
    "ru": r"""---
title: "Вопросы: {проба} ~ = # \\ конец"
objectives:
  - Проверить банк вопросов.
---

## Покупка {time=2m}

Текст этапа.

::: question
Что значит a ~ b = c # d {e} f: g \\ h?

- [ ] Знаки ~ и =
- [x] Знак # {верно}: \\ да
- [ ] Ничего

> Потому что: a = b # c {d} ~e \\ f.
:::

::: question
Какие **два** верны?

- [x] Первый: ~1
- [x] Второй = 2
- [ ] Третий #3

> Оба: верны.
:::

::: question
Вспомните свою последнюю покупку: что вас убедило?

> Здесь нет неверного ответа: \\ ~ = #
:::
""",
    "fa": r"""---
title: "پرسش‌ها: {آزمون} ~ = # \\ پایان"
objectives:
  - بانک پرسش‌ها را بررسی می‌کنیم.
---

## خرید {time=2m}

متن این مرحله.

::: question
معنی a ~ b = c # d {e} f: g \\ h چیست؟

- [ ] نشانه‌های ~ و =
- [x] نشانهٔ # {درست}: \\ بله
- [ ] هیچ‌کدام

> چون: a = b # c {d} ~e \\ f.
:::

::: question
کدام **دو** درست‌اند؟

- [x] اولی: ~۱
- [x] دومی = ۲
- [ ] سومی #۳
- [ ] چهارمی {۴} پایان
- [ ] پنجمی

> هر دو: درست‌اند.
:::

::: question
به آخرین خریدتان فکر کنید: چه چیزی شما را قانع کرد؟
:::
""",
    "ar": r"""---
title: "أسئلة: {تجربة} ~ = # \\ نهاية"
objectives:
  - نتحقق من بنك الأسئلة.
---

## الشراء {time=2m}

نص هذه المرحلة.

::: question
ما معنى a ~ b = c # d {e} f: g \\ h؟

- [ ] العلامتان ~ و =
- [x] العلامة # {صحيح}: \\ نعم
- [ ] لا شيء

> لأن: a = b # c {d} ~e \\ f.
:::

::: question
أيّ **اثنين** صحيحان؟

- [x] الأول: ~١
- [x] الثاني = ٢
- [ ] الثالث #٣

> كلاهما: صحيح.
:::

::: question
فكّر في آخر عملية شراء قمت بها: ما الذي أقنعك؟
:::
""",
}

NO_QUESTIONS = """---
title: Χωρίς ερωτήσεις
objectives:
  - Τίποτα.
---

## Μόνο κείμενο {time=1m}

Ένα στάδιο χωρίς ερωτήσεις.
"""


def write_lessons(root: Path) -> Path:
    files: dict[str, str | bytes] = {f"content/gift-probe/{lang}.md": text for lang, text in LESSONS.items()}
    files["content/gift-probe/pic.png"] = PNG
    files["content/gift-none/el.md"] = NO_QUESTIONS
    return make_project(root, files)


def probe_project(root: Path) -> Path:
    copy_project(root, content=False)
    return write_lessons(root)


def bankable(question) -> bool:
    """What Moodle can hold: a reflection question, or a choice of at least two options with at most 20
    right ones (its grade list's smallest share is 5 %)."""
    return not question.scored or (len(question.options) >= 2 and sum(o.correct for o in question.options) <= 20)


def unwrap(html: str, tag: str, lang: str) -> str:
    opening = f'<{tag} lang="{lang}" dir="{language_info(lang).direction}">'
    assert html.startswith(opening) and html.endswith(f"</{tag}>"), html
    return html[len(opening):-len(f"</{tag}>")]


def as_in_bank(html: str) -> str:
    """The lesson's HTML as the bank must hold it: each image as its alt text (a GIFT file carries none)."""
    return re.sub(r"<img\b[^>]*?\balt=\"([^\"]*)\"[^>]*>", r"\1", html).strip()


def check_banks(site: Path, project_root: Path) -> int:
    """Every lesson version of the project against its bank in ``site``; returns how many questions."""
    project, _ = read_project(project_root)
    renderer = Renderer(project.config)
    checked = 0
    for lesson in project.all_lessons():
        path = site / layout.question_bank(lesson)
        if not lesson.questions:
            assert not path.exists(), path
            continue
        data = path.read_bytes()
        assert b"\r" not in data and data.endswith(b"\n") and not data.startswith(b"\xef\xbb\xbf")
        bank = parse(data.decode("utf-8"))
        assert bank.categories == [(renderer.site_title(lesson.lang), lesson.title)]
        expected = [q for q in lesson.questions if bankable(q)]
        assert len(bank.questions) == len(expected), path
        assert len({q.name for q in bank.questions}) == len(bank.questions)
        right, wrong = (renderer.text(lesson.lang).gettext(m) for m in ("Right.", "Not quite."))
        for question, read in zip(expected, bank.questions, strict=True):
            assert read.name.startswith(f"{lesson.id}/{lesson.lang}/s{question.stage_number}-q")
            assert read.text.format == "html"
            assert unwrap(read.text.text, "div", lesson.lang) == as_in_bank(question.prompt_html)
            if question.explanation_html.strip():
                assert unwrap(read.general_feedback.text, "div", lesson.lang) == as_in_bank(question.explanation_html)
            else:
                assert read.general_feedback is None
            if not question.scored:
                assert read.kind == "essay" and read.answers == []
                checked += 1
                continue
            assert read.kind == "multichoice" and read.single == (question.kind == "single")
            assert [unwrap(a.text.text, "span", lesson.lang) for a in read.answers] == [
                as_in_bank(o.html) for o in question.options]
            assert [a.weight > 0 for a in read.answers] == [o.correct for o in question.options]
            assert [unwrap(a.feedback.text, "span", lesson.lang) for a in read.answers] == [
                right if o.correct else wrong for o in question.options]
            assert sum(a.weight for a in read.answers if a.weight > 0) == pytest.approx(100, abs=1e-4)
            if question.kind == "multiple":
                assert sum(a.weight for a in read.answers if a.weight < 0) == pytest.approx(-100, abs=1e-4)
            checked += 1
    return checked


def test_every_bank_of_the_probe_lessons_reads_back_as_their_questions(tmp_path):
    root = probe_project(tmp_path / "project")
    site = build(root, root / "site", with_pdf=False).out
    assert check_banks(site, root) == 4 + 3 + 3 + 3
    assert not (site / "el" / "gift-none" / layout.QUESTION_BANK).exists()
    el = (site / "el" / "gift-probe" / layout.QUESTION_BANK).read_text(encoding="utf-8")
    # the escapes GIFT requires, in a prompt, an option and the explanation
    assert r"a \~ b \= c \# d \{e\} f\: g \\ h" in el
    assert r"Το \# \{σωστό\}\: \\ ναι" in el
    assert r"Επειδή\: a \= b \# c \{d\} \~e \\ f." in el
    assert "// ::gift-probe/el/s2-q4:: is left out: a choice question in Moodle needs at least two options" in el
    assert "~%33.33333%" in el and "~%-100%" in el and "~%-33.33333%" in (
        site / "fa" / "gift-probe" / layout.QUESTION_BANK).read_text(encoding="utf-8")


@pytest.mark.parametrize("lang, right, wrong", [("el", "Σωστά.", "Όχι ακριβώς."), ("ru", "Верно.", "Не совсем."),
                                                ("fa", "درست است.", "درست نیست."), ("ar", "صحيح.", "غير صحيح.")])
def test_the_feedback_on_each_option_is_in_the_lesson_s_language(tmp_path, lang, right, wrong):
    root = probe_project(tmp_path / "project")
    site = build(root, root / "site", with_pdf=False).out
    first = parse((site / lang / "gift-probe" / layout.QUESTION_BANK).read_text(encoding="utf-8")).questions[0]
    direction = language_info(lang).direction
    assert [a.feedback.text for a in first.answers] == [
        f'<span lang="{lang}" dir="{direction}">{text}</span>' for text in (wrong, right, wrong)]


def test_the_example_lessons_banks_read_back_as_their_questions(tmp_path):
    """The example project with the probe lessons added: every lesson version's bank (or none, for a
    lesson without questions), so the example lessons are covered as soon as they hold questions."""
    root = write_lessons(copy_project(tmp_path / "project"))
    site = build(root, root / "site", with_pdf=False).out
    assert check_banks(site, root) >= 13


def test_banks_are_the_same_bytes_in_every_build_and_names_stay_when_other_stages_change(tmp_path):
    first_root = probe_project(tmp_path / "one")
    second_root = probe_project(tmp_path / "two")
    first = build(first_root, first_root / "site", with_pdf=False, cache=False).out
    second = build(second_root, second_root / "site", with_pdf=False, cache=False).out
    for lang in LESSONS:
        assert (first / lang / "gift-probe" / layout.QUESTION_BANK).read_bytes() == (
            second / lang / "gift-probe" / layout.QUESTION_BANK).read_bytes()
    before = parse((first / "el" / "gift-probe" / layout.QUESTION_BANK).read_text(encoding="utf-8")).questions
    # A question added in the first stage, and the second stage's prompts reworded.
    lesson = first_root / "content" / "gift-probe" / "el.md"
    text = lesson.read_text(encoding="utf-8")
    text = text.replace("Κείμενο του σταδίου.\n", "Κείμενο του σταδίου.\n\n::: question\nΝέα ερώτηση;\n\n"
                        "- [x] Ναι\n- [ ] Όχι\n:::\n", 1).replace("Ποια τρία ισχύουν;", "Ποια τρία είναι σωστά;")
    lesson.write_text(text, encoding="utf-8")
    after = parse((build(first_root, first_root / "site", with_pdf=False).out / "el" / "gift-probe"
                   / layout.QUESTION_BANK).read_text(encoding="utf-8")).questions
    assert [q.name for q in before] == ["gift-probe/el/s1-q1", "gift-probe/el/s2-q1", "gift-probe/el/s2-q2",
                                        "gift-probe/el/s2-q3"]
    assert [q.name for q in after] == ["gift-probe/el/s1-q1", "gift-probe/el/s1-q2", *[q.name for q in before[1:]]]
    assert "Ποια τρία είναι σωστά;" in after[3].text.text and after[3].name == before[2].name


def test_the_lesson_zip_and_the_language_zip_hold_the_bank(tmp_path):
    root = probe_project(tmp_path / "project")
    site = build(root, root / "site", with_pdf=False).out
    bank = (site / "fa" / "gift-probe" / layout.QUESTION_BANK).read_bytes()
    with zipfile.ZipFile(site / "fa" / "gift-probe" / "gift-probe-fa.zip") as zf:
        assert zf.read("gift-probe-fa/questions.gift.txt") == bank
    with zipfile.ZipFile(site / "fa" / "microlearn-fa.zip") as zf:
        assert zf.read("microlearn-fa/gift-probe/questions.gift.txt") == bank
    with zipfile.ZipFile(site / "el" / "microlearn-el.zip") as zf:
        assert "microlearn-el/gift-none/questions.gift.txt" not in zf.namelist()
    shutil.rmtree(site)
