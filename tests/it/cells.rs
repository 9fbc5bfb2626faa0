//! The matrix as trials: each guest × host × suite is one test, and so is
//! each composed row (`pipeline-<pipeline>+<formatter>`, every pipeline under
//! `pipelines/` linked with every formatter guest) × host × suite.
//!
//! Guests are built (and composed) lazily, once per process, by the first
//! trial that needs them; listing the trials builds nothing.

use std::{
    collections::{BTreeMap, VecDeque},
    panic::{AssertUnwindSafe, catch_unwind},
    path::PathBuf,
    sync::{Arc, Mutex, OnceLock, Weak},
    time::{Duration, Instant},
};

use libtest_mimic::Trial;
use witness::{
    build, compose,
    contract::Contract,
    differential::VoterPool,
    engine::Engine,
    guest::{self, Guest},
    host_api::{GuestArtifact, Host, Limits, Session},
    hosts,
    matrix::{
        self, AllowedSkip, CellResult, CellStatus, GuestRow, GuestStatus, HostColumn, Matrix,
    },
    project::Project,
    report,
    suite::{self, Cell, SuiteConfig, SuiteKind, SuiteResult},
};

/// Property cases per suite per cell; `WITNESS_CASES` overrides.
const DEFAULT_CASES: usize = 1000;

struct Shared {
    project: Project,
    config: SuiteConfig,
    require_all: bool,
    /// The guests whose rows may be skipped under `require_all`
    /// (`WITNESS_ALLOW_SKIP`), or why that variable is malformed.
    allowed: Result<Vec<AllowedSkip>, String>,
    /// Builds, composed rows and hosts, each made once by the first trial
    /// that needs it, by the engine the xtask drives too.
    engine: Engine,
    /// Every row, once discovered: a contract's rows are its differential
    /// suites' voters (in wasmtime).
    rows: OnceLock<Vec<Arc<Row>>>,
    /// What each cell's trials found, by row and host, for the report that
    /// `WITNESS_REPORT_DIR` asks for ([`Report::write`]).
    collected: Mutex<BTreeMap<(String, String), Collected>>,
    /// Sessions that no trial is using, by row and host, the newest last.
    /// A trial takes its cell's session from here rather than opening one
    /// (a host process, a browser context, a compiled guest loaded), as the
    /// matrix runs a cell's suites in one session: a cell's trials are next
    /// to each other, so with two test threads a cell opens one or two
    /// sessions instead of one per suite.  At most [`IDLE_SESSIONS`] wait
    /// here; the oldest is closed first.
    sessions: Mutex<VecDeque<((String, String), Box<dyn Session>)>>,
}

/// The most sessions that wait in [`Shared::sessions`].
const IDLE_SESSIONS: usize = 4;

/// One cell's trials, as they ran.
#[derive(Default)]
struct Collected {
    suites: Vec<(SuiteKind, SuiteResult)>,
    /// Why a suite could not run: the guest, the host or the session failed.
    failure: Option<String>,
    /// A skip that failed its trial (under `WITNESS_REQUIRE_ALL`).
    skipped: Option<String>,
    duration: Duration,
}

/// The cells' trials, after the run: with `WITNESS_REPORT_DIR=DIR` set,
/// [`Report::write`] writes what they found as the matrix does
/// (`DIR/report.json`, `DIR/junit.xml`, `DIR/summary.md`, and
/// `$GITHUB_STEP_SUMMARY`) and prints the matrix, so that one `cargo test`
/// is both the test run and the matrix's report, and CI runs each cell once.
pub struct Report(Arc<Shared>);

pub fn trials(listing: bool) -> (Vec<Trial>, Report) {
    let project = Project::from_build_dir();
    let seed = std::env::var("WITNESS_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |elapsed| elapsed.as_nanos() as u64)
        });
    let cases = std::env::var("WITNESS_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    if !listing {
        eprintln!(
            "witness: seed {seed}, {cases} property cases per suite (set WITNESS_SEED={seed} to rerun them)"
        );
    }
    let shared = Arc::new_cyclic(|weak: &Weak<Shared>| Shared {
        config: SuiteConfig {
            voters: Some(Arc::new(VoterPool::new(
                project.clone(),
                Limits::default(),
                {
                    let weak = weak.clone();
                    move |contract| voter_artifacts(&weak, contract)
                },
            ))),
            cases,
            seed,
            corpus: witness::json_tools::project_corpus(&project),
            regressions: true,
            record: false,
        },
        engine: Engine::new(project.clone(), Limits::default()),
        project,
        require_all: witness::require_all_from_env(),
        allowed: witness::allowed_skips_from_env().map_err(|err| format!("{err:#}")),
        rows: OnceLock::new(),
        collected: Mutex::default(),
        sessions: Mutex::default(),
    });
    let mut rows = Vec::new();
    let trials = discover_trials(&shared, listing, &mut rows);
    // Set once, here: the voters are opened by the first trial that runs a
    // differential suite, after every trial was made.
    let _ = shared.rows.set(rows);
    (trials, Report(shared))
}

impl Report {
    /// With `WITNESS_REPORT_DIR` set, writes the report, the JUnit file
    /// and the summary of the cells' trials there, and prints the matrix.
    /// A cell none of whose trials ran (a filter left them out) is reported
    /// as skipped, never as passed.
    ///
    /// # Errors
    /// When a file cannot be written.
    pub fn write(&self) -> anyhow::Result<()> {
        let Some(dir) = std::env::var_os("WITNESS_REPORT_DIR").map(PathBuf::from) else {
            return Ok(());
        };
        let shared = &self.0;
        let matrix = self.matrix();
        // A relative directory is the project's, as `.ci/run` and the docs
        // write it: cargo runs a test binary in its own package's directory
        // (`tests/`), where the report would otherwise land.
        let at = shared.project.root().join(&dir);
        std::fs::create_dir_all(&at)?;
        report::write(&matrix, &at.join("report.json"))?;
        report::write_junit(&matrix, &at.join("junit.xml"))?;
        report::write_summary(&matrix, shared.require_all, Some(&at.join("summary.md")))?;
        println!("\n{}", matrix::render(&matrix));
        println!("{}", report::verdict_line(&matrix, shared.require_all));
        println!(
            "report: {}, {}, {}",
            dir.join("report.json").display(),
            dir.join("junit.xml").display(),
            dir.join("summary.md").display()
        );
        Ok(())
    }

    fn matrix(&self) -> Matrix {
        let shared = &self.0;
        let rows = shared.rows.get().map(Vec::as_slice).unwrap_or_default();
        let mut collected = std::mem::take(
            &mut *shared
                .collected
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        let hosts: Vec<HostColumn> = hosts::NAMES
            .iter()
            .map(|name| HostColumn {
                name: (*name).to_owned(),
                unavailable: host(shared, name)
                    .err()
                    .and_then(|err| err.strip_prefix("skipped: ").map(str::to_owned)),
            })
            .collect();
        let mut guests = Vec::new();
        let mut cells = Vec::new();
        for row in rows {
            let ran = collected.keys().any(|(name, _)| name == row.name());
            // A row none of whose trials ran: skipped for a missing toolchain
            // (its trials were ignored), or left out by a filter, and then
            // not built here just for the report.
            if !ran {
                let missing = match &**row {
                    Row::Guest(guest) => guest.probe_toolchain().err().map(|m| m.to_string()),
                    Row::Composed {
                        pipeline,
                        formatter,
                        ..
                    } => pipeline
                        .probe_toolchain()
                        .err()
                        .map(|missing| format!("pipeline: {missing}"))
                        .or_else(|| {
                            formatter.probe_toolchain().err().map(|missing| {
                                compose::formatter_skipped(&formatter.name, &missing.to_string())
                            })
                        }),
                };
                let Some(reason) = missing else {
                    continue;
                };
                for column in &hosts {
                    cells.push(CellResult {
                        guest: row.name().to_owned(),
                        host: column.name.clone(),
                        status: CellStatus::Skipped {
                            reason: reason.clone(),
                        },
                        suites: Vec::new(),
                        duration: Duration::ZERO,
                    });
                }
                guests.push(GuestRow {
                    name: row.name().to_owned(),
                    language: row.language(),
                    contract: Some(row.contract().clone()),
                    status: GuestStatus::Skipped { reason },
                });
                continue;
            }
            let built = match &**row {
                Row::Guest(guest) => shared.engine.built(guest),
                Row::Composed {
                    pipeline,
                    formatter,
                    ..
                } => shared.engine.composed(pipeline, formatter),
            };
            let language = row.language();
            let (status, row_skip) = match built {
                Ok(built) => (GuestStatus::Built(built), None),
                Err(witness::engine::NotBuilt::Skipped(reason)) => (
                    GuestStatus::Skipped {
                        reason: reason.clone(),
                    },
                    Some(reason),
                ),
                Err(witness::engine::NotBuilt::Failed(message)) => {
                    (GuestStatus::Failed { message }, None)
                }
            };
            for column in &hosts {
                let found = collected.remove(&(row.name().to_owned(), column.name.clone()));
                let skip = row_skip.clone().or_else(|| column.unavailable.clone());
                let (status, suites, duration) = match (found, skip) {
                    (_, Some(reason)) => {
                        (CellStatus::Skipped { reason }, Vec::new(), Duration::ZERO)
                    }
                    (None, None) => (
                        CellStatus::Skipped {
                            reason: "not run: no trial of this cell ran (a filter left them out)"
                                .to_owned(),
                        },
                        Vec::new(),
                        Duration::ZERO,
                    ),
                    (Some(mut found), None) => {
                        let order = SuiteKind::of(row.contract());
                        found.suites.sort_by_key(|(suite, _)| {
                            order
                                .iter()
                                .position(|kind| kind == suite)
                                .unwrap_or(usize::MAX)
                        });
                        let status = match (found.failure, found.skipped) {
                            (Some(message), _) => CellStatus::Failed { message },
                            (None, Some(reason)) => CellStatus::Skipped { reason },
                            (None, None) => CellStatus::Ran,
                        };
                        (status, found.suites, found.duration)
                    }
                };
                cells.push(CellResult {
                    guest: row.name().to_owned(),
                    host: column.name.clone(),
                    status,
                    suites,
                    duration,
                });
            }
            guests.push(GuestRow {
                name: row.name().to_owned(),
                language,
                contract: Some(row.contract().clone()),
                status,
            });
        }
        Matrix {
            guests,
            hosts,
            cells,
            seed: shared.config.seed,
            cases: shared.config.cases,
            allowed_skips: shared.allowed.clone().unwrap_or_default(),
            cell_cases: BTreeMap::new(),
        }
    }
}

/// Adds what a trial of the cell `row::host` found.
fn collect(shared: &Shared, row: &str, host: &str, add: impl FnOnce(&mut Collected)) {
    let mut collected = shared
        .collected
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    add(collected
        .entry((row.to_owned(), host.to_owned()))
        .or_default());
}

/// Every trial, and every row in `rows`.
fn discover_trials(shared: &Arc<Shared>, listing: bool, rows: &mut Vec<Arc<Row>>) -> Vec<Trial> {
    let mut trials = Vec::new();
    let mut formatters = Vec::new();
    let discovered = match guest::discover(&shared.project) {
        Ok(discovered) => discovered,
        Err(err) => {
            let message = format!("reading {}: {err}", shared.project.guests_dir().display());
            return vec![Trial::test("guests::discover", move || Err(message.into()))];
        }
    };
    // WITNESS_ALLOW_SKIP must be well-formed and name guests that exist.
    let checked = shared.allowed.clone().and_then(|allowed| {
        matrix::check_allowances(&shared.project, &allowed).map_err(|err| format!("{err:#}"))
    });
    trials.push(Trial::test("allow-skip::names-guests", move || {
        checked.map_err(Into::into)
    }));
    for found in discovered {
        let guest = match found {
            Ok(guest) => guest,
            Err(err) => {
                let message = err.to_string();
                trials.push(Trial::test(
                    format!("manifest::{}", err.dir_name()),
                    move || Err(message.into()),
                ));
                continue;
            }
        };
        // Probing is cheap and tells which trials are skipped; listing must
        // not run anything.
        let guest_skip = if listing {
            None
        } else {
            guest
                .probe_toolchain()
                .err()
                .map(|missing| missing.to_string())
        };
        let guest = Arc::new(guest);
        if guest.manifest.unit_tests.is_some() {
            let (shared, guest) = (Arc::clone(shared), Arc::clone(&guest));
            let skip = guest_skip.clone();
            let name = format!("{}::unit-tests", guest.name);
            let ignored = ignore(
                &shared,
                &name,
                &guest.name,
                skip.as_deref(),
                skip.as_deref(),
            );
            let trial = Trial::test(name, move || {
                if let Some(reason) = skip {
                    return Err(format!(
                        "skipped: {reason}, and WITNESS_REQUIRE_ALL makes a skip a failure"
                    )
                    .into());
                }
                build::run_unit_tests(&shared.project, &guest)
                    .map_err(|err| format!("{err:#}").into())
            });
            trials.push(trial.with_ignored_flag(ignored));
        }
        formatters.push((Arc::clone(&guest), guest_skip.clone()));
        let row = Arc::new(Row::Guest(guest));
        rows.push(Arc::clone(&row));
        cell_trials(shared, &row, guest_skip, listing, &mut trials);
    }
    let pipelines = match guest::discover_pipelines(&shared.project) {
        Ok(pipelines) => pipelines,
        Err(err) => {
            let message = format!(
                "reading {}: {err}",
                shared.project.pipelines_dir().display()
            );
            trials.push(Trial::test("pipelines::discover", move || {
                Err(message.into())
            }));
            return trials;
        }
    };
    for found in pipelines {
        let pipeline = match found {
            Ok(pipeline) => Arc::new(pipeline),
            Err(err) => {
                let message = err.to_string();
                trials.push(Trial::test(
                    format!("manifest::pipelines::{}", err.dir_name()),
                    move || Err(message.into()),
                ));
                continue;
            }
        };
        let pipeline_skip = if listing {
            None
        } else {
            pipeline
                .probe_toolchain()
                .err()
                .map(|missing| format!("pipeline: {missing}"))
        };
        // The rows of the contract the pipeline's imports (`composes`).
        let composed = formatters.iter().filter(|(formatter, _)| {
            Some(formatter.contract.name()) == pipeline.contract.composes()
        });
        for (formatter, formatter_skip) in composed {
            let formatter_skip = formatter_skip
                .as_ref()
                .map(|missing| compose::formatter_skipped(&formatter.name, missing));
            let row = Arc::new(Row::Composed {
                name: compose::composed_name(&pipeline.name, &formatter.name),
                pipeline: Arc::clone(&pipeline),
                formatter: Arc::clone(formatter),
            });
            rows.push(Arc::clone(&row));
            cell_trials(
                shared,
                &row,
                pipeline_skip.clone().or(formatter_skip),
                listing,
                &mut trials,
            );
        }
    }
    trials
}

/// Whether the trial `name` of the row `row` is ignored for `skip`: when it
/// is skipped, and either skips are not failures or an allowance
/// (`WITNESS_ALLOW_SKIP`) covers the row's own skip (`row_skip`, a missing
/// toolchain; never a host's).  An ignored trial says why on stderr; libtest
/// counts it as ignored, never as passed.
fn ignore(
    shared: &Shared,
    name: &str,
    row: &str,
    row_skip: Option<&str>,
    skip: Option<&str>,
) -> bool {
    let Some(reason) = skip else {
        return false;
    };
    let allowed = shared.allowed.as_deref().unwrap_or_default();
    let allowance =
        row_skip.and_then(|row_skip| allowed.iter().find(|allowed| allowed.covers(row, row_skip)));
    match allowance {
        Some(allowed) => {
            eprintln!(
                "witness: skipped: {name}: {reason} (allowed by WITNESS_ALLOW_SKIP: {})",
                allowed.reason
            );
            true
        }
        None if !shared.require_all => {
            eprintln!("witness: skipped: {name}: {reason}");
            true
        }
        None => false,
    }
}

/// The built rows of `contract`, for its voters; a row that cannot be built
/// does not vote (its own trials say why).
fn voter_artifacts(
    shared: &Weak<Shared>,
    contract: &Contract,
) -> Result<Vec<GuestArtifact>, String> {
    let shared = shared.upgrade().ok_or("the trials are gone")?;
    let rows = shared.rows.get().ok_or("the rows are not discovered yet")?;
    Ok(rows
        .iter()
        .filter(|row| row.contract() == contract)
        .filter_map(|row| artifact(&shared, row).ok().map(|(artifact, _)| artifact))
        .collect())
}

/// A row of the matrix: a formatter guest, or a pipeline linked with one.
enum Row {
    Guest(Arc<Guest>),
    Composed {
        name: String,
        pipeline: Arc<Guest>,
        formatter: Arc<Guest>,
    },
}

impl Row {
    fn name(&self) -> &str {
        match self {
            Row::Guest(guest) => &guest.name,
            Row::Composed { name, .. } => name,
        }
    }

    /// Its language, as the matrix shows it.
    fn language(&self) -> String {
        match self {
            Row::Guest(guest) => guest.manifest.language.clone(),
            Row::Composed {
                pipeline,
                formatter,
                ..
            } => format!(
                "{} + {}",
                pipeline.manifest.language, formatter.manifest.language
            ),
        }
    }

    /// The contract its component implements: a composed row's is its
    /// pipeline's.
    fn contract(&self) -> &Contract {
        match self {
            Row::Guest(guest) => &guest.contract,
            Row::Composed { pipeline, .. } => &pipeline.contract,
        }
    }
}

/// One trial per host × suite of `row`.
fn cell_trials(
    shared: &Arc<Shared>,
    row: &Arc<Row>,
    guest_skip: Option<String>,
    listing: bool,
    trials: &mut Vec<Trial>,
) {
    for host_name in hosts::NAMES {
        let host_skip = if listing {
            None
        } else {
            host(shared, host_name)
                .err()
                .filter(|err| err.starts_with("skipped: "))
        };
        for &suite in SuiteKind::of(row.contract()) {
            let name = format!("{}::{host_name}::{}", row.name(), suite.name());
            let (shared, row) = (Arc::clone(shared), Arc::clone(row));
            let skip = guest_skip.clone().or_else(|| {
                host_skip
                    .clone()
                    .map(|reason| reason["skipped: ".len()..].to_owned())
            });
            let ignored = ignore(
                &shared,
                &name,
                row.name(),
                guest_skip.as_deref(),
                skip.as_deref(),
            );
            let trial = Trial::test(name, move || {
                if let Some(reason) = skip {
                    collect(&shared, row.name(), host_name, |cell| {
                        cell.skipped = Some(reason.clone());
                    });
                    return Err(format!(
                        "skipped: {reason}, and WITNESS_REQUIRE_ALL makes a skip a failure"
                    )
                    .into());
                }
                let started = Instant::now();
                let result = run_cell(&shared, &row, host_name, suite);
                collect(&shared, row.name(), host_name, |cell| {
                    cell.duration += started.elapsed();
                    match &result {
                        Ok(found) => cell.suites.push((suite, found.clone())),
                        Err((Some(found), _)) => cell.suites.push((suite, (**found).clone())),
                        Err((None, message)) => {
                            cell.failure.get_or_insert_with(|| {
                                format!("during the {} suite: {message}", suite.name())
                            });
                        }
                    }
                });
                result.map(drop).map_err(|(_, message)| message.into())
            });
            trials.push(trial.with_ignored_flag(ignored));
        }
    }
}

/// The row's component: built, or built and linked.
fn artifact(shared: &Shared, row: &Row) -> Result<(GuestArtifact, Contract), String> {
    let built = match row {
        Row::Guest(guest) => shared.engine.built(guest),
        Row::Composed {
            pipeline,
            formatter,
            ..
        } => shared.engine.composed(pipeline, formatter),
    }
    .map_err(|err| err.to_string())?;
    Ok((built.artifact(), built.contract))
}

fn host(shared: &Shared, name: &str) -> Result<Arc<dyn Host>, String> {
    shared.engine.host(name)
}

/// Runs one suite of a cell: its result when it passed; when it did not,
/// the result (if the suite ran) and why it failed.
fn run_cell(
    shared: &Shared,
    row: &Row,
    host_name: &str,
    suite: SuiteKind,
) -> Result<SuiteResult, (Option<Box<SuiteResult>>, String)> {
    let (artifact, contract) = artifact(shared, row).map_err(|err| (None, err))?;
    let host = host(shared, host_name).map_err(|err| (None, err))?;
    let cell = Cell {
        guest: row.name().to_owned(),
        host: host_name.to_owned(),
        contract,
    };
    let key = (row.name().to_owned(), host_name.to_owned());
    let pooled = {
        let mut sessions = lock(&shared.sessions);
        let found = sessions.iter().rposition(|(cell, _)| *cell == key);
        found
            .and_then(|index| sessions.remove(index))
            .map(|(_, session)| session)
    };
    let result = if suite == SuiteKind::Boundary {
        // The boundary suite takes the session: a probe may kill its host.
        witness::boundary::run(&*host, &artifact, &cell, pooled)
    } else {
        let mut session = match pooled {
            Some(session) => session,
            None => host.open(&artifact).map_err(|err| (None, err.to_string()))?,
        };
        let result = suite::run(suite, &mut *session, &cell, &shared.config);
        // A session whose host failed is not used again.
        if result.is_ok() {
            give_back(shared, key, session);
        }
        result
    }
    .map_err(|err| (None, err.to_string()))?;
    for unmatched in &result.unmatched_snapshots {
        review(shared, unmatched);
    }
    if result.failed > 0 || result.passed == 0 {
        let explained = result.explain(&cell, suite);
        return Err((Some(Box::new(result)), explained));
    }
    for line in result.skipped.iter().chain(&result.known) {
        eprintln!("witness: {cell}::{}: {line}", suite.name());
    }
    Ok(result)
}

/// Keeps a trial's session for the next trial of its cell, and closes the
/// oldest idle sessions past [`IDLE_SESSIONS`].
fn give_back(shared: &Shared, key: (String, String), session: Box<dyn Session>) {
    let closing: Vec<_> = {
        let mut sessions = lock(&shared.sessions);
        sessions.push_back((key, session));
        let excess = sessions.len().saturating_sub(IDLE_SESSIONS);
        sessions.drain(..excess).collect()
    };
    // Closing waits for the host processes; not under the lock.
    drop(closing);
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Hands a missing or changed snapshot to insta, which writes a `.snap.new`
/// for `cargo insta review` (never in CI) and prints its diff.
fn review(shared: &Shared, unmatched: &suite::UnmatchedSnapshot) {
    let (name, rendered) = (unmatched.name.as_str(), unmatched.rendered.as_str());
    let mut settings = insta::Settings::clone_current();
    let input_file = unmatched
        .input_file
        .strip_prefix(shared.project.root())
        .unwrap_or(&unmatched.input_file);
    settings.set_input_file(input_file);
    settings.set_snapshot_path(&unmatched.dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    // The failure is reported by the suite; insta's panic only carries the diff.
    drop(catch_unwind(AssertUnwindSafe(|| {
        settings.bind(|| insta::assert_snapshot!(name, rendered));
    })));
}
