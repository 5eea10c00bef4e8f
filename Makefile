# vmsim: the two commands.
#   make run    install what is missing, build (Release), run the built-in workload
#   make test   the same set-up, then the whole test suite through ctest
# Also: make build, make lint (RTL, verilator -Wall), make format (clang-format the C++ in place),
#       make format-check and make size-check (what CI runs), make longtest (10M random translations per mode),
#       make trace (the tracing devices, for --trace), make coverage, make clean,
#       make formal (bounded proofs of the RTL's assertions, covers; yosys-smtbmc + z3),
#       make synth (Yosys: cells and flip-flops per TLB configuration),
#       make asan (the suite under ASan + UBSan), make asan-quick (the same on the Release build's
#       devices: what CI runs), make fuzz (libFuzzer targets, FUZZ_SECONDS each),
#       make lab1 ... make lab5 (the course labs' graders on your code: docs/labs/).
BUILD_DIR ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all deps configure build run test longtest lint format format-check size-check trace coverage clean formal synth asan asan-quick fuzz lab1 lab2 lab3 lab4 lab5

all: build

deps:
	@./scripts/install-deps.sh

$(BUILD_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

configure: deps $(BUILD_DIR)/CMakeCache.txt

build: configure
	cmake --build $(BUILD_DIR) -j$(JOBS)

run: build
	./$(BUILD_DIR)/vmsim run

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS)

# FORMAL_FLAGS, e.g. --depth 20 --xlen 64; see scripts/formal.py --help.
formal: deps
	python3 scripts/formal.py $(FORMAL_FLAGS)

# SYNTH_FLAGS, e.g. --config 64:64; see scripts/synth.py --help.
synth: deps
	python3 scripts/synth.py $(SYNTH_FLAGS)

lint: deps
	verilator --lint-only -Wall --no-timing -Irtl --top-module mmu_top -f rtl/mmu.f
	verilator --lint-only -Wall --no-timing -Irtl --top-module mmu_top -DVMSIM_ASSERT -f rtl/mmu.f
	verilator --lint-only -Wall --no-timing -Irtl --top-module mmu_top -GXlen=32 -f rtl/mmu.f
	verilator --lint-only -Wall --no-timing -Irtl --top-module mmu_top -GXlen=32 -DVMSIM_ASSERT -f rtl/mmu.f
	@# every TLB geometry and policy, up to 4096 entries, without a warning silenced
	verilator --lint-only -Wall --no-timing -Irtl --top-module mmu_top -GSets=16 -GWays=4 -GPolicy=1 -GSuperEntries=8 -DVMSIM_ASSERT -f rtl/mmu.f
	verilator --lint-only -Wall --no-timing -Irtl --top-module mmu_top -GSets=8 -GWays=1 -GPolicy=2 -GSuperEntries=2 -f rtl/mmu.f
	verilator --lint-only -Wall --no-timing -Irtl --top-module mmu_top -GSets=512 -GWays=8 -GPolicy=3 -GSuperEntries=16 -f rtl/mmu.f
	verilator --lint-only -Wall --no-timing -Irtl --top-module mmu_top -GWays=4096 -f rtl/mmu.f
	@# the hierarchy: split L1s and an L2 of 4096 + 16 entries; RV32 with both
	verilator --lint-only -Wall --no-timing -Irtl --top-module mmu_top -GIWays=8 -GL2Sets=512 -GL2Ways=8 -GL2SuperEntries=16 -GL2Latency=9 -DVMSIM_ASSERT -f rtl/mmu.f
	verilator --lint-only -Wall --no-timing -Irtl --top-module mmu_top -GXlen=32 -GISets=4 -GIWays=2 -GISuperEntries=2 -GL2Ways=32 -GL2Latency=1 -f rtl/mmu.f
	@# page-walk caches at every level (RV32: level 1 only), one of a single entry
	verilator --lint-only -Wall --no-timing -Irtl --top-module mmu_top -GPwc1Entries=32 -GPwc1Policy=1 -GPwc2Entries=4 -GPwc2Policy=2 -GPwc3Entries=2 -GPwc3Policy=3 -GPwc4Entries=1 -DVMSIM_ASSERT -f rtl/mmu.f
	verilator --lint-only -Wall --no-timing -Irtl --top-module mmu_top -GXlen=32 -GPwc1Entries=8 -GPwc2Entries=4 -f rtl/mmu.f
	@# outstanding translations: several walkers and request slots, the most a build may have
	verilator --lint-only -Wall --no-timing -Irtl --top-module mmu_top -GSlots=4 -GWalkers=2 -GL2Ways=8 -GPwc1Entries=4 -DVMSIM_ASSERT -f rtl/mmu.f
	verilator --lint-only -Wall --no-timing -Irtl --top-module mmu_top -GSlots=16 -GWalkers=8 -GIWays=4 -GXlen=32 -f rtl/mmu.f
	verilator --lint-only -Wall --no-timing -Irtl --top-module mmu_top -GSlots=3 -GWalkers=3 -DVMSIM_ASSERT -f rtl/mmu.f

# The C++ sources git knows about (new files count once they are added).
# abort_on_error: a report ends the process with a signal, which no test mistakes for a pass.
ASAN_OPTIONS_VMSIM = abort_on_error=1:detect_stack_use_after_return=0:check_initialization_order=1

CXX_SOURCES = $(shell git ls-files '*.cpp' '*.h' 2>/dev/null)

format: deps
	clang-format -i $(CXX_SOURCES)

format-check: deps
	@clang-format --dry-run --Werror $(CXX_SOURCES) && echo "format-check: $(words $(CXX_SOURCES)) files formatted as .clang-format says"

# No C++ file in sw/, model/ or testbench/ over 400 lines, no function over 60.
size-check: deps
	@python3 scripts/check_sizes.py

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer, in a
# build of its own. Any sanitizer report fails the test that caused it.
ASAN_DIR ?= build-asan
asan: deps
	cmake -S . -B $(ASAN_DIR) -DCMAKE_BUILD_TYPE=Release -DVMSIM_SANITIZE=ON
	cmake --build $(ASAN_DIR) -j$(JOBS)
	cd $(ASAN_DIR) && ASAN_OPTIONS=$(ASAN_OPTIONS_VMSIM) UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp:print_suppressions=0 \
	  ctest --output-on-failure -j$(JOBS)

# Each fuzz target (tests/fuzz/) under libFuzzer + ASan + UBSan, built with
# clang in a build of its own, for FUZZ_SECONDS each, JOBS at a time. The
# corpus grows in $(FUZZ_DIR)/corpus/; findings land in $(FUZZ_DIR)/findings/.
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= text_image malloc_trace trace mmu_config sweep_plan malloc_api runtime
fuzz:
	@./scripts/install-deps.sh fuzz
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=Release -DVMSIM_FUZZ=ON
	cmake --build $(FUZZ_DIR) -j$(JOBS) --target fuzz_targets
	python3 scripts/fuzz.py --dir $(FUZZ_DIR) --seconds $(FUZZ_SECONDS) --jobs $(JOBS) $(FUZZ_TARGETS)

# What CI runs: the same suite under ASan + UBSan, but loading the devices
# the Release build made, so only vmsim's own C++ is built a second time
# (make asan builds the Verilated devices sanitized too: slower, and the
# run to make after changing RTL). -O1: half the compile time of -O3, and the
# sanitizers lose nothing. The formal and synthesis tests run Yosys, no C++
# of ours: they are left to the Release run.
ASAN_QUICK_DIR ?= build-asan-quick
asan-quick: build
	cmake -S . -B $(ASAN_QUICK_DIR) -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O1 -DNDEBUG" \
	  -DVMSIM_SANITIZE=ON -DVMSIM_PREBUILT_DEVICES=$(CURDIR)/$(BUILD_DIR)/devices
	cmake --build $(ASAN_QUICK_DIR) -j$(JOBS)
	cd $(ASAN_QUICK_DIR) && VMSIM_CACHE_DIR=$(CURDIR)/$(BUILD_DIR)/config-cache \
	  ASAN_OPTIONS=$(ASAN_OPTIONS_VMSIM) UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp:print_suppressions=0 \
	  ctest --output-on-failure -j$(JOBS) -E "rtl-formal|rtl-synth"

# Course labs (docs/labs/): `make labN` builds your code into lab N's grader
# and prints your score by part; SOLUTION=1 grades the reference solution
# instead (while labs/solutions/ exists).
lab1: build
	./$(BUILD_DIR)/labs/lab1_grader$(if $(SOLUTION),_solution,)

lab2: build
	python3 labs/graders/lab2_grader.py --vmsim $(BUILD_DIR)/vmsim --lab labs/$(if $(SOLUTION),solutions/,)2-tlb-sizing

lab3: build
	./$(BUILD_DIR)/labs/lab3_grader$(if $(SOLUTION),_solution,)

lab5: build
	./$(BUILD_DIR)/labs/lab5_grader$(if $(SOLUTION),_solution,)

lab4: build
	python3 labs/graders/lab4_grader.py --vmsim $(BUILD_DIR)/vmsim --lab labs/$(if $(SOLUTION),solutions/,)4-thrashing

longtest: build
	./$(BUILD_DIR)/tests/test_rtl "[.long]"


coverage: deps
	./scripts/coverage.sh

trace: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release -DVMSIM_TRACE=ON
	cmake --build $(BUILD_DIR) -j$(JOBS)

clean:
	rm -rf $(BUILD_DIR) build-coverage $(ASAN_DIR) $(ASAN_QUICK_DIR) $(FUZZ_DIR)
