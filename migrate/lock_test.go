package migrate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestConcurrentApply(t *testing.T) {
	url := testDBURL(t)
	ms := threeMigrations()
	// Make the first migration slow so the appliers overlap.
	ms[0].Up = append([]Step{SQL("SELECT pg_sleep(0.3)")}, ms[0].Up...)
	set := newSet(ms...)

	const n = 8
	conns := make([]*pgx.Conn, n)
	for i := range conns {
		conns[i] = connect(t, url)
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		total []string
		errs  []error
	)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			applied, err := NewMigrator(conns[i], set, Options{}).Apply(context.Background(), "")
			mu.Lock()
			defer mu.Unlock()
			total = append(total, versions(applied)...)
			if err != nil {
				errs = append(errs, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("Apply errors: %v", errs)
	}
	slices.Sort(total)
	if !slices.Equal(total, []string{v1, v2, v3}) {
		t.Errorf("applied in total %v, want each once", total)
	}
	if got := historyVersions(t, conns[0]); !slices.Equal(got, []string{v1, v2, v3}) {
		t.Errorf("history = %v", got)
	}
	var tables int
	if err := conns[0].QueryRow(t.Context(), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('users', 'orders')").Scan(&tables); err != nil || tables != 2 {
		t.Errorf("tables = %d, %v", tables, err)
	}
	assertUnlocked(t, conns[0])
}

func TestLockTimeout(t *testing.T) {
	url := testDBURL(t)
	holder := connect(t, url)
	conn := connect(t, url)
	ctx := t.Context()
	var pid int
	if err := holder.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	if _, err := holder.Exec(ctx, "SELECT pg_advisory_lock($1)", lockKey); err != nil {
		t.Fatal(err)
	}

	var logs []string
	m := NewMigrator(conn, newSet(threeMigrations()...), Options{
		LockTimeout: time.Second,
		Logf:        func(f string, a ...any) { logs = append(logs, fmt.Sprintf(f, a...)) },
	})
	began := time.Now()
	applied, err := m.Apply(ctx, "")
	elapsed := time.Since(began)
	var le *LockTimeoutError
	if !errors.As(err, &le) || len(applied) != 0 {
		t.Fatalf("Apply = %v, %v; want a *LockTimeoutError", versions(applied), err)
	}
	want := fmt.Sprintf("timed out after 1s waiting for the migration lock (another schemadiff apply is running? pid %d holds it)", pid)
	if err.Error() != want {
		t.Errorf("error = %q\nwant    %q", err, want)
	}
	if elapsed < time.Second || elapsed > 5*time.Second {
		t.Errorf("waited %s, want about 1s", elapsed)
	}
	if !slices.Equal(logs, []string{fmt.Sprintf("waiting for the migration lock held by pid %d; giving up after 1s", pid)}) {
		t.Errorf("logs = %q, want one waiting line", logs)
	}
	if relExists(t, conn, "schemadiff_migrations") || relExists(t, conn, "users") {
		t.Error("Apply changed the database without the lock")
	}

	// Once the holder lets go, a waiting Apply proceeds.
	released := make(chan error, 1)
	go func() {
		time.Sleep(300 * time.Millisecond)
		_, err := holder.Exec(context.Background(), "SELECT pg_advisory_unlock($1)", lockKey)
		released <- err
	}()
	m.opts.LockTimeout = 10 * time.Second
	applied, err = m.Apply(ctx, "")
	if rerr := <-released; rerr != nil {
		t.Fatalf("releasing the lock: %v", rerr)
	}
	if err != nil || len(applied) != 3 {
		t.Fatalf("Apply after release = %v, %v", versions(applied), err)
	}
}

func TestApplyStopsWaitingWhenCancelled(t *testing.T) {
	url := testDBURL(t)
	holder := connect(t, url)
	conn := connect(t, url)
	if _, err := holder.Exec(t.Context(), "SELECT pg_advisory_lock($1)", lockKey); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
	defer cancel()
	_, err := NewMigrator(conn, newSet(threeMigrations()...), Options{}).Apply(ctx, "")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Apply = %v, want context.DeadlineExceeded", err)
	}
}

func TestLockReleasedWhenContextCancelled(t *testing.T) {
	url := testDBURL(t)
	conn := connect(t, url)
	ctx, cancel := context.WithCancel(t.Context())
	ms := threeMigrations()
	ms[1].Up = append([]Step{Func(func(context.Context, DB) error { cancel(); return nil })}, ms[1].Up...)
	applied, err := NewMigrator(conn, newSet(ms...), Options{}).Apply(ctx, "")
	if !errors.Is(err, context.Canceled) || !slices.Equal(versions(applied), []string{v1}) {
		t.Fatalf("Apply = %v, %v; want %s applied, then context.Canceled", versions(applied), err, v1)
	}
	assertUnlocked(t, connect(t, url))
	if got := historyVersions(t, connect(t, url)); !slices.Equal(got, []string{v1}) {
		t.Errorf("history = %v", got)
	}
}
