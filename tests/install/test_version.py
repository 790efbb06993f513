"""One version, pyproject.toml's, read at run time and shown to the operator."""

import io
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


def test_the_changelog_has_an_entry_for_the_version():
    changelog = (REPO / "CHANGELOG.md").read_text()
    assert f"## [{pyproject_version()}]" in changelog
