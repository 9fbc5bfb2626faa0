module witness/guests/go

go 1.25

require (
	go.bytecodealliance.org/pkg v0.2.3
	witness/guests/go/jsonfmt v0.0.0
)

// The formatter is a module of its own, shared with guests/tinygo.
replace witness/guests/go/jsonfmt => ./jsonfmt
