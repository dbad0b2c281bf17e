"""
Settings shared by every environment, read from the environment.

With nothing set, the marketplace runs on SQLite with Celery tasks executed
in-process, so a new machine needs nothing but Python. ``DATABASE_URL`` switches
to PostgreSQL; ``REDIS_URL`` switches the cache and the Celery broker to Redis.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F401,F403  (Oscar's OSCAR_* defaults)

from marketplace.order import statuses as order_statuses

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# No default here, on purpose: a key in the source is a key everyone has. The demo
# generates its own under var/ (settings.demo), production and tests set theirs.
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Django's admin serving the back-office site (scoped autocomplete, audit) with
    # each role's home on its index.
    "marketplace.backoffice_home.apps.HomeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.sitemaps",
    "django_countries",
    # Our apps come before Oscar's so our templates, template tags and
    # management commands win.
    "marketplace.channels",
    "marketplace.localisation",
    "marketplace.locator",
    "marketplace.delivery",
    "marketplace.brands",
    "marketplace.memberships",
    "marketplace.stores",
    "marketplace.demo",
    "marketplace.payments",
    "marketplace.messaging",
    "marketplace.exclusives",
    "marketplace.thumbnails",
    "marketplace.pagecache",
    "marketplace.retail",
    "marketplace.aftersales",
    "marketplace.flashsales",
    "marketplace.helpdesk",
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "marketplace.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "marketplace.shipping.apps.ShippingConfig",
    # Oscar's catalogue and search with channel-aware views (no model fork).
    "marketplace.storefront.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "marketplace.partner.apps.PartnerConfig",
    "marketplace.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "marketplace.order.apps.OrderConfig",
    "marketplace.storefront.apps.CustomerConfig",
    "marketplace.storefront.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    # Oscar's dashboard without its sub-apps or URLs: the back office is the Django admin.
    "marketplace.storefront.dashboard.DashboardConfig",
    "widget_tweaks",
    "haystack",
    "treebeard",
    "django_tables2",
    "sorl.thumbnail",
    # Last: its admin module re-registers Oscar's admins once they are all registered.
    "marketplace.backoffice",
]

SITE_ID = 1

MIDDLEWARE = [
    # Reads the shared-cache entries the request needs in one round-trip (requestcache.py).
    "marketplace.requestcache.RequestCacheMiddleware",
    # Pages compressed for shoppers on mobile networks (a home page is ~5 KB, not 25).
    # Outermost, so it compresses what the page cache and its holes put together. BREACH:
    # Django masks the CSRF token anew on every response, and no secret is echoed from input.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Resolves /<cc>/[<lang>/] before anything reverses a URL or renders text.
    "marketplace.channels.middleware.ChannelMiddleware",
    # In the channel's language; before any view can query with a NUL (a 500 on PostgreSQL).
    "marketplace.storefront.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "marketplace.basket.middleware.ChannelBasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
# The URLconf served under /<cc>/ once the channel middleware has taken the prefix off.
STOREFRONT_URLCONF = "marketplace.urls_storefront"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.core.context_processors.metadata",
                "marketplace.channels.context_processors.channel",
            ],
            # Oscar's templates load ``currency_filters``; ours formats for the
            # channel's locale (language + country) and currency precision.
            "libraries": {
                "currency_filters": "marketplace.channels.templatetags.money",
            },
        },
    }
]

# Deliberate: our ``currency_filters`` (in TEMPLATES' libraries) replaces Oscar's.
SILENCED_SYSTEM_CHECKS = ["templates.W003"]

WSGI_APPLICATION = "marketplace.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Keep connections between requests (a new PostgreSQL connection costs more than
# most of our pages); checked before reuse so a restarted database is survived.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL parses and plans a statement anew each time unless the connection prepares it.
# Django's default (client-side binding) cannot prepare: the values are spliced into the SQL
# text. Bound on the server instead, a statement run DATABASE_PREPARE_THRESHOLD times on one
# (kept) connection is prepared there and later runs skip the parse and plan: the accepting
# POST of a flash order cost PostgreSQL 3.8 ms of CPU with the values spliced in and 1.7 ms
# prepared (bench notes in README). Behind a transaction-mode pooler that cannot keep
# prepared statements (PgBouncer before 1.21), set DATABASE_PREPARED_STATEMENTS=0.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
        "DATABASE_PREPARED_STATEMENTS", default=True):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=env.int("DATABASE_PREPARE_THRESHOLD", default=5))
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache with one client per process (marketplace/rediscache.py).
            "BACKEND": "marketplace.rediscache.SharedRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="marketplace"),
        }
    }
else:
    # Without Redis, still one cache for every process of this machine (the demo's gunicorn
    # workers, a shell, an in-process task): a change one of them makes, and the
    # invalidation it does, must show in the others on the next request, which a
    # per-process memory cache cannot promise. Files under var/ need no server.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env("CACHE_DIR", default=str(BASE_DIR / "var" / "cache")),
        }
    }

# Sessions read from the shared cache above, written to it and to the database (a flushed
# cache loses no session); each write one statement (see the module).
SESSION_ENGINE = "marketplace.storefront.sessions"

# Storefront pages cached per channel, language and data version (marketplace/pagecache):
# seconds a page is kept (a change makes it unreachable at once; this only frees space),
# and the max-age / s-maxage of pages with nothing of a shopper's in them.
PAGECACHE_ENABLED = env.bool("PAGECACHE_ENABLED", default=True)
PAGECACHE_TIMEOUT = env.int("PAGECACHE_TIMEOUT", default=15 * 60)
PAGECACHE_MAX_AGE = env.int("PAGECACHE_MAX_AGE", default=0)
PAGECACHE_SHARED_MAX_AGE = env.int("PAGECACHE_SHARED_MAX_AGE", default=5)
# Set per deploy (e.g. the commit) so pages rendered by the previous templates are not served.
PAGECACHE_RELEASE = env("PAGECACHE_RELEASE", default="")

# Celery: Redis as broker when configured, otherwise tasks run in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
# What a shopper is waiting for (a flash sale's e-mail code, queued at priority 0 by
# ``flashsales.tasks.contact_code_queue``) is taken before everything else (order
# confirmations, analytics), which a sale's rush piles up: behind a backlog of
# confirmations a code came a second or more late. On Redis, kombu keeps
# one list per priority step (0, 3, 6, 9) and a worker takes from the lowest first; every
# worker started as the README says consumes them all (no other queue to name).
CELERY_TASK_DEFAULT_PRIORITY = 6
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {}
CELERY_BEAT_SCHEDULE["payments-expire-stale"] = {"task": "payments.expire_stale_payments", "schedule": 60.0, "options": {"expires": 55}}
# Exclusive-listing rules: suspend and restore listings, notify, at each start and end.
CELERY_BEAT_SCHEDULE["exclusives-sync"] = {"task": "exclusives.sync_exclusive_rules", "schedule": 60.0, "options": {"expires": 55}}
# Partner shops' orders not answered in time: cancelled, the shopper told, stock back.
CELERY_BEAT_SCHEDULE["retail-expire-unanswered"] = {"task": "retail.expire_unanswered_orders", "schedule": 60.0, "options": {"expires": 55}}
# Flash sales: expired reservations written down and their units given back (Redis and the
# database path give them back at once anyway; this catches up and tells the pages).
CELERY_BEAT_SCHEDULE["flashsales-sweep"] = {"task": "flashsales.sweep_reservations", "schedule": 30.0, "options": {"expires": 25}}
# Flash-sale orders accepted at the peak and not written yet after a minute (a lost task, a
# crashed worker): queued again (``flashsales.accepting``).
CELERY_BEAT_SCHEDULE["flashsales-accepted-orders"] = {"task": "flashsales.retry_accepted_orders", "schedule": 60.0, "options": {"expires": 55}}
# How flash-sale claims are counted: "redis" (one Lua script per claim) when Redis is configured,
# else "database" (conditional UPDATEs). Set FLASHSALES_CLAIMS=database to move claims off a Redis
# that is down (claims stop, fail closed, until then).
FLASHSALES_CLAIMS = env("FLASHSALES_CLAIMS", default="redis" if REDIS_URL else "database")
# A flash-sale basket's order is accepted in one short transaction (its number given, its units
# the order's) and Oscar's order rows are written by a worker (``flashsales.accepting``); off,
# it is placed in the request like any order.
FLASHSALES_ACCEPT_ORDERS = env.bool("FLASHSALES_ACCEPT_ORDERS", default=True)
FLASHSALES_REDIS_TIMEOUT = env.float("FLASHSALES_REDIS_TIMEOUT", default=0.5)
FLASHSALES_REDIS_CONNECTIONS = env.int("FLASHSALES_REDIS_CONNECTIONS", default=32)
# Claims of one sale each web process lets into admission per second; the rest wait (429 + Retry-After, a
# waiting page that retries by itself). 0 switches the gate off.
FLASHSALES_ADMIT_PER_SECOND = env.int("FLASHSALES_ADMIT_PER_SECOND", default=500)
# How long an item's terms are kept in the cache (any change to them deletes the entry).
FLASHSALES_CARD_SECONDS = 300
# The sale and festival pages and the status poll served before Django's middleware, with no
# query (``flashsales.fastpath``); off: Django serves them (from its page cache) as any page.
FLASHSALES_FASTPATH = env.bool("FLASHSALES_FASTPATH", default=True)

AUTHENTICATION_BACKENDS = (
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/"

# Languages the marketplace speaks; each channel offers a subset of them.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("ar", _("Arabic")),
    ("sw", _("Swahili")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date formats where Django's are missing (Swahili) or English-shaped (Arabic).
FORMAT_MODULE_PATH = ["marketplace.localisation.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "marketplace" / "static"]
# Static files are collected (``collectstatic``, part of ``make run`` and of a deploy),
# named by their content's hash and compressed, and WhiteNoise serves them with a
# far-future, immutable max-age. With DEBUG on (``make dev``) they are read from the
# apps' folders instead, unhashed (WhiteNoise's defaults follow DEBUG).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
# Product images are served by Django only when asked to (demo, tests); in
# production a web server or object store serves MEDIA_ROOT.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)

EMAIL_BACKEND = env(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="shop@marketplace.example")
# Where Django's file backend (EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend)
# writes each message: the demo's guests can read their codes there, the flash bench reads them.
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))

# Oscar
OSCAR_SHOP_NAME = "Marketplace"
OSCAR_SHOP_TAGLINE = ""
# "home" is the picker at the root and each channel's home page under /<cc>/.
OSCAR_HOMEPAGE = reverse_lazy("home")
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL
OSCAR_ALLOW_ANON_CHECKOUT = True
# Postcodes are not used for delivery in most of our countries.
OSCAR_REQUIRED_ADDRESS_FIELDS = ("first_name", "last_name", "line1", "line4", "country")
OSCAR_PRODUCTS_PER_PAGE = 20
# Thumbnails are made when an image is saved (marketplace/thumbnails), never in a request:
# Oscar's {% oscar_thumbnail %} gets their addresses without touching a file or a store.
OSCAR_THUMBNAILER = "marketplace.thumbnails.thumbnailer.PregeneratedThumbnailer"
OSCAR_MISSING_IMAGE_URL = "image_not_found.jpg"
# Never used to price anything: every amount carries its channel's currency.
# Oscar reads it in a few places (empty baskets, shipping); our code does not.
OSCAR_DEFAULT_CURRENCY = "XXX"
OSCAR_EAGER_ALERTS = False
# Product reviews are not part of this storefront: no page shows them, no one
# moderates them, and their scores carry no channel. Hiding the feature removes
# Oscar's review URLs and every {% iffeature "reviews" %} link and form.
OSCAR_HIDDEN_FEATURES = ["reviews"]
# Oscar's class loader, except that no basket applies an offer or voucher (no currency yet).
OSCAR_DYNAMIC_CLASS_LOADER = "marketplace.basket.offers.class_loader"
# Statuses and allowed moves: marketplace/order/statuses.py (Oscar's set_status checks them).
OSCAR_INITIAL_ORDER_STATUS = order_statuses.PENDING
OSCAR_ORDER_STATUS_PIPELINE = order_statuses.PIPELINE

# Back office: a listing is "low on stock" when fewer units than this are available
# (in stock minus allocated), unless it sets its own threshold; the admin index
# also lists exclusives starting within this many days.
BACKOFFICE_LOW_STOCK = env.int("BACKOFFICE_LOW_STOCK", default=5)
BACKOFFICE_STARTING_SOON_DAYS = env.int("BACKOFFICE_STARTING_SOON_DAYS", default=7)

# Search is done by the storefront's selectors on the database, per channel;
# haystack stays installed only because Oscar's apps import it.
HAYSTACK_CONNECTIONS = {
    "default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"},
}
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

THUMBNAIL_KVSTORE = "sorl.thumbnail.kvstores.cached_db_kvstore.KVStore"
THUMBNAIL_PRESERVE_FORMAT = True

# Payments (marketplace/payments/providers/base.py): seconds an online payment may stay
# pending before its order is cancelled; providers by code with their secrets.
PAYMENT_TIMEOUT = env.int("PAYMENT_TIMEOUT_SECONDS", default=15 * 60)
# The sandbox's secret has no default either (an empty one refuses every callback):
# the demo generates one, production requires one when the sandbox is on.
PAYMENT_PROVIDERS = {"sandbox": {"CLASS": "marketplace.payments.providers.sandbox.SandboxProvider", "SECRET": env("PAYMENT_SANDBOX_SECRET", default="")}}

# Text messages and WhatsApp (marketplace/messaging/providers/base.py): providers by code
# with their secrets, and which one sends each medium (MESSAGING_SMS_PROVIDER=africastalking…).
# The sandbox's secret has no default (an empty one refuses every inbound callback).
MESSAGING_PROVIDERS = {"sandbox": {"CLASS": "marketplace.messaging.providers.sandbox.SandboxProvider", "SECRET": env("MESSAGING_SANDBOX_SECRET", default="")}}
MESSAGING_SEND_WITH = {
    "sms": env("MESSAGING_SMS_PROVIDER", default="sandbox"),
    "whatsapp": env("MESSAGING_WHATSAPP_PROVIDER", default="sandbox"),
}
# Seconds an inbound callback's signed timestamp may differ from our clock.
MESSAGING_SIGNATURE_TOLERANCE = env.int("MESSAGING_SIGNATURE_TOLERANCE", default=300)
# Inbound messages from one number taken (answered, turned into orders) per period
# (marketplace/messaging/ratelimit.py); past it one polite reply, then silence.
MESSAGING_REPLY_RATE = env("MESSAGING_REPLY_RATE", default="5/h")

# The country picker remembers the last channel chosen.
CHANNEL_COOKIE_NAME = "marketplace_channel"
CHANNEL_COOKIE_AGE = 365 * 24 * 60 * 60

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Throttling (marketplace/throttling): sign-in lockouts with django-axes, rate limits on
# the shared cache. Kept in one block so the apps, middleware and backend lines stay together.
INSTALLED_APPS += ["axes", "marketplace.throttling"]
# Last, as axes asks: it turns a lockout flagged during the request into its 429 page.
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
# First: refuses a locked-out username + address before any backend checks the password.
AUTHENTICATION_BACKENDS = ("marketplace.throttling.backends.LockoutBackend", *AUTHENTICATION_BACKENDS)
# Failures are rows in the database (either engine), so every web process sees them.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# Username and address together: see marketplace/throttling/lockout.py for why.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "marketplace.throttling.lockout.username"
AXES_CLIENT_IP_CALLABLE = "marketplace.throttling.clients.client_ip"
# Masked in the request data axes keeps with a failure: Oscar's sign-in form prefixes its
# fields, and axes only masks "password" itself (a wrong password is often a real one).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "login-username", "login-password", "csrfmiddlewaretoken"]
AXES_LOCKOUT_CALLABLE = "marketplace.throttling.lockout.lockout_response"
# A row per successful sign-in (every shopper, forever) is not needed to lock anyone out.
AXES_DISABLE_ACCESS_LOG = True
# Not in the back office: every admin there is scoped by membership. Unlock from the
# shell: `manage.py axes_reset_username <name>` or `axes_reset_ip <address>`.
AXES_ENABLE_ADMIN = False
# Proxies of ours in front of Django that append to X-Forwarded-For (0: none, the peer
# is the client). Behind a load balancer this must be set, or every client shares one budget.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
RATELIMIT_CACHE = "default"
# Requests per period and client (address; IPv6 per /64). None switches a limit off.
RATELIMITS = {
    # Signing in: generous for a household or office behind one address.
    "login": "20/5m",
    "admin-login": "20/5m",
    "register": "10/h",
    # Password reset: per address, and per e-mail so nobody can flood an inbox.
    "password-reset": "10/h",
    "password-reset-email": "3/h",
    # Guest order lookup: a shopper needs one or two tries, a guesser thousands.
    "order-lookup": "10/15m",
    # Checking a device's cover by IMEI and order number: the same budget as a lookup.
    "warranty-check": "10/15m",
    # Registering devices: a shop registers a day's sales, a guesser of IMEIs many more.
    "warranty-register": "60/h",
    # Contact form and a request's replies: a conversation, not a flood.
    "help-contact": "20/h",
    # The wait page polls every 2 s (30 a minute) per payment: four open tabs stay under.
    "payment-status": "120/m",
}

# --- Response headers: Content-Security-Policy, Referrer-Policy, Permissions-Policy ---
# The storefront and /admin/ share an origin, so a script injected into one page could act
# in the back office: scripts run only from our own static files, or from an inline
# <script> that carries the response's nonce (no storefront page has one since the theme
# dropped Oscar's jQuery page-load hook; the mechanism stays for a page that needs one).
# No 'unsafe-inline' and no event-handler attributes for scripts. Styles keep
# 'unsafe-inline' because Oscar's templates hide forms with style="display:none"
# (and the admin's change list writes a <style>); CSS cannot run script.
# Outermost after SecurityMiddleware, so every response (errors, redirects) gets them.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("csp.middleware.CSPMiddleware") + 1,
    "django_permissions_policy.PermissionsPolicyMiddleware",
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        # data: for the SVG icons in Bootstrap's CSS.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        # Forms post here only; add a payment provider's hosted page when it takes a POST
        # (browsers also check the redirects that follow a form).
        "form-action": [SELF, *env.list("CSP_FORM_ACTION", default=[])],
    },
}
# Other sites learn that a visitor came from us, never which page (an order, a search).
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Nothing on the marketplace uses these; an injected script or frame cannot either.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media",
        "fullscreen", "geolocation", "gyroscope", "magnetometer", "microphone", "midi",
        "payment", "picture-in-picture", "publickey-credentials-get", "screen-wake-lock",
        "usb", "xr-spatial-tracking",
    )
}
