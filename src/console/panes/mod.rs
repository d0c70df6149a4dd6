//! The state of the panes that cover the tables: connections (`c`), interfaces and sysctls
//! (`i`, `s`), the doctor (`H`), persist (`P`), keepalived (`K`), the directors page (`V`) and
//! the comparison of two directors, and how their keys change it.

pub mod conns;
pub mod directors;
pub mod doctor;
pub mod hostpanes;
pub mod keepalived;
pub mod persist;
