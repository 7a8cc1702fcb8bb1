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

.PHONY: help synth test jest lint typecheck checkov clean

help:
	@echo "make synth  - synthesize the org config (BASELINE_CONFIG, default baseline.config.yaml) into cdktf.out/"
	@echo "make test   - lint, typecheck, jest, synth the example org and run checkov on it"

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

$(VENV_STAMP): requirements-dev.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

synth: $(NODE_STAMP)
	npx tsx main.ts

lint: $(NODE_STAMP)
	npx eslint --max-warnings 0 .

typecheck: $(NODE_STAMP)
	npx tsc -p .

jest: $(NODE_STAMP)
	npx jest

# checkov judges the example org exactly as `make synth` writes it, from a clean output folder.
checkov: $(NODE_STAMP) $(VENV_STAMP)
	rm -rf cdktf.out
	BASELINE_CONFIG= BASELINE_STACKS= npx tsx main.ts
	$(VENV)/bin/checkov --config-file .checkov.yaml -d cdktf.out

test: lint typecheck jest checkov

clean:
	rm -rf cdktf.out
