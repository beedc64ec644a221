//! Fault injection: make the emulator misbehave on a chosen request, a chosen number of times.

use std::sync::{Arc, Mutex, MutexGuard};

/// What goes wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    /// Read about half of the request body, then close the TCP connection without answering
    /// (the client sees a reset or an incomplete message). Nothing of the slice is stored.
    DropConnection,
    /// Handle the request completely (a slice is stored and confirmed on the server), then
    /// close the connection instead of sending the answer: a response lost on the way back.
    DropResponse,
    /// Answer with this HTTP status (e.g. 500 or 503) and a Graph error body, without reading
    /// or storing the slice.
    Status(u16),
    /// Answer `429 Too Many Requests` with `Retry-After: <retry_after_secs>`.
    Throttle {
        /// The value of the `Retry-After` header, in seconds.
        retry_after_secs: u64,
    },
    /// Wait this long before handling the request normally (a slow server: lets a client's
    /// timeout fire; if the client gives up, the request is never processed).
    Delay {
        /// The delay in milliseconds.
        millis: u64,
    },
    /// Expire the upload session now and answer `404` as an expired session does. On a request
    /// that is not to an upload URL, every open session expires and the request proceeds.
    ExpireSession,
}

/// Which requests a fault applies to. Counters are 1-based and start when the emulator starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// The k-th `PUT` to any upload URL (every attempt counts, retries included), and, while the
    /// fault has uses left, the slices after it.
    Slice(u64),
    /// The n-th request the server receives (API or upload URL), and, while the fault has uses
    /// left, the requests after it.
    Request(u64),
}

/// One armed fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fault {
    /// When it fires.
    pub trigger: Trigger,
    /// What happens.
    pub kind: FaultKind,
    /// How many more times it fires (it fires on the first `times` matching requests).
    pub times: u32,
}

/// A fault that fired, as recorded for assertions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FiredFault {
    /// The fault kind.
    pub kind: FaultKind,
    /// The request number it fired on (see [`crate::RecordedRequest::index`]).
    pub request: u64,
    /// The slice number, when it fired on a `PUT` to an upload URL.
    pub slice: Option<u64>,
}

#[derive(Debug, Default)]
struct State {
    armed: Vec<Fault>,
    fired: Vec<FiredFault>,
}

/// The handle to inject faults into a running [`crate::Emulator`]. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    state: Arc<Mutex<State>>,
}

impl Faults {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A poisoned lock only means a panic elsewhere; the data is still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Arms a fault that fires `times` times from `trigger` on (a `times` of 0 never fires).
    pub fn inject(&self, trigger: Trigger, kind: FaultKind, times: u32) -> &Self {
        self.lock().armed.push(Fault {
            trigger,
            kind,
            times,
        });
        self
    }

    /// Drops the connection in the middle of slice `k` (once).
    pub fn drop_connection_on_slice(&self, k: u64) -> &Self {
        self.inject(Trigger::Slice(k), FaultKind::DropConnection, 1)
    }

    /// Stores slice `k` but drops the connection instead of answering (once).
    pub fn drop_response_on_slice(&self, k: u64) -> &Self {
        self.inject(Trigger::Slice(k), FaultKind::DropResponse, 1)
    }

    /// Answers slice `k` with `status` (e.g. 500 or 503) (once).
    pub fn status_on_slice(&self, k: u64, status: u16) -> &Self {
        self.inject(Trigger::Slice(k), FaultKind::Status(status), 1)
    }

    /// Answers request `n` with `429` and `Retry-After: retry_after_secs` (once).
    pub fn throttle_request(&self, n: u64, retry_after_secs: u64) -> &Self {
        self.inject(
            Trigger::Request(n),
            FaultKind::Throttle { retry_after_secs },
            1,
        )
    }

    /// Answers slice `k` with `429` and `Retry-After: retry_after_secs` (once).
    pub fn throttle_slice(&self, k: u64, retry_after_secs: u64) -> &Self {
        self.inject(
            Trigger::Slice(k),
            FaultKind::Throttle { retry_after_secs },
            1,
        )
    }

    /// Expires the session of slice `k` when it arrives, which is then answered `404` (once).
    pub fn expire_session_on_slice(&self, k: u64) -> &Self {
        self.inject(Trigger::Slice(k), FaultKind::ExpireSession, 1)
    }

    /// Delays slice `k` by `millis` before handling it (once).
    pub fn delay_slice(&self, k: u64, millis: u64) -> &Self {
        self.inject(Trigger::Slice(k), FaultKind::Delay { millis }, 1)
    }

    /// Disarms every fault that has not fired yet.
    pub fn clear(&self) {
        self.lock().armed.clear();
    }

    /// The faults still armed (with uses left).
    pub fn armed(&self) -> Vec<Fault> {
        self.lock().armed.clone()
    }

    /// The faults that fired so far, in order.
    pub fn fired(&self) -> Vec<FiredFault> {
        self.lock().fired.clone()
    }

    /// Takes one use of the first armed fault matching this request, if any.
    pub(crate) fn take(&self, request: u64, slice: Option<u64>) -> Option<FaultKind> {
        let mut st = self.lock();
        let pos = st.armed.iter().position(|f| {
            f.times > 0
                && match f.trigger {
                    Trigger::Request(n) => request >= n,
                    Trigger::Slice(k) => slice.is_some_and(|s| s >= k),
                }
        })?;
        let kind = st.armed[pos].kind;
        st.armed[pos].times -= 1;
        if st.armed[pos].times == 0 {
            st.armed.remove(pos);
        }
        st.fired.push(FiredFault {
            kind,
            request,
            slice,
        });
        Some(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fires_from_trigger_on_for_times() {
        let f = Faults::default();
        f.inject(Trigger::Slice(2), FaultKind::Status(503), 2);
        assert_eq!(f.take(1, Some(1)), None);
        assert_eq!(f.take(2, None), None, "not a slice");
        assert_eq!(f.take(3, Some(2)), Some(FaultKind::Status(503)));
        assert_eq!(f.take(4, Some(3)), Some(FaultKind::Status(503)));
        assert_eq!(f.take(5, Some(4)), None);
        assert!(f.armed().is_empty());
        assert_eq!(f.fired().len(), 2);
        assert_eq!(f.fired()[1].slice, Some(3));
    }

    #[test]
    fn request_trigger_matches_any_request() {
        let f = Faults::default();
        f.throttle_request(3, 2);
        assert_eq!(f.take(2, None), None);
        assert_eq!(
            f.take(3, Some(1)),
            Some(FaultKind::Throttle {
                retry_after_secs: 2
            })
        );
        assert_eq!(f.take(4, None), None);
    }
}
