"""Settings come from the environment; production settings pass the deploy checks."""

import ast
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_nothing_configured_means_sqlite_a_file_cache_and_in_process_tasks(tmp_path):
    out = run_python(PRINT_SETTINGS, DJANGO_SETTINGS_MODULE="marketplace.settings.demo",
                     DEMO_SECRETS_FILE=str(tmp_path / "secrets.json"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:3] == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.filebased.FileBasedCache",
        "memory:// True",
    ]


def test_without_redis_every_process_shares_one_cache(tmp_path):
    """A change (or an invalidation) made by one demo process shows in another: gunicorn
    workers, a shell and in-process tasks are separate processes."""
    env = {"DJANGO_SETTINGS_MODULE": "marketplace.settings.demo",
           "DEMO_SECRETS_FILE": str(tmp_path / "secrets.json"),
           "CACHE_DIR": str(tmp_path / "cache")}
    setup = "import django; django.setup(); from django.core.cache import cache;"
    written = run_python(setup + "cache.set('price-version', 7)", **env)
    assert written.returncode == 0, written.stderr
    read = run_python(setup + "print(cache.get('price-version'))", **env)
    assert read.returncode == 0, read.stderr
    assert read.stdout.strip() == "7"
    deleted = run_python(setup + "cache.delete('price-version')", **env)
    assert deleted.returncode == 0, deleted.stderr
    again = run_python(setup + "print(cache.get('price-version'))", **env)
    assert again.stdout.strip() == "None"


def test_database_and_redis_urls_switch_to_postgresql_and_redis(tmp_path):
    out = run_python(
        PRINT_SETTINGS,
        DJANGO_SETTINGS_MODULE="marketplace.settings.demo",
        DEMO_SECRETS_FILE=str(tmp_path / "secrets.json"),
        DATABASE_URL="postgres://u@db.internal:5432/shop",
        REDIS_URL="redis://cache.internal:6379/0",
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:3] == [
        "django.db.backends.postgresql",
        "marketplace.rediscache.SharedRedisCache",
        "redis://cache.internal:6379/0 False",
    ]


PRINT_DATABASE_OPTIONS = (
    "import django; from django.conf import settings; django.setup();"
    "print(sorted(settings.DATABASES['default'].get('OPTIONS', {}).items()))"
)


@pytest.mark.parametrize(("env", "options"), [
    ({}, "[('prepare_threshold', 5), ('server_side_binding', True)]"),
    ({"DATABASE_PREPARE_THRESHOLD": "2"}, "[('prepare_threshold', 2), ('server_side_binding', True)]"),
    # Behind a transaction-mode pooler that cannot keep a connection's prepared statements.
    ({"DATABASE_PREPARED_STATEMENTS": "0"}, "[]"),
])
def test_postgresql_statements_are_bound_on_the_server_and_prepared_unless_turned_off(tmp_path, env, options):
    out = run_python(PRINT_DATABASE_OPTIONS, DJANGO_SETTINGS_MODULE="marketplace.settings.demo",
                     DEMO_SECRETS_FILE=str(tmp_path / "secrets.json"),
                     DATABASE_URL="postgres://u@db.internal:5432/shop", **env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == options


def test_sqlite_has_no_server_binding_options(tmp_path):
    out = run_python(PRINT_DATABASE_OPTIONS, DJANGO_SETTINGS_MODULE="marketplace.settings.demo",
                     DEMO_SECRETS_FILE=str(tmp_path / "secrets.json"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


# What a production deploy sets (README, "Running for real"); nothing else from this machine.
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "marketplace.settings.production",
    "SECRET_KEY": "k" * 20 + "-production-secret-with-enough-entropy-1234567890",
    "ALLOWED_HOSTS": "shop.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://shop.example.com",
    "DATABASE_URL": "postgres://marketplace@db.internal:5432/marketplace",
    "REDIS_URL": "redis://redis.internal:6379/0",
}
SECRET_NAMES = ("SECRET_KEY", "PAYMENT_SANDBOX_SECRET", "PAYMENT_SANDBOX_ENABLED", "DEBUG",
                "DATABASE_URL", "REDIS_URL", "DEMO_SECRETS_FILE", "DJANGO_ALLOW_ASYNC_UNSAFE")


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in SECRET_NAMES}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
        capture_output=True, text=True, check=False,
    )


@pytest.mark.parametrize("sandbox", [{}, {"PAYMENT_SANDBOX_ENABLED": "1", "PAYMENT_SANDBOX_SECRET": "s" * 40}],
                         ids=["without-sandbox", "with-sandbox"])
def test_production_settings_pass_check_deploy(sandbox):
    out = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV, **sandbox)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    out = manage("check", **env)
    assert out.returncode != 0
    assert "SECRET_KEY" in out.stderr


@pytest.mark.parametrize("secret", [None, "", "sandbox-development-secret"], ids=["unset", "empty", "short"])
def test_production_refuses_to_start_without_a_real_provider_secret(secret):
    env = {**PRODUCTION_ENV, "PAYMENT_SANDBOX_ENABLED": "1"}
    if secret is not None:
        env["PAYMENT_SANDBOX_SECRET"] = secret
    out = manage("check", **env)
    assert out.returncode != 0
    assert ("Set the PAYMENT_SANDBOX_SECRET environment variable" in out.stderr
            or "PAYMENT_PROVIDERS['sandbox']['SECRET'] must be set" in out.stderr), out.stderr


PRINT_DEMO_SECRETS = (
    "import django; from django.conf import settings; django.setup();"
    "print(settings.SECRET_KEY); print(settings.PAYMENT_PROVIDERS['sandbox']['SECRET']);"
    "print(settings.DEBUG)"
)


def demo_settings(secrets_file, code=PRINT_DEMO_SECRETS):
    environment = {k: v for k, v in os.environ.items() if k not in SECRET_NAMES}
    environment.update(DJANGO_SETTINGS_MODULE="marketplace.settings.demo", DEMO_SECRETS_FILE=str(secrets_file))
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment,
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def source_string_literals() -> set[str]:
    """Every string constant in the project's Python source (a secret there is public)."""
    literals = set()
    for path in (ROOT / "marketplace").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
    return literals


def test_the_demo_makes_its_own_secrets_once_readable_by_its_owner_only(tmp_path):
    secrets_file = tmp_path / "var" / "secrets.json"

    first = demo_settings(secrets_file)
    again = demo_settings(secrets_file)
    elsewhere = demo_settings(tmp_path / "other" / "secrets.json")

    secret_key, sandbox_secret, debug = first
    assert again == first  # reused: sessions and signed cookies survive a restart
    assert elsewhere[:2] != first[:2]  # generated, not taken from anywhere
    assert len(secret_key) >= 50 and len(sandbox_secret) >= 32 and secret_key != sandbox_secret
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    stored = json.loads(secrets_file.read_text())
    messaging_secret = stored.pop("MESSAGING_SANDBOX_SECRET")  # the messaging sandbox's own key
    assert stored == {"SECRET_KEY": secret_key, "PAYMENT_SANDBOX_SECRET": sandbox_secret}
    assert len(messaging_secret) >= 32 and messaging_secret not in (secret_key, sandbox_secret)
    assert not {secret_key, sandbox_secret} & source_string_literals()
    assert debug == "False"  # the demo is served with DEBUG off (make dev turns it on)


def test_the_demo_closes_a_secrets_file_others_can_read(tmp_path):
    secrets_file = tmp_path / "secrets.json"
    first = demo_settings(secrets_file)
    secrets_file.chmod(0o644)

    assert demo_settings(secrets_file) == first
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600


# What anyone can read in the project's history: the secrets the demo used to ship with.
SOURCE_SECRET_KEY = "insecure-development-key-change-me"
SOURCE_SANDBOX_SECRET = "sandbox-development-secret"

FORGE = f"""
import django, json
django.setup()
from django.core.signing import BadSignature, Signer
from marketplace.payments.exceptions import InvalidSignature
from marketplace.payments.providers import get_provider
from marketplace.payments.providers.base import sign

def refused(check):
    try:
        check()
    except (BadSignature, InvalidSignature):
        return "refused"
    return "accepted"

# Oscar's open-basket cookie is Signer().sign(basket_id) (BasketMiddleware).
forged_cookie = Signer(key={SOURCE_SECRET_KEY!r}).sign("42")
own_cookie = Signer().sign("42")
print(refused(lambda: Signer().unsign(forged_cookie)), refused(lambda: Signer().unsign(own_cookie)))

sandbox = get_provider("sandbox")
body = json.dumps({{"event_id": "e1", "reference": "r1", "status": "succeeded",
                   "amount": "10.00", "currency": "NGN"}}).encode()
forged = {{"X-Sandbox-Signature": sign({SOURCE_SANDBOX_SECRET!r}.encode(), body)}}
own_body, own = sandbox.signed(json.loads(body))
print(refused(lambda: sandbox.verify_and_parse(body, forged)), refused(lambda: sandbox.verify_and_parse(own_body, own)))
"""


def test_the_demo_refuses_a_cookie_or_callback_signed_with_a_secret_from_the_source(tmp_path):
    cookie, callback = demo_settings(tmp_path / "secrets.json", FORGE)

    assert cookie == "refused accepted"
    assert callback == "refused accepted"


def test_celery_app_is_configured_from_django_settings(settings):
    from marketplace.celery import app

    assert app.main == "marketplace"
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert app.conf.task_always_eager is True  # the test settings run tasks in-process


def make_dry_run(target):
    out = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_make_run_serves_the_demo_as_production_does_and_make_dev_debugs():
    run = make_dry_run("run")
    assert "collectstatic" in run
    assert "DEBUG=0" in run and "DEBUG=1" not in run
    assert "gunicorn marketplace.wsgi:application" in run and "runserver" not in run
    assert "--config gunicorn.conf.py" in run  # its workers (gunicorn.conf.py), as the benches serve

    dev = make_dry_run("dev")
    assert "DEBUG=1" in dev and "runserver" in dev


def test_a_gunicorn_worker_freezes_the_loaded_site_out_of_the_collector_and_collects_less_often():
    code = (
        "import gc, runpy; config = runpy.run_path('gunicorn.conf.py');"
        "before = gc.get_threshold(); config['post_worker_init'](None);"
        "print(before[0], gc.get_threshold(), gc.get_freeze_count() > 1000)"
    )
    out = run_python(code)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split(maxsplit=1) == ["700", "(20000, 10, 10) True\n"]


def test_the_file_mail_backend_writes_where_the_environment_says(tmp_path):
    """The demo (or the flash bench) can keep its e-mails as files: a guest's code is read there."""
    mail_dir = tmp_path / "mail"
    out = run_python(
        "import django; django.setup(); from django.core.mail import send_mail;"
        "send_mail('Code', 'Your flash-sale order code: 123456', None, ['ada@example.com'])",
        DJANGO_SETTINGS_MODULE="marketplace.settings.demo", DEMO_SECRETS_FILE=str(tmp_path / "secrets.json"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", EMAIL_FILE_PATH=str(mail_dir),
    )
    assert out.returncode == 0, out.stderr
    written = list(mail_dir.iterdir())
    assert len(written) == 1 and "123456" in written[0].read_text()


def test_a_guests_code_e_mail_is_taken_before_a_backlog_of_other_tasks(settings):
    """On Redis, a worker takes the flash sale's e-mail code (priority 0) before the order
    confirmations queued ahead of it (the default priority): in a sale's rush the code came a
    second or more late behind them, with the shopper waiting on the page."""
    if not settings.REDIS_URL:
        pytest.skip("needs Redis (set REDIS_URL)")
    import uuid

    import redis

    from marketplace.celery import app
    from marketplace.flashsales.tasks import contact_code_queue
    from marketplace.order.tasks import send_order_confirmation

    queue = f"test-priority-{uuid.uuid4().hex}"
    app.conf.task_always_eager = False
    try:
        for order_id in range(3):
            send_order_confirmation.apply_async((order_id, "en"), queue=queue)
        contact_code_queue("ada@example.com", "123456", "en", queue=queue)
        with app.connection_for_read() as connection:
            waiting = connection.SimpleQueue(queue)
            taken = []
            for _ in range(4):
                message = waiting.get(timeout=5)
                taken.append(message.headers["task"])
                message.ack()
            waiting.close()
    finally:
        app.conf.task_always_eager = True
        client = redis.Redis.from_url(settings.REDIS_URL)
        for name in client.scan_iter(match=f"*{queue}*"):
            client.delete(name)

    assert taken == ["flashsales.send_contact_code", *[send_order_confirmation.name] * 3]
