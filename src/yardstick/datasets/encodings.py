"""Text encodings of CSV extracts: which one a file is in, and a UTF-8 copy for DuckDB.

Agencies send UTF-8 (with or without BOM), Big5 (CP950, the encoding of Traditional-Chinese
Windows) and, from Excel's "Unicode text", UTF-16. DuckDB reads UTF-8 only, so anything else is
transcoded in streaming chunks (memory stays flat whatever the file's size). Decoding is strict
everywhere: a byte that is not in the encoding stops the ingest with its line number
(:class:`~yardstick.datasets.errors.IngestError`) instead of being replaced or escaping as a
``UnicodeDecodeError``.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from yardstick.datasets.errors import IngestError

BIG5 = "cp950"
"""Big5 as Windows writes it (CP950), a superset of plain Big5."""
UTF8 = "utf-8"
UTF16 = "utf-16"
_CHUNK = 1 << 20
_SAMPLE = 1 << 16
_SCAN_LIMIT = 1 << 24
"""How far detection looks for the first non-ASCII text before taking the file as UTF-8."""
_ENCODINGS = {
    "utf-8": UTF8,
    "utf-8-sig": UTF8,
    "big5": BIG5,
    "cp950": BIG5,
    "big5hkscs": BIG5,
    "utf-16": UTF16,
    "utf-16-le": "utf-16-le",
    "utf-16-be": "utf-16-be",
}
"""Encodings ``--encoding`` accepts (by Python's name for them) and the codec read with."""


def codec_name(encoding: str) -> str:
    """The codec for an ``--encoding`` value (``big5``, ``UTF8``, ``utf-16le`` …)."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        name = ""
    if name not in _ENCODINGS:
        raise IngestError(
            f"cannot read text in the encoding {encoding!r}; use auto, utf-8, big5 or utf-16"
        )
    return _ENCODINGS[name]


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 (with BOM) or Big5 (``cp950``).

    Judged from the first text that is not ASCII (ASCII reads the same in UTF-8 and Big5), so a
    long ASCII header does not hide the Big5 after it; a file that is ASCII for its first
    16 MiB is taken as UTF-8 (a Big5 byte further on is then refused with its line).
    """
    with path.open("rb") as handle:
        head = handle.read(_SAMPLE)
        if head.startswith(codecs.BOM_UTF8):
            return UTF8
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return UTF16
        if len(head) >= 4 and head.count(0) * 4 >= len(head):
            raise IngestError(
                f"{path.name}: the text looks like UTF-16 without a byte-order mark; "
                "ingest it with --encoding utf-16-le (or utf-16-be)"
            )
        sample, scanned = head, len(head)
        while sample.isascii():
            if not sample or scanned >= _SCAN_LIMIT:
                return UTF8
            sample = handle.read(_SAMPLE)
            scanned += len(sample)
        sample += handle.read(_SAMPLE)  # it starts at a character: all before it was ASCII
    for candidate in (UTF8, BIG5):
        try:
            codecs.getincrementaldecoder(candidate)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        return candidate
    raise IngestError(f"{path.name}: the text is neither UTF-8 nor Big5; save it as UTF-8")


def transcode_to_utf8(path: Path, target: Path, encoding: str) -> Path:
    """Copy ``path`` to ``target`` as UTF-8, chunk by chunk; a bad byte names its line."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    lines_before = 0
    with path.open("rb") as source, target.open("w", encoding="utf-8", newline="") as out:
        try:
            while chunk := source.read(_CHUNK):
                flag = decoder.getstate()[1]
                text = decoder.decode(chunk)
                lines_before += text.count("\n")
                out.write(text)
            flag = decoder.getstate()[1]
            out.write(decoder.decode(b"", final=True))
        except UnicodeDecodeError as error:
            line = lines_before + _lines_in(error, encoding, flag) + 1
            raise IngestError(
                f"{path.name}: line {line}: bytes that are not {_shown(encoding)} "
                f"({error.object[error.start : error.end][:8].hex(' ')})"
            ) from None
        except UnicodeError:  # Python's UTF-16 codec: no byte-order mark to tell the order
            raise IngestError(
                f"{path.name}: the file does not start with a UTF-16 byte-order mark; "
                "ingest it with --encoding utf-16-le or utf-16-be"
            ) from None
    return target


def _lines_in(error: UnicodeDecodeError, encoding: str, flag: int) -> int:
    """Line breaks in the text decoded before the bad bytes (the decoder's pending bytes and
    the chunk, as the error holds them)."""
    before = error.object[: error.start]
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    try:
        decoder.setstate((b"", flag))
        return decoder.decode(before).count("\n")
    except UnicodeError:  # UTF-16 whose byte order was never told: count the bytes
        return before.count(b"\n")


def _shown(encoding: str) -> str:
    return "Big5" if encoding == BIG5 else encoding.upper().replace("UTF-16-", "UTF-16")


HEADER_LIMIT = 1 << 20
"""The longest first line taken as a header (bytes); no contract's header comes near it."""


def first_line(readable: Path, name: str) -> str:
    """The first line of a UTF-8 file (its header), without BOM or line end.

    Read as bytes and decoded strictly, at most :data:`HEADER_LIMIT` bytes of it.
    """
    with readable.open("rb") as handle:
        head = handle.read(HEADER_LIMIT + 1)
    ends = [index for index in (head.find(b"\n"), head.find(b"\r")) if index >= 0]
    end = min(ends, default=len(head))
    if end > HEADER_LIMIT:
        raise IngestError(
            f"{name}: line 1 is over {HEADER_LIMIT:,} bytes long; the first line must be the header"
        )
    try:
        return head[:end].decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise IngestError(
            f"{name}: line 1: bytes that are not UTF-8 "
            f"({error.object[error.start : error.end].hex(' ')}); "
            "if the file is Big5, ingest it with --encoding big5"
        ) from None


LINE_ENDS = {b"\r\n": "CRLF", b"\n": "LF", b"\r": "CR"}


def stray_line_end(path: Path) -> tuple[int, str, str] | None:
    """The first line that ends differently from line 1: (its number, its end, line 1's end).

    DuckDB refuses a file that mixes line ends (or holds a lone CR) without saying where; this
    finds the place, reading the file once in chunks. None if every line ends alike.
    """
    kind: bytes | None = None
    lines_before, carried = 0, b""
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            chunk, carried = carried + chunk, b""
            if chunk.endswith(b"\r"):  # it may be half of a CRLF
                chunk, carried = chunk[:-1], b"\r"
            kind = kind or _first_end(chunk)
            if kind is None:
                continue
            stray = _first_stray(chunk, kind)
            if stray is not None:
                end = (
                    chunk[stray : stray + 2]
                    if chunk.startswith(b"\r\n", stray)
                    else chunk[stray : stray + 1]
                )
                return (
                    lines_before + chunk.count(kind, 0, stray) + 1,
                    LINE_ENDS[end],
                    LINE_ENDS[kind],
                )
            lines_before += chunk.count(kind)
    if carried and kind not in (None, b"\r"):
        return lines_before + 1, "CR", LINE_ENDS[kind or b"\r"]
    return None


def _first_end(chunk: bytes) -> bytes | None:
    """The first line end in ``chunk`` (CRLF, LF or CR), if any."""
    positions = [index for index in (chunk.find(b"\n"), chunk.find(b"\r")) if index >= 0]
    if not positions:
        return None
    first = min(positions)
    return b"\r\n" if chunk.startswith(b"\r\n", first) else chunk[first : first + 1]


def _first_stray(chunk: bytes, kind: bytes) -> int | None:
    """Where the first line end other than ``kind`` starts in ``chunk``."""
    if kind == b"\r\n":
        chunk = chunk.replace(b"\r\n", b"\0\0")  # same length: positions stay
        positions = [chunk.find(b"\r"), chunk.find(b"\n")]
    else:
        positions = [chunk.find(b"\n" if kind == b"\r" else b"\r")]
        if kind == b"\r" and positions[0] > 0 and chunk[positions[0] - 1] == 13:
            positions[0] -= 1  # a CRLF in a CR file starts at its CR
    found = [index for index in positions if index >= 0]
    return min(found) if found else None
