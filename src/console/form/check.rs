//! Reading a form's visible fields through `ipvs::parse`, collecting every problem under the
//! field it concerns (or the form as a whole), so one submit reports all of them at once.

use super::Form;
use super::fields::FieldId;
use crate::ipvs::parse::{ParseError, Parsed};
use std::net::{IpAddr, Ipv6Addr};

/// One thing wrong: under a field, or for the form as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: Option<FieldId>,
    pub message: String,
}

pub struct Check<'a> {
    pub form: &'a Form,
    pub problems: Vec<Problem>,
}

impl<'a> Check<'a> {
    pub fn new(form: &'a Form) -> Check<'a> {
        Check {
            form,
            problems: Vec::new(),
        }
    }

    pub fn typed(&self, id: FieldId) -> &'a str {
        self.form.field(id).map_or("", |f| f.typed())
    }

    pub fn selected(&self, id: FieldId) -> usize {
        self.form.field(id).map_or(0, |f| f.selected())
    }

    pub fn on(&self, id: FieldId) -> bool {
        self.form.field(id).is_some_and(|f| f.is_on())
    }

    pub fn flags(&self, id: FieldId) -> [bool; 3] {
        self.form.field(id).map_or([false; 3], |f| f.flags_set())
    }

    pub fn visible(&self, id: FieldId) -> bool {
        self.form.visible(id)
    }

    /// The field's text through `parser`. A failure is recorded under the field and `stand_in`
    /// is returned, so that the rest of the form can still be checked as a whole: choose one
    /// that no rule between fields can object to (any objection to it lands on this field,
    /// which has its own error already, and is dropped).
    pub fn parse<T>(
        &mut self,
        id: FieldId,
        parser: impl FnOnce(&str) -> Parsed<T>,
        stand_in: T,
    ) -> T {
        match parser(self.typed(id)) {
            Ok(v) => v,
            Err(e) => {
                self.fail(id, e.to_string());
                stand_in
            }
        }
    }

    /// Like `parse`, but an empty field means `None` (an optional value left to its default).
    pub fn parse_optional<T>(
        &mut self,
        id: FieldId,
        parser: impl FnOnce(&str) -> Parsed<T>,
    ) -> Option<T> {
        if self.typed(id).is_empty() {
            None
        } else {
            self.parse(id, |t| parser(t).map(Some), None)
        }
    }

    pub fn fail(&mut self, id: FieldId, message: impl Into<String>) {
        self.problems.push(Problem {
            field: Some(id),
            message: message.into(),
        });
    }

    /// A problem found by `ipvs::parse::validate`: under the visible field its name belongs to,
    /// else for the whole form. A field that already has a problem keeps its first one (the
    /// second may come from a stand-in); a form-level one counts only when no field has one.
    pub fn refuse(&mut self, e: ParseError) {
        let field = self
            .form
            .fields
            .iter()
            .map(|f| f.id)
            .find(|id| id.parse_names().contains(&e.field) && self.form.visible(*id));
        let known = match field {
            Some(_) => self.problems.iter().any(|p| p.field == field),
            None => !self.problems.is_empty(),
        };
        if !known {
            self.problems.push(Problem {
                field,
                message: e.to_string(),
            });
        }
    }
}

/// An address alone, IPv6 with or without brackets. `ipvs::parse::addr_port`'s message
/// suggests `ADDR:PORT`, which would mislead here: the port has its own field.
pub fn address(field: &'static str, text: &str) -> Parsed<IpAddr> {
    let parsed = match text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        Some(v6) => v6.parse::<Ipv6Addr>().ok().map(IpAddr::V6),
        None => text.parse::<IpAddr>().ok(),
    };
    parsed.ok_or_else(|| ParseError::new(field, text, "must be an IPv4 or IPv6 address, e.g. 192.0.2.1 or 2001:db8::1 (the port has its own field)"))
}
