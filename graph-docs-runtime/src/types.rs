//! Value types generated models use for the docs' date and time primitives.
//!
//! - `DateTimeOffset` → [`DateTimeOffset`] (a `chrono::DateTime<FixedOffset>` that also reads
//!   the offset-less timestamps the service sometimes sends, as UTC),
//! - `Date` → [`Date`] (`chrono::NaiveDate`),
//! - `TimeOfDay` → [`TimeOfDay`] (`chrono::NaiveTime`, up to nine fractional digits).

use std::fmt;
use std::str::FromStr;

use chrono::{FixedOffset, NaiveDateTime, SecondsFormat};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// `Edm.Date`: a calendar date (`2021-07-01`).
pub type Date = chrono::NaiveDate;

/// `Edm.TimeOfDay`: a time of day (`08:30:00.0000000`).
pub type TimeOfDay = chrono::NaiveTime;

/// `Edm.DateTimeOffset`: an instant with its UTC offset. Serialised as RFC 3339 (`Z` for UTC);
/// read from RFC 3339, or from a timestamp without offset (taken as UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTimeOffset(pub chrono::DateTime<FixedOffset>);

impl DateTimeOffset {
    /// The current time, in UTC.
    pub fn now() -> Self {
        DateTimeOffset(chrono::Utc::now().fixed_offset())
    }
}

impl std::ops::Deref for DateTimeOffset {
    type Target = chrono::DateTime<FixedOffset>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<Tz: chrono::TimeZone> From<chrono::DateTime<Tz>> for DateTimeOffset {
    fn from(d: chrono::DateTime<Tz>) -> Self {
        DateTimeOffset(d.fixed_offset())
    }
}

/// A timestamp that is neither RFC 3339 nor an offset-less ISO 8601 date-time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseDateTimeError(String);

impl fmt::Display for ParseDateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a date-time (expected RFC 3339, e.g. 2021-07-01T08:30:00Z)",
            self.0
        )
    }
}

impl std::error::Error for ParseDateTimeError {}

impl FromStr for DateTimeOffset {
    type Err = ParseDateTimeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if let Ok(d) = chrono::DateTime::parse_from_rfc3339(t) {
            return Ok(DateTimeOffset(d));
        }
        for fmt in [
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M:%S%.f",
        ] {
            if let Ok(n) = NaiveDateTime::parse_from_str(t, fmt) {
                return Ok(DateTimeOffset(n.and_utc().fixed_offset()));
            }
        }
        Err(ParseDateTimeError(s.to_string()))
    }
}

impl fmt::Display for DateTimeOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

impl Serialize for DateTimeOffset {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateTimeOffset {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Deserialises `null` as the type's default (generated collections use it: the service sends
/// `null` for empty collections).
pub fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rfc3339_and_offsetless() {
        let a: DateTimeOffset = "2017-08-07T16:16:09.4622186Z".parse().unwrap();
        assert_eq!(a.to_string(), "2017-08-07T16:16:09.462218600Z");
        let b: DateTimeOffset = "2021-07-01T08:30:00".parse().unwrap();
        assert_eq!(b.to_string(), "2021-07-01T08:30:00Z");
        let c: DateTimeOffset = "2021-07-01T08:30:00+02:00".parse().unwrap();
        assert_eq!(c.to_string(), "2021-07-01T08:30:00+02:00");
        assert!("String (timestamp)".parse::<DateTimeOffset>().is_err());
        let j: DateTimeOffset = serde_json::from_str("\"2015-01-01T00:00:00Z\"").unwrap();
        assert_eq!(
            serde_json::to_string(&j).unwrap(),
            "\"2015-01-01T00:00:00Z\""
        );
    }

    #[test]
    fn null_reads_as_empty() {
        #[derive(Deserialize)]
        struct S {
            #[serde(deserialize_with = "null_as_default", default)]
            v: Vec<String>,
        }
        let s: S = serde_json::from_str(r#"{"v": null}"#).unwrap();
        assert!(s.v.is_empty());
        let s: S = serde_json::from_str(r#"{}"#).unwrap();
        assert!(s.v.is_empty());
    }
}
