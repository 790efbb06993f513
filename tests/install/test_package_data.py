"""The data Coachloop reads at run time ships inside the package (and so in its wheel and
in a release): nothing reads the development checkout's ../shared folder, which a school's
clone does not have."""

import subprocess
from pathlib import Path

from django.conf import settings

import coachloop
from coachloop.frameworks import loader

PACKAGE = Path(coachloop.__file__).resolve().parent
REPO = PACKAGE.parent.parent


def test_the_ecf_and_the_starter_framework_are_read_from_inside_the_package():
    assert Path(settings.COACHLOOP_ECF_FILE).resolve().is_relative_to(PACKAGE)
    assert Path(settings.COACHLOOP_ECF_FILE).is_file()
    assert loader.STARTER_PATH.resolve().is_relative_to(PACKAGE)
    assert loader.STARTER_PATH.is_file()


def test_the_framework_data_says_where_it_comes_from_and_under_which_licence():
    readme = (PACKAGE / "frameworks" / "data" / "README.md").read_text()
    for name in ("ecf-2019.json", "starter-framework.json"):
        assert (PACKAGE / "frameworks" / "data" / name).is_file()
        assert f"`{name}`" in readme
    assert "Open Government Licence v3.0" in readme


def test_nothing_in_the_code_tests_or_build_reads_the_shared_folder_beside_the_checkout():
    tracked = subprocess.run(
        [
            "git",
            "-C",
            str(REPO),
            "ls-files",
            "src",
            "tests",
            "benchmarks",
            "scripts",
            "Makefile",
            ".ci",
            "manage.py",
            "pyproject.toml",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    this_file = Path(__file__).resolve()
    readers = [
        name
        for name in tracked
        if (REPO / name).resolve() != this_file
        and (REPO / name).suffix not in {".json", ".png", ".woff2"}
        and any(
            needle in (REPO / name).read_text(errors="ignore")
            for needle in ("../shared", "shared/data", '"shared" /', "'shared' /")
        )
    ]
    assert readers == []
