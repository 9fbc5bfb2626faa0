//! Link settings for the guest component.

fn main() {
    // The formatter keeps its nesting on the heap, so the guest needs little
    // stack; a 64 KiB stack instead of the default 1 MiB makes the initial
    // linear memory 16 times smaller, which is cheaper to instantiate.
    println!("cargo:rustc-link-arg=-zstack-size=65536");
}
