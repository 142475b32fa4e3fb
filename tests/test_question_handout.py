"""Questions in the learner's handout (issue 15): a self-check that works with scripts off in the HTML
handout, the questions without marks and an answer key on the last page of the PDF, and none of the
trainer's directions ('::: trainer') in the handout, its PDF or the zip.

One lesson, 'order', in Greek and Persian: a single-choice question in stage 01, a multiple-choice and a
reflection question in stage 02, narration and trainer directions around them. Every trainer direction
starts with a marker word (ΟΔΗΓΙΑ-ΕΚΠΑΙΔΕΥΤΗ, راهنمای-مربی) that must never reach a learner.
"""

from __future__ import annotations

import io
import re
import zipfile
from html import unescape
from pathlib import Path

import pytest

from conftest import make_project, need, open_offline

CONFIG = "default_language: el\nlanguages:\n  el:\n    title: Μικρομαθήματα\n  fa:\n    title: درس‌های کوتاه\n"

EL = """---
title: Η παραγγελία
objectives:
  - Να περιγράψουμε τι γίνεται μετά την αγορά.
pass_mark: 70%
---

## Μετά την πληρωμή {time=4m}

Ο πελάτης περιμένει το δέμα του.

::: notes
Η συσκευασία και η αποστολή χτίζουν την εμπιστοσύνη.
:::

::: trainer
ΟΔΗΓΙΑ-ΕΚΠΑΙΔΕΥΤΗ Ρωτήστε την ομάδα πότε αγόρασαν τελευταία φορά online.
:::

::: question
Ποιο στάδιο έρχεται αμέσως μετά την αγορά;

- [ ] Ενημέρωση και προσέλκυση
- [x] Εκτέλεση παραγγελίας και logistics
- [ ] Υποστήριξη

> Μετά την πληρωμή ο πελάτης περιμένει το δέμα: συσκευασία, αποστολή, παράδοση.
:::

::: trainer
ΟΔΗΓΙΑ-ΕΚΠΑΙΔΕΥΤΗ Δώστε ένα λεπτό πριν δείξετε την απάντηση.
:::

## Εμπιστοσύνη {time=6m}

Οι πελάτες εμπιστεύονται ό,τι μπορούν να ελέγξουν.

::: notes
Δείχνουμε τι κάνει ένα κατάστημα αξιόπιστο.
:::

::: question
Τι χτίζει την εμπιστοσύνη σε ένα νέο κατάστημα;

- [x] Σαφείς τιμές με τα μεταφορικά
- [ ] Πολλά αναδυόμενα παράθυρα
- [x] Εύκολη επιστροφή

> Ο πελάτης θέλει να ξέρει από πριν τι θα πληρώσει και ότι μπορεί να το επιστρέψει.
:::

::: question
Πότε εμπιστευτήκατε τελευταία φορά ένα άγνωστο κατάστημα;

> Σκεφτείτε τι σας έπεισε: οι κριτικές, η τιμή ή ένας φίλος.
:::

::: notes
Η εμπιστοσύνη χτίζεται με μικρές υποσχέσεις που τηρούνται.
:::

::: trainer
ΟΔΗΓΙΑ-ΕΚΠΑΙΔΕΥΤΗ Κρατήστε τη συζήτηση στα πέντε λεπτά.
:::
"""

FA = """---
title: سفارش
objectives:
  - شرح دهیم پس از خرید چه اتفاقی می‌افتد.
---

## پس از پرداخت {time=4m}

مشتری منتظر بسته‌اش می‌ماند.

::: notes
بسته‌بندی و ارسال اعتماد می‌سازند.
:::

::: trainer
راهنمای-مربی از گروه بپرسید آخرین بار کی آنلاین خرید کرده‌اند.
:::

::: question
کدام مرحله درست پس از خرید می‌آید؟

- [ ] آگاهی و جذب
- [x] انجام سفارش و لجستیک
- [ ] پشتیبانی

> پس از پرداخت، مشتری منتظر بسته است: بسته‌بندی، ارسال، تحویل.
:::

::: trainer
راهنمای-مربی پیش از نشان دادن پاسخ یک دقیقه فرصت بدهید.
:::

## اعتماد {time=6m}

مشتریان به چیزی اعتماد می‌کنند که بتوانند بررسی کنند.

::: notes
نشان می‌دهیم چه چیزی یک فروشگاه را قابل اعتماد می‌کند.
:::

::: question
چه چیزی در یک فروشگاه تازه اعتماد می‌سازد؟

- [x] قیمت‌های روشن همراه با هزینهٔ ارسال
- [ ] پنجره‌های بازشوی فراوان
- [x] بازگرداندن آسان

> مشتری می‌خواهد از پیش بداند چه می‌پردازد و بتواند کالا را پس بدهد.
:::

::: question
آخرین بار کی به یک فروشگاه ناشناس اعتماد کردید؟

> به این فکر کنید که چه چیزی شما را قانع کرد: نظرها، قیمت یا یک دوست.
:::

::: notes
اعتماد با قول‌های کوچکی ساخته می‌شود که به آن‌ها عمل می‌کنیم.
:::

::: trainer
راهنمای-مربی گفت‌وگو را در پنج دقیقه نگه دارید.
:::
"""

LANGS = ("el", "fa")
TRAINER_MARK = {"el": "ΟΔΗΓΙΑ-ΕΚΠΑΙΔΕΥΤΗ", "fa": "راهنمای-مربی"}
# The interface's words, as the catalogs give them (locales/<lang>/LC_MESSAGES/messages.po).
WORDS = {
    "el": {"right": "Σωστά", "wrong": "Όχι ακριβώς", "show": "Εμφάνιση της απάντησης", "think": "Σκεφτείτε το",
           "key": "Απαντήσεις", "open": "Δεν υπάρχει μία μόνο σωστή απάντηση", "letters": "ΑΒΓ",
           "narration": "Σημειώσεις εκπαιδευτή"},
    "fa": {"right": "درست است", "wrong": "درست نیست", "show": "نمایش پاسخ", "think": "فکر کنید",
           "key": "کلید پاسخ\u200cها", "open": "این پرسش پاسخ درستِ واحدی ندارد", "letters": ["الف", "ب", "ج"],
           "narration": "یادداشت‌های مربی"},
}


def plain(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def build_lesson(root: Path, with_pdf: bool) -> Path:
    from microlearn.site.build import build

    project = make_project(root / "project", {"microlearn.yml": CONFIG, "content/order/el.md": EL,
                                              "content/order/fa.md": FA})
    return build(project, project / "site", with_pdf=with_pdf).out


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_lesson(tmp_path_factory.mktemp("questions"), with_pdf=False)


@pytest.fixture(scope="module")
def pdf_site(tmp_path_factory) -> Path:
    return build_lesson(tmp_path_factory.mktemp("questions-pdf"), with_pdf=True)


@pytest.fixture(scope="module")
def lessons(tmp_path_factory):
    """The lesson 'order' as the model holds it (lang -> Lesson)."""
    from microlearn.lessons.project import load_project

    root = make_project(tmp_path_factory.mktemp("questions-model"), {
        "microlearn.yml": CONFIG, "content/order/el.md": EL, "content/order/fa.md": FA})
    return load_project(root).lessons["order"]


def handout(site: Path, lang: str) -> Path:
    return site / lang / "order" / "handout.html"


@pytest.fixture
def scriptless(browser):
    """A phone (390 px) with JavaScript disabled."""
    ctx = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    yield ctx.new_page()
    ctx.close()


# ---------------------------------------------------------------- the HTML handout, scripts off


def verdicts(page) -> list[tuple[str, str]]:
    """The feedback shown on the page: (the option's id, its words)."""
    return [tuple(pair) for pair in page.eval_on_selector_all(
        ".check__verdict", "vs => vs.filter(v => v.checkVisibility()).map(v => "
        "[v.closest('label').htmlFor, v.innerText.replace(/[✓✗]/g, '').trim()])")]


@pytest.mark.parametrize("lang", LANGS)
def test_answering_in_the_handout_with_scripts_off(site, lessons, scriptless, lang):
    page, words = scriptless, WORDS[lang]
    assert open_offline(page, handout(site, lang)) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "fits a 390 px phone"
    single, multiple, reflection = lessons[lang].questions
    assert [single.kind, multiple.kind, reflection.kind] == ["single", "multiple", "reflection"]

    # The single-choice question: radio buttons in its stage, lettered in the language's letters.
    box = page.locator("section#stage-01 fieldset.check")
    assert box.locator("input[type=radio]").count() == 3
    assert plain(single.prompt_html) in box.inner_text()
    letters = box.locator(".check__letter").all_inner_texts()[:3]
    assert letters == list(words["letters"])
    assert verdicts(page) == [], "no feedback before choosing"
    # Each option's button stands where its line starts: on the right in Persian.
    button = page.locator("#self-check-1-1").bounding_box()
    label = page.locator("label[for=self-check-1-1]").bounding_box()
    assert (button["x"] > label["x"]) == (lang == "fa")
    page.get_by_label(plain(single.options[0].html)).check()  # a wrong answer
    assert verdicts(page) == [("self-check-1-1", words["wrong"])]
    page.locator("label[for=self-check-1-2]").click()  # the right one, clicking its text
    assert verdicts(page) == [("self-check-1-2", words["right"])], "one answer: the wrong one's feedback goes"
    # The answer and the explanation wait in a <details>.
    answer = box.locator("details.check__answer")
    explanation = plain(single.explanation_html)
    assert not answer.get_by_text(explanation).is_visible()
    answer.locator("summary").click()
    assert answer.get_attribute("open") is not None
    shown = " ".join(answer.inner_text().split())
    assert explanation in shown and plain(single.options[1].html) in shown
    assert plain(single.options[0].html) not in shown, "only the correct option is the answer"

    # The multiple-choice question: checkboxes, feedback on each chosen option.
    box = page.locator("section#stage-02 fieldset.check")
    assert box.locator("input[type=checkbox]").count() == 3
    page.locator("#self-check-2-1").check()
    page.locator("#self-check-2-2").check()
    assert verdicts(page)[1:] == [("self-check-2-1", words["right"]), ("self-check-2-2", words["wrong"])]
    box.locator("summary").click()
    shown = " ".join(box.locator("details").inner_text().split())
    assert plain(multiple.options[0].html) in shown and plain(multiple.options[2].html) in shown
    assert plain(multiple.explanation_html) in shown

    # The reflection question: its prompt under "Think about it", nothing to choose, no score.
    box = page.locator("section#stage-02 .check--reflection")
    assert box.locator(".check__label").inner_text() == words["think"]
    assert plain(reflection.prompt_html) in box.inner_text()
    assert box.locator("input").count() == 0 and box.locator(".check__verdict").count() == 0
    assert not box.get_by_text(plain(reflection.explanation_html)).is_visible()
    box.locator("summary").click()
    assert box.get_by_text(plain(reflection.explanation_html)).is_visible()


def test_feedback_is_words_not_colour_alone(site, scriptless):
    page = scriptless
    page.goto(handout(site, "el").as_uri())
    page.locator("#self-check-1-1").check()
    shown = page.locator("label[for=self-check-1-1] .check__verdict")
    assert shown.inner_text().strip().endswith(WORDS["el"]["wrong"])
    colours = shown.evaluate("v => [getComputedStyle(v).color, getComputedStyle(v).backgroundColor]")
    assert colours[0] != colours[1]


def focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.tagName")


@pytest.mark.parametrize("lang", LANGS)
def test_the_self_check_answers_by_keyboard(site, scriptless, lang):
    page, words = scriptless, WORDS[lang]
    page.goto(handout(site, lang).as_uri())
    for _ in range(100):  # Tab through the contents' links to the first question
        page.keyboard.press("Tab")
        if focused(page) == "self-check-1-1":
            break
    assert focused(page) == "self-check-1-1"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused option shows where the keyboard is"
    page.keyboard.press("Space")
    assert page.locator("#self-check-1-1").is_checked()
    assert verdicts(page) == [("self-check-1-1", words["wrong"])]
    page.keyboard.press("ArrowDown")  # the radio group moves the choice
    assert verdicts(page) == [("self-check-1-2", words["right"])]
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    assert page.locator("#self-check-1 details").get_attribute("open") is not None
    # Tab reaches the next question's checkboxes, Space ticks each.
    page.keyboard.press("Tab")
    assert focused(page) == "self-check-2-1"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.locator("#self-check-2-1").is_checked() and page.locator("#self-check-2-2").is_checked()
    assert verdicts(page)[1:] == [("self-check-2-1", words["right"]), ("self-check-2-2", words["wrong"])]


@pytest.mark.parametrize("lang", LANGS)
def test_axe_finds_no_serious_violation_in_a_handout_with_questions(site, page, lang):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(handout(site, lang).as_uri())
    assert page.locator("fieldset.check input").count() == 6
    page.locator("#self-check-1-1").check()
    page.locator("#self-check-2-1").check()
    for summary in page.locator("summary").all():
        summary.click()
    results = Axe().run(page)
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], f"{lang}: {bad}"


def test_the_handout_with_questions_passes_the_nu_checker(site):
    from test_layout_pdf import nu_check

    pages = [handout(site, lang) for lang in LANGS]
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert html.count('type="radio"') == 3 and html.count('type="checkbox"') == 3
        ids = re.findall(r'\bid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), "ids are unique on the page"
    result = nu_check(pages)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("lang", LANGS)
def test_narration_reads_as_the_stages_explanation_without_a_label(site, lessons, lang):
    html = handout(site, lang).read_text(encoding="utf-8")
    for stage in lessons[lang].stages:
        for slide in stage.slides:
            if slide.notes_html:
                assert plain(slide.notes_html) in plain(html)
    assert "narration__label" not in html
    assert WORDS[lang]["narration"] not in html, "no 'trainer's notes' heading"
    assert TRAINER_MARK[lang] not in html


# ---------------------------------------------------------------- the PDF and the zip

pdf_test = pytest.mark.pdf


def pdf_pages(path: Path) -> list[str]:
    pypdf = need("pypdf")
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(path).pages]


def runs(text: str) -> list[str]:
    """A sentence's runs of words between punctuation: right-to-left lines come out of a PDF with their
    punctuation moved to the line's ends, the words of each run in order."""
    return [r.strip() for r in re.split(r"[.,:;،؛؟?!«»]", text) if r.strip()]


def position(text: str, sentence: str) -> int:
    """Where a sentence stands in a page's text: every run of it is there; the place of its longest."""
    for run in runs(sentence):
        assert run in text, (run, text)
    return text.index(max(runs(sentence), key=len))


@pdf_test
@pytest.mark.parametrize("lang", LANGS)
def test_the_pdf_has_the_questions_without_marks_and_the_answer_key_last(pdf_site, lessons, lang):
    words = WORDS[lang]
    pages = pdf_pages(pdf_site / lang / "order" / "handout.pdf")
    key, before = pages[-1], " ".join(pages[:-1])
    assert key.startswith(words["key"]), "the key starts the last page (a page break before it)"
    assert words["key"] not in " ".join(pages[1:-1]), "the key is on the last page alone"
    assert words["key"] in pages[0], "the contents list the key"
    questions = lessons[lang].questions
    # Before the key: every question with all its options, and no answer, no feedback, no explanation.
    for q in questions:
        position(before, plain(q.prompt_html))
        for option in q.options:
            position(before, plain(option.html))
        if q.explanation_html:
            assert max(runs(plain(q.explanation_html)), key=len) not in before
    for word in (words["right"], words["wrong"], words["show"]):
        assert word not in before
    # The key: each question's correct options and then its explanation, in the lesson's order.
    places = []
    for q in questions:
        places.append(position(key, plain(q.prompt_html)))
        for option in q.options:
            if option.correct:
                places.append(position(key, plain(option.html)))
            else:
                assert max(runs(plain(option.html)), key=len) not in key, "wrong options stay out of the key"
        if not q.scored:
            places.append(position(key, words["open"]))
        places.append(position(key, plain(q.explanation_html)))
    assert places == sorted(places), "the key reads in order"


@pdf_test
@pytest.mark.parametrize("lang", LANGS)
def test_no_trainer_text_in_the_handout_its_pdf_or_the_zip(pdf_site, lessons, lang):
    mark = TRAINER_MARK[lang]
    lesson = lessons[lang]
    assert all(mark in slide.trainer_html for stage in lesson.stages for slide in stage.slides if slide.trainer_html)
    assert sum(bool(slide.trainer_html) for stage in lesson.stages for slide in stage.slides) == 3
    folder = pdf_site / lang / "order"
    pdf_text = " ".join(pdf_pages(folder / "handout.pdf"))
    assert mark not in pdf_text and mark.split("-")[0] not in pdf_text
    assert WORDS[lang]["narration"] not in pdf_text
    for stage in lesson.stages:
        for slide in stage.slides:
            if slide.notes_html:
                position(pdf_text, plain(slide.notes_html))  # the narration is there
    html = (folder / "handout.html").read_text(encoding="utf-8")
    assert mark not in html and WORDS[lang]["narration"] not in html
    # The zip: its handouts (HTML and PDF) as on the site; the deck (index.html) and the trainer's guide are
    # the trainer's own, and the EPUB's documents are checked by test_epub.py.
    with zipfile.ZipFile(folder / f"order-{lang}.zip") as zf:
        names = zf.namelist()
        assert f"order-{lang}/handout.html" in names and f"order-{lang}/handout.pdf" in names
        for name in names:
            if name.endswith(("/index.html", "/guide.html", "/guide.pdf", "/handout.epub")):
                continue
            data = zf.read(name)
            if name.endswith(".pdf"):
                text = " ".join(" ".join(p.extract_text().split())
                                for p in need("pypdf").PdfReader(io.BytesIO(data)).pages)
                assert mark not in text, name
            else:
                text = data.decode("utf-8")
                assert mark not in text and WORDS[lang]["narration"] not in text, name
                assert "narration__label" not in text, name
