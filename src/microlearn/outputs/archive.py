"""Zips made the same way every time: sorted names, every timestamp SOURCE_DATE_EPOCH, fixed modes, and a
zip assembled from members of other zips, copied as they are stored. For the lesson and language zips,
the EPUB (an OCF container is a zip) and the SCORM packages."""

from __future__ import annotations

import io
import struct
import time
import zipfile
from pathlib import Path

from microlearn.errors import MicrolearnError


def zip_bytes(entries: dict[str, bytes], epoch: int, stored_first: tuple[str, ...] = ()) -> bytes:
    """A zip of ``entries`` (archive path → bytes): sorted names, every timestamp ``epoch``, fixed modes.
    The names of ``stored_first`` come first, in that order, and uncompressed (an EPUB's ``mimetype``)."""
    stamp = time.gmtime(max(epoch, 315532800))[:6]  # zip dates start in 1980
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name in [*stored_first, *sorted(set(entries) - set(stored_first))]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED if name in stored_first else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, so the mode above is read
            zf.writestr(info, entries[name], compresslevel=9)
    return buf.getvalue()


def zip_of_stored(members: list[tuple[str, Path | bytes, zipfile.ZipInfo]]) -> bytes:
    """A zip of members copied as they are stored (still compressed), in the layout zipfile writes:
    local header and data for each, then the central directory and the end record. A language's zip
    stays far below the 4 GiB and 65,535 entries where the zip64 records would be needed."""
    buf = io.BytesIO()
    central = []
    for name, origin, info in members:
        raw = _raw_member(origin, info)
        member = zipfile.ZipInfo(name, date_time=info.date_time)
        for attr in ("compress_type", "external_attr", "create_system", "create_version", "extract_version",
                     "CRC", "compress_size", "file_size", "internal_attr", "extra", "comment"):
            setattr(member, attr, getattr(info, attr))
        member.flag_bits = 0
        member.header_offset = buf.tell()
        buf.write(member.FileHeader(False))
        buf.write(raw)
        central.append(member)
    start = buf.tell()
    for member in central:
        try:
            filename, flags = member.filename.encode("ascii"), member.flag_bits
        except UnicodeEncodeError:
            filename, flags = member.filename.encode("utf-8"), member.flag_bits | 0x800
        dt = member.date_time
        buf.write(struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", member.create_version, member.create_system,
                              member.extract_version, 0, flags, member.compress_type,
                              dt[3] << 11 | dt[4] << 5 | dt[5] // 2, (dt[0] - 1980) << 9 | dt[1] << 5 | dt[2],
                              member.CRC, member.compress_size, member.file_size, len(filename),
                              len(member.extra), len(member.comment), 0, member.internal_attr,
                              member.external_attr, member.header_offset))
        buf.write(filename + member.extra + member.comment)
    end = buf.tell()
    if len(central) > 0xFFFF or end > 0xFFFFFFFF:
        raise MicrolearnError("a language's zip would exceed 65,535 files or 4 GiB; split the language's "
                              "lessons into smaller courses")
    buf.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), end - start, start, 0))
    return buf.getvalue()


def _raw_member(origin: Path | bytes, info) -> bytes:
    """A zip member's compressed bytes, as stored."""
    with (open(origin, "rb") if isinstance(origin, Path) else io.BytesIO(origin)) as fh:
        fh.seek(info.header_offset)
        header = fh.read(30)
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        fh.seek(info.header_offset + 30 + name_len + extra_len)
        return fh.read(info.compress_size)
