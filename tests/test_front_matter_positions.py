"""Images and links in front matter (objectives, key_messages, discussion, credits, follow_up) that break
a rule are reported where the list item or the value stands (line and column), not at its key (issue 13,
the front matter checked like the body). Real lessons, read by a real build and by ``check``."""

from __future__ import annotations

from pathlib import Path

import pytest

from microlearn.errors import MicrolearnError
from microlearn.lessons.check import check_sources
from microlearn.site.build import build

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
STAGES = "\n## Στάδιο {time=1m}\n\nΚείμενο.\n\n::: notes\nΑφήγηση.\n:::\n"
NETWORK = "is not a file beside the lesson; copy it into case/ (lessons make no network request)"
JAVASCRIPT = ("a link to a javascript:, vbscript:, file: or data: address is refused; link to an http(s) address "
              "or a file beside the lesson")


def project(root: Path, front: str) -> Path:
    folder = root / "content" / "case"
    folder.mkdir(parents=True)
    (root / "microlearn.yml").write_text("languages:\n  el:\n    title: Δοκιμή\n", encoding="utf-8")
    (folder / "el.md").write_text(f"---\n{front}---\n{STAGES}", encoding="utf-8")
    (folder / "ok.png").write_bytes(PNG)
    (folder / "script.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                                       encoding="utf-8")
    return root


def found(tmp_path: Path, front: str) -> list[tuple[int, int | None, str]]:
    """(line, column, message) of every error, as the build raises them; ``check`` must say the same."""
    root = project(tmp_path / "p", front)
    with pytest.raises(MicrolearnError) as caught:
        build(root, tmp_path / "site", with_pdf=False)
    assert not (tmp_path / "site").exists()
    raised = [(e.line, e.col, e.message) for e in [caught.value, *caught.value.also]]
    checked = [(d.line, d.col, d.message) for d in check_sources(root) if d.level == "error"]
    assert checked == raised
    return raised


def test_a_list_item_is_reported_at_its_own_line_and_column(tmp_path):
    assert found(tmp_path, "title: Δοκιμή\nobjectives:\n  - Να δοκιμάσουμε.\n"
                           "  - \"Track ![x](http://127.0.0.1:41931/objective.png)\"\n") == [
        (5, 5, f"image 'http://127.0.0.1:41931/objective.png' {NETWORK}")]


def test_each_bad_item_is_reported_at_its_own_place(tmp_path):
    front = ("title: Δοκιμή\n"
             "objectives:\n"
             "  - Να δοκιμάσουμε.\n"
             "key_messages: [\"Καλό ![k](ok.png).\", \"[x](javascript:alert(3))\"]\n"
             "discussion:\n"
             "  - Τι βλέπετε;\n"
             "  -    \"Τι δείχνει ![a](nowhere.png);\"\n"
             "credits: \"![c](../../secret.png)\"\n")
    assert found(tmp_path, front) == [
        (5, 38, JAVASCRIPT),
        (8, 8, "image 'nowhere.png' not found in case/; check the file name"),
        (9, 10, "image '../../secret.png' lies outside the lesson folder; keep it beside the lesson")]


def test_a_literal_block_reports_the_line_the_image_is_on(tmp_path):
    front = ("title: Δοκιμή\n"
             "objectives:\n"
             "  - Να δοκιμάσουμε.\n"
             "follow_up: |\n"
             "  Μια πρώτη παράγραφος.\n"
             "\n"
             "  Δείτε το ![d](script.svg).\n")
    [(line, col, text)] = found(tmp_path, front)
    assert (line, col) == (8, 3)
    assert text.startswith("image 'script.svg' contains <script>")


def test_a_folded_value_is_reported_where_its_text_starts(tmp_path):
    front = ("title: Δοκιμή\n"
             "objectives:\n"
             "  - >\n"
             "      Δείτε το\n"
             "      ![x](http://127.0.0.1:41931/folded.png)\n")
    assert found(tmp_path, front) == [(5, 7, f"image 'http://127.0.0.1:41931/folded.png' {NETWORK}")]
