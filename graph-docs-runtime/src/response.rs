//! How responses are decoded. A request's type parameter `K` picks one of these.

use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::Error;

/// How a response body is turned into a value.
pub trait ResponseKind {
    /// What `send()` returns.
    type Output;
    /// Decodes a successful response.
    fn decode(status: http::StatusCode, body: &[u8]) -> Result<Self::Output, Error>;
}

/// A JSON object of type `T`. A single object wrapped in `{"value": {...}}` decodes too.
pub struct Json<T>(PhantomData<fn() -> T>);

/// A collection page of `T` (`value` + `@odata.nextLink`).
pub struct Collection<T>(PhantomData<fn() -> T>);

/// No content (`204`): decodes into `()`, whatever the body.
pub struct NoContent;

/// Binary content (`$value`, `/content`): decodes into bytes.
pub struct Binary;

/// A `$count` answer: a plain integer in the body.
pub struct Count;

/// One page of a collection.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Page<T> {
    /// The items of this page (empty pages are normal).
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    /// The URL of the next page, if any.
    #[serde(rename = "@odata.nextLink", default)]
    pub next_link: Option<String>,
    /// The delta link, at the end of a delta query.
    #[serde(rename = "@odata.deltaLink", default)]
    pub delta_link: Option<String>,
    /// The total count, when `$count=true` was asked.
    #[serde(rename = "@odata.count", default)]
    pub count: Option<i64>,
}

pub(crate) fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    serde_json::from_slice::<T>(body).map_err(|e| Error::Decode {
        type_name: std::any::type_name::<T>(),
        message: e.to_string(),
        excerpt: String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned(),
    })
}

impl<T: DeserializeOwned> ResponseKind for Json<T> {
    type Output = T;
    fn decode(_status: http::StatusCode, body: &[u8]) -> Result<T, Error> {
        // An empty body (e.g. `204`) decodes as JSON `null`: fine for `Option<T>` and `()`.
        let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
            b"null"
        } else {
            body
        };
        match decode_json::<T>(body) {
            Ok(v) => Ok(v),
            Err(first) => {
                // `{"value": {...}}` wrapping a single object (seen in the docs' examples).
                #[derive(Deserialize)]
                struct Wrapped<T> {
                    value: T,
                }
                match serde_json::from_slice::<Wrapped<T>>(body) {
                    Ok(w) => Ok(w.value),
                    Err(_) => Err(first),
                }
            }
        }
    }
}

impl<T: DeserializeOwned> ResponseKind for Collection<T> {
    type Output = Page<T>;
    fn decode(_status: http::StatusCode, body: &[u8]) -> Result<Page<T>, Error> {
        decode_json::<Page<T>>(body)
    }
}

impl ResponseKind for NoContent {
    type Output = ();
    fn decode(_status: http::StatusCode, _body: &[u8]) -> Result<(), Error> {
        Ok(())
    }
}

impl ResponseKind for Binary {
    type Output = bytes::Bytes;
    fn decode(_status: http::StatusCode, body: &[u8]) -> Result<bytes::Bytes, Error> {
        Ok(bytes::Bytes::copy_from_slice(body))
    }
}

impl ResponseKind for Count {
    type Output = i64;
    fn decode(_status: http::StatusCode, body: &[u8]) -> Result<i64, Error> {
        let text = String::from_utf8_lossy(body);
        let t = text.trim().trim_start_matches('\u{feff}');
        t.parse::<i64>().map_err(|e| Error::Decode {
            type_name: "i64",
            message: e.to_string(),
            excerpt: t.chars().take(200).collect(),
        })
    }
}
