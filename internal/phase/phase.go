// Package phase times the phases of a command (reading the schema files,
// starting the scratch server, introspecting, diffing...), for
// SCHEMADIFF_TIMINGS=1 and --verbose.
package phase

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"
)

// Recorder accumulates the time spent in named phases, in the order they
// first started.
type Recorder struct {
	mu    sync.Mutex
	start time.Time
	names []string
	took  map[string]time.Duration
}

// NewRecorder returns a recorder whose total time starts now.
func NewRecorder() *Recorder {
	return &Recorder{start: time.Now(), took: map[string]time.Duration{}}
}

type recorderKey struct{}

// WithRecorder returns ctx carrying r, so that Start records into it.
func WithRecorder(ctx context.Context, r *Recorder) context.Context {
	return context.WithValue(ctx, recorderKey{}, r)
}

// Start begins the phase name and returns the function that ends it. The
// time of a phase run several times adds up. Without a recorder in ctx it
// does nothing.
func Start(ctx context.Context, name string) func() {
	r, _ := ctx.Value(recorderKey{}).(*Recorder)
	if r == nil {
		return func() {}
	}
	began := time.Now()
	return func() { r.add(name, time.Since(began)) }
}

func (r *Recorder) add(name string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.took[name]; !ok {
		r.names = append(r.names, name)
	}
	r.took[name] += d
}

// Write prints one line per phase, "timing: <phase>: <seconds>s", then
// the time outside every phase ("other") and the total since NewRecorder.
func (r *Recorder) Write(w io.Writer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	total := time.Since(r.start)
	other := total
	for _, name := range r.names {
		fmt.Fprintf(w, "timing: %s: %.3fs\n", name, r.took[name].Seconds())
		other -= r.took[name]
	}
	fmt.Fprintf(w, "timing: other: %.3fs\n", max(other, 0).Seconds())
	fmt.Fprintf(w, "timing: total: %.3fs\n", total.Seconds())
}
