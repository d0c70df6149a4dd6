//! What a form shows: its fields as drawing needs them, their errors and explanations, the
//! read-only context above them.

use super::field::{Field, Value};
use super::{Fields, Form, Validator};

/// One visible field, as drawing needs it.
#[derive(Debug, Clone, Copy)]
pub struct FieldView<'a, I> {
    pub id: I,
    pub label: &'static str,
    pub value: &'a Value,
    pub focused: bool,
    pub error: Option<&'a str>,
    /// The names of the flags of a flags field (they may depend on other fields).
    pub flag_names: [&'static str; 3],
    /// What an empty text field means: what is required, or the default taken.
    pub placeholder: &'static str,
}

impl<V: Validator> Form<V> {
    /// The form-level error, if any.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The error shown under a field.
    pub fn field_error(&self, id: V::Id) -> Option<&str> {
        self.field(id).and_then(|f| f.error.as_deref())
    }

    /// A visible field's value as words: the typed text, the option chosen, `on`/`off`, the
    /// flags set by name (`sh-fallback,flag-3`, or `none`).
    pub fn value(&self, id: V::Id) -> Option<String> {
        let field = self.field(id)?;
        if let Value::Flags { set, .. } = field.value {
            let names: Vec<&str> = self
                .validator
                .flag_names(Fields(&self.fields))
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

    /// The field `id` if this form has it and it is shown now.
    fn field(&self, id: V::Id) -> Option<&Field<V::Id>> {
        Fields(&self.fields).get(id).filter(|_| self.visible(id))
    }

    pub fn focused(&self) -> Option<V::Id> {
        self.fields.get(self.focus).map(|f| f.id)
    }

    /// Read-only lines shown above the fields.
    pub fn context(&self) -> &[String] {
        &self.context
    }

    /// What the focused field is for (for a choice: what the option shown does).
    pub fn help(&self) -> String {
        self.focused().map_or(String::new(), |id| {
            self.validator.help(Fields(&self.fields), id)
        })
    }

    /// The visible fields in order, for drawing.
    pub fn fields(&self) -> Vec<FieldView<'_, V::Id>> {
        let all = Fields(&self.fields);
        let flag_names = self.validator.flag_names(all);
        (0..self.fields.len())
            .filter(|&i| self.visible(self.fields[i].id))
            .map(|i| {
                let f = &self.fields[i];
                FieldView {
                    id: f.id,
                    label: self.validator.label(all, f.id),
                    value: &f.value,
                    focused: i == self.focus,
                    error: f.error.as_deref(),
                    flag_names,
                    placeholder: self.validator.placeholder(f.id),
                }
            })
            .collect()
    }
}
