//! The conformance suite: one libtest-mimic trial per guest × host × suite,
//! named `<guest>::<host>::<suite>` (composed rows included), the hostile,
//! composition and differential trials, the
//! host programs' own unit tests, plus the tidy checks.
//!
//! It supports `--list --format terse` and `--exact`, so
//! `cargo nextest run --partition hash:m/n` can shard the matrix.  Set
//! `WITNESS_REQUIRE_ALL=1` (as CI does) to make a skipped cell fail.

mod cells;
mod composition;
mod differential;
mod divergences;
mod host_units;
mod hostile;
mod tidy;

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let (mut trials, report) = cells::trials(args.list);
    trials.extend(hostile::trials(args.list));
    trials.extend(composition::trials(args.list));
    trials.extend(differential::trials(args.list));
    trials.extend(divergences::trials());
    trials.extend(host_units::trials(witness::require_all_from_env()));
    trials.extend(tidy::trials());
    let conclusion = libtest_mimic::run(&args, trials);
    if !args.list
        && let Err(err) = report.write()
    {
        eprintln!("witness: WITNESS_REPORT_DIR: {err:#}");
        std::process::exit(101);
    }
    conclusion.exit();
}
