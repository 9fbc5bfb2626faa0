//! The output buffer, built for many short appends.
//!
//! Most tokens are a few bytes long, and copying a few bytes with `memcpy`
//! costs a call (in wasmtime, `memory.copy` is even a call out of the
//! compiled code).
//! So the buffer keeps [`SLACK`] initialized bytes beyond its logical end,
//! and a short piece is appended by copying a fixed-size block, which the
//! compiler turns into a few loads and stores; the bytes past the piece are
//! overwritten by the next append or cut off at the end.

use alloc::string::String;
use alloc::vec::Vec;

/// Bytes beyond the logical end that every append may write.
const SLACK: usize = 64;

/// Pieces up to this long are copied as one fixed-size block.
const BLOCK: usize = 16;

/// Bytes zeroed at a time as the output grows into its capacity.
const ZEROED_STEP: usize = 4096;

/// An output under construction: `bytes[..len]` is the output so far.
pub(crate) struct Output {
    /// The output, then scratch bytes; always at least `len + SLACK` long.
    /// Its capacity is allocated up front, but it is zeroed (made
    /// initialized, so that safe code may copy over it) a step at a time,
    /// right before the writes, while the step is still in the cache.
    bytes: Vec<u8>,
    /// The output's length.
    len: usize,
}

impl Output {
    /// An empty output with room for `capacity` bytes.
    pub(crate) fn with_capacity(capacity: usize) -> Output {
        let mut bytes = Vec::with_capacity(capacity.saturating_add(SLACK));
        bytes.resize(capacity.min(ZEROED_STEP) + SLACK, 0);
        Output { bytes, len: 0 }
    }

    /// The output so far.
    #[inline(always)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The output so far.
    #[inline(always)]
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// Makes room for `additional` bytes plus the slack.
    #[inline(always)]
    fn reserve(&mut self, additional: usize) {
        if self.bytes.len() - self.len < additional + SLACK {
            self.grow(additional);
        }
    }

    /// The slow path of [`Self::reserve`]: zeroes another step, within the
    /// capacity while it lasts.
    #[cold]
    #[inline(never)]
    fn grow(&mut self, additional: usize) {
        let needed = self.len + additional + SLACK;
        // Past the capacity, `resize` reallocates geometrically.
        self.bytes
            .resize(needed.max(self.bytes.len() + ZEROED_STEP), 0);
    }

    /// Appends one ASCII byte.
    #[inline(always)]
    pub(crate) fn push(&mut self, byte: u8) {
        self.reserve(1);
        self.bytes[self.len] = byte;
        self.len += 1;
    }

    /// Appends `source[start..end]`, which must be whole UTF-8 characters.
    ///
    /// A short piece is copied as a fixed-size block when `source` has that
    /// many bytes from `start`.
    #[inline(always)]
    pub(crate) fn push_range(&mut self, source: &[u8], start: usize, end: usize) {
        let len = end - start;
        self.reserve(len);
        match source.get(start..start + BLOCK) {
            Some(block) if len <= BLOCK => {
                self.bytes[self.len..self.len + BLOCK].copy_from_slice(block);
            }
            _ => self.bytes[self.len..self.len + len].copy_from_slice(&source[start..end]),
        }
        self.len += len;
    }

    /// Appends a newline and `n_spaces` spaces.
    #[inline(always)]
    pub(crate) fn push_newline(&mut self, n_spaces: usize) {
        /// A newline and the spaces that indentation is cut from.
        const NEWLINE_AND_SPACES: &[u8; 32] = b"\n                               ";
        if n_spaces < NEWLINE_AND_SPACES.len() {
            self.reserve(NEWLINE_AND_SPACES.len());
            self.bytes[self.len..self.len + NEWLINE_AND_SPACES.len()]
                .copy_from_slice(NEWLINE_AND_SPACES);
            self.len += 1 + n_spaces;
        } else {
            self.push_long_newline(n_spaces);
        }
    }

    /// [`Self::push_newline`] for deep indentation.
    #[cold]
    #[inline(never)]
    fn push_long_newline(&mut self, n_spaces: usize) {
        self.reserve(1 + n_spaces);
        self.bytes[self.len] = b'\n';
        self.bytes[self.len + 1..self.len + 1 + n_spaces].fill(b' ');
        self.len += 1 + n_spaces;
    }

    /// Forgets everything from `len` on.
    pub(crate) fn truncate(&mut self, len: usize) {
        self.len = self.len.min(len);
    }

    /// The finished output.
    pub(crate) fn into_string(mut self) -> String {
        self.bytes.truncate(self.len);
        // Every append is ASCII or whole characters of a `&str`, so this
        // cannot fail.  Checking costs one pass over the output (about 5% of
        // a `format` in wasm), and keeps the crate free of `unsafe`.
        match String::from_utf8(self.bytes) {
            Ok(output) => output,
            Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
        }
    }
}
