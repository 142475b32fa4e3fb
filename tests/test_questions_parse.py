"""Questions and trainer directions in the lesson source, read into the model: every form the authoring guide
describes. The mistakes the format can have are specified in tests/fixtures/mistakes/ (question-*, trainer-*,
pass-mark-*)."""

from __future__ import annotations

from pathlib import Path

import pytest

from microlearn.lessons.parse import parse_lesson

FRONT = """---
title: Δοκιμή
objectives:
  - Ένας στόχος
{extra}---

"""


def lesson(tmp_path: Path, body: str, extra: str = "", lang: str = "el", rtl: bool = False):
    path = tmp_path / "content" / "x" / f"{lang}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(FRONT.format(extra=extra) + body, encoding="utf-8")
    parsed, _warnings = parse_lesson(path, "x", lang, rtl=rtl)
    return parsed


SINGLE = """::: question
Ποιο στάδιο έρχεται **αμέσως** μετά την αγορά;

- [ ] Ενημέρωση και προσέλκυση
- [x] Εκτέλεση παραγγελίας και logistics
- [ ] Υποστήριξη

> Μετά την πληρωμή ο πελάτης περιμένει το δέμα.
:::
"""


def test_a_single_choice_question_has_its_prompt_options_and_explanation(tmp_path):
    parsed = lesson(tmp_path, "## Στάδιο {time=2m}\n\nΚείμενο.\n\n" + SINGLE)
    (question,) = parsed.questions
    assert question.kind == "single" and question.scored
    assert question.prompt_html == "<p>Ποιο στάδιο έρχεται <strong>αμέσως</strong> μετά την αγορά;</p>\n"
    assert question.prompt_text == "Ποιο στάδιο έρχεται αμέσως μετά την αγορά;"
    assert [(o.html, o.correct) for o in question.options] == [
        ("Ενημέρωση και προσέλκυση", False), ("Εκτέλεση παραγγελίας και logistics", True), ("Υποστήριξη", False)]
    assert [o.line for o in question.options] == [14, 15, 16]
    assert question.explanation_html == "<p>Μετά την πληρωμή ο πελάτης περιμένει το δέμα.</p>\n"
    assert (question.number, question.stage_number, question.line) == (1, 1, 11)


def test_several_right_options_make_a_multiple_choice_question_and_none_a_reflection(tmp_path):
    parsed = lesson(tmp_path, "## Στάδιο\n\n::: question\nΠοια;\n\n- [x] α\n- [X] β\n- [ ] γ\n:::\n\n"
                              "::: {.question}\nΤι θα αλλάζατε;\n\n- μια λίστα στο ερώτημα\n\n> Σκεφτείτε.\n:::\n")
    multiple, reflection = parsed.questions
    assert multiple.kind == "multiple" and [o.correct for o in multiple.options] == [True, True, False]
    assert multiple.explanation_html == ""
    assert reflection.kind == "reflection" and not reflection.scored and reflection.options == ()
    assert "<li>μια λίστα στο ερώτημα</li>" in reflection.prompt_html
    assert reflection.explanation_html == "<p>Σκεφτείτε.</p>\n"
    assert [q.number for q in parsed.questions] == [1, 2]


def test_each_question_is_a_slide_of_its_stage_with_its_share_of_the_time(tmp_path):
    parsed = lesson(tmp_path, "## Ένα {time=3m}\n\nΚείμενο.\n\n::: notes\nΑφήγηση.\n:::\n\n" + SINGLE
                    + "\n::: notes\nΑφήστε χρόνο.\n:::\n\n::: trainer\nΜετρήστε τα χέρια.\n:::\n\nΣυνέχεια.\n\n"
                    "## Δύο {time=1m}\n\n::: question\nΤι θα αλλάζατε;\n:::\n")
    first, second = parsed.stages
    assert [s.question is not None for s in first.slides] == [False, True, False]
    assert [(s.part, s.parts, s.seconds) for s in first.slides] == [(1, 3, 60), (2, 3, 60), (3, 3, 60)]
    text, question, after = first.slides
    assert text.body_html == "<p>Κείμενο.</p>\n" and text.notes_html == "<p>Αφήγηση.</p>\n"
    # the narration and directions after a question are the question's
    assert question.body_html == "" and question.notes_html == "<p>Αφήστε χρόνο.</p>\n"
    assert question.trainer_html == "<p>Μετρήστε τα χέρια.</p>\n"
    assert after.body_html == "<p>Συνέχεια.</p>\n" and after.trainer_html == ""
    # a stage that starts with its question has no empty slide before it
    assert len(second.slides) == 1 and second.slides[0].question is not None
    assert [q.stage_number for q in parsed.questions] == [1, 2] and parsed.slide_count == 4


def test_a_rule_after_a_question_starts_the_next_slide_once(tmp_path):
    parsed = lesson(tmp_path, "## Ένα\n\n" + SINGLE + "\n---\n\nΜετά.\n")
    assert [(s.question is not None, s.body_html) for s in parsed.stages[0].slides] == [(True, ""),
                                                                                      (False, "<p>Μετά.</p>\n")]


def test_trainer_directions_stay_out_of_the_narration_and_the_slide(tmp_path):
    parsed = lesson(tmp_path, "## Ένα\n\nΚείμενο.\n\n::: trainer\nΡωτήστε την ομάδα.\n:::\n\n::: notes\nΛέμε.\n:::\n")
    (slide,) = parsed.stages[0].slides
    assert slide.trainer_html == "<p>Ρωτήστε την ομάδα.</p>\n"
    assert "Ρωτήστε" not in slide.body_html + slide.notes_html


def test_options_of_a_right_to_left_lesson_isolate_their_left_to_right_words(tmp_path):
    parsed = lesson(tmp_path, "## یک\n\n::: question\nکدام؟\n\n- [x] ارسال با DHL\n- [ ] هیچ\n:::\n", lang="fa",
                    rtl=True)
    assert parsed.questions[0].options[0].html == 'ارسال با <bdi dir="ltr">DHL</bdi>'


@pytest.mark.parametrize(("written", "percent"), [("", 80), ("pass_mark: 70%\n", 70), ("pass_mark: 70\n", 70),
                                                   ("pass_mark: '100 %'\n", 100), ("pass_mark: 1%\n", 1)])
def test_the_pass_mark_is_a_percentage_with_80_by_default(tmp_path, written, percent):
    assert lesson(tmp_path, "## Ένα\n\nΚείμενο.\n", extra=written).pass_mark == percent


def test_materials_are_a_list_or_one_text(tmp_path):
    assert lesson(tmp_path, "## Ένα\n\nΚείμενο.\n", extra="materials:\n  - Χαρτί\n  - '**Μαρκαδόροι**'\n"
                  ).materials == ("Χαρτί", "<strong>Μαρκαδόροι</strong>")
    assert lesson(tmp_path, "## Ένα\n\nΚείμενο.\n", extra="materials: Πίνακας\n").materials == ("Πίνακας",)
