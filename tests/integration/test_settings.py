"""Settings come from the environment; production settings pass the deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_python(code, **env):
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )


PRINT_SETTINGS = (
    "import django; from django.conf import settings; django.setup();"
    "print(settings.DATABASES['default']['ENGINE']);"
    "print(settings.CACHES['default']['BACKEND']);"
    "print(settings.CELERY_BROKER_URL, settings.CELERY_TASK_ALWAYS_EAGER)"
)


def test_nothing_configured_means_sqlite_locmem_and_in_process_tasks():
    out = run_python(PRINT_SETTINGS, DJANGO_SETTINGS_MODULE="marketplace.settings.base")
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:3] == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "memory:// True",
    ]


def test_database_and_redis_urls_switch_to_postgresql_and_redis():
    out = run_python(
        PRINT_SETTINGS,
        DJANGO_SETTINGS_MODULE="marketplace.settings.base",
        DATABASE_URL="postgres://u@db.internal:5432/shop",
        REDIS_URL="redis://cache.internal:6379/0",
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:3] == [
        "django.db.backends.postgresql",
        "django.core.cache.backends.redis.RedisCache",
        "redis://cache.internal:6379/0 False",
    ]


def test_production_settings_pass_check_deploy():
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "marketplace.settings.production",
            "SECRET_KEY": "k" * 20 + "-production-secret-with-enough-entropy-1234567890",
            "ALLOWED_HOSTS": "shop.example.com",
        },
        capture_output=True, text=True, check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "marketplace.settings.production"
    out = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert out.returncode != 0
    assert "SECRET_KEY" in out.stderr


def test_celery_app_is_configured_from_django_settings(settings):
    from marketplace.celery import app

    assert app.main == "marketplace"
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert app.conf.task_always_eager is True  # the test settings run tasks in-process
