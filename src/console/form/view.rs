//! What a form shows: its fields as drawing needs them, their errors and explanations, the
//! read-only context above them.

use super::Form;
use super::fields::{Field, FieldId, Value};
use super::{FormKind, service, words};

/// One visible field, as drawing needs it.
#[derive(Debug, Clone, Copy)]
pub struct FieldView<'a> {
    pub id: FieldId,
    pub label: &'static str,
    pub value: &'a Value,
    pub focused: bool,
    pub error: Option<&'a str>,
    /// The names of the flags of a flags field (they depend on the scheduler).
    pub flag_names: [&'static str; 3],
    /// What an empty text field means: what is required, or the default taken.
    pub placeholder: &'static str,
}

impl Form {
    /// The form-level error, if any.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The error shown under a field.
    pub fn field_error(&self, id: FieldId) -> Option<&str> {
        self.field(id).and_then(|f| f.error.as_deref())
    }

    /// A visible field's value as words: the typed text, the option chosen, `on`/`off`, the
    /// flags set as ipvsadm names them (`sh-fallback,flag-3`, or `none`).
    pub fn value(&self, id: FieldId) -> Option<String> {
        let field = self.field(id)?;
        if let Value::Flags { set, .. } = field.value {
            let names: Vec<&str> = self
                .flag_names()
                .into_iter()
                .zip(set)
                .filter(|(_, on)| *on)
                .map(|(n, _)| n)
                .collect();
            return Some(if names.is_empty() {
                "none".into()
            } else {
                names.join(",")
            });
        }
        Some(field.shown())
    }

    /// The names of the three scheduler flags under the scheduler typed (ipvsadm's `-b` names).
    fn flag_names(&self) -> [&'static str; 3] {
        match self.field(FieldId::Scheduler).map_or("", Field::typed) {
            "sh" => ["sh-fallback", "sh-port", "flag-3"],
            "mh" => ["mh-fallback", "mh-port", "flag-3"],
            _ => ["flag-1", "flag-2", "flag-3"],
        }
    }

    pub fn focused(&self) -> Option<FieldId> {
        self.fields.get(self.focus).map(|f| f.id)
    }

    /// Read-only lines shown above the fields.
    pub fn context(&self) -> &[String] {
        &self.context
    }

    /// What the focused field is for (for a choice: what the option shown does).
    pub fn help(&self) -> &'static str {
        self.fields
            .get(self.focus)
            .map_or("", |f| words::help(f.id, &f.shown()))
    }

    /// The visible fields in order, for drawing.
    pub fn fields(&self) -> Vec<FieldView<'_>> {
        let flag_names = self.flag_names();
        (0..self.fields.len())
            .filter(|&i| self.visible(self.fields[i].id))
            .map(|i| {
                let f = &self.fields[i];
                FieldView {
                    id: f.id,
                    label: self.label(f.id),
                    value: &f.value,
                    focused: i == self.focus,
                    error: f.error.as_deref(),
                    flag_names,
                    placeholder: words::placeholder(f.id),
                }
            })
            .collect()
    }

    fn label(&self, id: FieldId) -> &'static str {
        match (id, &self.kind) {
            (FieldId::Netmask, _) => words::netmask_label(service::family(self)),
            (FieldId::Address, FormKind::EditService { .. }) => "virtual service",
            _ => id.label(),
        }
    }
}
