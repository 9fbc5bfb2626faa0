package rules

// This file is the guest's tidy check: the hand-written Go files of the
// module must be gofmt-clean, so that `go test` fails where `gofmt -l` would
// only print.

import (
	"bytes"
	"go/format"
	"os"
	"path/filepath"
	"testing"
)

func TestGofmt(t *testing.T) {
	var files []string
	// The module root, this package, the hand-written internal packages and
	// the bindings patcher; not the generated bindings under
	// internal/bindings.
	for _, pattern := range []string{
		"../*.go",
		"*.go",
		"../internal/collect/*.go",
		"../internal/convert/*.go",
		"../internal/export_witness_all_types_*/*.go",
		"../tools/patchbindings/*.go",
	} {
		matches, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, matches...)
	}
	if len(files) < 14 {
		t.Fatalf("found only %v", files)
	}
	for _, file := range files {
		source, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		formatted, err := format.Source(source)
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		if !bytes.Equal(source, formatted) {
			t.Errorf("%s is not gofmt-clean; run gofmt -w on it", file)
		}
	}
}
