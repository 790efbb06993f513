"""Every setting read from the environment is in docs/operating.md's table of settings, so an
operator never has to read settings.py to find one."""

import re
from pathlib import Path

import coachloop

SETTINGS = Path(coachloop.__file__).parent / "settings.py"
OPERATING = Path(coachloop.__file__).parents[2] / "docs" / "operating.md"


def variables_read():
    return set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', SETTINGS.read_text()))


def variables_in_the_table():
    table = [line for line in OPERATING.read_text().splitlines() if line.startswith("| `")]
    return {name for line in table for name in re.findall(r"`([A-Z_]+)`", line.split(" | ")[0])}


def test_the_settings_are_read_as_this_test_expects():
    assert {"COACHLOOP_SECRET_KEY", "DATABASE_URL", "COACHLOOP_SITE_URL"} <= variables_read()


def test_every_setting_read_from_the_environment_is_in_the_operating_table():
    assert variables_read() - variables_in_the_table() == set()
