module witness/bench/go-native

go 1.25

require witness/guests/go/jsonfmt v0.0.0

// The Go guests' formatter, built natively from the same source.
replace witness/guests/go/jsonfmt => ../../guests/go/jsonfmt
