//! Parsing request paths into what they address. Graph paths contain colon paths
//! (`root:/folder/file.txt:/content`) that a router cannot express, so they are parsed by hand.

use percent_encoding::percent_decode_str;

/// The item a path starts from, before any colon path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ItemRef {
    /// The drive's root folder.
    Root,
    /// An item by id (`root` as an id means the root, as on the service).
    Id(String),
}

/// What an API path addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// `/me`.
    Me,
    /// `/me/drive`, `/drives/{id}`.
    Drive,
    /// An item, optionally through a colon path, with an optional trailing action segment.
    Item {
        base: ItemRef,
        /// The decoded parts of the colon path (`root:/a/b.txt:` → `["a", "b.txt"]`).
        colon_path: Vec<String>,
        /// `content`, `children`, `createUploadSession`, ... (`None` for the item itself).
        action: Option<String>,
    },
}

/// Why a path was not understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RouteError {
    /// No such resource on this emulator.
    NotFound(String),
    /// The addressed drive is not the emulator's drive.
    UnknownDrive(String),
}

fn decode(seg: &str) -> String {
    percent_decode_str(seg).decode_utf8_lossy().into_owned()
}

/// Parses `path` (relative to the API root, e.g. `/me/drive/root:/a.txt:/content`).
pub(crate) fn parse(path: &str, drive_id: &str) -> Result<Target, RouteError> {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match strict(&segs, drive_id) {
        Ok(t) => Ok(t),
        Err(RouteError::UnknownDrive(d)) => Err(RouteError::UnknownDrive(d)),
        Err(e) => lenient(&segs).ok_or(e),
    }
}

fn strict(segs: &[&str], drive_id: &str) -> Result<Target, RouteError> {
    let not_found = || RouteError::NotFound(format!("/{}", segs.join("/")));
    let rest: &[&str] = match segs {
        ["me"] => return Ok(Target::Me),
        ["me", "drive", rest @ ..] => rest,
        ["drives", d, rest @ ..] => {
            if decode(d) != drive_id {
                return Err(RouteError::UnknownDrive(decode(d)));
            }
            rest
        }
        ["users", _, "drive", rest @ ..]
        | ["groups", _, "drive", rest @ ..]
        | ["sites", _, "drive", rest @ ..]
        | ["me", "joinedGroups", _, "drive", rest @ ..] => rest,
        _ => return Err(not_found()),
    };
    if rest.is_empty() {
        return Ok(Target::Drive);
    }
    // The item segment: `root`, `root:`, `items/{id}`, `items/{id}:` (and the lookalike
    // collections of the seed's routes).
    let (base, colon_open, after): (ItemRef, bool, &[&str]) = match rest {
        [first, after @ ..] if first.trim_end_matches(':') == "root" => {
            (ItemRef::Root, first.ends_with(':'), after)
        }
        [coll, id, after @ ..]
            if matches!(*coll, "items" | "bundles" | "special" | "following") =>
        {
            let open = id.ends_with(':');
            let id = decode(id.trim_end_matches(':'));
            let base = if id == "root" {
                ItemRef::Root
            } else {
                ItemRef::Id(id)
            };
            (base, open, after)
        }
        _ => return Err(not_found()),
    };
    let mut colon_path = Vec::new();
    let mut remaining = after;
    if colon_open {
        // Collect parts until one ends with `:` (the closing colon); without one, the whole rest
        // is the path (`GET /me/drive/root:/a/b.txt`).
        let mut closed_at = None;
        for (i, part) in after.iter().enumerate() {
            if let Some(stripped) = part.strip_suffix(':') {
                colon_path.push(decode(stripped));
                closed_at = Some(i);
                break;
            }
            colon_path.push(decode(part));
        }
        remaining = match closed_at {
            Some(i) => &after[i + 1..],
            None => &[],
        };
        colon_path.retain(|p| !p.is_empty());
    }
    let action = match remaining {
        [] => None,
        [a] => Some((*a).to_string()),
        _ => return Err(not_found()),
    };
    Ok(Target::Item {
        base,
        colon_path,
        action,
    })
}

/// The seed page lists createUploadSession on many other navigation paths (shares, workbooks,
/// group channels, activities, shared drive items). They all address a drive item; this maps
/// them onto the emulator's one drive: the item named by the last `{id}` after an item
/// collection, or the root for `root`/`driveItem`/`filesFolder`.
fn lenient(segs: &[&str]) -> Option<Target> {
    let (action, body) = segs.split_last()?;
    if *action != "createUploadSession" {
        return None;
    }
    let last = *body.last()?;
    let base = match body {
        [.., coll, id]
            if matches!(
                *coll,
                "items" | "children" | "bundles" | "special" | "following" | "workbooks"
            ) =>
        {
            let id = decode(id);
            if id == "root" {
                ItemRef::Root
            } else {
                ItemRef::Id(id)
            }
        }
        _ if matches!(last, "root" | "driveItem" | "filesFolder") => ItemRef::Root,
        _ => return None,
    };
    Some(Target::Item {
        base,
        colon_path: Vec::new(),
        action: Some("createUploadSession".to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(base: ItemRef, path: &[&str], action: Option<&str>) -> Target {
        Target::Item {
            base,
            colon_path: path.iter().map(|s| s.to_string()).collect(),
            action: action.map(str::to_string),
        }
    }

    #[test]
    fn parses_drive_and_me() {
        assert_eq!(parse("/me", "d"), Ok(Target::Me));
        assert_eq!(parse("/me/drive", "d"), Ok(Target::Drive));
        assert_eq!(parse("/drives/d", "d"), Ok(Target::Drive));
        assert_eq!(
            parse("/drives/other", "d"),
            Err(RouteError::UnknownDrive("other".into()))
        );
    }

    #[test]
    fn parses_colon_paths() {
        assert_eq!(
            parse("/me/drive/root:/a%20b/c.txt:/createUploadSession", "d"),
            Ok(item(
                ItemRef::Root,
                &["a b", "c.txt"],
                Some("createUploadSession")
            ))
        );
        assert_eq!(
            parse("/me/drive/root:/a/c.txt", "d"),
            Ok(item(ItemRef::Root, &["a", "c.txt"], None))
        );
        assert_eq!(
            parse("/drives/d/items/P1:/new.bin:/content", "d"),
            Ok(item(
                ItemRef::Id("P1".into()),
                &["new.bin"],
                Some("content")
            ))
        );
        assert_eq!(
            parse("/me/drive/items/X/children", "d"),
            Ok(item(ItemRef::Id("X".into()), &[], Some("children")))
        );
        assert_eq!(
            parse("/me/drive/root/createUploadSession", "d"),
            Ok(item(ItemRef::Root, &[], Some("createUploadSession")))
        );
    }

    #[test]
    fn maps_other_seed_routes_leniently() {
        assert_eq!(
            parse("/shares/s/items/I9/createUploadSession", "d"),
            Ok(item(
                ItemRef::Id("I9".into()),
                &[],
                Some("createUploadSession")
            ))
        );
        assert_eq!(
            parse(
                "/me/joinedGroups/g/team/channels/c/filesFolder/createUploadSession",
                "d"
            ),
            Ok(item(ItemRef::Root, &[], Some("createUploadSession")))
        );
        assert_eq!(
            parse("/workbooks/W1/createUploadSession", "d"),
            Ok(item(
                ItemRef::Id("W1".into()),
                &[],
                Some("createUploadSession")
            ))
        );
        assert!(matches!(
            parse("/shares/s/items/I9/children", "d"),
            Err(RouteError::NotFound(_))
        ));
    }
}
