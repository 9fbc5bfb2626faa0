//! No host process outlives an interrupted harness.
//!
//! Every host process leads a process group of its own (so that a kill takes
//! Chromium and its helpers along), which also means that a Ctrl-C at the
//! terminal does not reach it: the terminal signals only the foreground
//! group, the harness's.  So the first host process that starts installs a
//! handler for SIGINT, SIGTERM and SIGHUP that kills every registered group
//! and then lets the signal end the harness as it would have.
//!
//! The handler only uses async-signal-safe calls (atomic loads, `kill`,
//! `signal`, `raise`).  It is installed only over the default disposition: a
//! program that handles these signals itself keeps its handler, and should
//! call [`kill_all_host_groups`] from it.

use std::sync::{
    Once,
    atomic::{AtomicI32, Ordering},
};

/// How many host process groups can be registered at once; a matrix runs at
/// most one host per job, so this is plenty.
const SLOTS: usize = 512;

static GROUPS: [AtomicI32; SLOTS] = [const { AtomicI32::new(0) }; SLOTS];

static INSTALL: Once = Once::new();

/// The signals after which no host may be left running.
const SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

/// Registers a host process group, installing the handler on first use.
pub(crate) fn register(pgid: i32) {
    INSTALL.call_once(install);
    for slot in &GROUPS {
        if slot
            .compare_exchange(0, pgid, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
        {
            return;
        }
    }
    // Every slot is taken: this group is not killed on an interrupt, but the
    // session still kills it when it is dropped.
}

/// Forgets a host process group that was killed or ended.
pub(crate) fn unregister(pgid: i32) {
    for slot in &GROUPS {
        let _ = slot.compare_exchange(pgid, 0, Ordering::SeqCst, Ordering::SeqCst);
    }
}

/// Kills every host process group that is running now.  Safe to call from a
/// signal handler.
pub fn kill_all_host_groups() {
    for slot in &GROUPS {
        let pgid = slot.swap(0, Ordering::SeqCst);
        if pgid > 0 {
            // SAFETY: `kill` is async-signal-safe and takes plain integers.
            #[allow(unsafe_code)]
            unsafe {
                libc::kill(-pgid, libc::SIGKILL);
            }
        }
    }
}

fn install() {
    for signal in SIGNALS {
        // SAFETY: `sigaction` is called with a zeroed, then filled, struct
        // and a handler that only makes async-signal-safe calls.
        #[allow(unsafe_code)]
        unsafe {
            let mut old: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(signal, std::ptr::null(), &mut old) != 0
                || old.sa_sigaction != libc::SIG_DFL
            {
                continue;
            }
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
            libc::sigemptyset(&mut action.sa_mask);
            action.sa_flags = libc::SA_RESETHAND;
            libc::sigaction(signal, &action, std::ptr::null_mut());
        }
    }
}

extern "C" fn on_signal(signal: libc::c_int) {
    kill_all_host_groups();
    // SA_RESETHAND restored the default action: raising the signal again
    // ends the process with it, as if there had been no handler.
    // SAFETY: `raise` is async-signal-safe.
    #[allow(unsafe_code)]
    unsafe {
        libc::raise(signal);
    }
}
