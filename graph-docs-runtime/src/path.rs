//! Paths: a position in the API's URL tree. Generated node types wrap a [`Path`].
//!
//! Every caller-supplied value is percent-encoded so that it stays inside its own segment: an id
//! containing `/`, `?`, `#`, `%`, `:`, a space, or the segment `..` can never change the route.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::operation::Operation;
use crate::request::Request;
use crate::response::ResponseKind;
use crate::Client;

/// Characters left as they are inside one path segment: RFC 3986 unreserved characters plus
/// the sub-delimiters that Graph ids use (`!`, `@`, `$`, `*`, `+`, `,`, `;`, `=`).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'@')
    .remove(b'$')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=');

/// Percent-encodes `value` as exactly one path segment. `.` and `..` are encoded as `%2E` and
/// `%2E%2E`, and an empty value as nothing, so no value can navigate.
pub(crate) fn encode_segment(value: &str) -> String {
    match value {
        "." => "%2E".to_string(),
        ".." => "%2E%2E".to_string(),
        _ => utf8_percent_encode(value, SEGMENT).to_string(),
    }
}

/// A position in the URL tree, relative to the client's base URL, plus the client.
#[derive(Debug, Clone)]
pub struct Path {
    client: Client,
    path: String,
    /// The path ends in an open colon path (`root:/a/b`): the next segment closes it with `:`.
    open_colon: bool,
}

impl Path {
    /// The root of the API (the client's base URL).
    pub fn root(client: &Client) -> Path {
        Path {
            client: client.clone(),
            path: String::new(),
            open_colon: false,
        }
    }

    /// The client this path belongs to.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The path relative to the base URL, starting with `/` (empty at the root).
    pub fn as_str(&self) -> &str {
        &self.path
    }

    /// Appends a literal segment from the docs (`drives`, `$value`, `microsoft.graph.user`).
    /// It is appended as written: it comes from the docs, not from the caller.
    pub fn segment(&self, literal: &str) -> Path {
        let mut path = String::with_capacity(self.path.len() + literal.len() + 2);
        path.push_str(&self.path);
        if self.open_colon {
            path.push(':');
        }
        path.push('/');
        path.push_str(literal);
        Path {
            client: self.client.clone(),
            path,
            open_colon: false,
        }
    }

    /// Appends a caller-supplied key as one percent-encoded segment: `/drives/{key}`.
    pub fn key(&self, key: &str) -> Path {
        self.segment(&encode_segment(key))
    }

    /// Appends a key in parentheses to the last segment: `lists('{key}')` or `worksheets({key})`.
    /// Quoted keys have `'` doubled, as OData requires.
    pub fn paren_key(&self, key: &str, quoted: bool) -> Path {
        let mut path = self.path.clone();
        path.push('(');
        if quoted {
            path.push('\'');
            path.push_str(&encode_segment(&key.replace('\'', "''")));
            path.push('\'');
        } else {
            path.push_str(&encode_segment(key));
        }
        path.push(')');
        Path {
            client: self.client.clone(),
            path,
            open_colon: false,
        }
    }

    /// Appends a colon path to the last segment: `root:/folder/file.txt`. Each `/`-separated
    /// part of `item_path` is encoded on its own; empty, `.` and `..` parts cannot navigate.
    /// The closing `:` is written when another segment follows (`root:/a.txt:/content`), or at
    /// once when `closed` is true.
    pub fn colon_path(&self, item_path: &str, closed: bool) -> Path {
        let mut path = self.path.clone();
        path.push_str(":/");
        let mut first = true;
        for part in item_path.split('/').filter(|p| !p.is_empty()) {
            if !first {
                path.push('/');
            }
            first = false;
            path.push_str(&encode_segment(part));
        }
        if closed {
            path.push(':');
        }
        Path {
            client: self.client.clone(),
            path,
            open_colon: !closed,
        }
    }

    /// Appends an OData function call segment: `/name(a='x',b=2)`. Each argument is
    /// `(name, value, quoted)`; quoted values are written in single quotes with `'` doubled.
    pub fn function(&self, name: &str, args: &[(&str, &str, bool)]) -> Path {
        let mut seg = String::with_capacity(name.len() + 2 + args.len() * 16);
        seg.push_str(name);
        seg.push('(');
        for (i, (arg, value, quoted)) in args.iter().enumerate() {
            if i > 0 {
                seg.push(',');
            }
            seg.push_str(arg);
            seg.push('=');
            if *quoted {
                seg.push('\'');
                seg.push_str(&encode_segment(&value.replace('\'', "''")));
                seg.push('\'');
            } else {
                seg.push_str(&encode_segment(value));
            }
        }
        seg.push(')');
        self.segment(&seg)
    }

    /// Starts a request for an operation at this path.
    pub fn request<K: ResponseKind>(&self, op: &'static Operation) -> Request<K> {
        Request::new(self.client.clone(), self.path.clone(), op)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> Path {
        Path::root(&Client::new("t"))
    }

    #[test]
    fn keys_cannot_change_the_route() {
        let p = root().segment("drives").key("a/b?c#d%e f").segment("root");
        assert_eq!(p.as_str(), "/drives/a%2Fb%3Fc%23d%25e%20f/root");
        assert_eq!(root().segment("users").key("..").as_str(), "/users/%2E%2E");
        assert_eq!(root().segment("users").key(".").as_str(), "/users/%2E");
        assert_eq!(root().segment("users").key("a:b").as_str(), "/users/a%3Ab");
        assert_eq!(
            root().segment("users").key("me@contoso.com").as_str(),
            "/users/me@contoso.com"
        );
    }

    #[test]
    fn colon_paths_encode_each_part() {
        let p = root()
            .segment("me")
            .segment("drive")
            .segment("root")
            .colon_path("/docs/../a b.txt", false)
            .segment("content");
        assert_eq!(p.as_str(), "/me/drive/root:/docs/%2E%2E/a%20b.txt:/content");
        let p = root().segment("root").colon_path("a.txt", false);
        assert_eq!(p.as_str(), "/root:/a.txt");
    }

    #[test]
    fn functions_and_paren_keys() {
        let p = root().segment("me").function(
            "reminderView",
            &[
                ("startDateTime", "2021-01-01T00:00:00", false),
                ("x", "O'Neil", true),
            ],
        );
        assert_eq!(
            p.as_str(),
            "/me/reminderView(startDateTime=2021-01-01T00%3A00%3A00,x='O%27%27Neil')"
        );
        let p = root().segment("lists").paren_key("it's", true);
        assert_eq!(p.as_str(), "/lists('it%27%27s')");
    }
}
