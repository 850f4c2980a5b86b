package sqlfile

import (
	"slices"
	"strings"
)

// Cache remembers the statements read from schema files, so that reading
// them again parses only what changed. The cached entries are segments
// (see segment), found by their exact text: the parser reads a segment the
// same way wherever it stands, provided the text before it ends a
// statement, and what Parse derives from a statement depends on its text
// alone.
//
// Reading a file with a cache walks its text from the start, where a
// statement may start. At each such offset a cached segment whose text
// follows is taken as it is, and the offset moves past it: the next one
// follows a terminating semicolon again. Text no cached segment follows is
// handed to the parser up to the next semicolon a cached segment follows,
// and is accepted only when the parser read it without error and its last
// token is that semicolon (which then ends a statement, so that the
// segment after it stands where a statement may start); otherwise the rest
// of the file is parsed in one piece. Anything the parser rejects makes
// the whole file parse without the cache, so that errors are those of
// Parse. The result equals Parse's (a test checks it on every convergence
// case and on large generated schemas after random edits).
//
// A Cache is used by one goroutine. The zero value is not usable: use
// NewCache or DecodeCache.
type Cache struct {
	// byPrefix finds the cached segments of at least prefixLen bytes by
	// their first prefixLen bytes, byText the shorter ones by their text.
	byPrefix map[string][]*cachedSegment
	byText   map[string][]*cachedSegment
	indexed  bool
	// loaded are the files as cached, read are the files as read since,
	// each its segments in order; Encode writes read.
	loaded, read []cachedFile
	// Parsed counts the bytes handed to the parser since the cache was
	// loaded, Reused the bytes taken from it.
	Parsed, Reused int
}

// prefixLen is the length of the prefix by which long segments are found.
const prefixLen = 64

// cachedSegment is a segment in the cache, with the segment that followed
// it in its file: most often the one that follows it again.
type cachedSegment struct {
	segment
	next *cachedSegment
	// handedOut is set once the slices of the segment's statement are
	// those of a Statement returned.
	handedOut bool
}

// cachedFile is a file's segments in order.
type cachedFile struct {
	path string
	segs []*cachedSegment
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{byPrefix: map[string][]*cachedSegment{}, byText: map[string][]*cachedSegment{}}
}

// add adds the segments of a file as cached.
func (c *Cache) add(path string, segs []*cachedSegment) {
	for i, s := range segs {
		if i+1 < len(segs) {
			s.next = segs[i+1]
		}
	}
	c.loaded = append(c.loaded, cachedFile{path: path, segs: segs})
	c.indexed = false
}

// index indexes the cached segments by text, if not done yet: a file
// read as cached follows its segments in order without it.
func (c *Cache) index() {
	if c.indexed {
		return
	}
	c.indexed = true
	clear(c.byPrefix)
	clear(c.byText)
	for _, f := range c.loaded {
		for _, s := range f.segs {
			if len(s.text) >= prefixLen {
				k := s.text[:prefixLen]
				c.byPrefix[k] = append(c.byPrefix[k], s)
			} else {
				c.byText[s.text] = append(c.byText[s.text], s)
			}
		}
	}
}

// Read is Read (the package function) with the cache: it reads the .sql
// file at path or every .sql file below it.
func (c *Cache) Read(path string) ([]Statement, error) {
	return readWith(path, c.Parse)
}

// Parse is Parse (the package function) with the cache. A file that does
// not parse leaves the cache as it was.
func (c *Cache) Parse(file, src string) ([]Statement, error) {
	src, err := prepare(file, src)
	if err != nil {
		return nil, err
	}
	segs, ok := []*cachedSegment(nil), false
	if len(c.loaded) > 0 {
		segs, ok = c.match(file, src)
	}
	if !ok {
		parsed, err := parseConcurrently(file, src)
		if err != nil {
			return nil, err
		}
		c.Parsed += len(src)
		ptrs := make([]*cachedSegment, len(parsed))
		for i := range parsed {
			ptrs[i] = &cachedSegment{segment: parsed[i]}
		}
		c.read = append(c.read, cachedFile{path: file, segs: ptrs})
		return statements(file, src, parsed), nil
	}
	out := make([]segment, len(segs))
	for i, s := range segs {
		out[i] = s.segment
		if s.handedOut && s.stmt != nil {
			// The same text again: its statement gets slices of its own.
			p := *s.stmt
			p.provides, p.references, p.defines = slices.Clone(p.provides), slices.Clone(p.references), slices.Clone(p.defines)
			p.ordering.soft, p.ordering.allIn = slices.Clone(p.ordering.soft), slices.Clone(p.ordering.allIn)
			out[i].stmt = &p
		}
		s.handedOut = true
	}
	c.read = append(c.read, cachedFile{path: file, segs: segs})
	return statements(file, src, out), nil
}

// match reads src, the text of file, from cached segments and parses what
// is not cached. It reports false when the parser rejects some part: then
// the file is to be parsed whole.
func (c *Cache) match(file, src string) ([]*cachedSegment, bool) {
	var out []*cachedSegment
	var prev *cachedSegment
	for x := 0; x < len(src); {
		// After a cached segment, look for the one that followed it
		// before, then at what followed that, before any other.
		if s := c.at(src, x, prev, prev == nil); s != nil {
			out = append(out, s)
			c.Reused += len(s.text)
			x += len(s.text)
			prev = s
			continue
		}
		y, next := c.resync(src, x, prev)
		segs, ok := parseStretch(file, src[x:y], y == len(src))
		if !ok && y < len(src) {
			c.Parsed += y - x
			y, next = len(src), nil
			segs, ok = parseStretch(file, src[x:], true)
		}
		if !ok {
			return nil, false
		}
		c.Parsed += y - x
		for i := range segs {
			out = append(out, &cachedSegment{segment: segs[i]})
		}
		x, prev = y, nil
		if next != nil {
			out = append(out, next)
			c.Reused += len(next.text)
			x += len(next.text)
			prev = next
		}
	}
	return out, true
}

// at returns a cached segment whose text follows offset x of src, or nil.
// The segment that followed prev in its file is tried first, and (at the
// start of a text) the first segment of each cached file; any cached
// segment only when byText.
func (c *Cache) at(src string, x int, prev *cachedSegment, byText bool) *cachedSegment {
	rest := src[x:]
	fits := func(s *cachedSegment) bool { return s.fits(rest) }
	if prev != nil && prev.next != nil && fits(prev.next) {
		return prev.next
	}
	if x == 0 {
		for _, f := range c.loaded {
			if len(f.segs) > 0 && fits(f.segs[0]) {
				return f.segs[0]
			}
		}
	}
	if !byText {
		return nil
	}
	c.index()
	if len(rest) >= prefixLen {
		for _, s := range c.byPrefix[rest[:prefixLen]] {
			if fits(s) {
				return s
			}
		}
	}
	head := rest[:min(len(rest), prefixLen-1)]
	for i := 0; i < len(head); i++ {
		j := strings.IndexByte(head[i:], ';')
		if j < 0 {
			break
		}
		i += j
		for _, s := range c.byText[head[:i+1]] {
			if fits(s) {
				return s
			}
		}
	}
	if len(rest) < prefixLen {
		for _, s := range c.byText[rest] {
			if fits(s) {
				return s
			}
		}
	}
	return nil
}

// resync returns the first offset after x that follows a semicolon and is
// followed by a cached segment (and that segment, when known), or the end
// of src. The segments that followed prev in its file are looked for
// first, in the text close to x: most often, what follows an edit is what
// followed it before.
func (c *Cache) resync(src string, x int, prev *cachedSegment) (int, *cachedSegment) {
	var near []*cachedSegment
	for s := prev; s != nil && len(near) < 4; s = s.next {
		if s != prev {
			near = append(near, s)
		}
	}
	if len(near) > 0 {
		end := min(len(src), x+resyncNear)
		for y := x; y < end; {
			i := strings.IndexByte(src[y:end], ';')
			if i < 0 {
				break
			}
			y += i + 1
			for _, s := range near {
				if s.fits(src[y:]) {
					return y, s
				}
			}
		}
	}
	for y := x; ; {
		i := strings.IndexByte(src[y:], ';')
		if i < 0 {
			return len(src), nil
		}
		y += i + 1
		if y == len(src) {
			return y, nil
		}
		if s := c.at(src, y, nil, true); s != nil {
			return y, s
		}
	}
}

// fits reports whether the segment's text starts rest, the text after a
// point where a statement may start, and may stand there.
func (s *cachedSegment) fits(rest string) bool {
	return strings.HasPrefix(rest, s.text) && (!s.open || len(s.text) == len(rest))
}

// resyncNear is how far after an edit resync looks for the segments that
// followed it before.
const resyncNear = 64 << 10

// parseStretch parses a stretch of a file that starts where a statement
// may start. Unless atEnd (the stretch ends the file), it must end with a
// terminating semicolon. It reports false when the stretch does not parse
// or does not end so.
func parseStretch(file, text string, atEnd bool) ([]segment, bool) {
	segs, err := parseSegments(file, text)
	if err != nil {
		return nil, false
	}
	if !atEnd && (len(segs) == 0 || segs[len(segs)-1].open) {
		return nil, false
	}
	return segs, true
}
