"""A backup restored into a new database and a new uploads folder is the same, table by table
and file by file; a backup that is not what its manifest says is refused, and nothing is
changed.

``manage.py backup`` runs here, against the test database (committed: this test uses
``transaction=True``); ``manage.py restore`` runs as its own process, pointed at a new
database (a new SQLite file, or a new PostgreSQL database this test creates and drops) and a
new folder, as an operator testing a restore would.
"""

import datetime as dt
import io
import json
import os
import sqlite3
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from coachloop.coaching.services import evidence as evidence_services
from coachloop.coaching.services import learning as learning_services
from coachloop.common.backup import DATABASE_FILES, sha256
from coachloop.common.tenancy import trust_scope
from coachloop.people.queries import viewer_for
from tests.coaching.test_evidence_uploads import pdf_bytes, png_bytes
from tests.common.database_urls import postgres_url

pytestmark = pytest.mark.django_db(transaction=True)

REPO = Path(__file__).resolve().parents[2]


def _pg_params(db, name):
    return {
        "host": db["HOST"] or "localhost",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"],
        "dbname": name,
    }


class Database:
    """A database reached directly (not through Django), to read every table's rows."""

    def __init__(self, *, url, connect):
        self.url, self._connect = url, connect

    def rows(self):
        raw = self._connect()
        try:
            cursor = raw.cursor()
            tables = connection.introspection.table_names()
            found = {}
            for table in tables:
                cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (our own tables)
                found[table] = sorted(cursor.fetchall(), key=repr)
            return found
        finally:
            raw.close()

    def tables(self):
        raw = self._connect()
        try:
            cursor = raw.cursor()
            if connection.vendor == "sqlite":
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            else:
                cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            return [name for (name,) in cursor.fetchall()]
        finally:
            raw.close()


def the_test_database():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return Database(url=None, connect=lambda: sqlite3.connect(db["NAME"], uri=True))
    import psycopg

    return Database(url=None, connect=lambda: psycopg.connect(**_pg_params(db, db["NAME"])))


@pytest.fixture
def new_database(tmp_path):
    """A new, empty database of the same kind, which a restore may fill."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        file = tmp_path / "restored.sqlite3"
        yield Database(url=f"sqlite:///{file}", connect=lambda: sqlite3.connect(file))
        return
    import psycopg

    name = f"coachloop_restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    params = _pg_params(db, name)
    try:
        yield Database(
            url=postgres_url(db, name),
            connect=lambda: psycopg.connect(**params),
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def uploads(world, media):
    """A teacher's goal with three files of evidence, added through the real service."""
    viewer = viewer_for(world.own.teacher)
    with trust_scope(viewer.trust):
        goal = learning_services.goal_create(
            viewer=viewer,
            title="Full sentences",
            pupils="Year 9 set 2",
            evidence_kinds=["pupil_work"],
            review_on=timezone.localdate(),
        )
        for name, content in [
            ("exit tickets.pdf", pdf_bytes()),
            ("board.png", png_bytes()),
            ("answers.txt", "Exit ticket answers – 9X2\n".encode()),
        ]:
            evidence_services.evidence_add(
                viewer=viewer,
                kind="file",
                goal=goal,
                upload=SimpleUploadedFile(name, content, content_type="application/octet-stream"),
            )
    assert len(checksums(media)) == 3
    return media


def checksums(folder):
    folder = Path(folder)
    if not folder.exists():
        return {}
    return {
        path.relative_to(folder).as_posix(): sha256(path)
        for path in folder.rglob("*")
        if path.is_file()
    }


def backed_up(folder):
    call_command("backup", str(folder), stdout=io.StringIO())
    return folder


def restore(backup_folder, database, media_folder, *options):
    env = {**os.environ, "DATABASE_URL": database.url, "COACHLOOP_MEDIA_ROOT": str(media_folder)}
    return subprocess.run(  # noqa: S603
        [sys.executable, str(REPO / "manage.py"), "restore", str(backup_folder), *options],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_restore_into_a_new_database_and_folder_equals_the_original(
    uploads, new_database, tmp_path
):
    folder = backed_up(tmp_path / "backup")
    restored_media = tmp_path / "restored-media"

    done = restore(folder, new_database, restored_media)

    assert done.returncode == 0, done.stderr
    assert "Restored the backup" in done.stdout
    original, restored = the_test_database().rows(), new_database.rows()
    assert original.keys() == restored.keys()
    for table, rows in original.items():
        assert restored[table] == rows, table
    assert original["coaching_evidenceitem"]
    assert checksums(restored_media) == checksums(uploads)


def test_the_manifest_lists_each_file_with_its_size_and_checksum_and_the_migrations(
    uploads, tmp_path
):
    folder = backed_up(tmp_path / "backup")

    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["engine"] == connection.vendor
    assert "coaching.0001_initial" in manifest["migrations"]
    assert manifest["created_at"] and manifest["coachloop_version"]
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == {manifest["database"]} | {f"media/{name}" for name in checksums(uploads)}
    for name, entry in listed.items():
        assert entry["size"] == (folder / name).stat().st_size
        assert entry["sha256"] == sha256(folder / name)


def test_the_backup_folder_and_every_file_in_it_are_for_their_owner_only(uploads, tmp_path):
    for path in uploads.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)  # uploads readable by anyone
    old_umask = os.umask(0o022)
    try:
        folder = backed_up(tmp_path / "nightly" / "backup")
    finally:
        restored_umask = os.umask(old_umask)

    assert restored_umask == 0o022  # the process's own umask is given back
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    inside = list(folder.rglob("*"))
    assert (folder / "manifest.json").is_file()
    assert (folder / DATABASE_FILES[connection.vendor]).is_file()
    assert len([path for path in inside if path.is_file()]) == 5  # database, 3 files, manifest
    for path in inside:
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path


def refused_and_nothing_changed(done, database, media_folder, message):
    assert done.returncode != 0
    assert "Nothing was restored" in done.stderr
    assert message in done.stderr
    assert database.tables() == []
    assert checksums(media_folder) == {}


def test_a_tampered_file_makes_restore_refuse_and_change_nothing(uploads, new_database, tmp_path):
    folder = backed_up(tmp_path / "backup")
    evidence = sorted(folder.glob("media/**/*.txt"))[0]
    content = evidence.read_bytes()
    evidence.write_bytes(content.replace(b"9X2", b"9X3"))  # the same size, not the same file

    done = restore(folder, new_database, tmp_path / "restored-media")

    refused_and_nothing_changed(
        done, new_database, tmp_path / "restored-media", "has changed since the backup"
    )


def test_a_missing_or_an_added_file_makes_restore_refuse(uploads, new_database, tmp_path):
    folder = backed_up(tmp_path / "backup")
    sorted(folder.glob("media/**/*.png"))[0].unlink()
    (folder / "media" / "extra.txt").write_text("not in the backup")

    done = restore(folder, new_database, tmp_path / "restored-media")

    refused_and_nothing_changed(done, new_database, tmp_path / "restored-media", "is missing")
    assert "media/extra.txt is not in the manifest" in done.stderr


def test_a_manifest_naming_a_file_outside_the_backup_is_refused(uploads, new_database, tmp_path):
    folder = backed_up(tmp_path / "backup")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"].append({"path": "../../etc/passwd", "size": 1, "sha256": "0"})
    (folder / "manifest.json").write_text(json.dumps(manifest))

    done = restore(folder, new_database, tmp_path / "restored-media")

    refused_and_nothing_changed(
        done, new_database, tmp_path / "restored-media", "a file outside the backup"
    )


def test_restoring_over_a_database_and_uploads_in_use_is_refused_without_force(uploads, tmp_path):
    folder = backed_up(tmp_path / "backup")
    before = checksums(uploads)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(folder), stdout=io.StringIO())

    assert "the database is not empty" in str(refused.value)
    assert "is not empty (use --force" in str(refused.value)
    assert checksums(uploads) == before


def test_a_folder_that_is_not_a_backup_or_not_empty_is_refused(uploads, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("something")
    with pytest.raises(CommandError, match="is not empty: back up into a new folder"):
        call_command("backup", str(tmp_path / "used"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="manifest.json is missing"):
        call_command("restore", str(tmp_path / "used"), stdout=io.StringIO())


def test_a_dated_backup_goes_into_a_new_folder_named_by_the_time_for_a_nightly_timer(
    uploads, tmp_path
):
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 3, 2, 2, 30)), tick=False):
        call_command("backup", "--dated", str(tmp_path / "nightly"), stdout=io.StringIO())
    (folder,) = (tmp_path / "nightly").iterdir()
    assert folder.name == "2026-03-02T0230"
    assert json.loads((folder / "manifest.json").read_text())["engine"] == connection.vendor


def test_the_health_checks_passing_file_is_not_backed_up(uploads, tmp_path):
    (Path(uploads) / "healthz-0c6f.txt").write_text("a health check's file")
    folder = backed_up(tmp_path / "backup")
    listed = {
        entry["path"] for entry in json.loads((folder / "manifest.json").read_text())["files"]
    }
    assert "media/healthz-0c6f.txt" not in listed
    assert len([name for name in listed if name.startswith("media/")]) == 3


def test_an_upload_deleted_while_the_backup_copies_is_left_out_not_a_failed_backup(tmp_path):
    from coachloop.common.backup import _copy_unless_gone

    destination = tmp_path / "copy.pdf"
    _copy_unless_gone(tmp_path / "deleted meanwhile.pdf", destination)
    assert not destination.exists()
