"""One version, pyproject.toml's, read at run time and shown to the operator."""

import io
import re
import tomllib
from pathlib import Path

from django.core.management import call_command

import coachloop

REPO = Path(__file__).resolve().parents[2]


def pyproject_version():
    with open(REPO / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["project"]["version"]


def test_the_package_version_is_the_one_in_pyproject():
    assert coachloop.__version__ == pyproject_version()


def test_manage_py_about_prints_the_version():
    out = io.StringIO()
    call_command("about", stdout=out)
    assert out.getvalue().startswith(f"Coachloop {pyproject_version()} (Django ")


def release_number(version):
    return tuple(int(part) for part in version.split("."))


def test_the_changelog_has_an_entry_for_the_version():
    """A released version has its own entry; a version in development (`0.2.0.dev0`) is the
    Unreleased section, for a version newer than every one released."""
    changelog = (REPO / "CHANGELOG.md").read_text()
    version = pyproject_version()
    upcoming, dev, _ = version.partition(".dev")
    if not dev:
        assert f"## [{version}]" in changelog
        return
    assert "## [Unreleased]" in changelog
    released = re.findall(r"^## \[(\d+(?:\.\d+)*)\]", changelog, flags=re.MULTILINE)
    assert released, "the changelog names no released version"
    assert all(release_number(upcoming) > release_number(other) for other in released)
