//! The one Chromium of a browser column: `hosts/browser/server.mjs`, started
//! on the column's first session and shared by every session after it, each
//! in a browser context of its own (`driver.mjs --cdp-endpoint`).  Starting
//! a Chromium per session cost most of a second per cell.
//!
//! The server is in a process group of its own, registered for the
//! harness's interrupt like a host's; it stops Chromium when its stdin ends,
//! so neither outlives the harness, even one killed with SIGKILL.  If
//! Chromium dies, the next session starts a new server.

use std::{
    collections::VecDeque,
    io::{BufRead as _, BufReader, Read as _},
    os::unix::process::CommandExt as _,
    path::Path,
    process::{Child, ChildStdin, Command, Stdio},
    sync::{Arc, Mutex, mpsc},
    thread,
    time::Duration,
};

use rustix::process::{Pid, Signal, kill_process_group};
use tempfile::TempDir;

use crate::interrupt;

/// A running `server.mjs` and its Chromium.
pub(crate) struct BrowserServer {
    child: Mutex<Child>,
    /// Held open: the server stops Chromium when it ends.
    _stdin: ChildStdin,
    pgid: Option<Pid>,
    endpoint: String,
    /// Chromium's profile, removed once the server is gone.
    _profile: TempDir,
}

impl BrowserServer {
    /// Starts the server with `node`, for the Chromium at `chromium`, and
    /// waits up to `deadline` for its DevTools endpoint.
    pub(crate) fn start(
        node: &Path,
        server: &Path,
        chromium: &Path,
        deadline: Duration,
    ) -> Result<BrowserServer, String> {
        let profile = tempfile::Builder::new()
            .prefix("witness-chromium-")
            .tempdir()
            .map_err(|error| format!("cannot make a Chromium profile directory: {error}"))?;
        let mut child = Command::new(node)
            .arg(server)
            .arg("--chromium")
            .arg(chromium)
            .arg("--user-data-dir")
            .arg(profile.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .map_err(|error| format!("could not start {}: {error}", server.display()))?;
        let pgid = i32::try_from(child.id()).ok().and_then(Pid::from_raw);
        if let Some(pgid) = pgid {
            interrupt::register(pgid.as_raw_nonzero().get());
        }
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            return Err("the Chromium server started without pipes".to_owned());
        };
        // Its stderr is read to the end (Chromium's complaints would fill the
        // pipe), keeping the last lines for an error message.
        let tail = Arc::new(Mutex::new(VecDeque::new()));
        let tail_writer = Arc::clone(&tail);
        thread::spawn(move || {
            let mut reader = BufReader::new(stderr);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|read| read > 0) {
                let mut tail = tail_writer.lock().unwrap_or_else(|e| e.into_inner());
                tail.push_back(std::mem::take(&mut line));
                if tail.len() > 20 {
                    tail.pop_front();
                }
            }
        });
        let (sender, receiver) = mpsc::channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let read = reader.read_line(&mut line).map(|_| line);
            let _ = sender.send(read);
            // Drain whatever else it prints.
            let _ = reader.read_to_end(&mut Vec::new());
        });
        let mut server = BrowserServer {
            child: Mutex::new(child),
            _stdin: stdin,
            pgid,
            endpoint: String::new(),
            _profile: profile,
        };
        let stderr_tail = || {
            tail.lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .map(String::as_str)
                .collect::<String>()
        };
        let line = match receiver.recv_timeout(deadline) {
            Ok(Ok(line)) if !line.is_empty() => line,
            Ok(_) => {
                let _ = server.child().wait();
                return Err(format!(
                    "the Chromium server exited before it listened\n--- its stderr ---\n{}",
                    stderr_tail()
                ));
            }
            Err(_) => {
                return Err(format!(
                    "the Chromium server did not listen within {deadline:?}\n--- its stderr ---\n{}",
                    stderr_tail()
                ));
            }
        };
        let endpoint = serde_json::from_str::<serde_json::Value>(&line)
            .ok()
            .and_then(|value| value.get("endpoint")?.as_str().map(str::to_owned))
            .ok_or_else(|| {
                format!(
                    "the Chromium server printed `{}`, not its endpoint",
                    line.trim()
                )
            })?;
        server.endpoint = endpoint;
        Ok(server)
    }

    /// The DevTools endpoint, for `driver.mjs --cdp-endpoint`.
    pub(crate) fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Its process group, which Chromium's processes share.
    pub(crate) fn group(&self) -> Option<i32> {
        self.pgid.map(|pgid| pgid.as_raw_nonzero().get())
    }

    /// Whether the server (and so its Chromium) still runs.
    pub(crate) fn is_running(&self) -> bool {
        matches!(self.child().try_wait(), Ok(None))
    }

    fn child(&self) -> std::sync::MutexGuard<'_, Child> {
        self.child
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Drop for BrowserServer {
    fn drop(&mut self) {
        if let Some(pgid) = self.pgid {
            let _ = kill_process_group(pgid, Signal::KILL);
            interrupt::unregister(pgid.as_raw_nonzero().get());
        }
        let child = self
            .child
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let _ = child.kill();
        let _ = child.wait();
    }
}
