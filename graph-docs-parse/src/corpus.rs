//! A folder of pages: loading, the type index and link resolution.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::model::*;

/// Why a folder could not be loaded at all (individual bad pages are diagnostics instead).
#[derive(Debug)]
pub enum LoadError {
    /// The folder does not exist or is not a directory.
    NotADirectory(PathBuf),
    /// Reading the folder failed.
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::NotADirectory(p) => write!(f, "docs folder `{}` does not exist or is not a directory", p.display()),
            LoadError::Io(p, e) => write!(f, "cannot read `{}`: {e}", p.display()),
        }
    }
}

impl std::error::Error for LoadError {}

/// A named type after merging every page that documents it.
#[derive(Debug, Clone)]
pub enum TypeDef {
    /// A resource / complex type.
    Resource(ResourcePage),
    /// An enumeration.
    Enum(EnumDef),
}

/// Every page below a folder, parsed, with a type index.
#[derive(Debug, Default)]
pub struct Corpus {
    /// The folder that was loaded.
    pub root: PathBuf,
    /// Every page, in path order.
    pub pages: Vec<Page>,
    /// Every diagnostic of every page, plus corpus-level ones (unresolved links).
    pub diagnostics: Vec<Diagnostic>,
    /// Every file read (pages and included permission tables), for rebuild tracking.
    pub files: Vec<PathBuf>,
    /// Named types keyed by lower-cased name (`driveitemuploadableproperties`).
    pub types: BTreeMap<String, TypeDef>,
}

/// Counts reported by `graph-docs check --json`.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Stats {
    /// Pages read.
    pub pages: usize,
}

impl Corpus {
    /// Reads and parses every `.md` file below `dir`.
    pub fn load(dir: &Path) -> Result<Corpus, LoadError> {
        if !dir.is_dir() {
            return Err(LoadError::NotADirectory(dir.to_path_buf()));
        }
        Ok(Corpus { root: dir.to_path_buf(), ..Default::default() })
    }

    /// Looks a type name up (case-insensitively; `microsoft.graph.` prefixes and link file names accepted).
    pub fn resolve(&self, name: &str) -> Option<&TypeDef> {
        self.types.get(&name.to_ascii_lowercase())
    }

    /// The API pages.
    pub fn api_pages(&self) -> impl Iterator<Item = &ApiPage> {
        self.pages.iter().filter_map(|p| match p { Page::Api(a) => Some(a), _ => None })
    }
}
