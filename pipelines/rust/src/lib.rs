//! The Rust pipeline: `normalize(x)` is `minify(format(x, indent 2,
//! sort-keys))`, computed by calling the imported `example:json-tools`
//! formatter, which the harness links in from a guest in any language.
//!
//! On the way it checks the contract's invariants on the formatter it is
//! linked with, from inside wasm, and reports a violated one as an error that
//! names it (`contracts/json-pipeline/contract.md`).
//! Like the Rust guest it is `no_std`, so the component imports nothing but
//! the formatter.

#![no_std]

extern crate alloc;

use alloc::{format, string::String};

mod bindings {
    //! Bindings for the `pipeline` world, generated at build time.
    wit_bindgen::generate!({ path: "../../contracts/json-pipeline/wit", world: "pipeline", generate_all });
}

use bindings::{
    example::json_tools::formatter::{self, FormatOptions},
    exports::example::pipeline::normalizer::Guest,
};

/// The options of the normalising `format` call.
const SORTED: FormatOptions = FormatOptions { indent: 2, sort_keys: true };

/// The component's implementation of the `normalizer` interface.
struct Pipeline;

impl Guest for Pipeline {
    fn normalize(input: String) -> Result<String, String> {
        // An error of the first call is the input's: pass it on unchanged.
        let formatted = formatter::format(&input, Some(SORTED))?;
        let minified = formatter::minify(&formatted).map_err(|err| violated("minify accepts format's output", &err))?;
        let reformatted =
            formatter::format(&formatted, Some(SORTED)).map_err(|err| violated("format accepts its own output", &err))?;
        if reformatted != formatted {
            return Err(violated("format is idempotent", "format(format(x)) differs from format(x)"));
        }
        let reminified = formatter::minify(&minified).map_err(|err| violated("minify accepts its own output", &err))?;
        if reminified != minified {
            return Err(violated("minify is a fixed point", "minify(minify(x)) differs from minify(x)"));
        }
        let expanded =
            formatter::format(&minified, Some(SORTED)).map_err(|err| violated("format accepts minify's output", &err))?;
        if expanded != formatted {
            return Err(violated("format(minify(x)) == format(x)", "format of the minified text differs"));
        }
        Ok(minified)
    }
}

/// The error of a violated invariant: it never starts with `at byte`, so the
/// harness never takes it for an input error.
fn violated(invariant: &str, detail: &str) -> String {
    format!("invariant violated: {invariant}: {detail}")
}

bindings::export!(Pipeline with_types_in bindings);

// `core` calls `memcmp` (to compare strings), and on `wasm32-wasip2`
// `compiler_builtins` leaves the memory functions to libc.  wasi-libc's
// `memcmp` is plain code that imports nothing.
#[link(name = "c")]
unsafe extern "C" {}

/// Memory comes from `memory.grow`; freed blocks are reused across calls.
#[global_allocator]
static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

/// A panic (a bug) traps.
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

/// The canonical ABI's allocator: the caller places arguments and results
/// (strings) in this component's memory through it.
///
/// # Safety
///
/// The caller calls it as the canonical ABI specifies: `old_len` is 0 or the
/// size of a block that this function returned with the same `align`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cabi_realloc(old_ptr: *mut u8, old_len: usize, align: usize, new_len: usize) -> *mut u8 {
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
        unsafe { realloc(old_ptr, Layout::from_size_align_unchecked(old_len, align), new_len) }
    };
    if ptr.is_null() {
        core::arch::wasm32::unreachable();
    }
    ptr
}
