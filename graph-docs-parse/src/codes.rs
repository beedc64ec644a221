//! Stable diagnostic codes.
//!
//! Codes never change meaning once released; new problems get new codes.
//!
//! | Code  | Severity | Meaning |
//! |-------|----------|---------|
//! | GD001 | error or warning | the file could not be read (error), or is not UTF-8 and was read lossily (warning) |
//! | GD002 | warning  | the page is neither an API, resource nor enum page: nothing was extracted |
//! | GD003 | error    | an API page has no usable route (no "HTTP request" section or no route line in it) |
//! | GD004 | warning  | a resource page has no properties or relationships table |
//! | GD005 | warning  | the front matter is not closed or has a line that is not `key: value` |
//! | GD010 | error    | a line of an "HTTP request" block is not `METHOD /path` |
//! | GD011 | error    | a route has unbalanced `{}`, `()` or quotes |
//! | GD020 | warning  | an API page has no permissions section or table |
//! | GD021 | warning  | a permission row is missing, `TODO`, or unreadable (recorded as unknown) |
//! | GD022 | warning  | a permissions `[!INCLUDE]` file does not exist (recorded as unknown) |
//! | GD030 | warning  | a type cell could not be read as a type |
//! | GD031 | warning  | a named type reference resolves to no page of the corpus |
//! | GD032 | warning  | a table row has no name |
//! | GD033 | warning  | a table's delimiter row holds a tab or has another cell count than its header (read as a table anyway) |
//! | GD040 | warning  | an annotation comment is not strict JSON (read leniently) |
//! | GD041 | warning  | an annotation comment could not be read at all (ignored) |
//! | GD042 | warning  | a JSON body or JSON representation does not parse, even leniently |
//! | GD043 | warning  | an example block could not be read (no request line / status line) |
//! | GD050 | warning  | the "Response" section states no status code |
//! | GD060 | error    | an example request's URL matches no route documented on its page |
//! | GD061 | error    | an example request's URL matches a route of its page, but not with that method |
//! | GD062 | error    | an example's JSON body does not parse, even leniently (and is not cut with `...`) |
//! | GD063 | error    | an example body has a property its type (or the body parameters) does not document |
//! | GD064 | error    | an example body value has the wrong JSON type for its documented type |
//! | GD065 | warning  | an example object without `@odata.type` uses a property only a derived type has |
//! | GD066 | warning  | an example response wraps a single object in `value` (the inner object is checked) |
//! | GD067 | error    | a resource's JSON representation has a property its tables do not list |
//! | GD068 | error    | a property of a resource's table is missing from its JSON representation |
//! | GD069 | warning  | a type link points to a `.md` page that is not in the docs folder |
//!
//! GD060–GD069 come from [`crate::contracts::check`] (`graph-docs check --examples`).

/// File unreadable or not UTF-8.
pub const UNREADABLE: &str = "GD001";
/// Page yields nothing.
pub const NOTHING_EXTRACTED: &str = "GD002";
/// API page without routes.
pub const NO_ROUTES: &str = "GD003";
/// Resource page without properties.
pub const NO_PROPERTIES: &str = "GD004";
/// Bad front matter.
pub const FRONT_MATTER: &str = "GD005";
/// Route line is not `METHOD /path`.
pub const BAD_ROUTE_LINE: &str = "GD010";
/// Unbalanced route.
pub const UNBALANCED_ROUTE: &str = "GD011";
/// No permissions section.
pub const NO_PERMISSIONS: &str = "GD020";
/// Permission row missing / TODO.
pub const PERMISSION_UNKNOWN: &str = "GD021";
/// Permission include missing.
pub const PERMISSION_INCLUDE: &str = "GD022";
/// Unknown type cell.
pub const UNKNOWN_TYPE: &str = "GD030";
/// Unresolved type reference.
pub const UNRESOLVED_TYPE: &str = "GD031";
/// Table row without name.
pub const ROW_WITHOUT_NAME: &str = "GD032";
/// A table's delimiter row holds a tab or does not match its header's cell count; the table
/// is read anyway, as if the row were right.
pub const BROKEN_TABLE: &str = "GD033";
/// Lenient annotation.
pub const LENIENT_ANNOTATION: &str = "GD040";
/// Unreadable annotation.
pub const BAD_ANNOTATION: &str = "GD041";
/// Bad JSON body.
pub const BAD_JSON: &str = "GD042";
/// Unreadable example block.
pub const BAD_EXAMPLE: &str = "GD043";
/// No status code in the Response section.
pub const NO_RESPONSE_STATUS: &str = "GD050";
/// Example URL matches no route of its page.
pub const EXAMPLE_NO_ROUTE: &str = "GD060";
/// Example URL matches a route, but not its method.
pub const EXAMPLE_WRONG_METHOD: &str = "GD061";
/// Example JSON body does not parse.
pub const EXAMPLE_BAD_JSON: &str = "GD062";
/// Example body has an undocumented property.
pub const UNKNOWN_PROPERTY: &str = "GD063";
/// Example body value has the wrong JSON type.
pub const WRONG_JSON_TYPE: &str = "GD064";
/// Example object needs `@odata.type` to select a derived type.
pub const MISSING_ODATA_TYPE: &str = "GD065";
/// Example response wraps a single object in `value`.
pub const WRAPPED_IN_VALUE: &str = "GD066";
/// JSON representation has a property the tables do not list.
pub const JSON_REP_EXTRA: &str = "GD067";
/// Table property missing from the JSON representation.
pub const JSON_REP_MISSING: &str = "GD068";
/// Type link to a page that is not in the docs folder.
pub const BROKEN_LINK: &str = "GD069";

/// Every code with a one-line description, in order.
pub const ALL: &[(&str, &str)] = &[
    (UNREADABLE, "file unreadable or not UTF-8"),
    (
        NOTHING_EXTRACTED,
        "page is neither an API, resource nor enum page",
    ),
    (NO_ROUTES, "API page has no usable route"),
    (NO_PROPERTIES, "resource page has no properties table"),
    (FRONT_MATTER, "malformed front matter"),
    (BAD_ROUTE_LINE, "route line is not `METHOD /path`"),
    (UNBALANCED_ROUTE, "route has unbalanced brackets or quotes"),
    (NO_PERMISSIONS, "no permissions section"),
    (PERMISSION_UNKNOWN, "permission row missing or TODO"),
    (PERMISSION_INCLUDE, "permissions include file not found"),
    (UNKNOWN_TYPE, "type cell not readable as a type"),
    (UNRESOLVED_TYPE, "type reference resolves to no page"),
    (ROW_WITHOUT_NAME, "table row without a name"),
    (
        BROKEN_TABLE,
        "table delimiter row does not match its header",
    ),
    (LENIENT_ANNOTATION, "annotation comment is not strict JSON"),
    (BAD_ANNOTATION, "annotation comment unreadable"),
    (BAD_JSON, "JSON block does not parse"),
    (BAD_EXAMPLE, "example block unreadable"),
    (NO_RESPONSE_STATUS, "Response section states no status code"),
    (EXAMPLE_NO_ROUTE, "example URL matches no route of its page"),
    (
        EXAMPLE_WRONG_METHOD,
        "example URL matches a route but not its method",
    ),
    (EXAMPLE_BAD_JSON, "example JSON body does not parse"),
    (
        UNKNOWN_PROPERTY,
        "example body has an undocumented property",
    ),
    (
        WRONG_JSON_TYPE,
        "example body value has the wrong JSON type",
    ),
    (
        MISSING_ODATA_TYPE,
        "example object needs `@odata.type` for a derived type",
    ),
    (
        WRAPPED_IN_VALUE,
        "example response wraps a single object in `value`",
    ),
    (
        JSON_REP_EXTRA,
        "JSON representation has a property the tables lack",
    ),
    (
        JSON_REP_MISSING,
        "table property missing from the JSON representation",
    ),
    (BROKEN_LINK, "type link to a page not in the docs folder"),
];

/// The description of a code, if it is one.
pub fn describe(code: &str) -> Option<&'static str> {
    ALL.iter().find(|(c, _)| *c == code).map(|(_, d)| *d)
}
