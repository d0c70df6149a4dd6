//! Routes of the main table, both families, read over rtnetlink.

use super::error::HostError;
use super::links::read_error;
use super::{Link, Route};
use futures::TryStreamExt;
use netlink_packet_route::route::{RouteAddress, RouteAttribute, RouteHeader, RouteMessage};
use rtnetlink::{Handle, RouteMessageBuilder};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

pub(super) async fn read_routes(handle: &Handle, links: &[Link]) -> Result<Vec<Route>, HostError> {
    let mut out = Vec::new();
    for message in [RouteMessageBuilder::<Ipv4Addr>::new().build(), RouteMessageBuilder::<Ipv6Addr>::new().build()] {
        let mut dump = handle.route().get(message).execute();
        while let Some(m) = dump.try_next().await.map_err(|e| read_error("reading the routes", e))? {
            if let Some(route) = route(&m, links) {
                out.push(route);
            }
        }
    }
    Ok(out)
}

fn route(m: &RouteMessage, links: &[Link]) -> Option<Route> {
    let mut table = u32::from(m.header.table);
    let (mut dst, mut gateway, mut dev) = (None, None, None);
    for attr in &m.attributes {
        match attr {
            RouteAttribute::Table(t) => table = *t,
            RouteAttribute::Destination(a) => dst = ip(a),
            RouteAttribute::Gateway(a) => gateway = ip(a),
            RouteAttribute::Oif(i) => dev = links.iter().find(|l| l.index == *i).map(|l| l.name.clone()),
            _ => {}
        }
    }
    if table != u32::from(RouteHeader::RT_TABLE_MAIN) {
        return None;
    }
    let dst = match (dst, u8::from(m.header.address_family)) {
        (Some(d), _) => d,
        (None, f) if f == libc::AF_INET6 as u8 => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        (None, _) => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
    };
    Some(Route { dst, prefix: m.header.destination_prefix_length, gateway, dev })
}

fn ip(a: &RouteAddress) -> Option<IpAddr> {
    match a {
        RouteAddress::Inet(v4) => Some(IpAddr::V4(*v4)),
        RouteAddress::Inet6(v6) => Some(IpAddr::V6(*v6)),
        _ => None,
    }
}
