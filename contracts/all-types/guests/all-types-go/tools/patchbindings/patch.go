package main

import (
	"fmt"
	"strings"
)

// A fix replaces Old by New, which must occur exactly Count times.
type fix struct {
	Old, New string
	Count    int
	Where    string
}

// fixes are the sites of the LToI32 bug in the bindings of all-types.wit.
var fixes = []fix{
	{
		Old:   "Point{X: int32(arg1), Y: uint32(arg2), Label: value}",
		New:   "Point{X: int32(arg1), Y: int32(arg2), Label: value}",
		Count: 1,
		Where: "mirror: shape.rect's y",
	},
	{
		Old:   "Point{X: int32(arg2), Y: uint32(uint32(arg3)), Label: value4}",
		New:   "Point{X: int32(arg2), Y: int32(uint32(arg3)), Label: value4}",
		Count: 2,
		Where: "transform and echo-payload: payload.shape's shape.rect's y",
	},
}

// Patch applies every fix to the source of wit_exports.go.
func Patch(source string) (string, error) {
	for _, f := range fixes {
		if n := strings.Count(source, f.Old); n != f.Count {
			return "", fmt.Errorf("%s: found %q %d times, expected %d: the generator changed, check whether the bug is still there", f.Where, f.Old, n, f.Count)
		}
		source = strings.ReplaceAll(source, f.Old, f.New)
	}
	return source, nil
}
