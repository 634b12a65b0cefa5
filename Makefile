# The two quick-start commands: `make demo` and `make test`. Both work on a fresh Debian machine as
# root: they install what is missing, start the project's private engine and go.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
ENGINE := scripts/engine.sh
HOST = $$($(ENGINE) host)
PYTEST_ARGS ?=

.PHONY: venv engine seed demo test screenshots bench bench-clean engine-stop clean lock dist

# constraints.txt: the exact set of every dependency, test and build tool (`make lock` refreshes it)
$(VENV)/.installed: pyproject.toml constraints.txt scripts/bootstrap.sh
	scripts/bootstrap.sh $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[test,dist]'
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

# the newest releases within pyproject.toml's ranges, pinned
lock: venv
	$(PY) -m pip install -q --disable-pip-version-check 'pip-tools>=7.4,<8'
	$(PY) -m piptools compile -q --upgrade --extra test --extra dist --strip-extras --allow-unsafe \
		--no-emit-index-url --no-emit-find-links -o constraints.txt pyproject.toml

# dist/: the wheel and sdist (twine-checked) and the one-file Linux build (scripts/dist.sh)
dist: venv
	scripts/dist.sh $(PY)

clean: engine-stop
	rm -rf $(VENV) .engine build dist
