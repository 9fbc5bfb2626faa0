//! How fast the strategies generate cases: documents, invalid documents and
//! documents at the maximum depth, with the bytes of text they produce.
//!
//! Run with `cargo bench -p witness-oracle` (optimized) or
//! `cargo bench -p witness-oracle --profile dev` (as the tests build it).

use std::time::{Duration, Instant};

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use witness_oracle::{deep_document, document, invalid_document};

/// Generates cases for about `budget`, rendering each one's text as a test
/// would, and prints cases per second and mean text size.
fn measure<S: Strategy>(
    name: &str,
    strategy: S,
    budget: Duration,
    text_of: impl Fn(&S::Value) -> String,
) {
    let mut runner = TestRunner::deterministic();
    let started = Instant::now();
    let mut n_cases = 0u64;
    let mut n_bytes = 0usize;
    while started.elapsed() < budget {
        let value = strategy.new_tree(&mut runner).expect("generates").current();
        n_bytes += text_of(&value).len();
        n_cases += 1;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{name:<20} {:>9.0} cases/s  {:>7.0} bytes/case  ({n_cases} cases in {seconds:.2} s)",
        n_cases as f64 / seconds,
        n_bytes as f64 / n_cases as f64,
    );
}

fn main() {
    let budget = Duration::from_secs(3);
    measure("document()", document(), budget, |doc| doc.text());
    measure(
        "invalid_document()",
        invalid_document(),
        budget,
        |invalid| invalid.text.clone(),
    );
    measure("deep_document(256)", deep_document(256), budget, |doc| {
        doc.text()
    });
}
