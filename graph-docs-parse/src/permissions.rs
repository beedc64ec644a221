//! The permissions table: normal (`Permission type | Permissions`) or transposed (permission
//! types as columns), inline or from an `[!INCLUDE [permissions-table](...)]` file.

use crate::frontmatter::trim;
use crate::markdown::{Block, Cell};
use crate::model::{Loc, PermissionSource, PermissionState, Permissions, Severity};
use crate::{codes, Ctx};

#[derive(Clone, Copy, PartialEq, Debug)]
enum Row {
    Work,
    Personal,
    App,
}

/// Whether `h` starts with `needle` (lower-case ASCII), ignoring ASCII case.
fn starts_ci(h: &[u8], needle: &[u8]) -> bool {
    h.get(..needle.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(needle))
}

/// Whether `h` contains `needle` (lower-case ASCII, not empty), ignoring ASCII case: what
/// `Lower::new(h).contains(needle)` says, without the copy or a substring searcher's set-up
/// (costly next to the short cells and headers searched here).
fn ci_contains(h: &[u8], needle: &[u8]) -> bool {
    let Some(&first) = needle.first() else {
        return true;
    };
    let Some(last) = h.len().checked_sub(needle.len()) else {
        return false;
    };
    (0..=last).any(|i| h[i].to_ascii_lowercase() == first && starts_ci(&h[i..], needle))
}

fn row_kind(label: &str) -> Option<Row> {
    // the usual labels, as written (what the general reading below says of them)
    match label.as_bytes() {
        b"Delegated (work or school account)" => return Some(Row::Work),
        b"Delegated (personal Microsoft account)" => return Some(Row::Personal),
        b"Application" => return Some(Row::App),
        _ => {}
    }
    row_kind_general(label)
}

fn row_kind_general(label: &str) -> Option<Row> {
    // one pass over the label for every phrase (ignoring ASCII case); "app..." wins outright
    let b = label.as_bytes();
    let (mut personal, mut work) = (false, false);
    for i in 0..b.len() {
        let rest = &b[i..];
        match b[i].to_ascii_lowercase() {
            b'a' if starts_ci(rest, b"application")
                || starts_ci(rest, b"app-only")
                || starts_ci(rest, b"app only") =>
            {
                return Some(Row::App)
            }
            b'p' => personal = personal || starts_ci(rest, b"personal"),
            b'm' => {
                personal =
                    personal || starts_ci(rest, b"microsoft account") || starts_ci(rest, b"msa")
            }
            b'd' => work = work || starts_ci(rest, b"delegated"),
            b'w' => work = work || starts_ci(rest, b"work or school"),
            _ => {}
        }
    }
    if b.len() >= 3 && trim(label).eq_ignore_ascii_case("app") {
        Some(Row::App)
    } else if personal {
        Some(Row::Personal)
    } else if work {
        Some(Row::Work)
    } else {
        None
    }
}

/// Whether a header or row label says the scopes are listed from the most privileged one.
fn says_most_first(h: &str) -> bool {
    let b = h.as_bytes();
    (0..b.len()).any(|i| {
        let rest = &b[i..];
        match b[i].to_ascii_lowercase() {
            b'm' => {
                starts_ci(rest, b"most to least") || starts_ci(rest, b"most privileged to least")
            }
            b'h' => starts_ci(rest, b"highest to lowest"),
            _ => false,
        }
    })
}

/// `s` split like `str::split(pat)` (leftmost matches, empty pieces kept), each piece given to
/// `f`. `pat` is not empty.
fn split_on<'a>(s: &'a str, pat: &[u8], mut f: impl FnMut(&'a str)) {
    let b = s.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i + pat.len() <= b.len() {
        if b[i] == pat[0] && b[i..].starts_with(pat) {
            f(&s[start..i]);
            i += pat.len();
            start = i;
        } else {
            i += 1;
        }
    }
    f(&s[start..]);
}

/// Byte classes of a permissions cell (bits).
const SEP: u8 = 1; // ',' ';' '\n': between scopes
const SPACE: u8 = 2; // ' '
const TEE: u8 = 4; // 't' 'T': a "TODO" / "TBD"?
const WS: u8 = 8; // ASCII whitespace (`char::is_whitespace`)
const ALPHA: u8 = 16; // ASCII letter
const NON_ASCII: u8 = 32;
const PAREN: u8 = 64; // '(': a note after a scope?

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = match c as u8 {
            b',' | b';' => SEP,
            b'\n' => SEP | WS,
            b' ' => SPACE | WS,
            b'\t' | 0x0b | 0x0c | b'\r' => WS,
            b't' | b'T' => TEE | ALPHA,
            b'(' => PAREN,
            b'a'..=b'z' | b'A'..=b'Z' => ALPHA,
            0x80..=0xff => NON_ASCII,
            _ => 0,
        };
        c += 1;
    }
    t
};

/// Adds one piece of a permissions cell to `scopes` when it is a scope name. `paren`: whether
/// the piece may hold a `(` (when it does not, it is not looked for).
fn add_scope(scopes: &mut Vec<String>, raw: &str, paren: bool) {
    // drop parenthesised notes: "Mail.Read (see note)"
    let p = match paren
        .then(|| memchr::memchr(b'(', raw.as_bytes()))
        .flatten()
    {
        Some(i) => &raw[..i],
        None => raw,
    };
    let p = trim(p);
    let b = p.as_bytes();
    let strip = |c: u8| c == b'*' || c == b'`' || c == b'.' || c == b'_';
    let (mut i, mut j) = (0, b.len());
    while i < j && strip(b[i]) {
        i += 1;
    }
    while j > i && strip(b[j - 1]) {
        j -= 1;
    }
    let p = trim(&p[i..j]);
    if p.is_empty() {
        return;
    }
    let flags = p.as_bytes().iter().fold(0, |f, &c| f | CLASS[c as usize]);
    if flags & WS != 0
        || flags & ALPHA == 0
        || (flags & NON_ASCII != 0 && p.contains(char::is_whitespace))
    {
        return;
    }
    if !scopes.iter().any(|s| s == p) {
        scopes.push(p.to_string());
    }
}

/// Adds the scopes of one piece of a cell between separators: split at " or ", then at
/// " and " (as `str::split` would), unless it has fewer than the two spaces those need.
/// `paren`: whether the piece holds a `(`.
fn add_segment(scopes: &mut Vec<String>, seg: &str, spaces: u32, paren: bool) {
    if spaces < 2 {
        add_scope(scopes, seg, paren);
    } else {
        split_on(seg, b" or ", |part| {
            split_on(part, b" and ", |piece| add_scope(scopes, piece, paren))
        });
    }
}

/// Whether a cell says its scopes are yet to be written ("TODO", "TBD").
fn says_todo(b: &[u8]) -> bool {
    (0..b.len()).any(|i| b[i].eq_ignore_ascii_case(&b't') && todo_at(&b[i..]))
}

fn todo_at(b: &[u8]) -> bool {
    starts_ci(b, b"todo") || starts_ci(b, b"tbd")
}

/// Reads one permissions cell.
pub(crate) fn state(cell: &str, most_first: bool) -> PermissionState {
    let t = trim(cell);
    let b = t.as_bytes();
    if b.is_empty() {
        return PermissionState::Unknown;
    }
    if starts_ci(b, b"not supported")
        || starts_ci(b, b"not applicable")
        || starts_ci(b, b"not available")
        || t.eq_ignore_ascii_case("none")
        || t.eq_ignore_ascii_case("n/a")
        || t == "-"
    {
        return if says_todo(b) {
            PermissionState::Unknown
        } else {
            PermissionState::NotSupported
        };
    }
    // One pass: the cell is split at ',', ';' and newlines (as `str::split` would); a "TODO"
    // anywhere makes the cell unknown.
    // (most cells name one to a few scopes)
    let mut scopes: Vec<String> = Vec::with_capacity(4);
    let mut todo = false;
    let (mut seg_start, mut spaces, mut paren) = (0, 0, false);
    for (i, &c) in b.iter().enumerate() {
        let k = CLASS[c as usize];
        if k & (SEP | SPACE | TEE | PAREN) == 0 {
            continue;
        }
        if k & SEP != 0 {
            add_segment(&mut scopes, &t[seg_start..i], spaces, paren);
            seg_start = i + 1;
            spaces = 0;
            paren = false;
        } else if k & SPACE != 0 {
            spaces += 1;
        } else if k & PAREN != 0 {
            paren = true;
        } else {
            todo = todo || todo_at(&b[i..]);
        }
    }
    add_segment(&mut scopes, &t[seg_start..], spaces, paren);
    if todo || scopes.is_empty() {
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

/// `c.text()` (the cell's text, trimmed), without a call to `str::trim` when there is nothing
/// to trim.
fn cell_text<'c>(c: &'c Cell) -> &'c str {
    crate::tables::trim_ws(&c.inline.text)
}

/// A header cell trimmed like [`crate::tables::norm_header`], not lower-cased (the matching here
/// ignores ASCII case instead).
fn header_text<'c>(c: &'c Cell) -> &'c str {
    // (the markup characters are ASCII: trimmed byte by byte)
    trim(crate::tables::trim_ascii_set(cell_text(c), |b| {
        matches!(b, b'*' | b'_' | b'`' | b':')
    }))
}

/// Whether a table's header is a permissions table's: a `Permission type` / `Permissions`
/// column, or permission types as columns (transposed).
fn permissions_header(header: &[Cell]) -> bool {
    header
        .iter()
        .any(|c| ci_contains(header_text(c).as_bytes(), b"permission"))
        || header
            .iter()
            .filter(|c| row_kind(header_text(c)).is_some())
            .count()
            >= 2
}

/// What [`from_table`] needs to know of one header cell.
#[derive(Debug, PartialEq)]
struct Head {
    /// The permission type it names (a transposed table's column).
    kind: Option<Row>,
    /// "Least privileged permissions" / "Higher privileged permissions".
    privileged: bool,
    least: bool,
    /// "Permissions ...", not "Permission type".
    scopes: bool,
    /// "... (from most to least privileged)".
    most_first: bool,
}

impl Head {
    fn new(h: &str) -> Head {
        // the usual headers, at a glance (what the general reading below says of them)
        let usual = if h.eq_ignore_ascii_case("permission type") {
            Some(false)
        } else if h.eq_ignore_ascii_case("permissions (from least to most privileged)") {
            Some(true)
        } else {
            None
        };
        match usual {
            Some(scopes) => Head {
                kind: None,
                privileged: false,
                least: false,
                scopes,
                most_first: false,
            },
            None => Head::general(h),
        }
    }

    fn general(h: &str) -> Head {
        let b = h.as_bytes();
        let privileged = ci_contains(b, b"privileged permission");
        Head {
            kind: row_kind(h),
            privileged,
            least: privileged && ci_contains(b, b"least"),
            scopes: starts_ci(b, b"permission") && !h.eq_ignore_ascii_case("permission type"),
            most_first: says_most_first(h),
        }
    }
}

/// Reads a permissions table. Returns `None` when the table is not one.
pub(crate) fn from_table(header: &[Cell], rows: &[&[Cell]]) -> Option<(Permissions, [bool; 3])> {
    let hs: Vec<Head> = header.iter().map(|c| Head::new(header_text(c))).collect();
    let most_first = hs.iter().any(|h| h.most_first);
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
    if hs.iter().filter(|h| h.kind.is_some()).count() >= 2 {
        for row in rows {
            // (transposed, the order is stated by the row's label: "Permissions (from most to
            // least privileged)")
            let most_first =
                most_first || row.first().is_some_and(|c| says_most_first(cell_text(c)));
            for (i, h) in hs.iter().enumerate() {
                if let (Some(kind), Some(c)) = (h.kind, row.get(i)) {
                    set(&mut p, &mut seen, kind, state(cell_text(c), most_first));
                }
            }
        }
    } else {
        // Newer pages split the scopes over two columns, "Least privileged permissions" and
        // "Higher privileged permissions": both are read, the least privileged first.
        let mut split: Vec<usize> = (1..hs.len()).filter(|&i| hs[i].privileged).collect();
        split.sort_by_key(|&i| !hs[i].least);
        let single;
        let cols: &[usize] = if split.len() >= 2 {
            &split
        } else {
            single = [hs.iter().position(|h| h.scopes).unwrap_or(1)];
            &single
        };
        for row in rows {
            let Some(kind) = row.first().and_then(|label| row_kind(cell_text(label))) else {
                continue;
            };
            for &col in cols {
                if let Some(val) = row.get(col) {
                    set(&mut p, &mut seen, kind, state(cell_text(val), most_first));
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

    /// The cell reading before it was made one pass over bytes (the reference).
    fn state_ref(cell: &str, most_first: bool) -> PermissionState {
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

    /// The row label reading before (the reference).
    fn row_kind_ref(label: &str) -> Option<Row> {
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

    /// The header reading before (the reference), of a header already trimmed.
    fn head_ref(h: &str) -> Head {
        let h = crate::tables::Lower::new(h);
        let privileged = h.contains("privileged permission");
        Head {
            kind: row_kind_ref(&h),
            privileged,
            least: privileged && h.contains("least"),
            scopes: h.starts_with("permission") && h != "permission type",
            most_first: h.contains("most to least")
                || h.contains("most privileged to least")
                || h.contains("highest to lowest"),
        }
    }

    /// Texts built from pieces that matter to the readers (separators, phrases, Unicode
    /// whitespace, markup, case), plus fixed tricky ones.
    fn samples() -> Vec<String> {
        const PIECES: &[&str] = &[
            "Mail.Read",
            "User.ReadWrite.All",
            " ",
            "  ",
            ",",
            ", ",
            ";",
            "\n",
            "\r",
            "\t",
            " or ",
            " and ",
            "or",
            "and",
            " or and ",
            " and or ",
            "(",
            ")",
            "(see note)",
            "*",
            "**",
            "`",
            ".",
            "_",
            "-",
            "\u{a0}",
            "\u{2003}",
            "\u{85}",
            "é",
            "Ü",
            "TODO",
            "tbd",
            "ToDo",
            "Not supported",
            "not Applicable",
            "Not available",
            "none",
            "N/A",
            "1",
            "42",
            "Delegated",
            "Application",
            "App",
            "app-only",
            "APP ONLY",
            "personal",
            "Microsoft account",
            "MSA",
            "work or school",
            "Permission",
            "s",
            " type",
            "privileged permission",
            "least",
            "most to least",
            "Most privileged to least",
            "highest to lowest",
            "(work or school account)",
            "x",
            "\u{3000}",
        ];
        let mut out: Vec<String> = [
            "",
            " ",
            "x and or y",
            "A or B and C",
            "A and B or C",
            "a or or b",
            "A , , B",
            "Mail.Read (see note), Mail.ReadWrite.",
            " app ",
            "\u{a0}app\u{a0}",
            "App",
            "Delegated (MSA)",
            "Not supported (TODO)",
            "N/A",
            "-",
            " - ",
            "none.",
            "\u{a0}A.Read\u{a0}, B\u{2003}Read, `C.Read`.",
            "Ünïcödé.Read",
            "1234, ...",
            "A.Read;B.Read\nA.Read",
            "**A.Read**, _B.Read_",
            "A.Read\u{85}",
            "\u{85}",
            "Permission type",
            "Permission Type",
            "Permissions",
            "Permissions (from least to most privileged)",
            "PERMISSIONS (FROM MOST TO LEAST PRIVILEGED)",
            "Least privileged permissions",
            "Higher privileged permissions",
            "Delegated (work or school account)",
            "Delegated (personal Microsoft account)",
            "Application",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..20_000 {
            let n = rng.usize(1..8);
            out.push((0..n).map(|_| PIECES[rng.usize(..PIECES.len())]).collect());
        }
        out
    }

    #[test]
    fn reads_like_the_reference() {
        for s in samples() {
            for most_first in [false, true] {
                assert_eq!(state(&s, most_first), state_ref(&s, most_first), "{s:?}");
            }
            assert_eq!(row_kind(&s), row_kind_ref(&s), "{s:?}");
            assert_eq!(row_kind_general(&s), row_kind_ref(&s), "{s:?}");
            // (headers come trimmed)
            let h = s
                .trim_matches(|c: char| c == '*' || c == '_' || c == '`' || c == ':')
                .trim();
            assert_eq!(Head::new(h), head_ref(h), "{h:?}");
            assert_eq!(Head::general(h), head_ref(h), "{h:?}");
            assert_eq!(
                says_todo(s.as_bytes()),
                s.to_ascii_lowercase().contains("todo") || s.to_ascii_lowercase().contains("tbd")
            );
        }
    }

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
