// Module jsonfmt is the formatter shared by the Go guests: guests/go (mainline
// Go) and guests/tinygo (TinyGo) both require it through a replace directive,
// so neither holds a copy.  It asks for Go 1.23, the newest Go that TinyGo
// 0.34 builds with; it imports only the standard library.
module witness/guests/go/jsonfmt

go 1.23
