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

# The main job: the New START history check against the published record,
# then a SYNTHETIC item-level history on both parties' signed logs, folded
# (its aggregates beside the published ones) and checked for findings.
# Builds only the executable, so a newcomer waits for what they run.
demo: deps $(RELEASE_DIR)/build.ninja
	cmake --build $(RELEASE_DIR) -j $(JOBS) --target detente
	./$(RELEASE_DIR)/bin/detente history --treaty new-start
	@echo
	rm -rf $(DEMO_DIR)
	./$(RELEASE_DIR)/bin/detente synth --treaty new-start --seed 1 --out $(DEMO_DIR)
	@echo
	./$(RELEASE_DIR)/bin/detente state --dir $(DEMO_DIR) --at 2020-09-01
	@echo
	./$(RELEASE_DIR)/bin/detente findings --dir $(DEMO_DIR) --until 2026-02-05 --out $(DEMO_DIR)/findings

test: asan
	cd $(ASAN_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600

bench: release
	./scripts/run-benchmarks.sh $(RELEASE_DIR)

format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i

format-check:
	git ls-files '*.cc' '*.h' | xargs clang-format --dry-run -Werror

clean:
	rm -rf build
