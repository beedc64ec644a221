//! Stable diagnostic codes.
//!
//! Codes never change meaning once released; new problems get new codes.
//!
//! | Code  | Severity | Meaning |
//! |-------|----------|---------|
//! | GD001 | error    | the file could not be read, or is not UTF-8 (read lossily) |
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
//! | GD040 | warning  | an annotation comment is not strict JSON (read leniently) |
//! | GD041 | warning  | an annotation comment could not be read at all (ignored) |
//! | GD042 | warning  | a JSON body or JSON representation does not parse, even leniently |
//! | GD043 | warning  | an example block could not be read (no request line / status line) |
//! | GD050 | warning  | the "Response" section states no status code |

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
    (LENIENT_ANNOTATION, "annotation comment is not strict JSON"),
    (BAD_ANNOTATION, "annotation comment unreadable"),
    (BAD_JSON, "JSON block does not parse"),
    (BAD_EXAMPLE, "example block unreadable"),
    (NO_RESPONSE_STATUS, "Response section states no status code"),
];

/// The description of a code, if it is one.
pub fn describe(code: &str) -> Option<&'static str> {
    ALL.iter().find(|(c, _)| *c == code).map(|(_, d)| *d)
}
