//! Test-only: no byte sequence from the kernel can make parsing or decoding panic.

use super::fixtures::nla;
use super::*;
use crate::ipvs::model::Family;
use netlink_packet_core::{NetlinkMessage, ParseableParametrized};
use netlink_packet_generic::{GenlHeader, GenlMessage};
use proptest::prelude::*;

/// Runs every decoder over a parsed message; errors are fine, panics are not.
fn decode_all(msg: &IpvsMessage) {
    let _ = decode::service_message(msg);
    let _ = decode::dest_message(msg, Family::Inet);
    let _ = decode::dest_message(msg, Family::Inet6);
    let _ = decode::daemon_message(msg);
    let _ = decode::info_message(msg);
    let _ = decode::timeouts_message(msg);
}

/// Attributes with plausible kinds and arbitrary payloads, so the typed parsers are reached
/// (random bytes alone rarely frame a valid nest).
fn attrs() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec((0u16..20, prop::collection::vec(any::<u8>(), 0..24)), 0..16)
        .prop_map(|v| v.iter().flat_map(|(k, p)| nla(*k, p)).collect())
}

proptest! {
    #![proptest_config(crate::testing::proptest_config())]
    #[test]
    fn arbitrary_payloads_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600), command in any::<u8>()) {
        if let Ok(msg) = IpvsMessage::parse_with_param(&bytes, GenlHeader { cmd: command, version: 1 }) {
            decode_all(&msg);
        }
    }

    #[test]
    fn arbitrary_whole_packets_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        if let Ok(m) = NetlinkMessage::<GenlMessage<IpvsMessage>>::deserialize(&bytes)
            && let netlink_packet_core::NetlinkPayload::InnerMessage(g) = m.payload
        {
            decode_all(&g.payload);
        }
    }

    #[test]
    fn arbitrary_nested_attributes_never_panic(inner in attrs(), outer in 0u16..8, command in prop::sample::select(vec![1u8, 5, 9, 12, 14])) {
        let bytes = nla(outer, &inner);
        if let Ok(msg) = IpvsMessage::parse_with_param(&bytes, GenlHeader { cmd: command, version: 1 }) {
            decode_all(&msg);
        }
    }

    #[test]
    fn stats_nests_of_arbitrary_attributes_never_panic(stats in attrs(), wide in any::<bool>()) {
        let mut svc = nla(1, &2u16.to_ne_bytes());
        svc.extend(nla(if wide { 12 } else { 10 }, &stats));
        if let Ok(msg) = IpvsMessage::parse_with_param(&nla(1, &svc), GenlHeader { cmd: 1, version: 1 }) {
            decode_all(&msg);
        }
    }
}
