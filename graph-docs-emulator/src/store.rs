//! The emulated drive: a tree of folders and files whose content lives in files on disk.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};

/// A Graph error to answer with: HTTP status, `error.code`, `error.message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GraphError {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

impl GraphError {
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        GraphError {
            status,
            code,
            message: message.into(),
        }
    }
    pub fn not_found(what: impl Into<String>) -> Self {
        GraphError::new(404, "itemNotFound", what)
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        GraphError::new(400, "invalidRequest", message)
    }
}

/// What to do when a new file's name is already taken in its folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Conflict {
    Replace,
    Fail,
    Rename,
}

impl Conflict {
    pub fn parse(s: Option<&str>) -> Result<Conflict, GraphError> {
        match s {
            None | Some("replace") => Ok(Conflict::Replace),
            Some("fail") => Ok(Conflict::Fail),
            Some("rename") => Ok(Conflict::Rename),
            Some(other) => Err(GraphError::bad_request(format!(
                "@microsoft.graph.conflictBehavior must be fail, replace or rename, not `{other}`"
            ))),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Kind {
    Folder,
    File { size: u64, sha256: [u8; 32] },
}

#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub id: String,
    pub name: String,
    pub parent: Option<String>,
    pub kind: Kind,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
    pub version: u64,
}

/// Where a new file goes: an existing item to overwrite, or a name under an existing folder with
/// folders to create on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Dest {
    Existing(String),
    New {
        /// The deepest existing folder.
        folder: String,
        /// Folders to create under it, then the file name (last).
        parts: Vec<String>,
        conflict: Conflict,
    },
}

pub(crate) struct Store {
    pub drive_id: String,
    pub root_id: String,
    pub content_dir: PathBuf,
    items: HashMap<String, Item>,
    /// Children ids in creation order.
    children: HashMap<String, Vec<String>>,
}

pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string().to_uppercase()[..20].to_string()
}

pub(crate) fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl Store {
    pub fn new(drive_id: String, content_dir: PathBuf) -> Store {
        let root_id = new_id();
        let now = Utc::now();
        let mut items = HashMap::new();
        items.insert(
            root_id.clone(),
            Item {
                id: root_id.clone(),
                name: "root".into(),
                parent: None,
                kind: Kind::Folder,
                created: now,
                modified: now,
                version: 1,
            },
        );
        Store {
            drive_id,
            root_id,
            content_dir,
            items,
            children: HashMap::new(),
        }
    }

    pub fn get(&self, id: &str) -> Option<&Item> {
        self.items.get(id)
    }

    /// The on-disk file holding an item's content.
    pub fn content_path(&self, id: &str) -> PathBuf {
        self.content_dir.join(id)
    }

    pub fn children_of(&self, id: &str) -> &[String] {
        self.children.get(id).map(Vec::as_slice).unwrap_or(&[])
    }

    fn child_named(&self, folder: &str, name: &str) -> Option<&str> {
        self.children_of(folder)
            .iter()
            .find(|c| {
                self.items
                    .get(*c)
                    .is_some_and(|i| i.name.eq_ignore_ascii_case(name))
            })
            .map(String::as_str)
    }

    /// The id of `base` (root or an id); 404 if unknown.
    pub fn base_id(&self, base: &crate::routes::ItemRef) -> Result<String, GraphError> {
        match base {
            crate::routes::ItemRef::Root => Ok(self.root_id.clone()),
            crate::routes::ItemRef::Id(id) => {
                if self.items.contains_key(id) {
                    Ok(id.clone())
                } else {
                    Err(GraphError::not_found(format!(
                        "The resource could not be found: no item with id `{id}`"
                    )))
                }
            }
        }
    }

    /// Resolves an existing item through a colon path.
    pub fn lookup(&self, base: &str, parts: &[String]) -> Option<String> {
        let mut cur = base.to_string();
        for p in parts {
            cur = self.child_named(&cur, p)?.to_string();
        }
        Some(cur)
    }

    /// Resolves where a file written through `base` + `parts` goes. `parts` empty means the item
    /// itself (must be a file to overwrite, or a folder when `name` names a new child).
    pub fn dest(
        &self,
        base: &str,
        parts: &[String],
        name_in_body: Option<&str>,
        conflict: Conflict,
    ) -> Result<Dest, GraphError> {
        let mut parts: Vec<String> = parts.to_vec();
        if parts.is_empty() {
            match self.items.get(base).map(|i| &i.kind) {
                Some(Kind::File { .. }) => return Ok(Dest::Existing(base.to_string())),
                Some(Kind::Folder) => {
                    match name_in_body {
                        Some(n) if !n.is_empty() => parts.push(n.to_string()),
                        _ => return Err(GraphError::bad_request(
                            "the target is a folder: give the new file's name as item.name, or \
                             address it as {folder}:/{name}:",
                        )),
                    }
                }
                None => return Err(GraphError::not_found("the target item does not exist")),
            }
        }
        for p in &parts {
            if p == "." || p == ".." || p.contains(['/', '\\', '*', '<', '>', '?', '|', '"']) {
                return Err(GraphError::bad_request(format!(
                    "`{p}` is not a valid file or folder name"
                )));
            }
        }
        // Walk down existing folders.
        let mut folder = base.to_string();
        let mut i = 0;
        while i < parts.len() {
            match self.child_named(&folder, &parts[i]) {
                Some(child) => {
                    let child = child.to_string();
                    let is_last = i + 1 == parts.len();
                    match (&self.items[&child].kind, is_last) {
                        (Kind::Folder, false) => folder = child,
                        (Kind::File { .. }, true) => match conflict {
                            Conflict::Replace => return Ok(Dest::Existing(child)),
                            Conflict::Rename => break,
                            Conflict::Fail => {
                                return Err(GraphError::new(
                                    409,
                                    "nameAlreadyExists",
                                    format!("an item named `{}` already exists", parts[i]),
                                ))
                            }
                        },
                        (Kind::Folder, true) => {
                            return Err(GraphError::new(
                                409,
                                "nameAlreadyExists",
                                format!("`{}` is a folder", parts[i]),
                            ))
                        }
                        (Kind::File { .. }, false) => {
                            return Err(GraphError::bad_request(format!(
                                "`{}` is a file, not a folder",
                                parts[i]
                            )))
                        }
                    }
                }
                None => break,
            }
            i += 1;
        }
        Ok(Dest::New {
            folder,
            parts: parts[i..].to_vec(),
            conflict,
        })
    }

    fn add_item(&mut self, parent: &str, name: String, kind: Kind) -> String {
        let id = new_id();
        let now = Utc::now();
        self.items.insert(
            id.clone(),
            Item {
                id: id.clone(),
                name,
                parent: Some(parent.to_string()),
                kind,
                created: now,
                modified: now,
                version: 1,
            },
        );
        self.children
            .entry(parent.to_string())
            .or_default()
            .push(id.clone());
        id
    }

    /// Creates the folders of `dest` and the file entry; returns the item id and whether it was
    /// created (`true`) or replaced. The caller then moves the content into `content_path(id)`.
    pub fn commit(
        &mut self,
        dest: &Dest,
        size: u64,
        sha256: [u8; 32],
    ) -> Result<(String, bool), GraphError> {
        // Re-resolve: the tree may have changed since the session started.
        let dest = match dest {
            Dest::Existing(id) => {
                if self.items.contains_key(id) {
                    Dest::Existing(id.clone())
                } else {
                    return Err(GraphError::not_found("the item being replaced was deleted"));
                }
            }
            Dest::New {
                folder,
                parts,
                conflict,
            } => {
                if !self.items.contains_key(folder) {
                    return Err(GraphError::not_found("the destination folder was deleted"));
                }
                self.dest(folder, parts, None, *conflict)?
            }
        };
        match dest {
            Dest::Existing(id) => {
                let item = self
                    .items
                    .get_mut(&id)
                    .ok_or_else(|| GraphError::not_found("the item was deleted"))?;
                item.kind = Kind::File { size, sha256 };
                item.modified = Utc::now();
                item.version += 1;
                Ok((id, false))
            }
            Dest::New {
                mut folder,
                parts,
                conflict,
            } => {
                let Some((name, dirs)) = parts.split_last() else {
                    return Err(GraphError::bad_request("no file name"));
                };
                for d in dirs {
                    folder = self.add_item(&folder, d.clone(), Kind::Folder);
                }
                let mut name = name.clone();
                if conflict == Conflict::Rename {
                    let (stem, ext) = match name.rfind('.') {
                        Some(i) if i > 0 => (name[..i].to_string(), name[i..].to_string()),
                        _ => (name.clone(), String::new()),
                    };
                    let mut n = 1;
                    while self.child_named(&folder, &name).is_some() {
                        name = format!("{stem} {n}{ext}");
                        n += 1;
                    }
                }
                let id = self.add_item(&folder, name, Kind::File { size, sha256 });
                Ok((id, true))
            }
        }
    }

    /// Deletes an item and its descendants; returns the ids removed (for content cleanup).
    pub fn delete(&mut self, id: &str) -> Result<Vec<String>, GraphError> {
        if id == self.root_id {
            return Err(GraphError::new(
                403,
                "accessDenied",
                "the root folder cannot be deleted",
            ));
        }
        let parent = self
            .items
            .get(id)
            .ok_or_else(|| GraphError::not_found("no such item"))?
            .parent
            .clone();
        if let Some(p) = parent {
            if let Some(c) = self.children.get_mut(&p) {
                c.retain(|x| x != id);
            }
        }
        let mut removed = Vec::new();
        let mut stack = vec![id.to_string()];
        while let Some(cur) = stack.pop() {
            if let Some(kids) = self.children.remove(&cur) {
                stack.extend(kids);
            }
            self.items.remove(&cur);
            removed.push(cur);
        }
        Ok(removed)
    }

    /// `/drive/root:/a/b` for a folder id (the `parentReference.path` of its children).
    fn path_of(&self, id: &str) -> String {
        let mut names = Vec::new();
        let mut cur = self.items.get(id);
        while let Some(item) = cur {
            match &item.parent {
                Some(p) => {
                    names.push(item.name.clone());
                    cur = self.items.get(p);
                }
                None => break,
            }
        }
        names.reverse();
        let mut out = "/drive/root:".to_string();
        for n in names {
            out.push('/');
            out.push_str(&n);
        }
        out
    }

    /// The path of an item below the root, `a/b.txt` (empty for the root).
    pub fn rel_path(&self, id: &str) -> String {
        self.path_of(id)
            .trim_start_matches("/drive/root:")
            .trim_start_matches('/')
            .to_string()
    }

    /// The DriveItem JSON of an item, shaped as the service returns it.
    pub fn item_json(&self, id: &str) -> Option<Value> {
        let item = self.items.get(id)?;
        let mut v = json!({
            "id": item.id,
            "name": item.name,
            "eTag": format!("\"{{{}}},{}\"", item.id, item.version),
            "cTag": format!("\"c:{{{}}},{}\"", item.id, item.version),
            "createdDateTime": rfc3339(item.created),
            "lastModifiedDateTime": rfc3339(item.modified),
            "fileSystemInfo": {
                "createdDateTime": rfc3339(item.created),
                "lastModifiedDateTime": rfc3339(item.modified),
            },
        });
        let obj = v.as_object_mut()?;
        match &item.kind {
            Kind::Folder => {
                let size: u64 = self.subtree_size(id);
                obj.insert("size".into(), json!(size));
                obj.insert(
                    "folder".into(),
                    json!({ "childCount": self.children_of(id).len() }),
                );
            }
            Kind::File { size, sha256 } => {
                obj.insert("size".into(), json!(size));
                obj.insert(
                    "file".into(),
                    json!({
                        "mimeType": mime_of(&item.name),
                        "hashes": { "sha256Hash": hex::encode_upper(sha256) },
                    }),
                );
            }
        }
        match &item.parent {
            None => {
                obj.insert("root".into(), json!({}));
                obj.insert(
                    "parentReference".into(),
                    json!({ "driveId": self.drive_id, "driveType": "business" }),
                );
            }
            Some(p) => {
                obj.insert(
                    "parentReference".into(),
                    json!({
                        "driveId": self.drive_id,
                        "driveType": "business",
                        "id": p,
                        "path": self.path_of(p),
                    }),
                );
            }
        }
        Some(v)
    }

    fn subtree_size(&self, id: &str) -> u64 {
        let mut total = 0;
        let mut stack = vec![id];
        while let Some(cur) = stack.pop() {
            if let Some(Item {
                kind: Kind::File { size, .. },
                ..
            }) = self.items.get(cur)
            {
                total += size;
            }
            stack.extend(self.children_of(cur).iter().map(String::as_str));
        }
        total
    }

    /// Makes sure `parts` exist as folders under the root, returning the last one's id.
    pub fn ensure_folders(&mut self, parts: &[String]) -> Result<String, GraphError> {
        let mut cur = self.root_id.clone();
        for p in parts {
            cur = match self.child_named(&cur, p) {
                Some(c) => {
                    let c = c.to_string();
                    if !matches!(self.items[&c].kind, Kind::Folder) {
                        return Err(GraphError::bad_request(format!("`{p}` is a file")));
                    }
                    c
                }
                None => self.add_item(&cur, p.clone(), Kind::Folder),
            };
        }
        Ok(cur)
    }

    /// The item's size and hash if it is a file.
    pub fn file_info(&self, id: &str) -> Option<(u64, [u8; 32])> {
        match self.items.get(id)?.kind {
            Kind::File { size, sha256 } => Some((size, sha256)),
            Kind::Folder => None,
        }
    }
}

fn mime_of(name: &str) -> &'static str {
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "txt" => "text/plain",
        "json" => "application/json",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}
