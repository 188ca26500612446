# Two commands on a fresh clone: `make lab` (the lab) and `make test` (the test suite).
.PHONY: lab test build deps typecheck depcheck structure bench clean

NPM ?= npm

node_modules/.installed: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund --ignore-scripts
	@touch $@

deps: node_modules/.installed

dist/.built: node_modules/.installed tsconfig.json tsconfig.build.json scripts/compile-catalog.mjs $(shell find src scenarios solutions -type f 2>/dev/null)
	$(NPM) run --silent build
	@touch $@

build: dist/.built

lab: build
	@node bin/crashlab.js $(ARGS)

# src and test/ (tests are code too).
typecheck: deps
	$(NPM) run --silent typecheck

# The layer rules in .dependency-cruiser.cjs (core pure, engine never on adapters, thin clients).
depcheck: deps
	$(NPM) run --silent depcheck

# No exported type name defined twice in src; no function over 150 lines in the game-day,
# CLI, app, port and adapter code (scripts/check-structure.mjs).
structure: deps
	$(NPM) run --silent structure

test: build typecheck depcheck structure
	$(NPM) test

bench: build
	node scripts/bench.mjs

clean:
	rm -rf dist node_modules

-include test/cluster/cluster.mk
-include test/kind/kind.mk
