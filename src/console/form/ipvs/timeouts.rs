//! The connection-timeouts form (`ipvsadm --set tcp tcpfin udp`), filled with the current values.

use super::FieldId;
use super::check::Check;
use crate::console::form::Field;
use crate::ipvs::model::Timeouts;
use crate::ipvs::parse;

pub fn fields(current: &Timeouts) -> Vec<Field<FieldId>> {
    vec![
        Field::text(FieldId::Tcp, current.tcp.to_string()),
        Field::text(FieldId::TcpFin, current.tcp_fin.to_string()),
        Field::text(FieldId::Udp, current.udp.to_string()),
    ]
}

pub fn build(c: &mut Check) -> Timeouts {
    Timeouts {
        tcp: c.parse(
            FieldId::Tcp,
            |t| parse::connection_timeout("tcp timeout", t),
            0,
        ),
        tcp_fin: c.parse(
            FieldId::TcpFin,
            |t| parse::connection_timeout("tcpfin timeout", t),
            0,
        ),
        udp: c.parse(
            FieldId::Udp,
            |t| parse::connection_timeout("udp timeout", t),
            0,
        ),
    }
}
