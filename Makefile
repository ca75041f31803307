# The README's commands. Each one installs what is missing, configures,
# builds and runs; nothing needs to be done by hand first.
JOBS ?= 2
RELEASE_DIR := build/release
ASAN_DIR := build/asan
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

# The main job: until the scenario runner exists, the New START history check.
# Builds only the executable, so a newcomer waits for what they run.
demo: deps $(RELEASE_DIR)/build.ninja
	cmake --build $(RELEASE_DIR) -j $(JOBS) --target detente
	./$(RELEASE_DIR)/bin/detente history --treaty new-start

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
