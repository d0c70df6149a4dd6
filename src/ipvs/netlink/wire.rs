//! Value encodings shared by the IPVS attribute types: NUL strings, 16-byte addresses, nests.

use netlink_packet_core::{DecodeError, Emitable, Nla, NlaBuffer, NlasIterator};

/// Bytes of a NUL-terminated string attribute, terminator included.
pub fn nul_string_len(s: &str) -> usize {
    s.len() + 1
}

pub fn emit_nul_string(buf: &mut [u8], s: &str) {
    buf[..s.len()].copy_from_slice(s.as_bytes());
    buf[s.len()] = 0;
}

/// Up to the first NUL. Lossy rather than failing: a name with odd bytes is still worth showing.
pub fn parse_nul_string(payload: &[u8]) -> String {
    let end = payload
        .iter()
        .position(|&b| b == 0)
        .unwrap_or(payload.len());
    String::from_utf8_lossy(&payload[..end]).into_owned()
}

/// `union nf_inet_addr`: the kernel always sends 16 bytes, and zero-pads shorter input
/// (`nla_memcpy`), so we accept 0..=16 the same way. What it means depends on the family.
pub fn parse_addr16(payload: &[u8]) -> Result<[u8; 16], DecodeError> {
    if payload.len() > 16 {
        return Err(DecodeError::from(format!(
            "address attribute of {} bytes (at most 16)",
            payload.len()
        )));
    }
    let mut addr = [0u8; 16];
    addr[..payload.len()].copy_from_slice(payload);
    Ok(addr)
}

/// Parses every attribute of a nest; malformed framing is an error, never a panic.
pub fn parse_nest<T>(
    payload: &[u8],
    parse: impl Fn(&NlaBuffer<&[u8]>) -> Result<T, DecodeError>,
) -> Result<Vec<T>, DecodeError> {
    NlasIterator::new(payload)
        .map(|nla| nla.and_then(|nla| parse(&nla)))
        .collect()
}

pub fn nest_len<T: Nla>(attrs: &[T]) -> usize {
    attrs.buffer_len()
}

pub fn emit_nest<T: Nla>(buf: &mut [u8], attrs: &[T]) {
    attrs.emit(buf)
}

/// A fixed-width number attribute; the error names the attribute so a bad reply is explainable.
pub fn fixed<const N: usize>(payload: &[u8], what: &str) -> Result<[u8; N], DecodeError> {
    payload.try_into().map_err(|_| {
        DecodeError::from(format!("{what}: expected {N} bytes, got {}", payload.len()))
    })
}

pub fn u8_of(payload: &[u8], what: &str) -> Result<u8, DecodeError> {
    fixed::<1>(payload, what).map(|b| b[0])
}

pub fn u16_of(payload: &[u8], what: &str) -> Result<u16, DecodeError> {
    fixed(payload, what).map(u16::from_ne_bytes)
}

pub fn u16_be_of(payload: &[u8], what: &str) -> Result<u16, DecodeError> {
    fixed(payload, what).map(u16::from_be_bytes)
}

pub fn u32_of(payload: &[u8], what: &str) -> Result<u32, DecodeError> {
    fixed(payload, what).map(u32::from_ne_bytes)
}

pub fn u64_of(payload: &[u8], what: &str) -> Result<u64, DecodeError> {
    fixed(payload, what).map(u64::from_ne_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_stop_at_the_first_nul_and_tolerate_bad_bytes() {
        assert_eq!(parse_nul_string(b"wlc\0"), "wlc");
        assert_eq!(parse_nul_string(b"wlc"), "wlc");
        assert_eq!(parse_nul_string(b"rr\0\0junk"), "rr");
        assert_eq!(parse_nul_string(b""), "");
        assert_eq!(parse_nul_string(&[0xff, b'x', 0]), "\u{fffd}x");
    }

    #[test]
    fn addresses_are_zero_padded_and_capped_at_16_bytes() {
        let a = parse_addr16(&[10, 0, 0, 1]).unwrap();
        assert_eq!(&a[..4], &[10, 0, 0, 1]);
        assert!(a[4..].iter().all(|&b| b == 0));
        assert!(parse_addr16(&[0; 17]).is_err());
    }

    #[test]
    fn numbers_insist_on_their_width() {
        assert_eq!(u16_be_of(&[0, 80], "port").unwrap(), 80);
        assert!(
            u16_of(&[1, 2, 3], "af")
                .unwrap_err()
                .to_string()
                .contains("af: expected 2 bytes, got 3")
        );
        assert!(u32_of(&[], "x").is_err());
        assert!(u8_of(&[1, 2], "x").is_err());
    }
}
