package schema

import (
	"strings"
	"unicode/utf8"
)

// MaxIdentLen is the length in bytes of the longest identifier PostgreSQL
// keeps (NAMEDATALEN-1): it truncates longer ones.
const MaxIdentLen = 63

// TruncateIdent cuts an identifier to MaxIdentLen bytes as PostgreSQL
// does, without splitting a character.
func TruncateIdent(s string) string {
	return clipRunes(s, MaxIdentLen)
}

// ObjectName is the name PostgreSQL makes for an implicit object
// (makeObjectName): name1_name2_label (name1_label when name2 is ""), with
// the longer of the two names shortened until it fits in MaxIdentLen
// bytes. Index, constraint and sequence names are made this way.
func ObjectName(name1, name2, label string) string {
	overhead := len(label) + 1
	if name2 != "" {
		overhead++
	}
	avail := MaxIdentLen - overhead
	n1, n2 := len(name1), len(name2)
	for n1+n2 > avail {
		if n1 > n2 {
			n1--
		} else {
			n2--
		}
	}
	out := clipRunes(name1, n1)
	if name2 != "" {
		out += "_" + clipRunes(name2, n2)
	}
	return out + "_" + label
}

// clipRunes cuts s to at most n bytes without splitting a character.
func clipRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// nameSegment is a run of one part of a dotted name that was written in
// double quotes, or not.
type nameSegment struct {
	text   string
	quoted bool
}

// splitDottedName splits a dotted name ("App"."My Table", app.orders,
// public.t) at the dots outside double quotes. Each part is the list of its
// quoted and unquoted runs, quotes removed and "" inside quotes read as one
// quote; a part written as "a"b has two. open reports a quote left open, in
// which case the rest of s, dots included, is in it. How unquoted text is
// folded is up to the caller: PostgreSQL's output needs none, SQL as
// written does.
func splitDottedName(s string) (parts [][]nameSegment, open bool) {
	var part []nameSegment
	var cur strings.Builder
	endRun := func(quoted bool) {
		if quoted || cur.Len() > 0 { // a quoted run counts even when empty
			part = append(part, nameSegment{text: cur.String(), quoted: quoted})
		}
		cur.Reset()
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case open && c == '"' && i+1 < len(s) && s[i+1] == '"':
			cur.WriteByte('"')
			i++
		case c == '"':
			endRun(open)
			open = !open
		case c == '.' && !open:
			endRun(false)
			parts = append(parts, part)
			part = nil
		default:
			cur.WriteByte(c)
		}
	}
	endRun(open)
	return append(parts, part), open
}

// joinSegments returns the text of a part, each unquoted run passed
// through fold (nil: kept as written).
func joinSegments(part []nameSegment, fold func(string) string) string {
	var b strings.Builder
	for _, seg := range part {
		if fold != nil && !seg.quoted {
			b.WriteString(fold(seg.text))
		} else {
			b.WriteString(seg.text)
		}
	}
	return b.String()
}

// anyQuoted reports whether some of part was written in double quotes.
func anyQuoted(part []nameSegment) bool {
	for _, seg := range part {
		if seg.quoted {
			return true
		}
	}
	return false
}

// ParseRegName splits text such as `app."My Seq"` the way PostgreSQL reads
// a regclass or regproc literal: unquoted parts are folded to lower case
// (ASCII letters only, as in a UTF-8 database), quoted ones are kept.
func ParseRegName(s string) []string {
	parts, _ := splitDottedName(s)
	written := false
	for _, p := range parts {
		for _, seg := range p {
			written = written || seg.quoted || strings.TrimLeft(seg.text, " \t\n\r") != ""
		}
	}
	if !written {
		return nil
	}
	names := make([]string, len(parts))
	for i, p := range parts {
		names[i] = joinSegments(p, foldRegName)
	}
	return names
}

// foldRegName folds unquoted text of a reg* literal as PostgreSQL does:
// white space dropped, ASCII letters in lower case.
func foldRegName(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r':
		case ch >= 'A' && ch <= 'Z':
			b.WriteByte(ch + 'a' - 'A')
		default:
			b.WriteByte(ch)
		}
	}
	return b.String()
}
