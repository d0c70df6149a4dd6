//! `ipvs-tui sandbox traffic [N]`: N requests from the client's namespace to the VIP, each on a
//! new connection (so the scheduler chooses each time), with who answered and the counts.

use super::space::{self, Found, within};
use super::topology::{Lab, PORT};
use super::{SandboxError, need_root};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(2);
/// The most read of an answer: a responder's is a few dozen bytes.
const MAX_ANSWER: u64 = 4096;

pub fn traffic(count: usize) -> Result<(), SandboxError> {
    need_root()?;
    let kind = match space::judge(&space::existing()) {
        Found::Up(kind) => kind,
        Found::Nothing => return Err(SandboxError::NotUp),
        Found::Partial(names) => return Err(SandboxError::Partial(names)),
    };
    let lab = Lab::of(kind);
    let vip = SocketAddr::from((lab.vip, PORT));
    let client = lab.netns("client");
    println!("sandbox: {count} request(s) from {client} to http://{vip}/");
    let answers = within(&client, || {
        (1..=count)
            .map(|n| {
                let answer = get(vip).map_err(|e| e.to_string());
                match &answer {
                    Ok(name) => println!("  {n:>4}  {name}"),
                    Err(e) => println!("  {n:>4}  failed: {e}"),
                }
                answer
            })
            .collect::<Vec<_>>()
    })?;
    println!("sandbox: {}", tally(&answers));
    let failed = answers.iter().filter(|a| a.is_err()).count();
    if failed > 0 {
        return Err(SandboxError::Inside {
            ns: client,
            what: format!("{failed} of {count} request(s) failed"),
        });
    }
    Ok(())
}

/// `rs1 5, rs2 5` (and `failed 1`): the answers counted per real server.
pub fn tally(answers: &[Result<String, String>]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for a in answers {
        *counts.entry(a.as_deref().unwrap_or("failed")).or_default() += 1;
    }
    let parts: Vec<String> = counts.iter().map(|(k, v)| format!("{k} {v}")).collect();
    if parts.is_empty() {
        "no request sent".to_string()
    } else {
        parts.join(", ")
    }
}

/// One `GET /` on a new connection; the body of a 200 answer, trimmed (a responder's name).
pub fn get(addr: SocketAddr) -> std::io::Result<String> {
    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT)?;
    stream.set_read_timeout(Some(TIMEOUT))?;
    stream.set_write_timeout(Some(TIMEOUT))?;
    write!(
        stream,
        "GET / HTTP/1.0\r\nHost: {addr}\r\nUser-Agent: ipvs-tui-sandbox\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    stream.take(MAX_ANSWER).read_to_end(&mut raw)?;
    body(&String::from_utf8_lossy(&raw))
        .map(str::to_string)
        .ok_or_else(|| std::io::Error::other("not an HTTP 200 answer"))
}

fn body(answer: &str) -> Option<&str> {
    let (head, body) = answer.split_once("\r\n\r\n")?;
    let status = head.lines().next()?;
    (status.starts_with("HTTP/1.") && status.split(' ').nth(1) == Some("200")).then(|| body.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_counted_per_server() {
        let answers = vec![
            Ok("rs1".to_string()),
            Ok("rs2".to_string()),
            Err("timed out".to_string()),
            Ok("rs1".to_string()),
        ];
        assert_eq!(tally(&answers), "failed 1, rs1 2, rs2 1");
        assert_eq!(tally(&[]), "no request sent");
    }

    #[test]
    fn only_a_200_body_is_an_answer() {
        let ok = "HTTP/1.0 200 OK\r\nContent-Length: 4\r\n\r\nrs1\n";
        assert_eq!(body(ok), Some("rs1"));
        assert_eq!(body("HTTP/1.1 503 Busy\r\n\r\nno"), None);
        assert_eq!(body("rs1\n"), None);
    }
}
