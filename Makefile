# Everyday commands. Everything runs in .venv, made with a Python >= 3.12 (scripts/find-python).
#   make run                 demo data + development server on http://127.0.0.1:8000 (PORT=8001 to move it)
#                            and the background worker beside it
#   make test                the test suite on a throwaway PostgreSQL (ARGS="-k import" to pick tests)
#   make lint                ruff check + format check + the layering check (tests/test_layers.py)
#   make messages            refresh and compile the Indonesian translations

VENV   := .venv
PYTHON := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PORT   ?= 8000
ARGS   ?=

.PHONY: install $(VENV) run test lint messages

install $(VENV): $(STAMP)

# A venv whose interpreter is missing, broken or older than 3.12 is made again from scratch.
ifneq ($(shell $(PYTHON) -c 'import sys; print(sys.version_info >= (3, 12))' 2>/dev/null),True)
.PHONY: $(PYTHON)
endif

$(PYTHON):
	@py=$$(bash scripts/find-python) || { echo "make: cannot create $(VENV) without Python >= 3.12" >&2; exit 1; }; \
	echo "Creating $(VENV) with $$py"; \
	rm -rf $(VENV); \
	"$$py" -m venv $(VENV) || { echo "make: '$$py -m venv' failed (on Debian/Ubuntu install the matching pythonX.Y-venv package)" >&2; rm -rf $(VENV); exit 1; }

# pip runs only when requirements.txt changed since the last install (or the venv is new).
$(STAMP): requirements.txt $(PYTHON)
	@echo "Installing requirements.txt into $(VENV)"
	@$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

run: install
	PORT=$(PORT) bash scripts/run.sh

test: install
	bash scripts/test.sh $(ARGS)

# The layering check reads the source only: no database is touched.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PYTHON) -m pytest tests/test_layers.py -q

# compilemessages would otherwise walk into .venv and compile every installed package's catalogues.
messages: install
	$(PYTHON) manage.py makemessages -l id --no-obsolete
	$(PYTHON) manage.py compilemessages --ignore=$(VENV)
