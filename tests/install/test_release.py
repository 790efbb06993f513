"""`make release` makes a tarball a server installs without Node: collectstatic run in the
unpacked release finds the built stylesheet and GOV.UK Frontend's and htmx's files."""

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import coachloop

REPO = Path(__file__).resolve().parents[2]


def test_collectstatic_in_an_unpacked_release_finds_every_front_end_file(tmp_path):
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "release"), "--output", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    archive = tmp_path / f"coachloop-{coachloop.__version__}.tar.gz"
    with tarfile.open(archive) as tar:
        # Python before 3.11.4 (Debian 12 has 3.11.2) has no extraction filters.
        safely = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        tar.extractall(tmp_path / "unpacked", **safely)  # noqa: S202 (the archive just made)
    release = tmp_path / "unpacked" / f"coachloop-{coachloop.__version__}"
    assert (release / "manage.py").is_file()
    assert not (release / "node_modules" / "sass").exists()  # the built files, not the tools

    static = tmp_path / "static"
    environment = {
        **os.environ,
        "COACHLOOP_STATIC_ROOT": str(static),
        "PYTHONPATH": str(release / "src"),  # the release's code, not this checkout's
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=release,
        env=environment,
        check=True,
        capture_output=True,
    )
    for expected in (
        "coachloop/coachloop.css",
        "govuk/govuk-frontend.min.js",
        "govuk/assets/fonts",
        "htmx/htmx.min.js",
        "admin/css/base.css",
    ):
        assert (static / expected).exists(), expected
