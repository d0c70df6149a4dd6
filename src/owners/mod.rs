//! The owners of an IPVS table (keepalived, kube-proxy, kube-router) and what they say about
//! it, read without patching them. Plain data for the console and the CLI; no UI here.

pub mod drift;
pub mod keepalived;
pub mod owner;
pub mod view;

#[cfg(test)]
mod tests;

pub use drift::Drift;
pub use owner::{Owner, service_owner};
pub use view::{Health, OwnersView, analyse};
