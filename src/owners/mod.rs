//! The owners of an IPVS table (keepalived, kube-proxy, kube-router) and what they say about
//! it, read without patching them. Plain data for the console and the CLI; no UI here.

pub mod keepalived;
