//! The drain prompt (`D`): a form of one field, the optional deadline, with what a drain does
//! above it. Empty waits for 0 connections; otherwise the real server goes at the deadline.

use crate::console::form::{Field, Fields, Form, Problem, Seen, Validator};
use crate::ipvs::model::{AddrPort, DestConfig, ServiceKey};
use std::time::Duration;

/// Asking for the deadline of a new drain.
pub type DrainPrompt = Form<Deadline>;

/// The validator of the drain prompt: the real server to drain.
#[derive(Debug, Clone)]
pub struct Deadline {
    pub service: ServiceKey,
    pub dest: DestConfig,
}

const EXPLAIN: &str = "Weight 0 now: no new connections; existing ones carry on. Once its active, inactive and persistent connections reach 0 it is removed. With a deadline it is removed then, connections or not. D again cancels and puts the weight back.";

impl Form<Deadline> {
    pub fn deadline(service: ServiceKey, dest: DestConfig) -> DrainPrompt {
        let fields = vec![Field::text((), "")];
        Form::new(
            Deadline { service, dest },
            fields,
            vec![EXPLAIN.to_string()],
        )
    }
}

impl Validator for Deadline {
    type Id = ();
    /// None: wait for 0 connections however long it takes.
    type Output = Option<Duration>;
    const WIDTH: u16 = 76;
    const KEYS: &'static str = "Enter starts the drain · Esc cancels";
    const PREVIEW: bool = false;

    fn title(&self) -> String {
        format!(
            "Drain {} of {}",
            AddrPort(self.dest.addr, self.dest.port),
            self.service
        )
    }

    fn label(&self, _: Fields<'_, ()>, _: ()) -> &'static str {
        "deadline"
    }

    fn placeholder(&self, _: ()) -> &'static str {
        "empty: wait for 0 connections"
    }

    fn help(&self, _: Fields<'_, ()>, _: ()) -> String {
        "Empty: wait for 0 connections. Otherwise seconds, or a number with s, m or h (e.g. 90, 10m, 2h), up to 7 days".into()
    }

    fn check(
        &self,
        fields: Fields<'_, ()>,
        _: &Seen,
    ) -> Result<Option<Duration>, Vec<Problem<()>>> {
        parse_deadline(fields.typed(())).map_err(|message| {
            vec![Problem {
                field: Some(()),
                message,
            }]
        })
    }
}

/// Empty: wait for 0 connections however long it takes. Otherwise seconds, or a number with
/// s, m or h.
pub fn parse_deadline(text: &str) -> Result<Option<Duration>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => text.split_at(i),
        None => (text, "s"),
    };
    let scale = match unit.trim() {
        "s" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        _ => 0,
    };
    match number.parse::<u64>() {
        Ok(n) if n > 0 && scale > 0 && n <= 7 * 86400 / scale => {
            Ok(Some(Duration::from_secs(n * scale)))
        }
        _ => Err(format!(
            "deadline \"{text}\": must be a whole number of seconds, or with s, m or h (e.g. 90, 10m, 2h), up to 7 days; leave it empty to wait for 0 connections"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines() {
        assert_eq!(parse_deadline(""), Ok(None));
        assert_eq!(parse_deadline(" 90 "), Ok(Some(Duration::from_secs(90))));
        assert_eq!(parse_deadline("10m"), Ok(Some(Duration::from_secs(600))));
        assert_eq!(parse_deadline("2 h"), Ok(Some(Duration::from_secs(7200))));
        assert_eq!(
            parse_deadline("168h"),
            Ok(Some(Duration::from_secs(168 * 3600)))
        );
        for bad in ["0", "-5", "5d", "1.5m", "169h", "m", "99999999999999999999"] {
            let e = parse_deadline(bad).unwrap_err();
            assert!(
                e.starts_with(&format!("deadline \"{}\": must be", bad.trim())),
                "{e}"
            );
        }
    }
}
