//! Building a lab: the steps of `topology` run in order (each host change and plan inside its
//! namespace), then the responders start and must answer before the lab is called up. On any
//! failure everything made so far is removed again.

use super::space::{self, Found, within};
use super::topology::{Kind, Lab, PORT, Step};
use super::{SandboxError, down, need_root, traffic};
use crate::backend::{Backend, Kernel};
use crate::ipvs::model::Snapshot;
use crate::operation::{Operation, State, apply_plan, check_plan};
use crate::setup::{Plan, plan_operations};
use std::future::Future;
use std::net::SocketAddr;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long the responders may take to answer their first request.
const READY_WITHIN: Duration = Duration::from_secs(5);

/// `ipvs-tui sandbox KIND [--watch]`.
pub fn up(kind: Kind, watch: bool) -> Result<(), SandboxError> {
    need_root()?;
    match space::judge(&space::existing()) {
        Found::Up(k) => return Err(SandboxError::AlreadyUp(k)),
        Found::Partial(names) => return Err(SandboxError::Partial(names)),
        Found::Nothing => {}
    }
    need_module("ip_vs", Path::new("/proc/net/ip_vs"), "IPVS")?;
    if kind == Kind::Tun {
        need_module("ipip", Path::new("/sys/module/ipip"), "IP-in-IP tunnels")?;
    }
    let lab = Lab::of(kind);
    println!("sandbox: building the {kind} lab in network namespaces:");
    if let Err(e) = build(&lab) {
        eprintln!("ipvs-tui: sandbox: {e}; removing what was made");
        down::remove(&space::existing(), false);
        return Err(e);
    }
    print!("{}", guide(&lab));
    if watch {
        let director = lab.netns("director");
        let e = Command::new("/proc/self/exe")
            .args(["--netns", &director])
            .exec();
        return Err(SandboxError::io("cannot open the console", e));
    }
    Ok(())
}

/// What to do next, once the lab is up (also `sandbox status`).
pub fn guide(lab: &Lab) -> String {
    let ns = |m: &str| lab.netns(m);
    let inside = lab
        .director_in
        .map(|a| format!(", inside {a}"))
        .unwrap_or_default();
    let mut text = format!(
        "sandbox: the {kind} lab is up: VIP {vip}:{PORT}, rr over rs1 and rs2\n  \
         client    {:<26} {}\n  director  {:<26} {}{inside}, VIP {vip}\n",
        ns("client"),
        lab.client,
        ns("director"),
        lab.director,
        kind = lab.kind,
        vip = lab.vip,
    );
    for (name, ip) in lab.real_servers {
        text.push_str(&format!("  {name:<9} {:<26} {ip}\n", ns(name)));
    }
    text.push_str(&format!(
        "watch it:      sudo ipvs-tui --netns {director}\n\
         send traffic:  sudo ipvs-tui sandbox traffic 10\n\
         by hand:       sudo ip netns exec {client} curl -s http://{vip}/\n\
         remove it:     sudo ipvs-tui sandbox down\n",
        director = ns("director"),
        client = ns("client"),
        vip = lab.vip,
    ));
    text
}

/// Loaded, or loaded now by modprobe; otherwise why not, in one line.
fn need_module(module: &str, present: &Path, what: &str) -> Result<(), SandboxError> {
    if present.exists() {
        return Ok(());
    }
    let tried = Command::new("modprobe")
        .args(["--", module])
        .stdin(Stdio::null())
        .output();
    if present.exists() {
        return Ok(());
    }
    let why = match tried {
        Ok(out) => String::from_utf8_lossy(&out.stderr).trim().to_string(),
        Err(e) => e.to_string(),
    };
    Err(SandboxError::NoModule(format!(
        "the {module} kernel module ({what}) is not loaded and modprobe {module} failed{}{why}",
        if why.is_empty() { "" } else { ": " }
    )))
}

fn build(lab: &Lab) -> Result<(), SandboxError> {
    for step in lab.steps() {
        match &step {
            Step::Ip(args) => {
                println!("  {}", step.to_command());
                space::ip(args)?;
            }
            Step::Host { ns, op } => {
                println!("  {}", step.to_command());
                within(ns, || block_on(crate::host::apply(op)))?.and_then(|r| {
                    r.map_err(|e| SandboxError::inside(ns, format!("{}: {e}", op.to_command())))
                })?;
            }
            Step::Plan { ns, toml } => {
                let ops = within(ns, || block_on(run_plan(toml)))?
                    .and_then(|r| r.map_err(|e| SandboxError::inside(ns, e)))?;
                for op in ops {
                    println!("  ip netns exec {ns} {}", op.to_command());
                }
            }
        }
    }
    for (name, ip) in lab.real_servers {
        start_responder(&lab.netns(name), name)?;
        let director = lab.netns("director");
        within(&director, || ready(SocketAddr::from((ip, PORT)), name))??;
    }
    Ok(())
}

/// A runtime of its own for work inside one namespace: its sockets are that namespace's.
fn block_on<F: Future>(work: F) -> Result<F::Output, SandboxError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| SandboxError::io("cannot start the async runtime", e))?;
    Ok(runtime.block_on(work))
}

/// A setup plan applied here as `ipvs-tui setup --plan` would (all or nothing); its changes.
async fn run_plan(toml: &str) -> Result<Vec<Operation>, String> {
    let words = |errors: Vec<crate::setup::PlanError>| {
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        text.join("; ")
    };
    let plan = Plan::parse(toml).map_err(words)?;
    let host = crate::host::read_state().await.map_err(|e| e.to_string())?;
    let (kernel, table) = if plan.role.is_director() {
        let kernel = Kernel::connect().await.map_err(|e| e.to_string())?;
        let table = kernel.snapshot().await.map_err(|e| e.to_string())?;
        (kernel, table)
    } else {
        (Kernel::default(), Snapshot::default())
    };
    let ops = plan_operations(&plan, &host, &table).map_err(words)?;
    let before = State::new(table, host);
    check_plan(&before, &ops).map_err(|b| format!("{}: {}", ops[b.step].to_command(), b.reason))?;
    apply_plan(&kernel, before, &ops)
        .await
        .map_err(|f| format!("{}: {}", ops[f.step].to_command(), f.error))?;
    Ok(ops)
}

/// `ipvs-tui sandbox serve` inside `ns`, detached from this terminal and from this process.
fn start_responder(ns: &str, name: &str) -> Result<(), SandboxError> {
    println!("  ipvs-tui sandbox serve --in {ns} --name {name} --port {PORT} &");
    Command::new("/proc/self/exe")
        .args(["sandbox", "serve", "--in", ns, "--name", name])
        .args(["--port", &PORT.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| SandboxError::io(format!("cannot start the responder of {name}"), e))?;
    Ok(())
}

/// Waits until the responder at `addr` answers with its `name`.
fn ready(addr: SocketAddr, name: &str) -> Result<(), SandboxError> {
    let start = Instant::now();
    loop {
        match traffic::get(addr) {
            Ok(answer) if answer == name => return Ok(()),
            Ok(answer) if start.elapsed() > READY_WITHIN => {
                return Err(SandboxError::inside(
                    name,
                    format!("{addr} answers {answer:?}"),
                ));
            }
            Err(e) if start.elapsed() > READY_WITHIN => {
                return Err(SandboxError::inside(
                    name,
                    format!("the responder at {addr} does not answer: {e}"),
                ));
            }
            _ => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guide_names_the_director_to_watch_and_the_commands() {
        let text = guide(&Lab::of(Kind::Nat));
        assert!(
            text.contains("sudo ipvs-tui --netns ipvstui-sb-nat-director\n"),
            "{text}"
        );
        assert!(
            text.contains("sudo ipvs-tui sandbox traffic 10\n"),
            "{text}"
        );
        assert!(
            text.contains("203.0.113.1, inside 10.10.0.1, VIP 203.0.113.100"),
            "{text}"
        );
        assert!(text.contains("rs2       ipvstui-sb-nat-rs2"), "{text}");
        assert!(text.lines().all(|l| l.len() < 100), "{text}");
    }
}
