package emit

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxNameLen is the longest name SanitizeName returns.
const maxNameLen = 60

// SanitizeName turns free text into a migration name: lower snake_case made
// of [a-z0-9_] only, at most 60 characters, "migration" when nothing is left.
// Accents are dropped ("Café" → "cafe"), camelCase is split ("AddOrders" →
// "add_orders") and any other run of characters becomes one underscore.
//
// A name whose last word would make the Go tool treat the file as a test or
// as specific to an operating system or architecture ("add_test",
// "drop_windows") gets "_migration" appended, so that its file is always
// compiled into the package.
func SanitizeName(s string) string {
	var letters []rune
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// Combining mark left by decomposition: drop it.
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			letters = append(letters, r)
		default:
			letters = append(letters, '_')
		}
	}

	var b strings.Builder
	for i, r := range letters {
		if unicode.IsUpper(r) && i > 0 {
			prev := letters[i-1]
			nextLower := i+1 < len(letters) && unicode.IsLower(letters[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				b.WriteByte('_')
			}
		}
		b.WriteRune(unicode.ToLower(r))
	}

	name := squeeze(b.String(), maxNameLen)
	if name == "" {
		return "migration"
	}
	words := strings.Split(name, "_")
	if last := words[len(words)-1]; last == "test" || knownOS[last] || knownArch[last] {
		const suffix = "_migration"
		name = squeeze(name, maxNameLen-len(suffix)) + suffix
	}
	return name
}

// squeeze collapses runs of underscores, trims them from both ends and
// shortens the result to at most n bytes (all ASCII) without a trailing
// underscore.
func squeeze(s string, n int) string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '_' })
	s = strings.Join(parts, "_")
	if len(s) > n {
		s = strings.TrimRight(s[:n], "_")
	}
	return s
}

// knownOS and knownArch are the GOOS and GOARCH values that the Go tool
// recognises as file name suffixes (go/build's lists).
var knownOS = setOf("aix", "android", "darwin", "dragonfly", "freebsd", "hurd",
	"illumos", "ios", "js", "linux", "nacl", "netbsd", "openbsd", "plan9",
	"solaris", "wasip1", "windows", "zos")

var knownArch = setOf("386", "amd64", "amd64p32", "arm", "armbe", "arm64",
	"arm64be", "loong64", "mips", "mipsle", "mips64", "mips64le", "mips64p32",
	"mips64p32le", "ppc", "ppc64", "ppc64le", "riscv", "riscv64", "s390",
	"s390x", "sparc", "sparc64", "wasm")

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
