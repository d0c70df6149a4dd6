//! `ipvs-tui compare A B [--json]`: two directors' rules compared (see `directors::compare`),
//! printed as ipvsadm lines or JSON. Exit status 0: the same; 1: they differ; 2: bad input or a
//! director that cannot be read (with what was wrong on standard error).

use super::commands::{EXIT_FAILED, EXIT_USAGE};
use crate::backend::{Backend, Kernel};
use crate::directors::compare::{Comparison, compare};
use crate::ipvs::model::Snapshot;
use crate::remote::target::resolve_with_config;
use crate::remote::{DirectorSpec, Target};

/// Compares `a` with `b`; returns the exit status.
pub fn run(a: &str, b: &str, json: bool) -> i32 {
    // Targets, or directors named in config.toml.
    let specs = match (resolve_with_config(a), resolve_with_config(b)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("ipvs-tui: {e}");
            return EXIT_USAGE;
        }
    };
    let Some(runtime) = crate::sys::runtime() else {
        return EXIT_USAGE;
    };
    // A remote director's link lives on this thread.
    let tables = tokio::task::LocalSet::new().block_on(&runtime, async {
        let a = table(&specs.0).await?;
        let b = table(&specs.1).await?;
        Ok::<_, String>((a, b))
    });
    let (ta, tb) = match tables {
        Ok(t) => t,
        Err(e) => {
            eprintln!("ipvs-tui: {e}");
            return EXIT_USAGE;
        }
    };
    let c = compare(&ta, &tb);
    if json {
        println!("{}", to_json(&c));
    } else {
        print!("{}", c.render(a, b));
    }
    if c.equal() { 0 } else { EXIT_FAILED }
}

fn to_json(c: &Comparison) -> String {
    let mut value = serde_json::to_value(c).unwrap_or_default();
    if let Some(o) = value.as_object_mut() {
        o.insert("equal".into(), c.equal().into());
    }
    value.to_string()
}

/// The table of `spec`, or why it cannot be read (in words, naming the director).
async fn table(spec: &DirectorSpec) -> Result<Snapshot, String> {
    let target = &spec.name;
    let read = match &spec.target {
        Target::Local => match Kernel::connect().await {
            Ok(k) => k.snapshot().await,
            Err(e) => Err(e),
        },
        Target::Sim { name, role } => {
            let (sim, _) = crate::backend::sim::named_parts(name, *role);
            sim.snapshot().await
        }
        Target::Netns(_) | Target::Ssh { .. } | Target::Exec(_) => {
            match crate::remote::connect(spec).await {
                Ok(remote) => remote.snapshot().await,
                // The link names the target itself.
                Err(e) => return Err(e.to_string()),
            }
        }
    };
    read.map_err(|e| format!("{target}: {e}"))
}
