"""Text encodings: detection past a long ASCII start, UTF-16, strict decoding with line numbers,
the header line read as bytes, and where a file's line ends change."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from tests.datasets.conftest import MOJ_DATASETS
from yardstick.datasets import ingest_file, load_dataset_contract
from yardstick.datasets.encodings import (
    BIG5,
    UTF8,
    UTF16,
    codec_name,
    detect_encoding,
    first_line,
    stray_line_end,
    transcode_to_utf8,
)
from yardstick.datasets.errors import IngestError

CONTRACT = load_dataset_contract(MOJ_DATASETS, "enforcement_cases")
HEADER = "case_id,branch,obligation_type,received_on,closed_on,referred_amount,paid_amount,closure"
ROWS = [
    "106年度營所稅執字第00001號,MOJ.AEA.TPE,稅款,2017-01-05,2017-03-01,150000,150000,完全繳清",
    "106年度健保執字第00002號,MOJ.AEA.TPE,健保費,2017-01-06,2017-05-02,180000,120000,部分繳清",
]
TEXT = "\r\n".join([HEADER, *ROWS]) + "\r\n"


def _ingest(path: Path, tmp_path: Path, encoding: str = "auto") -> int:
    result = ingest_file(CONTRACT, path, data_dir=tmp_path / "data", encoding=encoding)
    return result.rows_accepted


def test_a_long_ascii_start_does_not_hide_the_big5_after_it(tmp_path: Path) -> None:
    padding = "\r\n".join(f"AEA-{i},MOJ.AEA.TPE" for i in range(10_000))  # ~200 KiB of ASCII
    path = tmp_path / "late-big5.csv"
    path.write_bytes(("note\r\n" + padding + "\r\n稅款\r\n").encode(BIG5))
    assert detect_encoding(path) == BIG5


def test_a_header_over_64_kib_followed_by_big5_is_a_user_error_not_a_decode_error(
    tmp_path: Path,
) -> None:
    path = tmp_path / "wide.csv"
    path.write_bytes((HEADER + "," + "x" * 70_000 + "\r\n" + ROWS[0] + "\r\n").encode(BIG5))
    with pytest.raises(IngestError, match=r"unexpected column 'x{60}…'"):
        _ingest(path, tmp_path)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_read(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "unicode.txt"
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(codec, b"")
    path.write_bytes(bom + TEXT.replace(",", "\t").encode(codec))
    assert detect_encoding(path) == UTF16
    assert _ingest(path, tmp_path) == 2


def test_utf16_without_a_byte_order_mark_is_read_when_named(tmp_path: Path) -> None:
    path = tmp_path / "unicode.csv"
    path.write_bytes(TEXT.encode("utf-16-le"))
    with pytest.raises(IngestError, match="looks like UTF-16 without a byte-order mark"):
        _ingest(path, tmp_path)
    assert _ingest(path, tmp_path, encoding="utf-16-le") == 2


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-16", "does not start with a UTF-16 byte-order mark"),
        ("big5", r"cases.csv: line 2: bytes that are not Big5 \(e7\)"),
        ("latin-1", "cannot read text in the encoding 'latin-1'; use auto, utf-8, big5 or utf-16"),
        ("rot13", "cannot read text in the encoding 'rot13'"),
        ("base64", "cannot read text in the encoding 'base64'"),
        ("no-such-codec", "cannot read text in the encoding 'no-such-codec'"),
    ],
)
def test_a_forced_encoding_that_does_not_fit_is_a_user_error(
    tmp_path: Path, encoding: str, expected: str
) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(TEXT, encoding="utf-8")
    with pytest.raises(IngestError, match=expected):
        _ingest(path, tmp_path, encoding=encoding)


@pytest.mark.parametrize(
    ("encoding", "data", "line"),
    [
        (BIG5, "a\r\nb\r\n".encode(BIG5) + b"\xff\xff\r\n", 3),
        ("utf-16-le", "a\nb\nc\n".encode("utf-16-le") + b"\x00\xd8" + "x".encode("utf-16-le"), 4),
        (UTF8, b"a\nb\n\xe4\xb8", 3),
    ],
)
def test_a_bad_byte_names_its_line_whatever_the_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoding: str, data: bytes, line: int
) -> None:
    import yardstick.datasets.encodings as encodings

    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    for chunk in (3, 1 << 20):
        monkeypatch.setattr(encodings, "_CHUNK", chunk)
        with pytest.raises(IngestError, match=rf"bad.csv: line {line}: bytes that are not"):
            transcode_to_utf8(path, tmp_path / "out.csv", encoding)


def test_the_codec_names_users_type_are_understood() -> None:
    assert codec_name("BIG5") == codec_name("cp950") == BIG5
    assert codec_name("UTF8") == codec_name("utf-8-sig") == UTF8
    assert codec_name("utf-16le") == "utf-16-le"


def test_the_header_line_is_decoded_strictly_and_bounded(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_bytes(b"\xef\xbb\xbfcase_id,branch\r\nA,B\r\n")
    assert first_line(path, "h.csv") == "case_id,branch"
    path.write_bytes(b"case_id,\xa4\xa4\r\n")
    with pytest.raises(IngestError, match=r"h.csv: line 1: bytes that are not UTF-8 \(a4\)"):
        first_line(path, "h.csv")
    path.write_bytes(b"a" * (2 << 20))
    with pytest.raises(IngestError, match="h.csv: line 1 is over 1,048,576 bytes long"):
        first_line(path, "h.csv")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"a\nb\nc\n", None),
        (b"a\r\nb\r\nc\r\n", None),
        (b"a\rb\rc\r", None),
        (b"a\nb\r\nc\n", (2, "CRLF", "LF")),
        (b"a\r\nb\r\nc\nd\r\n", (3, "LF", "CRLF")),
        (b"a\r\nb\rc\r\n", (2, "CR", "CRLF")),
        (b"a\rb\r\nc\r", (2, "CRLF", "CR")),
        (b"a\nb\nc\r", (3, "CR", "LF")),
        (b"a,b", None),
    ],
)
def test_the_first_line_that_ends_differently_is_found(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    data: bytes,
    expected: tuple[int, str, str] | None,
) -> None:
    import yardstick.datasets.encodings as encodings

    path = tmp_path / "eol.csv"
    path.write_bytes(data)
    for chunk in (1, 2, 3, 1 << 20):  # a CRLF split between chunks is still one line end
        monkeypatch.setattr(encodings, "_CHUNK", chunk)
        assert stray_line_end(path) == expected


def test_a_forced_utf16_file_cut_mid_character_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(b"a,b\rc,d\r" + b"x")  # no byte-order mark and an odd number of bytes
    with pytest.raises(IngestError, match="odd.csv: "):
        transcode_to_utf8(path, tmp_path / "out.csv", UTF16)
