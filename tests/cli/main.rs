//! The command line and the texts it reads and writes, without a kernel: `ipvs-tui conns` as a
//! program, the connection-table, rules and host parsers (property tests), setup plans and the
//! files persist writes; the man pages, completions and the Debian package. One test binary; each
//! module was once its own.

mod compare;
mod conns;
mod conns_parse;
mod host_parse_props;
mod logs;
mod package;
mod parse_props;
mod remote;
mod remote_setup;
mod setup_persist;
mod setup_plan;
mod setup_props;
