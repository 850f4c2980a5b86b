package sqlfile

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// lineColReference locates off by counting, as the index must.
func lineColReference(s string, off int) (int, int) {
	if off > len(s) {
		off = len(s)
	}
	before := s[:off]
	line := strings.Count(before, "\n") + 1
	lineStart := strings.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCountInString(before[lineStart:]) + 1
}

// TestLineIndex: the index agrees with counting at every offset of texts
// with empty lines, CRLF, multi-byte characters and no final newline.
func TestLineIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	parts := []string{"a", "\n", "\r\n", "é", "日本", " ", "\n\n"}
	for n := 0; n < 200; n++ {
		var b strings.Builder
		for i := r.IntN(40); i > 0; i-- {
			b.WriteString(parts[r.IntN(len(parts))])
		}
		src := b.String()
		x := newLineIndex(src)
		for off := 0; off <= len(src)+1; off++ {
			if off < len(src) && !utf8.RuneStart(src[off]) {
				continue
			}
			gl, gc := x.lineCol(off)
			wl, wc := lineColReference(src, off)
			if gl != wl || gc != wc {
				t.Fatalf("lineCol(%q, %d) = %d:%d, want %d:%d", src, off, gl, gc, wl, wc)
			}
		}
	}
}
