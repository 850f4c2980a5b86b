package migrate_test

import (
	"context"
	"log"
	"os"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/migrate"
)

// Hooks make a span per migration and a child span per statement. With
// OpenTelemetry (go.opentelemetry.io/otel; schemadiff does not depend on
// it) the hooks would read:
//
//	tracer := otel.Tracer("migrations")
//	hooks := migrate.Hooks{
//		BeforeMigration: func(ctx context.Context, m migrate.MigrationInfo) context.Context {
//			ctx, _ = tracer.Start(ctx, "migration "+m.Version+" "+m.Name,
//				trace.WithAttributes(attribute.Bool("migration.down", m.Down)))
//			return ctx
//		},
//		AfterMigration: func(ctx context.Context, _ migrate.MigrationInfo, err error, _ time.Duration) {
//			span := trace.SpanFromContext(ctx)
//			if err != nil {
//				span.RecordError(err)
//				span.SetStatus(codes.Error, err.Error())
//			}
//			span.End()
//		},
//		BeforeStatement: func(ctx context.Context, s migrate.StatementInfo) context.Context {
//			ctx, _ = tracer.Start(ctx, "statement", trace.WithAttributes(
//				attribute.Int("migration.step", s.Step), attribute.String("db.statement", s.SQL)))
//			return ctx
//		},
//		AfterStatement: func(ctx context.Context, _ migrate.StatementInfo, err error, _ time.Duration) {
//			span := trace.SpanFromContext(ctx)
//			if err != nil {
//				span.RecordError(err)
//			}
//			span.End()
//		},
//	}
//
// Each Before hook returns the context holding its span, so a statement's
// span is a child of its migration's, and the After hook ends the span it
// finds in the context it is given. The example below does the same with
// the standard library: it logs each migration and statement with its
// duration.
func ExampleHooks() {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close(ctx)
	hooks := migrate.Hooks{
		BeforeMigration: func(ctx context.Context, m migrate.MigrationInfo) context.Context {
			log.Printf("migration %s %s: start", m.Version, m.Name)
			return ctx
		},
		AfterMigration: func(_ context.Context, m migrate.MigrationInfo, err error, d time.Duration) {
			log.Printf("migration %s: done in %s (error: %v)", m.Version, d, err)
		},
		AfterStatement: func(_ context.Context, s migrate.StatementInfo, err error, d time.Duration) {
			log.Printf("migration %s step %d/%d: %s (error: %v)", s.Migration.Version, s.Step, s.Steps, d, err)
		},
	}
	m := migrate.NewMigrator(conn, Migrations, migrate.Options{Hooks: hooks})
	if _, err := m.Apply(ctx, ""); err != nil {
		log.Fatal(err)
	}
}
