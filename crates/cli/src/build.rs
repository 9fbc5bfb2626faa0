//! `cargo xtask build`: build every guest, reporting each one's outcome.

use std::process::ExitCode;

use witness::{
    matrix::{self, GuestStatus},
    project::Project,
};

use crate::flags;

pub fn run(project: &Project, flags: &flags::Build) -> anyhow::Result<ExitCode> {
    let bar = crate::test_matrix::spinner();
    let rows = matrix::build_guests(project, &flags.guests, &|event| {
        if let matrix::Event::Building(name) = event {
            bar.set_message(format!("building {name}"));
        }
    })?;
    bar.finish_and_clear();
    let mut failed = false;
    for row in &rows {
        match &row.status {
            GuestStatus::Built(built) => println!(
                "{}: {} ({} bytes, {})",
                row.name,
                built.component.display(),
                built.size,
                if built.rebuilt {
                    format!("built in {:.1?}", built.build_time)
                } else {
                    "unchanged".to_owned()
                }
            ),
            GuestStatus::Skipped { reason } => println!("{}: skipped: {reason}", row.name),
            GuestStatus::Failed { message } => {
                failed = true;
                println!("{}: FAILED: {message}", row.name);
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
