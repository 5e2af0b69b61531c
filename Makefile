# Intake Kiosk. `make run` starts the kiosk, `make test` runs every test,
# `make dist` builds the Linux and Windows packages into dist/;
# each installs the system packages it needs first.
GO ?= go
export CGO_ENABLED = 1
# The kiosk shows no emoji: without Fyne's bundled emoji font the binary is
# 4 MB smaller and the window holds about 7 MB less (measured under --soak).
export GOFLAGS += -tags=no_emoji
# The benchmark tooling (the soak, a bare window, the frame probe) is built
# only into bin/kiosk-bench, with this tag besides no_emoji (a -tags on the
# command line replaces the one in GOFLAGS); bin/kiosk carries none of it.
BENCH_TAGS = -tags=no_emoji,kioskbench

# Fyne's GL driver (GLFW 3.4 with X11 and Wayland) and go-sqlite3 build with cgo.
BUILD_DEPS = gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
	libxinerama-dev libxi-dev libxxf86vm-dev libwayland-dev libxkbcommon-dev
# Reading aloud (optional at run time: without it the Listen button is
# hidden; the tests run it into a WAV file).
SPEECH_DEPS = espeak-ng
# What the tests read PDFs with (pdftotext, pdfinfo); the printer tests
# CUPS and cups-pdf queue come from scripts/cups-test-printer.sh. The
# clinic network's tests start a PostgreSQL server of their own
# (internal/pgtest) from Debian's postgresql package.
TEST_DEPS = poppler-utils postgresql
# Looking at screens and PDFs: a virtual X display, taps, screenshots, PDF tools.
LOOK_DEPS = xvfb xauth xdotool imagemagick poppler-utils
# Packaging: the Windows cross compiler (mingw-w64), dpkg-deb and dpkg-shlibdeps,
# xz for fyne's tarball, file to check the .exe files.
DIST_DEPS = gcc-mingw-w64-x86-64 dpkg-dev xz-utils file

.PHONY: all deps webdeps build run demo test webtest soak bench look dist clean

all: build

deps:
	@scripts/deps.sh $(BUILD_DEPS)

# The fhir package's browser and validator tests: Debian's chromium, Node.js
# and the npm packages of fhir/webtest (scripts/webdeps.sh).
webdeps:
	@scripts/webdeps.sh

build: deps
	$(GO) build -o bin/kiosk ./cmd/kiosk
	$(GO) build -o bin/kioskctl ./cmd/kioskctl

run: build
	@scripts/deps.sh $(SPEECH_DEPS)
	./bin/kiosk $(ARGS)

demo: build
	./bin/kiosk --demo $(ARGS)

# A test that lacks a tool skips on a developer's machine and fails when CI
# is set (.ci/run sets it). As root (or with passwordless sudo) the CUPS
# test queue is set up here; KIOSK_TEST_PRINTER set beforehand wins.
test: deps webdeps
	@scripts/deps.sh $(SPEECH_DEPS) $(TEST_DEPS)
	$(GO) vet ./...
	$(GO) vet $(BENCH_TAGS) ./ui/... ./cmd/kiosk
	KIOSK_TEST_PRINTER="$${KIOSK_TEST_PRINTER:-$$(scripts/cups-test-printer.sh)}" $(GO) test -count=1 ./...
	$(GO) test -count=1 $(BENCH_TAGS) ./ui/... ./cmd/kiosk

# Only the FHIR output against third parties: an exported PHQ-9 response in
# NLM's LHC-Forms in headless chromium, and every resource of an export
# through medplum's validator (make test runs them too).
webtest: deps webdeps
	$(GO) test -count=1 -run '^(TestLHCForms|TestValidateExport)$$' -v ./fhir

# The crash loop of make test (cmd/kioskctl TestCrashLoop: kioskctl
# purges, imports, exports and backups killed with SIGKILL at random, each
# followed by verify and SQLite's integrity check) with 300 kills;
# CRASH_SEED=N replays a failing run, CRASH_OPS=all adds the ops left out.
soak: deps
	CRASH_KILLS=$${CRASH_KILLS:-300} $(GO) test -count=1 -timeout 60m -run '^TestCrashLoop$$' -v ./cmd/kioskctl

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem ./...
	@scripts/deps.sh $(LOOK_DEPS)
	scripts/window-bench.sh

look: build
	@scripts/deps.sh $(LOOK_DEPS)
	scripts/screenshots.sh

dist: deps
	@scripts/deps.sh $(DIST_DEPS)
	GO=$(GO) scripts/dist.sh

clean:
	rm -rf bin dist
