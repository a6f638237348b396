import pytest


@pytest.fixture(autouse=True)
def _documents_in_tmp(settings, tmp_path):
    # Uploaded files of one test never leak into another's storage.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "documents")},
        },
    }
