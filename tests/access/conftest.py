import pytest


@pytest.fixture(autouse=True)
def _files_in_a_temporary_folder(media):
    """Rows that store evidence files keep them out of the working tree."""
    return media
