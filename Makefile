# The two commands the README opens with: `make run` and `make test`.
# Everything else here is what they are made of.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
DEMO_PASSWORD ?= marketplace-demo
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run dev test install migrate demo static messages compilemessages lint bench-storefront bench-checkout audit clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) seed_demo --password "$(DEMO_PASSWORD)"

# Static files collected, hashed and compressed, as a deploy does (WhiteNoise serves them).
static: install
	$(MANAGE) collectstatic --noinput --verbosity 0

define banner
	@echo ""
	@echo "  Marketplace running at http://$(HOST):$(PORT)/"
	@echo "  Countries: http://$(HOST):$(PORT)/ng/ /eg/ /ke/ /ci/ /ma/ /gh/"
	@echo "  Admin:     http://$(HOST):$(PORT)/admin/  login: admin / $(DEMO_PASSWORD)"
	@echo "  Shopper:   shopper@example.com / $(DEMO_PASSWORD)"
	@echo ""
endef

# The demo, served the way production serves it: gunicorn, DEBUG off (our own 404 and
# 500 pages), collected static files. Its secrets are made on first run in var/.
run: demo static
	$(banner)
	DEBUG=0 $(BIN)/gunicorn marketplace.wsgi:application --config gunicorn.conf.py --bind $(HOST):$(PORT) --access-logfile -

# Development: Django's runserver with DEBUG on (tracebacks, reloading, unhashed static files).
dev: demo
	$(banner)
	DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

# npm packages of the audit and the accessibility tests (bench/package.json): axe-core,
# lighthouse. Installed by `make test` too, so the axe browser tests never skip in CI.
bench/node_modules/.installed: bench/package.json
	cd bench && npm install --no-audit --no-fund
	touch $@

# In parallel, a process per core (two here: TEST_WORKERS=0 runs in this one), each test
# file in one process (its module fixtures, a browser's server, built once).
TEST_WORKERS ?= 2
test: install bench/node_modules/.installed
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

lint: install
	$(BIN)/ruff check .

# Extract every translatable string into the fr, ar and sw catalogues
# (needs GNU gettext), then compile them.
messages: install
	$(MANAGE) makemessages --locale fr --locale ar --locale sw --ignore ".venv/*" --ignore "var/*" --ignore "test-artifacts/*" --no-obsolete
	$(MAKE) compilemessages

compilemessages: install
	$(MANAGE) compilemessages --ignore ".venv/*"

bench-storefront: install
	$(BIN)/python bench/storefront.py --against-oscar

bench-checkout: install
	$(BIN)/python bench/checkout.py --against-oscar

# Lighthouse (mobile) and axe-core over the storefront's page list, served as production
# serves it; prints each figure beside its goal (bench/audit.py).
audit: demo bench/node_modules/.installed
	$(BIN)/python bench/audit.py

clean:
	rm -rf $(VENV) db.sqlite3 var
