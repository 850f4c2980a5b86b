package gostruct

import (
	"crypto/sha1"
	"encoding/hex"
	"strings"
	"unicode/utf8"

	"github.com/jinzhu/inflection"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

// This file follows GORM's default naming strategy (gorm.io/gorm/schema,
// NamingStrategy with no prefix, plural table names, lower case) and its
// tag syntax, so that the names read here are the names GORM's AutoMigrate
// gives to tables, columns, indexes and constraints.

// gormTagSettings parses a gorm struct tag as GORM's ParseTagSetting does:
// options separated by sep (a backslash before sep escapes it), each
// KEY or KEY:value, keys upper-cased, a key without a value standing for
// itself.
func gormTagSettings(tag, sep string) map[string]string {
	settings := map[string]string{}
	names := strings.Split(tag, sep)
	var parsed []string
	for i := 0; i < len(names); i++ {
		s := names[i]
		for strings.HasSuffix(s, `\`) && i+1 < len(names) {
			i++
			s = s[:len(s)-1] + sep + names[i]
		}
		parsed = append(parsed, s)
	}
	for _, t := range parsed {
		values := strings.Split(t, ":")
		k := strings.TrimSpace(strings.ToUpper(values[0]))
		if len(values) >= 2 {
			settings[k] = strings.ReplaceAll(strings.Join(values[1:], ":"), `\"`, `"`)
		} else if k != "" {
			settings[k] = k
		}
	}
	return settings
}

// gormTruth is GORM's CheckTruth: any value but "" and "false".
func gormTruth(vals ...string) bool {
	for _, v := range vals {
		if v != "" && !strings.EqualFold(v, "false") {
			return true
		}
	}
	return false
}

// gormInitialisms are GORM's common initialisms, kept whole in names
// (UserID is user_id, not user_i_d).
var gormInitialisms = []string{"API", "ASCII", "CPU", "CSS", "DNS", "EOF", "GUID", "HTML", "HTTP", "HTTPS", "ID",
	"IP", "JSON", "LHS", "QPS", "RAM", "RHS", "RPC", "SLA", "SMTP", "SSH", "TLS", "TTL", "UID", "UI", "UUID", "URI",
	"URL", "UTF8", "VM", "XML", "XSRF", "XSS"}

var gormInitialismsReplacer = func() *strings.Replacer {
	var pairs []string
	for _, s := range gormInitialisms {
		pairs = append(pairs, s, cases.Title(language.Und).String(s))
	}
	return strings.NewReplacer(pairs...)
}()

// gormDBName converts a Go name to a column name as GORM's toDBName does:
// CreatedAt is created_at, UserID is user_id, HTTPServer is http_server.
func gormDBName(name string) string {
	if name == "" {
		return ""
	}
	value := gormInitialismsReplacer.Replace(name)
	var buf strings.Builder
	upper := func(c byte) bool { return c >= 'A' && c <= 'Z' }
	var lastCase, nextCase, nextNumber bool
	curCase := upper(value[0])
	for i, v := range value[:len(value)-1] {
		nextCase = upper(value[i+1])
		nextNumber = value[i+1] >= '0' && value[i+1] <= '9'
		if curCase {
			if lastCase && (nextCase || nextNumber) {
				buf.WriteRune(v + 32)
			} else {
				if i > 0 && value[i-1] != '_' && value[i+1] != '_' {
					buf.WriteByte('_')
				}
				buf.WriteRune(v + 32)
			}
		} else {
			buf.WriteRune(v)
		}
		lastCase = curCase
		curCase = nextCase
	}
	last := value[len(value)-1]
	if curCase {
		if !lastCase && len(value) > 1 {
			buf.WriteByte('_')
		}
		buf.WriteByte(last + 32)
	} else {
		buf.WriteByte(last)
	}
	return buf.String()
}

// gormTableName is GORM's default table name for a Go type name: the
// plural of its snake_case form (OrderLine is order_lines).
func gormTableName(typeName string) string {
	return inflection.Plural(gormDBName(typeName))
}

// gormIdentifierMaxLength is the length above which GORM shortens the
// names it makes with a hash.
const gormIdentifierMaxLength = 64

// gormFormatName makes GORM's names for indexes and constraints:
// prefix_table_name (idx_users_email, fk_users_orders), dots replaced
// by underscores, shortened with a SHA-1 suffix beyond 64 characters.
func gormFormatName(prefix, table, name string) string {
	formatted := strings.ReplaceAll(strings.Join([]string{prefix, table, name}, "_"), ".", "_")
	if utf8.RuneCountInString(formatted) > gormIdentifierMaxLength {
		sum := sha1.Sum([]byte(formatted))
		formatted = formatted[:gormIdentifierMaxLength-8] + hex.EncodeToString(sum[:])[:8]
	}
	return formatted
}

// gormIndexName is GORM's name for an index on a field (or composite
// name): idx_<table>_<column>.
func gormIndexName(table, column string) string {
	return gormFormatName("idx", table, gormDBName(column))
}
