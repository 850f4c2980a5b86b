package pgserver

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ServerVersion returns the scratch server's server_version_num (e.g.
// 150004) and server_version (e.g. "15.4"), read from the embedded or dev
// server.
func (s *Scratch) ServerVersion(ctx context.Context) (num int, text string, err error) {
	rows, err := s.query(ctx, "SELECT current_setting('server_version_num') || ' ' || current_setting('server_version')")
	if err == nil && len(rows) != 1 {
		err = errors.New("no row")
	}
	if err != nil {
		return 0, "", fmt.Errorf("reading the scratch server's version: %w", err)
	}
	numText, text, _ := strings.Cut(rows[0], " ")
	if num, err = strconv.Atoi(numText); err != nil {
		return 0, "", fmt.Errorf("reading the scratch server's version: server_version_num %q: %w", numText, err)
	}
	return num, text, nil
}
