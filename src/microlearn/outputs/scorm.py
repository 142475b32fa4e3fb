"""SCORM packages: ``<lang>/<id>/<id>-<lang>-scorm12.zip`` and ``-scorm2004.zip``, the lesson as an LMS
imports it (Moodle on the web and in its app, Kolibri as an HTML5 app) and tracks who finished and who
passed.

A package is one SCO. At its root:

    imsmanifest.xml   the manifest: SCORM 1.2, or SCORM 2004 4th edition
    index.html        the learner's deck (Renderer.learner_deck): self-paced, the questions answerable,
                      reporting to the LMS's API, or keeping its progress in localStorage without one
    handout.html      the learner's handout, self-contained, opened from the deck in a dialog
    <image>           the lesson's images, which the deck shows
    brand/<logo>      the logos of brand.logos (microlearn.yml), on the title and closing slides

Both manifests name every file of the package, the lesson's title and language, and brand.notice (in the
lesson's language, or the one it falls back to) as the LOM's rights description. Their identifiers are made
from the lesson's id and language, so a rebuilt package replaces the old one in an LMS and keeps its
learners' records (eXeLearning #1785). The 2004 manifest carries the pass mark as the primary objective's
``minNormalizedMeasure``, which the LMS hands the SCO as ``cmi.scaled_passing_score``; the 1.2 manifest as
``adlcp:masteryscore``. No XML schema files are included: the IMS and ADL schemas are not ours to
redistribute, and Moodle and Kolibri do not read them.

Byte-for-byte reproducible: ``archive.zip_bytes`` (sorted names, every timestamp SOURCE_DATE_EPOCH).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from microlearn.lessons.model import Lesson
from microlearn.outputs.archive import zip_bytes
from microlearn.outputs.context import OutputContext
from microlearn.render import layout

NAME = "scorm"
LANGUAGE_UNIT = None
AFTER_LESSONS = False


def enabled(ctx: OutputContext) -> bool:
    return True


def lesson_paths(lesson: Lesson) -> list[str]:
    return [layout.scorm_package(lesson, version) for version in layout.SCORM_VERSIONS]


def lesson_files(lesson: Lesson, ctx: OutputContext, files: dict[str, bytes]) -> dict[str, bytes]:
    return {layout.scorm_package(lesson, version): package(lesson, ctx, version)
            for version in layout.SCORM_VERSIONS}


def language_inputs(lang: str, entries: list) -> list[str]:
    return []


def language_files(lang: str, entries: list, ctx: OutputContext, staged: Callable[[str], Path]) -> dict[str, bytes]:
    return {}


def site_files(ctx: OutputContext) -> dict[str, bytes]:
    return {}


def package(lesson: Lesson, ctx: OutputContext, version: str) -> bytes:
    """The package of one SCORM version ("1.2" or "2004") as zip bytes."""
    renderer, versions = ctx.renderer, ctx.project.versions(lesson.id)
    entries = {layout.DECK: renderer.learner_deck(lesson, versions, version).encode("utf-8"),
               layout.HANDOUT: renderer.handout(lesson, versions, packaged=True).encode("utf-8")}
    for image in lesson.images:
        entries[image.path.name] = image.path.read_bytes()
    for logo in ctx.project.config.brand.logos if ctx.project.config.brand else ():
        entries[layout.LOGOS + logo.name] = logo.path.read_bytes()
    entries[layout.MANIFEST] = manifest(lesson, version, sorted(entries), renderer.notice(lesson.lang))
    return zip_bytes(entries, ctx.epoch)


# Where each namespace's schema is (xsi:schemaLocation), by the file names the standards give them.
SCHEMAS_12 = {"http://www.imsproject.org/xsd/imscp_rootv1p1p2": "imscp_rootv1p1p2.xsd",
              "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1": "imsmd_rootv1p2p1.xsd",
              "http://www.adlnet.org/xsd/adlcp_rootv1p2": "adlcp_rootv1p2.xsd"}
SCHEMAS_2004 = {"http://www.imsglobal.org/xsd/imscp_v1p1": "imscp_v1p1.xsd",
                "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp_v1p3.xsd",
                "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq_v1p3.xsd",
                "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav_v1p3.xsd",
                "http://www.imsglobal.org/xsd/imsss": "imsss_v1p0.xsd"}


def _locations(schemas: dict[str, str]) -> str:
    return " ".join(f"{namespace} {name}" for namespace, name in schemas.items())


def identifier(lesson: Lesson) -> str:
    """The manifest's identifier: an xs:ID (an XML name without a colon) made from the language and the id."""
    return "ML-" + re.sub(r"[^A-Za-z0-9._-]", "_", f"{lesson.lang}-{lesson.id}")


def manifest(lesson: Lesson, version: str, files: list[str], notice: tuple[str, str] | None = None) -> bytes:
    """The manifest; ``notice``: brand.notice as (its language, its text), the LOM's rights description."""
    title, lang = escape(lesson.title), quoteattr(lesson.lang)
    rights12 = rights2004 = ""
    if notice:
        code, text = quoteattr(notice[0]), escape(notice[1])
        rights12 = (f"      <imsmd:rights>\n        <imsmd:description><imsmd:langstring xml:lang={code}>{text}"
                    "</imsmd:langstring></imsmd:description>\n      </imsmd:rights>\n")
        rights2004 = (f"      <lom:rights>\n        <lom:description><lom:string language={code}>{text}"
                      "</lom:string></lom:description>\n      </lom:rights>\n")
    file_list = "".join(f"      <file href={quoteattr(name)}/>\n" for name in files)
    scored = any(q.scored for q in lesson.questions)
    if version == "1.2":
        mastery = f"        <adlcp:masteryscore>{lesson.pass_mark}</adlcp:masteryscore>\n" if scored else ""
        text = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{identifier(lesson)}" version="1"
          xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
          xmlns:imsmd="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
          xsi:schemaLocation="{_locations(SCHEMAS_12)}">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
    <imsmd:lom>
      <imsmd:general>
        <imsmd:title><imsmd:langstring xml:lang={lang}>{title}</imsmd:langstring></imsmd:title>
        <imsmd:language>{escape(lesson.lang)}</imsmd:language>
      </imsmd:general>
{rights12}    </imsmd:lom>
  </metadata>
  <organizations default="ORG">
    <organization identifier="ORG">
      <title>{title}</title>
      <item identifier="ITEM" identifierref="RES" isvisible="true">
        <title>{title}</title>
{mastery}      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES" type="webcontent" adlcp:scormtype="sco" href="{layout.DECK}">
{file_list}    </resource>
  </resources>
</manifest>
"""
    else:
        measure = f"{lesson.pass_mark / 100:.2f}".rstrip("0").rstrip(".") if scored else "1"
        text = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{identifier(lesson)}" version="1"
          xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
          xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
          xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
          xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
          xmlns:lom="http://ltsc.ieee.org/xsd/LOM"
          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
          xsi:schemaLocation="{_locations(SCHEMAS_2004)}">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 4th Edition</schemaversion>
    <lom:lom>
      <lom:general>
        <lom:title><lom:string language={lang}>{title}</lom:string></lom:title>
        <lom:language>{escape(lesson.lang)}</lom:language>
      </lom:general>
{rights2004}    </lom:lom>
  </metadata>
  <organizations default="ORG">
    <organization identifier="ORG">
      <title>{title}</title>
      <item identifier="ITEM" identifierref="RES">
        <title>{title}</title>
        <imsss:sequencing>
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="PASS" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>{measure}</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
          </imsss:objectives>
          <imsss:deliveryControls completionSetByContent="true" objectiveSetByContent="true"/>
        </imsss:sequencing>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES" type="webcontent" adlcp:scormType="sco" href="{layout.DECK}">
{file_list}    </resource>
  </resources>
</manifest>
"""
    return text.encode("utf-8")
