//! Helpers for the example tests generated with `include_graph_api!(.., example_tests = true)`:
//! each documented example becomes a test that builds the request through the generated API and
//! compares it with the example, and decodes the example response into the operation's type.
//! Not a stable API; generated tests call it through `__private::contract`.

use percent_encoding::percent_decode_str;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::response::ResponseKind;
use crate::types::DateTimeOffset;

/// Percent-decodes a path or query part.
fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// Query pairs of a query string, percent-decoded (`+` is kept as is).
pub fn query_pairs(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// JSON made comparable: `null` members removed (the generated models omit `None`), numbers as
/// `f64`, and date-time strings in one canonical form.
pub fn normalize(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, normalize(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(normalize).collect()),
        Value::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        Value::String(s) => {
            if s.len() >= 19 && s.as_bytes().get(10) == Some(&b'T') {
                if let Ok(d) = s.parse::<DateTimeOffset>() {
                    return Value::String(d.to_string());
                }
            }
            Value::String(s)
        }
        other => other,
    }
}

/// Parses an example body into a model; panics with the serde message (it is a test).
pub fn from_json<T: DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).unwrap_or_else(|e| {
        panic!(
            "the example body does not decode into {}: {e}\n{json}",
            std::any::type_name::<T>()
        )
    })
}

/// One member of an example body, decoded into a setter's parameter type.
pub fn member<T: DeserializeOwned>(json: &str, name: &str) -> T {
    let v: Value = serde_json::from_str(json).expect("example body is JSON");
    let m = v.get(name).cloned().unwrap_or(Value::Null);
    serde_json::from_value(m).unwrap_or_else(|e| {
        panic!(
            "body parameter `{name}` of the example does not decode into {}: {e}",
            std::any::type_name::<T>()
        )
    })
}

/// Asserts that a built request is the documented example: method, path (percent-decoded,
/// relative to the base URL's path), query pairs (decoded, in order) and JSON body (compared as
/// values after [`normalize`]).
pub fn check_request(
    built: &http::Request<Vec<u8>>,
    base_path: &str,
    method: &str,
    path: &str,
    query: &[(&str, &str)],
    json: Option<&str>,
) {
    assert_eq!(built.method().as_str(), method, "method");
    let uri = built.uri();
    let got_path = decode(uri.path());
    let got_path = got_path.strip_prefix(base_path).unwrap_or(&got_path);
    assert_eq!(got_path, decode(path), "path");
    let got_query = query_pairs(uri.query().unwrap_or(""));
    let want_query: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(got_query, want_query, "query");
    if let Some(json) = json {
        let want: Value = serde_json::from_str(json).expect("example body is JSON");
        let got: Value = serde_json::from_slice(built.body()).unwrap_or_else(|e| {
            panic!(
                "built body is not JSON ({e}): {}",
                String::from_utf8_lossy(built.body())
            )
        });
        assert_eq!(normalize(got), normalize(want), "JSON body");
    }
}

/// Asserts that an example response body decodes into the operation's response type.
pub fn check_response<K: ResponseKind>(status: u16, body: &str) {
    let status = http::StatusCode::from_u16(status).expect("valid status");
    if let Err(e) = K::decode(status, body.as_bytes()) {
        panic!("the example response does not decode: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_drops_nulls_and_unifies_numbers_and_dates() {
        let a: Value = serde_json::from_str(
            r#"{"a":1,"b":null,"c":[1.0,{"d":null}],"t":"2021-01-01T00:00:00.0000000Z"}"#,
        )
        .unwrap();
        let b: Value =
            serde_json::from_str(r#"{"a":1.0,"c":[1,{}],"t":"2021-01-01T00:00:00Z"}"#).unwrap();
        assert_eq!(normalize(a), normalize(b));
    }

    #[test]
    fn query_pairs_decode() {
        assert_eq!(
            query_pairs("$select=id,name&$filter=startswith(name,'a%20b')"),
            vec![
                ("$select".to_string(), "id,name".to_string()),
                ("$filter".to_string(), "startswith(name,'a b')".to_string())
            ]
        );
    }
}
