//! Tests of the protocol handling against real processes: a fake host
//! (`tests/fake_host.py`) that behaves well or badly on request.

use std::{
    fs,
    path::PathBuf,
    time::{Duration, Instant},
};

use witness_host_api::{
    Call, FormatOptions, GuestArtifact, Host, HostError, Limits, Outcome, Session,
};

use crate::{Config, EnforcedLimits, ExternalHost, ExternalSession};

/// A host that runs `fake_host.py MODE`; the batch deadline is short, so
/// that the hang tests are quick.
fn fake_host(mode: &str) -> ExternalHost {
    let mut config = Config::for_this_repository();
    config.limits = Limits {
        fuel_per_call: 1000,
        memory_bytes: 1 << 20,
        batch_deadline: Duration::from_secs(2),
    };
    config.startup_deadline = Duration::from_secs(2);
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fake_host.py");
    ExternalHost::command(
        "fake",
        "python3",
        vec![script.to_string_lossy().into_owned(), mode.to_owned()],
        config,
    )
}

fn guest() -> GuestArtifact {
    GuestArtifact::new("fake-guest", "/nonexistent/guest.wasm")
}

fn open(mode: &str) -> ExternalSession {
    match fake_host(mode).open_external(&guest()) {
        Ok(session) => session,
        Err(error) => panic!("opening the fake host in mode {mode} failed: {error}"),
    }
}

fn minify(input: &str) -> Call {
    Call::Minify {
        input: input.into(),
    }
}

fn crash_of(result: Result<Vec<Outcome>, HostError>) -> (String, String) {
    match result {
        Err(HostError::Crashed {
            host,
            guest,
            message,
            stderr,
        }) => {
            assert_eq!((host.as_str(), guest.as_str()), ("fake", "fake-guest"));
            (message, stderr)
        }
        other => panic!("expected HostError::Crashed, got {other:?}"),
    }
}

/// Whether a process is gone: no `/proc` entry, or a zombie (dead, waiting
/// for a parent that is not ours to reap it).
fn is_gone(pid: u32) -> bool {
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit(')')
            .next()
            .is_some_and(|rest| rest.trim_start().starts_with('Z')),
    }
}

fn wait_until_gone(pid: u32) -> bool {
    let until = Instant::now() + Duration::from_secs(5);
    while Instant::now() < until {
        if is_gone(pid) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

#[test]
fn a_batch_gets_one_outcome_per_call_in_order() {
    let mut session = open("echo");
    assert_eq!(
        session.ready().limits,
        EnforcedLimits {
            fuel_per_call: Some(1000),
            memory_bytes: Some(1 << 20)
        }
    );
    assert_eq!(session.ready().runtime.as_deref(), Some("fake"));
    let calls = vec![
        minify("[1]"),
        minify("trap"),
        Call::Format {
            input: "err".into(),
            options: Some(FormatOptions {
                indent: 2,
                sort_keys: true,
            }),
        },
        Call::Format {
            input: "\u{e9}\u{1F600}\n\"".into(),
            options: None,
        },
    ];
    let outcomes = session.call_batch(&calls).expect("the echo host answers");
    assert_eq!(
        outcomes,
        [
            Outcome::Ok("[1]".into()),
            Outcome::Trap("unreachable".into()),
            Outcome::Err("at byte 0: err".into()),
            Outcome::Ok("\u{e9}\u{1F600}\n\"".into()),
        ]
    );
    // Batches are numbered, and the session goes on after each.
    let outcomes = session.call_batch(&[minify("2")]).expect("a second batch");
    assert_eq!(outcomes, [Outcome::Ok("2".into())]);
    assert_eq!(session.call_batch(&[]).expect("an empty batch"), []);
}

#[test]
fn raw_strings_carry_inputs_and_outcomes_both_ways() {
    let mut session = open("raw-echo");
    assert!(session.ready().raw_strings);
    let odd = "{\"a\": \"\u{e9}\u{1F600}\"}\n#3\n\\\"";
    let calls = vec![
        minify(odd),
        minify(odd),
        minify("trap"),
        minify(""),
        Call::Format {
            input: "err".into(),
            options: None,
        },
    ];
    let outcomes = session
        .call_batch(&calls)
        .expect("the raw echo host answers");
    assert_eq!(
        outcomes,
        [
            Outcome::Ok(odd.into()),
            Outcome::Ok(odd.into()),
            Outcome::Trap("unreachable".into()),
            Outcome::Ok(String::new()),
            Outcome::Err("at byte 0: err".into()),
        ]
    );
    echoes_copies(&mut session, &"y".repeat(300 * 1024), 50);
}

/// Sends `n` copies of `minify(input)` in one batch and checks that each
/// comes back as it went.
fn echoes_copies(session: &mut ExternalSession, input: &str, n: usize) {
    let calls: Vec<Call> = (0..n).map(|_| minify(input)).collect();
    let outcomes = session.call_batch(&calls).expect("the echo host answers");
    assert_eq!(outcomes.len(), n);
    assert!(
        outcomes
            .iter()
            .all(|outcome| *outcome == Outcome::Ok(input.to_owned()))
    );
}

/// Opens the fake host in `mode`, sends one call, and checks that the batch
/// fails with a message that says `expected`.
fn fails_saying(mode: &str, expected: &str) {
    let mut session = open(mode);
    let (message, _stderr) = crash_of(session.call_batch(&[minify("[1]")]));
    assert!(message.contains(expected), "{message}");
}

#[test]
fn a_raw_string_without_its_newline_is_a_protocol_error() {
    fails_saying(
        "bad-raw",
        "the raw string of 3 bytes is not followed by a newline",
    );
}

#[test]
fn a_big_batch_does_not_deadlock_on_full_pipes() {
    // The fake host answers each call as soon as it reads it, so stdout
    // fills while stdin is still being written: about 8 MB each way.
    echoes_copies(&mut open("echo"), &"x".repeat(8 * 1024), 1000);
}

#[test]
fn garbage_on_stdout_fails_the_batch_and_kills_the_host() {
    let mut session = open("garbage");
    let pid = session
        .process
        .as_ref()
        .map(|process| process.id())
        .expect("a process");
    let started = Instant::now();
    let (message, _stderr) = crash_of(session.call_batch(&[minify("1"), minify("2")]));
    assert!(
        message.contains("expected the outcome of call 0 of 2 in batch 0"),
        "{message}"
    );
    assert!(
        message.contains("\"this is not a protocol line\""),
        "{message}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "garbage is reported at once, not at the deadline"
    );
    assert!(wait_until_gone(pid), "the host process {pid} was killed");
    // The session is spent.
    let (message, _stderr) = crash_of(session.call_batch(&[minify("1")]));
    assert!(message.contains("already failed"), "{message}");
}

#[test]
fn a_line_before_the_ready_line_is_a_protocol_error() {
    let Err(HostError::Load { message, .. }) = fake_host("chatty").open_external(&guest()) else {
        panic!("a host that prints a log line on stdout must not load");
    };
    assert!(
        message.contains("expected the ready line, got \"loading the guest...\""),
        "{message}"
    );
}

#[test]
fn a_crash_reports_the_exit_status_and_stderr() {
    let mut session = open("crash");
    let (message, stderr) = crash_of(session.call_batch(&[minify("1"), minify("2"), minify("3")]));
    assert!(
        message.contains("waiting for the outcome of call 1 of 3 in batch 0"),
        "{message}"
    );
    assert!(message.contains("exited with status 3"), "{message}");
    assert!(
        stderr.contains("fake host: something broke inside"),
        "{stderr}"
    );
}

#[test]
fn a_hang_past_the_deadline_kills_the_process_group() {
    let mut session = open("child-hang");
    let runtime = session.ready().runtime.clone().unwrap_or_default();
    let grandchild: u32 = runtime
        .strip_prefix("child ")
        .and_then(|pid| pid.parse().ok())
        .expect("the child's pid");
    let host_pid = session
        .process
        .as_ref()
        .map(|process| process.id())
        .expect("a process");
    assert!(!is_gone(grandchild), "the grandchild runs before the hang");
    let started = Instant::now();
    let (message, _stderr) = crash_of(session.call_batch(&[minify("1"), minify("2")]));
    let waited = started.elapsed();
    assert!(
        message.contains("timed out waiting for the outcome of call 1 of 2 in batch 0"),
        "{message}"
    );
    assert!(
        waited >= Duration::from_secs(2) && waited < Duration::from_secs(5),
        "waited {waited:?}"
    );
    assert!(
        wait_until_gone(host_pid),
        "the host process {host_pid} was killed"
    );
    assert!(
        wait_until_gone(grandchild),
        "the grandchild {grandchild} was killed with the group"
    );
}

#[test]
fn dropping_a_session_leaves_no_process_behind() {
    let session = open("child-hang");
    let runtime = session.ready().runtime.clone().unwrap_or_default();
    let grandchild: u32 = runtime
        .strip_prefix("child ")
        .and_then(|pid| pid.parse().ok())
        .expect("the child's pid");
    let host_pid = session
        .process
        .as_ref()
        .map(|process| process.id())
        .expect("a process");
    drop(session);
    assert!(
        wait_until_gone(host_pid),
        "the host process {host_pid} ended"
    );
    assert!(
        wait_until_gone(grandchild),
        "the grandchild {grandchild} was killed with the group"
    );
}

#[test]
fn a_host_that_cannot_load_the_guest_is_a_load_error() {
    let Err(HostError::Load { host, message, .. }) = fake_host("not-ready").open_external(&guest())
    else {
        panic!("a ready:false line must be a load error");
    };
    assert_eq!(host, "fake");
    assert!(
        message.contains("the host could not load the guest: no such export"),
        "{message}"
    );
    assert!(
        message.contains("could not parse the component"),
        "stderr is in the message: {message}"
    );
}

#[test]
fn a_silent_host_times_out_at_startup() {
    let started = Instant::now();
    let Err(HostError::Load { message, .. }) = fake_host("silent").open_external(&guest()) else {
        panic!("a host that never gets ready must not load");
    };
    assert!(
        message.contains("timed out waiting for the ready line"),
        "{message}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_wrong_end_line_is_a_protocol_error() {
    fails_saying(
        "wrong-end",
        "expected the end of batch 0, got the end of batch 1",
    );
}

#[test]
fn a_missing_program_is_unavailable() {
    let host = ExternalHost::command(
        "nothing",
        "witness-no-such-program",
        Vec::new(),
        Config::for_this_repository(),
    );
    let unavailable = host.probe().expect_err("there is no such program");
    assert_eq!(unavailable.reason, "witness-no-such-program not found");
}

/// The signatures of json-tools' `format` and `minify`, as the WIT says.
fn formatter_functions() -> Vec<witness_host_api::Function> {
    use std::sync::Arc;
    use witness_host_api::{Function, FunctionKey, Type};
    use witness_value::Field;
    let result = Some(Type::Result {
        ok: Some(Arc::new(Type::String)),
        err: Some(Arc::new(Type::String)),
    });
    let options = Type::Option(Arc::new(Type::Record(
        vec![
            Field {
                name: "indent".into(),
                ty: Type::U32,
            },
            Field {
                name: "sort-keys".into(),
                ty: Type::Bool,
            },
        ]
        .into(),
    )));
    let interface = Some(witness_host_api::FORMATTER_INTERFACE);
    vec![
        Function {
            key: FunctionKey::new(interface, "format"),
            params: vec![("input".into(), Type::String), ("options".into(), options)],
            result: result.clone(),
        },
        Function {
            key: FunctionKey::new(interface, "minify"),
            params: vec![("input".into(), Type::String)],
            result,
        },
    ]
}

fn typed_guest() -> GuestArtifact {
    guest().with_exports(formatter_functions())
}

#[test]
fn protocol_2_calls_carry_typed_values_and_raw_strings() {
    let mut session = fake_host("typed-echo")
        .open_external(&typed_guest())
        .expect("the fake host speaks protocol 2");
    assert_eq!(session.ready().protocol, Some(2));
    let outcomes = session
        .call_batch(&[
            minify("[1,\n 2]"),
            minify("err"),
            minify("trap"),
            Call::Format {
                input: "é😀".into(),
                options: Some(FormatOptions {
                    indent: 4,
                    sort_keys: true,
                }),
            },
        ])
        .expect("a batch");
    assert_eq!(
        outcomes,
        vec![
            Outcome::Ok("[1,\n 2]".into()),
            Outcome::Err("at byte 0: err".into()),
            Outcome::Trap("unreachable".into()),
            Outcome::Ok("é😀".into()),
        ]
    );
    let answers = session
        .call_values(&[minify("x").invocation()])
        .expect("a typed batch");
    assert_eq!(
        answers,
        vec![witness_host_api::Answer::Returned(Some(
            witness_host_api::Value::ok(Some(witness_host_api::Value::String("x".into())))
        ))]
    );
}

#[test]
fn a_host_that_sees_other_types_than_the_wit_is_refused() {
    let Err(HostError::Load { message, .. }) =
        fake_host("typed-mistyped").open_external(&typed_guest())
    else {
        panic!("a mistyped export must fail the load");
    };
    assert!(
        message.contains("the host sees example:json-tools/formatter@1.0.0#format as `format: func(input: string, options: option<record { indent: u32, sort-keys: bool }>) -> result<u8, string>`, but the WIT says `format: func(input: string, options: option<record { indent: u32, sort-keys: bool }>) -> result<string, string>`"),
        "{message}"
    );
    let Err(HostError::Load { message, .. }) =
        fake_host("typed-missing").open_external(&typed_guest())
    else {
        panic!("a missing export must fail the load");
    };
    assert!(
        message.contains("the component does not export example:json-tools/formatter@1.0.0#format; of the contract's functions it exports none of them"),
        "{message}"
    );
}

#[test]
fn a_protocol_1_host_refuses_typed_calls_by_name() {
    let mut session = open("echo");
    let error = session
        .call_values(&[minify("x").invocation()])
        .expect_err("protocol 1 has no typed calls");
    assert!(
        error
            .to_string()
            .contains("speaks protocol 1, which has no typed calls"),
        "{error}"
    );
}
