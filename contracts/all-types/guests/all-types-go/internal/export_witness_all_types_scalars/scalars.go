// Package export_witness_all_types_scalars implements the exports of the
// interface witness:all-types/scalars@0.1.0 for the generated bindings in
// internal/bindings/wit_exports, which call it by this package name.
//
// Each export applies the rule in package rules (the echo-* identities hand
// their arguments back), and defers collect.IfDue (see internal/collect).
package export_witness_all_types_scalars

import (
	witTypes "go.bytecodealliance.org/pkg/wit/types"

	"witness/contracts/all-types/guests/go/internal/collect"
	"witness/contracts/all-types/guests/go/rules"
)

// Negate implements scalars.negate.
func Negate(b bool) bool {
	defer collect.IfDue()
	return rules.Negate(b)
}

// BumpSigned implements scalars.bump-signed.
func BumpSigned(a int8, b int16, c int32, d int64) (int8, int16, int32, int64) {
	defer collect.IfDue()
	return rules.BumpSigned(a, b, c, d)
}

// BumpUnsigned implements scalars.bump-unsigned.
func BumpUnsigned(a uint8, b uint16, c uint32, d uint64) (uint8, uint16, uint32, uint64) {
	defer collect.IfDue()
	return rules.BumpUnsigned(a, b, c, d)
}

// Halve implements scalars.halve.
func Halve(x float32, y float64) (float32, float64) {
	defer collect.IfDue()
	return rules.Halve(x, y)
}

// NextChar implements scalars.next-char.
func NextChar(c rune) (uint32, rune) {
	defer collect.IfDue()
	return rules.NextChar(c)
}

// ReverseString implements scalars.reverse-string.
func ReverseString(s string) string {
	defer collect.IfDue()
	return rules.ReverseString(s)
}

// EchoScalars implements scalars.echo-scalars, the identity.
func EchoScalars(a bool, b int8, c uint8, d int16, e uint16, f int32, g uint32, h int64, i uint64, j float32, k float64, l rune, m string) (bool, int8, uint8, int16, uint16, int32, uint32, int64, uint64, float32, float64, rune, string) {
	defer collect.IfDue()
	return a, b, c, d, e, f, g, h, i, j, k, l, m
}

// EchoWide implements scalars.echo-wide, the identity.
func EchoWide(a uint8, b uint16, c uint32, d uint64, e int8, f int16, g int32, h int64, i float32, j float64, k rune, l bool, m string, n []uint8, o witTypes.Option[uint32]) (uint8, uint16, uint32, uint64, int8, int16, int32, int64, float32, float64, rune, bool, string, []uint8, witTypes.Option[uint32]) {
	defer collect.IfDue()
	return a, b, c, d, e, f, g, h, i, j, k, l, m, n, o
}
