"""What is refused before any row is read: zips that could harm the server, files of the wrong
kind, and text that is not UTF-8 as a whole."""

import io
import zipfile

import pytest

from coachloop.rosters.readers import read_bundle, sources
from tests.rosters.roster_files import oneroster_files, zip_bytes


def only_problem(bundle):
    assert len(bundle.problems) == 1, bundle.problems
    problem = bundle.problems[0]
    assert problem.row is None
    assert bundle.staff == []
    return problem


@pytest.mark.parametrize("bad_path", ["../users.csv", "export/../../etc/passwd", "/etc/passwd"])
def test_a_zip_naming_a_path_outside_itself_is_refused_whole(tmp_path, bad_path):
    files = oneroster_files(teachers=["Ann Baker"])
    files[bad_path] = b"x"
    path = tmp_path / "export.zip"
    path.write_bytes(zip_bytes(files))

    problem = only_problem(read_bundle(path))

    assert problem.file == "export.zip"
    assert "outside" in problem.message


def test_a_zip_of_too_many_files_is_refused_whole(tmp_path):
    files = oneroster_files(teachers=["Ann Baker"])
    files |= {f"extra-{i}.csv": b"a,b\r\n" for i in range(sources.MAX_MEMBERS)}
    path = tmp_path / "export.zip"
    path.write_bytes(zip_bytes(files))

    problem = only_problem(read_bundle(path))

    assert "files" in problem.message


def test_a_mac_zip_with_its_resource_forks_is_read(tmp_path):
    files = oneroster_files(teachers=["Ann Baker"])
    files |= {f"__MACOSX/._{name}": b"\x00\x05" for name in list(files)}
    path = tmp_path / "export.zip"
    path.write_bytes(zip_bytes(files))

    bundle = read_bundle(path)

    assert bundle.problems == []
    assert [r.full_name for r in bundle.staff] == ["Ann Baker"]


def test_a_member_larger_than_the_limit_once_unzipped_is_not_read(tmp_path, monkeypatch):
    files = oneroster_files(teachers=["Ann Baker"], students=200)
    path = tmp_path / "export.zip"
    path.write_bytes(zip_bytes(files))
    assert len(files["users.csv"]) > 10_000 > len(files["orgs.csv"])
    monkeypatch.setattr(sources, "MAX_MEMBER_BYTES", 10_000)

    bundle = read_bundle(path)

    assert [(p.file, p.row, p.column) for p in bundle.problems] == [("users.csv", None, None)]
    assert "larger than" in bundle.problems[0].message
    assert bundle.staff == []


def test_a_zip_that_understates_a_members_size_is_refused_before_anything_reads_it(tmp_path):
    """The checks every upload has (``common.uploads.archives``) read each member through
    without trusting its declared size: one whose content is not the size it declares is
    refused as damaged, and no member of the export is read."""
    data = bytearray(zip_bytes(oneroster_files(teachers=["Ann Baker"], students=50)))
    entry = data.find(b"PK\x01\x02")
    while data[entry + 46 : entry + 46 + len(b"users.csv")] != b"users.csv":
        entry = data.find(b"PK\x01\x02", entry + 1)
    data[entry + 24 : entry + 28] = (100).to_bytes(4, "little")  # its uncompressed size
    path = tmp_path / "export.zip"
    path.write_bytes(bytes(data))

    bundle = read_bundle(path)

    assert [(p.file, p.row) for p in bundle.problems] == [("export.zip", None)]
    assert "is damaged: it could not be opened to be checked" in bundle.problems[0].message
    assert bundle.staff == []


def test_an_excel_97_workbook_is_refused_with_a_way_forward(tmp_path):
    path = tmp_path / "staff.xls"
    path.write_bytes(sources.OLE_MAGIC + b"\x00" * 600)

    problem = only_problem(read_bundle(path))

    assert ".xlsx" in problem.message


def test_a_pdf_is_not_a_roster():
    problem = only_problem(read_bundle(io.BytesIO(b"%PDF-1.7\n..."), file_name="staff.pdf"))

    assert problem.file == "staff.pdf"


def test_a_csv_saved_as_utf16_is_refused_with_a_way_forward():
    data = "Name,Email\r\nZoë,z@example.org\r\n".encode("utf-16")

    problem = only_problem(read_bundle(io.BytesIO(data), file_name="staff.csv"))

    assert "UTF-8" in problem.message


def test_a_file_named_as_a_zip_that_is_not_one_is_refused():
    problem = only_problem(read_bundle(io.BytesIO(b"Name,Email\r\n"), file_name="roster.zip"))

    assert problem.file == "roster.zip"


def test_an_upload_that_cannot_seek_is_read(tmp_path):
    data = zip_bytes(oneroster_files(teachers=["Ann Baker"]))

    class Stream(io.RawIOBase):
        def __init__(self):
            self._data = io.BytesIO(data)

        def readable(self):
            return True

        def seekable(self):
            return False

        def readinto(self, buffer):
            chunk = self._data.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    bundle = read_bundle(Stream(), file_name="export.zip")

    assert [r.full_name for r in bundle.staff] == ["Ann Baker"]


def test_a_path_that_does_not_exist_is_a_problem_not_an_error(tmp_path):
    problem = only_problem(read_bundle(tmp_path / "missing.zip"))

    assert problem.file == "missing.zip"


def test_a_zip_whose_compressed_data_is_damaged_is_a_problem_not_an_error():
    buffer = io.BytesIO()
    users = oneroster_files(teachers=["Ann Baker"])["users.csv"] * 50
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_LZMA) as archive:
        for name, data in oneroster_files(teachers=["Ann Baker"]).items():
            archive.writestr(name, users if name == "users.csv" else data)
    damaged = bytearray(buffer.getvalue())
    start = damaged.find(b"users.csv") + 40
    damaged[start : start + 200] = bytes(200)

    bundle = read_bundle(io.BytesIO(bytes(damaged)), file_name="export.zip")

    assert bundle.problems
    assert bundle.staff == [] or all(record.email for record in bundle.staff)
