//! The all-types contract (`contracts/all-types/wit/all-types.wit`) in plain
//! Rust: each function applies the rule its doc comment states.
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
    //! Bindings for the `all-types` world, generated at build time.
    wit_bindgen::generate!({ path: "../../wit", world: "all-types" });
}

use bindings::exports::witness::all_types::{
    compound, nested, scalars,
    types::{
        Big, Color, Flags1, Flags8, Flags16, Flags17, Flags32, Payload, Perms, Point, Segment,
        Shape, Single, Step,
    },
    variants,
};

/// The component.
struct AllTypes;

/// The next Unicode scalar value after `c`, wrapping to U+0000.
fn next_scalar(c: char) -> char {
    match u32::from(c) {
        0xD7FF => '\u{E000}',
        0x10_FFFF => '\0',
        code => char::from_u32(code + 1).unwrap_or('\0'),
    }
}

fn reverse(s: &str) -> String {
    s.chars().rev().collect()
}

fn len_u32(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

impl scalars::Guest for AllTypes {
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
        (u32::from(c), next_scalar(c))
    }

    fn reverse_string(s: String) -> String {
        reverse(&s)
    }

    fn echo_scalars(
        a: bool,
        b: i8,
        c: u8,
        d: i16,
        e: u16,
        f: i32,
        g: u32,
        h: i64,
        i: u64,
        j: f32,
        k: f64,
        l: char,
        m: String,
    ) -> (bool, i8, u8, i16, u16, i32, u32, i64, u64, f32, f64, char, String) {
        (a, b, c, d, e, f, g, h, i, j, k, l, m)
    }

    fn echo_wide(
        a: u8,
        b: u16,
        c: u32,
        d: u64,
        e: i8,
        f: i16,
        g: i32,
        h: i64,
        i: f32,
        j: f64,
        k: char,
        l: bool,
        m: String,
        n: Vec<u8>,
        o: Option<u32>,
    ) -> (
        u8,
        u16,
        u32,
        u64,
        i8,
        i16,
        i32,
        i64,
        f32,
        f64,
        char,
        bool,
        String,
        Vec<u8>,
        Option<u32>,
    ) {
        (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o)
    }
}

fn swap_point(p: Point) -> Point {
    Point {
        x: p.y,
        y: p.x,
        label: p.label.to_ascii_uppercase(),
    }
}

impl compound::Guest for AllTypes {
    fn reverse_bytes(mut l: Vec<u8>) -> Vec<u8> {
        l.reverse();
        l
    }

    fn negate_all(l: Vec<i32>) -> Vec<i32> {
        l.into_iter().map(i32::wrapping_neg).collect()
    }

    fn bump_lists(
        a: Vec<i8>,
        b: Vec<u16>,
        c: Vec<i64>,
        d: Vec<u64>,
        e: Vec<f32>,
        f: Vec<f64>,
    ) -> (Vec<i8>, Vec<u16>, Vec<i64>, Vec<u64>, Vec<f32>, Vec<f64>) {
        (
            a.into_iter().map(|n| n.wrapping_add(1)).collect(),
            b.into_iter().map(|n| n.wrapping_add(1)).collect(),
            c.into_iter().map(|n| n.wrapping_add(1)).collect(),
            d.into_iter().map(|n| n.wrapping_add(1)).collect(),
            e.into_iter().map(|x| x / 2.0).collect(),
            f.into_iter().map(|x| x / 2.0).collect(),
        )
    }

    fn flip_lists(
        a: Vec<bool>,
        b: Vec<char>,
        mut c: Vec<String>,
    ) -> (Vec<bool>, Vec<char>, Vec<String>) {
        c.reverse();
        (
            a.into_iter().map(|b| !b).collect(),
            b.into_iter().map(next_scalar).collect(),
            c,
        )
    }

    fn swap(p: Point) -> Point {
        swap_point(p)
    }

    fn sum_points(ps: Vec<Point>) -> (u32, i64) {
        (len_u32(ps.len()), ps.iter().map(|p| i64::from(p.x)).sum())
    }

    fn reverse_points(ps: Vec<Point>) -> Vec<Point> {
        ps.into_iter().rev().map(swap_point).collect()
    }

    fn flip_segment(s: Segment) -> Segment {
        let mut tags = s.tags;
        tags.reverse();
        Segment {
            start: s.end,
            end: s.start,
            tags,
            weight: s.weight.map(|w| -w),
            note: s.note.map(|note| note + "!"),
        }
    }

    fn bump_single(s: Single) -> Single {
        Single {
            value: s.value.wrapping_add(1),
        }
    }

    fn rotate((a, b, c): (u8, String, char)) -> (char, u8, String) {
        (c, a, b)
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

fn mirror(s: Shape) -> Shape {
    match s {
        Shape::Circle(r) => Shape::Circle(-r),
        Shape::Rect(p) => Shape::Rect(swap_point(p)),
        Shape::Empty => Shape::Empty,
        Shape::Named(name) => Shape::Named(reverse(&name)),
    }
}

fn next_color(c: Color) -> Color {
    match c {
        Color::Red => Color::Green,
        Color::Green => Color::Blue,
        Color::Blue => Color::Red,
    }
}

fn flip(r: Result<u32, String>) -> Result<String, u32> {
    match r {
        Ok(n) => Ok(n.to_string()),
        Err(s) => Err(len_u32(s.len())),
    }
}

type Flagset = (Flags1, Flags8, Perms, Flags16, Flags17, Flags32);

impl variants::Guest for AllTypes {
    fn mirror(s: Shape) -> Shape {
        mirror(s)
    }

    fn next_color(c: Color) -> Color {
        next_color(c)
    }

    fn next_big(b: Big) -> Big {
        let next = (b as u16 + 1) % 300;
        // SAFETY: `next` is below 300, the number of cases of `big`.
        unsafe { Big::_lift(next) }
    }

    fn transform(p: Payload) -> Payload {
        match p {
            Payload::Nothing => Payload::Nothing,
            Payload::Boolean(b) => Payload::Boolean(!b),
            Payload::Int8(n) => Payload::Int8(n.wrapping_add(1)),
            Payload::Uint8(n) => Payload::Uint8(n.wrapping_add(1)),
            Payload::Int16(n) => Payload::Int16(n.wrapping_add(1)),
            Payload::Uint16(n) => Payload::Uint16(n.wrapping_add(1)),
            Payload::Int32(n) => Payload::Int32(n.wrapping_add(1)),
            Payload::Uint32(n) => Payload::Uint32(n.wrapping_add(1)),
            Payload::Int64(n) => Payload::Int64(n.wrapping_add(1)),
            Payload::Uint64(n) => Payload::Uint64(n.wrapping_add(1)),
            Payload::Float32(x) => Payload::Float32(x / 2.0),
            Payload::Float64(x) => Payload::Float64(x / 2.0),
            Payload::Letter(c) => Payload::Letter(next_scalar(c)),
            Payload::Text(s) => Payload::Text(reverse(&s)),
            Payload::Bytes(mut l) => {
                l.reverse();
                Payload::Bytes(l)
            }
            Payload::Point(p) => Payload::Point(swap_point(p)),
            Payload::Color(c) => Payload::Color(next_color(c)),
            Payload::Perms(p) => Payload::Perms(p.complement()),
            Payload::Maybe(o) => Payload::Maybe(o.map(|n| n.wrapping_add(1))),
            Payload::Outcome(Ok(n)) => Payload::Outcome(Err(n.to_string())),
            Payload::Outcome(Err(s)) => Payload::Outcome(Ok(len_u32(s.len()))),
            Payload::Pair((n, s)) => Payload::Pair((n.wrapping_add(1), reverse(&s))),
            Payload::Shape(s) => Payload::Shape(mirror(s)),
        }
    }

    fn next_step(s: Step) -> Step {
        match s {
            Step::Idle => Step::Count(0),
            Step::Count(n) => Step::Total(n),
            Step::Total(n) => Step::Message(n.to_string()),
            Step::Message(_) => Step::Idle,
        }
    }

    fn invert(p: Perms) -> Perms {
        let inverted = p.complement();
        // The `planted` feature builds the test fixture
        // `tests/fixtures/all-types-planted`: it loses the ninth flag, as
        // bindings that keep flags in one byte would, and the differential
        // suite must catch it in every host.
        if cfg!(feature = "planted") {
            inverted - Perms::SETUID
        } else {
            inverted
        }
    }

    fn complement(
        a: Flags1,
        b: Flags8,
        c: Perms,
        d: Flags16,
        e: Flags17,
        f: Flags32,
    ) -> Flagset {
        (
            a.complement(),
            b.complement(),
            c.complement(),
            d.complement(),
            e.complement(),
            f.complement(),
        )
    }

    fn peel(o: Option<Option<u32>>) -> Option<u32> {
        match o {
            None => None,
            Some(None) => Some(0),
            Some(Some(n)) => Some(n.wrapping_add(1)),
        }
    }

    fn bump_options(l: Vec<Option<u8>>) -> Vec<Option<u8>> {
        l.into_iter().map(|o| o.map(|n| n.wrapping_add(1))).collect()
    }

    fn deepen(o: Option<Option<String>>) -> Option<Option<Option<String>>> {
        Some(o)
    }

    fn flip(r: Result<u32, String>) -> Result<String, u32> {
        flip(r)
    }

    fn toggle(r: Result<(), ()>) -> Result<(), String> {
        match r {
            Ok(()) => Err("was ok".to_string()),
            Err(()) => Ok(()),
        }
    }

    fn swap_ok(r: Result<u64, ()>) -> Result<(), u64> {
        match r {
            Ok(n) => Err(n),
            Err(()) => Ok(()),
        }
    }

    fn swap_err(r: Result<(), String>) -> Result<String, ()> {
        match r {
            Ok(()) => Err(()),
            Err(s) => Ok(s),
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

    fn echo_payload(p: Payload) -> Payload {
        p
    }

    fn echo_flags(
        a: Flags1,
        b: Flags8,
        c: Perms,
        d: Flags16,
        e: Flags17,
        f: Flags32,
    ) -> Flagset {
        (a, b, c, d, e, f)
    }
}

type Deep = Vec<Option<Result<Vec<(char, Option<i64>)>, Shape>>>;

impl nested::Guest for AllTypes {
    fn nest(d: Deep) -> Deep {
        d.into_iter()
            .rev()
            .map(|element| {
                element.map(|result| match result {
                    Ok(list) => Ok(list
                        .into_iter()
                        .rev()
                        .map(|(c, n)| (next_scalar(c), n.map(|m| m.wrapping_add(1))))
                        .collect()),
                    Err(shape) => Err(mirror(shape)),
                })
            })
            .collect()
    }

    fn echo_deep(d: Deep) -> Deep {
        d
    }

    fn echo_compound(
        s: Segment,
        b: Big,
        f: Flags17,
        r: Result<(Single, String), Vec<Point>>,
        p: Vec<Payload>,
    ) -> (
        Segment,
        Big,
        Flags17,
        Result<(Single, String), Vec<Point>>,
        Vec<Payload>,
    ) {
        (s, b, f, r, p)
    }
}

bindings::export!(AllTypes with_types_in bindings);

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
