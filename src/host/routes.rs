//! Routes of the main table, both families, read over rtnetlink; the default route replaced or
//! removed as `ip route replace|del default via ADDR [dev DEV]` does.

use super::error::HostError;
use super::links::{errno, index_of, read_error};
use super::{Link, Route};
use futures::TryStreamExt;
use netlink_packet_route::route::{
    RouteAddress, RouteAttribute, RouteHeader, RouteMessage, RouteProtocol, RouteScope, RouteType,
};
use rtnetlink::{Handle, RouteMessageBuilder};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

pub(super) async fn read_routes(handle: &Handle, links: &[Link]) -> Result<Vec<Route>, HostError> {
    let mut out = Vec::new();
    for message in [
        RouteMessageBuilder::<Ipv4Addr>::new().build(),
        RouteMessageBuilder::<Ipv6Addr>::new().build(),
    ] {
        let mut dump = handle.route().get(message).execute();
        while let Some(m) = dump
            .try_next()
            .await
            .map_err(|e| read_error("reading the routes", e))?
        {
            if let Some(route) = route(&m, links) {
                out.push(route);
            }
        }
    }
    Ok(out)
}

/// `ip route replace default via VIA [dev DEV]` (`del`: `ip route del ...`).
pub(super) async fn set_default(
    handle: &Handle,
    via: IpAddr,
    dev: Option<&str>,
    del: bool,
) -> Result<(), HostError> {
    let index = match dev {
        Some(d) => Some(index_of(handle, d).await?),
        None => None,
    };
    let mut message = match via {
        IpAddr::V4(a) => RouteMessageBuilder::<Ipv4Addr>::new().gateway(a).build(),
        IpAddr::V6(a) => RouteMessageBuilder::<Ipv6Addr>::new().gateway(a).build(),
    };
    if let Some(i) = index {
        message.attributes.push(RouteAttribute::Oif(i));
    }
    let result = if del {
        // As `ip route del`: match any protocol, scope and type, so a route added by DHCP goes too.
        (
            message.header.protocol,
            message.header.scope,
            message.header.kind,
        ) = (
            RouteProtocol::Unspec,
            RouteScope::NoWhere,
            RouteType::Unspec,
        );
        handle.route().del(message).execute().await
    } else {
        message.header.protocol = RouteProtocol::Boot;
        handle.route().add(message).replace().execute().await
    };
    result.map_err(|e| match errno(&e) {
        Some(libc::ENETUNREACH) => HostError::Unreachable(via),
        Some(libc::ESRCH) if del => HostError::RouteMissing(via),
        Some(libc::ENODEV) => HostError::NoInterface(dev.unwrap_or_default().to_string()),
        _ => read_error(
            if del {
                "removing the default route"
            } else {
                "replacing the default route"
            },
            e,
        ),
    })
}

fn route(m: &RouteMessage, links: &[Link]) -> Option<Route> {
    let mut table = u32::from(m.header.table);
    let (mut dst, mut gateway, mut dev) = (None, None, None);
    for attr in &m.attributes {
        match attr {
            RouteAttribute::Table(t) => table = *t,
            RouteAttribute::Destination(a) => dst = ip(a),
            RouteAttribute::Gateway(a) => gateway = ip(a),
            RouteAttribute::Oif(i) => {
                dev = links.iter().find(|l| l.index == *i).map(|l| l.name.clone())
            }
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
    Some(Route {
        dst,
        prefix: m.header.destination_prefix_length,
        gateway,
        dev,
    })
}

fn ip(a: &RouteAddress) -> Option<IpAddr> {
    match a {
        RouteAddress::Inet(v4) => Some(IpAddr::V4(*v4)),
        RouteAddress::Inet6(v6) => Some(IpAddr::V6(*v6)),
        _ => None,
    }
}
