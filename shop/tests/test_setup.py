"""`make run` on a fresh clone: migrate an empty database with system checks on."""

import os
import subprocess
import sys

import pytest
from django.conf import settings


@pytest.mark.slow
def test_migrate_builds_an_empty_sqlite_database_with_checks_on(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}"}
    for command in (["migrate", "--noinput", "-v0"], ["check", "--database", "default"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr[-2000:]
