//! Paths as the files witness writes spell them.

use std::path::{Component, Path, PathBuf};

/// `to` as a path relative to `from` (a directory that may not exist yet),
/// with `/` separators, as the templates write it (`../../wit`).
pub fn relative(from: &Path, to: &Path) -> String {
    let canonical = |path: &Path| -> PathBuf {
        path.canonicalize().unwrap_or_else(|_| {
            // `from` may not exist yet: canonicalize its parent.
            match (path.parent(), path.file_name()) {
                (Some(parent), Some(name)) => parent
                    .canonicalize()
                    .unwrap_or_else(|_| parent.to_path_buf())
                    .join(name),
                _ => path.to_path_buf(),
            }
        })
    };
    let (from, to) = (canonical(from), canonical(to));
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|part| part.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}
