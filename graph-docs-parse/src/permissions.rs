//! The permissions table: normal (`Permission type | Permissions`) or transposed (permission
//! types as columns), inline or from an `[!INCLUDE [permissions-table](...)]` file.

use crate::markdown::{Block, Cell};
use crate::model::{Loc, PermissionSource, PermissionState, Permissions, Severity};
use crate::{codes, tables, Ctx};

#[derive(Clone, Copy, PartialEq)]
enum Row {
    Work,
    Personal,
    App,
}

fn row_kind(label: &str) -> Option<Row> {
    let l = crate::tables::Lower::new(label);
    if l.contains("application")
        || l.trim() == "app"
        || l.contains("app-only")
        || l.contains("app only")
    {
        Some(Row::App)
    } else if l.contains("personal") || l.contains("microsoft account") || l.contains("msa") {
        Some(Row::Personal)
    } else if l.contains("delegated") || l.contains("work or school") {
        Some(Row::Work)
    } else {
        None
    }
}

/// Reads one permissions cell.
pub(crate) fn state(cell: &str, most_first: bool) -> PermissionState {
    let t = cell.trim();
    let l = crate::tables::Lower::new(t);
    if l.is_empty() || l.contains("todo") || l.contains("tbd") {
        return PermissionState::Unknown;
    }
    if l.starts_with("not supported")
        || l.starts_with("not applicable")
        || l.starts_with("not available")
        || l == "none"
        || l == "n/a"
        || l == "-"
    {
        return PermissionState::NotSupported;
    }
    let mut scopes: Vec<String> = Vec::new();
    for raw in t
        .split([',', ';', '\n'])
        .flat_map(|p| p.split(" or "))
        .flat_map(|p| p.split(" and "))
    {
        // drop parenthesised notes: "Mail.Read (see note)"
        let p = match raw.find('(') {
            Some(i) => &raw[..i],
            None => raw,
        };
        let p = p
            .trim()
            .trim_matches(|c: char| c == '*' || c == '`' || c == '.' || c == '_')
            .trim();
        if p.is_empty()
            || p.contains(char::is_whitespace)
            || !p.contains(|c: char| c.is_ascii_alphabetic())
        {
            continue;
        }
        if !scopes.iter().any(|s| s == p) {
            scopes.push(p.to_string());
        }
    }
    if scopes.is_empty() {
        return PermissionState::Unknown;
    }
    if most_first {
        scopes.reverse();
    }
    PermissionState::Scopes(scopes)
}

fn merge(into: &mut PermissionState, new: PermissionState) {
    match (into, new) {
        (PermissionState::Scopes(a), PermissionState::Scopes(b)) => {
            for s in b {
                if !a.contains(&s) {
                    a.push(s);
                }
            }
        }
        (
            slot @ (PermissionState::Unknown | PermissionState::NotSupported),
            n @ PermissionState::Scopes(_),
        ) => *slot = n,
        (slot @ PermissionState::Unknown, n) => *slot = n,
        _ => {}
    }
}

/// Whether a table's header is a permissions table's: a `Permission type` / `Permissions`
/// column, or permission types as columns (transposed).
fn permissions_header(header: &[Cell]) -> bool {
    let hs: Vec<tables::Lower> = header.iter().map(tables::norm_header).collect();
    hs.iter().any(|h| h.contains("permission"))
        || hs.iter().filter(|h| row_kind(h).is_some()).count() >= 2
}

/// Reads a permissions table. Returns `None` when the table is not one.
pub(crate) fn from_table(header: &[Cell], rows: &[&[Cell]]) -> Option<(Permissions, [bool; 3])> {
    let hs: Vec<tables::Lower> = header.iter().map(tables::norm_header).collect();
    let says_most_first = |h: &str| {
        h.contains("most to least")
            || h.contains("most privileged to least")
            || h.contains("highest to lowest")
    };
    let most_first = hs.iter().any(|h| says_most_first(h));
    let mut p = Permissions {
        source: PermissionSource::Inline,
        ..Default::default()
    };
    let mut seen = [false; 3];
    let set = |p: &mut Permissions, seen: &mut [bool; 3], kind: Row, st: PermissionState| {
        let (slot, i) = match kind {
            Row::Work => (&mut p.delegated_work, 0),
            Row::Personal => (&mut p.delegated_personal, 1),
            Row::App => (&mut p.application, 2),
        };
        seen[i] = true;
        merge(slot, st);
    };
    let transposed_cols: Vec<(usize, Row)> = hs
        .iter()
        .enumerate()
        .filter_map(|(i, h)| Some((i, row_kind(h)?)))
        .collect();
    if transposed_cols.len() >= 2 {
        for row in rows {
            // (transposed, the order is stated by the row's label: "Permissions (from most to
            // least privileged)")
            let most_first = most_first
                || row
                    .first()
                    .is_some_and(|c| says_most_first(&tables::Lower::new(c.text())));
            for &(i, kind) in &transposed_cols {
                if let Some(c) = row.get(i) {
                    set(&mut p, &mut seen, kind, state(c.text(), most_first));
                }
            }
        }
    } else {
        // Newer pages split the scopes over two columns, "Least privileged permissions" and
        // "Higher privileged permissions": both are read, the least privileged first.
        let mut split: Vec<usize> = (1..hs.len())
            .filter(|&i| hs[i].contains("privileged permission"))
            .collect();
        split.sort_by_key(|&i| !hs[i].contains("least"));
        let cols = if split.len() >= 2 {
            split
        } else {
            vec![hs
                .iter()
                .position(|h| h.starts_with("permission") && h != "permission type")
                .unwrap_or(1)]
        };
        for row in rows {
            let Some(kind) = row.first().and_then(|label| row_kind(label.text())) else {
                continue;
            };
            for &col in &cols {
                if let Some(val) = row.get(col) {
                    set(&mut p, &mut seen, kind, state(val.text(), most_first));
                }
            }
        }
    }
    if !seen.iter().any(|s| *s) {
        return None;
    }
    Some((p, seen))
}

/// Finds the permissions of a page in `blocks[range]` (the Permissions / Prerequisites section).
pub(crate) fn read(
    cx: &mut Ctx<'_>,
    blocks: &[Block],
    section: Option<(usize, usize, Loc)>,
) -> Permissions {
    let Some((start, end, heading_loc)) = section else {
        cx.diag(
            Loc::line(1),
            Severity::Warning,
            codes::NO_PERMISSIONS,
            "no \"Permissions\" section: permissions are recorded as unknown".into(),
        );
        return Permissions::default();
    };
    // Several tables (e.g. "Permissions acting on self" / "... on other users") are merged:
    // each kind's scopes in table order, a stated scope list over "not supported".
    let mut found: Option<Permissions> = None;
    let mut add = |p: Permissions| match &mut found {
        None => found = Some(p),
        Some(acc) => {
            merge(&mut acc.delegated_work, p.delegated_work);
            merge(&mut acc.delegated_personal, p.delegated_personal);
            merge(&mut acc.application, p.application);
        }
    };
    let mut any = false;
    for b in &blocks[start..end] {
        match b {
            Block::Table { header, rows, loc } => {
                // (after the first table, only tables whose header is about permissions: a
                // section may also hold tables of scenarios whose rows mention "delegated")
                if any && !permissions_header(header) {
                    continue;
                }
                if let Some((p, seen)) = from_table(header, rows) {
                    report_rows(cx, &p, seen, *loc);
                    add(p);
                    any = true;
                }
            }
            Block::Para { inline, loc, .. } => {
                if let Some(target) =
                    include_target(cx.text, inline.start, inline.end, &inline.links)
                {
                    add(read_include(cx, &target, *loc));
                    any = true;
                }
            }
            _ => {}
        }
    }
    if let Some(p) = found {
        return p;
    }
    cx.diag(
        heading_loc,
        Severity::Warning,
        codes::NO_PERMISSIONS,
        "the permissions section has no permissions table: permissions are recorded as unknown"
            .into(),
    );
    Permissions::default()
}

fn report_rows(cx: &mut Ctx<'_>, p: &Permissions, seen: [bool; 3], loc: Loc) {
    for (i, (name, st)) in [
        ("Delegated (work or school account)", &p.delegated_work),
        (
            "Delegated (personal Microsoft account)",
            &p.delegated_personal,
        ),
        ("Application", &p.application),
    ]
    .into_iter()
    .enumerate()
    {
        if !seen[i] {
            cx.diag(
                loc,
                Severity::Warning,
                codes::PERMISSION_UNKNOWN,
                format!("the permissions table has no `{name}` row: recorded as unknown"),
            );
        } else if *st == PermissionState::Unknown {
            cx.diag(
                loc,
                Severity::Warning,
                codes::PERMISSION_UNKNOWN,
                format!(
                    "the `{name}` permissions are not stated (empty or TODO): recorded as unknown"
                ),
            );
        }
    }
}

/// The include path of a `[!INCLUDE [permissions-table](path)]` paragraph.
fn include_target(
    text: &str,
    start: usize,
    end: usize,
    links: &[crate::markdown::Link],
) -> Option<String> {
    let raw = text.get(start..end.max(start).min(text.len()))?;
    if !raw.contains("!INCLUDE") && !raw.contains("!include") {
        return None;
    }
    links
        .iter()
        .find(|l| {
            l.dest.to_ascii_lowercase().ends_with(".md")
                && (l.text.contains("permission") || l.dest.contains("permission"))
        })
        .map(|l| l.dest.to_string())
}

fn read_include(cx: &mut Ctx<'_>, target: &str, loc: Loc) -> Permissions {
    let base = cx.path.parent().unwrap_or_else(|| std::path::Path::new(""));
    let path = base.join(target);
    match std::fs::read(&path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            let lines = crate::markdown::LineIndex::new(text);
            let bump = bumpalo::Bump::new();
            let blocks = crate::markdown::scan(text, &lines, &bump);
            for b in &blocks {
                if let Block::Table { header, rows, .. } = b {
                    if let Some((mut p, seen)) = from_table(header, rows) {
                        p.source = PermissionSource::Include(path.clone());
                        report_rows(cx, &p, seen, loc);
                        return p;
                    }
                }
            }
            cx.diag(
                loc,
                Severity::Warning,
                codes::PERMISSION_INCLUDE,
                format!(
                    "the permissions include `{}` has no permissions table: recorded as unknown",
                    path.display()
                ),
            );
            Permissions {
                source: PermissionSource::Include(path),
                ..Default::default()
            }
        }
        Err(_) => {
            cx.diag(
                loc,
                Severity::Warning,
                codes::PERMISSION_INCLUDE,
                format!(
                    "the permissions include `{}` does not exist: recorded as unknown",
                    path.display()
                ),
            );
            Permissions::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells() {
        assert_eq!(
            state("**TODO: Determine scopes **", false),
            PermissionState::Unknown
        );
        assert_eq!(
            state("Not supported.", false),
            PermissionState::NotSupported
        );
        assert_eq!(
            state(
                "Files.ReadWrite, Files.ReadWrite.All, Sites.ReadWrite.All",
                true
            ),
            PermissionState::Scopes(vec![
                "Sites.ReadWrite.All".into(),
                "Files.ReadWrite.All".into(),
                "Files.ReadWrite".into()
            ])
        );
        assert_eq!(
            state("Mail.Read (see note), Mail.ReadWrite.", false),
            PermissionState::Scopes(vec!["Mail.Read".into(), "Mail.ReadWrite".into()])
        );
    }
}
