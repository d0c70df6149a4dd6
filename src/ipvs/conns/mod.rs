//! The connection table, /proc/net/ip_vs_conn (reference §6.2): streamed in chunks, parsed line by
//! line (IPv4 and IPv6, fwmark templates, persistence templates), filtered, aggregated over every
//! line, and held in bounded memory for display.

pub mod clients;
pub mod filter;
pub mod fixed;
pub mod line;
pub mod names;
pub mod reader;
pub mod report;
pub mod row;
pub mod table;

pub use filter::{Filter, FilterError};
pub use line::{ConnLine, Malformed, parse_line};
pub use names::State;
pub use reader::{IP_VS_CONN, Progress, ReadError, ReadSummary, read_path, read_path_async};
pub use report::{ConnView, Group, GroupBy, ServiceId, SortBy};
pub use row::{Route, Row};
pub use table::{Collector, ConnTable, Counts, Limits};
