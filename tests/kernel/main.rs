//! Every test that boots the user-mode Linux lab (tests/lab: the harness and the guest scripts)
//! and checks ipvs-tui against a real IPVS and ipvsadm in the same guest. One test binary; the
//! harness bounds how many VMs run at once.

#[path = "../lab/mod.rs"]
mod lab;

mod audit;
mod conns;
mod console;
mod console_bench;
mod console_host;
mod console_operate;
mod console_wizard;
mod firewall;
mod fleet;
mod host;
mod ipvsadm;
mod keepalived;
mod poll;
mod remote_bench;
mod restore;
mod sandbox;
mod scale;
mod setup;
mod smoke;
mod ssh;
