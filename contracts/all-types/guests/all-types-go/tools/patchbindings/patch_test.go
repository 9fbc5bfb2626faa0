package main

import (
	"strings"
	"testing"
)

// The three sites as wit-bindgen 0.62.0 writes them.
const generated = `
		variant = witness_all_types_types.MakeShapeRect(witness_all_types_types.Point{X: int32(arg1), Y: uint32(arg2), Label: value})
			variant = witness_all_types_types.MakeShapeRect(witness_all_types_types.Point{X: int32(arg2), Y: uint32(uint32(arg3)), Label: value4})
			variant = witness_all_types_types.MakeShapeRect(witness_all_types_types.Point{X: int32(arg2), Y: uint32(uint32(arg3)), Label: value4})
`

func TestPatch(t *testing.T) {
	patched, err := Patch(generated)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(patched, "Y: uint32(") {
		t.Errorf("a site is left:\n%s", patched)
	}
	if got := strings.Count(patched, "Y: int32(arg2), Label: value}"); got != 1 {
		t.Errorf("mirror's site patched %d times", got)
	}
	if got := strings.Count(patched, "Y: int32(uint32(arg3)), Label: value4}"); got != 2 {
		t.Errorf("payload's sites patched %d times", got)
	}
}

func TestPatchRefusesOtherCounts(t *testing.T) {
	for _, source := range []string{
		"",
		strings.Replace(generated, "Y: uint32(arg2)", "Y: int32(arg2)", 1),
		generated + generated,
	} {
		if _, err := Patch(source); err == nil {
			t.Errorf("patched a source with other counts:\n%s", source)
		}
	}
}
