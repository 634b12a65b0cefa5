# The two quick-start commands: `make demo` and `make test`. Both work on a fresh Debian machine as
# root: they install what is missing, start the project's private engine and go.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
ENGINE := scripts/engine.sh
HOST = $$($(ENGINE) host)
PYTEST_ARGS ?=

.PHONY: venv engine seed demo test screenshots bench bench-clean engine-stop clean

$(VENV)/.installed: pyproject.toml scripts/bootstrap.sh
	scripts/bootstrap.sh $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $@

venv: $(VENV)/.installed

engine: venv
	$(ENGINE) start

seed: venv
	$(ENGINE) seed

demo: seed
	DOCKER_HOST=$(HOST) $(VENV)/bin/dockertui

test: seed
	@DOCKER_HOST=$(HOST) $(PY) -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure"; exit 1; fi; exit $$rc

screenshots: seed
	DOCKER_HOST=$(HOST) $(PY) scripts/screenshots.py screenshots

# the bench has its own private engines (.engine-bench-<N>x<M>/), one synthetic host per size
bench: venv
	$(PY) -m bench

bench-clean: venv
	$(PY) -m bench --clean

engine-stop:
	$(ENGINE) stop

clean: engine-stop
	rm -rf $(VENV) .engine
