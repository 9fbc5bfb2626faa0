//! Hostile guests and broken inputs, as trials.
//!
//! - `hostile::<case>::<host>`: a fixture from `tests/fixtures/hostile/` that
//!   loops, hoards memory, overflows its stack, panics, calls a capability it
//!   was not granted, or answers an enormous string, run in one host.  The
//!   trial asserts how the host contains it (a trap, a denied capability, or
//!   the batch deadline), with a message that names the cause, and that the
//!   session (or, after a deadline, a new one) still answers a normal call.
//! - `broken::<input>[::<host>]`: broken inputs to witness itself (a corpus
//!   file that is not UTF-8, a missing or corrupt `.wasm`, a component of the
//!   wrong world, a manifest with a mistake, a missing toolchain, a host that
//!   prints garbage, a damaged cache entry, an interrupted run), each with
//!   an error that names the file, guest or host, and no lost results for the
//!   other cells.
//!
//! Where a host cannot contain something the way wasmtime does, the trial
//! asserts what it does today, with a FIXME.

use std::{
    collections::BTreeMap,
    fs,
    io::{BufRead as _, BufReader},
    os::unix::process::ExitStatusExt as _,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::{Arc, Mutex, OnceLock},
    time::{Duration, Instant},
};

use libtest_mimic::{Failed, Trial};
use witness::{
    build::{self, BuildOutcome},
    guest::{self, Guest},
    host_api::{
        Answer, Call, FunctionKey, GuestArtifact, Host, HostError, Invocation, Limits, Outcome,
        Session, Value,
    },
    hosts::{self, ExternalHost},
    matrix::{self, CellStatus, GuestStatus, MatrixConfig},
    project::Project,
    suite::{self, Cell, CorpusSource, SuiteConfig, SuiteKind},
};

/// The limits of every hostile trial: small, so that a runaway guest is
/// stopped quickly, and the same for every host.
fn hostile_limits() -> Limits {
    Limits {
        fuel_per_call: 500_000_000,
        memory_bytes: 64 << 20,
        batch_deadline: Duration::from_secs(8),
    }
}

/// Set in the environment of the child process of `broken::interrupted-run`.
const INTERRUPT_CHILD: &str = "WITNESS_INTERRUPT_CHILD";

/// When set, every `hostile::` trial appends `case<TAB>host<TAB>outcome` to
/// the file it names: the table of fixtures × hosts, for people.
const OUTCOME_LOG: &str = "WITNESS_HOSTILE_LOG";

fn log_outcome(cell: &str, outcome: &str) {
    let Some(path) = std::env::var_os(OUTCOME_LOG) else {
        return;
    };
    let line = format!(
        "{}\t{}\n",
        cell.replace("::", "\t"),
        shorten(outcome).replace('\n', " ")
    );
    let appended = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut file| std::io::Write::write_all(&mut file, line.as_bytes()));
    if let Err(err) = appended {
        eprintln!("{OUTCOME_LOG}: {err}");
    }
}

/// What a host must do with a fixture's `provoke` call.
#[derive(Clone, Copy, Debug)]
enum Contained {
    /// A trap whose message contains each of these; the next call on the same
    /// session is answered by a fresh instance.
    Trap(&'static [&'static str]),
    /// An `ok` containing each of these; the session goes on.
    Ok(&'static [&'static str]),
    /// An `ok` of exactly this many `x`.
    OkOfLength(usize),
    /// The host cannot stop the call: the batch deadline kills the host
    /// process, the batch fails naming the host, and a new session answers.
    Deadline,
}

/// One hostile case: a fixture, the input of its `provoke` call, and how each
/// host must contain it.
struct Case {
    /// The trial's middle name.
    name: &'static str,
    /// The directory under `tests/fixtures/hostile/`.
    fixture: &'static str,
    /// The input of the `provoke` call.
    input: &'static str,
    /// How `host` must contain it.
    expect: fn(host: &str) -> Contained,
    /// The batch deadline, when the default of [`hostile_limits`] is too short.
    deadline: Option<Duration>,
}

const MIB: usize = 1 << 20;

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "loop",
            fixture: "loop",
            input: "",
            expect: |host| match host {
                "wasmtime" | "python" => Contained::Trap(&["all fuel consumed"]),
                // V8 has no fuel; only the batch deadline stops the loop.
                _ => Contained::Deadline,
            },
            deadline: None,
        },
        Case {
            name: "memory",
            fixture: "memory",
            input: "",
            expect: |host| match host {
                "wasmtime" => Contained::Trap(&["forcing trap when growing memory to"]),
                // wasmtime-py's limit makes `memory.grow` fail instead of trapping: the
                // guest says why on its stderr, then aborts.
                "python" => Contained::Trap(&[
                    "unreachable",
                    "the guest's stderr: memory allocation of 1048576 bytes failed",
                ]),
                _ => Contained::Trap(&[
                    "unreachable",
                    "(out of memory: the guest's linear memory had grown to",
                    "of its limit of 67108864)",
                    "the guest's stderr: memory allocation of 1048576 bytes failed",
                ]),
            },
            deadline: None,
        },
        Case {
            name: "stack",
            fixture: "stack",
            input: "",
            expect: |host| match host {
                "wasmtime" | "python" => Contained::Trap(&["call stack exhausted"]),
                _ => Contained::Trap(&["RangeError", "call stack size exceeded"]),
            },
            deadline: None,
        },
        Case {
            name: "panic",
            fixture: "panic",
            input: "",
            expect: |host| match host {
                // The guest's stderr goes nowhere in wasmtime, so only the
                // backtrace (names kept in the fixture) says it was a panic.
                "wasmtime" => Contained::Trap(&["unreachable", "panic"]),
                _ => Contained::Trap(&[
                    "unreachable",
                    "the guest's stderr:",
                    "the hostile fixture `panic` panics on purpose",
                ]),
            },
            deadline: None,
        },
        Case {
            name: "read-file",
            fixture: "read-file",
            input: "/etc/passwd",
            expect: |_host| {
                Contained::Trap(&[
                    "capability denied: wasi:filesystem/preopens",
                    "#get-directories; grant \"filesystem\" in tests/fixtures/hostile/read-file/guest.toml [capabilities]",
                ])
            },
            deadline: None,
        },
        Case {
            name: "environment",
            fixture: "environment",
            input: "",
            expect: |_host| {
                Contained::Trap(&[
                    "capability denied: wasi:cli/environment",
                    "#get-environment; grant \"environment\" in tests/fixtures/hostile/environment/guest.toml",
                ])
            },
            deadline: None,
        },
        Case {
            name: "arguments",
            fixture: "arguments",
            input: "",
            expect: |_host| {
                Contained::Trap(&[
                    "capability denied: wasi:cli/environment",
                    "#get-arguments; grant \"environment\" in tests/fixtures/hostile/arguments/guest.toml",
                ])
            },
            deadline: None,
        },
        Case {
            name: "wall-clock",
            fixture: "wall-clock",
            input: "",
            expect: |_host| {
                Contained::Trap(&[
                    "capability denied: wasi:clocks/wall-clock",
                    "#now; grant \"clocks\" in tests/fixtures/hostile/wall-clock/guest.toml",
                ])
            },
            deadline: None,
        },
        Case {
            name: "random",
            fixture: "random",
            input: "",
            expect: |_host| {
                Contained::Trap(&[
                    "capability denied: wasi:random/",
                    "grant \"random\" in tests/fixtures/hostile/random/guest.toml",
                ])
            },
            deadline: None,
        },
        Case {
            name: "socket",
            fixture: "socket",
            input: "127.0.0.1:9",
            expect: |_host| {
                Contained::Trap(&[
                    "capability denied: wasi:sockets/",
                    "grant \"sockets\" in tests/fixtures/hostile/socket/guest.toml",
                ])
            },
            deadline: None,
        },
        Case {
            name: "exit",
            fixture: "exit",
            input: "",
            expect: |_host| {
                Contained::Trap(&[
                    "capability denied: wasi:cli/exit",
                    "#exit; grant \"exit\" in tests/fixtures/hostile/exit/guest.toml",
                ])
            },
            deadline: None,
        },
        Case {
            name: "enormous",
            fixture: "enormous",
            // 512 MiB, eight times the memory limit.
            input: "536870912",
            expect: |host| match host {
                "wasmtime" => Contained::Trap(&["forcing trap when growing memory"]),
                _ => Contained::Trap(&[
                    "unreachable",
                    "the guest's stderr: memory allocation of 536870912 bytes failed",
                ]),
            },
            deadline: None,
        },
        Case {
            name: "enormous-within-limit",
            fixture: "enormous",
            // 48 MiB: the largest answer that fits in the 64 MiB limit, by a margin.
            input: "50331648",
            expect: |_host| Contained::OkOfLength(48 * MIB),
            // The browser takes seconds to carry 48 MiB through CDP.
            deadline: Some(Duration::from_secs(60)),
        },
        Case {
            name: "granted",
            fixture: "granted",
            input: "",
            // Every host gives a granted guest the same nothing: no
            // variables and no arguments, not even a program name.
            expect: |_host| {
                Contained::Ok(&[
                    "environment: 0 variables; arguments: 0;",
                    "/etc/passwd: denied",
                    "127.0.0.1:9: denied",
                    "clock: true; random: true",
                ])
            },
            deadline: None,
        },
    ]
}

/// A value made once, by the first trial that needs it.
type Once<T> = Arc<OnceLock<Result<T, String>>>;

/// What every trial of this module shares: the builds and the hosts.
struct Shared {
    project: Project,
    require_all: bool,
    builds: Mutex<BTreeMap<String, Once<GuestArtifact>>>,
    hosts: Mutex<BTreeMap<String, Once<Arc<dyn Host>>>>,
}

/// A trial of broken inputs that needs no host of its own.
type BrokenCheck = fn(&Shared) -> Result<(), Failed>;

impl Shared {
    fn hostile_dir(&self) -> PathBuf {
        self.project
            .root()
            .join("tests")
            .join("fixtures")
            .join("hostile")
    }

    fn broken_dir(&self) -> PathBuf {
        self.hostile_dir().join("broken")
    }

    fn fixture_out_root(&self, which: &str) -> PathBuf {
        self.project.out_dir().join("fixtures").join(which)
    }
}

/// Every trial of this module; `listing` builds and probes nothing.
pub fn trials(listing: bool) -> Vec<Trial> {
    let shared = Arc::new(Shared {
        project: Project::from_build_dir(),
        require_all: witness::require_all_from_env(),
        builds: Mutex::default(),
        hosts: Mutex::default(),
    });
    if std::env::var_os(INTERRUPT_CHILD).is_some() {
        let shared = Arc::clone(&shared);
        return vec![Trial::test("broken::interrupted-run::child", move || {
            interrupted_child(&shared)
        })];
    }
    let mut trials = Vec::new();
    for case in cases() {
        for host_name in hosts::NAMES {
            let name = format!("hostile::{}::{host_name}", case.name);
            let skip = if listing {
                None
            } else {
                host_skip(&shared, host_name)
            };
            let shared = Arc::clone(&shared);
            let (case_name, fixture, input, expected) = (
                case.name,
                case.fixture,
                case.input,
                (case.expect)(host_name),
            );
            let limits = Limits {
                batch_deadline: case.deadline.unwrap_or(hostile_limits().batch_deadline),
                ..hostile_limits()
            };
            trials.push(trial(name, skip, shared.require_all, move || {
                check_contained(
                    &shared, case_name, fixture, input, host_name, expected, limits,
                )
            }));
        }
    }
    let broken: [(&str, BrokenCheck); 8] = [
        ("broken::corpus-not-utf8", corpus_not_utf8),
        ("broken::missing-wasm", |shared| {
            broken_build(shared, "missing-wasm")
        }),
        ("broken::corrupt-wasm", |shared| {
            broken_build(shared, "corrupt-wasm")
        }),
        ("broken::wrong-world", |shared| {
            broken_build(shared, "wrong-world")
        }),
        ("broken::bad-manifest", bad_manifest),
        ("broken::missing-tool", |shared| {
            broken_build(shared, "missing-tool")
        }),
        ("broken::matrix-goes-on", matrix_goes_on),
        ("broken::damaged-compiled-cache", damaged_compiled_cache),
    ];
    for (name, check) in broken {
        let shared = Arc::clone(&shared);
        trials.push(Trial::test(name, move || check(&shared)));
    }
    for input in ["missing-wasm", "corrupt-wasm", "wrong-world"] {
        for host_name in hosts::NAMES {
            let name = format!("broken::{input}::{host_name}");
            let skip = if listing {
                None
            } else {
                host_skip(&shared, host_name)
            };
            let shared = Arc::clone(&shared);
            trials.push(trial(name, skip, shared.require_all, move || {
                refused_by_host(&shared, input, host_name)
            }));
        }
    }
    let skip = if listing {
        None
    } else {
        host_skip(&shared, "browser")
    };
    let hung_shared = Arc::clone(&shared);
    trials.push(trial(
        "hostile::hung-page::browser".to_owned(),
        skip,
        shared.require_all,
        move || hung_page_in_shared_chromium(&hung_shared),
    ));
    let skip = if listing {
        None
    } else {
        host_skip(&shared, "node").or_else(|| host_skip(&shared, "browser"))
    };
    let interrupt_shared = Arc::clone(&shared);
    trials.push(trial(
        "broken::interrupted-run".to_owned(),
        skip,
        shared.require_all,
        move || interrupted_run(&interrupt_shared),
    ));
    trials
}

/// A trial that is ignored, with the reason on stderr, when its host can't
/// run here (and fails with the reason under `WITNESS_REQUIRE_ALL`).
fn trial(
    name: String,
    skip: Option<String>,
    require_all: bool,
    check: impl FnOnce() -> Result<(), Failed> + Send + 'static,
) -> Trial {
    let ignored = skip.is_some() && !require_all;
    if let Some(reason) = &skip
        && ignored
    {
        eprintln!("witness: skipped: {name}: {reason}");
    }
    Trial::test(name, move || match skip {
        Some(reason) => {
            Err(format!("skipped: {reason}, and WITNESS_REQUIRE_ALL makes a skip a failure").into())
        }
        None => check(),
    })
    .with_ignored_flag(ignored)
}

fn host_skip(shared: &Shared, host_name: &str) -> Option<String> {
    host(shared, host_name)
        .err()
        .filter(|err| err.starts_with("skipped: "))
        .map(|err| err["skipped: ".len()..].to_owned())
}

fn host(shared: &Shared, name: &str) -> Result<Arc<dyn Host>, String> {
    let slot = Arc::clone(
        shared
            .hosts
            .lock()
            .expect("hosts lock")
            .entry(name.to_owned())
            .or_default(),
    );
    slot.get_or_init(|| {
        let host = hosts::create(&shared.project, name, hostile_limits())
            .map_err(|err| format!("{err:#}"))?;
        host.probe()
            .map_err(|unavailable| format!("skipped: host `{name}` unavailable: {unavailable}"))?;
        Ok(host)
    })
    .clone()
}

/// Builds a fixture of `tests/fixtures/hostile/` once per process.
fn fixture(shared: &Shared, name: &str) -> Result<GuestArtifact, String> {
    let slot = Arc::clone(
        shared
            .builds
            .lock()
            .expect("builds lock")
            .entry(format!("hostile/{name}"))
            .or_default(),
    );
    slot.get_or_init(|| {
        let guest = guest::load(&shared.hostile_dir().join(name)).map_err(|err| err.to_string())?;
        let guest = Guest {
            out_dir: Some(shared.fixture_out_root("hostile").join(name)),
            ..guest
        };
        match build::build(&shared.project, &guest) {
            BuildOutcome::Built(built) => Ok(built.artifact()),
            BuildOutcome::Skipped(missing) => Err(format!("skipped: {missing}")),
            BuildOutcome::Failed(message) => Err(message),
        }
    })
    .clone()
}

/// Builds the project's Rust guest once per process.
fn rust_guest(shared: &Shared) -> Result<GuestArtifact, String> {
    let slot = Arc::clone(
        shared
            .builds
            .lock()
            .expect("builds lock")
            .entry("guests/rust".to_owned())
            .or_default(),
    );
    slot.get_or_init(|| {
        let guest = guest::load(&shared.project.guests_dir().join("rust"))
            .map_err(|err| err.to_string())?;
        match build::build(&shared.project, &guest) {
            BuildOutcome::Built(built) => Ok(built.artifact()),
            BuildOutcome::Skipped(missing) => Err(format!("skipped: {missing}")),
            BuildOutcome::Failed(message) => Err(message),
        }
    })
    .clone()
}

/// Opens a session; for an external host, checks that its ready line says
/// it enforces the capability policy with exactly the guest's interfaces.
fn open(
    shared: &Shared,
    host_name: &str,
    artifact: &GuestArtifact,
    limits: Limits,
) -> Result<Box<dyn Session>, Failed> {
    if host_name == "wasmtime" {
        return host(shared, host_name)?
            .open(artifact)
            .map_err(|err| err.to_string().into());
    }
    let external = hosts::create_external(&shared.project, host_name, limits)
        .ok_or_else(|| format!("no external host `{host_name}`"))?;
    let session = external
        .open_external(artifact)
        .map_err(|err| err.to_string())?;
    let allowed = artifact.capabilities.allowed_interfaces();
    let enforced = session
        .ready()
        .allowed_imports
        .as_ref()
        .map(|names| names.iter().map(String::as_str).collect::<Vec<_>>());
    if enforced.as_deref() != Some(allowed.as_slice()) {
        return Err(format!("host `{host_name}` should enforce the capability policy {allowed:?}, its ready line says {enforced:?}").into());
    }
    Ok(Box::new(session))
}

/// The interface of the hostile fixtures' contract
/// (`tests/fixtures/hostile/contracts/hostile/`).
const FIXTURE_INTERFACE: &str = "witness:hostile/fixture@0.1.0";

/// `provoke(input)`: the fixture's misbehaviour.
fn provoke(input: &str) -> Invocation {
    Invocation {
        function: FunctionKey::new(Some(FIXTURE_INTERFACE), "provoke"),
        args: vec![Value::String(input.to_owned())],
        fuel_calls: 1,
    }
}

/// `echo(input)`: what a session that contained the misbehaviour answers.
fn echo(input: &str) -> Invocation {
    Invocation {
        function: FunctionKey::new(Some(FIXTURE_INTERFACE), "echo"),
        args: vec![Value::String(input.to_owned())],
        fuel_calls: 1,
    }
}

fn shorten(text: &str) -> String {
    if text.len() <= 300 {
        return text.to_owned();
    }
    let cut = (0..=300)
        .rev()
        .find(|index| text.is_char_boundary(*index))
        .unwrap_or(0);
    format!("{}... ({} bytes)", &text[..cut], text.len())
}

fn check_contained(
    shared: &Shared,
    case_name: &str,
    fixture_name: &str,
    input: &str,
    host_name: &str,
    expected: Contained,
    limits: Limits,
) -> Result<(), Failed> {
    let artifact = fixture(shared, fixture_name)?;
    let mut session = open(shared, host_name, &artifact, limits)?;
    let calls = [provoke(input), echo("[1]")];
    let started = Instant::now();
    let result = session.call_values(&calls);
    let cell = format!("{case_name}::{host_name}");
    match &result {
        Ok(answers) => log_outcome(&cell, &format!("{:?}", answers[0])),
        Err(err) => log_outcome(
            &cell,
            &format!("host failed after {:.1?}: {err}", started.elapsed()),
        ),
    }
    if let Contained::Deadline = expected {
        let Err(HostError::Crashed { host, message, .. }) = result else {
            return Err(format!(
                "{cell}: expected the batch deadline to kill the host, got {:?}",
                result.map(|outcomes| outcomes
                    .iter()
                    .map(|outcome| shorten(&format!("{outcome:?}")))
                    .collect::<Vec<_>>())
            )
            .into());
        };
        let waited = started.elapsed();
        if host != host_name
            || !message.contains("timed out waiting for the outcome of call 0 of 2 in batch 0")
        {
            return Err(format!(
                "{cell}: the failure must name the host and the deadline: host `{host}`: {message}"
            )
            .into());
        }
        if waited < limits.batch_deadline
            || waited > limits.batch_deadline + Duration::from_secs(10)
        {
            return Err(format!(
                "{cell}: the deadline is {:?}, but the batch failed after {waited:?}",
                limits.batch_deadline
            )
            .into());
        }
        // The process is gone; a new session replaces it.
        let mut session = open(shared, host_name, &artifact, limits)?;
        let answers = session
            .call_values(&[echo("[1]")])
            .map_err(|err| err.to_string())?;
        return expect_echo(&cell, "a new session", &answers[0]);
    }
    let answers = result
        .map_err(|err| format!("{cell}: the host failed instead of containing the guest: {err}"))?;
    // `provoke` returns a result<string, string>, which reads as an outcome.
    let provoked = Outcome::of_answer(answers[0].clone());
    match (expected, &provoked) {
        (Contained::Trap(needles), Outcome::Trap(message)) => {
            if let Some(missing) = needles.iter().find(|needle| !message.contains(**needle)) {
                return Err(format!(
                    "{cell}: the trap message lacks {missing:?}: {}",
                    shorten(message)
                )
                .into());
            }
        }
        (Contained::Ok(needles), Outcome::Ok(value)) => {
            if let Some(missing) = needles.iter().find(|needle| !value.contains(**needle)) {
                return Err(
                    format!("{cell}: the answer lacks {missing:?}: {}", shorten(value)).into(),
                );
            }
        }
        (Contained::OkOfLength(n_bytes), Outcome::Ok(value)) => {
            if value.len() != n_bytes || value.bytes().any(|byte| byte != b'x') {
                return Err(format!(
                    "{cell}: expected {n_bytes} bytes of `x`, got {}",
                    shorten(value)
                )
                .into());
            }
        }
        (expected, outcome) => {
            return Err(format!(
                "{cell}: expected {expected:?}, got {}",
                shorten(&format!("{outcome:?}"))
            )
            .into());
        }
    }
    expect_echo(&cell, "the same session", &answers[1])
}

fn expect_echo(cell: &str, session: &str, answer: &Answer) -> Result<(), Failed> {
    match answer {
        Answer::Returned(Some(Value::String(value))) if value == "[1]" => Ok(()),
        other => Err(format!(
            "{cell}: after the hostile call, {session} should answer a normal call, got {other:?}"
        )
        .into()),
    }
}

/// A corpus with a file that is not UTF-8: that file is an error that names
/// it and says why, and the good file beside it still runs and passes.
fn corpus_not_utf8(shared: &Shared) -> Result<(), Failed> {
    let artifact = rust_guest(shared)?;
    let corpus = Scratch::new(&shared.project, "corpus-not-utf8")?;
    fs::write(corpus.path().join("good.json"), "[1, 2]").map_err(|err| err.to_string())?;
    fs::write(corpus.path().join("latin1.json"), b"[\"caf\xe9\"]")
        .map_err(|err| err.to_string())?;
    let config = SuiteConfig {
        voters: None,
        cases: 1,
        seed: 1,
        corpus: CorpusSource::User(corpus.path().to_path_buf()),
        regressions: false,
        record: false,
    };
    let mut session = host(shared, "wasmtime")?
        .open(&artifact)
        .map_err(|err| err.to_string())?;
    let cell = Cell {
        guest: "rust".to_owned(),
        host: "wasmtime".to_owned(),
        contract: json_tools(shared)?,
    };
    let result = suite::run(SuiteKind::Corpus, &mut *session, &cell, &config)
        .map_err(|err| err.to_string())?;
    let expected = format!(
        "{}: not representable as a WIT string: invalid UTF-8 at byte 5",
        corpus.path().join("latin1.json").display()
    );
    if result.errors != [expected.clone()] {
        return Err(format!(
            "expected the one error {expected:?}, got {:?}",
            result.errors
        )
        .into());
    }
    if (result.passed, result.failed) != (1, 1) {
        return Err(format!(
            "the good file must still pass: {} passed, {} failed\n{}",
            result.passed,
            result.failed,
            result.explain(&cell, SuiteKind::Corpus)
        )
        .into());
    }
    Ok(())
}

/// What building a broken fixture must say.
fn broken_build(shared: &Shared, name: &str) -> Result<(), Failed> {
    let guest = broken_guest(shared, name)?;
    let outcome = build::build(&shared.project, &guest);
    let (message, needles): (String, Vec<String>) = match (name, outcome) {
        ("missing-tool", BuildOutcome::Skipped(missing)) => (
            missing.to_string(),
            vec!["witness-no-such-compiler not found (install witness-no-such-compiler from nowhere)".to_owned()],
        ),
        ("missing-wasm", BuildOutcome::Failed(message)) => (
            message,
            vec![
                "guest `missing-wasm`".to_owned(),
                format!("reading the built component {}", guest.out_dir(&shared.project).join("never-written.wasm").display()),
                "No such file".to_owned(),
            ],
        ),
        ("corrupt-wasm", BuildOutcome::Failed(message)) => (
            message,
            vec![
                "guest `corrupt-wasm`".to_owned(),
                guest.out_dir(&shared.project).join("component.wasm").display().to_string(),
                "invalid component".to_owned(),
                "offset".to_owned(),
            ],
        ),
        ("wrong-world", BuildOutcome::Failed(message)) => (
            message,
            vec![
                "guest `wrong-world`".to_owned(),
                "component.wasm: a component of the wrong world: it does not export example:json-tools/formatter@1.0.0 (world `json-processor` of contract `json-tools`); it exports example:json-tools/formatter@2.0.0".to_owned(),
            ],
        ),
        (_, outcome) => return Err(format!("unexpected outcome of building `{name}`: {outcome:?}").into()),
    };
    match needles
        .iter()
        .find(|needle| !message.contains(needle.as_str()))
    {
        Some(missing) => Err(format!("the message lacks {missing:?}:\n{message}").into()),
        None => Ok(()),
    }
}

fn broken_guest(shared: &Shared, name: &str) -> Result<Guest, Failed> {
    let guest = guest::load(&shared.broken_dir().join(name)).map_err(|err| err.to_string())?;
    Ok(Guest {
        out_dir: Some(shared.fixture_out_root("broken").join(name)),
        ..guest
    })
}

/// A manifest with a mistake names its file, the line and the unknown key.
fn bad_manifest(shared: &Shared) -> Result<(), Failed> {
    let dir = shared.broken_dir().join("bad-manifest");
    let Err(err) = guest::load(&dir) else {
        return Err("a manifest with an unknown key must be refused".into());
    };
    let message = err.to_string();
    let needles = [
        dir.join("guest.toml").display().to_string(),
        "line 12".to_owned(),
        "adaptor".to_owned(),
    ];
    match needles
        .iter()
        .find(|needle| !message.contains(needle.as_str()))
    {
        Some(missing) => Err(format!("the message lacks {missing:?}:\n{message}").into()),
        None => Ok(()),
    }
}

/// Hosts refuse a missing, corrupt or wrong-world component with a load
/// error that names the host, the guest and what is wrong.
fn refused_by_host(shared: &Shared, input: &str, host_name: &str) -> Result<(), Failed> {
    let guest = broken_guest(shared, input)?;
    let component = match input {
        "missing-wasm" => guest.out_dir(&shared.project).join("never-written.wasm"),
        _ => {
            // The build writes the component before it checks it, so the
            // rejected file is there to hand to a host directly.
            if let BuildOutcome::Built(built) = build::build(&shared.project, &guest) {
                return Err(format!("`{input}` must not build: {built:?}").into());
            }
            guest.out_dir(&shared.project).join("component.wasm")
        }
    };
    if input != "missing-wasm" && !component.is_file() {
        return Err(format!("the build of `{input}` wrote no {}", component.display()).into());
    }
    let exports = json_tools(shared)?.functions().to_vec();
    let artifact = GuestArtifact::new(input, &component).with_exports(exports);
    let result = match host_name {
        "wasmtime" => host(shared, host_name)?.open(&artifact).map(drop),
        _ => hosts::create_external(&shared.project, host_name, hostile_limits())
            .ok_or_else(|| format!("no external host `{host_name}`"))?
            .open_external(&artifact)
            .map(drop),
    };
    let Err(HostError::Load {
        host,
        guest,
        message,
    }) = result
    else {
        return Err(
            format!("{host_name} must refuse `{input}` with a load error, got {result:?}").into(),
        );
    };
    if (host.as_str(), guest.as_str()) != (host_name, input) {
        return Err(format!("the load error names host `{host}` and guest `{guest}`").into());
    }
    let expected: &[&str] = match (input, host_name) {
        ("missing-wasm", _) => &["never-written.wasm", "No such file"],
        ("corrupt-wasm", "wasmtime") => &["component.wasm", "failed to parse WebAssembly module"],
        ("corrupt-wasm", "python") => &["component.wasm", "failed to parse WebAssembly module"],
        ("corrupt-wasm", _) => &["jco transpile", "component.wasm"],
        ("wrong-world", "wasmtime") => &[
            "component.wasm",
            "the component does not export example:json-tools/formatter@1.0.0#format; it exports example:json-tools/formatter@2.0.0#format",
        ],
        // Every host checks the component against the WIT's signatures: the
        // external hosts report what they found (protocol 2), and the
        // harness names what is missing.
        ("wrong-world", _) => &[
            "the component does not export example:json-tools/formatter@1.0.0#format; of the contract's functions it exports none of them",
        ],
        _ => &[],
    };
    match expected.iter().find(|needle| !message.contains(**needle)) {
        Some(missing) => Err(format!(
            "{host_name}'s load error lacks {missing:?}:\n{}",
            shorten(&message)
        )
        .into()),
        None => Ok(()),
    }
}

/// A matrix with broken guests and a host that prints garbage: every broken
/// row and the garbage column are reported with what is wrong, and the good
/// cell (the Rust guest in wasmtime) still runs and passes.
fn matrix_goes_on(shared: &Shared) -> Result<(), Failed> {
    let project = &shared.project;
    let mut discovered = vec![guest::load(&project.guests_dir().join("rust"))];
    discovered.extend(
        guest::discover_in(&shared.broken_dir(), &shared.fixture_out_root("broken"))
            .map_err(|err| err.to_string())?,
    );
    let rows =
        matrix::build_rows(project, discovered, &[], &|_| {}).map_err(|err| format!("{err:#}"))?;
    let mut external = hosts::external::Config::new(project.root());
    external.work_dir = project.out_dir();
    external.startup_deadline = Duration::from_secs(20);
    let fake_host = project
        .root()
        .join("hosts")
        .join("external")
        .join("tests")
        .join("fake_host.py");
    let garbage = ExternalHost::command(
        "garbage",
        "python3",
        vec![fake_host.display().to_string(), "garbage".to_owned()],
        external,
    );
    let created: Vec<matrix::CreatedHost> = vec![
        ("wasmtime".to_owned(), host(shared, "wasmtime")),
        ("garbage".to_owned(), Ok(Arc::new(garbage))),
    ];
    let config = MatrixConfig {
        contracts: Vec::new(),
        guests: Vec::new(),
        hosts: Vec::new(),
        suites: vec![SuiteKind::Corpus],
        suite: SuiteConfig {
            voters: None,
            cases: 1,
            seed: 1,
            corpus: witness::json_tools::project_corpus(project),
            regressions: false,
            record: false,
        },
        limits: Limits::default(),
        jobs: 2,
        last_times: matrix::CellTimes::default(),
        allowed_skips: Vec::new(),
        cell_cases: Default::default(),
    };
    let matrix = matrix::run_cells(rows, created, &config, &|_| {});
    let table = matrix::render(&matrix);
    let cell = |guest: &str, host: &str| {
        matrix
            .cells
            .iter()
            .find(|cell| cell.guest == guest && cell.host == host)
    };
    let row = |guest: &str| matrix.guests.iter().find(|row| row.name == guest);
    let mut problems = Vec::new();
    match cell("rust", "wasmtime") {
        Some(cell)
            if matches!(cell.status, CellStatus::Ran)
                && cell.passed() > 0
                && cell.failed() == 0 => {}
        other => problems.push(format!("rust::wasmtime must run and pass: {other:?}")),
    }
    match cell("rust", "garbage").map(|cell| &cell.status) {
        Some(CellStatus::Failed { message })
            if message.contains("host `garbage` failed running guest `rust`")
                && message.contains("\"this is not a protocol line\"") => {}
        other => problems.push(format!(
            "rust::garbage must fail naming the host and the garbage: {other:?}"
        )),
    }
    let expected_rows: [(&str, &str); 7] = [
        ("bad-contract", "bad-contract/wit: the WIT does not parse"),
        ("bad-manifest", "unknown field `adaptor`"),
        ("corrupt-wasm", "invalid component"),
        ("missing-tool", "witness-no-such-compiler not found"),
        ("missing-wasm", "never-written.wasm"),
        (
            "unknown-contract",
            "unknown-contract/guest.toml: names the contract `json-toolz`, but no directory above it has `contracts/json-toolz/contract.toml`",
        ),
        ("wrong-world", "a component of the wrong world"),
    ];
    for (name, needle) in expected_rows {
        let message = match row(name).map(|row| &row.status) {
            Some(GuestStatus::Failed { message } | GuestStatus::Skipped { reason: message }) => {
                message.clone()
            }
            other => {
                problems.push(format!("row `{name}` must fail or be skipped: {other:?}"));
                continue;
            }
        };
        if !message.contains(needle) {
            problems.push(format!("row `{name}` must say {needle:?}: {message}"));
        }
        if !table.contains(&format!("{name}: ")) {
            problems.push(format!("the table must show row `{name}`"));
        }
        for host in ["wasmtime", "garbage"] {
            match cell(name, host).map(|cell| &cell.status) {
                Some(CellStatus::Failed { .. } | CellStatus::Skipped { .. }) => {}
                other => {
                    problems.push(format!("{name}::{host} must fail or be skipped: {other:?}"))
                }
            }
        }
    }
    if !matrix.failed(false) {
        problems.push("the matrix as a whole must fail".to_owned());
    }
    match problems.is_empty() {
        true => Ok(()),
        false => Err(format!("{}\n\n{table}", problems.join("\n")).into()),
    }
}

/// A damaged entry in the compiled-component cache (as an interrupted write
/// of an older witness could have left) is not trusted: the component is
/// compiled again and the entry replaced.
fn damaged_compiled_cache(shared: &Shared) -> Result<(), Failed> {
    let artifact = rust_guest(shared)?;
    let cache = Scratch::new(&shared.project, "damaged-compiled-cache")?;
    let make_host = || {
        let mut config = hosts::wasmtime::HostConfig::new(cache.path());
        config.max_instances = 4;
        hosts::WasmtimeHost::new(config).map_err(|err| format!("{err:#}"))
    };
    let first = make_host()?;
    drop(first.open(&artifact).map_err(|err| err.to_string())?);
    let entries = || -> Result<Vec<PathBuf>, String> {
        let mut entries: Vec<PathBuf> = fs::read_dir(cache.path())
            .map_err(|err| err.to_string())?
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .collect();
        entries.sort();
        Ok(entries)
    };
    let written = entries()?;
    let [entry] = written.as_slice() else {
        return Err(format!("expected one cache entry, found {written:?}").into());
    };
    fs::write(entry, b"half of a compiled component").map_err(|err| err.to_string())?;
    let second = make_host()?;
    let mut session = second
        .open(&artifact)
        .map_err(|err| format!("a damaged cache entry must be recompiled: {err}"))?;
    let outcomes = session
        .call_batch(&[Call::Minify {
            input: "[ 1 ]".to_owned(),
        }])
        .map_err(|err| err.to_string())?;
    if outcomes != [Outcome::Ok("[1]".to_owned())] {
        return Err(format!("the recompiled guest answered {outcomes:?}").into());
    }
    let size = fs::metadata(entry).map_err(|err| err.to_string())?.len();
    if size < 1000 || entries()? != written {
        return Err(format!(
            "the entry must be replaced by a whole one ({size} bytes), and nothing else left: {:?}",
            entries()?
        )
        .into());
    }
    Ok(())
}

/// One Chromium serves every session of a browser column, each in a context
/// of its own: a guest that hangs its page (the `loop` fixture) must not
/// stall a session beside it in the same Chromium, and once the batch
/// deadline kills its driver, its renderer must be gone, not left spinning,
/// and the same Chromium must serve a new session.
fn hung_page_in_shared_chromium(shared: &Shared) -> Result<(), Failed> {
    let limits = hostile_limits();
    let host = hosts::create_external(&shared.project, "browser", limits)
        .ok_or("no external host `browser`")?;
    let looping = fixture(shared, "loop")?;
    let echoing = fixture(shared, "panic")?;
    let mut neighbour = host
        .open_external(&echoing)
        .map_err(|err| err.to_string())?;
    let group = host
        .shared_browser_group()
        .ok_or("the browser host should run one shared Chromium")?;
    let mut hung = host
        .open_external(&looping)
        .map_err(|err| err.to_string())?;
    if host.shared_browser_group() != Some(group) {
        return Err("the second session should use the first one's Chromium".into());
    }
    let spinning = std::thread::spawn(move || hung.call_values(&[provoke(""), echo("[1]")]));
    // While the page spins, its neighbour answers.
    std::thread::sleep(Duration::from_secs(2));
    let answers = neighbour
        .call_values(&[echo("[1]")])
        .map_err(|err| err.to_string())?;
    expect_echo(
        "hung-page::browser",
        "a session beside the hung page",
        &answers[0],
    )?;
    // The check below can see a spinning renderer: this one, now.
    let before = renderer_cpu_ticks(group);
    std::thread::sleep(Duration::from_secs(1));
    let after = renderer_cpu_ticks(group);
    let busiest = after
        .iter()
        .map(|(pid, ticks)| ticks - before.get(pid).copied().unwrap_or(0))
        .max()
        .unwrap_or(0);
    if busiest < 20 {
        return Err(format!(
            "while the page spins, one renderer of the shared Chromium should burn a core, but the busiest spent {busiest} ticks in 1 s (is /proc readable?)"
        )
        .into());
    }
    let result = spinning
        .join()
        .map_err(|_| "the hung session's thread panicked")?;
    let Err(HostError::Crashed { message, .. }) = result else {
        return Err(format!(
            "the batch deadline should have killed the hung driver, got {result:?}"
        )
        .into());
    };
    if !message.contains("timed out") {
        return Err(format!("the failure should name the deadline: {message}").into());
    }
    // The driver is gone, and Chromium disposed of its context: no renderer
    // of the shared Chromium may still be burning a core.
    std::thread::sleep(Duration::from_secs(1));
    let before_idle = renderer_cpu_ticks(group);
    std::thread::sleep(Duration::from_secs(2));
    let after = renderer_cpu_ticks(group);
    // Against the spinning renderer's own rate, measured above on this
    // (shared, loaded) machine: an idle renderer spends next to nothing.
    let limit = (busiest / 2).max(10);
    for (pid, ticks) in &after {
        let spent = ticks - before_idle.get(pid).copied().unwrap_or(0);
        if spent > limit {
            return Err(format!(
                "renderer {pid} of the shared Chromium spent {spent} ticks of CPU in 2 s after its driver was killed (a spinning one spent {busiest} in 1 s): the hung page is still running"
            )
            .into());
        }
    }
    if host.shared_browser_group() != Some(group) {
        return Err("the shared Chromium should have survived the hung page".into());
    }
    let mut fresh = host
        .open_external(&echoing)
        .map_err(|err| err.to_string())?;
    let answers = fresh
        .call_values(&[echo("[1]")])
        .map_err(|err| err.to_string())?;
    expect_echo(
        "hung-page::browser",
        "a new session in the same Chromium",
        &answers[0],
    )
}

/// The CPU time (user + system, in clock ticks) of every Chromium renderer
/// in the process group `group`, by pid, from /proc.
fn renderer_cpu_ticks(group: i32) -> std::collections::HashMap<u32, u64> {
    let mut ticks = std::collections::HashMap::new();
    let Ok(entries) = fs::read_dir("/proc") else {
        return ticks;
    };
    for entry in entries.filter_map(Result::ok) {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|name| name.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(cmdline) = fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        if !String::from_utf8_lossy(&cmdline).contains("--type=renderer") {
            continue;
        }
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // The fields after the command's closing parenthesis: state is the
        // 3rd field of the line, pgrp the 5th, utime the 14th, stime the 15th.
        let Some((_, rest)) = stat.rsplit_once(") ") else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let field = |n: usize| {
            fields
                .get(n - 3)
                .and_then(|value| value.parse::<u64>().ok())
        };
        if field(5) != u64::try_from(group).ok() {
            continue;
        }
        if let (Some(user), Some(system)) = (field(14), field(15)) {
            ticks.insert(pid, user + system);
        }
    }
    ticks
}

/// Ctrl-C during a run: a child process (this test binary, running
/// `broken::interrupted-run::child`) opens node and browser sessions of the
/// `loop` fixture and calls them, so that both hosts spin; SIGINT to the child
/// must kill both host process groups (Chromium too), and leave no cache
/// entry half-written.
fn interrupted_run(shared: &Shared) -> Result<(), Failed> {
    // Build and transpile before the child starts, so that it only runs.
    fixture(shared, "loop")?;
    let exe = std::env::current_exe().map_err(|err| err.to_string())?;
    let mut command = Command::new(exe);
    // The child stands for a harness run from a terminal, where Ctrl-C has
    // its default action.  This test process may have been started with
    // SIGINT ignored (a fresh-clone CI run started in the background did:
    // the child then ignored the signal and never exited), and the child
    // would inherit that.
    // SAFETY: `signal` is async-signal-safe, as `pre_exec` requires.
    #[allow(unsafe_code)]
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut command, || {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            Ok(())
        });
    }
    let mut child = command
        .args([
            "broken::interrupted-run::child",
            "--exact",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env(INTERRUPT_CHILD, "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|err| err.to_string())?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                return;
            }
        }
    });
    let mut host_pids = Vec::new();
    let mut host_groups = Vec::new();
    let until = Instant::now() + Duration::from_secs(240);
    loop {
        let line = receiver.recv_timeout(until.saturating_duration_since(Instant::now()));
        let Ok(line) = line else {
            let _ = child.kill();
            return Err(format!(
                "the child never started its calls (host pids so far: {host_pids:?})"
            )
            .into());
        };
        // With --nocapture, libtest prints the trial's name on the line
        // where the trial's own first output goes.
        if let Some(pid) = line
            .split("host-pid ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().nth(1))
        {
            host_pids.push(pid.parse::<u32>().map_err(|err| err.to_string())?);
        }
        if let Some(group) = line
            .split("host-group ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().nth(1))
        {
            host_groups.push(group.parse::<u32>().map_err(|err| err.to_string())?);
        }
        if line.ends_with("calling") {
            break;
        }
    }
    // Let both calls get into the guest's loop.
    std::thread::sleep(Duration::from_secs(2));
    let members: Vec<u32> = host_pids
        .iter()
        .chain(&host_groups)
        .flat_map(|pid| group_members(*pid))
        .collect();
    let chromium: Vec<u32> = host_groups
        .iter()
        .flat_map(|group| group_members(*group))
        .collect();
    if host_pids.len() != 2
        || host_pids.iter().any(|pid| !members.contains(pid))
        || host_groups.len() != 1
        || chromium.len() < 2
    {
        let _ = child.kill();
        // Its hosts are in groups of their own: a failed check must not leave
        // them spinning.
        kill_groups(host_pids.iter().chain(&host_groups));
        return Err(format!("expected the node and browser hosts {host_pids:?}, and the shared Chromium's server and processes in the group {host_groups:?}, found {members:?}").into());
    }
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .map_err(|err| err.to_string())?;
    if !status.success() {
        return Err("kill -INT failed".into());
    }
    // Generous: on a loaded 2-core machine a process that reserved the
    // pooling allocator's address space can take a while to be torn down.
    let interrupted = Instant::now();
    let until = interrupted + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|err| err.to_string())? {
            break status;
        }
        if Instant::now() > until {
            // Say where the child is stuck before killing it.
            let state = fs::read_to_string(format!("/proc/{}/status", child.id()))
                .map(|status| {
                    status
                        .lines()
                        .filter(|line| {
                            line.starts_with("State:")
                                || line.starts_with("SigIgn:")
                                || line.starts_with("SigCgt:")
                                || line.starts_with("SigBlk:")
                                || line.starts_with("SigPnd:")
                                || line.starts_with("ShdPnd:")
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .unwrap_or_default();
            let _ = child.kill();
            // Its hosts are in groups of their own: a failed check must not leave
            // them spinning.
            kill_groups(host_pids.iter().chain(&host_groups));
            return Err(format!(
                "the interrupted child did not exit within {:?} of SIGINT ({state})",
                interrupted.elapsed()
            )
            .into());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    if status.signal() != Some(2) {
        return Err(format!(
            "the child must die of SIGINT, as it would have without the handler: {status:?}"
        )
        .into());
    }
    let until = Instant::now() + Duration::from_secs(10);
    let mut alive: Vec<u32> = members.clone();
    while !alive.is_empty() && Instant::now() < until {
        alive.retain(|pid| !is_gone(*pid));
        std::thread::sleep(Duration::from_millis(50));
    }
    if !alive.is_empty() {
        for pid in &alive {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
        return Err(format!(
            "orphans after Ctrl-C: {alive:?} of the host process groups {members:?}"
        )
        .into());
    }
    half_written_cache_entries(&shared.project)
}

/// The child of `broken::interrupted-run`: never returns until it is killed.
fn interrupted_child(shared: &Shared) -> Result<(), Failed> {
    let artifact = fixture(shared, "loop")?;
    let limits = Limits {
        batch_deadline: Duration::from_secs(600),
        ..hostile_limits()
    };
    let mut sessions = Vec::new();
    for host_name in ["node", "browser"] {
        let host =
            hosts::create_external(&shared.project, host_name, limits).ok_or("no such host")?;
        let session = host
            .open_external(&artifact)
            .map_err(|err| err.to_string())?;
        println!("host-pid {host_name} {}", session.pid().ok_or("no pid")?);
        // The browser column's Chromium runs in a group of its own, shared
        // by its sessions.
        if let Some(group) = host.shared_browser_group() {
            println!("host-group {host_name} {group}");
        }
        sessions.push(session);
    }
    let threads: Vec<_> = sessions
        .into_iter()
        .map(|mut session| {
            std::thread::spawn(move || session.call_values(&[provoke("")]).map(drop))
        })
        .collect();
    println!("calling");
    for thread in threads {
        let _ = thread.join();
    }
    Err("the calls returned, but they should spin until the interrupt".into())
}

/// Every process whose process group is `pgid`.
fn group_members(pgid: u32) -> Vec<u32> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
                return false;
            };
            // After the `(comm)`: state, ppid, pgrp.
            stat.rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(2))
                .and_then(|pgrp| pgrp.parse::<u32>().ok())
                == Some(pgid)
        })
        .collect()
}

/// Kills the process groups `groups` (each named by its leader's pid).
fn kill_groups<'a>(groups: impl IntoIterator<Item = &'a u32>) {
    for group in groups {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{group}")])
            .status();
    }
}

/// Whether a process is gone (or a zombie that only waits to be reaped).
fn is_gone(pid: u32) -> bool {
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
    }
}

/// No cache entry is half-written: every jco entry has its `guest.js`, every
/// compiled component is a whole `.cwasm` (temporary files, which nothing
/// trusts, are allowed).
fn half_written_cache_entries(project: &Project) -> Result<(), Failed> {
    let mut problems = Vec::new();
    let jco = project.cache_dir("jco");
    for entry in fs::read_dir(&jco)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with(".tmp") && !entry.path().join("guest.js").is_file() {
            problems.push(format!(
                "{}: a jco entry without guest.js",
                entry.path().display()
            ));
        }
    }
    let wasmtime = project.cache_dir("wasmtime");
    for entry in fs::read_dir(&wasmtime)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".cwasm") && !is_compiled_component(&path) {
            problems.push(format!(
                "{}: not a whole compiled component",
                path.display()
            ));
        }
    }
    match problems.is_empty() {
        true => Ok(()),
        false => Err(problems.join("\n").into()),
    }
}

/// A compiled component is an ELF file.
fn is_compiled_component(path: &Path) -> bool {
    fs::read(path).is_ok_and(|bytes| bytes.starts_with(b"\x7fELF"))
}

/// A directory of its own under `target/witness/tmp/`, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(project: &Project, name: &str) -> Result<Scratch, String> {
        let path = project
            .out_dir()
            .join("tmp")
            .join(format!("{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).map_err(|err| format!("creating {}: {err}", path.display()))?;
        Ok(Scratch(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// The json-tools contract, which the hostile fixtures implement.
fn json_tools(shared: &Shared) -> Result<witness::contract::Contract, String> {
    witness::contract::named(&shared.project, "json-tools").map_err(|err| err.to_string())
}
