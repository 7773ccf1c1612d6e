# The two commands a new user needs: `make demo` (install + answer a question) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DATA ?= data
QUESTION ?= When did Bolton say the meeting would happen?
export HF_HUB_OFFLINE := 1
export CMAKE_BUILD_PARALLEL_LEVEL := 2

.PHONY: install demo test lint browser clean

$(BIN)/citewire: pyproject.toml scripts/llama-wheel.sh
	@echo "[1/4] virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	@echo "[2/4] torch 2.13.0, CPU build (pinned: anything unpinned pulls gigabytes of CUDA)"
	$(BIN)/pip install -q torch==2.13.0
	@echo "[3/4] llama-cpp-python, portable build (see scripts/llama-wheel.sh)"
	scripts/llama-wheel.sh $(BIN)/pip
	@echo "[4/4] citewire and its dependencies"
	$(BIN)/pip install -q -e '.[test]'
	touch $(BIN)/citewire

install: $(BIN)/citewire

demo: install
	$(BIN)/citewire --data-dir $(DATA) ingest corpus
	$(BIN)/citewire --data-dir $(DATA) ask "$(QUESTION)"

# Chromium for the browser tests (Debian package; Playwright drives it, no browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "chromium not installed: browser tests will be skipped"; }

test: install browser
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check index qa ui tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(DATA) test-artifacts
