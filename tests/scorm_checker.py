"""What a SCORM package of a microlearn lesson must be beyond what the XML schemas say
(tests/scorm_schemas.py validates the manifest against them).

Written from the SCORM 1.2 and SCORM 2004 4th edition Content Aggregation Model books (the manifest's
elements and their meaning), the package contract of issue 16 (one SCO, the lesson's title, language and
pass mark), and what Moodle reads (mod/scorm/datamodels/scormlib.php: a parser that is not
namespace-aware, so prefixes matter to it). ``check(package, version, title=, lang=, pass_mark=)``
returns the broken rules as ``"<rule>: what is wrong"``; [] when the package keeps them all.

The rules, by name:

- ``manifest``: the zip has ``imsmanifest.xml`` at its root, well-formed XML in UTF-8, with the root
  ``manifest`` of IMS CP 1.1.2 (1.2) or IMS CP 1.1.4 (2004) and the ADL namespaces of that version.
- ``files-exist``: every ``<file href>`` (resolved against ``xml:base`` where there is one) names a
  member of the zip; an href is a relative path inside the package (no scheme, no leading ``/``, no
  ``..``, no backslash, no query or fragment).
- ``files-listed``: every member of the zip except ``imsmanifest.xml`` is listed by a ``<file href>``
  of the SCO's resource, once; the zip has no directory entries and no duplicate names.
- ``launch``: the SCO's resource has an ``href`` that names a member of the zip and is among its files.
- ``identifiers``: every ``identifier`` (manifest, organization, item, resource) is an xs:ID (an XML
  name without a colon) and none is used twice in the manifest.
- ``default-organization``: ``<organizations default>`` names an ``<organization>`` of the manifest
  (the schema only checks that it names some xs:ID); there is exactly one organization.
- ``one-sco``: the organization has exactly one item, with no child items; its ``identifierref`` names
  a ``<resource>`` (the schema does not check it: it is an xs:string); that resource and no other has
  ``adlcp:scormtype="sco"`` (1.2) / ``adlcp:scormType="sco"`` (2004, where a 1.2 spelling is skipped by
  the schema's lax wildcard and an LMS sees an asset) and ``type="webcontent"``.
- ``schemaversion``: ``<metadata><schema>ADL SCORM</schema>`` and ``<schemaversion>`` ``1.2`` or
  ``2004 4th Edition``. Moodle takes the version from this element alone (``^1\\.2$`` or
  ``^2004 (3rd|4th) Edition$``) and plays anything else as SCORM 1.2, with the 1.2 API.
- ``metadata``: the manifest's inline LOM gives the lesson's title in its language and that language:
  1.2 ``imsmd:lom/general/title/langstring[@xml:lang=lang]`` and ``general/language``; 2004
  ``lom:lom/general/title/string[@language=lang]`` and ``general/language`` (IEEE LOM XML binding).
- ``titles``: the organization's and the item's ``<title>`` are the lesson's title (what Moodle shows in
  its table of contents).
- ``mastery``: 1.2: a lesson with scored questions has ``adlcp:masteryscore`` on its item, the pass mark
  as a whole number 0-100; one without has none. 2004: the item's ``imsss:sequencing`` has one
  ``imsss:primaryObjective`` with ``satisfiedByMeasure="true"`` and ``imsss:minNormalizedMeasure`` =
  pass_mark/100, a decimal in [-1, 1] (an LMS hands it to the SCO as ``cmi.scaled_passing_score``). A
  lesson without scored questions (pass_mark=None) has 1 there: its deck reports a score of 100 once
  every slide was seen, which meets it.
- ``moodle-prefixes``: the IMS CP namespace is the default namespace (its elements unprefixed) and the
  ADL and IMS SS namespaces are bound to ``adlcp``, ``adlseq``, ``adlnav`` and ``imsss``; Moodle matches
  ``RESOURCE``, ``ADLCP:SCORMTYPE``, ``ADLCP:MASTERYSCORE``, ``IMSSS:SEQUENCING``… by these names.
- ``moodle-entities``: no numeric character reference (``&#…;``): Moodle turns every ``&`` not followed
  by 2-6 word characters and ``;`` into ``&amp;`` before it parses the manifest.

``same_identifier(a, b)`` (rule ``stable-identifier``): the manifests of two builds of one package have
the same manifest identifier, so an LMS that imports the new package replaces the old one and keeps its
learners' records.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from decimal import Decimal, InvalidOperation
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree as ET
from xml.parsers import expat

MANIFEST = "imsmanifest.xml"
XML = "{http://www.w3.org/XML/1998/namespace}"
NS = {
    "1.2": {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
            "lom": "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"},
    "2004": {"cp": "http://www.imsglobal.org/xsd/imscp_v1p1", "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
             "lom": "http://ltsc.ieee.org/xsd/LOM", "imsss": "http://www.imsglobal.org/xsd/imsss",
             "adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3", "adlnav": "http://www.adlnet.org/xsd/adlnav_v1p3"},
}
SCHEMAVERSION = {"1.2": "1.2", "2004": "2004 4th Edition"}
SCORMTYPE = {"1.2": "scormtype", "2004": "scormType"}
PREFIXES = {ns: prefix for version in NS.values() for prefix, ns in version.items() if prefix not in ("cp", "lom")}
NCNAME = re.compile(r"^[^\W\d-][\w.-]*$")  # Python's \w covers XML's name characters closely enough here


def _q(version: str, prefix: str, name: str) -> str:
    return f"{{{NS[version][prefix]}}}{name}"


def check(package: bytes, version: str, *, title: str, lang: str, pass_mark: int | None) -> list[str]:
    """The rules of this module that the zip ``package`` of SCORM ``version`` ("1.2" or "2004") breaks;
    ``pass_mark`` is None for a lesson without scored questions."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(package))
    except zipfile.BadZipFile as error:
        return [f"manifest: not a zip: {error}"]
    names = [info.filename for info in archive.infolist()]
    errors = []
    if len(set(names)) != len(names):
        errors.append(f"files-listed: names in the zip twice: {sorted({n for n in names if names.count(n) > 1})}")
    if dirs := [n for n in names if n.endswith("/")]:
        errors.append(f"files-listed: directory entries in the zip: {dirs}")
    if MANIFEST not in names:
        return [*errors, f"manifest: no {MANIFEST} at the root of the zip (members: {names})"]
    members = [n for n in names if not n.endswith("/")]
    return errors + check_manifest(archive.read(MANIFEST), members, version, title=title, lang=lang,
                                   pass_mark=pass_mark)


def check_manifest(manifest: bytes, members: list[str], version: str, *, title: str, lang: str,
                   pass_mark: int | None) -> list[str]:
    """The rules that the manifest (bytes) breaks, given the zip's member names."""
    if version not in NS:
        raise ValueError(f"SCORM version {version!r}: '1.2' or '2004'")
    try:
        manifest.decode("utf-8")
        root = ET.fromstring(manifest)
    except (UnicodeDecodeError, ET.ParseError) as error:
        return [f"manifest: not well-formed UTF-8 XML: {error}"]
    if root.tag != _q(version, "cp", "manifest"):
        return [f"manifest: the root is {root.tag}, not {_q(version, 'cp', 'manifest')}"]
    errors: list[str] = []
    errors += _prefixes(manifest, version)
    if re.search(rb"&#", manifest):
        errors.append("moodle-entities: a numeric character reference (&#...;), which Moodle reads as text")
    errors += _identifiers(root)
    errors += _schemaversion(root, version)
    errors += _metadata(root, version, title, lang)
    sco, item = _structure(root, version, errors)
    if item is not None:
        errors += _mastery(item, version, pass_mark)
        titles = [t.text for t in (root.find(f"{_q(version, 'cp', 'organizations')}/{_q(version, 'cp', 'organization')}"
                                             f"/{_q(version, 'cp', 'title')}"), item.find(_q(version, 'cp', 'title')))
                  if t is not None]
        if titles != [title, title]:
            errors.append(f"titles: the organization's and the item's titles are {titles}, not the lesson's {title!r}")
    if sco is not None:
        errors += _files(root, sco, members, version)
    return errors


def identifier(manifest: bytes) -> str:
    return ET.fromstring(manifest).get("identifier", "")


def same_identifier(a: bytes, b: bytes) -> list[str]:
    """Rule ``stable-identifier`` between the manifests of two builds of one package."""
    first, second = identifier(a), identifier(b)
    return [] if first and first == second else [f"stable-identifier: {first!r} in one build, {second!r} in the other"]


def _prefixes(manifest: bytes, version: str) -> list[str]:
    declared: list[tuple[str, str]] = []
    parser = expat.ParserCreate()  # no namespace processing: the names as written, as Moodle sees them
    parser.StartElementHandler = lambda name, attrs: declared.extend(
        (key[6:], value) for key, value in attrs.items() if key == "xmlns" or key.startswith("xmlns:"))
    parser.Parse(manifest, True)
    errors = []
    for prefix, ns in declared:
        if ns == NS[version]["cp"] and prefix:
            errors.append(f"moodle-prefixes: the IMS CP namespace is bound to the prefix {prefix!r}")
        elif ns in PREFIXES and prefix != PREFIXES[ns]:
            errors.append(f"moodle-prefixes: {ns} is bound to {prefix or 'the default namespace'!r}, "
                          f"not {PREFIXES[ns]!r}")
    if ("", NS[version]["cp"]) not in declared:
        errors.append(f"moodle-prefixes: the default namespace is not {NS[version]['cp']}")
    return errors


def _identifiers(root: ET.Element) -> list[str]:
    errors, seen = [], set()
    for element in root.iter():
        value = element.get("identifier")
        if value is None:
            continue
        if not NCNAME.match(value):
            errors.append(f"identifiers: {value!r} ({element.tag}) is not an xs:ID")
        if value in seen:
            errors.append(f"identifiers: {value!r} is used twice")
        seen.add(value)
    return errors


def _schemaversion(root: ET.Element, version: str) -> list[str]:
    metadata = root.find(_q(version, "cp", "metadata"))
    schema = metadata.findtext(_q(version, "cp", "schema")) if metadata is not None else None
    schemaversion = metadata.findtext(_q(version, "cp", "schemaversion")) if metadata is not None else None
    if (schema, schemaversion) != ("ADL SCORM", SCHEMAVERSION[version]):
        return [f"schemaversion: <schema>/<schemaversion> are {schema!r}/{schemaversion!r}, not "
                f"'ADL SCORM'/{SCHEMAVERSION[version]!r}"]
    return []


def _metadata(root: ET.Element, version: str, title: str, lang: str) -> list[str]:
    lom, cp = NS[version]["lom"], NS[version]["cp"]
    general = root.find(f"{{{cp}}}metadata/{{{lom}}}lom/{{{lom}}}general")
    if general is None:
        return [f"metadata: no {{{lom}}}lom/general in the manifest's <metadata>"]
    if version == "1.2":
        strings = general.findall(f"{{{lom}}}title/{{{lom}}}langstring")
        titles = [(s.get(f"{XML}lang"), s.text) for s in strings]
    else:
        strings = general.findall(f"{{{lom}}}title/{{{lom}}}string")
        titles = [(s.get("language"), s.text) for s in strings]
    languages = [e.text for e in general.findall(f"{{{lom}}}language")]
    errors = []
    if titles != [(lang, title)]:
        errors.append(f"metadata: the LOM title is {titles}, not [({lang!r}, {title!r})]")
    if languages != [lang]:
        errors.append(f"metadata: the LOM language is {languages}, not [{lang!r}]")
    return errors


def _structure(root: ET.Element, version: str, errors: list[str]) -> tuple[ET.Element | None, ET.Element | None]:
    """Checks default-organization and one-sco; returns the SCO's resource and its item (None when missing)."""
    def cp(name: str) -> str:
        return _q(version, "cp", name)

    organizations = root.find(cp("organizations"))
    orgs = organizations.findall(cp("organization")) if organizations is not None else []
    default = organizations.get("default") if organizations is not None else None
    if len(orgs) != 1 or default != orgs[0].get("identifier"):
        errors.append(f"default-organization: <organizations default={default!r}> and organizations "
                      f"{[o.get('identifier') for o in orgs]}: want one, named by default")
    resources = {r.get("identifier"): r for r in root.findall(f"{cp('resources')}/{cp('resource')}")}
    scormtype = _q(version, "adlcp", SCORMTYPE[version])
    scos = [r for r in resources.values() if r.get(scormtype) == "sco"]
    items = [i for o in orgs for i in o.iter(cp("item"))]
    if len(items) != 1 or items[0].find(cp("item")) is not None:
        errors.append(f"one-sco: {len(items)} items in the organizations, want one without children")
        return (scos[0] if len(scos) == 1 else None), None
    item = items[0]
    target = resources.get(item.get("identifierref"))
    if target is None:
        errors.append(f"one-sco: the item's identifierref {item.get('identifierref')!r} names no resource")
    elif len(scos) != 1 or scos[0] is not target:
        errors.append(f"one-sco: the resources with {scormtype}='sco' are {[r.get('identifier') for r in scos]}, "
                      f"want exactly the item's {item.get('identifierref')!r}")
    elif target.get("type") != "webcontent":
        errors.append(f"one-sco: the SCO's resource has type={target.get('type')!r}, not 'webcontent'")
    if target is not None and target.get(_q(version, "adlcp", SCORMTYPE["1.2" if version == "2004" else "2004"])):
        errors.append(f"one-sco: the SCO's resource spells the attribute the other version's way, not {scormtype}")
    return (target if target is not None and target in scos else None), item


def _mastery(item: ET.Element, version: str, pass_mark: int | None) -> list[str]:
    if version == "1.2":
        scores = [e.text for e in item.findall(_q(version, "adlcp", "masteryscore"))]
        want = [] if pass_mark is None else [str(pass_mark)]
        if scores != want:
            return [f"mastery: adlcp:masteryscore {scores}, want {want}"]
        return []
    ss = NS["2004"]["imsss"]
    primaries = item.findall(f"{{{ss}}}sequencing/{{{ss}}}objectives/{{{ss}}}primaryObjective")
    if len(primaries) != 1:
        return [f"mastery: {len(primaries)} imsss:primaryObjective in the item's imsss:sequencing, want 1"]
    primary = primaries[0]
    errors = []
    if primary.get("satisfiedByMeasure") not in ("true", "1"):
        errors.append(f"mastery: satisfiedByMeasure={primary.get('satisfiedByMeasure')!r}, want 'true'")
    text = primary.findtext(f"{{{ss}}}minNormalizedMeasure")
    try:
        measure = Decimal((text or "").strip())
    except InvalidOperation:
        return [*errors, f"mastery: minNormalizedMeasure {text!r} is not a decimal"]
    if not Decimal(-1) <= measure <= Decimal(1):
        errors.append(f"mastery: minNormalizedMeasure {measure} is outside [-1, 1]")
    want = Decimal(1) if pass_mark is None else Decimal(pass_mark) / 100
    if measure != want:
        errors.append(f"mastery: minNormalizedMeasure {measure}, want {want} (pass mark {pass_mark})")
    return errors


def _href(href: str | None, base: str) -> tuple[str | None, str | None]:
    """(the package path an href names, None) or (None, why it names none)."""
    if not href:
        return None, "an empty href"
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or parts.query or parts.fragment or href.startswith("/") or "\\" in href:
        return None, f"{href!r} is not a relative path inside the package"
    path = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
    if path.startswith("..") or path.startswith("/"):
        return None, f"{href!r} leaves the package"
    return path, None


def _files(root: ET.Element, sco: ET.Element, members: list[str], version: str) -> list[str]:
    def cp(name: str) -> str:
        return _q(version, "cp", name)

    resources = root.find(cp("resources"))

    def base(resource: ET.Element) -> str:
        return posixpath.join(*(e.get(f"{XML}base") or "" for e in (root, resources, resource) if e is not None))

    errors, listed = [], []
    for resource in root.iter(cp("resource")):
        for file in resource.findall(cp("file")):
            path, why = _href(file.get("href"), base(resource))
            if path is None:
                errors.append(f"files-exist: <file> {why}")
            elif path not in members:
                errors.append(f"files-exist: <file href={file.get('href')!r}> is not in the zip")
            elif resource is sco:
                listed.append(path)
    others = [m for m in members if m != MANIFEST]
    missing = sorted(set(others) - set(listed))
    twice = sorted({p for p in listed if listed.count(p) > 1})
    if missing:
        errors.append(f"files-listed: in the zip but not a <file> of the SCO: {missing}")
    if twice:
        errors.append(f"files-listed: listed twice: {twice}")
    return errors + _launch(sco, base(sco), members, listed)


def _launch(sco: ET.Element, base: str, members: list[str], listed: list[str]) -> list[str]:
    launch, why = _href(sco.get("href"), base)
    if launch is None:
        return [f"launch: the SCO's href: {why}"]
    if launch not in members:
        return [f"launch: the SCO's href {sco.get('href')!r} is not in the zip"]
    if launch not in listed:
        return [f"launch: the SCO's href {sco.get('href')!r} is not among its <file>s"]
    return []
