"""Time from saving one lesson to its rebuilt deck on disk, in a 200-lesson preview.

Run: .venv/bin/python bench/serve_rebuild.py [LESSONS]. Prints the median and worst of 20 saves,
measured as `microlearn serve` does it: look for changed files, re-read the lesson, check the project,
render its pages and the index pages, write what changed. The server looks for changes every
POLL_SECONDS, so a save waits up to that long more before this starts.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from microlearn.serve.server import POLL_SECONDS, Preview

LESSON = """---
title: Lesson {n}
objectives:
  - Objective one of lesson {n}.
duration: 6m
---

## Opening {{time=2m}}

What the learners see first in lesson {n}.

::: notes
Narration for the opening.
:::

## Example {{time=2m}}

A short example, a list:

- one point
- another point

::: notes
Narration for the example.
:::

## Closing {{time=2m}}

The one thing to remember. Revision {rev}.

::: notes
Narration for the closing.
:::
"""


def main(count: int = 200, saves: int = 20) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        for n in range(count):
            folder = root / "content" / f"lesson-{n:03d}"
            folder.mkdir(parents=True)
            (folder / "el.md").write_text(LESSON.format(n=n, rev=0), encoding="utf-8")
        (root / "microlearn.yml").write_text("languages:\n  el:\n    title: Bench\n", encoding="utf-8")
        preview = Preview(root, Path(tmp) / "site")
        started = time.perf_counter()
        assert preview.update(), preview.errors
        full = time.perf_counter() - started
        target = root / "content" / "lesson-100" / "el.md"
        deck = Path(tmp) / "site" / "el" / "lesson-100" / "index.html"
        timings = []
        for rev in range(1, saves + 1):
            time.sleep(0.02)
            target.write_text(LESSON.format(n=100, rev=rev), encoding="utf-8")
            started = time.perf_counter()
            assert preview.update(preview.changed_files()), preview.errors
            timings.append(time.perf_counter() - started)
            assert f"Revision {rev}." in deck.read_text(encoding="utf-8")
        print(f"{count} lessons: full build {full * 1000:.0f} ms; one lesson saved -> deck on disk: "
              f"median {statistics.median(timings) * 1000:.0f} ms, worst {max(timings) * 1000:.0f} ms "
              f"(+ up to {POLL_SECONDS * 1000:.0f} ms until the server looks); "
              f"{len(preview.rebuilt)} files written per save")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
