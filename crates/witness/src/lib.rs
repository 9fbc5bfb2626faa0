//! witness: run every guest component under every host and prove that every
//! cell gives the same bytes for the same input.
//!
//! The pipeline is contract → guest source → component ([`guest`], [`build`])
//! → host session ([`hosts`]) → outcome → verdict ([`suite`], [`verdict`]) →
//! matrix and report ([`matrix`], [`report`]).  [`compose`] links pipelines
//! with formatter guests into rows of their own.

pub mod boundary;
pub mod build;
pub mod compose;
pub mod contract;
pub mod corpus;
pub mod differential;
pub mod engine;
pub mod generate;
pub mod guest;
pub mod hosts;
pub mod json_tools;
pub mod known;
pub mod matrix;
pub mod project;
pub mod report;
pub mod suite;
pub mod verdict;

pub use witness_host_api as host_api;
pub use witness_value as value;

/// Whether `WITNESS_REQUIRE_ALL` asks that a skipped cell fail (as
/// `--require-all` does): set, and neither empty nor `0`.  Every front end
/// reads it through this, so that `WITNESS_REQUIRE_ALL=true` means the same
/// to every trial.
pub fn require_all_from_env() -> bool {
    std::env::var("WITNESS_REQUIRE_ALL").is_ok_and(|value| !value.is_empty() && value != "0")
}

/// The guests whose rows may be skipped under `WITNESS_REQUIRE_ALL`, from
/// `WITNESS_ALLOW_SKIP` (`GUEST=REASON` entries separated by `;`), as
/// `--allow-skip` gives them to the xtask; none when it is unset.
///
/// # Errors
/// When an entry is malformed.
pub fn allowed_skips_from_env() -> anyhow::Result<Vec<matrix::AllowedSkip>> {
    match std::env::var("WITNESS_ALLOW_SKIP") {
        Ok(text) => matrix::AllowedSkip::parse_list(&text)
            .map_err(|err| anyhow::anyhow!("WITNESS_ALLOW_SKIP: {err}")),
        Err(_) => Ok(Vec::new()),
    }
}
