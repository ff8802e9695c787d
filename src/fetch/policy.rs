//! Which hosts adlint may fetch from. An export from a third party names the URLs adlint
//! fetches, so by default it must not be able to point adlint at the machine itself or at the
//! network around it and put what answers into a report: loopback, private, link-local, shared
//! (carrier-grade NAT), unspecified, multicast, broadcast, documentation and reserved addresses
//! are refused, for every URL (inputs, `--urls-from`, `--fetch` columns) and every redirect.
//! `--allow-private-hosts` lifts this.
//!
//! A host that is an address is checked before connecting; a name is checked by the resolver
//! the HTTP client uses (so the check holds for the addresses actually connected to, after
//! every redirect, whatever the DNS answers the second time). Behind an HTTP proxy
//! (`HTTPS_PROXY` and friends) the proxy resolves the names, so only address hosts can be
//! checked; the proxy's own address is allowed.

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Whether an address is on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (RFC 6598)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240) // reserved
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let s = ip.segments();
    // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address.
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        return is_public_v4(Ipv4Addr::from((u32::from(s[6]) << 16) | u32::from(s[7])));
    }
    if s[0] == 0x2002 {
        return is_public_v4(Ipv4Addr::from((u32::from(s[1]) << 16) | u32::from(s[2])));
    }
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || ip.is_unique_local()
        || ip.is_unicast_link_local()
        || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || s[..6] == [0, 0, 0, 0, 0, 0]) // IPv4-compatible and other reserved
}

/// A host refused because it is, or resolves to, an address that is not public.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateAddress {
    pub host: String,
    pub addr: IpAddr,
}

impl fmt::Display for PrivateAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host == self.addr.to_string() || self.host == format!("[{}]", self.addr) {
            write!(f, "{} is a private address", self.addr)
        } else {
            write!(
                f,
                "{} resolves to {}, a private address",
                self.host, self.addr
            )
        }
    }
}

impl Error for PrivateAddress {}

/// The hosts of the proxies the HTTP client may use, from the environment.
fn proxy_hosts() -> Vec<String> {
    [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ]
    .iter()
    .filter_map(|var| std::env::var(var).ok())
    .filter_map(|value| {
        let value = value.trim();
        let url = if value.contains("://") {
            value.to_string()
        } else {
            format!("http://{value}")
        };
        reqwest::Url::parse(&url)
            .ok()?
            .host_str()
            .map(|h| h.to_ascii_lowercase())
    })
    .collect()
}

/// The resolver the HTTP client uses: the system's (`getaddrinfo`, on a thread of its own, so
/// a slow answer does not hold up other fetches), with addresses that are not public refused
/// unless allowed.
#[derive(Debug, Clone)]
pub struct Resolver {
    allow_private: bool,
    proxies: Arc<Vec<String>>,
}

impl Resolver {
    pub fn new(allow_private: bool) -> Self {
        Resolver {
            allow_private,
            proxies: Arc::new(proxy_hosts()),
        }
    }

    /// The addresses of `host` that may be connected to.
    fn lookup(
        host: &str,
        allow_private: bool,
    ) -> Result<Vec<SocketAddr>, Box<dyn Error + Send + Sync>> {
        let addrs: Vec<SocketAddr> = (host, 0).to_socket_addrs()?.collect();
        if allow_private {
            return Ok(addrs);
        }
        match addrs.iter().find(|a| !is_public(a.ip())) {
            // One private address among public ones is enough to refuse: a name that mixes
            // them is a rebinding trick, not a social network.
            Some(private) => Err(Box::new(PrivateAddress {
                host: host.to_string(),
                addr: private.ip(),
            })),
            None => Ok(addrs),
        }
    }
}

type Answer = Result<Vec<SocketAddr>, Box<dyn Error + Send + Sync>>;

/// A lookup running on its own thread.
struct Lookup {
    state: Arc<Mutex<(Option<Answer>, Option<Waker>)>>,
}

impl Future for Lookup {
    type Output = Result<Addrs, Box<dyn Error + Send + Sync>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let Ok(mut state) = self.state.lock() else {
            return Poll::Ready(Err("the DNS lookup failed".into()));
        };
        match state.0.take() {
            Some(answer) => Poll::Ready(answer.map(|addrs| Box::new(addrs.into_iter()) as Addrs)),
            None => {
                state.1 = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

impl Resolve for Resolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        let allow = self.allow_private || self.proxies.contains(&host.to_ascii_lowercase());
        let state: Arc<Mutex<(Option<Answer>, Option<Waker>)>> = Arc::new(Mutex::new((None, None)));
        let shared = Arc::clone(&state);
        let spawned = std::thread::Builder::new()
            .name("adlint-dns".into())
            .spawn(move || {
                let answer = Resolver::lookup(&host, allow);
                if let Ok(mut state) = shared.lock() {
                    state.0 = Some(answer);
                    if let Some(waker) = state.1.take() {
                        waker.wake();
                    }
                }
            });
        if let Err(e) = spawned {
            return Box::pin(std::future::ready(Err(Box::new(e) as _)));
        }
        Box::pin(Lookup { state })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_special_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "192.0.2.1",
            "::1",
            "::",
            "fc00::1",
            "fd12::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "2002:7f00:1::",
            "2001:db8::1",
            "::127.0.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn localhost_is_refused_unless_allowed() {
        let refused = Resolver::lookup("localhost", false).unwrap_err();
        let private = refused.downcast_ref::<PrivateAddress>().unwrap();
        assert!(private.addr.is_loopback());
        assert!(private.to_string().starts_with("localhost resolves to "));
        assert!(!Resolver::lookup("localhost", true).unwrap().is_empty());
    }
}
