package migrate

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestLogFormatJSON applies migrations with --log-format json: every line
// on stderr is a JSON record, each statement has one with its duration,
// and a failure is logged at level ERROR.
func TestLogFormatJSON(t *testing.T) {
	url := testDBURL(t)
	ms := threeMigrations()
	ms[2].Up = append(ms[2].Up, SQL("SELECT 1/0"))
	code, _, stderr := runMain(t, newSet(ms...), url, "apply", "--log-format", "json")
	if code != ExitMigrationFailed {
		t.Fatalf("apply: exit %d, want 1\n%s", code, stderr)
	}
	var statements, applied, failed, errors int
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("stderr line is not JSON: %q", line)
		}
		switch rec["msg"] {
		case "statement":
			if _, ok := rec["duration_ms"].(float64); !ok || rec["version"] == nil || rec["sql"] == nil || rec["direction"] != "up" {
				t.Errorf("statement record lacks its fields: %s", line)
			}
			statements++
		case "statement failed":
			if rec["level"] != "ERROR" || !strings.Contains(rec["error"].(string), "division by zero") || rec["step"] != float64(2) {
				t.Errorf("failed statement record: %s", line)
			}
			failed++
		case "migration applied":
			applied++
		default:
			if rec["level"] == "ERROR" {
				errors++
			}
		}
	}
	if statements != 3 || failed != 1 || applied != 2 || errors != 1 {
		t.Errorf("%d statement, %d failed statement, %d migration and %d error records; want 3, 1, 2, 1\n%s", statements, failed, applied, errors, stderr)
	}
}
