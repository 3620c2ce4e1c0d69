# Shortcuts; the README's commands are the reference (python3 dev.py app / test).
PY := .venv/bin/python

.PHONY: bench bench-quick bench-tools test-deploy

bench-tools:
	$(PY) -m pip install --quiet psutil pyinstrument py-spy

# The bench (about 20 minutes on 2 cores; every target of issue 19): prints the tables, writes bench/RESULTS.md
# and bench/RESULTS.json.
bench: bench-tools
	$(PY) -m bench

# A smoke run: fewer rounds, 3 and 5 sessions; prints only.
bench-quick: bench-tools
	$(PY) -m bench --quick --no-write

# The two-replica nginx journey (needs nginx, PostgreSQL and Chromium).
test-deploy:
	$(PY) -m pytest tests/deploy -q
