//! Links and their addresses, read over rtnetlink.

use super::error::HostError;
use super::{Addr, Link};
use futures::TryStreamExt;
use netlink_packet_route::address::{AddressAttribute, AddressMessage};
use netlink_packet_route::link::{LinkAttribute, LinkFlags, LinkInfo, LinkLayerType, LinkMessage};
use rtnetlink::Handle;
use std::collections::BTreeMap;

/// A route-netlink socket whose connection task runs on the current tokio runtime.
pub(super) fn connect() -> Result<Handle, HostError> {
    let (connection, handle, _) = rtnetlink::new_connection()
        .map_err(|e| HostError::io("cannot open a route netlink socket", e))?;
    tokio::spawn(connection);
    Ok(handle)
}

/// The errno inside an rtnetlink error, positive; `None` for errors that are not the kernel's.
pub(super) fn errno(e: &rtnetlink::Error) -> Option<i32> {
    match e {
        rtnetlink::Error::NetlinkError(m) => m.code.map(|c| c.get().abs()),
        _ => None,
    }
}

pub(super) fn read_error(what: &str, e: rtnetlink::Error) -> HostError {
    match errno(&e) {
        Some(n) => super::error::errno_error(what, n),
        None => HostError::io(what, e),
    }
}

/// Every link with its addresses, by index.
pub(super) async fn read_links(handle: &Handle) -> Result<Vec<Link>, HostError> {
    let messages: Vec<LinkMessage> = handle
        .link()
        .get()
        .execute()
        .try_collect()
        .await
        .map_err(|e| read_error("reading the interfaces", e))?;
    let mut links: BTreeMap<u32, Link> =
        messages.iter().map(|m| (m.header.index, link(m))).collect();
    let addrs: Vec<AddressMessage> = handle
        .address()
        .get()
        .execute()
        .try_collect()
        .await
        .map_err(|e| read_error("reading the addresses", e))?;
    for m in &addrs {
        if let Some(link) = links.get_mut(&m.header.index)
            && let Some(a) = addr(m, &link.name)
        {
            link.addrs.push(a);
        }
    }
    Ok(links.into_values().collect())
}

/// The index of the interface `name`.
pub(super) async fn index_of(handle: &Handle, name: &str) -> Result<u32, HostError> {
    let found = handle
        .link()
        .get()
        .match_name(name.to_string())
        .execute()
        .try_next()
        .await;
    match found {
        Ok(Some(m)) => Ok(m.header.index),
        Ok(None) => Err(HostError::NoInterface(name.to_string())),
        Err(e) if errno(&e) == Some(libc::ENODEV) => Err(HostError::NoInterface(name.to_string())),
        Err(e) => Err(read_error("looking up the interface", e)),
    }
}

/// `ip link set dev NAME up` (or down).
pub(super) async fn set_up(handle: &Handle, name: &str, up: bool) -> Result<(), HostError> {
    let index = index_of(handle, name).await?;
    let builder = rtnetlink::LinkUnspec::new_with_index(index);
    let message = if up { builder.up() } else { builder.down() }.build();
    let what = if up {
        "bringing an interface up"
    } else {
        "bringing an interface down"
    };
    handle
        .link()
        .set(message)
        .execute()
        .await
        .map_err(|e| match errno(&e) {
            Some(libc::ENODEV) => HostError::NoInterface(name.to_string()),
            _ => read_error(what, e),
        })
}

fn link(m: &LinkMessage) -> Link {
    let mut name = String::new();
    let mut kind = None;
    for attr in &m.attributes {
        match attr {
            LinkAttribute::IfName(n) => name = n.clone(),
            LinkAttribute::LinkInfo(infos) => {
                kind = infos.iter().find_map(|i| match i {
                    LinkInfo::Kind(k) => Some(k.to_string()),
                    _ => None,
                })
            }
            _ => {}
        }
    }
    if kind.is_none() && m.header.link_layer_type == LinkLayerType::Loopback {
        kind = Some("loopback".to_string());
    }
    Link {
        index: m.header.index,
        name,
        up: m.header.flags.contains(LinkFlags::Up),
        kind,
        addrs: Vec::new(),
    }
}

/// The address of `m`; the label only when it is not just the interface name (the kernel gives
/// every IPv4 address a label, by default the interface's name).
fn addr(m: &AddressMessage, link_name: &str) -> Option<Addr> {
    let (mut local, mut address, mut label) = (None, None, None);
    for attr in &m.attributes {
        match attr {
            AddressAttribute::Local(a) => local = Some(*a),
            AddressAttribute::Address(a) => address = Some(*a),
            AddressAttribute::Label(l) if l != link_name => label = Some(l.clone()),
            _ => {}
        }
    }
    // IFA_LOCAL is the interface's own address; IFA_ADDRESS is the peer's on point-to-point links.
    Some(Addr {
        addr: local.or(address)?,
        prefix: m.header.prefix_len,
        label,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads only (no privilege needed): the loopback link of whatever namespace runs the tests.
    #[test]
    fn reads_loopback_and_names_a_missing_interface() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let handle = connect().unwrap();
            let links = read_links(&handle).await.unwrap();
            let lo = links
                .iter()
                .find(|l| l.name == "lo")
                .expect("every namespace has lo");
            assert_eq!(lo.kind.as_deref(), Some("loopback"));
            assert!(
                links.windows(2).all(|w| w[0].index < w[1].index),
                "by index"
            );
            assert_eq!(index_of(&handle, "lo").await.unwrap(), lo.index);
            assert_eq!(
                index_of(&handle, "ipvstui-none0").await,
                Err(HostError::NoInterface("ipvstui-none0".into()))
            );
        });
    }
}
