//! What a contract's WIT says a component exports: the signatures every
//! host checks a component against at load, and calls it by.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::{Mutex, OnceLock},
};

use anyhow::Context as _;
use witness_host_api::Function;

use crate::{guest::World, project::Project};

/// Every function that `world` of the WIT package in `wit_dir` (with its
/// `deps/`) exports, in the order of the WIT.  Each package is read once per
/// process.
///
/// # Errors
/// When the WIT does not parse, the world does not exist, or a signature has
/// a type that is not resolved; the message names the directory.
pub fn exports(wit_dir: &Path, world: &str) -> anyhow::Result<Vec<Function>> {
    type Cache = Mutex<HashMap<(PathBuf, String), Vec<Function>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Cache::default);
    let key = (wit_dir.to_path_buf(), world.to_owned());
    if let Some(functions) = cache
        .lock()
        .unwrap_or_else(|err| err.into_inner())
        .get(&key)
    {
        return Ok(functions.clone());
    }
    let mut resolve = wit_parser::Resolve::new();
    let (package, _) = resolve
        .push_dir(wit_dir)
        .with_context(|| format!("{}: the WIT does not parse", wit_dir.display()))?;
    let world_id = resolve
        .select_world(&[package], Some(world))
        .with_context(|| format!("{}: no world `{world}`", wit_dir.display()))?;
    let functions = Function::exports(&resolve, world_id)
        .with_context(|| format!("{}: world `{world}`", wit_dir.display()))?;
    cache
        .lock()
        .unwrap_or_else(|err| err.into_inner())
        .insert(key, functions.clone());
    Ok(functions)
}

/// The functions a guest of `world` exports, from the project's WIT.
///
/// # Errors
/// As [`exports`].
pub fn world_exports(project: &Project, world: World) -> anyhow::Result<Vec<Function>> {
    exports(&world.wit_dir(project), world.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_formatter_world_exports_format_and_minify() {
        let project = Project::from_build_dir();
        let functions = world_exports(&project, World::JsonProcessor).expect("the WIT parses");
        let signatures: Vec<String> = functions
            .iter()
            .map(|function| format!("{}: {function}", function.key))
            .collect();
        assert_eq!(
            signatures,
            [
                "example:json-tools/formatter@1.0.0#format: format: func(input: string, options: option<record { indent: u32, sort-keys: bool }>) -> result<string, string>",
                "example:json-tools/formatter@1.0.0#minify: minify: func(input: string) -> result<string, string>",
            ]
        );
        let pipeline = world_exports(&project, World::Pipeline).expect("the WIT parses");
        assert_eq!(
            pipeline[0].key.to_string(),
            "example:pipeline/normalizer@1.0.0#normalize"
        );
    }

    #[test]
    fn a_missing_world_names_the_directory() {
        let project = Project::from_build_dir();
        let err = exports(&project.wit_dir(), "no-such-world").expect_err("no such world");
        let message = format!("{err:#}");
        assert!(
            message.contains("wit: no world `no-such-world`"),
            "{message}"
        );
    }
}
