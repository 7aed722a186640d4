"""Settings come from the environment, with safe behaviour when something is missing."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def settings_value(expression: str, **env):
    """Evaluate an expression on the settings module in a fresh process with this environment."""
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    }
    clean |= {"DJANGO_SETTINGS_MODULE": "minutes_site.settings"} | env
    return subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; print({expression})"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = settings_value("settings.DEBUG", DEBUG="0", MINUTES_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_development_runs_with_nothing_set_on_sqlite_in_the_data_folder(tmp_path):
    result = settings_value(
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME']",
        MINUTES_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert "django.db.backends.sqlite3" in result.stdout
    assert str(tmp_path / "db.sqlite3") in result.stdout


def test_database_url_selects_postgresql(tmp_path):
    result = settings_value(
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME']",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/minutes",
        MINUTES_DATA_DIR=str(tmp_path),
    )
    assert "postgresql" in result.stdout and "minutes" in result.stdout


def test_chinese_interface_and_shanghai_time_by_default(tmp_path):
    result = settings_value(
        "settings.LANGUAGE_CODE, settings.TIME_ZONE, settings.USE_TZ",
        MINUTES_DATA_DIR=str(tmp_path),
    )
    assert result.stdout.strip() == "zh-hans Asia/Shanghai True"
