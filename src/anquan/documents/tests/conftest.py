import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Generated .docx files go to a temporary directory, not var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
