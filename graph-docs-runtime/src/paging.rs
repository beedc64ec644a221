//! Paging: following `@odata.nextLink` lazily.
//!
//! [`Request::pages`] and [`Request::items`] return lazy streams: a page is requested only when
//! the stream is polled past the items already received, so `.items().take(n)` stops fetching
//! once it has `n` items.
//!
//! Every next-link request carries the original request's headers (e.g. `ConsistencyLevel`),
//! a fresh `client-request-id`, and the request's retry policy and timeout. The bearer token is
//! sent only if the next link's origin (scheme, host, port) is trusted by the client (see
//! [`Client::is_trusted`](crate::Client::is_trusted)): a next link on another host is still
//! followed, but **without** `Authorization` (and without any `Authorization` header the caller
//! set), so a foreign host never sees the token. A next link identical to the URL it came from
//! ends the stream with an error instead of looping.

use futures_util::stream::{self, Stream, StreamExt};
use http::header::AUTHORIZATION;
use serde::de::DeserializeOwned;

use crate::response::{Collection, Page};
use crate::{Client, Error, Request};

enum State<T> {
    First(Request<Collection<T>>),
    Next {
        template: Request<Collection<T>>,
        url: String,
    },
    Done,
}

impl<T: DeserializeOwned + Send + 'static> Request<Collection<T>> {
    /// A lazy stream of pages: this request's page, then one per `@odata.nextLink`. Ends after
    /// the last page or after the first error.
    ///
    /// Each next-link request carries this request's headers (e.g. `ConsistencyLevel`), a fresh
    /// `client-request-id`, and this request's retry policy and timeout. The bearer token goes
    /// only to a trusted origin ([`Client::is_trusted`]): a next link on another host is
    /// followed **without** `Authorization`, so a foreign host never sees the token. A next
    /// link equal to the URL it came from ends the stream with an error instead of looping.
    pub fn pages(self) -> impl Stream<Item = Result<Page<T>, Error>> + Send + 'static {
        stream::unfold(State::First(self), |state| async move {
            let (result, template, url) = match state {
                State::Done => return None,
                State::First(req) => {
                    let url = req.url();
                    (req.clone().send().await, req, url)
                }
                State::Next { template, url } => {
                    (next_page::<T>(&template, &url).await, template, url)
                }
            };
            match result {
                Ok(page) => {
                    let next = match &page.next_link {
                        Some(link) if *link == url => {
                            return Some((
                                Err(Error::InvalidInput(format!(
                                    "the service returned @odata.nextLink `{link}`, the same \
                                     URL as the page it came from; stopping to avoid a loop"
                                ))),
                                State::Done,
                            ))
                        }
                        Some(link) => State::Next {
                            template,
                            url: link.clone(),
                        },
                        None => State::Done,
                    };
                    Some((Ok(page), next))
                }
                Err(e) => Some((Err(e), State::Done)),
            }
        })
    }

    /// A lazy stream of the items of all pages, in order. Ends after the last item or after
    /// the first error. Use `.take(n)` to cap the number of items (no page beyond the one
    /// holding the n-th item is requested).
    pub fn items(self) -> impl Stream<Item = Result<T, Error>> + Send + 'static {
        self.pages().flat_map(|page| {
            stream::iter(match page {
                Ok(p) => p.value.into_iter().map(Ok).collect::<Vec<_>>(),
                Err(e) => vec![Err(e)],
            })
        })
    }
}

/// `GET <next link>` with the original request's headers.
async fn next_page<T: DeserializeOwned>(
    template: &Request<Collection<T>>,
    url: &str,
) -> Result<Page<T>, Error> {
    if let Some(msg) = &template.invalid {
        return Err(Error::InvalidInput(msg.clone()));
    }
    let uri = url
        .parse::<http::Uri>()
        .map_err(|e| Error::InvalidInput(format!("cannot follow @odata.nextLink `{url}`: {e}")))?;
    let mut headers = template.headers.clone();
    headers.remove(http::header::CONTENT_TYPE);
    headers.remove(crate::CLIENT_REQUEST_ID);
    if !template.client.is_trusted(url) {
        headers.remove(AUTHORIZATION);
    }
    let mut req = http::Request::new(bytes::Bytes::new());
    *req.uri_mut() = uri;
    *req.headers_mut() = headers;
    let (parts, body) = req.into_parts();
    let response = template
        .client
        .run(parts, body, &template.execute_options())
        .await?;
    Client::finish::<Collection<T>>(&http::Method::GET, Some(template.op), response)
}
