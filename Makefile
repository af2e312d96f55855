# The two commands of README.md: `make run` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev assets setup lint security messages bench clean backup restore

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall only when the pinned requirements change.
$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Front-end libraries come from the npm registry (package-lock.json pins them) and are served by
# the app itself from static/vendor/: the app works on a venue's LAN without internet. The PDFs' fonts
# (DejaVu: the Latin Extended letters of Indonesian names) come the same way, into static/vendor/fonts/.
# The devDependencies (axe-core, vnu-jar: the accessibility and HTML checks of the tests) stay in node_modules/,
# read from there by the tests only: nothing of them is copied to static/, so the app never serves them.
static/vendor/.stamp: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed once to fetch Bootstrap and htmx (apt-get install npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor/bootstrap static/vendor/htmx
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map static/vendor/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map static/vendor/bootstrap/
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	mkdir -p static/vendor/jsqr
	cp node_modules/jsqr/dist/jsQR.js static/vendor/jsqr/
	mkdir -p static/vendor/fonts
	cd node_modules/dejavu-fonts-ttf/ttf && cp DejaVuSans.ttf DejaVuSans-Bold.ttf DejaVuSans-Oblique.ttf \
	  DejaVuSans-BoldOblique.ttf DejaVuSansCondensed.ttf DejaVuSansCondensed-Bold.ttf DejaVuSerif.ttf \
	  DejaVuSerif-Bold.ttf DejaVuSerif-Italic.ttf ../../../static/vendor/fonts/
	cp node_modules/dejavu-fonts-ttf/LICENSE static/vendor/fonts/LICENSE-DejaVu
	touch $@

assets: static/vendor/.stamp

setup: install assets
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo

run: setup
	@echo ""
	@echo "  psp-koordinasi is running on http://$(HOST):$(PORT)/  (sign in with a demo login above;"
	@echo "  another port: make run PORT=8080)"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

# pytest exits 5 when it collected no test: that is a failure here, an empty run proves nothing.
test: install-dev assets
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$status

# Benchmarks (bench/, never run by the tests): `make bench B=registration` runs one, `make bench` all five. Each
# makes and drops its own PostgreSQL database and prints `ratio=` last; gunicorn comes with requirements-dev.txt.
BENCHES := registration checkin daftar_hadir roster_import scale
# The PDF benches need the fonts (assets), like the app: a bench starts from a fresh clone with nothing prepared.
bench: install-dev assets
	@for name in $(or $(B),$(BENCHES)); do echo "== bench/$$name.py"; $(PY) bench/$$name.py || exit 1; done

lint: install-dev
	$(PY) -m ruff check .

# Static security scan; fails on a high-severity finding (medium ones are printed).
security: install-dev
	$(PY) -m bandit -q -r core events participants rosters attendance outcomes reports psp_koordinasi -x '*/migrations/*' --severity-level high

messages: install
	$(PY) manage.py makemessages -l id --ignore=.venv --ignore=node_modules --ignore=staticfiles
	$(PY) manage.py compilemessages -l id --ignore=.venv

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles .pytest_cache

# Backups: database + uploaded files in one archive under backups/ (SQLite or PostgreSQL).
backup: install
	$(PY) manage.py backup

restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/psp-koordinasi-….tar.gz"; exit 1; }
	$(PY) manage.py restore "$(FILE)"
