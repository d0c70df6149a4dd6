//! The one form of the console: fields (text, choices, switches, flags), the focus, which fields
//! were touched, the error under each, Tab/Shift-Tab, typing and submit. What a form asks and how
//! its answers are checked is its `Validator`: the IPVS forms (`ipvs`), the host forms, page 2 of
//! the setup wizard, the drain deadline. Drawing lives in `crate::ui::form`, for all of them.

pub mod confirm;
mod field;
pub mod ipvs;
mod view;

pub use confirm::Confirm;
pub use field::{Field, Value};
pub use ipvs::{FieldId, FormKind, Ipvs};
pub use view::FieldView;

use crate::host::HostState;
use crate::ipvs::model::Snapshot;
use std::fmt::Debug;
use tui_input::InputRequest;

/// One thing wrong: under a field, or for the form as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem<I> {
    pub field: Option<I>,
    pub message: String,
}

/// What a form's checks may read besides its fields: the IPVS table and the host as last read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Seen<'a> {
    pub table: Option<&'a Snapshot>,
    pub host: Option<&'a HostState>,
}

/// What one kind of form asks and how its answers are checked into its value.
pub trait Validator {
    /// Names the fields: `FieldId`, the wizard's `Question`, ...
    type Id: Copy + Eq + Debug;
    /// What valid answers make: the operations, the plan, the deadline.
    type Output;
    /// The widest the box gets.
    const WIDTH: u16 = 110;
    /// The keys, on the last line of the box.
    const KEYS: &'static str = "Tab next field · Shift-Tab previous · Enter apply · Esc cancel";
    /// Whether the box shows the command(s) the form will run (two lines kept for them), or
    /// only the form's own error, when there is one.
    const PREVIEW: bool = true;

    fn title(&self) -> String;
    fn label(&self, fields: Fields<'_, Self::Id>, id: Self::Id) -> &'static str;
    /// What an empty text field means: what is required, or the default taken.
    fn placeholder(&self, id: Self::Id) -> &'static str;
    /// What a field is for, in a line; for a choice, what the option shown does.
    fn help(&self, fields: Fields<'_, Self::Id>, id: Self::Id) -> String;
    /// Whether a field applies now, given the others.
    fn visible(&self, _fields: Fields<'_, Self::Id>, _id: Self::Id) -> bool {
        true
    }
    /// The names of the three flags of a flags field.
    fn flag_names(&self, _fields: Fields<'_, Self::Id>) -> [&'static str; 3] {
        ["flag-1", "flag-2", "flag-3"]
    }
    /// The value of the visible fields, or every problem found (as the user types, and on
    /// Enter); a field that is not shown has no say.
    fn check(
        &self,
        fields: Fields<'_, Self::Id>,
        seen: &Seen,
    ) -> Result<Self::Output, Vec<Problem<Self::Id>>>;
    /// Checks made only on Enter, of a valid value against what was read (adding what exists).
    fn check_submit(&self, _value: &Self::Output, _seen: &Seen) -> Vec<Problem<Self::Id>> {
        Vec::new()
    }
    /// The equivalent command(s), one per line, shown before applying.
    fn preview(&self, _value: &Self::Output) -> Option<String> {
        None
    }
}

/// A form's fields, as its validator reads them.
#[derive(Debug)]
pub struct Fields<'a, I>(pub &'a [Field<I>]);

impl<I> Clone for Fields<'_, I> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I> Copy for Fields<'_, I> {}

impl<'a, I: PartialEq> Fields<'a, I> {
    /// The field `id`, shown or not.
    pub fn get(self, id: I) -> Option<&'a Field<I>> {
        self.0.iter().find(|f| f.id == id)
    }

    /// The text typed into a field ("" if it has none).
    pub fn typed(self, id: I) -> &'a str {
        self.get(id).map_or("", |f| f.typed())
    }

    /// The index of the option chosen in a choice (0 for the others).
    pub fn selected(self, id: I) -> usize {
        self.get(id).map_or(0, Field::selected)
    }

    pub fn on(self, id: I) -> bool {
        self.get(id).is_some_and(Field::is_on)
    }
}

/// A form while open. `Form` alone is an IPVS form (service, real server, weight, timeouts,
/// sync daemons).
#[derive(Debug, Clone)]
pub struct Form<V: Validator = Ipvs> {
    validator: V,
    fields: Vec<Field<V::Id>>,
    /// Index into `fields` of the focused one (always a visible, editable field).
    focus: usize,
    /// A problem of the whole form: a combination of fields, a kernel refusal, a stale edit.
    error: Option<String>,
    /// Read-only lines above the fields: the service of a real server, the running daemons.
    context: Vec<String>,
}

impl<V: Validator> Form<V> {
    pub fn new(validator: V, fields: Vec<Field<V::Id>>, context: Vec<String>) -> Form<V> {
        let mut form = Form {
            validator,
            fields,
            focus: 0,
            error: None,
            context,
        };
        form.focus = form.focusable().first().copied().unwrap_or(0);
        form
    }

    /// What the form asks, and how it checks it.
    pub fn validator(&self) -> &V {
        &self.validator
    }

    pub fn title(&self) -> String {
        self.validator.title()
    }

    /// Text into the focused field (see `Field::edit` for choices, switches and flags), with
    /// nothing read to check it against.
    pub fn edit(&mut self, req: InputRequest) {
        self.edit_with(req, &Seen::default());
    }

    /// Text into the focused field; every field edited so far is checked again at once (errors
    /// as you type), against what `seen` holds.
    pub fn edit_with(&mut self, req: InputRequest, seen: &Seen) {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return;
        };
        if field.edit(req) {
            field.touched = true;
            self.error = None;
            let problems = self.check(seen).err().unwrap_or_default();
            self.show(&problems, false);
        }
    }

    pub fn next_field(&mut self) {
        self.step(1);
    }

    pub fn prev_field(&mut self) {
        self.step(-1);
    }

    fn step(&mut self, by: isize) {
        let order = self.focusable();
        if order.is_empty() {
            return;
        }
        let at = order.iter().position(|&i| i == self.focus).unwrap_or(0) as isize;
        let n = order.len() as isize;
        self.focus = order[((at + by) % n + n) as usize % order.len()];
    }

    /// Indices of the fields Tab moves between: visible and editable, in order.
    fn focusable(&self) -> Vec<usize> {
        (0..self.fields.len())
            .filter(|&i| self.fields[i].focusable() && self.visible(self.fields[i].id))
            .collect()
    }

    /// Every field checked, then what only Enter checks: the form's value, or `None` with the
    /// errors under their fields (and the form's own), every typed character kept.
    pub fn submit_with(&mut self, seen: &Seen) -> Option<V::Output> {
        self.fields.iter_mut().for_each(|f| f.touched = true);
        let (value, problems) = match self.check(seen) {
            Ok(value) => {
                let problems = self.validator.check_submit(&value, seen);
                (Some(value), problems)
            }
            Err(problems) => (None, problems),
        };
        self.show(&problems, true);
        value.filter(|_| problems.is_empty())
    }

    /// The equivalent command(s) when the form is valid as it stands.
    pub fn preview(&self) -> Option<String> {
        self.validator.preview(&self.check(&Seen::default()).ok()?)
    }

    /// A refusal from the kernel, or a notice that the object changed, shown in the form.
    pub fn set_error(&mut self, message: impl Into<String>) {
        self.error = Some(message.into());
    }

    /// Whether the field `id` is in this form and applies now.
    pub fn visible(&self, id: V::Id) -> bool {
        let fields = Fields(&self.fields);
        fields.get(id).is_some() && self.validator.visible(fields, id)
    }

    fn check(&self, seen: &Seen) -> Result<V::Output, Vec<Problem<V::Id>>> {
        self.validator.check(Fields(&self.fields), seen)
    }

    /// Puts each problem under its field (only touched ones while typing), or on the form (also
    /// one whose field is not shown, so that no refusal goes unexplained).
    fn show(&mut self, problems: &[Problem<V::Id>], submitted: bool) {
        let shown: Vec<bool> = self.fields.iter().map(|f| self.visible(f.id)).collect();
        for (f, shown) in self.fields.iter_mut().zip(shown) {
            let mine: Vec<&str> = problems
                .iter()
                .filter(|p| p.field == Some(f.id))
                .map(|p| p.message.as_str())
                .collect();
            f.error = (f.touched && shown && !mine.is_empty()).then(|| mine.join("; "));
        }
        if submitted {
            let whole: Vec<&str> = problems
                .iter()
                .filter(|p| p.field.is_none_or(|id| !self.visible(id)))
                .map(|p| p.message.as_str())
                .collect();
            self.error = (!whole.is_empty()).then(|| whole.join("; "));
        }
    }
}
