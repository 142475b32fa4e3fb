"""The SCORM packages' manifests: every example lesson version's two packages validated against the SCORM
1.2 and 2004 4th edition XML schemas (tests/scorm_schemas.py) and held to the rules beyond them
(tests/scorm_checker.py, whose docstring lists them); then, for the validator and for each rule of the
checker, a real package broken on purpose, to show that it is caught."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

import scorm_checker
import scorm_schemas
from microlearn.lessons.project import read_project
from microlearn.render import layout
from microlearn.site.build import build

VERSIONS = layout.SCORM_VERSIONS  # "1.2", "2004"
# The package the negative tests break: a right-to-left lesson with an image and scored questions.
SAMPLE = ("ar", "ecommerce-cycle")


def pass_mark(lesson) -> int | None:
    return lesson.pass_mark if any(q.scored for q in lesson.questions) else None


def packages(site: Path) -> dict[tuple[str, str, str], tuple[object, bytes]]:
    """(lang, id, version) -> (lesson, the package's bytes) for every lesson version of the built ``site``."""
    project, _ = read_project(site.parent)
    return {(lesson.lang, lesson.id, version): (lesson, (site / layout.scorm_package(lesson, version)).read_bytes())
            for lesson in project.all_lessons() for version in VERSIONS}


def manifest_of(package: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return archive.read(layout.MANIFEST)


def rezip(package: bytes, manifest: bytes | None = None, add: dict[str, bytes] | None = None,
          drop: tuple[str, ...] = ()) -> bytes:
    """``package`` with its manifest replaced, members added and members left out."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(out, "w") as dest:
        for info in src.infolist():
            if info.filename in drop:
                continue
            data = manifest if manifest is not None and info.filename == layout.MANIFEST else src.read(info)
            dest.writestr(info.filename, data)
        for name, data in (add or {}).items():
            dest.writestr(name, data)
    return out.getvalue()


@pytest.fixture(scope="module")
def example_packages(example_site):
    return packages(example_site)


@pytest.fixture(scope="module")
def schemas():
    scorm_schemas.require()


# ------------------------------------------------------------------------------ the example packages

def test_every_example_lesson_version_has_both_packages(example_site, example_packages):
    versions = {(lang, lesson_id) for lang, lesson_id, _ in example_packages}
    assert len(versions) >= 10  # the example project's lesson versions (10 when this was written)
    made = sorted(p.relative_to(example_site).as_posix() for p in example_site.glob("*/*/*-scorm*.zip"))
    assert made == sorted(f"{lang}/{i}/{i}-{lang}-scorm{v.replace('.', '')}.zip"
                          for lang, i, v in example_packages)


@pytest.mark.parametrize("version", VERSIONS)
def test_every_example_manifest_is_valid_against_the_scorm_schemas(schemas, example_packages, version):
    found = {f"{lang}/{i}": scorm_schemas.validate(manifest_of(package), version)
             for (lang, i, v), (_, package) in example_packages.items() if v == version}
    assert found == {name: [] for name in found}


@pytest.mark.parametrize("version", VERSIONS)
def test_every_example_package_keeps_the_rules_beyond_the_schemas(example_packages, version):
    found = {f"{lang}/{i}": scorm_checker.check(package, version, title=lesson.title, lang=lang,
                                                 pass_mark=pass_mark(lesson))
             for (lang, i, v), (lesson, package) in example_packages.items() if v == version}
    assert found == {name: [] for name in found}


def test_lessons_without_scored_questions_have_no_mastery_score_and_a_measure_of_one(schemas, deck_site):
    """tests/fixtures/deck has no questions: the 1.2 manifest has no masteryscore, the 2004 one a
    minNormalizedMeasure of 1 (what the deck's score of 100 meets)."""
    found = packages(deck_site)
    assert found and all(pass_mark(lesson) is None for lesson, _ in found.values())
    for (lang, _, version), (lesson, package) in found.items():
        assert scorm_schemas.validate(manifest_of(package), version) == []
        assert scorm_checker.check(package, version, title=lesson.title, lang=lang, pass_mark=None) == []


def test_manifest_identifiers_are_the_same_in_a_second_build_and_differ_between_lesson_versions(
        example_site, example_packages, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    for name in ("microlearn.yml", "content"):
        source = example_site.parent / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        else:
            (project / name).write_bytes(source.read_bytes())
    again = packages(build(project, project / "site", with_pdf=False).out)
    assert again.keys() == example_packages.keys()
    broken = {f"{lang}/{i} {v}": scorm_checker.same_identifier(manifest_of(package), manifest_of(again[key][1]))
              for key, (_, package) in example_packages.items() for lang, i, v in [key]}
    assert broken == {name: [] for name in broken}
    for version in VERSIONS:
        ids = [scorm_checker.identifier(manifest_of(p)) for (_, _, v), (_, p) in example_packages.items()
               if v == version]
        assert len(set(ids)) == len(ids) == len(example_packages) // 2, ids


# ------------------------------------------------------------------- the validator fails broken manifests

def line_of(manifest: bytes, needle: bytes) -> int:
    return manifest[:manifest.index(needle)].count(b"\n") + 1


BROKEN_FOR_THE_SCHEMAS = {
    # case: (version, what is replaced, by what, what the error says, the start tag of the element it is
    # reported at)
    "1.2 scormtype not in its vocabulary": ("1.2", b'adlcp:scormtype="sco"', b'adlcp:scormtype="SCO"',
                                            "value must be one of", b"<resource "),
    "1.2 the 2004 spelling scormType": ("1.2", b'adlcp:scormtype="sco"', b'adlcp:scormType="sco"', "not found",
                                        b"<resource "),
    "1.2 an element the LOM schema lacks": ("1.2", b"<imsmd:language>ar</imsmd:language>",
                                            b"<imsmd:lang>ar</imsmd:lang>", "not found", b"<imsmd:lang>"),
    "1.2 xml:lang not a language tag": ("1.2", b'xml:lang="ar"', b'xml:lang="ar EG"', "lang='ar EG'",
                                        b"<imsmd:langstring "),
    "1.2 masteryscore before the title": ("1.2", b'isvisible="true">', b'isvisible="true"><adlcp:masteryscore>80'
                                          b"</adlcp:masteryscore>", "Unexpected child", b"<item "),
    "1.2 an identifier twice": ("1.2", b'identifier="RES"', b'identifier="ITEM"', "duplicated xs:ID",
                                b"<resource "),
    "2004 default names no identifier": ("2004", b'default="ORG"', b'default="NOPE"', "IDREF 'NOPE' not found",
                                         b"<manifest "),
    "2004 minNormalizedMeasure over 1": ("2004", b">0.8<", b">80<", "less than or equal",
                                         b"<imsss:minNormalizedMeasure>"),
    "2004 minNormalizedMeasure not a decimal": ("2004", b">0.8<", b">80%<", "xs:decimal",
                                                b"<imsss:minNormalizedMeasure>"),
    "2004 an objective before the primary one": ("2004", b"<imsss:objectives>",
                                                 b'<imsss:objectives><imsss:objective objectiveID="X"/>',
                                                 "primaryObjective", b"<imsss:objectives>"),
    "2004 an identifier not an xs:ID": ("2004", b'identifier="RES"', b'identifier="1RES"', "identifier='1RES'",
                                        b"<resource "),
    "2004 scormType not in its vocabulary": ("2004", b'adlcp:scormType="sco"', b'adlcp:scormType="Sco"',
                                             "value must be one of", b"<resource "),
    "2004 a resource without its type": ("2004", b' type="webcontent"', b"", "missing required attribute 'type'",
                                         b"<resource "),
}


@pytest.mark.parametrize("case", BROKEN_FOR_THE_SCHEMAS)
def test_the_schema_validator_fails_a_broken_manifest_at_its_line(schemas, example_packages, case):
    version, old, new, reason, at = BROKEN_FOR_THE_SCHEMAS[case]
    manifest = manifest_of(example_packages[(*SAMPLE, version)][1])
    assert scorm_schemas.validate(manifest, version) == []
    assert manifest.count(old) == 1, f"the sample manifest no longer has {old!r}: adapt the case"
    broken = manifest.replace(old, new)
    errors = scorm_schemas.validate(broken, version)
    assert len(errors) == 1 and reason in errors[0], errors
    assert errors[0].startswith(f"line {line_of(broken, at)}: "), errors


def test_the_schema_validator_fails_a_manifest_of_the_other_version_and_malformed_xml(schemas, example_packages):
    manifest = manifest_of(example_packages[(*SAMPLE, "1.2")][1])
    errors = scorm_schemas.validate(manifest, "2004")
    assert errors and "not the SCORM 2004" in errors[0]
    assert scorm_schemas.validate(manifest.replace(b"</manifest>", b""), "1.2")[0].startswith("line ")


def test_the_2004_lom_is_not_checked_by_the_schemas_for_want_of_a_lom_schema(schemas, example_packages):
    """The package carries no IEEE LOM schema and IMS CP 1.1.4 processes foreign elements laxly: a
    nonsense LOM passes the schemas, and only the checker's metadata rule sees it."""
    lesson, package = example_packages[(*SAMPLE, "2004")]
    manifest = manifest_of(package)
    broken = manifest.replace(b"<lom:language>", b"<lom:nonsense>").replace(b"</lom:language>", b"</lom:nonsense>")
    assert broken != manifest and scorm_schemas.validate(broken, "2004") == []
    errors = scorm_checker.check(rezip(package, broken), "2004", title=lesson.title, lang=lesson.lang,
                                 pass_mark=pass_mark(lesson))
    assert [e.split(":")[0] for e in errors] == ["metadata"]


# ------------------------------------------------------------------- each checker rule on a broken package

def swap(old: bytes, new: bytes):
    def change(package: bytes, lesson) -> tuple[bytes, dict]:
        manifest = manifest_of(package)
        assert old in manifest, f"the sample manifest no longer has {old!r}: adapt the case"
        return rezip(package, manifest.replace(old, new, 1)), {}
    return change


def rename_prefix(old: bytes, new: bytes):
    """The same namespace under another prefix: the same manifest to a namespace-aware reader."""
    def change(package: bytes, lesson) -> tuple[bytes, dict]:
        manifest = manifest_of(package)
        renamed = manifest.replace(old + b":", new + b":").replace(b"xmlns:" + old + b"=", b"xmlns:" + new + b"=")
        assert renamed != manifest
        return rezip(package, renamed), {}
    return change


def other_pass_mark(package: bytes, lesson) -> tuple[bytes, dict]:
    return package, {"pass_mark": 70}


def no_manifest(package: bytes, lesson) -> tuple[bytes, dict]:
    return rezip(package, drop=(layout.MANIFEST,), add={"IMSMANIFEST.XML": manifest_of(package)}), {}


def extra_member(package: bytes, lesson) -> tuple[bytes, dict]:
    return rezip(package, add={"notes.txt": b"not listed"}), {}


def entity_in_title(package: bytes, lesson) -> tuple[bytes, dict]:
    manifest = manifest_of(package)
    title = lesson.title.encode("utf-8")
    first = lesson.title[0]
    reference = f"&#{ord(first)};".encode()
    return rezip(package, manifest.replace(b"<title>" + title, b"<title>" + reference + title[len(first.encode()):], 1)), {}


BROKEN_FOR_THE_CHECKER = {
    # rule: {version: how the package is broken}
    "manifest": {"1.2": no_manifest, "2004": no_manifest},
    "files-exist": {v: swap(b'<file href="handout.html"/>', b'<file href="handout.html"/><file href="images/cycle.svg"/>')
                    for v in VERSIONS},
    "files-listed": {v: extra_member for v in VERSIONS},
    "launch": {"1.2": swap(b'href="index.html">', b'href="start.html">'),
               "2004": swap(b'href="index.html">', b'href="handout.html#start">')},
    "identifiers": {"1.2": swap(b'identifier="ITEM"', b'identifier="RES"'),
                    "2004": swap(b'identifier="ML-ar-ecommerce-cycle"', b'identifier="ML:ar:ecommerce-cycle"')},
    "default-organization": {v: swap(b'default="ORG"', b'default="ITEM"') for v in VERSIONS},
    "one-sco": {"1.2": swap(b'adlcp:scormtype="sco"', b'adlcp:scormtype="asset"'),
                "2004": swap(b'adlcp:scormType="sco"', b'adlcp:scormtype="sco"')},
    "schemaversion": {"1.2": swap(b"<schemaversion>1.2<", b"<schemaversion>1.2.1<"),
                      "2004": swap(b"<schemaversion>2004 4th Edition<", b"<schemaversion>2004 4th edition<")},
    "metadata": {"1.2": swap(b"<imsmd:language>ar<", b"<imsmd:language>en<"),
                 "2004": swap(b'<lom:string language="ar">', b'<lom:string language="en">')},
    "titles": {v: swap(b"<title>", b"<title>1. ") for v in VERSIONS},
    "mastery": {"1.2": other_pass_mark, "2004": swap(b">0.8<", b">0.80001<")},
    "moodle-prefixes": {"1.2": rename_prefix(b"adlcp", b"adl"), "2004": rename_prefix(b"imsss", b"ss")},
    "moodle-entities": {v: entity_in_title for v in VERSIONS},
}


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("rule", BROKEN_FOR_THE_CHECKER)
def test_the_checker_catches_each_broken_rule(example_packages, rule, version):
    lesson, package = example_packages[(*SAMPLE, version)]
    facts = {"title": lesson.title, "lang": lesson.lang, "pass_mark": pass_mark(lesson)}
    assert scorm_checker.check(package, version, **facts) == []
    broken, changed = BROKEN_FOR_THE_CHECKER[rule][version](package, lesson)
    errors = scorm_checker.check(broken, version, **{**facts, **changed})
    assert errors and {e.split(":")[0] for e in errors} == {rule}, errors
    assert rule in scorm_checker.__doc__


def test_the_checker_catches_an_identifier_that_changes_between_builds(example_packages):
    manifest = manifest_of(example_packages[(*SAMPLE, "1.2")][1])
    assert scorm_checker.same_identifier(manifest, manifest) == []
    moved = manifest.replace(b'identifier="ML-ar-ecommerce-cycle"', b'identifier="ML-ar-ecommerce-cycle-2"')
    assert [e.split(":")[0] for e in scorm_checker.same_identifier(manifest, moved)] == ["stable-identifier"]
