//! keepalived.json (written on keepalived's JSON signal, where built with JSON): the VRRP
//! instances only, as numbers where keepalived.data has words.

use super::dump::DumpError;
use super::model::{VrrpAddress, VrrpData, VrrpInstance, VrrpState};
use super::vrrp;
use serde_json::Value;

pub const FILE: &str = "keepalived.json";

pub fn parse(text: &str) -> Result<VrrpData, DumpError> {
    let unreadable = |line: usize, what: String| DumpError::Unreadable {
        file: FILE.into(),
        line,
        what,
    };
    if text.trim().is_empty() {
        return Err(DumpError::Empty { file: FILE.into() });
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        if e.is_eof() {
            DumpError::Truncated {
                file: FILE.into(),
                what: e.to_string(),
            }
        } else {
            unreadable(e.line(), e.to_string())
        }
    })?;
    let Some(items) = value.as_array() else {
        return Err(unreadable(1, "not a JSON array of instances".into()));
    };
    let instances = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            instance(&item["data"])
                .ok_or_else(|| unreadable(1, format!("instance {i} lacks iname, state or vrid")))
        })
        .collect::<Result<_, _>>()?;
    Ok(VrrpData {
        router_id: None,
        instances,
    })
}

/// keepalived's state numbers (vrrp.h).
fn state(n: u64) -> Option<VrrpState> {
    Some(match n {
        0 => VrrpState::Init,
        1 => VrrpState::Backup,
        2 => VrrpState::Master,
        3 => VrrpState::Fault,
        97 => VrrpState::Stop,
        98 => VrrpState::Deleted,
        _ => return None,
    })
}

fn instance(d: &Value) -> Option<VrrpInstance> {
    let num = |k: &str| d[k].as_u64().and_then(|n| u32::try_from(n).ok());
    let master_priority = num("master_priority").filter(|p| *p != 0);
    Some(VrrpInstance {
        name: d["iname"].as_str()?.to_string(),
        state: state(d["state"].as_u64()?)?,
        want_state: d["wantstate"].as_u64().and_then(state),
        interface: d["ifp_ifname"]
            .as_str()
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        vrid: Some(u8::try_from(d["vrid"].as_u64()?).ok()?),
        priority: num("base_priority"),
        effective_priority: num("effective_priority"),
        master_router: None,
        master_priority,
        last_transition: d["last_transition"]
            .as_f64()
            .and_then(|t| vrrp::timestamp(&format!("{t:.6}"))),
        addresses: d["vips"]
            .as_array()
            .map(|vips| {
                vips.iter()
                    .filter_map(|v| vrrp::address(v.as_str()?))
                    .collect::<Vec<VrrpAddress>>()
            })
            .unwrap_or_default(),
    })
}
