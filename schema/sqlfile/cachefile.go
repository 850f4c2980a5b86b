package sqlfile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// cacheFormat names the layout of an encoded Cache and of what it holds of
// a statement. It changes whenever either does, so that a cache of another
// format is never read.
const cacheFormat = "schemadiff parse cache 2\n"

// errCacheFormat is returned (wrapped) by DecodeCache for data that is not
// an encoded Cache of this format and key.
var errCacheFormat = errors.New("not a parse cache of this format")

// Encode returns the files read through the cache since it was loaded
// (not those cached but not read again), for DecodeCache with the same
// key. The key names what else the cached statements depend on (the
// parser's and the program's versions).
func (c *Cache) Encode(key string) []byte {
	size := len(cacheFormat) + len(key) + 16
	for _, f := range c.read {
		size += len(f.path) + 8
		for _, s := range f.segs {
			size += len(s.text) + 16
			if p := s.stmt; p != nil {
				size += len(p.object) + 16
				for _, l := range [][]string{p.provides, p.references} {
					for _, x := range l {
						size += len(x) + 2
					}
				}
				for _, d := range p.defines {
					size += len(d.Key) + len(d.What) + 4
				}
			}
		}
	}
	e := encoder{buf: make([]byte, 0, size)}
	e.buf = append(e.buf, cacheFormat...)
	e.str(key)
	e.uint(len(c.read))
	for _, f := range c.read {
		e.str(f.path)
		e.uint(len(f.segs))
		for _, s := range f.segs {
			e.segment(s.segment)
		}
	}
	return e.buf
}

// Changed reports whether the files read through the cache differ from
// those it was loaded with: whether Encode would write anything new.
func (c *Cache) Changed() bool {
	return !slices.EqualFunc(c.loaded, c.read, func(a, b cachedFile) bool {
		return a.path == b.path && slices.Equal(a.segs, b.segs)
	})
}

// DecodeCache returns the cache Encode encoded with key. Data of another
// format or key, or damaged, is an error.
func DecodeCache(data []byte, key string) (*Cache, error) {
	d := decoder{src: string(data)}
	if len(d.src) < len(cacheFormat) || d.src[:len(cacheFormat)] != cacheFormat {
		return nil, errCacheFormat
	}
	d.off = len(cacheFormat)
	if k := d.str(); d.err == nil && k != key {
		return nil, fmt.Errorf("%w: written by another version", errCacheFormat)
	}
	c := NewCache()
	for range d.count() {
		path := d.str()
		segs := make([]*cachedSegment, d.count())
		for i := range segs {
			segs[i] = &cachedSegment{segment: d.segment()}
		}
		if d.err != nil {
			break
		}
		c.add(path, segs)
	}
	if d.err == nil && d.off != len(d.src) {
		d.err = errors.New("trailing bytes")
	}
	if d.err != nil {
		return nil, fmt.Errorf("%w: %v", errCacheFormat, d.err)
	}
	return c, nil
}

// Segment flags.
const (
	segOpen = 1 << iota
	segStmt
	segDefinesRead
	segGrantDefaults
)

type encoder struct{ buf []byte }

func (e *encoder) uint(n int) { e.buf = binary.AppendUvarint(e.buf, uint64(n)) }

func (e *encoder) str(s string) {
	e.uint(len(s))
	e.buf = append(e.buf, s...)
}

// strs writes a list, keeping nil apart from empty.
func (e *encoder) strs(l []string) {
	if l == nil {
		e.uint(0)
		return
	}
	e.uint(len(l) + 1)
	for _, s := range l {
		e.str(s)
	}
}

func (e *encoder) segment(s segment) {
	flags := 0
	if s.open {
		flags |= segOpen
	}
	p := s.stmt
	if p != nil {
		flags |= segStmt
		if p.definesRead {
			flags |= segDefinesRead
		}
		if p.ordering.defaults {
			flags |= segGrantDefaults
		}
	}
	e.uint(flags)
	e.str(s.text)
	if p == nil {
		return
	}
	e.uint(p.start)
	e.uint(p.end)
	e.uint(int(p.kind))
	e.str(p.object)
	e.strs(p.provides)
	e.strs(p.references)
	e.strs(p.ordering.soft)
	e.strs(p.ordering.allIn)
	if p.defines == nil {
		e.uint(0)
		return
	}
	e.uint(len(p.defines) + 1)
	for _, d := range p.defines {
		e.str(d.Key)
		e.str(d.What)
	}
}

// decoder reads what encoder wrote. Its strings share the memory of src.
// After the first error it returns zero values.
type decoder struct {
	src string
	off int
	err error
}

func (d *decoder) uint() int {
	if d.err != nil {
		return 0
	}
	var v uint64
	for shift, i := 0, d.off; i < len(d.src) && shift < 64; shift, i = shift+7, i+1 {
		b := d.src[i]
		v |= uint64(b&0x7f) << shift
		if b < 0x80 {
			if v > uint64(len(d.src)) {
				break
			}
			d.off = i + 1
			return int(v)
		}
	}
	d.err = fmt.Errorf("bad number at byte %d", d.off)
	return 0
}

// count reads a number of items, each taking at least a byte.
func (d *decoder) count() int {
	n := d.uint()
	if n > len(d.src)-d.off {
		d.err = fmt.Errorf("bad count at byte %d", d.off)
		return 0
	}
	return n
}

func (d *decoder) str() string {
	n := d.uint()
	if d.err != nil {
		return ""
	}
	if n > len(d.src)-d.off {
		d.err = fmt.Errorf("bad length at byte %d", d.off)
		return ""
	}
	s := d.src[d.off : d.off+n]
	d.off += n
	return s
}

func (d *decoder) strs() []string {
	n := d.count()
	if n == 0 || d.err != nil {
		return nil
	}
	l := make([]string, n-1)
	for i := range l {
		l[i] = d.str()
	}
	return l
}

func (d *decoder) segment() segment {
	flags := d.uint()
	s := segment{open: flags&segOpen != 0, text: d.str()}
	if flags&segStmt == 0 || d.err != nil {
		return s
	}
	p := &segmentStmt{start: d.uint(), end: d.uint(), kind: StatementKind(d.uint()), object: d.str()}
	p.provides = d.strs()
	p.references = d.strs()
	p.ordering.soft = d.strs()
	p.ordering.allIn = d.strs()
	p.ordering.defaults = flags&segGrantDefaults != 0
	p.definesRead = flags&segDefinesRead != 0
	if n := d.count(); n > 0 {
		p.defines = make([]Definition, n-1)
		for i := range p.defines {
			p.defines[i] = Definition{Key: d.str(), What: d.str()}
		}
	}
	if d.err == nil && (p.start > p.end || p.end > len(s.text)) {
		d.err = errors.New("statement outside its segment")
	}
	s.stmt = p
	return s
}
