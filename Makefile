# Backprop, derived and checked -- the book, its library and its tests.
#
#   make book   set up .venv if needed, build the HTML book (warnings are errors), open it
#   make test   set up .venv if needed, then ruff, the book build (from the notebooks' stored
#               outputs), unit/property/symbolic tests, every notebook under nbval, and the
#               browser tests of the built book (and the live explorer and stepper in a real
#               JupyterLab; `make test-lab` runs those alone)
#   make lab    open the chapters in JupyterLab (live widgets need a kernel)
#   make bench  print the benchmark tables (training, symbolic proofs, explorer, stepper)
#   make clean  remove the built book and caches (make distclean also removes .venv)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HTML   := _build/html

# Notebook kernels ("python3") must run the venv's Python, whatever the caller's PATH.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
# `make test` starts some forty Python processes (pytest workers, notebook kernels, the
# fresh interpreters of the import and hash-seed tests). With PYTHONDONTWRITEBYTECODE set
# each would compile nnlib and rewrite the test modules again; Python's default (bytecode
# in __pycache__/, which git ignores) does that once.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: book html test lint lab bench clean distclean

# Installing nnlib with `pip install -e .` makes setuptools print an "Editable installation"
# note (folders named like the package may shadow it: here that folder is the package).
# It asks nothing of the reader, so that one message is silenced; every other warning shows.
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	PYTHONWARNINGS="ignore:Editable installation" \
		$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

book: html
	@echo "The book is at $(HTML)/index.html"
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ] || [ "$$(uname)" = Darwin ]; then \
		$(BIN)/python -m webbrowser -t "file://$(CURDIR)/$(HTML)/index.html" >/dev/null 2>&1 || true; \
	fi

html: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going

lint: $(STAMP)
	$(BIN)/ruff check .

# make test runs every notebook once, under nbval, so its build renders the notebooks'
# stored outputs instead of running them a second time (BOOK_EXECUTE=off, see
# book/_ext/execution_mode.py; tests/test_stored_outputs.py checks that each notebook is
# stored as one complete run). One pytest worker per core; --dist loadgroup runs each
# notebook, browser module and page as one unit on one worker, in order (tests/conftest.py).
test: $(STAMP) lint
	BOOK_EXECUTE=off $(BIN)/jupyter-book build . -W -n --keep-going
	$(BIN)/python -m pytest -n auto --dist loadgroup --no-loadscope-reorder

.PHONY: test-lab
# The live explorer and stepper in a real JupyterLab, driven in Chromium (also part of `make test`).
test-lab: $(STAMP)
	$(BIN)/python -m pytest tests/test_lab.py

lab: $(STAMP)
	$(BIN)/jupyter lab book/

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_train_step.py --quick
	$(BIN)/python benchmarks/bench_symbolic.py
	$(BIN)/python benchmarks/bench_explorer.py --quick
	$(BIN)/python benchmarks/bench_stepper.py --rounds 1

clean:
	rm -rf _build .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
