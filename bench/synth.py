"""A realistic synthetic microlearn project: lessons in el, ru, fa and ar made of real words of each
script, 8-15 stages each with narration, images and discussion prompts. Deterministic for a seed."""

from __future__ import annotations

import random
import struct
import zlib
from pathlib import Path

_EL = ("πελάτης επιχείρηση προϊόν αγορά πώληση διαδίκτυο ιστοσελίδα παραγγελία αποστολή πληρωμή "
       "εμπιστοσύνη μάρκα διαφήμιση περιεχόμενο κοινωνικά δίκτυα ηλεκτρονικό κατάστημα τιμή ποιότητα "
       "εμπειρία υποστήριξη επιστροφή κέρδος κόστος στρατηγική αγρόκτημα μέλι ελαιόλαδο τουρισμός "
       "ταξίδι κράτηση δωμάτιο οικογένεια φίλοι ερώτηση απάντηση παράδειγμα μάθημα στόχος ομάδα "
       "συζήτηση σημαντικό απλό γρήγορο ασφαλές τοπικό μικρό μεγάλο νέο καλό σήμερα αύριο πάντα")
_RU = ("клиент предприятие товар покупка продажа интернет сайт заказ доставка оплата доверие бренд "
       "реклама содержание социальные сети магазин цена качество опыт поддержка возврат прибыль "
       "стоимость стратегия ферма мёд масло туризм путешествие бронирование номер семья друзья вопрос "
       "ответ пример урок цель группа обсуждение важно просто быстро безопасно местный маленький "
       "большой новый хороший сегодня завтра всегда")
_FA = ("مشتری کسب‌وکار محصول خرید فروش اینترنت وب‌سایت سفارش ارسال پرداخت اعتماد برند تبلیغات محتوا "
       "شبکه‌های اجتماعی فروشگاه قیمت کیفیت تجربه پشتیبانی بازگشت سود هزینه راهبرد مزرعه عسل روغن "
       "گردشگری سفر رزرو اتاق خانواده دوستان پرسش پاسخ نمونه درس هدف گروه گفتگو مهم ساده سریع امن "
       "محلی کوچک بزرگ تازه خوب امروز فردا همیشه")
_AR = ("العميل المؤسسة المنتج الشراء البيع الإنترنت الموقع الطلب الشحن الدفع الثقة العلامة الإعلان "
       "المحتوى الشبكات الاجتماعية المتجر السعر الجودة التجربة الدعم الإرجاع الربح التكلفة الاستراتيجية "
       "المزرعة العسل الزيت السياحة السفر الحجز الغرفة العائلة الأصدقاء السؤال الجواب المثال الدرس "
       "الهدف المجموعة النقاش مهم بسيط سريع آمن محلي صغير كبير جديد جيد اليوم غدا دائما")
WORDS = {"el": _EL.split(), "ru": _RU.split(), "fa": _FA.split(), "ar": _AR.split()}
TITLES = {"el": "Μικρομαθήματα", "ru": "Микроуроки", "fa": "درس‌های کوتاه", "ar": "دروس مصغّرة"}


def png(width: int, height: int, seed: int) -> bytes:
    """A small real PNG (a colour gradient), a few kilobytes."""
    rows = b"".join(b"\x00" + bytes(((x * 7 + y * 3 + seed) % 256) for x in range(width) for _ in range(3))
                    for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def sentence(rng: random.Random, lang: str, n: int) -> str:
    words = rng.choices(WORDS[lang], k=n)
    text = " ".join(words)
    return text[:1].upper() + text[1:] + ("؟" if lang in ("fa", "ar") and rng.random() < 0.1 else ".")


def lesson_text(rng: random.Random, lang: str, number: int, stages: int, images: list[str]) -> str:
    def s(n: int) -> str:
        return sentence(rng, lang, n)

    front = [
        "---",
        f"title: {s(4)[:-1]} {number}",
        f"competence_area: {s(5)[:-1]}",
        f"duration: {stages * 2}m",
        "key_messages:", *(f"  - {s(9)}" for _ in range(3)),
        "objectives:", *(f"  - {s(8)}" for _ in range(3)),
        "discussion:", *(f"  - {s(10)[:-1]}?" for _ in range(3)),
        f"follow_up: {s(12)}",
        f"credits: {s(6)}",
        "---", "",
    ]
    body = []
    for st in range(stages):
        body += [f"## {s(3)[:-1]} {{time=2m}}", "", s(14), ""]
        if st % 3 == 0:
            body += [f"- {s(5)}", f"- {s(6)} (Omni-channel, 5 GB)", f"- **{s(3)}**", ""]
        if images and st % 4 == 1:
            body += [f"![{s(5)[:-1]}]({images[st % len(images)]})", ""]
        body += ["::: notes", " ".join(s(12) for _ in range(5)), "", s(15), ":::", ""]
        if st % 5 == 4:
            body += ["---", "", s(12), "", "::: notes", s(20), ":::", ""]
    return "\n".join(front + body)


def make_project(root: Path, versions: int, seed: int = 1) -> Path:
    """``versions`` lesson files: lessons of four language versions each."""
    rng = random.Random(seed)
    langs = list(WORDS)
    (root / "content").mkdir(parents=True, exist_ok=True)
    config = ["default_language: el", "languages:"]
    for lang in langs:
        config += [f"  {lang}:", f"    title: {TITLES[lang]}"]
        if lang == "ar":
            config.append("    numbering: arab")
    (root / "microlearn.yml").write_text("\n".join(config) + "\n", encoding="utf-8")
    lessons = (versions + len(langs) - 1) // len(langs)
    made = 0
    for n in range(lessons):
        folder = root / "content" / f"lesson-{n:04d}"
        folder.mkdir(exist_ok=True)
        images = [f"figure-{i}.png" for i in range(rng.randint(1, 3))]
        for i, name in enumerate(images):
            (folder / name).write_bytes(png(96, 54, n * 7 + i))
        stages = rng.randint(8, 15)
        for lang in langs:
            if made == versions:
                break
            (folder / f"{lang}.md").write_text(lesson_text(rng, lang, n + 1, stages, images), encoding="utf-8")
            made += 1
    return root


def make_large_lesson(root: Path, stages: int = 1000, seed: int = 2) -> Path:
    """A project of one lesson (el and fa) with ``stages`` stages."""
    rng = random.Random(seed)
    folder = root / "content" / "large-lesson"
    folder.mkdir(parents=True, exist_ok=True)
    (root / "microlearn.yml").write_text(
        f"languages:\n  el:\n    title: {TITLES['el']}\n  fa:\n    title: {TITLES['fa']}\n", encoding="utf-8")
    (folder / "figure-0.png").write_bytes(png(96, 54, seed))
    for lang in ("el", "fa"):
        text = lesson_text(rng, lang, 1, stages, ["figure-0.png"]).replace("{time=2m}", "{time=1m}").replace(
            f"duration: {stages * 2}m", f"duration: {stages // 60}h {stages % 60}m")  # under a day
        (folder / f"{lang}.md").write_text(text, encoding="utf-8")
    return root
