//! Metadata every generated operation carries: its name, routes, doc page and permissions.

/// Static description of one operation, generated from its doc page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The operation name: the action/function name (`createUploadSession`) or the HTTP method
    /// in lower case (`get`).
    pub name: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The documented routes this operation stands for (placeholders as documented).
    pub routes: &'static [&'static str],
    /// The doc page it was generated from, relative to the docs folder.
    pub doc: &'static str,
    /// The permissions the page documents.
    pub permissions: Permissions,
}

/// The three permission rows of a doc page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Permissions {
    /// Delegated (work or school account).
    pub delegated_work: Scopes,
    /// Delegated (personal Microsoft account).
    pub delegated_personal: Scopes,
    /// Application.
    pub application: Scopes,
}

/// One permission row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scopes {
    /// Any one of these scopes is enough; least privileged first.
    AnyOf(&'static [&'static str]),
    /// The page says this permission type is not supported.
    NotSupported,
    /// The page does not say (missing or `TODO`).
    Unknown,
}

impl Scopes {
    /// The least privileged scope, if any is listed.
    pub fn least_privileged(&self) -> Option<&'static str> {
        match self {
            Scopes::AnyOf(s) => s.first().copied(),
            _ => None,
        }
    }
}

/// Which permission row to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PermissionKind {
    /// Delegated (work or school account).
    DelegatedWork,
    /// Delegated (personal Microsoft account).
    DelegatedPersonal,
    /// Application.
    Application,
}

impl Permissions {
    /// The row for one permission type.
    pub fn row(&self, kind: PermissionKind) -> Scopes {
        match kind {
            PermissionKind::DelegatedWork => self.delegated_work,
            PermissionKind::DelegatedPersonal => self.delegated_personal,
            PermissionKind::Application => self.application,
        }
    }
}
