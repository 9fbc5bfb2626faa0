//! Composition: every pipeline (`pipelines/<name>/`, world `pipeline`) linked
//! with every formatter guest into one component, a row of the matrix named
//! `pipeline-<pipeline>+<formatter>`.
//!
//! The link is made with `wac-graph` as a library: the formatter's export
//! `example:json-tools/formatter@1.0.0` is plugged into the pipeline's import
//! of the same name, and the pipeline's exports are exported.  The result is
//! validated with wasmparser, and it must import no more than the union of
//! what its two parts import (less the formatter that the link satisfies);
//! otherwise the row fails and says which imports are extra.
//!
//! Outputs live in `target/witness/composed/<name>/`: `component.wasm` and a
//! `stamp` with the hash of both parts, so an unchanged pair is not relinked.

use std::{
    fs,
    time::{Duration, Instant},
};

use anyhow::{Context as _, bail};
use wac_graph::{CompositionGraph, EncodeOptions, types::Package};
use witness_host_api::Capabilities;

use crate::{
    build::{self, BuildOutcome, Built},
    contract::Contract,
    guest,
    matrix::{Event, GuestRow, GuestStatus},
    project::Project,
};

/// The prefix of every composed row's name.
pub const PREFIX: &str = "pipeline-";

/// The row name of `pipeline` linked with `formatter`: `pipeline-rust+go`.
pub fn composed_name(pipeline: &str, formatter: &str) -> String {
    format!("{PREFIX}{pipeline}+{formatter}")
}

/// Why a composed row is skipped when its formatter's row is: the one form
/// of that reason, which [`AllowedSkip::covers`] reads back.
///
/// [`AllowedSkip::covers`]: crate::matrix::AllowedSkip::covers
pub fn formatter_skipped(formatter: &str, reason: &str) -> String {
    format!("formatter `{formatter}`: {reason}")
}

/// The pipeline and the formatter of a composed row's name, if it is one.
pub fn parse_name(name: &str) -> Option<(&str, &str)> {
    name.strip_prefix(PREFIX)?.split_once('+')
}

/// Builds the pipelines that `only` needs (all when it is empty) and links
/// each with each formatter row that `only` selects; one row per pair.
///
/// A pipeline whose toolchain is missing makes its rows skipped, and so does
/// a skipped formatter; a failed build or link makes the row failed.
///
/// # Errors
/// When `pipelines/` cannot be read, or `only` names a composed row whose
/// pipeline or formatter does not exist.
pub fn rows(
    project: &Project,
    formatters: &[GuestRow],
    only: &[String],
    progress: &(dyn Fn(Event) + Sync),
) -> anyhow::Result<Vec<GuestRow>> {
    let wanted = |name: &str| only.is_empty() || only.iter().any(|selected| selected == name);
    let mut rows = Vec::new();
    for found in guest::discover_pipelines(project)? {
        let pipeline = match found {
            Ok(pipeline) => pipeline,
            Err(err) => {
                let name = err.dir_name();
                for formatter in formatters {
                    let row_name = composed_name(&name, &formatter.name);
                    if wanted(&row_name) {
                        let status = GuestStatus::Failed {
                            message: err.to_string(),
                        };
                        rows.push(GuestRow {
                            name: row_name,
                            language: "?".to_owned(),
                            contract: None,
                            status,
                        });
                    }
                }
                continue;
            }
        };
        // The rows of the contract the pipeline's imports (`composes`).
        let selected: Vec<&GuestRow> = formatters
            .iter()
            .filter(|formatter| {
                formatter.contract.as_ref().map(Contract::name) == pipeline.contract.composes()
            })
            .filter(|formatter| wanted(&composed_name(&pipeline.name, &formatter.name)))
            .collect();
        if selected.is_empty() {
            continue;
        }
        let label = format!("{PREFIX}{}", pipeline.name);
        progress(Event::Building(label.clone()));
        let built = build::build(project, &pipeline);
        progress(Event::Built(label));
        for formatter in selected {
            let name = composed_name(&pipeline.name, &formatter.name);
            let status = match (&built, &formatter.status) {
                (BuildOutcome::Skipped(missing), _) => GuestStatus::Skipped {
                    reason: format!("pipeline `{}`: {missing}", pipeline.name),
                },
                (BuildOutcome::Failed(message), _) => GuestStatus::Failed {
                    message: format!("pipeline {message}"),
                },
                (_, GuestStatus::Skipped { reason }) => GuestStatus::Skipped {
                    reason: formatter_skipped(&formatter.name, reason),
                },
                (_, GuestStatus::Failed { .. }) => GuestStatus::Failed {
                    message: format!("the formatter guest `{}` did not build", formatter.name),
                },
                (BuildOutcome::Built(pipeline_built), GuestStatus::Built(formatter_built)) => {
                    progress(Event::Building(name.clone()));
                    let composed = compose(project, pipeline_built, formatter_built, &name);
                    progress(Event::Built(name.clone()));
                    match composed {
                        Ok(composed) => GuestStatus::Built(composed),
                        Err(err) => GuestStatus::Failed {
                            message: format!("composing `{name}`: {err:#}"),
                        },
                    }
                }
            };
            let language = format!("{} + {}", pipeline.manifest.language, formatter.language);
            rows.push(GuestRow {
                name,
                language,
                contract: Some(pipeline.contract.clone()),
                status,
            });
        }
    }
    for name in only {
        if let Some((pipeline, formatter)) = parse_name(name)
            && !rows.iter().any(|row| &row.name == name)
        {
            if !formatters.iter().any(|row| row.name == formatter) {
                bail!(
                    "no formatter guest `{formatter}` for `{name}` (no guests/{formatter}/guest.toml)"
                );
            }
            bail!("no pipeline `{pipeline}` for `{name}` (no pipelines/{pipeline}/guest.toml)");
        }
    }
    Ok(rows)
}

/// Links a built pipeline with a built formatter guest into
/// `target/witness/composed/<name>/component.wasm`, validates it and checks
/// its imports and exports; unchanged parts reuse the last link.
///
/// # Errors
/// When a part cannot be read, wac-graph cannot link them (the formatter does
/// not satisfy the pipeline's import), the result is not a valid component,
/// it does not export the normalizer, or it imports more than its parts.
pub fn compose(
    project: &Project,
    pipeline: &Built,
    formatter: &Built,
    name: &str,
) -> anyhow::Result<Built> {
    let pipeline_bytes = fs::read(&pipeline.component)
        .with_context(|| format!("reading {}", pipeline.component.display()))?;
    let formatter_bytes = fs::read(&formatter.component)
        .with_context(|| format!("reading {}", formatter.component.display()))?;
    let out_dir = project.composed_out_dir(name);
    let component = out_dir.join("component.wasm");
    let stamp = out_dir.join("stamp");
    let mut hasher = blake3::Hasher::new();
    hasher.update(b"wac-graph 0.11.0\0");
    hasher.update(&(pipeline_bytes.len() as u64).to_le_bytes());
    hasher.update(&pipeline_bytes);
    hasher.update(&formatter_bytes);
    let hash = hasher.finalize().to_hex().to_string();
    let fresh = component.is_file() && fs::read_to_string(&stamp).is_ok_and(|old| old == hash);
    let start = Instant::now();
    if !fresh {
        fs::create_dir_all(&out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
        drop(fs::remove_file(&stamp));
        let bytes = link(pipeline_bytes, formatter_bytes)?;
        build::write_atomically(&component, &bytes)?;
    }
    let bytes = fs::read(&component).with_context(|| format!("reading {}", component.display()))?;
    let (imports, exports) =
        build::validate_component(&bytes).with_context(|| format!("{}", component.display()))?;
    check_exports(&exports, &pipeline.contract.export_names())?;
    check_imports(
        &imports,
        &pipeline.imports,
        &formatter.imports,
        &formatter.exports,
    )?;
    if !fresh {
        build::write_atomically(&stamp, hash.as_bytes())?;
    }
    Ok(Built {
        guest: name.to_owned(),
        component,
        size: bytes.len() as u64,
        imports,
        exports,
        rebuilt: !fresh,
        build_time: if fresh {
            Duration::ZERO
        } else {
            start.elapsed()
        },
        capabilities: union(&pipeline.capabilities, &formatter.capabilities),
        contract: pipeline.contract.clone(),
        functions: pipeline.functions.clone(),
    })
}

/// The wac-graph link: instantiate the formatter, pass its export to the
/// pipeline's instantiation, export the pipeline's exports.  wac-graph
/// imports whatever either instantiation still needs (WASI, for a formatter
/// whose runtime imports it), once per name.
fn link(pipeline: Vec<u8>, formatter: Vec<u8>) -> anyhow::Result<Vec<u8>> {
    let mut graph = CompositionGraph::new();
    let pipeline = Package::from_bytes("witness:pipeline", None, pipeline, graph.types_mut())
        .context("reading the pipeline component's types")?;
    let pipeline = graph.register_package(pipeline)?;
    let formatter = Package::from_bytes("witness:formatter", None, formatter, graph.types_mut())
        .context("reading the formatter component's types")?;
    let formatter = graph.register_package(formatter)?;
    wac_graph::plug(&mut graph, vec![formatter], pipeline)
        .context("plugging the formatter's exports into the pipeline's imports")?;
    graph
        .encode(EncodeOptions::default())
        .context("encoding the composition")
}

/// A composed component exports the pipeline's world, and nothing else.
fn check_exports(exports: &[String], expected: &[String]) -> anyhow::Result<()> {
    if exports != expected {
        let exported = if exports.is_empty() {
            "nothing".to_owned()
        } else {
            exports.join(", ")
        };
        bail!(
            "a composed component must export only {}; it exports {exported}",
            expected.join(", ")
        );
    }
    Ok(())
}

/// A composed component imports no more than the union of its parts'
/// imports, less what the link satisfies (`linked`: the formatter's
/// exports).
///
/// # Errors
/// Names every extra import.
pub fn check_imports(
    composed: &[String],
    pipeline: &[String],
    formatter: &[String],
    linked: &[String],
) -> anyhow::Result<()> {
    let allowed = |name: &String| {
        formatter.contains(name) || (!linked.contains(name) && pipeline.contains(name))
    };
    let extra: Vec<&str> = composed
        .iter()
        .filter(|name| !allowed(name))
        .map(String::as_str)
        .collect();
    if !extra.is_empty() {
        bail!(
            "the composed component imports {} beyond the union of its parts' imports (pipeline: {}; formatter: {})",
            extra.join(", "),
            list(pipeline),
            list(formatter)
        );
    }
    Ok(())
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "nothing".to_owned()
    } else {
        names.join(", ")
    }
}

/// Both parts' grants: the composed component runs both parts' code.  Denial
/// messages name the formatter's manifest when it grants anything (its
/// runtime is what asks), else the pipeline's.
fn union(pipeline: &Capabilities, formatter: &Capabilities) -> Capabilities {
    Capabilities {
        granted: pipeline
            .granted
            .union(&formatter.granted)
            .copied()
            .collect(),
        manifest: if formatter.granted.is_empty() {
            pipeline.manifest.clone()
        } else {
            formatter.manifest.clone()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPORT: &str = "example:json-tools/formatter@1.0.0";

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn names_round_trip() {
        assert_eq!(composed_name("rust", "go"), "pipeline-rust+go");
        assert_eq!(parse_name("pipeline-rust+go"), Some(("rust", "go")));
        assert_eq!(parse_name("rust"), None);
    }

    #[test]
    fn imports_beyond_the_parts_are_named() {
        let pipeline = names(&[EXPORT]);
        let formatter = names(&["wasi:io/streams@0.2.6", "wasi:clocks/wall-clock@0.2.6"]);
        check_imports(
            &names(&["wasi:io/streams@0.2.6"]),
            &pipeline,
            &formatter,
            &names(&[EXPORT]),
        )
        .expect("a subset");
        check_imports(&[], &pipeline, &[], &names(&[EXPORT])).expect("nothing at all");
        let message = check_imports(&names(&[EXPORT]), &pipeline, &formatter, &names(&[EXPORT]))
            .expect_err("the link satisfies it");
        assert!(message.to_string().contains(EXPORT), "{message}");
        let message = check_imports(
            &names(&["wasi:http/types@0.2.6"]),
            &pipeline,
            &formatter,
            &names(&[EXPORT]),
        )
        .expect_err("neither part imports it")
        .to_string();
        assert!(
            message.contains("wasi:http/types@0.2.6") && message.contains("beyond"),
            "{message}"
        );
    }
}
