// Command catdump writes the catalog introspect reads from a database as
// deterministic text, once with one connection and once with two, and
// fails when the two differ. Built from two versions of the package, its
// outputs show whether a change to the catalog queries changed what they
// read (see compare.sh).
package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/schemadiff/schemadiff/introspect"
	"github.com/schemadiff/schemadiff/schema"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: catdump DATABASE_URL")
		os.Exit(2)
	}
	if err := run(context.Background(), os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "catdump:", err)
		os.Exit(2)
	}
}

func run(ctx context.Context, url string) error {
	one, err := inspect(ctx, url, false)
	if err != nil {
		return fmt.Errorf("introspecting with one connection: %w", err)
	}
	two, err := inspect(ctx, url, true)
	if err != nil {
		return fmt.Errorf("introspecting with two connections: %w", err)
	}
	a, b := dump(one), dump(two)
	if a != b {
		return fmt.Errorf("the catalogs read with one and with two connections differ")
	}
	w := bufio.NewWriter(os.Stdout)
	w.WriteString(a)
	return w.Flush()
}

func inspect(ctx context.Context, url string, concurrently bool) (*schema.Catalog, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	if !concurrently {
		return introspect.Inspect(ctx, conn, introspect.Options{})
	}
	helper, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, err
	}
	defer helper.Close(ctx)
	return introspect.InspectConcurrently(ctx, conn, helper, introspect.Options{})
}

// dump renders v with map keys sorted and pointers followed.
func dump(v any) string {
	var b strings.Builder
	write(&b, reflect.ValueOf(v), 0)
	return b.String()
}

func write(b *strings.Builder, v reflect.Value, depth int) {
	indent := strings.Repeat("  ", depth)
	switch v.Kind() {
	case reflect.Invalid:
		b.WriteString("<invalid>")
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		b.WriteString("&")
		write(b, v.Elem(), depth)
	case reflect.Struct:
		b.WriteString(v.Type().String() + "{\n")
		for i := range v.NumField() {
			b.WriteString(indent + "  " + v.Type().Field(i).Name + ": ")
			write(b, v.Field(i), depth+1)
			b.WriteString("\n")
		}
		b.WriteString(indent + "}")
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			b.WriteString("nil")
			return
		}
		b.WriteString("[\n")
		for i := range v.Len() {
			b.WriteString(indent + "  ")
			write(b, v.Index(i), depth+1)
			b.WriteString("\n")
		}
		b.WriteString(indent + "]")
	case reflect.Map:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		type entry struct{ key, val string }
		var entries []entry
		for it := v.MapRange(); it.Next(); {
			var k, e strings.Builder
			write(&k, it.Key(), depth+1)
			write(&e, it.Value(), depth+1)
			entries = append(entries, entry{k.String(), e.String()})
		}
		sort.Slice(entries, func(i, j int) bool { return entries[i].key < entries[j].key })
		b.WriteString("{\n")
		for _, e := range entries {
			b.WriteString(indent + "  " + e.key + ": " + e.val + "\n")
		}
		b.WriteString(indent + "}")
	case reflect.String:
		fmt.Fprintf(b, "%q", v.String())
	default:
		fmt.Fprintf(b, "%v", v)
	}
}
