"""Coachloop: open-source instructional coaching and mentoring for teachers."""

from importlib.metadata import PackageNotFoundError, version

try:
    # pyproject.toml's version, as installed (`uv sync` installs the project into .venv).
    __version__ = version("coachloop")
except PackageNotFoundError:  # the source tree on sys.path without being installed
    __version__ = "0+unknown"
