//! `cargo xtask`: this repository's alias for the `witness` command line
//! (`crates/cli`), the same commands on the same library.

fn main() -> std::process::ExitCode {
    witness_cli::main("cargo xtask", witness_cli::DefaultProject::BuildDir)
}
