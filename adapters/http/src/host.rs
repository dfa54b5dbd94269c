//! Loopback only: the address the server binds and the `Host` names it answers.

use std::net::{IpAddr, SocketAddr};

/// A bind address that is not loopback.
#[derive(Debug, thiserror::Error)]
#[error("{addr} is not a loopback address: skitty serve binds 127.0.0.1 or ::1 only")]
pub struct BindError {
    pub addr: IpAddr,
}

/// Refuses any address but 127.0.0.1 and ::1.
pub fn loopback(addr: IpAddr) -> Result<IpAddr, BindError> {
    let ok = match addr {
        IpAddr::V4(v4) => v4 == std::net::Ipv4Addr::LOCALHOST,
        IpAddr::V6(v6) => v6 == std::net::Ipv6Addr::LOCALHOST,
    };
    if ok {
        Ok(addr)
    } else {
        Err(BindError { addr })
    }
}

/// Whether a `Host` header names this server: `localhost`, `127.0.0.1`, `[::1]`, with the
/// bound port or none.
pub(crate) fn allowed(host: &str, bound: SocketAddr) -> bool {
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) if !name.ends_with(':') && !host.ends_with(']') => (name, Some(port)),
        _ => (host, None),
    };
    let port_ok = port.is_none_or(|p| p == bound.port().to_string());
    let name = name.to_ascii_lowercase();
    let name_ok = matches!(name.as_str(), "localhost" | "127.0.0.1" | "[::1]");
    port_ok && name_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_names_on_the_bound_port_pass() {
        let bound: SocketAddr = "127.0.0.1:8123".parse().unwrap();
        assert!(allowed("localhost:8123", bound));
        assert!(allowed("127.0.0.1:8123", bound));
        assert!(allowed("[::1]:8123", bound));
        assert!(allowed("LOCALHOST", bound));
        assert!(!allowed("evil.example:8123", bound));
        assert!(!allowed("localhost:9999", bound));
        assert!(!allowed("localhost.evil.example:8123", bound));
        assert!(!allowed("127.0.0.2:8123", bound));
    }

    #[test]
    fn only_loopback_addresses_bind() {
        assert!(loopback("127.0.0.1".parse().unwrap()).is_ok());
        assert!(loopback("::1".parse().unwrap()).is_ok());
        assert!(loopback("0.0.0.0".parse().unwrap()).is_err());
        assert!(loopback("192.168.1.4".parse().unwrap()).is_err());
    }
}
