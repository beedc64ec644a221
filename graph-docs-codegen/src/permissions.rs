//! Least privilege: the smallest set of scopes that covers a set of operations.
//!
//! Every operation lists the scopes that each suffice to call it, least privileged first. The
//! rule (documented in the README):
//!
//! 1. take each operation's least privileged scope;
//! 2. drop a chosen scope when every operation it was chosen for is also covered by another
//!    chosen scope (tried in a fixed order: scopes chosen by fewer operations first, then by
//!    name), so no scope is more privileged than some operation needs and none is redundant;
//! 3. operations whose row is *not supported* or *unknown* cannot be covered and are listed.

use std::collections::{BTreeMap, BTreeSet};

use graph_docs_parse::PermissionState;

/// Which permission row to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PermissionKind {
    /// Delegated (work or school account).
    DelegatedWork,
    /// Delegated (personal Microsoft account).
    DelegatedPersonal,
    /// Application.
    Application,
}

impl PermissionKind {
    /// The row of a page's permissions.
    pub fn row(self, p: &graph_docs_parse::Permissions) -> &PermissionState {
        match self {
            PermissionKind::DelegatedWork => &p.delegated_work,
            PermissionKind::DelegatedPersonal => &p.delegated_personal,
            PermissionKind::Application => &p.application,
        }
    }
}

/// The answer for a set of operations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeastPrivilege {
    /// The scopes to request, sorted by name.
    pub scopes: Vec<String>,
    /// Operations (by label) whose page says this permission type is not supported.
    pub not_supported: Vec<String>,
    /// Operations (by label) whose page does not say which scopes they need.
    pub unknown: Vec<String>,
}

/// Computes the least privileged scope set for `ops`: `(label, row)` pairs.
pub fn least_privileged<'a>(
    ops: impl IntoIterator<Item = (String, &'a PermissionState)>,
) -> LeastPrivilege {
    let mut out = LeastPrivilege::default();
    let mut lists: Vec<&'a [String]> = Vec::new();
    for (label, state) in ops {
        match state {
            PermissionState::Scopes(s) if !s.is_empty() => lists.push(s),
            PermissionState::Scopes(_) | PermissionState::Unknown => out.unknown.push(label),
            PermissionState::NotSupported => out.not_supported.push(label),
        }
    }
    // 1. each operation's least privileged scope.
    let mut chosen_for: BTreeMap<&str, usize> = BTreeMap::new();
    for l in &lists {
        *chosen_for.entry(l[0].as_str()).or_default() += 1;
    }
    let mut chosen: BTreeSet<&str> = chosen_for.keys().copied().collect();
    // 2. drop redundant scopes.
    let mut order: Vec<(&str, usize)> = chosen_for.iter().map(|(k, v)| (*k, *v)).collect();
    order.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(b.0)));
    for (scope, _) in order {
        chosen.remove(scope);
        let covered = lists
            .iter()
            .all(|l| l.iter().any(|s| chosen.contains(s.as_str())));
        if !covered {
            chosen.insert(scope);
        }
    }
    out.scopes = chosen.into_iter().map(str::to_string).collect();
    out.not_supported.sort();
    out.not_supported.dedup();
    out.unknown.sort();
    out.unknown.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> PermissionState {
        PermissionState::Scopes(v.iter().map(|x| x.to_string()).collect())
    }

    #[test]
    fn drops_scopes_covered_by_a_needed_one() {
        let a = s(&["Files.Read", "Files.ReadWrite", "Files.Read.All"]);
        let b = s(&["Files.ReadWrite", "Files.ReadWrite.All"]);
        let c = s(&["User.Read", "User.ReadWrite"]);
        let r = least_privileged([("a".into(), &a), ("b".into(), &b), ("c".into(), &c)]);
        assert_eq!(r.scopes, vec!["Files.ReadWrite", "User.Read"]);
        assert!(r.unknown.is_empty());
    }

    #[test]
    fn keeps_least_privilege_over_a_smaller_set() {
        // {Z} alone would cover both but is more privileged than either needs.
        let a = s(&["X", "Z"]);
        let b = s(&["Y", "Z"]);
        let r = least_privileged([("a".into(), &a), ("b".into(), &b)]);
        assert_eq!(r.scopes, vec!["X", "Y"]);
    }

    #[test]
    fn reports_uncoverable_operations() {
        let a = s(&["X"]);
        let r = least_privileged([
            ("a".into(), &a),
            ("b".into(), &PermissionState::NotSupported),
            ("c".into(), &PermissionState::Unknown),
        ]);
        assert_eq!(r.scopes, vec!["X"]);
        assert_eq!(r.not_supported, vec!["b"]);
        assert_eq!(r.unknown, vec!["c"]);
    }
}
