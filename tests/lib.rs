//! The conformance suite is the `it` test binary in `it/`; this library is
//! empty.
