//go:build !unix

package pgserver

import (
	"errors"
	"io/fs"
	"os"
)

// cacheSupported says whether the cluster cache works on this platform:
// here there is no file locking to share it safely between runs.
const cacheSupported = false

type lockMode int

const (
	lockShared lockMode = 1 << iota
	lockExclusive
	lockNoWait
)

type fileLock struct{}

func lockFile(string, lockMode) (*fileLock, error) {
	return nil, errors.New("file locking is not supported on this platform")
}

func (*fileLock) unlock() {}

func ownedByUs(fs.FileInfo) bool { return false }

func ownedBy(fs.FileInfo, *runAs) bool { return false }

func (*runAs) chown(string) error { return nil }

func (*runAs) fchown(*os.File) error { return nil }
