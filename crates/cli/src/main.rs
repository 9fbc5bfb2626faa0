//! `witness`: the command line, installable with
//! `cargo install --locked --path crates/cli`.

fn main() -> std::process::ExitCode {
    witness_cli::main("witness", witness_cli::DefaultProject::FromWorkingDir)
}
