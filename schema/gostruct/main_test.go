package gostruct_test

import (
	"testing"

	"github.com/schemadiff/schemadiff/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }
