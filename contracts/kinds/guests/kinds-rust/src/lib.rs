//! The kinds contract (`contracts/kinds/wit/kinds.wit`) in plain Rust: each
//! function applies the rule its doc comment states.
//!
//! Like the json-tools Rust guest, the crate is `no_std` and brings its own
//! allocator, panic handler and `cabi_realloc`, so that the component imports
//! nothing.

#![no_std]

extern crate alloc;

use alloc::{
    string::{String, ToString},
    vec::Vec,
};

mod bindings {
    //! Bindings for the `kinds` world, generated at build time.
    wit_bindgen::generate!({ path: "../../wit", world: "kinds" });
}

use bindings::exports::witness::kinds::{
    compound::{self, Color, Perms, Point, Shape},
    scalars,
};

/// The component.
struct Kinds;

impl scalars::Guest for Kinds {
    fn negate(b: bool) -> bool {
        !b
    }

    fn bump_signed(a: i8, b: i16, c: i32, d: i64) -> (i8, i16, i32, i64) {
        (
            a.wrapping_add(1),
            b.wrapping_add(1),
            c.wrapping_add(1),
            d.wrapping_add(1),
        )
    }

    fn bump_unsigned(a: u8, b: u16, c: u32, d: u64) -> (u8, u16, u32, u64) {
        (
            a.wrapping_add(1),
            b.wrapping_add(1),
            c.wrapping_add(1),
            d.wrapping_add(1),
        )
    }

    fn halve(x: f32, y: f64) -> (f32, f64) {
        (x / 2.0, y / 2.0)
    }

    fn next_char(c: char) -> (u32, char) {
        let code = u32::from(c);
        let next = match code {
            0xD7FF => '\u{E000}',
            0x10_FFFF => '\0',
            _ => char::from_u32(code + 1).unwrap_or('\0'),
        };
        (code, next)
    }

    fn reverse_string(s: String) -> String {
        s.chars().rev().collect()
    }
}

fn swap_point(p: Point) -> Point {
    Point {
        x: p.y,
        y: p.x,
        label: p.label.to_ascii_uppercase(),
    }
}

impl compound::Guest for Kinds {
    fn reverse_bytes(mut l: Vec<u8>) -> Vec<u8> {
        l.reverse();
        l
    }

    fn negate_all(l: Vec<i32>) -> Vec<i32> {
        l.into_iter().map(i32::wrapping_neg).collect()
    }

    fn swap(p: Point) -> Point {
        swap_point(p)
    }

    fn sum_points(ps: Vec<Point>) -> (u32, i64) {
        let count = u32::try_from(ps.len()).unwrap_or(u32::MAX);
        (count, ps.iter().map(|p| i64::from(p.x)).sum())
    }

    fn mirror(s: Shape) -> Shape {
        match s {
            Shape::Circle(r) => Shape::Circle(-r),
            Shape::Rect(p) => Shape::Rect(swap_point(p)),
            Shape::Empty => Shape::Empty,
            Shape::Named(name) => Shape::Named(name.chars().rev().collect()),
        }
    }

    fn next_color(c: Color) -> Color {
        match c {
            Color::Red => Color::Green,
            Color::Green => Color::Blue,
            Color::Blue => Color::Red,
        }
    }

    fn invert(p: Perms) -> Perms {
        let inverted = Perms::all() - p;
        // The `planted` feature builds the test fixture
        // `tests/fixtures/kinds-planted`: it loses the ninth flag, as bindings
        // that keep flags in one byte would, and the differential suite must
        // catch it in every host.
        if cfg!(feature = "planted") {
            inverted - Perms::SETUID
        } else {
            inverted
        }
    }

    fn peel(o: Option<Option<u32>>) -> Option<u32> {
        match o {
            None => None,
            Some(None) => Some(0),
            Some(Some(n)) => Some(n.wrapping_add(1)),
        }
    }

    fn flip(r: Result<u32, String>) -> Result<String, u32> {
        match r {
            Ok(n) => Ok(n.to_string()),
            Err(s) => Err(u32::try_from(s.len()).unwrap_or(u32::MAX)),
        }
    }

    fn toggle(r: Result<(), ()>) -> Result<(), String> {
        match r {
            Ok(()) => Err("was ok".to_string()),
            Err(()) => Ok(()),
        }
    }

    fn parse_u8(s: String) -> Result<u8, ()> {
        if s.is_empty() {
            return Err(());
        }
        s.bytes().try_fold(0u8, |n, byte| {
            let digit = byte.checked_sub(b'0').filter(|digit| *digit <= 9).ok_or(())?;
            n.checked_mul(10)
                .and_then(|n| n.checked_add(digit))
                .ok_or(())
        })
    }

    fn table(mut rows: Vec<(String, Option<Vec<i16>>)>) -> Vec<(String, Option<Vec<i16>>)> {
        rows.reverse();
        for (_, list) in &mut rows {
            if let Some(list) = list {
                list.reverse();
            }
        }
        rows
    }
}

bindings::export!(Kinds with_types_in bindings);

/// Memory comes from `memory.grow`; freed blocks are reused across calls.
#[global_allocator]
static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

/// A panic (a bug: no input makes one) traps.
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

/// The canonical ABI's allocator: the host calls it to place arguments in
/// the guest's memory.
///
/// # Safety
///
/// The host calls it as the canonical ABI specifies: `old_len` is 0 or the
/// size of a block that this function returned with the same `align`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cabi_realloc(
    old_ptr: *mut u8,
    old_len: usize,
    align: usize,
    new_len: usize,
) -> *mut u8 {
    use alloc::alloc::{Layout, alloc, realloc};

    let ptr = if old_len == 0 {
        if new_len == 0 {
            // A zero-sized block needs no memory, only a well-aligned address.
            return align as *mut u8;
        }
        // SAFETY: the canonical ABI passes a power-of-two alignment and a size
        // that fits in memory.
        unsafe { alloc(Layout::from_size_align_unchecked(new_len, align)) }
    } else {
        // SAFETY: by this function's contract, `old_ptr` was allocated here
        // with this layout.
        unsafe {
            realloc(
                old_ptr,
                Layout::from_size_align_unchecked(old_len, align),
                new_len,
            )
        }
    };
    if ptr.is_null() {
        core::arch::wasm32::unreachable();
    }
    ptr
}
