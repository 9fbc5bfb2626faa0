module witness/guests/tinygo

go 1.23.0

require (
	go.bytecodealliance.org/cm v0.2.2
	witness/guests/go/jsonfmt v0.0.0
)

// The formatter of the mainline Go guest, shared rather than copied.
replace witness/guests/go/jsonfmt => ../go/jsonfmt
