package gostruct_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/internal/pgtest"
	"github.com/schemadiff/schemadiff/schema/gostruct"
	"github.com/schemadiff/schemadiff/schema/sqlfile"
)

// goConnExec runs statements on a connection for sqlfile.Load.
type goConnExec struct{ conn *pgx.Conn }

func (e goConnExec) Exec(ctx context.Context, sql string) error {
	_, err := e.conn.Exec(ctx, sql, pgx.QueryExecModeSimpleProtocol)
	return err
}

// queryLines runs a query whose rows are one text column each.
func queryLines(t *testing.T, ctx context.Context, conn *pgx.Conn, sql string) []string {
	t.Helper()
	rows, err := conn.Query(ctx, sql)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestGoStructsLoad loads the statements of the Go fixture into a real
// database and checks what it created.
func TestGoStructsLoad(t *testing.T) {
	stmts, _, err := gostruct.Read(filepath.Join(goFixtures, "app"))
	if err != nil {
		t.Fatal(err)
	}
	url := pgtest.NewDB(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if err := sqlfile.Load(ctx, goConnExec{conn}, sqlfile.Order(stmts)); err != nil {
		t.Fatal(err)
	}

	columns := queryLines(t, ctx, conn, `
		SELECT concat_ws(' ', table_name || '.' || column_name, data_type,
		       CASE is_nullable WHEN 'NO' THEN 'not null' ELSE 'null' END,
		       CASE is_identity WHEN 'YES' THEN 'identity ' || identity_generation END,
		       'default ' || column_default, 'collate ' || collation_name)
		FROM information_schema.columns WHERE table_schema = 'public'
		ORDER BY table_name, ordinal_position`)
	wantColumns := []string{
		"Order.OrgID bigint not null",
		"Order.UserID bigint not null",
		"Order.role text not null default 'member'::text",
		"orgs.id bigint not null identity BY DEFAULT",
		"orgs.created_at timestamp with time zone not null default now()",
		"orgs.updated_at timestamp with time zone null",
		"orgs.name text not null collate C",
		"orgs.public_id uuid not null default gen_random_uuid()",
		"orgs.settings jsonb not null default '{}'::jsonb",
		"users.id bigint not null identity BY DEFAULT",
		"users.created_at timestamp with time zone not null default now()",
		"users.updated_at timestamp with time zone null",
		"users.email character varying not null",
		"users.display_name text null",
		"users.status text not null default 'active'::text",
		"users.org_id bigint not null",
		"users.tags ARRAY not null default '{}'::text[]",
		"users.score double precision null",
		"users.nickname text null",
		"users.last_seen_at timestamp with time zone null",
		"users.avatar bytea null",
	}
	if !slices.Equal(columns, wantColumns) {
		t.Errorf("columns:\n got %s\nwant %s", strings.Join(columns, "\n     "), strings.Join(wantColumns, "\n     "))
	}

	constraints := queryLines(t, ctx, conn, `
		SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
		FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype <> 'n'
		ORDER BY conrelid::regclass::text, conname`)
	wantConstraints := []string{
		`"Order" Order_OrgID_fkey FOREIGN KEY ("OrgID") REFERENCES orgs(id) ON DELETE CASCADE`,
		`"Order" Order_UserID_fkey FOREIGN KEY ("UserID") REFERENCES users(id) ON DELETE CASCADE`,
		`"Order" Order_UserID_role_key UNIQUE ("UserID", role)`,
		`"Order" Order_pkey PRIMARY KEY ("OrgID", "UserID")`,
		`orgs orgs_name_key UNIQUE (name)`,
		`orgs orgs_pkey PRIMARY KEY (id)`,
		`users users_email_key UNIQUE (email)`,
		`users users_name_len CHECK ((length(display_name) < 200))`,
		`users users_org_id_fkey FOREIGN KEY (org_id) REFERENCES orgs(id) ON DELETE CASCADE`,
		`users users_pkey PRIMARY KEY (id)`,
		`users users_status_check CHECK ((status <> ''::text))`,
	}
	if !slices.Equal(constraints, wantConstraints) {
		t.Errorf("constraints:\n got %s\nwant %s", strings.Join(constraints, "\n     "), strings.Join(wantConstraints, "\n     "))
	}

	indexes := queryLines(t, ctx, conn, `
		SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'
		AND indexname NOT LIKE '%pkey' AND indexname NOT LIKE '%key' ORDER BY indexname`)
	wantIndexes := []string{
		"CREATE UNIQUE INDEX users_lower_email_idx ON public.users USING btree (lower((email)::text))",
		"CREATE INDEX users_org_id_idx ON public.users USING btree (org_id)",
		"CREATE INDEX users_org_status_idx ON public.users USING btree (org_id, status) WHERE (status <> 'deleted'::text)",
	}
	if !slices.Equal(indexes, wantIndexes) {
		t.Errorf("indexes:\n got %s\nwant %s", strings.Join(indexes, "\n     "), strings.Join(wantIndexes, "\n     "))
	}

	comments := queryLines(t, ctx, conn, `
		SELECT coalesce(obj_description('public.orgs'::regclass, 'pg_class'), '') || ' | ' ||
		       coalesce(col_description('public.users'::regclass, 4), '')`)
	if want := "Customer organizations. | Login, lower-cased"; len(comments) != 1 || comments[0] != want {
		t.Errorf("comments %q, want %q", comments, want)
	}
}

// TestGoStructsLoadError checks that a statement the database rejects is
// reported at the struct that declared it.
func TestGoStructsLoadError(t *testing.T) {
	dir := writeFiles(t, map[string]string{"m.go": "package m\n\n// schemadiff:table\n" +
		"type Bad struct {\n\tID int64 `schemadiff:\"id,references=nowhere(id)\"`\n}\n"})
	stmts, _, err := gostruct.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	url := pgtest.NewDB(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	err = sqlfile.Load(ctx, goConnExec{conn}, stmts)
	want := filepath.Join(dir, "m.go") + `:4:6: creating table public.bad: relation "public.nowhere" does not exist`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}
