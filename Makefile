# The two commands a fresh clone needs (Python >= 3.9, make, and npm with any Node.js; nothing else):
#   make synth   synthesizes the example org (or BASELINE_CONFIG) into cdktf.out/
#   make test    lint, typecheck, jest, then checkov on the synthesized example
# Each installs what it needs: the project's Node.js when the one on PATH is older, node_modules from
# package-lock.json, checkov into .venv; and says so, with why and roughly how long, before it does.
# `make help` (the default goal) lists every target and the environment variables the project reads.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
NODE_STAMP := node_modules/.install-stamp
VENV_STAMP := $(VENV)/.install-stamp

# cdktf's CLI checks for updates over the network unless told not to.
export CHECKPOINT_DISABLE := 1

# The Node.js the project runs and tests on is pinned in .nvmrc (an LTS line: README, "Working on the
# project"). When `node` on PATH is older, bin/ensure-node installs the pinned version from the npm
# registry into .tools/ (once, checked against its recorded sha512; it says so on stderr) and every
# target runs with it first on PATH. Targets that run no Node (help, clean, chromium) skip this.
ifneq ($(filter-out help clean chromium,$(or $(MAKECMDGOALS),$(.DEFAULT_GOAL))),)
PROJECT_NODE_BIN := $(shell bin/ensure-node --verbose)
ifneq ($(.SHELLSTATUS),0)
$(error bin/ensure-node found no supported Node.js (it said why, above))
endif
export PATH := $(if $(PROJECT_NODE_BIN),$(PROJECT_NODE_BIN):)$(PATH)
endif

.PHONY: help synth build bench test jest lint typecheck checkov clean schema chromium evidence investigations-test

help:
	@echo "Targets:"
	@echo "  make synth      synthesize the org config (BASELINE_CONFIG, default baseline.config.yaml) into cdktf.out/,"
	@echo "                  rewriting only the stacks that changed (listed in cdktf.out/changed-stacks.json)"
	@echo "  make test       lint, typecheck, jest, synth the example org and run checkov on it"
	@echo "  make lint       eslint over the tree, no warning allowed"
	@echo "  make typecheck  tsc over the tree"
	@echo "  make jest       the jest tests"
	@echo "  make investigations-test  run the named investigations (docs/investigations.md) in a real Trino 476 over CloudTrail-format"
	@echo "                  log files and check their exact rows (make jest runs them too; Java 24+, ~210 MB from Maven Central once)"
	@echo "  make checkov    synth the example org into a clean .checkov.out/ (never cdktf.out/) and judge it with checkov (installed into .venv)"
	@echo "  make build      compile the synth code to dist/ (make synth does it)"
	@echo "  make bench      time full, incremental and one-stack synth and a vend at 5x3, 100x17 and 1,000x17"
	@echo "                  accounts x Regions (BENCH_SIZES=100x17 to choose; takes a few minutes), then the evidence"
	@echo "                  collector against a simulated org (BENCH_EVIDENCE_SIZES; 1,000x17 takes about half an hour)"
	@echo "  make schema     regenerate baseline.config.schema.json (the config's JSON Schema) from config/schema.ts"
	@echo "  make evidence   collect the organization's audit evidence, read-only, into the binder EVIDENCE_OUT"
	@echo "                  (default evidence-binder; EVIDENCE_ARGS adds options: bin/baseline evidence --help)"
	@echo "  make chromium   install Debian's chromium when missing (the binder tests open it headless; make jest does it)"
	@echo "  make clean      remove .checkov.out/ and dist/ (not cdktf.out/: it holds the local state, cdktf.out/state/, and may hold stacks still to destroy)"
	@echo "  make help       this list"
	@echo ""
	@echo "Environment variables:"
	@echo "  BASELINE_CONFIG         the org config (default baseline.config.yaml); also bin/baseline's default --config"
	@echo "  BASELINE_STACKS         synthesize only these stacks: names or globs, comma-separated (default: every stack)"
	@echo "  BASELINE_SYNTH_WORKERS  synth worker processes (default: one per CPU)"
	@echo "  BASELINE_SYNTH_CACHE    off: rebuild every stack instead of reusing unchanged ones from the last synth (default on)"
	@echo "  BASELINE_DEBUG_TOKENS   1: record where each cdktf token was created, to debug a token error (slower)"
	@echo "  CDKTF_OUTDIR            the synth output folder (default cdktf.out)"
	@echo "  CDKTF_CONTEXT_JSON      cdktf's own setting (context values); a change rebuilds every stack"
	@echo "  SYNTH_HCL_OUTPUT        cdktf's own setting (HCL output); a change rebuilds every stack"
	@echo "  BENCH_SIZES             make bench's org sizes, accounts x Regions, comma-separated (default 5x3,100x17,1000x17)"
	@echo "  BENCH_EVIDENCE_SIZES    make bench's org sizes for the evidence collector (default 5x3,100x17,1000x17)"
	@echo "  BENCH_EVIDENCE_LOG_FILES  log files per hourly CloudTrail digest in that simulated org (default 12)"
	@echo "  BENCH_EVIDENCE_ARGS     more baseline evidence options for an experiment, e.g. --concurrency 32 (default none: the docs' figures)"
	@echo "  BENCH_MEMORY_LOG        1: the evidence bench's process prints its memory every 10 s on stderr (default off)"
	@echo "  EVIDENCE_OUT            make evidence's binder folder (default evidence-binder)"
	@echo "  TRINO_JAVA_HOME         the JDK (24 or later) make investigations-test runs Trino with (default: JAVA_HOME, else /usr/lib/jvm/*25*)"
	@echo "  EVIDENCE_ARGS           more options for make evidence (bin/baseline evidence --help)"
	@echo ""
	@echo "The project's command line (vend, list, remove...): bin/baseline --help"

# Each long step says first what runs, why, and roughly how long and how big
# (__tests__/bin/make-steps.test.ts keeps every one announced).
$(NODE_STAMP): package.json package-lock.json
	@echo "make: installing node_modules from package-lock.json (npm ci: ~1.1 GB, 1-2 min; again only when package.json or the lock changes)"
	npm ci --no-audit --no-fund
	@touch $@

$(VENV_STAMP): requirements-dev.txt
	@echo "make: installing checkov into $(VENV) from requirements-dev.txt (pip: ~500 MB, about a minute; the tests' moto comes with it)"
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --progress-bar off --disable-pip-version-check -r requirements-dev.txt
	@touch $@

# Synth runs compiled JavaScript: it starts faster than tsx, and its stack traces skip source maps.
# The compiler only recompiles files that changed.
build: $(NODE_STAMP)
	@node synth/compile.mjs

synth: build
	node dist/main.js

lint: $(NODE_STAMP)
	@echo "make: linting the tree (eslint, no warning allowed: ~30 s)"
	npx eslint --max-warnings 0 .

typecheck: $(NODE_STAMP)
	@echo "make: typechecking the tree (tsc: ~30 s, silent until it finds an error)"
	npx tsc -p .

# The evidence tests start moto (requirements-dev.txt, in .venv) and render the binder in Chromium.
# Two workers: jest's default on 2 cores is one, which leaves a core idle while a file waits on moto,
# Trino or Chromium (each test file has its own server on a free port and its own output folder).
jest: $(NODE_STAMP) $(VENV_STAMP) chromium
	@echo "make: running the jest tests (several minutes; a summary of the slowest files at the end)"
	npx jest --maxWorkers=2

# Debian's Chromium, when missing: the binder tests open it headless (CI runs as root on Debian;
# elsewhere through sudo).
chromium:
	@command -v chromium >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  echo "make: chromium is missing: installing Debian's chromium with apt-get (~400 MB, 1-2 min; the evidence binder tests render it headless)"; \
	  $$SUDO apt-get update && $$SUDO apt-get install -y --no-install-recommends chromium; }

# checkov judges the example org exactly as `make synth` writes it, from a clean output folder.
# checkov exits 0 when it cannot parse a file (and then judges nothing in it), so a parsing error
# fails here too: every stack must be judged.
# It synthesizes into its own folder, .checkov.out/, never into cdktf.out/: that is the user's org, whose
# folders may hold stacks still to destroy.
CHECKOV_OUT := .checkov.out
checkov: build $(VENV_STAMP)
	rm -rf $(CHECKOV_OUT)
	BASELINE_CONFIG= BASELINE_STACKS= CDKTF_OUTDIR=$(CHECKOV_OUT) node dist/main.js
	set -o pipefail; $(VENV)/bin/checkov --config-file .checkov.yaml -d $(CHECKOV_OUT) 2>&1 | tee $(CHECKOV_OUT)/checkov.log
	@! grep -q 'Parsing errors: [1-9]' $(CHECKOV_OUT)/checkov.log || { echo 'checkov could not parse a stack (see above): it judged nothing in it' >&2; exit 1; }

test: lint typecheck jest checkov

# The investigations' SQL on the engine Athena engine version 3 is built on (__tests__/investigations/trino.ts).
investigations-test: $(NODE_STAMP)
	@echo "make: running the named investigations in Trino 476 (first run downloads ~210 MB from Maven Central into .tools/; ~30 s)"
	npx jest __tests__/investigations

BENCH_SIZES ?= 5x3,100x17,1000x17
BENCH_EVIDENCE_SIZES ?= 5x3,100x17,1000x17
bench: build
	npx tsx bench/run.ts $(BENCH_SIZES)
	@echo "make: benchmarking the evidence collector against a simulated org (no AWS; 5x3 about a minute, 1,000x17 hours)"
	npx tsx bench/evidence.ts $(BENCH_EVIDENCE_SIZES)

# The config's JSON Schema, for editors (see config/json-schema.ts); a jest test fails when it is stale.
schema: $(NODE_STAMP)
	npx tsx config/json-schema.ts

# The audit evidence binder (docs/evidence.md): needs credentials that may assume the read-only role.
EVIDENCE_OUT ?= evidence-binder
evidence: $(NODE_STAMP)
	bin/baseline evidence --out $(EVIDENCE_OUT) $(EVIDENCE_ARGS)

# cdktf.out/ is not removed: it holds the local state (cdktf.out/state/) and may hold stacks of removed
# accounts still to destroy (removed-stacks.json).
clean:
	rm -rf $(CHECKOV_OUT) dist
