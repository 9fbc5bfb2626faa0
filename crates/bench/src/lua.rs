//! `native::lua`: the contract's formatter written in Lua
//! (`bench/lua/jsonfmt.lua`), run inside the bench process by Lua 5.4
//! through mlua, whose `vendored` feature builds Lua from source, so no
//! system Lua is needed.
//!
//! This is the "embedded scripting language" kind of plug-in: a host
//! process that creates an interpreter state, loads a script into it and
//! calls its functions, passing strings across.  Each call copies the input
//! into a Lua string and the output back into a Rust `String`, as a real
//! embedding must, so that copy is in the samples, as lowering and lifting
//! are in a wasmtime cell's.
//!
//! The state opens only the libraries the script uses (base, `string`,
//! `table`, `utf8`, `math`): a plug-in gets no `io`, `os` or `package`, as a
//! guest component gets no WASI interface by default.

use std::{
    hint::black_box,
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use anyhow::Context as _;
use mlua::{Function, Lua, LuaOptions, StdLib, Table, Value};
use witness::{contract::Plugin, suite};
use witness_host_api::{Call, FormatOptions, Outcome};

use crate::{
    Config,
    inprocess::{self, hot_plan, stage, timed},
    procfs,
    record::{Measure, Row, RowKind, Status},
    stats::{Plan, Summary},
};

/// The script, relative to the repository's root.
pub const SCRIPT: &str = "bench/lua/jsonfmt.lua";

/// The row's name.
pub const ROW: &str = "native::lua";

/// The script's path in the repository at `root`.
pub fn script_path(root: &Path) -> PathBuf {
    root.join(SCRIPT)
}

/// A Lua state with `jsonfmt.lua` loaded: its `format` and `minify`.
pub struct LuaFormatter {
    lua: Lua,
    format: Function,
    minify: Function,
}

impl LuaFormatter {
    /// A new Lua state with the script `source` (named `name` in Lua's
    /// error messages) loaded.
    ///
    /// # Errors
    /// When the state cannot be created or the script does not compile or
    /// does not return a table with `format` and `minify`.
    pub fn from_source(source: &str, name: &str) -> mlua::Result<LuaFormatter> {
        let lua = Lua::new_with(
            StdLib::STRING | StdLib::TABLE | StdLib::UTF8 | StdLib::MATH,
            LuaOptions::default(),
        )?;
        let module: Table = lua.load(source).set_name(name).eval()?;
        let format = module.get("format")?;
        let minify = module.get("minify")?;
        Ok(LuaFormatter {
            lua,
            format,
            minify,
        })
    }

    /// Reads the script at `path` and loads it into a new state.
    ///
    /// # Errors
    /// When the file cannot be read, or as [`Self::from_source`].
    pub fn load(path: &Path) -> anyhow::Result<LuaFormatter> {
        let source =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        LuaFormatter::from_source(&source, &format!("@{}", path.display()))
            .map_err(|err| anyhow::anyhow!("loading {}: {err}", path.display()))
    }

    /// `format(input, options)`: the contract's `ok` or `err`, or a Lua
    /// error, which is a bug of the script.
    ///
    /// # Errors
    /// When the script raises an error or returns something else than an
    /// output or `nil, message`.
    pub fn format(
        &self,
        input: &str,
        options: Option<FormatOptions>,
    ) -> mlua::Result<Result<String, String>> {
        let options = match options {
            None => Value::Nil,
            Some(FormatOptions { indent, sort_keys }) => {
                let table = self.lua.create_table()?;
                table.set("indent", indent)?;
                table.set("sort_keys", sort_keys)?;
                Value::Table(table)
            }
        };
        answer(self.format.call((input, options))?)
    }

    /// `minify(input)`, as [`Self::format`].
    ///
    /// # Errors
    /// As [`Self::format`].
    pub fn minify(&self, input: &str) -> mlua::Result<Result<String, String>> {
        answer(self.minify.call(input)?)
    }

    /// A json-tools call as a host would answer it: a Lua error is a trap.
    /// `normalize` is the pipeline's (format with indent 2 and sorted keys,
    /// then minify), composed here.
    pub fn call(&self, call: &Call) -> Outcome {
        let result = match call {
            Call::Format { input, options } => self.format(input, *options),
            Call::Minify { input } => self.minify(input),
            Call::Normalize { input } => self
                .format(
                    input,
                    Some(FormatOptions {
                        indent: 2,
                        sort_keys: true,
                    }),
                )
                .and_then(|formatted| match formatted {
                    Ok(formatted) => self.minify(&formatted),
                    Err(message) => Ok(Err(message)),
                }),
        };
        match result {
            Ok(Ok(output)) => Outcome::Ok(output),
            Ok(Err(message)) => Outcome::Err(message),
            Err(err) => Outcome::Trap(format!("Lua error: {err}")),
        }
    }

    /// The bytes Lua's allocator holds now.
    pub fn used_memory(&self) -> usize {
        self.lua.used_memory()
    }

    /// `_VERSION`, as Lua spells it (`Lua 5.4`).
    pub fn version(&self) -> String {
        self.lua
            .globals()
            .get::<String>("_VERSION")
            .unwrap_or_else(|_| "Lua".to_owned())
    }
}

/// A script's return values: the output, or `nil` and the message.
fn answer(
    (output, message): (Option<mlua::LuaString>, Option<mlua::LuaString>),
) -> mlua::Result<Result<String, String>> {
    let text =
        |string: mlua::LuaString| -> mlua::Result<String> { Ok((*string.to_str()?).to_owned()) };
    match (output, message) {
        (Some(output), _) => Ok(Ok(text(output)?)),
        (None, Some(message)) => Ok(Err(text(message)?)),
        (None, None) => Err(mlua::Error::runtime(
            "the script returned neither an output nor an error message",
        )),
    }
}

/// The `native::lua` row: hot calls interleaved one for one with the native
/// Rust formatter (so that its × rust is a paired ratio, as a wasmtime
/// cell's), cold start, and the bench process's peak memory, reset before
/// the row, as for `native::rust`.
pub fn row(config: &Config, documents: &[(&str, String)]) -> Row {
    let mut row = Row::new(ROW, RowKind::Baseline);
    let reset = procfs::reset_own_peak();
    if let Err(err) = measure(config, documents, &mut row) {
        row.status = Status::Failed {
            message: format!("{err:#}"),
        };
    }
    row.peak_memory = inprocess::own_peak(reset);
    row
}

fn measure(config: &Config, documents: &[(&str, String)], row: &mut Row) -> anyhow::Result<()> {
    let path = script_path(config.project.root());
    let formatter = LuaFormatter::load(&path)?;
    row.runtime = Some(format!(
        "{} (vendored by mlua 0.12, C built at opt-level 3) in the bench process: {SCRIPT}",
        formatter.version()
    ));
    let quick = config.quick;
    for (label, document) in documents {
        let call = crate::hot_call(Plugin::JsonTools, document);
        let started = Instant::now();
        let first = formatter.call(&call);
        let one_call = started.elapsed();
        if !inprocess::check_output(row, label, &first, &call) {
            continue;
        }
        let plan = hot_plan(document.len(), quick).fitted(one_call, 3);
        stage(&format!("hot {label}: {} samples at most", plan.max));
        for _ in 0..plan.warmup {
            black_box(formatter.call(&call));
            black_box(suite::reference_output(&call)).ok();
        }
        let (mut native_samples, mut native_cpu_samples, mut cpu_samples) =
            (Vec::new(), Vec::new(), Vec::new());
        let samples = Plan { warmup: 0, ..plan }.collect(|| {
            let (_, wall, cpu) = timed(|| suite::reference_output(black_box(&call)).ok());
            native_samples.push(wall);
            native_cpu_samples.push(cpu);
            let (outcome, wall, cpu) = timed(|| formatter.call(black_box(&call)));
            cpu_samples.push(cpu);
            if let Outcome::Trap(message) = outcome {
                anyhow::bail!("the {label} document failed after its first call: {message}");
            }
            Ok(wall)
        })?;
        let how = "one call through mlua (input copied into Lua, output copied out), timed on its own; × rust against native::rust interleaved one for one";
        if let Some(latency) = Measure::new(Summary::of(&samples), how) {
            let mut hot = inprocess::hot(label, &call, latency);
            let ratio = |cell: Option<Summary>, native: &[Duration]| {
                Some(cell?.median_ns / Summary::of(native)?.median_ns)
            };
            hot.ratio_to_native_rust = ratio(Summary::of(&samples), &native_samples);
            hot.cpu = Measure::new(Summary::of(&cpu_samples), "the same calls' thread CPU time");
            hot.cpu_ratio_to_native_rust = ratio(Summary::of(&cpu_samples), &native_cpu_samples);
            row.hot.push(hot);
        }
    }
    row.notes.push(format!(
        "Lua's heap after the hot calls: {:.1} MiB (`used_memory`, before any full collection)",
        formatter.used_memory() as f64 / (1024.0 * 1024.0)
    ));
    drop(formatter);

    stage("cold start");
    let small_call = crate::hot_call(Plugin::JsonTools, crate::documents::SMALL);
    let samples = Plan::new(5, 100, Duration::from_secs(3))
        .warmup(1)
        .scaled(quick)
        .time(|| {
            let formatter = LuaFormatter::load(&path)?;
            match formatter.call(&small_call) {
                Outcome::Ok(_) => Ok(()),
                other => anyhow::bail!("the first call gave {other:?}"),
            }
        })?;
    row.cold_start = Measure::new(
        Summary::of(&samples),
        "create a Lua state, read and load the script, first format of 200 B, close the state",
    );
    Ok(())
}
