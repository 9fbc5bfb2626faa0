//! One host process and the pipes to it: start it in a process group of its
//! own, exchange batches with a deadline, keep the tail of its stderr, and
//! kill the whole group when something goes wrong or the process is dropped.
//!
//! Three threads per process keep every pipe moving, so that neither side
//! can block the other: a writer owns stdin (a big batch never deadlocks
//! against a host that is busy writing answers), and two readers drain
//! stdout (into a channel of lines) and stderr (into a bounded tail).

use std::{
    collections::VecDeque,
    io::{self, BufRead, BufReader, Read, Write},
    os::unix::process::{CommandExt, ExitStatusExt},
    process::{Child, ChildStdin, Command, ExitStatus, Stdio},
    sync::{Arc, Mutex, mpsc},
    thread,
    time::{Duration, Instant},
};

use rustix::process::{Pid, Signal, kill_process_group};
use witness_host_api::{Answer, Call, Invocation, Outcome, Type};

use crate::{
    interrupt,
    protocol::{self, Ready},
};

/// How much of a host's stderr is kept for a report.
const STDERR_TAIL_BYTES: usize = 16 * 1024;

/// The longest stdout line accepted; a longer one is a protocol error.
const MAX_LINE_BYTES: u64 = 1 << 30;

/// How long a dropped host may take to exit after its stdin is closed.
const EXIT_GRACE: Duration = Duration::from_secs(3);

/// How long to wait for the last of stderr once the process is gone.
const STDERR_DRAIN: Duration = Duration::from_millis(500);

/// What went wrong with a host process, before it is turned into a
/// [`witness_host_api::HostError`] with the host's and guest's names.
#[derive(Debug)]
pub(crate) struct Failure {
    /// What happened, for a person.
    pub(crate) message: String,
    /// The tail of the process's stderr.
    pub(crate) stderr: String,
}

enum StdoutEvent {
    Line(Vec<u8>),
    /// A raw string: the bytes after a `#N` line (docs/host-protocol.md,
    /// "Raw strings").
    Raw(Vec<u8>),
    /// A `#N` line whose N bytes were not followed by a newline.
    BadRaw(String),
    /// Stdout ended; a non-empty value is an unterminated last line.
    Eof(Vec<u8>),
    Error(io::Error),
    TooLong,
}

/// A running host process.
pub(crate) struct HostProcess {
    child: Child,
    pgid: Option<Pid>,
    to_stdin: Option<mpsc::Sender<Vec<u8>>>,
    lines: mpsc::Receiver<StdoutEvent>,
    stderr_tail: Arc<Mutex<VecDeque<u8>>>,
    stderr_done: mpsc::Receiver<()>,
    /// Set once the process was killed or failed; it answers nothing more.
    dead: bool,
    /// The host reads calls' inputs as raw strings (its ready line said
    /// `"raw-strings": true`).
    raw_strings: bool,
}

impl HostProcess {
    /// Starts `command` and waits for its ready line.
    ///
    /// # Errors
    /// A [`Failure`] when the process can't start, exits, prints something
    /// else than a ready line, or says `"ready": false`; it is killed then.
    pub(crate) fn start(
        mut command: Command,
        startup_deadline: Duration,
    ) -> Result<(HostProcess, Ready), Failure> {
        let program = format!("{:?}", command.get_program());
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // A group of its own, so that killing the group also kills what
            // the host started (Chromium and its helpers).
            .process_group(0);
        let mut child = command.spawn().map_err(|error| Failure {
            message: format!("could not start {program}: {error}"),
            stderr: String::new(),
        })?;
        let pgid = i32::try_from(child.id()).ok().and_then(Pid::from_raw);
        // From now on an interrupt of the harness (Ctrl-C) kills this group.
        if let Some(pgid) = pgid {
            interrupt::register(pgid.as_raw_nonzero().get());
        }

        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            // Unreachable with Stdio::piped(), but a host is not worth a panic.
            let _ = child.kill();
            let _ = child.wait();
            if let Some(pgid) = pgid {
                interrupt::unregister(pgid.as_raw_nonzero().get());
            }
            return Err(Failure {
                message: format!("{program} started without pipes"),
                stderr: String::new(),
            });
        };

        let to_stdin = spawn_writer(stdin);
        let lines = spawn_stdout_reader(stdout);
        let stderr_tail = Arc::new(Mutex::new(VecDeque::with_capacity(STDERR_TAIL_BYTES)));
        let stderr_done = spawn_stderr_reader(stderr, Arc::clone(&stderr_tail));

        let mut process = HostProcess {
            child,
            pgid,
            to_stdin: Some(to_stdin),
            lines,
            stderr_tail,
            stderr_done,
            dead: false,
            raw_strings: false,
        };
        let deadline = Instant::now() + startup_deadline;
        let ready = process
            .next_line(deadline, "the ready line")
            .and_then(|line| protocol::decode_ready(&line))
            .and_then(|ready| match ready.ready {
                true => Ok(ready),
                false => Err(format!(
                    "the host could not load the guest: {}",
                    ready.error.as_deref().unwrap_or("no reason given")
                )),
            });
        match ready {
            Ok(ready) => {
                process.raw_strings = ready.raw_strings;
                Ok((process, ready))
            }
            Err(message) => Err(process.fail(message)),
        }
    }

    /// Sends a batch and reads one outcome per call and the end line, all
    /// before `deadline`.
    ///
    /// # Errors
    /// A [`Failure`] when the process crashed, hung past the deadline or
    /// broke the protocol; the process is killed then.
    pub(crate) fn exchange(
        &mut self,
        batch_id: u64,
        calls: &[Call],
        deadline: Instant,
    ) -> Result<Vec<Outcome>, Failure> {
        let payload = protocol::encode_batch(batch_id, calls, self.raw_strings);
        self.exchange_with(
            batch_id,
            payload,
            calls.len(),
            |process, _, what| process.next_outcome(deadline, what),
            deadline,
        )
    }

    /// Sends a protocol 2 batch of typed calls and reads one answer per
    /// call and the end line, all before `deadline`; `results[i]` is the
    /// result type of call `i`, by which its answer is read.
    ///
    /// # Errors
    /// As [`HostProcess::exchange`].
    pub(crate) fn exchange_typed(
        &mut self,
        batch_id: u64,
        invocations: &[Invocation],
        results: &[Option<&Type>],
        deadline: Instant,
    ) -> Result<Vec<Answer>, Failure> {
        let payload = protocol::encode_invocations(batch_id, invocations, self.raw_strings);
        self.exchange_with(
            batch_id,
            payload,
            invocations.len(),
            |process, call_idx, what| process.next_answer(deadline, results[call_idx], what),
            deadline,
        )
    }

    /// Sends one probe in a batch of its own and reads what the host did.
    pub(crate) fn exchange_probe(
        &mut self,
        batch_id: u64,
        probe: &witness_host_api::Probe,
        result: Option<&Type>,
        deadline: Instant,
    ) -> Result<witness_host_api::ProbeAnswer, Failure> {
        let payload = protocol::encode_probe(batch_id, probe);
        let mut answers = self.exchange_with(
            batch_id,
            payload,
            1,
            |process, _, what| {
                let (raw_strings, line) = process.next_answer_frames(deadline, what)?;
                protocol::decode_probe_answer(&line, raw_strings, result, what)
            },
            deadline,
        )?;
        Ok(answers.remove(0))
    }

    fn exchange_with<T>(
        &mut self,
        batch_id: u64,
        payload: Vec<u8>,
        n_calls: usize,
        mut next: impl FnMut(&mut HostProcess, usize, &str) -> Result<T, String>,
        deadline: Instant,
    ) -> Result<Vec<T>, Failure> {
        if self.dead {
            return Err(Failure {
                message: "the host process already failed".into(),
                stderr: self.stderr_tail(),
            });
        }
        let sent = self
            .to_stdin
            .as_ref()
            .is_some_and(|to_stdin| to_stdin.send(payload).is_ok());
        if !sent {
            return Err(self.fail("the host process closed its stdin".into()));
        }
        let mut answers = Vec::with_capacity(n_calls);
        for call_idx in 0..n_calls {
            let what = format!("the outcome of call {call_idx} of {n_calls} in batch {batch_id}");
            match next(self, call_idx, &what) {
                Ok(answer) => answers.push(answer),
                Err(message) => return Err(self.fail(message)),
            }
        }
        let what = format!("the end line of batch {batch_id}");
        if let Err(message) = self
            .next_line(deadline, &what)
            .and_then(|line| protocol::check_end(&line, batch_id))
        {
            return Err(self.fail(message));
        }
        Ok(answers)
    }

    /// The next protocol 2 answer: the raw strings before it, and its line.
    fn next_answer(
        &mut self,
        deadline: Instant,
        result: Option<&Type>,
        what: &str,
    ) -> Result<Answer, String> {
        let (raw_strings, line) = self.next_answer_frames(deadline, what)?;
        protocol::decode_answer(&line, raw_strings, result, what)
    }

    /// The frames of the next protocol 2 answer: the raw strings before its
    /// line, and the line.
    fn next_answer_frames(
        &mut self,
        deadline: Instant,
        what: &str,
    ) -> Result<(Vec<String>, Vec<u8>), String> {
        let mut raw_strings = Vec::new();
        loop {
            match self.next_frame(deadline, what)? {
                Frame::Raw(raw) => raw_strings.push(utf8(raw, what)?),
                Frame::Line(line) => return Ok((raw_strings, line)),
            }
        }
    }

    /// The next outcome: a line, or a raw string and the line it belongs to.
    fn next_outcome(&mut self, deadline: Instant, what: &str) -> Result<Outcome, String> {
        match self.next_frame(deadline, what)? {
            Frame::Line(line) => protocol::decode_outcome(&line, None, what),
            Frame::Raw(raw) => {
                let value = utf8(raw, what)?;
                let line = self.next_line(deadline, what)?;
                protocol::decode_outcome(&line, Some(value), what)
            }
        }
    }

    /// The next stdout line, without its newline.
    fn next_line(&mut self, deadline: Instant, what: &str) -> Result<Vec<u8>, String> {
        match self.next_frame(deadline, what)? {
            Frame::Line(line) => Ok(line),
            Frame::Raw(raw) => Err(format!(
                "expected {what}, got a raw string of {} bytes",
                raw.len()
            )),
        }
    }

    /// The next line or raw string of stdout.
    fn next_frame(&mut self, deadline: Instant, what: &str) -> Result<Frame, String> {
        let remaining = deadline.saturating_duration_since(Instant::now());
        match self.lines.recv_timeout(remaining) {
            Ok(StdoutEvent::Line(line)) => Ok(Frame::Line(line)),
            Ok(StdoutEvent::Raw(raw)) => Ok(Frame::Raw(raw)),
            Ok(StdoutEvent::BadRaw(message)) => Err(format!("waiting for {what}, {message}")),
            Ok(StdoutEvent::Eof(partial)) if !partial.is_empty() => Err(format!(
                "waiting for {what}, stdout ended inside a line: {} ({})",
                protocol::quote(&partial),
                self.exit_description()
            )),
            Ok(StdoutEvent::Eof(_)) | Err(mpsc::RecvTimeoutError::Disconnected) => Err(format!(
                "waiting for {what}, the host closed its stdout ({})",
                self.exit_description()
            )),
            Ok(StdoutEvent::Error(error)) => Err(format!(
                "waiting for {what}, reading stdout failed: {error}"
            )),
            Ok(StdoutEvent::TooLong) => Err(format!(
                "waiting for {what}, got a line longer than {MAX_LINE_BYTES} bytes"
            )),
            Err(mpsc::RecvTimeoutError::Timeout) => Err(format!("timed out waiting for {what}")),
        }
    }

    /// How the process ended, waiting a little for it to end by itself.
    fn exit_description(&mut self) -> String {
        let until = Instant::now() + Duration::from_millis(500);
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => return describe_status(status),
                Ok(None) if Instant::now() < until => thread::sleep(Duration::from_millis(10)),
                Ok(None) => return "still running".into(),
                Err(error) => return format!("its status is unknown: {error}"),
            }
        }
    }

    /// Kills the process and returns a failure with its stderr.
    fn fail(&mut self, message: String) -> Failure {
        self.kill();
        // The stderr reader ends when every writer of the pipe is gone; the
        // kill above made that happen, unless a child escaped the group.
        let _ = self.stderr_done.recv_timeout(STDERR_DRAIN);
        Failure {
            message,
            stderr: self.stderr_tail(),
        }
    }

    /// Kills the whole process group and reaps the process.
    fn kill(&mut self) {
        self.dead = true;
        self.to_stdin = None;
        // When the leader is still unreaped, its id names this group and
        // nothing else; when it was reaped, the id can't have been reused
        // while the group had members, and an empty group ignores the kill.
        if let Some(pgid) = self.pgid {
            let _ = kill_process_group(pgid, Signal::KILL);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(pgid) = self.pgid.take() {
            interrupt::unregister(pgid.as_raw_nonzero().get());
        }
    }

    /// The last [`STDERR_TAIL_BYTES`] of stderr, as lossy UTF-8.
    pub(crate) fn stderr_tail(&self) -> String {
        let tail = match self.stderr_tail.lock() {
            Ok(tail) => tail.iter().copied().collect::<Vec<u8>>(),
            Err(poisoned) => poisoned.into_inner().iter().copied().collect(),
        };
        String::from_utf8_lossy(&tail).into_owned()
    }

    /// The process id (and process group id), for reports of its resident
    /// memory and for tests that check that nothing outlives a session.
    pub(crate) fn id(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for HostProcess {
    fn drop(&mut self) {
        if self.dead {
            return;
        }
        // Closing stdin asks the host to exit; a browser host closes Chromium
        // then.  Whatever is still running after the grace period is killed,
        // and so is anything the host left behind in its group.
        self.to_stdin = None;
        let until = Instant::now() + EXIT_GRACE;
        while Instant::now() < until {
            // Reaping the leader first is safe: the group's id can't be
            // reused while a member of the group is alive.
            if !matches!(self.child.try_wait(), Ok(None)) {
                break;
            }
            // Lines after the last batch are dropped; once stdout ended,
            // this only paces the loop.
            match self.lines.recv_timeout(Duration::from_millis(20)) {
                Ok(StdoutEvent::Line(_)) | Err(mpsc::RecvTimeoutError::Timeout) => {}
                _ => thread::sleep(Duration::from_millis(10)),
            }
        }
        self.kill();
    }
}

fn describe_status(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("it exited with status {code}"),
        (None, Some(signal)) => format!("it was killed by signal {signal}"),
        (None, None) => format!("it ended: {status}"),
    }
}

fn spawn_writer(mut stdin: ChildStdin) -> mpsc::Sender<Vec<u8>> {
    let (sender, receiver) = mpsc::channel::<Vec<u8>>();
    thread::spawn(move || {
        for payload in receiver {
            if stdin
                .write_all(&payload)
                .and_then(|()| stdin.flush())
                .is_err()
            {
                // The host is gone; the reader side reports how.
                return;
            }
        }
        // Dropping stdin here closes the pipe: the host sees end of input.
    });
    sender
}

/// What the harness reads from a host's stdout.
enum Frame {
    Line(Vec<u8>),
    Raw(Vec<u8>),
}

/// A raw string's text.
fn utf8(raw: Vec<u8>, what: &str) -> Result<String, String> {
    String::from_utf8(raw).map_err(|error| {
        format!(
            "the raw string of {what} is not UTF-8 (at byte {})",
            error.utf8_error().valid_up_to()
        )
    })
}

fn spawn_stdout_reader(stdout: impl Read + Send + 'static) -> mpsc::Receiver<StdoutEvent> {
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        let mut reader = BufReader::with_capacity(1 << 16, stdout);
        loop {
            let mut line = Vec::new();
            let event = match (&mut reader)
                .take(MAX_LINE_BYTES + 1)
                .read_until(b'\n', &mut line)
            {
                Ok(0) => StdoutEvent::Eof(Vec::new()),
                Ok(_) if line.last() == Some(&b'\n') => {
                    line.pop();
                    match protocol::raw_string_length(&line) {
                        Some(length) if length > MAX_LINE_BYTES => StdoutEvent::TooLong,
                        Some(length) => read_raw(&mut reader, length),
                        None => StdoutEvent::Line(line),
                    }
                }
                Ok(_) if line.len() as u64 > MAX_LINE_BYTES => StdoutEvent::TooLong,
                Ok(_) => StdoutEvent::Eof(line),
                Err(error) => StdoutEvent::Error(error),
            };
            let last = !matches!(event, StdoutEvent::Line(_) | StdoutEvent::Raw(_));
            if sender.send(event).is_err() || last {
                return;
            }
        }
    });
    receiver
}

/// Reads the `length` bytes of a raw string and the newline after them.
fn read_raw(reader: &mut impl Read, length: u64) -> StdoutEvent {
    // The length is the host's word: the buffer grows as bytes arrive.
    let mut raw = Vec::with_capacity(usize::try_from(length + 1).map_or(0, |n| n.min(1 << 24)));
    match reader.take(length + 1).read_to_end(&mut raw) {
        Err(error) => StdoutEvent::Error(error),
        Ok(_) if raw.len() as u64 <= length => StdoutEvent::Eof(raw),
        Ok(_) if raw.last() == Some(&b'\n') => {
            raw.pop();
            StdoutEvent::Raw(raw)
        }
        Ok(_) => StdoutEvent::BadRaw(format!(
            "the raw string of {length} bytes is not followed by a newline"
        )),
    }
}

fn spawn_stderr_reader(
    mut stderr: impl Read + Send + 'static,
    tail: Arc<Mutex<VecDeque<u8>>>,
) -> mpsc::Receiver<()> {
    let (done, done_receiver) = mpsc::channel();
    thread::spawn(move || {
        let mut chunk = [0u8; 8192];
        loop {
            let n_read = match stderr.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n_read) => n_read,
            };
            let mut tail = match tail.lock() {
                Ok(tail) => tail,
                Err(poisoned) => poisoned.into_inner(),
            };
            tail.extend(&chunk[..n_read]);
            let excess = tail.len().saturating_sub(STDERR_TAIL_BYTES);
            tail.drain(..excess);
        }
        let _ = done.send(());
    });
    done_receiver
}
