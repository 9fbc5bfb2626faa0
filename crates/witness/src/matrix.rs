//! The matrix: build every guest, open every guest in every host, run every
//! suite in every cell, and render the result.
//!
//! One bad guest, host or cell never stops the others: each failure is kept
//! in its own row, column or cell.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use serde::Serialize;
use witness_host_api::{GuestArtifact, Host, Limits};

use crate::{
    build::Built,
    compose,
    contract::Contract,
    differential::VoterPool,
    engine::{Engine, NotBuilt},
    guest, hosts,
    project::Project,
    suite::{self, Cell, SuiteConfig, SuiteKind, SuiteResult},
};

/// What to run.
#[derive(Clone, Debug)]
pub struct MatrixConfig {
    /// Only the guests of these contracts (all when empty).
    pub contracts: Vec<String>,
    /// Only these guests (all when empty).
    pub guests: Vec<String>,
    /// Only these hosts (all when empty).
    pub hosts: Vec<String>,
    /// The suites to run: in every cell, those of its contract's suites that
    /// are in this list.
    pub suites: Vec<SuiteKind>,
    /// Cases, seed, corpus.
    pub suite: SuiteConfig,
    /// Limits for every call.
    pub limits: Limits,
    /// How many cells run at once.
    pub jobs: usize,
    /// How long each cell (`guest::host`) took the last time it ran
    /// ([`CellTimes`]): cells start longest first, so that a long cell
    /// does not start last and keep one worker busy after the others are
    /// done.
    pub last_times: CellTimes,
    /// Guests whose rows may be skipped under `--require-all`.
    pub allowed_skips: Vec<AllowedSkip>,
    /// Property cases per suite for particular cells (`guest::host`), in
    /// place of `suite.cases`: what `--budget` chose from its pilot.
    pub cell_cases: BTreeMap<String, usize>,
}

/// A guest whose row may be skipped under `--require-all`
/// (`--allow-skip GUEST=REASON`, `WITNESS_ALLOW_SKIP`): a toolchain that CI
/// cannot install, such as TinyGo, which no registry reachable from this
/// project's CI ships.
///
/// Only the row's own skip is allowed, for a toolchain it cannot find, and
/// that of the composed rows that skip because of it; a host that cannot run
/// still fails, and so does a guest that fails to build.  An allowed skip is
/// shown and counted as skipped, with its reason, never as passed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AllowedSkip {
    /// The guest.
    pub guest: String,
    /// Why its row may be skipped.
    pub reason: String,
}

impl AllowedSkip {
    /// Whether this allows a row named `row` to be skipped for `reason`.
    pub fn covers(&self, row: &str, reason: &str) -> bool {
        row == self.guest
            || compose::parse_name(row).is_some_and(|(_, formatter)| formatter == self.guest)
                && reason.starts_with(&compose::formatter_skipped(&self.guest, ""))
    }

    /// The allowances in `text`, separated by `;`: `GUEST=REASON`, or a bare
    /// `GUEST` (then the reason says that none was given).
    ///
    /// # Errors
    /// When an entry has no guest name, or a name that no guest could have.
    pub fn parse_list(text: &str) -> anyhow::Result<Vec<AllowedSkip>> {
        text.split(';')
            .filter(|entry| !entry.trim().is_empty())
            .map(str::parse)
            .collect()
    }
}

impl std::str::FromStr for AllowedSkip {
    type Err = anyhow::Error;

    fn from_str(text: &str) -> anyhow::Result<AllowedSkip> {
        let (guest, reason) = match text.split_once('=') {
            Some((guest, reason)) => (guest.trim(), reason.trim()),
            None => (text.trim(), ""),
        };
        anyhow::ensure!(
            !guest.is_empty()
                && guest
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_+.".contains(c)),
            "an allowed skip is GUEST or GUEST=REASON, a guest's directory name; got `{text}`"
        );
        let reason = if reason.is_empty() {
            "no reason given".to_owned()
        } else {
            reason.to_owned()
        };
        Ok(AllowedSkip {
            guest: guest.to_owned(),
            reason,
        })
    }
}

/// How long each cell (`guest::host`) took in the last run that ran it,
/// kept in `target/witness/cell-times.json` between runs.
#[derive(Clone, Debug, Default, Serialize, serde::Deserialize)]
pub struct CellTimes(pub BTreeMap<String, f64>);

impl CellTimes {
    /// The times kept at `path`; none when the file does not exist.
    ///
    /// # Errors
    /// When the file exists but cannot be read or parsed.
    pub fn load(path: &std::path::Path) -> anyhow::Result<CellTimes> {
        match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text)
                .map_err(|err| anyhow::anyhow!("{}: {err}", path.display())),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(CellTimes::default()),
            Err(err) => Err(anyhow::anyhow!("{}: {err}", path.display())),
        }
    }

    /// Keeps the times of the cells that ran in `matrix`, and the older times
    /// of the others, at `path`.
    ///
    /// # Errors
    /// When the file cannot be written.
    pub fn update(mut self, matrix: &Matrix, path: &std::path::Path) -> anyhow::Result<()> {
        for cell in &matrix.cells {
            if matches!(cell.status, CellStatus::Ran) {
                self.0.insert(
                    format!("{}::{}", cell.guest, cell.host),
                    cell.duration.as_secs_f64(),
                );
            }
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, serde_json::to_string_pretty(&self)?)
            .map_err(|err| anyhow::anyhow!("{}: {err}", path.display()))
    }

    /// The order in which to start cells: a larger key starts sooner.
    /// A cell with a known time is keyed by it; one without (a new guest,
    /// or the first run) is guessed from its host and its component's size,
    /// since the browser is the slowest host and the biggest components are
    /// interpreters; a guess goes before every known time, so that an
    /// unknown long cell does not start last.
    fn priority(&self, guest: &GuestRow, host: &str) -> (bool, f64) {
        match self.0.get(&format!("{}::{host}", guest.name)) {
            Some(seconds) => (false, *seconds),
            None => {
                let host_rank = match host {
                    "browser" => 3.0,
                    "node" | "python" => 2.0,
                    _ => 1.0,
                };
                let size = match &guest.status {
                    GuestStatus::Built(built) => built.size as f64,
                    _ => 0.0,
                };
                (true, host_rank * 1e9 + size)
            }
        }
    }
}

/// Progress, for a progress bar.
#[derive(Clone, Debug)]
pub enum Event {
    /// Building a guest.
    Building(String),
    /// A guest's build came to an end.
    Built(String),
    /// The number of cells to run, known once the guests are built.
    Cells(usize),
    /// A cell finished.
    CellDone(String),
}

/// A guest's row header.
#[derive(Debug, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum GuestStatus {
    /// Built (or fresh from the cache).
    Built(Built),
    /// The toolchain is missing.
    Skipped {
        /// What is missing, with the install hint.
        reason: String,
    },
    /// The manifest or the build failed.
    Failed {
        /// Why.
        message: String,
    },
}

/// A guest's row.
#[derive(Debug, Serialize)]
pub struct GuestRow {
    /// The guest's name.
    pub name: String,
    /// The language, from its manifest.
    pub language: String,
    /// The contract it implements (none when its manifest cannot be read).
    pub contract: Option<Contract>,
    /// How its build went.
    pub status: GuestStatus,
}

/// A host's column header.
#[derive(Debug, Serialize)]
pub struct HostColumn {
    /// The host's name.
    pub name: String,
    /// Why it cannot run here, if it cannot.
    pub unavailable: Option<String>,
}

/// How a cell went as a whole.
#[derive(Debug, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum CellStatus {
    /// The suites ran; see their results.
    Ran,
    /// The guest or the host cannot run here.
    Skipped {
        /// Why, with an install hint.
        reason: String,
    },
    /// The guest could not be built or loaded, or the host failed.
    Failed {
        /// Why.
        message: String,
    },
}

/// One guest × host cell.
#[derive(Debug, Serialize)]
pub struct CellResult {
    /// The guest.
    pub guest: String,
    /// The host.
    pub host: String,
    /// How it went.
    pub status: CellStatus,
    /// Each suite's result.
    pub suites: Vec<(SuiteKind, SuiteResult)>,
    /// Wall-clock time of the cell.
    pub duration: Duration,
}

impl CellResult {
    /// Cases passed in all suites.
    pub fn passed(&self) -> usize {
        self.suites.iter().map(|(_, result)| result.passed).sum()
    }

    /// Cases explained by a known divergence of the host, in all suites.
    pub fn known(&self) -> usize {
        self.suites
            .iter()
            .map(|(_, result)| result.known_cases)
            .sum()
    }

    /// Cases failed in all suites, plus one for a cell that failed as a whole.
    pub fn failed(&self) -> usize {
        let cases: usize = self.suites.iter().map(|(_, result)| result.failed).sum();
        cases + usize::from(matches!(self.status, CellStatus::Failed { .. }))
    }
}

/// The whole run.
#[derive(Debug, Serialize)]
pub struct Matrix {
    /// The rows.
    pub guests: Vec<GuestRow>,
    /// The columns.
    pub hosts: Vec<HostColumn>,
    /// Every cell, row by row.
    pub cells: Vec<CellResult>,
    /// The run's seed.
    pub seed: u64,
    /// Property cases per suite.
    pub cases: usize,
    /// The guests whose rows may be skipped under `--require-all`.
    pub allowed_skips: Vec<AllowedSkip>,
    /// Cells that drew another number of cases than `cases`
    /// ([`MatrixConfig::cell_cases`]).
    pub cell_cases: BTreeMap<String, usize>,
}

impl Matrix {
    /// Whether anything failed; with `require_all`, a skip is a failure too,
    /// unless it is allowed ([`Matrix::allowance`]).
    pub fn failed(&self, require_all: bool) -> bool {
        self.cells.iter().any(|cell| {
            cell.failed() > 0
                || (require_all
                    && matches!(cell.status, CellStatus::Skipped { .. })
                    && self.allowance(&cell.guest).is_none())
        }) || self.guests.iter().any(|row| {
            matches!(row.status, GuestStatus::Failed { .. })
                || (require_all
                    && matches!(row.status, GuestStatus::Skipped { .. })
                    && self.allowance(&row.name).is_none())
        })
    }

    /// The allowance under which the row `name` is skipped, if its row is
    /// skipped (its cells then are too) and an allowance covers it.
    pub fn allowance(&self, name: &str) -> Option<&AllowedSkip> {
        let row = self.guests.iter().find(|row| row.name == name)?;
        let GuestStatus::Skipped { reason } = &row.status else {
            return None;
        };
        self.allowed_skips
            .iter()
            .find(|allowed| allowed.covers(&row.name, reason))
    }

    /// The allowances that allowed nothing: their guests' rows ran (or are
    /// not in this run).
    pub fn unused_allowances(&self) -> Vec<&AllowedSkip> {
        self.allowed_skips
            .iter()
            .filter(|allowed| {
                !self
                    .guests
                    .iter()
                    .any(|row| self.allowance(&row.name) == Some(*allowed))
            })
            .collect()
    }
}

/// The guests to build for `--contract`: those the guest filter names, or
/// else every guest of the named contracts (all guests when a contract
/// composes another, whose rows are linked from both).
///
/// # Errors
/// When a contract is not in the project, listing those that are.
fn only_of_contracts(
    project: &Project,
    contracts: &[String],
    guests: &[String],
) -> anyhow::Result<Vec<String>> {
    if contracts.is_empty() {
        return Ok(guests.to_vec());
    }
    let known: Vec<Contract> = crate::contract::discover(project)
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    for name in contracts {
        if !known.iter().any(|contract| contract.name() == name) {
            let names: Vec<&str> = known.iter().map(|contract| contract.name()).collect();
            anyhow::bail!(
                "unknown contract `{name}` (the project has: {})",
                names.join(", ")
            );
        }
    }
    let composing = known.iter().any(|contract| {
        contracts.iter().any(|name| name == contract.name()) && contract.composes().is_some()
    });
    if !guests.is_empty() || composing {
        return Ok(guests.to_vec());
    }
    Ok(guest::discover(project)?
        .into_iter()
        .filter_map(Result::ok)
        .filter(|guest| contracts.iter().any(|name| name == guest.contract.name()))
        .map(|guest| guest.name)
        .collect())
}

/// Builds every selected guest, and every selected composed row
/// (`pipeline-<pipeline>+<formatter>`, [`compose::rows`]); a broken manifest
/// is a failed row.
///
/// A composed row needs its formatter built, but the formatter is a row of
/// its own only when `only` is empty or names it.
///
/// # Errors
/// When `guests/` cannot be read, or `only` names a guest that is not there.
pub fn build_guests(
    project: &Project,
    only: &[String],
    progress: &(dyn Fn(Event) + Sync),
) -> anyhow::Result<Vec<GuestRow>> {
    let plain: Vec<String> = only
        .iter()
        .filter(|name| compose::parse_name(name).is_none())
        .cloned()
        .collect();
    let mut needed = plain.clone();
    for (_, formatter) in only.iter().filter_map(|name| compose::parse_name(name)) {
        if !needed.iter().any(|name| name == formatter) {
            needed.push(formatter.to_owned());
        }
    }
    let formatters = build_rows(project, guest::discover(project)?, &needed, progress)?;
    let composed = compose::rows(project, &formatters, only, progress)?;
    let mut rows: Vec<GuestRow> = formatters
        .into_iter()
        .filter(|row| only.is_empty() || plain.contains(&row.name))
        .collect();
    // The rows of one contract together, by name within it; a row whose
    // manifest could not be read first.
    rows.sort_by(|a, b| {
        let contract = |row: &GuestRow| row.contract.as_ref().map(|c| c.name().to_owned());
        contract(a)
            .cmp(&contract(b))
            .then_with(|| a.name.cmp(&b.name))
    });
    rows.extend(composed);
    Ok(rows)
}

/// Builds the selected guests of `discovered` (from [`guest::discover`] or
/// [`guest::discover_in`]); a broken manifest is a failed row, a missing
/// toolchain a skipped row, a failed build a failed row.
///
/// # Errors
/// When `only` names a guest that is not there.
pub fn build_rows(
    project: &Project,
    discovered: Vec<Result<guest::Guest, guest::ManifestError>>,
    only: &[String],
    progress: &(dyn Fn(Event) + Sync),
) -> anyhow::Result<Vec<GuestRow>> {
    // The front ends' one build path (`Engine::built`); this run asks for
    // every row at once.
    let engine = Engine::new(project.clone(), Limits::default());
    let mut rows = Vec::new();
    for found in discovered {
        let guest = match found {
            Ok(guest) => guest,
            Err(err) => {
                let name = err.dir_name();
                if only.is_empty() || only.contains(&name) {
                    rows.push(GuestRow {
                        name,
                        language: "?".to_owned(),
                        contract: None,
                        status: GuestStatus::Failed {
                            message: err.to_string(),
                        },
                    });
                }
                continue;
            }
        };
        if !only.is_empty() && !only.contains(&guest.name) {
            continue;
        }
        progress(Event::Building(guest.name.clone()));
        let status = match engine.built(&guest) {
            Ok(built) => GuestStatus::Built(built),
            Err(NotBuilt::Skipped(reason)) => GuestStatus::Skipped { reason },
            Err(NotBuilt::Failed(message)) => GuestStatus::Failed { message },
        };
        progress(Event::Built(guest.name.clone()));
        rows.push(GuestRow {
            name: guest.name.clone(),
            language: guest.manifest.language.clone(),
            contract: Some(guest.contract.clone()),
            status,
        });
    }
    for name in only {
        if !rows.iter().any(|row| &row.name == name) {
            anyhow::bail!(
                "no guest `{name}` (no guests/{name}/guest.toml, nor contracts/*/guests/{name}/guest.toml)"
            );
        }
    }
    Ok(rows)
}

/// Checks that every allowance names a guest of the project, so that a typo
/// cannot leave a skip unallowed, or a rename leave one allowed forever.
///
/// # Errors
/// When one does not, listing the guests there are.
pub fn check_allowances(project: &Project, allowed: &[AllowedSkip]) -> anyhow::Result<()> {
    if allowed.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = guest::discover(project)?
        .into_iter()
        .map(|found| match found {
            Ok(guest) => guest.name,
            Err(err) => err.dir_name(),
        })
        .collect();
    for allowance in allowed {
        anyhow::ensure!(
            names.contains(&allowance.guest),
            "allowed skip `{}`: no such guest (the project has: {})",
            allowance.guest,
            names.join(", ")
        );
    }
    Ok(())
}

/// Runs the matrix.
///
/// # Errors
/// When `guests/` cannot be read or a filter names an unknown guest or host;
/// everything else is kept in the matrix.
pub fn run(
    project: &Project,
    config: &MatrixConfig,
    progress: &(dyn Fn(Event) + Sync),
) -> anyhow::Result<Matrix> {
    for name in &config.hosts {
        if !hosts::NAMES.contains(&name.as_str()) {
            anyhow::bail!("unknown host `{name}` (known: {})", hosts::NAMES.join(", "));
        }
    }
    check_allowances(project, &config.allowed_skips)?;
    let only = only_of_contracts(project, &config.contracts, &config.guests)?;
    let mut guests = build_guests(project, &only, progress)?;
    if !config.contracts.is_empty() {
        guests.retain(|row| {
            row.contract
                .as_ref()
                .is_some_and(|contract| config.contracts.iter().any(|name| name == contract.name()))
        });
    }
    // A row whose contract has none of the selected suites is not in this
    // matrix (as a row the guest filter leaves out is not).
    guests.retain(|row| {
        row.contract.as_ref().is_none_or(|contract| {
            SuiteKind::of(contract)
                .iter()
                .any(|suite| config.suites.contains(suite))
        })
    });
    if guests.is_empty() {
        let suites: Vec<&str> = config.suites.iter().map(|suite| suite.name()).collect();
        anyhow::bail!(
            "no guest's contract has any of the selected suites ({})",
            suites.join(", ")
        );
    }
    let selected = hosts::NAMES
        .iter()
        .filter(|name| config.hosts.is_empty() || config.hosts.iter().any(|host| host == *name));
    let created = selected
        .map(|name| {
            (
                (*name).to_owned(),
                hosts::create(project, name, config.limits).map_err(|err| format!("{err:#}")),
            )
        })
        .collect();
    let mut config = config.clone();
    if config.suite.voters.is_none() {
        config.suite.voters = Some(Arc::new(voter_pool(project, &guests, config.limits)));
    }
    Ok(run_cells(guests, created, &config, progress))
}

/// The voters of the differential suites: every built row of a contract, in
/// a wasmtime host of their own.
pub fn voter_pool(project: &Project, rows: &[GuestRow], limits: Limits) -> VoterPool {
    let built: Vec<Built> = rows
        .iter()
        .filter_map(|row| match &row.status {
            GuestStatus::Built(built) => Some(built.clone()),
            _ => None,
        })
        .collect();
    VoterPool::new(project.clone(), limits, move |contract| {
        Ok(built
            .iter()
            .filter(|built| &built.contract == contract)
            .map(Built::artifact)
            .collect())
    })
}

/// A host column as it was created: its name, and the host or why it could
/// not be created.
pub type CreatedHost = (String, Result<Arc<dyn Host>, String>);

/// Runs every guest row in every host column: the part of [`run`] after the
/// builds, for callers that bring their own guests and hosts.  A host that
/// could not be created (`Err(why)`) or whose probe fails is a column of
/// skipped cells.
pub fn run_cells(
    guests: Vec<GuestRow>,
    created: Vec<CreatedHost>,
    config: &MatrixConfig,
    progress: &(dyn Fn(Event) + Sync),
) -> Matrix {
    let mut columns = Vec::new();
    let mut live_hosts: BTreeMap<String, Arc<dyn Host>> = BTreeMap::new();
    for (name, host) in created {
        let unavailable = match host {
            Ok(host) => match host.probe() {
                Ok(()) => {
                    live_hosts.insert(name.clone(), host);
                    None
                }
                Err(unavailable) => Some(unavailable.to_string()),
            },
            Err(err) => Some(err),
        };
        columns.push(HostColumn { name, unavailable });
    }

    let mut jobs = Vec::new();
    for row in &guests {
        for column in &columns {
            jobs.push((row, column));
        }
    }
    progress(Event::Cells(jobs.len()));
    // Workers pop from the end: the longest cells go last in the queue.
    let mut queue: Vec<_> = jobs.into_iter().enumerate().collect();
    queue.sort_by(|(_, (row_a, column_a)), (_, (row_b, column_b))| {
        let a = config.last_times.priority(row_a, &column_a.name);
        let b = config.last_times.priority(row_b, &column_b.name);
        a.partial_cmp(&b).unwrap_or(std::cmp::Ordering::Equal)
    });
    let queue = Mutex::new(queue);
    let results = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..config.jobs.max(1) {
            scope.spawn(|| {
                loop {
                    let Some((index, (row, column))) = queue.lock().expect("queue lock").pop()
                    else {
                        break;
                    };
                    let host = live_hosts.get(&column.name).cloned();
                    let cell = run_cell(row, column, host, config);
                    progress(Event::CellDone(format!("{}::{}", cell.guest, cell.host)));
                    results.lock().expect("results lock").push((index, cell));
                }
            });
        }
    });
    let mut cells = results.into_inner().expect("results lock");
    cells.sort_by_key(|(index, _)| *index);
    Matrix {
        guests,
        hosts: columns,
        cells: cells.into_iter().map(|(_, cell)| cell).collect(),
        seed: config.suite.seed,
        cases: config.suite.cases,
        allowed_skips: config.allowed_skips.clone(),
        cell_cases: config.cell_cases.clone(),
    }
}

fn run_cell(
    row: &GuestRow,
    column: &HostColumn,
    host: Option<Arc<dyn Host>>,
    config: &MatrixConfig,
) -> CellResult {
    let start = Instant::now();
    let mut cell = CellResult {
        guest: row.name.clone(),
        host: column.name.clone(),
        status: CellStatus::Ran,
        suites: Vec::new(),
        duration: Duration::ZERO,
    };
    cell.status = match (&row.status, &column.unavailable, host) {
        (GuestStatus::Skipped { reason }, _, _) => CellStatus::Skipped {
            reason: reason.clone(),
        },
        (GuestStatus::Failed { .. }, _, _) => CellStatus::Failed {
            message: "the guest did not build".to_owned(),
        },
        (_, Some(reason), _) => CellStatus::Skipped {
            reason: reason.clone(),
        },
        (_, None, None) => CellStatus::Failed {
            message: format!("host `{}` was not created", column.name),
        },
        (GuestStatus::Built(built), None, Some(host)) => {
            let artifact = built.artifact();
            let id = Cell {
                guest: row.name.clone(),
                host: column.name.clone(),
                contract: built.contract.clone(),
            };
            run_suites(&*host, &artifact, &id, config, &mut cell.suites)
        }
    };
    cell.duration = start.elapsed();
    cell
}

/// Opens a session and runs the suites; a host failure ends the cell.
pub fn run_suites(
    host: &dyn Host,
    artifact: &GuestArtifact,
    cell: &Cell,
    config: &MatrixConfig,
    results: &mut Vec<(SuiteKind, SuiteResult)>,
) -> CellStatus {
    let mut session = match host.open(artifact) {
        Ok(session) => Some(session),
        Err(err) => {
            return CellStatus::Failed {
                message: err.to_string(),
            };
        }
    };
    let suites = SuiteKind::of(&cell.contract)
        .iter()
        .filter(|suite| config.suites.contains(suite));
    let suite_config = match config.cell_cases.get(&cell.to_string()) {
        Some(cases) => std::borrow::Cow::Owned(SuiteConfig {
            cases: *cases,
            ..config.suite.clone()
        }),
        None => std::borrow::Cow::Borrowed(&config.suite),
    };
    for suite in suites {
        let outcome = if *suite == SuiteKind::Boundary {
            // The boundary suite takes the session: a probe may kill its host.
            crate::boundary::run(host, artifact, cell, session.take())
        } else {
            let live = match &mut session {
                Some(live) => live,
                None => match host.open(artifact) {
                    Ok(opened) => session.insert(opened),
                    Err(err) => {
                        return CellStatus::Failed {
                            message: format!("during the {} suite: {err}", suite.name()),
                        };
                    }
                },
            };
            suite::run(*suite, &mut **live, cell, &suite_config)
        };
        match outcome {
            Ok(result) => results.push((*suite, result)),
            Err(err) => {
                return CellStatus::Failed {
                    message: format!("during the {} suite: {err}", suite.name()),
                };
            }
        }
    }
    CellStatus::Ran
}

/// The matrix's table as cells, the header first: guests as rows, hosts as
/// columns, each cell its passed and failed counts or why it did not run.
pub fn render_rows(matrix: &Matrix) -> Vec<Vec<String>> {
    let mut header = vec!["guest".to_owned(), "contract".to_owned()];
    header.extend(matrix.hosts.iter().map(|host| host.name.clone()));
    let mut rows = vec![header];
    for guest in &matrix.guests {
        let contract = guest
            .contract
            .as_ref()
            .map_or_else(|| "?".to_owned(), |contract| contract.name().to_owned());
        let mut line = vec![guest.name.clone(), contract];
        for host in &matrix.hosts {
            let cell = matrix
                .cells
                .iter()
                .find(|cell| cell.guest == guest.name && cell.host == host.name);
            line.push(match cell {
                None => "-".to_owned(),
                Some(cell) => match &cell.status {
                    CellStatus::Skipped { reason } => match matrix.allowance(&guest.name) {
                        Some(_) => format!("skipped (allowed): {reason}"),
                        None => format!("skipped: {reason}"),
                    },
                    CellStatus::Failed { message } if cell.suites.is_empty() => {
                        format!("FAILED: {}", message.lines().next().unwrap_or(""))
                    }
                    _ => {
                        let mut text = format!("{} passed", cell.passed());
                        if cell.known() > 0 {
                            text.push_str(&format!(", {} known", cell.known()));
                        }
                        if cell.failed() > 0 {
                            text.push_str(&format!(", {} FAILED", cell.failed()));
                        }
                        text
                    }
                },
            });
        }
        rows.push(line);
    }
    rows
}

/// The matrix as a table: guests as rows, hosts as columns, then each row's
/// component, its imports and exports, and what is flagged.
pub fn render(matrix: &Matrix) -> String {
    let mut text = table(&render_rows(matrix));
    text.push('\n');
    for guest in &matrix.guests {
        match &guest.status {
            GuestStatus::Built(built) => {
                let imports = if built.imports.is_empty() {
                    "nothing".to_owned()
                } else {
                    built.imports.join(", ")
                };
                text.push_str(&format!(
                    "{} ({}): {} bytes, imports {imports}; exports {}\n",
                    guest.name,
                    guest.language,
                    built.size,
                    built.exports.join(", ")
                ));
                if !built.capabilities.granted.is_empty() {
                    let granted: Vec<&str> = built
                        .capabilities
                        .granted
                        .iter()
                        .map(|capability| capability.name())
                        .collect();
                    text.push_str(&format!("  granted: {}\n", granted.join(", ")));
                }
                for flag in built.flags() {
                    text.push_str(&format!("  FLAGGED: {flag}\n"));
                }
            }
            GuestStatus::Skipped { reason } => {
                text.push_str(&format!("{}: skipped: {reason}\n", guest.name));
                if let Some(allowed) = matrix.allowance(&guest.name) {
                    text.push_str(&format!(
                        "  allowed to be skipped (--allow-skip {}): {}\n",
                        allowed.guest, allowed.reason
                    ));
                }
            }
            GuestStatus::Failed { message } => {
                text.push_str(&format!("{}: FAILED: {message}\n", guest.name))
            }
        }
    }
    text
}

/// Left-aligned columns two spaces apart, the first row underlined with
/// dashes: the terminal tables of `test-matrix` and `soak`.
pub fn table(rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..rows.first().map_or(0, Vec::len))
        .map(|column| {
            rows.iter()
                .map(|row| row[column].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for (index, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        text.push_str(cells.join("  ").trim_end());
        text.push('\n');
        if index == 0 {
            text.push_str(
                &widths
                    .iter()
                    .map(|width| "-".repeat(*width))
                    .collect::<Vec<_>>()
                    .join("  "),
            );
            text.push('\n');
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::AllowedSkip;

    #[test]
    fn an_allowed_skip_parses_with_or_without_a_reason() {
        let allowed: AllowedSkip = "tinygo = no registry ships TinyGo".parse().expect("parses");
        assert_eq!(
            (allowed.guest.as_str(), allowed.reason.as_str()),
            ("tinygo", "no registry ships TinyGo")
        );
        let bare: AllowedSkip = "tinygo".parse().expect("parses");
        assert_eq!(bare.reason, "no reason given");
        for bad in ["", "=why", "two words=why", "a/b"] {
            assert!(bad.parse::<AllowedSkip>().is_err(), "{bad:?}");
        }
        let list = AllowedSkip::parse_list("a=x; b ;").expect("parses");
        assert_eq!(list.len(), 2);
        assert_eq!(list[1].guest, "b");
    }

    #[test]
    fn an_allowed_skip_covers_the_rows_linked_with_its_guest_only_for_its_skip() {
        let allowed: AllowedSkip = "tinygo=why".parse().expect("parses");
        assert!(allowed.covers("tinygo", "tinygo not found"));
        let composed = crate::compose::composed_name("c", "tinygo");
        let because = crate::compose::formatter_skipped("tinygo", "tinygo not found");
        assert!(allowed.covers(&composed, &because));
        // The pipeline's own toolchain is missing: not this allowance's to
        // excuse.
        assert!(!allowed.covers(&composed, "pipeline `c`: clang not found"));
        assert!(!allowed.covers("tinygo2", "tinygo not found"));
        assert!(!allowed.covers(&crate::compose::composed_name("tinygo", "rust"), "x"));
    }
}
