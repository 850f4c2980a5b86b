package sqlfile

import (
	"runtime"
	"strings"
	"sync"
)

// concurrentMin is the size of text below which parseConcurrently parses
// in one piece: smaller texts parse faster than goroutines start.
const concurrentMin = 16 << 10

// maxParsers bounds the parsers parseConcurrently runs at once.
const maxParsers = 8

// pieceSize is about how much text parseConcurrently gives one parser at a
// time: a piece's parse tree takes tens of times its text in memory until
// its statements are read, so a large file is parsed in many pieces, no
// more of them at once than there are parsers.
const pieceSize = 256 << 10

// parseConcurrently is parseSegments on several cores: it cuts src into
// pieces at semicolons that end a line, parses them at once and keeps
// each piece that parses and ends with a terminating semicolon (see
// parseStretch), in order; from the first piece that does not, the rest of
// the text is parsed in one piece. When that fails too, the whole text is
// parsed in one piece, so that errors are those of parseSegments.
func parseConcurrently(file, src string) ([]segment, error) {
	parsers := min(runtime.GOMAXPROCS(0), maxParsers, len(src)/concurrentMin)
	if parsers < 2 {
		return parseSegments(file, src)
	}
	return parseInPieces(file, src, max(parsers, len(src)/pieceSize), parsers)
}

// parseInPieces is parseConcurrently cutting src into at most n pieces,
// parsing at most parsers of them at once.
func parseInPieces(file, src string, n, parsers int) ([]segment, error) {
	cuts := cutPoints(src, n)
	if len(cuts) == 0 {
		return parseSegments(file, src)
	}
	bounds := append(append([]int{0}, cuts...), len(src))
	pieces := make([][]segment, len(bounds)-1)
	ok := make([]bool, len(pieces))
	var wg sync.WaitGroup
	slots := make(chan struct{}, max(1, parsers))
	for i := range pieces {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			pieces[i], ok[i] = parseStretch(file, src[bounds[i]:bounds[i+1]], i == len(pieces)-1)
		})
	}
	wg.Wait()
	var out []segment
	for i, segs := range pieces {
		if !ok[i] {
			rest, fine := parseStretch(file, src[bounds[i]:], true)
			if !fine {
				return parseSegments(file, src)
			}
			return append(out, rest...), nil
		}
		out = append(out, segs...)
	}
	return out, nil
}

// cutPoints returns up to n-1 offsets that cut src into pieces of about
// the same size, each just after a semicolon that ends a line and is
// followed by a line that starts a statement (most often the end of a
// statement: parseConcurrently checks it).
func cutPoints(src string, n int) []int {
	var cuts []int
	last := 0
	for k := 1; k < n; k++ {
		at := max(last, k*len(src)/n)
		for at < len(src) {
			i := strings.Index(src[at:], ";\n")
			if i < 0 {
				return cuts
			}
			at += i + 1
			if startsStatementLine(src[at+1:]) {
				break
			}
		}
		if at >= len(src) {
			break
		}
		cuts = append(cuts, at)
		last = at
	}
	return cuts
}

// startsStatementLine reports whether text, after any blank lines,
// starts with a word that starts statements of schema files and dumps
// (CREATE, ALTER, COMMENT, ...) at its first column, unlike the lines of
// function bodies (END, RETURN, ...), which are most often indented too.
func startsStatementLine(text string) bool {
	text = strings.TrimLeft(text, "\r\n")
	end := 0
	for end < len(text) && end < 16 && ('A' <= text[end] && text[end] <= 'Z' || 'a' <= text[end] && text[end] <= 'z') {
		end++
	}
	return pieceStartWords[strings.ToUpper(text[:end])]
}

// pieceStartWords are the first words of the statements pieces start with.
var pieceStartWords = map[string]bool{
	"CREATE": true, "ALTER": true, "COMMENT": true, "GRANT": true, "REVOKE": true, "DROP": true,
	"SET": true, "SELECT": true, "INSERT": true, "DO": true, "SECURITY": true,
}
