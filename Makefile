# The two commands a fresh clone needs (Node.js >= 20, Python >= 3.9 and make; nothing else):
#   make synth   synthesizes the example org (or BASELINE_CONFIG) into cdktf.out/
#   make test    lint, typecheck, jest, then checkov on the synthesized example
# Each installs what it needs: node_modules from package-lock.json, checkov into .venv.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
NODE_STAMP := node_modules/.install-stamp
VENV_STAMP := $(VENV)/.install-stamp

# cdktf's CLI checks for updates over the network unless told not to.
export CHECKPOINT_DISABLE := 1

.PHONY: help synth build bench test jest lint typecheck checkov clean

help:
	@echo "make synth  - synthesize the org config (BASELINE_CONFIG, default baseline.config.yaml) into cdktf.out/,"
	@echo "              rewriting only the stacks that changed (listed in cdktf.out/changed-stacks.json)"
	@echo "make test   - lint, typecheck, jest, synth the example org and run checkov on it"
	@echo "make bench  - time full, incremental and one-stack synth and a vend at 5x3, 100x17 and 1,000x17"
	@echo "              accounts x Regions (BENCH_SIZES=100x17 to choose; takes a few minutes)"
	@echo "make build  - compile the synth code to dist/ (make synth does it)"
	@echo "make clean  - remove cdktf.out/ and dist/"

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

$(VENV_STAMP): requirements-dev.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

# Synth runs compiled JavaScript: it starts faster than tsx, and its stack traces skip source maps.
# The compiler only recompiles files that changed.
build: $(NODE_STAMP)
	@node synth/compile.mjs

synth: build
	node dist/main.js

lint: $(NODE_STAMP)
	npx eslint --max-warnings 0 .

typecheck: $(NODE_STAMP)
	npx tsc -p .

jest: $(NODE_STAMP)
	npx jest

# checkov judges the example org exactly as `make synth` writes it, from a clean output folder.
# checkov exits 0 when it cannot parse a file (and then judges nothing in it), so a parsing error
# fails here too: every stack must be judged.
checkov: build $(VENV_STAMP)
	rm -rf cdktf.out
	BASELINE_CONFIG= BASELINE_STACKS= node dist/main.js
	set -o pipefail; $(VENV)/bin/checkov --config-file .checkov.yaml -d cdktf.out 2>&1 | tee cdktf.out/checkov.log
	@! grep -q 'Parsing errors: [1-9]' cdktf.out/checkov.log || { echo 'checkov could not parse a stack (see above): it judged nothing in it' >&2; exit 1; }

test: lint typecheck jest checkov

BENCH_SIZES ?= 5x3,100x17,1000x17
bench: build
	npx tsx bench/run.ts $(BENCH_SIZES)

clean:
	rm -rf cdktf.out dist
