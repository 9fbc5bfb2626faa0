//! The Rust guest: [`json_format`] exported as `example:json-tools/formatter`.
//!
//! The component imports nothing, not even WASI, so it runs in a host that
//! grants no capabilities.
//! That is why the crate is `no_std`: the standard library on `wasm32-wasip2`
//! links wasi-libc, which imports WASI interfaces.
//! Without it the crate brings its own global allocator, panic handler and
//! `cabi_realloc` (wit-bindgen only provides `cabi_realloc` on wasip2 through
//! wasi-libc).

#![no_std]

extern crate alloc;

use alloc::string::{String, ToString};

mod bindings {
    //! Bindings for the `json-processor` world, generated at build time.
    wit_bindgen::generate!({ path: "../../contracts/json-tools/wit", world: "json-processor" });
}

use bindings::exports::example::json_tools::formatter::{FormatOptions, Guest};

/// The component's implementation of the `formatter` interface.
struct JsonTools;

impl Guest for JsonTools {
    fn format(input: String, options: Option<FormatOptions>) -> Result<String, String> {
        let options = options.map(|options| json_format::FormatOptions {
            indent: options.indent,
            sort_keys: options.sort_keys,
        });
        json_format::format(&input, options).map_err(|error| error.to_string())
    }

    fn minify(input: String) -> Result<String, String> {
        json_format::minify(&input).map_err(|error| error.to_string())
    }
}

bindings::export!(JsonTools with_types_in bindings);

// `core` calls `memcmp` (to compare slices, as sort-keys does), and on
// `wasm32-wasip2` `compiler_builtins` leaves the memory functions to libc.
// wasi-libc's `memcmp` is plain code that imports nothing.
#[link(name = "c")]
unsafe extern "C" {}

/// Memory comes from `memory.grow`; freed blocks are reused across calls.
#[global_allocator]
static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

/// A panic (a bug: the formatter reports every input error as a value) traps.
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

/// The canonical ABI's allocator: the host calls it to place arguments (the
/// input string) in the guest's memory.
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
