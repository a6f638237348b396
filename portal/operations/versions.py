"""What a deployment runs: the portal's version (and revision when the build names it), Django, Python, PostgreSQL."""

from __future__ import annotations

import os
import platform
import tomllib
from functools import cache

import django
from django.conf import settings
from django.db import connections


@cache
def portal_version() -> str:
    """`pyproject.toml`'s version, followed by `+<revision>` when PORTAL_REVISION is set (an image's build does)."""
    with (settings.BASE_DIR / "pyproject.toml").open("rb") as handle:
        version = tomllib.load(handle)["project"]["version"]
    revision = os.environ.get("PORTAL_REVISION", "").strip()
    return f"{version}+{revision}" if revision else version


def postgresql_version(using: str = "default") -> str:
    with connections[using].cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def versions(using: str = "default") -> dict[str, str]:
    return {
        "portal": portal_version(),
        "django": django.get_version(),
        "python": platform.python_version(),
        "postgresql": postgresql_version(using),
    }
