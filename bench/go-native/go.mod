module witness/bench/go-native

go 1.25

require witness/guests/go v0.0.0

require go.bytecodealliance.org/pkg v0.2.3 // indirect

// The Go guest's formatter, built natively from the same source.
replace witness/guests/go => ../../guests/go
