//! The state of the panes that cover the tables: connections (`c`), interfaces and sysctls
//! (`i`, `s`), the doctor (`H`), persist (`P`) and keepalived (`K`), and how their keys change it.

pub mod conns;
pub mod doctor;
pub mod hostpanes;
pub mod keepalived;
pub mod persist;
