//! Adding and removing interface addresses over rtnetlink, with the kernel's refusals in words.

use super::error::HostError;
use super::links::{errno, index_of};
use netlink_packet_route::address::{AddressAttribute, AddressMessage};
use rtnetlink::{AddressMessageBuilder, Handle};
use std::net::IpAddr;

/// `ip addr add ADDR/PREFIX dev DEV [label LABEL]`.
pub(super) async fn add(
    handle: &Handle,
    dev: &str,
    addr: IpAddr,
    prefix: u8,
    label: Option<&str>,
) -> Result<(), HostError> {
    let index = index_of(handle, dev).await?;
    let mut request = handle.address().add(index, addr, prefix);
    let message = request.message_mut();
    // `ip addr add` sets no broadcast address unless asked (`brd +`); the builder adds one.
    message
        .attributes
        .retain(|a| !matches!(a, AddressAttribute::Broadcast(_)));
    if let Some(label) = label {
        message
            .attributes
            .push(AddressAttribute::Label(label.to_string()));
    }
    request
        .execute()
        .await
        .map_err(|e| change_error(e, "adding an address", dev, addr, prefix))
}

/// `ip addr del ADDR/PREFIX dev DEV`, whatever its label.
pub(super) async fn del(
    handle: &Handle,
    dev: &str,
    addr: IpAddr,
    prefix: u8,
) -> Result<(), HostError> {
    let index = index_of(handle, dev).await?;
    handle
        .address()
        .del(message(index, addr, prefix))
        .execute()
        .await
        .map_err(|e| change_error(e, "removing an address", dev, addr, prefix))
}

fn message(index: u32, addr: IpAddr, prefix: u8) -> AddressMessage {
    let mut message = match addr {
        IpAddr::V4(a) => AddressMessageBuilder::<std::net::Ipv4Addr>::new()
            .index(index)
            .address(a, prefix)
            .build(),
        IpAddr::V6(a) => AddressMessageBuilder::<std::net::Ipv6Addr>::new()
            .index(index)
            .address(a, prefix)
            .build(),
    };
    message
        .attributes
        .retain(|a| !matches!(a, AddressAttribute::Broadcast(_)));
    message
}

fn change_error(e: rtnetlink::Error, what: &str, dev: &str, addr: IpAddr, prefix: u8) -> HostError {
    let dev = dev.to_string();
    match errno(&e) {
        Some(libc::EEXIST) => HostError::AddressExists { dev, addr, prefix },
        Some(libc::EADDRNOTAVAIL) => HostError::AddressMissing { dev, addr, prefix },
        Some(libc::ENODEV) => HostError::NoInterface(dev),
        Some(n) => super::error::errno_error(what, n),
        None => HostError::io(what, e),
    }
}
