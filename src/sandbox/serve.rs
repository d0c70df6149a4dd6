//! `ipvs-tui sandbox serve` (hidden): the real servers' HTTP responder, answering every request
//! with its own name so the spread of traffic shows. Bounded: one connection at a time, 4 KiB of
//! request, 2 s timeouts. It dies with the sandbox: `down` stops it, and it leaves by itself once
//! its namespace is no longer the one under /run/netns (deleted by hand, say).

use super::SandboxError;
use super::space::ns_id;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::Path;
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(2);
const MAX_REQUEST: usize = 4096;

pub fn serve(ns: &str, name: &str, port: u16) -> Result<(), SandboxError> {
    crate::netns::enter(ns)?;
    let listener = TcpListener::bind((Ipv4Addr::UNSPECIFIED, port))
        .map_err(|e| SandboxError::io(format!("cannot listen on port {port} in {ns}"), e))?;
    let mine = ns_id(Path::new("/proc/self/ns/net"));
    let file = crate::netns::path_of(ns);
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_secs(1));
            if ns_id(&file) != mine {
                std::process::exit(0);
            }
        }
    });
    for stream in listener.incoming() {
        match stream {
            // A client that misbehaves costs at most the timeouts; the next one is served after.
            Ok(stream) => {
                let _ = answer(stream, name);
            }
            // Out of file descriptors, say: wait rather than spin.
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    }
    Ok(())
}

fn answer(mut stream: TcpStream, name: &str) -> std::io::Result<()> {
    stream.set_read_timeout(Some(TIMEOUT))?;
    stream.set_write_timeout(Some(TIMEOUT))?;
    let mut request = [0u8; MAX_REQUEST];
    let mut got = 0;
    while got < request.len() {
        let n = stream.read(&mut request[got..])?;
        got += n;
        if n == 0 || request[..got].windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    stream.write_all(response(name).as_bytes())
}

fn response(name: &str) -> String {
    let body = format!("{name}\n");
    format!(
        "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_responder_answers_with_its_name() {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let addr = listener.local_addr().unwrap();
        let server = std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            answer(stream, "rs2").unwrap();
        });
        assert_eq!(super::super::traffic::get(addr).unwrap(), "rs2");
        server.join().unwrap();
        assert!(response("rs1").ends_with("Content-Length: 4\r\nConnection: close\r\n\r\nrs1\n"));
    }
}
