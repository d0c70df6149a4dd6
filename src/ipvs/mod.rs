//! The IPVS domain: typed model, text parsing, the kernel's netlink interface and the ipvsadm formats.
