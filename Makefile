# The README's two commands are `make demo` and `make test`; everything they need is installed here.
VENV ?= .venv
PY := $(VENV)/bin/python
YS := $(VENV)/bin/yardstick
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast lint format typecheck bench system-deps messages clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade 'pip>=25.1'
	$(PY) -m pip install -q -e '.[spark]' --group dev
	touch $(STAMP)

system-deps:
	bash scripts/install-system-deps.sh

# The site's translations (zh-Hant, English), compiled from the committed .po files.
messages: $(STAMP) system-deps
	cd src/yardstick/web && DJANGO_SETTINGS_MODULE=yardstick.web.settings ../../../$(PY) -m django compilemessages -v 0

demo: $(STAMP) system-deps messages
	bash scripts/demo.sh

# The whole suite on SQLite (the default database), then the database tests again on PostgreSQL.
POSTGRES_TEST_URL ?= postgres://postgres@127.0.0.1:5432/yardstick
test: $(STAMP) system-deps messages
	$(PY) -m pytest -n 2 --dist loadfile
	@if [ -n "$$CI" ] || pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then \
	  echo "the database tests again, on PostgreSQL ($(POSTGRES_TEST_URL))"; \
	  DATABASE_URL=$(POSTGRES_TEST_URL) $(PY) -m pytest -n 2 --dist loadfile -m "database and not postgres" -q; \
	else echo "PostgreSQL is not running on 127.0.0.1:5432: the database tests ran on SQLite only"; fi

test-fast: $(STAMP)
	$(PY) -m pytest -n 2 -m "not slow and not postgres and not browser"

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff format src tests benchmarks
	$(VENV)/bin/ruff check --fix src tests benchmarks

bench: $(STAMP)
	$(PY) benchmarks/bench_ingest.py
	$(PY) benchmarks/bench_kpis.py
	$(PY) benchmarks/bench_plan_import.py

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache var
