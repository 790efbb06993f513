"""Backing up and restoring a whole installation: the database, the uploaded files, and a
manifest that says what the backup holds and lets a restore check it first.

A backup is a folder:

- ``database.pgdump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3``
  (SQLite, copied with SQLite's own backup API, safe while the site runs);
- ``media/``: every uploaded file (``MEDIA_ROOT``) as it was;
- ``manifest.json``: the format, Coachloop's version, the database's engine, the migrations
  applied, when it was made, and each file's path, size and SHA-256.

The folder is 0700 and every file in it 0600, whatever the umask and the uploads' own modes.

``restore`` reads the manifest and checks everything before it changes anything: every file
present with its size and checksum, nothing added, the same kind of database, no migration
this code does not know, and an empty database and uploads folder to restore into (unless
``force``). What is not in a backup, above all the secret key, is in docs/operating.md.
"""

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from coachloop.common import health

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup or a restore that cannot go ahead; the message says why, for the operator."""


def coachloop_version():
    try:
        return metadata.version("coachloop")
    except metadata.PackageNotFoundError:
        return "unknown"


def _engine(connection):
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Only PostgreSQL and SQLite can be backed up, not {connection.vendor}.")
    return connection.vendor


def _pg_env(settings_dict):
    """libpq's own variables: nothing about the connection, least of all the password, is
    put on a command line that other users of the server could read."""
    env = {**os.environ}
    for variable, key in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ]:
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    if settings_dict.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = settings_dict["OPTIONS"]["sslmode"]
    return env


def _run(command, settings_dict):
    try:
        done = subprocess.run(  # noqa: S603  # nosec B603
            command, env=_pg_env(settings_dict), capture_output=True, text=True, check=False
        )
    except FileNotFoundError as missing:
        raise BackupError(
            f"{command[0]} was not found: install PostgreSQL's client programs "
            "(the postgresql-client package) of the server's version or newer."
        ) from missing
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _files(folder):
    return sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and path.relative_to(folder).as_posix() != MANIFEST
    )


def _has_anything(folder):
    return folder.exists() and any(folder.iterdir())


def _owner_only(folder):
    """Make ``folder`` and everything in it readable by its owner only (0700 folders, 0600
    files): ``copytree`` copies each uploaded file's own mode, which the umask does not
    change."""
    folder.chmod(0o700)
    for path in folder.rglob("*"):
        if path.is_symlink():
            continue
        path.chmod(0o700 if path.is_dir() else 0o600)


def backup(folder, *, using="default"):
    """Write a backup into ``folder`` (new or empty); returns its manifest. The folder and
    every file in it are readable by the user who made it and no one else: the process's
    umask is 077 while the backup is written (so ``pg_dump``'s file, the SQLite copy and the
    manifest are created 0600 and the folder 0700), and every mode is set again at the end."""
    folder = Path(folder)
    if _has_anything(folder):
        raise BackupError(f"{folder} is not empty: back up into a new folder.")
    connection = connections[using]
    engine = _engine(connection)
    old_umask = os.umask(0o077)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)  # an empty folder made beforehand, with any mode
        manifest = _write_backup(folder, connection, engine)
        _owner_only(folder)
    finally:
        os.umask(old_umask)
    return manifest


# The health check's own file, written and deleted at each ask.
HEALTH_CHECK_FILES = f"{health.FILE_PREFIX}*"


def _copy_unless_gone(source, destination):
    """An upload deleted while the backup runs (a teacher deleting evidence) is left out, not
    a failed backup: the manifest lists what was copied."""
    try:
        return shutil.copy2(source, destination)
    except FileNotFoundError:
        return destination


def _write_backup(folder, connection, engine):
    migrations = sorted(
        f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
    )
    database_file = folder / DATABASE_FILES[engine]
    if engine == "postgresql":
        _run(["pg_dump", "--format=custom", f"--file={database_file}"], connection.settings_dict)
    else:
        connection.ensure_connection()
        copy = sqlite3.connect(database_file)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.is_dir():
        shutil.copytree(
            media_root,
            folder / MEDIA,
            ignore=shutil.ignore_patterns(HEALTH_CHECK_FILES),
            copy_function=_copy_unless_gone,
        )
    else:
        (folder / MEDIA).mkdir()
    manifest = {
        "format": FORMAT,
        "coachloop_version": coachloop_version(),
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "engine": engine,
        "database": DATABASE_FILES[engine],
        "migrations": migrations,
        "files": [
            {"path": name, "size": (folder / name).stat().st_size, "sha256": sha256(folder / name)}
            for name in _files(folder)
        ],
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def read_manifest(folder):
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{path} is missing: this is not a Coachloop backup.")
    try:
        manifest = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"{path} cannot be read: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a manifest of a backup this Coachloop can restore.")
    return manifest


def _safe(name):
    path = PurePosixPath(str(name))
    return not path.is_absolute() and ".." not in path.parts and str(path) != "."


def _file_problems(folder, manifest):
    problems, listed = [], {}
    for entry in manifest.get("files", []):
        name = entry.get("path") if isinstance(entry, dict) else None
        if not name or not _safe(name):
            problems.append(f"the manifest lists a file outside the backup: {name!r}")
            continue
        listed[name] = entry
        path = folder / name
        if not path.is_file():
            problems.append(f"{name} is missing")
        elif path.stat().st_size != entry.get("size"):
            problems.append(f"{name} is not the size the manifest says")
        elif sha256(path) != entry.get("sha256"):
            problems.append(f"{name} has changed since the backup (its checksum differs)")
    problems += [f"{name} is not in the manifest" for name in _files(folder) if name not in listed]
    if manifest.get("database") not in listed:
        problems.append("the manifest names no database file")
    elif PurePosixPath(manifest["database"]).parent != PurePosixPath("."):
        problems.append("the manifest's database file is not at the top of the backup")
    return problems


def known_migrations():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def _database_is_empty(connection):
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def check_restore(folder, *, force=False, using="default", media_root=None):
    """Every reason not to restore ``folder``, as sentences; empty when it may go ahead."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    problems = _file_problems(folder, manifest)
    connection = connections[using]
    if manifest.get("engine") != connection.vendor:
        problems.append(
            f"the backup is of a {manifest.get('engine')} database, but this Coachloop uses "
            f"{connection.vendor}"
        )
    unknown = sorted(set(manifest.get("migrations", [])) - known_migrations())
    if unknown:
        problems.append(
            "the backup was made by a newer Coachloop (migrations unknown here: "
            f"{', '.join(unknown[:5])}{' …' if len(unknown) > 5 else ''}); install that version"
        )
    if not force and connection.vendor in DATABASE_FILES and not _database_is_empty(connection):
        problems.append(
            "the database is not empty: restore into a new, empty database (or use --force "
            "to replace what is in it)"
        )
    media_root = Path(media_root or settings.MEDIA_ROOT)
    if not force and _has_anything(media_root):
        problems.append(
            f"the uploads folder {media_root} is not empty (use --force to replace what is in it)"
        )
    return manifest, problems


def restore(folder, *, force=False, using="default", media_root=None):
    """Restore ``folder`` into the configured database and ``MEDIA_ROOT``, after checking it;
    nothing is changed when a check fails. Returns the manifest."""
    folder = Path(folder)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    manifest, problems = check_restore(folder, force=force, using=using, media_root=media_root)
    if problems:
        raise BackupError(
            "Nothing was restored:\n" + "\n".join(f"- {problem}" for problem in problems)
        )
    connection = connections[using]
    database_file = folder / manifest["database"]
    connection.close()
    if connection.vendor == "postgresql":
        command = ["pg_restore", "--no-owner", "--no-privileges", "--single-transaction"]
        command += ["--exit-on-error", f"--dbname={connection.settings_dict['NAME']}"]
        if force:
            command += ["--clean", "--if-exists"]
        _run([*command, str(database_file)], connection.settings_dict)
    else:
        source = sqlite3.connect(database_file)
        target = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
    _empty(media_root)  # empty already, or to be replaced (--force)
    shutil.copytree(folder / MEDIA, media_root, dirs_exist_ok=True)
    return manifest


def _empty(folder):
    """Remove what is in ``folder``, keeping the folder (it may be a mount point)."""
    if not folder.exists():
        return
    for path in folder.iterdir():
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
