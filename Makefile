# The README's commands. Each one installs what is missing, configures,
# builds and runs; nothing needs to be done by hand first.
JOBS ?= 2
RELEASE_DIR := build/release
ASAN_DIR := build/asan
# Where make demo writes the SYNTHETIC New START history (both parties' logs).
DEMO_DIR := build/demo/new-start
CMAKE_COMMON := -G Ninja -DCMAKE_EXPORT_COMPILE_COMMANDS=ON

.PHONY: all deps release asan demo test bench format format-check clean

all: release

deps:
	@./scripts/install-deps.sh

$(RELEASE_DIR)/build.ninja: | deps
	cmake -S . -B $(RELEASE_DIR) $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=Release

$(ASAN_DIR)/build.ninja: | deps
	cmake -S . -B $(ASAN_DIR) $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=Debug \
	  -DDETENTE_SANITIZE=ON -DDETENTE_WERROR=ON -DDETENTE_BUILD_BENCH=OFF

release: deps $(RELEASE_DIR)/build.ninja
	cmake --build $(RELEASE_DIR) -j $(JOBS)

asan: deps $(ASAN_DIR)/build.ninja
	cmake --build $(ASAN_DIR) -j $(JOBS)

# The main job: the New START history check against the published record;
# then the BCC record as it happened (data/scenarios/new-start-bcc.toml)
# merged into a SYNTHETIC item-level history on both parties' signed logs,
# folded (its aggregates beside the published ones); the Cairo session of
# 2022 refused (no agreed agenda) and postponed, the dialogue paused; and the
# compliance findings (the BCC record is complete from treaty year 12 on,
# docs/scenarios.md); then the first-strike stability index and balance
# measures at the New START-era postures and at a NOTIONAL upload.
# Builds only the executable.
DETENTE := ./$(RELEASE_DIR)/bin/detente
demo: deps $(RELEASE_DIR)/build.ninja
	cmake --build $(RELEASE_DIR) -j $(JOBS) --target detente
	$(DETENTE) history --treaty new-start
	@echo
	rm -rf $(DEMO_DIR)
	$(DETENTE) replay data/scenarios/new-start-bcc.toml --seed 1 --out $(DEMO_DIR)
	@echo
	$(DETENTE) state --dir $(DEMO_DIR) --at 2020-09-01
	@echo
	$(DETENTE) bcc sessions --dir $(DEMO_DIR) --at 2022-12-01
	@echo
	$(DETENTE) bcc agenda --dir $(DEMO_DIR) --session BCC-CAIRO-2022
	@echo
	$(DETENTE) dialogue --dir $(DEMO_DIR)
	@echo
	$(DETENTE) findings --dir $(DEMO_DIR) --until 2026-02-05 --cadence-from 2022-02-05 --out $(DEMO_DIR)/findings
	@echo
	@echo "== Strategic stability at the New START-era postures (US data of 1 Sept 2020; Russia FAS/CRS 2024, partly NOTIONAL)"
	$(DETENTE) stability index --a us-new-start-2020 --b russia-2024
	@echo
	@echo "== ... and at a NOTIONAL post-expiry upload (same launchers, missiles at full loading: data/postures/*-upload-notional.toml)"
	$(DETENTE) stability index --a us-upload-notional --b russia-upload-notional

test: asan
	cd $(ASAN_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600

# Builds the benchmark binaries only (not the tests), then runs them all.
bench: deps $(RELEASE_DIR)/build.ninja
	cmake --build $(RELEASE_DIR) -j $(JOBS) --target benchmarks
	./scripts/run-benchmarks.sh $(RELEASE_DIR)

format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i

format-check:
	git ls-files '*.cc' '*.h' | xargs clang-format --dry-run -Werror

clean:
	rm -rf build
