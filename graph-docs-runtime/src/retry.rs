//! Retries on throttling and transient faults (`429`, `503`, `504`).

use std::time::{Duration, SystemTime};

/// When and how often a request is retried.
///
/// A response with status `429`, `503` or `504` is retried, waiting for the `Retry-After` the
/// service asked for (seconds or an HTTP date), else for an exponential backoff with jitter
/// (`base_delay × 2^(attempt-1)`, capped at `max_delay`, then a random value between half of it
/// and all of it). Each retry carries a `Retry-Attempt: n` header.
///
/// Non-idempotent requests (`POST`, `PATCH`) are retried only on `429`/`503` that carry a
/// `Retry-After` header: then the service says it did not process the request.
///
/// Retrying stops after `max_retries` retries, or when the next wait would take the total time
/// spent waiting over `max_total_wait`; the last response is then returned (and becomes
/// [`Error::Throttled`](crate::Error::Throttled) or [`Error::Api`](crate::Error::Api) for
/// typed requests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    max_total_wait: Duration,
    base_delay: Duration,
    max_delay: Duration,
}

impl Default for RetryPolicy {
    /// 3 retries, 180 s total wait, backoff from 1 s up to 60 s per wait (the official SDKs'
    /// limits).
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            max_total_wait: Duration::from_secs(180),
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> RetryPolicy {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// Sets how many times a request may be retried (0 turns retrying off).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// Sets the cap on the total time spent waiting between attempts.
    pub fn max_total_wait(mut self, d: Duration) -> Self {
        self.max_total_wait = d;
        self
    }

    /// Sets the first backoff delay (used when the service sends no `Retry-After`).
    pub fn base_delay(mut self, d: Duration) -> Self {
        self.base_delay = d;
        self
    }

    /// Sets the cap on a single backoff delay.
    pub fn max_delay(mut self, d: Duration) -> Self {
        self.max_delay = d;
        self
    }

    /// The configured number of retries.
    pub fn retries(&self) -> u32 {
        self.max_retries
    }

    /// The backoff before retry number `attempt` (1-based), with jitter.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let full = self
            .base_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay);
        // "Equal jitter": somewhere between half of the delay and all of it.
        let half = full / 2;
        let nanos = (full - half).as_nanos().min(u128::from(u64::MAX)) as u64;
        half + Duration::from_nanos(if nanos == 0 {
            0
        } else {
            fastrand::u64(0..=nanos)
        })
    }

    /// Decides whether to retry after a response with `status` and `retry_after`; returns the
    /// wait, or `None` to stop. `retries_done` retries were made so far and `waited` was spent.
    pub(crate) fn next_wait(
        &self,
        method: &http::Method,
        status: http::StatusCode,
        retry_after: Option<Duration>,
        retries_done: u32,
        waited: Duration,
    ) -> Option<Duration> {
        let code = status.as_u16();
        if !matches!(code, 429 | 503 | 504) || retries_done >= self.max_retries {
            return None;
        }
        // The service did not process a throttled request that carries Retry-After, so even a
        // POST/PATCH can be sent again; otherwise only idempotent methods are.
        let unprocessed = matches!(code, 429 | 503) && retry_after.is_some();
        if !(is_idempotent(method) || unprocessed) {
            return None;
        }
        let wait = retry_after.unwrap_or_else(|| self.backoff(retries_done + 1));
        if waited + wait > self.max_total_wait {
            return None;
        }
        Some(wait)
    }
}

/// `GET`, `HEAD`, `OPTIONS`, `PUT`, `DELETE` and `TRACE` can be repeated safely.
pub(crate) fn is_idempotent(method: &http::Method) -> bool {
    use http::Method;
    [
        Method::GET,
        Method::HEAD,
        Method::OPTIONS,
        Method::PUT,
        Method::DELETE,
        Method::TRACE,
    ]
    .contains(method)
}

/// Parses `Retry-After` as delta-seconds or an HTTP date (a past date means "now").
pub fn parse_retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{Method, StatusCode};

    fn headers(v: &str) -> http::HeaderMap {
        let mut h = http::HeaderMap::new();
        h.insert(http::header::RETRY_AFTER, v.parse().unwrap());
        h
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(
            parse_retry_after(&headers("7")),
            Some(Duration::from_secs(7))
        );
        assert_eq!(parse_retry_after(&headers(" 0 ")), Some(Duration::ZERO));
        let in_30 = SystemTime::now() + Duration::from_secs(30);
        let d = parse_retry_after(&headers(&httpdate::fmt_http_date(in_30))).unwrap();
        assert!(
            d > Duration::from_secs(27) && d <= Duration::from_secs(30),
            "{d:?}"
        );
        assert_eq!(
            parse_retry_after(&headers("Wed, 21 Oct 2015 07:28:00 GMT")),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after(&headers("soon")), None);
        assert_eq!(parse_retry_after(&http::HeaderMap::new()), None);
    }

    #[test]
    fn backoff_grows_with_jitter_and_caps() {
        let p = RetryPolicy::default()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(1000));
        for _ in 0..50 {
            let d1 = p.backoff(1);
            assert!(d1 >= Duration::from_millis(50) && d1 <= Duration::from_millis(100));
            let d3 = p.backoff(3);
            assert!(d3 >= Duration::from_millis(200) && d3 <= Duration::from_millis(400));
            let d10 = p.backoff(10);
            assert!(d10 >= Duration::from_millis(500) && d10 <= Duration::from_millis(1000));
            assert!(p.backoff(100) <= Duration::from_millis(1000));
        }
    }

    #[test]
    fn which_responses_are_retried() {
        let p = RetryPolicy::default();
        let ra = Some(Duration::from_secs(2));
        let z = Duration::ZERO;
        let tmr = StatusCode::TOO_MANY_REQUESTS;
        let unavailable = StatusCode::SERVICE_UNAVAILABLE;
        let gateway = StatusCode::GATEWAY_TIMEOUT;
        assert_eq!(p.next_wait(&Method::GET, tmr, ra, 0, z), ra);
        assert_eq!(
            p.next_wait(&Method::GET, StatusCode::INTERNAL_SERVER_ERROR, ra, 0, z),
            None
        );
        assert!(p.next_wait(&Method::GET, gateway, None, 0, z).is_some());
        // Non-idempotent: only 429/503 with Retry-After.
        assert_eq!(p.next_wait(&Method::POST, tmr, ra, 0, z), ra);
        assert_eq!(p.next_wait(&Method::PATCH, unavailable, ra, 0, z), ra);
        assert_eq!(p.next_wait(&Method::POST, tmr, None, 0, z), None);
        assert_eq!(p.next_wait(&Method::POST, gateway, ra, 0, z), None);
        // Bounded attempts and total wait.
        assert_eq!(p.next_wait(&Method::GET, tmr, ra, 3, z), None);
        assert_eq!(
            p.next_wait(&Method::GET, tmr, ra, 1, Duration::from_secs(179)),
            None
        );
        assert_eq!(
            RetryPolicy::none().next_wait(&Method::GET, tmr, ra, 0, z),
            None
        );
    }
}
