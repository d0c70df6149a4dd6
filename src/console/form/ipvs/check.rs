//! Reading a form's visible fields through `ipvs::parse`, collecting every problem under the
//! field it concerns (or the form as a whole), so one submit reports all of them at once.

use super::{FieldId, Ipvs};
use crate::console::form::{Field, Fields, Problem, Validator};
use crate::ipvs::parse::{ParseError, Parsed};
use std::net::{IpAddr, Ipv6Addr};

pub struct Check<'a> {
    pub form: &'a Ipvs,
    pub fields: Fields<'a, FieldId>,
    pub problems: Vec<Problem<FieldId>>,
}

impl<'a> Check<'a> {
    pub fn new(form: &'a Ipvs, fields: Fields<'a, FieldId>) -> Check<'a> {
        Check {
            form,
            fields,
            problems: Vec::new(),
        }
    }

    /// The field `id` if the form has it and it is shown now: hidden fields have no say.
    fn field(&self, id: FieldId) -> Option<&'a Field<FieldId>> {
        self.fields.get(id).filter(|_| self.visible(id))
    }

    pub fn typed(&self, id: FieldId) -> &'a str {
        self.field(id).map_or("", |f| f.typed())
    }

    pub fn selected(&self, id: FieldId) -> usize {
        self.field(id).map_or(0, |f| f.selected())
    }

    pub fn on(&self, id: FieldId) -> bool {
        self.field(id).is_some_and(|f| f.is_on())
    }

    pub fn flags(&self, id: FieldId) -> [bool; 3] {
        self.field(id).map_or([false; 3], |f| f.flags_set())
    }

    pub fn visible(&self, id: FieldId) -> bool {
        self.fields.get(id).is_some() && self.form.visible(self.fields, id)
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

    /// A problem under the field `id`; only its first counts (the form shows one per field).
    pub fn fail(&mut self, id: FieldId, message: impl Into<String>) {
        if self.problems.iter().any(|p| p.field == Some(id)) {
            return;
        }
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
            .fields
            .0
            .iter()
            .map(|f| f.id)
            .find(|id| id.parse_names().contains(&e.field) && self.visible(*id));
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
