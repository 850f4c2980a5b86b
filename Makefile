# schemadiff developer tasks. Tests start their own PostgreSQL from the
# locally installed server binaries (apt-get install postgresql).

GO ?= go
PEER_CASES ?= ../shared/peer-cases
PEER_PARALLEL ?= 4

.PHONY: test test-orm vet fmt lint peer example fuzz bench bench-plan build install

build:
	$(GO) build -o bin/schemadiff ./cmd/schemadiff

# The full test suite (what CI runs), after go vet, gofmt and staticcheck.
# It runs the fuzz targets on their seed corpora; fuzzing itself is
# `make fuzz`.
test: vet fmt lint
	$(GO) test -count=1 -timeout 30m ./...
	$(MAKE) test-orm

# The equivalence tests against the real ORMs (GORM), in their own module
# so that schemadiff's go.mod does not depend on them.
test-orm:
	cd internal/ormtest && $(GO) vet ./... && $(GO) test -count=1 -timeout 5m ./...

FUZZTIME ?= 1m
# Fuzz the schema-file reader and identifier/literal quoting (round trip
# through a real server).
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzReadSQL -fuzztime $(FUZZTIME) ./schema/sqlfile/
	$(GO) test -run '^$$' -fuzz FuzzQuoting -fuzztime $(FUZZTIME) ./schema/

vet:
	$(GO) vet ./...

# staticcheck, at a pinned version fetched through the Go module proxy (and
# checked against the checksum database) by `go run`, so that it stays out
# of go.mod. Its settings are in staticcheck.conf.
STATICCHECK_VERSION ?= v0.8.2
lint:
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# The peer corpus (cases from other tools' test suites), in parallel.
# Known failures are listed in testdata/peer-known-failures.txt.
peer:
	@SCHEMADIFF_PEER_CASES=$(abspath $(PEER_CASES)) $(GO) test -count=1 -timeout 60m \
		-run TestPeerCases -parallel $(PEER_PARALLEL) -v ./internal/convergence/ > peer.log 2>&1; \
		status=$$?; \
		grep -E -- '--- FAIL: TestPeerCases/suite/|known failure|passes now|suite [a-z]+: [0-9]+ passed' peer.log; \
		echo "full log: peer.log"; exit $$status

# Introspection and planning on synthetic schemas of 100 and 1000 tables,
# with ratios against pg_dump --schema-only of the same database.
bench:
	$(GO) test ./internal/bench -run '^$$' -bench . -benchtime 3x -count=1

# The schemadiff binary's plan, cold and warm, on generated schemas of
# BENCH_N tables (comma-separated), with its phases and peak RSS, against
# pg_dump --schema-only and psql in the same run. BENCH_FLAGS may add
# -server URL, -dev-url URL, -bin PATH or -keep DIR.
BENCH_N ?= 100,1000
bench-plan:
	$(GO) run ./internal/bench/cmd -n $(BENCH_N) $(BENCH_FLAGS)

# The quick start: generate a migration from an edited example schema and
# apply it to an embedded PostgreSQL.
example:
	./examples/shop/demo.sh

# Install the schemadiff command into $(go env GOBIN), else $(go env GOPATH)/bin,
# stamped with the commit of this clone (schemadiff version shows it);
# -buildvcs=auto overrides a GOFLAGS=-buildvcs=false.
install:
	$(GO) install -buildvcs=auto ./cmd/schemadiff
